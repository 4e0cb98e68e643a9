//! Everything the page shows that is computed from the documents and the outcomes: the
//! definition parsed and validated, the graph laid out, the execution simulated — all by the
//! core crates (`stepwise-asl`, `stepwise-layout`, `stepwise-engine`). The store calls
//! [`analyze`] whenever a document or an outcome changes.

use std::rc::Rc;
use stepwise_asl::vecmap::VecMap;

use stepwise_asl::json::Value;
use stepwise_asl::{Diagnostic, Parsed};
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
    /// What the trace was simulated from besides the machine (the input and the scenario),
    /// so that [`reanalyze`] can tell when simulating again would give the same trace.
    run_with: Option<(Value, Scenario)>,
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
pub fn scenario_for(outcomes: &VecMap<String, Vec<Option<PlannedOutcome>>>, seed: u64) -> Scenario {
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
/// `previous_graph` stays on screen (dimmed) while the definition is not JSON.
pub fn analyze(
    docs: &Documents,
    outcomes: &VecMap<String, Vec<Option<PlannedOutcome>>>,
    seed: u64,
    previous_graph: Option<Rc<Graph>>,
) -> Analysis {
    let stale = Analysis {
        graph: previous_graph,
        graph_stale: true,
        ..Analysis::nothing()
    };
    reanalyze(&stale, docs, outcomes, seed)
}

impl Analysis {
    /// The analysis of nothing: no machine, no graph, no run. A placeholder for a state whose
    /// documents are about to be analysed.
    pub fn nothing() -> Analysis {
        Analysis {
            parsed: Parsed {
                machine: None,
                outline: None,
                diagnostics: Vec::new(),
                spans: Default::default(),
            },
            input_diagnostics: Vec::new(),
            graph: None,
            graph_stale: false,
            trace: None,
            blocked: None,
            run_with: None,
        }
    }
}

/// Whether two values that are already `==` also serialize alike. `serde_json`'s `==` on
/// objects ignores key order (and `-0.0 == 0.0`), but the page shows payloads in their order:
/// reordered keys are another run.
fn same_json<T: serde::Serialize + ?Sized>(a: &T, b: &T) -> bool {
    match (serde_json::to_vec(a), serde_json::to_vec(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// [`analyze`] after an edit: the same result, computed incrementally from the analysis it
/// replaces. What did not change keeps its identity (the same `Rc`), so the views that
/// memoise on it neither recompute nor re-render:
/// - the graph is laid out again only when the outline changed (and kept when the new
///   layout is identical);
/// - the execution is simulated again only when the machine, the input or the scenario
///   changed (an edit of a `Comment` changes the machine: simulated again).
pub fn reanalyze(
    previous: &Analysis,
    docs: &Documents,
    outcomes: &VecMap<String, Vec<Option<PlannedOutcome>>>,
    seed: u64,
) -> Analysis {
    let parsed = stepwise_asl::parse(&docs.definition);
    let (input, input_diagnostics) = match check::input(&docs.input) {
        Ok(v) => (Some(v), Vec::new()),
        Err(d) => (None, vec![d]),
    };
    let (graph, graph_stale) = match (parsed.outline.as_ref(), &previous.graph) {
        (Some(outline), Some(graph))
            if !previous.graph_stale && previous.parsed.outline.as_ref() == Some(outline) =>
        {
            (Some(graph.clone()), false)
        }
        (Some(outline), _) => {
            let fresh = stepwise_layout::layout_machine(outline, &layout_options());
            match &previous.graph {
                Some(graph) if **graph == fresh => (Some(graph.clone()), false),
                _ => (Some(Rc::new(fresh)), false),
            }
        }
        (None, graph) => (graph.clone(), true),
    };
    let (trace, blocked, run_with) = match (&parsed.machine, input) {
        (Some(machine), Some(input)) => {
            let scenario = scenario_for(outcomes, seed);
            let same_run = previous
                .parsed
                .machine
                .as_ref()
                .is_some_and(|m| m == machine && same_json(m, machine))
                && previous.run_with.as_ref().is_some_and(|(i, s)| {
                    *i == input
                        && *s == scenario
                        && same_json(i, &input)
                        && same_json(&s.to_json(), &scenario.to_json())
                });
            let trace = match &previous.trace {
                Some(trace) if same_run => trace.clone(),
                _ => {
                    let fresh = stepwise_engine::simulate(machine, &input, &scenario);
                    // Comparing the new trace with the old one to keep the old `Rc` costs
                    // more than re-rendering the run views (measured: keystroke median
                    // 16.5 ms with the comparison, 14.4 ms without, 100-state chain).
                    Rc::new(fresh)
                }
            };
            (Some(trace), None, Some((input, scenario)))
        }
        (None, _) => (
            None,
            Some("The definition has errors: fix them to run the execution.".to_string()),
            None,
        ),
        (_, None) => (
            None,
            Some("The input is not valid JSON: fix it to run the execution.".to_string()),
            None,
        ),
    };
    Analysis {
        parsed,
        input_diagnostics,
        graph,
        graph_stale,
        trace,
        blocked,
        run_with,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(definition: &str) -> Documents {
        Documents {
            definition: definition.to_string(),
            input: "{}".to_string(),
        }
    }

    fn machine(comment: &str, result: u32, extra_state: bool) -> String {
        let end = if extra_state {
            r#""B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}"#
        } else {
            r#""B": {"Type": "Succeed"}"#
        };
        format!(
            r#"{{"Comment": "{comment}", "StartAt": "A", "States": {{
                "A": {{"Type": "Pass", "Result": {{"i": {result}}}, "ResultPath": "$.r", "Next": "B"}},
                {end}}}}}"#
        )
    }

    #[test]
    fn what_an_edit_does_not_change_keeps_its_identity() {
        let none = VecMap::new();
        let first = analyze(&docs(&machine("x", 1, false)), &none, 0, None);
        let (graph, trace) = (first.graph.clone().unwrap(), first.trace.clone().unwrap());
        // (edit, same graph, same trace)
        let cases = [
            (machine("x", 1, false), true, true),
            // A comment: the same graph; the machine changed, so it runs again.
            (machine("xy", 1, false), true, false),
            // Whitespace only: the same machine, the same trace.
            (machine("x", 1, false).replace(", ", ",\n  "), true, true),
            // A Result: the same graph, another execution.
            (machine("x", 12, false), true, false),
            // A state more: another graph, another execution.
            (machine("x", 1, true), false, false),
        ];
        for (text, same_graph, same_trace) in cases {
            let next = reanalyze(&first, &docs(&text), &none, 0);
            let fresh = analyze(&docs(&text), &none, 0, None);
            assert_eq!(
                Rc::ptr_eq(next.graph.as_ref().unwrap(), &graph),
                same_graph,
                "{text}"
            );
            assert_eq!(
                Rc::ptr_eq(next.trace.as_ref().unwrap(), &trace),
                same_trace,
                "{text}"
            );
            // Incremental or not, the result is the same.
            assert_eq!(next.graph, fresh.graph, "{text}");
            assert_eq!(next.trace, fresh.trace, "{text}");
        }
        // Reordered keys are another run, though `serde_json`'s `==` calls them equal.
        let swapped = machine("x", 1, false).replace(
            r#""Result": {"i": 1}, "ResultPath": "$.r""#,
            r#""ResultPath": "$.r", "Result": {"i": 1, "j": 2}"#,
        );
        let with_j = reanalyze(&first, &docs(&swapped), &none, 0);
        let reordered = swapped.replace(r#"{"i": 1, "j": 2}"#, r#"{"j": 2, "i": 1}"#);
        let next = reanalyze(&with_j, &docs(&reordered), &none, 0);
        let text = |a: &Analysis| serde_json::to_string(a.trace.as_deref().unwrap()).unwrap();
        assert_ne!(text(&next), text(&with_j));
        assert_eq!(
            text(&next),
            text(&analyze(&docs(&reordered), &none, 0, None))
        );
        let input = |text: &str| Documents {
            definition: machine("x", 1, false),
            input: text.to_string(),
        };
        let ab = analyze(&input(r#"{"a": 1, "b": 2}"#), &none, 0, None);
        let ba = reanalyze(&ab, &input(r#"{"b": 2, "a": 1}"#), &none, 0);
        assert!(!Rc::ptr_eq(
            ab.trace.as_ref().unwrap(),
            ba.trace.as_ref().unwrap()
        ));
        assert!(text(&ba).contains(r#"{\"b\":2,\"a\":1"#), "{}", text(&ba));
        // Another seed or outcome is another run, even for the same machine.
        let reseeded = reanalyze(&first, &docs(&machine("x", 1, false)), &none, 7);
        assert_eq!(
            reseeded.trace,
            analyze(&docs(&machine("x", 1, false)), &none, 7, None).trace
        );
        // Broken JSON keeps the last graph, dimmed, and has no trace.
        let broken = reanalyze(&first, &docs("{\"StartAt\": "), &none, 0);
        assert!(broken.graph_stale && broken.trace.is_none());
        assert!(Rc::ptr_eq(broken.graph.as_ref().unwrap(), &graph));
        let fixed = reanalyze(&broken, &docs(&machine("x", 1, false)), &none, 0);
        assert!(!fixed.graph_stale);
        assert!(Rc::ptr_eq(fixed.graph.as_ref().unwrap(), &graph));
    }
}
