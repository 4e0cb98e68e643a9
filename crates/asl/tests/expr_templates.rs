//! Table-driven tests for payload templates (`tests/data/expr/templates.json`), and the
//! recorded AWS runs of Pass-only state machines from
//! `../shared/conformance/cases.jsonl` (Parameters with paths, context paths and
//! intrinsic functions, InputPath/ResultPath/OutputPath), skipped with a message when
//! that folder is absent.

use stepwise_asl::intrinsics::SplitMix64;
use stepwise_asl::json::{Map, Value, json};
use stepwise_asl::jsonpath::{JsonPath, ReferencePath, Scope};
use stepwise_asl::template::{Expression, Template};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

#[test]
fn templates_table() {
    let path = format!(
        "{}/tests/data/expr/templates.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let t = &case["template"];
        let compiled = Template::compile(t);
        if let Some(want) = case.get("compile_error").and_then(Value::as_str) {
            match compiled {
                Err(e) if e.to_string().contains(want) => {}
                other => failures.push(format!("{t}: want compile error {want:?}, got {other:?}")),
            }
            continue;
        }
        let compiled = match compiled {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{t}: {e}"));
                continue;
            }
        };
        let vars: Map = case
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let context = case.get("context").cloned().unwrap_or(Value::Null);
        let scope = Scope {
            input: &case["input"],
            context: &context,
            variables: &vars,
        };
        let got = compiled.eval(&scope, &mut SplitMix64::new(0));
        let ok = match (&got, case.get("expect"), case.get("error")) {
            (Ok(v), Some(want), _) => v == want,
            (Err(e), _, Some(Value::String(want))) => e.cause_detail() == *want,
            _ => false,
        };
        if !ok {
            failures.push(format!("{t} on {}: got {got:?}", case["input"]));
        }
    }
    for case in doc["expressions"].as_array().expect("expressions") {
        let text = case["text"].as_str().expect("text");
        let compiled = Expression::compile(text);
        if let Some(want) = case.get("compile_error").and_then(Value::as_str) {
            if !matches!(&compiled, Err(e) if e.to_string().contains(want)) {
                failures.push(format!(
                    "{text}: want compile error {want:?}, got {compiled:?}"
                ));
            }
            continue;
        }
        let Ok(compiled) = compiled else {
            failures.push(format!("{text}: {compiled:?}"));
            continue;
        };
        let context = case.get("context").cloned().unwrap_or(Value::Null);
        let vars = Map::new();
        let scope = Scope {
            input: &case["input"],
            context: &context,
            variables: &vars,
        };
        let field = case["field"].as_str().unwrap_or_default();
        let got = compiled.eval(field, &scope, &mut SplitMix64::new(0));
        let ok = match (&got, case.get("expect"), case.get("error")) {
            (Ok(v), Some(want), _) => v == want,
            (Err(e), _, Some(Value::String(want))) => e.cause_detail() == *want,
            _ => false,
        };
        if !ok {
            failures.push(format!("{text}: got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Expected-value matching with the corpus placeholders as wildcards.
fn matches(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(_), Value::String(w)) if w == "RandomNumberGenerated" => true,
        (Value::String(_), Value::String(w)) if w == "generated-uuid" || w == "date" => true,
        (Value::String(g), Value::String(w)) if w.contains('<') && w.contains('>') => {
            placeholder_match(g, w)
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && b.iter()
                    .all(|(k, w)| a.get(k).is_some_and(|g| matches(g, w)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(g, w)| matches(g, w))
        }
        _ => got == want,
    }
}

/// `want` with each `<…>` placeholder matching one or more characters.
fn placeholder_match(got: &str, want: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = want;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        parts.push(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    parts.push(rest);
    let Some((first, others)) = parts.split_first() else {
        return got == want;
    };
    let Some(mut g) = got.strip_prefix(first) else {
        return false;
    };
    for (i, part) in others.iter().enumerate() {
        if i + 1 == others.len() {
            return g.len() > part.len() && g.ends_with(part);
        }
        match g.get(1..).and_then(|t| t.find(part)) {
            Some(pos) => g = &g[1 + pos + part.len()..],
            None => return false,
        }
    }
    got == want
}

/// Runs a machine made only of Pass states (no Assign) the way AWS does, using this
/// crate's paths and templates.
fn run_pass_machine(def: &Value, input: &Value, meta: &Value) -> Option<Result<Value, String>> {
    let states = def["States"].as_object()?;
    let ctx = &meta["context"];
    let sm = ctx["state_machine_name"].as_str()?;
    let exec = ctx["execution_name"].as_str()?;
    let mut current = def["StartAt"].as_str()?.to_string();
    let mut data = input.clone();
    for _ in 0..states.len() {
        let st = states.get(&current)?.as_object()?;
        let allowed = [
            "Type",
            "End",
            "Next",
            "Parameters",
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Result",
            "Comment",
        ];
        if st["Type"] != "Pass" || st.keys().any(|k| !allowed.contains(&k.as_str())) {
            return None;
        }
        let context = json!({
            "Execution": {
                "Id": format!("arn:aws:states:us-east-1:111111111111:execution:{sm}:{exec}"),
                "Input": input, "Name": exec, "RoleArn": ctx["role_arn"],
                "StartTime": "2024-01-01T00:00:00.000Z", "RedriveCount": 0
            },
            "State": {"EnteredTime": "2024-01-01T00:00:00.000Z", "Name": current},
            "StateMachine": {
                "Id": format!("arn:aws:states:us-east-1:111111111111:stateMachine:{sm}"),
                "Name": sm
            }
        });
        let vars = Map::new();
        let scope = Scope {
            input: &data,
            context: &context,
            variables: &vars,
        };
        let effective = match st.get("InputPath") {
            None => data.clone(),
            Some(Value::Null) => json!({}),
            Some(p) => {
                let p = JsonPath::parse(p.as_str()?).ok()?;
                match p.eval(&scope) {
                    Ok(v) => v.into_owned(),
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
        };
        let result = if let Some(r) = st.get("Result") {
            r.clone()
        } else if let Some(t) = st.get("Parameters") {
            let t = match Template::compile(t) {
                Ok(t) => t,
                Err(e) => return Some(Err(e.to_string())),
            };
            match t.eval(&scope.with_input(&effective), &mut SplitMix64::new(0)) {
                Ok(v) => v,
                Err(e) => return Some(Err(e.cause_detail())),
            }
        } else {
            effective
        };
        let mut after = data.clone();
        match st.get("ResultPath") {
            None => after = result,
            Some(Value::Null) => {}
            Some(p) => {
                let p = ReferencePath::parse(p.as_str()?).ok()?;
                if let Err(e) = p.set(&mut after, result) {
                    return Some(Err(e.to_string()));
                }
            }
        }
        data = match st.get("OutputPath") {
            None => after,
            Some(Value::Null) => json!({}),
            Some(p) => {
                let p = JsonPath::parse(p.as_str()?).ok()?;
                let s = Scope {
                    input: &after,
                    context: &context,
                    variables: &vars,
                };
                match p.eval(&s) {
                    Ok(v) => v.into_owned(),
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
        };
        match st.get("Next").and_then(Value::as_str) {
            Some(n) => current = n.to_string(),
            None => return Some(Ok(data)),
        }
    }
    None
}

#[test]
fn pass_machines_from_corpus() {
    let Ok(text) = std::fs::read_to_string(CORPUS) else {
        eprintln!("skipped: {CORPUS} not found (the shared conformance corpus is absent)");
        return;
    };
    let (mut checked, mut intrinsic, mut failures) = (0, 0, Vec::new());
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).expect("corpus line");
        let features = case["features"].as_array().cloned().unwrap_or_default();
        // Express executions have another context object (ARN shape, no RedriveCount):
        // that is the engine's business, not the expression language's.
        if features.iter().any(|f| f == "jsonata")
            || case["expected"]["status"] != "SUCCEEDED"
            || case["meta"]["state_machine_type"] == "EXPRESS"
        {
            continue;
        }
        let Some(got) = run_pass_machine(&case["definition"], &case["input"], &case["meta"]) else {
            continue;
        };
        checked += 1;
        if features.iter().any(|f| f == "intrinsic") {
            intrinsic += 1;
        }
        let id = case["id"].as_str().unwrap_or_default();
        let got = match got {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{id}: error {e}"));
                continue;
            }
        };
        let mut text = got.to_string();
        for pair in case["meta"]["name_replacements"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let (Some(from), Some(to)) = (pair[0].as_str(), pair[1].as_str()) {
                text = text.replace(from, to);
            }
        }
        text = text
            .replace("us-east-1", "<region>")
            .replace("arn:aws:", "arn:<partition>:");
        let got: Value = serde_json::from_str(&text).expect("reparse");
        let want = &case["expected"]["output"];
        if !matches(&got, want) {
            failures.push(format!("{id}:\n   got  {got}\n   want {want}"));
        }
    }
    eprintln!(
        "Pass machines: {} of {checked} recorded AWS runs agree ({intrinsic} with intrinsics)",
        checked - failures.len()
    );
    assert!(checked > 50, "only {checked} Pass machines found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The `Assign` of the first state (a Pass) against the recorded `assignedVariables`.
#[test]
fn assign_of_first_pass_state_from_corpus() {
    let Ok(text) = std::fs::read_to_string(CORPUS) else {
        eprintln!("skipped: {CORPUS} not found (the shared conformance corpus is absent)");
        return;
    };
    let (mut checked, mut failures) = (0, Vec::new());
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).expect("corpus line");
        let def = &case["definition"];
        if def.to_string().contains("JSONata") {
            continue;
        }
        let Some(start) = def["StartAt"].as_str() else {
            continue;
        };
        let st = &def["States"][start];
        // Context paths need the engine's full context object: not checked here.
        if st["Type"] != "Pass"
            || st.get("Assign").is_none()
            || st.get("InputPath").is_some()
            || st["Assign"].to_string().contains("$$")
        {
            continue;
        }
        let Some(events) = case["expected"]["events"].as_array() else {
            continue;
        };
        let Some(want) = events
            .iter()
            .find_map(|e| e.get("stateExitedEventDetails"))
            .and_then(|d| d.get("assignedVariables"))
        else {
            continue;
        };
        let input = &case["input"];
        let vars = Map::new();
        let context = json!({"Execution": {"Input": input}, "State": {"Name": start}});
        let scope = Scope {
            input,
            context: &context,
            variables: &vars,
        };
        let mut rng = SplitMix64::new(0);
        let result = if let Some(r) = st.get("Result") {
            r.clone()
        } else if let Some(t) = st.get("Parameters") {
            match Template::compile(t).map(|t| t.eval(&scope, &mut rng)) {
                Ok(Ok(v)) => v,
                other => {
                    failures.push(format!("{}: Parameters {other:?}", case["id"]));
                    continue;
                }
            }
        } else {
            input.clone()
        };
        checked += 1;
        let got = Template::compile(&st["Assign"])
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t.eval(&scope.with_input(&result), &mut rng)
                    .map_err(|e| e.cause_detail())
            });
        match got {
            Ok(v) if matches(&v, want) => {}
            other => failures.push(format!(
                "{}:\n   got  {other:?}\n   want {want}",
                case["id"]
            )),
        }
    }
    eprintln!(
        "Assign: {} of {checked} recorded AWS first-state assignments agree",
        checked - failures.len()
    );
    assert!(checked > 5, "only {checked} cases found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
