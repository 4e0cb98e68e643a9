//! The inspector: the selected state's data flow, decisions and attempts.

use yew::prelude::*;

use crate::app::use_store;
use crate::view;

#[function_component(InspectorPane)]
pub fn inspector_pane() -> Html {
    let store = use_store();
    let step = store.trace().and_then(|t| {
        let i = match &store.selected {
            Some(name) => view::visit_of(t, name, store.cursor),
            None => view::current_step(t, store.cursor),
        }?;
        t.steps.get(i)
    });
    html! {
        <aside class="inspector-pane" aria-label="Inspector">
            if let Some(step) = step {
                <h2>{ &step.state }</h2>
                <ul>{ for step.explanations.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            } else if let Some(blocked) = &store.analysis.blocked {
                <p>{ blocked }</p>
            }
        </aside>
    }
}
