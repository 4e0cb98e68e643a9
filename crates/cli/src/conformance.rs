//! `stepwise conformance CASES.jsonl [--json]`: run recorded AWS executions through the engine.
//!
//! Prints one line per failing case (or one JSON object per case with `--json`), then exactly
//! two summary lines: `result: N passed, M failed, K skipped` and
//! `history: N passed, M failed, K skipped`.

use stepwise_engine::conformance::{self, Verdict};

pub fn main(args: &[String]) -> u8 {
    let mut path = None;
    let mut json = false;
    let mut verbose = false;
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "--verbose" | "-v" => verbose = true,
            other if path.is_none() && !other.starts_with("--") => path = Some(other.to_string()),
            other => {
                eprintln!("stepwise conformance: unexpected argument '{other}'");
                eprintln!("usage: stepwise conformance CASES.jsonl [--json] [--verbose]");
                return 2;
            }
        }
    }
    let Some(path) = path else {
        eprintln!("usage: stepwise conformance CASES.jsonl [--json] [--verbose]");
        return 2;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return 2;
        }
    };
    let report = conformance::run_corpus(&text);
    for case in &report.cases {
        if json {
            let v = |verdict: &Verdict| match verdict {
                Verdict::Pass => stepwise_asl::json::json!({"verdict": "pass"}),
                Verdict::Fail(why) => stepwise_asl::json::json!({"verdict": "fail", "reason": why}),
                Verdict::Skip(why) => stepwise_asl::json::json!({"verdict": "skip", "reason": why}),
            };
            println!(
                "{}",
                stepwise_asl::json::json!({"id": case.id, "result": v(&case.result), "history": v(&case.history)})
            );
            continue;
        }
        match (&case.result, &case.history) {
            (Verdict::Fail(why), _) => println!("FAIL result  {}: {why}", case.id),
            (_, Verdict::Fail(why)) => println!("FAIL history {}: {why}", case.id),
            (Verdict::Skip(why), _) if verbose => println!("SKIP {}: {why}", case.id),
            _ => {}
        }
    }
    // Skip reasons go to stderr so stdout keeps exactly two summary lines.
    for (reason, n) in report.skip_reasons() {
        eprintln!("skipped {n}: {reason}");
    }
    for line in report.summary_lines() {
        println!("{line}");
    }
    0
}
