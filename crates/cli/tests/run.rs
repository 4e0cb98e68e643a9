//! `stepwise run`: JSON and text output, scenario and mock-config inputs, bad input → exit 2.

use std::path::PathBuf;
use std::process::Command;

use stepwise_asl::json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-run-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

const DEFINITION: &str = r#"{
  "StartAt": "Call",
  "States": {
    "Call": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f", "Payload.$": "$"},
      "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "MaxAttempts": 1}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
      "ResultSelector": {"value.$": "$.Payload"},
      "End": true
    },
    "Handle": {"Type": "Pass", "End": true}
  }
}"#;

#[test]
fn run_forms() {
    let dir = temp_dir("forms");
    let def = dir.join("def.json");
    let input = dir.join("input.json");
    let scenario = dir.join("scenario.json");
    let mock = dir.join("mock.json");
    let bad = dir.join("bad.json");
    std::fs::write(&def, DEFINITION).unwrap_or_default();
    std::fs::write(&input, r#"{"x": 1}"#).unwrap_or_default();
    std::fs::write(
        &scenario,
        r#"{"tasks": {"Call": {"0-1": {"throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}}"#,
    )
    .unwrap_or_default();
    std::fs::write(
        &mock,
        r#"{"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"Payload": 7}}}}}"#,
    )
    .unwrap_or_default();
    std::fs::write(&bad, r#"{"StartAt": "Nope", "States": {}}"#).unwrap_or_default();
    let p = |p: &PathBuf| p.display().to_string();

    // (args, expected exit code, expected status, expected output / error)
    let table: Vec<(Vec<String>, i32, &str, Value)> = vec![
        (
            vec![p(&def), "--input".into(), p(&input)],
            0,
            "SUCCEEDED",
            stepwise_asl::json::json!({"value": {"x": 1}}),
        ),
        (
            vec![p(&def), "--scenario".into(), p(&scenario)],
            0,
            "SUCCEEDED",
            stepwise_asl::json::json!({"Error": "Lambda.ServiceException", "Cause": "down"}),
        ),
        (
            vec![
                p(&def),
                "--mock-config".into(),
                p(&mock),
                "--test-case".into(),
                "T".into(),
            ],
            0,
            "SUCCEEDED",
            stepwise_asl::json::json!({"value": 7}),
        ),
    ];
    for (args, code, status, output) in table {
        let out = bin()
            .arg("run")
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert_eq!(v["status"], status, "{args:?}");
        assert_eq!(v["output"], output, "{args:?}");
        let events = v["events"].as_array().map(Vec::len).unwrap_or(0);
        assert!(events >= 6, "{args:?}: {events} events");
        assert_eq!(v["events"][0]["type"], "ExecutionStarted");
    }

    // Text timeline.
    let out = bin()
        .args([
            "run",
            &p(&def),
            "--scenario",
            &p(&scenario),
            "--format",
            "text",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    for needle in [
        "TaskFailed",
        "Retrier #1 matches Lambda.ServiceException",
        "Catcher #1",
        "status: SUCCEEDED",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }

    // Bad input: diagnostics on stderr, exit 2.
    for args in [
        vec!["run".to_string(), p(&bad)],
        vec!["run".to_string(), p(&dir.join("missing.json"))],
        vec!["run".to_string(), p(&def), "--format".into(), "yaml".into()],
        vec!["run".to_string(), p(&def), "--mock-config".into(), p(&mock)],
    ] {
        let out = bin().args(&args).output().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}: no diagnostics");
        assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    }
}

/// A `.stepwise.json` file (the share-link envelope) carries the definition, the input and the
/// outcomes: `run --scenario FILE` needs nothing else, and DEFINITION / --input override it.
#[test]
fn run_a_stepwise_json_file() {
    let dir = temp_dir("envelope");
    let file = dir.join("fails-twice.stepwise.json");
    let envelope = stepwise_asl::json::json!({
        "stepwise": 1,
        "definition": DEFINITION,
        "input": "{\"x\": 1}",
        "outcomes": {"Call": [
            {"throw": {"Error": "Lambda.ServiceException", "Cause": "boom"}},
            {"throw": {"Error": "Lambda.ServiceException", "Cause": "boom again"}}
        ]}
    });
    std::fs::write(&file, envelope.to_string()).unwrap();
    let out = bin()
        .args(["run", "--scenario"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "SUCCEEDED");
    // Both attempts failed, so the Catch sent the error output to Handle.
    assert_eq!(json["output"]["Error"], "Lambda.ServiceException");
    assert_eq!(json["output"]["Cause"], "boom again");
    let entered: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "PassStateEntered")
        .map(|e| e["stateEnteredEventDetails"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(entered, ["Handle"]);

    // Without a definition in the file and none on the command line: usage, exit 2.
    let bare = dir.join("bare.stepwise.json");
    std::fs::write(&bare, r#"{"stepwise": 1}"#).unwrap();
    let out = bin()
        .args(["run", "--scenario"])
        .arg(&bare)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
