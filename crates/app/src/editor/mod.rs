//! The editor pane (left column): tabs Definition / Input over one [`JsonEditor`], the
//! undo / redo / format buttons, and the list of problems (click → caret to the spot).
//!
//! Everything it changes goes through the store: edits, undo/redo (the store keeps the
//! history, so Format and loading a sample are undoable), format, the tab.

pub mod highlight;
pub mod json_editor;
#[cfg(test)]
mod perf;
pub mod text;

use stepwise_asl::{Diagnostic, Parsed, Severity, Span};
use yew::prelude::*;

use crate::ui;

pub use json_editor::{JsonEditor, JsonEditorProps, Jump, Mark};

use crate::store::{Action, Analysis, EditorTab};

/// The underlines for the definition's diagnostics. A range spanning several lines (a
/// whole state reported for a missing field) is underlined on its first line only, from
/// its key when it has one (`"Name": {`), so the squiggle says where without covering the
/// block.
pub fn definition_marks(text: &str, parsed: &Parsed) -> Vec<Mark> {
    parsed
        .diagnostics
        .iter()
        .filter_map(|d| {
            let span = d.span?;
            let key = key_of(parsed, &d.pointer, span);
            Some(mark_for(text, span, key, d.severity))
        })
        .collect()
}

/// The underlines for the input's diagnostics.
pub fn input_marks(text: &str, diagnostics: &[Diagnostic]) -> Vec<Mark> {
    diagnostics
        .iter()
        .filter_map(|d| Some(mark_for(text, d.span?, None, d.severity)))
        .collect()
}

/// The key of the member whose value range is `span` (looking at `pointer` and its
/// ancestors, the way the parser located the diagnostic).
fn key_of(parsed: &Parsed, pointer: &str, span: Span) -> Option<Span> {
    let mut p = if pointer == "/" { "" } else { pointer };
    loop {
        if let Some(node) = parsed.spans.get(p)
            && node.value == span
        {
            return node.key;
        }
        p = &p[..p.rfind('/')?];
    }
}

fn mark_for(text: &str, span: Span, key: Option<Span>, severity: Severity) -> Mark {
    let len = text.len();
    let start = (span.start.offset as usize).min(len);
    let end = (span.end.offset as usize).clamp(start, len);
    let line_end = text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(len, |i| start + i);
    if end <= line_end {
        return Mark {
            start,
            end,
            severity,
        };
    }
    let key_start = key
        .map(|k| k.start.offset as usize)
        .filter(|k| *k <= start && !text.get(*k..start).unwrap_or("\n").contains('\n'));
    let trimmed_end = start.max(
        text.get(..line_end)
            .map_or(line_end, |s| s.trim_end().len()),
    );
    Mark {
        start: key_start.unwrap_or(start),
        end: trimmed_end.max(start + 1).min(line_end.max(start)),
        severity,
    }
}

fn marks_for(analysis: &Analysis, tab: EditorTab, text: &str) -> Vec<Mark> {
    match tab {
        EditorTab::Definition => definition_marks(text, &analysis.parsed),
        EditorTab::Input => input_marks(text, &analysis.input_diagnostics),
    }
}

fn tab_name(tab: EditorTab) -> &'static str {
    match tab {
        EditorTab::Definition => "Definition",
        EditorTab::Input => "Input",
    }
}

/// The callbacks the editor gets: edit the definition, edit the input, undo, redo, format.
type Edits = (
    Callback<String>,
    Callback<String>,
    Callback<()>,
    Callback<()>,
    Callback<()>,
);

/// The state of the editor pane.
#[derive(Clone)]
pub struct EditorState {
    /// The pending jump to a problem (per tab).
    jump: UseStateHandle<Option<(EditorTab, Jump)>>,
    seq: std::rc::Rc<std::cell::RefCell<u32>>,
    edits: std::rc::Rc<Edits>,
    on_jumped: Callback<()>,
    marks: std::rc::Rc<Vec<Mark>>,
}

/// The hooks of [`editor_pane`] (run by the page, which renders it).
#[hook]
pub fn use_editor_pane(store: &crate::app::Store) -> EditorState {
    let dispatcher = store.dispatcher();
    let tab = store.tab;
    let jump = use_state(|| None::<(EditorTab, Jump)>);
    let seq = use_mut_ref(|| 0u32);

    // The editor's callbacks, made once per dispatcher (one memo for all: stable props, so
    // the editor is not re-rendered for them).
    let edits = use_memo(dispatcher, |d| {
        let on = |make: fn(String) -> Action| {
            let d = d.clone();
            Callback::from(move |text: String| d.dispatch(make(text)))
        };
        let act = |action: fn() -> Action| {
            let d = d.clone();
            Callback::from(move |()| d.dispatch(action()))
        };
        (
            on(Action::EditDefinition),
            on(Action::EditInput),
            act(|| Action::Undo),
            act(|| Action::Redo),
            act(|| Action::Format),
        )
    });
    let on_jumped = {
        let jump = jump.clone();
        use_callback((), move |_: (), _| jump.set(None))
    };
    let marks = use_memo(
        (store.analysis.clone(), tab, current_text(store)),
        |(analysis, tab, text)| marks_for(analysis, *tab, text),
    );
    EditorState {
        jump,
        seq,
        edits,
        on_jumped,
        marks,
    }
}

/// The text of the current tab.
fn current_text(store: &crate::store::State) -> AttrValue {
    let text = match store.tab {
        EditorTab::Definition => &store.docs.definition,
        EditorTab::Input => &store.docs.input,
    };
    AttrValue::from(text.clone())
}

/// The editors (a plain function of the page: its state is [`use_editor_pane`]'s).
pub fn editor_pane(store: &crate::app::Store, state: &EditorState) -> Html {
    let EditorState {
        jump,
        seq,
        edits,
        on_jumped,
        marks,
    } = state.clone();
    let tab = store.tab;
    let (edit_definition, edit_input, undo, redo, format) = (*edits).clone();
    let text = current_text(store);

    let analysis = &store.analysis;
    let definition_broken = analysis
        .parsed
        .diagnostics
        .iter()
        .any(|d| d.code == "INVALID_JSON_DESCRIPTION")
        || store.docs.definition.trim().is_empty();
    let current_broken = match tab {
        EditorTab::Definition => definition_broken,
        EditorTab::Input => !analysis.input_diagnostics.is_empty(),
    };

    let tab_button = |which: EditorTab, count: usize| {
        let store = store.clone();
        let onclick = Callback::from(move |_| store.dispatch(Action::ShowTab(which)));
        let selected = tab == which;
        let name = tab_name(which);
        html! {
            <button role="tab" id={format!("je-tab-{}", name.to_ascii_lowercase())}
                aria-selected={selected.to_string()} aria-controls="je-panel"
                tabindex={if selected { "0" } else { "-1" }}
                class="je-tab" {onclick}>
                { name }
                if count > 0 {
                    <span class="je-tab-badge" aria-hidden="true">{ count }</span>
                }
            </button>
        }
    };
    let on_tabs_key = {
        let store = store.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowLeft" | "ArrowRight" | "Home" | "End" => match tab {
                    EditorTab::Definition => EditorTab::Input,
                    EditorTab::Input => EditorTab::Definition,
                },
                _ => return,
            };
            e.prevent_default();
            store.dispatch(Action::ShowTab(next));
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| {
                    d.get_element_by_id(&format!("je-tab-{}", tab_name(next).to_ascii_lowercase()))
                })
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };

    let problems: Vec<(EditorTab, &Diagnostic)> = analysis
        .parsed
        .diagnostics
        .iter()
        .map(|d| (EditorTab::Definition, d))
        .chain(
            analysis
                .input_diagnostics
                .iter()
                .map(|d| (EditorTab::Input, d)),
        )
        .collect();
    let errors = problems.iter().filter(|(_, d)| d.is_error()).count();
    let warnings = problems.len() - errors;
    let count_of = |which: EditorTab| problems.iter().filter(|(t, _)| *t == which).count();

    let go_to = {
        let store = store.clone();
        let jump = jump.clone();
        let seq = seq.clone();
        move |which: EditorTab, offset: usize| {
            let store = store.clone();
            let jump = jump.clone();
            let seq = seq.clone();
            Callback::from(move |_: MouseEvent| {
                if store.tab != which {
                    store.dispatch(Action::ShowTab(which));
                }
                let mut n = seq.borrow_mut();
                *n = n.wrapping_add(1);
                jump.set(Some((which, Jump { offset, seq: *n })));
            })
        }
    };

    let label = tab_name(tab);
    let (on_edit, placeholder) = match tab {
        EditorTab::Definition => (edit_definition, None),
        EditorTab::Input => (edit_input, Some(AttrValue::from("{}"))),
    };
    let current_jump = jump.and_then(|(t, j)| (t == tab).then_some(j));
    let undo_click = {
        let undo = undo.clone();
        Callback::from(move |_: MouseEvent| undo.emit(()))
    };
    let redo_click = {
        let redo = redo.clone();
        Callback::from(move |_: MouseEvent| redo.emit(()))
    };
    let format_click = {
        let format = format.clone();
        Callback::from(move |_: MouseEvent| format.emit(()))
    };
    html! {
        <section class="editor-pane je-pane" aria-label="Editors">
            <div class="je-toolbar">
                <div role="tablist" class="je-tabs" aria-label="Documents" onkeydown={on_tabs_key}>
                    { tab_button(EditorTab::Definition, count_of(EditorTab::Definition)) }
                    { tab_button(EditorTab::Input, count_of(EditorTab::Input)) }
                </div>
                <div class="je-actions">
                    { ui::button_with("je-icon", Some("Undo"), Some("Undo (Ctrl+Z)"), !store.can_undo(), undo_click, icon("M5.5 3.5 2.5 6.5l3 3M3 6.5h6.5a4 4 0 0 1 0 8H7")) }
                    { ui::button_with("je-icon", Some("Redo"), Some("Redo (Ctrl+Shift+Z)"), !store.can_redo(), redo_click, icon("M10.5 3.5l3 3-3 3M13 6.5H6.5a4 4 0 0 0 0 8H9")) }
                    { ui::button_with("je-format", None, Some(if current_broken { "Fix the JSON to format it" } else { "Format (Shift+Alt+F)" }), current_broken, format_click, "Format".into()) }
                </div>
            </div>
            <div class="je-panel" id="je-panel" role="tabpanel">
                <JsonEditor
                    key={label}
                    label={label}
                    {text}
                    marks={marks}
                    {on_edit}
                    on_undo={undo}
                    on_redo={redo}
                    on_format={format}
                    jump={current_jump}
                    {on_jumped}
                    {placeholder}
                />
                if tab == EditorTab::Input {
                    <p class="je-note">
                        { "The execution input must be JSON — " }<code>{ "{}" }</code>{ " by default." }
                    </p>
                }
            </div>
            if problems.is_empty() {
                <div class="je-problems-ok">
                    <span class="je-ok-icon" aria-hidden="true">{ "✓" }</span>{ "No problems" }
                </div>
            } else {
                <div class="je-problems" role="alert">
                    <div class="je-problems-head">
                        { ui::el("span", "", "Problems".into()) }
                        if errors > 0 {
                            <span class="je-count-err">{ format!("{errors} {}", if errors == 1 { "error" } else { "errors" }) }</span>
                        }
                        if warnings > 0 {
                            <span class="je-count-warn">{ format!("{warnings} {}", if warnings == 1 { "warning" } else { "warnings" }) }</span>
                        }
                    </div>
                    <ul class="je-problem-list">
                        { for problems.iter().enumerate().map(|(i, (which, d))| {
                            let onclick = d.span.map(|s| go_to(*which, s.start.offset as usize));
                            html! { <li key={i}>{ problem_row(*which, d, onclick) }</li> }
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}

/// A toolbar icon: `<svg viewBox="0 0 16 16" aria-hidden="true"><path d={d} /></svg>`.
fn icon(d: &'static str) -> Html {
    html! { <svg viewBox="0 0 16 16" aria-hidden="true"><path {d} /></svg> }
}

fn problem_row(which: EditorTab, d: &Diagnostic, onclick: Option<Callback<MouseEvent>>) -> Html {
    let (class, severity, icon) = match d.severity {
        Severity::Error => ("je-problem je-sev-error", "Error", "✕"),
        Severity::Warning => ("je-problem je-sev-warning", "Warning", "!"),
    };
    let at = match d.span {
        Some(s) => format!("{} {}:{}", tab_name(which), s.start.line, s.start.column),
        None => tab_name(which).to_string(),
    };
    let disabled = onclick.is_none();
    html! {
        <button class={class} {onclick} {disabled} title="Go to the problem">
            <span class="je-sev-icon" aria-hidden="true">{ icon }</span>
            { ui::el("span", "je-sev", severity.into()) }
            { ui::el("span", "je-at", at.into()) }
            <code class="je-code-name" title={d.code.clone()}>{ &d.code }</code>
            { ui::el("span", "je-msg", (&d.message).into()) }
            if d.pointer != "/" && !d.pointer.is_empty() {
                { ui::el("code", "je-ptr", (&d.pointer).into()) }
            }
        </button>
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use yew::LocalServerRenderer;

    use super::*;
    use crate::store::State;
    use crate::{App, AppProps};

    fn machine_with_state(name: &str) -> String {
        format!(
            "{{\n  \"StartAt\": \"{name}\",\n  \"States\": {{\n    \"{name}\": {{\n      \"Type\": \"Pass\",\n      \"End\": true\n    }}\n  }}\n}}"
        )
    }

    async fn render_editor(props: JsonEditorProps) -> std::string::String {
        LocalServerRenderer::<JsonEditor>::with_props(props)
            .render()
            .await
    }

    fn props(text: &str, marks: Vec<Mark>) -> JsonEditorProps {
        JsonEditorProps {
            label: "Definition".into(),
            text: AttrValue::from(text.to_string()),
            marks: Rc::new(marks),
            on_edit: Callback::noop(),
            on_undo: Callback::noop(),
            on_redo: Callback::noop(),
            on_format: Callback::noop(),
            jump: None,
            on_jumped: Callback::noop(),
            placeholder: None,
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_overlay_highlights_and_escapes_user_text() {
        let text = machine_with_state("<script>alert(1)</script>");
        let html = render_editor(props(&text, vec![])).await;
        assert!(html.contains("class=\"tok-key\""), "{html}");
        assert!(html.contains("tok-punct"));
        assert!(html.contains("tok-literal"));
        assert!(html.contains("aria-label=\"Definition\""));
        assert!(
            !html.contains("<script>"),
            "user text must not become markup"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // One line number per line, in the gutter.
        assert!(html.contains(">9</div>") && !html.contains(">10</div>"));
        assert!(html.contains("9 lines"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn underlines_and_gutter_marks_show_where_the_problem_is() {
        let text = "{\n  \"StartAt\": 1\n}";
        let mark = Mark {
            start: 15,
            end: 16,
            severity: Severity::Error,
        };
        let html = render_editor(props(text, vec![mark])).await;
        assert!(html.contains("tok-number je-err"), "{html}");
        assert!(html.contains("je-ln je-err"));
        assert!(html.contains("aria-invalid=\"true\""));
    }

    #[test]
    fn marks_sit_on_the_diagnostic_and_stay_on_one_line() {
        // Broken JSON: a point where it broke.
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n";
        let parsed = stepwise_asl::parse(text);
        let marks = definition_marks(text, &parsed);
        assert_eq!(marks.len(), 1);
        let lines = text::LineIndex::new(text);
        assert_eq!(lines.line_of(marks[0].start), 3, "{marks:?}");
        // A missing field reported on a whole state: underlined from its key to the line end.
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Task\"\n    }\n  }\n}";
        let parsed = stepwise_asl::parse(text);
        let marks = definition_marks(text, &parsed);
        assert!(!marks.is_empty(), "{:?}", parsed.diagnostics);
        for m in &marks {
            let piece = &text[m.start..m.end];
            assert!(!piece.contains('\n'), "{piece:?}");
            assert!(m.end > m.start);
        }
        // Input problems too.
        let d = crate::check::input("{\n  'a': 1}").unwrap_err();
        let marks = input_marks("{\n  'a': 1}", &[d]);
        assert_eq!(marks[0].start, 4);
    }

    async fn render_app(state: State) -> std::string::String {
        LocalServerRenderer::<App>::with_props(AppProps { initial: state })
            .render()
            .await
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_pane_lists_problems_with_their_line() {
        let state = Rc::new(crate::initial_state(""));
        let html = render_app((*state).clone()).await;
        assert!(html.contains("No problems"));
        assert!(!html.contains("role=\"alert\""));
        assert!(html.contains(">Format</button>"));
        use yew::Reducible;
        let broken = state.reduce(Action::EditDefinition(
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n".into(),
        ));
        let html = render_app((*broken).clone()).await;
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("INVALID_JSON_DESCRIPTION"));
        assert!(html.contains("Definition 4:"), "{html}");
        // Undo is possible after an edit; Format is not while the JSON is broken.
        assert!(html.contains("aria-label=\"Undo\""));
        let input = broken.reduce(Action::ShowTab(EditorTab::Input));
        let html = render_app((*input).clone()).await;
        assert!(html.contains("aria-label=\"Input\""));
        assert!(html.contains("must be JSON"));
    }
}
