//! Default service results: the table in tests/data/services/defaults.json (values at JSON
//! pointers), determinism, and the shapes AWS recorded in the conformance corpus (key order of
//! the response and of its HTTP header maps).

use stepwise_asl::json::Value;
use stepwise_engine::services::{
    CallContext, IdGen, classify, default_duration_ms, default_submitted, default_success,
};

const TABLE: &str = include_str!("data/services/defaults.json");
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

fn ctx(duration_ms: u64) -> CallContext {
    CallContext {
        duration_ms,
        ..CallContext::default()
    }
}

#[test]
fn default_success_table() {
    let rows: Vec<Value> = serde_json::from_str(TABLE).expect("defaults.json is valid JSON");
    let mut failures = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let arn = row["arn"].as_str().expect("arn");
        let info = classify(arn);
        let input = &row["input"];
        let c = ctx(row["durationMs"].as_u64().expect("durationMs"));
        let out = default_success(&info, input, &mut IdGen::new(42), &c);
        // Same seed → same value; another seed → other ids (when there are ids).
        let again = default_success(&info, input, &mut IdGen::new(42), &c);
        if out != again {
            failures.push(format!("row {i} {arn}: not deterministic"));
        }
        for (ptr, expected) in row["checks"].as_object().into_iter().flatten() {
            match out.pointer(ptr) {
                Some(v) if v == expected => {}
                other => failures.push(format!(
                    "row {i} {arn}: {ptr} = {other:?}, expected {expected}"
                )),
            }
        }
        for (ptr, prefix) in row["prefixes"].as_object().into_iter().flatten() {
            let prefix = prefix.as_str().expect("prefix string");
            match out.pointer(ptr).and_then(Value::as_str) {
                Some(s) if s.starts_with(prefix) && s.len() > prefix.len() => {}
                other => failures.push(format!(
                    "row {i} {arn}: {ptr} = {other:?}, expected a string starting with {prefix:?}"
                )),
            }
        }
        for ptr in row["absent"].as_array().into_iter().flatten() {
            let ptr = ptr.as_str().expect("pointer");
            if out.pointer(ptr).is_some() {
                failures.push(format!("row {i} {arn}: {ptr} should be absent"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ids_differ_between_calls_and_seeds() {
    let info = classify("arn:aws:states:::sns:publish");
    let input =
        stepwise_asl::json::json!({"Message": "m", "TopicArn": "arn:aws:sns:us-east-1:1:T"});
    let mut ids = IdGen::new(1);
    let a = default_success(&info, &input, &mut ids, &ctx(50));
    let b = default_success(&info, &input, &mut ids, &ctx(50));
    let c = default_success(&info, &input, &mut IdGen::new(2), &ctx(50));
    assert_ne!(a["MessageId"], b["MessageId"]);
    assert_ne!(a["MessageId"], c["MessageId"]);
    assert_eq!(
        a["SdkResponseMetadata"]["RequestId"],
        a["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    );
}

#[test]
fn durations_and_submitted_outputs() {
    let rows: [(&str, u64, Option<&str>); 9] = [
        (
            "arn:aws:states:::batch:submitJob.sync",
            120_000,
            Some("/JobId"),
        ),
        ("arn:aws:states:::batch:submitJob", 300, None),
        ("arn:aws:states:::sns:publish", 50, None),
        (
            "arn:aws:states:::sns:publish.waitForTaskToken",
            1_000,
            Some("/MessageId"),
        ),
        ("arn:aws:states:::lambda:invoke", 200, None),
        ("arn:aws:lambda:us-east-1:1:function:f", 200, None),
        ("arn:aws:states:us-east-1:1:activity:a", 1_000, None),
        (
            "arn:aws:states:::states:startExecution.sync",
            1_000,
            Some("/ExecutionArn"),
        ),
        ("arn:aws:states:::aws-sdk:s3:getObject", 100, None),
    ];
    for (arn, ms, submitted_ptr) in rows {
        let info = classify(arn);
        assert_eq!(default_duration_ms(&info), ms, "{arn}");
        let sub = default_submitted(
            &info,
            &stepwise_asl::json::json!({}),
            &mut IdGen::new(0),
            &ctx(ms),
        );
        match submitted_ptr {
            Some(ptr) => {
                let sub = sub.unwrap_or_else(|| panic!("{arn}: expected a TaskSubmitted output"));
                assert!(sub.pointer(ptr).is_some(), "{arn}: {ptr} missing in {sub}");
                assert_eq!(sub["SdkHttpMetadata"]["HttpStatusCode"], 200, "{arn}");
            }
            None => assert!(sub.is_none(), "{arn}: unexpected TaskSubmitted output"),
        }
    }
}

fn header_keys(v: &Value, map: &str) -> Vec<String> {
    v["SdkHttpMetadata"][map]
        .as_object()
        .map(|m| m.keys().map(|k| k.to_string()).collect())
        .unwrap_or_default()
}

fn top_keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().map(|k| k.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn shapes_match_corpus_recordings() {
    let Ok(text) = std::fs::read_to_string(CORPUS) else {
        eprintln!("skipping: conformance corpus not found at {CORPUS}");
        return;
    };
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let id = case["id"].as_str().unwrap_or("?");
        let Some(events) = case["expected"]["events"].as_array() else {
            continue;
        };
        let mut params: Option<(String, String, Value)> = None;
        for e in events {
            match e["type"].as_str().unwrap_or_default() {
                "TaskScheduled" => {
                    let d = &e["taskScheduledEventDetails"];
                    params = Some((
                        d["resourceType"].as_str().unwrap_or_default().to_string(),
                        d["resource"].as_str().unwrap_or_default().to_string(),
                        d["parameters"].clone(),
                    ));
                }
                ty @ ("TaskSucceeded" | "TaskSubmitted") => {
                    let key = if ty == "TaskSucceeded" {
                        "taskSucceededEventDetails"
                    } else {
                        "taskSubmittedEventDetails"
                    };
                    let recorded = &e[key]["output"];
                    if recorded.get("SdkHttpMetadata").is_none() {
                        continue;
                    }
                    let Some((rt, res, p)) = &params else {
                        continue;
                    };
                    let arn = format!("arn:aws:states:::{rt}:{res}");
                    let info = classify(&arn);
                    let ours = if ty == "TaskSucceeded" {
                        default_success(&info, p, &mut IdGen::new(9), &ctx(100))
                    } else {
                        match default_submitted(&info, p, &mut IdGen::new(9), &ctx(100)) {
                            Some(v) => v,
                            None => {
                                failures.push(format!("{id}: {arn}: no TaskSubmitted output"));
                                continue;
                            }
                        }
                    };
                    checked += 1;
                    for (what, a, b) in [
                        ("keys", top_keys(&ours), top_keys(recorded)),
                        (
                            "AllHttpHeaders",
                            header_keys(&ours, "AllHttpHeaders"),
                            header_keys(recorded, "AllHttpHeaders"),
                        ),
                        (
                            "HttpHeaders",
                            header_keys(&ours, "HttpHeaders"),
                            header_keys(recorded, "HttpHeaders"),
                        ),
                    ] {
                        if a != b {
                            failures
                                .push(format!("{id}: {arn} {ty} {what}: ours {a:?}, AWS {b:?}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    eprintln!("checked {checked} recorded outputs");
    assert!(checked >= 20, "too few recorded outputs checked: {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn submitted_output_matches_the_outcome() {
    use stepwise_engine::outcome::Outcome;
    use stepwise_engine::services::{default_submitted_for, presets_with};
    let info = classify("arn:aws:states:::batch:submitJob.sync");
    let input = stepwise_asl::json::json!({"JobName": "n", "JobQueue": "q", "JobDefinition": "d"});
    let c = ctx(60_000);
    let mut ids = IdGen::new(11);
    let result = default_success(&info, &input, &mut ids, &c);
    let sub = default_submitted_for(
        &info,
        &input,
        &Outcome::Return(result.clone()),
        &mut ids,
        &c,
    )
    .expect("submitted");
    assert_eq!(sub["JobId"], result["JobId"]);
    assert_eq!(sub["JobArn"], result["JobArn"]);
    assert_eq!(sub["JobName"], "n");
    // A job failure: the ids come from the cause's job detail.
    let failed = presets_with(&info, &input, &mut ids, &c)
        .remove(0)
        .outcome();
    let Outcome::Throw { cause, .. } = &failed else {
        panic!("throw expected")
    };
    let detail: Value = serde_json::from_str(cause).expect("cause JSON");
    let sub = default_submitted_for(&info, &input, &failed, &mut ids, &c).expect("submitted");
    assert_eq!(sub["JobId"], detail["JobId"]);
    // A user Return without JobArn: the ARN is rebuilt around the given JobId.
    let user =
        Outcome::Return(stepwise_asl::json::json!({"JobId": "job-1", "Status": "SUCCEEDED"}));
    let sub = default_submitted_for(&info, &input, &user, &mut ids, &c).expect("submitted");
    assert_eq!(sub["JobId"], "job-1");
    assert!(
        sub["JobArn"]
            .as_str()
            .is_some_and(|a| a.ends_with(":job/job-1")),
        "{sub}"
    );
    // Request Response tasks have no TaskSubmitted.
    let rr = classify("arn:aws:states:::batch:submitJob");
    assert!(default_submitted_for(&rr, &input, &user, &mut ids, &c).is_none());
}

#[test]
fn wrap_and_describe() {
    use stepwise_engine::services::{describe_integration, wrap_function_result};
    let input = stepwise_asl::json::json!({"FunctionName": "f"});
    let c = ctx(200);
    let result = stepwise_asl::json::json!({"batch_input": {"a": 1}});
    let rows: [(&str, Option<&str>, &str); 5] = [
        (
            "arn:aws:states:::lambda:invoke",
            Some("/Payload/batch_input"),
            "under $.Payload",
        ),
        (
            "arn:aws:lambda:us-east-1:1:function:f",
            Some("/batch_input"),
            "LambdaFunctionScheduled",
        ),
        (
            "arn:aws:states:::batch:submitJob.sync",
            Some("/batch_input"),
            "TaskSubmitted",
        ),
        (
            "arn:aws:states:::sns:publish",
            Some("/batch_input"),
            "resource \"publish\"",
        ),
        (
            "arn:aws:states:::dynamodb:query",
            Some("/batch_input"),
            "Note: The resource provided",
        ),
    ];
    for (arn, ptr, phrase) in rows {
        let info = classify(arn);
        let wrapped = wrap_function_result(&info, &input, result.clone(), &mut IdGen::new(1), &c);
        if let Some(ptr) = ptr {
            assert_eq!(
                wrapped.pointer(ptr),
                Some(&stepwise_asl::json::json!({"a": 1})),
                "{arn}"
            );
        }
        let text = describe_integration(&info);
        assert!(text.contains(phrase), "{arn}: {text}");
    }
}
