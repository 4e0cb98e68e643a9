//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector`, `Arguments`-free
//! JSONPath `Assign`, ItemReader/ResultWriter `Parameters`, `BatchInput`.
//!
//! [`Template::compile`] walks the template once: keys ending in `.$` become path,
//! context-path (`$$…`), variable (`$name…`) or intrinsic (`States.…`) fields; every
//! other value is literal (even a string that looks like `$.x`). Sub-trees without any
//! `.$` key are kept as one constant. Duplicate keys after stripping `.$` are an error.
//! [`Template::eval`] then builds the payload against a [`Scope`].
//!
//! A path that finds nothing fails with AWS's wording (recorded): "The JSONPath
//! '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the
//! input '{…}'" — see [`TemplateError::cause_detail`]; the engine adds "An error
//! occurred while executing the state 'X' (entered at the event id #N). " and reports
//! `States.Runtime`.

use std::fmt;

use crate::json::{Map, Str, Value};
use rand_core::RngCore;

use crate::intrinsics::{Intrinsic, IntrinsicError, IntrinsicParseError, looks_like_intrinsic};
use crate::jsonpath::{JsonPath, PathError, PathParseError, Root, Scope};

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Const(Value),
    Object(Vec<Field>),
    Array(Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
struct Field {
    /// Output key (`.$` stripped), shared with every value built.
    key: Str,
    kind: FieldKind,
}

#[derive(Debug, Clone, PartialEq)]
enum FieldKind {
    Node(Node),
    /// `"key.$": "$…"`; `field` is the key as written (with `.$`).
    Path {
        field: String,
        path: JsonPath,
        /// [`Template::eval_taking`] moves the value out of the input instead of copying it:
        /// a plain input path, no other such path of the template contains it, and its key
        /// is not repeated in its object.
        take: bool,
    },
    Intrinsic {
        field: String,
        call: Intrinsic,
    },
}

/// A compiled payload template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    root: Node,
}

/// Why a template cannot be compiled. `pointer` is a JSON pointer relative to the
/// template (e.g. `/Payload/id.$`).
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateCompileError {
    /// `a` and `a.$` in the same object.
    DuplicateKey { pointer: String, key: String },
    /// A `.$` key whose value is not a string.
    NotAString { pointer: String },
    /// A `.$` value that is neither a path nor an intrinsic function.
    NotPathOrIntrinsic { pointer: String, value: String },
    Path {
        pointer: String,
        error: PathParseError,
    },
    Intrinsic {
        pointer: String,
        error: IntrinsicParseError,
    },
}

impl TemplateCompileError {
    pub fn pointer(&self) -> &str {
        match self {
            TemplateCompileError::DuplicateKey { pointer, .. }
            | TemplateCompileError::NotAString { pointer }
            | TemplateCompileError::NotPathOrIntrinsic { pointer, .. }
            | TemplateCompileError::Path { pointer, .. }
            | TemplateCompileError::Intrinsic { pointer, .. } => pointer,
        }
    }
}

impl fmt::Display for TemplateCompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateCompileError::DuplicateKey { key, .. } => write!(
                f,
                "The field '{key}' appears twice (once with '.$'): duplicate keys are not allowed"
            ),
            TemplateCompileError::NotAString { .. } => {
                write!(f, "The value of a field ending in '.$' must be a string")
            }
            TemplateCompileError::NotPathOrIntrinsic { value, .. } => write!(
                f,
                "The value '{value}' of a field ending in '.$' must be a JSONPath or an intrinsic function"
            ),
            TemplateCompileError::Path { error, .. } => write!(f, "{error}"),
            TemplateCompileError::Intrinsic { error, .. } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for TemplateCompileError {}

/// A failure while building a payload.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateError {
    /// A `.$` path found nothing (or failed) in its document.
    PathNotFound {
        /// The key as written, e.g. `value.$`.
        field: String,
        path: String,
        /// Compact JSON of the document the path was applied to.
        input: String,
        error: PathError,
    },
    /// An intrinsic function failed.
    Intrinsic {
        field: String,
        error: IntrinsicError,
    },
}

impl TemplateError {
    /// The cause text after AWS's "An error occurred while executing the state …" prefix.
    pub fn cause_detail(&self) -> String {
        match self {
            TemplateError::PathNotFound {
                field, path, input, ..
            } => format!(
                "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{input}'"
            ),
            TemplateError::Intrinsic { field, error } => match error {
                IntrinsicError::Path { path, .. } => format!(
                    "The JSONPath '{path}' specified for the field '{field}' could not be found in the input"
                ),
                IntrinsicError::Invalid { .. } => {
                    format!("The value for the field '{field}' could not be computed: {error}")
                }
            },
        }
    }

    /// The error name AWS reports for it.
    pub fn error_name(&self) -> &'static str {
        "States.Runtime"
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause_detail())
    }
}

impl std::error::Error for TemplateError {}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn compile_node(v: &Value, pointer: &mut String) -> Result<Node, TemplateCompileError> {
    match v {
        Value::Object(map) => {
            let mut fields = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (k, x) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_pointer(k));
                let field = if let Some(stripped) = k.strip_suffix(".$") {
                    dynamic = true;
                    if map.contains_key(stripped) {
                        let e = TemplateCompileError::DuplicateKey {
                            pointer: pointer.clone(),
                            key: stripped.to_string(),
                        };
                        return Err(e);
                    }
                    let Value::String(text) = x else {
                        return Err(TemplateCompileError::NotAString {
                            pointer: pointer.clone(),
                        });
                    };
                    let kind = compile_dynamic(k, text, pointer)?;
                    Field {
                        key: stripped.into(),
                        kind,
                    }
                } else {
                    let node = compile_node(x, pointer)?;
                    if !matches!(node, Node::Const(_)) {
                        dynamic = true;
                    }
                    Field {
                        key: k.clone(),
                        kind: FieldKind::Node(node),
                    }
                };
                pointer.truncate(len);
                fields.push(field);
            }
            if dynamic {
                Ok(Node::Object(fields))
            } else {
                Ok(Node::Const(v.clone()))
            }
        }
        Value::Array(items) => {
            let mut nodes = Vec::with_capacity(items.len());
            let mut dynamic = false;
            for (i, x) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                let n = compile_node(x, pointer)?;
                pointer.truncate(len);
                if !matches!(n, Node::Const(_)) {
                    dynamic = true;
                }
                nodes.push(n);
            }
            if dynamic {
                Ok(Node::Array(nodes))
            } else {
                Ok(Node::Const(v.clone()))
            }
        }
        other => Ok(Node::Const(other.clone())),
    }
}

fn compile_dynamic(
    field: &str,
    text: &str,
    pointer: &str,
) -> Result<FieldKind, TemplateCompileError> {
    if text.starts_with('$') {
        let path = JsonPath::parse(text).map_err(|error| TemplateCompileError::Path {
            pointer: pointer.to_string(),
            error,
        })?;
        Ok(FieldKind::Path {
            take: false,
            field: field.to_string(),
            path,
        })
    } else if looks_like_intrinsic(text) {
        let call = Intrinsic::parse(text).map_err(|error| TemplateCompileError::Intrinsic {
            pointer: pointer.to_string(),
            error,
        })?;
        Ok(FieldKind::Intrinsic {
            field: field.to_string(),
            call,
        })
    } else {
        Err(TemplateCompileError::NotPathOrIntrinsic {
            pointer: pointer.to_string(),
            value: text.to_string(),
        })
    }
}

impl Template {
    /// Compiles a template value (any JSON; usually an object).
    pub fn compile(template: &Value) -> Result<Template, TemplateCompileError> {
        let mut pointer = String::new();
        let mut root = compile_node(template, &mut pointer)?;
        mark_takes(&mut root);
        Ok(Template { root })
    }

    /// True when the template has no `.$` field anywhere (its value is constant).
    pub fn is_constant(&self) -> bool {
        matches!(self.root, Node::Const(_))
    }

    /// The value of a constant template (see [`Template::is_constant`]).
    pub fn constant(&self) -> Option<&Value> {
        match &self.root {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }

    /// Every path the template reads (for validation and explanations).
    pub fn paths(&self) -> Vec<&JsonPath> {
        let mut out = Vec::new();
        collect_paths(&self.root, &mut out);
        out
    }

    /// Builds the payload. `rng` feeds `States.UUID` / `States.MathRandom`.
    pub fn eval(
        &self,
        scope: &Scope<'_>,
        rng: &mut dyn RngCore,
    ) -> Result<Value, Box<TemplateError>> {
        eval_node(&self.root, scope, rng, None)
    }

    /// Like [`Template::eval`] on `input` (the scope's `$`), for a caller that no longer needs
    /// `input`: the values of plain input paths are moved out of it instead of copied (it is
    /// left with `null`s there). Same result, same errors, same random draws.
    pub fn eval_taking(
        &self,
        input: &mut Value,
        context: &Value,
        variables: &dyn crate::jsonpath::VariableStore,
        rng: &mut dyn RngCore,
    ) -> Result<Value, Box<TemplateError>> {
        let mut deferred = Deferred::default();
        let mut out = {
            let scope = Scope {
                input: &*input,
                context,
                variables,
            };
            eval_node(&self.root, &scope, rng, Some(&mut deferred))?
        };
        if !deferred.large.is_empty() {
            fill_takes(&self.root, &mut out, input, &deferred.large, &mut 0);
        }
        Ok(out)
    }
}

fn collect_paths<'a>(n: &'a Node, out: &mut Vec<&'a JsonPath>) {
    match n {
        Node::Const(_) => {}
        Node::Array(items) => items.iter().for_each(|x| collect_paths(x, out)),
        Node::Object(fields) => {
            for f in fields {
                match &f.kind {
                    FieldKind::Node(x) => collect_paths(x, out),
                    FieldKind::Path { path, .. } => out.push(path),
                    FieldKind::Intrinsic { call, .. } => out.extend(call.paths()),
                }
            }
        }
    }
}

/// Mark the path fields [`Template::eval_taking`] may move (see [`FieldKind::Path`]).
fn mark_takes(root: &mut Node) {
    fn candidates<'a>(n: &'a Node, out: &mut Vec<&'a JsonPath>) {
        match n {
            Node::Const(_) => {}
            Node::Array(items) => items.iter().for_each(|x| candidates(x, out)),
            Node::Object(fields) => {
                for f in fields {
                    match &f.kind {
                        FieldKind::Node(x) => candidates(x, out),
                        FieldKind::Path { path, .. } if path.is_plain_input_path() => {
                            out.push(path)
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    fn mark(n: &mut Node, all: &[JsonPath]) {
        match n {
            Node::Const(_) => {}
            Node::Array(items) => items.iter_mut().for_each(|x| mark(x, all)),
            Node::Object(fields) => {
                let keys: Vec<Str> = fields.iter().map(|f| f.key.clone()).collect();
                for f in fields.iter_mut() {
                    let unique_key = keys.iter().filter(|k| **k == f.key).count() == 1;
                    match &mut f.kind {
                        FieldKind::Node(x) => mark(x, all),
                        FieldKind::Path { path, take, .. } => {
                            // Taken only when no other candidate contains it (an equal
                            // path counts as containing it).
                            let contained = all.iter().filter(|q| q.contains_path(path)).count();
                            *take = unique_key && path.is_plain_input_path() && contained == 1;
                        }
                        FieldKind::Intrinsic { .. } => {}
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    candidates(root, &mut found);
    let all: Vec<JsonPath> = found.into_iter().cloned().collect();
    mark(root, &all);
}

/// The `take` path fields [`eval_node`] met, in order: how many, and the positions of those
/// it left `null` for [`fill_takes`] (no allocation when none was).
#[derive(Default)]
struct Deferred {
    seen: usize,
    large: Vec<usize>,
}

/// Move the deferred path fields ([`eval_node`] with `deferred`) out of `input` into their
/// slots of `out`; `pos` counts the `take` fields in the same order, `large` lists the
/// positions to move (ascending).
fn fill_takes(n: &Node, out: &mut Value, input: &mut Value, large: &[usize], pos: &mut usize) {
    match (n, out) {
        (Node::Array(items), Value::Array(slots)) => {
            for (x, slot) in items.iter().zip(slots.iter_mut()) {
                fill_takes(x, slot, input, large, pos);
            }
        }
        (Node::Object(fields), Value::Object(map)) => {
            // The keys are unique (compile checks), so the map holds the fields in order.
            for (f, (key, slot)) in fields.iter().zip(map.iter_mut()) {
                if *key != f.key {
                    continue;
                }
                match &f.kind {
                    FieldKind::Node(x) => fill_takes(x, slot, input, large, pos),
                    FieldKind::Path {
                        path, take: true, ..
                    } => {
                        let moved = large.binary_search(pos).is_ok();
                        *pos += 1;
                        if moved {
                            *slot = match path.get_mut_in(input) {
                                Some(v) => std::mem::take(v),
                                // Not a node get_mut follows (it was found): a copy.
                                None => path
                                    .eval_on(input)
                                    .map(std::borrow::Cow::into_owned)
                                    .unwrap_or(Value::Null),
                            };
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Builds the value of `n`. With `deferred`, a path field marked `take` whose value is a
/// non-empty array or object is left `null` (its position recorded) for [`fill_takes`] to
/// move in; other marked fields are copied (only counted): a copy of a scalar costs less
/// than finding it again.
fn eval_node(
    n: &Node,
    scope: &Scope<'_>,
    rng: &mut dyn RngCore,
    mut deferred: Option<&mut Deferred>,
) -> Result<Value, Box<TemplateError>> {
    match n {
        Node::Const(v) => Ok(v.clone()),
        Node::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(eval_node(x, scope, rng, deferred.as_deref_mut())?);
            }
            Ok(Value::Array(out.into()))
        }
        Node::Object(fields) => {
            // One spare slot: a ResultPath often adds a field to a payload built here.
            let mut out = Map::with_capacity(fields.len() + 1);
            for f in fields {
                let v = match &f.kind {
                    FieldKind::Node(x) => eval_node(x, scope, rng, deferred.as_deref_mut())?,
                    FieldKind::Path { field, path, take } => match path.eval(scope) {
                        Ok(v) => match deferred.as_deref_mut() {
                            Some(d) if *take => {
                                let large = match v.as_ref() {
                                    Value::Array(a) => !a.is_empty(),
                                    Value::Object(o) => !o.is_empty(),
                                    _ => false,
                                };
                                if large {
                                    d.large.push(d.seen);
                                }
                                d.seen += 1;
                                if large { Value::Null } else { v.into_owned() }
                            }
                            _ => v.into_owned(),
                        },
                        Err(error) => {
                            return Err(Box::new(TemplateError::PathNotFound {
                                field: field.clone(),
                                path: path.as_str().to_string(),
                                input: document_of(path, scope).to_string(),
                                error,
                            }));
                        }
                    },
                    FieldKind::Intrinsic { field, call } => {
                        call.eval(scope, rng).map_err(|error| {
                            Box::new(TemplateError::Intrinsic {
                                field: field.clone(),
                                error,
                            })
                        })?
                    }
                };
                out.insert(f.key.clone(), v);
            }
            Ok(Value::Object(out))
        }
    }
}

/// One dynamic value written as text: a path (`$…`, `$$…`, `$var…`) or an intrinsic
/// call. Used where a single field takes "a path or an intrinsic", e.g. Fail
/// `ErrorPath`/`CausePath`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Path(JsonPath),
    Intrinsic(Intrinsic),
}

impl Expression {
    /// Compiles `text` (a `$…` path or a `States.…(…)` call).
    pub fn compile(text: &str) -> Result<Expression, TemplateCompileError> {
        match compile_dynamic("", text, "")? {
            FieldKind::Path { path, .. } => Ok(Expression::Path(path)),
            FieldKind::Intrinsic { call, .. } => Ok(Expression::Intrinsic(call)),
            FieldKind::Node(_) => Err(TemplateCompileError::NotPathOrIntrinsic {
                pointer: String::new(),
                value: text.to_string(),
            }),
        }
    }

    /// Evaluates; `field` names the field in error texts (e.g. `ErrorPath`).
    pub fn eval(
        &self,
        field: &str,
        scope: &Scope<'_>,
        rng: &mut dyn RngCore,
    ) -> Result<Value, Box<TemplateError>> {
        match self {
            Expression::Path(path) => match path.eval(scope) {
                Ok(v) => Ok(v.into_owned()),
                Err(error) => Err(Box::new(TemplateError::PathNotFound {
                    field: field.to_string(),
                    path: path.as_str().to_string(),
                    input: document_of(path, scope).to_string(),
                    error,
                })),
            },
            Expression::Intrinsic(call) => call.eval(scope, rng).map_err(|error| {
                Box::new(TemplateError::Intrinsic {
                    field: field.to_string(),
                    error,
                })
            }),
        }
    }
}

/// The document a failed path is quoted against: its root value, or the state input
/// for a variable that was never assigned.
fn document_of<'v>(path: &JsonPath, scope: &Scope<'v>) -> &'v Value {
    match path.root() {
        Root::Input => scope.input,
        Root::Context => scope.context,
        Root::Variable(name) => scope.variables.variable(name).unwrap_or(scope.input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intrinsics::SplitMix64;
    use crate::json::json;
    use crate::jsonpath::NoVariables;

    /// `eval_taking` moves a container out of the input and copies a scalar.
    #[test]
    fn eval_taking_moves_containers() {
        let t = Template::compile(&json!({"doc.$": "$.doc", "n.$": "$.n", "c.$": "$.doc.count"}))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut input = json!({"doc": {"count": 3, "list": [1, 2]}, "n": 7});
        let got = t.eval_taking(
            &mut input,
            &Value::Null,
            &NoVariables,
            &mut SplitMix64::new(1),
        );
        assert_eq!(
            got.ok(),
            Some(json!({"doc": {"count": 3, "list": [1, 2]}, "n": 7, "c": 3}))
        );
        assert_eq!(input, json!({"doc": null, "n": 7}));
    }

    /// `eval_taking` gives what `eval` gives (values, errors and random draws alike).
    #[test]
    fn eval_taking_agrees_with_eval() {
        let input = json!({"doc": {"meta": {"count": 3}, "records": [{"id": 1}, {"id": 2}]},
                           "list": [10, 20, 30], "s": "x"});
        let templates = [
            json!({"doc.$": "$.doc", "last": {"count.$": "$.doc.meta.count"}}),
            json!({"a.$": "$.doc.records", "b.$": "$.doc.records[1].id", "c.$": "$.list[2]"}),
            json!({"same.$": "$.s", "again.$": "$.s"}),
            json!({"all.$": "$", "part.$": "$.doc.meta"}),
            json!({"u.$": "States.UUID()", "m.$": "$.doc.meta", "f.$": "States.Format('{}', $.s)"}),
            json!([{"x.$": "$.list"}, {"y.$": "$.list[0]"}]),
            json!({"wild.$": "$.doc.records[*].id", "rec.$": "$.doc.records"}),
            json!({"missing.$": "$.nope", "m.$": "$.doc.meta"}),
            json!({"m.$": "$.doc.meta", "missing.$": "$.doc.meta.nope"}),
            json!({"neg.$": "$.list[-1]", "l.$": "$.list"}),
            json!({"ctx.$": "$$.x", "m.$": "$.doc"}),
        ];
        for t in templates {
            let compiled = Template::compile(&t).unwrap_or_else(|e| panic!("{t}: {e:?}"));
            let ctx = json!({"x": 5});
            let scope = Scope {
                input: &input,
                context: &ctx,
                variables: &NoVariables,
            };
            let mut rng = SplitMix64::new(1);
            let want = compiled.eval(&scope, &mut rng);
            let mut owned = input.clone();
            let mut rng2 = SplitMix64::new(1);
            let got = compiled.eval_taking(&mut owned, &ctx, &NoVariables, &mut rng2);
            assert_eq!(
                want.as_ref().map_err(|e| e.cause_detail()),
                got.as_ref().map_err(|e| e.cause_detail()),
                "{t}"
            );
            if let Ok(v) = &got {
                assert_eq!(
                    serde_json::to_string(v).unwrap_or_default(),
                    serde_json::to_string(want.as_ref().unwrap_or(&Value::Null))
                        .unwrap_or_default(),
                    "{t}: key order"
                );
            }
        }
    }
}
