//! Layout invariants over the AWS samples and our own shapes.

mod shapes;

use stepwise_layout::{
    Block, EdgeKind, EdgeSpec, Graph, LayoutOptions, NodeKind, NodeSpec, layout_block,
    layout_machine,
};

fn lay(text: &str) -> (Graph, stepwise_asl::StateMachine) {
    let m = shapes::outline(text).unwrap_or_else(|| panic!("no outline for {text}"));
    (layout_machine(&m, &LayoutOptions::default()), m)
}

#[test]
fn samples_lay_out_cleanly() {
    let samples = shapes::samples();
    for (name, text) in &samples {
        let (g, m) = lay(text);
        let bad = shapes::check(&g, Some(&m));
        assert!(bad.is_empty(), "{name}:\n{}", bad.join("\n"));
        let again = layout_machine(&m, &LayoutOptions::default());
        assert_eq!(g, again, "{name}: layout is not deterministic");
    }
    if samples.is_empty() {
        return;
    }
    // What the samples must show, as data: (sample, state, retry badge, pointer).
    let expect: &[(&str, &str, Option<u32>, &str)] = &[
        (
            "batch-retry-catch-notify",
            "Submit Batch Job",
            Some(3),
            "/States/Submit Batch Job",
        ),
        (
            "batch-catch-notify",
            "Submit Batch Job",
            None,
            "/States/Submit Batch Job",
        ),
        (
            "batch-fan-out-map",
            "Submit Batch Job",
            None,
            "/States/Fan out batch jobs/Iterator/States/Submit Batch Job",
        ),
    ];
    for (sample, state, badge, pointer) in expect {
        let Some((_, text)) = samples.iter().find(|(n, _)| n == sample) else {
            panic!("sample {sample} missing");
        };
        let (g, _) = lay(text);
        let node = g
            .node(state)
            .unwrap_or_else(|| panic!("{sample}: no {state}"));
        assert_eq!(node.retry_badge, *badge, "{sample}/{state}");
        assert_eq!(node.pointer, *pointer, "{sample}/{state}");
    }
    // The retry sample: Catch edge labelled, success path straight down, catch to the
    // right.
    let (_, text) = &samples[samples
        .iter()
        .position(|(n, _)| n == "batch-retry-catch-notify")
        .unwrap_or(0)];
    let (g, _) = lay(text);
    let submit = g.node_index("Submit Batch Job").unwrap_or(usize::MAX);
    let ok = g.node("Notify Success").map(|n| n.center().0);
    let fail = g.node("Notify Failure").map(|n| n.center().0);
    assert!(
        ok < fail,
        "Catch target should sit right of the Next target"
    );
    let catch = g
        .edges
        .iter()
        .find(|e| e.from == submit && matches!(e.kind, EdgeKind::Catch { .. }));
    assert_eq!(
        catch.and_then(|e| e.label.clone()).as_deref(),
        Some("States.ALL")
    );
    let map = g.node("Submit Batch Job").map(|n| n.subtitle.clone());
    assert_eq!(map, Some(Some("Batch: SubmitJob (.sync)".to_string())));
}

#[test]
fn shapes_lay_out_cleanly() {
    for (name, def) in shapes::shapes() {
        let (g, m) = lay(&def.to_string());
        let bad = shapes::check(&g, Some(&m));
        assert!(bad.is_empty(), "{name}:\n{}", bad.join("\n"));
        assert_eq!(
            g,
            layout_machine(&m, &LayoutOptions::default()),
            "{name}: not deterministic"
        );
        // Shape-specific expectations.
        let back: Vec<(String, String)> = g
            .edges
            .iter()
            .filter(|e| e.back)
            .map(|e| (g.nodes[e.from].name.clone(), g.nodes[e.to].name.clone()))
            .collect();
        let missing: Vec<&str> = g
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Missing)
            .map(|n| n.name.as_str())
            .collect();
        match name.as_str() {
            "choice-loop" => {
                assert_eq!(back, [("Job Complete?".into(), "Wait 30 s".into())]);
                assert_eq!(
                    g.node("Get Job Status").and_then(|n| n.retry_badge),
                    Some(10)
                );
            }
            "cycle" => {
                // C → A closes the loop, C → B (Catch) too, C → C is a self-loop.
                let mut b = back.clone();
                b.sort();
                assert_eq!(
                    b,
                    [
                        ("C".into(), "A".into()),
                        ("C".into(), "B".into()),
                        ("C".into(), "C".into())
                    ]
                );
            }
            "broken" => assert_eq!(missing, ["Nowhere", "Also missing"]),
            "chain-100" => {
                // Straight down: every state centred on the same x.
                let xs: Vec<f64> = g
                    .nodes
                    .iter()
                    .filter(|n| n.kind.is_state())
                    .map(|n| n.center().0)
                    .collect();
                assert_eq!(xs.len(), 100);
                assert!(
                    xs.iter().all(|x| (x - xs[0]).abs() < 0.5),
                    "chain is not straight"
                );
            }
            "parallel-3" => {
                let p = g.node_index("Fan out").unwrap_or(usize::MAX);
                let labels: Vec<&str> = g
                    .branches
                    .iter()
                    .filter(|b| b.node == p)
                    .map(|b| b.label.as_str())
                    .collect();
                assert_eq!(labels, ["Branch 1", "Branch 2", "Branch 3"]);
                assert_eq!(
                    g.node("Middle 2").map(|n| n.pointer.as_str()),
                    Some("/States/Fan out/Branches/1/States/Middle 2")
                );
            }
            "map-in-parallel" => {
                let map = g.node_index("Each item");
                let process = g.node("Process");
                assert_eq!(process.and_then(|n| n.parent), map);
                assert_eq!(process.map(|n| n.depth), Some(2));
            }
            _ => {}
        }
    }
}

fn spec(name: &str, kind: NodeKind) -> NodeSpec {
    NodeSpec::new(name, kind)
}

fn edge(from: &str, to: &str, kind: EdgeKind) -> EdgeSpec {
    EdgeSpec {
        from: from.into(),
        to: to.into(),
        kind,
        pointer: format!("/States/{from}/Next"),
    }
}

/// Blocks the parser would never produce, straight into the layout.
#[test]
fn odd_blocks_never_panic() {
    let nested = |depth: usize| {
        let mut b = Block {
            start_at: Some("leaf".into()),
            nodes: vec![spec("leaf", NodeKind::Succeed)],
            ..Block::default()
        };
        for d in 0..depth {
            let mut m = spec(&format!("map {d}"), NodeKind::Map);
            m.terminal = true;
            m.children = vec![b];
            b = Block {
                start_at: Some(m.name.clone()),
                nodes: vec![m],
                ..Block::default()
            };
        }
        b
    };
    let cases: Vec<(&str, Block, usize, usize)> = vec![
        // (name, block, expected node count, expected edge count)
        ("empty", Block::default(), 2, 0),
        (
            "no StartAt, unknown start",
            Block {
                start_at: Some("ghost".into()),
                ..Block::default()
            },
            3,
            1,
        ),
        (
            "duplicate names and self loop",
            Block {
                start_at: Some("a".into()),
                nodes: vec![
                    spec("a", NodeKind::Pass),
                    spec("a", NodeKind::Task),
                    spec("b", NodeKind::Choice),
                ],
                edges: vec![
                    edge("a", "b", EdgeKind::Next),
                    edge(
                        "b",
                        "b",
                        EdgeKind::Choice {
                            label: "$.again == true".into(),
                        },
                    ),
                    edge("b", "a", EdgeKind::Default),
                    edge("ghost", "a", EdgeKind::Next),
                ],
                ..Block::default()
            },
            4,
            4,
        ),
        (
            "empty children",
            Block {
                start_at: Some("p".into()),
                nodes: vec![NodeSpec {
                    children: vec![Block::default(), Block::default()],
                    terminal: true,
                    ..spec("p", NodeKind::Parallel)
                }],
                ..Block::default()
            },
            2 + 1 + 2 * 2,
            2,
        ),
        ("deep nesting", nested(20), 2 + 20 * 3 + 1, 2 + 20 * 2),
        (
            "long names",
            Block {
                start_at: Some("x".repeat(500)),
                nodes: vec![
                    spec(&"x".repeat(500), NodeKind::Succeed),
                    spec("日本語の状態名", NodeKind::Fail),
                ],
                ..Block::default()
            },
            4,
            3,
        ),
    ];
    for (name, block, nodes, edges) in cases {
        let g = layout_block(&block, &LayoutOptions::default());
        let bad = shapes::check(&g, None);
        assert!(bad.is_empty(), "{name}:\n{}", bad.join("\n"));
        assert_eq!((g.nodes.len(), g.edges.len()), (nodes, edges), "{name}");
        for n in &g.nodes {
            assert!(n.lines.len() <= 3, "{name}: {} lines", n.lines.len());
        }
    }
}

#[test]
fn options_scale_the_layout() {
    let Some((_, def)) = shapes::shapes()
        .into_iter()
        .find(|(n, _)| n == "choice-loop")
    else {
        panic!("choice-loop shape missing");
    };
    let (small, m) = lay(&def.to_string());
    let big = layout_machine(
        &m,
        &LayoutOptions {
            font_size: 20.0,
            small_font_size: 16.0,
            ..LayoutOptions::default()
        },
    );
    assert!(big.width > small.width && big.height > small.height);
    assert!(shapes::check(&big, Some(&m)).is_empty());
}

#[test]
fn bad_options_are_replaced() {
    let Some((_, def)) = shapes::shapes()
        .into_iter()
        .find(|(n, _)| n == "parallel-3")
    else {
        panic!("parallel-3 shape missing");
    };
    let (_, m) = lay(&def.to_string());
    let cases = [
        LayoutOptions {
            font_size: f64::NAN,
            node_spacing: -5.0,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            layer_spacing: f64::INFINITY,
            max_text_width: 0.0,
            char_width_scale: 0.0,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            self_loop_width: f64::NEG_INFINITY,
            block_margin: f64::NAN,
            ..LayoutOptions::default()
        },
    ];
    for (k, opts) in cases.iter().enumerate() {
        let g = layout_machine(&m, opts);
        let bad = shapes::check(&g, Some(&m));
        assert!(bad.is_empty(), "options case {k}:\n{}", bad.join("\n"));
    }
}

/// The checker itself must catch broken layouts, or the tests above prove nothing.
#[test]
fn checker_catches_broken_layouts() {
    let Some((_, def)) = shapes::shapes()
        .into_iter()
        .find(|(n, _)| n == "choice-loop")
    else {
        panic!("choice-loop shape missing");
    };
    let (good, m) = lay(&def.to_string());
    assert!(shapes::check(&good, Some(&m)).is_empty());
    let idx = |name: &str| good.node_index(name).unwrap_or(usize::MAX);
    type Mutation = Box<dyn Fn(&mut Graph)>;
    let (submit, wait, choice) = (idx("Submit Job"), idx("Wait 30 s"), idx("Job Complete?"));
    let mutations: Vec<(&str, Mutation, &str)> = vec![
        (
            "overlap",
            Box::new(move |g: &mut Graph| {
                g.nodes[wait].y = g.nodes[submit].y + 2.0;
                g.nodes[wait].x = g.nodes[submit].x + 2.0;
            }),
            "overlap",
        ),
        (
            "missing edge",
            Box::new(move |g: &mut Graph| g.edges.retain(|e| e.from != choice)),
            "no edge",
        ),
        (
            "edge off border",
            Box::new(|g: &mut Graph| {
                if let Some(p) = g.edges[0].points.first_mut() {
                    p.0 += 500.0;
                }
            }),
            "does not start",
        ),
        (
            "edge through node",
            Box::new(move |g: &mut Graph| {
                let c = g.nodes[choice].center();
                if let Some(e) = g.edges.iter_mut().find(|e| e.from == submit) {
                    let last = e.points.len() - 1;
                    e.points.insert(last, c);
                }
            }),
            "runs through",
        ),
        (
            "upward forward edge",
            Box::new(move |g: &mut Graph| {
                if let Some(e) = g.edges.iter_mut().find(|e| e.back) {
                    e.back = false;
                }
            }),
            "goes upwards",
        ),
        (
            "wrong badge",
            Box::new(|g: &mut Graph| {
                for n in &mut g.nodes {
                    n.retry_badge = None;
                }
            }),
            "badge",
        ),
    ];
    for (name, mutate, expect) in mutations {
        let mut g = good.clone();
        mutate(&mut g);
        let bad = shapes::check(&g, Some(&m));
        assert!(
            bad.iter().any(|b| b.contains(expect)),
            "{name}: expected a violation containing {expect:?}, got {bad:?}"
        );
    }
}

/// Every definition in the conformance corpus (executions and rejected
/// definitions) lays out without breaking an invariant.
#[test]
fn conformance_corpus_lays_out_cleanly() {
    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance");
    let mut laid = 0;
    for file in ["cases.jsonl", "validation_cases.jsonl"] {
        let path = format!("{DIR}/{file}");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping {path}: absent");
            continue;
        };
        for (line_no, line) in text.lines().enumerate() {
            let Ok(case) = serde_json::from_str::<stepwise_asl::json::Value>(line) else {
                continue;
            };
            let parsed = match case.get("definition") {
                Some(stepwise_asl::json::Value::String(raw)) => stepwise_asl::parse(raw),
                Some(v @ stepwise_asl::json::Value::Object(_)) => stepwise_asl::parse_value(v),
                _ => continue,
            };
            let Some(m) = parsed.machine.or(parsed.outline) else {
                continue;
            };
            let g = layout_machine(&m, &LayoutOptions::default());
            let bad = shapes::check(&g, Some(&m));
            assert!(
                bad.is_empty(),
                "{file}:{} {}:\n{}",
                line_no + 1,
                case.get("id").and_then(|v| v.as_str()).unwrap_or("?"),
                bad.join("\n")
            );
            laid += 1;
        }
    }
    eprintln!("laid out {laid} corpus definitions");
}
