//! The state machine graph, coloured by the trace at the cursor.
//!
//! Renders the layout's [`Graph`] (`store.analysis.graph`) as SVG: Start/End anchors,
//! `Next` edges with arrowheads, Choice edges labelled by rule and `Default`, Catch edges
//! dashed orange with their `ErrorEquals`, Map/Parallel as nested boxes, a retry badge
//! "attempts used / allowed". Colours at the cursor come from [`view::statuses_at`].
//!
//! Cost: the layout-only SVG is a memoised child per `Rc<Graph>` ([`svg::GraphStatic`]),
//! and each state is a keyed, memoised [`svg::StateNode`], so moving the cursor only
//! re-renders the states whose status, selection or retry count changed. Zoom and pan
//! only change the `viewBox`. Clicks and keys are delegated to the pane (no callback per
//! node).
//!
//! "Allowed" on the retry badge is the layout's `retry_badge`, 1 + the sum of the
//! retriers' `MaxAttempts`: each retrier counts its own retries, so that is the most
//! attempts any sequence of errors can reach. Which retrier the next error matches is
//! only known once it happens; the inspector explains the one that did.

mod geom;
mod svg;

use std::rc::Rc;

use stepwise_layout::Graph;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::ui;

use crate::app::{use_measure, use_store};
use crate::store::Action;
use crate::view::{self, StateStatus};
pub use geom::{ViewBox, attempts_at};
use svg::{GraphRef, GraphStatic, StateNode};

/// An in-progress drag of the view.
#[derive(Clone, Copy)]
struct Drag {
    pointer: i32,
    start: (f64, f64),
    view: ViewBox,
    moved: bool,
}

/// Pixels at the bottom of the viewport kept free for the legend when fitting.
const LEGEND_RESERVE: f64 = 30.0;

/// Pixels a press must move before it pans instead of clicking.
const DRAG_THRESHOLD: f64 = 4.0;

#[function_component(GraphPane)]
pub fn graph_pane() -> Html {
    let store = use_store();
    let viewport = use_node_ref();
    // The pane's size in CSS px, measured after mounting and on window resizes.
    let size = use_state_eq(|| None::<(f64, f64)>);
    // The view chosen by zooming/panning; `None` = fitted to the graph.
    let view = use_state_eq(|| None::<ViewBox>);
    let drag = use_mut_ref(|| None::<Drag>);
    let swallow_click = use_mut_ref(|| false);

    {
        let viewport = viewport.clone();
        let size = size.setter();
        use_measure(Rc::new(move || {
            if let Some(el) = viewport.cast::<Element>() {
                let (w, h) = (el.client_width(), el.client_height());
                if w > 0 && h > 0 {
                    size.set(Some((f64::from(w), f64::from(h))));
                }
            }
        }));
    }
    {
        // A new sample is fitted.
        let view = view.clone();
        use_effect_with(store.sample, move |sample| {
            if sample.is_some() {
                view.set(None);
            }
        });
    }

    let graph = store.analysis.graph.clone();
    let current_view = graph.as_ref().map(|g| match *view {
        Some(v) => v,
        None => geom::fit(g, *size, LEGEND_RESERVE),
    });

    // Keep the state in progress on screen while stepping: when it is not entirely
    // visible (the user moved the view, or the machine is too tall to fit legibly), centre
    // it.
    let in_progress = store.trace().and_then(|t| {
        let i = view::current_step(t, store.cursor)?;
        t.steps.get(i).map(|s| s.state.clone())
    });
    {
        let view = view.clone();
        let graph = graph.clone();
        let size = *size;
        use_effect_with(in_progress.clone(), move |name| {
            if let (Some(v), Some(size), Some(name), Some(graph)) =
                (current_view, size, name, graph)
                && let Some(n) = graph.node(name)
            {
                let shown = v.normalized(size);
                // A Map/Parallel taller than the view: its top part is what matters.
                let h = n.height.min(shown.h * 0.6);
                if !shown.contains(n.x, n.y, n.width, h) {
                    view.set(Some(
                        shown.centered_on((n.x + n.width / 2.0, n.y + h / 2.0)),
                    ));
                }
            }
        });
    }

    let set_view = {
        let view = view.clone();
        move |v: ViewBox| view.set(Some(v))
    };
    let zoom_button = |factor: f64| {
        let set_view = set_view.clone();
        let size = *size;
        Callback::from(move |_: MouseEvent| {
            if let (Some(v), Some(size)) = (current_view, size) {
                set_view(geom::zoom_at(v, size, size.0 / 2.0, size.1 / 2.0, factor));
            }
        })
    };
    let on_fit = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(None))
    };

    let onwheel = {
        let set_view = set_view.clone();
        let viewport = viewport.clone();
        let size = *size;
        Callback::from(move |e: WheelEvent| {
            let (Some(v), Some(size), Some(el)) = (current_view, size, viewport.cast::<Element>())
            else {
                return;
            };
            e.prevent_default();
            let rect = dom::bounds(&el);
            let (px, py) = (
                f64::from(e.client_x()) - rect.left(),
                f64::from(e.client_y()) - rect.top(),
            );
            // Lines (Firefox) and pages to pixels, then an exponential zoom.
            let unit = match e.delta_mode() {
                1 => 16.0,
                2 => size.1,
                _ => 1.0,
            };
            let factor = (-e.delta_y() * unit * 0.0015).exp();
            set_view(geom::zoom_at(v, size, px, py, factor));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        let swallow_click = swallow_click.clone();
        Callback::from(move |e: PointerEvent| {
            *swallow_click.borrow_mut() = false;
            if e.button() != 0 {
                return;
            }
            if let Some(v) = current_view {
                *drag.borrow_mut() = Some(Drag {
                    pointer: e.pointer_id(),
                    start: (f64::from(e.client_x()), f64::from(e.client_y())),
                    view: v,
                    moved: false,
                });
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let set_view = set_view.clone();
        let viewport = viewport.clone();
        let size = *size;
        Callback::from(move |e: PointerEvent| {
            let Some(mut d) = *drag.borrow() else { return };
            let Some(size) = size else { return };
            let (dx, dy) = (
                f64::from(e.client_x()) - d.start.0,
                f64::from(e.client_y()) - d.start.1,
            );
            if !d.moved {
                if dx.hypot(dy) < DRAG_THRESHOLD {
                    return;
                }
                d.moved = true;
                // Captured only now, so that a plain click still targets the node.
                if let Some(el) = viewport.cast::<Element>() {
                    let _ = el.set_pointer_capture(d.pointer);
                    let _ = el.set_attribute("data-dragging", "");
                }
                *drag.borrow_mut() = Some(d);
            }
            set_view(geom::pan(d.view, size, dx, dy));
        })
    };
    let end_drag = {
        let drag = drag.clone();
        let swallow_click = swallow_click.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(d) = drag.borrow_mut().take()
                && d.moved
            {
                *swallow_click.borrow_mut() = true;
                if let Some(el) = viewport.cast::<Element>() {
                    let _ = el.release_pointer_capture(d.pointer);
                    let _ = el.remove_attribute("data-dragging");
                }
            }
        })
    };
    let onclick = {
        let store = store.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *swallow_click.borrow_mut()) {
                return;
            }
            // A click on a state selects it; on the background, clears the selection.
            store.dispatch(Action::Select(state_of(e.target())));
        })
    };
    let onkeydown = {
        let store = store.clone();
        let set_view = set_view.clone();
        let view = view.clone();
        let size = *size;
        Callback::from(move |e: KeyboardEvent| {
            let zoom = |factor: f64| {
                if let (Some(v), Some(size)) = (current_view, size) {
                    set_view(geom::zoom_at(v, size, size.0 / 2.0, size.1 / 2.0, factor));
                }
            };
            match e.key().as_str() {
                "Enter" | " " => {
                    if let Some(name) = state_of(e.target()) {
                        e.prevent_default();
                        e.stop_propagation();
                        store.dispatch(Action::Select(Some(name)));
                    }
                }
                "+" | "=" => zoom(geom::ZOOM_STEP),
                "-" => zoom(1.0 / geom::ZOOM_STEP),
                "0" => view.set(None),
                _ => {}
            }
        })
    };

    let zoom_label = match (current_view, *size) {
        (Some(v), Some(size)) => format!("{:.0} %", geom::scale(v, size) * 100.0),
        _ => String::new(),
    };
    let has_graph = graph.is_some();
    let stale = store.analysis.graph_stale && has_graph;
    html! {
        <section class="graph-pane" aria-label="Graph">
            <div class="graph-toolbar">
                { ui::el("h2", "graph-title", "Graph".into()) }
                <span class="spacer" />
                { ui::button_with("small icon", Some("Zoom out"), Some("Zoom out (−)"), !has_graph, zoom_button(1.0 / geom::ZOOM_STEP), "−".into()) }
                <span class="zoom-level" aria-label="Zoom level">{ zoom_label }</span>
                { ui::button_with("small icon", Some("Zoom in"), Some("Zoom in (+)"), !has_graph, zoom_button(geom::ZOOM_STEP), "+".into()) }
                { ui::button_with("small", None, Some("Fit the graph to the pane (0)"), !has_graph, on_fit, "Fit".into()) }
            </div>
            <div ref={viewport} class={classes!("graph-viewport", stale.then_some("stale"))}
                {onwheel} {onpointerdown} {onpointermove} onpointerup={end_drag.clone()}
                onpointercancel={end_drag} {onclick} {onkeydown}>
                if let (Some(graph), Some(v)) = (graph, current_view) {
                    { graph_svg(&store, graph, v) }
                } else {
                    <p class="graph-empty">
                        { "No graph yet: write a definition with a StartAt and States, or pick a sample." }
                    </p>
                }
                if stale {
                    <p class="graph-stale-note">
                        { "Showing the last valid graph: fix the definition to update it." }
                    </p>
                }
            </div>
            { legend() }
        </section>
    }
}

/// The SVG: static layer, then one memoised node per state.
fn graph_svg(store: &crate::app::Store, graph: Rc<Graph>, v: ViewBox) -> Html {
    let statuses = store
        .trace()
        .map(|t| view::statuses_at(t, store.cursor))
        .unwrap_or_default();
    let attempts = store
        .trace()
        .map(|t| attempts_at(t, store.cursor))
        .unwrap_or_default();
    let gref = GraphRef(graph.clone());
    let nodes = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind.is_state())
        .map(|(i, n)| {
            let status = statuses
                .get(n.name.as_str())
                .copied()
                .unwrap_or(StateStatus::NotRun);
            let retry = n
                .retry_badge
                .map(|_| attempts.get(n.name.as_str()).copied().unwrap_or(0));
            html! {
                <StateNode key={n.pointer.as_str()} graph={gref.clone()} index={i} {status}
                    selected={store.selected.as_deref() == Some(n.name.as_str())} attempts={retry} />
            }
        });
    html! {
        <svg class="graph-svg" viewBox={v.attr()} preserveAspectRatio="xMidYMid meet"
            role="group" aria-label="State machine graph">
            { svg::defs() }
            <GraphStatic graph={gref.clone()} />
            <g class="graph-states">{ for nodes }</g>
        </svg>
    }
}

/// The colour key (AWS's palette) and the edge styles.
fn legend() -> Html {
    let items = [
        StateStatus::NotRun,
        StateStatus::InProgress,
        StateStatus::Succeeded,
        StateStatus::Failed,
        StateStatus::Caught,
    ];
    html! {
        <ul class="graph-legend" aria-label="Legend">
            { for items.iter().map(|s| html! {
                <li><span class="swatch" data-status={s.as_str()} />{ s.label() }</li>
            }) }
            <li class="legend-extra" title="Attempts used / allowed by the Retry policy">
                { ui::el("span", "badge-sample", "1/3".into()) }{ "attempts" }
            </li>
        </ul>
    }
}

/// The state named by the nearest `[data-state]` ancestor of an event's target, or the
/// Map/Parallel owning the branch box (`[data-owner]`) the event landed in.
fn state_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<Element>().ok()?;
    let hit = el.closest("[data-state], [data-owner]").ok()??;
    hit.get_attribute("data-state")
        .or_else(|| hit.get_attribute("data-owner"))
}

/// `getBoundingClientRect` without enabling more web-sys features.
mod dom {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        pub type Rect;
        #[wasm_bindgen(method, getter)]
        pub fn left(this: &Rect) -> f64;
        #[wasm_bindgen(method, getter)]
        pub fn top(this: &Rect) -> f64;
        pub type El;
        #[wasm_bindgen(method, js_name = getBoundingClientRect)]
        fn rect(this: &El) -> Rect;
    }

    pub fn bounds(el: &web_sys::Element) -> Rect {
        el.unchecked_ref::<El>().rect()
    }
}

#[cfg(test)]
mod tests;
