//! Definition text + input → parse, then simulate with the default scenario and with every
//! Task failing. Checks that no definition/input pair panics the engine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_engine::{Outcome, PlannedOutcome, Scenario, TaskPlan, simulate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line is the input; the rest the definition.
    let (input, definition) = text.split_once('\n').unwrap_or(("{}", text));
    let Ok(input) = serde_json::from_str(input) else {
        return;
    };
    let parsed = stepwise_asl::parse(definition);
    let Some(machine) = parsed.machine else {
        return;
    };
    let mut scenario = Scenario::default();
    scenario.max_history_events = Some(2_000);
    let _ = simulate(&machine, &input, &scenario);
    for state in machine.all_states() {
        scenario.tasks.insert(
            state.name.clone(),
            TaskPlan::always(PlannedOutcome {
                outcome: Outcome::Throw {
                    error: "Fuzz.Error".into(),
                    cause: "fuzz".into(),
                },
                duration_ms: Some(1),
            }),
        );
    }
    let _ = simulate(&machine, &input, &scenario);
});
