//! `stepwise bench WORKLOADS_DIR [--runs N] [--warmup W] [--only a,b]
//! [--record steps|events|output] [--no-steps] [--event-text] [--aws-limits]`: time the engine
//! on the peer benchmark workloads (`../shared/bench/peer/workloads`): one JSON line per workload
//! like the peer harness (`workload`, `median_ms` per execution, `executions_per_s`, `output_ok`
//! against `expected/`).
//!
//! What a timed execution includes: one [`stepwise_engine::Simulator::run`] and dropping its
//! [`stepwise_engine::Trace`]. How much of the trace is built is the recording level
//! (`--record`, printed as `record` in the output line):
//!
//! - `steps` (the default): the complete trace the playground and `stepwise run` use — every
//!   history event and every per-visit [`stepwise_engine::Step`] with its inspection data,
//!   attempts and explanations;
//! - `events` (`--no-steps` is the same): every history event, no steps;
//! - `output`: only `status`, `output`, `error` and `cause` ([`stepwise_engine::Scenario::record_events`]
//!   off), what a caller that only needs the result (a batch evaluation) asks for. The peer
//!   always builds its event log, so this level does less work than the peer does.
//!
//! What the event levels leave out: the JSON *text* of event payloads (`input`, `output`,
//! `parameters`) is produced on first read ([`stepwise_engine::trace::Text`], the same laziness the
//! playground gets) and the harness does not read it; `--event-text` serializes every event (the
//! `stepwise run` JSON form) inside the timed loop instead. The output line says which
//! (`record`, `event_text`). `--aws-limits` keeps AWS's
//! 25,000-event and 256 KiB limits on (the product's default; the payload size is counted
//! without building the text): `map-fanout-10k` and `choice-loop-10k` then fail as on AWS.
//!
//! The Task mocks (`mocks/<name>.json`, keyed by state name: `{"return": …}`,
//! `{"throw": {"Error", "Cause"}}`, `{"echo": true}`) become the scenario's outcomes for every
//! invocation. Retry and Wait pauses cost nothing: the engine runs on a virtual clock. The
//! 25,000-event history limit is lifted (`choice-loop-10k` has ~40,000 events; AWS would fail it),
//! as is the 256 KiB payload limit (`map-fanout-10k`'s output is larger), and construction
//! (parsing + validation) is timed separately as `construct_ms`.
//!
//! Measure with the speed profile (the `release` profile is tuned for wasm size, `opt-level = "z"`):
//!
//! ```sh
//! cargo build --profile release-native -p stepwise-cli
//! target/release-native/stepwise bench ../shared/bench/peer/workloads --runs 5
//! target/release-native/stepwise bench ../shared/bench/peer/workloads --runs 5 --record events
//! target/release-native/stepwise bench ../shared/bench/peer/workloads --runs 5 --record output
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use stepwise_asl::json::{Value, json};
use stepwise_engine::outcome::PlannedOutcome;
use stepwise_engine::{Scenario, Status, TaskPlan};

const USAGE: &str = "usage: stepwise bench WORKLOADS_DIR [--runs N] [--warmup W] [--only a,b] [--record steps|events|output] [--no-steps] [--event-text] [--aws-limits]";

pub fn main(args: &[String]) -> u8 {
    match run(args) {
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("{msg}");
            2
        }
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", path.display()))
}

fn run(args: &[String]) -> Result<(), String> {
    let mut dir = None;
    let mut runs = 5usize;
    let mut warmup = 1usize;
    let mut only: Option<Vec<String>> = None;
    // The recording level: "steps", "events" or "output".
    let mut record = "steps";
    let mut event_text = false;
    let mut aws_limits = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--runs needs a positive number\n{USAGE}"))?
            }
            "--warmup" => {
                warmup = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| format!("--warmup needs a number\n{USAGE}"))?
            }
            "--only" => {
                only = Some(
                    it.next()
                        .ok_or_else(|| format!("--only needs names\n{USAGE}"))?
                        .split(',')
                        .map(str::to_string)
                        .collect(),
                )
            }
            "--no-steps" => record = "events",
            "--record" => {
                record = match it.next().map(String::as_str) {
                    Some("steps") => "steps",
                    Some("events") => "events",
                    Some("output") => "output",
                    _ => return Err(format!("--record needs steps, events or output\n{USAGE}")),
                }
            }
            "--event-text" => event_text = true,
            "--aws-limits" => aws_limits = true,
            other if dir.is_none() && !other.starts_with("--") => dir = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument '{other}'\n{USAGE}")),
        }
    }
    let dir = dir.ok_or_else(|| USAGE.to_string())?;
    if event_text && record == "output" {
        return Err(format!(
            "--event-text needs the events (--record steps or events)\n{USAGE}"
        ));
    }
    let manifest = read_json(&dir.join("manifest.json"))?;
    let Some(workloads) = manifest.as_object() else {
        return Err("manifest.json must be an object".into());
    };
    let expected_dir = dir.join("../expected");
    for (name, meta) in workloads {
        if let Some(only) = &only
            && !only.iter().any(|o| o == name)
        {
            continue;
        }
        let definition = std::fs::read_to_string(dir.join(format!("{name}.json")))
            .map_err(|e| format!("{name}: cannot read definition: {e}"))?;
        let input = read_json(&dir.join("inputs").join(format!("{name}.json")))?;
        let mocks = read_json(&dir.join("mocks").join(format!("{name}.json")))?;
        let t0 = Instant::now();
        let parsed = stepwise_asl::parse(&definition);
        let construct_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let Some(machine) = parsed.machine else {
            return Err(format!("{name}: definition does not parse"));
        };
        let mut scenario = Scenario {
            record_steps: record == "steps",
            record_events: record != "output",
            ..Scenario::default()
        };
        if !aws_limits {
            scenario.max_history_events = None;
            scenario.max_payload_bytes = None;
        }
        if let Some(m) = mocks.as_object() {
            for (state, spec) in m {
                let outcome = PlannedOutcome::from_json(spec)
                    .map_err(|e| format!("{name}: mock for {state}: {e}"))?;
                scenario
                    .tasks
                    .insert(state.clone().to_string(), TaskPlan::always(outcome));
            }
        }
        let per_run = meta
            .get("executions_per_run")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .max(1) as usize;
        let expected = read_json(&expected_dir.join(format!("{name}.json"))).ok();
        let mut times = Vec::with_capacity(runs);
        let mut output_ok = true;
        let mut status = Status::Succeeded;
        let mut events = 0usize;
        // Like the peer (one `new StateMachine` reused by every run), the machine is prepared
        // once and run many times.
        let mut simulator = stepwise_engine::Simulator::new(&machine);
        for r in 0..warmup + runs {
            let start = Instant::now();
            // The trace is dropped inside the timed loop; only its output is kept to be checked
            // after the clock stops.
            let mut outputs = Vec::with_capacity(per_run.min(64));
            for k in 0..per_run {
                let mut trace = simulator.run(&input, &scenario);
                status = trace.status;
                events = trace.events.len();
                if event_text {
                    let mut bytes = 0usize;
                    for e in &trace.events {
                        bytes += serde_json::to_string(e).map_or(0, |t| t.len());
                    }
                    std::hint::black_box(bytes);
                }
                if k < 64 {
                    outputs.push(trace.output.take());
                }
            }
            let ms = start.elapsed().as_secs_f64() * 1000.0 / per_run as f64;
            for output in &outputs {
                if let Some(exp) = &expected
                    && output.as_ref() != Some(exp)
                {
                    output_ok = false;
                }
            }
            if r >= warmup {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
        let min = times.first().copied().unwrap_or(0.0);
        let max = times.last().copied().unwrap_or(0.0);
        let line = json!({
                "workload": name,
                "engine": "stepwise",
                "runs": runs,
                "executions_per_run": per_run,
                "median_ms": round6(median),
                "min_ms": round6(min),
                "max_ms": round6(max),
                "executions_per_s": round6(if median > 0.0 { 1000.0 / median } else { 0.0 }),
                "construct_ms": round6(construct_ms),
                "status": status.as_str(),
                // Not counted when the events are not recorded.
                "events": if record == "output" { Value::Null } else { Value::from(events) },
                "record": record,
                "event_text": if record == "output" { "none" } else if event_text { "serialized" } else { "lazy, not read" },
                "aws_limits": aws_limits,
                "output_ok": output_ok && expected.is_some(),
        });
        // A closed stdout (e.g. `| head`) ends the run quietly instead of panicking.
        if writeln!(std::io::stdout(), "{line}").is_err() {
            return Ok(());
        }
    }
    Ok(())
}

fn round6(x: f64) -> f64 {
    (x * 1_000_000.0).round() / 1_000_000.0
}
