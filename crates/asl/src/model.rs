//! The typed model of an Amazon States Language definition.
//!
//! Built by [`crate::parse`]. Every state, retrier, catcher and choice branch carries the
//! JSON pointer of the object it came from (`/States/Foo`, `/States/Foo/Retry/0`), so
//! anything the engine or the editor reports can be mapped back to the source text
//! through [`crate::SpanIndex`].
//!
//! Paths (JSONPath, reference paths, intrinsic calls) are kept as the strings written in
//! the definition; payload templates (`Parameters`, `ResultSelector`, `ItemSelector`,
//! `Assign`, JSONata `Arguments`/`Output`) are kept as raw [`crate::json::Value`]s. The
//! expression modules of this crate compile them.

use crate::json::Value;
use serde::Serialize;

use crate::vecmap::VecMap;

/// The query language of a state machine or a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum QueryLanguage {
    /// `"JSONPath"`, the default.
    #[default]
    #[serde(rename = "JSONPath")]
    JsonPath,
    /// `"JSONata"`.
    #[serde(rename = "JSONata")]
    Jsonata,
}

impl QueryLanguage {
    /// The spelling used in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// The state machine type given to `CreateStateMachine` (`STANDARD` unless told).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum MachineType {
    #[default]
    #[serde(rename = "STANDARD")]
    Standard,
    #[serde(rename = "EXPRESS")]
    Express,
}

/// A whole state machine definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub start_at: String,
    pub states: States,
    /// Execution timeout (`TimeoutSeconds` at the top level).
    pub timeout_seconds: Option<u64>,
    pub version: Option<String>,
    /// The top-level query language (`JSONPath` when absent).
    pub query_language: QueryLanguage,
}

impl StateMachine {
    /// The top-level `{StartAt, States}` as a [`Block`] view (pointer `""`).
    pub fn start_state(&self) -> Option<&State> {
        self.states.get(&self.start_at)
    }

    /// Every state of the machine, nested ones included, depth first in definition order.
    pub fn all_states(&self) -> Vec<&State> {
        let mut out = Vec::new();
        collect_states(&self.states, &mut out);
        out
    }
}

fn collect_states<'a>(states: &'a States, out: &mut Vec<&'a State>) {
    for state in states.iter() {
        out.push(state);
        match &state.kind {
            StateKind::Parallel(p) => {
                for branch in &p.branches {
                    collect_states(&branch.states, out);
                }
            }
            StateKind::Map(m) => collect_states(&m.item_processor.states, out),
            _ => {}
        }
    }
}

/// A nested `{StartAt, States}` block: a Parallel branch or a Map's ItemProcessor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Pointer of the block object, e.g. `/States/P/Branches/0`.
    pub pointer: String,
    pub comment: Option<String>,
    pub start_at: String,
    pub states: States,
}

impl Block {
    pub fn start_state(&self) -> Option<&State> {
        self.states.get(&self.start_at)
    }
}

/// The states of one `States` object, in definition order, with lookup by name.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(transparent)]
pub struct States {
    list: Vec<State>,
    #[serde(skip)]
    index: VecMap<String, usize>,
}

impl States {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a state; a state with the same name replaces the earlier one in place
    /// (like a JSON object with a duplicate key, which validation reports).
    pub fn push(&mut self, state: State) {
        if let Some(&i) = self.index.get(&state.name) {
            if let Some(slot) = self.list.get_mut(i) {
                *slot = state;
            }
            return;
        }
        self.index.insert(state.name.clone(), self.list.len());
        self.list.push(state);
    }

    pub fn get(&self, name: &str) -> Option<&State> {
        self.index.get(name).and_then(|&i| self.list.get(i))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Position of a state in definition order.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn get_index(&self, i: usize) -> Option<&State> {
        self.list.get(i)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, State> {
        self.list.iter()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|s| s.name.as_str())
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl<'a> IntoIterator for &'a States {
    type Item = &'a State;
    type IntoIter = std::slice::Iter<'a, State>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// A JSONPath-mode path field that distinguishes absent, `null` and a path
/// (`InputPath`, `OutputPath`, `ResultPath`, `ItemsPath`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub enum PathField {
    /// Not written: the default `"$"` applies.
    #[default]
    Absent,
    /// Written as JSON `null`.
    Null,
    /// A path string.
    Path(String),
}

impl PathField {
    /// The path to apply, `"$"` when absent; `None` when the field is `null`.
    pub fn effective(&self) -> Option<&str> {
        match self {
            PathField::Absent => Some("$"),
            PathField::Null => None,
            PathField::Path(p) => Some(p),
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, PathField::Absent)
    }
}

/// A value given literally, through a `…Path` field, or as a JSONata expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Setting<T> {
    /// The plain field (`TimeoutSeconds: 10`).
    Literal(T),
    /// The `…Path` field (`TimeoutSecondsPath: "$.t"`); for `ErrorPath`/`CausePath` this
    /// can also be an intrinsic function call.
    Path(String),
    /// A JSONata `"{% … %}"` string in the plain field.
    Expression(String),
}

/// One state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    pub name: String,
    /// JSON pointer of the state object, e.g. `/States/Foo` or
    /// `/States/P/Branches/0/States/Bar`.
    pub pointer: String,
    pub comment: Option<String>,
    /// The effective query language of this state (its own `QueryLanguage`, else the
    /// machine's).
    pub query_language: QueryLanguage,
    /// `QueryLanguage` as written on the state, if at all.
    pub query_language_explicit: Option<QueryLanguage>,
    pub input_path: PathField,
    pub output_path: PathField,
    pub result_path: PathField,
    /// `Parameters` (Task, Pass, Parallel). For Map, legacy `Parameters` is folded into
    /// [`MapState::item_selector`].
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    /// JSONata `Arguments` (Task, Parallel).
    pub arguments: Option<Value>,
    /// JSONata `Output`.
    pub output: Option<Value>,
    pub assign: Option<Value>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub kind: StateKind,
}

impl State {
    /// The type name as written (`"Task"`, `"Pass"`, …).
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// Where the state goes when it completes normally (None for Choice, Succeed, Fail).
    pub fn transition(&self) -> Option<&Transition> {
        match &self.kind {
            StateKind::Task(t) => Some(&t.transition),
            StateKind::Pass(p) => Some(&p.transition),
            StateKind::Wait(w) => Some(&w.transition),
            StateKind::Parallel(p) => Some(&p.transition),
            StateKind::Map(m) => Some(&m.transition),
            StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_) => None,
        }
    }

    /// Whether reaching the end of this state ends its block (End, Succeed, Fail).
    pub fn is_terminal(&self) -> bool {
        match &self.kind {
            StateKind::Succeed | StateKind::Fail(_) => true,
            StateKind::Choice(_) => false,
            _ => matches!(self.transition(), Some(Transition::End)),
        }
    }

    /// Every state name this state can go to, in definition order: `Next`, choice
    /// branches' `Next`, `Default`, catchers' `Next`. Duplicates are kept.
    pub fn successors(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Some(Transition::Next(n)) = self.transition() {
            out.push(n.as_str());
        }
        if let StateKind::Choice(c) = &self.kind {
            out.extend(c.choices.iter().map(|b| b.next.as_str()));
            if let Some(d) = &c.default {
                out.push(d.as_str());
            }
        }
        out.extend(self.catch.iter().map(|c| c.next.as_str()));
        out
    }
}

/// `Next` or `End: true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Transition {
    Next(String),
    End,
}

/// The type-specific part of a state.
// Map is the largest variant; states are few and built once per parse, and unboxed
// variants keep pattern matching simple for the engine and the layout.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum StateKind {
    Task(TaskState),
    Pass(PassState),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed,
    Fail(FailState),
    Parallel(ParallelState),
    Map(MapState),
}

impl StateKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Task(_) => "Task",
            StateKind::Pass(_) => "Pass",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// A `Task` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskState {
    pub resource: String,
    /// `TimeoutSeconds` / `TimeoutSecondsPath` (None: AWS's default applies).
    pub timeout_seconds: Option<Setting<u64>>,
    /// `HeartbeatSeconds` / `HeartbeatSecondsPath`.
    pub heartbeat_seconds: Option<Setting<u64>>,
    /// `Credentials`, raw (`{"RoleArn": …}` or `{"RoleArn.$": …}`).
    pub credentials: Option<Value>,
    pub transition: Transition,
}

/// A `Pass` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassState {
    /// `Result`: `Some(Value::Null)` when written as `null` (it is still a result).
    pub result: Option<Value>,
    pub transition: Transition,
}

/// A `Choice` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceState {
    pub choices: Vec<ChoiceBranch>,
    pub default: Option<String>,
}

/// One top-level entry of `Choices`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceBranch {
    /// e.g. `/States/Check/Choices/0`.
    pub pointer: String,
    pub rule: ChoiceRule,
    pub next: String,
    pub assign: Option<Value>,
    /// JSONata `Output` of the rule.
    pub output: Option<Value>,
    pub comment: Option<String>,
}

/// A choice rule (boolean combination or a data test).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ChoiceRule {
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Data {
        variable: String,
        op: ComparisonOp,
        operand: Operand,
    },
    /// JSONata `Condition`: a boolean or a `"{% … %}"` string.
    Condition(Value),
}

/// The right-hand side of a data test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Operand {
    /// The operator's value (`"StringEquals": "x"`, `"IsPresent": true`).
    Literal(Value),
    /// A path, for the `…Path` operators (`"StringEqualsPath": "$.y"`).
    Path(String),
}

/// A comparison operator (the `…Path` variants are the same op with [`Operand::Path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ComparisonOp {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl ComparisonOp {
    /// Every operator, in the order listed by the spec.
    pub const ALL: [ComparisonOp; 23] = [
        ComparisonOp::StringEquals,
        ComparisonOp::StringLessThan,
        ComparisonOp::StringGreaterThan,
        ComparisonOp::StringLessThanEquals,
        ComparisonOp::StringGreaterThanEquals,
        ComparisonOp::StringMatches,
        ComparisonOp::NumericEquals,
        ComparisonOp::NumericLessThan,
        ComparisonOp::NumericGreaterThan,
        ComparisonOp::NumericLessThanEquals,
        ComparisonOp::NumericGreaterThanEquals,
        ComparisonOp::BooleanEquals,
        ComparisonOp::TimestampEquals,
        ComparisonOp::TimestampLessThan,
        ComparisonOp::TimestampGreaterThan,
        ComparisonOp::TimestampLessThanEquals,
        ComparisonOp::TimestampGreaterThanEquals,
        ComparisonOp::IsNull,
        ComparisonOp::IsPresent,
        ComparisonOp::IsNumeric,
        ComparisonOp::IsString,
        ComparisonOp::IsBoolean,
        ComparisonOp::IsTimestamp,
    ];

    /// The field name as written (`"StringEquals"`).
    pub fn name(self) -> &'static str {
        match self {
            ComparisonOp::StringEquals => "StringEquals",
            ComparisonOp::StringLessThan => "StringLessThan",
            ComparisonOp::StringGreaterThan => "StringGreaterThan",
            ComparisonOp::StringLessThanEquals => "StringLessThanEquals",
            ComparisonOp::StringGreaterThanEquals => "StringGreaterThanEquals",
            ComparisonOp::StringMatches => "StringMatches",
            ComparisonOp::NumericEquals => "NumericEquals",
            ComparisonOp::NumericLessThan => "NumericLessThan",
            ComparisonOp::NumericGreaterThan => "NumericGreaterThan",
            ComparisonOp::NumericLessThanEquals => "NumericLessThanEquals",
            ComparisonOp::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            ComparisonOp::BooleanEquals => "BooleanEquals",
            ComparisonOp::TimestampEquals => "TimestampEquals",
            ComparisonOp::TimestampLessThan => "TimestampLessThan",
            ComparisonOp::TimestampGreaterThan => "TimestampGreaterThan",
            ComparisonOp::TimestampLessThanEquals => "TimestampLessThanEquals",
            ComparisonOp::TimestampGreaterThanEquals => "TimestampGreaterThanEquals",
            ComparisonOp::IsNull => "IsNull",
            ComparisonOp::IsPresent => "IsPresent",
            ComparisonOp::IsNumeric => "IsNumeric",
            ComparisonOp::IsString => "IsString",
            ComparisonOp::IsBoolean => "IsBoolean",
            ComparisonOp::IsTimestamp => "IsTimestamp",
        }
    }

    /// Whether the operator has a `…Path` variant (all but `StringMatches` and the type
    /// tests).
    pub fn has_path_variant(self) -> bool {
        !matches!(
            self,
            ComparisonOp::StringMatches
                | ComparisonOp::IsNull
                | ComparisonOp::IsPresent
                | ComparisonOp::IsNumeric
                | ComparisonOp::IsString
                | ComparisonOp::IsBoolean
                | ComparisonOp::IsTimestamp
        )
    }

    /// Looks up a field name: `("StringEqualsPath")` → `(StringEquals, true)`.
    pub fn from_field(field: &str) -> Option<(ComparisonOp, bool)> {
        if let Some(op) = ComparisonOp::ALL.iter().find(|op| op.name() == field) {
            return Some((*op, false));
        }
        let base = field.strip_suffix("Path")?;
        ComparisonOp::ALL
            .iter()
            .find(|op| op.has_path_variant() && op.name() == base)
            .map(|op| (*op, true))
    }
}

/// A `Wait` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitState {
    pub wait: WaitFor,
    pub transition: Transition,
}

/// What a Wait state waits for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WaitFor {
    /// `Seconds` / `SecondsPath` / JSONata `Seconds`.
    Seconds(Setting<u64>),
    /// `Timestamp` / `TimestampPath` / JSONata `Timestamp` (RFC 3339 string).
    Timestamp(Setting<String>),
}

/// A `Fail` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailState {
    /// `Error` / `ErrorPath` (path or intrinsic) / JSONata `Error`.
    pub error: Option<Setting<String>>,
    /// `Cause` / `CausePath` / JSONata `Cause`.
    pub cause: Option<Setting<String>>,
}

/// A `Parallel` state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParallelState {
    pub branches: Vec<Block>,
    pub transition: Transition,
}

/// `ProcessorConfig.Mode` of a Map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ProcessorMode {
    #[default]
    #[serde(rename = "INLINE")]
    Inline,
    #[serde(rename = "DISTRIBUTED")]
    Distributed,
}

/// A `Map` state (inline or distributed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapState {
    /// `ItemProcessor`, or the deprecated `Iterator` (see [`MapState::legacy_iterator`]).
    pub item_processor: Block,
    pub legacy_iterator: bool,
    pub mode: ProcessorMode,
    /// `ProcessorConfig.ExecutionType` (distributed only): `STANDARD` or `EXPRESS`.
    pub execution_type: Option<String>,
    /// JSONPath `ItemsPath` (reference path, default `$`).
    pub items_path: PathField,
    /// JSONata `Items` (an array or an expression).
    pub items: Option<Value>,
    /// `ItemSelector`, or the deprecated Map `Parameters` (see
    /// [`MapState::legacy_parameters`]).
    pub item_selector: Option<Value>,
    pub legacy_parameters: bool,
    /// `MaxConcurrency` / `MaxConcurrencyPath` (None: 0 = unlimited).
    pub max_concurrency: Option<Setting<u64>>,
    pub tolerated_failure_count: Option<Setting<u64>>,
    pub tolerated_failure_percentage: Option<Setting<f64>>,
    /// Distributed-only fields, raw (the simulator reports them as unsupported).
    pub item_batcher: Option<Value>,
    pub item_reader: Option<Value>,
    pub result_writer: Option<Value>,
    pub label: Option<String>,
    pub transition: Transition,
}

/// One entry of `Retry`, with AWS's defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retrier {
    /// e.g. `/States/Submit/Retry/0`.
    pub pointer: String,
    pub error_equals: Vec<String>,
    /// Default 1.
    pub interval_seconds: u64,
    /// Default 3; 0 means never retry.
    pub max_attempts: u64,
    /// Default 2.0.
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
    pub comment: Option<String>,
}

impl Retrier {
    pub const DEFAULT_INTERVAL_SECONDS: u64 = 1;
    pub const DEFAULT_MAX_ATTEMPTS: u64 = 3;
    pub const DEFAULT_BACKOFF_RATE: f64 = 2.0;
}

/// `JitterStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Jitter {
    #[default]
    #[serde(rename = "NONE")]
    None,
    #[serde(rename = "FULL")]
    Full,
}

/// One entry of `Catch`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catcher {
    /// e.g. `/States/Submit/Catch/0`.
    pub pointer: String,
    pub error_equals: Vec<String>,
    pub next: String,
    /// JSONPath `ResultPath` (absent: `$`, the error output replaces the input).
    pub result_path: PathField,
    pub assign: Option<Value>,
    /// JSONata `Output`.
    pub output: Option<Value>,
    pub comment: Option<String>,
}
