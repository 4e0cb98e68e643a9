//! The layout's own input: a tree of [`Block`]s (one per ASL `States` object).
//!
//! [`crate::layout_machine`] builds this from the typed ASL model; tests and other
//! callers can build it by hand and call [`crate::layout_block`].

use serde::Serialize;

/// What a node is. States use the ASL type names; `Start`/`End` are the per-block
/// anchors; `Missing` marks a transition target that is not a state of the block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum NodeKind {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
    Start,
    End,
    Missing,
}

impl NodeKind {
    /// Whether this kind is an ASL state (not an anchor nor a missing marker).
    pub fn is_state(self) -> bool {
        !matches!(self, NodeKind::Start | NodeKind::End | NodeKind::Missing)
    }

    /// The ASL `Type` name (or the anchor's caption).
    pub fn type_name(self) -> &'static str {
        match self {
            NodeKind::Task => "Task",
            NodeKind::Pass => "Pass",
            NodeKind::Choice => "Choice",
            NodeKind::Wait => "Wait",
            NodeKind::Succeed => "Succeed",
            NodeKind::Fail => "Fail",
            NodeKind::Parallel => "Parallel",
            NodeKind::Map => "Map",
            NodeKind::Start => "Start",
            NodeKind::End => "End",
            NodeKind::Missing => "Missing",
        }
    }
}

/// The kind of a transition, as drawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum EdgeKind {
    /// `Next` (solid).
    Next,
    /// One Choice rule; `label` summarises the rule.
    Choice { label: String },
    /// A Choice state's `Default`.
    Default,
    /// A Catcher; `label` is its `ErrorEquals` joined with ", " (dashed orange).
    Catch { label: String },
    /// Start anchor → `StartAt`.
    Start,
    /// Terminal state (`End: true`, Succeed, Fail) → End anchor.
    End,
}

impl EdgeKind {
    /// The text drawn on the edge, if any.
    pub fn label(&self) -> Option<&str> {
        match self {
            EdgeKind::Choice { label } | EdgeKind::Catch { label } => Some(label),
            EdgeKind::Default => Some("Default"),
            EdgeKind::Next | EdgeKind::Start | EdgeKind::End => None,
        }
    }
}

/// One `States` block: the top level, a Parallel branch or a Map's item processor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    /// JSON pointer of the object holding `StartAt`/`States` ("" for the top level,
    /// "/States/P/Branches/0", "/States/M/ItemProcessor").
    pub pointer: String,
    /// Caption of the sub-box ("Branch 1", "Item processor"); unused at the top level.
    pub label: String,
    /// `StartAt`; `None` or an unknown name gives a Start anchor with no edge (or an
    /// edge to a missing marker, see [`crate`] docs).
    pub start_at: Option<String>,
    pub nodes: Vec<NodeSpec>,
    /// Transitions between states of this block (`from`/`to` are state names).
    /// Start and End edges are implied by `start_at` and [`NodeSpec::terminal`].
    pub edges: Vec<EdgeSpec>,
}

/// One state of a block.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpec {
    pub name: String,
    pub kind: NodeKind,
    /// JSON pointer of the state object, e.g. "/States/Foo".
    pub pointer: String,
    /// Second line under the name: the resource label for a Task ("Batch: SubmitJob
    /// (.sync)"), a short description otherwise ("Wait 30 s", "Choice").
    pub subtitle: Option<String>,
    /// Total attempts the Retry policy allows (1 + Σ MaxAttempts), if it has Retry.
    pub retry_badge: Option<u32>,
    /// `End: true`, Succeed or Fail: gets an edge to the block's End anchor.
    pub terminal: bool,
    /// Parallel: one block per branch; Map: the item processor.
    pub children: Vec<Block>,
}

impl NodeSpec {
    /// A leaf node with no retry, no subtitle and no children.
    pub fn new(name: impl Into<String>, kind: NodeKind) -> Self {
        let name = name.into();
        let pointer = format!("/States/{}", crate::escape_pointer(&name));
        NodeSpec {
            name,
            kind,
            pointer,
            subtitle: None,
            retry_badge: None,
            terminal: matches!(kind, NodeKind::Succeed | NodeKind::Fail),
            children: Vec::new(),
        }
    }
}

/// A transition between two states of one block.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeSpec {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// JSON pointer of the field holding the target name ("/States/A/Next",
    /// "/States/C/Choices/0/Next", "/States/T/Catch/1/Next"); used for missing markers.
    pub pointer: String,
}
