//! The SVG of the graph, in two memoised layers: [`GraphStatic`] (container boxes, edges,
//! labels, anchors: everything that only depends on the layout, rendered once per
//! `Rc<Graph>`) and one [`StateNode`] per state (re-rendered only when its status,
//! selection or retry count changes). All text goes in as SVG text nodes.

use std::rc::Rc;

use stepwise_layout::{EdgeKind, Graph, NodeKind, PlacedEdge, PlacedNode};
use yew::prelude::*;

use crate::ui;

use super::geom::{num, rounded_path};
use crate::store::layout_options;
use crate::view::StateStatus;

/// A graph compared by identity: the store replaces the graph, never mutates it, so the
/// pointer tells whether anything in it changed.
#[derive(Clone, Debug)]
pub struct GraphRef(pub Rc<Graph>);

impl PartialEq for GraphRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Marker ids (one graph per page).
pub const ARROW: &str = "sw-arrow";
pub const ARROW_CATCH: &str = "sw-arrow-catch";

/// The arrowheads, coloured by CSS (`.arrow-head`).
pub fn defs() -> Html {
    let marker = |id: &'static str, class: &'static str| {
        html! {
            <marker id={id} class={class} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"
                markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">
                <path class="arrow-head" d="M0 0.5L10 5L0 9.5z" />
            </marker>
        }
    };
    html! {
        <defs>
            { marker(ARROW, "arrow") }
            { marker(ARROW_CATCH, "arrow catch") }
        </defs>
    }
}

fn is_container(n: &PlacedNode) -> bool {
    matches!(n.kind, NodeKind::Map | NodeKind::Parallel) && n.height > n.header_height + 0.5
}

fn edge_class(e: &PlacedEdge) -> &'static str {
    match e.kind {
        EdgeKind::Next => "edge next",
        EdgeKind::Choice { .. } => "edge choice",
        EdgeKind::Default => "edge default",
        EdgeKind::Catch { .. } => "edge catch",
        EdgeKind::Start => "edge start",
        EdgeKind::End => "edge end",
    }
}

#[derive(Properties, PartialEq)]
pub struct StaticProps {
    pub graph: GraphRef,
}

/// Everything that does not change with the cursor.
#[function_component(GraphStatic)]
pub fn graph_static(props: &StaticProps) -> Html {
    let graph = &props.graph.0;
    let containers = graph
        .nodes
        .iter()
        .filter(|n| is_container(n))
        .map(|n| rect("container-bg", n.x, n.y, n.width, n.height, 8.0));
    let branches = graph.branches.iter().map(|b| {
        // A click inside a branch box, off its states, selects the Map/Parallel that owns it.
        let owner = graph.nodes.get(b.node).map(|n| n.name.clone());
        html! {
            <g class="branch" data-owner={owner}>
                { rect("branch-box", b.x, b.y, b.width, b.height, 6.0) }
                { svg_text("branch-caption", b.x + 8.0, b.y + b.caption_height - 5.0, layout_options().small_font_size, b.label.clone().into()) }
            </g>
        }
    });
    let edges = graph.edges.iter().map(|e| {
        let marker = match e.kind {
            EdgeKind::Catch { .. } => ARROW_CATCH,
            _ => ARROW,
        };
        html! {
            <path class={classes!(edge_class(e), e.back.then_some("back"))}
                d={rounded_path(&e.points, 8.0)} marker-end={format!("url(#{marker})")} />
        }
    });
    let labels = graph.edges.iter().filter_map(|e| {
        let (text, (x, y), (w, h)) = (e.label.as_ref()?, e.label_pos?, e.label_size?);
        let catch = matches!(e.kind, EdgeKind::Catch { .. });
        let full = e.full_label.clone().unwrap_or_else(|| text.clone());
        Some(html! {
            <g class={classes!("edge-label", catch.then_some("catch"))}>
                { ui::el("title", "", full.into()) }
                { rect("", x - w / 2.0, y - h / 2.0, w, h, 4.0) }
                { svg_text("", x, y + layout_options().small_font_size * 0.35, layout_options().small_font_size, text.clone().into()) }
            </g>
        })
    });
    let anchors = graph
        .nodes
        .iter()
        .filter(|n| !n.kind.is_state())
        .map(anchor);
    html! {
        <g class="graph-static">
            <g class="containers">{ for containers }{ for branches }</g>
            <g class="edges">{ for edges }</g>
            <g class="edge-labels">{ for labels }</g>
            <g class="anchors">{ for anchors }</g>
        </g>
    }
}

/// `<rect x y width height rx class />` at layout coordinates (no `class` when empty).
#[inline(never)]
fn rect(class: &'static str, x: f64, y: f64, w: f64, h: f64, rx: f64) -> Html {
    ui::rect(
        num(x).into(),
        num(y).into(),
        num(w).into(),
        num(h).into(),
        Some(num(rx).into()),
        class,
    )
}

/// `<text x y font-size class>` at layout coordinates (no `class` when empty).
#[inline(never)]
fn svg_text(class: &'static str, x: f64, y: f64, font_size: f64, child: Html) -> Html {
    ui::text(
        num(x).into(),
        num(y).into(),
        Some(num(font_size).into()),
        class,
        child,
    )
}

/// A Start/End anchor (a pill) or a missing-target marker (a dashed red box).
fn anchor(n: &PlacedNode) -> Html {
    let (class, rx) = match n.kind {
        NodeKind::Start => ("anchor start", n.height / 2.0),
        NodeKind::End => ("anchor end", n.height / 2.0),
        _ => ("anchor missing", 4.0),
    };
    html! {
        <g class={class}>
            { rect("", n.x, n.y, n.width, n.height, rx) }
            { caption(n, n.x + n.width / 2.0) }
        </g>
    }
}

/// The node's caption lines (and subtitle) at the layout's positions, centred on `cx`.
fn caption(n: &PlacedNode, cx: f64) -> Html {
    let opts = layout_options();
    let lines = n.lines.iter().enumerate().map(|(i, line)| {
        svg_text(
            "name",
            cx,
            n.y + n.text_baseline + i as f64 * n.line_height,
            n.font_size,
            line.clone().into(),
        )
    });
    let subtitle = n.subtitle.as_ref().map(|s| {
        // The layout's text block: the name lines, then one small line.
        let small_lh = opts.small_font_size * opts.line_height;
        let top = n.text_baseline - n.line_height / 2.0 - n.font_size * 0.35;
        let y = n.y
            + top
            + n.lines.len() as f64 * n.line_height
            + small_lh / 2.0
            + opts.small_font_size * 0.35;
        svg_text("subtitle", cx, y, opts.small_font_size, s.clone().into())
    });
    html! { <>{ for lines }{ for subtitle }</> }
}

#[derive(Properties, PartialEq)]
pub struct NodeProps {
    pub graph: GraphRef,
    /// Index in `graph.nodes`.
    pub index: usize,
    pub status: StateStatus,
    pub selected: bool,
    /// Attempts used in the state's latest visit at the cursor (only for nodes with Retry).
    pub attempts: Option<u32>,
}

/// One state: `<g data-state data-status>`, focusable; clicks and keys are handled by the
/// pane (event delegation), so this component holds no callbacks and memoises on its props.
#[function_component(StateNode)]
pub fn state_node(props: &NodeProps) -> Html {
    let Some(n) = props.graph.0.nodes.get(props.index) else {
        return Html::default();
    };
    let container = is_container(n);
    let kind = n.kind.type_name();
    let status = props.status;
    // The box that carries the status: the whole node, or a Map/Parallel's header.
    let box_h = if container { n.header_height } else { n.height };
    let cx = n.x + n.width / 2.0;
    let label = format!(
        "{}: {kind} state, {}",
        n.name,
        status.label().to_ascii_lowercase()
    );
    let tooltip = match (props.attempts, n.retry_badge) {
        (Some(used), Some(allowed)) => format!(
            "{} ({kind}) · {} · attempt {used} of at most {allowed}",
            n.name,
            status.label()
        ),
        (None, Some(allowed)) => format!(
            "{} ({kind}) · {} · up to {allowed} attempts",
            n.name,
            status.label()
        ),
        _ => format!("{} ({kind}) · {}", n.name, status.label()),
    };
    let kind_class = kind.to_ascii_lowercase();
    let ring = |pad: f64, class: &'static str| {
        rect(
            class,
            n.x - pad,
            n.y - pad,
            n.width + 2.0 * pad,
            box_h + 2.0 * pad,
            6.0 + pad,
        )
    };
    html! {
        <g class={classes!("state", kind_class, container.then_some("container"), props.selected.then_some("selected"))}
            data-state={n.name.clone()} data-status={status.as_str()} tabindex="0" role="button"
            aria-label={label} aria-pressed={if props.selected { "true" } else { "false" }}>
            { ui::el("title", "", tooltip.into()) }
            if status == StateStatus::InProgress {
                { ring(0.0, "pulse") }
            }
            if container {
                { rect("state-outline", n.x, n.y, n.width, n.height, 8.0) }
                <path class="state-box header" d={header_path(n)} />
            } else {
                { rect("state-box", n.x, n.y, n.width, n.height, 6.0) }
            }
            { caption(n, cx) }
            { retry_badge(n, props.attempts) }
            { status_icon(n, status) }
            { ring(4.0, "select-ring") }
        </g>
    }
}

/// A Map/Parallel header: the top `header_height` of the box, rounded at the top only.
fn header_path(n: &PlacedNode) -> String {
    let r = 8.0f64.min(n.header_height / 2.0);
    let (x, y, w, h) = (n.x, n.y, n.width, n.header_height);
    format!(
        "M{} {}V{}Q{} {} {} {}H{}Q{} {} {} {}V{}Z",
        num(x),
        num(y + h),
        num(y + r),
        num(x),
        num(y),
        num(x + r),
        num(y),
        num(x + w - r),
        num(x + w),
        num(y),
        num(x + w),
        num(y + r),
        num(y + h)
    )
}

/// "used/allowed" in a pill at the top right (the layout reserved its width).
fn retry_badge(n: &PlacedNode, attempts: Option<u32>) -> Html {
    let Some(allowed) = n.retry_badge else {
        return Html::default();
    };
    let used = attempts.unwrap_or(0);
    let text = format!("{used}/{allowed}");
    let opts = layout_options();
    let font = 10.0;
    let w = (stepwise_layout::text_width(&text, font, &opts) + 10.0).max(24.0);
    let h = 15.0;
    let x = n.x + n.width - w - 4.0;
    let y = n.y + 4.0;
    let class = classes!(
        "retry-badge",
        (used > 1).then_some("retried"),
        (used >= allowed).then_some("exhausted")
    );
    html! {
        <g class={class}>
            { rect("", x, y, w, h, h / 2.0) }
            { svg_text("", x + w / 2.0, y + h / 2.0 + font * 0.35, font, text.into()) }
        </g>
    }
}

/// A status glyph on the top-left corner (colour is not the only cue).
fn status_icon(n: &PlacedNode, status: StateStatus) -> Html {
    let (cx, cy) = (n.x + 1.0, n.y + 1.0);
    let glyph = match status {
        StateStatus::NotRun => return Html::default(),
        StateStatus::InProgress => "M0 -4.5A4.5 4.5 0 1 1 -4.5 0",
        StateStatus::Succeeded => "M-3.5 0.2L-1.2 2.6L3.6 -2.4",
        StateStatus::Failed => "M-2.8 -2.8L2.8 2.8M2.8 -2.8L-2.8 2.8",
        StateStatus::Caught => "M0 -3.8V0.9M0 3V3.4",
    };
    html! {
        <g class="status-icon" transform={format!("translate({} {})", num(cx), num(cy))}>
            <circle r="7.5" />
            <path class={classes!(matches!(status, StateStatus::InProgress).then_some("spin"))} d={glyph} />
        </g>
    }
}
