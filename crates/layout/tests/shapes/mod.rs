//! Shared by the tests: the shapes to lay out, and the invariant checker.
#![allow(dead_code)]

use stepwise_asl::StateMachine;
use stepwise_asl::json::{Value, json};
use stepwise_layout::{Graph, NodeKind, PlacedNode};

pub const SAMPLES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");

/// The four AWS samples, `(file stem, definition text)`; empty (with a note) when
/// the folder is absent.
pub fn samples() -> Vec<(String, String)> {
    let Ok(dir) = std::fs::read_dir(SAMPLES_DIR) else {
        eprintln!("skipping samples: {SAMPLES_DIR} is absent");
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().replace(".asl.json", "");
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    out.sort();
    out
}

fn task(next: Option<&str>) -> Value {
    let mut t = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"});
    match next {
        Some(n) => t["Next"] = json!(n),
        None => t["End"] = json!(true),
    }
    t
}

/// Own shapes: `(name, definition)`.
pub fn shapes() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    out.push((
        "choice-loop".to_string(),
        json!({
            "StartAt": "Submit Job",
            "States": {
                "Submit Job": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob", "Next": "Wait 30 s"},
                "Wait 30 s": {"Type": "Wait", "Seconds": 30, "Next": "Get Job Status"},
                "Get Job Status": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Job Complete?",
                    "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 6}, {"ErrorEquals": ["States.ALL"]}]},
                "Job Complete?": {"Type": "Choice", "Choices": [
                    {"Variable": "$.status", "StringEquals": "FAILED", "Next": "Job Failed"},
                    {"Variable": "$.status", "StringEquals": "SUCCEEDED", "Next": "Get Final Job Status"}
                ], "Default": "Wait 30 s"},
                "Job Failed": {"Type": "Fail", "Error": "JobFailed", "Cause": "AWS Batch Job Failed"},
                "Get Final Job Status": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
            }
        }),
    ));
    let branch = |prefix: &str, n: usize| {
        let mut states = stepwise_asl::json::Map::new();
        for i in 0..n {
            let name = format!("{prefix} {i}");
            let next = (i + 1 < n).then(|| format!("{prefix} {}", i + 1));
            states.insert(name, task(next.as_deref()));
        }
        json!({"StartAt": format!("{prefix} 0"), "States": states})
    };
    out.push((
        "parallel-3".to_string(),
        json!({
            "StartAt": "Fan out",
            "States": {
                "Fan out": {"Type": "Parallel", "Branches": [branch("Left", 1), branch("Middle", 3), branch("Right", 2)],
                    "Next": "Done", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle error"}]},
                "Handle error": {"Type": "Pass", "Next": "Failed"},
                "Failed": {"Type": "Fail"},
                "Done": {"Type": "Succeed"}
            }
        }),
    ));
    out.push((
        "map-in-parallel".to_string(),
        json!({
            "StartAt": "Prepare",
            "States": {
                "Prepare": task(Some("Both")),
                "Both": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "Each item", "States": {
                        "Each item": {"Type": "Map", "End": true, "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "INLINE"},
                            "StartAt": "Valid?", "States": {
                                "Valid?": {"Type": "Choice", "Choices": [
                                    {"Variable": "$.ok", "BooleanEquals": true, "Next": "Process"}
                                ], "Default": "Skip"},
                                "Process": task(None),
                                "Skip": {"Type": "Pass", "End": true}
                            }}}
                    }},
                    branch("Audit", 2)
                ]}
            }
        }),
    ));
    let mut chain = stepwise_asl::json::Map::new();
    for i in 0..100 {
        let next = (i < 99).then(|| format!("Step {:03}", i + 1));
        chain.insert(format!("Step {i:03}"), task(next.as_deref()));
    }
    out.push((
        "chain-100".to_string(),
        json!({"StartAt": "Step 000", "States": chain}),
    ));
    out.push((
        "cycle".to_string(),
        json!({
            "StartAt": "A",
            "States": {
                "A": {"Type": "Pass", "Next": "B"},
                "B": {"Type": "Pass", "Next": "C"},
                "C": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": "A",
                    "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}, {"ErrorEquals": ["States.ALL"], "Next": "B"}]}
            }
        }),
    ));
    out.push((
        "broken".to_string(),
        json!({
            "StartAt": "First",
            "States": {
                "First": {"Type": "Pass", "Next": "Nowhere"},
                "Orphan": {"Type": "Pass", "Next": "Nowhere"},
                "Choose": {"Type": "Choice", "Choices": [
                    {"Variable": "$.x", "NumericGreaterThan": 1, "Next": "Also missing"}
                ], "Default": "First"},
                "Lonely end": {"Type": "Succeed"}
            }
        }),
    ));
    let mut wide = stepwise_asl::json::Map::new();
    let mut choices = Vec::new();
    for i in 0..8 {
        choices.push(json!({"Variable": "$.kind", "StringEquals": format!("kind-{i}"), "Next": format!("Handle kind {i}")}));
        wide.insert(format!("Handle kind {i}"), task(Some("Merge")));
    }
    wide.insert(
        "Route".to_string(),
        json!({"Type": "Choice", "Choices": choices, "Default": "Merge"}),
    );
    wide.insert("Merge".to_string(), json!({"Type": "Succeed"}));
    out.push(("mixed-100".to_string(), mixed(25)));
    out.push((
        "wide-choice".to_string(),
        json!({"StartAt": "Route", "States": wide}),
    ));
    out
}

/// `4 × groups` states: per group a Task with Retry and Catch, a Choice that loops
/// back through a Wait or goes on, and a Fail for the Catch.
pub fn mixed(groups: usize) -> Value {
    let mut states = stepwise_asl::json::Map::new();
    for g in 0..groups {
        let next = if g + 1 < groups {
            format!("Task {}", g + 1)
        } else {
            "Done".to_string()
        };
        states.insert(
            format!("Task {g}"),
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": format!("Check {g}"),
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": format!("Fail {g}")}]}),
        );
        states.insert(
            format!("Check {g}"),
            json!({"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": next}],
                "Default": format!("Wait {g}")}),
        );
        states.insert(
            format!("Wait {g}"),
            json!({"Type": "Wait", "Seconds": 5, "Next": format!("Task {g}")}),
        );
        states.insert(
            format!("Fail {g}"),
            json!({"Type": "Fail", "Error": "Boom"}),
        );
    }
    states.insert("Done".to_string(), json!({"Type": "Succeed"}));
    json!({"StartAt": "Task 0", "States": states})
}

/// Parses a definition (the best-effort outline, so broken ones lay out too).
pub fn outline(text: &str) -> Option<StateMachine> {
    let parsed = stepwise_asl::parse(text);
    parsed.machine.or(parsed.outline)
}

const EPS: f64 = 0.01;

fn overlap(a: &PlacedNode, b: &PlacedNode) -> bool {
    a.x + EPS < b.x + b.width
        && b.x + EPS < a.x + a.width
        && a.y + EPS < b.y + b.height
        && b.y + EPS < a.y + a.height
}

fn on_border(p: (f64, f64), n: &PlacedNode) -> bool {
    let (x, y) = p;
    let inside_x = x >= n.x - EPS && x <= n.x + n.width + EPS;
    let inside_y = y >= n.y - EPS && y <= n.y + n.height + EPS;
    let on_v = (x - n.x).abs() < EPS || (x - n.x - n.width).abs() < EPS;
    let on_h = (y - n.y).abs() < EPS || (y - n.y - n.height).abs() < EPS;
    inside_x && inside_y && (on_v || on_h)
}

/// Whether segment a–b passes through the interior of the rectangle, shrunk by `m`.
fn segment_hits(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64), m: f64) -> bool {
    let (x0, y0, x1, y1) = (r.0 + m, r.1 + m, r.0 + r.2 - m, r.1 + r.3 - m);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    // Liang–Barsky clipping.
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p.abs() < 1e-12 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1 - 1e-9
}

fn block_of(g: &Graph, i: usize) -> Option<usize> {
    g.nodes.get(i).and_then(|n| n.branch)
}

/// Checks every layout invariant; returns the violations (empty when all hold).
pub fn check(g: &Graph, machine: Option<&StateMachine>) -> Vec<String> {
    let mut bad = Vec::new();
    let n = g.nodes.len();
    // Finite, inside the graph.
    for (i, node) in g.nodes.iter().enumerate() {
        let vals = [node.x, node.y, node.width, node.height];
        if vals.iter().any(|v| !v.is_finite()) || node.width <= 0.0 || node.height <= 0.0 {
            bad.push(format!("node {i} {:?} has a bad box", node.name));
        }
        if node.x < -EPS
            || node.y < -EPS
            || node.x + node.width > g.width + EPS
            || node.y + node.height > g.height + EPS
        {
            bad.push(format!("node {i} {:?} is outside the graph", node.name));
        }
    }
    // No overlap within a block.
    for i in 0..n {
        for j in i + 1..n {
            if block_of(g, i) == block_of(g, j) && overlap(&g.nodes[i], &g.nodes[j]) {
                bad.push(format!(
                    "nodes {:?} and {:?} overlap",
                    g.nodes[i].name, g.nodes[j].name
                ));
            }
        }
    }
    // Children inside their box, boxes inside their node (below the header), boxes
    // of one node apart.
    for (bi, br) in g.branches.iter().enumerate() {
        let Some(owner) = g.nodes.get(br.node) else {
            bad.push(format!("branch {bi} has no node"));
            continue;
        };
        if br.x < owner.x - EPS
            || br.y < owner.y + owner.header_height - EPS
            || br.x + br.width > owner.x + owner.width + EPS
            || br.y + br.height > owner.y + owner.height + EPS
        {
            bad.push(format!("branch {bi} sticks out of {:?}", owner.name));
        }
        for (bj, other) in g.branches.iter().enumerate().skip(bi + 1) {
            if other.node == br.node
                && br.x + EPS < other.x + other.width
                && other.x + EPS < br.x + br.width
            {
                bad.push(format!(
                    "branches {bi} and {bj} of {:?} overlap",
                    owner.name
                ));
            }
        }
    }
    for (i, node) in g.nodes.iter().enumerate() {
        if let Some(b) = node.branch {
            let Some(br) = g.branches.get(b) else {
                bad.push(format!("node {i} names branch {b} which does not exist"));
                continue;
            };
            if node.parent != Some(br.node) {
                bad.push(format!("node {:?}: parent and branch disagree", node.name));
            }
            if node.x < br.x - EPS
                || node.y < br.y + br.caption_height - EPS
                || node.x + node.width > br.x + br.width + EPS
                || node.y + node.height > br.y + br.height + EPS
            {
                bad.push(format!("node {:?} is outside its branch box", node.name));
            }
        }
        if let Some(p) = node.parent
            && p >= i
        {
            bad.push(format!("node {:?}: parent comes after it", node.name));
        }
    }
    // Edges: borders, direction, no node crossed, labels clear.
    for (k, e) in g.edges.iter().enumerate() {
        let (Some(from), Some(to)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else {
            bad.push(format!("edge {k} has a bad endpoint"));
            continue;
        };
        let what = format!("edge {k} {:?} → {:?} ({:?})", from.name, to.name, e.kind);
        if block_of(g, e.from) != block_of(g, e.to) {
            bad.push(format!("{what} leaves its block"));
        }
        if e.points.len() < 2
            || e.points
                .iter()
                .any(|p| !p.0.is_finite() || !p.1.is_finite())
        {
            bad.push(format!("{what} has bad points"));
            continue;
        }
        let first = e.points[0];
        let last = e.points[e.points.len() - 1];
        if !on_border(first, from) {
            bad.push(format!(
                "{what} does not start on its source's border: {first:?}"
            ));
        }
        if !on_border(last, to) {
            bad.push(format!(
                "{what} does not end on its target's border: {last:?}"
            ));
        }
        if !e.back && to.y < from.y + from.height - EPS {
            bad.push(format!("{what} goes upwards but is not a back edge"));
        }
        let blk = block_of(g, e.from);
        for seg in e.points.windows(2) {
            for (j, node) in g.nodes.iter().enumerate() {
                if block_of(g, j) != blk {
                    continue;
                }
                let r = (node.x, node.y, node.width, node.height);
                if segment_hits(seg[0], seg[1], r, 0.5) {
                    bad.push(format!("{what} runs through {:?}", node.name));
                }
            }
        }
        if let (Some((lx, ly)), Some((lw, lh))) = (e.label_pos, e.label_size) {
            for (j, node) in g.nodes.iter().enumerate() {
                if block_of(g, j) != blk {
                    continue;
                }
                if lx - lw / 2.0 + EPS < node.x + node.width
                    && node.x + EPS < lx + lw / 2.0
                    && ly - lh / 2.0 + EPS < node.y + node.height
                    && node.y + EPS < ly + lh / 2.0
                {
                    bad.push(format!("{what}: label overlaps {:?}", node.name));
                }
            }
            for (k2, e2) in g.edges.iter().enumerate().skip(k + 1) {
                if let (Some((x2, y2)), Some((w2, h2))) = (e2.label_pos, e2.label_size)
                    && (lx - x2).abs() + EPS < (lw + w2) / 2.0
                    && (ly - y2).abs() + EPS < (lh + h2) / 2.0
                {
                    bad.push(format!("labels of edges {k} and {k2} overlap"));
                }
            }
        } else if e.kind.label().is_some() {
            bad.push(format!("{what} has no label position"));
        }
    }
    // Every transition has an edge.
    if let Some(m) = machine {
        check_block(g, &m.start_at, &m.states, None, &mut bad);
    }
    bad
}

fn find_in_block(
    g: &Graph,
    name: &str,
    branch: Option<usize>,
    kind: Option<NodeKind>,
) -> Option<usize> {
    g.nodes.iter().enumerate().position(|(_, n)| {
        n.branch == branch
            && n.name == name
            && kind.map_or(n.kind.is_state() || n.kind == NodeKind::Missing, |k| {
                n.kind == k
            })
    })
}

fn has_edge(g: &Graph, from: usize, to: usize) -> bool {
    g.edges.iter().any(|e| e.from == from && e.to == to)
}

fn check_block(
    g: &Graph,
    start_at: &str,
    states: &stepwise_asl::States,
    branch: Option<usize>,
    bad: &mut Vec<String>,
) {
    let start = find_in_block(g, "", branch, Some(NodeKind::Start));
    let end = find_in_block(g, "", branch, Some(NodeKind::End));
    let (Some(start), Some(end)) = (start, end) else {
        bad.push(format!("block {branch:?} lacks its Start/End anchors"));
        return;
    };
    match find_in_block(g, start_at, branch, None) {
        Some(t) if has_edge(g, start, t) => {}
        _ => bad.push(format!("no Start edge to {start_at:?} in block {branch:?}")),
    }
    for state in states {
        let Some(i) = find_in_block(g, &state.name, branch, None) else {
            bad.push(format!("state {:?} is not drawn", state.name));
            continue;
        };
        if g.nodes[i].pointer != state.pointer {
            bad.push(format!(
                "state {:?} has pointer {:?}",
                state.name, g.nodes[i].pointer
            ));
        }
        for succ in state.successors() {
            match find_in_block(g, succ, branch, None) {
                Some(t) if has_edge(g, i, t) => {}
                _ => bad.push(format!("no edge {:?} → {succ:?}", state.name)),
            }
        }
        if state.is_terminal() && !has_edge(g, i, end) {
            bad.push(format!("terminal {:?} has no End edge", state.name));
        }
        let want_badge = (!state.retry.is_empty()).then(|| {
            1 + state
                .retry
                .iter()
                .map(|r| r.max_attempts as u32)
                .sum::<u32>()
        });
        if g.nodes[i].retry_badge != want_badge {
            bad.push(format!(
                "state {:?}: badge {:?}",
                state.name, g.nodes[i].retry_badge
            ));
        }
        let blocks: Vec<(&str, &stepwise_asl::States)> = match &state.kind {
            stepwise_asl::StateKind::Parallel(p) => p
                .branches
                .iter()
                .map(|b| (b.start_at.as_str(), &b.states))
                .collect(),
            stepwise_asl::StateKind::Map(m) => {
                vec![(m.item_processor.start_at.as_str(), &m.item_processor.states)]
            }
            _ => Vec::new(),
        };
        for (bi, (s, st)) in blocks.into_iter().enumerate() {
            let Some(b) = g.branches.iter().position(|b| b.node == i && b.index == bi) else {
                bad.push(format!("{:?} lacks branch {bi}", state.name));
                continue;
            };
            check_block(g, s, st, Some(b), bad);
        }
    }
}
