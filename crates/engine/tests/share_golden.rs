//! Golden links: every link in `tests/fixtures/links/` (made by a released link format) must
//! decode forever to what its `.expect.json` says. A format change adds files, never edits them.
//!
//! `cargo test -p stepwise-engine --test share_golden -- --ignored` writes the links this version
//! would add (only files that do not exist yet; it never rewrites one). It needs
//! `shared/samples/` for the sample definitions, which are inlined into the links.

use std::path::{Path, PathBuf};

use stepwise_asl::json::{Map, Value, json};
use stepwise_engine::outcome::{Outcome, PlannedOutcome};
use stepwise_engine::services::{
    CallContext, IdGen, classify, lambda::invoke_response_with_payload, presets,
};
use stepwise_engine::share::{self, EditorTab, Envelope, StepBy};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/links")
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples")
}

const SAMPLES: [&str; 4] = [
    "batch-retry-catch-notify",
    "batch-catch-notify",
    "batch-with-lambda",
    "batch-fan-out-map",
];

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_link(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .to_string()
}

/// Every `*.link` file with its `*.expect.json`, sorted by name.
fn golden_files() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = fixtures();
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if let Some(stem) = name.strip_suffix(".link") {
            out.push((
                stem.to_string(),
                path.clone(),
                dir.join(format!("{stem}.expect.json")),
            ));
        } else if let Some(stem) = name.strip_suffix(".expect.json") {
            assert!(
                dir.join(format!("{stem}.link")).exists(),
                "{name} has no {stem}.link"
            );
        } else {
            assert_eq!(name, "README.md", "unexpected file in {}", dir.display());
        }
    }
    out.sort();
    out
}

#[test]
fn golden_links_decode_forever() {
    let files = golden_files();
    assert!(files.len() >= 9, "{} golden links", files.len());
    for (name, link_path, expect_path) in files {
        let link = read_link(&link_path);
        let expect = read_json(&expect_path);
        let env = share::decode(&link).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got = env.to_json();
        if let Some(def) = expect.get("definition") {
            check_definition(&name, &env, def);
            if let Some(map) = got.as_object_mut() {
                map.shift_remove("definition");
            }
        }
        assert_eq!(Some(&got), expect.get("fields"), "{name}");
        // Re-sharing what was opened opens the same scenario again.
        let again = share::encode(&env).map_err(|e| e.to_string());
        assert_eq!(
            again.as_deref().map(share::decode),
            Ok(Ok(env.clone())),
            "{name}"
        );
        if expect.get("definitionParses") == Some(&Value::Bool(true)) {
            let parsed = stepwise_asl::parse(env.definition_text().unwrap_or(""));
            let errors: Vec<_> = parsed.errors().map(|d| d.message.clone()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
        }
        if expect.get("cursorInMiddle") == Some(&Value::Bool(true)) {
            check_cursor_in_middle(&name, &env);
        }
    }
}

/// The inlined definition: length and checksum as recorded, identical to the shared sample when
/// that folder is present, and a valid state machine.
fn check_definition(name: &str, env: &Envelope, expect: &Value) {
    let text = env
        .definition_text()
        .unwrap_or_else(|| panic!("{name}: no definition"));
    assert_eq!(Some(text.len() as u64), expect["bytes"].as_u64(), "{name}");
    assert_eq!(
        Some(format!("{:08x}", share::crc32(text.as_bytes())).as_str()),
        expect["crc32"].as_str(),
        "{name}"
    );
    let parsed = stepwise_asl::parse(text);
    let errors: Vec<_> = parsed.errors().map(|d| d.message.clone()).collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    for state in env.outcomes.keys() {
        assert!(
            text.contains(&format!("\"{state}\"")),
            "{name}: no state {state}"
        );
    }
    if let Some(sample) = expect["sample"].as_str() {
        let path = samples_dir().join(format!("{sample}.asl.json"));
        match std::fs::read_to_string(&path) {
            Ok(original) => assert_eq!(text, original, "{name}: differs from {}", path.display()),
            Err(_) => println!("{name}: {} absent, not compared", path.display()),
        }
    }
}

fn check_cursor_in_middle(name: &str, env: &Envelope) {
    let parsed = stepwise_asl::parse(env.definition_text().unwrap_or(""));
    let Some(machine) = parsed.machine else {
        panic!("{name}: definition does not parse");
    };
    let input: Value =
        serde_json::from_str(env.input_text()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = env.scenario().unwrap_or_else(|e| panic!("{name}: {e}"));
    let trace = stepwise_engine::simulate(&machine, &input, &scenario);
    let cursor = env.cursor.unwrap_or(0);
    assert!(
        0 < cursor && cursor < trace.events.len(),
        "{name}: cursor {cursor} of {} events",
        trace.events.len()
    );
}

#[test]
fn sample_links_stay_under_the_chat_limit() {
    for sample in SAMPLES {
        let path = fixtures().join(format!("v1-sample-{sample}.link"));
        let link = read_link(&path);
        let env = share::decode(&link).unwrap_or_else(|e| panic!("{sample}: {e}"));
        let failures = env
            .outcomes
            .values()
            .flatten()
            .flatten()
            .filter(|o| !o.outcome.is_success())
            .count();
        println!(
            "{sample}: {} characters, {failures} injected failure(s), cursor {:?}",
            link.len(),
            env.cursor
        );
        let mut heavy = env.clone();
        for planned in heavy.outcomes.values_mut().flatten().flatten() {
            if let Outcome::Return(v) = &planned.outcome
                && let Some(payload) = v.get("Payload")
            {
                *planned = lambda_returns_with_metadata(payload.clone());
            }
        }
        if heavy != env {
            let heavy_len = share::encode(&heavy).map(|l| l.len()).unwrap_or(0);
            println!("  with the SDK's HTTP metadata in Lambda results: {heavy_len} characters");
        }
        assert!(failures > 0, "{sample}: no injected failure");
        assert!(
            link.len() < share::CHAT_LIMIT,
            "{sample}: {} characters",
            link.len()
        );
    }
}

// ---- writing new golden links (ignored: run by hand when a format is released) --------------

fn preset(resource: &str, error: &str) -> PlannedOutcome {
    let found = presets(&classify(resource))
        .into_iter()
        .find(|p| p.error == error && !p.timeout);
    let Some(p) = found else {
        panic!("no {error} preset for {resource}");
    };
    PlannedOutcome::new(p.outcome())
}

const BATCH: &str = "arn:aws:states:::batch:submitJob.sync";
/// A `lambda:invoke` result as a user types it: the documented response fields without the
/// SDK's HTTP metadata (whose random ids and dates add ~700 incompressible characters).
fn lambda_returns(payload: Value) -> PlannedOutcome {
    PlannedOutcome::new(Outcome::Return(
        json!({"ExecutedVersion": "$LATEST", "Payload": payload, "StatusCode": 200}),
    ))
}

/// The same result with the SDK metadata the engine generates (for the length report).
fn lambda_returns_with_metadata(payload: Value) -> PlannedOutcome {
    let input = json!({"FunctionName": "<GENERATE_BATCH_JOB_INPUT_LAMBDA_FUNCTION_NAME>"});
    let response =
        invoke_response_with_payload(&input, payload, &mut IdGen::new(1), &CallContext::default());
    PlannedOutcome::new(Outcome::Return(response))
}

/// The four sample presets: realistic failures injected, selected state, cursor set later.
fn sample_envelope(sample: &str, definition: String) -> Envelope {
    let mut env = Envelope {
        sample: Some(sample.into()),
        definition: Some(definition),
        input: Some("{}\n".into()),
        selected: Some("Submit Batch Job".into()),
        view: share::View {
            step_by: Some(StepBy::Event),
            tab: Some(EditorTab::Definition),
            ..share::View::default()
        },
        ..Envelope::default()
    };
    let job = "Submit Batch Job";
    match sample {
        "batch-retry-catch-notify" => {
            env.set_outcome(job, 0, Some(preset(BATCH, "Batch.ServerException")));
            env.set_outcome(job, 1, Some(preset(BATCH, "States.TaskFailed")));
            env.set_outcome(job, 2, Some(preset(BATCH, "States.TaskFailed")));
        }
        "batch-catch-notify" => env.set_outcome(job, 0, Some(preset(BATCH, "States.TaskFailed"))),
        "batch-with-lambda" => {
            // The function returns `batch_input`, but lambda:invoke wraps it in `Payload`:
            // `OutputPath: $.batch_input` fails (the sample's teaching point).
            env.set_outcome(
                "Generate batch job input",
                0,
                Some(lambda_returns(
                    json!({"batch_input": {"JobParam": "value"}}),
                )),
            );
            env.set_outcome(job, 0, Some(preset(BATCH, "States.TaskFailed")));
            env.selected = Some("Generate batch job input".into());
        }
        "batch-fan-out-map" => {
            env.set_outcome(
                "Generate batch job input",
                0,
                Some(lambda_returns(json!([1, 2, 3]))),
            );
            env.set_outcome(job, 1, Some(preset(BATCH, "States.TaskFailed")));
            env.view.step_by = Some(StepBy::State);
        }
        other => panic!("unknown sample {other}"),
    }
    env
}

fn middle_cursor(env: &Envelope) -> usize {
    let parsed = stepwise_asl::parse(env.definition_text().unwrap_or(""));
    let Some(machine) = parsed.machine else {
        panic!("sample does not parse");
    };
    let scenario = env.scenario().unwrap_or_else(|e| panic!("{e}"));
    stepwise_engine::simulate(&machine, &json!({}), &scenario)
        .events
        .len()
        / 2
}

const HTML: &str = r#"{
  "Comment": "<script>alert('comment')</script> \"><img src=x onerror=alert(1)>",
  "StartAt": "<script>alert(1)</script>",
  "States": {
    "<script>alert(1)</script>": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:111111111111:t", "Message": "</textarea><b>hi</b>"},
      "Next": "\"><img src=x onerror=alert(1)>"
    },
    "\"><img src=x onerror=alert(1)>": {
      "Type": "Pass",
      "Comment": "<!-- --> & &amp; <style>*{display:none}</style>",
      "Result": {"html": "<iframe src=javascript:alert(1)>", "<key>": "\u2028\u2029"},
      "End": true
    }
  }
}
"#;

const UNICODE: &str = "{\n  \"Comment\": \"Ünïcödé: 日本語, عربي, emoji 🦀👩‍💻, combining e\u{301}, zero-width \u{200b}\",\n  \"StartAt\": \"Étape 1 ✓\",\n  \"States\": {\n    \"Étape 1 ✓\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Parameters\": {\"FunctionName\": \"f\"}, \"Next\": \"日本語の状態\"},\n    \"日本語の状態\": {\"Type\": \"Pass\", \"Result\": \"مرحبا 🦀\", \"End\": true}\n  }\n}\n";

/// Name and envelope JSON (written as the link's payload as is, unknown keys included).
fn edge_cases() -> Vec<(&'static str, Value)> {
    vec![
        ("v1-minimal", json!({"stepwise": 1})),
        (
            "v1-html-in-names",
            json!({
                "stepwise": 1,
                "definition": HTML,
                "input": "{\"x\": \"<script>alert(2)</script>\"}",
                "outcomes": {
                    "<script>alert(1)</script>": [
                        {"throw": {"Error": "<b>Err</b>", "Cause": "\"><img src=x onerror=alert(3)>"}},
                        {"return": {"MessageId": "<script>alert(4)</script>"}}
                    ]
                },
                "cursor": 4,
                "selected": "\"><img src=x onerror=alert(1)>"
            }),
        ),
        (
            "v1-unicode",
            json!({
                "stepwise": 1,
                "definition": UNICODE,
                "input": "{\"name\": \"Zoë 🦀\", \"rtl\": \"שלום\"}\n",
                "outcomes": {"Étape 1 ✓": [null, {"return": {"Payload": "✓ 日本"}, "durationMs": 1500}]},
                "cursor": 3,
                "selected": "日本語の状態",
                "view": {"tab": "input"}
            }),
        ),
        (
            "v1-every-field",
            json!({
                "stepwise": 1,
                "sample": "batch-catch-notify",
                "definition": "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::batch:submitJob.sync\",\"TimeoutSeconds\":60,\"End\":true}}}",
                "input": "[1, 2.5, \"three\", null, true]",
                "seed": 18446744073709551615u64,
                "context": {
                    "accountId": "123456789012",
                    "region": "eu-west-3",
                    "partition": "aws",
                    "stateMachineName": "Golden",
                    "executionName": "run-1",
                    "roleArn": "arn:aws:iam::123456789012:role/R",
                    "startTime": "2025-06-30T23:59:59.999Z"
                },
                "outcomes": {"T": [
                    {"timeout": true},
                    {"echo": true, "durationMs": 0},
                    null,
                    {"return": {"Status": "SUCCEEDED", "n": 1e300}, "durationMs": 3600000}
                ]},
                "cursor": 0,
                "selected": "T",
                "view": {"stepBy": "state", "ask": true, "tab": "input", "speed": 8}
            }),
        ),
        (
            "v1-from-a-newer-minor",
            json!({
                "stepwise": 1,
                "definition": "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}",
                "annotations": [{"event": 2, "text": "look here"}],
                "theme": "dark",
                "cursor": 1,
                "view": {"stepBy": "attempt", "zoom": 1.25, "ask": false}
            }),
        ),
    ]
}

fn write_new(path: &Path, contents: &str) {
    if path.exists() {
        println!("kept {}", path.display());
        return;
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("wrote {}", path.display());
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

#[test]
#[ignore = "writes new golden links; run by hand when a link format is released"]
fn write_missing_golden_links() {
    let dir = fixtures();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for sample in SAMPLES {
        let path = samples_dir().join(format!("{sample}.asl.json"));
        let Ok(definition) = std::fs::read_to_string(&path) else {
            panic!("{} is needed to write the sample links", path.display());
        };
        let mut env = sample_envelope(sample, definition.clone());
        env.cursor = Some(middle_cursor(&env));
        let link = share::encode(&env).unwrap_or_else(|e| panic!("{e}"));
        let mut fields = env.to_json();
        if let Some(map) = fields.as_object_mut() {
            map.shift_remove("definition");
        }
        let expect = json!({
            "fields": fields,
            "definition": {
                "sample": sample,
                "bytes": definition.len(),
                "crc32": format!("{:08x}", share::crc32(definition.as_bytes())),
            },
            "cursorInMiddle": true,
        });
        let name = format!("v1-sample-{sample}");
        write_new(&dir.join(format!("{name}.link")), &format!("{link}\n"));
        write_new(&dir.join(format!("{name}.expect.json")), &pretty(&expect));
    }
    for (name, json) in edge_cases() {
        let link =
            share::encode_payload(json.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let env = share::decode(&link).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut expect = Map::new();
        expect.insert("fields", env.to_json());
        if env.definition.is_some() {
            expect.insert("definitionParses", Value::Bool(true));
        }
        write_new(&dir.join(format!("{name}.link")), &format!("{link}\n"));
        write_new(
            &dir.join(format!("{name}.expect.json")),
            &pretty(&Value::Object(expect)),
        );
    }
}
