//! The Stepwise page: Yew function components over one reducer store.
//!
//! A thin shell: everything it shows is computed by the core crates (`stepwise-asl`,
//! `stepwise-engine`, `stepwise-layout`) in [`analysis::analyze`]; [`view`] reads the trace at
//! the cursor for every component alike.

pub mod analysis;
pub mod app;
pub mod check;
pub mod editor;
pub mod graph;
pub mod inspector;
pub mod run;
pub mod samples;
pub mod share;
pub mod store;
pub mod view;

pub use app::{App, AppProps};
pub use store::State;

/// The state the page opens with: `?sample=<id>` or the first sample.
pub fn initial_state(query: &str) -> State {
    let sample = query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("sample="))
        .and_then(samples::find);
    match sample {
        Some(sample) => State::from_sample(sample),
        None => State::default(),
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let location = web_sys::window().map(|w| w.location());
    let query = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    let hash = location
        .as_ref()
        .and_then(|l| l.hash().ok())
        .unwrap_or_default();
    // A share link is opened before the first render: no flash of the default sample.
    yew::Renderer::<App>::with_props(AppProps {
        initial: share::open_fragment(initial_state(&query), &hash),
    })
    .render();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_selects_a_sample() {
        assert_eq!(
            initial_state("?sample=batch-fan-out-map").sample,
            Some("batch-fan-out-map")
        );
        assert_eq!(
            initial_state("?x=1&sample=batch-with-lambda").sample,
            Some("batch-with-lambda")
        );
        assert_eq!(
            initial_state("?sample=unknown").sample,
            Some("batch-retry-catch-notify")
        );
        assert_eq!(initial_state("").sample, Some("batch-retry-catch-notify"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn renders_the_page() {
        let html = yew::LocalServerRenderer::<App>::with_props(AppProps {
            initial: initial_state("?sample=batch-catch-notify"),
        })
        .render()
        .await;
        assert!(html.contains("Stepwise"));
        assert!(html.contains("aria-label=\"Definition\""));
        assert!(html.contains("Manage a Batch Job"));
        assert!(html.contains("data-state=\"Submit Batch Job\""));
        assert!(html.contains("role=\"status\""));
    }
}
