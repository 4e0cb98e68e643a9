//! The result of a simulation: AWS `GetExecutionHistory` events plus a per-state-visit
//! explanation of what happened (the data after each processing field, the attempts, and the
//! reasons behind every retry, catch and choice decision).
//!
//! Events serialize exactly like AWS's API: `timestamp`, `type`, `id`, `previousEventId` and one
//! `<type>EventDetails` member whose payload fields (`input`, `output`, `parameters`,
//! `assignedVariables` values) are **JSON text**, as AWS returns them.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::sync::{Arc, Mutex, OnceLock};
use stepwise_asl::json::{Str, Value};

/// Shared JSON text of a payload. Cheap to clone (one `Arc`); the text of a payload built from a
/// value ([`Text::lazy`]) is serialized on first use and cached, so a run whose history nobody
/// reads never pays for it, and one serialization serves the `*StateExited` event and the next
/// `*StateEntered`. Dereferences to the text (`String`), like the `Arc<String>` it replaces.
///
/// The empty text ([`Text::empty`], what a run that records no events gives every payload)
/// holds nothing: cloning and dropping it touch no reference count.
#[derive(Clone)]
pub struct Text(Option<Arc<TextInner>>);

/// The text of [`Text::empty`].
static EMPTY_TEXT: String = String::new();

/// Builds the value of a [`Text::lazy_with`] text.
type Build = Box<dyn FnOnce() -> Value + Send>;

struct TextInner {
    /// The value still to serialize (None for a known text).
    value: Mutex<Option<Value>>,
    /// Or how to build it (a [`Text::lazy_with`] text not read yet).
    build: Mutex<Option<Build>>,
    text: OnceLock<String>,
    /// The byte length, when it was counted without building the text ([`Text::byte_len`]).
    len: OnceLock<usize>,
}

impl Text {
    /// The empty text (no allocation).
    pub fn empty() -> Text {
        Text(None)
    }

    /// A text known up front.
    pub fn new(text: String) -> Text {
        let cell = OnceLock::new();
        let _ = cell.set(text);
        Text(Some(Arc::new(TextInner {
            value: Mutex::new(None),
            build: Mutex::new(None),
            text: cell,
            len: OnceLock::new(),
        })))
    }

    /// The compact JSON text of `value`, serialized when first read.
    pub fn lazy(value: Value) -> Text {
        Text(Some(Arc::new(TextInner {
            value: Mutex::new(Some(value)),
            build: Mutex::new(None),
            text: OnceLock::new(),
            len: OnceLock::new(),
        })))
    }

    /// The compact JSON text of the value `build` returns, built and serialized when first
    /// read (for a payload nobody may read, like a service's simulated response).
    pub fn lazy_with(build: impl FnOnce() -> Value + Send + 'static) -> Text {
        Text(Some(Arc::new(TextInner {
            value: Mutex::new(None),
            build: Mutex::new(Some(Box::new(build))),
            text: OnceLock::new(),
            len: OnceLock::new(),
        })))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.text()
    }

    /// The length of the text in bytes (for AWS's payload limit). A text not built yet is
    /// measured by a counting serializer: no string is built, the text stays lazy.
    pub fn byte_len(&self) -> usize {
        let Some(inner) = &self.0 else { return 0 };
        if let Some(t) = inner.text.get() {
            return t.len();
        }
        if inner.build.lock().is_ok_and(|b| b.is_some()) {
            return self.text().len();
        }
        *inner.len.get_or_init(|| {
            let slot = match inner.value.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            match slot.as_ref() {
                Some(v) => json_len(v),
                None => inner.text.get().map_or(0, String::len),
            }
        })
    }

    fn text(&self) -> &String {
        let Some(inner) = &self.0 else {
            return &EMPTY_TEXT;
        };
        inner.text.get_or_init(|| {
            let slot = match inner.value.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let Some(v) = slot.as_ref() {
                return serde_json::to_string(v).unwrap_or_default();
            }
            let build = match inner.build.lock() {
                Ok(mut b) => b.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            };
            match build {
                Some(f) => serde_json::to_string(&f()).unwrap_or_default(),
                None => String::new(),
            }
        })
    }
}

/// The length of the compact JSON text of `v`, counted without building it.
pub fn json_len(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    match serde_json::to_writer(&mut c, v) {
        Ok(()) => c.0,
        Err(_) => 0,
    }
}

impl std::ops::Deref for Text {
    type Target = String;
    fn deref(&self) -> &String {
        self.text()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.text()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.text() == other.text(),
        }
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.text(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::new(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(text.to_string())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text())
    }
}

/// Final status of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// Every history event type AWS defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    ActivityFailed,
    ActivityScheduled,
    ActivityScheduleFailed,
    ActivityStarted,
    ActivitySucceeded,
    ActivityTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    ExecutionAborted,
    ExecutionFailed,
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionTimedOut,
    FailStateEntered,
    LambdaFunctionFailed,
    LambdaFunctionScheduled,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStarted,
    LambdaFunctionStartFailed,
    LambdaFunctionSucceeded,
    LambdaFunctionTimedOut,
    MapIterationAborted,
    MapIterationFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapStateAborted,
    MapStateEntered,
    MapStateExited,
    MapStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    ParallelStateAborted,
    ParallelStateEntered,
    ParallelStateExited,
    ParallelStateFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    PassStateEntered,
    PassStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    TaskFailed,
    TaskScheduled,
    TaskStarted,
    TaskStartFailed,
    TaskStateAborted,
    TaskStateEntered,
    TaskStateExited,
    TaskSubmitFailed,
    TaskSubmitted,
    TaskSucceeded,
    TaskTimedOut,
    WaitStateAborted,
    WaitStateEntered,
    WaitStateExited,
    MapRunAborted,
    MapRunFailed,
    MapRunStarted,
    MapRunSucceeded,
    ExecutionRedriven,
    MapRunRedriven,
    EvaluationFailed,
}

macro_rules! event_names {
    ($($v:ident => $details:expr),* $(,)?) => {
        impl EventType {
            /// The type name as AWS spells it.
            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$v => stringify!($v),)* }
            }
            /// The name of the `*EventDetails` member for this type.
            pub fn details_key(self) -> &'static str {
                match self { $(EventType::$v => $details,)* }
            }
            /// Parse an AWS type name.
            pub fn from_name(name: &str) -> Option<EventType> {
                match name { $(stringify!($v) => Some(EventType::$v),)* _ => None }
            }
        }
    };
}

event_names! {
    ActivityFailed => "activityFailedEventDetails",
    ActivityScheduled => "activityScheduledEventDetails",
    ActivityScheduleFailed => "activityScheduleFailedEventDetails",
    ActivityStarted => "activityStartedEventDetails",
    ActivitySucceeded => "activitySucceededEventDetails",
    ActivityTimedOut => "activityTimedOutEventDetails",
    ChoiceStateEntered => "stateEnteredEventDetails",
    ChoiceStateExited => "stateExitedEventDetails",
    ExecutionAborted => "executionAbortedEventDetails",
    ExecutionFailed => "executionFailedEventDetails",
    ExecutionStarted => "executionStartedEventDetails",
    ExecutionSucceeded => "executionSucceededEventDetails",
    ExecutionTimedOut => "executionTimedOutEventDetails",
    FailStateEntered => "stateEnteredEventDetails",
    LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
    LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
    LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
    LambdaFunctionStarted => "lambdaFunctionStartedEventDetails",
    LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
    LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
    LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
    MapIterationAborted => "mapIterationAbortedEventDetails",
    MapIterationFailed => "mapIterationFailedEventDetails",
    MapIterationStarted => "mapIterationStartedEventDetails",
    MapIterationSucceeded => "mapIterationSucceededEventDetails",
    MapStateAborted => "mapStateAbortedEventDetails",
    MapStateEntered => "stateEnteredEventDetails",
    MapStateExited => "stateExitedEventDetails",
    MapStateFailed => "mapStateFailedEventDetails",
    MapStateStarted => "mapStateStartedEventDetails",
    MapStateSucceeded => "mapStateSucceededEventDetails",
    ParallelStateAborted => "parallelStateAbortedEventDetails",
    ParallelStateEntered => "stateEnteredEventDetails",
    ParallelStateExited => "stateExitedEventDetails",
    ParallelStateFailed => "parallelStateFailedEventDetails",
    ParallelStateStarted => "parallelStateStartedEventDetails",
    ParallelStateSucceeded => "parallelStateSucceededEventDetails",
    PassStateEntered => "stateEnteredEventDetails",
    PassStateExited => "stateExitedEventDetails",
    SucceedStateEntered => "stateEnteredEventDetails",
    SucceedStateExited => "stateExitedEventDetails",
    TaskFailed => "taskFailedEventDetails",
    TaskScheduled => "taskScheduledEventDetails",
    TaskStarted => "taskStartedEventDetails",
    TaskStartFailed => "taskStartFailedEventDetails",
    TaskStateAborted => "taskStateAbortedEventDetails",
    TaskStateEntered => "stateEnteredEventDetails",
    TaskStateExited => "stateExitedEventDetails",
    TaskSubmitFailed => "taskSubmitFailedEventDetails",
    TaskSubmitted => "taskSubmittedEventDetails",
    TaskSucceeded => "taskSucceededEventDetails",
    TaskTimedOut => "taskTimedOutEventDetails",
    WaitStateAborted => "waitStateAbortedEventDetails",
    WaitStateEntered => "stateEnteredEventDetails",
    WaitStateExited => "stateExitedEventDetails",
    MapRunAborted => "mapRunAbortedEventDetails",
    MapRunFailed => "mapRunFailedEventDetails",
    MapRunStarted => "mapRunStartedEventDetails",
    MapRunSucceeded => "mapRunSucceededEventDetails",
    ExecutionRedriven => "executionRedrivenEventDetails",
    MapRunRedriven => "mapRunRedrivenEventDetails",
    EvaluationFailed => "evaluationFailedEventDetails",
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The `*EventDetails` member of an event. Payloads (`input`, `output`, `parameters`) are JSON
/// text, exactly as AWS returns them.
#[derive(Debug, Clone, PartialEq)]
pub enum EventDetails {
    /// The event has no details member (e.g. `TaskStateAborted`, `MapStateSucceeded`).
    None,
    /// `ExecutionStarted`.
    ExecutionStarted { input: Text, role_arn: String },
    /// `*StateEntered`.
    StateEntered { name: Text, input: Text },
    /// `*StateExited`; `assigned_variables` holds name → JSON text.
    StateExited {
        name: Text,
        output: Text,
        assigned_variables: Option<Vec<(String, String)>>,
    },
    /// `TaskScheduled`.
    TaskScheduled {
        resource_type: Str,
        resource: Str,
        region: Str,
        parameters: Text,
        timeout_in_seconds: Option<u64>,
        heartbeat_in_seconds: Option<u64>,
        task_credentials_role_arn: Option<String>,
    },
    /// `TaskStarted`.
    TaskStarted { resource_type: Str, resource: Str },
    /// `TaskSubmitted`, `TaskSucceeded`.
    TaskOutput {
        resource_type: Str,
        resource: Str,
        output: Text,
    },
    /// `TaskFailed`, `TaskTimedOut`, `TaskStartFailed`, `TaskSubmitFailed`.
    TaskError {
        resource_type: Str,
        resource: Str,
        error: Option<Str>,
        cause: Option<Str>,
    },
    /// `LambdaFunctionScheduled` / `ActivityScheduled`.
    Scheduled {
        resource: Str,
        input: Text,
        timeout_in_seconds: Option<u64>,
        heartbeat_in_seconds: Option<u64>,
        task_credentials_role_arn: Option<String>,
    },
    /// `ActivityStarted`.
    ActivityStarted { worker_name: Option<String> },
    /// `ExecutionSucceeded`, `LambdaFunctionSucceeded`, `ActivitySucceeded`.
    Output { output: Text },
    /// `ExecutionFailed`, `ExecutionTimedOut`, `ExecutionAborted`, `LambdaFunctionFailed`,
    /// `…TimedOut`, `MapRunFailed`, …: both fields optional.
    Error {
        error: Option<Str>,
        cause: Option<Str>,
    },
    /// `MapStateStarted`.
    MapStateStarted { length: usize },
    /// `MapIteration*`.
    MapIteration { name: Text, index: usize },
    /// `MapRunStarted`.
    MapRunStarted { map_run_arn: String },
    /// `EvaluationFailed`.
    EvaluationFailed {
        error: String,
        cause: String,
        location: Option<String>,
        state: String,
    },
}

/// One `GetExecutionHistory` event.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: u32,
    pub previous_event_id: u32,
    /// Virtual time since the execution started, in milliseconds.
    pub elapsed_ms: u64,
    /// Unix milliseconds on the virtual clock (`start_time + elapsed_ms`); see
    /// [`HistoryEvent::timestamp`] for the ISO-8601 form the JSON carries.
    pub unix_ms: i64,
    pub kind: EventType,
    pub details: EventDetails,
}

struct Truncated;
impl Serialize for Truncated {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("truncated", &false)?;
        m.end()
    }
}

struct Assigned<'a>(&'a [(String, String)]);
impl Serialize for Assigned<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

struct Details<'a>(&'a EventDetails);
impl Serialize for Details<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0 {
            EventDetails::None => {}
            EventDetails::ExecutionStarted { input, role_arn } => {
                m.serialize_entry("input", &**input)?;
                m.serialize_entry("inputDetails", &Truncated)?;
                m.serialize_entry("roleArn", role_arn)?;
            }
            EventDetails::StateEntered { name, input } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("input", &**input)?;
                m.serialize_entry("inputDetails", &Truncated)?;
            }
            EventDetails::StateExited {
                name,
                output,
                assigned_variables,
            } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("output", &**output)?;
                m.serialize_entry("outputDetails", &Truncated)?;
                if let Some(vars) = assigned_variables {
                    m.serialize_entry("assignedVariables", &Assigned(vars))?;
                    m.serialize_entry("assignedVariablesDetails", &Truncated)?;
                }
            }
            EventDetails::TaskScheduled {
                resource_type,
                resource,
                region,
                parameters,
                timeout_in_seconds,
                heartbeat_in_seconds,
                task_credentials_role_arn,
            } => {
                m.serialize_entry("resourceType", resource_type)?;
                m.serialize_entry("resource", resource)?;
                m.serialize_entry("region", region)?;
                m.serialize_entry("parameters", &**parameters)?;
                if let Some(t) = timeout_in_seconds {
                    m.serialize_entry("timeoutInSeconds", t)?;
                }
                if let Some(h) = heartbeat_in_seconds {
                    m.serialize_entry("heartbeatInSeconds", h)?;
                }
                if let Some(r) = task_credentials_role_arn {
                    m.serialize_entry(
                        "taskCredentials",
                        &stepwise_asl::json::json!({ "roleArn": r }),
                    )?;
                }
            }
            EventDetails::TaskStarted {
                resource_type,
                resource,
            } => {
                m.serialize_entry("resourceType", resource_type)?;
                m.serialize_entry("resource", resource)?;
            }
            EventDetails::TaskOutput {
                resource_type,
                resource,
                output,
            } => {
                m.serialize_entry("resourceType", resource_type)?;
                m.serialize_entry("resource", resource)?;
                m.serialize_entry("output", &**output)?;
                m.serialize_entry("outputDetails", &Truncated)?;
            }
            EventDetails::TaskError {
                resource_type,
                resource,
                error,
                cause,
            } => {
                m.serialize_entry("resourceType", resource_type)?;
                m.serialize_entry("resource", resource)?;
                if let Some(e) = error {
                    m.serialize_entry("error", e)?;
                }
                if let Some(c) = cause {
                    m.serialize_entry("cause", c)?;
                }
            }
            EventDetails::Scheduled {
                resource,
                input,
                timeout_in_seconds,
                heartbeat_in_seconds,
                task_credentials_role_arn,
            } => {
                m.serialize_entry("resource", resource)?;
                m.serialize_entry("input", &**input)?;
                m.serialize_entry("inputDetails", &Truncated)?;
                if let Some(t) = timeout_in_seconds {
                    m.serialize_entry("timeoutInSeconds", t)?;
                }
                if let Some(h) = heartbeat_in_seconds {
                    m.serialize_entry("heartbeatInSeconds", h)?;
                }
                if let Some(r) = task_credentials_role_arn {
                    m.serialize_entry(
                        "taskCredentials",
                        &stepwise_asl::json::json!({ "roleArn": r }),
                    )?;
                }
            }
            EventDetails::ActivityStarted { worker_name } => {
                if let Some(w) = worker_name {
                    m.serialize_entry("workerName", w)?;
                }
            }
            EventDetails::Output { output } => {
                m.serialize_entry("output", &**output)?;
                m.serialize_entry("outputDetails", &Truncated)?;
            }
            EventDetails::Error { error, cause } => {
                if let Some(e) = error {
                    m.serialize_entry("error", e)?;
                }
                if let Some(c) = cause {
                    m.serialize_entry("cause", c)?;
                }
            }
            EventDetails::MapStateStarted { length } => {
                m.serialize_entry("length", length)?;
            }
            EventDetails::MapIteration { name, index } => {
                m.serialize_entry("name", &**name)?;
                m.serialize_entry("index", index)?;
            }
            EventDetails::MapRunStarted { map_run_arn } => {
                m.serialize_entry("mapRunArn", map_run_arn)?;
            }
            EventDetails::EvaluationFailed {
                error,
                cause,
                location,
                state,
            } => {
                m.serialize_entry("error", error)?;
                m.serialize_entry("cause", cause)?;
                if let Some(l) = location {
                    m.serialize_entry("location", l)?;
                }
                m.serialize_entry("state", state)?;
            }
        }
        m.end()
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("timestamp", &self.timestamp())?;
        m.serialize_entry("type", &self.kind)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("previousEventId", &self.previous_event_id)?;
        if !matches!(self.details, EventDetails::None) {
            m.serialize_entry(self.kind.details_key(), &Details(&self.details))?;
        }
        m.end()
    }
}

impl HistoryEvent {
    /// ISO-8601 timestamp on the virtual clock, e.g. `2024-01-01T00:00:30.000Z`.
    pub fn timestamp(&self) -> String {
        iso_timestamp(self.unix_ms)
    }

    /// The event as a JSON value with every JSON-text payload parsed (the form the conformance
    /// corpus uses), without `timestamp`.
    pub fn to_parsed_json(&self) -> Value {
        let mut v = stepwise_asl::json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.remove("timestamp");
            if let Some(Value::Object(details)) = map.get_mut(self.kind.details_key()) {
                for key in ["input", "output", "parameters"] {
                    if let Some(slot) = details.get_mut(key) {
                        parse_in_place(slot);
                    }
                }
                if let Some(Value::Object(vars)) = details.get_mut("assignedVariables") {
                    for (_, slot) in vars.iter_mut() {
                        parse_in_place(slot);
                    }
                }
            }
        }
        v
    }
}

fn parse_in_place(slot: &mut Value) {
    if let Value::String(text) = slot
        && let Ok(parsed) = serde_json::from_str::<Value>(text)
    {
        *slot = parsed;
    }
}

/// The data a state saw after each processing field, named like the TestState API's
/// `inspectionData`. A field is absent when the state failed before reaching it, when the step
/// does not apply to the state type, or when the state does not set the processing field (then
/// the value is the previous stage's: no `InputPath` → `afterInputPath` = `input`; no
/// `Parameters` → `afterParameters` = `afterInputPath`; no `ResultPath` → `afterResultPath` =
/// the result (after `ResultSelector`); no `OutputPath` → `output` = the last stage, which is
/// also the `*StateExited` event's output). Leaving out the copies keeps long traces small.
/// The values are shared (`Arc`) with the simulation and the events' payloads: recording a step
/// copies no JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub input: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub after_input_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub after_parameters: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub after_items_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub result: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub after_result_selector: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub after_result_path: Option<Arc<Value>>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_shared")]
    pub output: Option<Arc<Value>>,
    /// Variables assigned by this visit (name → value), in assignment order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<stepwise_asl::json::Map>,
}

fn ser_shared<S: Serializer>(v: &Option<Arc<Value>>, s: S) -> Result<S::Ok, S::Error> {
    v.as_deref().serialize(s)
}

/// How one attempt of a Task (or one run of a Parallel/Map) ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AttemptOutcome {
    Succeeded,
    Failed { error: String, cause: String },
    TimedOut { error: String },
}

/// One attempt inside a state visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// 1-based attempt number.
    pub number: u32,
    /// The per-state invocation number the scenario used (0-based, MockConfigFile semantics);
    /// None for Parallel/Map runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation: Option<u32>,
    pub started_ms: u64,
    pub ended_ms: u64,
    pub outcome: AttemptOutcome,
    /// First and last event id of this attempt.
    pub first_event: u32,
    pub last_event: u32,
    /// Where the outcome came from (scenario / default) and what it did.
    pub explanation: String,
}

/// One visit of one state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub state: String,
    #[serde(rename = "type")]
    pub state_type: &'static str,
    /// Where the visit happened: `[]` at the top level, e.g. `["Map#2", "Parallel[1]"]` inside
    /// nested iterations/branches (outermost first).
    pub scope: Vec<String>,
    pub entered_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exited_ms: Option<u64>,
    /// Event ids this visit spans (entered … exited or the failure event).
    pub first_event: u32,
    pub last_event: u32,
    /// Boxed to keep `Step` small (long traces hold tens of thousands of steps).
    pub data: Box<Inspection>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<Attempt>,
    /// Readable explanations of every decision, in order.
    pub explanations: Vec<String>,
    /// The next state, when the visit ended with a transition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The error the visit ended with, when it failed (caught or not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
}

/// An error name and cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    pub error: String,
    pub cause: String,
}

/// The result of [`crate::simulate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    pub events: Vec<HistoryEvent>,
    pub steps: Vec<Step>,
    /// Virtual duration of the whole execution.
    pub duration_ms: u64,
    /// Problems the simulator met that are not AWS behaviour (unsupported features, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Trace {
    /// The CLI's JSON form: `{"status", "output"?, "error"?, "cause"?, "events"}`.
    pub fn to_cli_json(&self) -> Value {
        let mut map = stepwise_asl::json::Map::new();
        map.insert("status", Value::from(self.status.as_str()));
        if let Some(o) = &self.output {
            map.insert("output", o.clone());
        }
        if let Some(e) = &self.error {
            map.insert("error", Value::from(e.as_str()));
        }
        if let Some(c) = &self.cause {
            map.insert("cause", Value::from(c.as_str()));
        }
        map.insert(
            "events",
            stepwise_asl::json::to_value(&self.events).unwrap_or(Value::Null),
        );
        Value::Object(map)
    }
}

/// Format `start` (Unix ms) as ISO-8601 UTC with milliseconds: `2024-01-01T00:00:00.000Z`.
pub fn iso_timestamp(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let ms = unix_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parse an RFC 3339 timestamp (`2016-03-14T01:59:00Z`, fractional seconds and numeric
/// offsets allowed, uppercase `T` required) into Unix milliseconds. The rule is the language
/// crate's ([`stepwise_asl::timestamp::parse_timestamp`]), so Wait and Choice agree on what a
/// timestamp is.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let t = stepwise_asl::timestamp::parse_timestamp(s)?;
    i64::try_from(t.unix_timestamp_nanos().div_euclid(1_000_000)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_len_counts_the_text_it_does_not_build() {
        let values = [
            stepwise_asl::json::json!({"a": [1, 2.5, "x\"y\\u00e9", null], "b": {"c": true}}),
            stepwise_asl::json::json!("é ü \n"),
            stepwise_asl::json::json!([]),
        ];
        for v in values {
            let want = serde_json::to_string(&v).unwrap_or_default();
            let counted = Text::lazy(v.clone());
            assert_eq!(counted.byte_len(), want.len(), "{want}");
            assert_eq!(counted.as_str(), want);
            let built = Text::lazy(v);
            assert_eq!(built.as_str(), want);
            assert_eq!(built.byte_len(), want.len());
        }
    }

    #[test]
    fn timestamps_round_trip() {
        let cases = [
            ("2024-01-01T00:00:00.000Z", 1_704_067_200_000i64),
            ("1970-01-01T00:00:00.000Z", 0),
            ("2016-03-14T01:59:00.250Z", 1_457_920_740_250),
        ];
        for (text, ms) in cases {
            assert_eq!(iso_timestamp(ms), text);
            assert_eq!(parse_rfc3339(text), Some(ms), "{text}");
        }
        assert_eq!(
            parse_rfc3339("2016-03-14T03:59:00+02:00"),
            Some(1_457_920_740_000)
        );
        assert_eq!(parse_rfc3339("2016-03-14 01:59:00Z"), None);
        assert_eq!(parse_rfc3339("2016-03-14t01:59:00Z"), None);
    }
}
