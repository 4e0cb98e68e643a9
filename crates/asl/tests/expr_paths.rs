//! Table-driven tests for JSONPath evaluation and for setting a value at a Reference
//! Path (ResultPath). Tables: `tests/data/expr/paths.json`, `tests/data/expr/set.json`.

use stepwise_asl::json::{Map, Value, json};
use stepwise_asl::jsonpath::{JsonPath, ReferencePath, Scope};

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/expr/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases(doc: &Value) -> &Vec<Value> {
    doc["cases"].as_array().expect("cases array")
}

#[test]
fn paths_table() {
    let doc = load("paths.json");
    let store = doc["store"].clone();
    let mut failures = Vec::new();
    for case in cases(&doc) {
        let src = case["path"].as_str().expect("path");
        let input = match case.get("input") {
            Some(v) => v.clone(),
            None => store.clone(),
        };
        let context = case.get("context").cloned().unwrap_or(Value::Null);
        let vars: Map = case
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let scope = Scope {
            input: &input,
            context: &context,
            variables: &vars,
        };
        let parsed = JsonPath::parse(src);
        let got = match (&parsed, case.get("parse_error")) {
            (Err(e), Some(want)) => {
                let want = want.as_str().unwrap_or_default();
                if !e.to_string().contains(want) {
                    failures.push(format!("{src}: parse error {e:?} lacks {want:?}"));
                }
                continue;
            }
            (Err(e), None) => {
                failures.push(format!("{src}: unexpected parse error {e}"));
                continue;
            }
            (Ok(_), Some(_)) => {
                failures.push(format!("{src}: expected a parse error"));
                continue;
            }
            (Ok(p), None) => p.eval(&scope).map(|v| v.into_owned()),
        };
        match (got, case.get("expect"), case.get("error")) {
            (Ok(v), Some(want), _) => {
                let want = if want == "@store" { &store } else { want };
                if &v != want {
                    failures.push(format!("{src}: got {v}, want {want}"));
                }
            }
            (Err(e), _, Some(want)) => {
                if e.to_string() != want.as_str().unwrap_or_default() {
                    failures.push(format!("{src}: error {e:?}\n   want {want}"));
                }
            }
            (got, _, _) => failures.push(format!("{src}: got {got:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn set_table() {
    let doc = load("set.json");
    let mut failures = Vec::new();
    for case in cases(&doc) {
        let src = case["path"].as_str().expect("path");
        let parsed = ReferencePath::parse(src);
        if let Some(want) = case.get("parse_error") {
            match parsed {
                Err(e) if e.to_string().contains(want.as_str().unwrap_or_default()) => {}
                other => failures.push(format!("{src}: want parse error {want}, got {other:?}")),
            }
            continue;
        }
        let Ok(path) = parsed else {
            failures.push(format!("{src}: unexpected parse error {parsed:?}"));
            continue;
        };
        let mut target = case["target"].clone();
        let result = path.set(&mut target, case["value"].clone());
        match (result, case.get("expect"), case.get("error")) {
            (Ok(()), Some(want), _) if &target == want => {}
            (Err(e), _, Some(want)) if e.to_string() == want.as_str().unwrap_or_default() => {}
            (r, _, _) => failures.push(format!("{src}: got {r:?} / {target}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn paths_borrow_definite_results() {
    // Definite paths return a borrow of the input (no clone per evaluation).
    let input = json!({"a": {"b": [1, 2, 3]}});
    let p = JsonPath::parse("$.a.b").expect("parse");
    let scope = Scope::input_only(&input);
    let got = p.eval(&scope).expect("eval");
    assert!(matches!(got, std::borrow::Cow::Borrowed(_)));
    assert!(p.is_definite() && p.is_reference());
    let q = JsonPath::parse("$.a.b[*]").expect("parse");
    assert!(!q.is_definite() && !q.is_reference());
    assert_eq!(p.normalized(), "$['a']['b']");
    for (src, doc) in [
        ("$$.Execution.Input", "$.Execution.Input"),
        ("$v.a", "$.a"),
        ("$x", "$"),
        ("$.q", "$.q"),
    ] {
        assert_eq!(
            JsonPath::parse(src)
                .map(|p| p.document_path())
                .ok()
                .as_deref(),
            Some(doc)
        );
    }
}
