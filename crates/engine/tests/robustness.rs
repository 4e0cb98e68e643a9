//! `simulate` never panics: every definition of the public corpus that parses runs with its own
//! input and with hostile inputs, under scenarios that throw, time out and echo. Skips when the
//! shared corpus is absent.

use stepwise_asl::json::{Value, json};
use stepwise_engine::outcome::{Outcome, PlannedOutcome};
use stepwise_engine::{Scenario, Status, TaskPlan, simulate};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

fn scenarios(machine: &stepwise_asl::StateMachine) -> Vec<Scenario> {
    let tasks: Vec<String> = machine
        .all_states()
        .iter()
        .filter(|s| s.type_name() == "Task")
        .map(|s| s.name.clone())
        .collect();
    let outcomes = [
        PlannedOutcome::new(Outcome::throw("States.TaskFailed", "boom")),
        PlannedOutcome::with_duration(Outcome::TimeOut, 10),
        PlannedOutcome::new(Outcome::Echo),
        PlannedOutcome::new(Outcome::Return(json!(null))),
    ];
    let mut out = vec![Scenario::default()];
    for o in outcomes {
        let mut s = Scenario {
            max_history_events: Some(2_000),
            ..Scenario::default()
        };
        for t in &tasks {
            s.tasks.insert(t.clone(), TaskPlan::always(o.clone()));
        }
        out.push(s);
    }
    out
}

#[test]
fn simulate_never_panics_on_corpus_definitions() {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        eprintln!("skipping: {CASES} is absent");
        return;
    };
    let hostile = [
        json!(null),
        json!([]),
        json!("x"),
        json!({"a": {"b": [1, 2, 3]}}),
        json!(1.5),
    ];
    let mut runs = 0usize;
    for line in text.lines() {
        let Ok(case) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(machine) = stepwise_asl::parse_value(&case["definition"]).machine else {
            continue;
        };
        let mut inputs = vec![case["input"].clone()];
        inputs.extend(hostile.iter().cloned());
        for scenario in scenarios(&machine) {
            for input in &inputs {
                let trace = simulate(&machine, input, &scenario);
                runs += 1;
                // Every trace ends with a terminal execution event.
                let last = trace.events.last().map(|e| e.kind.as_str()).unwrap_or("");
                assert!(
                    matches!(
                        last,
                        "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut"
                    ),
                    "{}: last event {last}",
                    case["id"]
                );
                if trace.status == Status::Succeeded {
                    assert!(trace.output.is_some());
                } else {
                    assert!(trace.output.is_none());
                }
            }
        }
    }
    eprintln!("{runs} simulations without a panic");
    assert!(runs > 1000);
}
