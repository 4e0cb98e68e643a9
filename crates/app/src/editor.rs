//! The editors (Definition / Input) and the list of problems.

use stepwise_asl::{Diagnostic, Severity};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::app::use_store;
use crate::store::{Action, EditorTab};

#[function_component(EditorPane)]
pub fn editor_pane() -> Html {
    let store = use_store();
    let tab = store.tab;
    let tab_button = |which: EditorTab, label: &'static str| {
        let store = store.clone();
        let onclick = Callback::from(move |_| store.dispatch(Action::ShowTab(which)));
        html! {
            <button role="tab" aria-selected={(tab == which).to_string()} class="tab" {onclick}>{ label }</button>
        }
    };
    let (label, value, on_edit): (&str, String, fn(String) -> Action) = match tab {
        EditorTab::Definition => (
            "Definition",
            store.docs.definition.clone(),
            Action::EditDefinition,
        ),
        EditorTab::Input => ("Input", store.docs.input.clone(), Action::EditInput),
    };
    let oninput = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            store.dispatch(on_edit(area.value()));
        })
    };
    let format = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Format))
    };
    let analysis = &store.analysis;
    let all: Vec<(&str, &Diagnostic)> = analysis
        .parsed
        .diagnostics
        .iter()
        .map(|d| ("Definition", d))
        .chain(analysis.input_diagnostics.iter().map(|d| ("Input", d)))
        .collect();
    html! {
        <section class="editor-pane">
            <div role="tablist" class="tabs">
                { tab_button(EditorTab::Definition, "Definition") }
                { tab_button(EditorTab::Input, "Input") }
                <span class="spacer" />
                <button class="small" onclick={format}>{ "Format" }</button>
            </div>
            <textarea class="code" aria-label={label} spellcheck="false" {value} {oninput} />
            if !all.is_empty() {
                <ul role="alert" class="diagnostics">
                    { for all.iter().map(|(source, d)| diagnostic_row(source, d)) }
                </ul>
            }
        </section>
    }
}

fn diagnostic_row(source: &str, d: &Diagnostic) -> Html {
    let class = match d.severity {
        Severity::Error => "diag error",
        Severity::Warning => "diag warning",
    };
    let at = d
        .span
        .map(|s| format!("{source} {}:{}", s.start.line, s.start.column))
        .unwrap_or_else(|| source.to_string());
    html! {
        <li class={class}>
            <span class="diag-at">{ at }</span>
            <code class="diag-code">{ &d.code }</code>
            <span class="diag-message">{ &d.message }</span>
            <code class="diag-pointer">{ &d.pointer }</code>
        </li>
    }
}
