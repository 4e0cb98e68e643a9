//! Throughput of the expression language (run with
//! `cargo test -p stepwise-asl --release --test expr_perf -- --ignored --nocapture`).
//! Ignored by default: timings are only meaningful in release builds.

use std::time::Instant;

use stepwise_asl::choice::CompiledRule;
use stepwise_asl::intrinsics::SplitMix64;
use stepwise_asl::json::{Value, json};
use stepwise_asl::jsonpath::{JsonPath, ReferencePath, Scope};
use stepwise_asl::model::{ChoiceRule, ComparisonOp, Operand};
use stepwise_asl::template::Template;

fn per_op(label: &str, n: u32, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    let mut ok = 0u32;
    for _ in 0..n {
        if f() {
            ok += 1;
        }
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
    eprintln!("{label:<48} {ns:>10.0} ns/op");
    assert_eq!(ok, n, "{label}");
}

#[test]
#[ignore]
fn expression_throughput() {
    let items: Vec<Value> = (0..100)
        .map(|i| json!({"id": i, "name": format!("item {i}"), "tags": ["a", "b"]}))
        .collect();
    let input =
        json!({"i": 41, "order": {"items": items, "customer": {"name": "Ann", "tier": "gold"}}});
    let context = json!({"Execution": {"Id": "arn:e", "Name": "n"}, "Map": {"Item": {"Index": 3, "Value": {"x": 1}}}});
    let vars = stepwise_asl::json::Map::new();
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &vars,
    };

    let p = JsonPath::parse("$.order.customer.name").expect("path");
    per_op("definite path $.order.customer.name", 1_000_000, || {
        p.eval(&scope).is_ok()
    });
    let q = JsonPath::parse("$.order.items[?(@.id > 90)].name").expect("path");
    per_op("filter over 100 items", 100_000, || q.eval(&scope).is_ok());

    let t = Template::compile(&json!({
        "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value",
        "next.$": "States.MathAdd($.i, 1)", "who.$": "$.order.customer.name", "static": {"k": [1, 2]}
    })).expect("template");
    let mut rng = SplitMix64::new(1);
    per_op(
        "template: 2 ctx paths, 1 intrinsic, 1 path, 1 const",
        500_000,
        || t.eval(&scope, &mut rng).is_ok(),
    );

    let rule = CompiledRule::compile(&ChoiceRule::And(vec![
        ChoiceRule::Data {
            variable: "$.i".into(),
            op: ComparisonOp::NumericLessThan,
            operand: Operand::Literal(json!(10000)),
        },
        ChoiceRule::Data {
            variable: "$.order.customer.tier".into(),
            op: ComparisonOp::StringEquals,
            operand: Operand::Literal(json!("gold")),
        },
    ]))
    .expect("rule");
    per_op(
        "choice: And(NumericLessThan, StringEquals)",
        1_000_000,
        || rule.eval(&scope) == Ok(true),
    );

    let rp = ReferencePath::parse("$.result.value").expect("ref");
    per_op(
        "ResultPath set on a 100-item input (with clone)",
        20_000,
        || {
            let mut target = input.clone();
            rp.set(&mut target, json!(1)).is_ok()
        },
    );
}
