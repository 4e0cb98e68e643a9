//! The JSON form of injected outcomes (tests/data/services/outcomes.json): parse, canonical
//! form, errors with JSON pointers, explanations, serde round trip.

use stepwise_asl::json::{Value, json};
use stepwise_engine::outcome::{Outcome, PlannedOutcome, format_duration_ms};

const TABLE: &str = include_str!("data/services/outcomes.json");

#[test]
fn outcome_json_table() {
    let rows: Vec<Value> = serde_json::from_str(TABLE).expect("outcomes.json is valid JSON");
    let mut failures = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let parsed = PlannedOutcome::from_json(&row["json"]);
        match (&parsed, row.get("canonical"), row.get("error")) {
            (Ok(p), Some(canonical), None) => {
                if &p.to_json() != canonical {
                    failures.push(format!("row {i}: canonical {} != {canonical}", p.to_json()));
                }
                // serde goes through the same form, both ways.
                let via_serde: PlannedOutcome =
                    stepwise_asl::json::from_value(canonical.clone()).expect("canonical parses");
                if &via_serde != p
                    || stepwise_asl::json::to_value(p).ok().as_ref() != Some(canonical)
                {
                    failures.push(format!("row {i}: serde round trip differs"));
                }
                if let Some(explain) = row.get("explain").and_then(Value::as_str)
                    && p.explain(50) != explain
                {
                    failures.push(format!(
                        "row {i}: explain {:?} != {explain:?}",
                        p.explain(50)
                    ));
                }
            }
            (Err(e), None, Some(expected)) => {
                if e.pointer != expected["pointer"].as_str().unwrap_or("?")
                    || !e
                        .message
                        .contains(expected["contains"].as_str().unwrap_or("?"))
                {
                    failures.push(format!("row {i}: error {e:?}, expected {expected}"));
                }
                if stepwise_asl::json::from_value::<PlannedOutcome>(row["json"].clone()).is_ok() {
                    failures.push(format!("row {i}: serde accepted what from_json rejects"));
                }
            }
            (other, _, _) => failures.push(format!("row {i}: unexpected {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn outcome_helpers() {
    let input = json!({"a": 1});
    assert_eq!(
        Outcome::Echo.resolve(&input),
        Outcome::Return(input.clone())
    );
    assert_eq!(Outcome::TimeOut.resolve(&input), Outcome::TimeOut);
    assert_eq!(
        Outcome::TimeOut.error_output(),
        Some(json!({"Error": "States.Timeout", "Cause": ""}))
    );
    assert_eq!(
        Outcome::throw("E", "c").error_output(),
        Some(json!({"Error": "E", "Cause": "c"}))
    );
    assert_eq!(Outcome::Return(json!(1)).error_output(), None);
    assert!(Outcome::Echo.is_success() && !Outcome::TimeOut.is_success());
    // Outcome alone rejects a duration.
    assert!(Outcome::from_json(&json!({"return": 1, "durationMs": 3})).is_err());
    assert_eq!(
        Outcome::from_json(&json!({"return": 1})),
        Ok(Outcome::Return(json!(1)))
    );
    let long = Outcome::Return(Value::String(("x".repeat(300)).into()));
    assert!(long.explain().ends_with('…') && long.explain().chars().count() < 140);
    for (ms, text) in [
        (0, "0 ms"),
        (50, "50 ms"),
        (1000, "1 s"),
        (1500, "1.5 s"),
        (59_999, "59.9 s"),
        (60_000, "1 min"),
        (120_000, "2 min"),
        (90_000, "1 min 30 s"),
        (3_723_000, "1 h 2 min 3 s"),
        (3_600_000, "1 h"),
    ] {
        assert_eq!(format_duration_ms(ms), text, "{ms}");
    }
}
