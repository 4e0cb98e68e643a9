//! Files in and out of the page, in AWS's formats and Stepwise's own: the "File" menu in the
//! header, drag-and-drop anywhere on the page, and the downloads (Blob + object URL, no
//! network).
//!
//! Opened files are recognised by their content, not their name ([`detect`]): a `.stepwise.json`
//! scenario, an ASL definition, or an AWS Step Functions Local `MockConfigFile.json`. A file that
//! cannot be read shows an alert with the location of the problem and the work stays.

use std::rc::Rc;
use stepwise_asl::vecmap::VecMap;

use stepwise_asl::json::Value;
use stepwise_engine::PlannedOutcome;
use stepwise_engine::mock_config::{self, MockConfig, RunExport};
use stepwise_engine::share::Envelope;
use yew::prelude::*;

use crate::ui;

use crate::app::{Store, use_state_of, use_store};
use crate::store::{Action, State};

/// Larger files are refused without being read.
pub const MAX_FILE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
/// Invocations imported per state from a MockConfigFile range (`"0-4294967295"` is legal).
pub const MAX_IMPORTED_INVOCATIONS: u32 = 1_000;

/// Injected outcomes, as the store holds them.
pub type Outcomes = VecMap<String, Vec<Option<PlannedOutcome>>>;
/// A MockConfigFile whose test case the user must pick: the file and its (state machine,
/// test case) pairs.
pub type Choice = (Rc<MockConfig>, Vec<(String, String)>);

/// What an opened file is.
#[derive(Debug, Clone, PartialEq)]
pub enum FileKind {
    /// A `.stepwise.json` scenario (the share link's envelope).
    Scenario(Box<Envelope>),
    /// A state machine definition (kept as typed).
    Definition(String),
    /// An AWS Step Functions Local `MockConfigFile.json`.
    MockConfig(Box<MockConfig>),
}

/// Recognise a file by its content. The error is the user-facing message, with the location
/// of the problem (line and column, or a JSON pointer).
pub fn detect(name: &str, text: &str) -> Result<FileKind, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "“{name}” could not be opened: it is not JSON (line {}, column {}: {}).",
            e.line(),
            e.column(),
            json_message(&e)
        )
    })?;
    let Some(map) = value.as_object() else {
        return Err(none_of(name));
    };
    if map.contains_key("StateMachines") || map.contains_key("MockedResponses") {
        return MockConfig::from_json(&value)
            .map(|c| FileKind::MockConfig(Box::new(c)))
            .map_err(|e| format!("“{name}” is not a valid MockConfigFile: {e}."));
    }
    if Envelope::is_envelope(&value) {
        return Envelope::from_json(&value)
            .map(|e| FileKind::Scenario(Box::new(e)))
            .map_err(|e| format!("“{name}” is not a valid Stepwise scenario: {e}."));
    }
    if map.contains_key("StartAt") || map.contains_key("States") {
        return Ok(FileKind::Definition(text.to_string()));
    }
    Err(none_of(name))
}

fn none_of(name: &str) -> String {
    format!(
        "“{name}” is none of the files Stepwise opens: a scenario (.stepwise.json), a state machine definition (ASL JSON with StartAt and States) or an AWS Step Functions Local MockConfigFile (StateMachines and MockedResponses)."
    )
}

/// serde_json's message without its own " at line L column C" suffix.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// Every (state machine, test case) pair of a mock configuration, in file order.
pub fn test_cases(config: &MockConfig) -> Vec<(String, String)> {
    config
        .state_machines
        .iter()
        .flat_map(|(sm, tcs)| tcs.iter().map(move |(tc, _)| (sm.clone(), tc.clone())))
        .collect()
}

/// The outcomes of one test case, and a sentence saying what was imported.
pub fn import_test_case(
    config: &MockConfig,
    state_machine: &str,
    test_case: &str,
    state: &State,
) -> Result<(Outcomes, String), String> {
    let resolved = config
        .resolve(Some(state_machine), test_case)
        .map_err(|e| format!("The MockConfigFile could not be imported: {e}."))?;
    let (lists, cut) = resolved.to_lists(MAX_IMPORTED_INVOCATIONS);
    let mut note = format!(
        "Imported test case “{test_case}” of “{state_machine}”: outcomes for {} state{}.",
        lists.len(),
        if lists.len() == 1 { "" } else { "s" }
    );
    let unknown: Vec<&str> = lists
        .keys()
        .filter(|s| {
            state
                .analysis
                .graph
                .as_ref()
                .is_some_and(|g| g.node(s).is_none())
        })
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        note.push_str(&format!(" Not in this definition: {}.", unknown.join(", ")));
    }
    if !resolved.gaps.is_empty() {
        note.push_str(
            " Invocations the file leaves out use the default here (Step Functions Local would fail the execution).",
        );
    }
    if !cut.is_empty() {
        note.push_str(&format!(
            " Only the first {MAX_IMPORTED_INVOCATIONS} invocations were imported for: {}.",
            cut.join(", ")
        ));
    }
    Ok((lists, note))
}

/// The base of downloaded file names: the sample's id, or `fallback`.
fn base_name(state: &State, fallback: &str) -> String {
    state.sample.unwrap_or(fallback).to_string()
}

/// The definition as typed, for "Download definition".
pub fn definition_file(state: &State) -> (String, String) {
    (
        format!("{}.asl.json", base_name(state, "state-machine")),
        state.docs.definition.clone(),
    )
}

/// The scenario as a `.stepwise.json` file.
pub fn scenario_file(state: &State) -> (String, String) {
    (
        format!("{}.stepwise.json", base_name(state, "scenario")),
        state.envelope().to_file_text(),
    )
}

/// The history as `GetExecutionHistory` JSON (`{"events": [...]}`, payloads as JSON text,
/// exactly as `stepwise run --format json` prints them).
pub fn history_file(state: &State) -> Option<(String, String)> {
    let trace = state.trace()?;
    let json = stepwise_asl::json::json!({ "events": trace.events });
    let text = serde_json::to_string_pretty(&json).ok()?;
    Some((
        format!("{}.history.json", base_name(state, "execution")),
        text,
    ))
}

/// The injected outcomes as a MockConfigFile that reproduces the run on screen.
pub fn mock_config_file(state: &State) -> Result<(String, RunExport), String> {
    let cannot = "There is no run to export: fix the definition and the input first.";
    let machine = state.analysis.parsed.machine.as_ref().ok_or(cannot)?;
    let trace = state.trace().ok_or(cannot)?;
    let input = crate::check::input(&state.docs.input).map_err(|_| cannot.to_string())?;
    let test_case = base_name(state, "page");
    let export = mock_config::export_run(machine, &input, &state.scenario(), trace, &test_case)
        .map_err(|e| format!("The MockConfigFile could not be made: {e}."))?;
    Ok(("MockConfigFile.json".to_string(), export))
}

/// The sentence shown after a MockConfigFile export.
pub fn export_note(name: &str, export: &RunExport) -> String {
    let mut note = format!(
        "Exported {name}: state machine “{}”, test case “{}”.",
        export.state_machine, export.test_case
    );
    if export.reproduces {
        note.push_str(" Run with the same definition and input, it gives this history.");
    } else {
        note.push(' ');
        note.push_str(&export.notes.join(" "));
    }
    note
}

/// What "Open file…" and "Import MockConfigFile…" expect.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expect {
    Any,
    MockConfig,
}

/// Apply an opened file to the store. A MockConfigFile with several test cases returns them
/// for the user to pick from.
pub fn open_text(store: &Store, name: &str, text: &str, expect: Expect) -> Option<Choice> {
    let fail = |message: String| {
        store.dispatch(Action::LinkError(message, text.to_string()));
        None
    };
    let kind = match detect(name, text) {
        Ok(kind) => kind,
        Err(message) => return fail(message),
    };
    match (kind, expect) {
        (FileKind::MockConfig(config), _) => {
            let cases = test_cases(&config);
            match cases.as_slice() {
                [] => fail(format!(
                    "“{name}” defines no test case: there is nothing to import."
                )),
                [(sm, tc)] => {
                    import(store, &config, sm, tc);
                    None
                }
                _ => Some((Rc::new(*config), cases)),
            }
        }
        (_, Expect::MockConfig) => fail(format!(
            "“{name}” is not a MockConfigFile (it has no StateMachines and MockedResponses)."
        )),
        (FileKind::Scenario(envelope), Expect::Any) => {
            store.dispatch(Action::OpenEnvelope(envelope));
            store.dispatch(Action::FileNote(Some(format!(
                "Opened the scenario “{name}”."
            ))));
            None
        }
        (FileKind::Definition(definition), Expect::Any) => {
            store.dispatch(Action::OpenDefinition(definition));
            store.dispatch(Action::FileNote(Some(format!(
                "Opened the definition “{name}”."
            ))));
            None
        }
    }
}

/// Import one test case into the store (or show why not).
pub fn import(store: &Store, config: &MockConfig, state_machine: &str, test_case: &str) {
    match import_test_case(config, state_machine, test_case, store) {
        Ok((outcomes, note)) => store.dispatch(Action::ImportOutcomes(outcomes, note)),
        Err(message) => store.dispatch(Action::LinkError(message, String::new())),
    }
}

/// A MockConfigFile waiting for the user to pick a test case.
#[derive(Clone, PartialEq)]
struct Pending {
    config: Rc<MockConfig>,
    cases: Vec<(String, String)>,
}

/// The "File" menu: open, import, export and download; and the page-wide drop target.
#[function_component(FileMenu)]
pub fn file_menu() -> Html {
    let store = use_store();
    let open = use_state_of(false);
    let dragging = use_state_of(false);
    let expect = use_mut_ref(|| Expect::Any);
    let pending = use_state(|| None::<Pending>);
    let picked = use_state_of(0usize);
    let input = use_node_ref();
    let menu_button = use_node_ref();

    let on_text = {
        let store = store.clone();
        let pending = pending.clone();
        let picked = picked.clone();
        let expect = expect.clone();
        Rc::new(move |name: String, text: Result<String, String>| {
            let mode = *expect.borrow();
            *expect.borrow_mut() = Expect::Any;
            match text {
                Ok(text) => {
                    if let Some((config, cases)) = open_text(&store, &name, &text, mode) {
                        picked.set(0);
                        pending.set(Some(Pending { config, cases }));
                    }
                }
                Err(message) => store.dispatch(Action::LinkError(message, String::new())),
            }
        })
    };

    // The page-wide drop listener is registered once: it reads this render's handler (and so
    // the current store) through a cell refreshed on every render.
    let current_on_text = use_mut_ref(|| on_text.clone());
    *current_on_text.borrow_mut() = on_text.clone();

    // Drag and drop anywhere on the page.
    {
        let dragging = dragging.clone();
        let expect = expect.clone();
        // The listeners are removed at unmount.
        crate::app::use_mount(Box::new(move || {
            Box::new(web::on_drop(
                {
                    let dragging = dragging.clone();
                    move |over| dragging.set(over)
                },
                move |name, text| {
                    // A drop is any kind of file, whatever a cancelled picker expected.
                    *expect.borrow_mut() = Expect::Any;
                    let on_text = current_on_text.borrow().clone();
                    on_text(name, text)
                },
            ))
        }));
    }

    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let close_menu = {
        let open = open.clone();
        let menu_button = menu_button.clone();
        move || {
            open.set(false);
            web::focus(&menu_button);
        }
    };
    let onkeydown = {
        let close_menu = close_menu.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close_menu();
            }
        })
    };
    let pick = |mode: Expect| {
        let input = input.clone();
        let expect = expect.clone();
        let open = open.clone();
        Callback::from(move |_| {
            *expect.borrow_mut() = mode;
            open.set(false);
            web::click(&input);
        })
    };
    let onchange = {
        let on_text = on_text.clone();
        let input = input.clone();
        Callback::from(move |_| {
            let on_text = on_text.clone();
            web::read_input(&input, move |name, text| on_text(name, text));
        })
    };
    let download = |make: fn(&State) -> Option<(String, String)>| {
        let store = store.clone();
        let open = open.clone();
        Callback::from(move |_| {
            open.set(false);
            if let Some((name, text)) = make(&store) {
                web::download(&name, &text);
                store.dispatch(Action::FileNote(Some(format!("Downloaded “{name}”."))));
            }
        })
    };
    let export_mock = {
        let store = store.clone();
        let open = open.clone();
        Callback::from(move |_| {
            open.set(false);
            match mock_config_file(&store) {
                Ok((name, export)) => {
                    web::download(&name, &export.config.to_string_pretty());
                    store.dispatch(Action::FileNote(Some(export_note(&name, &export))));
                }
                Err(message) => store.dispatch(Action::LinkError(message, String::new())),
            }
        })
    };
    let runnable = store.trace().is_some();
    let why_not = (!runnable).then_some("The definition or the input has errors: nothing ran.");

    let picker = pending.as_ref().map(|p| {
        let onchange = {
            let picked = picked.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                picked.set(select.value().parse().unwrap_or(0));
            })
        };
        let confirm = {
            let store = store.clone();
            let pending = pending.clone();
            let picked = *picked;
            let p = p.clone();
            Callback::from(move |_| {
                if let Some((sm, tc)) = p.cases.get(picked) {
                    import(&store, &p.config, sm, tc);
                }
                pending.set(None);
            })
        };
        let cancel = {
            let pending = pending.clone();
            Callback::from(move |_| pending.set(None))
        };
        html! {
            <div class="file-dialog" role="dialog" aria-label="Import MockConfigFile">
                { ui::field_select("share-field", "Test case", "Test case", None, onchange, html! {<>
                    { for p.cases.iter().enumerate().map(|(i, (sm, tc))| ui::option(i.to_string().into(), i == *picked, format!("{tc} ({sm})").into())) }
                </>}) }
                <div class="link-alert-actions">
                    { ui::button("Import", confirm) }
                    { ui::button("Cancel", cancel) }
                </div>
            </div>
        }
    });

    html! {
        <div class="file-menu" {onkeydown}>
            <button type="button" class="file-button" ref={menu_button} aria-haspopup="true"
                aria-expanded={open.to_string()} aria-controls="file-menu-items" onclick={toggle}>
                { "File" }
            </button>
            <input ref={input.clone()} type="file" class="file-input" aria-label="Open file" tabindex="-1"
                accept=".json,.asl.json,.stepwise.json,application/json" {onchange} />
            if *open {
                <div class="file-popover" id="file-menu-items" role="group" aria-label="File">
                    <button type="button" onclick={pick(Expect::Any)}
                        title="A .stepwise.json scenario, an ASL definition or a MockConfigFile (also by drag and drop)">
                        { "Open file…" }
                    </button>
                    <button type="button" onclick={download(|s| Some(scenario_file(s)))}>
                        { "Download scenario (.stepwise.json)" }
                    </button>
                    <button type="button" onclick={download(|s| Some(definition_file(s)))}>
                        { "Download definition" }
                    </button>
                    <hr />
                    <button type="button" onclick={pick(Expect::MockConfig)}
                        title="Set the outcomes from a test case of an AWS Step Functions Local MockConfigFile.json">
                        { "Import MockConfigFile…" }
                    </button>
                    <button type="button" onclick={export_mock} disabled={!runnable}
                        title={why_not.unwrap_or("AWS Step Functions Local MockConfigFile.json with one test case: your injected outcomes, and the responses this run actually had where you left the default, so `stepwise run --mock-config` (or Step Functions Local) reproduces this run.")}>
                        { "Export MockConfigFile" }
                    </button>
                    <button type="button" onclick={download(history_file)} disabled={!runnable}
                        title={why_not.unwrap_or("The GetExecutionHistory JSON of this run: {\"events\": [...]}, payloads as JSON text like AWS returns them.")}>
                        { "Export history" }
                    </button>
                </div>
            }
            { for picker }
            if let Some(note) = store.file_note.clone() {
                <p class="visually-hidden" aria-live="polite">{ note }</p>
            }
            if *dragging {
                <div class="drop-overlay" aria-hidden="true">
                    { ui::el("p", "", "Drop a .stepwise.json scenario, an ASL definition or a MockConfigFile".into()) }
                </div>
            }
        </div>
    }
}

/// The browser side; inert off the web.
#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::Cell;
    use std::rc::Rc;

    use gloo::events::{EventListener, EventListenerOptions};
    use wasm_bindgen::JsCast;
    use web_sys::{DragEvent, HtmlElement, HtmlInputElement};
    use yew::NodeRef;

    use super::MAX_FILE_BYTES;

    pub use crate::share::web::download;

    pub fn click(input: &NodeRef) {
        if let Some(input) = input.cast::<HtmlInputElement>() {
            input.set_value("");
            input.click();
        }
    }

    pub fn focus(node: &NodeRef) {
        if let Some(el) = node.cast::<HtmlElement>() {
            let _ = el.focus();
        }
    }

    /// Read a file's text; `done(name, Ok(text) | Err(message))` runs once, later.
    fn read_file(file: web_sys::File, done: impl FnOnce(String, Result<String, String>) + 'static) {
        let name = file.name();
        if file.size() > MAX_FILE_BYTES {
            done(
                name.clone(),
                Err(format!(
                    "“{name}” is too large ({:.1} MiB): Stepwise opens files up to 5 MiB.",
                    file.size() / 1024.0 / 1024.0
                )),
            );
            return;
        }
        // The promise settles once; awaiting it keeps nothing alive afterwards.
        let text = file.text();
        yew::platform::spawn_local(async move {
            let result = wasm_bindgen_futures::JsFuture::from(text)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .ok_or_else(|| format!("“{name}” could not be read."));
            done(name, result);
        });
    }

    pub fn read_input(
        input: &NodeRef,
        done: impl FnOnce(String, Result<String, String>) + 'static,
    ) {
        let Some(file) = input
            .cast::<HtmlInputElement>()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        read_file(file, done);
    }

    fn has_files(e: &DragEvent) -> bool {
        e.data_transfer().is_some_and(|dt| {
            dt.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some("Files"))
        })
    }

    /// Page-wide drag and drop of one file: `over(true/false)` drives the overlay.
    pub fn on_drop(
        over: impl Fn(bool) + Clone + 'static,
        done: impl Fn(String, Result<String, String>) + Clone + 'static,
    ) -> Vec<EventListener> {
        let Some(window) = web_sys::window() else {
            return Vec::new();
        };
        let depth = Rc::new(Cell::new(0i32));
        let options = EventListenerOptions::enable_prevent_default();
        let enter = {
            let depth = depth.clone();
            let over = over.clone();
            EventListener::new_with_options(&window, "dragenter", options, move |e| {
                if let Some(e) = e.dyn_ref::<DragEvent>()
                    && has_files(e)
                {
                    e.prevent_default();
                    depth.set(depth.get() + 1);
                    over(true);
                }
            })
        };
        let over_listener = EventListener::new_with_options(&window, "dragover", options, |e| {
            if let Some(e) = e.dyn_ref::<DragEvent>()
                && has_files(e)
            {
                e.prevent_default();
                if let Some(dt) = e.data_transfer() {
                    dt.set_drop_effect("copy");
                }
            }
        });
        let leave = {
            let depth = depth.clone();
            let over = over.clone();
            EventListener::new(&window, "dragleave", move |e| {
                if e.dyn_ref::<DragEvent>().is_some_and(has_files) {
                    depth.set((depth.get() - 1).max(0));
                    if depth.get() == 0 {
                        over(false);
                    }
                }
            })
        };
        let dropped = EventListener::new_with_options(&window, "drop", options, move |e| {
            let Some(e) = e.dyn_ref::<DragEvent>() else {
                return;
            };
            let file = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|files| files.get(0));
            depth.set(0);
            over(false);
            if let Some(file) = file {
                e.prevent_default();
                let done = done.clone();
                read_file(file, done);
            }
        });
        vec![enter, over_listener, leave, dropped]
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod web {
    use yew::NodeRef;

    pub fn download(_name: &str, _text: &str) {}
    pub fn click(_input: &NodeRef) {}
    pub fn focus(_node: &NodeRef) {}
    pub fn read_input(
        _input: &NodeRef,
        _done: impl FnOnce(String, Result<String, String>) + 'static,
    ) {
    }
    pub fn on_drop(
        _over: impl Fn(bool) + Clone + 'static,
        _done: impl Fn(String, Result<String, String>) + Clone + 'static,
    ) -> Vec<()> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::SAMPLES;
    use stepwise_engine::Outcome;
    use yew::Reducible;

    fn failing() -> State {
        let fail = crate::store::planned(Outcome::Throw {
            error: "Batch.AWSBatchException".into(),
            cause: "throttled".into(),
        });
        let mut s = Rc::new(State::default());
        for n in [0, 1, 2] {
            s = s.reduce(Action::SetOutcome {
                state: "Submit Batch Job".into(),
                invocation: n,
                outcome: Some(fail.clone()),
            });
        }
        Rc::unwrap_or_clone(s.reduce(Action::RunToEnd))
    }

    #[test]
    fn files_are_recognised_by_content() {
        let s = failing();
        let (_, scenario) = scenario_file(&s);
        let (_, export) = mock_config_file(&s).expect("exports");
        let mock = export.config.to_string_pretty();
        let cases: [(&str, &str, &str); 9] = [
            ("a.stepwise.json", &scenario, "scenario"),
            ("x.json", SAMPLES[0].definition, "definition"),
            ("MockConfigFile.json", &mock, "mock"),
            ("half.json", "{\"StartAt\": ", "line 1, column 12"),
            ("list.json", "[1, 2]", "none of the files"),
            ("other.json", "{\"a\": 1}", "none of the files"),
            (
                "bad-mock.json",
                "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"x\": {}}}}",
                "at /MockedResponses/R/x",
            ),
            (
                "bad.stepwise.json",
                "{\"stepwise\": 1, \"cursor\": \"a\"}",
                "at /cursor",
            ),
            ("new.stepwise.json", "{\"stepwise\": 7}", "newer Stepwise"),
        ];
        for (name, text, wanted) in cases {
            let got = match detect(name, text) {
                Ok(FileKind::Scenario(_)) => "scenario".to_string(),
                Ok(FileKind::Definition(d)) => {
                    assert_eq!(d, text, "kept as typed");
                    "definition".to_string()
                }
                Ok(FileKind::MockConfig(_)) => "mock".to_string(),
                Err(message) => {
                    assert!(message.contains(name), "{message}");
                    message
                }
            };
            assert!(got.contains(wanted), "{name}: {got}");
        }
    }

    #[test]
    fn exports_reproduce_the_run_and_import_back() {
        let s = failing();
        let (name, export) = mock_config_file(&s).expect("exports");
        assert_eq!(name, "MockConfigFile.json");
        assert!(export.reproduces, "{:?}", export.notes);
        assert_eq!(export.test_case, "batch-retry-catch-notify");
        assert!(export_note(&name, &export).contains("gives this history"));

        // Importing the exported test case into a fresh page gives the same history.
        let config = MockConfig::parse(&export.config.to_string_pretty()).expect("parses");
        assert_eq!(
            test_cases(&config),
            vec![("StateMachine".to_string(), export.test_case.clone())]
        );
        let fresh = State::default();
        let (outcomes, note) =
            import_test_case(&config, "StateMachine", &export.test_case, &fresh).expect("imports");
        assert!(note.contains("Imported test case"), "{note}");
        let imported = Rc::new(fresh).reduce(Action::ImportOutcomes(outcomes, note));
        assert_eq!(
            imported.trace().map(|t| &t.events),
            s.trace().map(|t| &t.events)
        );
        assert!(imported.file_note.is_some());

        // History: the events as the CLI prints them.
        let (hname, history) = history_file(&s).expect("a run");
        assert_eq!(hname, "batch-retry-catch-notify.history.json");
        let v: Value = serde_json::from_str(&history).expect("json");
        let cli = s.trace().expect("trace").to_cli_json();
        assert_eq!(v["events"], cli["events"]);

        // The definition as typed.
        let (dname, text) = definition_file(&s);
        assert_eq!(dname, "batch-retry-catch-notify.asl.json");
        assert_eq!(text, s.docs.definition);

        // A default left between injected failures is filled with the response the run had;
        // the ids generated after it then differ, and the note says so.
        let gap = Rc::new(State::default()).reduce(Action::SetOutcome {
            state: "Submit Batch Job".into(),
            invocation: 1,
            outcome: Some(crate::store::planned(Outcome::Throw {
                error: "E".into(),
                cause: "C".into(),
            })),
        });
        let (_, export) = mock_config_file(&gap).expect("exports");
        let resolved = export
            .config
            .resolve(None, &export.test_case)
            .expect("resolves");
        assert!(resolved.gaps.is_empty());
        assert!(
            !export.reproduces,
            "the filled default shifts the ids after it"
        );
        assert!(!export.notes.is_empty());
        assert!(!export_note("m", &export).contains("gives this history"));

        // Nothing to export from a broken definition.
        let broken = Rc::new(State::default()).reduce(Action::EditDefinition("{".into()));
        assert!(mock_config_file(&broken).is_err());
        assert!(history_file(&broken).is_none());
    }

    #[test]
    fn an_opened_definition_replaces_the_text_and_is_undoable() {
        let s = Rc::new(failing());
        let text = SAMPLES[1].definition.to_string();
        let opened = s.clone().reduce(Action::OpenDefinition(text.clone()));
        assert_eq!(opened.docs.definition, text);
        assert_eq!(opened.docs.input, s.docs.input);
        assert!(opened.outcomes.is_empty());
        assert_eq!(opened.cursor, 0);
        let undone = opened.reduce(Action::Undo);
        assert_eq!(undone.docs.definition, s.docs.definition);
    }
}
