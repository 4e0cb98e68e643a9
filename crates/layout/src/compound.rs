//! Nesting: lay out every block bottom-up (a Map/Parallel node's size is the size of
//! its laid-out branches), then flatten the tree into one [`Graph`].

use stepwise_asl::vecmap::VecMap;

use crate::graph::{Graph, PlacedBranch, PlacedEdge, PlacedNode, Point};
use crate::layered::{self, LEdge, LNode};
use crate::spec::{Block, EdgeKind, NodeKind};
use crate::text::{LayoutOptions, text_width, truncate, wrap};

/// Most lines a state name wraps to.
const MAX_NAME_LINES: usize = 3;
/// Nesting deeper than this is drawn as an empty box (guards the recursion).
const MAX_DEPTH: usize = 64;

struct LaidBlock {
    width: f64,
    height: f64,
    nodes: Vec<LaidNode>,
    edges: Vec<LaidEdge>,
}

struct LaidNode {
    name: String,
    kind: NodeKind,
    pointer: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    text: NodeText,
    retry_badge: Option<u32>,
    header_height: f64,
    branches: Vec<LaidBranch>,
}

struct LaidBranch {
    label: String,
    pointer: String,
    /// Relative to the node's top-left corner.
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    caption_h: f64,
    block: LaidBlock,
}

struct LaidEdge {
    from: usize,
    to: usize,
    kind: EdgeKind,
    points: Vec<Point>,
    back: bool,
    label: Option<String>,
    full_label: Option<String>,
    label_pos: Option<Point>,
    label_size: Option<(f64, f64)>,
}

#[derive(Clone)]
struct NodeText {
    lines: Vec<String>,
    subtitle: Option<String>,
    font_size: f64,
    line_height: f64,
    baseline: f64,
    subtitle_baseline: f64,
    /// Width and height of the text area including padding (and badge room).
    w: f64,
    h: f64,
}

fn node_text(
    caption: &str,
    subtitle: Option<&str>,
    font_size: f64,
    badge: bool,
    opts: &LayoutOptions,
) -> NodeText {
    let lh = font_size * opts.line_height;
    let small_lh = opts.small_font_size * opts.line_height;
    let lines = wrap(
        caption,
        font_size,
        opts.max_text_width,
        MAX_NAME_LINES,
        opts,
    );
    let subtitle = subtitle.map(|s| truncate(s, opts.small_font_size, opts.max_text_width, opts));
    let mut tw = lines
        .iter()
        .map(|l| text_width(l, font_size, opts))
        .fold(0.0f64, f64::max);
    if let Some(s) = &subtitle {
        tw = tw.max(text_width(s, opts.small_font_size, opts));
    }
    let badge_w = if badge { opts.badge_width } else { 0.0 };
    let w = tw + 2.0 * opts.node_padding_x + badge_w;
    let h = 2.0 * opts.node_padding_y
        + lines.len() as f64 * lh
        + if subtitle.is_some() { small_lh } else { 0.0 };
    // Baseline of the first line: centre of the line box plus about a third of the
    // font size (half the x-height).
    let baseline = opts.node_padding_y + lh / 2.0 + font_size * 0.35;
    let subtitle_baseline = opts.node_padding_y
        + lines.len() as f64 * lh
        + small_lh / 2.0
        + opts.small_font_size * 0.35;
    NodeText {
        lines,
        subtitle,
        font_size,
        line_height: lh,
        baseline,
        subtitle_baseline,
        w,
        h,
    }
}

/// Lays out `block` and everything inside it; coordinates relative to the block.
fn lay_block(block: &Block, depth: usize, opts: &LayoutOptions) -> LaidBlock {
    let mut nodes: Vec<LaidNode> = Vec::new();
    let anchor = |kind: NodeKind, pointer: &str| {
        let text = node_text(kind.type_name(), None, opts.small_font_size, false, opts);
        let h = opts.small_font_size * opts.line_height + opts.node_padding_y;
        let baseline = h / 2.0 + opts.small_font_size * 0.35;
        LaidNode {
            name: String::new(),
            kind,
            pointer: pointer.to_string(),
            x: 0.0,
            y: 0.0,
            w: text.w.max(56.0),
            h,
            header_height: h,
            text: NodeText { baseline, ..text },
            retry_badge: None,
            branches: Vec::new(),
        }
    };
    nodes.push(anchor(NodeKind::Start, &block.pointer));

    // States (a name seen twice in one block keeps its first node).
    let mut index: VecMap<&str, usize> = VecMap::new();
    for spec in &block.nodes {
        if index.contains_key(spec.name.as_str()) {
            continue;
        }
        index.insert(spec.name.as_str(), nodes.len());
        let text = node_text(
            &spec.name,
            spec.subtitle.as_deref(),
            opts.font_size,
            spec.retry_badge.is_some(),
            opts,
        );
        let mut w = text.w.max(opts.min_node_width);
        let mut h = text.h;
        let header_height = text.h;
        let mut branches = Vec::new();
        if !spec.children.is_empty() && depth < MAX_DEPTH {
            let pad = opts.branch_spacing;
            let caption_h = opts.small_font_size * opts.line_height + 4.0;
            let laid: Vec<LaidBlock> = spec
                .children
                .iter()
                .map(|b| lay_block(b, depth + 1, opts))
                .collect();
            let inner_h = laid
                .iter()
                .map(|b| b.height + caption_h)
                .fold(0.0f64, f64::max);
            let total_w: f64 = laid.iter().map(|b| b.width).sum::<f64>()
                + pad * (laid.len().saturating_sub(1)) as f64;
            w = w.max(total_w + 2.0 * pad);
            let mut x = (w - total_w) / 2.0;
            for (child, b) in spec.children.iter().zip(laid) {
                let bw = b.width;
                let caption_w = text_width(&child.label, opts.small_font_size, opts);
                let label = if caption_w > bw - 8.0 {
                    truncate(&child.label, opts.small_font_size, bw - 8.0, opts)
                } else {
                    child.label.clone()
                };
                branches.push(LaidBranch {
                    label,
                    pointer: child.pointer.clone(),
                    x,
                    y: header_height,
                    w: bw,
                    h: inner_h,
                    caption_h,
                    block: b,
                });
                x += bw + pad;
            }
            h = header_height + inner_h + pad;
        }
        nodes.push(LaidNode {
            name: spec.name.clone(),
            kind: spec.kind,
            pointer: spec.pointer.clone(),
            x: 0.0,
            y: 0.0,
            w,
            h,
            text,
            retry_badge: spec.retry_badge,
            header_height,
            branches,
        });
    }

    // Transitions; targets that are not states of this block get a marker.
    let mut edges: Vec<(usize, usize, EdgeKind)> = Vec::new();
    let mut missing: VecMap<String, usize> = VecMap::new();
    let mut target = |name: &str, pointer: &str, nodes: &mut Vec<LaidNode>| -> usize {
        if let Some(&i) = index.get(name) {
            return i;
        }
        if let Some(&i) = missing.get(name) {
            return i;
        }
        let caption = format!("{name} (missing)");
        let text = node_text(&caption, None, opts.small_font_size, false, opts);
        let i = nodes.len();
        nodes.push(LaidNode {
            name: name.to_string(),
            kind: NodeKind::Missing,
            pointer: pointer.to_string(),
            x: 0.0,
            y: 0.0,
            w: text.w,
            h: text.h,
            header_height: text.h,
            text,
            retry_badge: None,
            branches: Vec::new(),
        });
        missing.insert(name.to_string(), i);
        i
    };
    if let Some(start) = &block.start_at {
        let ptr = format!("{}/StartAt", block.pointer);
        let t = target(start, &ptr, &mut nodes);
        edges.push((0, t, EdgeKind::Start));
    }
    // Terminal edges go after each node's own transitions, so End sits left of Catch.
    let mut terminal_done: Vec<bool> = vec![false; block.nodes.len()];
    let mut first_spec: VecMap<&str, usize> = VecMap::new();
    for (si, spec) in block.nodes.iter().enumerate() {
        first_spec.get_or_insert_with(spec.name.as_str(), || si);
    }
    let spec_index = |name: &str| first_spec.get(name).copied();
    for e in &block.edges {
        let Some(&from) = index.get(e.from.as_str()) else {
            continue;
        };
        if matches!(e.kind, EdgeKind::Catch { .. })
            && let Some(si) = spec_index(&e.from)
            && let Some(spec) = block.nodes.get(si)
            && spec.terminal
            && !terminal_done[si]
        {
            terminal_done[si] = true;
            edges.push((from, usize::MAX, EdgeKind::End));
        }
        let to = target(&e.to, &e.pointer, &mut nodes);
        edges.push((from, to, e.kind.clone()));
    }
    for (si, spec) in block.nodes.iter().enumerate() {
        if spec.terminal
            && !terminal_done[si]
            && first_spec.get(spec.name.as_str()) == Some(&si)
            && let Some(&from) = index.get(spec.name.as_str())
        {
            edges.push((from, usize::MAX, EdgeKind::End));
        }
    }
    let end = nodes.len();
    nodes.push(anchor(NodeKind::End, &block.pointer));
    for e in &mut edges {
        if e.1 == usize::MAX {
            e.1 = end;
        }
    }

    // Label texts and sizes.
    let label_h = opts.small_font_size * opts.line_height + 4.0;
    // (shown text, full text, box size) per edge.
    type Label = (Option<String>, Option<String>, Option<(f64, f64)>);
    let mut labels: Vec<Label> = Vec::new();
    let ledges: Vec<LEdge> = edges
        .iter()
        .map(|(from, to, kind)| {
            let full = kind.label().map(str::to_string);
            let shown = full
                .as_ref()
                .map(|f| truncate(f, opts.small_font_size, opts.max_label_width, opts));
            let size = shown
                .as_ref()
                .map(|s| (text_width(s, opts.small_font_size, opts) + 10.0, label_h));
            labels.push((shown, full, size));
            LEdge {
                from: *from,
                to: *to,
                label: size,
            }
        })
        .collect();
    let lnodes: Vec<LNode> = nodes.iter().map(|n| LNode { w: n.w, h: n.h }).collect();
    let res = layered::layout(&lnodes, &ledges, Some(0), Some(end), opts);
    for (node, &(x, y)) in nodes.iter_mut().zip(res.pos.iter()) {
        node.x = x;
        node.y = y;
    }
    let laid_edges = edges
        .into_iter()
        .zip(res.edges)
        .zip(labels)
        .filter(|((_, out), _)| out.points.len() >= 2)
        .map(
            |(((from, to, kind), out), (label, full_label, size))| LaidEdge {
                from,
                to,
                kind,
                points: out.points,
                back: out.back,
                label_pos: out.label_pos,
                label_size: if out.label_pos.is_some() { size } else { None },
                label: if out.label_pos.is_some() { label } else { None },
                full_label,
            },
        )
        .collect();
    LaidBlock {
        width: res.width,
        height: res.height,
        nodes,
        edges: laid_edges,
    }
}

struct Place {
    dx: f64,
    dy: f64,
    parent: Option<usize>,
    branch: Option<usize>,
    depth: usize,
}

fn emit(block: LaidBlock, at: Place, g: &mut Graph) {
    let mut global = Vec::with_capacity(block.nodes.len());
    for node in block.nodes {
        let idx = g.nodes.len();
        global.push(idx);
        let (nx, ny) = (node.x + at.dx, node.y + at.dy);
        g.nodes.push(PlacedNode {
            name: node.name,
            kind: node.kind,
            x: nx,
            y: ny,
            width: node.w,
            height: node.h,
            pointer: node.pointer,
            parent: at.parent,
            branch: at.branch,
            depth: at.depth,
            lines: node.text.lines,
            subtitle: node.text.subtitle,
            retry_badge: node.retry_badge,
            header_height: node.header_height,
            text_baseline: node.text.baseline,
            line_height: node.text.line_height,
            font_size: node.text.font_size,
            subtitle_baseline: node.text.subtitle_baseline,
        });
        for (bi, br) in node.branches.into_iter().enumerate() {
            let bidx = g.branches.len();
            g.branches.push(PlacedBranch {
                node: idx,
                index: bi,
                label: br.label,
                pointer: br.pointer,
                x: nx + br.x,
                y: ny + br.y,
                width: br.w,
                height: br.h,
                caption_height: br.caption_h,
            });
            emit(
                br.block,
                Place {
                    dx: nx + br.x,
                    dy: ny + br.y + br.caption_h,
                    parent: Some(idx),
                    branch: Some(bidx),
                    depth: at.depth + 1,
                },
                g,
            );
        }
    }
    for e in block.edges {
        let (Some(&from), Some(&to)) = (global.get(e.from), global.get(e.to)) else {
            continue;
        };
        let shift = |(x, y): Point| (x + at.dx, y + at.dy);
        g.edges.push(PlacedEdge {
            from,
            to,
            kind: e.kind,
            points: e.points.into_iter().map(shift).collect(),
            back: e.back,
            label: e.label,
            full_label: e.full_label,
            label_pos: e.label_pos.map(shift),
            label_size: e.label_size,
        });
    }
}

/// Lays out a block tree (see [`crate`] for the method).
pub fn layout_block(block: &Block, opts: &LayoutOptions) -> Graph {
    let opts = &opts.sanitized();
    let laid = lay_block(block, 0, opts);
    let mut g = Graph {
        width: laid.width,
        height: laid.height,
        ..Graph::default()
    };
    emit(
        laid,
        Place {
            dx: 0.0,
            dy: 0.0,
            parent: None,
            branch: None,
            depth: 0,
        },
        &mut g,
    );
    g
}
