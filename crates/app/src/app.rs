//! The page's components. They render the store and dispatch actions; nothing else.

use stepwise_asl::{Diagnostic, Severity};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::samples::SAMPLES;
use crate::store::{Action, EditorTab, State};

pub type Store = UseReducerHandle<State>;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The state the page opens with (from `?sample=` or the default sample).
    pub initial: State,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let store = use_reducer(move || initial);
    html! {
        <ContextProvider<Store> context={store}>
            <div class="app">
                <Header />
                <main class="workspace">
                    <EditorPane />
                    <ProblemsPane />
                </main>
            </div>
        </ContextProvider<Store>>
    }
}

/// The store, provided by [`App`] to every component below it.
#[hook]
fn use_store() -> Store {
    // Only reachable without the provider if a component is mounted outside `App`: a bug.
    use_context::<Store>().expect("Store context is provided by App")
}

#[function_component(Header)]
fn header() -> Html {
    let store = use_store();
    let onchange = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(sample) = SAMPLES.iter().find(|s| s.id == select.value()) {
                store.dispatch(Action::LoadSample(sample.id));
            }
        })
    };
    let current = store.sample.unwrap_or("");
    html! {
        <header class="topbar">
            <h1 class="brand">{ "Stepwise" }</h1>
            <label class="field">
                <span>{ "Sample" }</span>
                <select aria-label="Sample" {onchange}>
                    if store.sample.is_none() {
                        <option value="" selected=true>{ "(edited)" }</option>
                    }
                    { for SAMPLES.iter().map(|s| html! {
                        <option value={s.id} selected={s.id == current}>{ s.title }</option>
                    }) }
                </select>
            </label>
        </header>
    }
}

#[function_component(EditorPane)]
fn editor_pane() -> Html {
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
        EditorTab::Definition => ("Definition", store.definition.clone(), Action::EditDefinition),
        EditorTab::Input => ("Input", store.input.clone(), Action::EditInput),
    };
    let oninput = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            store.dispatch(on_edit(area.value()));
        })
    };
    html! {
        <section class="editor-pane">
            <div role="tablist" class="tabs">
                { tab_button(EditorTab::Definition, "Definition") }
                { tab_button(EditorTab::Input, "Input") }
            </div>
            <textarea class="code" aria-label={label} spellcheck="false" {value} {oninput} />
        </section>
    }
}

#[function_component(ProblemsPane)]
fn problems_pane() -> Html {
    let store = use_store();
    let all: Vec<(&str, &Diagnostic)> = store
        .diagnostics
        .iter()
        .map(|d| ("Definition", d))
        .chain(store.input_diagnostics.iter().map(|d| ("Input", d)))
        .collect();
    html! {
        <section class="problems-pane">
            <h2>{ "Problems" }</h2>
            if all.is_empty() {
                <p class="ok">{ "No problems: the definition and the input are valid." }</p>
            } else {
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
