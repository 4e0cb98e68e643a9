//! Stepwise engine: a faithful, deterministic AWS Step Functions simulator.
//!
//! - [`simulate`]`(&machine, &input, &scenario) -> `[`Trace`]: run a parsed state machine
//!   (`stepwise_asl::parse(text).machine`) on a virtual clock. Pure and deterministic (same
//!   scenario → byte-identical trace), never panics: problems become AWS errors in the trace.
//!   [`Simulator`] keeps the compiled paths/templates across runs of the same machine.
//! - [`Scenario`]: injected Task outcomes per state and invocation number
//!   ([`TaskPlan`], MockConfigFile counter semantics; [`Scenario::from_test_case`] imports a
//!   resolved `MockConfigFile.json` test case), the RNG seed, the run names ([`RunContext`]),
//!   AWS's limits (25,000 events, 256 KiB) and whether to record [`Step`]s.
//! - [`Trace`]: `status`, `output` / `error` / `cause`, AWS `GetExecutionHistory` events
//!   ([`HistoryEvent`], serialized exactly like the API, payloads as JSON text) and per state
//!   visit a [`Step`]: the data after each processing field ([`Inspection`], TestState names),
//!   the attempts ([`Attempt`]) and readable explanations of every retry / catch / choice
//!   decision, with the event ids it spans.
//! - [`conformance`]: the harness comparing traces with recorded AWS executions.

pub mod conformance;
pub mod expr;
pub mod interp;
pub mod mock_config;
pub mod outcome;
pub mod scenario;
pub mod services;
pub mod share;
pub mod trace;

pub use interp::{Simulator, simulate};
pub use outcome::{Outcome, PlannedOutcome};
pub use scenario::{RunContext, Scenario, TaskPlan};
pub use trace::{
    Attempt, AttemptOutcome, EventDetails, EventType, HistoryEvent, Inspection, Status, Step, Trace,
};
