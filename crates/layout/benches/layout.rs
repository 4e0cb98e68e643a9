//! `cargo bench -p stepwise-layout`: time to lay out 100-state machines (parsing
//! excluded). Prints the median and best of many runs; asserts nothing.

#[path = "../tests/shapes/mod.rs"]
mod shapes;

use std::hint::black_box;
use std::time::Instant;

use stepwise_layout::{LayoutOptions, layout_machine};

fn main() {
    let opts = LayoutOptions::default();
    let mut cases: Vec<(String, String)> = shapes::shapes()
        .into_iter()
        .filter(|(n, _)| n == "chain-100" || n == "mixed-100" || n == "map-in-parallel")
        .map(|(n, v)| (n, v.to_string()))
        .collect();
    cases.extend(shapes::samples());
    cases.push(("mixed-1000".to_string(), shapes::mixed(250).to_string()));
    for (name, text) in cases {
        let Some(machine) = shapes::outline(&text) else {
            eprintln!("{name}: does not parse");
            continue;
        };
        let states = machine.all_states().len();
        // Warm up, then time.
        for _ in 0..20 {
            black_box(layout_machine(black_box(&machine), &opts));
        }
        let runs = if states > 500 { 10 } else { 200 };
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                black_box(layout_machine(black_box(&machine), &opts));
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<28} {states:>4} states  median {:>8.1} µs  best {:>8.1} µs",
            times[runs / 2],
            times[0]
        );
    }
}
