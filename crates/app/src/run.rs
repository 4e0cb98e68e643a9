//! The bottom strip: step controls, the timeline and the event history.

use yew::prelude::*;

use crate::app::use_store;
use crate::store::Action;

#[function_component(RunStrip)]
pub fn run_strip() -> Html {
    let store = use_store();
    let button = |label: &'static str, action: fn() -> Action| {
        let store = store.clone();
        let onclick = Callback::from(move |_| store.dispatch(action()));
        html! { <button {onclick}>{ label }</button> }
    };
    let events = store
        .trace()
        .map(|t| t.events.as_slice())
        .unwrap_or_default();
    html! {
        <section class="run-strip">
            <div class="controls">
                { button("Reset", || Action::Reset) }
                { button("Step back", || Action::StepBack) }
                { button("Step forward", || Action::StepForward) }
                { button("Run to end", || Action::RunToEnd) }
            </div>
            <ol class="events">
                { for events.iter().take(store.cursor).map(|e| html! { <li>{ format!("{} {}", e.id, e.kind.as_str()) }</li> }) }
            </ol>
        </section>
    }
}
