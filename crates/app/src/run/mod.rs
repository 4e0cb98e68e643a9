//! The bottom strip: step controls, then the timeline and the event history side by side
//! (or one of them, like the console's "Table view" / "Event view" tabs).

pub mod controls;
pub mod history;
pub mod timeline;

use std::rc::Rc;

use stepwise_engine::Trace;
use yew::prelude::*;

use crate::ui;

use crate::app::Store;

pub use history::History;
pub use timeline::Timeline;

/// A trace shared from the store, compared by identity (traces are only ever replaced), so
/// memoised layouts and filters recompute only when the execution changes.
#[derive(Clone, Debug)]
pub struct TraceRef(pub Rc<Trace>);

impl PartialEq for TraceRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Which views the strip shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StripView {
    Both,
    Timeline,
    Events,
}

impl StripView {
    const ALL: [(StripView, &'static str); 3] = [
        (StripView::Both, "Timeline + Events"),
        (StripView::Timeline, "Timeline"),
        (StripView::Events, "Events"),
    ];

    fn class(self) -> &'static str {
        match self {
            StripView::Both => "view-both",
            StripView::Timeline => "view-timeline",
            StripView::Events => "view-events",
        }
    }
}

/// The hooks of [`run_strip`] (run by the page, which renders it): the views shown, and the
/// controls' play timer and keys.
#[hook]
pub fn use_run_strip(store: &Store) -> UseStateHandle<StripView> {
    let view = use_state(|| StripView::Both);
    controls::use_controls(store);
    view
}

/// The bottom strip (a plain function of the page: its state is [`use_run_strip`]'s).
pub fn run_strip(store: &Store, view: &UseStateHandle<StripView>) -> Html {
    let view = view.clone();
    let trace = store.analysis.trace.clone().map(TraceRef);
    let tabs = StripView::ALL.iter().map(|&(v, label)| {
        let selected = *view == v;
        let onclick = {
            let view = view.clone();
            Callback::from(move |_: MouseEvent| view.set(v))
        };
        html! {
            <button class="tab" role="tab" aria-selected={selected.to_string()} {onclick}>{ label }</button>
        }
    });
    let body = match trace {
        Some(trace) => {
            let show_timeline = *view != StripView::Events;
            let show_events = *view != StripView::Timeline;
            html! {
                <div class={classes!("run-body", view.class())}>
                    if show_timeline {
                        <section class="run-panel" aria-label="Timeline">
                            <Timeline trace={trace.clone()} />
                        </section>
                    }
                    if show_events {
                        <section class="run-panel" aria-label="Events">
                            <History trace={trace} />
                        </section>
                    }
                </div>
            }
        }
        None => html! {
            <div class="run-blocked">
                { ui::el("p", "", (store.analysis.blocked.clone().unwrap_or_else(|| "Nothing to run yet.".to_string())).into()) }
            </div>
        },
    };
    html! {
        <section class="run-strip" aria-label="Execution">
            { controls::controls(store) }
            <div class="tabs run-tabs" role="tablist" aria-label="Execution views">
                { for tabs }
            </div>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use crate::{App, AppProps, initial_state};

    #[tokio::test(flavor = "current_thread")]
    async fn the_strip_renders_controls_timeline_and_history() {
        let html = yew::LocalServerRenderer::<App>::with_props(AppProps {
            initial: initial_state("?sample=batch-retry-catch-notify"),
        })
        .render()
        .await;
        for needle in [
            "aria-label=\"Step forward\"",
            "aria-label=\"Step back\"",
            "aria-label=\"Run to end\"",
            "aria-label=\"Play\"",
            "aria-label=\"Position in the history\"",
            "aria-label=\"Event history\"",
            "aria-label=\"Timeline of the execution\"",
            "T+00:00",
            "TaskScheduled",
            "data-event-id=\"1\"",
            "class=\"bar succeeded",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        // At the start every row is in the future and none is current.
        assert!(!html.contains("aria-current=\"true\""));
    }
}
