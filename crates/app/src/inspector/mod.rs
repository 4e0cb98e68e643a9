//! The inspector (right column): the selected state, or the step at the cursor.
//!
//! - a header with the state's name, type, status at the cursor and a visit selector;
//! - the scenario bar: the sample's presets ("Scenario") and "Ask me when it happens";
//! - the question the page asks in ask mode;
//! - "Why": the engine's explanation of every decision of the visit;
//! - "Outcomes for <state>" when the state is a Task ([`outcomes`]);
//! - the data-flow card ([`dataflow`]) and the list of attempts.
//!
//! Everything shown is computed by the engine; this module only reads the store and
//! dispatches actions.

pub mod dataflow;
pub mod outcomes;
pub mod presets;

use std::rc::Rc;

use stepwise_asl::{Setting, State, StateKind, StateMachine};
use stepwise_engine::outcome::format_duration_ms;
use stepwise_engine::{AttemptOutcome, Outcome, PlannedOutcome, Step, Trace};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui;

use crate::app::{use_state_of, use_store};
use crate::store::{Action, Question};
use crate::view::{self, StateStatus};
use dataflow::Reveal;
use outcomes::{OutcomeRow, RowModel};

/// The model the inspector reads expressions from: the valid machine, else the outline.
fn model(store: &crate::store::State) -> Option<&StateMachine> {
    store
        .analysis
        .parsed
        .machine
        .as_ref()
        .or(store.analysis.parsed.outline.as_ref())
}

/// The state the inspector shows and the visit (index into `trace.steps`) it shows by default.
pub fn inspected(store: &crate::store::State) -> Option<(String, Option<usize>)> {
    let trace = store.trace();
    match &store.selected {
        Some(name) => Some((
            name.clone(),
            trace.and_then(|t| view::visit_of(t, name, store.cursor)),
        )),
        None => {
            let t = trace?;
            let i = view::current_step(t, store.cursor)?;
            Some((t.steps.get(i)?.state.clone(), Some(i)))
        }
    }
}

/// The attempt number (1-based, within its visit) of a question, from the trace.
pub fn question_attempt(trace: Option<&Trace>, q: &Question) -> u32 {
    trace
        .and_then(|t| {
            t.steps
                .iter()
                .filter(|s| s.state == q.state)
                .flat_map(|s| s.attempts.iter())
                .find(|a| a.invocation == Some(q.invocation))
                .map(|a| a.number)
        })
        .unwrap_or(q.invocation.saturating_add(1))
}

/// The visit the user picked in the inspector, per state name.
pub type Picked = UseStateHandle<Option<(String, usize)>>;

/// The inspector's state (the page runs it; see [`inspector_pane`]).
#[hook]
pub fn use_picked() -> Picked {
    use_state(|| None::<(String, usize)>)
}

/// The inspector (a plain function of the page: its state is [`use_picked`]'s).
pub fn inspector_pane(store: &crate::app::Store, picked: &Picked) -> Html {
    let target = inspected(store);
    let trace = store.trace();
    let body = match (&target, model(store)) {
        (Some((name, default_visit)), machine) => {
            let state = machine.and_then(|m| presets::task_state(m, name));
            let visits: Vec<usize> = trace
                .map(|t| {
                    t.steps
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| &s.state == name)
                        .map(|(i, _)| i)
                        .collect()
                })
                .unwrap_or_default();
            let visit = picked
                .as_ref()
                .filter(|(n, i)| n == name && visits.contains(i))
                .map(|(_, i)| *i)
                .or(*default_visit);
            let step = visit.and_then(|i| trace.and_then(|t| t.steps.get(i)));
            let on_visit = {
                let picked = picked.clone();
                let name = name.clone();
                Callback::from(move |e: Event| {
                    let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                    if let Ok(i) = value.parse::<usize>() {
                        picked.set(Some((name.clone(), i)));
                    }
                })
            };
            html! {
                <>
                    { header(name, state, step, &visits, visit, store.cursor, trace, on_visit) }
                    <div class="insp-scroll">
                        if let Some(q) = &store.question {
                            <QuestionCard question={q.clone()} />
                        }
                        { explanation(step, store.cursor) }
                        if let Some(state) = state.filter(|s| matches!(s.kind, StateKind::Task(_))) {
                            { outcomes_card(store, state) }
                        }
                        if let Some(state) = state {
                            { data_flow(state, step, store.cursor) }
                        }
                        { attempts(step, store.cursor) }
                    </div>
                </>
            }
        }
        (None, _) => html! {
            <div class="insp-scroll">
                if let Some(q) = &store.question {
                    <QuestionCard question={q.clone()} />
                }
                <div class="insp-empty">
                    if let Some(blocked) = &store.analysis.blocked {
                        { ui::el("p", "", blocked.into()) }
                    } else {
                        { ui::el("p", "insp-hint", "Select a state on the graph to see its data flow and choose its outcomes, or step through the execution: the inspector follows the step at the cursor.".into()) }
                    }
                </div>
            </div>
        },
    };
    html! {
        <aside class="inspector-pane" aria-label="Inspector">
            { scenario_bar(store) }
            { body }
        </aside>
    }
}

#[allow(clippy::too_many_arguments)]
fn header(
    name: &str,
    state: Option<&State>,
    step: Option<&Step>,
    visits: &[usize],
    visit: Option<usize>,
    cursor: usize,
    trace: Option<&Trace>,
    on_visit: Callback<Event>,
) -> Html {
    let status = step.map_or(StateStatus::NotRun, |s| view::step_status(s, cursor));
    let type_name = state
        .map(State::type_name)
        .or(step.map(|s| s.state_type))
        .unwrap_or("State");
    let resource = state.and_then(|s| match &s.kind {
        StateKind::Task(t) => Some(stepwise_engine::services::classify(&t.resource).display_name()),
        _ => None,
    });
    html! {
        <header class="insp-header">
            <div class="insp-title">
                <h2 title={name.to_string()}>{ name }</h2>
                <span class={classes!("status-pill", status.as_str())} data-status={status.as_str()}>
                    { status.label() }
                </span>
            </div>
            <div class="insp-meta">
                { ui::el("span", "type-badge", type_name.into()) }
                if let Some(r) = resource { { ui::el("span", "insp-resource", r.into()) } }
                if let Some(s) = step.filter(|s| !s.scope.is_empty()) {
                    { ui::el("span", "insp-scope", (s.scope.join(" › ")).into()) }
                }
                if visits.len() > 1 {
                    { ui::field_select("insp-visit", "Visit", "Visit", None, on_visit, html! {<>
                        { for visits.iter().enumerate().map(|(k, &i)| {
                            let s = trace.and_then(|t| t.steps.get(i));
                            let scope = s.map(|s| s.scope.join(" › ")).unwrap_or_default();
                            let started = s.is_some_and(|s| s.first_event as usize <= cursor);
                            let text = format!(
                                "{} of {}{}{}",
                                k + 1,
                                visits.len(),
                                if scope.is_empty() { String::new() } else { format!(" · {scope}") },
                                if started { "" } else { " (later)" },
                            );
                            ui::option(i.to_string().into(), visit == Some(i), text.into())
                        }) }
                    </>}) }
                }
            </div>
        </header>
    }
}

fn reveal(step: Option<&Step>, cursor: usize) -> Reveal {
    match step.map(|s| view::step_status(s, cursor)) {
        None | Some(StateStatus::NotRun) => Reveal::Nothing,
        Some(StateStatus::InProgress) => Reveal::Input,
        Some(_) => Reveal::All,
    }
}

/// The engine's explanations; while the visit is in progress, only those of the attempts
/// that have ended (one decision follows each failed attempt).
fn explanation(step: Option<&Step>, cursor: usize) -> Html {
    let Some(step) = step else {
        return html! {};
    };
    let lines: Vec<&String> = match reveal(Some(step), cursor) {
        Reveal::Nothing => Vec::new(),
        Reveal::All => step.explanations.iter().collect(),
        Reveal::Input => {
            let failed_done = step
                .attempts
                .iter()
                .filter(|a| a.last_event as usize <= cursor)
                .filter(|a| a.outcome != AttemptOutcome::Succeeded)
                .count();
            step.explanations.iter().take(failed_done).collect()
        }
    };
    let status = view::step_status(step, cursor);
    let verdict = match status {
        StateStatus::NotRun => Some("Not run yet at the cursor."),
        StateStatus::InProgress => Some("In progress at the cursor."),
        _ => None,
    };
    let error = step
        .error
        .as_ref()
        .filter(|_| matches!(status, StateStatus::Failed | StateStatus::Caught));
    html! {
        <section class="insp-section insp-why" aria-label="Why">
            { ui::el("h3", "", "What happened".into()) }
            if let Some(v) = verdict { { ui::el("p", "insp-hint", v.into()) } }
            if let Some(e) = error {
                <p class={classes!("insp-error", status.as_str())}>
                    { ui::el("strong", "", (&e.error).into()) }
                    if !e.cause.is_empty() {
                        <span class="insp-cause" title={e.cause.clone()}>{ dataflow::compact(&stepwise_asl::json::Value::String(e.cause.clone().into()), 140) }</span>
                    }
                </p>
            }
            if !lines.is_empty() {
                <ol class="why-list">
                    { for lines.iter().map(|l| html! { { ui::el("li", "", (l.as_str()).into()) } }) }
                </ol>
            }
            if status == StateStatus::Succeeded || status == StateStatus::Caught {
                if let Some(next) = &step.next {
                    <p class="insp-next">{ "Next: " }{ ui::el("strong", "", next.into()) }</p>
                }
            }
        </section>
    }
}

fn attempts(step: Option<&Step>, cursor: usize) -> Html {
    let Some(step) = step else {
        return html! {};
    };
    let shown: Vec<_> = step
        .attempts
        .iter()
        .filter(|a| a.first_event as usize <= cursor)
        .collect();
    if step.attempts.is_empty() {
        return html! {};
    }
    html! {
        <section class="insp-section" aria-label="Attempts">
            <h3>{ format!("Attempts ({} of {})", shown.len(), step.attempts.len()) }</h3>
            if shown.is_empty() {
                { ui::el("p", "insp-hint", "No attempt has started at the cursor.".into()) }
            }
            <ol class="attempt-list">
                { for shown.iter().enumerate().map(|(k, a)| {
                    let running = a.last_event as usize > cursor;
                    let (class, what) = if running {
                        ("running", "In progress".to_string())
                    } else {
                        match &a.outcome {
                            AttemptOutcome::Succeeded => ("succeeded", "Succeeded".to_string()),
                            AttemptOutcome::Failed { error, .. } => ("failed", format!("Failed · {error}")),
                            AttemptOutcome::TimedOut { error } => ("failed", format!("Timed out · {error}")),
                        }
                    };
                    let wait = k.checked_sub(1)
                        .and_then(|p| shown.get(p))
                        .map(|p| a.started_ms.saturating_sub(p.ended_ms))
                        .filter(|w| *w > 0);
                    html! {
                        <li class={classes!("attempt", class)}>
                            if let Some(w) = wait {
                                <div class="retry-wait">{ format!("↻ retry after {}", format_duration_ms(w)) }</div>
                            }
                            <div class="attempt-head">
                                <span class="attempt-no">{ format!("Attempt {}", a.number) }</span>
                                { ui::el("span", "attempt-what", what.into()) }
                                if !running {
                                    { ui::el("span", "attempt-time", (format_duration_ms(a.ended_ms.saturating_sub(a.started_ms))).into()) }
                                }
                            </div>
                            if !running {
                                { ui::el("p", "attempt-why", (&a.explanation).into()) }
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

fn data_flow(state: &State, step: Option<&Step>, cursor: usize) -> Html {
    let stages = dataflow::stages(
        state,
        step.map(|s| std::borrow::Borrow::<stepwise_engine::Inspection>::borrow(&s.data)),
        reveal(step, cursor),
    );
    html! {
        <section class="insp-section" aria-label="Input and output">
            { ui::el("h3", "", "Input & output".into()) }
            { dataflow::card(&stages) }
        </section>
    }
}

fn timeout_hint(state: &State) -> String {
    match &state.kind {
        StateKind::Task(t) => match (&t.timeout_seconds, &t.heartbeat_seconds) {
            (Some(Setting::Literal(n)), _) => format!(
                "The attempt runs past TimeoutSeconds ({n} s): Step Functions raises States.Timeout with an empty cause."
            ),
            (_, Some(Setting::Literal(h))) => format!(
                "The worker misses its HeartbeatSeconds ({h} s): Step Functions raises States.Timeout."
            ),
            (Some(_), _) | (_, Some(_)) => "The attempt exceeds its TimeoutSeconds/HeartbeatSeconds: States.Timeout with an empty cause.".to_string(),
            (None, None) => "This Task sets no TimeoutSeconds, so AWS's default of 99,999,999 s applies: a hung attempt keeps waiting, and the execution's own TimeoutSeconds may end it first.".to_string(),
        },
        _ => String::new(),
    }
}

fn outcomes_card(store: &crate::app::Store, state: &State) -> Html {
    let rows: Vec<RowModel> = outcomes::rows(
        state,
        store.trace(),
        store.outcomes.get(&state.name),
        store.seed,
    );
    let allowed = outcomes::attempts_allowed(state);
    let hint: AttrValue = timeout_hint(state).into();
    let policy = if state.retry.is_empty() {
        "No Retry: one attempt per visit.".to_string()
    } else {
        format!(
            "Retry allows up to {allowed} attempts per visit (1 + MaxAttempts {}).",
            allowed.saturating_sub(1)
        )
    };
    let sample = store.sample.unwrap_or("edited");
    let reset = {
        let store_state = state.name.clone();
        let has = store.outcomes.contains_key(&state.name);
        (has, store_state)
    };
    html! {
        <section class="insp-section outcomes" aria-label={format!("Outcomes for {}", state.name)}>
            <h3>{ format!("Outcomes for {}", state.name) }</h3>
            <p class="insp-hint">
                { policy }
                { " Loops and Map iterations invoke the Task again: one row per invocation, covering every one this run made." }
            </p>
            <ol class="outcome-rows">
                { for rows.into_iter().map(|row| {
                    let key = format!("{sample}/{}/{}", state.name, row.invocation);
                    let default_ms =
                        outcomes::default_duration_ms(state, row.current.as_ref().map(|p| &p.outcome));
                    html! {
                        <OutcomeRow
                            {key}
                            state={AttrValue::from(state.name.clone())}
                            row={row}
                            default_ms={default_ms}
                            timeout_hint={hint.clone()}
                        />
                    }
                }) }
            </ol>
            if reset.0 {
                { reset_outcomes(store, reset.1) }
            }
        </section>
    }
}

fn reset_outcomes(store: &crate::app::Store, name: String) -> Html {
    let onclick = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let mut all = store.outcomes.clone();
            all.remove(&name);
            store.dispatch(Action::SetOutcomes(all));
        })
    };
    ui::button_with(
        "small",
        None,
        None,
        false,
        onclick,
        "Use the defaults for this state".into(),
    )
}

/// The sample's presets and the ask-mode toggle.
fn scenario_bar(store: &crate::app::Store) -> Html {
    let presets = match (store.sample, store.analysis.parsed.machine.as_ref()) {
        (Some(sample), Some(machine)) => presets::for_sample(sample, machine),
        _ => Vec::new(),
    };
    let current = presets::matching(&presets, &store.outcomes).map(|p| p.name);
    let presets = Rc::new(presets);
    let onchange = {
        let store = store.clone();
        let presets = presets.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(p) = presets.iter().find(|p| p.name == value) {
                store.dispatch(Action::SetOutcomes(p.outcomes.clone()));
            } else if value == "defaults" {
                store.dispatch(Action::SetOutcomes(Default::default()));
            }
        })
    };
    let on_ask = {
        let store = store.clone();
        let ask = store.ask;
        Callback::from(move |_: Event| store.dispatch(Action::SetAsk(!ask)))
    };
    let description = presets
        .iter()
        .find(|p| Some(p.name) == current)
        .map(|p| p.description);
    let custom = current.is_none();
    let has_empty_preset = presets.iter().any(|p| p.outcomes.is_empty());
    html! {
        <div class="scenario-bar">
            <div class="scenario-controls">
                { ui::field_select("field scenario", "Scenario", "Scenario", Some(AttrValue::Static(description.unwrap_or_default())), onchange, html! {<>
                    if custom && !store.outcomes.is_empty() {
                        { ui::option(AttrValue::Static(""), true, "Custom outcomes".into()) }
                    }
                    if !has_empty_preset {
                        { ui::option(AttrValue::Static("defaults"), custom && store.outcomes.is_empty(), "Engine defaults".into()) }
                    }
                    { for presets.iter().map(|p| ui::option(AttrValue::Static(p.name), Some(p.name) == current, p.name.into())) }
                </>}) }
                <label class="ask-toggle">
                    <input type="checkbox" checked={store.ask} onchange={on_ask} />
                    { ui::el("span", "", "Ask me when it happens".into()) }
                </label>
            </div>
            if let Some(d) = description {
                { ui::el("p", "scenario-desc", d.into()) }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct QuestionProps {
    question: Question,
}

/// "What happens at attempt N of <state>?" with Succeed / Fail / Time out.
#[function_component(QuestionCard)]
fn question_card(props: &QuestionProps) -> Html {
    let store = use_store();
    let choice = use_state_of(0usize);
    let q = &props.question;
    let state = model(&store).and_then(|m| presets::task_state(m, &q.state));
    let failures = Rc::new(
        state
            .map(|s| outcomes::failure_presets(s, q.invocation))
            .unwrap_or_default(),
    );
    let attempt = question_attempt(store.trace(), q);
    let succeed_value = state
        .map(|s| {
            outcomes::rows(s, store.trace(), store.outcomes.get(&s.name), store.seed)
                .into_iter()
                .find(|r| r.invocation == q.invocation)
                .map(|r| (*r.prefill).clone())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let answer = |outcome: Outcome| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Answer(PlannedOutcome::new(outcome.clone())));
        })
    };
    let on_fail = {
        let store = store.clone();
        let failures = failures.clone();
        let choice = choice.clone();
        Callback::from(move |_: MouseEvent| {
            let outcome = failures
                .get(*choice)
                .map_or_else(|| Outcome::throw("States.TaskFailed", ""), |p| p.outcome());
            store.dispatch(Action::Answer(PlannedOutcome::new(outcome)));
        })
    };
    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(i) = value.parse::<usize>() {
                choice.set(i);
            }
        })
    };
    html! {
        <section class="question" aria-label="Question" aria-live="polite">
            <p class="question-text">{ format!("What happens at attempt {attempt} of {}?", q.state) }</p>
            <div class="question-buttons">
                { ui::button_with("answer succeed", None, None, false, answer(Outcome::Return(succeed_value)), "Succeed".into()) }
                { ui::button_with("answer fail", None, None, false, on_fail, "Fail".into()) }
                { ui::button_with("answer timeout", None, None, false, answer(Outcome::TimeOut), "Time out".into()) }
            </div>
            if !failures.is_empty() {
                { ui::field_select("field question-preset", "Fail with", "Failure to answer with", None, on_choice, html! {<>
                    { for failures.iter().enumerate().map(|(i, p)| ui::option(i.to_string().into(), *choice == i, p.label.as_str().into())) }
                </>}) }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Action, State as Store};
    use yew::Reducible;

    async fn render(store: Store) -> String {
        #[derive(Properties, PartialEq)]
        struct P {
            store: Store,
        }
        #[function_component(Host)]
        fn host(p: &P) -> Html {
            let initial = p.store.clone();
            let handle = use_reducer(move || initial);
            let picked = use_picked();
            // As the page renders it: a plain function of the host's store and state.
            let pane = inspector_pane(&handle, &picked);
            html! {
                <ContextProvider<crate::app::Store> context={handle}>
                    { pane }
                </ContextProvider<crate::app::Store>>
            }
        }
        yew::LocalServerRenderer::<Host>::with_props(P { store })
            .render()
            .await
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_selected_task_shows_data_flow_outcomes_and_retries() {
        let s = Rc::new(Store::default()).reduce(Action::Select(Some("Submit Batch Job".into())));
        let machine = s.analysis.parsed.machine.clone().unwrap();
        let preset = presets::for_sample("batch-retry-catch-notify", &machine)
            .into_iter()
            .find(|p| p.name == "Retries exhausted → Catch")
            .unwrap();
        let s = s
            .reduce(Action::SetOutcomes(preset.outcomes))
            .reduce(Action::RunToEnd);
        let html = render((*s).clone()).await;
        for needle in [
            "Outcomes for Submit Batch Job",
            "aria-label=\"Attempt 1\"",
            "aria-label=\"Attempt 3\"",
            "aria-label=\"Error\"",
            "aria-label=\"Cause\"",
            "States.TaskFailed",
            "30 s × 1.5¹ = 45 s",
            "InputPath: (default $)",
            "ResultPath: (default $)",
            "Parameters: {",
            "Retries exhausted → Catch",
            "data-status=\"caught\"",
            "Next: ",
            "Notify Failure",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        assert!(!html.contains("role=\"alert\""));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn ask_mode_asks_about_the_attempt() {
        let s = Rc::new(Store::default())
            .reduce(Action::SetAsk(true))
            .reduce(Action::RunToEnd);
        let q = s.question.clone().expect("a question");
        assert_eq!(question_attempt(s.trace(), &q), 1);
        let html = render((*s).clone()).await;
        assert!(html.contains("What happens at attempt 1 of Submit Batch Job?"));
        for b in ["Succeed", "Fail", "Time out"] {
            assert!(html.contains(&format!(">{b}</button>")), "{b}");
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn without_selection_it_follows_the_cursor() {
        let s = Rc::new(Store::default());
        let html = render((*s).clone()).await;
        assert!(html.contains("Select a state on the graph"));
        let s = s.reduce(Action::StepForward).reduce(Action::StepForward);
        let html = render((*s).clone()).await;
        assert!(html.contains("Submit Batch Job"));
        assert!(html.contains("In progress"));
        assert_eq!(
            inspected(&s).map(|(n, _)| n),
            Some("Submit Batch Job".to_string())
        );
    }
}
