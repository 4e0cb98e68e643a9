//! "Outcomes for <state>": one row per invocation of a Task, each choosing what that attempt
//! does (the engine's default, Succeed with an editable result, Fail with one of the service's
//! common errors or a typed one, Time out) and how long it takes on the virtual clock.
//!
//! Rows only dispatch `Action::SetOutcome`; the engine decides what the outcome leads to.

use std::rc::Rc;

use stepwise_asl::json::Value;
use stepwise_asl::{State, StateKind};
use stepwise_engine::services::{self, CallContext, ErrorPreset, IdGen};
use stepwise_engine::{AttemptOutcome, Outcome, PlannedOutcome, Trace};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::presets::literal_parameters;
use crate::app::use_store;
use crate::store::Action;
use crate::ui;

/// What one row of the panel needs, computed from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct RowModel {
    pub invocation: u32,
    pub current: Option<PlannedOutcome>,
    /// The result a "Succeed" starts from: the injected one, the one the trace shows for this
    /// invocation, or the engine's realistic default for the resource.
    pub prefill: Rc<Value>,
    /// Where this invocation happened in the current run, e.g. "attempt 2 · failed".
    pub note: Option<String>,
    /// The service's common failures for this invocation.
    pub failures: Rc<Vec<ErrorPreset>>,
}

/// The Task's Retry policy: attempts allowed per visit (1 + the largest MaxAttempts).
pub fn attempts_allowed(state: &State) -> u32 {
    let retries = state
        .retry
        .iter()
        .map(|r| r.max_attempts)
        .max()
        .unwrap_or(0);
    u32::try_from(retries.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The invocations the trace made of `state`: (invocation, scope, attempt number, outcome).
fn invocations<'a>(
    trace: &'a Trace,
    state: &'a str,
) -> impl Iterator<Item = (u32, &'a [String], &'a stepwise_engine::Attempt)> + 'a {
    trace
        .steps
        .iter()
        .filter(move |s| s.state == state)
        .flat_map(|s| {
            s.attempts
                .iter()
                .filter_map(move |a| Some((a.invocation?, s.scope.as_slice(), a)))
        })
}

/// The rows to show: every attempt the policy allows, every invocation the trace made and
/// every injected outcome.
pub fn rows(
    state: &State,
    trace: Option<&Trace>,
    injected: Option<&Vec<Option<PlannedOutcome>>>,
    seed: u64,
) -> Vec<RowModel> {
    let StateKind::Task(task) = &state.kind else {
        return Vec::new();
    };
    let made = trace
        .into_iter()
        .flat_map(|t| invocations(t, &state.name))
        .map(|(n, _, _)| n.saturating_add(1))
        .max()
        .unwrap_or(0);
    let injected_len = injected.map_or(0, |v| u32::try_from(v.len()).unwrap_or(u32::MAX));
    let count = attempts_allowed(state).max(made).max(injected_len).min(500);
    let info = services::classify(&task.resource);
    (0..count)
        .map(|n| {
            let current = injected.and_then(|v| v.get(n as usize)).cloned().flatten();
            let seen = trace.and_then(|t| invocations(t, &state.name).find(|(i, _, _)| *i == n));
            let note = seen.map(|(_, scope, a)| {
                let place = if scope.is_empty() {
                    String::new()
                } else {
                    format!("{} · ", scope.join(" › "))
                };
                let what = match &a.outcome {
                    AttemptOutcome::Succeeded => "succeeded".to_string(),
                    AttemptOutcome::Failed { error, .. } => format!("failed: {error}"),
                    AttemptOutcome::TimedOut { error } => format!("timed out: {error}"),
                };
                format!("This run: {place}attempt {} {what}", a.number)
            });
            let prefill = match current.as_ref().map(|p| &p.outcome) {
                Some(Outcome::Return(v)) => v.clone(),
                _ => trace
                    .and_then(|t| succeeded_result(t, &state.name, n))
                    .cloned()
                    .unwrap_or_else(|| {
                        let input = trace
                            .and_then(|t| {
                                t.steps
                                    .iter()
                                    .find(|s| s.state == state.name)
                                    .and_then(|s| s.data.after_parameters.as_deref().cloned())
                            })
                            .unwrap_or_else(|| literal_parameters(state));
                        let mut ids = IdGen::new(seed ^ u64::from(n));
                        let ctx = CallContext {
                            duration_ms: services::default_duration_ms(&info),
                            ..CallContext::default()
                        };
                        services::default_success(&info, &input, &mut ids, &ctx)
                    }),
            };
            RowModel {
                invocation: n,
                current,
                prefill: Rc::new(prefill),
                note,
                failures: Rc::new(failure_presets(state, n)),
            }
        })
        .collect()
}

/// The result of invocation `n` of `state` in the trace, when that attempt succeeded.
pub fn succeeded_result<'a>(trace: &'a Trace, state: &str, n: u32) -> Option<&'a Value> {
    trace
        .steps
        .iter()
        .filter(|s| s.state == state)
        .find(|s| {
            s.attempts
                .iter()
                .any(|a| a.invocation == Some(n) && a.outcome == AttemptOutcome::Succeeded)
        })
        .and_then(|s| s.data.result.as_deref())
}

/// The service's common failures for one invocation of a Task (time-outs have their own
/// choice): names from the Task's literal parameters, ids seeded by state and invocation so
/// that attempts differ (the scenario presets use the same ones).
pub fn failure_presets(state: &State, invocation: u32) -> Vec<ErrorPreset> {
    let StateKind::Task(task) = &state.kind else {
        return Vec::new();
    };
    let info = services::classify(&task.resource);
    let mut ids = IdGen::from_str_seed(&format!("{}#{invocation}", state.name));
    services::presets_with(
        &info,
        &literal_parameters(state),
        &mut ids,
        &CallContext::default(),
    )
    .into_iter()
    .filter(|p| !p.timeout)
    .collect()
}

/// The default duration of one attempt of this Task with this outcome (`None`: the
/// service's default), in milliseconds: the engine's own rule (a `.sync` call the service API
/// rejects takes an API call's time, not the job's).
pub fn default_duration_ms(state: &State, outcome: Option<&stepwise_engine::Outcome>) -> u64 {
    match &state.kind {
        StateKind::Task(task) => {
            services::attempt_default_ms(&services::classify(&task.resource), outcome)
        }
        _ => 0,
    }
}

/// Seconds for a duration input: `120`, `0.05`.
pub fn format_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        let s = format!("{:.3}", ms as f64 / 1000.0);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Parse a duration input in seconds: empty = the default (None); negative or not a number
/// is an error.
pub fn parse_seconds(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=31_536_000.0).contains(&s) => {
            Ok(Some((s * 1000.0).round() as u64))
        }
        _ => Err("The duration must be a number of seconds between 0 and 1 year.".to_string()),
    }
}

#[derive(Properties, PartialEq)]
pub struct RowProps {
    pub state: AttrValue,
    pub row: RowModel,
    pub default_ms: u64,
    /// The Task has a timeout the engine can apply (TimeoutSeconds / HeartbeatSeconds or AWS's
    /// default): shown next to "Time out".
    pub timeout_hint: AttrValue,
}

/// Local edits of one row, valid while the store still holds `basis`.
#[derive(Debug, Clone, PartialEq, Default)]
struct Draft {
    basis: Option<PlannedOutcome>,
    result: Option<String>,
    result_problem: Option<String>,
    error: Option<String>,
    cause: Option<String>,
    error_problem: Option<String>,
    custom: bool,
    duration: Option<String>,
    duration_problem: Option<String>,
}

/// The row's modes: (value, text) of the options of its select.
const MODES: [(&str, &str); 4] = [
    ("default", "Default (succeeds)"),
    ("succeed", "Succeed"),
    ("fail", "Fail"),
    ("timeout", "Time out"),
];

fn mode_of(current: Option<&PlannedOutcome>) -> &'static str {
    match current.map(|p| &p.outcome) {
        None => "default",
        Some(Outcome::Return(_) | Outcome::Echo) => "succeed",
        Some(Outcome::Throw { .. }) => "fail",
        Some(Outcome::TimeOut) => "timeout",
    }
}

#[function_component(OutcomeRow)]
pub fn outcome_row(props: &RowProps) -> Html {
    let store = use_store();
    let draft_handle = use_state(Draft::default);
    let row = &props.row;
    let n = row.invocation;
    let current = row.current.clone();
    // A draft made against another outcome (a preset was applied since) is dropped.
    let draft = if draft_handle.basis == current {
        (*draft_handle).clone()
    } else {
        Draft {
            basis: current.clone(),
            ..Draft::default()
        }
    };
    let duration_ms = current.as_ref().and_then(|p| p.duration_ms);

    let set = {
        let store = store.clone();
        let state = props.state.to_string();
        Callback::from(move |outcome: Option<PlannedOutcome>| {
            store.dispatch(Action::SetOutcome {
                state: state.clone(),
                invocation: n,
                outcome,
            });
        })
    };

    let on_mode = {
        let set = set.clone();
        let draft_handle = draft_handle.clone();
        let prefill = row.prefill.clone();
        let presets = props.row.failures.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let outcome = match value.as_str() {
                "succeed" => Some(Outcome::Return((*prefill).clone())),
                "fail" => Some(presets.first().map_or_else(
                    || Outcome::throw("States.TaskFailed", ""),
                    ErrorPreset::outcome,
                )),
                "timeout" => Some(Outcome::TimeOut),
                _ => None,
            };
            let planned = outcome.map(|o| PlannedOutcome {
                outcome: o,
                duration_ms,
            });
            draft_handle.set(Draft {
                basis: planned.clone(),
                ..Draft::default()
            });
            set.emit(planned);
        })
    };

    let on_result = {
        let set = set.clone();
        let draft_handle = draft_handle.clone();
        let basis = current.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            match serde_json::from_str::<Value>(&text) {
                Ok(v) => {
                    let planned = Some(PlannedOutcome {
                        outcome: Outcome::Return(v),
                        duration_ms,
                    });
                    draft_handle.set(Draft {
                        basis: planned.clone(),
                        result: Some(text),
                        ..Draft::default()
                    });
                    set.emit(planned);
                }
                Err(err) => draft_handle.set(Draft {
                    basis: basis.clone(),
                    result: Some(text),
                    result_problem: Some(format!(
                        "Not valid JSON ({err}): this result is not applied."
                    )),
                    ..Draft::default()
                }),
            }
        })
    };

    let (cur_error, cur_cause) = match current.as_ref().map(|p| &p.outcome) {
        Some(Outcome::Throw { error, cause }) => (error.clone(), cause.clone()),
        _ => (String::new(), String::new()),
    };
    let shown_error = draft.error.clone().unwrap_or_else(|| cur_error.clone());
    let shown_cause = draft.cause.clone().unwrap_or_else(|| cur_cause.clone());

    let throw = {
        let set = set.clone();
        let draft_handle = draft_handle.clone();
        let basis = current.clone();
        move |error: String, cause: String, draft_error: bool| {
            if error.trim().is_empty() {
                draft_handle.set(Draft {
                    basis: basis.clone(),
                    error: Some(error),
                    cause: Some(cause),
                    custom: true,
                    error_problem: Some(
                        "Give the error a name (e.g. States.TaskFailed): nothing is applied until then."
                            .to_string(),
                    ),
                    ..Draft::default()
                });
                return;
            }
            let planned = Some(PlannedOutcome {
                outcome: Outcome::throw(error.clone(), cause.clone()),
                duration_ms,
            });
            draft_handle.set(Draft {
                basis: planned.clone(),
                error: draft_error.then_some(error),
                cause: Some(cause),
                custom: true,
                ..Draft::default()
            });
            set.emit(planned);
        }
    };
    let on_error = {
        let throw = throw.clone();
        let cause = shown_cause.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            throw(text, cause.clone(), true);
        })
    };
    let on_cause = {
        let throw = throw.clone();
        let error = shown_error.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            throw(error.clone(), text, true);
        })
    };

    let preset_index = if draft.custom {
        None
    } else {
        row.failures
            .iter()
            .position(|p| p.error == cur_error && p.cause == cur_cause)
    };
    let on_preset = {
        let set = set.clone();
        let draft_handle = draft_handle.clone();
        let presets = row.failures.clone();
        let basis = current.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            match value.parse::<usize>().ok().and_then(|i| presets.get(i)) {
                Some(p) => {
                    let planned = Some(PlannedOutcome {
                        outcome: p.outcome(),
                        duration_ms,
                    });
                    draft_handle.set(Draft {
                        basis: planned.clone(),
                        ..Draft::default()
                    });
                    set.emit(planned);
                }
                None => draft_handle.set(Draft {
                    basis: basis.clone(),
                    custom: true,
                    ..Draft::default()
                }),
            }
        })
    };

    let on_duration = {
        let set = set.clone();
        let draft_handle = draft_handle.clone();
        let basis = current.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let Some(base) = basis.clone() else { return };
            match parse_seconds(&text) {
                Ok(ms) => {
                    let planned = Some(PlannedOutcome {
                        duration_ms: ms,
                        ..base
                    });
                    draft_handle.set(Draft {
                        basis: planned.clone(),
                        duration: Some(text),
                        ..Draft::default()
                    });
                    set.emit(planned);
                }
                Err(problem) => draft_handle.set(Draft {
                    basis: basis.clone(),
                    duration: Some(text),
                    duration_problem: Some(problem),
                    ..Draft::default()
                }),
            }
        })
    };

    let mode = mode_of(current.as_ref());
    let result_text =
        draft
            .result
            .clone()
            .unwrap_or_else(|| match current.as_ref().map(|p| &p.outcome) {
                Some(Outcome::Return(v)) => serde_json::to_string_pretty(v).unwrap_or_default(),
                _ => String::new(),
            });
    let duration_text = draft
        .duration
        .clone()
        .unwrap_or_else(|| duration_ms.map(format_seconds).unwrap_or_default());
    let selected_preset = preset_index.map(|i| row.failures.get(i));
    let description = selected_preset
        .flatten()
        .map(|p| p.description.clone())
        .filter(|_| mode == "fail");

    html! {
        <li class={classes!("outcome-row", format!("mode-{mode}"))} data-attempt={(n + 1).to_string()}>
            <div class="outcome-line">
                <label class="outcome-label">
                    <span class="attempt-name" aria-hidden="true">{ format!("#{}", n + 1) }</span>
                    <select aria-label={format!("Attempt {}", n + 1)} onchange={on_mode}>
                        { for MODES.iter().map(|&(value, text)| ui::option(AttrValue::Static(value), mode == value, text.into())) }
                    </select>
                </label>
                <label class="duration" title={format!("Simulated duration of this attempt on the virtual clock (default {})", stepwise_engine::outcome::format_duration_ms(props.default_ms))}>
                    <input
                        type="number" min="0" step="any" inputmode="decimal"
                        aria-label="Duration (s)"
                        placeholder={format_seconds(props.default_ms)}
                        value={duration_text}
                        disabled={mode == "default" || mode == "timeout"}
                        oninput={on_duration}
                    />
                    <span class="unit" aria-hidden="true">{ "s" }</span>
                </label>
            </div>
            if let Some(note) = &row.note {
                { ui::el("div", "outcome-note", note.into()) }
            }
            if let Some(problem) = &draft.duration_problem {
                { ui::problem(problem) }
            }
            if mode == "succeed" {
                <textarea
                    class="outcome-result code-small"
                    aria-label="Result"
                    spellcheck="false"
                    rows="6"
                    value={result_text}
                    oninput={on_result}
                />
                if let Some(problem) = &draft.result_problem {
                    { ui::problem(problem) }
                }
            }
            if mode == "fail" {
                <div class="outcome-fail">
                    <select aria-label="Failure" onchange={on_preset}>
                        { for row.failures.iter().enumerate().map(|(i, p)| ui::option(i.to_string().into(), preset_index == Some(i), p.label.as_str().into())) }
                        { ui::option(AttrValue::Static("custom"), preset_index.is_none(), "Custom…".into()) }
                    </select>
                    if let Some(d) = description {
                        { ui::el("p", "outcome-desc", d.into()) }
                    }
                    <input type="text" class="code-small" aria-label="Error" spellcheck="false"
                        value={shown_error} oninput={on_error} />
                    <textarea class="code-small" aria-label="Cause" spellcheck="false" rows="3"
                        value={shown_cause} oninput={on_cause} />
                    if let Some(problem) = &draft.error_problem {
                        { ui::problem(problem) }
                    }
                </div>
            }
            if mode == "timeout" {
                { ui::el("p", "outcome-desc", (&props.timeout_hint).into()) }
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::State as Store;

    #[test]
    fn the_duration_hint_is_the_engines_for_that_outcome() {
        use stepwise_engine::Outcome;
        let store = Store::default();
        let machine = store.analysis.parsed.machine.clone().unwrap();
        let submit = super::super::presets::task_state(&machine, "Submit Batch Job").unwrap();
        let throw = |error: &str| Outcome::Throw {
            error: error.into(),
            cause: String::new(),
        };
        // The job runs (and fails, or succeeds) for 2 min; a rejected SubmitJob takes 300 ms.
        assert_eq!(default_duration_ms(submit, None), 120_000);
        assert_eq!(
            default_duration_ms(submit, Some(&throw("States.TaskFailed"))),
            120_000
        );
        assert_eq!(
            default_duration_ms(submit, Some(&throw("Batch.AWSBatchException"))),
            300
        );
        // And the engine agrees: the throttled attempt ends 300 ms after it started.
        let s = Rc::new(Store::default()).reduce(crate::store::Action::SetOutcome {
            state: "Submit Batch Job".into(),
            invocation: 0,
            outcome: Some(PlannedOutcome {
                outcome: throw("Batch.AWSBatchException"),
                duration_ms: None,
            }),
        });
        let trace = s.trace().unwrap();
        let failed = trace
            .events
            .iter()
            .find(|e| e.kind == stepwise_engine::EventType::TaskFailed)
            .unwrap();
        let started = trace
            .events
            .iter()
            .find(|e| e.kind == stepwise_engine::EventType::TaskScheduled)
            .unwrap();
        assert_eq!(failed.elapsed_ms - started.elapsed_ms, 300);
    }

    #[test]
    fn rows_follow_the_retry_policy_and_the_trace() {
        let store = Store::default();
        let machine = store.analysis.parsed.machine.clone().unwrap();
        let submit = super::super::presets::task_state(&machine, "Submit Batch Job").unwrap();
        assert_eq!(attempts_allowed(submit), 3);
        let r = rows(submit, store.trace(), None, 0);
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|r| r.current.is_none()));
        // The first invocation ran (and succeeded by default): its note and the trace's result.
        assert_eq!(r[0].note.as_deref(), Some("This run: attempt 1 succeeded"));
        assert_eq!(r[0].prefill["Status"], "SUCCEEDED");
        assert_eq!(r[1].note, None);
        assert_eq!(r[2].prefill["Status"], "SUCCEEDED");
        let notify = super::super::presets::task_state(&machine, "Notify Success").unwrap();
        assert_eq!(attempts_allowed(notify), 1);
        assert!(r[0].prefill.get("JobId").is_some());
        let fails = failure_presets(submit, 0);
        assert_ne!(fails, failure_presets(submit, 1));
        assert_eq!(fails[0].error, "States.TaskFailed");
        assert!(fails.iter().any(|p| p.error == "Batch.AWSBatchException"));
        assert!(fails.iter().all(|p| !p.timeout));
    }

    #[test]
    fn durations_in_seconds() {
        assert_eq!(format_seconds(120_000), "120");
        assert_eq!(format_seconds(50), "0.05");
        assert_eq!(parse_seconds(" 45 "), Ok(Some(45_000)));
        assert_eq!(parse_seconds("0.2"), Ok(Some(200)));
        assert_eq!(parse_seconds(""), Ok(None));
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("abc").is_err());
    }
}
