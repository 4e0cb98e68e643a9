//! The page shell: the top bar and the regions. Each region is a component of its own
//! module; they all render the one store and dispatch actions to it.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui;

use crate::editor::EditorPane;
use crate::files::FileMenu;
use crate::graph::GraphPane;
use crate::inspector::InspectorPane;
use crate::persist::{restore_bar, storage_alert, use_autosave};
use crate::run::RunStrip;
use crate::samples::{SAMPLES, Sample};
use crate::share::{ShareButton, link_alert};
use crate::store::{Action, State};
use crate::view;

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
    use_autosave(&store);
    let header = header(&store);
    html! {
        <ContextProvider<Store> context={store}>
            <div class="app">
                { header }
                <main class="workspace">
                    <EditorPane />
                    <GraphPane />
                    <InspectorPane />
                    <RunStrip />
                </main>
            </div>
        </ContextProvider<Store>>
    }
}

/// The store, provided by [`App`] to every component below it.
#[hook]
pub fn use_store() -> Store {
    // Only reachable without the provider if a component is mounted outside `App`: a bug.
    use_context::<Store>().expect("Store context is provided by App")
}

/// The top bar (a plain function of `App`: it reads only the store, which re-renders `App`).
fn header(store: &Store) -> Html {
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
    let status = match store.trace() {
        Some(trace) => format!(
            "{} · {}",
            view::execution_status(trace, store.cursor),
            view::format_clock(view::clock_at(trace, store.cursor))
        ),
        None => "Cannot run".to_string(),
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{ "Stepwise" }</h1>
            <label class="field">
                { ui::el("span", "", ("Sample").into()) }
                <select aria-label="Sample" {onchange}>
                    if store.sample.is_none() {
                        { ui::option(AttrValue::Static(""), true, "(edited)".into()) }
                    }
                    <optgroup label="AWS sample projects">
                        { for SAMPLES.iter().filter(|s| s.aws).map(|s| sample_option(s, current)) }
                    </optgroup>
                    <optgroup label="Teaching samples">
                        { for SAMPLES.iter().filter(|s| !s.aws).map(|s| sample_option(s, current)) }
                    </optgroup>
                </select>
            </label>
            <div class="exec-status" role="status" aria-live="polite">{ status }</div>
            <FileMenu />
            <ShareButton />
            { link_alert(store) }
            { storage_alert(store) }
            { restore_bar(store) }
        </header>
    }
}

fn sample_option(sample: &Sample, current: &str) -> Html {
    ui::option(
        AttrValue::Static(sample.id),
        sample.id == current,
        sample.title.into(),
    )
}
