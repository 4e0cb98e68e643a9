//! Table-driven tests for Choice rules: `tests/data/expr/choice.json`, and the 491
//! recorded AWS choice-operator runs in `../shared/conformance/cases.jsonl` (skipped
//! with a message when that folder is absent).

use stepwise_asl::choice::CompiledRule;
use stepwise_asl::json::{Map, Value};
use stepwise_asl::jsonpath::Scope;
use stepwise_asl::model::{ChoiceRule, ComparisonOp, Operand};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

/// Converts an ASL rule object into the model type.
fn to_rule(v: &Value) -> ChoiceRule {
    if let Some(a) = v.get("And").and_then(Value::as_array) {
        return ChoiceRule::And(a.iter().map(to_rule).collect());
    }
    if let Some(a) = v.get("Or").and_then(Value::as_array) {
        return ChoiceRule::Or(a.iter().map(to_rule).collect());
    }
    if let Some(n) = v.get("Not") {
        return ChoiceRule::Not(Box::new(to_rule(n)));
    }
    let obj = v.as_object().expect("rule object");
    let variable = obj["Variable"].as_str().expect("Variable").to_string();
    let (op, is_path, operand) = obj
        .iter()
        .find_map(|(k, x)| ComparisonOp::from_field(k).map(|(op, p)| (op, p, x.clone())))
        .expect("an operator");
    let operand = if is_path {
        Operand::Path(operand.as_str().expect("path operand").to_string())
    } else {
        Operand::Literal(operand)
    };
    ChoiceRule::Data {
        variable,
        op,
        operand,
    }
}

fn run(rule: &Value, input: &Value, context: &Value, vars: &Map) -> Result<bool, String> {
    let compiled = CompiledRule::compile(&to_rule(rule)).map_err(|e| e.to_string())?;
    let scope = Scope {
        input,
        context,
        variables: vars,
    };
    compiled.eval(&scope).map_err(|e| e.cause_detail())
}

#[test]
fn choice_table() {
    let path = format!("{}/tests/data/expr/choice.json", env!("CARGO_MANIFEST_DIR"));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let vars = case
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let context = case.get("context").cloned().unwrap_or(Value::Null);
        let got = run(&case["rule"], &case["input"], &context, &vars);
        let ok = match (&got, case.get("expect"), case.get("error")) {
            (Ok(b), Some(Value::Bool(want)), _) => b == want,
            (Err(e), _, Some(Value::String(want))) => e == want,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{} on {}: got {got:?}",
                case["rule"], case["input"]
            ));
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
fn choice_explanations() {
    let input = stepwise_asl::json::json!({"status": "done", "n": 3});
    let vars = Map::new();
    let scope = Scope {
        input: &input,
        context: &Value::Null,
        variables: &vars,
    };
    let table = [
        (
            stepwise_asl::json::json!({"Variable": "$.status", "StringEquals": "done"}),
            "$.status = \"done\" StringEquals \"done\" → true",
        ),
        (
            stepwise_asl::json::json!({"And": [{"Variable": "$.n", "NumericGreaterThan": 5}, {"Variable": "$.x", "IsPresent": true}]}),
            "And($.n = 3 NumericGreaterThan 5 → false; stopped at the first false) → false",
        ),
        (
            stepwise_asl::json::json!({"Not": {"Variable": "$.x", "IsPresent": true}}),
            "Not($.x is not present, IsPresent true → false) → true",
        ),
        (
            stepwise_asl::json::json!({"Variable": "$.n", "NumericLessThanPath": "$.n"}),
            "$.n = 3 NumericLessThanPath $.n = 3 → false",
        ),
    ];
    for (rule, want) in table {
        let c = CompiledRule::compile(&to_rule(&rule)).expect("compile");
        let e = c.explain(&scope).expect("explain");
        assert_eq!(e.text, want);
        assert_eq!(Ok(e.matched), c.eval(&scope));
    }
}

#[test]
fn choice_operators_from_corpus() {
    let Ok(text) = std::fs::read_to_string(CORPUS) else {
        eprintln!("skipped: {CORPUS} not found (the shared conformance corpus is absent)");
        return;
    };
    let (mut checked, mut failures) = (0, Vec::new());
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).expect("corpus line");
        let id = case["id"].as_str().unwrap_or_default();
        if !id.starts_with("choice_operators/") {
            continue;
        }
        let rule = &case["definition"]["States"]["CheckValues"]["Choices"][0];
        let want = match case["expected"]["output"]["TestResult.$"].as_str() {
            Some("ConditionTrue") => true,
            Some("ConditionFalse") => false,
            _ => continue,
        };
        checked += 1;
        let got = run(rule, &case["input"], &Value::Null, &Map::new());
        if got != Ok(want) {
            failures.push(format!(
                "{id}: {rule} on {} → {got:?}, AWS: {want}",
                case["input"]
            ));
        }
    }
    eprintln!(
        "choice operators: {} of {checked} recorded AWS cases agree",
        checked - failures.len()
    );
    assert!(checked > 300, "only {checked} choice-operator cases found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
