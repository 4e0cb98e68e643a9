//! JSONPath as Amazon States Language uses it (Jayway semantics), Reference Paths, and
//! setting a value at a Reference Path (`ResultPath`).
//!
//! Written here rather than taken from a crate: the JSONPath crates on crates.io follow
//! RFC 9535 or Goessner, while AWS runs Jayway JsonPath, whose observable behaviour
//! differs in ways the recorded AWS executions show:
//!
//! - a *definite* path (only names and single indexes) yields one value or an error;
//!   an *indefinite* one (wildcard, slice, union, filter, `..`) always yields an array,
//!   empty when nothing matched (`$.item.items[1:5]` on `{}` → `[]`, recorded);
//! - error wording: `No results for path: $['NoSuchInputPath']` and
//!   `Missing property in path $['no']` (recorded);
//! - bracket names keep their backslashes (`$['Test\""Name"']` reads the key
//!   `Test\""Name"`, recorded): a backslash only stops the next character from closing
//!   the name;
//! - `$['a','b']` as the last step merges the named properties into one object;
//! - a filter on an object tests the object itself.
//!
//! A path is parsed once into [`JsonPath`] and evaluated many times against a
//! [`Scope`] without re-parsing; definite paths return a borrow of the input.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::json::{Map, Str, Value};

/// Where variables come from when a path says `$name`.
///
/// The engine implements this on its scope chain (inner Map/Parallel scopes read outer
/// ones); plain maps implement it too.
pub trait VariableStore {
    /// The current value of variable `name`, if it was assigned.
    fn variable(&self, name: &str) -> Option<&Value>;
}

impl VariableStore for Map {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

impl VariableStore for BTreeMap<String, Value> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }
}

/// A store with no variables.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVariables;

impl VariableStore for NoVariables {
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

/// What a path is evaluated against: `$` → `input`, `$$` → `context`, `$name` → a variable.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub variables: &'a dyn VariableStore,
}

static NULL: Value = Value::Null;

impl<'a> Scope<'a> {
    pub fn new(
        input: &'a Value,
        context: &'a Value,
        variables: &'a dyn VariableStore,
    ) -> Scope<'a> {
        Scope {
            input,
            context,
            variables,
        }
    }

    /// A scope with the given input, an empty (null) context and no variables.
    pub fn input_only(input: &'a Value) -> Scope<'a> {
        Scope {
            input,
            context: &NULL,
            variables: &NoVariables,
        }
    }

    /// The same scope with another `$` (e.g. the result, for `ResultSelector`).
    pub fn with_input(&self, input: &'a Value) -> Scope<'a> {
        Scope { input, ..*self }
    }
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("input", self.input)
            .field("context", self.context)
            .finish_non_exhaustive()
    }
}

/// The document a path starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable.
    Variable(String),
}

/// A syntax error in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathParseError {
    pub path: String,
    /// Character offset in `path`.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for PathParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid JSONPath '{}' at position {}: {}",
            self.path, self.offset, self.message
        )
    }
}

impl std::error::Error for PathParseError {}

/// An evaluation failure of a definite path (indefinite paths never fail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Nothing at a definite path: Jayway's `No results for path: $['a']['b']`.
    NoResults { normalized: String },
    /// A missing property before the last step: `Missing property in path $['no']`.
    MissingProperty { normalized: String },
    /// A property step applied to a non-object.
    NotAnObject {
        property: String,
        at: String,
        found: String,
    },
    /// An index step applied to null.
    NullArray { at: String },
    /// An index step applied to a non-array.
    NotAnArray { token: String, found: String },
    /// `$name` for a variable that was never assigned.
    UndefinedVariable { name: String },
    /// `set` at a path whose root is not `$`.
    NotSettable { path: String },
    /// `set` through a value that is not an object (or array for an index step).
    SetThroughScalar { at: String, found: String },
    /// `set` at an array index beyond the end.
    SetIndexOutOfBounds { at: String, index: i64 },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::NoResults { normalized } => write!(f, "No results for path: {normalized}"),
            PathError::MissingProperty { normalized } => {
                write!(f, "Missing property in path {normalized}")
            }
            PathError::NotAnObject {
                property,
                at,
                found,
            } => write!(
                f,
                "Expected to find an object with property {property} in path {at} but found '{found}'. \
                 This is not a json object according to the JsonProvider: \
                 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
            ),
            PathError::NullArray { at } => write!(f, "The path {at} is null"),
            PathError::NotAnArray { token, found } => write!(
                f,
                "Filter: {token} can only be applied to arrays. Current context is: {found}"
            ),
            PathError::UndefinedVariable { name } => {
                write!(f, "The variable '{name}' is not defined")
            }
            PathError::NotSettable { path } => {
                write!(f, "The path '{path}' cannot be used to set a value")
            }
            PathError::SetThroughScalar { at, found } => write!(
                f,
                "Unable to set a value at {at}: the value there is {found}, not an object"
            ),
            PathError::SetIndexOutOfBounds { at, index } => {
                write!(
                    f,
                    "Unable to set a value at {at}[{index}]: index out of bounds"
                )
            }
        }
    }
}

impl std::error::Error for PathError {}

/// `Invalid path '<path>' : <detail>`: AWS's cause detail for an InputPath/OutputPath
/// (and ResultPath) failure; the engine prefixes the state sentence.
pub fn invalid_path_detail(path: &str, err: &PathError) -> String {
    format!("Invalid path '{path}' : {err}")
}

/// Java class name of a JSON value as the JsonSmart provider reports it.
fn java_class(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "java.lang.Boolean".into(),
        Value::Number(n) => {
            if n.is_f64() {
                "java.lang.Double".into()
            } else {
                "java.lang.Integer".into()
            }
        }
        Value::String(_) => "java.lang.String".into(),
        Value::Array(_) => "net.minidev.json.JSONArray".into(),
        Value::Object(_) => "net.minidev.json.JSONObject".into(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Selector {
    /// A shared key: setting it (ResultPath) inserts a reference count, not a new string.
    Name(Str),
    /// `['a','b']`
    Names(Vec<String>),
    Wildcard,
    Index(i64),
    Indexes(Vec<i64>),
    /// `[from:to]` (Jayway has no step).
    Slice(Option<i64>, Option<i64>),
    Filter(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Child(Selector),
    /// `..sel`
    Scan(Selector),
}

/// A compiled JSONPath (`$…`, `$$…` or `$name…`).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    source: String,
    root: Root,
    steps: Vec<Step>,
    definite: bool,
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn step_is_definite(s: &Step, is_last: bool) -> bool {
    match s {
        Step::Child(Selector::Name(_)) | Step::Child(Selector::Index(_)) => true,
        Step::Child(Selector::Names(_)) => is_last,
        _ => false,
    }
}

impl JsonPath {
    /// Parses a path. It must start with `$`; surrounding whitespace is ignored (as
    /// Jayway does).
    pub fn parse(src: &str) -> Result<JsonPath, PathParseError> {
        let mut p = Parser::new(src.trim());
        let mut path = p.parse_full()?;
        path.source = src.to_string();
        Ok(path)
    }

    /// The text the path was parsed from.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Definite (single value, or error) rather than indefinite (always an array).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// A Reference Path: only names and single array indexes (no wildcard, slice, union,
    /// filter or `..`).
    pub fn is_reference(&self) -> bool {
        self.steps.iter().all(|s| {
            matches!(
                s,
                Step::Child(Selector::Name(_)) | Step::Child(Selector::Index(_))
            )
        })
    }

    /// `$` (or `$$`, `$name`) alone.
    pub fn is_root_only(&self) -> bool {
        self.steps.is_empty()
    }

    /// The path as written relative to its own document, the way AWS quotes context
    /// paths in some messages: `$$.Execution.Input` → `$.Execution.Input`,
    /// `$var.a` → `$.a`, `$.x` unchanged (recorded: "Reference path \"$.Execution.Input\"
    /// must point to array.").
    pub fn document_path(&self) -> String {
        let src = self.source.trim();
        match &self.root {
            Root::Input => src.to_string(),
            Root::Context => src.get(1..).unwrap_or("$").to_string(),
            Root::Variable(name) => {
                let rest = src.get(1 + name.len()..).unwrap_or("");
                format!("${rest}")
            }
        }
    }

    /// Jayway's normalized form, e.g. `$['a'][0]` (the root is always `$`).
    pub fn normalized(&self) -> String {
        normalized_prefix(&self.steps, self.steps.len())
    }

    /// Evaluates against the scope. Definite paths borrow from the scope's documents;
    /// indefinite paths build an array (empty when nothing matched).
    pub fn eval<'v>(&self, scope: &Scope<'v>) -> Result<Cow<'v, Value>, PathError> {
        let doc = self.root_value(scope)?;
        self.eval_on(doc)
    }

    /// The value the root refers to (`$` input, `$$` context, `$name` variable).
    pub fn root_value<'v>(&self, scope: &Scope<'v>) -> Result<&'v Value, PathError> {
        match &self.root {
            Root::Input => Ok(scope.input),
            Root::Context => Ok(scope.context),
            Root::Variable(name) => scope
                .variables
                .variable(name)
                .ok_or_else(|| PathError::UndefinedVariable { name: name.clone() }),
        }
    }

    /// Evaluates the steps against `doc` (ignoring the root kind).
    pub fn eval_on<'v>(&self, doc: &'v Value) -> Result<Cow<'v, Value>, PathError> {
        if self.definite {
            eval_definite(&self.steps, doc)
        } else {
            let mut out = Vec::new();
            collect(&self.steps, doc, doc, &mut out);
            Ok(Cow::Owned(Value::Array(
                out.into_iter().map(Cow::into_owned).collect(),
            )))
        }
    }

    /// Like [`JsonPath::eval`] but `Ok(None)` when a definite path finds nothing
    /// (for `IsPresent`); type errors on the way also count as "nothing".
    pub fn eval_opt<'v>(&self, scope: &Scope<'v>) -> Result<Option<Cow<'v, Value>>, PathError> {
        let doc = match self.root_value(scope) {
            Ok(d) => d,
            Err(PathError::UndefinedVariable { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        match self.eval_on(doc) {
            Ok(v) => Ok(Some(v)),
            Err(_) => Ok(None),
        }
    }

    /// The value at this `$`-rooted path inside `doc`, mutably, when the path has only names
    /// and non-negative indexes (None otherwise, or when nothing is there).
    pub fn get_mut<'v>(&self, doc: &'v mut Value) -> Option<&'v mut Value> {
        if self.root != Root::Input {
            return None;
        }
        self.get_mut_in(doc)
    }

    /// Like [`JsonPath::get_mut`] with `doc` as the root, whatever the root kind.
    pub fn get_mut_in<'v>(&self, doc: &'v mut Value) -> Option<&'v mut Value> {
        let mut cur = doc;
        for step in &self.steps {
            cur = match step {
                Step::Child(Selector::Name(name)) => cur.as_object_mut()?.get_mut(name)?,
                Step::Child(Selector::Index(idx)) => {
                    let i = usize::try_from(*idx).ok()?;
                    cur.as_array_mut()?.get_mut(i)?
                }
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Whether this path is a `$`-rooted path of names and non-negative indexes (what
    /// [`JsonPath::get_mut`] can follow).
    pub fn is_plain_input_path(&self) -> bool {
        self.root == Root::Input
            && self.steps.iter().all(|s| match s {
                Step::Child(Selector::Name(_)) => true,
                Step::Child(Selector::Index(i)) => *i >= 0,
                _ => false,
            })
    }

    /// How many steps the path has (`$` has none, `$.a.b` two).
    pub fn depth(&self) -> usize {
        self.steps.len()
    }

    /// Whether the node this path selects contains (or is) the node `other` selects, for two
    /// plain input paths ([`JsonPath::is_plain_input_path`]).
    pub fn contains_path(&self, other: &JsonPath) -> bool {
        self.root == other.root
            && other.steps.len() >= self.steps.len()
            && other.steps.get(..self.steps.len()) == Some(self.steps.as_slice())
    }

    /// A copy of `base` with `value` set at this path: the same result as cloning `base`
    /// and calling [`JsonPath::set`], but the part that `value` replaces is never copied
    /// (for a path of names only; other paths copy `base` whole first).
    pub fn set_on_copy(&self, base: &Value, value: Value) -> Result<Value, PathError> {
        if self.root != Root::Input || !self.is_reference() {
            return Err(PathError::NotSettable {
                path: self.source.clone(),
            });
        }
        let names_only = self
            .steps
            .iter()
            .all(|s| matches!(s, Step::Child(Selector::Name(_))));
        if !names_only {
            let mut target = base.clone();
            self.set(&mut target, value)?;
            return Ok(target);
        }
        self.copy_setting(base, 0, value)
    }

    /// [`JsonPath::set_on_copy`] from step `i` on, `base` being the value there.
    fn copy_setting(&self, base: &Value, i: usize, value: Value) -> Result<Value, PathError> {
        let Some(Step::Child(Selector::Name(name))) = self.steps.get(i) else {
            // Past the last step: the value replaces what is there.
            return Ok(value);
        };
        let Value::Object(map) = base else {
            return Err(PathError::SetThroughScalar {
                at: normalized_prefix(&self.steps, i),
                found: type_word(base).into(),
            });
        };
        let mut out = Map::with_capacity(map.len() + 1);
        let mut value = Some(value);
        for (k, v) in map {
            if k == name {
                let inner = self.copy_setting(v, i + 1, value.take().unwrap_or(Value::Null))?;
                out.insert(k.clone(), inner);
            } else {
                out.insert(k.clone(), v.clone());
            }
        }
        if let Some(value) = value {
            // A missing intermediate object is created (as `set` does).
            let inner = self.copy_setting(&Value::Object(Map::new()), i + 1, value)?;
            out.insert(name.clone(), inner);
        }
        Ok(Value::Object(out))
    }

    /// Sets `value` at this path inside `target` (ResultPath semantics): `$` replaces
    /// the whole target; missing intermediate objects are created; an existing field is
    /// overwritten. Only `$`-rooted reference paths can be set.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), PathError> {
        if self.root != Root::Input || !self.is_reference() {
            return Err(PathError::NotSettable {
                path: self.source.clone(),
            });
        }
        let mut cur = target;
        let n = self.steps.len();
        let mut value = Some(value);
        for (i, step) in self.steps.iter().enumerate() {
            let last = i + 1 == n;
            match step {
                Step::Child(Selector::Name(name)) => {
                    let Value::Object(map) = cur else {
                        return Err(PathError::SetThroughScalar {
                            at: normalized_prefix(&self.steps, i),
                            found: type_word(cur).into(),
                        });
                    };
                    if last {
                        map.insert(name.clone(), value.take().unwrap_or(Value::Null));
                        return Ok(());
                    }
                    cur = map
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Step::Child(Selector::Index(idx)) => {
                    let Value::Array(arr) = cur else {
                        return Err(PathError::SetThroughScalar {
                            at: normalized_prefix(&self.steps, i),
                            found: type_word(cur).into(),
                        });
                    };
                    let len = arr.len() as i64;
                    let eff = if *idx < 0 { len + idx } else { *idx };
                    if eff < 0 || eff >= len {
                        return Err(PathError::SetIndexOutOfBounds {
                            at: normalized_prefix(&self.steps, i),
                            index: *idx,
                        });
                    }
                    let Some(slot) = arr.get_mut(eff as usize) else {
                        return Err(PathError::SetIndexOutOfBounds {
                            at: normalized_prefix(&self.steps, i),
                            index: *idx,
                        });
                    };
                    if last {
                        *slot = value.take().unwrap_or(Value::Null);
                        return Ok(());
                    }
                    cur = slot;
                }
                _ => {
                    return Err(PathError::NotSettable {
                        path: self.source.clone(),
                    });
                }
            }
        }
        // No steps: `$` replaces the whole value.
        *cur = value.take().unwrap_or(Value::Null);
        Ok(())
    }
}

fn type_word(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn push_quoted(out: &mut String, name: &str) {
    out.push_str("['");
    out.push_str(name);
    out.push_str("']");
}

fn selector_text(sel: &Selector) -> String {
    let mut s = String::new();
    match sel {
        Selector::Name(n) => push_quoted(&mut s, n),
        Selector::Names(ns) => {
            s.push('[');
            for (i, n) in ns.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push('\'');
                s.push_str(n);
                s.push('\'');
            }
            s.push(']');
        }
        Selector::Wildcard => s.push_str("[*]"),
        Selector::Index(i) => {
            s.push('[');
            s.push_str(&i.to_string());
            s.push(']');
        }
        Selector::Indexes(is) => {
            s.push('[');
            let parts: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            s.push_str(&parts.join(","));
            s.push(']');
        }
        Selector::Slice(a, b) => {
            s.push('[');
            if let Some(a) = a {
                s.push_str(&a.to_string());
            }
            s.push(':');
            if let Some(b) = b {
                s.push_str(&b.to_string());
            }
            s.push(']');
        }
        Selector::Filter(_) => s.push_str("[?]"),
    }
    s
}

/// Normalized text of the first `k` steps, Jayway style.
fn normalized_prefix(steps: &[Step], k: usize) -> String {
    let mut s = String::from("$");
    for step in steps.iter().take(k) {
        match step {
            Step::Child(sel) => s.push_str(&selector_text(sel)),
            Step::Scan(sel) => {
                s.push_str("..");
                s.push_str(&selector_text(sel));
            }
        }
    }
    s
}

/// A member of an object by name: a linear scan for small objects (cheaper than hashing the
/// key), the index otherwise.
#[inline]
fn member<'v>(map: &'v Map, name: &str) -> Option<&'v Value> {
    if map.len() <= 8 {
        map.iter().find_map(|(k, v)| (k == name).then_some(v))
    } else {
        map.get(name)
    }
}

fn eval_definite<'v>(steps: &[Step], doc: &'v Value) -> Result<Cow<'v, Value>, PathError> {
    let mut cur = doc;
    let n = steps.len();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == n;
        match step {
            Step::Child(Selector::Name(name)) => match cur {
                Value::Object(map) => match member(map, name) {
                    Some(v) => cur = v,
                    None => {
                        return Err(if last {
                            PathError::NoResults {
                                normalized: normalized_prefix(steps, n),
                            }
                        } else {
                            PathError::MissingProperty {
                                normalized: normalized_prefix(steps, i + 1),
                            }
                        });
                    }
                },
                other => {
                    return Err(PathError::NotAnObject {
                        property: format!("['{name}']"),
                        at: normalized_prefix(steps, i),
                        found: java_class(other),
                    });
                }
            },
            Step::Child(Selector::Index(idx)) => match cur {
                Value::Array(arr) => {
                    let len = arr.len() as i64;
                    let eff = if *idx < 0 { len + idx } else { *idx };
                    match usize::try_from(eff).ok().and_then(|e| arr.get(e)) {
                        Some(v) => cur = v,
                        None => {
                            return Err(PathError::NoResults {
                                normalized: normalized_prefix(steps, n),
                            });
                        }
                    }
                }
                Value::Null => {
                    return Err(PathError::NullArray {
                        at: normalized_prefix(steps, i),
                    });
                }
                other => {
                    return Err(PathError::NotAnArray {
                        token: format!("[{idx}]"),
                        found: other.to_string(),
                    });
                }
            },
            Step::Child(Selector::Names(names)) if last => match cur {
                Value::Object(map) => {
                    let mut merged = Map::new();
                    for name in names {
                        if let Some(v) = member(map, name) {
                            merged.insert(name.clone(), v.clone());
                        }
                    }
                    return Ok(Cow::Owned(Value::Object(merged)));
                }
                other => {
                    return Err(PathError::NotAnObject {
                        property: selector_text(&Selector::Names(names.clone())),
                        at: normalized_prefix(steps, i),
                        found: java_class(other),
                    });
                }
            },
            _ => {
                // Not reachable for definite paths; treat as no result.
                return Err(PathError::NoResults {
                    normalized: normalized_prefix(steps, n),
                });
            }
        }
    }
    Ok(Cow::Borrowed(cur))
}

fn array_index(arr: &[Value], idx: i64) -> Option<&Value> {
    let len = arr.len() as i64;
    let eff = if idx < 0 { len + idx } else { idx };
    usize::try_from(eff).ok().and_then(|e| arr.get(e))
}

/// Applies one selector to `v`, calling `f` for every match.
fn apply_selector<'v>(
    sel: &Selector,
    v: &'v Value,
    root: &'v Value,
    is_last: bool,
    f: &mut dyn FnMut(Cow<'v, Value>),
) {
    match sel {
        Selector::Name(name) => {
            if let Value::Object(map) = v
                && let Some(x) = member(map, name)
            {
                f(Cow::Borrowed(x));
            }
        }
        Selector::Names(names) => {
            if let Value::Object(map) = v {
                if is_last {
                    let mut merged = Map::new();
                    for name in names {
                        if let Some(x) = member(map, name) {
                            merged.insert(name.clone(), x.clone());
                        }
                    }
                    f(Cow::Owned(Value::Object(merged)));
                } else {
                    for name in names {
                        if let Some(x) = member(map, name) {
                            f(Cow::Borrowed(x));
                        }
                    }
                }
            }
        }
        Selector::Wildcard => match v {
            Value::Object(map) => map.values().for_each(|x| f(Cow::Borrowed(x))),
            Value::Array(arr) => arr.iter().for_each(|x| f(Cow::Borrowed(x))),
            _ => {}
        },
        Selector::Index(i) => {
            if let Value::Array(arr) = v
                && let Some(x) = array_index(arr, *i)
            {
                f(Cow::Borrowed(x));
            }
        }
        Selector::Indexes(is) => {
            if let Value::Array(arr) = v {
                for i in is {
                    if let Some(x) = array_index(arr, *i) {
                        f(Cow::Borrowed(x));
                    }
                }
            }
        }
        Selector::Slice(from, to) => {
            if let Value::Array(arr) = v {
                let len = arr.len() as i64;
                if len == 0 {
                    return;
                }
                let (start, end) = match (from, to) {
                    (Some(a), None) => {
                        let a = if *a < 0 { len + a } else { *a };
                        (a.max(0), len)
                    }
                    // Jayway walks from `a` (negative indexes count from the end);
                    // anything below -len is out of range anyway.
                    (Some(a), Some(b)) => ((*a).max(-len), (*b).min(len)),
                    (None, Some(b)) => {
                        let b = if *b < 0 { len + b } else { *b };
                        (0, b.min(len))
                    }
                    (None, None) => (0, len),
                };
                let mut i = start;
                while i < end {
                    if let Some(x) = array_index(arr, i) {
                        f(Cow::Borrowed(x));
                    }
                    i += 1;
                }
            }
        }
        Selector::Filter(expr) => match v {
            Value::Object(_) if expr.test(v, root) => f(Cow::Borrowed(v)),
            Value::Array(arr) => {
                for x in arr {
                    if expr.test(x, root) {
                        f(Cow::Borrowed(x));
                    }
                }
            }
            _ => {}
        },
    }
}

/// Depth-first pre-order over `v` and every container inside it.
fn for_each_node<'v>(v: &'v Value, f: &mut dyn FnMut(&'v Value)) {
    f(v);
    match v {
        Value::Object(map) => map.values().for_each(|x| for_each_node(x, f)),
        Value::Array(arr) => arr.iter().for_each(|x| for_each_node(x, f)),
        _ => {}
    }
}

/// Indefinite evaluation: every match, errors swallowed (as AWS does).
fn collect<'v>(steps: &[Step], v: &'v Value, root: &'v Value, out: &mut Vec<Cow<'v, Value>>) {
    let Some((first, rest)) = steps.split_first() else {
        out.push(Cow::Borrowed(v));
        return;
    };
    let is_last = rest.is_empty();
    match first {
        Step::Child(sel) => {
            apply_selector(sel, v, root, is_last, &mut |x| match x {
                Cow::Borrowed(b) => collect(rest, b, root, out),
                Cow::Owned(o) => {
                    // Only a merged multi-name object (always last) is owned.
                    out.push(Cow::Owned(o));
                }
            });
        }
        Step::Scan(sel) => {
            for_each_node(v, &mut |node| {
                if matches!(node, Value::Object(_) | Value::Array(_)) {
                    apply_selector(sel, node, root, is_last, &mut |x| match x {
                        Cow::Borrowed(b) => collect(rest, b, root, out),
                        Cow::Owned(o) => out.push(Cow::Owned(o)),
                    });
                }
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// Filter expressions

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `@.a` alone: the path exists.
    Exists(Operand),
    Cmp(Operand, CmpOp, Operand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    Contains,
    Size,
    Empty,
    SubsetOf,
    AnyOf,
    NoneOf,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// `@…` (relative = true) or `$…`.
    Path {
        relative: bool,
        definite: bool,
        steps: Vec<Step>,
    },
    Literal(Value),
}

impl Operand {
    fn resolve<'a>(&'a self, item: &'a Value, root: &'a Value) -> Option<Cow<'a, Value>> {
        match self {
            Operand::Literal(v) => Some(Cow::Borrowed(v)),
            Operand::Path {
                relative,
                definite,
                steps,
            } => {
                let doc = if *relative { item } else { root };
                if *definite {
                    eval_definite(steps, doc).ok()
                } else {
                    let mut out = Vec::new();
                    collect(steps, doc, root, &mut out);
                    Some(Cow::Owned(Value::Array(
                        out.into_iter().map(Cow::into_owned).collect(),
                    )))
                }
            }
        }
    }
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Jayway's ValueNode equality (numbers compare numerically; a number equals a string
/// holding the same number).
fn node_eq(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Number(a), Value::String(s)) => {
            s.trim().parse::<f64>().ok() == a.as_f64() && !s.trim().is_empty()
        }
        (Value::String(s), Value::Number(a)) => *s == a.to_string(),
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => json_eq(l, r),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => l == r,
    }
}

/// Structural equality with numbers compared by value.
pub(crate) fn json_eq(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| json_eq(x, y)))
        }
        _ => l == r,
    }
}

impl Expr {
    fn test(&self, item: &Value, root: &Value) -> bool {
        match self {
            Expr::Or(a, b) => a.test(item, root) || b.test(item, root),
            Expr::And(a, b) => a.test(item, root) && b.test(item, root),
            Expr::Not(a) => !a.test(item, root),
            Expr::Exists(op) => match op {
                Operand::Literal(v) => !matches!(v, Value::Bool(false) | Value::Null),
                Operand::Path { .. } => op.resolve(item, root).is_some(),
            },
            Expr::Cmp(l, op, r) => {
                let lv = l.resolve(item, root);
                let rv = r.resolve(item, root);
                compare(lv.as_deref(), *op, rv.as_deref())
            }
        }
    }
}

fn compare(l: Option<&Value>, op: CmpOp, r: Option<&Value>) -> bool {
    match op {
        CmpOp::Ne => return !compare(l, CmpOp::Eq, r),
        CmpOp::Nin => return !compare(l, CmpOp::In, r),
        _ => {}
    }
    let (Some(l), Some(r)) = (l, r) else {
        return false;
    };
    match op {
        CmpOp::Eq => node_eq(l, r),
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            let ord = match (l, r) {
                (Value::Number(_), Value::Number(_)) => {
                    num(l).and_then(|a| num(r).and_then(|b| a.partial_cmp(&b)))
                }
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                _ => None,
            };
            let Some(ord) = ord else { return false };
            match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::Le => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
        CmpOp::In => match r {
            Value::Array(items) => items.iter().any(|x| node_eq(l, x)),
            _ => false,
        },
        CmpOp::Contains => match (l, r) {
            (Value::Array(items), _) => items.iter().any(|x| node_eq(x, r)),
            (Value::String(a), Value::String(b)) => a.contains(b.as_str()),
            _ => false,
        },
        CmpOp::Size => {
            let Some(n) = r.as_f64() else { return false };
            let len = match l {
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                Value::String(s) => s.chars().count(),
                _ => return false,
            };
            len as f64 == n
        }
        CmpOp::Empty => {
            let Some(want) = r.as_bool() else {
                return false;
            };
            match l {
                Value::String(s) => s.is_empty() == want,
                Value::Array(a) => a.is_empty() == want,
                Value::Object(o) => o.is_empty() == want,
                _ => false,
            }
        }
        CmpOp::SubsetOf | CmpOp::AnyOf | CmpOp::NoneOf => {
            let (Value::Array(a), Value::Array(b)) = (l, r) else {
                return false;
            };
            match op {
                CmpOp::SubsetOf => a.iter().all(|x| b.iter().any(|y| node_eq(x, y))),
                CmpOp::AnyOf => a.iter().any(|x| b.iter().any(|y| node_eq(x, y))),
                _ => !a.iter().any(|x| b.iter().any(|y| node_eq(x, y))),
            }
        }
        CmpOp::Ne | CmpOp::Nin => false,
    }
}

// ---------------------------------------------------------------------------------------
// Parser

/// Maximum nesting of filters/parentheses (keeps recursion bounded on hostile input).
const MAX_DEPTH: usize = 64;
/// Maximum number of steps in one path (evaluation recurses once per step).
const MAX_STEPS: usize = 512;

struct Parser<'s> {
    src: &'s str,
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Self {
        Parser {
            src,
            chars: src.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, PathParseError> {
        Err(PathParseError {
            path: self.src.to_string(),
            offset: self.pos,
            message: message.into(),
        })
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn parse_full(&mut self) -> Result<JsonPath, PathParseError> {
        if !self.eat('$') {
            return self.err("a path must start with '$'");
        }
        let root = if self.eat('$') {
            Root::Context
        } else if self.peek().is_some_and(is_ident_start) {
            let start = self.pos;
            while self.peek().is_some_and(is_ident_continue) {
                self.pos += 1;
            }
            Root::Variable(self.chars[start..self.pos].iter().collect())
        } else {
            Root::Input
        };
        let steps = self.parse_steps(false)?;
        if self.pos < self.chars.len() {
            return self.err(format!("unexpected character '{}'", self.chars[self.pos]));
        }
        let n = steps.len();
        let definite = steps
            .iter()
            .enumerate()
            .all(|(i, s)| step_is_definite(s, i + 1 == n));
        Ok(JsonPath {
            source: self.src.to_string(),
            root,
            steps,
            definite,
        })
    }

    /// Steps until a character that cannot continue a path.
    fn parse_steps(&mut self, in_filter: bool) -> Result<Vec<Step>, PathParseError> {
        let mut steps = Vec::new();
        loop {
            if steps.len() > MAX_STEPS {
                return self.err(format!("a path can have at most {MAX_STEPS} steps"));
            }
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    if self.eat('.') {
                        // deep scan
                        let sel = match self.peek() {
                            Some('[') => self.parse_bracket()?,
                            Some('*') => {
                                self.pos += 1;
                                Selector::Wildcard
                            }
                            _ => Selector::Name(self.parse_dot_name(in_filter)?.into()),
                        };
                        steps.push(Step::Scan(sel));
                    } else if self.peek() == Some('[') {
                        steps.push(Step::Child(self.parse_bracket()?));
                    } else if self.eat('*') {
                        steps.push(Step::Child(Selector::Wildcard));
                    } else {
                        let name = self.parse_dot_name(in_filter)?;
                        steps.push(Step::Child(Selector::Name(name.into())));
                    }
                }
                Some('[') => steps.push(Step::Child(self.parse_bracket()?)),
                _ => break,
            }
        }
        Ok(steps)
    }

    fn parse_dot_name(&mut self, in_filter: bool) -> Result<String, PathParseError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' {
                break;
            }
            if c == '(' {
                return self.err("path functions are not supported");
            }
            if c.is_whitespace() {
                if in_filter {
                    break;
                }
                return self.err(
                    "use bracket notation ['my prop'] if a property contains blank characters",
                );
            }
            if in_filter && matches!(c, ')' | '<' | '>' | '=' | '!' | '~' | '&' | '|' | ',' | ']') {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return self.err("path must not end with a '.' or '..'");
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    fn parse_quoted(&mut self) -> Result<String, PathParseError> {
        let Some(q) = self.peek() else {
            return self.err("expected a quoted name");
        };
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                let s: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                return Ok(s);
            }
            self.pos += 1;
        }
        self.err("unterminated quoted name")
    }

    fn parse_int(&mut self) -> Result<i64, PathParseError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match text.parse::<i64>() {
            Ok(n) if n.unsigned_abs() <= i32::MAX as u64 => Ok(n),
            _ => {
                self.pos = start;
                self.err("expected an array index")
            }
        }
    }

    fn parse_bracket(&mut self) -> Result<Selector, PathParseError> {
        // at '['
        self.pos += 1;
        self.skip_ws();
        let sel = match self.peek() {
            Some('\'') | Some('"') => {
                let mut names = vec![self.parse_quoted()?];
                self.skip_ws();
                while self.eat(',') {
                    self.skip_ws();
                    if !matches!(self.peek(), Some('\'') | Some('"')) {
                        return self.err("expected a quoted name after ','");
                    }
                    names.push(self.parse_quoted()?);
                    self.skip_ws();
                }
                if names.len() == 1 {
                    Selector::Name(names.pop().unwrap_or_default().into())
                } else {
                    Selector::Names(names)
                }
            }
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('?') => {
                self.pos += 1;
                self.skip_ws();
                if !self.eat('(') {
                    return self.err("expected '(' after '?'");
                }
                let e = self.parse_expr()?;
                self.skip_ws();
                if !self.eat(')') {
                    return self.err("expected ')' to close the filter");
                }
                Selector::Filter(Box::new(e))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => {
                let from = if self.peek() == Some(':') {
                    None
                } else {
                    Some(self.parse_int()?)
                };
                self.skip_ws();
                if self.eat(':') {
                    self.skip_ws();
                    let to = if matches!(self.peek(), Some(c) if c == '-' || c.is_ascii_digit()) {
                        Some(self.parse_int()?)
                    } else {
                        None
                    };
                    self.skip_ws();
                    // Jayway ignores a third (step) part.
                    if self.eat(':') {
                        self.skip_ws();
                        if matches!(self.peek(), Some(c) if c == '-' || c.is_ascii_digit()) {
                            self.parse_int()?;
                        }
                    }
                    if from.is_none() && to.is_none() {
                        return self.err("failed to parse slice");
                    }
                    Selector::Slice(from, to)
                } else {
                    let mut idx = vec![from.unwrap_or(0)];
                    while self.eat(',') {
                        self.skip_ws();
                        idx.push(self.parse_int()?);
                        self.skip_ws();
                    }
                    if idx.len() == 1 {
                        Selector::Index(idx[0])
                    } else {
                        Selector::Indexes(idx)
                    }
                }
            }
            _ => return self.err("unexpected character in brackets"),
        };
        self.skip_ws();
        if !self.eat(']') {
            return self.err("expected ']'");
        }
        Ok(sel)
    }

    fn enter(&mut self) -> Result<(), PathParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("expression nested too deeply");
        }
        Ok(())
    }

    fn parse_expr(&mut self) -> Result<Expr, PathParseError> {
        self.enter()?;
        let mut left = self.parse_and()?;
        loop {
            self.skip_ws();
            if self.peek() == Some('|') && self.peek_at(1) == Some('|') {
                self.pos += 2;
                let right = self.parse_and()?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(left)
    }

    fn parse_and(&mut self) -> Result<Expr, PathParseError> {
        let mut left = self.parse_unary()?;
        loop {
            self.skip_ws();
            if self.peek() == Some('&') && self.peek_at(1) == Some('&') {
                self.pos += 2;
                let right = self.parse_unary()?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else {
                break;
            }
        }
        Ok(left)
    }

    fn parse_unary(&mut self) -> Result<Expr, PathParseError> {
        self.skip_ws();
        if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.pos += 1;
            self.enter()?;
            let e = self.parse_unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(e)));
        }
        if self.peek() == Some('(') {
            self.pos += 1;
            let e = self.parse_expr()?;
            self.skip_ws();
            if !self.eat(')') {
                return self.err("expected ')'");
            }
            return Ok(e);
        }
        let left = self.parse_operand()?;
        self.skip_ws();
        let Some(op) = self.parse_cmp_op()? else {
            return Ok(Expr::Exists(left));
        };
        self.skip_ws();
        let right = self.parse_operand()?;
        Ok(Expr::Cmp(left, op, right))
    }

    fn parse_cmp_op(&mut self) -> Result<Option<CmpOp>, PathParseError> {
        let two: String = [self.peek(), self.peek_at(1)].iter().flatten().collect();
        let op = match two.as_str() {
            "==" => Some((CmpOp::Eq, 2)),
            "!=" => Some((CmpOp::Ne, 2)),
            "<=" => Some((CmpOp::Le, 2)),
            ">=" => Some((CmpOp::Ge, 2)),
            "=~" => return self.err("regular expression filters (=~) are not supported"),
            _ => match self.peek() {
                Some('<') => Some((CmpOp::Lt, 1)),
                Some('>') => Some((CmpOp::Gt, 1)),
                _ => None,
            },
        };
        if let Some((op, n)) = op {
            self.pos += n;
            // Jayway accepts `===` / `!==` as well.
            if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                self.eat('=');
            }
            return Ok(Some(op));
        }
        for (word, op) in [
            ("subsetof", CmpOp::SubsetOf),
            ("anyof", CmpOp::AnyOf),
            ("noneof", CmpOp::NoneOf),
            ("contains", CmpOp::Contains),
            ("empty", CmpOp::Empty),
            ("size", CmpOp::Size),
            ("nin", CmpOp::Nin),
            ("in", CmpOp::In),
        ] {
            let n = word.chars().count();
            let text: String = self.chars.iter().skip(self.pos).take(n).collect();
            let after = self.peek_at(n);
            if text == word && !after.is_some_and(is_ident_continue) {
                self.pos += n;
                return Ok(Some(op));
            }
        }
        Ok(None)
    }

    fn parse_operand(&mut self) -> Result<Operand, PathParseError> {
        self.skip_ws();
        match self.peek() {
            Some('@') | Some('$') => {
                let relative = self.peek() == Some('@');
                self.pos += 1;
                self.enter()?;
                let steps = self.parse_steps(true)?;
                self.depth -= 1;
                let n = steps.len();
                let definite = steps
                    .iter()
                    .enumerate()
                    .all(|(i, s)| step_is_definite(s, i + 1 == n));
                Ok(Operand::Path {
                    relative,
                    definite,
                    steps,
                })
            }
            Some('\'') | Some('"') => {
                let s = self.parse_quoted()?;
                Ok(Operand::Literal(Value::String(unescape_literal(&s).into())))
            }
            Some('[') | Some('{') => {
                let v = self.parse_json_literal()?;
                Ok(Operand::Literal(v))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                {
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                match serde_json::from_str::<serde_json::Number>(&text) {
                    Ok(n) => Ok(Operand::Literal(Value::Number(n))),
                    Err(_) => {
                        self.pos = start;
                        self.err("invalid number")
                    }
                }
            }
            _ => {
                for (word, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    let n = word.len();
                    let text: String = self.chars.iter().skip(self.pos).take(n).collect();
                    if text == word {
                        self.pos += n;
                        return Ok(Operand::Literal(v));
                    }
                }
                if self.peek() == Some('/') {
                    return self.err("regular expression filters are not supported");
                }
                self.err("expected a value or a path in the filter")
            }
        }
    }

    /// A JSON array/object literal inside a filter (single quotes allowed for strings).
    fn parse_json_literal(&mut self) -> Result<Value, PathParseError> {
        let start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let normalized = single_to_double_quotes(&text);
        match serde_json::from_str::<Value>(&normalized) {
            Ok(v) => Ok(v),
            Err(_) => {
                self.pos = start;
                self.err("invalid JSON literal in the filter")
            }
        }
    }
}

fn unescape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Rewrites `'…'` strings of a filter's JSON literal as `"…"`.
fn single_to_double_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_single = false;
    let mut in_double = false;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            escaped = false;
            if in_single && c == '\'' {
                out.push('\'');
            } else {
                out.push('\\');
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if in_single || in_double => escaped = true,
            '\'' if !in_double => {
                in_single = !in_single;
                out.push('"');
            }
            '"' if in_single => out.push_str("\\\""),
            '"' => {
                in_double = !in_double;
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out
}

/// A Reference Path: a [`JsonPath`] that names at most one node.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferencePath(JsonPath);

impl ReferencePath {
    /// Parses and checks the Reference Path rules (no `*`, `..`, slices, unions or
    /// filters).
    pub fn parse(src: &str) -> Result<ReferencePath, PathParseError> {
        let p = JsonPath::parse(src)?;
        if !p.is_reference() {
            return Err(PathParseError {
                path: src.to_string(),
                offset: 0,
                message: "a Reference Path must identify a single node (no wildcards, \
                          slices, unions, filters or '..')"
                    .into(),
            });
        }
        Ok(ReferencePath(p))
    }

    pub fn path(&self) -> &JsonPath {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The single node (borrowed), or Jayway's error.
    pub fn get<'v>(&self, scope: &Scope<'v>) -> Result<&'v Value, PathError> {
        let doc = self.0.root_value(scope)?;
        match eval_definite(&self.0.steps, doc)? {
            Cow::Borrowed(v) => Ok(v),
            Cow::Owned(_) => Err(PathError::NoResults {
                normalized: self.0.normalized(),
            }),
        }
    }

    /// ResultPath: set `value` at this path inside `target` (see [`JsonPath::set`]).
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), PathError> {
        self.0.set(target, value)
    }
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `set_on_copy` agrees with clone + `set` on every case of the `set` table (values and
    /// errors alike).
    #[test]
    fn set_on_copy_matches_set() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/expr/set.json");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let cases = doc["cases"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let mut checked = 0;
        for case in cases {
            let Some(src) = case["path"].as_str() else {
                continue;
            };
            let Ok(p) = ReferencePath::parse(src) else {
                continue;
            };
            let mut target = case["target"].clone();
            let want = p.set(&mut target, case["value"].clone()).map(|()| target);
            let got = p.path().set_on_copy(&case["target"], case["value"].clone());
            // Compared as text: `Value`'s `==` ignores key order, and the copy must keep it.
            let text = |r: &Result<Value, _>| r.as_ref().ok().map(Value::to_string);
            assert_eq!(got.as_ref().err(), want.as_ref().err(), "{src}");
            assert_eq!(text(&got), text(&want), "{src}");
            checked += 1;
        }
        assert!(checked > 5, "only {checked} cases checked");
    }
}
