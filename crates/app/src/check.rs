//! Checking and formatting what the user typed (the definition is checked by `stepwise-asl`).

use stepwise_asl::json::Value;
use stepwise_asl::{Diagnostic, Position, Span};

/// The execution input: it must be JSON. The error carries its line:column.
pub fn input(text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str::<Value>(text).map_err(|err| {
        let line = u32::try_from(err.line()).unwrap_or(u32::MAX).max(1);
        let column = u32::try_from(err.column()).unwrap_or(u32::MAX).max(1);
        let offset = offset_of(text, line, column);
        let at = Position {
            line,
            column,
            offset,
        };
        let mut d = Diagnostic::error(
            "INVALID_EXECUTION_INPUT",
            format!("The input is not valid JSON: {err}"),
            "/",
        );
        d.span = Some(Span { start: at, end: at });
        d
    })
}

/// The byte offset of a 1-based line:column (column in characters), clamped to the text.
pub fn offset_of(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let within: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            offset += within;
            return u32::try_from(offset).unwrap_or(u32::MAX);
        }
        offset += l.len();
    }
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// Pretty-printed JSON (two spaces, key order kept), or `None` when the text is not JSON.
pub fn format_json(text: &str) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_have_positions() {
        let d = input("{\n  'a': 1}").unwrap_err();
        let span = d.span.unwrap();
        assert_eq!((span.start.line, span.start.column), (2, 3));
        assert_eq!(span.start.offset, 4);
        assert!(input("[1, 2]").is_ok());
    }

    #[test]
    fn offsets_count_characters_per_line() {
        let text = "ab\nçd\n";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 2), 5);
        assert_eq!(offset_of(text, 9, 1), 7);
    }

    #[test]
    fn format_keeps_key_order() {
        assert_eq!(
            format_json("{\"b\":1,\"a\":[]}").unwrap(),
            "{\n  \"b\": 1,\n  \"a\": []\n}"
        );
        assert_eq!(format_json("{"), None);
    }
}
