//! Text measurement without a font: a per-character width estimate for a typical
//! sans-serif UI font, word wrapping and truncation.

/// Sizes and spacings, in CSS pixels. The UI passes its font size; the rest has
/// defaults that look right at 13 px.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutOptions {
    /// Font size of state names.
    pub font_size: f64,
    /// Font size of subtitles, edge labels, branch captions and anchors.
    pub small_font_size: f64,
    /// Line height as a multiple of the font size.
    pub line_height: f64,
    /// Scale on the built-in character widths (calibrate for a wider/narrower font).
    pub char_width_scale: f64,
    /// Horizontal padding inside a node.
    pub node_padding_x: f64,
    /// Vertical padding inside a node.
    pub node_padding_y: f64,
    pub min_node_width: f64,
    /// Text wider than this wraps (names) or is truncated (subtitles).
    pub max_text_width: f64,
    /// Edge labels wider than this are truncated with "…".
    pub max_label_width: f64,
    /// Horizontal gap between nodes of one layer.
    pub node_spacing: f64,
    /// Horizontal gap between an edge and a node or another edge.
    pub edge_spacing: f64,
    /// Vertical gap between layers (when no edge label sits in between).
    pub layer_spacing: f64,
    /// Empty border around every block's content.
    pub block_margin: f64,
    /// Gap between Parallel branches, and padding of a Map/Parallel box.
    pub branch_spacing: f64,
    /// Width reserved for the retry badge in a node's header.
    pub badge_width: f64,
    /// How far a self-loop sticks out to the right of its node.
    pub self_loop_width: f64,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            font_size: 13.0,
            small_font_size: 11.0,
            line_height: 1.35,
            char_width_scale: 1.0,
            node_padding_x: 14.0,
            node_padding_y: 8.0,
            min_node_width: 120.0,
            max_text_width: 200.0,
            max_label_width: 170.0,
            node_spacing: 36.0,
            edge_spacing: 14.0,
            layer_spacing: 44.0,
            block_margin: 16.0,
            branch_spacing: 14.0,
            badge_width: 30.0,
            self_loop_width: 26.0,
        }
    }
}

impl LayoutOptions {
    /// These options with every value that is not a finite, sensible number
    /// replaced by its default (the layout never sees NaN or negative sizes).
    pub fn sanitized(&self) -> LayoutOptions {
        let d = LayoutOptions::default();
        let pick = |v: f64, dv: f64, min: f64| if v.is_finite() && v >= min { v } else { dv };
        LayoutOptions {
            font_size: pick(self.font_size, d.font_size, 1.0),
            small_font_size: pick(self.small_font_size, d.small_font_size, 1.0),
            line_height: pick(self.line_height, d.line_height, 0.5),
            char_width_scale: pick(self.char_width_scale, d.char_width_scale, 0.1),
            node_padding_x: pick(self.node_padding_x, d.node_padding_x, 0.0),
            node_padding_y: pick(self.node_padding_y, d.node_padding_y, 0.0),
            min_node_width: pick(self.min_node_width, d.min_node_width, 0.0),
            max_text_width: pick(self.max_text_width, d.max_text_width, 20.0),
            max_label_width: pick(self.max_label_width, d.max_label_width, 20.0),
            node_spacing: pick(self.node_spacing, d.node_spacing, 0.0),
            edge_spacing: pick(self.edge_spacing, d.edge_spacing, 0.0),
            layer_spacing: pick(self.layer_spacing, d.layer_spacing, 0.0),
            block_margin: pick(self.block_margin, d.block_margin, 0.0),
            branch_spacing: pick(self.branch_spacing, d.branch_spacing, 0.0),
            badge_width: pick(self.badge_width, d.badge_width, 0.0),
            self_loop_width: pick(self.self_loop_width, d.self_loop_width, 8.0),
        }
    }
}

/// Estimated advance of one character, in ems, for a common sans-serif font
/// (system-ui / Helvetica / Arial metrics, rounded).
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.27,
        'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-' | '"'
        | '`' => 0.36,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.86,
        'A'..='Z' => 0.67,
        '0'..='9' | '$' | '_' | '#' | '*' | '?' | '<' | '>' | '=' | '+' | '~' | '^' | '&' => 0.56,
        'a'..='z' => 0.53,
        c if c.is_ascii() => 0.5,
        // CJK and other wide scripts take a full em.
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{1F300}'..='\u{1FAFF}' => 1.0,
        _ => 0.6,
    }
}

/// Estimated width in pixels of `text` set at `font_size`.
pub fn text_width(text: &str, font_size: f64, opts: &LayoutOptions) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font_size * opts.char_width_scale
}

/// Truncates `text` with "…" so it fits in `max` pixels.
pub fn truncate(text: &str, font_size: f64, max: f64, opts: &LayoutOptions) -> String {
    if text_width(text, font_size, opts) <= max {
        return text.to_string();
    }
    let budget = max - text_width("…", font_size, opts);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_em(c) * font_size * opts.char_width_scale;
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    out
}

/// Word-wraps `text` into lines of at most `max` pixels (a word longer than a line
/// is broken), keeping at most `max_lines` lines (the last one truncated).
pub fn wrap(
    text: &str,
    font_size: f64,
    max: f64,
    max_lines: usize,
    opts: &LayoutOptions,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, font_size, opts) <= max {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        // Break an over-long word.
        let mut piece = String::new();
        for c in word.chars() {
            let mut next = piece.clone();
            next.push(c);
            if !piece.is_empty() && text_width(&next, font_size, opts) > max {
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            } else {
                piece = next;
            }
        }
        cur = piece;
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1);
        let rest = lines.split_off(keep - 1).join(" ");
        lines.push(truncate(&rest, font_size, max, opts));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_and_truncate() {
        let o = LayoutOptions::default();
        // (text, max px, max lines, expected lines)
        let cases: &[(&str, f64, usize, &[&str])] = &[
            ("Submit Batch Job", 200.0, 3, &["Submit Batch Job"]),
            ("Submit Batch Job", 70.0, 3, &["Submit", "Batch Job"]),
            ("Submit Batch Job", 60.0, 3, &["Submit", "Batch", "Job"]),
            ("", 60.0, 3, &[""]),
            (
                "aaaaaaaaaaaaaaaaaaaa",
                40.0,
                9,
                &["aaaaa", "aaaaa", "aaaaa", "aaaaa"],
            ),
            ("one two three four five", 30.0, 2, &["one", "tw…"]),
            (
                "one two three four five",
                90.0,
                2,
                &["one two three", "four five"],
            ),
        ];
        for (text, max, n, want) in cases {
            let got = wrap(text, 13.0, *max, *n, &o);
            if *max >= 40.0 {
                for l in &got {
                    assert!(
                        text_width(l, 13.0, &o) <= *max + 0.01,
                        "{l:?} wider than {max}"
                    );
                }
            }
            assert_eq!(&got, want, "wrap({text:?}, {max})");
        }
        assert_eq!(truncate("short", 11.0, 100.0, &o), "short");
        let t = truncate("a rather long label that will not fit", 11.0, 60.0, &o);
        assert!(t.ends_with('…') && text_width(&t, 11.0, &o) <= 60.0, "{t}");
    }
}
