//! `stepwise check`: output format and exit codes.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("check")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run stepwise: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p.to_string_lossy().into_owned()
}

#[test]
fn exit_codes_and_formats() {
    let dir = std::env::temp_dir().join(format!("stepwise-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let valid = write(
        &dir,
        "ok.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
    );
    let invalid = write(
        &dir,
        "bad.json",
        "{\"StartAt\":\"A\",\n \"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}",
    );
    let broken = write(&dir, "broken.json", "{\"StartAt\": }");
    let missing = dir.join("absent.json").to_string_lossy().into_owned();

    let (code, out) = run(&[&valid]);
    assert_eq!((code, out.as_str()), (0, ""));

    let (code, out) = run(&[&invalid]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "{invalid}:2:38: error[MISSING_TRANSITION_TARGET]: Missing 'Next' target: B (at /States/A/Next)"
        )),
        "{out}"
    );

    let (code, out) = run(&[&invalid, "--format", "json"]);
    assert_eq!(code, 1);
    let json: stepwise_asl::json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(json[0]["code"], "MISSING_TRANSITION_TARGET", "{out}");
    assert_eq!(json[0]["span"]["start"]["line"], 2, "{out}");

    let (code, out) = run(&[&broken, "--format=text"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(&format!("{broken}:1:13: error[INVALID_JSON_DESCRIPTION]")),
        "{out}"
    );

    assert_eq!(run(&[&missing]).0, 2);
    assert_eq!(run(&[]).0, 2);
    assert_eq!(run(&[&valid, "--format", "xml"]).0, 2);
    assert_eq!(run(&[&valid, "--bogus"]).0, 2);

    let express = write(
        &dir,
        "express.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","End":true}}}"#,
    );
    assert_eq!(run(&[&express]).0, 0);
    assert_eq!(run(&[&express, "--type", "express"]).0, 1);
    let _ = std::fs::remove_dir_all(&dir);
}
