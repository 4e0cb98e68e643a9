//! MockConfigFile.json: parse errors with JSON pointers, test case resolution and lookups, and
//! export round trips, driven by tests/data/services/mock_config.json.

use stepwise_asl::json::{Value, json};
use stepwise_asl::vecmap::VecMap;
use stepwise_engine::mock_config::{MockConfig, MockLookup, outcomes_from_lists};
use stepwise_engine::outcome::Outcome;

const TABLE: &str = include_str!("data/services/mock_config.json");

fn check_error(
    name: &str,
    got: &stepwise_engine::mock_config::MockConfigError,
    expected: &Value,
    failures: &mut Vec<String>,
) {
    let pointer = expected["pointer"].as_str().unwrap_or("?");
    let contains = expected["contains"].as_str().unwrap_or("?");
    if got.pointer != pointer || !got.message.contains(contains) {
        failures.push(format!(
            "{name}: got error at {:?}: {:?}; expected at {pointer:?} containing {contains:?}",
            got.pointer, got.message
        ));
    }
}

#[test]
fn mock_config_table() {
    let rows: Vec<Value> = serde_json::from_str(TABLE).expect("mock_config.json is valid JSON");
    let mut failures = Vec::new();
    let mut resolved_count = 0;
    for row in &rows {
        let name = row["name"].as_str().expect("name");
        let text = match row.get("text").and_then(Value::as_str) {
            Some(t) => t.to_string(),
            None => serde_json::to_string_pretty(&row["config"]).expect("config serializes"),
        };
        let parsed = MockConfig::parse(&text);
        let config = match (parsed, row.get("parseError")) {
            (Err(e), Some(expected)) => {
                check_error(name, &e, expected, &mut failures);
                continue;
            }
            (Ok(_), Some(_)) => {
                failures.push(format!("{name}: parsed, expected a parse error"));
                continue;
            }
            (Err(e), None) => {
                failures.push(format!("{name}: unexpected parse error {e}"));
                continue;
            }
            (Ok(c), None) => c,
        };
        let sm = row.get("stateMachine").and_then(Value::as_str);
        let tc = row["testCase"].as_str().expect("testCase");
        let resolved = match (config.resolve(sm, tc), row.get("resolveError")) {
            (Err(e), Some(expected)) => {
                check_error(name, &e, expected, &mut failures);
                continue;
            }
            (Ok(_), Some(_)) => {
                failures.push(format!("{name}: resolved, expected an error"));
                continue;
            }
            (Err(e), None) => {
                failures.push(format!("{name}: unexpected resolve error {e}"));
                continue;
            }
            (Ok(r), None) => r,
        };
        resolved_count += 1;
        let expect = row["expect"].as_object().expect("expect");
        if resolved.states.keys().collect::<Vec<_>>() != expect.keys().collect::<Vec<_>>() {
            failures.push(format!(
                "{name}: mocked states {:?}, expected {:?}",
                resolved.states.keys().collect::<Vec<_>>(),
                expect.keys().collect::<Vec<_>>()
            ));
        }
        for (state, per) in expect {
            for (n, outcome) in per.as_object().expect("invocations") {
                let n: u32 = n.parse().expect("invocation number");
                let want = Outcome::from_json(outcome).expect("expected outcome parses");
                match resolved.lookup(state, n) {
                    MockLookup::Mocked(o) if *o == want => {}
                    other => failures.push(format!(
                        "{name}: {state}#{n} = {other:?}, expected {want:?}"
                    )),
                }
            }
        }
        for pair in row["missing"].as_array().into_iter().flatten() {
            let state = pair[0].as_str().expect("state");
            let n = u32::try_from(pair[1].as_u64().expect("n")).expect("u32");
            let lookup = resolved.lookup(state, n);
            if !matches!(lookup, MockLookup::Missing { .. }) {
                failures.push(format!(
                    "{name}: {state}#{n} = {lookup:?}, expected Missing"
                ));
            }
        }
        if let Some(msg) = row.get("missingMessage").and_then(Value::as_str) {
            let first = &row["missing"][0];
            let state = first[0].as_str().expect("state");
            let n = u32::try_from(first[1].as_u64().expect("n")).expect("u32");
            match resolved.lookup(state, n).missing_message() {
                Some(m) if m.starts_with(msg) => {}
                other => failures.push(format!(
                    "{name}: message {other:?}, expected to start with {msg:?}"
                )),
            }
        }
        for state in row["notMocked"].as_array().into_iter().flatten() {
            let state = state.as_str().expect("state");
            if resolved.lookup(state, 0) != MockLookup::NotMocked {
                failures.push(format!("{name}: {state} should not be mocked"));
            }
        }
        let expected_gaps: VecMap<String, Vec<u32>> =
            stepwise_asl::json::from_value::<std::collections::BTreeMap<String, Vec<u32>>>(
                row.get("gaps").cloned().unwrap_or(json!({})),
            )
            .expect("gaps")
            .into_iter()
            .collect();
        if resolved.gaps != expected_gaps {
            failures.push(format!(
                "{name}: gaps {:?}, expected {expected_gaps:?}",
                resolved.gaps
            ));
        }

        // Round trip: export the resolved test case, parse it back, resolve the same outcomes.
        let mut exported = MockConfig::default();
        exported.add_test_case_ranges(&resolved.state_machine, tc, &resolved.states);
        let text = exported.to_string_pretty();
        match MockConfig::parse(&text).and_then(|c| c.resolve(None, tc)) {
            Ok(again) => {
                if again.states != resolved.states || again.gaps != resolved.gaps {
                    failures.push(format!("{name}: round trip changed the test case:\n{text}"));
                }
            }
            Err(e) => failures.push(format!("{name}: exported file does not parse: {e}\n{text}")),
        }
        // Re-serializing a parsed file is stable.
        let canonical = config.to_json();
        match MockConfig::from_json(&canonical) {
            Ok(c) if c == config => {}
            other => failures.push(format!("{name}: to_json/from_json not stable: {other:?}")),
        }
    }
    assert!(
        resolved_count >= 5,
        "too few resolved cases: {resolved_count}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn export_compresses_ranges() {
    let fail = Outcome::throw("States.TaskFailed", "Batch job failed");
    let ok = Outcome::Return(json!({"Status": "SUCCEEDED"}));
    let mut lists = VecMap::new();
    lists.insert(
        "Submit Batch Job".to_string(),
        vec![
            fail.clone(),
            fail.clone(),
            ok.clone(),
            ok.clone(),
            fail.clone(),
        ],
    );
    lists.insert(
        "Notify Success".to_string(),
        vec![Outcome::Return(json!({"MessageId": "x"}))],
    );
    lists.insert("Timed".to_string(), vec![Outcome::TimeOut]);
    let config = MockConfig::export(
        "BatchSample",
        "RetryThenSucceed",
        &outcomes_from_lists(&lists),
    )
    .expect("export");
    let expected = json!({
        "StateMachines": {"BatchSample": {"TestCases": {"RetryThenSucceed": {
            "Notify Success": "RetryThenSucceed.Notify Success",
            "Submit Batch Job": "RetryThenSucceed.Submit Batch Job",
            "Timed": "RetryThenSucceed.Timed"
        }}}},
        "MockedResponses": {
            "RetryThenSucceed.Notify Success": {"0": {"Return": {"MessageId": "x"}}},
            "RetryThenSucceed.Submit Batch Job": {
                "0-1": {"Throw": {"Error": "States.TaskFailed", "Cause": "Batch job failed"}},
                "2-3": {"Return": {"Status": "SUCCEEDED"}},
                "4": {"Throw": {"Error": "States.TaskFailed", "Cause": "Batch job failed"}}
            },
            "RetryThenSucceed.Timed": {"0": {"Throw": {"Error": "States.Timeout", "Cause": ""}}}
        }
    });
    assert_eq!(config.to_json(), expected);

    // A second test case in the same file; same-named responses with other entries get a suffix.
    let mut config = config;
    let mut other = VecMap::new();
    other.insert("Submit Batch Job".to_string(), vec![ok.clone()]);
    config
        .add_test_case("BatchSample", "HappyPath", &outcomes_from_lists(&other))
        .expect("add");
    let resolved = config.resolve(None, "HappyPath").expect("resolve");
    assert_eq!(
        resolved.lookup("Submit Batch Job", 0),
        MockLookup::Mocked(&ok)
    );
    let again = config
        .resolve(Some("BatchSample"), "RetryThenSucceed")
        .expect("resolve");
    assert_eq!(
        again.lookup("Submit Batch Job", 4),
        MockLookup::Mocked(&fail)
    );

    // Echo has no MockConfigFile form.
    let mut echo = VecMap::new();
    echo.insert("S".to_string(), vec![Outcome::Echo]);
    let err = MockConfig::export("SM", "T", &outcomes_from_lists(&echo)).expect_err("echo");
    assert!(err.message.contains("echo"), "{err}");
}
