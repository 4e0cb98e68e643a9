//! Error presets per integration: the error names in tests/data/services/presets.json, then the
//! cause formats AWS uses (job detail JSON, Lambda error JSON, Java SDK v1 suffix).

use stepwise_asl::json::{Value, json};
use stepwise_engine::outcome::Outcome;
use stepwise_engine::services::{
    CallContext, IdGen, classify, presets, presets_with, submitted_before,
};

const TABLE: &str = include_str!("data/services/presets.json");

#[test]
fn preset_error_names() {
    let rows: Vec<Value> = serde_json::from_str(TABLE).expect("presets.json is valid JSON");
    let mut failures = Vec::new();
    for row in &rows {
        let arn = row["arn"].as_str().expect("arn");
        let info = classify(arn);
        let got: Vec<String> = presets(&info).into_iter().map(|p| p.error).collect();
        let expected: Vec<String> = row["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e.as_str().expect("error name").to_string())
            .collect();
        if got != expected {
            failures.push(format!("{arn}: got {got:?}\n  expected {expected:?}"));
        }
        for p in presets(&info) {
            if p.label.is_empty() || p.description.is_empty() {
                failures.push(format!(
                    "{arn}: preset {} lacks a label or description",
                    p.error
                ));
            }
            let is_timeout = p.outcome() == Outcome::TimeOut;
            if is_timeout != (p.error == "States.Timeout") || (is_timeout && !p.cause.is_empty()) {
                failures.push(format!("{arn}: preset {} time-out mismatch", p.error));
            }
        }
        // Deterministic.
        if presets(&info) != presets(&info) {
            failures.push(format!("{arn}: presets not deterministic"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cause_json(cause: &str) -> Value {
    serde_json::from_str(cause).unwrap_or_else(|e| panic!("cause is not JSON ({e}): {cause}"))
}

#[test]
fn preset_cause_formats() {
    let ctx = CallContext {
        duration_ms: 60_000,
        ..CallContext::default()
    };
    let input = json!({"JobName": "BatchJobNotification", "JobQueue": "arn:aws:batch:us-west-2:123456789012:job-queue/Q", "JobDefinition": "arn:aws:batch:us-west-2:123456789012:job-definition/D:1"});
    let batch = presets_with(
        &classify("arn:aws:states:::batch:submitJob.sync"),
        &input,
        &mut IdGen::new(3),
        &ctx,
    );
    let failed = batch.first().expect("a job failure preset");
    let detail = cause_json(&failed.cause);
    assert_eq!(detail["Status"], "FAILED");
    assert_eq!(detail["StatusReason"], "Essential container in task exited");
    assert_eq!(detail["Container"]["ExitCode"], 1);
    assert_eq!(detail["Attempts"][0]["Container"]["ExitCode"], 1);
    assert_eq!(detail["JobName"], "BatchJobNotification");
    assert_eq!(
        detail["JobQueue"],
        "arn:aws:batch:us-west-2:123456789012:job-queue/Q"
    );
    assert!(failed.after_submit);
    let timed_out = cause_json(&batch[1].cause);
    assert_eq!(
        timed_out["StatusReason"],
        "Job attempt duration exceeded timeout"
    );

    let v1_suffix = |cause: &str, service: &str| {
        cause.contains(&format!("(Service: {service}; Status Code: "))
            && cause.contains("; Error Code: ")
            && cause.contains("; Request ID: ")
            && cause.ends_with("; Proxy: null)")
    };
    for p in batch.iter().filter(|p| p.error.starts_with("Batch.")) {
        assert!(v1_suffix(&p.cause, "AWSBatch"), "{}: {}", p.error, p.cause);
        assert!(!p.after_submit, "{}", p.error);
    }
    assert!(
        batch[2]
            .cause
            .starts_with("Job Queue arn:aws:batch:us-west-2:123456789012:job-queue/Q not found.")
    );

    let sns = presets(&classify("arn:aws:states:::sns:publish"));
    for p in sns.iter().filter(|p| p.error.starts_with("SNS.")) {
        assert!(v1_suffix(&p.cause, "AmazonSNS"), "{}: {}", p.error, p.cause);
        assert!(p.error.ends_with("Exception"), "{}", p.error);
    }
    assert!(sns[0].cause.starts_with(
        "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound;"
    ));

    let lambda = presets_with(
        &classify("arn:aws:states:::lambda:invoke"),
        &json!({"FunctionName": "my-fn"}),
        &mut IdGen::new(5),
        &ctx,
    );
    for p in lambda.iter().take(2) {
        let c = cause_json(&p.cause);
        let keys: Vec<&str> = c
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            ["errorMessage", "errorType", "requestId", "stackTrace"]
        );
        assert_eq!(c["errorType"], p.error.as_str());
    }
    assert!(lambda[2].cause.starts_with("The cause could not be determined because Lambda did not return an error type. Returned payload: "));
    let not_found = lambda
        .iter()
        .find(|p| p.error == "Lambda.ResourceNotFoundException")
        .expect("preset");
    assert!(not_found.cause.starts_with("Function not found: arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST (Service: AWSLambda; Status Code: 404;"), "{}", not_found.cause);
    for p in lambda.iter().filter(|p| {
        p.error.starts_with("Lambda.")
            && p.error != "Lambda.Unknown"
            && p.error != "Lambda.SdkClientException"
    }) {
        assert!(v1_suffix(&p.cause, "AWSLambda"), "{}: {}", p.error, p.cause);
    }
}

#[test]
fn submitted_before_rules() {
    let throw = |e: &str| Outcome::throw(e, "c");
    let rows: [(&str, Outcome, bool); 10] = [
        (
            "arn:aws:states:::batch:submitJob.sync",
            throw("States.TaskFailed"),
            true,
        ),
        (
            "arn:aws:states:::batch:submitJob.sync",
            throw("Batch.ServerException"),
            false,
        ),
        (
            "arn:aws:states:::batch:submitJob.sync",
            Outcome::TimeOut,
            true,
        ),
        (
            "arn:aws:states:::batch:submitJob.sync",
            Outcome::Return(json!({})),
            true,
        ),
        (
            "arn:aws:states:::batch:submitJob",
            Outcome::Return(json!({})),
            false,
        ),
        (
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            throw("Failure error"),
            true,
        ),
        (
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            throw("SQS.SdkClientException"),
            false,
        ),
        (
            "arn:aws:states:::states:startExecution.sync",
            throw("StepFunctions.StateMachineDoesNotExistException"),
            false,
        ),
        (
            "arn:aws:lambda:us-east-1:1:function:f",
            throw("Exception"),
            false,
        ),
        (
            "arn:aws:states:us-east-1:1:activity:a",
            Outcome::TimeOut,
            false,
        ),
    ];
    for (arn, outcome, expected) in rows {
        assert_eq!(
            submitted_before(&classify(arn), &outcome),
            expected,
            "{arn} {outcome:?}"
        );
    }
}
