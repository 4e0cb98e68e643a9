//! The page shell: the top bar and the regions, each from its own module; they all render
//! the one store and dispatch actions to it. Regions whose state changes rarely are plain
//! functions of the page (their hooks run here); those with state that changes at pointer
//! speed (graph, file drop target) or that memoise (inspector rows, timeline bars) are
//! components.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui;

use crate::editor::{editor_pane, use_editor_pane};
use crate::files::FileMenu;
use crate::graph::GraphPane;
use crate::inspector::{inspector_pane, use_picked};
use crate::persist::{restore_bar, storage_alert, use_autosave};
use crate::run::{run_strip, use_run_strip};
use crate::samples::{SAMPLES, Sample};
use crate::share::{ShareState, link_alert, share_button, use_share};
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
    // The page's own state (plain functions below render with it; a component of their own
    // would cost ~1.8 KB of wasm each): the share popover, the editors, the
    // inspector's picked visit, the run strip.
    let share = use_share(&store);
    let editor = use_editor_pane(&store);
    let picked = use_picked();
    let run_view = use_run_strip(&store);
    let header = header(&store, &share);
    let editor = editor_pane(&store, &editor);
    let inspector = inspector_pane(&store, &picked);
    let run = run_strip(&store, &run_view);
    html! {
        <ContextProvider<Store> context={store}>
            <div class="app">
                { header }
                <main class="workspace">
                    { editor }
                    <GraphPane />
                    { inspector }
                    { run }
                </main>
            </div>
        </ContextProvider<Store>>
    }
}

/// `use_state` from a value: one copy of the hook's code per state type, where
/// `use_state(|| …)` makes one per call site (each closure is a type of its own).
#[hook]
pub fn use_state_of<T: 'static>(initial: T) -> UseStateHandle<T> {
    use_state(move || initial)
}

/// What a mount-time effect keeps until the component unmounts (its listeners).
pub type Kept = Box<dyn std::any::Any>;

/// `use_effect_with((), …)` with the effect boxed: one copy of the hook's code for every
/// effect that runs once at mount. What the effect returns is dropped at unmount.
#[hook]
pub fn use_mount(effect: Box<dyn FnOnce() -> Kept>) {
    use_effect_with((), move |_| {
        let kept = effect();
        move || drop(kept)
    });
}

/// Run `measure` at mount and whenever the window is resized (until unmount).
#[hook]
pub fn use_measure(measure: std::rc::Rc<dyn Fn()>) {
    use_mount(Box::new(move || {
        measure();
        let listener = web_sys::window()
            .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| measure()));
        Box::new(listener)
    }));
}

/// The store, provided by [`App`] to every component below it.
#[hook]
pub fn use_store() -> Store {
    // Only reachable without the provider if a component is mounted outside `App`: a bug.
    use_context::<Store>().expect("Store context is provided by App")
}

/// The top bar (a plain function of `App`: it reads only the store, which re-renders `App`).
fn header(store: &Store, share: &ShareState) -> Html {
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
            { ui::field_select("field", "Sample", "Sample", None, onchange, html! {<>
                if store.sample.is_none() {
                    { ui::option(AttrValue::Static(""), true, "(edited)".into()) }
                }
                <optgroup label="AWS sample projects">
                    { for SAMPLES.iter().filter(|s| s.aws).map(|s| sample_option(s, current)) }
                </optgroup>
                <optgroup label="Teaching samples">
                    { for SAMPLES.iter().filter(|s| !s.aws).map(|s| sample_option(s, current)) }
                </optgroup>
            </>}) }
            <div class="exec-status" role="status" aria-live="polite">{ status }</div>
            <FileMenu />
            { share_button(store, share) }
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
