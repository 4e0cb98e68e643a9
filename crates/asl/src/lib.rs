//! Amazon States Language (ASL) for Stepwise.
//!
//! This crate understands ASL and nothing else: it parses a definition (keeping the
//! source position of every value), validates it like AWS does, and evaluates the
//! expression languages ASL embeds (JSONPath, reference paths, payload templates,
//! intrinsic functions, choice rules). It has no web dependencies.
//!
//! # Entry points (model, parsing, validation)
//!
//! - [`parse`]`(text) -> `[`Parsed`]: parse definition text and validate it like AWS's
//!   `CreateStateMachine`/`ValidateStateMachineDefinition`. `Parsed::machine` is the typed
//!   [`StateMachine`] when there is no error (warnings allowed); `Parsed::outline` is a
//!   best-effort model even with errors (for drawing); `Parsed::diagnostics` lists every
//!   problem (AWS code, message, JSON pointer, source span); `Parsed::spans` maps every
//!   JSON pointer to its line:column range ([`SpanIndex`]).
//! - [`parse_value`]`(&Value) -> Parsed`: the same for a definition given as JSON
//!   (conformance cases); spans are empty.
//! - [`parse_with`] / [`parse_value_with`] take [`ParseOptions`] (e.g. the `EXPRESS`
//!   machine type, which forbids activities, `.sync` and `.waitForTaskToken`).
//!
//! Every JSON value (definitions' constants, execution data) is a [`json::Value`]: like
//! `serde_json::Value` (same text, order and equality) but with shared, copy-on-write
//! strings, arrays and objects, so copying a payload costs a reference count.
//!
//! Fields the simulator does not run (JSONata, a Distributed Map's ItemReader and
//! ResultWriter) are reported as `UNSUPPORTED_FEATURE` warnings, never silently ignored.

pub mod diagnostic;
pub mod json;
pub mod model;
pub mod parse;
pub mod sort;
pub mod span;
pub mod validate;
pub mod vecmap;

pub use diagnostic::{Diagnostic, Position, Severity, Span};
pub use model::*;
pub use parse::{ParseOptions, Parsed, parse, parse_value, parse_value_with, parse_with};
pub use span::{NodeSpan, SpanIndex};
pub mod choice;
pub mod intrinsics;
pub mod jsonpath;
pub mod template;
pub mod timestamp;
