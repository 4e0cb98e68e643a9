//! The public conformance corpus (`../shared/conformance/cases.jsonl`, recorded on real AWS) as a
//! project test. Skips with a message when the shared folder is absent. The floors are a ratchet:
//! they are the numbers the engine reached; raise them when it gets better.

use stepwise_engine::conformance::{Verdict, run_corpus};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

/// Passed cases reached (result level / history level).
const RESULT_FLOOR: usize = 640;
const HISTORY_FLOOR: usize = 297;

#[test]
fn public_corpus_meets_the_floors() {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        eprintln!("skipping: {CASES} is absent (the shared conformance corpus is not checked out)");
        return;
    };
    let report = run_corpus(&text);
    for case in &report.cases {
        if let Verdict::Fail(why) = &case.result {
            eprintln!("FAIL result  {}: {why}", case.id);
        } else if let Verdict::Fail(why) = &case.history {
            eprintln!("FAIL history {}: {why}", case.id);
        }
    }
    for line in report.summary_lines() {
        eprintln!("{line}");
    }
    for (reason, n) in report.skip_reasons() {
        eprintln!("skipped {n}: {reason}");
    }
    eprintln!(
        "result {:.1} %, history {:.1} % of the cases run",
        report.result.percent(),
        report.history.percent()
    );
    assert!(
        report.result.passed >= RESULT_FLOOR,
        "result level regressed: {} < {RESULT_FLOOR}",
        report.result.passed
    );
    assert!(
        report.history.passed >= HISTORY_FLOOR,
        "history level regressed: {} < {HISTORY_FLOOR}",
        report.history.passed
    );
    assert!(report.result.percent() >= 95.0);
    assert!(report.history.percent() >= 85.0);
}
