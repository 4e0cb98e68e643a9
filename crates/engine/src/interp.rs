//! The interpreter: a pure, deterministic run of a state machine on a virtual clock.
//!
//! # Concurrency model (documented deterministic order)
//!
//! Parallel branches and Map iterations are concurrent in **virtual time** (each branch starts
//! when the Parallel starts; a Map iteration starts when one of its `MaxConcurrency` slots frees
//! up), but they are **simulated one after another in index order**, so their events appear in
//! the history grouped per branch / iteration, in index order, exactly like AWS records a Map
//! with `MaxConcurrency: 1`. Task invocation counters therefore advance in index order too. When
//! a branch or iteration fails, the ones after it are not started (the history shows no aborted
//! work), and the Parallel/Map state fails with the branch's own error.
//!
//! # Virtual time
//!
//! Pass, Choice, Succeed and Fail take no time; a Task attempt takes its outcome's duration (or
//! the resource default, see [`crate::services::default_duration_ms`]; a `.sync` or
//! `.waitForTaskToken` call the service API rejects at submission takes 300 ms by default, not
//! the job's or the callback's duration); Wait and retry
//! delays take their computed time. Nothing sleeps.

#![allow(clippy::too_many_arguments)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use stepwise_asl::intrinsics::SplitMix64;
use stepwise_asl::json::{Map, Str, Value};
use stepwise_asl::jsonpath::{JsonPath, PathError, Scope, VariableStore, invalid_path_detail};
use stepwise_asl::model::{
    Block, Catcher, ChoiceRule, Jitter, MapState, ParallelState, PathField, Retrier, Setting,
    State, StateKind, StateMachine, States, TaskState, Transition, WaitFor,
};

use crate::expr::{Template, eval_assign};
use crate::outcome::{Outcome, PlannedOutcome};
use crate::scenario::{FailureEvent, Scenario, TaskPlan};
use crate::services::{self, CallContext, Family, IdGen, IntegrationPattern, ResourceInfo};
use crate::trace::{
    Attempt, AttemptOutcome, ErrorInfo, EventDetails, EventType, HistoryEvent, Inspection, Status,
    Step, Text, Trace, iso_timestamp,
};
use stepwise_asl::choice::CompiledRule;
use stepwise_asl::template::{Expression, TemplateError};

/// What a state visit produced: the next state (None at the end of a block), the output and
/// the variables it assigned.
type Visited<'m> = (Option<&'m str>, Value, Option<Vec<(String, Value)>>);
type VisitResult<'m> = Result<Visited<'m>, Fail>;

/// AWS's payload limit (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// Run `machine` on `input` with `scenario`. Never panics; every problem becomes an AWS error in
/// the trace.
pub fn simulate(machine: &StateMachine, input: &Value, scenario: &Scenario) -> Trace {
    Simulator::new(machine).run(input, scenario)
}

/// How many strings [`Engine::shared_str`] keeps.
const SHARED_STRS: usize = 16;

/// A state machine prepared for many runs: paths, templates, choice rules and resource
/// classifications are compiled on first use and kept across [`Simulator::run`] calls.
pub struct Simulator<'m> {
    machine: &'m StateMachine,
    compiled: PtrMap<Rc<Compiled>>,
    /// Sizes of the previous run's history and steps (the next run reserves as much).
    sizes: (usize, usize),
    /// [`unsupported`] of the machine, checked once.
    unsupported: Option<String>,
    /// Strings shared between runs (see [`Engine::shared_str`]).
    strs: Vec<Str>,
    /// The scope of the top-level lane (no enclosing Parallel/Map), shared between runs.
    top_scope: Rc<Vec<String>>,
}

/// Invocations so far per Task state name, with the state's plan in the scenario (looked up
/// once per run): the first few names inline (no allocation, no hashing), the rest in a map.
struct Counters<'m> {
    few: [(&'m str, Counter<'m>); FEW_COUNTERS],
    len: usize,
    more: HashMap<&'m str, Counter<'m>, std::hash::BuildHasherDefault<PtrHasher>>,
}

/// Invocations so far of one Task state name and its plan.
type Counter<'m> = (u32, Option<&'m TaskPlan>);

const FEW_COUNTERS: usize = 8;

impl<'m> Counters<'m> {
    fn new() -> Counters<'m> {
        Counters {
            few: [("", (0, None)); FEW_COUNTERS],
            len: 0,
            more: HashMap::default(),
        }
    }

    /// The counter of `name`, created with the plan `plan` gives on first use.
    fn get(
        &mut self,
        name: &'m str,
        plan: impl FnOnce() -> Option<&'m TaskPlan>,
    ) -> &mut Counter<'m> {
        let few = &self.few[..self.len];
        let found = few
            .iter()
            .position(|(n, _)| std::ptr::eq(*n, name))
            .or_else(|| few.iter().position(|(n, _)| *n == name));
        if let Some(i) = found {
            return &mut self.few[i].1;
        }
        if self.len < FEW_COUNTERS {
            let i = self.len;
            self.len += 1;
            self.few[i] = (name, (0, plan()));
            return &mut self.few[i].1;
        }
        self.more.entry(name).or_insert_with(|| (0, plan()))
    }
}

impl<'m> Simulator<'m> {
    pub fn new(machine: &'m StateMachine) -> Simulator<'m> {
        Simulator {
            machine,
            compiled: PtrMap::default(),
            sizes: (0, 0),
            unsupported: unsupported(machine),
            strs: Vec::new(),
            top_scope: Rc::new(Vec::new()),
        }
    }

    /// Run one execution (same result as [`simulate`]).
    pub fn run(&mut self, input: &Value, scenario: &Scenario) -> Trace {
        let mut engine = Engine::new(self.machine, input, scenario);
        engine.compiled = std::mem::take(&mut self.compiled);
        engine.events.reserve(self.sizes.0);
        engine.steps.reserve(self.sizes.1);
        engine.unsupported.clone_from(&self.unsupported);
        engine.strs = std::mem::take(&mut self.strs);
        let trace = engine.run(input, self.top_scope.clone());
        self.compiled = std::mem::take(&mut engine.compiled);
        self.strs = std::mem::take(&mut engine.strs);
        self.sizes = (trace.events.len(), trace.steps.len());
        trace
    }
}

thread_local! {
    /// The keys of a caught error's output (`{"Error": …, "Cause": …}`), shared by every one.
    static ERROR_CAUSE_KEYS: (Str, Str) = (Str::from("Error"), Str::from("Cause"));
}

/// A map keyed by the address of a state (hashing a pointer needs no SipHash).
type PtrMap<V> = HashMap<usize, V, std::hash::BuildHasherDefault<PtrHasher>>;

/// Hasher for addresses: a multiplicative mix of the one `usize` written.
#[derive(Default)]
struct PtrHasher(u64);

impl std::hash::Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

/// Why a piece of work stopped.
#[derive(Debug, Clone)]
enum Fail {
    /// An error (`States.Runtime` is never retried or caught).
    Error { error: String, cause: String },
    /// An error nothing can retry or catch: a state's output over the payload limit
    /// (`States.DataLimitExceeded`, recorded straight to `ExecutionFailed`).
    Terminal { error: String, cause: String },
    /// The execution's `TimeoutSeconds` passed.
    ExecutionTimeout,
    /// The history reached its limit.
    HistoryLimit,
}

impl Fail {
    fn err(error: impl Into<String>, cause: impl Into<String>) -> Fail {
        Fail::Error {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

fn is_terminal_error(error: &str) -> bool {
    error == "States.Runtime"
}

/// Whether a Retrier/Catcher's ErrorEquals matches `error`.
pub fn error_matches(equals: &[String], error: &str) -> Option<&'static str> {
    if error == "States.Runtime" {
        return None;
    }
    for e in equals {
        if e == error {
            return Some("names it");
        }
        if e == "States.ALL" {
            return Some("States.ALL matches every error except States.Runtime");
        }
        if e == "States.TaskFailed" && error != "States.Timeout" {
            return Some("States.TaskFailed matches every error except States.Timeout");
        }
    }
    None
}

/// One chain of events (the top level, a branch, an iteration): the previous event id and the
/// virtual time.
#[derive(Debug, Clone)]
struct Lane {
    last: u32,
    t: u64,
    scope: Rc<Vec<String>>,
}

/// Variable frames: the innermost frame is last.
#[derive(Debug, Default)]
struct Vars {
    frames: Vec<Map>,
}

impl VariableStore for Vars {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.frames.iter().rev().find_map(|f| f.get(name))
    }
}

impl Vars {
    fn assign(&mut self, pairs: Vec<(String, Value)>) {
        // A name that exists in an outer frame is updated there (Catchers of Map/Parallel assign
        // into the outer scope); new names go to the innermost frame.
        if self.frames.is_empty() {
            self.frames.push(Map::new());
        }
        for (k, v) in pairs {
            let pos = self.frames.iter().rposition(|f| f.contains_key(&k));
            let frame = match pos {
                Some(i) => self.frames.get_mut(i),
                None => self.frames.last_mut(),
            };
            if let Some(f) = frame {
                f.insert(k, v);
            }
        }
    }
}

/// Per-state compiled data, built once per simulation.
struct Compiled {
    input_path: Result<Option<JsonPath>, String>,
    output_path: Result<Option<JsonPath>, String>,
    result_path: Result<Option<JsonPath>, String>,
    parameters: Option<Template>,
    /// `parameters` when it is constant: shared by every visit instead of copied.
    params_const: Option<Value>,
    result_selector: Option<Template>,
    assign: Option<Template>,
    catch_assign: Vec<Option<Template>>,
    catch_result_path: Vec<Result<Option<JsonPath>, String>>,
    /// Per retrier / catcher: whether its ErrorEquals has `States.ALL` (it then matches every
    /// error but `States.Runtime`, checked first).
    retry_all: Vec<bool>,
    catch_all: Vec<bool>,
    item_selector: Option<Template>,
    items_path: Result<Option<JsonPath>, String>,
    choice_assign: Vec<Option<Template>>,
    choice_rules: Vec<Result<CompiledRule, String>>,
    /// The step explanation of each choice rule matching ("Choice rule #1 matched (…): go
    /// to X."), built once.
    choice_explanations: Vec<String>,
    resource: Option<ResourceInfo>,
    uses_context: bool,
    /// Whether a `$$` path of the state may read `$$.Execution.Input` (the context object then
    /// holds a copy of the execution input; most do not need one).
    ctx_input: bool,
    /// The state name, shared by every event that names it.
    name: Text,
    /// A Pass state whose Parameters may move values out of its input (see
    /// [`Engine::pass_taking`]): the input is not needed after them.
    pass_take: bool,
    /// With `pass_take`: the output is a part of the result (OutputPath inside a one-name
    /// ResultPath), so of the input only its being an object matters.
    pass_output_in_result: bool,
    /// A Pass state's `Result`, shared by every visit.
    pass_result: Option<Value>,
    /// A Fail state's `ErrorPath` / `CausePath`, compiled (or why they do not compile).
    fail_error: Option<Result<Expression, String>>,
    fail_cause: Option<Result<Expression, String>>,
    /// The position in its block of the state this one last went to (see
    /// [`Engine::run_block`]; `usize::MAX` before the first transition).
    next_hint: std::cell::Cell<usize>,
}

/// A Fail state's `ErrorPath` / `CausePath` as an expression.
fn compile_fail_path(setting: Option<&Setting<String>>) -> Option<Result<Expression, String>> {
    match setting {
        Some(Setting::Path(text)) => Some(Expression::compile(text).map_err(|e| e.to_string())),
        _ => None,
    }
}

fn compile_path(field: &PathField) -> Result<Option<JsonPath>, String> {
    match field.effective() {
        None => Ok(None),
        Some(p) => JsonPath::parse(p).map(Some).map_err(|e| e.to_string()),
    }
}

impl Compiled {
    fn new(state: &State) -> Compiled {
        let text = serde_json::to_string(state).unwrap_or_default();
        let (item_selector, items_path) = match &state.kind {
            StateKind::Map(m) => (
                m.item_selector.as_ref().map(Template::compile),
                compile_path(&m.items_path),
            ),
            _ => (None, Ok(None)),
        };
        let choice_rules = match &state.kind {
            StateKind::Choice(c) => c
                .choices
                .iter()
                .map(|b| CompiledRule::compile(&b.rule).map_err(|e| e.to_string()))
                .collect(),
            _ => Vec::new(),
        };
        let choice_explanations = match &state.kind {
            StateKind::Choice(c) => c
                .choices
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    format!(
                        "Choice rule #{} matched ({}): go to {}.",
                        i + 1,
                        describe_rule(&b.rule),
                        b.next
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let choice_assign = match &state.kind {
            StateKind::Choice(c) => c
                .choices
                .iter()
                .map(|b| b.assign.as_ref().map(Template::compile))
                .collect(),
            _ => Vec::new(),
        };
        let result_path = compile_path(&state.result_path);
        let parameters = state.parameters.as_ref().map(Template::compile);
        let input_path = compile_path(&state.input_path);
        let output_path = compile_path(&state.output_path);
        Compiled {
            params_const: parameters.as_ref().and_then(Template::constant).cloned(),
            input_path: input_path.clone(),
            output_path: output_path.clone(),
            result_path: result_path.clone(),
            parameters,
            result_selector: state.result_selector.as_ref().map(Template::compile),
            assign: state.assign.as_ref().map(Template::compile),
            catch_assign: state
                .catch
                .iter()
                .map(|c| c.assign.as_ref().map(Template::compile))
                .collect(),
            catch_result_path: state
                .catch
                .iter()
                .map(|c| compile_path(&c.result_path))
                .collect(),
            retry_all: state
                .retry
                .iter()
                .map(|r| r.error_equals.iter().any(|e| e == "States.ALL"))
                .collect(),
            catch_all: state
                .catch
                .iter()
                .map(|c| c.error_equals.iter().any(|e| e == "States.ALL"))
                .collect(),
            item_selector,
            items_path,
            choice_assign,
            choice_rules,
            choice_explanations,
            resource: match &state.kind {
                StateKind::Task(t) => Some(services::classify(&t.resource)),
                _ => None,
            },
            uses_context: text.contains("$$"),
            ctx_input: reads_execution_input(&text),
            name: Text::new(state.name.clone()),
            fail_error: match &state.kind {
                StateKind::Fail(f) => compile_fail_path(f.error.as_ref()),
                _ => None,
            },
            fail_cause: match &state.kind {
                StateKind::Fail(f) => compile_fail_path(f.cause.as_ref()),
                _ => None,
            },
            pass_take: matches!(state.kind, StateKind::Pass(_))
                && match (&input_path, &result_path) {
                    (Ok(Some(ip)), Ok(Some(rp))) => {
                        ip.is_plain_input_path()
                            && (rp.is_root_only()
                                || (rp.is_plain_input_path() && rp.as_str() == ip.as_str())
                                || output_in_result(rp, &output_path))
                    }
                    _ => false,
                },
            pass_output_in_result: matches!(&result_path, Ok(Some(rp)) if output_in_result(rp, &output_path)),
            pass_result: match &state.kind {
                StateKind::Pass(p) => p.result.clone(),
                _ => None,
            },
            next_hint: std::cell::Cell::new(usize::MAX),
        }
    }
}

struct Engine<'m> {
    machine: &'m StateMachine,
    scenario: &'m Scenario,
    exec_input: &'m Value,
    events: Vec<HistoryEvent>,
    steps: Vec<Step>,
    rng: SplitMix64,
    ids: IdGen,
    /// Invocations so far per Task state name (MockConfigFile counters).
    counters: Counters<'m>,
    compiled: PtrMap<Rc<Compiled>>,
    deadline_ms: Option<u64>,
    limit: usize,
    notes: Vec<String>,
    ctx_base: Option<Value>,
    payload_limit: usize,
    /// Events emitted so far (also when they are not recorded: ids appear in error causes).
    n_events: usize,
    /// [`Scenario::record_events`]: without it, events are counted but not built.
    record_events: bool,
    /// [`Scenario::record_steps`], off when events are not recorded.
    record_steps: bool,
    /// The payload text of every event when events are not recorded (never read).
    no_text: Text,
    /// Why the machine cannot be simulated ([`unsupported`], given by the [`Simulator`]).
    unsupported: Option<String>,
    /// Error names and causes of the scenario and the machine as JSON strings, each made once
    /// (given by the [`Simulator`], at most [`SHARED_STRS`]).
    strs: Vec<Str>,
    /// The execution's region as an event field (made on first use).
    exec_region: Option<Str>,
}

/// The result of one state visit.
enum Flow<'m> {
    Next(&'m str, Value, Text),
    End(Value, Text),
}

/// What one Task attempt did.
struct AttemptResult<'m> {
    /// The result, or (error, cause, timed out): the scenario's own strings when it planned
    /// them (a retried error is not copied).
    outcome: Result<Value, (Cow<'m, str>, Cow<'m, str>, bool)>,
}

/// What an attempt's outcome comes to, before its events.
enum Ended<'m> {
    Value(Value, Text),
    Throw(Cow<'m, str>, Cow<'m, str>),
    TimeOut,
}

impl<'m> Engine<'m> {
    fn new(machine: &'m StateMachine, input: &'m Value, scenario: &'m Scenario) -> Engine<'m> {
        Engine {
            machine,
            scenario,
            events: Vec::new(),
            steps: Vec::new(),
            rng: SplitMix64::new(scenario.seed),
            ids: IdGen::new(scenario.seed ^ 0x05ee_d1d5),
            counters: Counters::new(),
            compiled: PtrMap::default(),
            exec_input: input,
            deadline_ms: machine.timeout_seconds.map(|s| s.saturating_mul(1000)),
            limit: scenario.max_history_events.unwrap_or(usize::MAX),
            notes: Vec::new(),
            ctx_base: None,
            payload_limit: scenario.max_payload_bytes.unwrap_or(usize::MAX),
            n_events: 0,
            record_events: scenario.record_events,
            record_steps: scenario.record_steps && scenario.record_events,
            no_text: Text::empty(),
            unsupported: None,
            strs: Vec::new(),
            exec_region: None,
        }
    }

    /// An event's error or cause (`None` when empty): the scenario's and the machine's own
    /// strings are shared ([`Engine::shared_str`]).
    fn event_str(&mut self, s: Cow<'m, str>) -> Option<Str> {
        (!s.is_empty()).then(|| self.shared_str(s))
    }

    /// `TaskScheduled.region`: the ARN's, else the execution's (made once per run).
    #[inline(never)]
    fn scheduled_region(&mut self, info: &ResourceInfo) -> Str {
        if let Some(r) = &info.region {
            return r.clone();
        }
        let region = &self.scenario.context.region;
        self.exec_region
            .get_or_insert_with(|| Str::from(region.as_str()))
            .clone()
    }

    /// `s` as a JSON string: a string of the scenario or the machine (borrowed) is made once
    /// and then shared (strings are immutable), others are made here.
    fn shared_str(&mut self, s: Cow<'_, str>) -> Str {
        let Cow::Borrowed(b) = s else {
            return Str::from(s);
        };
        if let Some(found) = self.strs.iter().find(|k| k.as_str() == b) {
            return found.clone();
        }
        let made = Str::from(b);
        if self.strs.len() < SHARED_STRS {
            self.strs.push(made.clone());
        }
        made
    }

    /// The payload text of an event showing `v` (serialized on first read).
    fn text_of(&self, v: &Value) -> Text {
        if self.record_events {
            Text::lazy(v.clone())
        } else {
            self.no_text.clone()
        }
    }

    /// Whether `v` (whose event text is `text`) exceeds the payload limit.
    fn over_limit(&self, text: &Text, v: &Value) -> bool {
        self.payload_limit != usize::MAX
            && if self.record_events {
                text.byte_len()
            } else {
                crate::trace::json_len(v)
            } > self.payload_limit
    }

    fn compiled(&mut self, state: &State) -> Rc<Compiled> {
        let key = state as *const State as usize;
        if let Some(c) = self.compiled.get(&key) {
            return c.clone();
        }
        let c = Rc::new(Compiled::new(state));
        self.compiled.insert(key, c.clone());
        c
    }

    fn timestamp(&self, t: u64) -> String {
        iso_timestamp(
            self.scenario
                .context
                .start_time_ms
                .saturating_add(i64::try_from(t).unwrap_or(i64::MAX / 2)),
        )
    }

    /// Append an event after `lane.last`.
    fn emit(
        &mut self,
        lane: &mut Lane,
        kind: EventType,
        details: EventDetails,
    ) -> Result<u32, Fail> {
        let id = self.emit_prev(lane.last, lane.t, kind, details)?;
        lane.last = id;
        Ok(id)
    }

    /// [`Engine::emit`] with the details built only when events are recorded.
    #[inline(always)]
    fn emit_with(
        &mut self,
        lane: &mut Lane,
        kind: EventType,
        details: impl FnOnce() -> EventDetails,
    ) -> Result<u32, Fail> {
        if self.record_events {
            return self.emit(lane, kind, details());
        }
        let id = self.next_id()?;
        lane.last = id;
        Ok(id)
    }

    /// The id of the next event (counted also when events are not recorded).
    #[inline]
    fn next_id(&mut self) -> Result<u32, Fail> {
        if self.n_events >= self.limit {
            return Err(Fail::HistoryLimit);
        }
        self.n_events += 1;
        Ok(u32::try_from(self.n_events).unwrap_or(u32::MAX))
    }

    fn emit_prev(
        &mut self,
        prev: u32,
        t: u64,
        kind: EventType,
        details: EventDetails,
    ) -> Result<u32, Fail> {
        let id = self.next_id()?;
        if !self.record_events {
            return Ok(id);
        }
        self.events.push(HistoryEvent {
            id,
            previous_event_id: prev,
            elapsed_ms: t,
            unix_ms: self
                .scenario
                .context
                .start_time_ms
                .saturating_add(i64::try_from(t).unwrap_or(i64::MAX / 2)),
            kind,
            details,
        });
        Ok(id)
    }

    fn advance(&self, lane: &mut Lane, ms: u64) -> Result<(), Fail> {
        let target = lane.t.saturating_add(ms);
        if let Some(d) = self.deadline_ms
            && target > d
        {
            lane.t = d;
            return Err(Fail::ExecutionTimeout);
        }
        lane.t = target;
        Ok(())
    }

    fn run(&mut self, input: &Value, scope: Rc<Vec<String>>) -> Trace {
        let mut lane = Lane {
            last: 0,
            t: 0,
            scope,
        };
        let ctx = &self.scenario.context;
        let input = input.clone();
        // ExecutionStarted is id 1; the first state's Entered also points at 0.
        if self.record_events {
            let started = EventDetails::ExecutionStarted {
                input: self.text_of(&input),
                role_arn: ctx.role_arn.clone(),
            };
            let _ = self.emit_prev(0, 0, EventType::ExecutionStarted, started);
        } else {
            let _ = self.next_id();
        }
        // The outermost frame is made by the first assignment.
        let mut vars = Vars::default();
        let machine = self.machine;
        let result = match self.unsupported.take() {
            Some(why) => {
                self.notes.push(why.clone());
                Err(Fail::err("Stepwise.UnsupportedFeature", why))
            }
            None => self.run_block(
                &machine.states,
                &machine.start_at,
                input,
                &mut lane,
                &mut vars,
            ),
        };
        let (status, output, error, cause) = match result {
            Ok((output, text)) => {
                if self.over_limit(&text, &output) {
                    let e = "States.DataLimitExceeded".to_string();
                    let c =
                        "The execution output exceeds the maximum number of bytes service limit."
                            .to_string();
                    self.finish_failed(&mut lane, &e, &c);
                    (Status::Failed, None, Some(e), Some(c))
                } else {
                    let _ = self.emit_with(&mut lane, EventType::ExecutionSucceeded, || {
                        EventDetails::Output { output: text }
                    });
                    (Status::Succeeded, Some(output), None, None)
                }
            }
            Err(Fail::Error { error, cause } | Fail::Terminal { error, cause }) => {
                self.finish_failed(&mut lane, &error, &cause);
                (Status::Failed, None, non_empty(&error), non_empty(&cause))
            }
            Err(Fail::ExecutionTimeout) => {
                lane.last = u32::try_from(self.n_events).unwrap_or(0);
                self.limit = usize::MAX;
                let _ = self.emit(
                    &mut lane,
                    EventType::ExecutionTimedOut,
                    EventDetails::Error {
                        error: Some("States.Timeout".into()),
                        cause: None,
                    },
                );
                (Status::TimedOut, None, None, None)
            }
            Err(Fail::HistoryLimit) => {
                // UNVERIFIED wording: AWS fails the execution when the history is full.
                let e = "States.Runtime".to_string();
                let c = format!(
                    "The execution reached the maximum number of history events ({}).",
                    self.limit
                );
                lane.last = u32::try_from(self.n_events).unwrap_or(0);
                self.limit = usize::MAX;
                self.finish_failed(&mut lane, &e, &c);
                (Status::Failed, None, Some(e), Some(c))
            }
        };
        Trace {
            status,
            output,
            error,
            cause,
            events: std::mem::take(&mut self.events),
            steps: std::mem::take(&mut self.steps),
            duration_ms: lane.t,
            notes: std::mem::take(&mut self.notes),
        }
    }

    fn finish_failed(&mut self, lane: &mut Lane, error: &str, cause: &str) {
        self.limit = usize::MAX;
        let _ = self.emit(
            lane,
            EventType::ExecutionFailed,
            EventDetails::Error {
                error: non_empty_str(error),
                cause: non_empty_str(cause),
            },
        );
    }

    /// The context object for a state visit: the shared base (built once, holding
    /// `$$.Execution.Input`) with `State` set for this visit.
    fn take_ctx(&mut self, state: &State, comp: &Compiled, lane: &Lane) -> Value {
        let mut v = match self.ctx_base.take() {
            Some(v) => v,
            None => self.context_value(state, lane, &[]),
        };
        if comp.ctx_input
            && let Some(Value::Object(execution)) = v.get_mut("Execution")
            && !execution.contains_key("Input")
        {
            // After Id, like the full context object.
            execution.shift_insert(1, "Input", self.exec_input.clone());
        }
        if let Value::Object(root) = &mut v {
            root.remove("Task");
            root.remove("Map");
            let mut st = Map::new();
            st.insert("Name", Value::from(state.name.as_str()));
            st.insert("EnteredTime", Value::from(self.timestamp(lane.t)));
            root.insert("State", Value::Object(st));
        }
        v
    }

    fn give_ctx(&mut self, v: Value) {
        if self.ctx_base.is_none() {
            self.ctx_base = Some(v);
        }
    }

    fn context_value(&self, state: &State, lane: &Lane, extra: &[(&str, Value)]) -> Value {
        let ctx = &self.scenario.context;
        let mut execution = Map::new();
        execution.insert("Id", Value::from(ctx.execution_arn()));
        // `Input` is added by the first state that may read it (see `Compiled::ctx_input`).
        execution.insert("StartTime", Value::from(self.timestamp(0)));
        execution.insert("Name", Value::from(ctx.execution_name.as_str()));
        execution.insert("RoleArn", Value::from(ctx.role_arn.as_str()));
        execution.insert("RedriveCount", Value::from(0));
        let mut sm = Map::new();
        sm.insert("Id", Value::from(ctx.state_machine_arn()));
        sm.insert("Name", Value::from(ctx.state_machine_name.as_str()));
        let mut st = Map::new();
        st.insert("Name", Value::from(state.name.as_str()));
        st.insert("EnteredTime", Value::from(self.timestamp(lane.t)));
        let mut root = Map::new();
        root.insert("Execution", Value::Object(execution));
        root.insert("StateMachine", Value::Object(sm));
        root.insert("State", Value::Object(st));
        for (k, v) in extra {
            match *k {
                "RetryCount" => {
                    if let Some(Value::Object(s)) = root.get_mut("State") {
                        s.insert("RetryCount", v.clone());
                    }
                }
                other => {
                    root.insert(other.to_string(), v.clone());
                }
            }
        }
        Value::Object(root)
    }

    fn run_block(
        &mut self,
        states: &'m States,
        start: &str,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
    ) -> Result<(Value, Text), Fail> {
        let missing = |name: &str| {
            Fail::err(
                "States.Runtime",
                format!("The state '{name}' does not exist in this block of the state machine."),
            )
        };
        // The start state is most often listed first.
        let mut state = match states.get_index(0) {
            Some(s) if s.name == start => s,
            _ => states.get(start).ok_or_else(|| missing(start))?,
        };
        let mut data = input;
        let mut text: Option<Text> = None;
        loop {
            let comp = self.compiled(state);
            match self.visit(state, &comp, data, text.take(), lane, vars)? {
                Flow::Next(next, out, out_text) => {
                    // The state a name leads to is looked up once (the last one found is kept
                    // per state, checked by name).
                    let hinted = comp.next_hint.get();
                    state = match states.get_index(hinted) {
                        Some(s) if s.name == next => s,
                        _ => {
                            let i = states.position(next).ok_or_else(|| missing(next))?;
                            comp.next_hint.set(i);
                            states.get_index(i).ok_or_else(|| missing(next))?
                        }
                    };
                    data = out;
                    text = Some(out_text);
                }
                Flow::End(out, out_text) => return Ok((out, out_text)),
            }
        }
    }

    fn runtime(state: &State, entered: u32, detail: impl std::fmt::Display) -> Fail {
        Fail::err(
            "States.Runtime",
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{entered}). {detail}",
                state.name
            ),
        )
    }

    fn entered_type(state: &State) -> (EventType, EventType) {
        match &state.kind {
            StateKind::Task(_) => (EventType::TaskStateEntered, EventType::TaskStateExited),
            StateKind::Pass(_) => (EventType::PassStateEntered, EventType::PassStateExited),
            StateKind::Choice(_) => (EventType::ChoiceStateEntered, EventType::ChoiceStateExited),
            StateKind::Wait(_) => (EventType::WaitStateEntered, EventType::WaitStateExited),
            StateKind::Succeed => (
                EventType::SucceedStateEntered,
                EventType::SucceedStateExited,
            ),
            StateKind::Fail(_) => (EventType::FailStateEntered, EventType::FailStateEntered),
            StateKind::Parallel(_) => (
                EventType::ParallelStateEntered,
                EventType::ParallelStateExited,
            ),
            StateKind::Map(_) => (EventType::MapStateEntered, EventType::MapStateExited),
        }
    }

    fn visit(
        &mut self,
        state: &'m State,
        comp: &Compiled,
        input: Value,
        input_text: Option<Text>,
        lane: &mut Lane,
        vars: &mut Vars,
    ) -> Result<Flow<'m>, Fail> {
        let (entered_ty, exited_ty) = Self::entered_type(state);
        let entered_ms = lane.t;
        let input_text = input_text.unwrap_or_else(|| self.text_of(&input));
        let entered = self.emit_with(lane, entered_ty, || EventDetails::StateEntered {
            name: comp.name.clone(),
            input: input_text.clone(),
        })?;
        // To tell whether the output is the input itself (its text is then the Entered event's;
        // the input's text holds it anyway). Without events every text is the same empty one.
        let input_kept = self.record_events.then(|| input.clone());
        let mut step = if self.record_steps {
            Some(Step {
                state: state.name.clone(),
                state_type: state.type_name(),
                scope: lane.scope.as_ref().clone(),
                entered_ms,
                exited_ms: None,
                first_event: entered,
                last_event: entered,
                data: Box::new(Inspection {
                    input: Some(shown(&input)),
                    ..Inspection::default()
                }),
                attempts: Vec::new(),
                explanations: Vec::new(),
                next: None,
                error: None,
            })
        } else {
            None
        };
        let mut cx = if comp.uses_context {
            self.take_ctx(state, comp, lane)
        } else {
            Value::Null
        };
        let result = self.visit_inner(state, comp, input, lane, vars, entered, &mut step, &mut cx);
        if comp.uses_context {
            self.give_ctx(cx);
        }
        let result = match result {
            Ok((next, output, assigned)) => {
                // Exited event (the Entered event's text when the state passed its input on).
                let text = if input_kept.as_ref().is_some_and(|i| i.is_same(&output)) {
                    input_text.clone()
                } else {
                    self.text_of(&output)
                };
                if self.over_limit(&text, &output) {
                    // Recorded: a state output over the limit fails the execution at once.
                    Err(Fail::Terminal {
                        error: "States.DataLimitExceeded".into(),
                        cause: format!(
                            "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                            state.name
                        ),
                    })
                } else {
                    let exited = self.emit_with(lane, exited_ty, || EventDetails::StateExited {
                        name: comp.name.clone(),
                        output: text.clone(),
                        assigned_variables: assigned.as_ref().filter(|p| !p.is_empty()).map(
                            |pairs| {
                                pairs
                                    .iter()
                                    .map(|(k, v)| (k.clone(), json_text(v)))
                                    .collect::<Vec<_>>()
                            },
                        ),
                    });
                    match exited {
                        Err(f) => Err(f),
                        Ok(id) => {
                            if let Some(pairs) = assigned {
                                if let Some(s) = step.as_mut() {
                                    s.data.variables = Some(pairs.iter().cloned().collect());
                                }
                                vars.assign(pairs);
                            }
                            if let Some(s) = step.as_mut() {
                                s.last_event = id;
                                s.exited_ms = Some(lane.t);
                                if !state.output_path.is_absent() {
                                    s.data.output = Some(shown(&output));
                                }
                                s.next = next.map(str::to_string);
                            }
                            Ok(match next {
                                Some(n) => Flow::Next(n, output, text),
                                None => Flow::End(output, text),
                            })
                        }
                    }
                }
            }
            Err(f) => Err(f),
        };
        if let Some(mut s) = step {
            if let Err(Fail::Error { error, cause } | Fail::Terminal { error, cause }) = &result {
                s.error = Some(ErrorInfo {
                    error: error.clone(),
                    cause: cause.clone(),
                });
                s.last_event = u32::try_from(self.n_events).unwrap_or(s.last_event);
                if is_terminal_error(error) || matches!(result, Err(Fail::Terminal { .. })) {
                    s.explanations.push(format!(
                        "{error} is terminal: it is never retried or caught, so the execution fails."
                    ));
                }
            }
            // The execution ended while this state was still running: the state ends with it
            // (the next event is the execution's own ExecutionTimedOut / ExecutionFailed).
            let interrupted = match &result {
                Err(Fail::ExecutionTimeout) => Some((
                    "States.Timeout",
                    "The execution timed out (its TimeoutSeconds elapsed) while this state was running.",
                )),
                Err(Fail::HistoryLimit) => Some((
                    "States.Runtime",
                    "The execution reached the maximum number of history events while this state was running.",
                )),
                _ => None,
            };
            if let Some((error, cause)) = interrupted {
                s.error = Some(ErrorInfo {
                    error: error.to_string(),
                    cause: cause.to_string(),
                });
                s.last_event = u32::try_from(self.n_events + 1).unwrap_or(s.last_event);
                s.explanations.push(format!("{error}: {cause}"));
            }
            self.steps.push(s);
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_inner(
        &mut self,
        state: &'m State,
        comp: &Compiled,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
        entered: u32,
        step: &mut Option<Step>,
        cx: &mut Value,
    ) -> VisitResult<'m> {
        match &state.kind {
            StateKind::Fail(f) => {
                let scope = Scope {
                    input: &input,
                    context: &*cx,
                    variables: vars,
                };
                let error = self.fail_field(
                    state,
                    entered,
                    f.error.as_ref(),
                    comp.fail_error.as_ref(),
                    "ErrorPath",
                    &scope,
                )?;
                let cause = self.fail_field(
                    state,
                    entered,
                    f.cause.as_ref(),
                    comp.fail_cause.as_ref(),
                    "CausePath",
                    &scope,
                )?;
                if let Some(s) = step.as_mut() {
                    s.explanations.push(format!(
                        "Fail state: the block fails with error {} and cause {}.",
                        if error.is_empty() { "(none)" } else { &error },
                        if cause.is_empty() {
                            "(none)".to_string()
                        } else {
                            format!("{cause:?}")
                        }
                    ));
                }
                Err(Fail::Error { error, cause })
            }
            StateKind::Succeed => {
                let effective = share_cow(
                    &input,
                    self.input_path_cow(state, comp, &input, &*cx, vars, entered)?,
                );
                let output = self.output_path_arc(state, comp, effective, &*cx, vars, entered)?;
                Ok((None, output, None))
            }
            StateKind::Pass(p) => {
                let input =
                    match self.pass_taking(state, comp, p, input, step, cx, vars, entered)? {
                        Ok(done) => return Ok(done),
                        Err(input) => input,
                    };
                let cow = self.input_path_cow(state, comp, &input, &*cx, vars, entered)?;
                // Shared (a copy of the selected part) only when a step records it or it
                // becomes the result; Parameters read it in place.
                let record = step.is_some() && !state.input_path.is_absent();
                let (effective, cow) =
                    if record || (comp.parameters.is_none() && p.result.is_none()) {
                        (Some(share_cow(&input, cow)), None)
                    } else {
                        (None, Some(cow))
                    };
                if let Some(s) = step.as_mut()
                    && !state.input_path.is_absent()
                {
                    s.data.after_input_path = effective.as_ref().map(shown);
                }
                let after_params = match &comp.parameters {
                    Some(_) if comp.params_const.is_some() => {
                        if let Some(s) = step.as_mut() {
                            s.data.after_parameters = comp.params_const.as_ref().map(shown);
                        }
                        comp.params_const.clone()
                    }
                    Some(t) => {
                        let doc: &Value = match (&effective, &cow) {
                            (Some(a), _) => a,
                            (None, Some(c)) => c,
                            (None, None) => &Value::Null,
                        };
                        let scope = Scope {
                            input: doc,
                            context: &*cx,
                            variables: vars,
                        };
                        let v = t
                            .eval(&scope, &mut self.rng)
                            .map_err(|d| Self::runtime(state, entered, d))?;
                        if let Some(s) = step.as_mut() {
                            s.data.after_parameters = Some(shown(&v));
                        }
                        Some(v)
                    }
                    None if p.result.is_some() => None,
                    None => effective,
                };
                drop(cow);
                let result = match (&comp.pass_result, after_params) {
                    (Some(r), _) => r.clone(),
                    (None, Some(v)) => v,
                    (None, None) => Value::Null,
                };
                if let Some(s) = step.as_mut()
                    && p.result.is_some()
                {
                    s.data.result = Some(shown(&result));
                }
                let assigned = self.eval_state_assign(
                    state,
                    comp.assign.as_ref(),
                    &result,
                    &*cx,
                    vars,
                    entered,
                )?;
                let output =
                    self.result_then_output(state, comp, input, result, step, &*cx, vars, entered)?;
                Ok((next_of(&p.transition), output, assigned))
            }
            StateKind::Wait(w) => {
                let effective = share_cow(
                    &input,
                    self.input_path_cow(state, comp, &input, &*cx, vars, entered)?,
                );
                let scope = Scope {
                    input: &effective,
                    context: &*cx,
                    variables: vars,
                };
                let ms = self.wait_ms(state, &w.wait, &scope, lane, entered)?;
                if let Some(s) = step.as_mut() {
                    s.explanations.push(format!(
                        "Waits {} on the virtual clock.",
                        crate::outcome::format_duration_ms(ms)
                    ));
                }
                let assigned = self.eval_state_assign(
                    state,
                    comp.assign.as_ref(),
                    &effective,
                    &*cx,
                    vars,
                    entered,
                )?;
                self.advance(lane, ms)?;
                let output = self.output_path_arc(state, comp, effective, &*cx, vars, entered)?;
                Ok((next_of(&w.transition), output, assigned))
            }
            StateKind::Choice(c) => {
                let effective = share_cow(
                    &input,
                    self.input_path_cow(state, comp, &input, &*cx, vars, entered)?,
                );
                if let Some(s) = step.as_mut()
                    && !state.input_path.is_absent()
                {
                    s.data.after_input_path = Some(shown(&effective));
                }
                let scope = Scope {
                    input: &effective,
                    context: &*cx,
                    variables: vars,
                };
                let mut chosen: Option<(usize, &'m str)> = None;
                for (i, branch) in c.choices.iter().enumerate() {
                    let matched = match comp.choice_rules.get(i) {
                        Some(Ok(rule)) => rule
                            .eval(&scope)
                            .map_err(|e| Self::runtime(state, entered, e.cause_detail()))?,
                        Some(Err(e)) => return Err(Self::runtime(state, entered, e)),
                        None => false,
                    };
                    let _ = branch;
                    if matched {
                        chosen = Some((i, &branch.next));
                        break;
                    }
                }
                let (next, assign_t) = match chosen {
                    Some((i, next)) => {
                        if let Some(s) = step.as_mut() {
                            s.explanations
                                .push(comp.choice_explanations.get(i).cloned().unwrap_or_default());
                        }
                        (next, comp.choice_assign.get(i).and_then(Option::as_ref))
                    }
                    None => match &c.default {
                        Some(d) => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(format!(
                                    "No choice rule matched: the Default {d} applies."
                                ));
                            }
                            (d.as_str(), comp.assign.as_ref())
                        }
                        None => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(
                                    "No choice rule matched and there is no Default: States.NoChoiceMatched."
                                        .into(),
                                );
                            }
                            return Err(Fail::err(
                                "States.NoChoiceMatched",
                                format!(
                                    "An error occurred while executing the state '{}' (entered at the event id #{entered}). Failed to transition out of the state. No matching choice rule and no Default state.",
                                    state.name
                                ),
                            ));
                        }
                    },
                };
                let assigned =
                    self.eval_state_assign(state, assign_t, &effective, &*cx, vars, entered)?;
                let output = self.output_path_arc(state, comp, effective, &*cx, vars, entered)?;
                Ok((Some(next), output, assigned))
            }
            StateKind::Task(t) => {
                self.visit_task(state, t, comp, input, lane, vars, entered, step, cx)
            }
            StateKind::Parallel(p) => {
                self.visit_parallel(state, p, comp, input, lane, vars, entered, step, cx)
            }
            StateKind::Map(m) => {
                self.visit_map(state, m, comp, input, lane, vars, entered, step, cx)
            }
        }
    }

    /// A Pass state whose input is not needed after its Parameters (ResultPath `$`, or the
    /// same path as InputPath) and held by nothing else (no event text, no step): Parameters
    /// move values out of the input instead of copying them. `Err(input)` when that does not
    /// apply (the visit then proceeds as usual).
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn pass_taking(
        &mut self,
        state: &'m State,
        comp: &Compiled,
        p: &'m stepwise_asl::model::PassState,
        input: Value,
        step: &mut Option<Step>,
        cx: &Value,
        vars: &Vars,
        entered: u32,
    ) -> Result<Result<Visited<'m>, Value>, Fail> {
        let (Some(t), Ok(Some(ip))) = (&comp.parameters, &comp.input_path) else {
            return Ok(Err(input));
        };
        if !comp.pass_take || step.is_some() || p.result.is_some() || comp.params_const.is_some() {
            return Ok(Err(input));
        }
        // Held by an event text (events are recorded): the usual way (taking from it would
        // copy it).
        if self.record_events {
            return Ok(Err(input));
        }
        let mut raw = input;
        let in_result = comp.pass_output_in_result;
        if in_result && !raw.is_object() {
            // ResultPath fails on it: the usual way reports it.
            return Ok(Err(raw));
        }
        let Some(effective) = ip.get_mut(&mut raw) else {
            // InputPath finds nothing: the usual way reports it.
            return Ok(Err(raw));
        };
        let result = t
            .eval_taking(effective, cx, vars, &mut self.rng)
            .map_err(|d| Self::runtime(state, entered, d))?;
        let assigned =
            self.eval_state_assign(state, comp.assign.as_ref(), &result, cx, vars, entered)?;
        // ResultPath writes one name into the input and OutputPath selects inside it: the
        // rest of the input does not matter (it is an object, checked above).
        let raw = if in_result {
            Value::Object(Map::new())
        } else {
            raw
        };
        let output = self.result_then_output(state, comp, raw, result, step, cx, vars, entered)?;
        Ok(Ok((next_of(&p.transition), output, assigned)))
    }

    /// A Fail state's `Error` / `Cause` text; `ErrorPath` / `CausePath` (a path or an
    /// intrinsic call) come compiled as `expr`.
    fn fail_field(
        &mut self,
        state: &State,
        entered: u32,
        field: Option<&Setting<String>>,
        expr: Option<&Result<Expression, String>>,
        field_name: &str,
        scope: &Scope<'_>,
    ) -> Result<String, Fail> {
        match (field, expr) {
            (None, _) => Ok(String::new()),
            (Some(Setting::Literal(s) | Setting::Expression(s)), _) => Ok(s.clone()),
            (Some(Setting::Path(_)), Some(Err(detail))) => {
                Err(Self::runtime(state, entered, detail))
            }
            (Some(Setting::Path(_)), None) => Ok(String::new()),
            (Some(Setting::Path(_)), Some(Ok(expr))) => {
                let value = expr
                    .eval(field_name, scope, &mut self.rng)
                    .map_err(|e| match *e {
                        // An intrinsic's own error reads as before (its message).
                        TemplateError::Intrinsic { error, .. } => {
                            Self::runtime(state, entered, error)
                        }
                        other => Self::runtime(state, entered, other.cause_detail()),
                    })?;
                Ok(match value {
                    Value::String(s) => s.to_string(),
                    other => other.to_string(),
                })
            }
        }
    }

    fn wait_ms(
        &mut self,
        state: &State,
        wait: &WaitFor,
        scope: &Scope<'_>,
        lane: &Lane,
        entered: u32,
    ) -> Result<u64, Fail> {
        const MAX_WAIT_S: u64 = 31_536_000 * 100; // far beyond a year: AWS says "too long"
        match wait {
            WaitFor::Seconds(Setting::Literal(s)) => Ok(s.saturating_mul(1000)),
            WaitFor::Seconds(Setting::Path(p)) => {
                let path = JsonPath::parse(p).map_err(|e| Self::runtime(state, entered, e))?;
                let v = path.eval(scope).map_err(|_| {
                    Self::runtime(
                        state,
                        entered,
                        format!("The SecondsPath parameter does not reference an input value: {p}"),
                    )
                })?;
                match v.as_ref() {
                    Value::Number(n) => {
                        if let Some(i) = n.as_i64() {
                            if i < 0 {
                                return Err(Self::runtime(
                                    state,
                                    entered,
                                    format!(
                                        "The SecondsPath parameter references a negative value: {p} == {i}"
                                    ),
                                ));
                            }
                            if i as u64 > MAX_WAIT_S {
                                return Err(Self::runtime(
                                    state,
                                    entered,
                                    "Wait state delay is too long.",
                                ));
                            }
                            Ok((i as u64).saturating_mul(1000))
                        } else if let Some(u) = n.as_u64() {
                            if u > MAX_WAIT_S {
                                return Err(Self::runtime(
                                    state,
                                    entered,
                                    "Wait state delay is too long.",
                                ));
                            }
                            Ok(u.saturating_mul(1000))
                        } else {
                            Err(Self::runtime(
                                state,
                                entered,
                                format!(
                                    "The SecondsPath parameter cannot be parsed as a long value: {p} == {n}"
                                ),
                            ))
                        }
                    }
                    other => Err(Self::runtime(
                        state,
                        entered,
                        format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {p} == {other}"
                        ),
                    )),
                }
            }
            WaitFor::Timestamp(Setting::Literal(ts)) => self.until(state, entered, ts, lane),
            WaitFor::Timestamp(Setting::Path(p)) => {
                let path = JsonPath::parse(p).map_err(|e| Self::runtime(state, entered, e))?;
                let invalid = || {
                    Self::runtime(
                        state,
                        entered,
                        format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p}"
                        ),
                    )
                };
                let v = path.eval(scope).map_err(|_| invalid())?;
                match v.as_ref() {
                    Value::String(ts) => {
                        if crate::trace::parse_rfc3339(ts).is_none() {
                            return Err(invalid());
                        }
                        self.until(state, entered, ts, lane)
                    }
                    _ => Err(invalid()),
                }
            }
            WaitFor::Seconds(Setting::Expression(_))
            | WaitFor::Timestamp(Setting::Expression(_)) => Err(Fail::err(
                "States.QueryEvaluationError",
                "JSONata expressions are not supported by this simulator yet.",
            )),
        }
    }

    fn until(&self, state: &State, entered: u32, ts: &str, lane: &Lane) -> Result<u64, Fail> {
        let Some(at) = crate::trace::parse_rfc3339(ts) else {
            return Err(Self::runtime(
                state,
                entered,
                format!(
                    "The Timestamp '{ts}' is not a valid ISO-8601 extended offset date-time format string"
                ),
            ));
        };
        let now = self
            .scenario
            .context
            .start_time_ms
            .saturating_add(i64::try_from(lane.t).unwrap_or(0));
        let diff = at.saturating_sub(now);
        if diff > 31_622_400_000 {
            return Err(Self::runtime(
                state,
                entered,
                "Wait state delay is too long.",
            ));
        }
        Ok(u64::try_from(diff).unwrap_or(0))
    }

    /// InputPath without copying when the path selects a part of the input.
    fn input_path_cow<'a>(
        &self,
        state: &State,
        comp: &Compiled,
        input: &'a Value,
        ctx: &'a Value,
        vars: &'a Vars,
        entered: u32,
    ) -> Result<std::borrow::Cow<'a, Value>, Fail> {
        match &comp.input_path {
            Err(e) => Err(Self::runtime(state, entered, e)),
            Ok(None) => Ok(std::borrow::Cow::Owned(Value::Object(Map::new()))),
            Ok(Some(p))
                if p.is_root_only() && matches!(p.root(), stepwise_asl::jsonpath::Root::Input) =>
            {
                Ok(std::borrow::Cow::Borrowed(input))
            }
            Ok(Some(p)) => {
                let scope = Scope {
                    input,
                    context: ctx,
                    variables: vars,
                };
                p.eval(&scope)
                    .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p.as_str(), &e)))
            }
        }
    }

    /// OutputPath: no copy (the selected part is shared).
    fn output_path_arc(
        &self,
        state: &State,
        comp: &Compiled,
        value: Value,
        ctx: &Value,
        vars: &Vars,
        entered: u32,
    ) -> Result<Value, Fail> {
        match &comp.output_path {
            Ok(Some(p))
                if p.is_root_only() && matches!(p.root(), stepwise_asl::jsonpath::Root::Input) =>
            {
                Ok(value)
            }
            // The selected part is shared, not copied (a reference count).
            Ok(Some(p)) => {
                let scope = Scope {
                    input: &value,
                    context: ctx,
                    variables: vars,
                };
                p.eval(&scope)
                    .map(std::borrow::Cow::into_owned)
                    .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p.as_str(), &e)))
            }
            Err(e) => Err(Self::runtime(state, entered, e)),
            Ok(None) => Ok(Value::Object(Map::new())),
        }
    }

    /// ResultPath then OutputPath (recording `afterResultPath`). When OutputPath selects
    /// exactly what ResultPath wrote (the same path), the output is that result itself.
    fn result_then_output(
        &self,
        state: &State,
        comp: &Compiled,
        raw: Value,
        result: Value,
        step: &mut Option<Step>,
        ctx: &Value,
        vars: &Vars,
        entered: u32,
    ) -> Result<Value, Fail> {
        let same_path = match (&comp.result_path, &comp.output_path) {
            (Ok(Some(r)), Ok(Some(o))) => !r.is_root_only() && r.as_str() == o.as_str(),
            _ => false,
        };
        let kept = same_path.then(|| result.clone());
        let merged = self.apply_result_path(state, comp, raw, result, entered)?;
        if let Some(s) = step.as_mut()
            && !state.result_path.is_absent()
        {
            s.data.after_result_path = Some(shown(&merged));
        }
        match kept {
            Some(result) => Ok(result),
            None => self.output_path_arc(state, comp, merged, ctx, vars, entered),
        }
    }

    fn apply_result_path(
        &self,
        state: &State,
        comp: &Compiled,
        raw: Value,
        result: Value,
        entered: u32,
    ) -> Result<Value, Fail> {
        set_result(&comp.result_path, raw, result).map_err(|d| Self::runtime(state, entered, d))
    }

    fn eval_state_assign(
        &mut self,
        state: &State,
        t: Option<&Template>,
        dollar: &Value,
        ctx: &Value,
        vars: &Vars,
        entered: u32,
    ) -> Result<Option<Vec<(String, Value)>>, Fail> {
        let Some(t) = t else { return Ok(None) };
        let scope = Scope {
            input: dollar,
            context: ctx,
            variables: vars,
        };
        eval_assign(t, &scope, &mut self.rng)
            .map(Some)
            .map_err(|d| Self::runtime(state, entered, d))
    }

    /// Find the retrier that decides for `error` and whether it retries. Returns
    /// (retrier index, delay ms, explanation) when retrying, or an explanation why not.
    fn decide_retry(
        &mut self,
        retriers: &[Retrier],
        all: &[bool],
        counts: &mut [u64],
        error: &str,
    ) -> Result<(usize, u64, String), String> {
        // The explanations are only built for a recorded step.
        if self.record_steps {
            return self.decide_retry_explained(retriers, counts, error);
        }
        if error == "States.Runtime" {
            return Err(String::new());
        }
        for (i, r) in retriers.iter().enumerate() {
            let matched =
                all.get(i).is_some_and(|a| *a) || error_matches(&r.error_equals, error).is_some();
            if !matched {
                continue;
            }
            let done = counts.get(i).copied().unwrap_or(0);
            if r.max_attempts == 0 || done >= r.max_attempts {
                return Err(String::new());
            }
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
            let (ms, _, _) = self.retry_delay(r, done);
            return Ok((i, ms, String::new()));
        }
        Err(String::new())
    }

    /// The delay before retry `n + 1` (0-based `n`) of retrier `r`: (ms, the backoff in
    /// seconds before MaxDelaySeconds, the MaxDelaySeconds cap when it applied).
    #[inline]
    fn retry_delay(&mut self, r: &Retrier, n: u64) -> (u64, f64, Option<u64>) {
        let base = r.interval_seconds as f64 * r.backoff_rate.powi(n.min(1_000) as i32);
        let mut secs = base;
        let capped = match r.max_delay_seconds {
            Some(max) if secs > max as f64 => {
                secs = max as f64;
                Some(max)
            }
            _ => None,
        };
        let mut ms = (secs * 1000.0).round().clamp(0.0, 1e15) as u64;
        if r.jitter == Jitter::Full {
            use rand_core::RngCore;
            let r = self.rng.next_u64();
            ms = if ms == 0 { 0 } else { r % (ms + 1) };
        }
        (ms, base, capped)
    }

    /// [`Engine::decide_retry`] with its explanation (a recorded step).
    #[cold]
    #[inline(never)]
    fn decide_retry_explained(
        &mut self,
        retriers: &[Retrier],
        counts: &mut [u64],
        error: &str,
    ) -> Result<(usize, u64, String), String> {
        if error == "States.Runtime" {
            return Err(format!("{error} is never retried."));
        }
        for (i, r) in retriers.iter().enumerate() {
            let Some(why) = error_matches(&r.error_equals, error) else {
                continue;
            };
            let done = counts.get(i).copied().unwrap_or(0);
            if r.max_attempts == 0 {
                return Err(format!(
                    "Retrier #{} matches {error} ({why}) but has MaxAttempts 0: never retried.",
                    i + 1
                ));
            }
            if done >= r.max_attempts {
                return Err(format!(
                    "Retrier #{} matches {error} ({why}) but its {} retr{} used up (attempt {} of {} failed); later retriers are not tried.",
                    i + 1,
                    r.max_attempts,
                    if r.max_attempts == 1 {
                        "y is"
                    } else {
                        "ies are"
                    },
                    done + 1,
                    done + 1
                ));
            }
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
            let n = done; // exponent: 0 for the first retry
            let (ms, base, capped) = self.retry_delay(r, n);
            let mut formula = format!(
                "{} s × {}{} = {}",
                r.interval_seconds,
                fmt_rate(r.backoff_rate),
                superscript(n),
                fmt_secs(base)
            );
            if let Some(max) = capped {
                formula.push_str(&format!(", capped by MaxDelaySeconds to {max} s"));
            }
            if r.jitter == Jitter::Full {
                formula.push_str(&format!(
                    ", then FULL jitter picks {} (seeded)",
                    crate::outcome::format_duration_ms(ms)
                ));
            }
            let explanation = format!(
                "Retrier #{} matches {error} ({why}): retry {} of {} (attempt {} of {} follows), after {formula}.",
                i + 1,
                done + 1,
                r.max_attempts,
                done + 2,
                r.max_attempts + 1
            );
            return Ok((i, ms, explanation));
        }
        Err(if retriers.is_empty() {
            "No Retry is defined.".to_string()
        } else {
            format!("No retrier's ErrorEquals matches {error}.")
        })
    }

    /// Try the catchers; returns (catcher index, next, explanation) or why none did.
    fn decide_catch<'c>(
        catchers: &'c [Catcher],
        all: &[bool],
        error: &str,
        explain: bool,
    ) -> Result<(usize, &'c Catcher, String), String> {
        if error == "States.Runtime" {
            return Err(if explain {
                format!("{error} is never caught.")
            } else {
                String::new()
            });
        }
        for (i, c) in catchers.iter().enumerate() {
            let matched = match all.get(i) {
                Some(true) if !explain => Some(""),
                _ => error_matches(&c.error_equals, error),
            };
            if let Some(why) = matched {
                let why = if explain {
                    format!(
                        "Catcher #{} matches {error} ({why}): go to {}.",
                        i + 1,
                        c.next
                    )
                } else {
                    String::new()
                };
                return Ok((i, c, why));
            }
        }
        Err(if !explain {
            String::new()
        } else if catchers.is_empty() {
            format!("No Catch is defined: {error} fails the state.")
        } else {
            format!("No catcher's ErrorEquals matches {error}: the state fails.")
        })
    }

    /// Apply a matching catcher: error output through ResultPath into the raw input, Assign.
    #[allow(clippy::type_complexity)]
    fn apply_catch(
        &mut self,
        state: &State,
        comp: &Compiled,
        idx: usize,
        catcher: &'m Catcher,
        raw: Value,
        error: Cow<'_, str>,
        cause: Cow<'_, str>,
        ctx: &Value,
        vars: &Vars,
        entered: u32,
    ) -> VisitResult<'m> {
        let (error_key, cause_key) = ERROR_CAUSE_KEYS.with(Clone::clone);
        let eo = Map::from_entries(vec![
            (error_key, Value::String(self.shared_str(error))),
            (cause_key, Value::String(self.shared_str(cause))),
        ]);
        let error_output = Value::Object(eo);
        let assigned = self.eval_state_assign(
            state,
            comp.catch_assign.get(idx).and_then(Option::as_ref),
            &error_output,
            ctx,
            vars,
            entered,
        )?;
        let _ = &catcher.result_path;
        let output = match comp.catch_result_path.get(idx) {
            Some(rp) => set_result(rp, raw, error_output),
            None => set_result(&Ok(JsonPath::parse("$").ok()), raw, error_output),
        }
        .map_err(|d| Self::runtime(state, entered, d))?;
        Ok((Some(catcher.next.as_str()), output, assigned))
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_task(
        &mut self,
        state: &'m State,
        task: &'m TaskState,
        comp: &Compiled,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
        entered: u32,
        step: &mut Option<Step>,
        cx: &mut Value,
    ) -> VisitResult<'m> {
        let classified;
        let info: &ResourceInfo = match &comp.resource {
            Some(r) => r,
            None => {
                classified = services::classify(&task.resource);
                &classified
            }
        };
        if comp.uses_context {
            set_ctx(cx, "State", "RetryCount", Value::from(0));
        }
        // The effective input, read in place: a part of the input is copied only when it
        // becomes the task's parameters (no Parameters) or a recorded step shows it, and the
        // input is held only by this visit when ResultPath / a catcher writes into it.
        let eff_cow: std::borrow::Cow<'_, Value> = match &comp.input_path {
            Ok(Some(p))
                if p.is_root_only() && matches!(p.root(), stepwise_asl::jsonpath::Root::Input) =>
            {
                std::borrow::Cow::Borrowed(&input)
            }
            Ok(Some(p)) if matches!(p.root(), stepwise_asl::jsonpath::Root::Input) => p
                .eval_on(&input)
                .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p.as_str(), &e)))?,
            _ => std::borrow::Cow::Owned(
                self.input_path_cow(state, comp, &input, &*cx, vars, entered)?
                    .into_owned(),
            ),
        };
        let effective: &Value = &eff_cow;
        // The effective input as a shared value, made once when needed.
        let mut eff_arc: Option<Value> = None;
        if let Some(s) = step.as_mut()
            && !state.input_path.is_absent()
        {
            let a = share_cow(&input, eff_cow.clone());
            s.data.after_input_path = Some(shown(&a));
            eff_arc = Some(a);
        }
        let timeout_s = self.task_seconds(
            state,
            entered,
            task.timeout_seconds.as_ref(),
            "TimeoutSecondsPath",
            effective,
            &*cx,
            vars,
        )?;
        let heartbeat_s = self.task_seconds(
            state,
            entered,
            task.heartbeat_seconds.as_ref(),
            "HeartbeatSecondsPath",
            effective,
            &*cx,
            vars,
        )?;
        let credentials = match &task.credentials {
            Some(c) => {
                let t = Template::compile(c);
                let scope = Scope {
                    input: effective,
                    context: &*cx,
                    variables: vars,
                };
                let v = t
                    .eval(&scope, &mut self.rng)
                    .map_err(|d| Self::runtime(state, entered, d))?;
                v.get("RoleArn").and_then(Value::as_str).map(str::to_string)
            }
            None => None,
        };
        // Retries used per retrier (on the stack for up to four retriers).
        let mut counts_buf = [0u64; 4];
        let mut counts_vec;
        let counts: &mut [u64] = match counts_buf.get_mut(..state.retry.len()) {
            Some(c) => c,
            None => {
                counts_vec = vec![0u64; state.retry.len()];
                &mut counts_vec
            }
        };
        let mut attempt_no: u32 = 0;
        loop {
            attempt_no += 1;
            let retry_count = attempt_no - 1;
            // `$$.Task.Token` exists for activities and for the `.sync` / `.waitForTaskToken`
            // patterns (recorded for `.sync` too), not for request-response calls (recorded).
            let needs_token = info.family == Family::Activity
                || (info.family == Family::Task
                    && info.pattern != IntegrationPattern::RequestResponse);
            if comp.uses_context {
                set_ctx(cx, "State", "RetryCount", Value::from(retry_count));
                if needs_token {
                    let token = self.ids.hex(64);
                    set_ctx(cx, "Task", "Token", Value::from(token));
                }
            }
            let ctx: &Value = cx;
            let params = match (&comp.params_const, &comp.parameters) {
                (Some(v), _) => v.clone(),
                (None, Some(t)) => {
                    let scope = Scope {
                        input: effective,
                        context: ctx,
                        variables: vars,
                    };
                    t.eval(&scope, &mut self.rng)
                        .map_err(|d| Self::runtime(state, entered, d))?
                }
                (None, None) => eff_arc
                    .get_or_insert_with(|| share_cow(&input, eff_cow.clone()))
                    .clone(),
            };
            if let Some(s) = step.as_mut()
                && comp.parameters.is_some()
            {
                s.data.after_parameters = Some(shown(&params));
            }
            if let Some(problem) = services::invalid_parameters(info, &params) {
                return Err(Self::runtime(
                    state,
                    entered,
                    format!(
                        "The Parameters '{}' could not be used to start the Task: [{problem}]",
                        params
                    ),
                ));
            }
            let first_event = u32::try_from(self.n_events + 1).unwrap_or(0);
            let started_ms = lane.t;
            let (res, invocation, explanation) = self.task_attempt(
                state,
                info,
                params,
                timeout_s,
                heartbeat_s,
                credentials.as_deref(),
                lane,
            )?;
            let _ = res.outcome.as_ref().err();
            match res.outcome {
                Ok(result) => {
                    if let Some(s) = step.as_mut() {
                        s.attempts.push(Attempt {
                            number: attempt_no,
                            invocation: Some(invocation),
                            started_ms,
                            ended_ms: lane.t,
                            outcome: AttemptOutcome::Succeeded,
                            first_event,
                            last_event: lane.last,
                            explanation,
                        });
                        s.data.result = Some(shown(&result));
                    }
                    let selected = match &comp.result_selector {
                        Some(t) => {
                            // The result is not needed after ResultSelector: moved from when
                            // nothing else holds it.
                            let v = t
                                .eval_consuming(
                                    result,
                                    self.record_events,
                                    ctx,
                                    vars,
                                    &mut self.rng,
                                )
                                .map_err(|d| Self::runtime(state, entered, d))?;
                            if let Some(s) = step.as_mut() {
                                s.data.after_result_selector = Some(shown(&v));
                            }
                            v
                        }
                        None => result,
                    };
                    let assigned = self.eval_state_assign(
                        state,
                        comp.assign.as_ref(),
                        &selected,
                        ctx,
                        vars,
                        entered,
                    )?;
                    drop(eff_arc);
                    drop(eff_cow);
                    let output = self.result_then_output(
                        state, comp, input, selected, step, ctx, vars, entered,
                    )?;
                    return Ok((next_of(&task.transition), output, assigned));
                }
                Err((error, cause, timed_out)) => {
                    if let Some(s) = step.as_mut() {
                        s.attempts.push(Attempt {
                            number: attempt_no,
                            invocation: Some(invocation),
                            started_ms,
                            ended_ms: lane.t,
                            outcome: if timed_out {
                                AttemptOutcome::TimedOut {
                                    error: error.to_string(),
                                }
                            } else {
                                AttemptOutcome::Failed {
                                    error: error.to_string(),
                                    cause: cause.to_string(),
                                }
                            },
                            first_event,
                            last_event: lane.last,
                            explanation,
                        });
                    }
                    match self.decide_retry(&state.retry, &comp.retry_all, counts, &error) {
                        Ok((_, delay, why)) => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(why);
                            }
                            self.advance(lane, delay)?;
                            continue;
                        }
                        Err(why) => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(why);
                            }
                        }
                    }
                    match Self::decide_catch(
                        &state.catch,
                        &comp.catch_all,
                        &error,
                        self.record_steps,
                    ) {
                        Ok((idx, catcher, why)) => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(why);
                                s.error = Some(ErrorInfo {
                                    error: error.to_string(),
                                    cause: cause.to_string(),
                                });
                            }
                            drop(eff_arc);
                            drop(eff_cow);
                            return self.apply_catch(
                                state, comp, idx, catcher, input, error, cause, ctx, vars, entered,
                            );
                        }
                        Err(why) => {
                            if let Some(s) = step.as_mut() {
                                s.explanations.push(why);
                            }
                            return Err(Fail::Error {
                                error: error.into_owned(),
                                cause: cause.into_owned(),
                            });
                        }
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn task_seconds(
        &self,
        state: &State,
        entered: u32,
        setting: Option<&Setting<u64>>,
        field: &str,
        effective: &Value,
        ctx: &Value,
        vars: &Vars,
    ) -> Result<Option<u64>, Fail> {
        match setting {
            None => Ok(None),
            Some(Setting::Literal(n)) => Ok(Some(*n)),
            Some(Setting::Expression(_)) => Ok(None),
            Some(Setting::Path(p)) => {
                self.task_seconds_path(state, entered, p, field, effective, ctx, vars)
            }
        }
    }

    /// [`Engine::task_seconds`] of a `TimeoutSecondsPath` / `HeartbeatSecondsPath`.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn task_seconds_path(
        &self,
        state: &State,
        entered: u32,
        p: &str,
        field: &str,
        effective: &Value,
        ctx: &Value,
        vars: &Vars,
    ) -> Result<Option<u64>, Fail> {
        let path = JsonPath::parse(p).map_err(|e| Self::runtime(state, entered, e))?;
        let scope = Scope {
            input: effective,
            context: ctx,
            variables: vars,
        };
        let v = path
            .eval(&scope)
            .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p, &e)))?;
        match v.as_ref().as_u64() {
            Some(n) if n > 0 => Ok(Some(n)),
            _ => Err(Self::runtime(
                state,
                entered,
                format!(
                    "The {field} field refers to value \"{}\" which is not a valid integer: {p}",
                    v.as_ref()
                ),
            )),
        }
    }

    /// One attempt: emits Scheduled / Started / (Submitted) / Succeeded|Failed|TimedOut.
    #[allow(clippy::too_many_arguments)]
    fn task_attempt(
        &mut self,
        state: &'m State,
        info: &ResourceInfo,
        params_owned: Value,
        timeout_s: Option<u64>,
        heartbeat_s: Option<u64>,
        credentials: Option<&str>,
        lane: &mut Lane,
    ) -> Result<(AttemptResult<'m>, u32, String), Fail> {
        let mut params_slot = Some(params_owned);
        let null = Value::Null;
        let scenario: &'m Scenario = self.scenario;
        let (counter, plan) = self
            .counters
            .get(&state.name, || plan_of(scenario, &state.name));
        let invocation = *counter;
        *counter = counter.saturating_add(1);
        let plan = *plan;
        let planned: Option<&'m PlannedOutcome> = plan.and_then(|p| p.outcome_for(invocation));
        if let Some(p) = plan
            && p.missing_fails
            && planned.is_none()
        {
            return Err(missing_mock(state, p, invocation));
        }
        // A .sync / .waitForTaskToken call the service API rejects (e.g.
        // `Batch.AWSBatchException` from SubmitJob) fails at submission: it takes an API call's
        // time, not the job's or the callback's.
        // (`services::attempt_default_ms`, with whether the planned outcome follows a
        // `TaskSubmitted` computed once for both.)
        let planned_submitted = planned.map(|p| services::submitted_before(info, &p.outcome));
        let default_ms = match (planned, planned_submitted) {
            (Some(p), Some(false))
                if matches!(p.outcome, Outcome::Throw { .. })
                    && info.pattern.has_submitted_event() =>
            {
                services::REJECTED_SUBMISSION_MS
            }
            _ => services::default_duration_ms(info),
        };
        let duration = planned
            .as_ref()
            .map_or(default_ms, |p| p.duration_or(default_ms));
        let started_ms = u64::try_from(self.scenario.context.start_time_ms)
            .unwrap_or(0)
            .saturating_add(lane.t);
        // Built only for the service defaults that read it.
        let call_ctx = || CallContext {
            region: self.scenario.context.region.clone(),
            account: self.scenario.context.account_id.clone(),
            started_ms,
            duration_ms: duration,
            execution_name: self.scenario.context.execution_name.clone(),
        };
        let (outcome, source): (Cow<'m, Outcome>, &str) = match planned {
            // Echo stays Echo: the engine moves the parameters into the result below.
            Some(p) => (Cow::Borrowed(&p.outcome), "scenario"),
            None => (
                Cow::Owned(services::default_outcome(
                    info,
                    params_slot.as_ref().unwrap_or(&null),
                    &mut self.ids,
                    &call_ctx(),
                )),
                "default",
            ),
        };
        // Explanations are only built when steps are recorded.
        let mut explanation = if self.record_steps {
            attempt_explanation(
                state, invocation, source, planned, &outcome, default_ms, duration,
            )
        } else {
            String::new()
        };
        let region = if self.record_events {
            Some(self.scheduled_region(info))
        } else {
            None
        };
        let params_text = match &params_slot {
            Some(p) => self.text_of(p),
            None => json_arc(&null),
        };
        match info.family {
            Family::Task => {
                self.emit_with(lane, EventType::TaskScheduled, || {
                    EventDetails::TaskScheduled {
                        resource_type: info.resource_type.clone(),
                        resource: info.resource.clone(),
                        region: region.unwrap_or_default(),
                        parameters: params_text.clone(),
                        timeout_in_seconds: timeout_s,
                        heartbeat_in_seconds: heartbeat_s,
                        task_credentials_role_arn: credentials.map(str::to_string),
                    }
                })?;
            }
            Family::LambdaFunction => {
                self.emit(
                    lane,
                    EventType::LambdaFunctionScheduled,
                    EventDetails::Scheduled {
                        resource: info.arn.clone(),
                        input: params_text.clone(),
                        timeout_in_seconds: timeout_s,
                        heartbeat_in_seconds: None,
                        task_credentials_role_arn: credentials.map(str::to_string),
                    },
                )?;
            }
            Family::Activity => {
                self.emit(
                    lane,
                    EventType::ActivityScheduled,
                    EventDetails::Scheduled {
                        resource: info.arn.clone(),
                        input: params_text.clone(),
                        timeout_in_seconds: timeout_s,
                        heartbeat_in_seconds: heartbeat_s,
                        task_credentials_role_arn: None,
                    },
                )?;
            }
        }
        let failure_event = plan.and_then(|p| p.failure_event_for(invocation));
        let rt = &info.resource_type;
        let rs = &info.resource;
        if failure_event == Some(FailureEvent::StartFailed)
            && let Outcome::Throw { error, cause } = &*outcome
        {
            let res = self.fail_before_run(
                lane,
                EventType::TaskStartFailed,
                rt.clone(),
                rs.clone(),
                error,
                cause,
            )?;
            return Ok((res, invocation, explanation));
        }
        match info.family {
            Family::Task => {
                self.emit_with(lane, EventType::TaskStarted, || EventDetails::TaskStarted {
                    resource_type: rt.clone(),
                    resource: rs.clone(),
                })?
            }
            Family::LambdaFunction => {
                self.emit(lane, EventType::LambdaFunctionStarted, EventDetails::None)?
            }
            Family::Activity => self.emit(
                lane,
                EventType::ActivityStarted,
                EventDetails::ActivityStarted { worker_name: None },
            )?,
        };
        if failure_event == Some(FailureEvent::SubmitFailed)
            && let Outcome::Throw { error, cause } = &*outcome
        {
            let res = self.fail_before_run(
                lane,
                EventType::TaskSubmitFailed,
                rt.clone(),
                rs.clone(),
                error,
                cause,
            )?;
            return Ok((res, invocation, explanation));
        }
        let submitted = match planned_submitted {
            Some(s) => s,
            None => services::submitted_before(info, &outcome),
        };
        if submitted && !self.record_events {
            // Not recorded: only the ids the response would have drawn.
            if plan.and_then(|p| p.submitted_for(invocation)).is_none() {
                services::skip_submitted(
                    info,
                    params_slot.as_ref().unwrap_or(&null),
                    &mut self.ids,
                );
            }
            self.emit_with(lane, EventType::TaskSubmitted, || EventDetails::None)?;
        } else if submitted {
            let output = match plan.and_then(|p| p.submitted_for(invocation)) {
                Some(sub) => Text::lazy(sub.clone()),
                None => {
                    // The service's default response, built when the event is first read, with
                    // the ids it draws now (the next ids do not depend on when it is built).
                    let mut ids = self.ids.clone();
                    let params = params_slot.clone();
                    services::skip_submitted(info, params.as_ref().unwrap_or(&null), &mut self.ids);
                    let (info, ctx) = (info.clone(), call_ctx());
                    Text::lazy_with(move || {
                        services::default_submitted(
                            &info,
                            params.as_ref().unwrap_or(&Value::Null),
                            &mut ids,
                            &ctx,
                        )
                        .unwrap_or(Value::Null)
                    })
                }
            };
            self.emit(
                lane,
                EventType::TaskSubmitted,
                EventDetails::TaskOutput {
                    resource_type: rt.clone(),
                    resource: rs.clone(),
                    output,
                },
            )?;
        }
        // Time limits of the attempt.
        let limit_s = match (timeout_s, heartbeat_s) {
            (Some(t), Some(h)) => Some(t.min(h)),
            (Some(t), None) => Some(t),
            (None, Some(h)) => Some(h),
            (None, None) => None,
        };
        let times_out = match &*outcome {
            Outcome::TimeOut => true,
            _ => limit_s.is_some_and(|l| duration > l.saturating_mul(1000)),
        };
        if times_out {
            // AWS's default TimeoutSeconds is 99999999 s when none is set.
            let l = limit_s.unwrap_or(99_999_999);
            self.advance(lane, l.saturating_mul(1000))?;
            if self.record_steps {
                explanation.push_str(&format!(
                " — the attempt exceeds its {} s limit ({}), so it times out with States.Timeout.",
                l,
                if heartbeat_s.is_some_and(|h| Some(h) == limit_s) && timeout_s != limit_s {
                    "HeartbeatSeconds"
                } else {
                    "TimeoutSeconds"
                }
            ));
            }
            let ty = match info.family {
                Family::Task => EventType::TaskTimedOut,
                Family::LambdaFunction => EventType::LambdaFunctionTimedOut,
                Family::Activity => EventType::ActivityTimedOut,
            };
            self.emit_with(lane, ty, || match info.family {
                Family::Task => EventDetails::TaskError {
                    resource_type: rt.clone(),
                    resource: rs.clone(),
                    error: Some("States.Timeout".into()),
                    cause: None,
                },
                Family::LambdaFunction => EventDetails::Error {
                    error: Some("States.Timeout".into()),
                    cause: None,
                },
                Family::Activity => EventDetails::Error {
                    error: Some("States.Timeout".into()),
                    cause: None,
                },
            })?;
            return Ok((
                AttemptResult {
                    outcome: Err((Cow::Borrowed("States.Timeout"), Cow::Borrowed(""), true)),
                },
                invocation,
                explanation,
            ));
        }
        self.advance(lane, duration)?;
        // A result over the payload limit fails the attempt like a thrown error (recorded:
        // `LambdaFunctionFailed` with States.DataLimitExceeded, caught by States.ALL).
        let too_large = || {
            Ended::Throw(
                Cow::Borrowed("States.DataLimitExceeded"),
                Cow::Owned(format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    info.arn
                )),
            )
        };
        let returned = |engine: &Self, v: Value| {
            let t = engine.text_of(&v);
            if engine.over_limit(&t, &v) {
                too_large()
            } else {
                Ended::Value(v, t)
            }
        };
        let ended = match outcome {
            Cow::Owned(Outcome::Return(v)) => returned(self, v),
            Cow::Borrowed(Outcome::Return(v)) => returned(self, v.clone()),
            Cow::Owned(Outcome::Echo) | Cow::Borrowed(Outcome::Echo) => {
                if self.over_limit(&params_text, params_slot.as_ref().unwrap_or(&null)) {
                    too_large()
                } else {
                    Ended::Value(params_slot.take().unwrap_or_default(), params_text.clone())
                }
            }
            Cow::Owned(Outcome::Throw { error, cause }) => {
                Ended::Throw(Cow::Owned(error), Cow::Owned(cause))
            }
            Cow::Borrowed(Outcome::Throw { error, cause }) => {
                Ended::Throw(Cow::Borrowed(error), Cow::Borrowed(cause))
            }
            Cow::Owned(Outcome::TimeOut) | Cow::Borrowed(Outcome::TimeOut) => Ended::TimeOut,
        };
        match ended {
            Ended::Value(v, text) => {
                let ty = match info.family {
                    Family::Task => EventType::TaskSucceeded,
                    Family::LambdaFunction => EventType::LambdaFunctionSucceeded,
                    Family::Activity => EventType::ActivitySucceeded,
                };
                self.emit_with(lane, ty, || match info.family {
                    Family::Task => EventDetails::TaskOutput {
                        resource_type: rt.clone(),
                        resource: rs.clone(),
                        output: text,
                    },
                    Family::LambdaFunction => EventDetails::Output { output: text },
                    Family::Activity => EventDetails::Output { output: text },
                })?;
                Ok((AttemptResult { outcome: Ok(v) }, invocation, explanation))
            }
            Ended::Throw(error, cause) => {
                let ty = match info.family {
                    Family::Task => EventType::TaskFailed,
                    Family::LambdaFunction => EventType::LambdaFunctionFailed,
                    Family::Activity => EventType::ActivityFailed,
                };
                // The scenario's strings are shared, not copied, by every failure they name.
                let (error_s, cause_s) = if self.record_events {
                    (self.event_str(error.clone()), self.event_str(cause.clone()))
                } else {
                    (None, None)
                };
                self.emit_with(lane, ty, || match info.family {
                    Family::Task => EventDetails::TaskError {
                        resource_type: rt.clone(),
                        resource: rs.clone(),
                        error: error_s,
                        cause: cause_s,
                    },
                    Family::LambdaFunction | Family::Activity => EventDetails::Error {
                        error: error_s,
                        cause: cause_s,
                    },
                })?;
                Ok((
                    AttemptResult {
                        outcome: Err((error, cause, false)),
                    },
                    invocation,
                    explanation,
                ))
            }
            Ended::TimeOut => Ok((
                AttemptResult {
                    outcome: Err((Cow::Borrowed("States.Timeout"), Cow::Borrowed(""), true)),
                },
                invocation,
                explanation,
            )),
        }
    }

    /// An attempt that fails before the work runs (`TaskStartFailed`, `TaskSubmitFailed`):
    /// the event, then the error as the attempt's outcome.
    fn fail_before_run(
        &mut self,
        lane: &mut Lane,
        kind: EventType,
        resource_type: Str,
        resource: Str,
        error: &str,
        cause: &str,
    ) -> Result<AttemptResult<'m>, Fail> {
        self.emit(
            lane,
            kind,
            EventDetails::TaskError {
                resource_type,
                resource,
                error: non_empty_str(error),
                cause: non_empty_str(cause),
            },
        )?;
        Ok(AttemptResult {
            outcome: Err((
                Cow::Owned(error.to_string()),
                Cow::Owned(cause.to_string()),
                false,
            )),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_parallel(
        &mut self,
        state: &'m State,
        p: &'m ParallelState,
        comp: &Compiled,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
        entered: u32,
        step: &mut Option<Step>,
        cx: &mut Value,
    ) -> VisitResult<'m> {
        let ctx: &Value = cx;
        let effective = self.input_path_cow(state, comp, &input, ctx, vars, entered)?;
        let branch_input = match &comp.parameters {
            Some(t) => {
                let scope = Scope {
                    input: &effective,
                    context: ctx,
                    variables: vars,
                };
                t.eval(&scope, &mut self.rng)
                    .map_err(|d| Self::runtime(state, entered, d))?
            }
            None => share_cow(&input, effective),
        };
        if let Some(s) = step.as_mut()
            && comp.parameters.is_some()
        {
            s.data.after_parameters = Some(shown(&branch_input));
        }
        let mut counts = vec![0u64; state.retry.len()];
        loop {
            self.emit(lane, EventType::ParallelStateStarted, EventDetails::None)?;
            let start_t = lane.t;
            let started_id = lane.last;
            let mut results = Vec::with_capacity(p.branches.len());
            let mut end_t = start_t;
            let mut failure: Option<Fail> = None;
            let mut last = started_id;
            for (i, branch) in p.branches.iter().enumerate() {
                let scope_names = if self.record_steps {
                    let mut names = lane.scope.as_ref().clone();
                    names.push(format!("{}[{i}]", state.name));
                    Rc::new(names)
                } else {
                    lane.scope.clone()
                };
                let mut bl = Lane {
                    last: started_id,
                    t: start_t,
                    scope: scope_names,
                };
                vars.frames.push(Map::new());
                let r = self.run_branch(branch, branch_input.clone(), &mut bl, vars);
                vars.frames.pop();
                end_t = end_t.max(bl.t);
                last = bl.last;
                match r {
                    Ok(v) => results.push(v),
                    Err(f) => {
                        failure = Some(f);
                        break;
                    }
                }
            }
            lane.t = end_t;
            lane.last = last;
            match failure {
                None => {
                    // Recorded: ParallelStateExited shares ParallelStateSucceeded's previous event.
                    let prev = lane.last;
                    self.emit(lane, EventType::ParallelStateSucceeded, EventDetails::None)?;
                    lane.last = prev;
                    let result = Value::Array(results.into());
                    return self.finish_compound(
                        state,
                        comp,
                        input,
                        result,
                        ctx,
                        lane,
                        vars,
                        entered,
                        step,
                        &p.transition,
                    );
                }
                Some(Fail::Error { error, cause }) => {
                    match self.handle_compound_error(
                        state,
                        comp,
                        &mut counts,
                        input.clone(),
                        &error,
                        &cause,
                        ctx,
                        lane,
                        vars,
                        entered,
                        step,
                        EventType::ParallelStateFailed,
                    )? {
                        Some(done) => return Ok(done),
                        None => continue,
                    }
                }
                Some(other) => return Err(other),
            }
        }
    }

    fn run_branch(
        &mut self,
        branch: &'m Block,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
    ) -> Result<Value, Fail> {
        self.run_block(&branch.states, &branch.start_at, input, lane, vars)
            .map(|(v, _)| v)
    }

    /// After a Parallel/Map failed: retry (Ok(None)), catch (Ok(Some)), or propagate (Err).
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn handle_compound_error(
        &mut self,
        state: &'m State,
        comp: &Compiled,
        counts: &mut [u64],
        raw: Value,
        error: &str,
        cause: &str,
        ctx: &Value,
        lane: &mut Lane,
        vars: &Vars,
        entered: u32,
        step: &mut Option<Step>,
        failed_event: EventType,
    ) -> Result<Option<Visited<'m>>, Fail> {
        // Recorded: a retried Parallel/Map emits no *StateFailed; the next *StateStarted follows
        // the failing event.
        match self.decide_retry(&state.retry, &comp.retry_all, counts, error) {
            Ok((_, delay, why)) => {
                if let Some(s) = step.as_mut() {
                    s.explanations.push(why);
                }
                self.advance(lane, delay)?;
                return Ok(None);
            }
            Err(why) => {
                if let Some(s) = step.as_mut() {
                    s.explanations.push(why);
                }
            }
        }
        self.emit(lane, failed_event, EventDetails::None)?;
        match Self::decide_catch(&state.catch, &comp.catch_all, error, self.record_steps) {
            Ok((idx, catcher, why)) => {
                if let Some(s) = step.as_mut() {
                    s.explanations.push(why);
                    s.error = Some(ErrorInfo {
                        error: error.to_string(),
                        cause: cause.to_string(),
                    });
                }
                self.apply_catch(
                    state,
                    comp,
                    idx,
                    catcher,
                    raw,
                    // Made at run time (a branch's or an iteration's failure): owned, so the
                    // shared-string cache keeps only the scenario's and the machine's strings.
                    Cow::Owned(error.to_string()),
                    Cow::Owned(cause.to_string()),
                    ctx,
                    vars,
                    entered,
                )
                .map(Some)
            }
            Err(why) => {
                if let Some(s) = step.as_mut() {
                    s.explanations.push(why);
                }
                Err(Fail::err(error, cause))
            }
        }
    }

    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn finish_compound(
        &mut self,
        state: &State,
        comp: &Compiled,
        raw: Value,
        result: Value,
        ctx: &Value,
        lane: &mut Lane,
        vars: &Vars,
        entered: u32,
        step: &mut Option<Step>,
        transition: &'m Transition,
    ) -> VisitResult<'m> {
        let _ = lane;
        if let Some(s) = step.as_mut() {
            s.data.result = Some(shown(&result));
        }
        let selected = match &comp.result_selector {
            Some(t) => {
                // Shared only with a recorded step.
                let v = t
                    .eval_consuming(result, step.is_some(), ctx, vars, &mut self.rng)
                    .map_err(|d| Self::runtime(state, entered, d))?;
                if let Some(s) = step.as_mut() {
                    s.data.after_result_selector = Some(shown(&v));
                }
                v
            }
            None => result,
        };
        let assigned =
            self.eval_state_assign(state, comp.assign.as_ref(), &selected, ctx, vars, entered)?;
        let output =
            self.result_then_output(state, comp, raw, selected, step, ctx, vars, entered)?;
        Ok((next_of(transition), output, assigned))
    }

    #[allow(clippy::too_many_arguments)]
    fn setting_count(
        &self,
        state: &State,
        entered: u32,
        setting: Option<&Setting<u64>>,
        field: &str,
        scope: &Scope<'_>,
    ) -> Result<Option<u64>, Fail> {
        match setting {
            None | Some(Setting::Expression(_)) => Ok(None),
            Some(Setting::Literal(n)) => Ok(Some(*n)),
            Some(Setting::Path(p)) => {
                let path = JsonPath::parse(p).map_err(|e| Self::runtime(state, entered, e))?;
                let v = path
                    .eval(scope)
                    .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p, &e)))?;
                let v = v.as_ref();
                let n = match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) if n < 0 => {
                        let what = field.trim_end_matches("Path");
                        Err(Self::runtime(
                            state,
                            entered,
                            format!("{what} cannot be negative."),
                        ))
                    }
                    Some(n) => Ok(Some(n as u64)),
                    None => {
                        let shown = match v {
                            Value::String(s) => s.to_string(),
                            other => other.to_string(),
                        };
                        Err(Self::runtime(
                            state,
                            entered,
                            format!(
                                "The {field} field refers to value \"{shown}\" which is not a valid integer: {p}"
                            ),
                        ))
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_map(
        &mut self,
        state: &'m State,
        m: &'m MapState,
        comp: &Compiled,
        input: Value,
        lane: &mut Lane,
        vars: &mut Vars,
        entered: u32,
        step: &mut Option<Step>,
        cx: &mut Value,
    ) -> VisitResult<'m> {
        let effective = share_cow(
            &input,
            self.input_path_cow(state, comp, &input, &*cx, vars, entered)?,
        );
        if let Some(s) = step.as_mut()
            && !state.input_path.is_absent()
        {
            s.data.after_input_path = Some(shown(&effective));
        }
        // The items array, read in place (shared with a recorded step, copied only when
        // ItemsPath selects a part of the input).
        let items_cow: std::borrow::Cow<'_, Value> = {
            let scope = Scope {
                input: &effective,
                context: &*cx,
                variables: vars,
            };
            let v = match &comp.items_path {
                Err(e) => return Err(Self::runtime(state, entered, e)),
                Ok(None) => std::borrow::Cow::Borrowed(&effective),
                Ok(Some(p)) if matches!(p.root(), stepwise_asl::jsonpath::Root::Input) => {
                    // A path into the input borrows only the input.
                    p.eval_on(&effective).map_err(|e| {
                        Self::runtime(state, entered, invalid_path_detail(p.as_str(), &e))
                    })?
                }
                Ok(Some(p)) => std::borrow::Cow::Owned(
                    p.eval(&scope)
                        .map_err(|e| {
                            Self::runtime(state, entered, invalid_path_detail(p.as_str(), &e))
                        })?
                        .into_owned(),
                ),
            };
            if !v.is_array() {
                return Err(Self::runtime(
                    state,
                    entered,
                    format!(
                        "Map state input must be an array but was: {}",
                        java_type(&v)
                    ),
                ));
            }
            v
        };
        if let Some(s) = step.as_mut() {
            s.data.after_items_path = Some(shown(&items_cow));
        }
        let items: &Value = &items_cow;
        let (max_conc, tol_count, tol_pct) = {
            let scope = Scope {
                input: &effective,
                context: &*cx,
                variables: vars,
            };
            let mc = self.setting_count(
                state,
                entered,
                m.max_concurrency.as_ref(),
                "MaxConcurrencyPath",
                &scope,
            )?;
            (mc, (), ())
        };
        let _ = (tol_count, tol_pct);
        // Batching.
        let item_slice: &[Value] = items.as_array().map_or(&[], Vec::as_slice);
        let batched: Vec<Value>;
        let units: &[Value] = match &m.item_batcher {
            Some(b) => {
                batched =
                    self.batch_items(state, entered, b, item_slice, &effective, &*cx, vars)?;
                &batched
            }
            None => item_slice,
        };
        let mut counts = vec![0u64; state.retry.len()];
        let distributed = m.mode == stepwise_asl::model::ProcessorMode::Distributed;
        loop {
            self.emit(
                lane,
                EventType::MapStateStarted,
                EventDetails::MapStateStarted {
                    length: units.len(),
                },
            )?;
            let (tolerated_count, tolerated_pct) = {
                let scope = Scope {
                    input: &effective,
                    context: &*cx,
                    variables: vars,
                };
                let c = self.setting_count(
                    state,
                    entered,
                    m.tolerated_failure_count.as_ref(),
                    "ToleratedFailureCountPath",
                    &scope,
                )?;
                let p = match &m.tolerated_failure_percentage {
                    None | Some(Setting::Expression(_)) => None,
                    Some(Setting::Literal(p)) => Some(*p),
                    Some(Setting::Path(_)) => {
                        let as_count = m.tolerated_failure_percentage.as_ref().map(|s| match s {
                            Setting::Path(p) => Setting::Path(p.clone()),
                            _ => Setting::Literal(0),
                        });
                        self.setting_count(
                            state,
                            entered,
                            as_count.as_ref(),
                            "ToleratedFailurePercentagePath",
                            &scope,
                        )?
                        .map(|n| n as f64)
                    }
                };
                (c, p)
            };
            // A distributed Map runs its iterations as child executions: the parent history only
            // shows MapRunStarted / MapRunSucceeded|Failed.
            let hidden_from = if distributed {
                let label = m.label.clone().unwrap_or_else(|| self.ids.uuid());
                let arn = format!(
                    "arn:{}:states:{}:{}:mapRun:{}/{}:{}",
                    self.scenario.context.partition,
                    self.scenario.context.region,
                    self.scenario.context.account_id,
                    self.scenario.context.state_machine_name,
                    label,
                    self.ids.uuid()
                );
                self.emit(
                    lane,
                    EventType::MapRunStarted,
                    EventDetails::MapRunStarted { map_run_arn: arn },
                )?;
                Some((self.n_events, self.steps.len(), lane.last))
                // (lane.last is the MapRunStarted event)
            } else {
                None
            };
            let start_t = lane.t;
            let started_id = lane.last;
            let n = units.len();
            let slots = match max_conc {
                Some(c) if c > 0 && (c as usize) < n => c as usize,
                _ => n.max(1),
            };
            // Free times of the concurrency slots (only when MaxConcurrency limits them).
            let mut slot_free: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize)>> =
                if slots < n {
                    (0..slots)
                        .map(|k| std::cmp::Reverse((start_t, k)))
                        .collect()
                } else {
                    std::collections::BinaryHeap::new()
                };
            let mut chain = started_id;
            let mut results = Vec::with_capacity(n);
            let mut failures = 0usize;
            let mut failure: Option<(String, String)> = None;
            let mut end_t = start_t;
            let mut last_event = started_id;
            for (i, item) in units.iter().enumerate() {
                // The earliest free slot (ties: the lowest slot number).
                let slot_t = match slot_free.pop() {
                    Some(std::cmp::Reverse((t, _))) => t,
                    None => start_t,
                };
                let iter_input = match &comp.item_selector {
                    Some(t) => {
                        if comp.uses_context {
                            set_map_item(cx, i, item);
                        }
                        let scope = Scope {
                            input: &effective,
                            context: &*cx,
                            variables: vars,
                        };
                        t.eval(&scope, &mut self.rng)
                            .map_err(|d| Self::runtime(state, entered, d))?
                    }
                    None => item.clone(),
                };
                let scope_names = if self.record_steps {
                    let mut names = lane.scope.as_ref().clone();
                    names.push(format!("{}#{i}", state.name));
                    Rc::new(names)
                } else {
                    lane.scope.clone()
                };
                let mut il = Lane {
                    last: chain,
                    t: slot_t,
                    scope: scope_names,
                };
                self.emit_with(&mut il, EventType::MapIterationStarted, || {
                    EventDetails::MapIteration {
                        name: comp.name.clone(),
                        index: i,
                    }
                })?;
                vars.frames.push(Map::new());
                let r = self.run_block(
                    &m.item_processor.states,
                    &m.item_processor.start_at,
                    iter_input,
                    &mut il,
                    vars,
                );
                vars.frames.pop();
                chain = il.last;
                if slots < n {
                    slot_free.push(std::cmp::Reverse((il.t, i)));
                }
                end_t = end_t.max(il.t);
                match r {
                    Ok(v) => {
                        last_event = self.emit_with(
                            &mut il.clone(),
                            EventType::MapIterationSucceeded,
                            || EventDetails::MapIteration {
                                name: comp.name.clone(),
                                index: i,
                            },
                        )?;
                        results.push(v.0);
                    }
                    Err(Fail::Error { error, cause }) => {
                        last_event = self.emit(
                            &mut il.clone(),
                            EventType::MapIterationFailed,
                            EventDetails::MapIteration {
                                name: comp.name.clone(),
                                index: i,
                            },
                        )?;
                        failures += 1;
                        let tolerated = tolerated_count.is_some_and(|c| failures as u64 <= c)
                            || tolerated_pct
                                .is_some_and(|p| (failures as f64) * 100.0 / (n as f64) <= p);
                        if tolerated && !is_terminal_error(&error) {
                            results.push(Value::Null);
                            continue;
                        }
                        if tolerated_count.is_some() || tolerated_pct.is_some() {
                            failure = Some((
                                "States.ExceedToleratedFailureThreshold".into(),
                                "The specified tolerated failure threshold was exceeded".into(),
                            ));
                        } else {
                            failure = Some((error, cause));
                        }
                        lane.last = il.last;
                        break;
                    }
                    Err(other) => return Err(other),
                }
            }
            lane.t = end_t;
            if let Some((ev, st, last)) = hidden_from {
                self.events.truncate(ev);
                self.n_events = ev;
                self.steps.truncate(st);
                lane.last = last;
                last_event = last;
            }
            match failure {
                None => {
                    lane.last = last_event;
                    if distributed {
                        self.emit(lane, EventType::MapRunSucceeded, EventDetails::None)?;
                    }
                    // Recorded: MapStateExited shares MapStateSucceeded's previous event. For a
                    // distributed Map that is MapRunSucceeded when the Map's Entered event has
                    // previousEventId 0 (the first state), and MapRunStarted otherwise (every AWS
                    // recording in the corpus follows this; the reason is not documented).
                    let entered_prev = self
                        .events
                        .get(entered.saturating_sub(1) as usize)
                        .map_or(0, |e| e.previous_event_id);
                    let prev = match hidden_from {
                        Some((_, _, run_started)) if entered_prev != 0 => run_started,
                        _ => lane.last,
                    };
                    self.emit(lane, EventType::MapStateSucceeded, EventDetails::None)?;
                    // MapStateExited shares MapStateSucceeded's previous event (recorded).
                    lane.last = prev;
                    let result = Value::Array(results.into());
                    // Let go of the input's other references so that ResultPath can write into
                    // it without a copy.
                    drop(items_cow);
                    drop(effective);
                    return self.finish_compound(
                        state,
                        comp,
                        input,
                        result,
                        &*cx,
                        lane,
                        vars,
                        entered,
                        step,
                        &m.transition,
                    );
                }
                Some((error, cause)) => {
                    if distributed {
                        let prev = lane.last;
                        self.emit(
                            lane,
                            EventType::MapRunFailed,
                            EventDetails::Error {
                                error: non_empty_str(&error),
                                cause: non_empty_str(&cause),
                            },
                        )?;
                        let _ = prev;
                    }
                    match self.handle_compound_error(
                        state,
                        comp,
                        &mut counts,
                        input.clone(),
                        &error,
                        &cause,
                        &*cx,
                        lane,
                        vars,
                        entered,
                        step,
                        EventType::MapStateFailed,
                    )? {
                        Some(done) => return Ok(done),
                        None => continue,
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn batch_items(
        &mut self,
        state: &State,
        entered: u32,
        batcher: &Value,
        items: &[Value],
        effective: &Value,
        ctx: &Value,
        vars: &Vars,
    ) -> Result<Vec<Value>, Fail> {
        let scope = Scope {
            input: effective,
            context: ctx,
            variables: vars,
        };
        let count_field = |name: &str| -> Result<Option<u64>, Fail> {
            if let Some(n) = batcher.get(name).and_then(Value::as_u64) {
                return Ok(Some(n));
            }
            if let Some(p) = batcher.get(format!("{name}Path")).and_then(Value::as_str) {
                let path = JsonPath::parse(p).map_err(|e| Self::runtime(state, entered, e))?;
                let v = path
                    .eval(&scope)
                    .map_err(|e| Self::runtime(state, entered, invalid_path_detail(p, &e)))?;
                return Ok(v.as_ref().as_u64());
            }
            Ok(None)
        };
        let max_items = count_field("MaxItemsPerBatch")?.filter(|n| *n > 0);
        let max_bytes = count_field("MaxInputBytesPerBatch")?.filter(|n| *n > 0);
        let batch_input = match batcher.get("BatchInput") {
            Some(t) => Some(
                Template::compile(t)
                    .eval(&scope, &mut self.rng)
                    .map_err(|d| Self::runtime(state, entered, d))?,
            ),
            None => None,
        };
        let mut out = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = 0usize;
        let wrap = |items: Vec<Value>| -> Value {
            let mut o = Map::new();
            if let Some(b) = &batch_input {
                o.insert("BatchInput", b.clone());
            }
            o.insert("Items", Value::Array(items.into()));
            Value::Object(o)
        };
        for item in items {
            let size = json_text(item).len();
            let full_items = max_items.is_some_and(|m| current.len() as u64 >= m);
            let full_bytes =
                max_bytes.is_some_and(|m| !current.is_empty() && (bytes + size) as u64 > m);
            if full_items || full_bytes {
                out.push(wrap(std::mem::take(&mut current)));
                bytes = 0;
            }
            bytes += size;
            current.push(item.clone());
        }
        if !current.is_empty() {
            out.push(wrap(current));
        }
        Ok(out)
    }
}

/// Whether ResultPath `rp` is one name (`$.x`) and OutputPath selects inside it.
fn output_in_result(rp: &JsonPath, op: &Result<Option<JsonPath>, String>) -> bool {
    rp.is_plain_input_path()
        && rp.depth() == 1
        && matches!(op, Ok(Some(op)) if op.is_plain_input_path() && rp.contains_path(op))
}

/// Whether a state whose JSON text is `text` may read `$$.Execution.Input`: some `$$` in it
/// is not followed by a context field known to be another one.
fn reads_execution_input(text: &str) -> bool {
    const OTHERS: [&str; 9] = [
        ".Map.",
        ".State.",
        ".Task.",
        ".StateMachine.",
        ".Execution.Id\"",
        ".Execution.Name\"",
        ".Execution.StartTime\"",
        ".Execution.RoleArn\"",
        ".Execution.RedriveCount\"",
    ];
    text.match_indices("$$").any(|(i, _)| {
        let rest = text.get(i + 2..).unwrap_or_default();
        !OTHERS.iter().any(|o| rest.starts_with(o))
    })
}

/// The `States.Runtime` failure of an invocation the scenario's mock does not define.
#[cold]
#[inline(never)]
fn missing_mock(state: &State, p: &TaskPlan, invocation: u32) -> Fail {
    let defined: Vec<String> = p
        .invocations
        .iter()
        .map(|(a, b, _)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    Fail::err(
        "States.Runtime",
        format!(
            "No mocked response for state '{}' invocation {invocation} (0-based): the mocked response defines invocations {}. Step Functions Local fails the execution when an invocation has no mock entry.",
            state.name,
            defined.join(", ")
        ),
    )
}

/// A Task attempt's explanation (a recorded step): which invocation and outcome.
#[cold]
#[inline(never)]
fn attempt_explanation(
    state: &State,
    invocation: u32,
    source: &str,
    planned: Option<&PlannedOutcome>,
    outcome: &Outcome,
    default_ms: u64,
    duration: u64,
) -> String {
    format!(
        "Invocation {invocation} of {} ({} outcome): {}",
        state.name,
        source,
        planned
            .map(|p| p.explain(default_ms))
            .unwrap_or_else(|| format!(
                "{} after {} (default duration)",
                outcome.explain(),
                crate::outcome::format_duration_ms(duration)
            ))
    )
}

/// The scenario's plan for the Task state `name`: a few plans are scanned, names of another
/// length skipped without comparing bytes (the same plan `tasks.get` finds).
fn plan_of<'s>(scenario: &'s Scenario, name: &str) -> Option<&'s TaskPlan> {
    if scenario.tasks.len() > 8 {
        return scenario.tasks.get(name);
    }
    scenario
        .tasks
        .iter()
        .find(|(k, _)| k.len() == name.len() && k.as_str() == name)
        .map(|(_, plan)| plan)
}

fn next_of(t: &Transition) -> Option<&str> {
    match t {
        Transition::Next(n) => Some(n.as_str()),
        Transition::End => None,
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// `s` as an event's error or cause (`None` when empty).
fn non_empty_str(s: &str) -> Option<Str> {
    (!s.is_empty()).then(|| Str::from(s))
}

/// `cow` (a part of `input` or a new value) as a value of its own (a selected part costs a
/// reference count: values share their strings, arrays and objects).
fn share_cow(_input: &Value, cow: std::borrow::Cow<'_, Value>) -> Value {
    cow.into_owned()
}

/// `v` as a recorded step shows it.
fn shown(v: &Value) -> Arc<Value> {
    Arc::new(v.clone())
}

/// Set `result` at the ResultPath inside `raw` (no copy for `ResultPath: null` or `$`; an
/// object or array still shared elsewhere, e.g. by a recorded step or an event text, is copied
/// (one level) on the way down before it is modified).
fn set_result(
    rp: &Result<Option<JsonPath>, String>,
    raw: Value,
    result: Value,
) -> Result<Value, String> {
    match rp {
        Err(e) => Err(e.clone()),
        Ok(None) => Ok(raw),
        Ok(Some(p)) => {
            if p.is_root_only() {
                return Ok(result);
            }
            let mut target = raw;
            p.set(&mut target, result)
                .map_err(|e: PathError| invalid_path_detail(p.as_str(), &e))?;
            Ok(target)
        }
    }
}

fn java_type(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "java.lang.Boolean".into(),
        Value::Number(_) => "java.lang.Number".into(),
        Value::String(_) => "java.lang.String".into(),
        Value::Array(_) => "java.util.List".into(),
        Value::Object(_) => "java.util.LinkedHashMap".into(),
    }
}

fn fmt_rate(r: f64) -> String {
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn fmt_secs(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{} s", s as i64)
    } else {
        let t = format!("{s:.3}");
        format!("{} s", t.trim_end_matches('0').trim_end_matches('.'))
    }
}

fn superscript(n: u64) -> String {
    const D: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|c| {
            D.get(c.to_digit(10).unwrap_or(0) as usize)
                .copied()
                .unwrap_or('⁰')
        })
        .collect()
}

/// A short readable form of a choice rule: `$.x NumericLessThan 10`.
pub fn describe_rule(rule: &ChoiceRule) -> String {
    match rule {
        ChoiceRule::And(rs) => format!(
            "And({})",
            rs.iter().map(describe_rule).collect::<Vec<_>>().join(", ")
        ),
        ChoiceRule::Or(rs) => format!(
            "Or({})",
            rs.iter().map(describe_rule).collect::<Vec<_>>().join(", ")
        ),
        ChoiceRule::Not(r) => format!("Not({})", describe_rule(r)),
        ChoiceRule::Data {
            variable,
            op,
            operand,
        } => match operand {
            stepwise_asl::model::Operand::Literal(v) => format!("{variable} {} {v}", op.name()),
            stepwise_asl::model::Operand::Path(p) => format!("{variable} {}Path {p}", op.name()),
        },
        ChoiceRule::Condition(v) => format!("Condition {v}"),
    }
}

/// Compact JSON text (faster than `Value::to_string`, which goes through `fmt::Write`).
pub fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn json_arc(v: &Value) -> Text {
    Text::new(json_text(v))
}

/// Set `$$.Map.Item` to `{"Index": index, "Value": item}`, reusing the object of the previous
/// item when there is one.
fn set_map_item(root: &mut Value, index: usize, item: &Value) {
    if let Some(Value::Object(mi)) = root.get_mut("Map").and_then(|m| m.get_mut("Item"))
        && mi.len() == 2
        && let Some(slot) = mi.get_mut("Index")
    {
        *slot = Value::from(index);
        if let Some(slot) = mi.get_mut("Value") {
            slot.clone_from(item);
            return;
        }
    }
    let mut mi = Map::new();
    mi.insert("Index", Value::from(index));
    mi.insert("Value", item.clone());
    set_ctx(root, "Map", "Item", Value::Object(mi));
}

/// Set `root[outer][key] = value` in a context object.
fn set_ctx(root: &mut Value, outer: &str, key: &str, value: Value) {
    let Value::Object(r) = root else { return };
    if !r.contains_key(outer) {
        r.insert(outer.to_string(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(o)) = r.get_mut(outer) {
        // Replace in place when the key exists (no new key string).
        match o.get_mut(key) {
            Some(slot) => *slot = value,
            None => {
                o.insert(key.to_string(), value);
            }
        }
    }
}

/// Features the simulator does not run yet: the execution fails at once with
/// `Stepwise.UnsupportedFeature` (not an AWS error) and a note saying why.
fn unsupported(machine: &StateMachine) -> Option<String> {
    if machine.query_language == stepwise_asl::model::QueryLanguage::Jsonata {
        return Some("The JSONata query language is not simulated yet.".into());
    }
    for state in machine.all_states() {
        if state.query_language == stepwise_asl::model::QueryLanguage::Jsonata {
            return Some(format!(
                "State '{}' uses the JSONata query language, which is not simulated yet.",
                state.name
            ));
        }
        if let StateKind::Map(m) = &state.kind {
            if m.item_reader.is_some() {
                return Some(format!(
                    "Map state '{}' reads its items from S3 (ItemReader), which is not simulated yet.",
                    state.name
                ));
            }
            if m.result_writer.is_some() {
                return Some(format!(
                    "Map state '{}' writes its results to S3 (ResultWriter), which is not simulated yet.",
                    state.name
                ));
            }
        }
    }
    None
}
