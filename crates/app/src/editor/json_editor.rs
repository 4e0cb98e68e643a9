//! `JsonEditor`: a native `<textarea>` (it keeps typing, selection, IME, the clipboard and
//! accessibility) with transparent text, over a highlighted copy of the text drawn by Yew,
//! with line numbers and diagnostic underlines.
//!
//! Only the lines on screen (plus an overscan) are tokenized and rendered, as a keyed list:
//! the work per keystroke does not grow with the document. The overlay follows the
//! textarea's scroll by a CSS transform set directly on scroll (no re-render); the window
//! of rendered lines moves in chunks.
//!
//! The DOM value is written only when it differs from what the textarea holds (undo, redo,
//! format, a sample), so typing never moves the caret; after such a change the caret goes
//! to the end of the changed region.
//!
//! Keys: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo (the store's history, not the
//! browser's), Tab inserts two spaces (indents a multi-line selection), Shift+Tab outdents,
//! Enter keeps the indentation, Shift+Alt+F formats. Tab is captured, so to leave the editor
//! from the keyboard press Esc, then Tab or Shift+Tab (CodeMirror's convention; the hint
//! under the editor says so and is the textarea's description).

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use stepwise_asl::Severity;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement, InputEvent};
use yew::prelude::*;

use super::highlight::{LineView, Segment, Tok, Underline, line_view, tokenize_line};
use super::text::{
    Edit, LineIndex, byte_offset, change_end, changed_region, column_of, indent, newline, outdent,
    utf16_offset,
};

/// Height of a line in px; keep in step with `--je-line` in editor.css.
pub const LINE_HEIGHT: i32 = 20;
/// Top padding of the text in px; keep in step with `--je-pad` in editor.css.
const PAD: i32 = 8;
/// Lines rendered above and below the visible ones.
const OVERSCAN: usize = 30;
/// The rendered window moves by this many lines at a time.
const CHUNK: usize = 10;
/// Visible lines assumed before the textarea has been measured.
const DEFAULT_VISIBLE: usize = 60;

/// A diagnostic to underline: a byte range of the text (`start == end`: a point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

/// A request to put the caret at a byte offset and focus the editor (from the problem
/// list). `seq` makes two clicks on the same row two requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    pub offset: usize,
    pub seq: u32,
}

#[derive(Properties, PartialEq)]
pub struct JsonEditorProps {
    /// The accessible name of the textarea ("Definition", "Input").
    pub label: AttrValue,
    pub text: AttrValue,
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    /// The whole new text after an edit.
    pub on_edit: Callback<String>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    #[prop_or_default]
    pub on_format: Callback<()>,
    #[prop_or_default]
    pub jump: Option<Jump>,
    /// Called once a [`Jump`] was carried out (the owner clears it).
    #[prop_or_default]
    pub on_jumped: Callback<()>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    first: usize,
    rows: usize,
}

/// The rendered window for a scroll position and a viewport height (px).
fn window_for(scroll_top: i32, height: i32) -> Window {
    let top_line = usize::try_from((scroll_top - PAD).max(0) / LINE_HEIGHT).unwrap_or(0);
    let visible = usize::try_from(height.max(0) / LINE_HEIGHT + 2).unwrap_or(DEFAULT_VISIBLE);
    Window {
        first: top_line.saturating_sub(OVERSCAN) / CHUNK * CHUNK,
        rows: visible.max(1) + 2 * OVERSCAN + CHUNK,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Caret {
    line: usize,
    column: usize,
    focused: bool,
}

/// Whether the textarea holds `text` (a textarea normalizes line breaks to `\n`).
fn same_text(dom: &str, text: &str) -> bool {
    dom == text || (text.contains('\r') && dom == text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn is_focused(el: &Element) -> bool {
    el.owner_document()
        .and_then(|d| d.active_element())
        .is_some_and(|a| &a == el)
}

/// Move the overlay and the gutter to the textarea's scroll position.
fn sync_scroll(area: &NodeRef, content: &NodeRef, gutter: &NodeRef) {
    let Some(el) = area.cast::<Element>() else {
        return;
    };
    let (top, left) = (el.scroll_top(), el.scroll_left());
    if let Some(c) = content.cast::<Element>() {
        let _ = c.set_attribute(
            "style",
            &format!("transform:translate3d({}px,{}px,0)", -left, -top),
        );
    }
    if let Some(g) = gutter.cast::<Element>() {
        let _ = g.set_attribute("style", &format!("transform:translate3d(0,{}px,0)", -top));
    }
}

/// Scroll the textarea so that `line` (0-based) is well inside the viewport.
fn reveal_line(el: &Element, line: usize) {
    let y = i32::try_from(line)
        .unwrap_or(i32::MAX / LINE_HEIGHT)
        .saturating_mul(LINE_HEIGHT)
        + PAD;
    let (top, height) = (el.scroll_top(), el.client_height());
    if y < top || y + LINE_HEIGHT > top + height {
        el.set_scroll_top((y - height / 3).max(0));
    }
}

/// Apply an edit computed from the textarea's value and selection: write it to the DOM,
/// place the selection, and report the new text.
fn apply_edit(
    area: &NodeRef,
    on_edit: &Callback<String>,
    edit: impl Fn(&str, usize, usize) -> Edit,
) {
    let Some(el) = area.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let value = el.value();
    let start = el.selection_start().ok().flatten().unwrap_or(0);
    let end = el.selection_end().ok().flatten().unwrap_or(start);
    let done = edit(&value, byte_offset(&value, start), byte_offset(&value, end));
    // Replace only the changed region, the way typing does: setting the whole value of a
    // long document makes the browser lay out all of its text again (~15 ms for 1,000
    // lines), an insertion only the lines it touches. `insertText` also fires the `input`
    // event that reports the edit.
    if !replace_changed(&el, &value, &done.text) {
        el.set_value(&done.text);
        on_edit.emit(done.text.clone());
    }
    let _ = el.set_selection_range(
        utf16_offset(&done.text, done.selection.start),
        utf16_offset(&done.text, done.selection.end),
    );
}

/// Turn `old` (the textarea's value) into `new` by replacing the changed region through
/// the browser's editing commands. False when the browser refused (the caller sets the
/// value instead).
fn replace_changed(el: &HtmlTextAreaElement, old: &str, new: &str) -> bool {
    let Some((start, old_end, new_end)) = changed_region(old, new) else {
        return true;
    };
    let _ = el.focus();
    if el
        .set_selection_range(utf16_offset(old, start), utf16_offset(old, old_end))
        .is_err()
    {
        return false;
    }
    let inserted = new.get(start..new_end).unwrap_or_default();
    // A browser that throws instead of returning false refuses just the same.
    let done = if inserted.is_empty() {
        exec_command("delete", false, "")
    } else {
        exec_command("insertText", false, inserted)
    }
    .unwrap_or(false);
    done && same_text(&el.value(), new)
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `document.execCommand` (web-sys has it on `HtmlDocument`, a feature this crate
    /// does not enable).
    #[wasm_bindgen(catch, js_namespace = document, js_name = execCommand)]
    fn exec_command(
        command: &str,
        show_ui: bool,
        value: &str,
    ) -> Result<bool, wasm_bindgen::JsValue>;
}

fn mark_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "je-err",
        Severity::Warning => "je-warn",
    }
}

fn segment_html(line: &str, seg: &Segment) -> Html {
    let piece = line.get(seg.start..seg.end).unwrap_or_default().to_string();
    if seg.tok.is_none() && seg.mark.is_none() {
        return html! { { piece } };
    }
    html! {
        <span class={classes!(seg.tok.map(Tok::class), seg.mark.map(mark_class))}>{ piece }</span>
    }
}

/// The part of `mark` on the line `range`, relative to the line.
fn clip(mark: &Mark, range: &std::ops::Range<usize>) -> Option<Underline> {
    let point = mark.start == mark.end;
    let on_line = if point {
        range.start <= mark.start && mark.start <= range.end
    } else {
        mark.start < range.end.max(range.start + 1) && mark.end > range.start
    };
    on_line.then(|| Underline {
        start: mark.start.max(range.start) - range.start,
        end: mark.end.min(range.end).max(mark.start.max(range.start)) - range.start,
        severity: mark.severity,
    })
}

#[derive(Properties, PartialEq)]
struct CodeLineProps {
    text: AttrValue,
    view: LineView,
    active: bool,
}

/// One highlighted line of the overlay: memoised on its text, tokens, underlines and
/// whether it holds the caret, so an edit re-renders only the lines it changed.
#[function_component(CodeLine)]
fn code_line(props: &CodeLineProps) -> Html {
    let line: &str = &props.text;
    let view = &props.view;
    html! {
        <span class={classes!("je-line", props.active.then_some("je-active"))}>
            { for view.segments.iter().map(|s| segment_html(line, s)) }
            if let Some(sev) = view.end_mark {
                <span class={classes!("je-eol", mark_class(sev))}>{ " " }</span>
            }
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct GutterProps {
    /// The first line rendered (0-based).
    first: usize,
    /// Per rendered line, the worst diagnostic on it.
    marks: Vec<Option<Severity>>,
    /// The caret's line, while focused.
    active: Option<usize>,
}

/// The line numbers of the rendered window: memoised, so typing within a line does not
/// touch them.
#[function_component(Gutter)]
fn gutter(props: &GutterProps) -> Html {
    let active = props.active;
    let numbers = props.marks.iter().enumerate().map(|(k, sev)| {
        let i = props.first + k;
        html! {
            <div key={i} class={classes!(
                "je-ln",
                sev.map(mark_class),
                (active == Some(i)).then_some("je-active"),
            )}>{ i + 1 }</div>
        }
    });
    html! { <>{ for numbers }</> }
}

#[function_component(JsonEditor)]
pub fn json_editor(props: &JsonEditorProps) -> Html {
    let area = use_node_ref();
    let content = use_node_ref();
    let gutter = use_node_ref();
    let window = use_state_eq(|| Window {
        first: 0,
        rows: DEFAULT_VISIBLE + 2 * OVERSCAN + CHUNK,
    });
    let caret = use_state_eq(Caret::default);
    // Esc was pressed: the next Tab leaves the editor instead of indenting.
    let escaped = use_state_eq(|| false);
    let lines = use_memo(props.text.clone(), |t| LineIndex::new(t));

    // The store's text → the DOM, only when they differ.
    {
        let area = area.clone();
        use_effect_with(props.text.clone(), move |text| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                let current = el.value();
                if !same_text(&current, text) {
                    let focused = is_focused(&el);
                    el.set_value(text);
                    if focused {
                        let at = utf16_offset(text, change_end(&current, text));
                        let _ = el.set_selection_range(at, at);
                    }
                }
            }
        });
    }
    // Measure the viewport once mounted; undo/redo from the browser's own menu.
    {
        let area = area.clone();
        let window = window.clone();
        let on_undo = props.on_undo.clone();
        let on_redo = props.on_redo.clone();
        crate::app::use_mount(Box::new(move || {
            let listener = area.cast::<Element>().map(|el| {
                window.set(window_for(el.scroll_top(), el.client_height()));
                EventListener::new_with_options(
                    &el,
                    "beforeinput",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<InputEvent>() else {
                            return;
                        };
                        match e.input_type().as_str() {
                            "historyUndo" => {
                                e.prevent_default();
                                on_undo.emit(());
                            }
                            "historyRedo" => {
                                e.prevent_default();
                                on_redo.emit(());
                            }
                            _ => {}
                        }
                    },
                )
            });
            Box::new(listener)
        }));
    }
    // After every render the overlay follows the textarea's scroll.
    {
        let (area, content, gutter) = (area.clone(), content.clone(), gutter.clone());
        use_effect(move || sync_scroll(&area, &content, &gutter));
    }
    // Caret to a diagnostic.
    {
        let area = area.clone();
        let text = props.text.clone();
        let lines = lines.clone();
        let on_jumped = props.on_jumped.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(el)) = (jump, area.cast::<HtmlTextAreaElement>()) {
                let _ = el.focus();
                let at = utf16_offset(&text, jump.offset);
                let _ = el.set_selection_range(at, at);
                reveal_line(&el, lines.line_of(jump.offset));
                on_jumped.emit(());
            }
        });
    }

    let track_caret = {
        let caret = caret.clone();
        let text = props.text.clone();
        let lines = lines.clone();
        move |el: &HtmlTextAreaElement, focused: bool| {
            let sel = el.selection_end().ok().flatten().unwrap_or(0);
            let at = byte_offset(&text, sel);
            caret.set(Caret {
                line: lines.line_of(at),
                column: column_of(&text, &lines, at),
                focused,
            });
        }
    };
    let on_caret_key = {
        let track = track_caret.clone();
        Callback::from(move |e: KeyboardEvent| track(&e.target_unchecked_into(), true))
    };
    let on_caret_mouse = {
        let track = track_caret.clone();
        Callback::from(move |e: MouseEvent| track(&e.target_unchecked_into(), true))
    };
    let onfocus = {
        let track = track_caret.clone();
        Callback::from(move |e: FocusEvent| track(&e.target_unchecked_into(), true))
    };
    let onblur = {
        let caret = caret.clone();
        let escaped = escaped.clone();
        Callback::from(move |_: FocusEvent| {
            caret.set(Caret {
                focused: false,
                ..*caret
            });
            escaped.set(false);
        })
    };
    let onselect = {
        let track = track_caret;
        Callback::from(move |e: Event| track(&e.target_unchecked_into(), true))
    };
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            on_edit.emit(el.value());
        })
    };
    let onscroll = {
        let (area, content, gutter) = (area.clone(), content.clone(), gutter.clone());
        let window = window.clone();
        Callback::from(move |_: Event| {
            sync_scroll(&area, &content, &gutter);
            if let Some(el) = area.cast::<Element>() {
                window.set(window_for(el.scroll_top(), el.client_height()));
            }
        })
    };
    let onkeydown = {
        let area = area.clone();
        let escaped = escaped.clone();
        let on_edit = props.on_edit.clone();
        let on_undo = props.on_undo.clone();
        let on_redo = props.on_redo.clone();
        let on_format = props.on_format.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let key = e.key();
            let command = e.ctrl_key() || e.meta_key();
            let (shift, alt) = (e.shift_key(), e.alt_key());
            if command && !alt {
                match (key.as_str(), shift) {
                    ("z" | "Z", false) => {
                        e.prevent_default();
                        on_undo.emit(());
                        return;
                    }
                    ("z" | "Z", true) | ("y" | "Y", false) => {
                        e.prevent_default();
                        on_redo.emit(());
                        return;
                    }
                    _ => {}
                }
            }
            match key.as_str() {
                "Escape" => escaped.set(true),
                "Tab" if !command && !alt => {
                    if *escaped {
                        escaped.set(false);
                        return;
                    }
                    e.prevent_default();
                    if shift {
                        apply_edit(&area, &on_edit, outdent);
                    } else {
                        apply_edit(&area, &on_edit, indent);
                    }
                }
                "Enter" if !command && !alt && !shift => {
                    e.prevent_default();
                    apply_edit(&area, &on_edit, newline);
                }
                _ if shift && alt && !command && e.code() == "KeyF" => {
                    e.prevent_default();
                    on_format.emit(());
                }
                "Shift" | "Control" | "Alt" | "Meta" => {}
                _ => escaped.set(false),
            }
        })
    };

    let text: &str = &props.text;
    let total = lines.count();
    let first = window.first.min(total.saturating_sub(1));
    let last = (first + window.rows).min(total);
    let mut gutter_marks: Vec<Option<Severity>> = vec![None; last - first];
    for m in props.marks.iter() {
        let l = lines.line_of(m.start);
        if let Some(slot) = l.checked_sub(first).and_then(|i| gutter_marks.get_mut(i)) {
            *slot = Some(slot.map_or(m.severity, |s| s.min(m.severity)));
        }
    }
    let active = caret.focused.then_some(caret.line);
    let top = format!(
        "top:{}px",
        i64::try_from(first).unwrap_or(0) * i64::from(LINE_HEIGHT) + i64::from(PAD)
    );
    let rendered_lines = (first..last).map(|i| {
        let Some(range) = lines.range(i) else {
            return html! {};
        };
        let line = text.get(range.clone()).unwrap_or_default();
        let after = text.get(range.end..).unwrap_or_default();
        let tokens = tokenize_line(line, after);
        let underlines: Vec<Underline> =
            props.marks.iter().filter_map(|m| clip(m, &range)).collect();
        let view = line_view(line, &tokens, &underlines);
        html! {
            <CodeLine key={i} text={AttrValue::from(line.to_string())} {view}
                active={active == Some(i)} />
        }
    });
    let digits = total.to_string().len().max(2);
    let hint_id = format!("je-hint-{}", props.label.to_ascii_lowercase());
    let has_errors = props.marks.iter().any(|m| m.severity == Severity::Error);
    html! {
        <div class="je" style={format!("--je-digits:{digits}")}>
            <div class="je-body">
                <div class="je-gutter" aria-hidden="true">
                    <div class="je-gutter-inner" ref={gutter}>
                        <div class="je-gutter-lines" style={top.clone()}>
                            <Gutter {first} marks={gutter_marks} {active} />
                        </div>
                    </div>
                </div>
                <div class="je-code">
                    <div class="je-viewport" aria-hidden="true">
                        <div class="je-content" ref={content}>
                            <pre class="je-lines" style={top}>{ for rendered_lines }</pre>
                        </div>
                    </div>
                    <textarea
                        ref={area}
                        class="je-input"
                        aria-label={props.label.clone()}
                        aria-describedby={hint_id.clone()}
                        aria-invalid={has_errors.to_string()}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        autocorrect="off"
                        wrap="off"
                        placeholder={props.placeholder.clone()}
                        defaultvalue={props.text.clone()}
                        {oninput}
                        {onkeydown}
                        onkeyup={on_caret_key}
                        onmouseup={on_caret_mouse}
                        {onfocus}
                        {onblur}
                        {onselect}
                        {onscroll}
                    />
                </div>
            </div>
            <div class="je-statusbar">
                <span class="je-pos">
                    { if caret.focused { format!("Ln {}, Col {}", caret.line + 1, caret.column) } else { String::new() } }
                </span>
                <span class="je-count">{ format!("{total} {}", if total == 1 { "line" } else { "lines" }) }</span>
                <span class="je-hint" id={hint_id}>
                    { if *escaped { "Tab now moves focus" } else { "Tab indents · Esc then Tab leaves" } }
                </span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use crate::editor::text::changed_region;

    #[test]
    fn the_changed_region_is_the_smallest_replacement() {
        // (old, new, expected (start, end in old, end in new))
        type Region = Option<(usize, usize, usize)>;
        let cases: &[(&str, &str, Region)] = &[
            ("abc", "abc", None),
            ("{\n}", "{\n  \n}", Some((2, 2, 5))),
            ("  a\n  b", "a\n  b", Some((0, 2, 0))),
            ("x", "", Some((0, 1, 0))),
            ("", "é", Some((0, 0, 2))),
            // Multi-byte characters sharing their last byte are not split.
            ("aé", "aè", Some((1, 3, 3))),
            ("aaa", "aaaa", Some((3, 3, 4))),
        ];
        for (old, new, expected) in cases {
            let got = changed_region(old, new);
            assert_eq!(got, *expected, "{old:?} -> {new:?}");
            if let Some((s, oe, ne)) = got {
                assert_eq!(format!("{}{}{}", &old[..s], &new[s..ne], &old[oe..]), *new);
            }
        }
    }
}
