//! JSON syntax highlighting: a one-pass tokenizer over a line (JSON strings cannot span
//! lines, so lines tokenize independently — the editor only tokenizes the lines on screen),
//! and the split of a line into segments by token and by diagnostic underline.
//!
//! Tolerant by design: broken JSON (while the user types) still highlights; what is not
//! JSON is an `Invalid` token.

use stepwise_asl::Severity;

/// What a piece of JSON text is. The CSS class is `tok-<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// An object member name (a string followed by `:`).
    Key,
    String,
    /// A string value that is a JSONPath / reference path (`"$.x"`, `"$$.Map.Item"`).
    Path,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// `{ } [ ] , :`
    Punct,
    /// Anything else (a typo, a single-quoted string...).
    Invalid,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Key => "tok-key",
            Tok::String => "tok-string",
            Tok::Path => "tok-string tok-path",
            Tok::Number => "tok-number",
            Tok::Literal => "tok-literal",
            Tok::Punct => "tok-punct",
            Tok::Invalid => "tok-invalid",
        }
    }
}

/// A token: its kind and byte range within the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"'
    )
}

/// The first byte that is not JSON whitespace in `line[from..]`, then in `after`.
fn next_significant(line: &[u8], from: usize, after: &str) -> Option<u8> {
    line.iter()
        .skip(from)
        .chain(after.as_bytes())
        .copied()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The tokens of one line. `after` is the text following the line (only looked at, lazily,
/// to tell a key whose `:` is on a later line).
pub fn tokenize_line(line: &str, after: &str) -> Vec<Token> {
    let b = line.as_bytes();
    let len = b.len();
    let mut tokens = Vec::with_capacity(len / 6 + 1);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&s) = b.get(i) {
                    i += match s {
                        b'\\' => 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => 1,
                    };
                }
                i = i.min(len);
                if next_significant(b, i, after) == Some(b':') {
                    Tok::Key
                } else if b.get(start + 1) == Some(&b'$') {
                    Tok::Path
                } else {
                    Tok::String
                }
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                Tok::Punct
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while b
                    .get(i)
                    .is_some_and(|d| matches!(d, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                {
                    i += 1;
                }
                Tok::Number
            }
            _ => {
                while b.get(i).is_some_and(|d| !is_delimiter(*d)) {
                    i += 1;
                }
                match line.get(start..i) {
                    Some("true" | "false" | "null") => Tok::Literal,
                    _ => Tok::Invalid,
                }
            }
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    tokens
}

/// A diagnostic underline on a line: byte range within the line (`start == end`: a point,
/// e.g. where the JSON broke) and severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Underline {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

/// A run of a line with one look: its token kind (`None`: whitespace) and underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub tok: Option<Tok>,
    pub mark: Option<Severity>,
}

/// A line split into segments covering it entirely, plus the underline to draw past its
/// end (a point diagnostic at the end of the line, e.g. "unexpected end of input").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineView {
    pub segments: Vec<Segment>,
    pub end_mark: Option<Severity>,
}

fn worse(a: Option<Severity>, b: Severity) -> Option<Severity> {
    // `Severity::Error < Severity::Warning`: the smaller is the worse.
    Some(a.map_or(b, |a| a.min(b)))
}

fn next_boundary(line: &str, i: usize) -> usize {
    line.get(i..)
        .and_then(|s| s.chars().next())
        .map_or(line.len(), |c| i + c.len_utf8())
}

/// Split `line` by `tokens` (sorted, as [`tokenize_line`] returns them) and `underlines`.
pub fn line_view(line: &str, tokens: &[Token], underlines: &[Underline]) -> LineView {
    let len = line.len();
    let mut end_mark = None;
    let marks: Vec<Underline> = underlines
        .iter()
        .filter_map(|u| {
            let start = super::text::floor_char_boundary(line, u.start);
            let mut end = super::text::floor_char_boundary(line, u.end.max(start));
            if end == start {
                if start >= len {
                    end_mark = worse(end_mark, u.severity);
                    return None;
                }
                end = next_boundary(line, start);
            }
            Some(Underline {
                start,
                end,
                severity: u.severity,
            })
        })
        .collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(tokens.len() * 2 + marks.len() * 2 + 2);
    cuts.push(0);
    cuts.push(len);
    for t in tokens {
        cuts.push(t.start.min(len));
        cuts.push(t.end.min(len));
    }
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    stepwise_asl::sort::sort_stable_by(&mut cuts, |a, b| a.cmp(b));
    cuts.dedup();
    let mut segments: Vec<Segment> = Vec::with_capacity(cuts.len());
    let mut tok_iter = tokens.iter().peekable();
    for pair in cuts.windows(2) {
        let [a, b] = *pair else { continue };
        while tok_iter.peek().is_some_and(|t| t.end <= a) {
            tok_iter.next();
        }
        let tok = tok_iter
            .peek()
            .filter(|t| t.start <= a && b <= t.end)
            .map(|t| t.kind);
        let mark = marks
            .iter()
            .filter(|m| m.start <= a && b <= m.end)
            .fold(None, |acc, m| worse(acc, m.severity));
        match segments.last_mut() {
            Some(last) if last.tok == tok && last.mark == mark && last.end == a => last.end = b,
            _ => segments.push(Segment {
                start: a,
                end: b,
                tok,
                mark,
            }),
        }
    }
    LineView { segments, end_mark }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `line` as (kind, text) pairs.
    fn toks(line: &str, after: &str) -> Vec<(Tok, String)> {
        tokenize_line(line, after)
            .into_iter()
            .map(|t| (t.kind, line[t.start..t.end].to_string()))
            .collect()
    }

    #[test]
    fn tokenizes_json_lines() {
        use Tok::*;
        type Case<'a> = (&'a str, &'a str, Vec<(Tok, &'a str)>);
        let cases: Vec<Case> = vec![
            ("", "", vec![]),
            (
                "  \"StartAt\": \"A\",",
                "",
                vec![
                    (Key, "\"StartAt\""),
                    (Punct, ":"),
                    (String, "\"A\""),
                    (Punct, ","),
                ],
            ),
            (
                "{\"a\":1.5e-3,\"b\":-2}",
                "",
                vec![
                    (Punct, "{"),
                    (Key, "\"a\""),
                    (Punct, ":"),
                    (Number, "1.5e-3"),
                    (Punct, ","),
                    (Key, "\"b\""),
                    (Punct, ":"),
                    (Number, "-2"),
                    (Punct, "}"),
                ],
            ),
            (
                "[true, false, null]",
                "",
                vec![
                    (Punct, "["),
                    (Literal, "true"),
                    (Punct, ","),
                    (Literal, "false"),
                    (Punct, ","),
                    (Literal, "null"),
                    (Punct, "]"),
                ],
            ),
            (
                "\"InputPath\": \"$.detail\"",
                "",
                vec![(Key, "\"InputPath\""), (Punct, ":"), (Path, "\"$.detail\"")],
            ),
            // Escaped quotes stay inside the string; the key's colon may be on a later line.
            ("\"a\\\"b\"", "\n  : 1", vec![(Key, "\"a\\\"b\"")]),
            ("\"a\\\"b\"", "\n  , 1", vec![(String, "\"a\\\"b\"")]),
            // Broken input still tokenizes: an unterminated string runs to the end of the line.
            ("\"open", "", vec![(String, "\"open")]),
            ("\"trailing\\", "", vec![(String, "\"trailing\\")]),
            (
                "{'a': tru}",
                "",
                vec![
                    (Punct, "{"),
                    (Invalid, "'a'"),
                    (Punct, ":"),
                    (Invalid, "tru"),
                    (Punct, "}"),
                ],
            ),
            (
                "\"é😀\": \"<script>\"",
                "",
                vec![(Key, "\"é😀\""), (Punct, ":"), (String, "\"<script>\"")],
            ),
            ("  ±1", "", vec![(Invalid, "±1")]),
        ];
        for (line, after, expected) in cases {
            let expected: Vec<(Tok, std::string::String)> = expected
                .into_iter()
                .map(|(k, s)| (k, s.to_string()))
                .collect();
            assert_eq!(toks(line, after), expected, "{line:?}");
        }
    }

    #[test]
    fn splits_lines_by_token_and_underline() {
        let err = Severity::Error;
        let warn = Severity::Warning;
        let u = |start, end, severity| Underline {
            start,
            end,
            severity,
        };
        // (line, underlines, segments as (text, class, mark), mark past the end)
        type Seg<'a> = (&'a str, Option<Tok>, Option<Severity>);
        type Case<'a> = (&'a str, Vec<Underline>, Vec<Seg<'a>>, Option<Severity>);
        let cases: Vec<Case> = vec![
            ("", vec![], vec![], None),
            (
                "  \"a\": 1",
                vec![],
                vec![
                    ("  ", None, None),
                    ("\"a\"", Some(Tok::Key), None),
                    (":", Some(Tok::Punct), None),
                    (" ", None, None),
                    ("1", Some(Tok::Number), None),
                ],
                None,
            ),
            // An underline splitting a token.
            (
                "\"abc\",",
                vec![u(2, 4, err)],
                vec![
                    ("\"a", Some(Tok::String), None),
                    ("bc", Some(Tok::String), Some(err)),
                    ("\"", Some(Tok::String), None),
                    (",", Some(Tok::Punct), None),
                ],
                None,
            ),
            // Overlapping underlines: the error wins.
            (
                "[1, 2]",
                vec![u(0, 6, warn), u(1, 2, err)],
                vec![
                    ("[", Some(Tok::Punct), Some(warn)),
                    ("1", Some(Tok::Number), Some(err)),
                    (",", Some(Tok::Punct), Some(warn)),
                    (" ", None, Some(warn)),
                    ("2", Some(Tok::Number), Some(warn)),
                    ("]", Some(Tok::Punct), Some(warn)),
                ],
                None,
            ),
            // A point underlines the character there; at the end of the line, past it.
            (
                "ab",
                vec![u(0, 0, err)],
                vec![
                    ("a", Some(Tok::Invalid), Some(err)),
                    ("b", Some(Tok::Invalid), None),
                ],
                None,
            ),
            (
                "{",
                vec![u(1, 1, err)],
                vec![("{", Some(Tok::Punct), None)],
                Some(err),
            ),
            (
                "{}",
                vec![u(1, 1, warn)],
                vec![
                    ("{", Some(Tok::Punct), None),
                    ("}", Some(Tok::Punct), Some(warn)),
                ],
                None,
            ),
            // Offsets inside a character are floored; past the line, clamped.
            (
                "\"é\"",
                vec![u(2, 99, err)],
                vec![
                    ("\"", Some(Tok::String), None),
                    ("é\"", Some(Tok::String), Some(err)),
                ],
                None,
            ),
        ];
        for (line, underlines, expected, end_mark) in cases {
            let view = line_view(line, &tokenize_line(line, ""), &underlines);
            let got: Vec<(&str, Option<Tok>, Option<Severity>)> = view
                .segments
                .iter()
                .map(|s| (&line[s.start..s.end], s.tok, s.mark))
                .collect();
            // Adjacent tokens of one kind may merge; compare after merging the expectation too.
            let mut want: Vec<(std::string::String, Option<Tok>, Option<Severity>)> = Vec::new();
            for (text, tok, mark) in expected {
                match want.last_mut() {
                    Some(last) if last.1 == tok && last.2 == mark => last.0.push_str(text),
                    _ => want.push((text.to_string(), tok, mark)),
                }
            }
            let got: Vec<(std::string::String, Option<Tok>, Option<Severity>)> = got
                .into_iter()
                .map(|(t, k, m)| (t.to_string(), k, m))
                .collect();
            assert_eq!(got, want, "{line:?} {underlines:?}");
            assert_eq!(view.end_mark, end_mark, "{line:?}");
            // The segments cover the line exactly.
            let joined: std::string::String = view
                .segments
                .iter()
                .map(|s| &line[s.start..s.end])
                .collect();
            assert_eq!(joined, line);
        }
    }
}
