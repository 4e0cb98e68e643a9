//! Layered (Sugiyama-style) layout of one block whose node sizes are known.
//!
//! 1. Back edges: a depth-first search from the Start anchor (then from every
//!    unvisited node, in declaration order) marks the edges that close a cycle;
//!    they are reversed for layering, which makes the graph acyclic.
//! 2. Layers: longest path from the sources (Start at layer 0, every other node at
//!    layer ≥ 1, the End anchor alone on the last layer).
//! 3. Ranks: node layer `l` is rank `2l`; odd ranks hold the edge labels. Every edge
//!    gets one dummy item per rank it crosses, so edges never pass through a node.
//!    A back edge gets a dummy *beside* each of its ends (its lane runs on the right
//!    of its nodes) and one per rank in between.
//! 4. Order within ranks: DFS discovery order, then barycenter sweeps (down and up,
//!    keeping the order with the fewest crossings).
//! 5. x: alternating sweeps ending downwards; each rank is placed at the weighted
//!    mean of its neighbours under "keep the order, keep the gaps" — an isotonic
//!    regression, solved exactly by pool-adjacent-violators. A node's first forward
//!    edge, when it has at most two (Next before Catch, first rule before Default),
//!    is the *main path* and weighs far more, so the main path runs straight down
//!    and the other edge moves aside. Then every edge's bends are lined up on one x
//!    where the rank leaves room, and a node whose only edge is one edge (the Start
//!    anchor, a lone End) lines up with that edge's port.
//! 6. y: ranks stacked; nodes centred in their rank.
//! 7. Edges: polylines through their dummies, with ports spread along the borders
//!    (the main path keeps the centre); bends are then dropped wherever the straight
//!    line stays clear of nodes and labels ("string pulling"), except through the
//!    edge's own label.

use crate::graph::Point;
use crate::text::LayoutOptions;
use stepwise_asl::sort::{sort_stable_by, sort_stable_by_key};

/// A node to place: its size.
#[derive(Clone, Debug)]
pub(crate) struct LNode {
    pub w: f64,
    pub h: f64,
}

/// An edge to route, with the size of its label box if it has one.
#[derive(Clone, Debug)]
pub(crate) struct LEdge {
    pub from: usize,
    pub to: usize,
    pub label: Option<(f64, f64)>,
}

#[derive(Clone, Debug)]
pub(crate) struct LEdgeOut {
    pub points: Vec<Point>,
    pub back: bool,
    pub label_pos: Option<Point>,
}

#[derive(Clone, Debug)]
pub(crate) struct LResult {
    pub width: f64,
    pub height: f64,
    /// Top-left corner of every node.
    pub pos: Vec<Point>,
    pub edges: Vec<LEdgeOut>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ItemKind {
    Node(usize),
    /// A dummy on edge `edge`.
    Dummy(usize),
    /// A back edge's dummy beside node `owner`, in the owner's rank.
    Attached {
        edge: usize,
        owner: usize,
    },
}

#[derive(Clone, Debug)]
struct Item {
    kind: ItemKind,
    rank: usize,
    left: f64,
    right: f64,
    x: f64,
    /// Label box size carried by this dummy.
    label: Option<(f64, f64)>,
}

const W_NODE_NODE: f64 = 1.0;
const W_NODE_DUMMY: f64 = 2.0;
const W_DUMMY_DUMMY: f64 = 8.0;
const LABEL_PAD: f64 = 6.0;
const MAIN_BOOST: f64 = 1000.0;
/// Edges into End spanning more layers than this join the bus.
const BUS_SPAN: usize = 6;

/// Lays out one block. `start` is forced onto layer 0 and `end` onto the last layer.
pub(crate) fn layout(
    nodes: &[LNode],
    edges: &[LEdge],
    start: Option<usize>,
    end: Option<usize>,
    opts: &LayoutOptions,
) -> LResult {
    let n = nodes.len();
    if n == 0 {
        return LResult {
            width: 2.0 * opts.block_margin,
            height: 2.0 * opts.block_margin,
            pos: Vec::new(),
            edges: Vec::new(),
        };
    }
    // Drop edges with endpoints out of range (cannot happen from our callers).
    let valid = |e: &LEdge| e.from < n && e.to < n;

    // ---- 1. back edges by DFS ------------------------------------------------
    let out = Csr::from_pairs(
        n,
        edges
            .iter()
            .enumerate()
            .filter(|(_, e)| valid(e) && e.from != e.to)
            .map(|(i, e)| (e.from, i)),
    );
    let mut back = vec![false; edges.len()];
    let mut finish_order: Vec<usize> = Vec::with_capacity(n);
    let mut preorder = vec![usize::MAX; n];
    {
        // 0 = unvisited, 1 = on stack, 2 = done
        let mut state = vec![0u8; n];
        let mut counter = 0usize;
        let roots = start.into_iter().chain(0..n);
        for root in roots {
            if root >= n || state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            preorder[root] = counter;
            counter += 1;
            while let Some(top) = stack.last_mut() {
                let (v, ref mut k) = *top;
                if let Some(&ei) = out.get(v).get(*k) {
                    *k += 1;
                    let w = edges[ei].to;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            preorder[w] = counter;
                            counter += 1;
                            stack.push((w, 0));
                        }
                        1 => back[ei] = true,
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    finish_order.push(v);
                    stack.pop();
                }
            }
        }
    }

    // ---- 2. layers (longest path over the DAG) --------------------------------
    // DAG successor lists: forward edges as is, back edges reversed.
    let dag_in = Csr::from_pairs(
        n,
        edges
            .iter()
            .enumerate()
            .filter(|(_, e)| valid(e) && e.from != e.to)
            .map(|(i, e)| {
                if back[i] {
                    (e.from, e.to)
                } else {
                    (e.to, e.from)
                }
            }),
    );
    let mut layer = vec![0usize; n];
    // Reverse finishing order is a topological order of the DAG.
    for &v in finish_order.iter().rev() {
        let mut l = if Some(v) == start || start.is_none() {
            0
        } else {
            1
        };
        for &u in dag_in.get(v) {
            l = l.max(layer[u] + 1);
        }
        layer[v] = l;
    }
    if let Some(s) = start.filter(|&s| s < n) {
        layer[s] = 0;
    }
    if let Some(e) = end.filter(|&e| e < n) {
        let max_other = (0..n).filter(|&v| v != e).map(|v| layer[v]).max();
        layer[e] = max_other.map_or(0, |m| m + 1);
    }
    let max_layer = layer.iter().copied().max().unwrap_or(0);
    let n_ranks = 2 * max_layer + 1;

    // ---- 3. items and chains -------------------------------------------------
    let mut items: Vec<Item> = (0..n)
        .map(|i| Item {
            kind: ItemKind::Node(i),
            rank: 2 * layer[i],
            left: nodes[i].w / 2.0,
            right: nodes[i].w / 2.0,
            x: 0.0,
            label: None,
        })
        .collect();
    // Self loops stick out to the left of their node (back-edge lanes use the right).
    let self_loops = Csr::from_pairs(
        n,
        edges
            .iter()
            .enumerate()
            .filter(|(_, e)| valid(e) && e.from == e.to)
            .map(|(i, e)| (e.from, i)),
    );
    for (v, item) in items.iter_mut().enumerate() {
        let mut extra = 0.0f64;
        for &ei in self_loops.get(v) {
            let lw = edges[ei].label.map_or(0.0, |(w, _)| w + LABEL_PAD);
            extra = extra.max(opts.self_loop_width + lw);
        }
        item.left += extra;
    }
    // chain[e] = item ids in ascending rank order, including both end nodes.
    // Edges into the End anchor from far above join a bus on the right of the
    // block instead of reserving a slot in every layer: a machine with many Fail
    // states would otherwise cost terminals × depth dummies.
    let bus: Vec<bool> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            valid(e)
                && !back[i]
                && e.from != e.to
                && Some(e.to) == end
                && layer[e.to].saturating_sub(layer[e.from]) > BUS_SPAN
        })
        .collect();
    let mut chains = Csr::<usize>::with_keys(edges.len());
    let mut label_item: Vec<Option<usize>> = vec![None; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        if !valid(e) || e.from == e.to || bus[i] {
            chains.close_group();
            continue;
        }
        let chain = &mut chains.data;
        if back[i] {
            // Drawn from e.from (lower) up to e.to (upper).
            let (top, bottom) = (e.to, e.from);
            let (rt, rb) = (2 * layer[top], 2 * layer[bottom]);
            chain.push(top);
            chain.push(push_item(
                &mut items,
                ItemKind::Attached {
                    edge: i,
                    owner: top,
                },
                rt,
                opts.edge_spacing / 2.0,
                None,
            ));
            for r in rt + 1..rb {
                let lab = if r + 1 == rb { e.label } else { None };
                let id = push_item(&mut items, ItemKind::Dummy(i), r, 0.0, lab);
                if lab.is_some() {
                    label_item[i] = Some(id);
                }
                chain.push(id);
            }
            chain.push(push_item(
                &mut items,
                ItemKind::Attached {
                    edge: i,
                    owner: bottom,
                },
                rb,
                opts.edge_spacing / 2.0,
                None,
            ));
            chain.push(bottom);
        } else {
            let (rf, rt) = (2 * layer[e.from], 2 * layer[e.to]);
            chain.push(e.from);
            for r in rf + 1..rt {
                let lab = if r == rf + 1 { e.label } else { None };
                let id = push_item(&mut items, ItemKind::Dummy(i), r, 0.0, lab);
                if lab.is_some() {
                    label_item[i] = Some(id);
                }
                chain.push(id);
            }
            chain.push(e.to);
        }
        chains.close_group();
    }

    // The main path: a node's first forward edge, when it has at most two (Next
    // before Catch, the first Choice rule before Default), weighs more, so it runs
    // straight down and the other edge moves aside.
    let mut main_edge = vec![false; edges.len()];
    {
        let mut fwd_count = vec![0usize; n];
        let mut first = vec![usize::MAX; n];
        for (i, e) in edges.iter().enumerate() {
            if chains.get(i).len() >= 2 && !back[i] {
                fwd_count[e.from] += 1;
                if first[e.from] == usize::MAX {
                    first[e.from] = i;
                }
            }
        }
        for v in 0..n {
            if fwd_count[v] <= 2
                && let Some(m) = main_edge.get_mut(first[v])
            {
                *m = true;
            }
        }
    }
    // Adjacency between consecutive ranks: (upper, lower, weight).
    let mut segs: Vec<(usize, usize, f64)> = Vec::new();
    for (i, &main) in main_edge.iter().enumerate() {
        let boost = if main { MAIN_BOOST } else { 1.0 };
        for pair in chains.get(i).windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if items[a].rank + 1 != items[b].rank {
                continue; // node → its attached dummy (same rank)
            }
            let da = !matches!(items[a].kind, ItemKind::Node(_));
            let db = !matches!(items[b].kind, ItemKind::Node(_));
            let w = match (da, db) {
                (true, true) => W_DUMMY_DUMMY,
                (false, false) => W_NODE_NODE,
                _ => W_NODE_DUMMY,
            };
            segs.push((a, b, w * boost));
        }
    }

    // ---- 4. ordering ---------------------------------------------------------
    // For ordering, attached dummies stand in for their owner.
    let owner_of = |id: usize, items: &[Item]| match items[id].kind {
        ItemKind::Attached { owner, .. } => owner,
        _ => id,
    };
    let mut ranks = Csr::from_pairs(
        n_ranks,
        items
            .iter()
            .enumerate()
            .filter(|(_, it)| !matches!(it.kind, ItemKind::Attached { .. }))
            .map(|(id, it)| (it.rank, id)),
    );
    {
        let key = |id: usize| -> (usize, usize, usize) {
            match items[id].kind {
                ItemKind::Node(v) => (preorder[v], 0, 0),
                ItemKind::Dummy(e) | ItemKind::Attached { edge: e, .. } => {
                    let src = edges[e].from;
                    (preorder[src], 1, e)
                }
            }
        };
        for r in 0..n_ranks {
            sort_stable_by_key(ranks.get_mut(r), |&id| key(id));
        }
    }
    let owned = || {
        segs.iter()
            .map(|&(a, b, _)| (owner_of(a, &items), owner_of(b, &items)))
    };
    let down_nb = Csr::from_pairs(items.len(), owned());
    let up_nb = Csr::from_pairs(items.len(), owned().map(|(a, b)| (b, a)));
    let mut posn = vec![0usize; items.len()];
    for r in 0..n_ranks {
        for (p, &id) in ranks.get(r).iter().enumerate() {
            posn[id] = p;
        }
    }
    // Segments grouped by the rank of their upper end, for counting crossings.
    let seg_by_rank = Csr::from_pairs(n_ranks, owned().map(|(a, b)| (items[a].rank, (a, b))));
    let mut scratch: Vec<(usize, usize)> = Vec::new();
    let mut best_cross = crossings(&seg_by_rank, &posn, &mut scratch);
    let mut best = if best_cross > 0 {
        Some(ranks.clone())
    } else {
        None
    };
    let mut keyed: Vec<(f64, usize)> = Vec::new();
    let mut stale = 0;
    for iter in 0..6 {
        if best_cross == 0 {
            break;
        }
        let downward = iter % 2 == 0;
        let nb = if downward { &up_nb } else { &down_nb };
        for k in 0..n_ranks.saturating_sub(1) {
            let r = if downward { k + 1 } else { n_ranks - 2 - k };
            keyed.clear();
            keyed.extend(ranks.get(r).iter().map(|&id| {
                let list = nb.get(id);
                let bc = if list.is_empty() {
                    posn[id] as f64
                } else {
                    list.iter().map(|&o| posn[o] as f64).sum::<f64>() / list.len() as f64
                };
                (bc, id)
            }));
            sort_stable_by(&mut keyed, |a, b| a.0.total_cmp(&b.0));
            let slots = ranks.get_mut(r);
            for (p, &(_, id)) in keyed.iter().enumerate() {
                if let Some(slot) = slots.get_mut(p) {
                    *slot = id;
                }
                posn[id] = p;
            }
        }
        let c = crossings(&seg_by_rank, &posn, &mut scratch);
        if c < best_cross {
            best_cross = c;
            best = Some(ranks.clone());
            stale = 0;
        } else {
            stale += 1;
            if stale >= 2 {
                break;
            }
        }
    }
    if let Some(b) = best {
        ranks = b;
    }
    // Insert attached dummies right after their owner: the shortest loop innermost.
    {
        let mut attached = Csr::from_pairs(
            n,
            items
                .iter()
                .enumerate()
                .filter_map(|(id, it)| match it.kind {
                    ItemKind::Attached { owner, .. } => Some((owner, id)),
                    _ => None,
                }),
        );
        let span = |id: usize| -> usize {
            match items[id].kind {
                ItemKind::Attached { edge, .. } => chains.get(edge).len(),
                _ => 0,
            }
        };
        for v in 0..n {
            sort_stable_by_key(attached.get_mut(v), |&id| (span(id), id));
        }
        let mut with: Vec<(usize, usize)> = Vec::with_capacity(items.len());
        for r in 0..n_ranks {
            for &id in ranks.get(r) {
                with.push((r, id));
                if let ItemKind::Node(v) = items[id].kind {
                    with.extend(attached.get(v).iter().map(|&a| (r, a)));
                }
            }
        }
        ranks = Csr::from_pairs(n_ranks, with.iter().copied());
    }

    // ---- 5. x coordinates ----------------------------------------------------
    let gap = |a: &Item, b: &Item| -> f64 {
        let both_nodes = matches!(a.kind, ItemKind::Node(_)) && matches!(b.kind, ItemKind::Node(_));
        a.right
            + b.left
            + if both_nodes {
                opts.node_spacing
            } else {
                opts.edge_spacing
            }
    };
    for r in 0..n_ranks {
        let r = ranks.get(r);
        let mut x = 0.0;
        for (k, &id) in r.iter().enumerate() {
            if k > 0 {
                x += gap(&items[r[k - 1]], &items[id]);
            }
            items[id].x = x;
        }
        let mid = x / 2.0;
        for &id in r {
            items[id].x -= mid;
        }
    }
    let nb_down = Csr::from_pairs(items.len(), segs.iter().map(|&(a, b, w)| (a, (b, w))));
    let nb_up = Csr::from_pairs(items.len(), segs.iter().map(|&(a, b, w)| (b, (a, w))));
    // Alternating sweeps, ending with a downward one: each rank is placed under
    // its upper neighbours, so the main path runs straight down and branches fan
    // out under their source (a top-down flow, like AWS's console draws).
    const SWEEPS: usize = 5;
    let mut sep_before = vec![0.0f64; items.len()];
    for r in 0..n_ranks {
        for pair in ranks.get(r).windows(2) {
            sep_before[pair[1]] = gap(&items[pair[0]], &items[pair[1]]);
        }
    }
    let mut pav = Pav::default();
    for s in 0..SWEEPS {
        let downward = s % 2 == 0;
        for k in 1..n_ranks {
            let r = if downward { k } else { n_ranks - 1 - k };
            let ids = ranks.get(r);
            pav.clear();
            for (k, &id) in ids.iter().enumerate() {
                // Nodes and main-path bends follow the rank they come from; other
                // dummies (edge bends and labels) sit between both ends, so those
                // edges stay straight.
                let follows = match items[id].kind {
                    ItemKind::Node(_) => true,
                    ItemKind::Dummy(e) | ItemKind::Attached { edge: e, .. } => main_edge[e],
                };
                let (use_up, use_down) = (downward || !follows, !downward || !follows);
                let mut sw = 0.0;
                let mut sx = 0.0;
                for (on, list) in [(use_up, nb_up.get(id)), (use_down, nb_down.get(id))] {
                    if on {
                        for &(o, w) in list {
                            sw += w;
                            sx += w * items[o].x;
                        }
                    }
                }
                let sep = if k == 0 { 0.0 } else { sep_before[id] };
                if sw > 0.0 {
                    pav.push(sx / sw, sw, sep);
                } else if k > 0 && matches!(items[id].kind, ItemKind::Attached { .. }) {
                    // A loop lane's end beside its node: hug the node.
                    let prev = pav.desired.last().copied().unwrap_or(items[id].x);
                    pav.push(prev + sep, 0.5, sep);
                } else {
                    pav.push(items[id].x, 1e-3, sep);
                }
            }
            pav.solve();
            for (k, &id) in ids.iter().enumerate() {
                if let Some(&x) = pav.x.get(k) {
                    items[id].x = x;
                }
            }
        }
    }
    // Straighten: every edge's bends (dummies) share one x when their neighbours
    // in the rank leave room, so lanes and long edges run as straight lines.
    {
        let mut slot = vec![(0usize, 0usize); items.len()];
        for r in 0..n_ranks {
            for (p, &id) in ranks.get(r).iter().enumerate() {
                slot[id] = (r, p);
            }
        }
        let mut xs: Vec<f64> = Vec::new();
        for i in 0..edges.len() {
            let chain = chains.get(i);
            if chain.len() < 4 {
                continue; // at most one bend: nothing to line up
            }
            let inner = &chain[1..chain.len() - 1];
            let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
            for &id in inner {
                let (r, p) = slot[id];
                let ids = ranks.get(r);
                if p > 0 {
                    let prev = ids[p - 1];
                    lo = lo.max(items[prev].x + gap(&items[prev], &items[id]));
                }
                if let Some(&next) = ids.get(p + 1) {
                    hi = hi.min(items[next].x - gap(&items[id], &items[next]));
                }
            }
            if lo > hi || lo.is_nan() || hi.is_nan() {
                continue;
            }
            xs.clear();
            xs.extend(inner.iter().map(|&id| items[id].x));
            sort_stable_by(&mut xs, |a, b| a.total_cmp(b));
            let t = xs[xs.len() / 2].max(lo).min(hi);
            for &id in inner {
                items[id].x = t;
            }
        }
    }
    // Snap: a node whose only edge is this one (the Start anchor, a lone End, a
    // leaf) lines up with the port at the other end, dummies included, as far as
    // its neighbours in the rank allow.
    {
        let forward = || {
            edges
                .iter()
                .enumerate()
                .filter(|&(i, _)| !back[i] && chains.get(i).len() >= 2)
        };
        let fwd_out = Csr::from_pairs(n, forward().map(|(i, e)| (e.from, i)));
        let fwd_in = Csr::from_pairs(n, forward().map(|(i, e)| (e.to, i)));
        let mut ports: Vec<(f64, usize)> = Vec::new();
        let mut degree = vec![0usize; n];
        for (i, e) in edges.iter().enumerate() {
            if !chains.get(i).is_empty() {
                degree[e.from] += 1;
                degree[e.to] += 1;
            }
        }
        let mut slot = vec![(0usize, 0usize); items.len()];
        for r in 0..n_ranks {
            for (p, &id) in ranks.get(r).iter().enumerate() {
                slot[id] = (r, p);
            }
        }
        for (i, e) in edges.iter().enumerate() {
            let chain = chains.get(i);
            if chain.len() < 2 || back[i] {
                continue;
            }
            let snap_target = degree[e.to] == 1;
            if !snap_target && degree[e.from] != 1 {
                continue;
            }
            // The port at the other end, from that node's current edges.
            let (other, adj, next_of) = if snap_target {
                (e.from, &fwd_out, 1usize)
            } else {
                (e.to, &fwd_in, 0usize)
            };
            ports.clear();
            ports.extend(adj.get(other).iter().map(|&j| {
                let c = chains.get(j);
                let id = if next_of == 1 { c[1] } else { c[c.len() - 2] };
                (items[id].x, j)
            }));
            let mut target_x = items[other].x;
            spread_ports(
                &mut ports,
                items[other].x,
                nodes[other].w,
                &main_edge,
                |j, x| {
                    if j == i {
                        target_x = x;
                    }
                },
            );
            let movers: &[usize] = if snap_target {
                &chain[1..]
            } else {
                &chain[..chain.len() - 1]
            };
            for &id in movers {
                let (r, p) = slot[id];
                let ids = ranks.get(r);
                let mut x = target_x;
                if p > 0 {
                    let prev = ids[p - 1];
                    x = x.max(items[prev].x + gap(&items[prev], &items[id]));
                }
                if let Some(&next) = ids.get(p + 1) {
                    x = x.min(items[next].x - gap(&items[id], &items[next]));
                }
                items[id].x = x;
            }
        }
    }
    // Normalise: leftmost extent at the margin.
    let min_left = items
        .iter()
        .map(|it| it.x - it.left)
        .fold(f64::INFINITY, f64::min);
    let shift = opts.block_margin - if min_left.is_finite() { min_left } else { 0.0 };
    for it in &mut items {
        it.x += shift;
    }
    let content_right = items
        .iter()
        .map(|it| it.x + it.right)
        .fold(0.0f64, f64::max);
    let bus_x = content_right + opts.edge_spacing;
    let width = if bus.iter().any(|&b| b) {
        bus_x
    } else {
        content_right
    } + opts.block_margin;

    // ---- 6. y coordinates ----------------------------------------------------
    let mut rank_h = vec![0.0f64; n_ranks];
    for it in &items {
        let h = match it.kind {
            ItemKind::Node(v) => nodes[v].h,
            _ => it.label.map_or(0.0, |(_, h)| h),
        };
        rank_h[it.rank] = rank_h[it.rank].max(h);
    }
    let mut rank_top = vec![0.0f64; n_ranks];
    let mut y = opts.block_margin;
    for r in 0..n_ranks {
        if r > 0 {
            y += opts.layer_spacing / 2.0;
        }
        rank_top[r] = y;
        y += rank_h[r];
    }
    let height = y + opts.block_margin;
    let rank_bottom: Vec<f64> = (0..n_ranks).map(|r| rank_top[r] + rank_h[r]).collect();
    let pos: Vec<Point> = (0..n)
        .map(|v| {
            let it = &items[v];
            let top = rank_top[it.rank] + (rank_h[it.rank] - nodes[v].h) / 2.0;
            (it.x - nodes[v].w / 2.0, top)
        })
        .collect();

    // ---- 7. edges -------------------------------------------------------------
    let (port_out_x, port_in_x) =
        horizontal_ports(&items, &chains, edges, &back, &main_edge, nodes);
    // Back edges leave and enter on the right side.
    // chain: top, attached(top), ..., attached(bottom), bottom. The lane goes up
    // from the source (bottom) and down into the target (top).
    let lanes = || {
        (0..edges.len())
            .filter(|&i| back[i] && chains.get(i).len() >= 4)
            .map(|i| (i, chains.get(i)))
    };
    let mut side_ports = Csr::from_pairs(
        n,
        lanes()
            .map(|(i, c)| (edges[i].from, (items[c[c.len() - 2]].x, true, i)))
            .chain(lanes().map(|(i, c)| (edges[i].to, (items[c[1]].x, false, i)))),
    );
    let mut port_up_y = vec![0.0f64; edges.len()]; // back edge, at its source
    let mut port_down_y = vec![0.0f64; edges.len()]; // back edge, at its target
    for v in 0..n {
        let list = side_ports.get_mut(v);
        // Up-going lanes on top (inner first), then down-going lanes (outer first):
        // no lane crosses another lane of the same node.
        sort_stable_by(list, |a, b| {
            b.1.cmp(&a.1).then(if a.1 {
                a.0.total_cmp(&b.0)
            } else {
                b.0.total_cmp(&a.0)
            })
        });
        let m = list.len();
        let cy = pos[v].1 + nodes[v].h / 2.0;
        let step = if m > 1 {
            (nodes[v].h * 0.6 / (m - 1) as f64).min(10.0)
        } else {
            0.0
        };
        for (k, &(_, up, e)) in list.iter().enumerate() {
            let yk = cy + (k as f64 - (m as f64 - 1.0) / 2.0) * step;
            if up {
                port_up_y[e] = yk;
            } else {
                port_down_y[e] = yk;
            }
        }
    }

    // Obstacles for straightening edges: node boxes and label boxes, by rank.
    let m = OBSTACLE_MARGIN;
    let node_obstacles = (0..n).map(|v| {
        let rect = (
            pos[v].0 - m,
            pos[v].1 - m,
            pos[v].0 + nodes[v].w + m,
            pos[v].1 + nodes[v].h + m,
        );
        (
            items[v].rank,
            Obstacle {
                rect,
                owner: Owner::Node(v),
            },
        )
    });
    let label_obstacles = label_item.iter().enumerate().filter_map(|(e, li)| {
        let (id, (w, h)) = ((*li)?, edges[e].label?);
        let r = items[id].rank;
        let (cx, cy) = (items[id].x, rank_top[r] + rank_h[r] / 2.0);
        let rect = (
            cx - w / 2.0 - 2.0,
            cy - h / 2.0 - 2.0,
            cx + w / 2.0 + 2.0,
            cy + h / 2.0 + 2.0,
        );
        Some((
            r,
            Obstacle {
                rect,
                owner: Owner::Label(e),
            },
        ))
    });
    let obstacles = Csr::from_pairs(n_ranks, node_obstacles.chain(label_obstacles));
    let mut raw: Vec<RawPoint> = Vec::new();

    let mut outs = Vec::with_capacity(edges.len());
    for (i, e) in edges.iter().enumerate() {
        if !valid(e) {
            outs.push(LEdgeOut {
                points: Vec::new(),
                back: false,
                label_pos: None,
            });
            continue;
        }
        let label_center = |id: usize| -> Point {
            let r = items[id].rank;
            (items[id].x, rank_top[r] + rank_h[r] / 2.0)
        };
        if bus[i] {
            let (u, v) = (e.from, e.to);
            let px = pos[u].0 + nodes[u].w - (nodes[u].w / 4.0).min(12.0);
            let ys = rank_bottom[items[u].rank] + opts.layer_spacing / 4.0;
            let cy = pos[v].1 + nodes[v].h / 2.0;
            let points = vec![
                (px, pos[u].1 + nodes[u].h),
                (px, ys),
                (bus_x, ys),
                (bus_x, cy),
                (pos[v].0 + nodes[v].w, cy),
            ];
            outs.push(LEdgeOut {
                points: simplify(points),
                back: false,
                label_pos: None,
            });
            continue;
        }
        if e.from == e.to {
            let v = e.from;
            let left = pos[v].0;
            let k = self_loops.get(v).iter().position(|&x| x == i).unwrap_or(0) as f64;
            let h = nodes[v].h;
            let y1 = pos[v].1 + (h * 0.2).min(8.0) + k * 3.0;
            let y2 = (pos[v].1 + h * 0.8 - k * 3.0).max(y1 + 1.0);
            let lx = left - opts.self_loop_width + 4.0 + k * 4.0;
            let points = vec![(left, y1), (lx, y1), (lx, y2), (left, y2)];
            let label_pos = e
                .label
                .map(|(w, _)| (lx - LABEL_PAD / 2.0 - w / 2.0, (y1 + y2) / 2.0));
            outs.push(LEdgeOut {
                points,
                back: true,
                label_pos,
            });
            continue;
        }
        let chain = chains.get(i);
        let mut pts: Vec<Point> = Vec::new();
        if back[i] {
            let (top, bottom) = (e.to, e.from);
            let mid: Vec<usize> = chain[1..chain.len() - 1].iter().rev().copied().collect();
            let sy = port_up_y[i];
            let ty = port_down_y[i];
            pts.push((pos[bottom].0 + nodes[bottom].w, sy));
            for (k, &id) in mid.iter().enumerate() {
                let it = &items[id];
                let r = it.rank;
                if k == 0 {
                    pts.push((it.x, sy));
                    pts.push((it.x, rank_top[r]));
                } else if k + 1 == mid.len() {
                    pts.push((it.x, rank_bottom[r]));
                    pts.push((it.x, ty));
                } else {
                    pts.push((it.x, rank_bottom[r]));
                    pts.push((it.x, rank_top[r]));
                }
            }
            pts.push((pos[top].0 + nodes[top].w, ty));
        } else {
            let (u, v) = (e.from, e.to);
            let px = port_out_x[i];
            let qx = port_in_x[i];
            // (point, must keep): the label's vertical run is kept so the line passes
            // under its label; the other bends go if a straight line is clear.
            // (point, must keep, rank): the label's vertical run is kept so the line
            // passes under its label; the other bends go if a straight line is clear.
            raw.clear();
            let (ru, rv) = (items[u].rank, items[v].rank);
            raw.push(((px, pos[u].1 + nodes[u].h), true, ru));
            raw.push(((px, rank_bottom[ru]), false, ru));
            for &id in &chain[1..chain.len() - 1] {
                let it = &items[id];
                let keep = it.label.is_some();
                raw.push(((it.x, rank_top[it.rank]), keep, it.rank));
                raw.push(((it.x, rank_bottom[it.rank]), keep, it.rank));
            }
            raw.push(((qx, rank_top[rv]), false, rv));
            raw.push(((qx, pos[v].1), true, rv));
            let clear = |a: &RawPoint, b: &RawPoint| -> bool {
                let (lo, hi) = (a.2.min(b.2), a.2.max(b.2));
                (lo..=hi).flat_map(|r| obstacles.get(r)).all(|o| {
                    o.owner == Owner::Node(u)
                        || o.owner == Owner::Node(v)
                        || o.owner == Owner::Label(i)
                        || !segment_hits_rect(a.0, b.0, o.rect)
                })
            };
            drop_straight_runs(&mut raw);
            pts = pull_string(&raw, clear);
        }
        let label_pos = label_item[i].map(label_center);
        outs.push(LEdgeOut {
            points: simplify(pts),
            back: back[i],
            label_pos,
        });
    }

    LResult {
        width,
        height,
        pos,
        edges: outs,
    }
}

const OBSTACLE_MARGIN: f64 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Owner {
    Node(usize),
    Label(usize),
}

#[derive(Clone, Copy, Debug)]
struct Obstacle {
    /// (x0, y0, x1, y1)
    rect: (f64, f64, f64, f64),
    owner: Owner,
}

/// Whether segment a–b passes through the interior of rect (x0, y0, x1, y1).
fn segment_hits_rect(a: Point, b: Point, r: (f64, f64, f64, f64)) -> bool {
    let (x0, y0, x1, y1) = r;
    if a.0.max(b.0) <= x0 || a.0.min(b.0) >= x1 || a.1.max(b.1) <= y0 || a.1.min(b.1) >= y1 {
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
            if q <= 0.0 {
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

/// Removes optional points in the middle of straight runs (a long edge's vertical
/// lane becomes one segment), so string pulling only deals with real bends.
fn drop_straight_runs(raw: &mut Vec<RawPoint>) {
    let mut w = 0usize;
    for r in 0..raw.len() {
        let p = raw[r];
        if w >= 2 {
            let (a, b) = (raw[w - 2].0, raw[w - 1].0);
            let cross = (b.0 - a.0) * (p.0.1 - a.1) - (b.1 - a.1) * (p.0.0 - a.0);
            if !raw[w - 1].1 && cross.abs() < 1e-6 {
                // b is optional and on the line a–p: replace it by p (keep b's rank
                // range covered by taking the larger rank span later via p).
                raw[w - 1] = (p.0, p.1, p.2.max(raw[w - 1].2));
                continue;
            }
        }
        raw[w] = p;
        w += 1;
    }
    raw.truncate(w);
}

/// A route point: position, whether it must stay, rank.
type RawPoint = (Point, bool, usize);

/// How many points ahead string pulling looks (bounds the work on long edges; the
/// collinear points left behind are dropped by [`simplify`]).
const PULL_LOOKAHEAD: usize = 8;

/// Drops optional bends while the straight line to a farther point is clear.
fn pull_string(raw: &[RawPoint], clear: impl Fn(&RawPoint, &RawPoint) -> bool) -> Vec<Point> {
    let mut out = Vec::with_capacity(raw.len());
    let Some(first) = raw.first() else {
        return out;
    };
    out.push(first.0);
    let mut i = 0;
    while i + 1 < raw.len() {
        let mut j = i + 1;
        for k in i + 2..raw.len().min(i + 2 + PULL_LOOKAHEAD) {
            if raw[k - 1].1 || !clear(&raw[i], &raw[k]) {
                break; // a kept point in between, or blocked
            }
            j = k;
        }
        out.push(raw[j].0);
        i = j;
    }
    out
}

/// x of every forward edge's port on its source's bottom border and on its target's
/// top border: spread along the border, ordered by where the edge goes next.
fn horizontal_ports(
    items: &[Item],
    chains: &Csr<usize>,
    edges: &[LEdge],
    back: &[bool],
    main_edge: &[bool],
    nodes: &[LNode],
) -> (Vec<f64>, Vec<f64>) {
    let n = nodes.len();
    let forward = || {
        (0..edges.len())
            .filter(|&i| !back[i] && chains.get(i).len() >= 2)
            .map(|i| (i, chains.get(i)))
    };
    let mut out_ports = Csr::from_pairs(
        n,
        forward().map(|(i, c)| (edges[i].from, (items[c[1]].x, i))),
    );
    let mut in_ports = Csr::from_pairs(
        n,
        forward().map(|(i, c)| (edges[i].to, (items[c[c.len() - 2]].x, i))),
    );
    let mut port_out_x = vec![0.0f64; edges.len()];
    let mut port_in_x = vec![0.0f64; edges.len()];
    for v in 0..n {
        let cx = items[v].x;
        for (list, target) in [
            (out_ports.get_mut(v), &mut port_out_x),
            (in_ports.get_mut(v), &mut port_in_x),
        ] {
            spread_ports(list, cx, nodes[v].w, main_edge, |e, x| target[e] = x);
        }
    }
    (port_out_x, port_in_x)
}

/// Spreads the ports `(where the edge goes, edge)` of one border of a node centred
/// at `cx`, `w` wide: ordered by where they go; the main-path edge keeps the centre
/// (it runs straight down) and the others spread beside it. Without one, the ports
/// centre on the node.
fn spread_ports(
    list: &mut [(f64, usize)],
    cx: f64,
    w: f64,
    main_edge: &[bool],
    mut put: impl FnMut(usize, f64),
) {
    sort_stable_by(list, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let m = list.len();
    let is_main = |e: usize| main_edge.get(e).copied().unwrap_or(false);
    let mains = list.iter().filter(|&&(_, e)| is_main(e)).count();
    let centre = list
        .iter()
        .position(|&(_, e)| mains == 1 && is_main(e))
        .map_or((m as f64 - 1.0) / 2.0, |p| p as f64);
    let reach = centre.max(m as f64 - 1.0 - centre);
    let step = if reach > 0.0 {
        (w * 0.4 / reach).min(14.0)
    } else {
        0.0
    };
    for (k, &(_, e)) in list.iter().enumerate() {
        put(e, cx + (k as f64 - centre) * step);
    }
}

/// Lists grouped by a key `0..keys`, stored flat (one allocation instead of one per
/// key). Within a key, values keep their insertion order.
#[derive(Clone, Debug)]
pub(crate) struct Csr<T> {
    start: Vec<usize>,
    data: Vec<T>,
}

impl<T: Copy> Csr<T> {
    fn from_pairs(keys: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut start = vec![0usize; keys + 1];
        let mut total = 0;
        for (k, _) in pairs.clone() {
            if let Some(c) = start.get_mut(k + 1) {
                *c += 1;
                total += 1;
            }
        }
        for k in 0..keys {
            start[k + 1] += start[k];
        }
        let mut fill: Vec<usize> = start[..keys].to_vec();
        let mut data: Vec<Option<T>> = vec![None; total];
        for (k, v) in pairs {
            if let Some(f) = fill.get_mut(k) {
                data[*f] = Some(v);
                *f += 1;
            }
        }
        Csr {
            start,
            data: data.into_iter().flatten().collect(),
        }
    }

    /// An empty structure to fill group by group with `data.push` + [`Csr::close_group`].
    fn with_keys(keys: usize) -> Self {
        let mut start = Vec::with_capacity(keys + 1);
        start.push(0);
        Csr {
            start,
            data: Vec::new(),
        }
    }

    fn close_group(&mut self) {
        self.start.push(self.data.len());
    }

    fn get(&self, k: usize) -> &[T] {
        match (self.start.get(k), self.start.get(k + 1)) {
            (Some(&a), Some(&b)) => self.data.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn get_mut(&mut self, k: usize) -> &mut [T] {
        match (self.start.get(k), self.start.get(k + 1)) {
            (Some(&a), Some(&b)) => self.data.get_mut(a..b).unwrap_or(&mut []),
            _ => &mut [],
        }
    }
}

fn push_item(
    items: &mut Vec<Item>,
    kind: ItemKind,
    rank: usize,
    half: f64,
    label: Option<(f64, f64)>,
) -> usize {
    let half = label.map_or(half, |(w, _)| w / 2.0 + LABEL_PAD / 2.0);
    items.push(Item {
        kind,
        rank,
        left: half,
        right: half,
        x: 0.0,
        label,
    });
    items.len() - 1
}

/// Number of crossings between consecutive ranks.
fn crossings(
    seg_by_rank: &Csr<(usize, usize)>,
    posn: &[usize],
    scratch: &mut Vec<(usize, usize)>,
) -> usize {
    let mut total = 0;
    for r in 0..seg_by_rank.start.len().saturating_sub(1) {
        let segs = seg_by_rank.get(r);
        scratch.clear();
        scratch.extend(segs.iter().map(|&(a, b)| (posn[a], posn[b])));
        sort_stable_by(scratch, |a, b| a.cmp(b));
        // Crossings = pairs with a < a' and b > b': inversions of the b sequence
        // (ties in a never cross), counted by merge sort.
        total += inversions(scratch);
    }
    total
}

/// Inversions (i < j, a_i < a_j, b_i > b_j) of a list sorted by (a, b); sorts it by b.
fn inversions(list: &mut [(usize, usize)]) -> usize {
    let len = list.len();
    if len < 2 {
        return 0;
    }
    if len <= 16 {
        let mut count = 0;
        for i in 0..len {
            for j in i + 1..len {
                if list[i].0 < list[j].0 && list[i].1 > list[j].1 {
                    count += 1;
                }
            }
        }
        sort_stable_by_key(list, |p| (p.1, p.0));
        return count;
    }
    let mid = len / 2;
    let (left, right) = list.split_at_mut(mid);
    let mut count = inversions(left) + inversions(right);
    // Every left element has a ≤ every right element, and when a is equal the left
    // one has the smaller b (the input was sorted by (a, b)): so a pair crosses
    // exactly when b_left > b_right. Both halves are now sorted by b.
    let mut j = 0;
    for l in left.iter() {
        while j < right.len() && right[j].1 < l.1 {
            j += 1;
        }
        count += j;
    }
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(len);
    let (mut a, mut b) = (0, 0);
    while a < left.len() || b < right.len() {
        let take_left = b >= right.len()
            || (a < left.len() && (left[a].1, left[a].0) <= (right[b].1, right[b].0));
        if take_left {
            merged.push(left[a]);
            a += 1;
        } else {
            merged.push(right[b]);
            b += 1;
        }
    }
    list.copy_from_slice(&merged);
    count
}

/// Positions minimising Σ wᵢ(xᵢ − dᵢ)² subject to x₍ᵢ₊₁₎ − xᵢ ≥ sepᵢ, by
/// pool-adjacent-violators on zᵢ = xᵢ − offsetᵢ. Buffers are reused across calls.
#[derive(Default)]
struct Pav {
    desired: Vec<f64>,
    weight: Vec<f64>,
    offset: Vec<f64>,
    /// Blocks: (sum of weights, weighted sum, count).
    blocks: Vec<(f64, f64, usize)>,
    x: Vec<f64>,
}

impl Pav {
    fn clear(&mut self) {
        self.desired.clear();
        self.weight.clear();
        self.offset.clear();
        self.blocks.clear();
        self.x.clear();
    }

    /// Adds the next item: where it wants to be, how much, and its minimum distance
    /// from the previous item.
    fn push(&mut self, desired: f64, weight: f64, sep: f64) {
        let off = self.offset.last().map_or(0.0, |o| o + sep);
        self.desired.push(desired);
        self.weight.push(weight.max(1e-9));
        self.offset.push(off);
    }

    fn solve(&mut self) {
        for i in 0..self.desired.len() {
            let t = self.desired[i] - self.offset[i];
            let w = self.weight[i];
            self.blocks.push((w, w * t, 1));
            while self.blocks.len() >= 2 {
                let (w2, s2, c2) = self.blocks[self.blocks.len() - 1];
                let (w1, s1, c1) = self.blocks[self.blocks.len() - 2];
                if s1 / w1 > s2 / w2 {
                    self.blocks.pop();
                    if let Some(last) = self.blocks.last_mut() {
                        *last = (w1 + w2, s1 + s2, c1 + c2);
                    }
                } else {
                    break;
                }
            }
        }
        for &(w, s, c) in &self.blocks {
            let z = s / w;
            for _ in 0..c {
                let i = self.x.len();
                self.x.push(z + self.offset[i]);
            }
        }
    }
}

#[cfg(test)]
fn place_isotonic(desired: &[f64], weight: &[f64], seps: &[f64]) -> Vec<f64> {
    let mut pav = Pav::default();
    for (i, (&d, &w)) in desired.iter().zip(weight).enumerate() {
        let sep = if i == 0 {
            0.0
        } else {
            seps.get(i - 1).copied().unwrap_or(0.0)
        };
        pav.push(d, w, sep);
    }
    pav.solve();
    pav.x
}

/// Removes repeated points and middle points of straight runs.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if let Some(&last) = out.last()
            && (last.0 - p.0).abs() < 1e-6
            && (last.1 - p.1).abs() < 1e-6
        {
            continue;
        }
        out.push(p);
    }
    let mut res: Vec<Point> = Vec::with_capacity(out.len());
    for p in out {
        while res.len() >= 2 {
            let a = res[res.len() - 2];
            let b = res[res.len() - 1];
            let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
            let dot = (b.0 - a.0) * (p.0 - b.0) + (b.1 - a.1) * (p.1 - b.1);
            if cross.abs() < 1e-6 && dot >= 0.0 {
                res.pop();
            } else {
                break;
            }
        }
        res.push(p);
    }
    if res.len() == 1 {
        // Degenerate (zero-length) edge: keep two points.
        res.push(res[0]);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_keeps_order_and_gaps() {
        // (desired, weights, seps, expected)
        type Case<'a> = (&'a [f64], &'a [f64], &'a [f64], &'a [f64]);
        let cases: &[Case] = &[
            (&[0.0, 0.0], &[1.0, 1.0], &[10.0], &[-5.0, 5.0]),
            (&[0.0, 100.0], &[1.0, 1.0], &[10.0], &[0.0, 100.0]),
            (
                &[0.0, 0.0, 0.0],
                &[1.0, 1.0, 1.0],
                &[10.0, 10.0],
                &[-10.0, 0.0, 10.0],
            ),
            (&[0.0, 0.0], &[3.0, 1.0], &[8.0], &[-2.0, 6.0]),
            (&[], &[], &[], &[]),
        ];
        for (d, w, s, want) in cases {
            let got = place_isotonic(d, w, s);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want.iter()) {
                assert!((g - w).abs() < 1e-9, "{d:?} → {got:?}, want {want:?}");
            }
        }
    }

    #[test]
    fn inversions_match_brute_force() {
        let mut seed = 12345u64;
        let mut next = |m: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        for len in [0, 1, 2, 5, 16, 17, 40, 100] {
            for spread in [2, 5, 50] {
                let mut list: Vec<(usize, usize)> =
                    (0..len).map(|_| (next(spread), next(spread))).collect();
                list.sort_unstable();
                let mut brute = 0;
                for i in 0..len {
                    for j in i + 1..len {
                        if list[i].0 < list[j].0 && list[i].1 > list[j].1 {
                            brute += 1;
                        }
                    }
                }
                assert_eq!(inversions(&mut list), brute, "len {len} spread {spread}");
            }
        }
    }

    #[test]
    fn simplify_drops_collinear() {
        let cases: &[(&[Point], &[Point])] = &[
            (
                &[(0.0, 0.0), (0.0, 5.0), (0.0, 10.0)],
                &[(0.0, 0.0), (0.0, 10.0)],
            ),
            (
                &[(0.0, 0.0), (0.0, 0.0), (5.0, 5.0)],
                &[(0.0, 0.0), (5.0, 5.0)],
            ),
            (&[(1.0, 1.0), (1.0, 1.0)], &[(1.0, 1.0), (1.0, 1.0)]),
            (
                &[(0.0, 0.0), (0.0, 10.0), (5.0, 20.0)],
                &[(0.0, 0.0), (0.0, 10.0), (5.0, 20.0)],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(&simplify(input.to_vec()), want, "{input:?}");
        }
    }
}
