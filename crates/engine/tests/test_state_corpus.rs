//! The TestState corpus (`../shared/conformance/test_state_cases.jsonl`: TestState API calls
//! recorded on real AWS, with AWS's `inspectionData`) as the oracle for the per-step data view.
//!
//! Each request's state runs alone, as the only state of a machine (its `Next`, `Catch` and
//! `Choice` targets become `Succeed` states), with the request's `mock` as the injected outcome
//! of every invocation. The first visit is compared with AWS's answer: status (`SUCCEEDED`,
//! `FAILED`, `CAUGHT_ERROR`, `RETRIABLE`), output, error and cause, `nextState`, and every
//! `inspectionData` field the engine records (`input`, `afterInputPath`, `afterParameters`,
//! `afterItemsPath`, `result`, `afterResultSelector`, `afterResultPath`).
//!
//! Skipped, with the reason printed: JSONata (not simulated), `API_ERROR` answers (TestState's
//! own request validation), and requests that set what an execution cannot
//! (`stateConfiguration`, a custom `context`, `variables`) or that mock a whole Map/Parallel.
//! Skips cleanly when the shared folder is absent.

use std::collections::BTreeMap;
use std::sync::Arc;

use stepwise_asl::json::{Map, Value, json};
use stepwise_engine::conformance::{Normalizer, matches};
use stepwise_engine::{AttemptOutcome, Scenario, Step, simulate};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/test_state_cases.jsonl"
);

/// Cases the engine matched (a ratchet: raise it when the engine gets better).
const PASS_FLOOR: usize = 18;

#[test]
fn test_state_corpus() {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        eprintln!("skipping: {CASES} is absent (the shared conformance corpus is not checked out)");
        return;
    };
    let (mut passed, mut failed) = (0usize, Vec::new());
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("each line is a JSON object");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        match check(&case) {
            Verdict::Pass => {
                passed += 1;
                let status = case["expected"]["status"].as_str().unwrap_or("?");
                *by_status.entry(status.to_string()).or_default() += 1;
            }
            Verdict::Skip(why) => *skipped.entry(why).or_default() += 1,
            Verdict::Fail(why) => failed.push(format!("{id}: {why}")),
        }
    }
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    for (why, n) in &skipped {
        eprintln!("skipped {n}: {why}");
    }
    eprintln!(
        "TestState corpus: {passed} passed {by_status:?}, {} failed, {} skipped",
        failed.len(),
        skipped.values().sum::<usize>()
    );
    assert!(
        passed >= PASS_FLOOR,
        "{passed} TestState cases matched AWS, fewer than the floor {PASS_FLOOR}"
    );
}

enum Verdict {
    Pass,
    Skip(&'static str),
    Fail(String),
}

fn check(case: &Value) -> Verdict {
    let request = &case["request"];
    let expected = &case["expected"];
    let definition = match &request["definition"] {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v) => v,
            Err(_) => return Verdict::Skip("definition is not JSON"),
        },
        v => v.clone(),
    };
    let text = definition.to_string();
    if text.contains("JSONata") || text.contains("{%") {
        return Verdict::Skip("JSONata");
    }
    match expected["status"].as_str() {
        Some("API_ERROR") => return Verdict::Skip("API_ERROR (TestState request validation)"),
        Some(_) => {}
        None => return Verdict::Skip("no status recorded"),
    }
    for (field, why) in [
        (
            "stateConfiguration",
            "stateConfiguration (retry / Map counters preset)",
        ),
        ("context", "custom context object"),
        ("variables", "variables preset"),
    ] {
        if request.get(field).is_some() {
            return Verdict::Skip(why);
        }
    }
    // A whole machine with `stateName`, or one state.
    let (name, state) = match (request["stateName"].as_str(), definition.get("States")) {
        (Some(n), Some(_)) => match find_state(&definition, n) {
            Some(s) => (n.to_string(), s.clone()),
            None => return Verdict::Fail(format!("no state {n:?} in the machine")),
        },
        (None, Some(_)) => return Verdict::Skip("machine without stateName"),
        (_, None) => ("TestState".to_string(), definition.clone()),
    };
    let ty = state["Type"].as_str().unwrap_or("");
    let mock = request.get("mock");
    if mock.is_some() && (ty == "Map" || ty == "Parallel") {
        return Verdict::Skip("mock of a whole Map/Parallel result");
    }
    if mock.is_none() && text.contains("\"Resource\"") {
        return Verdict::Skip("no mock: the recording called a real service");
    }
    let (machine_json, targets) = alone(&name, &state);
    let parsed = stepwise_asl::parse_value(&machine_json);
    let Some(machine) = parsed.machine else {
        let msgs: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        return Verdict::Fail(format!("definition rejected: {msgs:?}"));
    };
    let scenario = match scenario_for(&name, mock) {
        Ok(s) => s,
        Err(why) => return Verdict::Fail(why),
    };
    let input = request.get("input").cloned().unwrap_or_else(|| json!({}));
    let input = match input {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        v => v,
    };
    let trace = simulate(&machine, &input, &scenario);
    let Some(step) = trace
        .steps
        .iter()
        .find(|s| s.state == name && s.scope.is_empty())
    else {
        return Verdict::Fail(format!(
            "no step for the state (execution {} {:?} {:?})",
            trace.status.as_str(),
            trace.error,
            trace.cause
        ));
    };

    let norm = Normalizer::for_case(case);
    let same = |want: &Value, got: &Value| matches(want, &norm.apply(got.clone()), None).is_ok();
    let mut problems = Vec::new();
    let (status, error) = outcome(step, &trace, &targets);
    let want_status = expected["status"].as_str().unwrap_or("");
    if status != want_status {
        problems.push(format!("status {status} instead of {want_status}"));
    }
    if let Some((e, c)) = &error {
        if let Some(want) = expected["error"].as_str()
            && want != e
        {
            problems.push(format!("error {e:?} instead of {want:?}"));
        }
        if let Some(want) = expected["cause"].as_str()
            && !same_cause(want, c)
        {
            problems.push(format!("cause {c:?} instead of {want:?}"));
        }
    }
    if let Some(want) = expected.get("output")
        && status != "FAILED"
        && status != "RETRIABLE"
    {
        let got = output_of(step);
        if !got.as_ref().is_some_and(|g| same(want, g)) {
            problems.push(format!("output {got:?} instead of {want}"));
        }
    }
    if let Some(want) = expected["nextState"].as_str()
        && step.next.as_deref() != Some(want)
    {
        problems.push(format!("nextState {:?} instead of {want:?}", step.next));
    }
    if let Some(Value::Object(want)) = expected.get("inspectionData") {
        let got = inspection(step);
        for (key, want_value) in want.iter() {
            let Some(got_value) = got.get(key.as_str()) else {
                continue; // a field the engine does not record (maxConcurrency, requestDetails, …)
            };
            match got_value {
                Some(v) if same(want_value, v) => {}
                other => problems.push(format!("{key}: {other:?} instead of {want_value}")),
            }
        }
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(problems.join("; "))
    }
}

/// The state named `name` anywhere in the machine (inside Map and Parallel too).
fn find_state<'a>(block: &'a Value, name: &str) -> Option<&'a Value> {
    let states = block.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some(s);
    }
    states.values().find_map(|s| {
        let nested = ["ItemProcessor", "Iterator"]
            .iter()
            .filter_map(|k| s.get(k))
            .chain(s["Branches"].as_array().into_iter().flat_map(|b| b.iter()));
        nested.into_iter().find_map(|b| find_state(b, name))
    })
}

/// The state as the only state of a machine: `Next` becomes `End`-like transitions into
/// `Succeed` states named like the targets, so `nextState` stays observable.
fn alone(name: &str, state: &Value) -> (Value, Vec<String>) {
    let mut targets = Vec::new();
    let mut push = |v: &Value| {
        if let Some(t) = v.as_str()
            && t != name
            && !targets.iter().any(|x| x == t)
        {
            targets.push(t.to_string());
        }
    };
    push(&state["Next"]);
    push(&state["Default"]);
    for list in ["Catch", "Choices"] {
        if let Some(items) = state[list].as_array() {
            for item in items.iter() {
                push(&item["Next"]);
            }
        }
    }
    let mut states = Map::new();
    states.insert(name.to_string(), state.clone());
    for t in &targets {
        states.insert(t.clone(), json!({"Type": "Succeed"}));
    }
    (json!({"StartAt": name, "States": states}), targets)
}

/// The request's `mock` as the outcome of every invocation of the state.
fn scenario_for(name: &str, mock: Option<&Value>) -> Result<Scenario, String> {
    let Some(mock) = mock else {
        return Ok(Scenario::default());
    };
    let outcome = if let Some(result) = mock.get("result") {
        let value = match result {
            Value::String(s) => serde_json::from_str::<Value>(s)
                .map_err(|e| format!("mock result is not JSON: {e}"))?,
            v => v.clone(),
        };
        json!({"return": value})
    } else if let Some(err) = mock.get("errorOutput") {
        json!({"throw": {"Error": err["error"], "Cause": err["cause"]}})
    } else {
        return Err(format!("unknown mock {mock}"));
    };
    let mut tasks = Map::new();
    tasks.insert(name.to_string(), json!({ "0-999": outcome }));
    Scenario::from_json(&json!({ "tasks": tasks })).map_err(|e| e.to_string())
}

/// TestState's status for the first visit, and the error it reports.
fn outcome(
    step: &Step,
    trace: &stepwise_engine::Trace,
    targets: &[String],
) -> (&'static str, Option<(String, String)>) {
    if step.attempts.len() > 1
        && let Some(first) = step.attempts.first()
    {
        let err = match &first.outcome {
            AttemptOutcome::Failed { error, cause } => Some((error.clone(), cause.clone())),
            AttemptOutcome::TimedOut { error } => Some((error.clone(), String::new())),
            AttemptOutcome::Succeeded => None,
        };
        return ("RETRIABLE", err);
    }
    match &step.error {
        Some(e) if step.next.as_ref().is_some_and(|n| targets.contains(n)) => {
            ("CAUGHT_ERROR", Some((e.error.clone(), e.cause.clone())))
        }
        Some(e) => ("FAILED", Some((e.error.clone(), e.cause.clone()))),
        None if trace.status.as_str() == "FAILED" && step.next.is_none() => (
            "FAILED",
            Some((
                trace.error.clone().unwrap_or_default(),
                trace.cause.clone().unwrap_or_default(),
            )),
        ),
        None => ("SUCCEEDED", None),
    }
}

/// Causes compare as JSON when both are JSON text.
fn same_cause(want: &str, got: &str) -> bool {
    if want == got {
        return true;
    }
    match (
        serde_json::from_str::<Value>(want),
        serde_json::from_str::<Value>(got),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn output_of(step: &Step) -> Option<Value> {
    let d = &step.data;
    [
        &d.output,
        &d.after_result_path,
        &d.after_result_selector,
        &d.result,
        &d.after_parameters,
        &d.after_input_path,
        &d.input,
    ]
    .into_iter()
    .find_map(|v| v.as_deref().cloned())
}

/// The step's inspection data filled in like TestState's: a processing field the state does
/// not set passes the previous stage on (the engine records only the fields that changed
/// something).
fn inspection(step: &Step) -> BTreeMap<&'static str, Option<Value>> {
    let d = &step.data;
    let get = |v: &Option<Arc<Value>>| v.as_deref().cloned();
    let input = get(&d.input);
    let after_input_path = get(&d.after_input_path).or_else(|| input.clone());
    let after_parameters = get(&d.after_parameters).or_else(|| after_input_path.clone());
    let result = get(&d.result);
    // A state without a result (Pass without `Result`) passes its parameters on.
    let after_result_selector = get(&d.after_result_selector)
        .or_else(|| result.clone())
        .or_else(|| after_parameters.clone());
    let after_result_path = get(&d.after_result_path).or_else(|| after_result_selector.clone());
    let mut out = BTreeMap::new();
    out.insert("input", input);
    out.insert("afterInputPath", after_input_path);
    out.insert("afterParameters", after_parameters);
    out.insert("afterItemsPath", get(&d.after_items_path));
    out.insert("result", result);
    out.insert("afterResultSelector", after_result_selector);
    out.insert("afterResultPath", after_result_path);
    out
}
