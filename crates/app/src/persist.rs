//! Autosave: the working scenario (the share link's [`Envelope`]) kept in `localStorage`,
//! written 500 ms after the last change and when the page is hidden, and read back at load.
//!
//! What the page opens with, first match wins:
//! 1. a `#v1/…` link in the address bar (a broken one shows its alert over the next choice);
//! 2. `?sample=<id>`;
//! 3. the autosaved work;
//! 4. the first sample.
//!
//! When a link or a sample replaces autosaved work that differs from it, that work is offered
//! back ("Restore previous work", undoable) and kept under [`PREVIOUS_KEY`] too. Storage that is
//! disabled, full or holds unreadable data gives a warning (`role="alert"`) and the page keeps
//! working; unreadable data is copied to [`SET_ASIDE_KEY`] and shown by "Show raw", never
//! dropped silently.
//!
//! The address bar after load: `?sample=` is removed once applied, and a link's fragment once
//! the link is open (the autosave holds the work from then on, so a reload restores exactly what
//! is on screen, edits included, instead of re-opening the link). A broken link stays in the
//! address bar so the user can see and copy it.

use std::rc::Rc;

use stepwise_engine::share::Envelope;
use yew::prelude::*;

use crate::ui;

use crate::share::RawAlert;
use crate::store::{Action, State};

/// Where the working scenario is saved (the envelope JSON text).
pub const AUTOSAVE_KEY: &str = "stepwise.autosave";
/// Where unreadable autosave data is moved instead of being dropped.
pub const SET_ASIDE_KEY: &str = "stepwise.autosave.unreadable";
/// Where the work replaced by a link or a sample at load is kept.
pub const PREVIOUS_KEY: &str = "stepwise.autosave.previous";
/// Delay between the last change and the write.
pub const DEBOUNCE_MS: u32 = 500;

pub const STORAGE_OFF: &str = "Autosave is off: this browser does not allow storage.";
pub const STORAGE_FULL: &str = "Autosave failed: storage is full.";
pub const STORAGE_UNREADABLE: &str = "The saved work could not be read and was set aside";

/// What `localStorage` gave at load.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// Access threw (storage disabled, private mode, sandboxed frame).
    Unavailable,
    Empty,
    Text(String),
}

/// The state the page opens with, and what to write back to storage first.
#[derive(Debug, Clone)]
pub struct Boot {
    pub state: State,
    /// Unreadable autosave text to keep under [`SET_ASIDE_KEY`].
    pub set_aside: Option<String>,
    /// Work replaced by the link or the sample, to keep under [`PREVIOUS_KEY`].
    pub previous_text: Option<String>,
    /// Whether the link in the fragment opened (then the fragment can leave the address bar).
    pub link_opened: bool,
}

/// Read autosaved text: a scenario envelope, or why it cannot be used.
pub fn read_autosave(text: &str) -> Result<Envelope, String> {
    Envelope::parse(text).map_err(|e| e.to_string())
}

/// The text autosave writes for a state.
pub fn autosave_text(state: &State) -> String {
    state.envelope().to_json_text()
}

/// Whether two scenarios hold different work (documents, outcomes or seed; the cursor and
/// view options alone do not count).
fn differs(a: &State, b: &State) -> bool {
    a.docs != b.docs || a.outcomes != b.outcomes || a.seed != b.seed
}

/// Decide what the page opens with (see the module docs for the order).
pub fn boot(query: &str, fragment: &str, stored: Stored) -> Boot {
    let mut warning = None;
    let mut set_aside = None;
    let saved = match stored {
        Stored::Unavailable => {
            warning = Some((STORAGE_OFF.to_string(), None));
            None
        }
        Stored::Empty => None,
        Stored::Text(text) => match read_autosave(&text) {
            Ok(envelope) => Some(envelope),
            Err(reason) => {
                warning = Some((
                    format!("{STORAGE_UNREADABLE}: {reason}."),
                    Some(text.clone()),
                ));
                set_aside = Some(text);
                None
            }
        },
    };
    let sample = crate::sample_in_query(query);
    // Nothing is analysed until it is known what the page shows: a link replaces the base,
    // and the saved work is only compared with what opened.
    let saved_state = saved.as_ref().map(State::unanalyzed_envelope);
    let mut base = match (sample, &saved_state) {
        (Some(sample), _) => State::unanalyzed(sample),
        (None, Some(saved)) => saved.clone(),
        (None, None) => State::unanalyzed(&crate::samples::SAMPLES[0]),
    };
    // A bare "#" at load is a link cut right after its '#': say so (an open page's
    // `hashchange` to an empty fragment is not a link and is left alone).
    let link = if fragment.trim() == "#" {
        let message = stepwise_engine::share::decode(fragment)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        Some(Action::LinkError(message, String::new()))
    } else {
        crate::share::action_for_fragment(fragment)
    };
    let link_opened = matches!(link, Some(Action::OpenEnvelope(_)));
    if !link_opened {
        base.analyze_new_work();
    }
    let mut state = match link {
        Some(action) => {
            use yew::Reducible;
            Rc::unwrap_or_clone(Rc::new(base).reduce(action))
        }
        None => base,
    };
    // What the link replaced at load is the base just built, not the user's work: only the
    // autosaved work is offered back.
    state.previous = None;
    let mut previous_text = None;
    if (link_opened || sample.is_some())
        && let (Some(saved), Some(saved_state)) = (saved, &saved_state)
        && differs(saved_state, &state)
    {
        previous_text = Some(saved.to_json_text());
        state.previous = Some(Rc::new(saved));
    }
    state.storage_warning = warning;
    Boot {
        state,
        set_aside,
        previous_text,
        link_opened,
    }
}

/// Save the store's scenario [`DEBOUNCE_MS`] after it last changed, and at once when the page
/// is hidden (reload, tab closed). Write failures become the storage warning.
#[hook]
pub fn use_autosave(store: &crate::app::Store) {
    let store = store.clone();
    let envelope = store.envelope();
    let pending = use_mut_ref(|| None::<String>);
    let timer = use_mut_ref(|| None::<web::Timer>);
    {
        let store = store.clone();
        let pending = pending.clone();
        // The listener is removed at unmount.
        crate::app::use_mount(Box::new(move || {
            Box::new(web::on_page_hide(move || {
                if let Some(text) = pending.borrow_mut().take() {
                    report(&store, web::write(AUTOSAVE_KEY, &text));
                }
            }))
        }));
    }
    // Work replaced by a link or an opened file stays in storage too, not only on screen.
    use_effect_with(store.previous.clone(), |previous| {
        if let Some(previous) = previous {
            let _ = web::write(PREVIOUS_KEY, &previous.to_json_text());
        }
    });
    use_effect_with(envelope, move |envelope| {
        let text = envelope.to_json_text();
        *pending.borrow_mut() = Some(text);
        let pending = pending.clone();
        let store = store.clone();
        // Replacing the timer cancels the previous one.
        *timer.borrow_mut() = web::after(DEBOUNCE_MS, move || {
            if let Some(text) = pending.borrow_mut().take() {
                report(&store, web::write(AUTOSAVE_KEY, &text));
            }
        });
    });
}

/// Show a write failure; clear an earlier write failure once a write succeeds.
fn report(store: &crate::app::Store, result: Result<(), String>) {
    match result {
        Ok(()) => {
            if store
                .storage_warning
                .as_ref()
                .is_some_and(|(m, _)| m.starts_with("Autosave failed"))
            {
                store.dispatch(Action::ClearStorageWarning);
            }
        }
        Err(message) => store.dispatch(Action::StorageWarning(message, None)),
    }
}

/// Keep unreadable data found at load (the replaced work is kept by [`use_autosave`]).
pub fn store_boot_leftovers(boot: &Boot) {
    if let Some(text) = &boot.set_aside {
        let _ = web::write(SET_ASIDE_KEY, text);
    }
}

/// What `localStorage` holds at load.
pub fn load() -> Stored {
    web::read(AUTOSAVE_KEY)
}

/// The bar offering back the work a link (or a sample) replaced.
pub fn restore_bar(store: &crate::app::Store) -> Html {
    if store.previous.is_none() {
        return html! {};
    }
    let restore = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::RestorePrevious))
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::DismissPrevious))
    };
    let (message, action) = if store.restored {
        ("Your previous work is back.", "Back to the opened version")
    } else {
        (
            "You had other work here. It was saved before this opened.",
            "Restore previous work",
        )
    };
    html! {
        <div class="restore-bar" role="region" aria-label="Previous work">
            { ui::el("p", "restore-message", message.into()) }
            <div class="link-alert-actions">
                { ui::button(action, restore) }
                { ui::button("Dismiss", dismiss) }
            </div>
        </div>
    }
}

/// The autosave warning: storage off, full, or unreadable data set aside ("Show raw").
pub fn storage_alert(store: &crate::app::Store) -> Html {
    let Some((message, raw)) = store.storage_warning.clone() else {
        return html! {};
    };
    let note = if raw.is_some() {
        format!(
            "It is kept under \"{SET_ASIDE_KEY}\" in this browser's storage. The page works as usual."
        )
    } else {
        "The page works as usual; use File → Download scenario to keep your work.".to_string()
    };
    let on_dismiss = {
        let store = store.clone();
        Callback::from(move |()| store.dispatch(Action::DismissStorageWarning))
    };
    html! {
        <RawAlert class="storage-alert" {message} {note} {raw} raw_label="Raw saved data" {on_dismiss} />
    }
}

/// The browser side; inert off the web.
#[cfg(target_arch = "wasm32")]
mod web {
    use gloo::events::EventListener;
    use gloo::timers::callback::Timeout;
    use wasm_bindgen::JsValue;
    use web_sys::js_sys;

    use super::{STORAGE_FULL, STORAGE_OFF, Stored};

    pub type Timer = Timeout;

    pub fn after(ms: u32, f: impl FnOnce() + 'static) -> Option<Timer> {
        Some(Timeout::new(ms, f))
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn read(key: &str) -> Stored {
        let Some(storage) = storage() else {
            return Stored::Unavailable;
        };
        match storage.get_item(key) {
            Ok(Some(text)) => Stored::Text(text),
            Ok(None) => Stored::Empty,
            Err(_) => Stored::Unavailable,
        }
    }

    pub fn write(key: &str, text: &str) -> Result<(), String> {
        let Some(storage) = storage() else {
            return Err(STORAGE_OFF.to_string());
        };
        storage.set_item(key, text).map_err(|e| {
            let name = js_sys::Reflect::get(&e, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
                STORAGE_FULL.to_string()
            } else if name == "SecurityError" {
                STORAGE_OFF.to_string()
            } else {
                let name = if name.is_empty() {
                    "an error".into()
                } else {
                    name
                };
                format!("Autosave failed: the browser refused to store the work ({name}).")
            }
        })
    }

    pub fn on_page_hide(f: impl Fn() + 'static) -> Option<EventListener> {
        let window = web_sys::window()?;
        Some(EventListener::new(&window, "pagehide", move |_| f()))
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod web {
    use super::Stored;

    pub struct Timer;

    pub fn after(_ms: u32, _f: impl FnOnce() + 'static) -> Option<Timer> {
        None
    }
    pub fn read(_key: &str) -> Stored {
        Stored::Empty
    }
    pub fn write(_key: &str, _text: &str) -> Result<(), String> {
        Ok(())
    }
    pub struct NoListener;
    pub fn on_page_hide(_f: impl Fn() + 'static) -> Option<NoListener> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::SAMPLES;
    use stepwise_engine::share;
    use yew::Reducible;

    fn edited() -> State {
        let s = Rc::new(State::default())
            .reduce(Action::EditInput("{\"edited\": true}".into()))
            .reduce(Action::StepForward)
            .reduce(Action::StepForward)
            .reduce(Action::Select(Some("Submit Batch Job".into())));
        Rc::unwrap_or_clone(s)
    }

    #[test]
    fn autosave_restores_exactly_what_was_there() {
        let work = edited();
        let boot = boot("", "", Stored::Text(autosave_text(&work)));
        assert_eq!(boot.state.envelope(), work.envelope());
        assert_eq!(boot.state.cursor, 2);
        assert!(
            !boot.state.can_undo(),
            "a reload has no undo step to the default"
        );
        assert!(boot.state.previous.is_none());
        assert!(boot.state.storage_warning.is_none());
        assert!(!boot.link_opened);
    }

    #[test]
    fn precedence_link_then_sample_then_autosave_then_default() {
        let work = edited();
        let saved = Stored::Text(autosave_text(&work));
        let shared = State::from_sample(&SAMPLES[2]);
        let link = share::encode(&shared.envelope()).expect("encodes");

        // The link wins and the autosaved work is offered back.
        let b = boot("?sample=batch-fan-out-map", &link, saved.clone());
        assert!(b.link_opened);
        assert_eq!(b.state.docs, shared.docs);
        assert_eq!(
            b.state.previous.as_deref().map(|e| e.input.clone()),
            Some(work.envelope().input)
        );
        assert!(b.previous_text.is_some());
        // Restoring brings it back, and restoring again goes back to the link (undo).
        let restored = Rc::new(b.state).reduce(Action::RestorePrevious);
        assert_eq!(restored.docs, work.docs);
        assert!(restored.restored);
        let undone = restored.reduce(Action::RestorePrevious);
        assert_eq!(undone.docs, shared.docs);

        // Then ?sample=.
        let b = boot("?sample=batch-fan-out-map", "", saved.clone());
        assert_eq!(b.state.sample, Some("batch-fan-out-map"));
        assert!(b.state.previous.is_some());
        // Then the autosave; then the first sample.
        assert_eq!(boot("", "", saved.clone()).state.docs, work.docs);
        assert_eq!(
            boot("", "", Stored::Empty).state.sample,
            Some(SAMPLES[0].id)
        );
        // A link of the same work offers nothing back.
        let same = share::encode(&work.envelope()).expect("encodes");
        assert!(boot("", &same, saved.clone()).state.previous.is_none());
        // A link cut right after its '#' says it is empty.
        let b = boot("?sample=batch-catch-notify", "#", Stored::Empty);
        assert!(
            b.state
                .link_error
                .as_ref()
                .is_some_and(|(m, _)| m.starts_with("This link is damaged: it is empty")),
            "{:?}",
            b.state.link_error
        );
        // A broken link keeps the autosaved work on screen and says so.
        let b = boot("", "#v1/AAAA", saved);
        assert!(!b.link_opened);
        assert_eq!(b.state.docs, work.docs);
        assert!(b.state.link_error.is_some());
    }

    #[test]
    fn unusable_storage_warns_and_keeps_the_data() {
        let b = boot("", "", Stored::Unavailable);
        assert_eq!(b.state.storage_warning, Some((STORAGE_OFF.into(), None)));
        assert_eq!(b.state.sample, Some(SAMPLES[0].id));

        let future = r#"{"stepwise": 9, "definition": "{}"}"#;
        for garbage in [
            "not json at all",
            "[1, 2, 3]",
            r#"{"definition": 42}"#,
            future,
            "{\"outcomes\": {\"A\": [{\"explode\": true}]}}",
            "",
        ] {
            let b = boot("", "", Stored::Text(garbage.into()));
            let (message, raw) = b.state.storage_warning.clone().expect("a warning");
            assert!(
                message.starts_with(STORAGE_UNREADABLE),
                "{garbage}: {message}"
            );
            assert_eq!(raw.as_deref(), Some(garbage));
            assert_eq!(b.set_aside.as_deref(), Some(garbage));
            assert_eq!(b.state.sample, Some(SAMPLES[0].id), "{garbage}");
            assert!(b.state.trace().is_some());
        }
    }
}
