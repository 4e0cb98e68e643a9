//! Step controls: Reset, Step back/forward, Run to end, Play/Pause at a speed, by event or
//! by state, a scrubber over the whole history, the virtual clock, and the page's keys
//! (←/→/Home/End/Space, not while typing). In "ask me" mode the pending question shows here
//! with quick answers.

use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use stepwise_asl::StateKind;
use stepwise_engine::services::{classify, presets};
use stepwise_engine::{EventDetails, Outcome, Trace};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use crate::ui;

use crate::app::Store;
use crate::store::{Action, State, StepBy, planned};
use crate::view;

/// Play speeds offered, in steps per second.
pub const SPEEDS: &[u32] = &[1, 2, 4, 8, 16];

/// What a key does on the page (`None`: let the browser have it).
pub fn key_action(key: &str, playing: bool) -> Option<Action> {
    match key {
        "ArrowLeft" => Some(Action::StepBack),
        "ArrowRight" => Some(Action::StepForward),
        "Home" => Some(Action::Reset),
        "End" => Some(Action::RunToEnd),
        " " | "Spacebar" => Some(if playing { Action::Pause } else { Action::Play }),
        _ => None,
    }
}

/// Milliseconds between two play ticks at `speed` steps per second.
pub fn tick_interval_ms(speed: u32) -> u32 {
    1000 / speed.max(1)
}

/// The error a quick "fail" answer injects for a Task: the service's most common failure
/// (for Batch, `States.TaskFailed` with the job's FAILED description).
pub fn default_failure(state: &State, name: &str) -> Outcome {
    let resource = state.analysis.parsed.machine.as_ref().and_then(|m| {
        m.all_states()
            .into_iter()
            .find(|s| s.name == name)
            .and_then(|s| match &s.kind {
                StateKind::Task(t) => Some(t.resource.clone()),
                _ => None,
            })
    });
    resource
        .and_then(|r| presets(&classify(&r)).into_iter().find(|p| !p.timeout))
        .map_or_else(
            || Outcome::Throw {
                error: "States.TaskFailed".into(),
                cause: String::new(),
            },
            |p| p.outcome(),
        )
}

/// Whether a key event comes from somewhere the user types or where the key has its own
/// meaning (text fields, selects, the scrubber, buttons for Space).
fn is_typing_target(e: &KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || el
            .closest("[contenteditable=''], [contenteditable='true']")
            .ok()
            .flatten()
            .is_some()
        || (tag == "button" && (e.key() == " " || e.key() == "Enter"))
}

/// Play ticks and the page's keys (the effects of [`controls`], run by its parent).
#[hook]
pub fn use_controls(store: &Store) {
    // Play: one tick per interval while playing.
    {
        let store = store.clone();
        use_effect_with((store.playing, store.speed), move |&(playing, speed)| {
            let interval = playing.then(|| {
                Interval::new(tick_interval_ms(speed), move || {
                    store.dispatch(Action::Tick)
                })
            });
            move || drop(interval)
        });
    }

    // Keys on the page.
    {
        let store = store.clone();
        use_effect_with(store.playing, move |&playing| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                EventListener::new_with_options(
                    &doc,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = wasm_bindgen::JsCast::dyn_ref::<KeyboardEvent>(e) else {
                            return;
                        };
                        if e.default_prevented()
                            || e.ctrl_key()
                            || e.alt_key()
                            || e.meta_key()
                            || is_typing_target(e)
                        {
                            return;
                        }
                        if let Some(action) = key_action(&e.key(), playing) {
                            e.prevent_default();
                            store.dispatch(action);
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }
}

/// The step controls (a plain function of the run strip: it reads only the store).
pub fn controls(store: &Store) -> Html {
    let trace = store.trace();
    let len = trace.map_or(0, |t| t.events.len());
    let has_trace = trace.is_some() && len > 0;
    let at_start = store.cursor == 0;
    let at_end = store.cursor >= len;
    let dispatch = |action: fn() -> Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(action()))
    };
    let play = {
        let store = store.clone();
        let playing = store.playing;
        Callback::from(move |_: MouseEvent| {
            store.dispatch(if playing { Action::Pause } else { Action::Play })
        })
    };
    let on_speed = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = select.value().parse::<u32>() {
                store.dispatch(Action::SetSpeed(v));
            }
        })
    };
    let on_scrub = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<usize>() {
                store.dispatch(Action::SetCursor(v));
            }
        })
    };
    let step_by = |by: StepBy, label: &'static str| {
        let store = store.clone();
        let pressed = store.step_by == by;
        let onclick = Callback::from(move |_: MouseEvent| store.dispatch(Action::SetStepBy(by)));
        html! {
            <button class={classes!("seg", pressed.then_some("on"))} aria-pressed={pressed.to_string()} {onclick}>{ label }</button>
        }
    };
    let clock = trace.map_or(0, |t| view::clock_at(t, store.cursor));
    let status = trace.map_or("Cannot run", |t| view::execution_status(t, store.cursor));
    let current = trace
        .and_then(|t| view::current_step(t, store.cursor).and_then(|i| t.steps.get(i)))
        .map(|s| s.state.clone());

    let question = store.question.as_ref().map(|q| {
        let succeed = {
            let store = store.clone();
            let value = store
                .trace()
                .and_then(|t| default_result(t, &q.state, q.invocation))
                .unwrap_or_else(|| stepwise_asl::json::json!({}));
            Callback::from(move |_: MouseEvent| {
                store.dispatch(Action::Answer(planned(Outcome::Return(value.clone()))))
            })
        };
        let failure = default_failure(store, &q.state);
        // No "Fail"/"Succeed" in these names: the outcome panel's answer buttons own them.
        let fail_title = match &failure {
            Outcome::Throw { error, cause } => format!("Fails with {error}: {cause}"),
            _ => "Fails".to_string(),
        };
        let attempt = crate::inspector::question_attempt(store.trace(), q);
        let fail = {
            let store = store.clone();
            Callback::from(move |_: MouseEvent| store.dispatch(Action::Answer(planned(failure.clone()))))
        };
        html! {
            <div class="run-question" aria-live="polite">
                <strong>{ format!("{} · attempt {attempt}", q.state) }</strong>
                { ui::el("span", "", "has not been decided: does it succeed or fail?".into()) }
                <button class="small answer-ok" onclick={succeed}>{ "Answer: success" }</button>
                <button class="small answer-fail" onclick={fail} title={fail_title}>{ "Answer: error" }</button>
            </div>
        }
    });

    html! {
        <div class="run-controls-wrap">
            <div class="run-controls" role="toolbar" aria-label="Step controls">
                { step_button(dispatch(|| Action::Reset), !has_trace || at_start, "Reset (Home)", "Reset", "Reset") }
                { step_button(dispatch(|| Action::StepBack), !has_trace || at_start, "Step back (←)", "Step back", "◀ Step back") }
                { step_button(dispatch(|| Action::StepForward), !has_trace || at_end, "Step forward (→)", "Step forward", "Step forward ▶") }
                { step_button(dispatch(|| Action::RunToEnd), !has_trace || at_end, "Run to end (End)", "Run to end", "Run to end") }
                <button class={classes!("play", store.playing.then_some("on"))} onclick={play} disabled={!has_trace}
                    title="Play / Pause (Space)" aria-label={if store.playing { "Pause" } else { "Play" }}>
                    { if store.playing { "⏸ Pause" } else { "▶ Play" } }
                </button>
                { ui::field_select("field speed", "Speed", "Speed", None, on_speed, html! {<>
                    { for SPEEDS.iter().map(|&s| ui::option(s.to_string().into(), store.speed == s, format!("{s} step{}/s", if s == 1 { "" } else { "s" }).into())) }
                </>}) }
                <div class="segmented" role="group" aria-label="Step by">
                    { step_by(StepBy::Event, "By event") }
                    { step_by(StepBy::State, "By state") }
                </div>
                <input class="scrubber" type="range" min="0" max={len.to_string()} value={store.cursor.to_string()}
                    aria-label="Position in the history" disabled={!has_trace} oninput={on_scrub}
                    aria-valuetext={format!("event {} of {}", store.cursor, len)} />
                <span class="run-clock" title="Virtual time at the cursor">{ view::format_clock(clock) }</span>
                <span class="run-position muted">
                    { format!("{status} · event {} / {len}", store.cursor) }
                    if let Some(name) = current { { format!(" · {name}") } }
                </span>
            </div>
            { question.unwrap_or_default() }
        </div>
    }
}

/// `<button onclick disabled title aria-label>{ text }</button>` of the step controls.
#[inline(never)]
fn step_button(
    onclick: Callback<MouseEvent>,
    disabled: bool,
    title: &'static str,
    label: &'static str,
    text: &'static str,
) -> Html {
    html! { <button {onclick} {disabled} {title} aria-label={label}>{ text }</button> }
}

/// The result the engine used for an undecided attempt (its realistic default): the
/// output of the attempt's success event. Answering "success" records exactly that.
pub fn default_result(
    trace: &Trace,
    state: &str,
    invocation: u32,
) -> Option<stepwise_asl::json::Value> {
    let attempt = trace
        .steps
        .iter()
        .filter(|s| s.state == state)
        .flat_map(|s| s.attempts.iter())
        .find(|a| a.invocation == Some(invocation))?;
    let event = trace
        .events
        .get((attempt.last_event as usize).checked_sub(1)?)?;
    match &event.details {
        EventDetails::TaskOutput { output, .. } | EventDetails::Output { output }
            if event.kind.as_str().ends_with("Succeeded") =>
        {
            serde_json::from_str(output).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;
    use yew::Reducible;

    #[test]
    fn keys_map_to_actions() {
        let name = |a: Option<Action>| match a {
            Some(Action::StepBack) => "back",
            Some(Action::StepForward) => "forward",
            Some(Action::Reset) => "reset",
            Some(Action::RunToEnd) => "end",
            Some(Action::Play) => "play",
            Some(Action::Pause) => "pause",
            Some(_) => "other",
            None => "none",
        };
        let cases = [
            ("ArrowLeft", false, "back"),
            ("ArrowRight", false, "forward"),
            ("Home", false, "reset"),
            ("End", false, "end"),
            (" ", false, "play"),
            (" ", true, "pause"),
            ("a", false, "none"),
            ("Enter", false, "none"),
        ];
        for (key, playing, want) in cases {
            assert_eq!(name(key_action(key, playing)), want, "{key:?}");
        }
        assert_eq!(tick_interval_ms(2), 500);
        assert_eq!(tick_interval_ms(0), 1000);
        assert_eq!(tick_interval_ms(16), 62);
    }

    #[test]
    fn the_quick_failure_is_the_services_common_error() {
        let s = Rc::new(State::default());
        match default_failure(&s, "Submit Batch Job") {
            Outcome::Throw { error, .. } => assert_eq!(error, "States.TaskFailed"),
            other => panic!("expected a throw, got {other:?}"),
        }
        // Asked, answered with it: the attempt fails and is retried.
        let s = s.reduce(Action::SetAsk(true)).reduce(Action::RunToEnd);
        let q = s.question.clone().expect("asked");
        let failure = default_failure(&s, &q.state);
        let s = s.reduce(Action::Answer(planned(failure)));
        assert!(
            s.trace()
                .expect("runs")
                .events
                .iter()
                .any(|e| e.kind.as_str() == "TaskFailed")
        );
        let trace = s.trace().expect("runs");
        assert!(
            default_result(trace, "Submit Batch Job", 0).is_none(),
            "attempt 1 failed"
        );
        let retried = default_result(trace, "Submit Batch Job", 1).expect("attempt 2 succeeded");
        assert!(retried.get("JobId").is_some(), "{retried}");
        match default_failure(&s, "No such state") {
            Outcome::Throw { error, .. } => assert_eq!(error, "States.TaskFailed"),
            other => panic!("expected a throw, got {other:?}"),
        }
    }
}
