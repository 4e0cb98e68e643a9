//! Text geometry for the editor: lines, byte ↔ UTF-16 offsets (the DOM counts UTF-16 code
//! units, the parser counts bytes), and the small edits the editor makes itself (indent,
//! outdent, newline with indentation). Pure functions: tested natively.

use std::ops::Range;

/// The byte offset of the start of every line (`\n`-separated; at least one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// How many lines (an empty text has one).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of line `i` (0-based), without its `\n`.
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.len, |next| next.saturating_sub(1));
        Some(start..end.max(start))
    }

    /// The 0-based line holding byte `offset` (offsets past the end are on the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

/// The largest char boundary of `text` at or before `i` (clamped to the text).
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A byte offset converted to UTF-16 code units (what `setSelectionRange` takes).
/// Offsets inside a character or past the end are floored / clamped.
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let end = floor_char_boundary(text, byte);
    let units: usize = text
        .get(..end)
        .unwrap_or_default()
        .chars()
        .map(char::len_utf16)
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// A UTF-16 offset (from `selectionStart`) converted to a byte offset. An offset inside a
/// surrogate pair is floored to the character's start; past the end, clamped.
pub fn byte_offset(text: &str, utf16: u32) -> usize {
    let target = utf16 as usize;
    let mut units = 0usize;
    for (i, c) in text.char_indices() {
        let next = units + c.len_utf16();
        if next > target {
            return i;
        }
        units = next;
    }
    text.len()
}

/// The 1-based column (in characters, like the parser's) of byte `offset` on its line.
pub fn column_of(text: &str, lines: &LineIndex, offset: usize) -> usize {
    let offset = floor_char_boundary(text, offset);
    let start = lines.range(lines.line_of(offset)).map_or(0, |r| r.start);
    text.get(start.min(offset)..offset)
        .map_or(0, |s| s.chars().count())
        + 1
}

/// Where the caret goes after the text changed from `old` to `new` outside the user's
/// typing (undo, redo, format): the end of the changed region, as a byte offset in `new`.
pub fn change_end(old: &str, new: &str) -> usize {
    changed_region(old, new).map_or(new.len(), |(_, _, new_end)| new_end)
}

/// The byte range that differs between `old` and `new`: `(start, end in old, end in new)`
/// on char boundaries; `None` when they are equal.
pub fn changed_region(old: &str, new: &str) -> Option<(usize, usize, usize)> {
    if old == new {
        return None;
    }
    let start = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let max_suffix = old.len().min(new.len()) - start;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while suffix > 0
        && !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix))
    {
        suffix -= 1;
    }
    Some((start, old.len() - suffix, new.len() - suffix))
}

/// An edit the editor makes by itself: the new text and the selection (bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub selection: Range<usize>,
}

const INDENT: &str = "  ";

/// The lines touched by the selection `start..end` (a selection ending at the very start of
/// a line does not touch that line).
fn touched_lines(lines: &LineIndex, start: usize, end: usize) -> Range<usize> {
    let first = lines.line_of(start);
    let mut last = lines.line_of(end);
    if end > start && lines.range(last).is_some_and(|r| r.start == end) {
        last = last.saturating_sub(1).max(first);
    }
    first..last + 1
}

/// Tab: two spaces at the caret (replacing a selection within one line), or, when the
/// selection spans lines, two more spaces in front of each of them.
pub fn indent(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let selected = text.get(start..end).unwrap_or_default();
    if !selected.contains('\n') {
        let mut out = String::with_capacity(text.len() + INDENT.len());
        out.push_str(text.get(..start).unwrap_or_default());
        out.push_str(INDENT);
        out.push_str(text.get(end..).unwrap_or_default());
        let caret = start + INDENT.len();
        return Edit {
            text: out,
            selection: caret..caret,
        };
    }
    let lines = LineIndex::new(text);
    let touched = touched_lines(&lines, start, end);
    let mut out = String::with_capacity(text.len() + INDENT.len() * touched.len());
    let mut copied = 0;
    let mut added = 0;
    for line in touched {
        let Some(r) = lines.range(line) else { break };
        out.push_str(text.get(copied..r.start).unwrap_or_default());
        out.push_str(INDENT);
        copied = r.start;
        added += INDENT.len();
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Edit {
        text: out,
        selection: start + INDENT.len()..end + added,
    }
}

/// Shift+Tab: up to two leading spaces removed from each line the selection touches.
pub fn outdent(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let lines = LineIndex::new(text);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut new_start = start;
    let mut removed_before_end = 0;
    for line in touched_lines(&lines, start, end) {
        let Some(r) = lines.range(line) else { break };
        let body = text.get(r.clone()).unwrap_or_default();
        let remove = body
            .bytes()
            .take(INDENT.len())
            .take_while(|b| *b == b' ')
            .count();
        out.push_str(text.get(copied..r.start).unwrap_or_default());
        copied = r.start + remove;
        if r.start <= start {
            new_start = start - (start - r.start).min(remove);
        }
        if r.start <= end {
            removed_before_end += (end - r.start).min(remove);
        }
    }
    let new_end = end - removed_before_end;
    out.push_str(text.get(copied..).unwrap_or_default());
    Edit {
        text: out,
        selection: new_start..new_end.max(new_start),
    }
}

/// Enter: a newline keeping the current line's indentation, one level deeper after `{` or
/// `[`; between a bracket pair, the closing bracket moves to a line of its own.
pub fn newline(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    let lines = LineIndex::new(text);
    let line_start = lines.range(lines.line_of(start)).map_or(0, |r| r.start);
    let before = text.get(line_start..start).unwrap_or_default();
    let indent: String = before
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let opener = before.trim_end().chars().last();
    let after = text.get(end..).unwrap_or_default();
    let closer = after.trim_start_matches([' ', '\t']).chars().next();
    let opens = matches!(opener, Some('{' | '['));
    let mut insert = String::from("\n");
    insert.push_str(&indent);
    if opens {
        insert.push_str(INDENT);
    }
    let caret = start + insert.len();
    if opens
        && matches!(
            (opener, closer),
            (Some('{'), Some('}')) | (Some('['), Some(']'))
        )
    {
        insert.push('\n');
        insert.push_str(&indent);
    }
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(text.get(..start).unwrap_or_default());
    out.push_str(&insert);
    out.push_str(after);
    Edit {
        text: out,
        selection: caret..caret,
    }
}

fn ordered(text: &str, a: usize, b: usize) -> (usize, usize) {
    let a = floor_char_boundary(text, a);
    let b = floor_char_boundary(text, b);
    (a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_and_utf16_offsets_convert_both_ways() {
        // (text, byte offset, UTF-16 offset, byte offset back from that UTF-16 offset)
        let cases: &[(&str, usize, u32, usize)] = &[
            ("", 0, 0, 0),
            ("abc", 2, 2, 2),
            ("abc", 99, 3, 3),
            ("é!", 2, 1, 2),  // é is 2 bytes, 1 unit
            ("é!", 1, 0, 0),  // inside é: floored
            ("€x", 3, 1, 3),  // € is 3 bytes, 1 unit
            ("😀x", 4, 2, 4), // 😀 is 4 bytes, 2 units (a surrogate pair)
            ("😀x", 5, 3, 5),
            ("😀x", 2, 0, 0), // inside 😀: floored
            ("a\n😀\"é\"", 9, 6, 9),
            ("a\n😀\"é\"", 8, 5, 7), // inside é
            ("{\"名\": 1}", 6, 4, 6),
        ];
        for &(text, byte, units, back) in cases {
            assert_eq!(
                utf16_offset(text, byte),
                units,
                "utf16_offset({text:?}, {byte})"
            );
            assert_eq!(
                byte_offset(text, units),
                back,
                "byte_offset({text:?}, {units})"
            );
        }
        // A UTF-16 offset in the middle of a surrogate pair floors to the character.
        assert_eq!(byte_offset("😀x", 1), 0);
        assert_eq!(byte_offset("ab", 40), 2);
    }

    #[test]
    fn lines_ranges_and_columns() {
        let text = "{\n  \"é\": 1,\n\n}";
        let lines = LineIndex::new(text);
        assert_eq!(lines.count(), 4);
        // (line, range)
        for (i, range) in [(0, 0..1), (1, 2..12), (2, 13..13), (3, 14..15)] {
            assert_eq!(lines.range(i), Some(range), "line {i}");
        }
        assert_eq!(lines.range(4), None);
        // (offset, line, column)
        for (offset, line, column) in [
            (0, 0, 1),
            (1, 0, 2),
            (2, 1, 1),
            (5, 1, 4),
            (7, 1, 5),
            (13, 2, 1),
            (99, 3, 2),
        ] {
            assert_eq!(lines.line_of(offset), line, "line_of({offset})");
            assert_eq!(
                column_of(text, &lines, offset),
                column,
                "column_of({offset})"
            );
        }
        assert_eq!(LineIndex::new("").count(), 1);
        assert_eq!(LineIndex::new("a\n").range(1), Some(2..2));
    }

    #[test]
    fn the_caret_goes_to_the_end_of_a_change() {
        // (old, new, caret in new)
        let cases = [
            ("abc", "abXc", 3),
            ("abXc", "abc", 2),
            ("{\"a\":1}", "{\n  \"a\": 1\n}", 11),
            ("same", "same", 4),
            ("aaa", "aaaa", 4),
            ("é", "éé", 4),
            ("", "x", 1),
            ("x", "", 0),
        ];
        for (old, new, caret) in cases {
            assert_eq!(change_end(old, new), caret, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn indent_outdent_and_newline() {
        struct Case {
            name: &'static str,
            op: fn(&str, usize, usize) -> Edit,
            text: &'static str,
            sel: (usize, usize),
            out: &'static str,
            out_sel: (usize, usize),
        }
        let cases = [
            Case {
                name: "tab at caret",
                op: indent,
                text: "ab",
                sel: (1, 1),
                out: "a  b",
                out_sel: (3, 3),
            },
            Case {
                name: "tab replaces a one-line selection",
                op: indent,
                text: "abcd",
                sel: (1, 3),
                out: "a  d",
                out_sel: (3, 3),
            },
            Case {
                name: "tab indents touched lines",
                op: indent,
                text: "a\nb\nc",
                sel: (0, 3),
                out: "  a\n  b\nc",
                out_sel: (2, 7),
            },
            Case {
                name: "selection ending at a line start",
                op: indent,
                text: "a\nb\nc",
                sel: (0, 4),
                out: "  a\n  b\nc",
                out_sel: (2, 8),
            },
            Case {
                name: "outdent",
                op: outdent,
                text: "    a\n b\nc",
                sel: (4, 8),
                out: "  a\nb\nc",
                out_sel: (2, 5),
            },
            Case {
                name: "outdent caret in indentation",
                op: outdent,
                text: "  x",
                sel: (1, 1),
                out: "x",
                out_sel: (0, 0),
            },
            Case {
                name: "outdent nothing to remove",
                op: outdent,
                text: "x",
                sel: (1, 1),
                out: "x",
                out_sel: (1, 1),
            },
            Case {
                name: "newline keeps indentation",
                op: newline,
                text: "  \"a\": 1,",
                sel: (9, 9),
                out: "  \"a\": 1,\n  ",
                out_sel: (12, 12),
            },
            Case {
                name: "newline after an opener",
                op: newline,
                text: "  \"a\": {",
                sel: (8, 8),
                out: "  \"a\": {\n    ",
                out_sel: (13, 13),
            },
            Case {
                name: "newline between brackets",
                op: newline,
                text: "[]",
                sel: (1, 1),
                out: "[\n  \n]",
                out_sel: (4, 4),
            },
            Case {
                name: "newline replaces the selection",
                op: newline,
                text: "abc",
                sel: (1, 2),
                out: "a\nc",
                out_sel: (2, 2),
            },
            Case {
                name: "offsets inside a character are floored",
                op: indent,
                text: "é",
                sel: (1, 1),
                out: "  é",
                out_sel: (2, 2),
            },
            Case {
                name: "offsets past the end are clamped",
                op: indent,
                text: "é",
                sel: (9, 9),
                out: "é  ",
                out_sel: (4, 4),
            },
        ];
        for c in cases {
            let edit = (c.op)(c.text, c.sel.0, c.sel.1);
            assert_eq!(edit.text, c.out, "{}", c.name);
            assert_eq!(edit.selection, c.out_sel.0..c.out_sel.1, "{}", c.name);
        }
    }
}
