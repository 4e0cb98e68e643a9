//! The layout's output: a flat list of positioned nodes, branch boxes and edges.
//!
//! Coordinates are in CSS pixels, origin top-left, y downwards; `x`/`y` of a box
//! are its top-left corner.

use serde::Serialize;

use crate::spec::{EdgeKind, NodeKind};

/// A point `(x, y)`.
pub type Point = (f64, f64);

/// A laid-out state machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Graph {
    pub width: f64,
    pub height: f64,
    /// Nodes in pre-order: a Map/Parallel node comes before the nodes inside it.
    pub nodes: Vec<PlacedNode>,
    /// Sub-boxes of Map/Parallel nodes (one per Parallel branch, one for a Map).
    pub branches: Vec<PlacedBranch>,
    pub edges: Vec<PlacedEdge>,
}

impl Graph {
    /// Index of the state called `name` (anchors and missing markers are skipped).
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.kind.is_state() && n.name == name)
    }

    /// The state called `name`.
    pub fn node(&self, name: &str) -> Option<&PlacedNode> {
        self.node_index(name).and_then(|i| self.nodes.get(i))
    }
}

/// A positioned node: a state, a Start/End anchor or a missing-target marker.
///
/// A Map/Parallel node's box covers its header *and* its branch sub-boxes; the
/// header (name, subtitle, badge) is the top `header_height` pixels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedNode {
    /// State name; for anchors "" (anchors are per block, so they have no name);
    /// for a missing marker the name that was referenced.
    pub name: String,
    pub kind: NodeKind,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// JSON pointer of the state ("/States/M/ItemProcessor/States/Inner"); for an
    /// anchor the pointer of its block; for a missing marker the pointer of the first
    /// field that names it.
    pub pointer: String,
    /// Index (in [`Graph::nodes`]) of the Map/Parallel node this node is inside.
    pub parent: Option<usize>,
    /// Index (in [`Graph::branches`]) of the sub-box this node is inside.
    pub branch: Option<usize>,
    /// Nesting depth: 0 at the top level.
    pub depth: usize,
    /// The caption, word-wrapped to fit: one entry per text line (the state name, or
    /// "Start"/"End", or "`<name> (missing)`").
    pub lines: Vec<String>,
    /// The second, smaller line (resource label or state type), already truncated.
    pub subtitle: Option<String>,
    /// Total attempts the Retry policy allows (shown as a badge, top-right).
    pub retry_badge: Option<u32>,
    /// Height of the text header (equals `height` for nodes without children).
    pub header_height: f64,
    /// Where the first caption line's baseline is, relative to `y`; further lines
    /// follow every `line_height`, then the subtitle.
    pub text_baseline: f64,
    pub line_height: f64,
    /// Font size of `lines` (anchors and missing markers use the small font; the
    /// subtitle always does).
    pub font_size: f64,
    /// Baseline of the subtitle, relative to `y` (set with the small font size).
    pub subtitle_baseline: f64,
}

impl PlacedNode {
    /// Centre of the node.
    pub fn center(&self) -> Point {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

/// A Parallel branch or a Map's item processor, drawn inside its node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedBranch {
    /// Index (in [`Graph::nodes`]) of the Map/Parallel node.
    pub node: usize,
    /// Branch index within the node (0 for a Map).
    pub index: usize,
    /// "Branch 1", "Item processor", "Iterator".
    pub label: String,
    /// JSON pointer of the block ("/States/P/Branches/0").
    pub pointer: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Height of the caption strip at the top of the box (the block's content starts
    /// below it).
    pub caption_height: f64,
}

/// A positioned edge.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedEdge {
    /// Index in [`Graph::nodes`] of the source.
    pub from: usize,
    /// Index in [`Graph::nodes`] of the target.
    pub to: usize,
    pub kind: EdgeKind,
    /// Polyline from the source's border to the target's border (the arrow head goes
    /// at the last point). At least two points.
    pub points: Vec<Point>,
    /// Whether this edge goes against the top-to-bottom flow (a loop): it leaves the
    /// source's right side and enters the target's right side.
    pub back: bool,
    /// Label text to draw (possibly truncated with "…"), if the edge has one.
    pub label: Option<String>,
    /// Full, untruncated label (for a tooltip).
    pub full_label: Option<String>,
    /// Centre of the label; the label's box is `label_size` around it.
    pub label_pos: Option<Point>,
    pub label_size: Option<(f64, f64)>,
}
