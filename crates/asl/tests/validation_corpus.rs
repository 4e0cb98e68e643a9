//! The validator against AWS's recorded behaviour:
//! - `validation_cases.jsonl`: definitions AWS rejected at create time → we must reject
//!   ≥ 90 % of them with AWS's code;
//! - `cases.jsonl`: definitions AWS accepted and ran → none may get an error (JSONata
//!   definitions aside, which are only validated structurally);
//! - `samples/*.asl.json`: must parse with zero errors.
//!
//! Skips (with a message) when `../shared` is absent.

use std::path::Path;

use stepwise_asl::json::Value;
use stepwise_asl::{MachineType, ParseOptions, Parsed, parse, parse_value_with};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn read_lines(path: &Path) -> Option<Vec<Value>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
    )
}

/// AWS's diagnostic code inside a recorded message
/// (`…Definition: 'SCHEMA_VALIDATION_FAILED: The field …'`), if any.
fn embedded_code(message: &str) -> Option<String> {
    let bytes = message.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_uppercase() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_uppercase() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &message[start..i];
            if word.contains('_') && message[i..].starts_with(": ") {
                return Some(word.to_string());
            }
        } else {
            i += 1;
        }
    }
    None
}

fn parse_case(c: &Value) -> Option<Parsed> {
    let options = ParseOptions {
        machine_type: match c["state_machine_type"].as_str() {
            Some("EXPRESS") => MachineType::Express,
            _ => MachineType::Standard,
        },
    };
    let def = c.get("definition")?;
    if c["definition_is_json"].as_bool() == Some(false) {
        let text = def.as_str()?;
        Some(stepwise_asl::parse_with(text, &options))
    } else {
        Some(parse_value_with(def, &options))
    }
}

#[test]
fn validation_corpus() {
    let Some(cases) = read_lines(&Path::new(SHARED).join("conformance/validation_cases.jsonl"))
    else {
        eprintln!("skipped: {SHARED}/conformance/validation_cases.jsonl is absent");
        return;
    };
    let mut definition_cases = 0;
    let mut matched = 0;
    let mut skipped = Vec::new();
    let mut misses = Vec::new();
    let mut same_wording = 0;
    for c in &cases {
        let id = c["id"].as_str().unwrap_or("?");
        let api = c["api"].as_str().unwrap_or("");
        let code = c["expected"]["error_code"].as_str().unwrap_or("");
        let message = c["expected"]["message"].as_str().unwrap_or("");
        // Only CreateStateMachine's InvalidDefinition is about the definition; the rest
        // are API misuse (duplicate names, execution input, versioning, sync start).
        if api != "create_state_machine" || code != "InvalidDefinition" {
            skipped.push(format!("{id}: {api} {code} (not a definition rejection)"));
            continue;
        }
        definition_cases += 1;
        let Some(parsed) = parse_case(c) else {
            misses.push(format!("{id}: no definition"));
            continue;
        };
        let want = embedded_code(message);
        let ok = match &want {
            Some(code) => parsed.errors().any(|d| &d.code == code),
            None => parsed.has_errors(),
        };
        if ok {
            matched += 1;
            // Wording: AWS's text after the code, placeholders mapped back.
            if want.is_some() {
                let aws = message.replace("arn:<partition>:", "arn:aws:");
                if parsed.errors().any(|d| aws.contains(&d.aws_message())) {
                    same_wording += 1;
                }
            }
        } else {
            let got: Vec<String> = parsed
                .diagnostics
                .iter()
                .map(|d| format!("{}:{}", d.code, d.message))
                .collect();
            misses.push(format!("{id}: want {want:?} ({message}) got {got:?}"));
        }
    }
    println!(
        "validation corpus: {matched}/{definition_cases} definition rejections matched AWS's code; {} cases skipped",
        skipped.len()
    );
    println!(
        "  of which {same_wording} with AWS's exact message (cases whose message carries a code)"
    );
    for s in &skipped {
        println!("  skipped {s}");
    }
    for m in &misses {
        println!("  MISS {m}");
    }
    assert!(definition_cases > 0);
    assert!(
        matched * 10 >= definition_cases * 9,
        "only {matched}/{definition_cases} matched"
    );
}

fn uses_jsonata(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata")
                || m.values().any(uses_jsonata)
        }
        Value::Array(a) => a.iter().any(uses_jsonata),
        _ => false,
    }
}

#[test]
fn accepted_definitions_have_no_errors() {
    let Some(cases) = read_lines(&Path::new(SHARED).join("conformance/cases.jsonl")) else {
        eprintln!("skipped: {SHARED}/conformance/cases.jsonl is absent");
        return;
    };
    let mut checked = 0;
    let mut jsonata = 0;
    let mut jsonata_with_errors = 0;
    let mut failures = Vec::new();
    let mut warnings: std::collections::BTreeMap<String, usize> = Default::default();
    for c in &cases {
        let id = c["id"].as_str().unwrap_or("?");
        let def = &c["definition"];
        let options = ParseOptions {
            machine_type: match c["meta"]["state_machine_type"].as_str() {
                Some("EXPRESS") => MachineType::Express,
                _ => MachineType::Standard,
            },
        };
        let parsed = parse_value_with(def, &options);
        for w in parsed.warnings() {
            *warnings.entry(w.code.clone()).or_default() += 1;
        }
        if uses_jsonata(def) {
            jsonata += 1;
            if parsed.has_errors() {
                jsonata_with_errors += 1;
                let errs: Vec<String> = parsed
                    .errors()
                    .map(|d| format!("{} {} at {}", d.code, d.message, d.pointer))
                    .collect();
                println!("  (jsonata) {id}: {errs:?}");
            }
            continue;
        }
        checked += 1;
        if parsed.has_errors() {
            let errs: Vec<String> = parsed
                .errors()
                .map(|d| format!("{} {} at {}", d.code, d.message, d.pointer))
                .collect();
            failures.push(format!("{id}: {errs:?}"));
        } else if parsed.machine.is_none() {
            failures.push(format!("{id}: no machine despite no errors"));
        }
    }
    println!(
        "accepted corpus: {} of {checked} JSONPath definitions got an error; JSONata: {jsonata_with_errors} of {jsonata} got an error",
        failures.len()
    );
    println!("  warnings by code: {warnings:?}");
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} accepted definitions rejected",
        failures.len()
    );
}

#[test]
fn samples_parse_cleanly() {
    let dir = Path::new(SHARED).join("samples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let parsed = parse(&text);
        let errors: Vec<_> = parsed.errors().collect();
        assert!(errors.is_empty(), "{}: {errors:?}", p.display());
        assert!(parsed.machine.is_some(), "{}", p.display());
        for d in &parsed.diagnostics {
            println!("{}: {} {} at {}", p.display(), d.code, d.message, d.pointer);
        }
    }
}

/// Wraps one TestState state definition into a machine whose other states are the targets
/// it names (as `Succeed` states), so the state is validated in context.
fn wrap_state(state: &Value) -> Value {
    let mut states = stepwise_asl::json::Map::new();
    states.insert("TestedState", state.clone());
    let mut targets: Vec<&str> = Vec::new();
    targets.extend(state["Next"].as_str());
    targets.extend(state["Default"].as_str());
    for list in ["Choices", "Catch"] {
        if let Some(items) = state[list].as_array() {
            targets.extend(items.iter().filter_map(|c| c["Next"].as_str()));
        }
    }
    for t in targets {
        states.insert(t, stepwise_asl::json::json!({"Type": "Succeed"}));
    }
    stepwise_asl::json::json!({"StartAt": "TestedState", "States": states})
}

#[test]
fn test_state_definitions_have_no_errors() {
    let Some(cases) = read_lines(&Path::new(SHARED).join("conformance/test_state_cases.jsonl"))
    else {
        eprintln!("skipped: {SHARED}/conformance/test_state_cases.jsonl is absent");
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for c in &cases {
        // API_ERROR answers are about the TestState request (mocks, context), not the ASL.
        if c["expected"]["status"] == "API_ERROR" {
            continue;
        }
        let def = &c["request"]["definition"];
        let machine = if def.get("States").is_some() {
            def.clone()
        } else {
            wrap_state(def)
        };
        checked += 1;
        let parsed = stepwise_asl::parse_value(&machine);
        if parsed.has_errors() {
            let errs: Vec<String> = parsed.errors().map(|d| d.aws_message()).collect();
            failures.push(format!("{}: {errs:?}", c["id"]));
        }
    }
    println!(
        "TestState corpus: {} of {checked} accepted state definitions got an error",
        failures.len()
    );
    for f in &failures {
        println!("  FAIL {f}");
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} accepted states rejected",
        failures.len()
    );
}
