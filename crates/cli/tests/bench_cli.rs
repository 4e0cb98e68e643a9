//! `stepwise bench` on the shared peer workloads (skipped when absent): one JSON line per
//! workload with the peer harness's fields, outputs equal to `expected/`.

use std::process::Command;

const WORKLOADS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bench/peer/workloads"
);

#[test]
fn bench_prints_one_json_line_per_workload() {
    if !std::path::Path::new(WORKLOADS).is_dir() {
        eprintln!("skipping: {WORKLOADS} is absent");
        return;
    }
    // (extra arguments, expected `event_text`, expected `aws_limits`, expected `record`): the
    // default run, one that serializes every event and keeps AWS's limits (these three
    // workloads fit in them), and the events-only and output-only recording levels.
    let modes: [(&[&str], &str, bool, &str); 4] = [
        (&[], "lazy, not read", false, "steps"),
        (
            &["--event-text", "--aws-limits"],
            "serialized",
            true,
            "steps",
        ),
        (&["--no-steps"], "lazy, not read", false, "events"),
        (
            &["--record", "output", "--aws-limits"],
            "none",
            true,
            "output",
        ),
    ];
    for (extra, event_text, aws_limits, record) in modes {
        let mut args = vec![
            "bench",
            WORKLOADS,
            "--runs",
            "1",
            "--warmup",
            "0",
            "--only",
            "batch-retry-catch,payload-paths,parallel-nested",
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<stepwise_asl::json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or(stepwise_asl::json::Value::Null))
            .collect();
        assert_eq!(lines.len(), 3, "{text}");
        for l in &lines {
            for key in ["workload", "median_ms", "executions_per_s"] {
                assert!(l.get(key).is_some(), "{key} missing in {l}");
            }
            assert_eq!(l["output_ok"], true, "{l}");
            assert_eq!(l["event_text"], event_text, "{l}");
            assert_eq!(l["aws_limits"], aws_limits, "{l}");
            assert_eq!(l["record"], record, "{l}");
        }
    }
}
