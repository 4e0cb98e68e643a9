//! From definition text (or a JSON value) to the typed model, with diagnostics.
//!
//! One pass over the JSON builds the model and checks every field against the ASL schema
//! (required, type, allowed per state type and per query language, ranges), reporting all
//! problems at once. A field whose value is wrong is reported once and then treated as
//! absent, so nothing downstream complains about it again (no knock-on noise). The graph
//! checks (targets, reachability, terminal states) run per `States` block on the names
//! actually written, so a state with a bad `Type` still counts as a valid target.

use crate::json::{Map, Value};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::span::{self, SpanIndex, child_pointer};
use crate::validate;
use crate::vecmap::VecMap;

/// Options for [`parse_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The state machine type the definition is created as (Express forbids activities,
    /// `.sync` and `.waitForTaskToken`).
    pub machine_type: MachineType,
}

/// The result of parsing and validating a definition.
#[derive(Debug, Clone, Serialize)]
pub struct Parsed {
    /// The model, when the definition has no error: ready to simulate (warnings allowed).
    pub machine: Option<StateMachine>,
    /// A best-effort model built even when there are errors (for drawing the graph of a
    /// definition being edited). States whose `Type` is unusable are left out; a missing
    /// `Next`/`End` reads as `End`. `None` only when the text is not JSON or not
    /// a JSON object.
    pub outline: Option<StateMachine>,
    /// Every problem found, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Source ranges by JSON pointer (empty for [`parse_value`]).
    pub spans: SpanIndex,
}

impl Parsed {
    /// Whether any diagnostic is an error (the definition would be rejected by AWS).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The warning diagnostics.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }
}

const START: crate::Position = crate::Position {
    line: 1,
    column: 1,
    offset: 0,
};

/// Parses and validates definition text (a `STANDARD` state machine).
pub fn parse(text: &str) -> Parsed {
    parse_with(text, &ParseOptions::default())
}

/// Parses and validates definition text with options.
pub fn parse_with(text: &str, options: &ParseOptions) -> Parsed {
    if text.trim().is_empty() {
        return Parsed {
            machine: None,
            outline: None,
            diagnostics: vec![Diagnostic {
                span: Some(crate::Span {
                    start: START,
                    end: START,
                }),
                // Recorded (ValidateStateMachineDefinition on ""): this code and text.
                ..Diagnostic::error(SVF, "Definition must be a valid JSON object", "/")
            }],
            spans: SpanIndex::default(),
        };
    }
    match span::scan(text) {
        Err(e) => {
            let mut d = Diagnostic::error(
                "INVALID_JSON_DESCRIPTION",
                format!(
                    "{} at line {} column {}",
                    e.message, e.position.line, e.position.column
                ),
                "/",
            );
            d.span = Some(crate::Span {
                start: e.position,
                end: e.position,
            });
            Parsed {
                machine: None,
                outline: None,
                diagnostics: vec![d],
                spans: SpanIndex::default(),
            }
        }
        Ok(scanned) => {
            let mut pre = Vec::new();
            for dup in &scanned.duplicates {
                let is_states = dup.parent == "/States" || dup.parent.ends_with("/States");
                let pointer = child_pointer(&dup.parent, &dup.key);
                let mut d = if is_states {
                    Diagnostic::error(
                        "DUPLICATE_STATE_NAME",
                        format!("Duplicate State name: {}", dup.key),
                        pointer,
                    )
                } else {
                    Diagnostic::error(
                        "SCHEMA_VALIDATION_FAILED",
                        format!("Duplicate field '{}'", dup.key),
                        pointer,
                    )
                };
                d.span = Some(dup.span);
                pre.push(d);
            }
            let mut parsed = build(&scanned.value, options, pre);
            for d in &mut parsed.diagnostics {
                if d.span.is_none() {
                    d.span = scanned.spans.locate(&d.pointer);
                }
            }
            crate::sort::sort_stable_by_key(&mut parsed.diagnostics, |d| {
                d.span.map(|s| s.start.offset).unwrap_or(0)
            });
            parsed.spans = scanned.spans;
            parsed
        }
    }
}

/// Parses and validates a definition given as a JSON value (e.g. from a conformance case).
pub fn parse_value(value: &Value) -> Parsed {
    parse_value_with(value, &ParseOptions::default())
}

/// [`parse_value`] with options.
pub fn parse_value_with(value: &Value, options: &ParseOptions) -> Parsed {
    build(value, options, Vec::new())
}

fn build(value: &Value, options: &ParseOptions, pre: Vec<Diagnostic>) -> Parsed {
    let mut b = Builder {
        diags: pre,
        options: *options,
        machine_ql: QueryLanguage::JsonPath,
        names: VecMap::new(),
    };
    let outline = b.machine(value);
    let has_errors = b.diags.iter().any(Diagnostic::is_error);
    Parsed {
        machine: if has_errors { None } else { outline.clone() },
        outline,
        diagnostics: b.diags,
        spans: SpanIndex::default(),
    }
}

pub(crate) const SVF: &str = "SCHEMA_VALIDATION_FAILED";

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];
const TASK: &[&str] = &[
    "Resource",
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Arguments",
    "Output",
    "Assign",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Retry",
    "Catch",
    "Next",
    "End",
];
const PASS: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "Result",
    "ResultPath",
    "Output",
    "Assign",
    "Next",
    "End",
];
const CHOICE: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Choices",
    "Default",
    "Output",
    "Assign",
];
const WAIT: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Output",
    "Assign",
    "Next",
    "End",
];
const SUCCEED: &[&str] = &["InputPath", "OutputPath", "Output"];
const FAIL: &[&str] = &["Error", "ErrorPath", "Cause", "CausePath"];
const PARALLEL: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Arguments",
    "Output",
    "Assign",
    "Branches",
    "Retry",
    "Catch",
    "Next",
    "End",
];
const MAP: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "Parameters",
    "ItemProcessor",
    "Iterator",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "Label",
    "ResultSelector",
    "ResultPath",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Next",
    "End",
];

/// Fields only meaningful with JSONPath.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
    "ErrorPath",
    "CausePath",
    "Result",
    "Iterator",
];
/// Fields only meaningful with JSONata.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

/// One `States` block's names and edges, for the graph checks.
struct BlockGraph {
    pointer: String,
    start_at: Option<(String, String)>,
    /// Raw state names in order, with the state pointer.
    names: Vec<(String, String)>,
    /// (from state, target, pointer of the field naming it).
    edges: Vec<(String, String, String)>,
    /// Whether some state ends the block (End, Succeed, Fail) — or could not be read.
    has_terminal: bool,
}

struct Builder {
    diags: Vec<Diagnostic>,
    options: ParseOptions,
    machine_ql: QueryLanguage,
    /// Every state name in the machine → the pointer of its first definition.
    names: VecMap<String, String>,
}

impl Builder {
    fn err(&mut self, code: &str, message: impl Into<String>, pointer: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, message, pointer));
    }

    fn warn(&mut self, code: &str, message: impl Into<String>, pointer: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, message, pointer));
    }

    fn missing(&mut self, field: &str, pointer: &str) {
        self.err(
            SVF,
            format!("The field '{field}' is required but was missing"),
            display_pointer(pointer),
        );
    }

    fn wrong_type(&mut self, field: &str, want: &str, pointer: &str) {
        self.err(
            SVF,
            format!("The value for the field '{field}' must be a {want}"),
            pointer,
        );
    }

    fn unsupported(&mut self, what: impl Into<String>, pointer: impl Into<String>) {
        self.warn("UNSUPPORTED_FEATURE", what, pointer);
    }

    // ---- typed field readers: report a wrong type once, then read as absent ----

    fn string(&mut self, m: &Map, field: &str, ptr: &str) -> Option<String> {
        match m.get(field)? {
            Value::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(field, "STRING", &child_pointer(ptr, field));
                None
            }
        }
    }

    fn object<'v>(&mut self, m: &'v Map, field: &str, ptr: &str) -> Option<&'v Map> {
        match m.get(field)? {
            Value::Object(o) => Some(o),
            _ => {
                self.wrong_type(field, "OBJECT", &child_pointer(ptr, field));
                None
            }
        }
    }

    fn array<'v>(&mut self, m: &'v Map, field: &str, ptr: &str) -> Option<&'v [Value]> {
        match m.get(field)? {
            Value::Array(a) => Some(a),
            _ => {
                self.wrong_type(field, "ARRAY", &child_pointer(ptr, field));
                None
            }
        }
    }

    /// A non-negative integer in `[min, max]`.
    fn integer(&mut self, m: &Map, field: &str, ptr: &str, min: u64, max: u64) -> Option<u64> {
        let v = m.get(field)?;
        let p = child_pointer(ptr, field);
        let n = match v {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            }),
            _ => None,
        };
        match n {
            Some(n) if n >= min && n <= max => Some(n),
            Some(_) | None if matches!(v, Value::Number(_)) => {
                self.err(
                    SVF,
                    format!("The value for the field '{field}' must be an INTEGER between {min} and {max}"),
                    p,
                );
                None
            }
            _ => {
                self.wrong_type(field, "INTEGER", &p);
                None
            }
        }
    }

    /// An integer field that may also be a JSONata expression in JSONata mode, with its
    /// `…Path` companion in JSONPath mode.
    #[allow(clippy::too_many_arguments)]
    fn int_setting(
        &mut self,
        m: &Map,
        field: &str,
        path_field: Option<&str>,
        ptr: &str,
        ql: QueryLanguage,
        min: u64,
        max: u64,
    ) -> Option<Setting<u64>> {
        let lit = m.get(field);
        let path = path_field.and_then(|pf| m.get(pf).map(|v| (pf, v)));
        if let (Some(_), Some((pf, _))) = (lit, path) {
            self.err(
                SVF,
                format!("The fields '{field}' and '{pf}' are mutually exclusive"),
                child_pointer(ptr, pf),
            );
            return None;
        }
        if let Some(v) = lit {
            if ql == QueryLanguage::Jsonata
                && let Value::String(s) = v
            {
                return self.jsonata_string(s, field, &child_pointer(ptr, field));
            }
            return self.integer(m, field, ptr, min, max).map(Setting::Literal);
        }
        if let Some((pf, _)) = path {
            let s = self.string(m, pf, ptr)?;
            let p = child_pointer(ptr, pf);
            if validate::check_reference_path(&mut self.diags, &s, pf, &p) {
                return Some(Setting::Path(s));
            }
        }
        None
    }

    fn jsonata_string<T>(&mut self, s: &str, field: &str, pointer: &str) -> Option<Setting<T>> {
        if validate::is_jsonata_expression(s) {
            Some(Setting::Expression(s.to_string()))
        } else {
            self.err(
                SVF,
                format!("The value for the field '{field}' must be a valid JSONata expression"),
                pointer,
            );
            None
        }
    }

    /// A `PathField` (`InputPath`, `OutputPath`, `ResultPath`, `ItemsPath`).
    fn path_field(&mut self, m: &Map, field: &str, ptr: &str, reference: bool) -> PathField {
        let p = child_pointer(ptr, field);
        match m.get(field) {
            None => PathField::Absent,
            Some(Value::Null) => PathField::Null,
            Some(Value::String(s)) => {
                let ok = if reference {
                    validate::check_reference_path(&mut self.diags, s, field, &p)
                } else {
                    validate::check_path(&mut self.diags, s, field, &p)
                };
                if ok {
                    PathField::Path(s.to_string())
                } else {
                    PathField::Absent
                }
            }
            Some(_) => {
                self.wrong_type(field, "STRING", &p);
                PathField::Absent
            }
        }
    }

    fn comment(&mut self, m: &Map, ptr: &str) -> Option<String> {
        self.string(m, "Comment", ptr)
    }

    fn query_language(&mut self, m: &Map, ptr: &str) -> Option<QueryLanguage> {
        let s = self.string(m, "QueryLanguage", ptr)?;
        match s.as_str() {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => {
                self.err(
                    SVF,
                    format!("The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata] but was '{s}'"),
                    child_pointer(ptr, "QueryLanguage"),
                );
                None
            }
        }
    }

    // ---- the machine ----

    fn machine(&mut self, value: &Value) -> Option<StateMachine> {
        let Value::Object(m) = value else {
            self.err(SVF, "Definition must be a valid JSON object", "/");
            return None;
        };
        let ptr = "";
        for key in m.keys() {
            if ![
                "Comment",
                "StartAt",
                "States",
                "TimeoutSeconds",
                "Version",
                "QueryLanguage",
            ]
            .contains(&key.as_str())
            {
                self.not_supported(key, &child_pointer(ptr, key));
            }
        }
        let required: Vec<&str> = ["States", "StartAt"]
            .into_iter()
            .filter(|f| !m.contains_key(f))
            .collect();
        if !required.is_empty() {
            self.err(
                SVF,
                format!("These fields are required: [{}]", required.join(", ")),
                "/",
            );
        }
        let comment = self.comment(m, ptr);
        let version = self.string(m, "Version", ptr);
        let timeout_seconds = self.integer(m, "TimeoutSeconds", ptr, 1, 99_999_999);
        if let Some(ql) = self.query_language(m, ptr) {
            self.machine_ql = ql;
            if ql == QueryLanguage::Jsonata {
                self.unsupported(
                    "JSONata is validated but not simulated yet: executions of JSONata states are not run",
                    "/QueryLanguage",
                );
            }
        }
        let block = self.block_body(m, ptr);
        Some(StateMachine {
            comment,
            start_at: block.start_at,
            states: block.states,
            timeout_seconds,
            version,
            query_language: self.machine_ql,
        })
    }

    fn not_supported(&mut self, field: &str, pointer: &str) {
        self.err(
            SVF,
            format!("The field \"{field}\" is not supported by Step Functions"),
            pointer,
        );
    }

    /// `{StartAt, States}` of the machine, a branch or an item processor. Reads and checks
    /// the states, then the block's graph.
    fn block_body(&mut self, m: &Map, ptr: &str) -> Block {
        let start_at_ptr = child_pointer(ptr, "StartAt");
        let start_at = self.string(m, "StartAt", ptr);
        let states_ptr = child_pointer(ptr, "States");
        let states_obj = match m.get("States") {
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                self.wrong_type("States", "OBJECT", &states_ptr);
                None
            }
            None => None,
        };
        let mut graph = BlockGraph {
            pointer: states_ptr.clone(),
            start_at: start_at.clone().map(|s| (s, start_at_ptr)),
            names: Vec::new(),
            edges: Vec::new(),
            has_terminal: false,
        };
        let mut states = States::new();
        if let Some(obj) = states_obj {
            if obj.is_empty() {
                self.err(
                    SVF,
                    "The field 'States' should be non-empty",
                    states_ptr.clone(),
                );
                graph.has_terminal = true;
            }
            for (name, sv) in obj {
                let sp = child_pointer(&states_ptr, name);
                graph.names.push((name.to_string(), sp.clone()));
                validate::check_state_name(&mut self.diags, name, &sp);
                if let Some(first) = self.names.get(name.as_str()) {
                    if first != &sp {
                        self.err(
                            "DUPLICATE_STATE_NAME",
                            format!("Duplicate State name: {name}"),
                            sp.clone(),
                        );
                    }
                } else {
                    self.names.insert(name.to_string(), sp.clone());
                }
                match self.state(name, sv, &sp, &mut graph) {
                    Some(st) => states.push(st),
                    // Unreadable state: do not also report a missing terminal state.
                    None => graph.has_terminal = true,
                }
            }
        } else {
            graph.has_terminal = true;
        }
        if states_obj.is_some() {
            validate::check_graph(
                &mut self.diags,
                &graph.pointer,
                graph.start_at.as_ref(),
                &graph.names,
                &graph.edges,
                graph.has_terminal,
            );
        }
        Block {
            pointer: ptr.to_string(),
            comment: None,
            start_at: start_at.unwrap_or_default(),
            states,
        }
    }

    fn nested_block(
        &mut self,
        v: &Value,
        ptr: &str,
        field: &str,
        allow_config: bool,
    ) -> Option<(Block, Option<&'static str>, Option<String>)> {
        let Value::Object(m) = v else {
            self.wrong_type(field, "OBJECT", ptr);
            return None;
        };
        for key in m.keys() {
            let ok = matches!(key.as_str(), "StartAt" | "States" | "Comment")
                || (allow_config && key == "ProcessorConfig");
            if !ok {
                self.not_supported(key, &child_pointer(ptr, key));
            }
        }
        let missing: Vec<&str> = ["StartAt", "States"]
            .into_iter()
            .filter(|f| !m.contains_key(f))
            .collect();
        for f in missing {
            self.missing(f, ptr);
        }
        let comment = self.comment(m, ptr);
        let mut mode = None;
        let mut execution_type = None;
        if allow_config && let Some(cfg) = self.object(m, "ProcessorConfig", ptr) {
            let cp = child_pointer(ptr, "ProcessorConfig");
            for key in cfg.keys() {
                if !matches!(key.as_str(), "Mode" | "ExecutionType") {
                    self.not_supported(key, &child_pointer(&cp, key));
                }
            }
            if let Some(md) = self.string(cfg, "Mode", &cp) {
                match md.as_str() {
                    "INLINE" => mode = Some("INLINE"),
                    "DISTRIBUTED" => mode = Some("DISTRIBUTED"),
                    _ => self.err(
                        SVF,
                        format!("The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED] but was '{md}'"),
                        child_pointer(&cp, "Mode"),
                    ),
                }
            }
            if let Some(et) = self.string(cfg, "ExecutionType", &cp) {
                if et == "STANDARD" || et == "EXPRESS" {
                    execution_type = Some(et);
                } else {
                    self.err(
                        SVF,
                        format!("The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS] but was '{et}'"),
                        child_pointer(&cp, "ExecutionType"),
                    );
                }
            }
        }
        let mut block = self.block_body(m, ptr);
        block.comment = comment;
        Some((block, mode, execution_type))
    }

    // ---- states ----

    fn state(&mut self, name: &str, v: &Value, ptr: &str, graph: &mut BlockGraph) -> Option<State> {
        let Value::Object(m) = v else {
            self.wrong_type(name, "OBJECT", ptr);
            return None;
        };
        let Some(ty) = m.get("Type") else {
            self.missing("Type", ptr);
            return None;
        };
        let Value::String(ty) = ty else {
            self.wrong_type("Type", "STRING", &child_pointer(ptr, "Type"));
            return None;
        };
        let allowed = match ty.as_str() {
            "Task" => TASK,
            "Pass" => PASS,
            "Choice" => CHOICE,
            "Wait" => WAIT,
            "Succeed" => SUCCEED,
            "Fail" => FAIL,
            "Parallel" => PARALLEL,
            "Map" => MAP,
            _ => {
                self.err(
                    SVF,
                    "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
                    child_pointer(ptr, "Type"),
                );
                return None;
            }
        };
        let explicit_ql = self.query_language(m, ptr);
        if explicit_ql == Some(QueryLanguage::JsonPath) && self.machine_ql == QueryLanguage::Jsonata
        {
            self.err(
                SVF,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                ptr,
            );
        }
        let ql = explicit_ql.unwrap_or(self.machine_ql);
        if explicit_ql == Some(QueryLanguage::Jsonata) && self.machine_ql != QueryLanguage::Jsonata
        {
            self.unsupported(
                format!("JSONata is validated but not simulated yet: state '{name}' will not run"),
                child_pointer(ptr, "QueryLanguage"),
            );
        }
        // Field applicability: type first, then query language.
        let mut skip: Vec<&str> = Vec::new();
        for key in m.keys() {
            let k = key.as_str();
            if COMMON.contains(&k) {
                continue;
            }
            if !allowed.contains(&k) {
                self.not_supported(k, &child_pointer(ptr, k));
                skip.push(k);
            } else if ql == QueryLanguage::Jsonata && JSONPATH_ONLY.contains(&k) {
                self.err(
                    SVF,
                    format!("The field '{k}' is not supported when the QueryLanguage is JSONata"),
                    child_pointer(ptr, k),
                );
                skip.push(k);
            } else if ql == QueryLanguage::JsonPath && JSONATA_ONLY.contains(&k) {
                self.err(
                    SVF,
                    format!("The field '{k}' is only supported when the QueryLanguage is JSONata"),
                    child_pointer(ptr, k),
                );
                skip.push(k);
            }
        }
        // A filtered view of the fields: rejected ones read as absent.
        let owned;
        let m = if skip.is_empty() {
            m
        } else {
            owned = m
                .iter()
                .filter(|(k, _)| !skip.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map>();
            &owned
        };

        let comment = self.comment(m, ptr);
        let input_path = self.path_field(m, "InputPath", ptr, false);
        let output_path = self.path_field(m, "OutputPath", ptr, false);
        let result_path = self.path_field(m, "ResultPath", ptr, true);
        if let PathField::Path(p) = &result_path
            && (p.starts_with("$$")
                || (p.starts_with('$') && !p.starts_with("$.") && !p.starts_with("$[") && p != "$"))
        {
            self.err(
                SVF,
                "The value for the field 'ResultPath' must be a valid ReferencePath into the state input (not a context object or variable path)",
                child_pointer(ptr, "ResultPath"),
            );
        }
        let parameters = self.template(m, "Parameters", ptr, ql);
        let result_selector = self.template(m, "ResultSelector", ptr, ql);
        let arguments = self.jsonata_value(m, "Arguments", ptr);
        let output = self.jsonata_value(m, "Output", ptr);
        let assign = self.assign(m, ptr, ql);
        let retry = self.retriers(m, ptr);
        let catch = self.catchers(m, ptr, ql, name, graph);

        let kind = match ty.as_str() {
            "Task" => {
                let transition = self.transition(m, ptr, name, graph);
                StateKind::Task(self.task(m, ptr, ql, transition))
            }
            "Pass" => {
                let transition = self.transition(m, ptr, name, graph);
                let result = m.get("Result").cloned();
                if let Some(r) = &result {
                    validate::check_pass_result(&mut self.diags, r, &child_pointer(ptr, "Result"));
                }
                StateKind::Pass(PassState { result, transition })
            }
            "Choice" => StateKind::Choice(self.choice(m, ptr, ql, name, graph)),
            "Wait" => {
                let transition = self.transition(m, ptr, name, graph);
                let wait = self.wait(m, ptr, ql)?;
                StateKind::Wait(WaitState { wait, transition })
            }
            "Succeed" => {
                graph.has_terminal = true;
                StateKind::Succeed
            }
            "Fail" => {
                graph.has_terminal = true;
                StateKind::Fail(self.fail(m, ptr, ql))
            }
            "Parallel" => {
                let transition = self.transition(m, ptr, name, graph);
                let mut branches = Vec::new();
                match self.array(m, "Branches", ptr) {
                    None if !m.contains_key("Branches") => self.missing("Branches", ptr),
                    None => {}
                    Some([]) => self.err(
                        SVF,
                        "The field 'Branches' should be non-empty",
                        child_pointer(ptr, "Branches"),
                    ),
                    Some(list) => {
                        let bp = child_pointer(ptr, "Branches");
                        for (i, bv) in list.iter().enumerate() {
                            let p = child_pointer(&bp, &i.to_string());
                            if let Some((block, _, _)) =
                                self.nested_block(bv, &p, "Branches", false)
                            {
                                branches.push(block);
                            }
                        }
                    }
                }
                StateKind::Parallel(ParallelState {
                    branches,
                    transition,
                })
            }
            "Map" => {
                let transition = self.transition(m, ptr, name, graph);
                StateKind::Map(self.map(m, ptr, ql, transition)?)
            }
            _ => return None,
        };
        if let Some(Transition::End) = kind_transition(&kind) {
            graph.has_terminal = true;
        }
        Some(State {
            name: name.to_string(),
            pointer: ptr.to_string(),
            comment,
            query_language: ql,
            query_language_explicit: explicit_ql,
            input_path,
            output_path,
            result_path,
            parameters,
            result_selector,
            arguments,
            output,
            assign,
            retry,
            catch,
            kind,
        })
    }

    fn transition(&mut self, m: &Map, ptr: &str, name: &str, graph: &mut BlockGraph) -> Transition {
        let next = self.string(m, "Next", ptr);
        let end = match m.get("End") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.wrong_type("End", "BOOLEAN", &child_pointer(ptr, "End"));
                Some(true)
            }
        };
        match (next, end) {
            (Some(_), Some(true)) => {
                self.err(
                    SVF,
                    "The fields 'Next' and 'End' are mutually exclusive",
                    child_pointer(ptr, "End"),
                );
                Transition::End
            }
            (Some(n), _) => {
                graph
                    .edges
                    .push((name.to_string(), n.clone(), child_pointer(ptr, "Next")));
                Transition::Next(n)
            }
            (None, Some(true)) => Transition::End,
            (None, _) => {
                if !(m.contains_key("Next")) {
                    self.err(
                        SVF,
                        "Exactly one of the fields 'Next' or 'End' (true) is required",
                        ptr,
                    );
                }
                // Reported; read as End so no "no terminal state" follows.
                Transition::End
            }
        }
    }

    fn jsonata_value(&mut self, m: &Map, field: &str, ptr: &str) -> Option<Value> {
        let v = m.get(field)?;
        validate::check_jsonata_value(&mut self.diags, v, field, &child_pointer(ptr, field));
        Some(v.clone())
    }

    /// `Parameters`/`ResultSelector`/`ItemSelector` payload templates.
    fn template(&mut self, m: &Map, field: &str, ptr: &str, ql: QueryLanguage) -> Option<Value> {
        let v = m.get(field)?;
        let p = child_pointer(ptr, field);
        if ql == QueryLanguage::Jsonata {
            validate::check_jsonata_value(&mut self.diags, v, field, &p);
            return Some(v.clone());
        }
        if !v.is_object() {
            self.wrong_type(field, "OBJECT", &p);
            return None;
        }
        if validate::check_template(&mut self.diags, v, &p) {
            Some(v.clone())
        } else {
            None
        }
    }

    fn assign(&mut self, m: &Map, ptr: &str, ql: QueryLanguage) -> Option<Value> {
        let v = m.get("Assign")?;
        let p = child_pointer(ptr, "Assign");
        if validate::check_assign(&mut self.diags, v, &p, ql) {
            Some(v.clone())
        } else {
            None
        }
    }

    fn error_equals(&mut self, m: &Map, ptr: &str) -> Vec<String> {
        let p = child_pointer(ptr, "ErrorEquals");
        match m.get("ErrorEquals") {
            None => {
                self.missing("ErrorEquals", ptr);
                Vec::new()
            }
            Some(Value::Array(a)) if !a.is_empty() => {
                let mut out = Vec::new();
                for (i, e) in a.iter().enumerate() {
                    match e {
                        Value::String(s) => out.push(s.to_string()),
                        _ => self.wrong_type(
                            "ErrorEquals",
                            "STRING",
                            &child_pointer(&p, &i.to_string()),
                        ),
                    }
                }
                if out.iter().any(|e| e == "States.ALL") && a.len() > 1 {
                    self.err(
                        SVF,
                        "'States.ALL' must appear alone in the 'ErrorEquals' array",
                        p,
                    );
                }
                out
            }
            Some(Value::Array(_)) => {
                self.err(SVF, "The field 'ErrorEquals' should be non-empty", p);
                Vec::new()
            }
            Some(_) => {
                self.wrong_type("ErrorEquals", "ARRAY", &p);
                Vec::new()
            }
        }
    }

    fn retriers(&mut self, m: &Map, ptr: &str) -> Vec<Retrier> {
        let Some(list) = self.array(m, "Retry", ptr) else {
            return Vec::new();
        };
        let rp = child_pointer(ptr, "Retry");
        let mut out = Vec::new();
        let count = list.len();
        for (i, rv) in list.iter().enumerate() {
            let p = child_pointer(&rp, &i.to_string());
            let Value::Object(r) = rv else {
                self.wrong_type("Retry", "OBJECT", &p);
                continue;
            };
            for key in r.keys() {
                if !matches!(
                    key.as_str(),
                    "ErrorEquals"
                        | "IntervalSeconds"
                        | "MaxAttempts"
                        | "BackoffRate"
                        | "MaxDelaySeconds"
                        | "JitterStrategy"
                        | "Comment"
                ) {
                    self.not_supported(key, &child_pointer(&p, key));
                }
            }
            let error_equals = self.error_equals(r, &p);
            if error_equals.iter().any(|e| e == "States.ALL") && i + 1 != count {
                self.err(
                    SVF,
                    "A Retrier with 'States.ALL' must be the last one in 'Retry'",
                    child_pointer(&p, "ErrorEquals"),
                );
            }
            let interval_seconds = self
                .integer(r, "IntervalSeconds", &p, 1, 99_999_999)
                .unwrap_or(Retrier::DEFAULT_INTERVAL_SECONDS);
            let max_attempts = self
                .integer(r, "MaxAttempts", &p, 0, 99_999_999)
                .unwrap_or(Retrier::DEFAULT_MAX_ATTEMPTS);
            let backoff_rate = match r.get("BackoffRate") {
                None => Retrier::DEFAULT_BACKOFF_RATE,
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(f) if f >= 1.0 => f,
                    _ => {
                        self.err(
                            SVF,
                            "The value for the field 'BackoffRate' must be a NUMBER greater than or equal to 1.0",
                            child_pointer(&p, "BackoffRate"),
                        );
                        Retrier::DEFAULT_BACKOFF_RATE
                    }
                },
                Some(_) => {
                    self.wrong_type("BackoffRate", "NUMBER", &child_pointer(&p, "BackoffRate"));
                    Retrier::DEFAULT_BACKOFF_RATE
                }
            };
            let max_delay_seconds = self.integer(r, "MaxDelaySeconds", &p, 1, 31_622_400);
            let jitter = match self.string(r, "JitterStrategy", &p).as_deref() {
                None | Some("NONE") => Jitter::None,
                Some("FULL") => Jitter::Full,
                Some(other) => {
                    self.err(
                        SVF,
                        format!("The value for the field 'JitterStrategy' must be one of [FULL, NONE] but was '{other}'"),
                        child_pointer(&p, "JitterStrategy"),
                    );
                    Jitter::None
                }
            };
            let comment = self.comment(r, &p);
            out.push(Retrier {
                pointer: p,
                error_equals,
                interval_seconds,
                max_attempts,
                backoff_rate,
                max_delay_seconds,
                jitter,
                comment,
            });
        }
        out
    }

    fn catchers(
        &mut self,
        m: &Map,
        ptr: &str,
        ql: QueryLanguage,
        name: &str,
        graph: &mut BlockGraph,
    ) -> Vec<Catcher> {
        let Some(list) = self.array(m, "Catch", ptr) else {
            return Vec::new();
        };
        let cp = child_pointer(ptr, "Catch");
        let mut out = Vec::new();
        let count = list.len();
        for (i, cv) in list.iter().enumerate() {
            let p = child_pointer(&cp, &i.to_string());
            let Value::Object(c) = cv else {
                self.wrong_type("Catch", "OBJECT", &p);
                continue;
            };
            for key in c.keys() {
                let k = key.as_str();
                let known = matches!(
                    k,
                    "ErrorEquals" | "Next" | "ResultPath" | "Output" | "Assign" | "Comment"
                );
                if !known {
                    self.not_supported(k, &child_pointer(&p, k));
                } else if k == "ResultPath" && ql == QueryLanguage::Jsonata {
                    self.err(
                        SVF,
                        "The field 'ResultPath' is not supported when the QueryLanguage is JSONata",
                        child_pointer(&p, k),
                    );
                } else if k == "Output" && ql == QueryLanguage::JsonPath {
                    self.err(
                        SVF,
                        "The field 'Output' is only supported when the QueryLanguage is JSONata",
                        child_pointer(&p, k),
                    );
                }
            }
            let error_equals = self.error_equals(c, &p);
            if error_equals.iter().any(|e| e == "States.ALL") && i + 1 != count {
                self.err(
                    SVF,
                    "A Catcher with 'States.ALL' must be the last one in 'Catch'",
                    child_pointer(&p, "ErrorEquals"),
                );
            }
            let next = match self.string(c, "Next", &p) {
                Some(n) => {
                    graph
                        .edges
                        .push((name.to_string(), n.clone(), child_pointer(&p, "Next")));
                    n
                }
                None => {
                    if !c.contains_key("Next") {
                        self.missing("Next", &p);
                    }
                    String::new()
                }
            };
            let result_path = if ql == QueryLanguage::JsonPath {
                self.path_field(c, "ResultPath", &p, true)
            } else {
                PathField::Absent
            };
            let output = if ql == QueryLanguage::Jsonata {
                self.jsonata_value(c, "Output", &p)
            } else {
                None
            };
            let assign = self.assign(c, &p, ql);
            let comment = self.comment(c, &p);
            out.push(Catcher {
                pointer: p,
                error_equals,
                next,
                result_path,
                assign,
                output,
                comment,
            });
        }
        out
    }

    fn task(&mut self, m: &Map, ptr: &str, ql: QueryLanguage, transition: Transition) -> TaskState {
        let resource = match self.string(m, "Resource", ptr) {
            Some(r) => {
                validate::check_resource(
                    &mut self.diags,
                    &r,
                    &child_pointer(ptr, "Resource"),
                    self.options.machine_type,
                );
                r
            }
            None => {
                if !m.contains_key("Resource") {
                    self.missing("Resource", ptr);
                }
                String::new()
            }
        };
        let timeout_seconds = self.int_setting(
            m,
            "TimeoutSeconds",
            Some("TimeoutSecondsPath"),
            ptr,
            ql,
            1,
            99_999_999,
        );
        let heartbeat_seconds = self.int_setting(
            m,
            "HeartbeatSeconds",
            Some("HeartbeatSecondsPath"),
            ptr,
            ql,
            1,
            99_999_999,
        );
        if let (Some(Setting::Literal(t)), Some(Setting::Literal(h))) =
            (&timeout_seconds, &heartbeat_seconds)
            && h >= t
        {
            self.err(
                SVF,
                "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'",
                child_pointer(ptr, "HeartbeatSeconds"),
            );
        }
        let credentials = match m.get("Credentials") {
            None => None,
            Some(v) => {
                let p = child_pointer(ptr, "Credentials");
                if validate::check_credentials(&mut self.diags, v, &p, ql) {
                    Some(v.clone())
                } else {
                    None
                }
            }
        };
        TaskState {
            resource,
            timeout_seconds,
            heartbeat_seconds,
            credentials,
            transition,
        }
    }

    fn wait(&mut self, m: &Map, ptr: &str, ql: QueryLanguage) -> Option<WaitFor> {
        let present: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
            .into_iter()
            .filter(|f| m.contains_key(f))
            .collect();
        match present.as_slice() {
            [] => {
                self.err(
                    SVF,
                    "Exactly one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] is required",
                    ptr,
                );
                None
            }
            [one] => {
                let p = child_pointer(ptr, one);
                match *one {
                    "Seconds" => {
                        if ql == QueryLanguage::Jsonata
                            && let Some(Value::String(s)) = m.get("Seconds")
                        {
                            return self.jsonata_string(s, "Seconds", &p).map(WaitFor::Seconds);
                        }
                        self.integer(m, "Seconds", ptr, 0, 99_999_999)
                            .map(|s| WaitFor::Seconds(Setting::Literal(s)))
                    }
                    "SecondsPath" => {
                        let s = self.string(m, "SecondsPath", ptr)?;
                        validate::check_reference_path(&mut self.diags, &s, "SecondsPath", &p)
                            .then_some(WaitFor::Seconds(Setting::Path(s)))
                    }
                    "Timestamp" => {
                        let s = self.string(m, "Timestamp", ptr)?;
                        if ql == QueryLanguage::Jsonata && validate::is_jsonata_expression(&s) {
                            return Some(WaitFor::Timestamp(Setting::Expression(s)));
                        }
                        if validate::is_timestamp(&s) {
                            Some(WaitFor::Timestamp(Setting::Literal(s)))
                        } else {
                            self.err(
                                SVF,
                                "The value for the field 'Timestamp' must be a valid ISO-8601 extended offset date-time format string",
                                p,
                            );
                            None
                        }
                    }
                    _ => {
                        let s = self.string(m, "TimestampPath", ptr)?;
                        validate::check_reference_path(&mut self.diags, &s, "TimestampPath", &p)
                            .then_some(WaitFor::Timestamp(Setting::Path(s)))
                    }
                }
            }
            [_, second, ..] => {
                self.err(
                    SVF,
                    format!(
                        "Only one of the fields [{}] can be specified",
                        present.join(", ")
                    ),
                    child_pointer(ptr, second),
                );
                None
            }
        }
    }

    fn fail(&mut self, m: &Map, ptr: &str, ql: QueryLanguage) -> FailState {
        FailState {
            error: self.fail_field(m, "Error", "ErrorPath", ptr, ql),
            cause: self.fail_field(m, "Cause", "CausePath", ptr, ql),
        }
    }

    fn fail_field(
        &mut self,
        m: &Map,
        field: &str,
        path_field: &str,
        ptr: &str,
        ql: QueryLanguage,
    ) -> Option<Setting<String>> {
        if m.contains_key(field) && m.contains_key(path_field) {
            self.err(
                SVF,
                format!("The fields '{field}' and '{path_field}' are mutually exclusive"),
                child_pointer(ptr, path_field),
            );
            return None;
        }
        if let Some(s) = self.string(m, field, ptr) {
            let p = child_pointer(ptr, field);
            if ql == QueryLanguage::Jsonata && validate::is_jsonata_expression(&s) {
                return Some(Setting::Expression(s));
            }
            if ql == QueryLanguage::JsonPath && validate::looks_like_path(&s) {
                self.warn(
                    "NO_PATH",
                    format!("The value for the field '{field}' looks like a path; use '{path_field}' to read it from the input"),
                    p,
                );
            }
            return Some(Setting::Literal(s));
        }
        let s = self.string(m, path_field, ptr)?;
        let p = child_pointer(ptr, path_field);
        let ok = if s.starts_with("States.") {
            validate::check_intrinsic(&mut self.diags, &s, path_field, &p)
        } else {
            validate::check_reference_path(&mut self.diags, &s, path_field, &p)
        };
        ok.then_some(Setting::Path(s))
    }

    fn choice(
        &mut self,
        m: &Map,
        ptr: &str,
        ql: QueryLanguage,
        name: &str,
        graph: &mut BlockGraph,
    ) -> ChoiceState {
        let mut choices = Vec::new();
        match self.array(m, "Choices", ptr) {
            None if !m.contains_key("Choices") => self.missing("Choices", ptr),
            None => {}
            Some([]) => self.err(
                SVF,
                "The field 'Choices' should be non-empty",
                child_pointer(ptr, "Choices"),
            ),
            Some(list) => {
                let cp = child_pointer(ptr, "Choices");
                for (i, cv) in list.iter().enumerate() {
                    let p = child_pointer(&cp, &i.to_string());
                    if let Some(b) = self.choice_branch(cv, &p, ql, name, graph) {
                        choices.push(b);
                    }
                }
            }
        }
        let default = self.string(m, "Default", ptr);
        if let Some(d) = &default {
            graph
                .edges
                .push((name.to_string(), d.clone(), child_pointer(ptr, "Default")));
        }
        ChoiceState { choices, default }
    }

    fn choice_branch(
        &mut self,
        v: &Value,
        ptr: &str,
        ql: QueryLanguage,
        name: &str,
        graph: &mut BlockGraph,
    ) -> Option<ChoiceBranch> {
        let Value::Object(m) = v else {
            self.wrong_type("Choices", "OBJECT", ptr);
            return None;
        };
        let next = match self.string(m, "Next", ptr) {
            Some(n) => {
                graph
                    .edges
                    .push((name.to_string(), n.clone(), child_pointer(ptr, "Next")));
                Some(n)
            }
            None => {
                if !m.contains_key("Next") {
                    self.missing("Next", ptr);
                }
                None
            }
        };
        let assign = self.assign(m, ptr, ql);
        let output = if ql == QueryLanguage::Jsonata {
            self.jsonata_value(m, "Output", ptr)
        } else {
            if m.contains_key("Output") {
                self.err(
                    SVF,
                    "The field 'Output' is only supported when the QueryLanguage is JSONata",
                    child_pointer(ptr, "Output"),
                );
            }
            None
        };
        let comment = self.comment(m, ptr);
        let rule = self.rule(m, ptr, ql, true)?;
        Some(ChoiceBranch {
            pointer: ptr.to_string(),
            rule,
            next: next?,
            assign,
            output,
            comment,
        })
    }

    fn rule(&mut self, m: &Map, ptr: &str, ql: QueryLanguage, top: bool) -> Option<ChoiceRule> {
        let extra: &[&str] = if top {
            &["Next", "Assign", "Output", "Comment"]
        } else {
            &["Comment"]
        };
        if ql == QueryLanguage::Jsonata {
            for key in m.keys() {
                if key != "Condition" && !extra.contains(&key.as_str()) {
                    self.not_supported(key, &child_pointer(ptr, key));
                }
            }
            let Some(c) = m.get("Condition") else {
                self.missing("Condition", ptr);
                return None;
            };
            let p = child_pointer(ptr, "Condition");
            return match c {
                Value::Bool(_) => Some(ChoiceRule::Condition(c.clone())),
                Value::String(s) if validate::is_jsonata_expression(s) => {
                    Some(ChoiceRule::Condition(c.clone()))
                }
                _ => {
                    self.err(
                        SVF,
                        "The value for the field 'Condition' must be a BOOLEAN or a JSONata expression",
                        p,
                    );
                    None
                }
            };
        }
        // JSONPath: exactly one of And / Or / Not / Variable+operator.
        let mut ops: Vec<(&str, ComparisonOp, bool)> = Vec::new();
        let mut combinators: Vec<&str> = Vec::new();
        for key in m.keys() {
            let k = key.as_str();
            if extra.contains(&k) || k == "Variable" {
                continue;
            }
            if matches!(k, "And" | "Or" | "Not") {
                combinators.push(k);
            } else if let Some((op, is_path)) = ComparisonOp::from_field(k) {
                ops.push((k, op, is_path));
            } else {
                self.not_supported(k, &child_pointer(ptr, k));
            }
        }
        let has_var = m.contains_key("Variable");
        if combinators.len() + ops.len() != 1 || (has_var && !combinators.is_empty()) {
            if combinators.is_empty() && ops.is_empty() {
                self.err(
                    SVF,
                    "A Choice Rule must contain exactly one of [And, Or, Not] or a 'Variable' with one comparison operator",
                    ptr,
                );
            } else {
                let mut all: Vec<&str> = combinators.clone();
                all.extend(ops.iter().map(|o| o.0));
                self.err(
                    SVF,
                    format!("A Choice Rule must contain exactly one comparison operator or combinator, found [{}]", all.join(", ")),
                    ptr,
                );
            }
            return None;
        }
        if let Some(&comb) = combinators.first() {
            let p = child_pointer(ptr, comb);
            return match (comb, m.get(comb)) {
                ("Not", Some(Value::Object(inner))) => {
                    let r = self.rule(inner, &p, ql, false)?;
                    Some(ChoiceRule::Not(Box::new(r)))
                }
                ("Not", _) => {
                    self.wrong_type("Not", "OBJECT", &p);
                    None
                }
                (_, Some(Value::Array(list))) if !list.is_empty() => {
                    let mut rules = Vec::new();
                    let mut ok = true;
                    for (i, rv) in list.iter().enumerate() {
                        let ip = child_pointer(&p, &i.to_string());
                        match rv {
                            Value::Object(inner) => match self.rule(inner, &ip, ql, false) {
                                Some(r) => rules.push(r),
                                None => ok = false,
                            },
                            _ => {
                                self.wrong_type(comb, "OBJECT", &ip);
                                ok = false;
                            }
                        }
                    }
                    if !ok {
                        return None;
                    }
                    Some(if comb == "And" {
                        ChoiceRule::And(rules)
                    } else {
                        ChoiceRule::Or(rules)
                    })
                }
                (_, Some(Value::Array(_))) => {
                    self.err(SVF, format!("The field '{comb}' should be non-empty"), p);
                    None
                }
                _ => {
                    self.wrong_type(comb, "ARRAY", &p);
                    None
                }
            };
        }
        let (field, op, is_path) = ops.first().copied()?;
        let variable = match m.get("Variable") {
            None => {
                self.missing("Variable", ptr);
                None
            }
            Some(Value::String(s)) => {
                let vp = child_pointer(ptr, "Variable");
                validate::check_path(&mut self.diags, s, "Variable", &vp).then(|| s.to_string())
            }
            Some(_) => {
                self.wrong_type("Variable", "STRING", &child_pointer(ptr, "Variable"));
                None
            }
        };
        let fp = child_pointer(ptr, field);
        let value = m.get(field)?;
        let operand = if is_path {
            match value {
                Value::String(s) if validate::check_path(&mut self.diags, s, field, &fp) => {
                    Operand::Path(s.to_string())
                }
                Value::String(_) => return None,
                _ => {
                    self.wrong_type(field, "STRING", &fp);
                    return None;
                }
            }
        } else {
            let ok = match op {
                ComparisonOp::StringEquals
                | ComparisonOp::StringLessThan
                | ComparisonOp::StringGreaterThan
                | ComparisonOp::StringLessThanEquals
                | ComparisonOp::StringGreaterThanEquals
                | ComparisonOp::StringMatches => value.is_string(),
                ComparisonOp::NumericEquals
                | ComparisonOp::NumericLessThan
                | ComparisonOp::NumericGreaterThan
                | ComparisonOp::NumericLessThanEquals
                | ComparisonOp::NumericGreaterThanEquals => value.is_number(),
                ComparisonOp::TimestampEquals
                | ComparisonOp::TimestampLessThan
                | ComparisonOp::TimestampGreaterThan
                | ComparisonOp::TimestampLessThanEquals
                | ComparisonOp::TimestampGreaterThanEquals => value.is_string(),
                _ => value.is_boolean(),
            };
            if !ok {
                let want = match op {
                    ComparisonOp::NumericEquals
                    | ComparisonOp::NumericLessThan
                    | ComparisonOp::NumericGreaterThan
                    | ComparisonOp::NumericLessThanEquals
                    | ComparisonOp::NumericGreaterThanEquals => "NUMBER",
                    ComparisonOp::BooleanEquals
                    | ComparisonOp::IsNull
                    | ComparisonOp::IsPresent
                    | ComparisonOp::IsNumeric
                    | ComparisonOp::IsString
                    | ComparisonOp::IsBoolean
                    | ComparisonOp::IsTimestamp => "BOOLEAN",
                    _ => "STRING",
                };
                self.wrong_type(field, want, &fp);
                return None;
            }
            Operand::Literal(value.clone())
        };
        Some(ChoiceRule::Data {
            variable: variable?,
            op,
            operand,
        })
    }

    fn map(
        &mut self,
        m: &Map,
        ptr: &str,
        ql: QueryLanguage,
        transition: Transition,
    ) -> Option<MapState> {
        let (pv, field, legacy_iterator) = match (m.get("ItemProcessor"), m.get("Iterator")) {
            (Some(_), Some(_)) => {
                self.err(
                    SVF,
                    "The fields 'ItemProcessor' and 'Iterator' are mutually exclusive",
                    child_pointer(ptr, "Iterator"),
                );
                return None;
            }
            (Some(v), None) => (v, "ItemProcessor", false),
            (None, Some(v)) => (v, "Iterator", true),
            (None, None) => {
                self.missing("ItemProcessor", ptr);
                return None;
            }
        };
        let (item_processor, mode, execution_type) =
            self.nested_block(pv, &child_pointer(ptr, field), field, true)?;
        let mode = if mode == Some("DISTRIBUTED") {
            if self.options.machine_type == MachineType::Express {
                self.err(
                    SVF,
                    "The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines",
                    child_pointer(
                        &child_pointer(&child_pointer(ptr, field), "ProcessorConfig"),
                        "Mode",
                    ),
                );
            }
            ProcessorMode::Distributed
        } else {
            ProcessorMode::Inline
        };
        let items_path = self.path_field(m, "ItemsPath", ptr, true);
        let items = match m.get("Items") {
            None => None,
            Some(v @ Value::Array(_)) => Some(v.clone()),
            Some(Value::String(s)) if validate::is_jsonata_expression(s) => {
                Some(Value::String(s.clone()))
            }
            Some(_) => {
                self.err(
                    SVF,
                    "The value for the field 'Items' must be an ARRAY or a JSONata expression",
                    child_pointer(ptr, "Items"),
                );
                None
            }
        };
        let (item_selector, legacy_parameters) =
            match (m.contains_key("ItemSelector"), m.contains_key("Parameters")) {
                (true, true) => {
                    self.err(
                        SVF,
                        "The fields 'ItemSelector' and 'Parameters' are mutually exclusive",
                        child_pointer(ptr, "Parameters"),
                    );
                    (None, false)
                }
                (true, false) => (self.template(m, "ItemSelector", ptr, ql), false),
                (false, true) => (self.template(m, "Parameters", ptr, ql), true),
                (false, false) => (None, false),
            };
        let max_concurrency = self.int_setting(
            m,
            "MaxConcurrency",
            Some("MaxConcurrencyPath"),
            ptr,
            ql,
            0,
            u64::from(u32::MAX),
        );
        let tolerated_failure_count = self.int_setting(
            m,
            "ToleratedFailureCount",
            Some("ToleratedFailureCountPath"),
            ptr,
            ql,
            0,
            u64::from(u32::MAX),
        );
        let tolerated_failure_percentage = self.percentage(m, ptr, ql);
        let distributed = mode == ProcessorMode::Distributed;
        // Distributed-only objects; `what` says what the simulator does not run.
        let raw = |b: &mut Builder, field: &str, what: Option<&str>| -> Option<Value> {
            let v = m.get(field)?;
            let p = child_pointer(ptr, field);
            if !v.is_object() {
                b.wrong_type(field, "OBJECT", &p);
                return None;
            }
            if !distributed {
                b.err(
                    SVF,
                    format!(
                        "The field '{field}' is only supported for a Map state in DISTRIBUTED mode"
                    ),
                    p,
                );
                return None;
            }
            if let Some(what) = what {
                b.unsupported(format!("{field} is not simulated: {what}"), p);
            }
            Some(v.clone())
        };
        let item_reader = raw(
            self,
            "ItemReader",
            Some("items are not read from S3; the Map iterates over its input"),
        );
        let item_batcher = raw(self, "ItemBatcher", None);
        let result_writer = raw(self, "ResultWriter", Some("results are not written to S3"));
        for (obj, field, allowed) in [
            (
                &item_reader,
                "ItemReader",
                &["s3:getObject", "s3:listObjectsV2"][..],
            ),
            (&result_writer, "ResultWriter", &["s3:putObject"][..]),
        ] {
            let Some(o) = obj.as_ref().and_then(Value::as_object) else {
                continue;
            };
            let fp = child_pointer(ptr, field);
            match o.get("Resource") {
                None if field == "ItemReader" => self.missing("Resource", &fp),
                None => {}
                Some(Value::String(r))
                    if r.starts_with("arn:")
                        && allowed
                            .iter()
                            .any(|a| r.ends_with(&format!(":states:::{a}"))) => {}
                Some(_) => self.err(
                    SVF,
                    "The field 'Resource' does not match any of the allowed values",
                    child_pointer(&fp, "Resource"),
                ),
            }
        }
        if let Some(rw) = result_writer.as_ref().and_then(Value::as_object)
            && rw.is_empty()
        {
            self.err(
                SVF,
                "The field 'ResultWriter' should be non-empty",
                child_pointer(ptr, "ResultWriter"),
            );
        }
        if let Some(ib) = item_batcher.as_ref().and_then(Value::as_object) {
            let has_max = [
                "MaxItemsPerBatch",
                "MaxItemsPerBatchPath",
                "MaxInputBytesPerBatch",
                "MaxInputBytesPerBatchPath",
            ]
            .iter()
            .any(|f| ib.contains_key(f));
            if !has_max {
                self.err(
                    SVF,
                    "At least one of the fields [MaxItemsPerBatch, MaxInputBytesPerBatch] is required",
                    child_pointer(ptr, "ItemBatcher"),
                );
            }
        }
        let label = match self.string(m, "Label", ptr) {
            Some(l) => {
                let p = child_pointer(ptr, "Label");
                validate::check_label(&mut self.diags, &l, &p).then_some(l)
            }
            None => None,
        };
        Some(MapState {
            item_processor,
            legacy_iterator,
            mode,
            execution_type,
            items_path,
            items,
            item_selector,
            legacy_parameters,
            max_concurrency,
            tolerated_failure_count,
            tolerated_failure_percentage,
            item_batcher,
            item_reader,
            result_writer,
            label,
            transition,
        })
    }

    fn percentage(&mut self, m: &Map, ptr: &str, ql: QueryLanguage) -> Option<Setting<f64>> {
        let field = "ToleratedFailurePercentage";
        let pf = "ToleratedFailurePercentagePath";
        match (m.get(field), m.get(pf)) {
            (Some(_), Some(_)) => {
                self.err(
                    SVF,
                    format!("The fields '{field}' and '{pf}' are mutually exclusive"),
                    child_pointer(ptr, pf),
                );
                None
            }
            (Some(Value::Number(n)), None) => {
                match n.as_f64() {
                    Some(f) if (0.0..=100.0).contains(&f) => Some(Setting::Literal(f)),
                    _ => {
                        self.err(
                        SVF,
                        format!("The value for the field '{field}' must be a NUMBER between 0 and 100"),
                        child_pointer(ptr, field),
                    );
                        None
                    }
                }
            }
            (Some(Value::String(s)), None) if ql == QueryLanguage::Jsonata => {
                self.jsonata_string(s, field, &child_pointer(ptr, field))
            }
            (Some(_), None) => {
                self.wrong_type(field, "NUMBER", &child_pointer(ptr, field));
                None
            }
            (None, Some(_)) => {
                let s = self.string(m, pf, ptr)?;
                let p = child_pointer(ptr, pf);
                validate::check_reference_path(&mut self.diags, &s, pf, &p)
                    .then_some(Setting::Path(s))
            }
            (None, None) => None,
        }
    }
}

fn kind_transition(kind: &StateKind) -> Option<&Transition> {
    match kind {
        StateKind::Task(t) => Some(&t.transition),
        StateKind::Pass(p) => Some(&p.transition),
        StateKind::Wait(w) => Some(&w.transition),
        StateKind::Parallel(p) => Some(&p.transition),
        StateKind::Map(m) => Some(&m.transition),
        _ => None,
    }
}

/// AWS shows the root as `/`.
fn display_pointer(p: &str) -> String {
    if p.is_empty() {
        "/".to_string()
    } else {
        p.to_string()
    }
}
