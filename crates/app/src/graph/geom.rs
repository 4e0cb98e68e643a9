//! Pure geometry and trace reading for the graph pane: the visible window (a viewBox),
//! fitting, zooming, panning, edge paths and the retry counts at the cursor. No DOM here,
//! so all of it is unit-tested natively.

use std::fmt::Write as _;

use stepwise_asl::vecmap::VecMap;
use stepwise_engine::Trace;
use stepwise_layout::{Graph, Point};

/// Empty space around the graph when it is fitted, in graph units (CSS px at 100 %).
pub const FIT_MARGIN: f64 = 24.0;
/// Fitting never enlarges beyond this scale (small machines stay at natural size).
pub const MAX_FIT_SCALE: f64 = 1.0;
pub const MIN_SCALE: f64 = 0.1;
pub const MAX_SCALE: f64 = 4.0;
/// One click on "Zoom in"/"Zoom out".
pub const ZOOM_STEP: f64 = 1.25;

/// The part of the graph on screen, in graph units: the SVG `viewBox`. Once the pane's
/// size is known it always has the pane's aspect ratio, so one graph unit maps to
/// `pane width / w` pixels in both directions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Pixels per graph unit for a pane of `size` showing `vb` (`meet`: the smaller ratio).
pub fn scale(vb: ViewBox, size: (f64, f64)) -> f64 {
    if vb.w <= 0.0 || vb.h <= 0.0 {
        return 1.0;
    }
    (size.0 / vb.w).min(size.1 / vb.h)
}

impl ViewBox {
    /// The `viewBox` attribute.
    pub fn attr(self) -> String {
        format!(
            "{} {} {} {}",
            num(self.x),
            num(self.y),
            num(self.w),
            num(self.h)
        )
    }

    pub fn center(self) -> Point {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// What a pane of `size` actually shows of this box (`xMidYMid meet` grows one side
    /// to the pane's aspect ratio, around the centre).
    pub fn normalized(self, size: (f64, f64)) -> ViewBox {
        let k = 1.0 / scale(self, size);
        let (cx, cy) = self.center();
        let (w, h) = (size.0 * k, size.1 * k);
        ViewBox {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        }
    }

    /// Whether the rectangle lies entirely inside this box.
    pub fn contains(self, x: f64, y: f64, w: f64, h: f64) -> bool {
        x >= self.x && y >= self.y && x + w <= self.x + self.w && y + h <= self.y + self.h
    }

    /// The same box moved so that its centre is `c`.
    pub fn centered_on(self, c: Point) -> ViewBox {
        ViewBox {
            x: c.0 - self.w / 2.0,
            y: c.1 - self.h / 2.0,
            ..self
        }
    }
}

/// Fitting never shrinks below this scale either: text stays legible, and a tall
/// machine is shown from its top (stepping then pans to the state in progress).
pub const MIN_FIT_SCALE: f64 = 0.6;

/// The box showing the whole graph, centred, at a scale within [`MIN_FIT_SCALE`,
/// `MAX_FIT_SCALE`], leaving the bottom `reserve` pixels of the pane free (the legend
/// sits there). When the graph does not fit at the smallest scale, the box shows its
/// top, centred horizontally. Without the pane's size (server rendering, before the first
/// measurement) it is the graph's bounds and the browser's `meet` fits them.
pub fn fit(graph: &Graph, size: Option<(f64, f64)>, reserve: f64) -> ViewBox {
    let (gw, gh) = (
        graph.width.max(1.0) + 2.0 * FIT_MARGIN,
        graph.height.max(1.0) + 2.0 * FIT_MARGIN,
    );
    let Some((cw, ch)) = size.filter(|(w, h)| *w > 0.0 && *h > 0.0) else {
        return ViewBox {
            x: -FIT_MARGIN,
            y: -FIT_MARGIN,
            w: gw,
            h: gh,
        };
    };
    let usable = (ch - reserve).max(ch / 2.0);
    let k = (gw / cw)
        .max(gh / usable)
        .clamp(1.0 / MAX_FIT_SCALE, 1.0 / MIN_FIT_SCALE);
    let (w, h) = (cw * k, ch * k);
    let y = if gh / usable > k + 1e-9 {
        // Too tall even at the smallest scale: show the top.
        -FIT_MARGIN
    } else {
        graph.height / 2.0 - usable * k / 2.0
    };
    ViewBox {
        x: graph.width / 2.0 - w / 2.0,
        y,
        w,
        h,
    }
}

/// Zoom by `factor` (> 1 enlarges) keeping the graph point under pixel `(px, py)` of the
/// pane where it is. The scale stays within [`MIN_SCALE`, `MAX_SCALE`].
pub fn zoom_at(vb: ViewBox, size: (f64, f64), px: f64, py: f64, factor: f64) -> ViewBox {
    let vb = vb.normalized(size);
    let current = scale(vb, size);
    let target = (current * factor).clamp(MIN_SCALE, MAX_SCALE);
    if !target.is_finite() || target <= 0.0 || (target - current).abs() < 1e-9 {
        return vb;
    }
    let (fx, fy) = (px / size.0, py / size.1);
    let (ux, uy) = (vb.x + fx * vb.w, vb.y + fy * vb.h);
    let (w, h) = (size.0 / target, size.1 / target);
    ViewBox {
        x: ux - fx * w,
        y: uy - fy * h,
        w,
        h,
    }
}

/// Move the view with a drag of `(dx, dy)` pixels (the graph follows the pointer).
pub fn pan(vb: ViewBox, size: (f64, f64), dx: f64, dy: f64) -> ViewBox {
    let vb = vb.normalized(size);
    let k = 1.0 / scale(vb, size);
    ViewBox {
        x: vb.x - dx * k,
        y: vb.y - dy * k,
        ..vb
    }
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 100.0).round() / 100.0;
    let mut s = format!("{r:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// The `d` of a polyline with its corners rounded (radius at most `radius`, and at most
/// half of either adjacent segment, so short segments stay exact).
pub fn rounded_path(points: &[Point], radius: f64) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{} {}", num(first.0), num(first.1));
    for (i, p) in points.iter().enumerate().skip(1) {
        let next = points.get(i + 1);
        let (Some(prev), Some(next)) = (points.get(i - 1), next) else {
            let _ = write!(d, "L{} {}", num(p.0), num(p.1));
            continue;
        };
        let len_in = (p.0 - prev.0).hypot(p.1 - prev.1);
        let len_out = (next.0 - p.0).hypot(next.1 - p.1);
        let r = radius.min(len_in / 2.0).min(len_out / 2.0);
        if r < 0.5 || len_in == 0.0 || len_out == 0.0 {
            let _ = write!(d, "L{} {}", num(p.0), num(p.1));
            continue;
        }
        let a = (
            p.0 - (p.0 - prev.0) / len_in * r,
            p.1 - (p.1 - prev.1) / len_in * r,
        );
        let b = (
            p.0 + (next.0 - p.0) / len_out * r,
            p.1 + (next.1 - p.1) / len_out * r,
        );
        let _ = write!(
            d,
            "L{} {}Q{} {} {} {}",
            num(a.0),
            num(a.1),
            num(p.0),
            num(p.1),
            num(b.0),
            num(b.1)
        );
    }
    d
}

/// Attempts started by the cursor in each state's latest visit (the one the graph
/// shows): the "used" half of a node's retry badge. A state not yet entered is absent.
pub fn attempts_at(trace: &Trace, cursor: usize) -> VecMap<&str, u32> {
    let cursor = cursor as u64;
    let mut latest: VecMap<&str, &stepwise_engine::Step> = VecMap::new();
    for step in &trace.steps {
        if u64::from(step.first_event) > cursor {
            continue;
        }
        let later = latest
            .get(step.state.as_str())
            .is_none_or(|seen| seen.first_event <= step.first_event);
        if later {
            latest.insert(step.state.as_str(), step);
        }
    }
    latest
        .into_iter()
        .map(|(name, step)| {
            let used = step
                .attempts
                .iter()
                .filter(|a| u64::from(a.first_event) <= cursor)
                .count();
            (name, u32::try_from(used).unwrap_or(u32::MAX))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(w: f64, h: f64) -> Graph {
        Graph {
            width: w,
            height: h,
            ..Graph::default()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn fitting_zooming_and_panning() {
        // A small graph is shown at 100 %, centred.
        let size = (800.0, 600.0);
        let vb = fit(&graph(200.0, 300.0), Some(size), 0.0);
        assert!(close(scale(vb, size), 1.0));
        assert_eq!(vb.center(), (100.0, 150.0));
        // The reserved strip at the bottom moves the graph up by half of it.
        let vb = fit(&graph(200.0, 300.0), Some(size), 40.0);
        assert_eq!(vb.center(), (100.0, 170.0));
        // A big one shrinks to fit with the margin, and keeps the pane's aspect ratio.
        let vb = fit(&graph(1000.0, 300.0), Some(size), 0.0);
        assert!(close(vb.w, 1000.0 + 2.0 * FIT_MARGIN));
        assert!(close(vb.w / vb.h, 800.0 / 600.0));
        // Not below the legible minimum: a very tall one shows its top.
        let vb = fit(&graph(200.0, 5000.0), Some(size), 0.0);
        assert!(close(scale(vb, size), MIN_FIT_SCALE));
        assert!(close(vb.y, -FIT_MARGIN) && close(vb.center().0, 100.0));
        // Without a size, the bounds (the browser fits them).
        let vb = fit(&graph(100.0, 50.0), None, 0.0);
        assert_eq!(
            (vb.x, vb.y, vb.w, vb.h),
            (-FIT_MARGIN, -FIT_MARGIN, 148.0, 98.0)
        );

        // Zooming keeps the point under the pointer in place.
        let vb = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 800.0,
            h: 600.0,
        };
        let z = zoom_at(vb, size, 200.0, 150.0, 2.0);
        assert!(close(scale(z, size), 2.0));
        assert!(close(z.x + 0.25 * z.w, 200.0) && close(z.y + 0.25 * z.h, 150.0));
        // Clamped at both ends.
        assert!(close(
            scale(zoom_at(vb, size, 0.0, 0.0, 100.0), size),
            MAX_SCALE
        ));
        assert!(close(
            scale(zoom_at(vb, size, 0.0, 0.0, 0.001), size),
            MIN_SCALE
        ));
        // A drag moves the graph with the pointer: at 2x, 100 px is 50 units.
        let p = pan(z, size, 100.0, -40.0);
        assert!(close(p.x, z.x - 50.0) && close(p.y, z.y + 20.0));
        // A box of another aspect ratio is widened the way `meet` shows it.
        let n = ViewBox {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 100.0,
        }
        .normalized(size);
        assert!(close(n.h, 100.0) && close(n.w, 400.0 / 3.0) && close(n.center().0, 50.0));
        assert!(n.contains(0.0, 0.0, 100.0, 100.0));
        assert!(!n.contains(0.0, 0.0, 100.0, 101.0));
        assert_eq!(n.centered_on((0.0, 0.0)).center(), (0.0, 0.0));
    }

    #[test]
    fn numbers_and_paths() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (1.234_56, "1.23"),
            (-0.001, "0"),
            (f64::NAN, "0"),
            (120.0, "120"),
        ];
        for (v, want) in cases {
            assert_eq!(num(v), want, "{v}");
        }
        assert_eq!(rounded_path(&[], 8.0), "");
        assert_eq!(rounded_path(&[(0.0, 0.0), (0.0, 10.0)], 8.0), "M0 0L0 10");
        assert_eq!(
            rounded_path(&[(0.0, 0.0), (0.0, 40.0), (30.0, 40.0)], 8.0),
            "M0 0L0 32Q0 40 8 40L30 40"
        );
        // A short segment limits the radius to half its length.
        assert_eq!(
            rounded_path(&[(0.0, 0.0), (0.0, 4.0), (30.0, 4.0)], 8.0),
            "M0 0L0 2Q0 4 2 4L30 4"
        );
    }
}
