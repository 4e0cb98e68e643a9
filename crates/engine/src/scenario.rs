//! What a simulation runs with: the injected Task outcomes, the RNG seed and the names of the run.
//!
//! # Injected outcomes (MockConfigFile semantics)
//!
//! Outcomes are keyed by **Task state name** and **invocation number**. Every state has one
//! counter per execution, starting at 0, that advances on every invocation of that state: each
//! retry attempt, each Map iteration and each re-entry through a loop. Invocations without an
//! entry use the state's `default` outcome when given, else the documented default of the
//! resource (see [`crate::services`]).
//!
//! # JSON form (`--scenario FILE`)
//!
//! ```json
//! {
//!   "seed": 7,
//!   "context": {"accountId": "111111111111", "region": "us-east-1",
//!               "stateMachineName": "MyMachine", "executionName": "run-1",
//!               "startTime": "2024-01-01T00:00:00Z"},
//!   "tasks": {
//!     "Submit Batch Job": {"0-1": {"throw": {"Error": "States.TaskFailed", "Cause": "…"}},
//!                          "2": {"return": {"Status": "SUCCEEDED"}, "durationMs": 60000},
//!                          "default": {"echo": true}}
//!   }
//! }
//! ```

use stepwise_asl::vecmap::VecMap;

use stepwise_asl::json::{Map, Value};

use crate::outcome::{OutcomeError, PlannedOutcome, pointer_token};

/// Names and clock of one run (what `$$.Execution`, ARNs and event timestamps use).
#[derive(Debug, Clone, PartialEq)]
pub struct RunContext {
    pub account_id: String,
    pub region: String,
    pub partition: String,
    pub state_machine_name: String,
    pub execution_name: String,
    pub role_arn: String,
    /// Unix milliseconds of `ExecutionStarted`.
    pub start_time_ms: i64,
}

impl Default for RunContext {
    fn default() -> Self {
        RunContext {
            account_id: "111111111111".into(),
            region: "us-east-1".into(),
            partition: "aws".into(),
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            role_arn: "arn:aws:iam::111111111111:role/StepFunctionsRole".into(),
            // 2024-01-01T00:00:00.000Z
            start_time_ms: 1_704_067_200_000,
        }
    }
}

impl RunContext {
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:{}:states:{}:{}:stateMachine:{}",
            self.partition, self.region, self.account_id, self.state_machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        format!(
            "arn:{}:states:{}:{}:execution:{}:{}",
            self.partition,
            self.region,
            self.account_id,
            self.state_machine_name,
            self.execution_name
        )
    }
}

/// The outcomes planned for one Task state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskPlan {
    /// Inclusive invocation ranges (`"0"` is `(0, 0)`, `"1-2"` is `(1, 2)`), first match wins.
    pub invocations: Vec<(u32, u32, PlannedOutcome)>,
    /// Outcome for invocations no range covers.
    pub default: Option<PlannedOutcome>,
    /// The `TaskSubmitted` output to record for an invocation (`.sync` / callback patterns),
    /// instead of the service default.
    pub submitted: Vec<(u32, Value)>,
    /// Invocations whose failure happens before the task starts (`TaskStartFailed`) or while
    /// submitting (`TaskSubmitFailed`) instead of as a `TaskFailed`.
    pub failure_events: Vec<(u32, FailureEvent)>,
    /// Step Functions Local semantics: an invocation without an entry (and no `default`) fails
    /// the execution with `States.Runtime` instead of using the resource default.
    pub missing_fails: bool,
}

/// Where a thrown outcome fails in the task's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureEvent {
    /// `TaskStartFailed`.
    StartFailed,
    /// `TaskSubmitFailed`.
    SubmitFailed,
}

impl TaskPlan {
    /// The outcome planned for invocation `n` (0-based), if any.
    pub fn outcome_for(&self, n: u32) -> Option<&PlannedOutcome> {
        self.invocations
            .iter()
            .find(|(a, b, _)| *a <= n && n <= *b)
            .map(|(_, _, o)| o)
            .or(self.default.as_ref())
    }

    /// A plan from a MockConfigFile mocked response (missing invocations fail the execution).
    pub fn from_mocked_response(r: &crate::mock_config::MockedResponse) -> TaskPlan {
        TaskPlan {
            invocations: r
                .entries
                .iter()
                .map(|e| (e.first, e.last, PlannedOutcome::new(e.outcome.clone())))
                .collect(),
            missing_fails: true,
            ..TaskPlan::default()
        }
    }

    /// Plan the same outcome for every invocation.
    pub fn always(outcome: PlannedOutcome) -> TaskPlan {
        TaskPlan {
            default: Some(outcome),
            ..TaskPlan::default()
        }
    }

    /// Record the `TaskSubmitted` output of invocation `n`.
    pub fn set_submitted(&mut self, n: u32, output: Value) {
        self.submitted.push((n, output));
    }

    /// The `TaskSubmitted` output planned for invocation `n`.
    pub fn submitted_for(&self, n: u32) -> Option<&Value> {
        self.submitted.iter().find(|(k, _)| *k == n).map(|(_, v)| v)
    }

    /// Make invocation `n` fail with `TaskStartFailed` / `TaskSubmitFailed`.
    pub fn set_failure_event(&mut self, n: u32, kind: FailureEvent) {
        self.failure_events.push((n, kind));
    }

    /// The failure event kind of invocation `n`, when not a plain `TaskFailed`.
    pub fn failure_event_for(&self, n: u32) -> Option<FailureEvent> {
        self.failure_events
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| *v)
    }

    /// Append an outcome for exactly invocation `n`.
    pub fn push(&mut self, n: u32, outcome: PlannedOutcome) {
        self.invocations.push((n, n, outcome));
    }
}

/// Everything a simulation runs with besides the definition and the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Seeds the RNG used for jitter, `States.UUID`, `States.MathRandom` and generated ids.
    pub seed: u64,
    pub context: RunContext,
    /// Per Task state name.
    pub tasks: VecMap<String, TaskPlan>,
    /// AWS's history limit (25,000 events for Standard workflows); `None` disables it.
    pub max_history_events: Option<usize>,
    /// AWS's payload limit (256 KiB): a larger state output or task result fails with
    /// `States.DataLimitExceeded`; `None` disables it.
    pub max_payload_bytes: Option<usize>,
    /// Whether to record per-state [`crate::Step`]s (the explanation view). Turning it off saves
    /// time and memory when only the events and the result are needed.
    pub record_steps: bool,
    /// Whether to record the history events ([`crate::Trace::events`]). Turning it off (for
    /// callers that need only `status` / `output` / `error` / `cause`, like a benchmark or a
    /// batch evaluation) skips building them; no [`crate::Step`]s are recorded either (they
    /// point into the history). The result is the same: event ids are still counted (they
    /// appear in error causes) and the history limit still applies.
    pub record_events: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 0,
            context: RunContext::default(),
            tasks: VecMap::new(),
            max_history_events: Some(25_000),
            max_payload_bytes: Some(262_144),
            record_steps: true,
            record_events: true,
        }
    }
}

impl Scenario {
    /// A scenario from a resolved MockConfigFile test case.
    pub fn from_test_case(tc: &crate::mock_config::ResolvedTestCase) -> Scenario {
        let mut s = Scenario::default();
        s.context.state_machine_name = tc.state_machine.clone();
        for (state, response) in &tc.states {
            s.tasks
                .insert(state.clone(), TaskPlan::from_mocked_response(response));
        }
        s
    }

    /// The outcome planned for invocation `n` of the Task state `state`, if the scenario has one.
    pub fn planned(&self, state: &str, n: u32) -> Option<&PlannedOutcome> {
        self.tasks.get(state).and_then(|p| p.outcome_for(n))
    }

    /// Parse the JSON form (see the module docs). Errors carry a JSON pointer.
    pub fn from_json(value: &Value) -> Result<Scenario, OutcomeError> {
        let err = |pointer: String, message: String| OutcomeError { pointer, message };
        let Some(map) = value.as_object() else {
            return Err(err(
                String::new(),
                "a scenario must be a JSON object".into(),
            ));
        };
        let mut scenario = Scenario::default();
        for (key, v) in map {
            match key.as_str() {
                "seed" => {
                    scenario.seed = v.as_u64().ok_or_else(|| {
                        err("/seed".into(), "seed must be a non-negative integer".into())
                    })?;
                }
                "maxHistoryEvents" => {
                    scenario.max_history_events = match v {
                        Value::Null => None,
                        other => Some(other.as_u64().ok_or_else(|| {
                            err(
                                "/maxHistoryEvents".into(),
                                "maxHistoryEvents must be a non-negative integer or null".into(),
                            )
                        })? as usize),
                    };
                }
                "context" => scenario.context = parse_context(v)?,
                "tasks" => {
                    let Some(tasks) = v.as_object() else {
                        return Err(err("/tasks".into(), "tasks must be an object".into()));
                    };
                    // Collected, then sorted once (see `VecMap`: one insert at a time in file
                    // order could be quadratic on a large hostile file).
                    let mut list = Vec::with_capacity(tasks.len());
                    for (state, plan) in tasks {
                        let ptr = format!("/tasks/{}", pointer_token(state));
                        list.push((state.to_string(), parse_plan(plan, &ptr)?));
                    }
                    scenario.tasks = list.into_iter().collect();
                }
                other => {
                    return Err(err(
                        format!("/{}", pointer_token(other)),
                        format!(
                            "unknown key '{other}' (expected seed, context, tasks, maxHistoryEvents)"
                        ),
                    ));
                }
            }
        }
        Ok(scenario)
    }

    /// The JSON form (see the module docs).
    pub fn to_json(&self) -> Value {
        let mut tasks = Map::new();
        for (state, plan) in &self.tasks {
            let mut p = Map::new();
            for (a, b, o) in &plan.invocations {
                let key = if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                };
                p.insert(key, o.to_json());
            }
            if let Some(d) = &plan.default {
                p.insert("default", d.to_json());
            }
            tasks.insert(state.clone(), Value::Object(p));
        }
        let c = &self.context;
        let mut out = Map::new();
        out.insert("seed", Value::from(self.seed));
        out.insert(
            "context",
            stepwise_asl::json::json!({
                "accountId": c.account_id,
                "region": c.region,
                "partition": c.partition,
                "stateMachineName": c.state_machine_name,
                "executionName": c.execution_name,
                "roleArn": c.role_arn,
                "startTime": crate::trace::iso_timestamp(c.start_time_ms),
            }),
        );
        out.insert("tasks", Value::Object(tasks));
        if self.max_history_events != Some(25_000) {
            out.insert(
                "maxHistoryEvents",
                self.max_history_events.map_or(Value::Null, Value::from),
            );
        }
        Value::Object(out)
    }
}

fn parse_context(v: &Value) -> Result<RunContext, OutcomeError> {
    let err = |pointer: String, message: String| OutcomeError { pointer, message };
    let Some(map) = v.as_object() else {
        return Err(err("/context".into(), "context must be an object".into()));
    };
    let mut c = RunContext::default();
    for (key, value) in map {
        let ptr = format!("/context/{}", pointer_token(key));
        let text = || {
            value
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| err(ptr.clone(), format!("{key} must be a string")))
        };
        match key.as_str() {
            "accountId" => c.account_id = text()?,
            "region" => c.region = text()?,
            "partition" => c.partition = text()?,
            "stateMachineName" => c.state_machine_name = text()?,
            "executionName" => c.execution_name = text()?,
            "roleArn" => c.role_arn = text()?,
            "startTime" => {
                let t = text()?;
                c.start_time_ms = crate::trace::parse_rfc3339(&t).ok_or_else(|| {
                    err(
                        ptr.clone(),
                        format!("startTime '{t}' is not an RFC 3339 timestamp"),
                    )
                })?;
            }
            other => {
                return Err(err(ptr, format!("unknown context key '{other}'")));
            }
        }
    }
    Ok(c)
}

/// Parse an invocation key: `"3"` or `"1-2"`.
pub fn parse_invocation_key(key: &str) -> Option<(u32, u32)> {
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some((a, b))
        }
        None => {
            let n = key.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

fn parse_plan(v: &Value, ptr: &str) -> Result<TaskPlan, OutcomeError> {
    let Some(map) = v.as_object() else {
        return Err(OutcomeError {
            pointer: ptr.into(),
            message: "a task plan must be an object of invocation number → outcome".into(),
        });
    };
    let mut plan = TaskPlan::default();
    for (key, o) in map {
        let inner = format!("{ptr}/{}", pointer_token(key));
        let outcome = PlannedOutcome::from_json(o).map_err(|e| OutcomeError {
            pointer: format!("{inner}{}", e.pointer),
            message: e.message,
        })?;
        if key == "default" {
            plan.default = Some(outcome);
            continue;
        }
        let Some((a, b)) = parse_invocation_key(key) else {
            return Err(OutcomeError {
                pointer: inner,
                message: format!(
                    "'{key}' is not an invocation number (\"0\") or range (\"1-2\") or \"default\""
                ),
            });
        };
        plan.invocations.push((a, b, outcome));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    #[test]
    fn plans_round_trip_and_resolve_invocations() {
        let text = r#"{"seed":3,"tasks":{"T":{"0":{"return":1},"1-2":{"throw":{"Error":"E","Cause":"c"}},"default":{"echo":true}}}}"#;
        let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let s = Scenario::from_json(&v).unwrap_or_default();
        assert_eq!(s.seed, 3);
        let table = [
            (0, Outcome::Return(Value::from(1))),
            (1, Outcome::throw("E", "c")),
            (2, Outcome::throw("E", "c")),
            (3, Outcome::Echo),
        ];
        for (n, want) in table {
            assert_eq!(s.planned("T", n).map(|p| &p.outcome), Some(&want), "{n}");
        }
        assert_eq!(Scenario::from_json(&s.to_json()).ok(), Some(s));
        assert!(
            Scenario::from_json(&stepwise_asl::json::json!({"tasks": {"T": {"x": {}}}})).is_err()
        );
    }
}
