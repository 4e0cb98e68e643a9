//! Diagnostics: what is wrong with a definition, where, in AWS's words.

use serde::Serialize;

/// How bad a diagnostic is, as AWS's `ValidateStateMachineDefinition` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in the source text. `line` and `column` are 1-based; `column` counts
/// Unicode scalar values (what an editor shows); `offset` is the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A half-open range `[start, end)` of the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

/// One problem found in a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// AWS's code, e.g. `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`,
    /// `NO_DOLLAR`; Stepwise's own codes (e.g. `UNSUPPORTED_FEATURE`) for what AWS
    /// accepts but the simulator cannot run.
    pub code: String,
    /// The message, in AWS's wording where the recordings show it.
    pub message: String,
    /// JSON pointer of the offending value, like AWS's location: `/States/Foo/Next`
    /// (`/` for the root).
    pub pointer: String,
    /// Where the offending value is in the source text, when it is known.
    pub span: Option<Span>,
}

impl Diagnostic {
    pub fn error(
        code: impl Into<String>,
        message: impl Into<String>,
        pointer: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
            pointer: pointer.into(),
            span: None,
        }
    }

    pub fn warning(
        code: impl Into<String>,
        message: impl Into<String>,
        pointer: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, pointer)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// AWS's one-line form: `CODE: message at /pointer` (as inside `InvalidDefinition`).
    pub fn aws_message(&self) -> String {
        format!("{}: {} at {}", self.code, self.message, self.pointer)
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(span) = self.span {
            write!(f, "{}:{}: ", span.start.line, span.start.column)?;
        }
        write!(
            f,
            "{severity}[{}]: {} (at {})",
            self.code, self.message, self.pointer
        )
    }
}
