//! Debug aid: renders the samples and shapes to SVG files under the target dir
//! (`$CARGO_TARGET_TMPDIR/layout-svg/`) so the layout can be looked at. The UI has its
//! own renderer; this one only needs to be faithful to the geometry.

mod shapes;

use std::fmt::Write as _;

use stepwise_layout::{EdgeKind, Graph, LayoutOptions, NodeKind, layout_machine};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render(g: &Graph) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif">
<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#545b64"/></marker>
<marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#ec7211"/></marker>
</defs>
<rect width="100%" height="100%" fill="#ffffff"/>
"##,
        w = g.width.ceil(),
        h = g.height.ceil()
    );
    // Containers (outer before inner, each followed by its branch boxes), then
    // leaves, then edges on top.
    for (i, n) in g.nodes.iter().enumerate() {
        if !matches!(n.kind, NodeKind::Map | NodeKind::Parallel) {
            continue;
        }
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#f2f3f3" stroke="#879596"/>"##,
            n.x, n.y, n.width, n.height
        );
        for b in g.branches.iter().filter(|b| b.node == i) {
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#ffffff" stroke="#aab7b8" stroke-dasharray="4 3"/><text x="{}" y="{}" font-size="11" fill="#687078">{}</text>"##,
                b.x,
                b.y,
                b.width,
                b.height,
                b.x + 6.0,
                b.y + b.caption_height - 5.0,
                esc(&b.label)
            );
        }
    }
    for n in &g.nodes {
        let (fill, stroke, rx) = match n.kind {
            NodeKind::Start | NodeKind::End => ("#eaeded", "#545b64", n.height / 2.0),
            NodeKind::Missing => ("#fdecea", "#d13212", 4.0),
            NodeKind::Map | NodeKind::Parallel => ("none", "none", 6.0),
            NodeKind::Choice => ("#fff7e6", "#545b64", 4.0),
            NodeKind::Succeed => ("#e9f5e9", "#1d8102", 4.0),
            NodeKind::Fail => ("#fdecea", "#d13212", 4.0),
            _ => ("#ffffff", "#545b64", 4.0),
        };
        let dash = if n.kind == NodeKind::Missing {
            r#" stroke-dasharray="3 2""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r##"<g data-state="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="{rx}" fill="{fill}" stroke="{stroke}"{dash}/>"##,
            esc(&n.name),
            n.x,
            n.y,
            n.width,
            n.height
        );
        let cx = n.x + n.width / 2.0;
        let anchor = "middle";
        let mut y = n.y + n.text_baseline;
        for line in &n.lines {
            let _ = write!(
                s,
                r##"<text x="{cx}" y="{y}" font-size="{}" text-anchor="{anchor}" fill="#16191f">{}</text>"##,
                n.font_size,
                esc(line)
            );
            y += n.line_height;
        }
        if let Some(sub) = &n.subtitle {
            let _ = write!(
                s,
                r##"<text x="{cx}" y="{}" font-size="11" text-anchor="{anchor}" fill="#687078">{}</text>"##,
                n.y + n.subtitle_baseline,
                esc(sub)
            );
        }
        if let Some(b) = n.retry_badge {
            let bx = n.x + n.width - 16.0;
            let by = n.y + 14.0;
            let _ = write!(
                s,
                r##"<circle cx="{bx}" cy="{by}" r="9" fill="#0073bb"/><text x="{bx}" y="{}" font-size="10" text-anchor="middle" fill="#fff">{b}</text>"##,
                by + 3.5
            );
        }
        s.push_str("</g>\n");
    }
    for e in &g.edges {
        let catch = matches!(e.kind, EdgeKind::Catch { .. });
        let (color, marker, dash) = if catch {
            ("#ec7211", "arrow-catch", r#" stroke-dasharray="6 4""#)
        } else {
            ("#545b64", "arrow", "")
        };
        let pts: Vec<String> = e.points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="{color}" stroke-width="1.4"{dash} marker-end="url(#{marker})"/>"##,
            pts.join(" ")
        );
    }
    for e in &g.edges {
        if let (Some(text), Some((x, y)), Some((w, h))) = (&e.label, e.label_pos, e.label_size) {
            let color = if matches!(e.kind, EdgeKind::Catch { .. }) {
                "#ec7211"
            } else {
                "#16191f"
            };
            let _ = writeln!(
                s,
                r##"<rect x="{}" y="{}" width="{w}" height="{h}" rx="3" fill="#ffffff" stroke="#d5dbdb"/><text x="{x}" y="{}" font-size="11" text-anchor="middle" fill="{color}">{}</text>"##,
                x - w / 2.0,
                y - h / 2.0,
                y + 4.0,
                esc(text)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

/// The `n` corpus definitions with the most states (to look at busy layouts).
fn largest_corpus_definitions(n: usize) -> Vec<(String, String)> {
    const PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/cases.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(PATH) else {
        eprintln!("no corpus at {PATH}");
        return Vec::new();
    };
    let mut found: Vec<(usize, String, String)> = text
        .lines()
        .filter_map(|line| {
            let case: stepwise_asl::json::Value = serde_json::from_str(line).ok()?;
            let def = case.get("definition")?;
            let text = match def {
                stepwise_asl::json::Value::String(s) => s.to_string(),
                other => other.to_string(),
            };
            let m = shapes::outline(&text)?;
            let id = case.get("id")?.as_str()?.to_string();
            Some((m.all_states().len(), id, text))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, (_, id, text))| {
            eprintln!("corpus-{i}: {id}");
            (format!("corpus-{i}"), text)
        })
        .collect()
}

#[test]
fn writes_debug_svgs() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout-svg");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("skipping: cannot create {}: {e}", dir.display());
        return;
    }
    let mut all: Vec<(String, String)> = shapes::samples();
    all.extend(
        shapes::shapes()
            .into_iter()
            .map(|(n, v)| (n, v.to_string())),
    );
    all.extend(largest_corpus_definitions(4));
    for (name, text) in all {
        let Some(m) = shapes::outline(&text) else {
            panic!("{name}: no outline");
        };
        let g = layout_machine(&m, &LayoutOptions::default());
        let svg = render(&g);
        for state in m.all_states() {
            assert!(
                svg.contains(&format!("data-state=\"{}\"", esc(&state.name))),
                "{name}: {} not drawn",
                state.name
            );
        }
        let path = dir.join(format!("{name}.svg"));
        if let Err(e) = std::fs::write(&path, svg) {
            panic!("cannot write {}: {e}", path.display());
        }
        eprintln!("wrote {}", path.display());
    }
}
