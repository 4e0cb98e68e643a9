//! Everything the page shows that is computed from the documents and the outcomes: the
//! definition parsed and validated, the graph laid out, the execution simulated — all by the
//! core crates (`stepwise-asl`, `stepwise-layout`, `stepwise-engine`). The store calls
//! [`analyze`] whenever a document or an outcome changes.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;
use stepwise_asl::{Diagnostic, Parsed, StateMachine};
use stepwise_engine::{PlannedOutcome, Scenario, Trace};
use stepwise_layout::{Graph, LayoutOptions};

use crate::check;
use crate::store::Documents;

/// Everything computed from the documents and the outcomes. Shared (`Rc`) so that
/// actions that only move the cursor do not recompute or copy it.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The definition parsed and validated: diagnostics (with spans), the model, the outline.
    pub parsed: Parsed,
    /// Problems with the input text (it must be JSON).
    pub input_diagnostics: Vec<Diagnostic>,
    /// The graph on screen: the current definition's, or the last good one while the
    /// definition is broken (then `graph_stale` is true and the UI dims it).
    pub graph: Option<Rc<Graph>>,
    pub graph_stale: bool,
    /// The simulated execution, when the definition and the input are valid.
    pub trace: Option<Rc<Trace>>,
    /// Why there is no trace (shown instead of the run views).
    pub blocked: Option<String>,
}

impl PartialEq for Analysis {
    fn eq(&self, other: &Self) -> bool {
        // Analyses are only ever replaced, never mutated: identity is enough for rendering.
        std::ptr::eq(self, other)
    }
}

/// The layout options the page draws with (keep in step with the graph's CSS font).
pub fn layout_options() -> LayoutOptions {
    LayoutOptions::default()
}

/// Build the engine's scenario from the injected outcomes.
pub fn scenario_for(
    outcomes: &BTreeMap<String, Vec<Option<PlannedOutcome>>>,
    seed: u64,
) -> Scenario {
    let mut scenario = Scenario {
        seed,
        ..Scenario::default()
    };
    for (state, list) in outcomes {
        for (n, planned) in list.iter().enumerate() {
            if let (Some(planned), Ok(n)) = (planned, u32::try_from(n)) {
                scenario
                    .tasks
                    .entry(state.clone())
                    .or_default()
                    .push(n, planned.clone());
            }
        }
    }
    scenario
}

/// Parse, lay out and simulate: everything the page shows, computed by the core crates.
pub fn analyze(
    docs: &Documents,
    outcomes: &BTreeMap<String, Vec<Option<PlannedOutcome>>>,
    seed: u64,
    previous_graph: Option<Rc<Graph>>,
) -> Analysis {
    let parsed = stepwise_asl::parse(&docs.definition);
    let (input, input_diagnostics) = match check::input(&docs.input) {
        Ok(v) => (Some(v), Vec::new()),
        Err(d) => (None, vec![d]),
    };
    let (graph, graph_stale) = match parsed.outline.as_ref() {
        Some(outline) => (
            Some(Rc::new(stepwise_layout::layout_machine(
                outline,
                &layout_options(),
            ))),
            false,
        ),
        None => (previous_graph, true),
    };
    let (trace, blocked) = match (&parsed.machine, input) {
        (Some(machine), Some(input)) => (Some(Rc::new(run(machine, &input, outcomes, seed))), None),
        (None, _) => (
            None,
            Some("The definition has errors: fix them to run the execution.".to_string()),
        ),
        (_, None) => (
            None,
            Some("The input is not valid JSON: fix it to run the execution.".to_string()),
        ),
    };
    Analysis {
        parsed,
        input_diagnostics,
        graph,
        graph_stale,
        trace,
        blocked,
    }
}

fn run(
    machine: &StateMachine,
    input: &Value,
    outcomes: &BTreeMap<String, Vec<Option<PlannedOutcome>>>,
    seed: u64,
) -> Trace {
    stepwise_engine::simulate(machine, input, &scenario_for(outcomes, seed))
}
