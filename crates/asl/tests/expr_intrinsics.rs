//! Table-driven tests for the intrinsic functions: `tests/data/expr/intrinsics.json`,
//! plus limits and seeded randomness that a JSON table cannot express.

use rand_core::RngCore;
use stepwise_asl::intrinsics::{Intrinsic, SplitMix64};
use stepwise_asl::json::{Map, Value, json};
use stepwise_asl::jsonpath::Scope;

#[test]
fn intrinsics_table() {
    let path = format!(
        "{}/tests/data/expr/intrinsics.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let mut failures = Vec::new();
    for case in doc["cases"].as_array().expect("cases") {
        let call = case["call"].as_str().expect("call");
        let vars: Map = case
            .get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let scope = Scope {
            input: &case["input"],
            context: &Value::Null,
            variables: &vars,
        };
        let parsed = Intrinsic::parse(call);
        if let Some(want) = case.get("parse_error").and_then(Value::as_str) {
            match parsed {
                Err(e) if e.to_string().contains(want) => {}
                other => failures.push(format!("{call}: want parse error {want:?}, got {other:?}")),
            }
            continue;
        }
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{call}: {e}"));
                continue;
            }
        };
        let mut rng = SplitMix64::new(7);
        let got = parsed.eval(&scope, &mut rng);
        let ok = match (
            &got,
            case.get("expect"),
            case.get("error"),
            case.get("expect_len"),
        ) {
            (Ok(v), Some(want), _, _) => v == want,
            (Ok(Value::Array(a)), _, _, Some(n)) => Some(a.len() as u64) == n.as_u64(),
            (Err(e), _, Some(Value::String(want)), _) => e.to_string().contains(want.as_str()),
            _ => false,
        };
        if !ok {
            failures.push(format!("{call} on {}: got {got:?}", case["input"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn eval(call: &str, input: &Value, rng: &mut dyn RngCore) -> Result<Value, String> {
    let p = Intrinsic::parse(call).map_err(|e| e.to_string())?;
    p.eval(&Scope::input_only(input), rng)
        .map_err(|e| e.to_string())
}

#[test]
fn intrinsics_limits_and_randomness() {
    let mut rng = SplitMix64::new(1);
    let long = json!({"s": "x".repeat(10_000), "t": "x".repeat(10_001)});
    // (call, succeeds?)
    let table = [
        ("States.Base64Encode($.s)", true),
        ("States.Base64Encode($.t)", false),
        ("States.Hash($.s, 'SHA-256')", true),
        ("States.Hash($.t, 'SHA-256')", false),
    ];
    for (call, ok) in table {
        assert_eq!(eval(call, &long, &mut rng).is_ok(), ok, "{call}");
    }

    // Seeded MathRandom: same seed, same number, whatever the caller's generator.
    let a = eval(
        "States.MathRandom(0, 1000, 42)",
        &json!({}),
        &mut SplitMix64::new(1),
    );
    let b = eval(
        "States.MathRandom(0, 1000, 42)",
        &json!({}),
        &mut SplitMix64::new(2),
    );
    assert_eq!(a, b);
    // Unseeded: driven by the caller's generator, reproducible for the same seed, in range.
    let mut r1 = SplitMix64::new(9);
    let mut r2 = SplitMix64::new(9);
    for _ in 0..200 {
        let x = eval("States.MathRandom(-5, 5)", &json!({}), &mut r1);
        assert_eq!(x, eval("States.MathRandom(-5, 5)", &json!({}), &mut r2));
        let n = x.ok().and_then(|v| v.as_i64()).unwrap_or(99);
        assert!((-5..5).contains(&n), "{n} out of [-5, 5)");
    }
    // UUID: v4 layout, deterministic per generator seed, different on the next call.
    let u1 = eval("States.UUID()", &json!({}), &mut SplitMix64::new(3));
    let u2 = eval("States.UUID()", &json!({}), &mut SplitMix64::new(3));
    assert_eq!(u1, u2);
    let u = u1
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let parts: Vec<&str> = u.split('-').collect();
    assert_eq!(
        parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12],
        "{u}"
    );
    assert!(
        parts[2].starts_with('4') && "89ab".contains(&parts[3][..1]),
        "{u}"
    );
    let mut g = SplitMix64::new(3);
    let first = eval("States.UUID()", &json!({}), &mut g);
    assert_ne!(first, eval("States.UUID()", &json!({}), &mut g));
}
