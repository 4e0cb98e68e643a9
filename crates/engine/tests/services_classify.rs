//! Table-driven tests of `services::classify`: the table in tests/data/services/classify.json,
//! then every Task of the conformance corpus against the history events AWS recorded for it.

use std::collections::BTreeMap;
use stepwise_asl::json::Value;
use stepwise_engine::services::{Family, classify};

const TABLE: &str = include_str!("data/services/classify.json");
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

#[test]
fn classify_table() {
    let rows: Vec<Value> = serde_json::from_str(TABLE).expect("classify.json is valid JSON");
    assert!(rows.len() >= 30, "table too small: {}", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let arn = row["arn"].as_str().expect("arn is a string");
        let info = classify(arn);
        let got = stepwise_asl::json::to_value(&info).expect("ResourceInfo serializes");
        for key in [
            "family",
            "integration",
            "pattern",
            "resourceType",
            "resource",
            "service",
            "action",
            "region",
        ] {
            if got[key] != row[key] {
                failures.push(format!(
                    "{arn}: {key} = {}, expected {}",
                    got[key], row[key]
                ));
            }
        }
        let expect_problem = row["problem"].as_bool().expect("problem is a bool");
        if info.problem.is_some() != expect_problem {
            failures.push(format!(
                "{arn}: problem = {:?}, expected a problem: {expect_problem}",
                info.problem
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Collect `state name -> Resource` over a definition, nested Parallel branches and Map
/// processors included (names are unique per execution in the corpus cases we check).
fn resources(states: &Value, out: &mut BTreeMap<String, String>) {
    let Some(map) = states.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in map {
        if let Some(r) = state.get("Resource").and_then(Value::as_str) {
            out.insert(name.clone().to_string(), r.to_string());
        }
        if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
            for b in branches {
                resources(b, out);
            }
        }
        for key in ["Iterator", "ItemProcessor"] {
            if let Some(p) = state.get(key) {
                resources(p, out);
            }
        }
    }
}

#[test]
fn classify_matches_corpus_histories() {
    let Ok(text) = std::fs::read_to_string(CORPUS) else {
        eprintln!("skipping: conformance corpus not found at {CORPUS}");
        return;
    };
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let id = case["id"].as_str().unwrap_or("?");
        let mut by_state = BTreeMap::new();
        resources(&case["definition"], &mut by_state);
        let Some(events) = case["expected"]["events"].as_array() else {
            continue;
        };
        let mut current: Option<String> = None;
        for e in events {
            let ty = e["type"].as_str().unwrap_or_default();
            if let Some(name) = e["stateEnteredEventDetails"]["name"].as_str() {
                current = Some(name.to_string());
            }
            let expected_family = match ty {
                "TaskScheduled" => Family::Task,
                "LambdaFunctionScheduled" => Family::LambdaFunction,
                "ActivityScheduled" => Family::Activity,
                _ => continue,
            };
            let Some(resource) = current.as_ref().and_then(|s| by_state.get(s)) else {
                continue;
            };
            let info = classify(resource);
            checked += 1;
            if info.family != expected_family {
                failures.push(format!(
                    "{id}: {resource}: family {:?}, history has {ty}",
                    info.family
                ));
            }
            if info.problem.is_some() {
                failures.push(format!(
                    "{id}: {resource}: unexpected problem {:?}",
                    info.problem
                ));
            }
            if ty == "TaskScheduled" {
                let d = &e["taskScheduledEventDetails"];
                if d["resourceType"].as_str() != Some(info.resource_type.as_str())
                    || d["resource"].as_str() != Some(info.resource.as_str())
                {
                    failures.push(format!(
                        "{id}: {resource}: ({}, {}) but AWS recorded ({}, {})",
                        info.resource_type, info.resource, d["resourceType"], d["resource"]
                    ));
                }
                if info.region.is_none() && d["region"] != Value::String("<region>".into()) {
                    failures.push(format!("{id}: region {} not the execution's", d["region"]));
                }
            }
        }
    }
    eprintln!("checked {checked} scheduled events");
    assert!(
        checked >= 100,
        "too few scheduled events checked: {checked}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
