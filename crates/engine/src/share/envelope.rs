//! The [`Envelope`]: the JSON of a `.stepwise.json` file and of a share link's payload.

use std::fmt;
use stepwise_asl::vecmap::VecMap;

use stepwise_asl::json::{Map, Value, json};

use super::FORMAT;
use crate::outcome::{PlannedOutcome, kind_of, pointer_token};
use crate::scenario::{RunContext, Scenario};

/// What "Step forward/back" moves over on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepBy {
    Event,
    State,
}

impl StepBy {
    pub fn as_str(self) -> &'static str {
        match self {
            StepBy::Event => "event",
            StepBy::State => "state",
        }
    }

    pub fn parse(s: &str) -> Option<StepBy> {
        match s {
            "event" => Some(StepBy::Event),
            "state" => Some(StepBy::State),
            _ => None,
        }
    }
}

/// The editor tab shown on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Definition,
    Input,
}

impl EditorTab {
    pub fn as_str(self) -> &'static str {
        match self {
            EditorTab::Definition => "definition",
            EditorTab::Input => "input",
        }
    }

    pub fn parse(s: &str) -> Option<EditorTab> {
        match s {
            "definition" => Some(EditorTab::Definition),
            "input" => Some(EditorTab::Input),
            _ => None,
        }
    }
}

/// Page view options (`"view"` in the JSON). Every field optional; unknown keys are kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    pub step_by: Option<StepBy>,
    /// "Ask me when it happens" mode.
    pub ask: Option<bool>,
    pub tab: Option<EditorTab>,
    /// Play speed, steps per second.
    pub speed: Option<u32>,
    /// Keys (and unknown `stepBy`/`tab` values) this version does not know, written back as is.
    pub extra: Map,
}

impl View {
    pub fn is_empty(&self) -> bool {
        self == &View::default()
    }

    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if let Some(s) = self.step_by {
            out.insert("stepBy", Value::from(s.as_str()));
        }
        if let Some(a) = self.ask {
            out.insert("ask", Value::Bool(a));
        }
        if let Some(t) = self.tab {
            out.insert("tab", Value::from(t.as_str()));
        }
        if let Some(s) = self.speed {
            out.insert("speed", Value::from(s));
        }
        for (k, v) in &self.extra {
            if !out.contains_key(k) {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }

    fn from_json(value: &Value) -> Result<View, EnvelopeError> {
        let Some(map) = value.as_object() else {
            return Err(shape(
                "/view",
                format!("view must be an object, found {}", kind_of(value)),
            ));
        };
        let mut view = View::default();
        for (key, v) in map {
            let ptr = format!("/view/{}", pointer_token(key));
            if v.is_null() && VIEW_KEYS.contains(&key.as_str()) {
                continue;
            }
            match key.as_str() {
                "stepBy" => {
                    let s = string(v, &ptr, "stepBy")?;
                    match StepBy::parse(&s) {
                        Some(s) => view.step_by = Some(s),
                        None => {
                            view.extra.insert(key.clone(), v.clone());
                        }
                    }
                }
                "tab" => {
                    let s = string(v, &ptr, "tab")?;
                    match EditorTab::parse(&s) {
                        Some(t) => view.tab = Some(t),
                        None => {
                            view.extra.insert(key.clone(), v.clone());
                        }
                    }
                }
                "ask" => {
                    view.ask = Some(v.as_bool().ok_or_else(|| {
                        shape(
                            &ptr,
                            format!("ask must be true or false, found {}", kind_of(v)),
                        )
                    })?)
                }
                "speed" => {
                    view.speed = Some(v.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(
                        || {
                            shape(
                                &ptr,
                                format!(
                                    "speed must be a whole number of steps per second, found {v}"
                                ),
                            )
                        },
                    )?)
                }
                _ => {
                    view.extra.insert(key.clone(), v.clone());
                }
            }
        }
        Ok(view)
    }
}

/// One scenario as a user made it: the JSON of a `.stepwise.json` file and of a share link.
/// See the [module docs](super) for the JSON form and the compatibility rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Envelope {
    /// Id of the sample the documents came from (informational).
    pub sample: Option<String>,
    /// The definition text as typed.
    pub definition: Option<String>,
    /// The input text as typed.
    pub input: Option<String>,
    pub seed: Option<u64>,
    pub context: Option<RunContext>,
    /// Per Task state name, per invocation number; `None` = the resource's default outcome.
    pub outcomes: VecMap<String, Vec<Option<PlannedOutcome>>>,
    /// How many history events are revealed.
    pub cursor: Option<usize>,
    /// The state selected on the graph.
    pub selected: Option<String>,
    pub view: View,
    /// Top-level keys this version does not know, kept and written back unchanged.
    pub extra: Map,
}

/// The `.stepwise.json` file is the envelope: same type, named for `stepwise run --scenario`.
pub type ScenarioFile = Envelope;

/// Why a JSON text is not a scenario envelope. `Display` is a message for a file's user; links
/// wrap it in [`super::LinkError`] with the "This link is damaged: …" wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// The text is not JSON.
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON has the wrong shape at `pointer` (RFC 6901, `""` for the whole document).
    Shape { pointer: String, message: String },
    /// The `"stepwise"` marker names a newer format.
    Newer { format: u64 },
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvelopeError::NotJson {
                line,
                column,
                message,
            } => write!(f, "not JSON (line {line}, column {column}: {message})"),
            EnvelopeError::Shape { pointer, message } if pointer.is_empty() => {
                write!(f, "{message}")
            }
            EnvelopeError::Shape { pointer, message } => write!(f, "at {pointer}: {message}"),
            EnvelopeError::Newer { format } => write!(
                f,
                "made by a newer Stepwise (format v{format}); this version reads v{FORMAT}"
            ),
        }
    }
}

impl std::error::Error for EnvelopeError {}

fn shape(pointer: &str, message: String) -> EnvelopeError {
    EnvelopeError::Shape {
        pointer: pointer.to_string(),
        message,
    }
}

fn string(v: &Value, ptr: &str, name: &str) -> Result<String, EnvelopeError> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        shape(
            ptr,
            format!("{name} must be a string, found {}", kind_of(v)),
        )
    })
}

/// A text field that may also be given as JSON (stored pretty-printed).
fn text_or_json(
    v: &Value,
    ptr: &str,
    name: &str,
    objects_only: bool,
) -> Result<String, EnvelopeError> {
    match v {
        Value::String(s) => Ok(s.clone().to_string()),
        Value::Object(_) => Ok(pretty(v)),
        other if !objects_only => Ok(pretty(other)),
        other => Err(shape(
            ptr,
            format!(
                "{name} must be the definition text (a string) or a JSON object, found {}",
                kind_of(other)
            ),
        )),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    s.push('\n');
    s
}

impl Envelope {
    /// Parse the text of a `.stepwise.json` file (or a link's JSON).
    pub fn parse(text: &str) -> Result<Envelope, EnvelopeError> {
        let value: Value = serde_json::from_str(text).map_err(|e| EnvelopeError::NotJson {
            line: e.line(),
            column: e.column(),
            message: json_error_message(&e),
        })?;
        Envelope::from_json(&value)
    }

    /// True when `value` is meant as an envelope rather than the bare [`Scenario`] JSON form
    /// (`{"seed", "context", "tasks"}`): it has the `"stepwise"` marker or one of the keys
    /// `definition`, `input`, `outcomes` (which the bare scenario form rejects).
    pub fn is_envelope(value: &Value) -> bool {
        value.as_object().is_some_and(|m| {
            ["stepwise", "definition", "input", "outcomes"]
                .iter()
                .any(|k| m.contains_key(k))
        })
    }

    /// Read the JSON form. Errors carry the JSON pointer of the bad spot.
    pub fn from_json(value: &Value) -> Result<Envelope, EnvelopeError> {
        let Some(map) = value.as_object() else {
            return Err(shape(
                "",
                format!(
                    "a Stepwise scenario must be a JSON object, found {}",
                    kind_of(value)
                ),
            ));
        };
        if let Some(marker) = map.get("stepwise").filter(|v| !v.is_null()) {
            match marker.as_u64() {
                Some(FORMAT) => {}
                Some(n) if n > FORMAT => return Err(EnvelopeError::Newer { format: n }),
                _ => {
                    return Err(shape(
                        "/stepwise",
                        format!("the format marker \"stepwise\" must be {FORMAT}, found {marker}"),
                    ));
                }
            }
        }
        let mut env = Envelope::default();
        for (key, v) in map {
            let ptr = format!("/{}", pointer_token(key));
            if v.is_null() && key != "stepwise" {
                // `null` reads as absent for known keys; unknown ones are kept as they are.
                if !KNOWN_KEYS.contains(&key.as_str()) {
                    env.extra.insert(key.clone(), Value::Null);
                }
                continue;
            }
            match key.as_str() {
                "stepwise" => {}
                "sample" => env.sample = Some(string(v, &ptr, "sample")?),
                "definition" => env.definition = Some(text_or_json(v, &ptr, "definition", true)?),
                "input" => env.input = Some(text_or_json(v, &ptr, "input", false)?),
                "seed" => {
                    env.seed = Some(v.as_u64().ok_or_else(|| {
                        shape(
                            &ptr,
                            format!("seed must be a non-negative whole number, found {v}"),
                        )
                    })?)
                }
                "context" => {
                    if !v.is_object() {
                        return Err(shape(
                            &ptr,
                            format!("context must be an object, found {}", kind_of(v)),
                        ));
                    }
                    let scenario = Scenario::from_json(&json!({ "context": v })).map_err(|e| {
                        EnvelopeError::Shape {
                            pointer: e.pointer,
                            message: e.message,
                        }
                    })?;
                    env.context = Some(scenario.context);
                }
                "outcomes" => env.outcomes = parse_outcomes(v)?,
                "cursor" => {
                    env.cursor = Some(
                        v.as_u64()
                            .and_then(|n| usize::try_from(n).ok())
                            .ok_or_else(|| {
                                shape(
                                    &ptr,
                                    format!(
                                        "cursor must be a non-negative whole number (an event index), found {v}"
                                    ),
                                )
                            })?,
                    )
                }
                "selected" => env.selected = Some(string(v, &ptr, "selected")?),
                "view" => env.view = View::from_json(v)?,
                _ => {
                    env.extra.insert(key.clone(), v.clone());
                }
            }
        }
        Ok(env)
    }

    /// The JSON form: the `"stepwise"` marker, then the fields that are set, then the kept
    /// unknown keys. Deterministic (fixed key order, sorted state names).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("stepwise", Value::from(FORMAT));
        if let Some(s) = &self.sample {
            out.insert("sample", Value::from(s.as_str()));
        }
        if let Some(d) = &self.definition {
            out.insert("definition", Value::from(d.as_str()));
        }
        if let Some(i) = &self.input {
            out.insert("input", Value::from(i.as_str()));
        }
        if let Some(s) = self.seed {
            out.insert("seed", Value::from(s));
        }
        if let Some(c) = &self.context {
            let scenario = Scenario {
                context: c.clone(),
                ..Scenario::default()
            };
            if let Some(ctx) = scenario.to_json().get("context") {
                out.insert("context", ctx.clone());
            }
        }
        if !self.outcomes.is_empty() {
            let mut outcomes = Map::new();
            for (state, list) in &self.outcomes {
                let items = list
                    .iter()
                    .map(|o| o.as_ref().map_or(Value::Null, PlannedOutcome::to_json))
                    .collect();
                outcomes.insert(state.clone(), Value::Array(items));
            }
            out.insert("outcomes", Value::Object(outcomes));
        }
        if let Some(c) = self.cursor {
            out.insert("cursor", Value::from(c));
        }
        if let Some(s) = &self.selected {
            out.insert("selected", Value::from(s.as_str()));
        }
        if !self.view.is_empty() {
            out.insert("view", self.view.to_json());
        }
        for (k, v) in &self.extra {
            if !KNOWN_KEYS.contains(&k.as_str()) {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }

    /// Compact JSON text (what a link carries).
    pub fn to_json_text(&self) -> String {
        self.to_json().to_string()
    }

    /// Pretty JSON text with a final newline (what a `.stepwise.json` file holds).
    pub fn to_file_text(&self) -> String {
        pretty(&self.to_json())
    }

    /// The definition text, if the envelope carries one.
    pub fn definition_text(&self) -> Option<&str> {
        self.definition.as_deref()
    }

    /// The input text, `{}` when absent (the page's and the CLI's default input).
    pub fn input_text(&self) -> &str {
        self.input.as_deref().unwrap_or("{}")
    }

    /// The engine scenario: seed, context and the injected outcomes (per invocation). Fails only
    /// when an invocation number does not fit the engine's `u32` counter.
    pub fn scenario(&self) -> Result<Scenario, EnvelopeError> {
        let mut scenario = Scenario {
            seed: self.seed.unwrap_or(0),
            context: self.context.clone().unwrap_or_default(),
            ..Scenario::default()
        };
        for (state, list) in &self.outcomes {
            for (n, planned) in list.iter().enumerate() {
                let Some(planned) = planned else { continue };
                let n = u32::try_from(n).map_err(|_| {
                    shape(
                        &format!("/outcomes/{}/{n}", pointer_token(state)),
                        "invocation numbers above 4294967295 are not supported".into(),
                    )
                })?;
                scenario
                    .tasks
                    .entry(state.clone())
                    .or_default()
                    .push(n, planned.clone());
            }
        }
        Ok(scenario)
    }

    /// Set the outcome of one invocation (growing the list with `null`s as needed).
    pub fn set_outcome(&mut self, state: &str, invocation: usize, outcome: Option<PlannedOutcome>) {
        let list = self.outcomes.entry(state.to_string()).or_default();
        if list.len() <= invocation {
            list.resize(invocation + 1, None);
        }
        if let Some(slot) = list.get_mut(invocation) {
            *slot = outcome;
        }
    }
}

/// The `view` keys this version knows.
const VIEW_KEYS: [&str; 4] = ["stepBy", "ask", "tab", "speed"];

/// The top-level keys this version knows (never taken from [`Envelope::extra`] when writing).
pub const KNOWN_KEYS: [&str; 10] = [
    "stepwise",
    "sample",
    "definition",
    "input",
    "seed",
    "context",
    "outcomes",
    "cursor",
    "selected",
    "view",
];

fn parse_outcomes(v: &Value) -> Result<VecMap<String, Vec<Option<PlannedOutcome>>>, EnvelopeError> {
    let Some(map) = v.as_object() else {
        return Err(shape(
            "/outcomes",
            format!(
                "outcomes must be an object of Task state name → list of outcomes, found {}",
                kind_of(v)
            ),
        ));
    };
    // Collected, then sorted once into the map (keys in file order could make one insert at a
    // time quadratic on a large hostile file).
    let mut out = Vec::new();
    for (state, list) in map {
        let ptr = format!("/outcomes/{}", pointer_token(state));
        let Some(items) = list.as_array() else {
            return Err(shape(
                &ptr,
                format!(
                    "the outcomes of '{state}' must be a list, one per invocation (null = the default), found {}",
                    kind_of(list)
                ),
            ));
        };
        let mut parsed = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                parsed.push(None);
                continue;
            }
            let planned = PlannedOutcome::from_json(item).map_err(|e| EnvelopeError::Shape {
                pointer: format!("{ptr}/{i}{}", e.pointer),
                message: e.message,
            })?;
            parsed.push(Some(planned));
        }
        out.push((state.to_string(), parsed));
    }
    Ok(out.into_iter().collect())
}

/// serde_json's message without its " at line L column C" suffix (we report those separately).
fn json_error_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full,
    }
}
