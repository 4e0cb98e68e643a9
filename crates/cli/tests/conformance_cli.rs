//! `stepwise conformance`: failing cases one per line, then exactly two summary lines.

use std::process::Command;

#[test]
fn conformance_prints_failures_then_two_summary_lines() {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-conf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let cases = dir.join("cases.jsonl");
    let pass = stepwise_asl::json::json!({
        "id": "pass", "category": "service_free", "features": ["pass"],
        "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}},
        "input": {}, "expected": {"status": "SUCCEEDED", "output": 1, "events": null}, "meta": {}
    });
    let fail = stepwise_asl::json::json!({
        "id": "wrong", "category": "service_free", "features": ["pass"],
        "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}},
        "input": {}, "expected": {"status": "SUCCEEDED", "output": 1, "events": null}, "meta": {}
    });
    let skip = stepwise_asl::json::json!({
        "id": "jsonata", "category": "service_free", "features": ["jsonata"],
        "definition": {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "input": {}, "expected": {"status": "SUCCEEDED", "output": {}, "events": null}, "meta": {}
    });
    std::fs::write(&cases, format!("{pass}\n{fail}\n{skip}\n")).unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(["conformance", &cases.display().to_string()])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("wrong"), "{text}");
    assert_eq!(lines[1], "result: 1 passed, 1 failed, 1 skipped");
    assert_eq!(lines[2], "history: 0 passed, 0 failed, 3 skipped");

    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(["conformance", "/nonexistent/cases.jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}
