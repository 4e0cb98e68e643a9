//! Compiled payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`,
//! `Credentials`, `BatchInput`) on top of `stepwise_asl::template`, with compile errors kept
//! for evaluation time (so a bad field fails the execution as AWS does instead of stopping it).

use stepwise_asl::json::Value;
use stepwise_asl::jsonpath::Scope;

/// A compiled payload template.
#[derive(Debug, Clone)]
pub enum Template {
    Compiled(stepwise_asl::template::Template),
    /// The template does not compile: evaluating it fails with this detail.
    Invalid(String),
}

impl Template {
    pub fn compile(v: &Value) -> Template {
        match stepwise_asl::template::Template::compile(v) {
            Ok(t) => Template::Compiled(t),
            Err(e) => Template::Invalid(e.to_string()),
        }
    }

    /// The value of a template without paths or intrinsic calls.
    pub fn constant(&self) -> Option<&Value> {
        match self {
            Template::Compiled(t) => t.constant(),
            Template::Invalid(_) => None,
        }
    }

    /// Evaluate; the error is AWS's detail sentence (without the state prefix).
    pub fn eval(
        &self,
        scope: &Scope<'_>,
        rng: &mut dyn rand_core::RngCore,
    ) -> Result<Value, String> {
        match self {
            Template::Compiled(t) => t.eval(scope, rng).map_err(|e| e.cause_detail()),
            Template::Invalid(d) => Err(d.clone()),
        }
    }

    /// [`Template::eval`] on `input` for a caller that no longer needs it: values are moved
    /// out of it instead of copied (see [`stepwise_asl::template::Template::eval_taking`]).
    pub fn eval_taking(
        &self,
        input: &mut Value,
        context: &Value,
        variables: &dyn stepwise_asl::jsonpath::VariableStore,
        rng: &mut dyn rand_core::RngCore,
    ) -> Result<Value, String> {
        match self {
            Template::Compiled(t) => t
                .eval_taking(input, context, variables, rng)
                .map_err(|e| e.cause_detail()),
            Template::Invalid(d) => Err(d.clone()),
        }
    }

    /// [`Template::eval`] on a value nobody needs afterwards: moved from
    /// ([`Template::eval_taking`]) unless `shared` (an event or a step holds it: read in
    /// place instead).
    pub fn eval_consuming(
        &self,
        mut value: Value,
        shared: bool,
        context: &Value,
        variables: &dyn stepwise_asl::jsonpath::VariableStore,
        rng: &mut dyn rand_core::RngCore,
    ) -> Result<Value, String> {
        if !shared {
            return self.eval_taking(&mut value, context, variables, rng);
        }
        let scope = Scope {
            input: &value,
            context,
            variables,
        };
        self.eval(&scope, rng)
    }
}

/// Evaluate an Assign block: returns (name, value) pairs in definition order.
pub fn eval_assign(
    t: &Template,
    scope: &Scope<'_>,
    rng: &mut dyn rand_core::RngCore,
) -> Result<Vec<(String, Value)>, String> {
    match t.eval(scope, rng)? {
        Value::Object(m) => Ok(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
        other => Err(format!("Assign must be an object, found {other}")),
    }
}
