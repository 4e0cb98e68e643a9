//! Amazon States Language (ASL) for Stepwise.
//!
//! This crate understands ASL and nothing else: it parses a definition (keeping the
//! source position of every value), validates it like AWS does, and evaluates the
//! expression languages ASL embeds (JSONPath, reference paths, payload templates,
//! intrinsic functions, choice rules). It has no web dependencies.

pub mod diagnostic;

pub use diagnostic::{Diagnostic, Position, Severity, Span};
