//! Share links: the "Share" button and its popover, opening a link from the address bar,
//! and the alert shown when a link cannot be opened (the work on screen is then kept).
//!
//! The link format itself is the engine's (`stepwise_engine::share`): this module only moves
//! it between the store, the URL and the clipboard.

use stepwise_engine::share::{self, CHAT_LIMIT};
use yew::prelude::*;

use crate::app::use_state_of;
use crate::ui;

use crate::store::{Action, State};

/// What a link fragment does to the state: `None` when the fragment is not a Stepwise link
/// (the state is left alone), otherwise the action to dispatch — open it, or report why not.
pub fn action_for_fragment(fragment: &str) -> Option<Action> {
    if !share::looks_like_link(fragment) {
        return None;
    }
    Some(match share::decode(fragment) {
        Ok(envelope) => Action::OpenEnvelope(Box::new(envelope)),
        Err(error) => {
            let raw = share::decode_text(fragment).unwrap_or_else(|_| fragment.to_string());
            Action::LinkError(error.to_string(), raw)
        }
    })
}

/// The state the page opens with when the URL has a fragment: the link's scenario, or `base`
/// (the default or `?sample=` state) with the error shown.
pub fn open_fragment(base: State, fragment: &str) -> State {
    match action_for_fragment(fragment) {
        Some(action) => {
            use yew::Reducible;
            let next = std::rc::Rc::new(base).reduce(action);
            std::rc::Rc::unwrap_or_clone(next)
        }
        None => base,
    }
}

/// A warning banner (`role="alert"`) with a note, an optional "Show raw" of the data behind
/// it, and "Dismiss": used for links that could not be opened and for autosave problems.
#[derive(Properties, PartialEq)]
pub struct RawAlertProps {
    pub class: &'static str,
    pub message: String,
    pub note: String,
    /// The data to show on request (none: no "Show raw" button).
    pub raw: Option<String>,
    pub raw_label: &'static str,
    pub on_dismiss: Callback<()>,
}

#[function_component(RawAlert)]
pub fn raw_alert(props: &RawAlertProps) -> Html {
    let show_raw = use_state_of(false);
    let toggle = {
        let show_raw = show_raw.clone();
        Callback::from(move |_| show_raw.set(!*show_raw))
    };
    let dismiss = {
        let show_raw = show_raw.clone();
        let on_dismiss = props.on_dismiss.clone();
        Callback::from(move |_| {
            show_raw.set(false);
            on_dismiss.emit(());
        })
    };
    html! {
        <div class={props.class} role="alert">
            { ui::el("p", "link-alert-message", (props.message.clone()).into()) }
            { ui::el("p", "link-alert-note", (props.note.clone()).into()) }
            <div class="link-alert-actions">
                if props.raw.is_some() {
                    <button type="button" aria-expanded={(*show_raw).to_string()} onclick={toggle}>
                        { if *show_raw { "Hide raw" } else { "Show raw" } }
                    </button>
                }
                { ui::button("Dismiss", dismiss) }
            </div>
            if let (true, Some(raw)) = (*show_raw, props.raw.clone()) {
                <pre class="link-alert-raw" aria-label={props.raw_label}>{ raw }</pre>
            }
        </div>
    }
}

/// The banner for a link that could not be opened.
pub fn link_alert(store: &crate::app::Store) -> Html {
    let Some((message, raw)) = store.link_error.clone() else {
        return html! {};
    };
    let on_dismiss = {
        let store = store.clone();
        Callback::from(move |()| store.dispatch(Action::DismissLinkError))
    };
    html! {
        <RawAlert class="link-alert" {message} note="Your work on screen was kept."
            raw={(!raw.is_empty()).then_some(raw)} raw_label="Raw link contents" {on_dismiss} />
    }
}

/// What the popover shows after "Share".
#[derive(Clone, PartialEq)]
struct Shared {
    url: String,
    /// The scenario as a `.stepwise.json` file, for links too long for a chat.
    file: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Copy {
    Pending,
    Done,
    Failed,
}

/// The state of the "Share" button and its popover.
#[derive(Clone)]
pub struct ShareState {
    shared: UseStateHandle<Option<Shared>>,
    copied: UseStateHandle<Copy>,
    error: UseStateHandle<Option<String>>,
    field: NodeRef,
}

/// The hooks of [`share_button`] (run by the page, which renders it): its state, and the
/// listener that opens links pasted into the address bar of the open page.
#[hook]
pub fn use_share(store: &crate::app::Store) -> ShareState {
    let shared = use_state(|| None::<Shared>);
    let copied = use_state(|| Copy::Pending);
    let error = use_state(|| None::<String>);
    let field = use_node_ref();
    {
        let store = store.clone();
        // The listener is removed at unmount.
        crate::app::use_mount(Box::new(move || {
            Box::new(web::on_hash_change(move |fragment| {
                if let Some(action) = action_for_fragment(&fragment) {
                    store.dispatch(action);
                }
            }))
        }));
    }
    ShareState {
        shared,
        copied,
        error,
        field,
    }
}

/// The "Share" button and its popover (a plain function of the page: its state is
/// [`use_share`]'s).
pub fn share_button(store: &crate::app::Store, state: &ShareState) -> Html {
    let ShareState {
        shared,
        copied,
        error,
        field,
    } = state.clone();
    let onclick = {
        let store = store.clone();
        let shared = shared.clone();
        let copied = copied.clone();
        let error = error.clone();
        let field = field.clone();
        Callback::from(move |_| {
            let envelope = store.envelope();
            match share::encode(&envelope) {
                Ok(fragment) => {
                    let url = share::url(&web::href(), &fragment);
                    web::replace_url(&url);
                    copied.set(Copy::Pending);
                    let on_done = {
                        let copied = copied.clone();
                        move |ok: bool| copied.set(if ok { Copy::Done } else { Copy::Failed })
                    };
                    web::copy(&url, on_done, field.clone());
                    error.set(None);
                    shared.set(Some(Shared {
                        url,
                        file: envelope.to_file_text(),
                    }));
                }
                Err(e) => {
                    shared.set(None);
                    error.set(Some(e.to_string()));
                }
            }
        })
    };
    let close = {
        let shared = shared.clone();
        let error = error.clone();
        Callback::from(move |_| {
            shared.set(None);
            error.set(None);
        })
    };
    let popover = match (&*shared, &*error) {
        (_, Some(message)) => html! {
            <div class="share-popover" role="dialog" aria-label="Share">
                <p role="alert">{ format!("This scenario cannot be shared as a link: {message}") }</p>
                { ui::button("Close", close) }
            </div>
        },
        (Some(s), None) => {
            let length = s.url.chars().count();
            let download = {
                let file = s.file.clone();
                let name = format!("{}.stepwise.json", store.sample.unwrap_or("scenario"));
                Callback::from(move |_| web::download(&name, &file))
            };
            let note = match *copied {
                Copy::Pending => "Copying…",
                Copy::Done => "Copied to the clipboard.",
                Copy::Failed => "Could not copy: select the link and copy it.",
            };
            let select = Callback::from(|e: FocusEvent| web::select_target(&e));
            html! {
                <div class="share-popover" role="dialog" aria-label="Share">
                    <label class="share-field">
                        { ui::el("span", "", "Share link".into()) }
                        <input ref={field.clone()} type="text" readonly=true aria-label="Share link"
                            value={s.url.clone()} onfocus={select} />
                    </label>
                    <p class="share-length">
                        { format!("{length} characters") }
                        if length > CHAT_LIMIT {
                            { format!(" — longer than the {CHAT_LIMIT} most chats accept.") }
                        }
                    </p>
                    <p class="share-copied" aria-live="polite">{ note }</p>
                    <div class="share-actions">
                        if length > CHAT_LIMIT {
                            { ui::button("Download .stepwise.json", download) }
                        }
                        { ui::button("Close", close) }
                    </div>
                </div>
            }
        }
        (None, None) => html! {},
    };
    html! {
        <div class="share">
            <button type="button" class="share-button" aria-haspopup="dialog"
                aria-expanded={shared.is_some().to_string()} {onclick}>{ "Share" }</button>
            { popover }
        </div>
    }
}

/// The browser side; inert off the web (native tests render the page server-side).
#[cfg(target_arch = "wasm32")]
pub(crate) mod web {
    use gloo::events::EventListener;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, Url, js_sys};
    use yew::{FocusEvent, NodeRef};

    pub fn href() -> String {
        web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default()
    }

    /// Put the link in the address bar without a history entry and without `hashchange`.
    pub fn replace_url(url: &str) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    }

    pub fn on_hash_change(handle: impl Fn(String) + 'static) -> Option<EventListener> {
        let window = web_sys::window()?;
        Some(EventListener::new(&window, "hashchange", move |_| {
            let hash = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default();
            handle(hash);
        }))
    }

    fn select(field: &NodeRef) {
        if let Some(input) = field.cast::<HtmlInputElement>() {
            let _ = input.focus();
            input.select();
        }
    }

    pub fn select_target(e: &FocusEvent) {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            input.select();
        }
    }

    /// Copy `text`; without a clipboard (or when it refuses) select the link field instead.
    pub fn copy(text: &str, done: impl Fn(bool) + Clone + 'static, field: NodeRef) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let clipboard = window.navigator().clipboard();
        if wasm_bindgen::JsValue::from(clipboard.clone()).is_undefined() {
            done(false);
            // The field is rendered by the same update: select it once it exists.
            yew::platform::spawn_local(async move { select(&field) });
            return;
        }
        let written = clipboard.write_text(text);
        yew::platform::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
                done(true);
            } else {
                done(false);
                select(&field);
            }
        });
    }

    /// Offer `text` as a file download (a Blob behind a temporary `<a download>`).
    pub fn download(name: &str, text: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = BlobPropertyBag::new();
        options.set_type("application/json");
        let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = Url::create_object_url_with_blob(&blob) else {
            return;
        };
        if let Some(a) = document
            .create_element("a")
            .ok()
            .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
        {
            a.set_href(&url);
            a.set_download(name);
            if let Some(body) = document.body() {
                let _ = body.append_child(&a);
                a.click();
                let _ = body.remove_child(&a);
            }
        }
        let _ = Url::revoke_object_url(&url);
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod web {
    use yew::{FocusEvent, NodeRef};

    pub fn href() -> String {
        String::new()
    }
    pub fn replace_url(_url: &str) {}
    /// Stands in for the browser's event listener.
    pub struct NoListener;

    pub fn on_hash_change(_handle: impl Fn(String) + 'static) -> Option<NoListener> {
        None
    }
    pub fn select_target(_e: &FocusEvent) {}
    pub fn copy(_text: &str, done: impl Fn(bool) + Clone + 'static, _field: NodeRef) {
        done(false);
    }
    pub fn download(_name: &str, _text: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_open_or_report_and_keep_the_work() {
        let base = State::from_sample(&crate::samples::SAMPLES[1]);
        // Not ours: left alone.
        assert!(action_for_fragment("").is_none());
        assert!(action_for_fragment("#section").is_none());

        let mut shared = State::default();
        for _ in 0..3 {
            use yew::Reducible;
            shared =
                std::rc::Rc::unwrap_or_clone(std::rc::Rc::new(shared).reduce(Action::StepForward));
        }
        let link = share::encode(&shared.envelope()).expect("encodes");
        let opened = open_fragment(base.clone(), &link);
        assert_eq!(opened.docs, shared.docs);
        assert_eq!(opened.cursor, 3);
        assert_eq!(opened.link_error, None);

        let half = &link[..link.len() / 2];
        let mut changed = link.clone().into_bytes();
        let i = changed.len() - 5;
        changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(changed).expect("ascii");
        for (bad, wanted) in [
            ("#v1/", "damaged"),
            (half, "damaged"),
            (changed.as_str(), "damaged"),
            ("#v9/abc", "newer Stepwise"),
        ] {
            let s = open_fragment(base.clone(), bad);
            assert_eq!(s.docs, base.docs, "{bad}: the work is kept");
            let (message, raw) = s.link_error.clone().expect("an error is shown");
            assert!(message.contains(wanted), "{bad}: {message}");
            assert!(!raw.is_empty());
        }
    }
}
