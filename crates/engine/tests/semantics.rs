//! Engine semantics the recorded corpus does not pin down (virtual time, retry arithmetic,
//! limits), as a table: definition, scenario, then the expected status, error and the virtual
//! times of selected events.

use stepwise_asl::json::{Value, json};
use stepwise_engine::{Scenario, simulate};

struct Case {
    name: &'static str,
    definition: Value,
    scenario: Value,
    status: &'static str,
    error: Option<&'static str>,
    /// (event type, its n-th occurrence (0-based), elapsed ms)
    times: Vec<(&'static str, usize, u64)>,
    output: Option<Value>,
}

fn task(extra: Value) -> Value {
    let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Parameters": {"FunctionName": "f"}, "End": true});
    if let (Some(t), Some(e)) = (t.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            t.insert(k.clone(), v.clone());
        }
    }
    json!({"StartAt": "T", "States": {"T": t}})
}

fn cases() -> Vec<Case> {
    let fail3 = json!({"tasks": {"T": {"0-9": {"throw": {"Error": "E", "Cause": "c"}, "durationMs": 1000}}}});
    vec![
        Case {
            name: "backoff 30 s x 1.5^n: retries at 31 s and 77 s",
            definition: task(
                json!({"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 2, "BackoffRate": 1.5}]}),
            ),
            scenario: fail3.clone(),
            status: "FAILED",
            error: Some("E"),
            times: vec![
                ("TaskScheduled", 0, 0),
                ("TaskScheduled", 1, 31_000),
                ("TaskScheduled", 2, 77_000),
            ],
            output: None,
        },
        Case {
            name: "MaxDelaySeconds caps the delay",
            definition: task(
                json!({"Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "MaxAttempts": 3, "BackoffRate": 2, "MaxDelaySeconds": 4}]}),
            ),
            scenario: fail3.clone(),
            status: "FAILED",
            error: Some("E"),
            times: vec![
                ("TaskScheduled", 1, 4_000),
                ("TaskScheduled", 2, 9_000),
                ("TaskScheduled", 3, 14_000),
            ],
            output: None,
        },
        Case {
            name: "MaxAttempts 0 never retries; the first matching retrier decides",
            definition: task(
                json!({"Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 0}, {"ErrorEquals": ["States.ALL"]}]}),
            ),
            scenario: fail3.clone(),
            status: "FAILED",
            error: Some("E"),
            times: vec![("ExecutionFailed", 0, 1_000)],
            output: None,
        },
        Case {
            name: "States.TaskFailed does not catch States.Timeout",
            definition: json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
                      "TimeoutSeconds": 5, "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "X"}], "End": true},
                "X": {"Type": "Pass", "End": true}}}),
            scenario: json!({"tasks": {"T": {"0": {"return": 1, "durationMs": 6000}}}}),
            status: "FAILED",
            error: Some("States.Timeout"),
            times: vec![("TaskTimedOut", 0, 5_000)],
            output: None,
        },
        Case {
            name: "caught error output replaces the input (ResultPath default $)",
            definition: json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}], "End": true},
                "P": {"Type": "Pass", "End": true}}}),
            scenario: json!({"tasks": {"T": {"0": {"throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}}),
            status: "SUCCEEDED",
            error: None,
            times: vec![],
            output: Some(json!({"Error": "Lambda.ServiceException", "Cause": "down"})),
        },
        Case {
            name: "execution TimeoutSeconds ends a long Wait: TIMED_OUT",
            definition: json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}),
            scenario: json!({}),
            status: "TIMED_OUT",
            error: None,
            times: vec![("ExecutionTimedOut", 0, 5_000)],
            output: None,
        },
        Case {
            name: "Map MaxConcurrency 2: the third item starts when the first slot frees",
            definition: json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2,
                "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
                "End": true}}}),
            scenario: json!({"tasks": {"T": {"default": {"echo": true, "durationMs": 1000}}}}),
            status: "SUCCEEDED",
            error: None,
            times: vec![
                ("MapIterationStarted", 1, 0),
                ("MapIterationStarted", 2, 1_000),
                ("MapStateSucceeded", 0, 2_000),
            ],
            output: Some(json!([1, 2, 3])),
        },
        Case {
            name: "25,000-event history limit fails the execution",
            definition: json!({"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "C"},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "D"}], "Default": "A"},
                "D": {"Type": "Succeed"}}}),
            scenario: json!({}),
            status: "FAILED",
            error: Some("States.Runtime"),
            times: vec![],
            output: None,
        },
        Case {
            name: "256 KiB output limit: States.DataLimitExceeded",
            definition: json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "States.ArrayRange(1, 1000, 1)", "y.$": "States.Format('{}', $.big)"}, "End": true}}}),
            scenario: json!({}),
            status: "FAILED",
            error: Some("States.DataLimitExceeded"),
            times: vec![],
            output: None,
        },
    ]
}

#[test]
fn semantics_table() {
    let big = "x".repeat(270_000);
    for case in cases() {
        let machine = stepwise_asl::parse_value(&case.definition)
            .machine
            .unwrap_or_else(|| panic!("{}: definition does not parse", case.name));
        let scenario = Scenario::from_json(&case.scenario)
            .unwrap_or_else(|e| panic!("{}: scenario: {e}", case.name));
        let input = if case.name.starts_with("Map") {
            json!([1, 2, 3])
        } else if case.name.starts_with("256") {
            json!({"big": big})
        } else {
            json!({})
        };
        let trace = simulate(&machine, &input, &scenario);
        assert_eq!(
            trace.status.as_str(),
            case.status,
            "{}: {:?} {:?}",
            case.name,
            trace.error,
            trace.cause
        );
        assert_eq!(trace.error.as_deref(), case.error, "{}", case.name);
        if let Some(out) = &case.output {
            assert_eq!(trace.output.as_ref(), Some(out), "{}", case.name);
        }
        for (ty, nth, ms) in &case.times {
            let e = trace
                .events
                .iter()
                .filter(|e| e.kind.as_str() == *ty)
                .nth(*nth)
                .unwrap_or_else(|| panic!("{}: no {ty} #{nth}", case.name));
            assert_eq!(e.elapsed_ms, *ms, "{}: {ty} #{nth}", case.name);
        }
        // Ids are 1..n and previousEventId always points backwards.
        for (i, e) in trace.events.iter().enumerate() {
            assert_eq!(e.id as usize, i + 1, "{}", case.name);
            assert!(e.previous_event_id < e.id, "{}", case.name);
        }
    }
}

#[test]
fn full_jitter_is_seeded() {
    let def = task(
        json!({"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 3, "JitterStrategy": "FULL"}]}),
    );
    let machine = stepwise_asl::parse_value(&def)
        .machine
        .unwrap_or_else(|| panic!("parse"));
    let times = |seed: u64| -> Vec<u64> {
        let mut s = Scenario::from_json(&json!({"tasks": {"T": {"default": {"throw": {"Error": "E", "Cause": ""}, "durationMs": 0}}}}))
            .unwrap_or_default();
        s.seed = seed;
        simulate(&machine, &json!({}), &s)
            .events
            .iter()
            .filter(|e| e.kind.as_str() == "TaskScheduled")
            .map(|e| e.elapsed_ms)
            .collect()
    };
    let a = times(1);
    assert_eq!(a, times(1));
    assert_eq!(a.len(), 4);
    // Each delay is within [0, 10 s × 2^n].
    for (n, w) in a.windows(2).enumerate() {
        let d = w[1] - w[0];
        assert!(d <= 10_000 * (1 << n), "delay {d} after retry {n}");
    }
    assert_ne!(a, times(2), "another seed gives other delays");
}

#[test]
fn a_state_running_when_the_execution_times_out_ends_with_it() {
    let definition = json!({"TimeoutSeconds": 5, "StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
              "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}}}});
    let machine = stepwise_asl::parse_value(&definition)
        .machine
        .expect("valid");
    let trace = simulate(&machine, &json!({"items": [1]}), &Scenario::default());
    assert_eq!(trace.status.as_str(), "TIMED_OUT");
    let last = u32::try_from(trace.events.len()).expect("small");
    for name in ["M", "W"] {
        let step = trace
            .steps
            .iter()
            .find(|s| s.state == name)
            .expect("visited");
        let error = step
            .error
            .as_ref()
            .expect("the interrupted state has an error");
        assert_eq!(error.error, "States.Timeout", "{name}");
        assert_eq!(step.exited_ms, None, "{name}");
        assert_eq!(step.last_event, last, "{name} ends with ExecutionTimedOut");
        assert!(
            step.explanations.iter().any(|e| e.contains("timed out")),
            "{name}"
        );
    }
}

#[test]
fn a_sync_job_rejected_at_submission_takes_an_api_call_not_the_job() {
    let definition = json!({"StartAt": "B", "States": {"B": {"Type": "Task",
        "Resource": "arn:aws:states:::batch:submitJob.sync",
        "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"}, "End": true}}});
    let machine = stepwise_asl::parse_value(&definition)
        .machine
        .expect("valid");
    let run = |error: &str| {
        let scenario = Scenario::from_json(
            &json!({"tasks": {"B": {"0": {"throw": {"Error": error, "Cause": "c"}}}}}),
        )
        .expect("scenario");
        simulate(&machine, &json!({}), &scenario)
    };
    let rejected = run("Batch.AWSBatchException");
    assert!(
        !rejected
            .events
            .iter()
            .any(|e| e.kind.as_str() == "TaskSubmitted")
    );
    assert_eq!(rejected.duration_ms, 300);
    let job_failed = run("States.TaskFailed");
    assert!(
        job_failed
            .events
            .iter()
            .any(|e| e.kind.as_str() == "TaskSubmitted")
    );
    assert_eq!(job_failed.duration_ms, 120_000);
}

#[test]
fn invocation_counters_are_per_state_name_beyond_the_first_eight() {
    // Twelve Task states, each failing its invocation 0 and returning its index on invocation 1
    // (after one retry): every state counts its own invocations.
    let mut states = stepwise_asl::json::Map::new();
    let mut tasks = stepwise_asl::json::Map::new();
    for i in 0..12 {
        let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"}, "ResultPath": format!("$.t{i}"),
            "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 1, "MaxAttempts": 1}]});
        if let Some(o) = t.as_object_mut() {
            if i < 11 {
                o.insert("Next", json!(format!("T{}", i + 1)));
            } else {
                o.insert("End", json!(true));
            }
        }
        states.insert(format!("T{i}"), t);
        tasks.insert(
            format!("T{i}"),
            json!({"0": {"throw": {"Error": "E", "Cause": "c"}}, "1": {"return": i}}),
        );
    }
    let def = json!({"StartAt": "T0", "States": states});
    let machine = stepwise_asl::parse_value(&def)
        .machine
        .unwrap_or_else(|| panic!("parse"));
    let mut expected = stepwise_asl::json::Map::new();
    for i in 0..12 {
        expected.insert(format!("t{i}"), json!(i));
    }
    for record_events in [true, false] {
        let mut s = Scenario::from_json(&json!({ "tasks": tasks })).unwrap_or_default();
        s.record_events = record_events;
        let mut sim = stepwise_engine::Simulator::new(&machine);
        for _ in 0..2 {
            let trace = sim.run(&json!({}), &s);
            assert_eq!(trace.status.as_str(), "SUCCEEDED", "{:?}", trace.cause);
            assert_eq!(trace.output, Some(Value::Object(expected.clone())));
        }
    }
}

/// Parameters the service refuses fail the state before the call (recorded on AWS for
/// `apigateway:invoke` with a plain-string header): `States.Runtime`, no `TaskScheduled`, and
/// neither Retry nor Catch applies.
#[test]
fn refused_parameters_fail_before_the_call() {
    let definition = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::apigateway:invoke",
        "Parameters": {"ApiEndpoint": "example.com", "Method": "GET", "Headers.$": "$.h"},
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
        "End": true},
        "Caught": {"Type": "Succeed"}}});
    let machine = stepwise_asl::parse_value(&definition)
        .machine
        .expect("the definition parses");
    let run = |headers: Value| simulate(&machine, &json!({ "h": headers }), &Scenario::default());

    let refused = run(json!({"x-id": "one"}));
    assert_eq!(refused.status.as_str(), "FAILED");
    assert_eq!(refused.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        refused.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'Call' (entered at the event id #2). \
             The Parameters '{\"ApiEndpoint\":\"example.com\",\"Method\":\"GET\",\"Headers\":{\"x-id\":\"one\"}}' \
             could not be used to start the Task: [The value of the field 'Headers' has an invalid format]"
        )
    );
    let kinds: Vec<&str> = refused.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]
    );

    let accepted = run(json!({"x-id": ["one"]}));
    assert_eq!(accepted.status.as_str(), "SUCCEEDED");
}
