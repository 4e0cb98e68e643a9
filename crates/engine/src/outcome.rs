//! What a user injects for one Task invocation: the *outcome* of one attempt.
//!
//! An [`Outcome`] says what the service call does (return a value, throw an error, time out, or
//! echo its effective input); a [`PlannedOutcome`] adds how long the attempt takes on the virtual
//! clock.
//!
//! # JSON form (share links, `.stepwise.json` scenario files, bench mocks)
//!
//! ```json
//! {"return": {"MessageId": "x"}, "durationMs": 50}
//! {"throw": {"Error": "Batch.ServerException", "Cause": "..."}}
//! {"timeout": true, "durationMs": 3600000}
//! {"echo": true}
//! ```
//!
//! Exactly one of `return` / `throw` / `timeout` / `echo` must be present. `durationMs` is optional:
//! when absent the engine uses [`crate::services::default_duration_ms`] for the Task's resource.
//! Reading is lenient about the key case (`Return`/`Throw`/`TimeOut` as in Step Functions Local
//! are accepted, as are `error`/`cause` in lower case); writing always produces the canonical form
//! shown above. `{"echo": true}` is the engine-neutral bench mock "result = effective input".

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use stepwise_asl::json::{Map, Value, json};

/// What one Task invocation (one attempt) does.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The service call succeeds with this result (the Task's raw result, before ResultSelector).
    Return(Value),
    /// The service call fails: `Error` / `Cause` of the error output.
    Throw { error: String, cause: String },
    /// The attempt does not finish before the Task's `TimeoutSeconds` (or heartbeat): the engine
    /// raises `States.Timeout` with an empty cause, as AWS records it.
    TimeOut,
    /// The service call succeeds and returns its effective input (after InputPath and Parameters).
    /// Use [`Outcome::resolve`] to turn it into a `Return`.
    Echo,
}

/// An [`Outcome`] with the simulated duration of the attempt on the virtual clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedOutcome {
    pub outcome: Outcome,
    /// Duration of the attempt in milliseconds (from TaskStarted to the result). `None` means the
    /// resource's default, see [`crate::services::default_duration_ms`]. For `TimeOut` the engine
    /// uses the Task's timeout (or heartbeat) instead, whatever this says.
    pub duration_ms: Option<u64>,
}

/// A problem in the JSON form of an outcome: `pointer` is the JSON pointer (RFC 6901) of the bad
/// spot, relative to the value that was parsed (callers prefix their own location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for OutcomeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for OutcomeError {}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> OutcomeError {
    OutcomeError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// Escape one JSON pointer token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

const RETURN_KEYS: [&str; 2] = ["return", "Return"];
const THROW_KEYS: [&str; 2] = ["throw", "Throw"];
const TIMEOUT_KEYS: [&str; 4] = ["timeout", "TimeOut", "Timeout", "timeOut"];
const ECHO_KEYS: [&str; 2] = ["echo", "Echo"];
const DURATION_KEYS: [&str; 2] = ["durationMs", "DurationMs"];

impl Outcome {
    /// `{"Error": ..., "Cause": ...}` for a throw.
    pub fn throw(error: impl Into<String>, cause: impl Into<String>) -> Outcome {
        Outcome::Throw {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// Replace `Echo` by `Return(effective_input)`; other outcomes are returned unchanged.
    pub fn resolve(&self, effective_input: &Value) -> Outcome {
        match self {
            Outcome::Echo => Outcome::Return(effective_input.clone()),
            other => other.clone(),
        }
    }

    /// The error name and cause this outcome raises, if it fails (`States.Timeout` with an empty
    /// cause for a time-out, as recorded on AWS).
    pub fn error(&self) -> Option<(&str, &str)> {
        match self {
            Outcome::Throw { error, cause } => Some((error.as_str(), cause.as_str())),
            Outcome::TimeOut => Some(("States.Timeout", "")),
            Outcome::Return(_) | Outcome::Echo => None,
        }
    }

    /// The error output `{"Error", "Cause"}` a Catcher receives, if this outcome fails.
    pub fn error_output(&self) -> Option<Value> {
        self.error()
            .map(|(error, cause)| json!({"Error": error, "Cause": cause}))
    }

    /// True when the attempt succeeds.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Return(_) | Outcome::Echo)
    }

    /// Canonical JSON form (without duration).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        self.write_into(&mut map);
        Value::Object(map)
    }

    fn write_into(&self, map: &mut Map) {
        match self {
            Outcome::Return(v) => {
                map.insert("return", v.clone());
            }
            Outcome::Throw { error, cause } => {
                map.insert("throw", json!({"Error": error, "Cause": cause}));
            }
            Outcome::TimeOut => {
                map.insert("timeout", Value::Bool(true));
            }
            Outcome::Echo => {
                map.insert("echo", Value::Bool(true));
            }
        }
    }

    /// Parse the JSON form. Unknown keys are errors (so typos do not silently become defaults).
    pub fn from_json(value: &Value) -> Result<Outcome, OutcomeError> {
        PlannedOutcome::from_json(value).and_then(|p| match p.duration_ms {
            None => Ok(p.outcome),
            Some(_) => Err(err(
                "/durationMs",
                "a duration is not allowed here (only in a planned outcome)",
            )),
        })
    }

    /// One line a learner can read, e.g. `returns {"MessageId":"x"}` or
    /// `throws Batch.ServerException: "…"`.
    pub fn explain(&self) -> String {
        match self {
            Outcome::Return(v) => format!("returns {}", abbreviate(&v.to_string(), 120)),
            Outcome::Throw { error, cause } if cause.is_empty() => {
                format!("throws {error} (empty cause)")
            }
            Outcome::Throw { error, cause } => {
                format!("throws {error}: {}", abbreviate(cause, 120))
            }
            Outcome::TimeOut => {
                "does not finish in time: the Task times out with States.Timeout (empty cause)"
                    .to_string()
            }
            Outcome::Echo => "returns its effective input unchanged (echo)".to_string(),
        }
    }
}

impl PlannedOutcome {
    pub fn new(outcome: Outcome) -> PlannedOutcome {
        PlannedOutcome {
            outcome,
            duration_ms: None,
        }
    }

    pub fn with_duration(outcome: Outcome, duration_ms: u64) -> PlannedOutcome {
        PlannedOutcome {
            outcome,
            duration_ms: Some(duration_ms),
        }
    }

    /// The duration to simulate: the explicit one or `default_ms` (normally
    /// [`crate::services::default_duration_ms`] of the Task's resource).
    pub fn duration_or(&self, default_ms: u64) -> u64 {
        self.duration_ms.unwrap_or(default_ms)
    }

    /// Canonical JSON form: the outcome's keys plus `durationMs` when set.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        self.outcome.write_into(&mut map);
        if let Some(ms) = self.duration_ms {
            map.insert("durationMs", Value::from(ms));
        }
        Value::Object(map)
    }

    /// Parse the JSON form with errors that carry a JSON pointer.
    pub fn from_json(value: &Value) -> Result<PlannedOutcome, OutcomeError> {
        let Some(map) = value.as_object() else {
            return Err(err(
                "",
                format!(
                    "an outcome must be an object like {{\"return\": …}}, {{\"throw\": {{\"Error\": …, \"Cause\": …}}}}, {{\"timeout\": true}} or {{\"echo\": true}}, found {}",
                    kind_of(value)
                ),
            ));
        };
        let mut outcome: Option<(String, Outcome)> = None;
        let mut duration_ms = None;
        for (key, v) in map {
            let ptr = format!("/{}", pointer_token(key));
            let parsed = if RETURN_KEYS.contains(&key.as_str()) {
                Outcome::Return(v.clone())
            } else if THROW_KEYS.contains(&key.as_str()) {
                parse_throw(v, &ptr)?
            } else if TIMEOUT_KEYS.contains(&key.as_str()) {
                expect_true(v, &ptr)?;
                Outcome::TimeOut
            } else if ECHO_KEYS.contains(&key.as_str()) {
                expect_true(v, &ptr)?;
                Outcome::Echo
            } else if DURATION_KEYS.contains(&key.as_str()) {
                duration_ms = Some(v.as_u64().ok_or_else(|| {
                    err(
                        ptr.clone(),
                        format!(
                            "durationMs must be a non-negative whole number of milliseconds, found {v}"
                        ),
                    )
                })?);
                continue;
            } else {
                return Err(err(
                    ptr,
                    format!(
                        "unknown key '{key}' (expected one of return, throw, timeout, echo, durationMs)"
                    ),
                ));
            };
            if let Some((first, _)) = &outcome {
                return Err(err(
                    ptr,
                    format!(
                        "an outcome has exactly one of return/throw/timeout/echo, found both '{first}' and '{key}'"
                    ),
                ));
            }
            outcome = Some((key.clone().to_string(), parsed));
        }
        match outcome {
            Some((_, outcome)) => Ok(PlannedOutcome {
                outcome,
                duration_ms,
            }),
            None => Err(err(
                "",
                "an outcome needs one of return, throw, timeout or echo",
            )),
        }
    }

    /// The outcome's explanation plus its duration, e.g. `returns {…} after 2 min`.
    pub fn explain(&self, default_ms: u64) -> String {
        let ms = self.duration_or(default_ms);
        let suffix = if self.duration_ms.is_some() {
            ""
        } else {
            " (default duration)"
        };
        match self.outcome {
            Outcome::TimeOut => self.outcome.explain(),
            _ => format!(
                "{} after {}{suffix}",
                self.outcome.explain(),
                format_duration_ms(ms)
            ),
        }
    }
}

impl From<Outcome> for PlannedOutcome {
    fn from(outcome: Outcome) -> Self {
        PlannedOutcome::new(outcome)
    }
}

fn parse_throw(v: &Value, ptr: &str) -> Result<Outcome, OutcomeError> {
    let Some(map) = v.as_object() else {
        return Err(err(
            ptr,
            format!(
                "throw must be an object {{\"Error\": \"…\", \"Cause\": \"…\"}}, found {}",
                kind_of(v)
            ),
        ));
    };
    let mut error = None;
    let mut cause = None;
    for (key, value) in map {
        let inner = format!("{ptr}/{}", pointer_token(key));
        let slot = match key.as_str() {
            "Error" | "error" => &mut error,
            "Cause" | "cause" => &mut cause,
            _ => {
                return Err(err(
                    inner,
                    format!("unknown key '{key}' in throw (expected Error and Cause)"),
                ));
            }
        };
        match value {
            Value::String(s) => *slot = Some(s.clone()),
            other => {
                return Err(err(
                    inner,
                    format!("{key} must be a string, found {}", kind_of(other)),
                ));
            }
        }
    }
    let Some(error) = error else {
        return Err(err(ptr, "throw needs an Error name"));
    };
    if error.is_empty() {
        return Err(err(
            format!("{ptr}/Error"),
            "the Error name must not be empty",
        ));
    }
    Ok(Outcome::Throw {
        error: error.to_string(),
        cause: cause.unwrap_or_default().to_string(),
    })
}

fn expect_true(v: &Value, ptr: &str) -> Result<(), OutcomeError> {
    if v == &Value::Bool(true) {
        Ok(())
    } else {
        Err(err(ptr, format!("expected true, found {v}")))
    }
}

/// Short name of a JSON value's type for messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn abbreviate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let head: String = s.chars().take(max_chars).collect();
        format!("{head}…")
    }
}

/// Human form of a duration: `50 ms`, `1.5 s`, `2 min`, `1 h 5 min`.
pub fn format_duration_ms(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 {
        let tenths = ms / 100;
        return if tenths.is_multiple_of(10) {
            format!("{} s", tenths / 10)
        } else {
            format!("{}.{} s", tenths / 10, tenths % 10)
        };
    }
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        Outcome::from_json(&v).map_err(serde::de::Error::custom)
    }
}

impl Serialize for PlannedOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PlannedOutcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        PlannedOutcome::from_json(&v).map_err(serde::de::Error::custom)
    }
}
