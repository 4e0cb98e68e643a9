//! The Stepwise page: Yew function components over one reducer store.
//!
//! A thin shell: everything it shows is computed by the core crates (`stepwise-asl`,
//! `stepwise-engine`, `stepwise-layout`) in [`analysis::analyze`]; [`view`] reads the trace at
//! the cursor for every component alike.

pub mod analysis;
pub mod app;
pub mod check;
pub mod editor;
pub mod files;
pub mod graph;
pub mod inspector;
pub mod persist;
pub mod run;
pub mod samples;
pub mod share;
pub mod store;
pub mod ui;
pub mod view;

pub use app::{App, AppProps};
pub use store::State;

/// The sample named by `?sample=<id>` in a query string, if it exists.
pub fn sample_in_query(query: &str) -> Option<&'static samples::Sample> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("sample="))
        .and_then(samples::find)
}

/// The state the page opens with when nothing is saved and no link is given: `?sample=<id>`
/// or the first sample. (The page itself starts with [`persist::boot`].)
pub fn initial_state(query: &str) -> State {
    match sample_in_query(query) {
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
    let href = location
        .as_ref()
        .and_then(|l| l.href().ok())
        .unwrap_or_default();
    // `location.hash` is "" both without a fragment and for a bare '#' (a link cut there).
    let hash = match location.as_ref().and_then(|l| l.hash().ok()) {
        Some(hash) if hash.is_empty() && href.ends_with('#') => "#".to_string(),
        other => other.unwrap_or_default(),
    };
    // A share link (or the autosaved work) is opened before the first render: no flash of the
    // default sample.
    let boot = persist::boot(&query, &hash, persist::load());
    persist::store_boot_leftovers(&boot);
    // `?sample=` has been applied and an opened link's work is autosaved from now on: the
    // address bar keeps neither, so a reload restores what is on screen (see `persist`).
    {
        let mut clean = stepwise_engine::share::without_sample_query(&href);
        // Without working storage the link is the only copy of the work: keep it.
        if boot.link_opened
            && boot.state.storage_warning.is_none()
            && let Some(i) = clean.find('#')
        {
            clean.truncate(i);
        }
        if clean != href
            && let Some(history) = web_sys::window().and_then(|w| w.history().ok())
        {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
        }
    }
    yew::Renderer::<App>::with_props(AppProps {
        initial: boot.state,
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
