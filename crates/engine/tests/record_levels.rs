//! The recording levels give the same result: a run with `record_events: false` (or
//! `record_steps: false`) has the status, output, error, cause and duration of the full run, on
//! every case of the public conformance corpus, every peer benchmark workload and a few
//! scenarios of its own (skipped when the shared folders are absent).

use stepwise_asl::json::{Value, json};
use stepwise_engine::{Scenario, Trace, simulate};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);
const WORKLOADS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bench/peer/workloads"
);

fn result_of(t: &Trace) -> Value {
    json!({
        "status": t.status.as_str(),
        "output": t.output,
        "error": t.error,
        "cause": t.cause,
        "duration": t.duration_ms,
        "notes": t.notes,
    })
}

/// Runs `machine` at every level and checks that the results agree; returns how many differ.
fn check(id: &str, machine: &stepwise_asl::StateMachine, input: &Value, scenario: &Scenario) {
    let full = simulate(machine, input, scenario);
    let no_steps = simulate(
        machine,
        input,
        &Scenario {
            record_steps: false,
            ..scenario.clone()
        },
    );
    let output_only = simulate(
        machine,
        input,
        &Scenario {
            record_events: false,
            ..scenario.clone()
        },
    );
    assert_eq!(
        full.events, no_steps.events,
        "{id}: events differ without steps"
    );
    assert!(no_steps.steps.is_empty(), "{id}");
    assert!(
        output_only.events.is_empty() && output_only.steps.is_empty(),
        "{id}"
    );
    assert_eq!(result_of(&full), result_of(&no_steps), "{id}: no steps");
    assert_eq!(
        result_of(&full),
        result_of(&output_only),
        "{id}: output only"
    );
}

#[test]
fn conformance_cases_give_the_same_result_at_every_level() {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        eprintln!("skipping: {CASES} is absent");
        return;
    };
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(case) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let parsed = stepwise_asl::parse_value(&case["definition"]);
        let Some(machine) = parsed.machine else {
            continue;
        };
        let input = case.get("input").cloned().unwrap_or_else(|| json!({}));
        let scenario = stepwise_engine::conformance::scenario_for(&case);
        check(&id, &machine, &input, &scenario);
        n += 1;
    }
    assert!(n > 100, "only {n} cases ran");
}

#[test]
fn peer_workloads_give_the_same_result_at_every_level() {
    let dir = std::path::Path::new(WORKLOADS);
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        eprintln!("skipping: {WORKLOADS} is absent");
        return;
    };
    let manifest: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let read = |p: std::path::PathBuf| -> Value {
        std::fs::read_to_string(&p)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| panic!("{}", p.display()))
    };
    for name in manifest.as_object().into_iter().flatten().map(|(k, _)| k) {
        let def = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap_or_default();
        let machine = stepwise_asl::parse(&def)
            .machine
            .unwrap_or_else(|| panic!("{name}"));
        let input = read(dir.join("inputs").join(format!("{name}.json")));
        let mut scenario = Scenario::default();
        for (state, spec) in read(dir.join("mocks").join(format!("{name}.json")))
            .as_object()
            .into_iter()
            .flatten()
        {
            let outcome = stepwise_engine::PlannedOutcome::from_json(spec)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            scenario.tasks.insert(
                state.clone().to_string(),
                stepwise_engine::TaskPlan::always(outcome),
            );
        }
        // With AWS's limits (two workloads then fail on the history limit) and without.
        check(name, &machine, &input, &scenario);
        scenario.max_history_events = None;
        scenario.max_payload_bytes = None;
        check(name, &machine, &input, &scenario);
    }
}

#[test]
fn limits_and_service_ids_agree_at_every_level() {
    // Default (unmocked) `.sync` / callback tasks draw ids for their TaskSubmitted output; a
    // later `States.UUID`-free id (the token in the context) shows that the draws match.
    let def = json!({
        "StartAt": "Submit",
        "States": {
            "Submit": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
                       "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"},
                       "ResultPath": "$.job", "Next": "Notify"},
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                       "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:1:t.fifo",
                                      "Message": {"token.$": "$$.Task.Token"}},
                       "ResultPath": "$.notify", "Next": "Send"},
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                     "Parameters": {"QueueUrl": "https://sqs/q", "MessageBody": {"t.$": "$$.Task.Token"}},
                     "ResultPath": "$.sent", "Next": "Loop"},
            "Loop": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                     "ResultPath": "$.counter", "Next": "Check"},
            "Check": {"Type": "Choice",
                      "Choices": [{"Variable": "$.counter.n", "NumericLessThan": 3, "Next": "Fail"}],
                      "Default": "Done"},
            "Fail": {"Type": "Fail", "Error": "E", "Cause": "c"},
            "Done": {"Type": "Succeed"}
        }
    });
    let machine = stepwise_asl::parse_value(&def)
        .machine
        .unwrap_or_else(|| panic!("does not parse"));
    for input in [json!({"n": 1}), json!({"n": 5})] {
        for history in [Some(25_000), Some(9), Some(3)] {
            for payload in [Some(262_144), Some(40)] {
                let scenario = Scenario {
                    max_history_events: history,
                    max_payload_bytes: payload,
                    ..Scenario::default()
                };
                check(
                    &format!("{input} {history:?} {payload:?}"),
                    &machine,
                    &input,
                    &scenario,
                );
            }
        }
    }
}
