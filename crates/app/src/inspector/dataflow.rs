//! The data-flow card: the value after each processing field of one visit, next to the field
//! that produced it (InputPath, Parameters, ResultSelector, ResultPath, OutputPath, …).
//!
//! Values come from the engine's [`Inspection`]; the expressions are read from the state's
//! model. A value the engine left out is either unchanged (the state does not set that field,
//! so the previous stage carries over) or not reached (the visit failed before).

use stepwise_asl::json::Value;
use stepwise_asl::{PathField, QueryLanguage, State, StateKind};
use stepwise_engine::Inspection;
use yew::prelude::*;

use crate::ui;

/// How much of a visit the cursor has revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    /// The visit has not started at the cursor.
    Nothing,
    /// The visit started: its input is known, its result not yet.
    Input,
    /// The visit is over.
    All,
}

/// What a stage shows.
#[derive(Debug, Clone, PartialEq)]
pub enum StageValue<'a> {
    /// The engine's value after this stage.
    Value(&'a Value),
    /// The state does not set this field: the previous stage's value carries over.
    Unchanged(&'a Value),
    /// Not revealed at the cursor yet.
    Pending,
    /// The visit ended (failed) before this stage.
    NotReached,
    /// A Map's ItemSelector (or legacy Parameters): evaluated once per item, so its values are
    /// in the iterations, not in the Map's own visit.
    PerItem,
}

impl<'a> StageValue<'a> {
    fn value(&self) -> Option<&'a Value> {
        match self {
            StageValue::Value(v) | StageValue::Unchanged(v) => Some(v),
            StageValue::Pending | StageValue::NotReached | StageValue::PerItem => None,
        }
    }
}

/// One row of the card.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage<'a> {
    /// e.g. "After InputPath".
    pub label: &'static str,
    /// The field that produced the value, e.g. `InputPath: $.x`, `ResultPath: (default $)`.
    pub expr: String,
    pub value: StageValue<'a>,
}

/// Which field a stage reads and where its value lives in the [`Inspection`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Input,
    InputPath,
    ItemsPath,
    Parameters,
    Result,
    ResultSelector,
    ResultPath,
    Output,
}

fn kinds(state: &State) -> &'static [Kind] {
    use Kind::*;
    if state.query_language == QueryLanguage::Jsonata {
        return match &state.kind {
            StateKind::Fail(_) => &[Input],
            StateKind::Choice(_) | StateKind::Wait(_) | StateKind::Succeed => &[Input, Output],
            _ => &[Input, Parameters, Result, Output],
        };
    }
    match &state.kind {
        StateKind::Task(_) | StateKind::Parallel(_) => &[
            Input,
            InputPath,
            Parameters,
            Result,
            ResultSelector,
            ResultPath,
            Output,
        ],
        StateKind::Map(_) => &[
            Input,
            InputPath,
            ItemsPath,
            Parameters,
            Result,
            ResultSelector,
            ResultPath,
            Output,
        ],
        StateKind::Pass(_) => &[Input, InputPath, Parameters, Result, ResultPath, Output],
        StateKind::Choice(_) | StateKind::Wait(_) | StateKind::Succeed => {
            &[Input, InputPath, Output]
        }
        StateKind::Fail(_) => &[Input],
    }
}

/// A JSON value on one line, shortened for a label.
pub fn compact(v: &Value, max_chars: usize) -> String {
    let text = v.to_string();
    if text.chars().count() <= max_chars {
        text
    } else {
        let head: String = text.chars().take(max_chars).collect();
        format!("{head}…")
    }
}

fn path_expr(field: &str, p: &PathField, null_means: &str) -> String {
    match p {
        PathField::Absent => format!("{field}: (default $)"),
        PathField::Null => format!("{field}: null ({null_means})"),
        PathField::Path(p) => format!("{field}: {p}"),
    }
}

fn template_expr(field: &str, v: Option<&Value>) -> String {
    match v {
        Some(v) => format!("{field}: {}", compact(v, 160)),
        None => format!("{field}: (none)"),
    }
}

/// The expression of one stage, read from the model.
fn expr(kind: Kind, state: &State) -> (String, bool) {
    let jsonata = state.query_language == QueryLanguage::Jsonata;
    match kind {
        Kind::Input => ("State input".to_string(), true),
        Kind::InputPath => (
            path_expr("InputPath", &state.input_path, "the input is discarded: {}"),
            !state.input_path.is_absent(),
        ),
        Kind::ItemsPath => match &state.kind {
            StateKind::Map(m) => (
                path_expr("ItemsPath", &m.items_path, "no items"),
                !m.items_path.is_absent(),
            ),
            _ => (String::new(), false),
        },
        Kind::Parameters => match &state.kind {
            StateKind::Map(m) => {
                let field = if m.legacy_parameters {
                    "Parameters (per item)"
                } else {
                    "ItemSelector (per item)"
                };
                (
                    template_expr(field, m.item_selector.as_ref()),
                    m.item_selector.is_some(),
                )
            }
            _ if jsonata => (
                template_expr("Arguments", state.arguments.as_ref()),
                state.arguments.is_some(),
            ),
            _ => (
                template_expr("Parameters", state.parameters.as_ref()),
                state.parameters.is_some(),
            ),
        },
        Kind::Result => {
            let text = match &state.kind {
                StateKind::Task(t) => format!("Resource: {}", t.resource),
                StateKind::Pass(p) => match &p.result {
                    Some(v) => format!("Result: {}", compact(v, 160)),
                    None => "Result: (none: the value after Parameters)".to_string(),
                },
                StateKind::Parallel(p) => format!(
                    "The {} branches' outputs, in branch order",
                    p.branches.len()
                ),
                StateKind::Map(_) => "The iterations' outputs, in item order".to_string(),
                _ => String::new(),
            };
            (text, true)
        }
        Kind::ResultSelector => (
            template_expr("ResultSelector", state.result_selector.as_ref()),
            state.result_selector.is_some(),
        ),
        Kind::ResultPath => (
            path_expr(
                "ResultPath",
                &state.result_path,
                "the result is discarded, the input passes through",
            ),
            !state.result_path.is_absent(),
        ),
        Kind::Output if jsonata => (
            template_expr("Output", state.output.as_ref()),
            state.output.is_some(),
        ),
        Kind::Output => (
            path_expr("OutputPath", &state.output_path, "the output is {}"),
            !state.output_path.is_absent(),
        ),
    }
}

fn label(kind: Kind, state: &State) -> &'static str {
    let jsonata = state.query_language == QueryLanguage::Jsonata;
    match kind {
        Kind::Input => "Input",
        Kind::InputPath => "After InputPath",
        Kind::ItemsPath => "After ItemsPath",
        Kind::Parameters if matches!(state.kind, StateKind::Map(_)) => "Items selected",
        Kind::Parameters if jsonata => "After Arguments",
        Kind::Parameters => "After Parameters",
        Kind::Result => "Result",
        Kind::ResultSelector => "After ResultSelector",
        Kind::ResultPath => "After ResultPath",
        Kind::Output => "Output",
    }
}

fn slot(kind: Kind, data: &Inspection) -> Option<&Value> {
    match kind {
        Kind::Input => data.input.as_deref(),
        Kind::InputPath => data.after_input_path.as_deref(),
        Kind::ItemsPath => data.after_items_path.as_deref(),
        Kind::Parameters => data.after_parameters.as_deref(),
        Kind::Result => data.result.as_deref(),
        Kind::ResultSelector => data.after_result_selector.as_deref(),
        Kind::ResultPath => data.after_result_path.as_deref(),
        Kind::Output => data.output.as_deref(),
    }
}

/// The stages of one visit of `state` (or of the state alone, when it has no visit).
pub fn stages<'a>(state: &State, data: Option<&'a Inspection>, reveal: Reveal) -> Vec<Stage<'a>> {
    let mut out: Vec<Stage<'a>> = Vec::new();
    let mut previous: StageValue<'a> = StageValue::Pending;
    for &kind in kinds(state) {
        let (expr, set) = expr(kind, state);
        let revealed = match reveal {
            Reveal::Nothing => false,
            Reveal::Input => matches!(
                kind,
                Kind::Input | Kind::InputPath | Kind::ItemsPath | Kind::Parameters
            ),
            Reveal::All => true,
        };
        let value = match (revealed, data.and_then(|d| slot(kind, d))) {
            (false, _) => StageValue::Pending,
            (true, Some(v)) => StageValue::Value(v),
            (true, None) => match previous.value() {
                // Map: the per-item selection is shown in each iteration, not here.
                Some(_) if kind == Kind::Parameters && matches!(state.kind, StateKind::Map(_)) => {
                    StageValue::PerItem
                }
                Some(prev) if !set && kind != Kind::Result => StageValue::Unchanged(prev),
                _ => StageValue::NotReached,
            },
        };
        // The Map's per-item selection never feeds the next stage.
        if !(kind == Kind::Parameters && matches!(state.kind, StateKind::Map(_))) {
            previous = value.clone();
        }
        out.push(Stage {
            label: label(kind, state),
            expr,
            value,
        });
    }
    out
}

/// Render the card.
pub fn card(stages: &[Stage<'_>]) -> Html {
    html! {
        <ol class="dataflow" aria-label="Data flow">
            { for stages.iter().map(stage_row) }
        </ol>
    }
}

fn stage_row(stage: &Stage<'_>) -> Html {
    let (class, badge, body) = match &stage.value {
        StageValue::Value(v) => ("stage changed", None, Some(json_block(v))),
        StageValue::Unchanged(v) => ("stage unchanged", Some("unchanged"), Some(json_block(v))),
        StageValue::Pending => ("stage pending", Some("not yet"), None),
        StageValue::NotReached => ("stage unreached", Some("not reached"), None),
        StageValue::PerItem => ("stage per-item", Some("per item: see each iteration"), None),
    };
    let open = matches!(stage.value, StageValue::Value(_));
    html! {
        <li class={class}>
            if let Some(body) = body {
                <details {open}>
                    <summary>
                        { ui::el("span", "stage-label", stage.label.into()) }
                        if let Some(badge) = badge { { ui::el("span", "stage-badge", badge.into()) } }
                        { ui::el("code", "stage-expr", (&stage.expr).into()) }
                    </summary>
                    { body }
                </details>
            } else {
                <div class="stage-head">
                    { ui::el("span", "stage-label", stage.label.into()) }
                    if let Some(badge) = badge { { ui::el("span", "stage-badge", badge.into()) } }
                    { ui::el("code", "stage-expr", (&stage.expr).into()) }
                </div>
            }
        </li>
    }
}

/// Longest JSON text shown in one block (the rest is cut with a note).
const MAX_JSON_CHARS: usize = 60_000;

/// Pretty JSON with light syntax highlighting (text nodes: always escaped).
pub fn json_block(v: &Value) -> Html {
    let text = serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    html! { <JsonText text={AttrValue::from(text)} /> }
}

#[derive(Properties, PartialEq)]
struct JsonTextProps {
    text: AttrValue,
}

/// The highlighted block of [`json_block`], memoised on its text: re-rendering the
/// inspector (every step, every keystroke) only rebuilds the blocks whose value changed.
#[function_component(JsonText)]
fn json_text(props: &JsonTextProps) -> Html {
    let text: &str = &props.text;
    let (text, cut) = match text.char_indices().nth(MAX_JSON_CHARS) {
        Some((i, _)) => (text.get(..i).unwrap_or_default(), true),
        None => (text, false),
    };
    html! {
        <pre class="json">
            { for highlight(text).into_iter().map(|(class, s)| match class {
                Some(class) => html! { <span class={class}>{ s }</span> },
                None => html! { { s } },
            }) }
            if cut { { ui::el("span", "j-cut", "\n… (cut: the value is longer)".into()) } }
        </pre>
    }
}

/// Split pretty JSON text into (class, text) tokens: keys, strings, numbers, literals.
pub fn highlight(text: &str) -> Vec<(Option<&'static str>, String)> {
    let mut out: Vec<(Option<&'static str>, String)> = Vec::new();
    let mut plain = String::new();
    let mut chars = text.char_indices().peekable();
    let flush = |plain: &mut String, out: &mut Vec<(Option<&'static str>, String)>| {
        if !plain.is_empty() {
            out.push((None, std::mem::take(plain)));
        }
    };
    while let Some((start, c)) = chars.next() {
        match c {
            '"' => {
                let mut end = text.len();
                let mut escaped = false;
                for (i, c) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        end = i + 1;
                        break;
                    }
                }
                let token = text.get(start..end).unwrap_or_default().to_string();
                let is_key = text
                    .get(end..)
                    .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'));
                flush(&mut plain, &mut out);
                out.push((Some(if is_key { "j-key" } else { "j-str" }), token));
            }
            '-' | '0'..='9' => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, d)) = chars.peek() {
                    if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                        end = i + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                flush(&mut plain, &mut out);
                out.push((
                    Some("j-num"),
                    text.get(start..end).unwrap_or_default().to_string(),
                ));
            }
            't' | 'f' | 'n' => {
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| text.get(start..).is_some_and(|r| r.starts_with(w)));
                match word {
                    Some(w) => {
                        for _ in 1..w.len() {
                            chars.next();
                        }
                        flush(&mut plain, &mut out);
                        out.push((Some("j-lit"), w.to_string()));
                    }
                    None => plain.push(c),
                }
            }
            _ => plain.push(c),
        }
    }
    flush(&mut plain, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_asl::json::json;

    fn machine(text: &str) -> stepwise_asl::StateMachine {
        stepwise_asl::parse(text).machine.expect("valid")
    }

    #[test]
    fn stages_pair_values_with_their_expressions() {
        let m = machine(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
            "InputPath":"$.a","Parameters":{"Message.$":"$.m"},"ResultPath":null,"End":true}}}"#,
        );
        let state = m.all_states()[0];
        let data = Inspection {
            input: Some(json!({"a": {"m": "hi"}}).into()),
            after_input_path: Some(json!({"m": "hi"}).into()),
            after_parameters: Some(json!({"Message": "hi"}).into()),
            result: Some(json!({"MessageId": "1"}).into()),
            after_result_path: Some(json!({"a": {"m": "hi"}}).into()),
            output: None,
            ..Inspection::default()
        };
        let all = stages(state, Some(&data), Reveal::All);
        let exprs: Vec<&str> = all.iter().map(|s| s.expr.as_str()).collect();
        assert_eq!(
            exprs,
            [
                "State input",
                "InputPath: $.a",
                "Parameters: {\"Message.$\":\"$.m\"}",
                "Resource: arn:aws:states:::sns:publish",
                "ResultSelector: (none)",
                "ResultPath: null (the result is discarded, the input passes through)",
                "OutputPath: (default $)",
            ]
        );
        // No ResultSelector: the result carries over; no OutputPath: the ResultPath value.
        assert_eq!(
            all[4].value,
            StageValue::Unchanged(&data.result.clone().unwrap())
        );
        assert_eq!(
            all[6].value,
            StageValue::Unchanged(&data.after_result_path.clone().unwrap())
        );
        let early = stages(state, Some(&data), Reveal::Input);
        assert_eq!(early[2].value, StageValue::Value(&json!({"Message": "hi"})));
        assert_eq!(early[3].value, StageValue::Pending);
        assert!(
            stages(state, None, Reveal::Nothing)
                .iter()
                .all(|s| s.value == StageValue::Pending)
        );
        // A visit that failed after its result: a set field left out was not reached.
        let failed = Inspection {
            after_result_path: None,
            ..data.clone()
        };
        let f = stages(state, Some(&failed), Reveal::All);
        assert_eq!(f[5].value, StageValue::NotReached);
        assert_eq!(f[6].value, StageValue::NotReached);
    }

    #[test]
    fn a_map_selection_is_per_item_not_unreached() {
        let m = machine(
            r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
            "ItemSelector":{"v.$":"$$.Map.Item.Value"},
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#,
        );
        let state = m.all_states()[0];
        let done = Inspection {
            input: Some(json!({"xs": [1]}).into()),
            after_input_path: Some(json!({"xs": [1]}).into()),
            after_items_path: Some(json!([1]).into()),
            result: Some(json!([{"v": 1}]).into()),
            after_result_path: Some(json!([{"v": 1}]).into()),
            output: Some(json!([{"v": 1}]).into()),
            ..Inspection::default()
        };
        let all = stages(state, Some(&done), Reveal::All);
        assert_eq!(all[3].label, "Items selected");
        assert_eq!(all[3].value, StageValue::PerItem);
        // The result stage still follows the items, not the per-item selection.
        assert_eq!(all[4].value, StageValue::Value(&json!([{"v": 1}])));
        // A Map that failed before its items: the selection was not reached.
        let early = Inspection {
            input: Some(json!({}).into()),
            after_input_path: Some(json!({}).into()),
            ..Inspection::default()
        };
        let e = stages(state, Some(&early), Reveal::All);
        assert_eq!(e[2].value, StageValue::NotReached);
        assert_eq!(e[3].value, StageValue::NotReached);
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let v = json!({"a \"q\"": [1, -2.5e3, true, null, "x:y"], "b": false});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let tokens = highlight(&text);
        let joined: String = tokens.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(joined, text);
        let class_of = |t: &str| tokens.iter().find(|(_, s)| s == t).and_then(|(c, _)| *c);
        assert_eq!(class_of("\"a \\\"q\\\"\""), Some("j-key"));
        assert_eq!(class_of("\"x:y\""), Some("j-str"));
        assert_eq!(class_of("-2500.0"), Some("j-num"));
        assert_eq!(class_of("null"), Some("j-lit"));
        assert_eq!(class_of("false"), Some("j-lit"));
    }
}
