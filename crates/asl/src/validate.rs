//! Validation rules that are not about the shape of one field: paths, payload templates,
//! variables, intrinsic syntax, resources, labels, state names and the graph of each
//! `States` block. Called by [`crate::parse`] while it builds the model; every function
//! pushes AWS-style diagnostics and returns whether the value is usable.

use std::collections::BTreeSet;

use crate::json::Value;

use crate::diagnostic::Diagnostic;
use crate::intrinsics::Intrinsic;
use crate::jsonpath::{JsonPath, ReferencePath};
use crate::model::{MachineType, QueryLanguage};
use crate::span::child_pointer;
use crate::vecmap::VecMap;

const SVF: &str = "SCHEMA_VALIDATION_FAILED";

fn err(d: &mut Vec<Diagnostic>, code: &str, msg: impl Into<String>, ptr: impl Into<String>) {
    d.push(Diagnostic::error(code, msg, ptr));
}

fn warn(d: &mut Vec<Diagnostic>, code: &str, msg: impl Into<String>, ptr: impl Into<String>) {
    d.push(Diagnostic::warning(code, msg, ptr));
}

// ---------------------------------------------------------------- paths

/// What a path string may contain.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// Any JSONPath (wildcards, filters, slices, recursive descent).
    Any,
    /// A Reference Path: a single node, no wildcards, filters, slices or descent.
    Reference,
}

/// Syntax check of a JSONPath as ASL uses it (`$…`, `$$…` context, `$name…` variable),
/// with the parser of [`crate::jsonpath`]. Returns the problem, if any.
fn path_problem(s: &str, kind: PathKind) -> Option<String> {
    let result = match kind {
        PathKind::Any => JsonPath::parse(s).map(|_| ()),
        PathKind::Reference => ReferencePath::parse(s).map(|_| ()),
    };
    result.err().map(|e| e.message)
}

/// Checks a JSONPath field value (`InputPath`, `OutputPath`, choice `Variable`, …).
pub(crate) fn check_path(d: &mut Vec<Diagnostic>, s: &str, field: &str, ptr: &str) -> bool {
    if !s.starts_with('$') {
        err(
            d,
            SVF,
            format!("The value for the field '{field}' must be a valid JSONPath"),
            ptr,
        );
        return false;
    }
    match path_problem(s, PathKind::Any) {
        None => true,
        Some(why) => {
            err(
                d,
                SVF,
                format!("The value for the field '{field}' must be a valid JSONPath ({why})"),
                ptr,
            );
            false
        }
    }
}

/// Checks a Reference Path field value (`ResultPath`, `ItemsPath`, `…SecondsPath`, …).
pub(crate) fn check_reference_path(
    d: &mut Vec<Diagnostic>,
    s: &str,
    field: &str,
    ptr: &str,
) -> bool {
    if !s.starts_with('$') {
        err(
            d,
            SVF,
            format!("The value for the field '{field}' must be a valid ReferencePath"),
            ptr,
        );
        return false;
    }
    match path_problem(s, PathKind::Reference) {
        None => true,
        Some(why) => {
            err(
                d,
                SVF,
                format!("The value for the field '{field}' must be a valid ReferencePath ({why})"),
                ptr,
            );
            false
        }
    }
}

/// Whether a string looks like a path or an intrinsic call (for `NO_DOLLAR`/`NO_PATH`).
pub(crate) fn looks_like_path(s: &str) -> bool {
    s == "$"
        || s.starts_with("$.")
        || s.starts_with("$[")
        || s.starts_with("$$.")
        || (s.starts_with("States.") && s.ends_with(')') && s.contains('('))
}

// ---------------------------------------------------------------- intrinsics

/// Syntax of an intrinsic call (`States.Name(arg, …)`), with the parser of
/// [`crate::intrinsics`]. Returns the problem, if any.
pub fn intrinsic_problem(s: &str) -> Option<String> {
    if let Err(e) = Intrinsic::parse(s) {
        return Some(e.message);
    }
    illegal_escape(s)
}

/// AWS rejects at create time a backslash in an intrinsic string literal that is not one
/// of the reserved escapes `\'`, `\{`, `\}`, `\\` (recorded: `test_illegal_escapes`,
/// e.g. `\"` inside `States.StringToJson('…')`), although evaluation is lenient.
fn illegal_escape(s: &str) -> Option<String> {
    let mut in_string = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (false, '\'') => in_string = true,
            (true, '\'') => in_string = false,
            (true, '\\') => match chars.next() {
                Some('\'' | '{' | '}' | '\\') => {}
                Some(other) => return Some(format!("invalid escape sequence '\\{other}'")),
                None => return Some("unterminated escape sequence".to_string()),
            },
            _ => {}
        }
    }
    None
}

/// Checks an intrinsic call in a field (`ErrorPath`, a `.$` template value).
pub(crate) fn check_intrinsic(d: &mut Vec<Diagnostic>, s: &str, field: &str, ptr: &str) -> bool {
    match intrinsic_problem(s) {
        None => true,
        Some(why) => {
            err(
                d,
                SVF,
                format!(
                    "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call ({why})"
                ),
                ptr,
            );
            false
        }
    }
}

// ---------------------------------------------------------------- templates & variables

/// Whether a `.$` value is acceptable: a path, a context path, a variable or an intrinsic.
fn dollar_value_ok(s: &str) -> bool {
    if s.starts_with('$') {
        path_problem(s, PathKind::Any).is_none()
    } else {
        intrinsic_problem(s).is_none()
    }
}

/// Checks a JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`, …).
/// Diagnostics use the template field's pointer, as AWS does. Returns false on an error.
pub(crate) fn check_template(d: &mut Vec<Diagnostic>, v: &Value, root: &str) -> bool {
    let before = d.iter().filter(|x| x.is_error()).count();
    template_walk(d, v, root);
    d.iter().filter(|x| x.is_error()).count() == before
}

fn template_walk(d: &mut Vec<Diagnostic>, v: &Value, root: &str) {
    match v {
        Value::Object(m) => {
            let mut seen = BTreeSet::new();
            for (k, val) in m {
                let (name, dollar) = match k.strip_suffix(".$") {
                    Some(n) => (n, true),
                    None => (k.as_str(), false),
                };
                if !seen.insert(name) {
                    err(
                        d,
                        SVF,
                        format!(
                            "The field '{name}' is specified more than once (with and without '.$')"
                        ),
                        root,
                    );
                }
                if dollar {
                    match val {
                        Value::String(s) if dollar_value_ok(s) => {}
                        _ => err(
                            d,
                            SVF,
                            format!(
                                "The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"
                            ),
                            root,
                        ),
                    }
                } else {
                    if let Value::String(s) = val
                        && looks_like_path(s)
                    {
                        warn(
                            d,
                            "NO_DOLLAR",
                            format!(
                                "The value for the field '{k}' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'"
                            ),
                            root,
                        );
                    }
                    template_walk(d, val, root);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                template_walk(d, item, root);
            }
        }
        _ => {}
    }
}

/// Whether `name` is a valid variable name (Unicode identifier, ≤ 80 chars, not `states`).
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && name.chars().count() <= 80
        && name != "states"
}

/// Checks an `Assign` object.
pub(crate) fn check_assign(
    d: &mut Vec<Diagnostic>,
    v: &Value,
    ptr: &str,
    ql: QueryLanguage,
) -> bool {
    let Value::Object(m) = v else {
        err(
            d,
            SVF,
            "The value for the field 'Assign' must be a OBJECT",
            ptr,
        );
        return false;
    };
    let before = d.iter().filter(|x| x.is_error()).count();
    let mut seen = BTreeSet::new();
    for (k, val) in m {
        let (name, dollar) = match (ql, k.strip_suffix(".$")) {
            (QueryLanguage::JsonPath, Some(n)) => (n, true),
            _ => (k.as_str(), false),
        };
        let kp = child_pointer(ptr, k);
        if !is_variable_name(name) {
            let why = if name == "states" {
                "'states' is a reserved name"
            } else {
                "a variable name must be an identifier of at most 80 characters"
            };
            err(
                d,
                SVF,
                format!("The variable name '{name}' is invalid: {why}"),
                kp.clone(),
            );
        }
        if !seen.insert(name) {
            err(
                d,
                SVF,
                format!("The variable '{name}' is assigned more than once"),
                kp.clone(),
            );
        }
        match ql {
            QueryLanguage::JsonPath if dollar => match val {
                Value::String(s) if dollar_value_ok(s) => {}
                _ => err(
                    d,
                    SVF,
                    format!(
                        "The value for the field '{k}' must be a valid JSONPath or a valid intrinsic function call"
                    ),
                    ptr,
                ),
            },
            QueryLanguage::JsonPath => template_walk(d, val, ptr),
            QueryLanguage::Jsonata => check_jsonata_value(d, val, k, &kp),
        }
    }
    d.iter().filter(|x| x.is_error()).count() == before
}

/// Warns `PASS_RESULT_IS_STATIC` when a Pass `Result` uses `.$` keys or path-like values.
pub(crate) fn check_pass_result(d: &mut Vec<Diagnostic>, v: &Value, ptr: &str) {
    fn dynamic(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.iter().any(|(k, v)| k.ends_with(".$") || dynamic(v)),
            Value::Array(a) => a.iter().any(dynamic),
            _ => false,
        }
    }
    if dynamic(v) {
        warn(
            d,
            "PASS_RESULT_IS_STATIC",
            "The 'Result' of a Pass state is static: '.$' fields in it are not evaluated (use 'Parameters')",
            ptr,
        );
    }
}

// ---------------------------------------------------------------- JSONata

/// Whether a string is a JSONata expression `{% … %}` (no surrounding whitespace).
pub fn is_jsonata_expression(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// Checks the strings in a JSONata-mode value. AWS treats a string that is not exactly
/// `{% … %}` (e.g. with surrounding spaces) as a constant (recorded:
/// `test_arguments … BASE_LAMBDA_LITERALS`), so this only warns about near misses.
pub(crate) fn check_jsonata_value(d: &mut Vec<Diagnostic>, v: &Value, field: &str, ptr: &str) {
    match v {
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with("{%") && t.ends_with("%}") && !is_jsonata_expression(s) {
                warn(
                    d,
                    "JSONATA_LITERAL",
                    format!(
                        "The value for the field '{field}' is a constant string, not a JSONata expression: '{{%' and '%}}' must not be surrounded by spaces"
                    ),
                    ptr,
                );
            }
        }
        Value::Object(m) => {
            for (k, val) in m {
                check_jsonata_value(d, val, k, &child_pointer(ptr, k));
            }
        }
        Value::Array(a) => {
            for (i, val) in a.iter().enumerate() {
                check_jsonata_value(d, val, field, &child_pointer(ptr, &i.to_string()));
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- Task resources

/// Optimized service integrations (`arn:aws:states:::service:api`) by service, as AWS
/// documents them. A service listed here with an API not listed is rejected like AWS
/// ("The resource provided … is not recognized"); services not listed are accepted.
/// The engine's service emulation reads the same table.
pub const OPTIMIZED_INTEGRATIONS: &[(&str, &[&str])] = &[
    ("lambda", &["invoke"]),
    ("batch", &["submitJob"]),
    (
        "dynamodb",
        &["getItem", "putItem", "updateItem", "deleteItem"],
    ),
    ("ecs", &["runTask"]),
    ("sns", &["publish"]),
    ("sqs", &["sendMessage"]),
    ("glue", &["startJobRun"]),
    ("states", &["startExecution"]),
    ("events", &["putEvents"]),
    ("apigateway", &["invoke"]),
    ("http", &["invoke"]),
    (
        "athena",
        &[
            "startQueryExecution",
            "stopQueryExecution",
            "getQueryExecution",
            "getQueryResults",
        ],
    ),
    (
        "codebuild",
        &[
            "startBuild",
            "stopBuild",
            "batchDeleteBuilds",
            "batchGetReports",
            "startBuildBatch",
            "stopBuildBatch",
            "retryBuildBatch",
            "deleteBuildBatch",
        ],
    ),
    (
        "eks",
        &[
            "createCluster",
            "deleteCluster",
            "createFargateProfile",
            "deleteFargateProfile",
            "createNodegroup",
            "deleteNodegroup",
            "runJob",
            "call",
        ],
    ),
    (
        "elasticmapreduce",
        &[
            "createCluster",
            "terminateCluster",
            "addStep",
            "cancelStep",
            "setClusterTerminationProtection",
            "modifyInstanceFleetByName",
            "modifyInstanceGroupByName",
        ],
    ),
    (
        "emr-containers",
        &[
            "startJobRun",
            "createVirtualCluster",
            "deleteVirtualCluster",
        ],
    ),
    (
        "emr-serverless",
        &[
            "createApplication",
            "startApplication",
            "stopApplication",
            "deleteApplication",
            "startJobRun",
            "cancelJobRun",
        ],
    ),
    ("databrew", &["startJobRun"]),
    (
        "sagemaker",
        &[
            "createTrainingJob",
            "createTransformJob",
            "createEndpoint",
            "createEndpointConfig",
            "createHyperParameterTuningJob",
            "createLabelingJob",
            "createModel",
            "createProcessingJob",
            "updateEndpoint",
        ],
    ),
    ("bedrock", &["invokeModel", "createModelCustomizationJob"]),
    ("mediaconvert", &["createJob"]),
];

/// Checks a Task `Resource`.
pub(crate) fn check_resource(
    d: &mut Vec<Diagnostic>,
    r: &str,
    ptr: &str,
    machine_type: MachineType,
) {
    let not_recognized = |d: &mut Vec<Diagnostic>| {
        err(
            d,
            SVF,
            format!(
                "The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
            ),
            ptr,
        );
    };
    let parts: Vec<&str> = r.splitn(6, ':').collect();
    let [arn, _partition, service, _region, _account, rest] = parts.as_slice() else {
        not_recognized(d);
        return;
    };
    if *arn != "arn" {
        not_recognized(d);
        return;
    }
    if *service != "states" {
        return;
    }
    if rest.starts_with("activity:") {
        if machine_type == MachineType::Express {
            err(
                d,
                SVF,
                "Express state machine does not support Activity ARN",
                ptr,
            );
        }
        return;
    }
    // arn:aws:states:::service:api[.suffix]
    let Some((svc, api)) = rest.split_once(':') else {
        return;
    };
    if svc == "aws-sdk" {
        return;
    }
    let (api_name, suffix) = match api.find('.') {
        Some(i) => (api.get(..i).unwrap_or(api), api.get(i..).unwrap_or("")),
        None => (api, ""),
    };
    if let Some((_, apis)) = OPTIMIZED_INTEGRATIONS.iter().find(|(s, _)| *s == svc)
        && !apis.contains(&api_name)
    {
        not_recognized(d);
        return;
    }
    if machine_type == MachineType::Express {
        if suffix.starts_with(".sync") {
            err(
                d,
                SVF,
                "Express state machine does not support '.sync' service integration",
                ptr,
            );
        } else if suffix == ".waitForTaskToken" {
            err(
                d,
                SVF,
                "Express state machine does not support '.waitForTaskToken' service integration",
                ptr,
            );
        }
    }
}

/// Checks a Task `Credentials` object.
pub(crate) fn check_credentials(
    d: &mut Vec<Diagnostic>,
    v: &Value,
    ptr: &str,
    ql: QueryLanguage,
) -> bool {
    let Value::Object(m) = v else {
        err(
            d,
            SVF,
            "The value for the field 'Credentials' must be a OBJECT",
            ptr,
        );
        return false;
    };
    let has_plain = m.contains_key("RoleArn");
    let has_path = ql == QueryLanguage::JsonPath && m.contains_key("RoleArn.$");
    if !has_plain && !has_path {
        err(
            d,
            SVF,
            "The field 'RoleArn' is required but was missing",
            ptr,
        );
        return false;
    }
    let mut ok = true;
    for (k, val) in m {
        let kp = child_pointer(ptr, k);
        match k.as_str() {
            "RoleArn" => {
                if !val.is_string() {
                    err(
                        d,
                        SVF,
                        "The value for the field 'RoleArn' must be a STRING",
                        kp,
                    );
                    ok = false;
                }
            }
            "RoleArn.$" if ql == QueryLanguage::JsonPath => {
                if !matches!(val, Value::String(s) if dollar_value_ok(s)) {
                    err(
                        d,
                        SVF,
                        "The value for the field 'RoleArn.$' must be a valid JSONPath or a valid intrinsic function call",
                        ptr,
                    );
                    ok = false;
                }
            }
            _ => {
                err(
                    d,
                    SVF,
                    format!("The field \"{k}\" is not supported by Step Functions"),
                    kp,
                );
                ok = false;
            }
        }
    }
    if has_plain && has_path {
        err(
            d,
            SVF,
            "The fields 'RoleArn' and 'RoleArn.$' are mutually exclusive",
            ptr,
        );
        ok = false;
    }
    ok
}

// ---------------------------------------------------------------- names, labels, times

/// Checks a state name: 1 to 80 characters, no control characters.
pub(crate) fn check_state_name(d: &mut Vec<Diagnostic>, name: &str, ptr: &str) {
    let len = name.chars().count();
    if len == 0 || len > 80 {
        err(
            d,
            "INVALID_STATE_NAME",
            format!("State name must be between 1 and 80 characters long, but '{name}' has {len}"),
            ptr,
        );
    } else if name.chars().any(char::is_control) {
        err(
            d,
            "INVALID_STATE_NAME",
            "State name must not contain control characters",
            ptr,
        );
    }
}

/// Characters a Map `Label` must not contain (besides control characters), as AWS
/// rejects them (recorded: `validation_cases.jsonl`).
const LABEL_FORBIDDEN: &str = " ?*<>{}[]:;,\\|^~$#%&`\"";

/// Checks a Distributed Map `Label`: at most 40 characters, no whitespace, no
/// `? * < > { } [ ] : ; , \ | ^ ~ $ # % & \` "`, no control characters (C0, DEL, C1).
pub(crate) fn check_label(d: &mut Vec<Diagnostic>, label: &str, ptr: &str) -> bool {
    if label.chars().count() > 40 {
        err(
            d,
            "INVALID_LABEL_NAME",
            "Label cannot exceed 40 characters",
            ptr,
        );
        return false;
    }
    if let Some(c) = label
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || LABEL_FORBIDDEN.contains(*c))
    {
        let shown = if c.is_control() {
            format!("\\x{:02x}", u32::from(c))
        } else {
            c.to_string()
        };
        err(
            d,
            "INVALID_LABEL_NAME",
            format!("Label contains invalid character: '{shown}'"),
            ptr,
        );
        return false;
    }
    true
}

/// Whether `s` is an RFC 3339 timestamp as ASL requires: `YYYY-MM-DDThh:mm:ss[.f+]`
/// then `Z` or `±hh:mm`, uppercase `T` and `Z`.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r)
            .is_some_and(|x| !x.is_empty() && x.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19))
    {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| -> u32 { s.get(r).and_then(|x| x.parse().ok()).unwrap_or(99) };
    if !(1..=12).contains(&num(5..7))
        || !(1..=31).contains(&num(8..10))
        || num(11..13) > 23
        || num(14..16) > 59
        || num(17..19) > 60
    {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3) && at(i + 3, b':') && digits(i + 4..i + 6) && i + 6 == b.len()
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- graph

/// Checks one `States` block: `StartAt` and every `Next`/`Default`/Catcher target name a
/// state of this block, every state is reachable from `StartAt`, and some state ends the
/// block.
pub(crate) fn check_graph(
    d: &mut Vec<Diagnostic>,
    states_ptr: &str,
    start_at: Option<&(String, String)>,
    names: &[(String, String)],
    edges: &[(String, String, String)],
    has_terminal: bool,
) {
    let known: VecMap<&str, &str> = names
        .iter()
        .map(|(n, p)| (n.as_str(), p.as_str()))
        .collect();
    let mut start_ok = false;
    if let Some((s, p)) = start_at {
        if known.contains_key(s.as_str()) {
            start_ok = true;
        } else {
            err(
                d,
                "MISSING_TRANSITION_TARGET",
                format!("Missing 'StartAt' target: {s}"),
                p.clone(),
            );
        }
    }
    let mut missing_target = false;
    for (_, target, p) in edges {
        if !known.contains_key(target.as_str()) {
            missing_target = true;
            err(
                d,
                "MISSING_TRANSITION_TARGET",
                format!("Missing 'Next' target: {target}"),
                p.clone(),
            );
        }
    }
    if start_ok && let Some((s, _)) = start_at {
        let mut adjacency: VecMap<&str, Vec<&str>> = VecMap::new();
        for (from, to, _) in edges {
            adjacency
                .get_or_insert_with(from.as_str(), Vec::new)
                .push(to.as_str());
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut todo = vec![s.as_str()];
        while let Some(n) = todo.pop() {
            if seen.insert(n)
                && let Some(next) = adjacency.get(n)
            {
                todo.extend(next.iter().copied());
            }
        }
        for (n, p) in names {
            if !seen.contains(n.as_str()) {
                err(
                    d,
                    "MISSING_TRANSITION_TARGET",
                    format!("State \"{n}\" is not reachable."),
                    p.clone(),
                );
            }
        }
    }
    // A missing target may well have been the terminal state: no knock-on report.
    if !has_terminal && !missing_target {
        err(
            d,
            "MISSING_END_STATE",
            "Workflow has no terminal state",
            states_ptr,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_helpers() {
        let paths: &[(&str, bool, bool)] = &[
            // (path, valid JSONPath, valid reference path)
            ("$", true, true),
            ("$.a.b[0]", true, true),
            ("$['a b'].c", true, true),
            ("$..a", true, false),
            ("$.a[*]", true, false),
            ("$.a[?(@.x > 1)]", true, false),
            ("$.a[0:2]", true, false),
            ("$$.Execution.Id", true, true),
            ("$myVar.x", true, true),
            ("$.a[", false, false),
            ("$.", false, false),
            ("$-x", false, false),
        ];
        for (p, any, reference) in paths {
            assert_eq!(path_problem(p, PathKind::Any).is_none(), *any, "{p}");
            assert_eq!(
                path_problem(p, PathKind::Reference).is_none(),
                *reference,
                "{p} ref"
            );
        }
        let intrinsics: &[(&str, bool)] = &[
            ("States.Format('Hi {}', $.name)", true),
            ("States.Array()", true),
            ("States.ArrayRange(1, 9, 2)", true),
            ("States.Format('a\\{b\\}', States.UUID())", true),
            ("States.StringToJson('{\"a\":1}')", true),
            ("States.StringToJson('{\"t\":\"An \\\"q\\\"\"}')", false),
            ("States.Nope(1)", false),
            ("States.Format('x'", false),
            ("States.Format('x') y", false),
            ("States.JsonMerge($.a, $.b, false)", true),
            ("States.MathAdd($.a, -1.5)", true),
            ("States.Hash($.a, null)", true),
        ];
        for (s, ok) in intrinsics {
            assert_eq!(
                intrinsic_problem(s).is_none(),
                *ok,
                "{s}: {:?}",
                intrinsic_problem(s)
            );
        }
        let deep = format!("{}{}", "States.Array(".repeat(11), ")".repeat(11));
        assert!(intrinsic_problem(&deep).is_some());
        let ok_deep = format!("{}{}", "States.Array(".repeat(10), ")".repeat(10));
        assert!(intrinsic_problem(&ok_deep).is_none());
        let times: &[(&str, bool)] = &[
            ("2016-03-14T01:59:00Z", true),
            ("2016-03-14T01:59:00.123+01:00", true),
            ("2016-03-14t01:59:00Z", false),
            ("2016-03-14T01:59:00", false),
            ("2016-13-14T01:59:00Z", false),
            ("2016-03-14T01:59:00+0100", false),
        ];
        for (t, ok) in times {
            assert_eq!(is_timestamp(t), *ok, "{t}");
        }
        let names: &[(&str, bool)] = &[
            ("x", true),
            ("_a1", true),
            ("café", true),
            ("states", false),
            ("1a", false),
            ("a.b", false),
            ("", false),
        ];
        for (n, ok) in names {
            assert_eq!(is_variable_name(n), *ok, "{n}");
        }
    }
}
