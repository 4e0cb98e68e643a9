//! Choice rule evaluation (JSONPath mode).
//!
//! [`CompiledRule::compile`] turns a model [`ChoiceRule`] into a form with every path
//! parsed, numeric literals converted, timestamps parsed and `StringMatches` patterns
//! split, so evaluating a Choice state re-parses nothing.
//!
//! Semantics (spec, checked against 491 recorded AWS choice-operator runs):
//! - a type mismatch is `false`, never an error (`NumericEquals` on `"1"`,
//!   `StringEquals` on `0`, `BooleanEquals` on `0`…);
//! - `IsPresent` is the only test that tolerates a missing `Variable`; `IsPresent: false`
//!   matches when the path finds nothing; any other operator on a missing `Variable`
//!   (or a missing `…Path` operand) is an error, which the engine reports as
//!   `States.Runtime`;
//! - numbers compare as IEEE-754 doubles (`0 == 0.0`); strings compare by UTF-16 code
//!   unit like Java's `String.compareTo`, with no normalisation;
//! - timestamps are RFC 3339 with uppercase `T` and `Z`/offset ([`crate::timestamp`]);
//!   non-timestamps make the comparison `false`;
//! - `StringMatches`: `*` matches any run of characters, `\*` is a literal star and
//!   `\\` a literal backslash;
//! - `And`/`Or` short-circuit; `Not` negates.

use std::cmp::Ordering;
use std::fmt;

use crate::json::Value;

use crate::jsonpath::{JsonPath, PathError, PathParseError, Scope};
use crate::model::{ChoiceRule, ComparisonOp, Operand};
use crate::timestamp::parse_timestamp;

#[derive(Debug, Clone, PartialEq)]
enum Pat {
    Text(String),
    Star,
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Time(crate::timestamp::Timestamp),
    Pattern(Vec<Pat>),
    /// A literal of the wrong type for its operator: the test is always false.
    Never,
}

#[derive(Debug, Clone, PartialEq)]
enum Rhs {
    Lit(Lit),
    Path(JsonPath),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Data {
        variable: JsonPath,
        op: ComparisonOp,
        rhs: Rhs,
    },
}

/// A choice rule ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledRule {
    node: Node,
}

/// Why a rule cannot be compiled.
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceCompileError {
    /// `Variable` or a `…Path` operand is not a valid path.
    Path {
        field: &'static str,
        error: PathParseError,
    },
    /// A `StringMatches` pattern ending in an open escape.
    Pattern { pattern: String },
    /// A JSONata `Condition` rule (not evaluated by this module).
    JsonataCondition,
}

impl fmt::Display for ChoiceCompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChoiceCompileError::Path { field, error } => write!(f, "{field}: {error}"),
            ChoiceCompileError::Pattern { pattern } => write!(
                f,
                "The StringMatches pattern '{pattern}' ends with an open escape '\\'"
            ),
            ChoiceCompileError::JsonataCondition => {
                write!(
                    f,
                    "JSONata 'Condition' rules are not evaluated by the JSONPath engine"
                )
            }
        }
    }
}

impl std::error::Error for ChoiceCompileError {}

/// A runtime failure: the `Variable` (or a `…Path` operand) found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceError {
    /// The path text as written.
    pub path: String,
    pub error: PathError,
}

impl ChoiceError {
    /// Cause detail in AWS's path-failure wording (`Invalid path '…' : …`).
    pub fn cause_detail(&self) -> String {
        crate::jsonpath::invalid_path_detail(&self.path, &self.error)
    }

    pub fn error_name(&self) -> &'static str {
        "States.Runtime"
    }
}

impl fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause_detail())
    }
}

impl std::error::Error for ChoiceError {}

fn compile_pattern(p: &str) -> Result<Vec<Pat>, ChoiceCompileError> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut it = p.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => text.push(n),
                None => {
                    return Err(ChoiceCompileError::Pattern {
                        pattern: p.to_string(),
                    });
                }
            },
            '*' => {
                if !text.is_empty() {
                    out.push(Pat::Text(std::mem::take(&mut text)));
                }
                if out.last() != Some(&Pat::Star) {
                    out.push(Pat::Star);
                }
            }
            _ => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Pat::Text(text));
    }
    Ok(out)
}

/// Glob match with `*` only (greedy with backtracking to the last star: linear-ish).
fn glob_match(pat: &[Pat], s: &str) -> bool {
    // Anchored prefix
    let mut rest = s;
    let mut i = 0;
    if let Some(Pat::Text(t)) = pat.first() {
        let Some(r) = rest.strip_prefix(t.as_str()) else {
            return false;
        };
        rest = r;
        i = 1;
    }
    let tail = &pat[i..];
    if tail.is_empty() {
        return rest.is_empty();
    }
    // tail starts with Star. Anchored suffix if the pattern ends with text.
    let (middle, suffix) = match tail.last() {
        Some(Pat::Text(t)) => (&tail[..tail.len() - 1], Some(t.as_str())),
        _ => (tail, None),
    };
    let mut hay = rest;
    if let Some(sfx) = suffix {
        let Some(h) = hay.strip_suffix(sfx) else {
            return false;
        };
        hay = h;
    }
    // middle = Star (Text Star)* : find each text in order, leftmost.
    for p in middle {
        if let Pat::Text(t) = p {
            match hay.find(t.as_str()) {
                Some(pos) => hay = &hay[pos + t.len()..],
                None => return false,
            }
        }
    }
    true
}

fn compile_literal(op: ComparisonOp, v: &Value) -> Result<Lit, ChoiceCompileError> {
    use ComparisonOp as C;
    Ok(match op {
        C::StringEquals
        | C::StringLessThan
        | C::StringGreaterThan
        | C::StringLessThanEquals
        | C::StringGreaterThanEquals => match v {
            Value::String(s) => Lit::Str(s.to_string()),
            _ => Lit::Never,
        },
        C::StringMatches => match v {
            Value::String(s) => Lit::Pattern(compile_pattern(s)?),
            _ => Lit::Never,
        },
        C::NumericEquals
        | C::NumericLessThan
        | C::NumericGreaterThan
        | C::NumericLessThanEquals
        | C::NumericGreaterThanEquals => match v.as_f64() {
            Some(n) if v.is_number() => Lit::Num(n),
            _ => Lit::Never,
        },
        C::TimestampEquals
        | C::TimestampLessThan
        | C::TimestampGreaterThan
        | C::TimestampLessThanEquals
        | C::TimestampGreaterThanEquals => match v.as_str().and_then(parse_timestamp) {
            Some(t) => Lit::Time(t),
            None => Lit::Never,
        },
        C::BooleanEquals
        | C::IsNull
        | C::IsPresent
        | C::IsNumeric
        | C::IsString
        | C::IsBoolean
        | C::IsTimestamp => match v {
            Value::Bool(b) => Lit::Bool(*b),
            _ => Lit::Never,
        },
    })
}

fn compile_node(rule: &ChoiceRule) -> Result<Node, ChoiceCompileError> {
    Ok(match rule {
        ChoiceRule::And(rs) => Node::And(rs.iter().map(compile_node).collect::<Result<_, _>>()?),
        ChoiceRule::Or(rs) => Node::Or(rs.iter().map(compile_node).collect::<Result<_, _>>()?),
        ChoiceRule::Not(r) => Node::Not(Box::new(compile_node(r)?)),
        ChoiceRule::Data {
            variable,
            op,
            operand,
        } => {
            let variable = JsonPath::parse(variable).map_err(|error| ChoiceCompileError::Path {
                field: "Variable",
                error,
            })?;
            let rhs = match operand {
                Operand::Literal(v) => Rhs::Lit(compile_literal(*op, v)?),
                Operand::Path(p) => {
                    Rhs::Path(
                        JsonPath::parse(p).map_err(|error| ChoiceCompileError::Path {
                            field: "…Path operand",
                            error,
                        })?,
                    )
                }
            };
            Node::Data {
                variable,
                op: *op,
                rhs,
            }
        }
        ChoiceRule::Condition(_) => return Err(ChoiceCompileError::JsonataCondition),
    })
}

fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn ordering_matches(op: ComparisonOp, ord: Ordering) -> bool {
    use ComparisonOp as C;
    match op {
        C::StringEquals | C::NumericEquals | C::TimestampEquals => ord.is_eq(),
        C::StringLessThan | C::NumericLessThan | C::TimestampLessThan => ord.is_lt(),
        C::StringGreaterThan | C::NumericGreaterThan | C::TimestampGreaterThan => ord.is_gt(),
        C::StringLessThanEquals | C::NumericLessThanEquals | C::TimestampLessThanEquals => {
            ord.is_le()
        }
        C::StringGreaterThanEquals
        | C::NumericGreaterThanEquals
        | C::TimestampGreaterThanEquals => ord.is_ge(),
        _ => false,
    }
}

/// Compares the variable's value with the (resolved) operand.
fn test(op: ComparisonOp, value: &Value, rhs: &Lit) -> bool {
    use ComparisonOp as C;
    match op {
        C::StringEquals
        | C::StringLessThan
        | C::StringGreaterThan
        | C::StringLessThanEquals
        | C::StringGreaterThanEquals => match (value, rhs) {
            (Value::String(a), Lit::Str(b)) => ordering_matches(op, utf16_cmp(a, b)),
            _ => false,
        },
        C::StringMatches => match (value, rhs) {
            (Value::String(a), Lit::Pattern(p)) => glob_match(p, a),
            _ => false,
        },
        C::NumericEquals
        | C::NumericLessThan
        | C::NumericGreaterThan
        | C::NumericLessThanEquals
        | C::NumericGreaterThanEquals => match (value, rhs) {
            (Value::Number(a), Lit::Num(b)) => a
                .as_f64()
                .and_then(|a| a.partial_cmp(b))
                .is_some_and(|o| ordering_matches(op, o)),
            _ => false,
        },
        C::TimestampEquals
        | C::TimestampLessThan
        | C::TimestampGreaterThan
        | C::TimestampLessThanEquals
        | C::TimestampGreaterThanEquals => match (value.as_str().and_then(parse_timestamp), rhs) {
            (Some(a), Lit::Time(b)) => ordering_matches(op, a.cmp(b)),
            _ => false,
        },
        C::BooleanEquals => matches!((value, rhs), (Value::Bool(a), Lit::Bool(b)) if a == b),
        C::IsNull => matches!(rhs, Lit::Bool(b) if value.is_null() == *b),
        C::IsNumeric => matches!(rhs, Lit::Bool(b) if value.is_number() == *b),
        C::IsString => matches!(rhs, Lit::Bool(b) if value.is_string() == *b),
        C::IsBoolean => matches!(rhs, Lit::Bool(b) if value.is_boolean() == *b),
        C::IsTimestamp => matches!(rhs, Lit::Bool(b)
            if value.as_str().and_then(parse_timestamp).is_some() == *b),
        C::IsPresent => matches!(rhs, Lit::Bool(true)),
    }
}

/// Converts a value read by a `…Path` operand into the literal form of `op`.
fn dynamic_literal(op: ComparisonOp, v: &Value) -> Lit {
    compile_literal(op, v).unwrap_or(Lit::Never)
}

impl CompiledRule {
    /// Compiles a model rule (JSONata `Condition` rules are rejected).
    pub fn compile(rule: &ChoiceRule) -> Result<CompiledRule, ChoiceCompileError> {
        Ok(CompiledRule {
            node: compile_node(rule)?,
        })
    }

    /// Evaluates against the effective input (`$`), context (`$$`) and variables.
    pub fn eval(&self, scope: &Scope<'_>) -> Result<bool, ChoiceError> {
        eval_node(&self.node, scope)
    }
}

/// Short JSON text for explanations (long values are cut).
fn short(v: &Value) -> String {
    let t = v.to_string();
    if t.chars().count() > 60 {
        let cut: String = t.chars().take(57).collect();
        format!("{cut}...")
    } else {
        t
    }
}

fn lit_text(l: &Lit) -> String {
    match l {
        Lit::Str(s) => Value::String(s.clone().into()).to_string(),
        Lit::Num(n) => n.to_string(),
        Lit::Bool(b) => b.to_string(),
        Lit::Time(t) => crate::timestamp::format_timestamp(*t),
        Lit::Pattern(p) => {
            let mut out = String::from("\"");
            for piece in p {
                match piece {
                    Pat::Star => out.push('*'),
                    Pat::Text(t) => out.push_str(&t.replace('\\', "\\\\").replace('*', "\\*")),
                }
            }
            out.push('"');
            out
        }
        Lit::Never => "(a value of the wrong type)".into(),
    }
}

/// The outcome of a rule with a sentence a learner can read, e.g.
/// `$.status = "done" StringEquals "done" → true`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub matched: bool,
    pub text: String,
}

impl CompiledRule {
    /// Like [`CompiledRule::eval`], with an explanation of how the result came about
    /// (short-circuited operands are not evaluated and not described).
    pub fn explain(&self, scope: &Scope<'_>) -> Result<Explanation, ChoiceError> {
        let mut text = String::new();
        let matched = explain_node(&self.node, scope, &mut text)?;
        Ok(Explanation { matched, text })
    }
}

fn explain_node(n: &Node, scope: &Scope<'_>, out: &mut String) -> Result<bool, ChoiceError> {
    match n {
        Node::And(rs) | Node::Or(rs) => {
            let is_and = matches!(n, Node::And(_));
            out.push_str(if is_and { "And(" } else { "Or(" });
            let mut result = is_and;
            for (i, r) in rs.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let b = explain_node(r, scope, out)?;
                if b != is_and {
                    result = b;
                    if i + 1 < rs.len() {
                        out.push_str(if is_and {
                            "; stopped at the first false"
                        } else {
                            "; stopped at the first true"
                        });
                    }
                    break;
                }
            }
            out.push_str(&format!(") → {result}"));
            Ok(result)
        }
        Node::Not(r) => {
            out.push_str("Not(");
            let b = explain_node(r, scope, out)?;
            out.push_str(&format!(") → {}", !b));
            Ok(!b)
        }
        Node::Data { variable, op, rhs } => {
            let result = eval_node(n, scope)?;
            let var = variable.as_str();
            if *op == ComparisonOp::IsPresent {
                let present = matches!(variable.eval_opt(scope), Ok(Some(_)));
                let want = matches!(rhs, Rhs::Lit(Lit::Bool(true)));
                out.push_str(&format!(
                    "{var} is {}present, IsPresent {want} → {result}",
                    if present { "" } else { "not " }
                ));
                return Ok(result);
            }
            let value = variable.eval(scope).map(|v| short(&v)).unwrap_or_default();
            let rhs_text = match rhs {
                Rhs::Lit(l) => lit_text(l),
                Rhs::Path(p) => {
                    let v = p.eval(scope).map(|v| short(&v)).unwrap_or_default();
                    format!("{} = {v}", p.as_str())
                }
            };
            let op_name = match rhs {
                Rhs::Path(_) => format!("{}Path", op.name()),
                Rhs::Lit(_) => op.name().to_string(),
            };
            out.push_str(&format!("{var} = {value} {op_name} {rhs_text} → {result}"));
            Ok(result)
        }
    }
}

fn eval_node(n: &Node, scope: &Scope<'_>) -> Result<bool, ChoiceError> {
    match n {
        Node::And(rs) => {
            for r in rs {
                if !eval_node(r, scope)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Node::Or(rs) => {
            for r in rs {
                if eval_node(r, scope)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Node::Not(r) => Ok(!eval_node(r, scope)?),
        Node::Data { variable, op, rhs } => {
            if *op == ComparisonOp::IsPresent {
                let present = variable
                    .eval_opt(scope)
                    .map_err(|error| ChoiceError {
                        path: variable.as_str().to_string(),
                        error,
                    })?
                    .is_some();
                return Ok(match rhs {
                    Rhs::Lit(Lit::Bool(b)) => present == *b,
                    _ => false,
                });
            }
            let value = variable.eval(scope).map_err(|error| ChoiceError {
                path: variable.as_str().to_string(),
                error,
            })?;
            match rhs {
                Rhs::Lit(lit) => Ok(test(*op, &value, lit)),
                Rhs::Path(p) => {
                    let other = p.eval(scope).map_err(|error| ChoiceError {
                        path: p.as_str().to_string(),
                        error,
                    })?;
                    Ok(test(*op, &value, &dynamic_literal(*op, &other)))
                }
            }
        }
    }
}

/// One-shot helper: compile and evaluate (prefer [`CompiledRule`] in loops).
pub fn evaluate(rule: &ChoiceRule, scope: &Scope<'_>) -> Result<bool, ChoiceEvalError> {
    let c = CompiledRule::compile(rule).map_err(ChoiceEvalError::Compile)?;
    c.eval(scope).map_err(ChoiceEvalError::Runtime)
}

/// Either failure of [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceEvalError {
    Compile(ChoiceCompileError),
    Runtime(ChoiceError),
}

impl fmt::Display for ChoiceEvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChoiceEvalError::Compile(e) => write!(f, "{e}"),
            ChoiceEvalError::Runtime(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ChoiceEvalError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        let cases = [
            ("*.log", "a.log", true),
            ("*.log", "a.log2", false),
            ("log*", "log", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "acb", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "aXb", false),
            ("a\\\\b", "a\\b", true),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
        ];
        for (p, s, want) in cases {
            let pat = compile_pattern(p);
            assert_eq!(pat.map(|p| glob_match(&p, s)), Ok(want), "{p} ~ {s}");
        }
        assert!(compile_pattern("abc\\").is_err());
    }
}
