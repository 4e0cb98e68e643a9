//! Checking what the user typed: the definition through `stepwise-asl`, the input as JSON.

use stepwise_asl::{Diagnostic, Position, Span};

/// Diagnostics for the definition text.
pub fn definition(text: &str) -> Vec<Diagnostic> {
    json_error(text, "INVALID_JSON_DESCRIPTION").into_iter().collect()
}

/// Diagnostics for the execution input: it must be JSON.
pub fn input(text: &str) -> Vec<Diagnostic> {
    json_error(text, "INVALID_EXECUTION_INPUT").into_iter().collect()
}

fn json_error(text: &str, code: &str) -> Option<Diagnostic> {
    let err = serde_json::from_str::<serde_json::Value>(text).err()?;
    let line = u32::try_from(err.line()).unwrap_or(u32::MAX).max(1);
    let column = u32::try_from(err.column()).unwrap_or(u32::MAX).max(1);
    let at = Position {
        line,
        column,
        offset: 0,
    };
    let mut d = Diagnostic::error(code, err.to_string(), "/");
    d.span = Some(Span { start: at, end: at });
    Some(d)
}
