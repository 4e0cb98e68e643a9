//! The timeline: every attempt as a bar on the virtual clock (green succeeded, red failed,
//! amber timed out), retry waits and Wait states as grey gaps, Map iterations and Parallel
//! branches as lanes of their own, and a cursor line at the current virtual time. Click a
//! bar to move the cursor to its last event; hover it for the engine's explanation.
//!
//! The layout is a pure function of the trace ([`timeline_layout`]); only the lanes in view
//! are drawn, so a Map over thousands of items stays cheap.

use std::rc::Rc;

use stepwise_asl::vecmap::VecMap;
use stepwise_engine::{AttemptOutcome, EventType, Step, Trace};
use web_sys::Element;
use yew::prelude::*;

use crate::ui;

use crate::app::{use_measure, use_state_of, use_store};
use crate::store::Action;
use crate::view;

use super::TraceRef;
use super::history::{event_states, visible_window};

/// Height of one lane (CSS pixels).
pub const LANE_HEIGHT: f64 = 24.0;
/// Width of the lane labels on the left.
pub const LABEL_WIDTH: f64 = 150.0;
const AXIS_HEIGHT: f64 = 22.0;
const RIGHT_PAD: f64 = 24.0;
/// Narrowest bar drawn (instant states, 50 ms calls on a 2-minute scale).
const MIN_BAR: f64 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// A Task attempt that succeeded.
    Succeeded,
    /// A Task attempt that failed.
    Failed,
    /// A Task attempt that timed out.
    TimedOut,
    /// The wait between a failed attempt and its retry.
    RetryWait,
    /// A Wait state.
    Wait,
    /// A state that takes no time (Pass, Choice, Succeed).
    Instant,
    /// A state that takes no time and failed (Fail, or a failure before any attempt).
    InstantFailed,
    /// A Map or Parallel run (its iterations/branches are lanes below).
    Span,
    /// A Map or Parallel run that failed.
    SpanFailed,
}

impl BarKind {
    pub fn class(self) -> &'static str {
        match self {
            BarKind::Succeeded => "succeeded",
            BarKind::Failed => "failed",
            BarKind::TimedOut => "timed-out",
            BarKind::RetryWait => "retry-wait",
            BarKind::Wait => "wait",
            BarKind::Instant => "instant",
            BarKind::InstantFailed => "instant failed",
            BarKind::Span => "span",
            BarKind::SpanFailed => "span failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub start_ms: u64,
    pub end_ms: u64,
    pub kind: BarKind,
    /// The state name (drawn inside the bar when it fits).
    pub label: String,
    /// The hover text: what happened and why.
    pub tooltip: String,
    /// The first event of what the bar shows (before it, the bar is in the future).
    pub first_event: u32,
    /// Where a click moves the cursor: the bar's last event.
    pub target_event: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Short label: "Execution", "Fan out#12", "Branches[1]".
    pub label: String,
    /// The full scope path, for the hover text.
    pub title: String,
    /// Nesting depth (0 = top level).
    pub depth: usize,
    /// Shared with the rendered bars, which compare them by value (a new trace whose bar
    /// is unchanged does not redraw it).
    pub bars: Vec<Rc<Bar>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineLayout {
    pub lanes: Vec<Lane>,
    pub duration_ms: u64,
}

/// `"Map#12"` → `("Map", 12)`, `"P[1]"` → `("P", 1)`, otherwise `(element, 0)`.
fn split_scope(element: &str) -> (&str, u64) {
    if let Some(inner) = element.strip_suffix(']')
        && let Some((name, index)) = inner.rsplit_once('[')
        && let Ok(i) = index.parse()
    {
        return (name, i);
    }
    if let Some((name, index)) = element.rsplit_once('#')
        && let Ok(i) = index.parse()
    {
        return (name, i);
    }
    (element, 0)
}

/// A short duration for people: `50 ms`, `1.5 s`, `30 s`, `2 min`, `2 min 15 s`, `1 h 5 min`.
pub fn format_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 {
        return if ms.is_multiple_of(1000) {
            format!("{} s", ms / 1000)
        } else {
            format!("{:.1} s", ms as f64 / 1000.0)
        };
    }
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    match (h, m, s) {
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

fn end_of(trace: &Trace, step: &Step) -> u64 {
    step.exited_ms.unwrap_or_else(|| {
        (step.last_event as usize)
            .checked_sub(1)
            .and_then(|i| trace.events.get(i))
            .map_or(step.entered_ms, |e| e.elapsed_ms)
    })
}

/// The runs of a Map/Parallel visit when the trace has no attempts for it: each
/// `*StateStarted` event of this visit starts a run that lasts until the event before the
/// next one (a retry). Returns `(first_event, last_event)` per run.
fn derived_runs(trace: &Trace, step: &Step, states: &[Option<Rc<str>>]) -> Vec<(u32, u32)> {
    let started = match step.state_type {
        "Map" => EventType::MapStateStarted,
        "Parallel" => EventType::ParallelStateStarted,
        _ => return Vec::new(),
    };
    let starts: Vec<u32> = (step.first_event..=step.last_event)
        .filter(|&id| {
            let i = (id as usize).wrapping_sub(1);
            trace.events.get(i).is_some_and(|e| e.kind == started)
                && states.get(i).and_then(|s| s.as_deref()) == Some(step.state.as_str())
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &first)| {
            let last = starts
                .get(k + 1)
                .map_or(step.last_event, |next| next.saturating_sub(1).max(first));
            (first, last)
        })
        .collect()
}

fn elapsed(trace: &Trace, id: u32) -> u64 {
    (id as usize)
        .checked_sub(1)
        .and_then(|i| trace.events.get(i))
        .map_or(0, |e| e.elapsed_ms)
}

/// Bars for a Map/Parallel visit that was retried (runs derived from its events).
fn run_bars(trace: &Trace, step: &Step, runs: &[(u32, u32)]) -> Vec<Bar> {
    let name = &step.state;
    let mut retriers = step
        .explanations
        .iter()
        .filter(|l| l.starts_with("Retrier"));
    let mut bars = Vec::new();
    let count = runs.len();
    for (k, &(first, last)) in runs.iter().enumerate() {
        let start = elapsed(trace, first);
        let is_last = k + 1 == count;
        let end = if is_last {
            end_of(trace, step)
        } else {
            elapsed(trace, last)
        }
        .max(start);
        let failed = !is_last || step.error.is_some();
        let why = if is_last {
            step.error
                .as_ref()
                .map(|e| format!("failed with {}: {}", e.error, e.cause))
                .unwrap_or_else(|| "succeeded".to_string())
        } else {
            retriers
                .next()
                .cloned()
                .unwrap_or_else(|| "failed, retried".to_string())
        };
        bars.push(Bar {
            start_ms: start,
            end_ms: end,
            kind: if failed {
                BarKind::SpanFailed
            } else {
                BarKind::Span
            },
            label: name.clone(),
            tooltip: format!(
                "{name} ({}) · run {} of {count}\n{why}",
                step.state_type,
                k + 1
            ),
            first_event: first,
            target_event: last,
        });
        if let Some(&(next, _)) = runs.get(k + 1) {
            let resume = elapsed(trace, next).max(end);
            let wait = resume - end;
            bars.push(Bar {
                start_ms: end,
                end_ms: resume,
                kind: BarKind::RetryWait,
                label: format!("wait {}", format_duration(wait)),
                tooltip: format!(
                    "{name}: waiting {} before attempt {} (Retry)",
                    format_duration(wait),
                    k + 2
                ),
                first_event: last,
                target_event: last,
            });
        }
    }
    // The last run: why the retries stopped and where the error went.
    let rest: Vec<&String> = retriers
        .chain(
            step.explanations
                .iter()
                .filter(|l| !l.starts_with("Retrier")),
        )
        .collect();
    if let Some(bar) = bars.last_mut() {
        for line in rest {
            bar.tooltip.push('\n');
            bar.tooltip.push_str(line);
        }
    }
    bars
}

fn step_bars(trace: &Trace, step: &Step, states: &[Option<Rc<str>>]) -> Vec<Bar> {
    let name = &step.state;
    let is_run = matches!(step.state_type, "Map" | "Parallel");
    if is_run && step.attempts.is_empty() {
        let runs = derived_runs(trace, step, states);
        if runs.len() > 1 {
            return run_bars(trace, step, &runs);
        }
    }
    let mut bars = Vec::new();
    if !step.attempts.is_empty() && (step.state_type == "Task" || is_run) {
        let allowed = step.attempts.len();
        for (k, a) in step.attempts.iter().enumerate() {
            if k > 0
                && let Some(prev) = step.attempts.get(k - 1)
            {
                let wait = a.started_ms.saturating_sub(prev.ended_ms);
                bars.push(Bar {
                    start_ms: prev.ended_ms,
                    end_ms: a.started_ms,
                    kind: BarKind::RetryWait,
                    label: format!("wait {}", format_duration(wait)),
                    tooltip: format!(
                        "{name}: waiting {} before attempt {} (Retry)",
                        format_duration(wait),
                        a.number
                    ),
                    first_event: prev.last_event,
                    target_event: prev.last_event,
                });
            }
            let (kind, what) = match &a.outcome {
                AttemptOutcome::Succeeded => (
                    if is_run {
                        BarKind::Span
                    } else {
                        BarKind::Succeeded
                    },
                    "succeeded".to_string(),
                ),
                AttemptOutcome::Failed { error, .. } => (
                    if is_run {
                        BarKind::SpanFailed
                    } else {
                        BarKind::Failed
                    },
                    format!("failed with {error}"),
                ),
                AttemptOutcome::TimedOut { error } => (
                    if is_run {
                        BarKind::SpanFailed
                    } else {
                        BarKind::TimedOut
                    },
                    format!("timed out ({error})"),
                ),
            };
            let of = if allowed > 1 {
                format!(" of {allowed}")
            } else {
                String::new()
            };
            bars.push(Bar {
                start_ms: a.started_ms,
                end_ms: a.ended_ms.max(a.started_ms),
                kind,
                label: name.clone(),
                tooltip: format!(
                    "{name} · attempt {}{of}: {what} after {}\n{}",
                    a.number,
                    format_duration(a.ended_ms.saturating_sub(a.started_ms)),
                    a.explanation
                ),
                first_event: a.first_event,
                target_event: a.last_event,
            });
        }
        return bars;
    }
    let end = end_of(trace, step).max(step.entered_ms);
    let failed = step.error.is_some();
    let kind = match step.state_type {
        "Wait" if !failed => BarKind::Wait,
        "Map" | "Parallel" if failed => BarKind::SpanFailed,
        "Map" | "Parallel" => BarKind::Span,
        _ if failed => BarKind::InstantFailed,
        _ => BarKind::Instant,
    };
    let mut tooltip = format!(
        "{name} ({}) · {}",
        step.state_type,
        format_duration(end - step.entered_ms)
    );
    if let Some(e) = &step.error {
        tooltip.push_str(&format!(" · {}: {}", e.error, e.cause));
    }
    for line in &step.explanations {
        tooltip.push('\n');
        tooltip.push_str(line);
    }
    bars.push(Bar {
        start_ms: step.entered_ms,
        end_ms: end,
        kind,
        label: name.clone(),
        tooltip,
        first_event: step.first_event,
        target_event: step.last_event,
    });
    bars
}

/// Lanes and bars for a whole trace. Lanes are in tree order: the top level first, then each
/// Map iteration / Parallel branch (by the order their state started, then by index), each
/// followed by the lanes nested in it.
pub fn timeline_layout(trace: &Trace) -> TimelineLayout {
    let states = event_states(trace);
    let mut first_seen: VecMap<&str, u32> = VecMap::new();
    for step in &trace.steps {
        let e = first_seen.get_or_insert_with(step.state.as_str(), || step.first_event);
        *e = (*e).min(step.first_event);
    }
    type Key = Vec<(u32, u64, String)>;
    let mut lanes: VecMap<Key, Lane> = VecMap::new();
    for step in &trace.steps {
        let key: Key = step
            .scope
            .iter()
            .map(|el| {
                let (name, index) = split_scope(el);
                (
                    first_seen.get(name).copied().unwrap_or(u32::MAX),
                    index,
                    el.clone(),
                )
            })
            .collect();
        let lane = lanes.get_or_insert_with(key, || Lane {
            label: step
                .scope
                .last()
                .cloned()
                .unwrap_or_else(|| "Execution".to_string()),
            title: if step.scope.is_empty() {
                "Top-level states".to_string()
            } else {
                step.scope.join(" › ")
            },
            depth: step.scope.len(),
            bars: Vec::new(),
        });
        lane.bars
            .extend(step_bars(trace, step, &states).into_iter().map(Rc::new));
    }
    if lanes.is_empty() {
        lanes.insert(
            Vec::new(),
            Lane {
                label: "Execution".into(),
                title: "Top-level states".into(),
                depth: 0,
                bars: Vec::new(),
            },
        );
    }
    // Waits are drawn first, under the (narrow) attempt bars next to them.
    for lane in lanes.values_mut() {
        stepwise_asl::sort::sort_stable_by_key(&mut lane.bars, |b| {
            !matches!(b.kind, BarKind::RetryWait | BarKind::Wait)
        });
    }
    let duration_ms = trace
        .duration_ms
        .max(trace.events.last().map_or(0, |e| e.elapsed_ms));
    TimelineLayout {
        lanes: lanes.into_values().collect(),
        duration_ms,
    }
}

/// Nice tick steps, in milliseconds.
const STEPS: &[u64] = &[
    100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/// Axis ticks for a time range drawn `width_px` wide: the smallest nice step that keeps
/// ticks at least `min_spacing_px` apart. Returns the step and the tick times (from 0 to
/// `duration_ms` inclusive of the last tick that fits).
pub fn ticks(duration_ms: u64, width_px: f64, min_spacing_px: f64) -> (u64, Vec<u64>) {
    let duration = duration_ms.max(1);
    let width = if width_px.is_finite() && width_px > 1.0 {
        width_px
    } else {
        1.0
    };
    let per_ms = width / duration as f64;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| *s as f64 * per_ms >= min_spacing_px)
        .unwrap_or_else(|| {
            // Beyond a day: whole days.
            let days = (min_spacing_px / (86_400_000.0 * per_ms)).ceil().max(1.0) as u64;
            days * 86_400_000
        });
    let ticks = (0..=duration / step).map(|i| i * step).collect();
    (step, ticks)
}

/// A tick label: `0`, `500ms`, `1.5s`, `30s`, `1m`, `1m30s`, `1h`, `1h30m`.
pub fn format_tick(ms: u64, step_ms: u64) -> String {
    if ms == 0 {
        return "0".into();
    }
    if step_ms < 1000 {
        return if ms < 1000 {
            format!("{ms}ms")
        } else {
            format!("{}s", ms as f64 / 1000.0)
        };
    }
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// Shorten a label to about `max_chars` characters.
fn fit(label: &str, max_chars: usize) -> Option<String> {
    if max_chars < 3 {
        return None;
    }
    if label.chars().count() <= max_chars {
        Some(label.to_string())
    } else {
        let mut s: String = label.chars().take(max_chars.saturating_sub(1)).collect();
        s.truncate(s.trim_end().len());
        s.push('…');
        Some(s)
    }
}

/// Shorten a lane label like [`fit`], keeping its iteration or branch suffix (`#12`, `[1]`):
/// lanes of one Map or Parallel share the name, so the suffix is what tells them apart.
fn fit_lane(label: &str, max_chars: usize) -> Option<String> {
    let (name, _) = split_scope(label);
    let suffix = &label[name.len()..];
    let suffix_chars = suffix.chars().count();
    if suffix.is_empty() || label.chars().count() <= max_chars || max_chars < suffix_chars + 3 {
        return fit(label, max_chars);
    }
    let mut s = fit(name, max_chars - suffix_chars)?;
    s.push_str(suffix);
    Some(s)
}

#[derive(Properties, PartialEq)]
struct BarProps {
    bar: Rc<Bar>,
    /// Left edge and width in px.
    x0: f64,
    w: f64,
    /// Top of the lane in px.
    y: f64,
    /// Not reached by the cursor yet.
    future: bool,
    /// Reached, not finished.
    active: bool,
}

/// One bar: memoised on the bar, its geometry and its state at the cursor, so a step
/// forward redraws only the bars it reaches (clicks are handled by the timeline).
#[function_component(BarView)]
fn bar_view(props: &BarProps) -> Html {
    let BarProps {
        bar,
        x0,
        w,
        y,
        future,
        active,
    } = props;
    let (x0, w, y) = (*x0, *w, *y);
    let (by, bh) = match bar.kind {
        BarKind::RetryWait | BarKind::Wait => (y + 8.0, LANE_HEIGHT - 16.0),
        BarKind::Span | BarKind::SpanFailed => (y + 3.0, LANE_HEIGHT - 6.0),
        _ => (y + 4.0, LANE_HEIGHT - 8.0),
    };
    let text = if matches!(bar.kind, BarKind::RetryWait | BarKind::Wait) {
        None
    } else {
        fit(&bar.label, ((w - 8.0) / 6.5) as usize)
    };
    html! {
        <g class={classes!("bar", bar.kind.class(), future.then_some("future"), active.then_some("active"))}
            data-first-event={bar.first_event.to_string()}
            data-target-event={bar.target_event.to_string()}>
            { ui::el("title", "", (&bar.tooltip).into()) }
            { ui::rect(x0.to_string().into(), by.to_string().into(), w.to_string().into(), bh.to_string().into(), Some(AttrValue::Static("3")), "") }
            if let Some(t) = text {
                { ui::text((x0 + 4.0).to_string().into(), (y + LANE_HEIGHT / 2.0 + 4.0).to_string().into(), None, "bar-label", t.into()) }
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub trace: TraceRef,
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let store = use_store();
    let layout = use_memo(props.trace.clone(), |t| Rc::new(timeline_layout(&t.0)));
    let width = use_state_of(900.0f64);
    let viewport = use_state_of(180.0f64);
    let scroll_top = use_state_of(0.0f64);
    let container = use_node_ref();
    let scroller = use_node_ref();

    {
        let container = container.clone();
        let scroller = scroller.clone();
        let width = width.clone();
        let viewport = viewport.clone();
        use_measure(Rc::new(move || {
            if let Some(el) = container.cast::<Element>() {
                width.set(f64::from(el.client_width()).max(320.0));
            }
            if let Some(el) = scroller.cast::<Element>() {
                viewport.set(f64::from(el.client_height()));
            }
        }));
    }
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll_top.set(f64::from(el.scroll_top()));
        })
    };

    // One listener for every bar: a click moves the cursor to the bar's last event.
    let on_bar_click = {
        let dispatcher = store.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let target = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok())
                .and_then(|el| el.closest("[data-target-event]").ok().flatten())
                .and_then(|el| el.get_attribute("data-target-event"))
                .and_then(|v| v.parse::<usize>().ok());
            if let Some(target) = target {
                dispatcher.dispatch(Action::SetCursor(target));
            }
        })
    };

    let trace = &props.trace.0;
    let plot = (*width - LABEL_WIDTH - RIGHT_PAD).max(100.0);
    let scale_ms = layout.duration_ms.max(1000);
    let x = |ms: u64| LABEL_WIDTH + ms as f64 / scale_ms as f64 * plot;
    let (step, tick_list) = ticks(scale_ms, plot, 64.0);
    let clock = view::clock_at(trace, store.cursor);
    let cursor_x = x(clock);
    let lanes = &layout.lanes;
    let window = visible_window(*scroll_top, *viewport, LANE_HEIGHT, lanes.len(), 4);
    let total_h = lanes.len() as f64 * LANE_HEIGHT;

    let axis = html! {
        <svg class="timeline-axis" width={width.to_string()} height={AXIS_HEIGHT.to_string()} aria-hidden="true">
            { for tick_list.iter().map(|&t| {
                let tx = x(t);
                html! {
                    <g>
                        { ui::line(tx.to_string().into(), tx.to_string().into(), AttrValue::Static("16"), AXIS_HEIGHT.to_string().into(), "tick") }
                        { ui::text(tx.to_string().into(), AttrValue::Static("12"), None, "tick-label", format_tick(t, step).into()) }
                    </g>
                }
            }) }
            { ui::text(AttrValue::Static("6"), AttrValue::Static("14"), None, "axis-title", "Virtual time".into()) }
            { ui::line(cursor_x.to_string().into(), cursor_x.to_string().into(), AttrValue::Static("0"), AXIS_HEIGHT.to_string().into(), "cursor-line") }
        </svg>
    };

    let lane_rows = lanes
        .get(window.clone())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(k, lane)| {
            let row = window.start + k;
            let y = row as f64 * LANE_HEIGHT;
            let bars = lane.bars.iter().map(|bar| {
                let x0 = x(bar.start_ms);
                let w = (x(bar.end_ms) - x0).max(MIN_BAR);
                let future = bar.first_event as usize > store.cursor;
                let active = !future && (bar.target_event as usize) > store.cursor;
                html! { <BarView bar={bar.clone()} {x0} {w} {y} {future} {active} /> }
            });
            let label_x = 6.0 + lane.depth as f64 * 10.0;
            let max_chars = ((LABEL_WIDTH - label_x - 6.0) / 6.5) as usize;
            html! {
                <g key={row} class={classes!("lane", (row % 2 == 1).then_some("odd"))}>
                    { ui::rect(AttrValue::Static("0"), y.to_string().into(), width.to_string().into(), LANE_HEIGHT.to_string().into(), None, "lane-bg") }
                    { ui::text(label_x.to_string().into(), (y + LANE_HEIGHT / 2.0 + 4.0).to_string().into(), None, "lane-label", html! {
                        <>
                            { ui::el("title", "", (&lane.title).into()) }
                            { fit_lane(&lane.label, max_chars).unwrap_or_default() }
                        </>
                    }) }
                    { for bars }
                </g>
            }
        });

    let grid = tick_list.iter().map(|&t| {
        let tx = x(t).to_string();
        ui::line(
            tx.clone().into(),
            tx.into(),
            AttrValue::Static("0"),
            total_h.to_string().into(),
            "grid",
        )
    });

    html! {
        <div class="timeline" ref={container}>
            <div class="timeline-legend" aria-hidden="true">
                { ui::el("span", "key succeeded", "Succeeded".into()) }
                { ui::el("span", "key failed", "Failed".into()) }
                { ui::el("span", "key timed-out", "Timed out".into()) }
                { ui::el("span", "key retry-wait", "Retry wait / Wait".into()) }
                { ui::el("span", "key span", "Map / Parallel".into()) }
                <span class="spacer" />
                <span class="muted">{ format!("{} lane{} · total {}", lanes.len(), if lanes.len() == 1 { "" } else { "s" }, format_duration(layout.duration_ms)) }</span>
            </div>
            { axis }
            <div class="timeline-scroll" ref={scroller} {onscroll}>
                <svg class="timeline-lanes" role="img" aria-label="Timeline of the execution"
                    width={width.to_string()} height={total_h.to_string()} onclick={on_bar_click}>
                    { for grid }
                    { for lane_rows }
                    { ui::line(cursor_x.to_string().into(), cursor_x.to_string().into(), AttrValue::Static("0"), total_h.to_string().into(), "cursor-line") }
                </svg>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Action, State, failing_batch};
    use yew::Reducible;

    #[test]
    fn retries_are_bars_with_grey_waits_of_30_and_45_seconds() {
        let s = failing_batch(2);
        let trace = s.trace().expect("runs");
        let layout = timeline_layout(trace);
        assert_eq!(layout.lanes.len(), 1);
        let kinds: Vec<BarKind> = layout.lanes[0].bars.iter().map(|b| b.kind).collect();
        // Waits first (drawn under the attempts), then the attempts in order.
        assert_eq!(
            &kinds[..5],
            &[
                BarKind::RetryWait,
                BarKind::RetryWait,
                BarKind::Failed,
                BarKind::Failed,
                BarKind::Succeeded
            ]
        );
        let waits: Vec<u64> = layout.lanes[0]
            .bars
            .iter()
            .filter(|b| b.kind == BarKind::RetryWait)
            .map(|b| b.end_ms - b.start_ms)
            .collect();
        assert_eq!(waits, vec![30_000, 45_000]);
        let first = &layout.lanes[0].bars[2];
        assert!(
            first.tooltip.contains("attempt 1 of 3"),
            "{}",
            first.tooltip
        );
        assert!(first.tooltip.contains("States.TaskFailed"));
        assert!(first.target_event >= first.first_event);
        assert_eq!(layout.duration_ms, trace.duration_ms);
    }

    #[test]
    fn map_iterations_and_parallel_branches_are_lanes_in_tree_order() {
        let definition = r#"{
          "StartAt": "Items",
          "States": {
            "Items": {"Type": "Pass", "Result": [1, 2, 3], "Next": "Fan"},
            "Fan": {"Type": "Map", "End": true, "ItemProcessor": {
              "StartAt": "Both", "States": {
                "Both": {"Type": "Parallel", "End": true, "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 5, "End": true}}},
                  {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
                ]}
              }}}
          }
        }"#;
        let s = Rc::new(State::default()).reduce(Action::EditDefinition(definition.into()));
        let trace = s.trace().expect("runs");
        let layout = timeline_layout(trace);
        let labels: Vec<(&str, usize)> = layout
            .lanes
            .iter()
            .map(|l| (l.label.as_str(), l.depth))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("Execution", 0),
                ("Fan#0", 1),
                ("Both[0]", 2),
                ("Both[1]", 2),
                ("Fan#1", 1),
                ("Both[0]", 2),
                ("Both[1]", 2),
                ("Fan#2", 1),
                ("Both[0]", 2),
                ("Both[1]", 2),
            ]
        );
        let top: Vec<BarKind> = layout.lanes[0].bars.iter().map(|b| b.kind).collect();
        assert_eq!(top, vec![BarKind::Instant, BarKind::Span]);
        assert_eq!(layout.lanes[2].bars[0].kind, BarKind::Wait);
        assert_eq!(
            layout.lanes[2].bars[0].end_ms - layout.lanes[2].bars[0].start_ms,
            5_000
        );
        assert_eq!(split_scope("Fan#12"), ("Fan", 12));
        assert_eq!(split_scope("P[3]"), ("P", 3));
        assert_eq!(split_scope("odd#name#x"), ("odd#name#x", 0));
    }

    #[test]
    fn a_retried_parallel_shows_its_runs_and_waits() {
        let definition = r#"{"StartAt":"Job","States":{"Job":{"Type":"Parallel",
          "Branches":[{"StartAt":"Boom","States":{"Boom":{"Type":"Fail","Error":"Job.Failed","Cause":"exit 1"}}}],
          "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":30,"MaxAttempts":2,"BackoffRate":1.5}],
          "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Recovered"}],"Next":"Done"},
          "Recovered":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}}"#;
        let s = Rc::new(State::default()).reduce(Action::EditDefinition(definition.into()));
        let trace = s.trace().expect("runs");
        let layout = timeline_layout(trace);
        assert_eq!(layout.lanes.len(), 2);
        let mut top: Vec<(BarKind, u64, u64)> = layout.lanes[0]
            .bars
            .iter()
            .map(|b| (b.kind, b.start_ms, b.end_ms))
            .collect();
        stepwise_asl::sort::sort_stable_by_key(&mut top, |b| {
            (b.1, b.2, b.0 != BarKind::SpanFailed)
        });
        assert_eq!(
            top,
            vec![
                (BarKind::SpanFailed, 0, 0),
                (BarKind::RetryWait, 0, 30_000),
                (BarKind::SpanFailed, 30_000, 30_000),
                (BarKind::RetryWait, 30_000, 75_000),
                (BarKind::SpanFailed, 75_000, 75_000),
                (BarKind::Instant, 75_000, 75_000),
            ]
        );
        let runs: Vec<&Bar> = layout.lanes[0]
            .bars
            .iter()
            .map(|b| &**b)
            .filter(|b| b.kind == BarKind::SpanFailed)
            .collect();
        let tips: Vec<&str> = runs.iter().map(|b| b.tooltip.as_str()).collect();
        assert!(
            tips[0].contains("run 1 of 3") && tips[0].contains("retry 1 of 2"),
            "{}",
            tips[0]
        );
        assert!(tips[2].contains("Catcher #1"), "{}", tips[2]);
        // Clicking the second run shows the clock at its failure: T+00:30.
        assert_eq!(view::clock_at(trace, runs[1].target_event as usize), 30_000);
        assert_eq!(view::clock_at(trace, runs[2].target_event as usize), 75_000);
    }

    #[test]
    fn ticks_stay_legible_from_seconds_to_hours() {
        // (duration, width) -> step and labels
        let cases: &[(u64, f64, u64, &[&str])] = &[
            (
                75_000,
                600.0,
                10_000,
                &["0", "10s", "20s", "30s", "40s", "50s", "1m", "1m10s"],
            ),
            (
                195_100,
                900.0,
                15_000,
                &["0", "15s", "30s", "45s", "1m", "1m15s"],
            ),
            (120_050, 300.0, 30_000, &["0", "30s", "1m", "1m30s", "2m"]),
            (800, 600.0, 100, &["0", "100ms", "200ms"]),
            (2_500, 600.0, 500, &["0", "500ms", "1s", "1.5s"]),
            (
                3 * 3_600_000,
                600.0,
                1_800_000,
                &["0", "30m", "1h", "1h30m"],
            ),
        ];
        for (duration, width, want_step, want_labels) in cases {
            let (step, list) = ticks(*duration, *width, 64.0);
            assert_eq!(step, *want_step, "duration {duration}");
            let labels: Vec<String> = list.iter().map(|t| format_tick(*t, step)).collect();
            assert!(
                labels.starts_with(
                    &want_labels
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                ),
                "{labels:?}"
            );
            assert!(list.last().is_some_and(|t| t <= duration));
            assert!(step as f64 * width / *duration as f64 >= 64.0);
        }
        let (step, list) = ticks(0, 0.0, 64.0);
        assert!(step > 0 && list == vec![0]);
        let (step, _) = ticks(400 * 86_400_000, 200.0, 64.0);
        assert!(step >= 86_400_000);
    }

    #[test]
    fn durations_read_naturally() {
        let cases = [
            (50, "50 ms"),
            (1_500, "1.5 s"),
            (30_000, "30 s"),
            (120_000, "2 min"),
            (135_000, "2 min 15 s"),
            (3_900_000, "1 h 5 min"),
            (7_200_000, "2 h"),
        ];
        for (ms, want) in cases {
            assert_eq!(format_duration(ms), want);
        }
        assert_eq!(fit("Submit Batch Job", 8).as_deref(), Some("Submit…"));
        assert_eq!(fit("Short", 8).as_deref(), Some("Short"));
        assert_eq!(fit("x", 2), None);
        // Lanes keep the suffix that tells iterations and branches apart.
        assert_eq!(
            fit_lane("Fan out batch jobs#12", 12).as_deref(),
            Some("Fan out…#12")
        );
        assert_eq!(
            fit_lane("Process Order[1]", 10).as_deref(),
            Some("Proces…[1]")
        );
        assert_eq!(fit_lane("Resize#0", 12).as_deref(), Some("Resize#0"));
        assert_eq!(fit_lane("Execution", 5).as_deref(), Some("Exec…"));
        // Too narrow for name and suffix: plain truncation.
        assert_eq!(fit_lane("Fan out#12", 4).as_deref(), Some("Fan…"));
    }
}
