//! Adapter from the typed ASL model (`stepwise_asl::model`) to the layout's [`Block`].

use stepwise_asl::json::Value;
use stepwise_asl::model::{
    self, ChoiceRule, ComparisonOp, Operand, Setting, State, StateKind, StateMachine, Transition,
    WaitFor,
};

use crate::graph::Graph;
use crate::spec::{Block, EdgeKind, EdgeSpec, NodeKind, NodeSpec};
use crate::text::LayoutOptions;

/// Lays out a state machine (the parser's `machine` or its best-effort `outline`).
pub fn layout_machine(machine: &StateMachine, opts: &LayoutOptions) -> Graph {
    crate::layout_block(&block_from_machine(machine), opts)
}

/// The layout input for a state machine: the top-level block and, inside its
/// Map/Parallel nodes, the nested blocks.
pub fn block_from_machine(machine: &StateMachine) -> Block {
    convert_block(
        String::new(),
        String::new(),
        &machine.start_at,
        &machine.states,
    )
}

fn convert_block(pointer: String, label: String, start_at: &str, states: &model::States) -> Block {
    let mut nodes = Vec::with_capacity(states.len());
    let mut edges = Vec::new();
    for state in states {
        nodes.push(convert_state(state));
        push_edges(state, &mut edges);
    }
    Block {
        pointer,
        label,
        start_at: Some(start_at.to_string()),
        nodes,
        edges,
    }
}

fn convert_state(state: &State) -> NodeSpec {
    let (kind, subtitle, children) = match &state.kind {
        StateKind::Task(t) => (NodeKind::Task, resource_label(&t.resource), Vec::new()),
        StateKind::Pass(_) => (NodeKind::Pass, "Pass".to_string(), Vec::new()),
        StateKind::Choice(_) => (NodeKind::Choice, "Choice".to_string(), Vec::new()),
        StateKind::Wait(w) => (NodeKind::Wait, wait_label(&w.wait), Vec::new()),
        StateKind::Succeed => (NodeKind::Succeed, "Succeed".to_string(), Vec::new()),
        StateKind::Fail(f) => {
            let sub = match &f.error {
                Some(Setting::Literal(e)) => format!("Fail: {e}"),
                _ => "Fail".to_string(),
            };
            (NodeKind::Fail, sub, Vec::new())
        }
        StateKind::Parallel(p) => {
            let children = p
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    convert_block(
                        b.pointer.clone(),
                        format!("Branch {}", i + 1),
                        &b.start_at,
                        &b.states,
                    )
                })
                .collect();
            let n = p.branches.len();
            let sub = format!("Parallel · {n} branch{}", if n == 1 { "" } else { "es" });
            (NodeKind::Parallel, sub, children)
        }
        StateKind::Map(m) => {
            let b = &m.item_processor;
            let label = if m.legacy_iterator {
                "Iterator"
            } else {
                "Item processor"
            };
            let child = convert_block(b.pointer.clone(), label.to_string(), &b.start_at, &b.states);
            let sub = match m.mode {
                model::ProcessorMode::Inline => "Map",
                model::ProcessorMode::Distributed => "Map (distributed)",
            };
            (NodeKind::Map, sub.to_string(), vec![child])
        }
    };
    let retry_badge = if state.retry.is_empty() {
        None
    } else {
        let total = state
            .retry
            .iter()
            .fold(1u64, |acc, r| acc.saturating_add(r.max_attempts));
        Some(u32::try_from(total).unwrap_or(u32::MAX))
    };
    NodeSpec {
        name: state.name.clone(),
        kind,
        pointer: state.pointer.clone(),
        subtitle: Some(subtitle),
        retry_badge,
        terminal: state.is_terminal(),
        children,
    }
}

fn push_edges(state: &State, edges: &mut Vec<EdgeSpec>) {
    let from = &state.name;
    if let StateKind::Choice(c) = &state.kind {
        for (i, branch) in c.choices.iter().enumerate() {
            let label = choice_rule_label(&branch.rule);
            let label = if label.is_empty() {
                format!("Rule {}", i + 1)
            } else {
                label
            };
            edges.push(EdgeSpec {
                from: from.clone(),
                to: branch.next.clone(),
                kind: EdgeKind::Choice { label },
                pointer: format!("{}/Next", branch.pointer),
            });
        }
        if let Some(d) = &c.default {
            edges.push(EdgeSpec {
                from: from.clone(),
                to: d.clone(),
                kind: EdgeKind::Default,
                pointer: format!("{}/Default", state.pointer),
            });
        }
    }
    if let Some(Transition::Next(next)) = state.transition() {
        edges.push(EdgeSpec {
            from: from.clone(),
            to: next.clone(),
            kind: EdgeKind::Next,
            pointer: format!("{}/Next", state.pointer),
        });
    }
    for catcher in &state.catch {
        edges.push(EdgeSpec {
            from: from.clone(),
            to: catcher.next.clone(),
            kind: EdgeKind::Catch {
                label: catcher.error_equals.join(", "),
            },
            pointer: format!("{}/Next", catcher.pointer),
        });
    }
}

fn wait_label(w: &WaitFor) -> String {
    match w {
        WaitFor::Seconds(Setting::Literal(s)) => format!("Wait {s} s"),
        WaitFor::Seconds(Setting::Path(p)) => format!("Wait {p} s"),
        WaitFor::Seconds(Setting::Expression(e)) => format!("Wait {} s", strip_jsonata(e)),
        WaitFor::Timestamp(Setting::Literal(t)) => format!("Wait until {t}"),
        WaitFor::Timestamp(Setting::Path(p)) => format!("Wait until {p}"),
        WaitFor::Timestamp(Setting::Expression(e)) => {
            format!("Wait until {}", strip_jsonata(e))
        }
    }
}

fn strip_jsonata(e: &str) -> &str {
    e.trim()
        .strip_prefix("{%")
        .and_then(|s| s.strip_suffix("%}"))
        .map_or(e, str::trim)
}

/// A short, human label for a Task's `Resource`:
/// `arn:aws:states:::batch:submitJob.sync` → "Batch: SubmitJob (.sync)",
/// `arn:aws:lambda:…:function:Foo` → "Lambda: Foo".
pub fn resource_label(resource: &str) -> String {
    let parts: Vec<&str> = resource.split(':').collect();
    if parts.len() >= 6 && parts.first() == Some(&"arn") {
        let service = parts.get(2).copied().unwrap_or("");
        let rest = &parts[5..];
        if service == "states"
            && parts.get(3) == Some(&"")
            && parts.get(4) == Some(&"")
            && rest.first().is_some_and(|s| !s.is_empty())
        {
            // Service integration: arn:aws:states:::<svc>:<action>[.sync|...]
            if rest.first() == Some(&"aws-sdk") {
                let svc = rest.get(1).copied().unwrap_or("");
                let action = rest.get(2..).map(|r| r.join(":")).unwrap_or_default();
                let (action, suffix) = split_pattern(&action);
                return format!("{svc} SDK: {}{suffix}", capitalize(action));
            }
            let svc = rest.first().copied().unwrap_or("");
            let action = rest.get(1..).map(|r| r.join(":")).unwrap_or_default();
            let (action, suffix) = split_pattern(&action);
            return format!("{}: {}{suffix}", service_name(svc), capitalize(action));
        }
        if service == "states" && rest.first() == Some(&"activity") {
            return format!("Activity: {}", rest.get(1..).unwrap_or(&[]).join(":"));
        }
        if service == "lambda" && rest.first() == Some(&"function") {
            return format!("Lambda: {}", rest.get(1..).unwrap_or(&[]).join(":"));
        }
    }
    resource.to_string()
}

fn split_pattern(action: &str) -> (&str, &'static str) {
    for (suffix, shown) in [
        (".sync:2", " (.sync:2)"),
        (".sync", " (.sync)"),
        (".waitForTaskToken", " (callback)"),
    ] {
        if let Some(a) = action.strip_suffix(suffix) {
            return (a, shown);
        }
    }
    (action, "")
}

fn service_name(svc: &str) -> String {
    let known = [
        ("lambda", "Lambda"),
        ("batch", "Batch"),
        ("sns", "SNS"),
        ("sqs", "SQS"),
        ("dynamodb", "DynamoDB"),
        ("ecs", "ECS"),
        ("eks", "EKS"),
        ("glue", "Glue"),
        ("states", "Step Functions"),
        ("events", "EventBridge"),
        ("sagemaker", "SageMaker"),
        ("athena", "Athena"),
        ("codebuild", "CodeBuild"),
        ("apigateway", "API Gateway"),
        ("emr", "EMR"),
        ("http", "HTTP"),
        ("bedrock", "Bedrock"),
    ];
    known
        .iter()
        .find(|(k, _)| *k == svc)
        .map_or_else(|| svc.to_string(), |(_, v)| (*v).to_string())
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// A one-line summary of a choice rule: `$.status == "FAILED"`,
/// `$.n >= 3 and $.ok == true`, `not ($.x is present)`.
pub fn choice_rule_label(rule: &ChoiceRule) -> String {
    match rule {
        ChoiceRule::And(list) => join_rules(list, " and "),
        ChoiceRule::Or(list) => join_rules(list, " or "),
        ChoiceRule::Not(inner) => format!("not {}", nested(inner)),
        ChoiceRule::Condition(v) => match v {
            Value::String(s) => strip_jsonata(s).to_string(),
            other => other.to_string(),
        },
        ChoiceRule::Data {
            variable,
            op,
            operand,
        } => {
            let rhs = match operand {
                Operand::Literal(v) => v.to_string(),
                Operand::Path(p) => p.clone(),
            };
            let truthy = matches!(operand, Operand::Literal(Value::Bool(true)));
            let test = |yes: &str, no: &str| {
                let word = match operand {
                    Operand::Literal(Value::Bool(_)) => {
                        if truthy {
                            yes
                        } else {
                            no
                        }
                    }
                    _ => yes,
                };
                format!("{variable} {word}")
            };
            match op {
                ComparisonOp::StringEquals
                | ComparisonOp::NumericEquals
                | ComparisonOp::BooleanEquals
                | ComparisonOp::TimestampEquals => format!("{variable} == {rhs}"),
                ComparisonOp::StringLessThan
                | ComparisonOp::NumericLessThan
                | ComparisonOp::TimestampLessThan => format!("{variable} < {rhs}"),
                ComparisonOp::StringGreaterThan
                | ComparisonOp::NumericGreaterThan
                | ComparisonOp::TimestampGreaterThan => format!("{variable} > {rhs}"),
                ComparisonOp::StringLessThanEquals
                | ComparisonOp::NumericLessThanEquals
                | ComparisonOp::TimestampLessThanEquals => format!("{variable} <= {rhs}"),
                ComparisonOp::StringGreaterThanEquals
                | ComparisonOp::NumericGreaterThanEquals
                | ComparisonOp::TimestampGreaterThanEquals => format!("{variable} >= {rhs}"),
                ComparisonOp::StringMatches => format!("{variable} matches {rhs}"),
                ComparisonOp::IsNull => test("is null", "is not null"),
                ComparisonOp::IsPresent => test("is present", "is absent"),
                ComparisonOp::IsNumeric => test("is numeric", "is not numeric"),
                ComparisonOp::IsString => test("is a string", "is not a string"),
                ComparisonOp::IsBoolean => test("is a boolean", "is not a boolean"),
                ComparisonOp::IsTimestamp => test("is a timestamp", "is not a timestamp"),
            }
        }
    }
}

fn nested(rule: &ChoiceRule) -> String {
    match rule {
        ChoiceRule::And(_) | ChoiceRule::Or(_) | ChoiceRule::Not(_) => {
            format!("({})", choice_rule_label(rule))
        }
        _ => choice_rule_label(rule),
    }
}

fn join_rules(list: &[ChoiceRule], sep: &str) -> String {
    list.iter().map(nested).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_labels() {
        let cases = [
            (
                "arn:aws:states:::batch:submitJob.sync",
                "Batch: SubmitJob (.sync)",
            ),
            ("arn:aws:states:::sns:publish", "SNS: Publish"),
            ("arn:aws:states:::lambda:invoke", "Lambda: Invoke"),
            (
                "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Lambda: Invoke (callback)",
            ),
            (
                "arn:aws:states:::aws-sdk:s3:listBuckets",
                "s3 SDK: ListBuckets",
            ),
            (
                "arn:aws:states:::states:startExecution.sync:2",
                "Step Functions: StartExecution (.sync:2)",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Hello",
                "Lambda: Hello",
            ),
            (
                "arn:aws:states:us-east-1:123456789012:activity:Work",
                "Activity: Work",
            ),
            ("not an arn", "not an arn"),
            ("", ""),
            ("arn:aws:states:::", "arn:aws:states:::"),
        ];
        for (input, want) in cases {
            assert_eq!(resource_label(input), want, "{input}");
        }
    }

    #[test]
    fn choice_labels() {
        let data = |v: &str, op, operand| ChoiceRule::Data {
            variable: v.to_string(),
            op,
            operand,
        };
        let cases = [
            (
                data(
                    "$.status",
                    ComparisonOp::StringEquals,
                    Operand::Literal(Value::from("FAILED")),
                ),
                "$.status == \"FAILED\"",
            ),
            (
                data(
                    "$.n",
                    ComparisonOp::NumericGreaterThanEquals,
                    Operand::Path("$.min".into()),
                ),
                "$.n >= $.min",
            ),
            (
                data(
                    "$.x",
                    ComparisonOp::IsPresent,
                    Operand::Literal(Value::Bool(false)),
                ),
                "$.x is absent",
            ),
            (
                ChoiceRule::And(vec![
                    data(
                        "$.a",
                        ComparisonOp::BooleanEquals,
                        Operand::Literal(Value::Bool(true)),
                    ),
                    ChoiceRule::Or(vec![
                        data(
                            "$.b",
                            ComparisonOp::NumericLessThan,
                            Operand::Literal(Value::from(3)),
                        ),
                        data(
                            "$.c",
                            ComparisonOp::IsNull,
                            Operand::Literal(Value::Bool(true)),
                        ),
                    ]),
                ]),
                "$.a == true and ($.b < 3 or $.c is null)",
            ),
            (
                ChoiceRule::Not(Box::new(data(
                    "$.s",
                    ComparisonOp::StringMatches,
                    Operand::Literal(Value::from("a*")),
                ))),
                "not $.s matches \"a*\"",
            ),
            (
                ChoiceRule::Condition(Value::from("{% $states.input.n > 1 %}")),
                "$states.input.n > 1",
            ),
            (ChoiceRule::Condition(Value::Bool(true)), "true"),
            (ChoiceRule::And(vec![]), ""),
        ];
        for (rule, want) in cases {
            assert_eq!(choice_rule_label(&rule), want);
        }
    }
}
