//! The event history table, like the AWS console's "Event view": one row per
//! `GetExecutionHistory` event, filterable by state and type, revealed up to the cursor
//! (later events greyed, not hidden). Only the rows in view are in the DOM (fixed row
//! height, a spacer for the rest) so a 25,000-event history scrolls smoothly; an expanded
//! event shows in a side panel so rows keep their height.

use std::ops::Range;
use std::rc::Rc;

use stepwise_asl::json::Value;
use stepwise_asl::vecmap::VecMap;
use stepwise_engine::{EventDetails, EventType, HistoryEvent, Trace};
use web_sys::{Element, HtmlSelectElement};
use yew::prelude::*;

use crate::app::{use_measure, use_state_of, use_store};
use crate::store::Action;
use crate::ui;
use crate::view;

use super::TraceRef;

/// Height of one table row in CSS pixels (keep in step with `.history-row` in run.css).
pub const ROW_HEIGHT: f64 = 26.0;
/// Rows rendered above and below the visible ones.
pub const OVERSCAN: usize = 8;

/// The rows to render for a scroll position: the visible ones plus `overscan` on each side,
/// clamped to `0..total`. Robust to NaN, negative and huge inputs (a DOM can report any).
pub fn visible_window(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    total: usize,
    overscan: usize,
) -> Range<usize> {
    if total == 0 || row_height.is_nan() || row_height <= 0.0 {
        return 0..0;
    }
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let top = clean(scroll_top);
    let height = clean(viewport);
    // `as usize` saturates for floats: huge values clamp, they do not wrap.
    let first = (top / row_height).floor() as usize;
    let last = ((top + height) / row_height).ceil() as usize;
    let start = first.saturating_sub(overscan).min(total);
    let end = last.saturating_add(overscan).min(total).max(start);
    start..end
}

/// The scroll position that brings row `index` into a viewport, moving as little as possible
/// (`None` when it is already fully visible).
pub fn scroll_into_view(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    index: usize,
) -> Option<f64> {
    let top = index as f64 * row_height;
    let bottom = top + row_height;
    if top < scroll_top {
        Some(top)
    } else if bottom > scroll_top + viewport {
        // A viewport shorter than a row shows the row's top.
        Some(if viewport < row_height {
            top
        } else {
            bottom - viewport
        })
    } else {
        None
    }
}

/// The state each event belongs to, as the console's "Step" column shows it: the `name` of
/// `*StateEntered`/`*StateExited`/`MapIteration*` events; for the other `Map*`/`Parallel*`
/// events the innermost Map/Parallel visit spanning them; otherwise the state of the event
/// it follows (`previousEventId`); `None` for execution-level events.
pub fn event_states(trace: &Trace) -> Vec<Option<Rc<str>>> {
    let mut out: Vec<Option<Rc<str>>> = Vec::with_capacity(trace.events.len());
    let mut names: VecMap<&str, Rc<str>> = VecMap::new();
    // Map/Parallel visits by first event: the latest-starting one spanning an event is the
    // innermost (nested visits start after their parent).
    let mut runs: Vec<(u32, u32, &str, &str)> = trace
        .steps
        .iter()
        .filter(|s| matches!(s.state_type, "Map" | "Parallel"))
        .map(|s| (s.first_event, s.last_event, s.state_type, s.state.as_str()))
        .collect();
    stepwise_asl::sort::sort_stable_by_key(&mut runs, |r| r.0);
    for (i, event) in trace.events.iter().enumerate() {
        let kind = event.kind.as_str();
        let own = match &event.details {
            EventDetails::StateEntered { name, .. }
            | EventDetails::StateExited { name, .. }
            | EventDetails::MapIteration { name, .. } => Some(name.as_str()),
            _ => None,
        };
        let family = if kind.starts_with("Parallel") {
            Some("Parallel")
        } else if kind.starts_with("Map") {
            Some("Map")
        } else {
            None
        };
        let state = if kind.starts_with("Execution") {
            None
        } else if let Some(name) = own {
            Some(names.get_or_insert_with(name, || Rc::from(name)).clone())
        } else if let Some(family) = family {
            let upto = runs.partition_point(|r| r.0 <= event.id);
            runs.get(..upto)
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|r| r.1 >= event.id && r.2 == family)
                .map(|r| names.get_or_insert_with(r.3, || Rc::from(r.3)).clone())
        } else {
            // Ids are 1-based and a previous event always comes earlier.
            (event.previous_event_id as usize)
                .checked_sub(1)
                .filter(|&p| p < i)
                .and_then(|p| out.get(p).cloned().flatten())
        };
        out.push(state);
    }
    out
}

/// The distinct values of a column, in order of first appearance.
pub fn distinct<'a, I: IntoIterator<Item = &'a str>>(items: I) -> Vec<&'a str> {
    let mut seen = VecMap::new();
    items
        .into_iter()
        .filter(|s| seen.insert(*s, ()).is_none())
        .collect()
}

/// Indices (0-based) of the events matching the filters (`None` = any).
pub fn filter_events(
    events: &[HistoryEvent],
    states: &[Option<Rc<str>>],
    state: Option<&str>,
    kind: Option<EventType>,
) -> Vec<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| kind.is_none_or(|k| e.kind == k))
        .filter(|(i, _)| state.is_none_or(|s| states.get(*i).and_then(|n| n.as_deref()) == Some(s)))
        .map(|(i, _)| i)
        .collect()
}

/// How an event type reads at a glance: "failed", "succeeded", "started" or "".
pub fn event_tone(kind: EventType) -> &'static str {
    let name = kind.as_str();
    if name.ends_with("Failed") || name.ends_with("TimedOut") || name.ends_with("Aborted") {
        "failed"
    } else if name.ends_with("Succeeded") {
        "succeeded"
    } else if name.ends_with("Entered") || name.ends_with("Started") || name.ends_with("Scheduled")
    {
        "started"
    } else {
        ""
    }
}

/// The `resourceType:resource` of task events (the console's "Resource" column).
pub fn event_resource(event: &HistoryEvent) -> Option<String> {
    match &event.details {
        EventDetails::TaskScheduled {
            resource_type,
            resource,
            ..
        }
        | EventDetails::TaskStarted {
            resource_type,
            resource,
        }
        | EventDetails::TaskOutput {
            resource_type,
            resource,
            ..
        }
        | EventDetails::TaskError {
            resource_type,
            resource,
            ..
        } => Some(format!("{resource_type}:{resource}")),
        EventDetails::Scheduled { resource, .. } => Some(resource.to_string()),
        _ => None,
    }
}

/// The event as AWS returns it (JSON-text payloads stay strings), pretty-printed, followed
/// by each JSON-text payload parsed and pretty-printed for reading.
pub fn event_detail_blocks(event: &HistoryEvent) -> Vec<(String, String)> {
    let raw = stepwise_asl::json::to_value(event).unwrap_or(Value::Null);
    let mut blocks = vec![(
        "As returned by GetExecutionHistory".to_string(),
        serde_json::to_string_pretty(&raw).unwrap_or_default(),
    )];
    if let Some(Value::Object(details)) = raw.get(event.kind.details_key()) {
        for key in ["input", "parameters", "output"] {
            if let Some(Value::String(text)) = details.get(key)
                && let Ok(parsed) = serde_json::from_str::<Value>(text)
            {
                blocks.push((
                    format!("{key} (JSON text, parsed)"),
                    serde_json::to_string_pretty(&parsed).unwrap_or_default(),
                ));
            }
        }
    }
    blocks
}

/// The table's column headers: (class, text).
const HEADERS: [(&str, &str); 7] = [
    ("c-toggle", ""),
    ("c-id", "ID"),
    ("c-type", "Type"),
    ("c-state", "Step"),
    ("c-resource", "Resource"),
    ("c-prev", "Prev. ID"),
    ("c-time", "Time"),
];

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub trace: TraceRef,
}

#[function_component(History)]
pub fn history(props: &HistoryProps) -> Html {
    let store = use_store();
    let trace = props.trace.clone();
    let state_filter = use_state(|| None::<Rc<str>>);
    let type_filter = use_state(|| None::<EventType>);
    let expanded = use_state(|| None::<usize>);
    let scroll_top = use_state_of(0.0f64);
    let viewport = use_state_of(240.0f64);
    let scroller = use_node_ref();

    let states = use_memo(trace.clone(), |t| event_states(&t.0));
    let filtered = use_memo(
        (trace.clone(), (*state_filter).clone(), *type_filter),
        |(t, s, k)| Rc::new(filter_events(&t.0.events, &states, s.as_deref(), *k)),
    );
    let state_names = use_memo(states.clone(), |s| {
        distinct(s.iter().filter_map(|n| n.as_deref()))
            .into_iter()
            .map(Rc::<str>::from)
            .collect::<Vec<_>>()
    });
    let kinds = use_memo(trace.clone(), |t| {
        let mut seen = VecMap::new();
        t.0.events
            .iter()
            .map(|e| e.kind)
            .filter(|k| seen.insert(*k, ()).is_none())
            .collect::<Vec<_>>()
    });

    // Measure the viewport on mount and when the window resizes.
    {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        use_measure(Rc::new(move || {
            if let Some(el) = scroller.cast::<Element>() {
                viewport.set(f64::from(el.client_height()));
            }
        }));
    }

    // Keep the current row in view when the cursor (or the filter) moves.
    {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        let filtered = filtered.clone();
        use_effect_with((store.cursor, filtered), move |(cursor, filtered)| {
            if let Some(el) = scroller.cast::<Element>()
                && let Some(current) = cursor.checked_sub(1)
            {
                let pos = filtered.binary_search(&current).unwrap_or_else(|p| p);
                let top = f64::from(el.scroll_top());
                let height = f64::from(el.client_height());
                if let Some(to) = scroll_into_view(top, height, ROW_HEIGHT, pos) {
                    el.set_scroll_top(to as i32);
                    scroll_top.set(to);
                }
            }
        });
    }

    let onscroll = {
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()));
        })
    };

    let on_state = {
        let state_filter = state_filter.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            state_filter.set((!v.is_empty()).then(|| Rc::from(v.as_str())));
        })
    };
    let on_type = {
        let type_filter = type_filter.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            type_filter.set(EventType::from_name(&select.value()));
        })
    };

    let events = &trace.0.events;
    let window = visible_window(*scroll_top, *viewport, ROW_HEIGHT, filtered.len(), OVERSCAN);
    let current = store.cursor.checked_sub(1);
    let rows = filtered.get(window.clone()).unwrap_or_default().iter().map(|&i| {
        let Some(event) = events.get(i) else {
            return Html::default();
        };
        let future = i >= store.cursor;
        let is_current = Some(i) == current;
        let onclick = {
            let store = store.clone();
            Callback::from(move |_| store.dispatch(Action::SetCursor(i + 1)))
        };
        let is_open = *expanded == Some(i);
        let toggle = {
            let expanded = expanded.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                expanded.set(if is_open { None } else { Some(i) });
            })
        };
        let state = states.get(i).cloned().flatten();
        html! {
            <div key={event.id} role="row" aria-rowindex={(i + 2).to_string()}
                class={classes!("history-row", future.then_some("future"), is_current.then_some("current"), is_open.then_some("open"))}
                aria-current={is_current.then_some("true")} data-event-id={event.id.to_string()} {onclick}>
                <span role="cell" class="c-toggle">
                    <button class="expand" aria-expanded={is_open.to_string()}
                        aria-label={format!("Details of event {}", event.id)} onclick={toggle}>
                        { if is_open { "▾" } else { "▸" } }
                    </button>
                </span>
                { ui::span("cell", classes!("c-id"), None, event.id.into()) }
                { ui::span("cell", classes!("c-type", event_tone(event.kind)), None, event.kind.as_str().into()) }
                { ui::span("cell", classes!("c-state"), state.as_deref().map(|s| AttrValue::from(s.to_string())), state.as_deref().unwrap_or("-").into()) }
                { ui::span("cell", classes!("c-resource"), None, event_resource(event).unwrap_or_else(|| "-".into()).into()) }
                { ui::span("cell", classes!("c-prev"), None, if event.previous_event_id == 0 { "-".to_string() } else { event.previous_event_id.to_string() }.into()) }
                { ui::span("cell", classes!("c-time"), Some(event.timestamp().into()), view::format_clock(event.elapsed_ms).into()) }
            </div>
        }
    });

    let detail = (*expanded).and_then(|i| events.get(i)).map(|event| {
        let close = {
            let expanded = expanded.clone();
            Callback::from(move |_| expanded.set(None))
        };
        html! {
            <aside class="history-detail" aria-label={format!("Event {} details", event.id)}>
                <div class="history-detail-head">
                    <strong>{ format!("{} · {}", event.id, event.kind.as_str()) }</strong>
                    <span class="muted" title={event.timestamp()}>{ view::format_clock(event.elapsed_ms) }</span>
                    <span class="spacer" />
                    <button class="small" onclick={close} aria-label="Close details">{ "×" }</button>
                </div>
                { for event_detail_blocks(event).into_iter().map(|(title, body)| html! {
                    <section class="history-detail-block">
                        { ui::el("h4", "", title.into()) }
                        { ui::el("pre", "", body.into()) }
                    </section>
                }) }
            </aside>
        }
    });

    let total_height = format!("height:{}px", filtered.len() as f64 * ROW_HEIGHT);
    let offset = format!(
        "transform:translateY({}px)",
        window.start as f64 * ROW_HEIGHT
    );
    let selected_state = (*state_filter).clone();
    html! {
        <div class="history">
            <div class="history-filters">
                { ui::field_select("field", "State", "Filter events by state", None, on_state, html! {<>
                    { ui::option(AttrValue::Static(""), selected_state.is_none(), "All states".into()) }
                    { for state_names.iter().map(|n| ui::option(n.to_string().into(), selected_state.as_deref() == Some(&**n), n.to_string().into())) }
                </>}) }
                { ui::field_select("field", "Type", "Filter events by type", None, on_type, html! {<>
                    { ui::option(AttrValue::Static(""), type_filter.is_none(), "All types".into()) }
                    { for kinds.iter().map(|k| ui::option(AttrValue::Static(k.as_str()), *type_filter == Some(*k), k.as_str().into())) }
                </>}) }
                <span class="muted history-count">
                    { format!("{} of {} events · {} revealed", filtered.len(), events.len(), store.cursor) }
                </span>
            </div>
            <div class={classes!("history-body", detail.is_some().then_some("with-detail"))}>
                <div class="history-table" role="table" aria-label="Event history"
                    aria-rowcount={(filtered.len() + 1).to_string()}>
                    <div class="history-row history-head" role="row" aria-rowindex="1">
                        { for HEADERS.iter().map(|&(class, text)| ui::span("columnheader", classes!(class), None, if text.is_empty() { Html::default() } else { text.into() })) }
                    </div>
                    <div class="history-scroll" ref={scroller} {onscroll}>
                        <div class="history-spacer" style={total_height}>
                            <div class="history-rows" role="rowgroup" style={offset}>
                                { for rows }
                            </div>
                        </div>
                        if filtered.is_empty() {
                            { ui::el("p", "muted history-empty", "No event matches the filters.".into()) }
                        }
                    </div>
                </div>
                { detail.unwrap_or_default() }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::State;

    #[test]
    fn the_window_covers_the_visible_rows_plus_overscan() {
        // (scroll_top, viewport, total, overscan) -> range
        let cases: &[(f64, f64, usize, usize, Range<usize>)] = &[
            (0.0, 260.0, 25_000, 8, 0..18),
            (2600.0, 260.0, 25_000, 8, 92..118),
            (2613.0, 260.0, 25_000, 0, 100..111),
            (649_740.0, 260.0, 25_000, 8, 24_982..25_000),
            (1e12, 260.0, 25_000, 8, 25_000..25_000),
            (0.0, 260.0, 5, 8, 0..5),
            (0.0, 260.0, 0, 8, 0..0),
            (-50.0, f64::NAN, 100, 2, 0..2),
            (f64::INFINITY, 260.0, 100, 2, 0..12),
        ];
        for (top, height, total, over, want) in cases {
            let got = visible_window(*top, *height, ROW_HEIGHT, *total, *over);
            assert_eq!(&got, want, "top {top} height {height} total {total}");
            assert!(got.len() < 200);
        }
        assert_eq!(visible_window(0.0, 100.0, 0.0, 10, 1), 0..0);
    }

    #[test]
    fn scrolling_a_row_into_view_moves_as_little_as_possible() {
        let h = ROW_HEIGHT;
        assert_eq!(scroll_into_view(0.0, 10.0 * h, h, 3), None);
        assert_eq!(scroll_into_view(0.0, 10.0 * h, h, 10), Some(h));
        assert_eq!(scroll_into_view(20.0 * h, 10.0 * h, h, 5), Some(5.0 * h));
        assert_eq!(scroll_into_view(0.0, 0.0, h, 0), Some(0.0));
    }

    #[test]
    fn events_belong_to_their_state_and_filter() {
        let s = State::default();
        let trace = s.trace().expect("the default sample runs");
        let states = event_states(trace);
        assert_eq!(states.len(), trace.events.len());
        // ExecutionStarted and ExecutionSucceeded have no state; the task events have theirs.
        assert_eq!(states.first().cloned().flatten(), None);
        assert_eq!(states.last().cloned().flatten(), None);
        for (event, state) in trace.events.iter().zip(&states) {
            if event.kind == EventType::TaskScheduled {
                assert!(state.is_some(), "event {} has a state", event.id);
            }
        }
        let names = distinct(states.iter().filter_map(|n| n.as_deref()));
        assert_eq!(names, vec!["Submit Batch Job", "Notify Success"]);

        let only = filter_events(&trace.events, &states, Some("Notify Success"), None);
        assert!(!only.is_empty());
        assert!(
            only.iter()
                .all(|&i| states[i].as_deref() == Some("Notify Success"))
        );
        let scheduled = filter_events(&trace.events, &states, None, Some(EventType::TaskScheduled));
        assert_eq!(scheduled.len(), 2);
        let both = filter_events(
            &trace.events,
            &states,
            Some("Submit Batch Job"),
            Some(EventType::TaskScheduled),
        );
        assert_eq!(both.len(), 1);
        assert_eq!(
            filter_events(&trace.events, &states, None, None).len(),
            trace.events.len()
        );
    }

    #[test]
    fn details_keep_json_text_and_parse_it_for_reading() {
        let s = State::default();
        let trace = s.trace().expect("runs");
        let scheduled = trace
            .events
            .iter()
            .find(|e| e.kind == EventType::TaskScheduled)
            .expect("a TaskScheduled event");
        let blocks = event_detail_blocks(scheduled);
        assert!(blocks[0].1.contains("\"taskScheduledEventDetails\""));
        // AWS returns `parameters` as JSON text: the raw block keeps it escaped.
        assert!(blocks[0].1.contains("\"parameters\": \"{\\\""));
        assert!(
            blocks
                .iter()
                .any(|(t, b)| t.starts_with("parameters") && b.contains("\"JobName\": "))
        );
        assert_eq!(
            event_resource(scheduled).as_deref(),
            Some("batch:submitJob.sync")
        );
        assert_eq!(event_tone(EventType::TaskFailed), "failed");
        assert_eq!(event_tone(EventType::ExecutionSucceeded), "succeeded");
        assert_eq!(event_tone(EventType::TaskStateEntered), "started");
        assert_eq!(event_tone(EventType::TaskStateExited), "");
    }
}
