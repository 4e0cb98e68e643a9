//! Native rendering checks (`LocalServerRenderer`): states, statuses, retry badges,
//! selection, nesting, the stale/empty notes, and that names are text, never markup.

use std::rc::Rc;

use yew::Reducible;
use yew::prelude::*;

use super::*;
use crate::app::Store;
use crate::store::{State, failing_batch};

#[derive(Properties, PartialEq)]
struct HarnessProps {
    state: State,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let initial = props.state.clone();
    let store = use_reducer(move || initial);
    html! {
        <ContextProvider<Store> context={store}>
            <GraphPane />
        </ContextProvider<Store>>
    }
}

fn render(state: &State) -> String {
    let renderer = yew::LocalServerRenderer::<Harness>::with_props(HarnessProps {
        state: state.clone(),
    });
    futures_block_on(renderer.render())
}

/// A tiny executor for the renderer's future (it completes without waking).
fn futures_block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map(|rt| rt.block_on(f))
        .unwrap_or_else(|e| panic!("no runtime: {e}"))
}

/// The opening tag of the state `name` (its attributes, escaped as in the HTML).
fn tag<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html.find(&format!("data-state=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..end])
}

fn attr<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let key = format!("{attr}=\"");
    let at = tag.find(&key)? + key.len();
    tag[at..].split('"').next()
}

fn status(html: &str, name: &str) -> String {
    tag(html, name)
        .and_then(|t| attr(t, "data-status"))
        .unwrap_or_else(|| panic!("no state {name:?} in the graph"))
        .to_string()
}

fn at(s: &Rc<State>, cursor: usize) -> State {
    let mut s = (**s).clone();
    s.cursor = cursor;
    s
}

#[test]
fn statuses_and_retry_badges_follow_the_cursor() {
    let caught = failing_batch(3);
    let len = caught.trace().map_or(0, |t| t.events.len());
    let recovered = failing_batch(1);
    let rlen = recovered.trace().map_or(0, |t| t.events.len());
    // (store, cursor, [(state, status)], retry badge text expected in the page)
    type Case<'a> = (
        &'a Rc<State>,
        usize,
        Vec<(&'a str, &'a str)>,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            &caught,
            0,
            vec![
                ("Submit Batch Job", "not-run"),
                ("Notify Success", "not-run"),
                ("Notify Failure", "not-run"),
            ],
            Some(">0/3<"),
        ),
        (
            &caught,
            2,
            vec![("Submit Batch Job", "in-progress")],
            Some(">0/3<"),
        ),
        (
            &caught,
            3,
            vec![("Submit Batch Job", "in-progress")],
            Some(">1/3<"),
        ),
        (
            &caught,
            len,
            vec![
                ("Submit Batch Job", "caught"),
                ("Notify Success", "not-run"),
                ("Notify Failure", "succeeded"),
            ],
            Some(">3/3<"),
        ),
        (
            &recovered,
            rlen,
            vec![
                ("Submit Batch Job", "succeeded"),
                ("Notify Success", "succeeded"),
                ("Notify Failure", "not-run"),
            ],
            Some(">2/3<"),
        ),
    ];
    for (store, cursor, expected, badge) in cases {
        let html = render(&at(store, cursor));
        for (name, want) in expected {
            assert_eq!(status(&html, name), want, "{name} at cursor {cursor}");
        }
        if let Some(badge) = badge {
            assert!(html.contains(badge), "badge {badge} at cursor {cursor}");
        }
        // Exactly one pulsing ring while a state is in progress.
        let pulses = html.matches("class=\"pulse\"").count();
        let running = html.matches("data-status=\"in-progress\"").count() - 1; // legend swatch
        assert_eq!(pulses, running, "cursor {cursor}");
    }
}

#[test]
fn an_uncaught_failure_is_red_and_the_selection_is_outlined() {
    let def = r#"{"StartAt":"Check","States":{
        "Check":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"Go"}],"Default":"Stop"},
        "Go":{"Type":"Succeed"},
        "Stop":{"Type":"Fail","Error":"Stopped","Cause":"no"}}}"#;
    let s = Rc::new(State::default())
        .reduce(Action::EditDefinition(def.into()))
        .reduce(Action::EditInput("{\"go\": false}".into()))
        .reduce(Action::RunToEnd)
        .reduce(Action::Select(Some("Go".into())));
    let html = render(&s);
    assert_eq!(status(&html, "Check"), "succeeded");
    assert_eq!(status(&html, "Stop"), "failed");
    assert_eq!(status(&html, "Go"), "not-run");
    let go = tag(&html, "Go").unwrap_or_default();
    assert_eq!(attr(go, "aria-pressed"), Some("true"));
    assert!(attr(go, "class").is_some_and(|c| c.contains("selected")));
    assert_eq!(
        attr(tag(&html, "Stop").unwrap_or_default(), "aria-pressed"),
        Some("false")
    );
    assert_eq!(attr(go, "tabindex"), Some("0"));
    // The Choice edges carry their labels: the rule and Default.
    assert!(html.contains(">Default</text>"));
    assert!(html.contains("$.go"), "the rule is drawn");
    assert!(html.contains("class=\"edge choice\""));
    assert!(html.contains("class=\"anchor start\"") && html.contains("class=\"anchor end\""));
}

#[test]
fn names_and_labels_are_text_never_markup() {
    let evil = "<script>alert(1)</script>";
    let def = format!(
        r#"{{"StartAt":"{e}","States":{{"{e}":{{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{{"FunctionName":"f"}},"Catch":[{{"ErrorEquals":["<b>x</b>"],"Next":"<img src=x onerror=alert(2)>"}}],"End":true}},"<img src=x onerror=alert(2)>":{{"Type":"Succeed"}}}}}}"#,
        e = evil.replace('/', "\\/")
    );
    let s = Rc::new(State::default()).reduce(Action::EditDefinition(def));
    assert!(
        !s.analysis.parsed.has_errors(),
        "{:?}",
        s.analysis.parsed.diagnostics
    );
    let html = render(&s);
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no img element");
    assert!(!html.contains("<b>"), "no b element");
    assert_eq!(
        status(&html, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        "not-run"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
    assert!(
        html.contains("&lt;b&gt;x&lt;/b&gt;"),
        "the catch label is text"
    );
    assert!(html.contains("class=\"edge catch\""));
}

#[test]
fn map_boxes_stale_and_empty_graphs() {
    let map = Rc::new(crate::initial_state("?sample=batch-fan-out-map"));
    let html = render(&map);
    assert!(html.contains("class=\"container-bg\""), "the Map box");
    assert!(html.contains("class=\"branch-box\""), "its item processor");
    assert!(tag(&html, "Fan out batch jobs").is_some_and(|t| t.contains("container")));
    assert_eq!(status(&html, "Submit Batch Job"), "not-run");
    assert!(!html.contains("graph-stale-note"));

    let broken = map.reduce(Action::EditDefinition("{\"StartAt\": ".into()));
    let html = render(&broken);
    assert!(html.contains("Showing the last valid graph"));
    assert!(html.contains("graph-viewport stale"));
    assert!(tag(&html, "Fan out batch jobs").is_some());

    let mut empty = State::default();
    empty.analysis = Rc::new(crate::store::analyze(
        &crate::store::Documents {
            definition: String::new(),
            input: "{}".into(),
        },
        &Default::default(),
        0,
        None,
    ));
    let html = render(&empty);
    assert!(html.contains("No graph yet"));
    assert!(!html.contains("data-state="));
}

#[test]
fn attempts_count_the_latest_visit_up_to_the_cursor() {
    let s = failing_batch(2);
    let Some(trace) = s.trace() else {
        panic!("the sample runs")
    };
    let submit = |cursor: usize| attempts_at(trace, cursor).get("Submit Batch Job").copied();
    assert_eq!(submit(0), None);
    assert_eq!(submit(2), Some(0), "entered, not yet scheduled");
    assert_eq!(submit(trace.events.len()), Some(3));
    let counts: Vec<u32> = (0..=trace.events.len()).filter_map(submit).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(counts.contains(&1) && counts.contains(&2));
}
