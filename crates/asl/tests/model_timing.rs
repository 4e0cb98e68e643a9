//! Parse+validate time of each sample definition. Not a pass/fail test of speed on a
//! shared machine; run it for the number:
//! `cargo test --release -p stepwise-asl --test model_timing -- --ignored --nocapture`

use std::path::Path;
use std::time::Instant;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");

#[test]
#[ignore = "measurement; run with --ignored --release"]
fn parse_validate_time_per_sample() {
    let Ok(entries) = std::fs::read_dir(Path::new(SAMPLES)) else {
        eprintln!("skipped: {SAMPLES} is absent");
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    paths.sort();
    const RUNS: u32 = 2000;
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let mut errors = 0;
        let start = Instant::now();
        for _ in 0..RUNS {
            errors += stepwise_asl::parse(std::hint::black_box(&text))
                .errors()
                .count();
        }
        let per = start.elapsed() / RUNS;
        println!(
            "{}: {} bytes, {:.1} µs per parse+validate ({errors} errors)",
            p.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            text.len(),
            per.as_secs_f64() * 1e6
        );
        assert_eq!(errors, 0);
    }
}
