//! Graph layout for Stepwise: a state machine in, positioned nodes and edges out.
//!
//! Pure Rust, no web dependencies, data only (the UI draws the SVG). Deterministic:
//! the same definition and [`LayoutOptions`] always give the same [`Graph`], to the
//! bit. It never panics, whatever the model: cycles, unreachable states, transitions
//! to unknown states and empty blocks all lay out.
//!
//! # Why an own layered layout, one block at a time
//!
//! ASL nesting is a tree: a Parallel's branches and a Map's item processor are
//! self-contained `States` blocks whose transitions never leave the block. So each
//! block is laid out on its own, bottom-up: the inner blocks first, which gives every
//! Map/Parallel state its size (a box holding its branches side by side), then the
//! parent block with those sizes. A general DAG layout over the flattened graph would
//! not respect the nesting (boxes would overlap or be torn apart by edges), and a
//! generic compound-graph library is far more than this needs. Per-block layering is
//! simple, deterministic and fast (a 100-state machine lays out in well under a
//! millisecond; see `benches/layout.rs`).
//!
//! # Within a block
//!
//! A Start anchor sits above `StartAt`, an End anchor below everything; terminal
//! states (`End: true`, Succeed, Fail) connect to End. Nodes are layered by longest
//! path from Start over the `Next`/Choice/`Default`/Catch edges; edges that close a
//! loop are reversed for layering and drawn as *back edges* in a lane on the right of
//! their nodes (a self-loop sits on the left). Nodes are ordered within layers by
//! barycenter sweeps to reduce crossings and placed horizontally by weighted isotonic
//! regression: the main path (a state's `Next` before its Catch, a Choice's first rule
//! before `Default`) runs straight down, the other branches move aside. Edges become
//! polylines that reserve a slot in every layer they cross, so they never run through
//! a node; needless bends are then straightened. Edge labels (Choice
//! rules, `Default`, a Catcher's `ErrorEquals`) get their own slot between layers, so
//! they never overlap a node or each other. The steps are listed in the `layered` module.
//!
//! # Transitions to unknown states
//!
//! A `Next`, `Default`, Catcher `Next` or `StartAt` naming a state that is not in the
//! block is drawn to a [`NodeKind::Missing`] marker (one per unknown name per block,
//! captioned "`<name> (missing)`"), so the learner sees where the broken transition
//! points; its `pointer` is the field that names it.
//!
//! # Entry points
//!
//! * [`layout_machine`]: the typed ASL model → [`Graph`].
//! * [`layout_block`]: the layout's own input type ([`Block`]) → [`Graph`].

mod compound;
pub mod graph;
mod layered;
mod machine;
pub mod spec;
pub mod text;

pub use compound::layout_block;
pub use graph::{Graph, PlacedBranch, PlacedEdge, PlacedNode, Point};
pub use machine::{block_from_machine, choice_rule_label, layout_machine, resource_label};
pub use spec::{Block, EdgeKind, EdgeSpec, NodeKind, NodeSpec};
pub use text::{LayoutOptions, text_width};

/// Escapes one JSON-pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
