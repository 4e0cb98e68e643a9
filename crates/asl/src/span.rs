//! Source positions: a small JSON scanner that builds the `json::Value` and, for
//! every JSON pointer, the line:column range of its key and of its value.
//!
//! Why our own scanner rather than `serde_json` or a crate: `serde_json` exposes no
//! positions and silently keeps the last of duplicate keys (AWS reports duplicate state
//! names); `jsonc-parser` gives ranges but accepts comments and trailing commas that AWS
//! rejects and would mean a second tree to walk. One pass here yields the value, the
//! positions, the duplicate keys and, for invalid JSON, the exact line:column — in about
//! 300 lines with no dependency.

use crate::json::{Map, Number, Value};
use serde::Serialize;

use crate::diagnostic::{Position, Span};
use crate::vecmap::VecMap;

/// Where a value (and its key, for object members) is in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NodeSpan {
    /// The member's key (with quotes), for values that are object members.
    pub key: Option<Span>,
    /// The value itself.
    pub value: Span,
}

/// Maps JSON pointers (RFC 6901, `""` for the root) to source ranges.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpanIndex {
    entries: VecMap<String, NodeSpan>,
}

impl SpanIndex {
    /// The ranges of the value at `pointer` (`""` or `"/"` for the root).
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        let p = if pointer == "/" { "" } else { pointer };
        self.entries.get(p)
    }

    /// The value's range at `pointer`.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.get(pointer).map(|n| n.value)
    }

    /// The key's range at `pointer` (object members only).
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.get(pointer).and_then(|n| n.key)
    }

    /// The best range to underline for a diagnostic at `pointer`: the value when it
    /// exists, else the closest existing ancestor (a missing field is reported on the
    /// object that should hold it).
    pub fn locate(&self, pointer: &str) -> Option<Span> {
        let mut p = if pointer == "/" { "" } else { pointer };
        loop {
            if let Some(n) = self.entries.get(p) {
                return Some(n.value);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// The innermost pointer whose value (or key) range contains the byte `offset`.
    pub fn pointer_at(&self, offset: u32) -> Option<&str> {
        let mut best: Option<(&str, u32)> = None;
        for (p, n) in &self.entries {
            let inside = |s: &Span| s.start.offset <= offset && offset < s.end.offset;
            let hit = inside(&n.value) || n.key.as_ref().is_some_and(inside);
            if hit {
                let len = n.value.end.offset - n.value.start.offset;
                if best.is_none_or(|(_, l)| len <= l) {
                    best = Some((p.as_str(), len));
                }
            }
        }
        best.map(|(p, _)| p)
    }

    /// Number of indexed values.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries in pointer order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NodeSpan)> {
        self.entries.iter().map(|(p, n)| (p.as_str(), n))
    }
}

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

/// Appends a token to a pointer.
pub fn child_pointer(parent: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut s = String::with_capacity(parent.len() + 1 + token.len());
    s.push_str(parent);
    s.push('/');
    s.push_str(&token);
    s
}

/// A key that appeared twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the object holding the key.
    pub parent: String,
    pub key: String,
    /// Range of the second (and later) occurrence of the key.
    pub span: Span,
}

/// Invalid JSON: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub message: String,
    pub position: Position,
}

/// The result of scanning valid JSON text.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub value: Value,
    pub spans: SpanIndex,
    pub duplicates: Vec<DuplicateKey>,
}

/// Nesting limit (arrays and objects), so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 256;

/// Scans JSON text into a value, its span index and its duplicate keys.
pub fn scan(text: &str) -> Result<Scanned, ScanError> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        column: 1,
        spans: Vec::new(),
        duplicates: Vec::new(),
    };
    s.skip_ws();
    let mut pointer = String::new();
    let value = s.value(&mut pointer, None, 0)?;
    s.skip_ws();
    if s.pos < s.bytes.len() {
        return Err(s.unexpected("was expecting end of input"));
    }
    Ok(Scanned {
        value,
        spans: SpanIndex {
            entries: s.spans.into_iter().collect(),
        },
        duplicates: s.duplicates,
    })
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
    /// Pointer and ranges of each value in the order scanned; sorted into the index at the
    /// end (a pointer seen again replaces its earlier entry, as in a map).
    spans: Vec<(String, NodeSpan)>,
    duplicates: Vec<DuplicateKey>,
}

impl Scanner<'_> {
    fn position(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
            offset: u32::try_from(self.pos).unwrap_or(u32::MAX),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Advances one byte, keeping line and column (columns count Unicode scalars).
    fn bump(&mut self) {
        if let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn error(&self, message: impl Into<String>) -> ScanError {
        ScanError {
            message: message.into(),
            position: self.position(),
        }
    }

    /// A Jackson-like message for the character at the current position.
    fn unexpected(&self, expecting: &str) -> ScanError {
        match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
            None => self.error(format!("Unexpected end-of-input: {expecting}")),
            Some(c) => self.error(format!(
                "Unexpected character ('{c}' (code {})): {expecting}",
                u32::from(c)
            )),
        }
    }

    fn value(
        &mut self,
        pointer: &mut String,
        key: Option<Span>,
        depth: usize,
    ) -> Result<Value, ScanError> {
        let start = self.position();
        let value = match self.peek() {
            Some(b'{') => self.object(pointer, depth)?,
            Some(b'[') => self.array(pointer, depth)?,
            Some(b'"') => Value::String(self.string()?.into()),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b) if b.is_ascii_alphabetic() => return Err(self.unrecognized_token(self.pos)),
            _ => {
                return Err(self.unexpected(
                    "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                ));
            }
        };
        let end = self.position();
        self.spans.push((
            pointer.clone(),
            NodeSpan {
                key,
                value: Span { start, end },
            },
        ));
        Ok(value)
    }

    /// Jackson's "Unrecognized token 'xyz'" for a bare word starting at byte `start`
    /// (the position reported is the start of the word).
    fn unrecognized_token(&self, start: usize) -> ScanError {
        let rest = self.text.get(start..).unwrap_or("");
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .take(256)
            .collect();
        ScanError {
            message: format!(
                "Unrecognized token '{word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
            ),
            position: self.position(),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ScanError> {
        let start = self.pos;
        let matches = self
            .bytes
            .get(start..start + word.len())
            .is_some_and(|b| b == word.as_bytes());
        let followed_by_word = self
            .bytes
            .get(start + word.len())
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if !matches || followed_by_word {
            return Err(self.unrecognized_token(start));
        }
        for _ in 0..word.len() {
            self.bump();
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<Value, ScanError> {
        let begin = self.pos;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.bump();
                }
            }
            _ => return Err(self.unexpected("was expecting digit for a number")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("was expecting digit after decimal point"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("was expecting digit for exponent"));
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.bump();
            }
        }
        let slice = self.text.get(begin..self.pos).unwrap_or("");
        match slice.parse::<Number>() {
            Ok(n) => Ok(Value::Number(n)),
            // Out-of-range values (1e400): serde_json refuses them; so does Jackson's
            // strict mode.
            Err(_) => Err(ScanError {
                message: format!("Numeric value ({slice}) out of range"),
                position: self.position(),
            }),
        }
    }

    fn string(&mut self) -> Result<String, ScanError> {
        // Opening quote.
        self.bump();
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                None => {
                    return Err(self.error(
                        "Unexpected end-of-input: was expecting closing quote for a string value",
                    ));
                }
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(b) => {
                    return Err(self.error(format!(
                        "Illegal unquoted character (CTRL-CHAR, code {b}): has to be escaped using backslash to be included in string value"
                    )));
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, ScanError> {
        let Some(b) = self.peek() else {
            return Err(self.error("Unexpected end-of-input in character escape sequence"));
        };
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.bump();
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.peek() == Some(b'\\') && self.bytes.get(self.pos + 1) == Some(&b'u') {
                        self.bump();
                        self.bump();
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        return Err(self.error("Invalid low surrogate in \\u escape"));
                    }
                    // A lone surrogate cannot be held in a Rust string.
                    return Ok('\u{FFFD}');
                }
                return Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'));
            }
            _ => {
                let c = self
                    .text
                    .get(self.pos..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or('?');
                return Err(self.error(format!(
                    "Unrecognized character escape '{c}' (code {})",
                    u32::from(c)
                )));
            }
        };
        self.bump();
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, ScanError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    return Err(
                        self.unexpected("expected a hex-digit for character escape sequence")
                    );
                }
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    fn object(&mut self, pointer: &mut String, depth: usize) -> Result<Value, ScanError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(format!("Nesting depth exceeds the maximum ({MAX_DEPTH})")));
        }
        self.bump();
        let mut map = Map::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("was expecting double-quote to start field name"));
            }
            let key_start = self.position();
            let key = self.string()?;
            let key_span = Span {
                start: key_start,
                end: self.position(),
            };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(
                    self.unexpected("was expecting a colon to separate field name and value")
                );
            }
            self.bump();
            self.skip_ws();
            let saved = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_token(&key));
            if map.contains_key(&key) {
                // Forget the first occurrence's nested spans so the index describes the
                // value that is kept (the last one, as serde_json and Jackson do).
                let prefix = pointer.clone();
                let nested = format!("{prefix}/");
                self.spans
                    .retain(|(p, _)| p != &prefix && !p.starts_with(&nested));
                self.duplicates.push(DuplicateKey {
                    parent: pointer.get(..saved).unwrap_or("").to_string(),
                    key: key.clone(),
                    span: key_span,
                });
            }
            let value = self.value(pointer, Some(key_span), depth + 1)?;
            pointer.truncate(saved);
            map.insert(key, value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(Value::Object(map));
                }
                _ => {
                    return Err(self.unexpected("was expecting comma to separate Object entries"));
                }
            }
        }
    }

    fn array(&mut self, pointer: &mut String, depth: usize) -> Result<Value, ScanError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(format!("Nesting depth exceeds the maximum ({MAX_DEPTH})")));
        }
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(Value::Array(items.into()));
        }
        loop {
            self.skip_ws();
            let saved = pointer.len();
            pointer.push('/');
            pointer.push_str(&items.len().to_string());
            let value = self.value(pointer, None, depth + 1)?;
            pointer.truncate(saved);
            items.push(value);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(Value::Array(items.into()));
                }
                _ => {
                    return Err(self.unexpected("was expecting comma to separate Array entries"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_cases() {
        // (text, pointer, expected value span "l:c-l:c", key span)
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("{\"a\": 1}", "", "1:1-1:9", None),
            ("{\"a\": 1}", "/a", "1:7-1:8", Some("1:2-1:5")),
            (
                "{\n  \"é\": [true, {\"b/c\": null}]\n}",
                "/é/1/b~1c",
                "2:23-2:27",
                Some("2:16-2:21"),
            ),
            ("[1, \"x\\u00e9y\", -2.5e3]", "/2", "1:17-1:23", None),
        ];
        for (text, pointer, want, want_key) in cases {
            let s = scan(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            let n = s
                .spans
                .get(pointer)
                .unwrap_or_else(|| panic!("{text}: no {pointer}"));
            let fmt = |sp: Span| {
                format!(
                    "{}:{}-{}:{}",
                    sp.start.line, sp.start.column, sp.end.line, sp.end.column
                )
            };
            assert_eq!(&fmt(n.value), want, "{text} {pointer}");
            assert_eq!(n.key.map(fmt).as_deref(), *want_key, "{text} {pointer} key");
            let parsed: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            assert_eq!(s.value, parsed, "{text}");
        }
        // Invalid JSON: (text, line, column)
        let bad: &[(&str, u32, u32)] = &[
            ("{\"a\": 1,}", 1, 9),
            ("{\n  \"a\": tru\n}", 2, 8),
            ("not a definition", 1, 1),
            ("[1 2]", 1, 4),
            ("", 1, 1),
            ("{\"a\": \"x", 1, 9),
            ("{} x", 1, 4),
            ("{\"a\": 01}", 1, 8),
        ];
        for (text, line, column) in bad {
            let e = scan(text)
                .err()
                .unwrap_or_else(|| panic!("{text} accepted"));
            assert_eq!(
                (e.position.line, e.position.column),
                (*line, *column),
                "{text}: {e:?}"
            );
        }
        let e = scan("not a definition").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some(
                "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
            )
        );
        let deep = "[".repeat(100_000);
        assert!(scan(&deep).is_err());
        let dup =
            scan("{\"S\": {\"A\": 1, \"A\": {\"x\": 2}}}").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(dup.duplicates.len(), 1);
        assert_eq!(dup.duplicates[0].parent, "/S");
        assert!(dup.spans.get("/S/A/x").is_some());
    }
}
