//! The state machine graph, coloured by the trace at the cursor.

use yew::prelude::*;

use crate::app::use_store;
use crate::store::Action;
use crate::view;

#[function_component(GraphPane)]
pub fn graph_pane() -> Html {
    let store = use_store();
    let Some(graph) = store.analysis.graph.clone() else {
        return html! { <section class="graph-pane" /> };
    };
    let statuses = store
        .trace()
        .map(|t| view::statuses_at(t, store.cursor))
        .unwrap_or_default();
    let view_box = format!("-20 -20 {} {}", graph.width + 40.0, graph.height + 40.0);
    html! {
        <section class="graph-pane" aria-label="Graph">
            <svg viewBox={view_box} class={classes!(store.analysis.graph_stale.then_some("stale"))}>
                { for graph.edges.iter().map(|e| {
                    let d = e.points.iter().enumerate().map(|(i, p)| format!("{}{} {}", if i == 0 { "M" } else { "L" }, p.0, p.1)).collect::<String>();
                    html! { <path class="edge" d={d} /> }
                }) }
                { for graph.nodes.iter().map(|n| {
                    let status = statuses.get(n.name.as_str()).copied().unwrap_or(view::StateStatus::NotRun);
                    let name = n.name.clone();
                    let store = store.clone();
                    let onclick = Callback::from(move |_| store.dispatch(Action::Select(Some(name.clone()))));
                    html! {
                        <g class="node" data-state={n.name.clone()} data-status={status.as_str()} {onclick}>
                            <rect x={n.x.to_string()} y={n.y.to_string()} width={n.width.to_string()} height={n.height.to_string()} rx="6" />
                            <text x={(n.x + n.width / 2.0).to_string()} y={(n.y + n.height / 2.0).to_string()}>{ &n.name }</text>
                        </g>
                    }
                }) }
            </svg>
        </section>
    }
}
