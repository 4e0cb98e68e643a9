//! Timing of the highlighting work on a 100-state definition (run with
//! `cargo test -p stepwise-app --release -- --ignored --nocapture highlight_timing`).

use std::time::Instant;

use super::highlight::{line_view, tokenize_line};
use super::text::LineIndex;

/// A ~3,000-line definition: 100 Task states with Parameters, Retry and Catch.
pub fn big_definition(states: usize) -> String {
    let mut s = String::from(
        "{\n  \"Comment\": \"A long chain\",\n  \"StartAt\": \"S0\",\n  \"States\": {\n",
    );
    for i in 0..states {
        let next = if i + 1 < states {
            format!("\"Next\": \"S{}\"", i + 1)
        } else {
            "\"End\": true".to_string()
        };
        s.push_str(&format!(
            "    \"S{i}\": {{\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:states:::lambda:invoke\",\n      \"Parameters\": {{\n        \"FunctionName\": \"fn-{i}\",\n        \"Payload\": {{\n          \"index\": {i},\n          \"input.$\": \"$\",\n          \"flag\": true,\n          \"nothing\": null\n        }}\n      }},\n      \"ResultPath\": \"$.r{i}\",\n      \"Retry\": [\n        {{\n          \"ErrorEquals\": [\"States.TaskFailed\"],\n          \"IntervalSeconds\": 30,\n          \"MaxAttempts\": 2,\n          \"BackoffRate\": 1.5\n        }}\n      ],\n      \"Catch\": [\n        {{\n          \"ErrorEquals\": [\"States.ALL\"],\n          \"ResultPath\": \"$.error\",\n          \"Next\": \"Failed\"\n        }}\n      ],\n      {next}\n    }},\n"
        ));
    }
    s.push_str("    \"Failed\": {\n      \"Type\": \"Fail\"\n    }\n  }\n}\n");
    s
}

/// Highlight lines `range` of `text`; returns the number of segments (so nothing is
/// optimized away).
pub fn highlight_lines(text: &str, lines: &LineIndex, range: std::ops::Range<usize>) -> usize {
    range
        .filter_map(|i| lines.range(i))
        .map(|r| {
            let line = text.get(r.clone()).unwrap_or_default();
            let after = text.get(r.end..).unwrap_or_default();
            line_view(line, &tokenize_line(line, after), &[])
                .segments
                .len()
        })
        .sum()
}

#[test]
#[ignore = "timing, not a check: run by hand with --release"]
fn highlight_timing() {
    let text = big_definition(100);
    let runs = 50u32;
    let t = Instant::now();
    let mut count = 0;
    for _ in 0..runs {
        count = LineIndex::new(&text).count();
    }
    let index = t.elapsed() / runs;
    let lines = LineIndex::new(&text);
    let t = Instant::now();
    let mut segs = 0;
    for _ in 0..runs {
        segs = highlight_lines(&text, &lines, 0..lines.count());
    }
    let all = t.elapsed() / runs;
    let t = Instant::now();
    for _ in 0..runs {
        segs += highlight_lines(&text, &lines, 1500..1610);
    }
    let window = t.elapsed() / runs;
    println!(
        "{count} lines, {} bytes: line index {index:?}; tokenize+segment every line {all:?} ({segs} segments); the 110 rendered lines {window:?}",
        text.len()
    );
    assert!(count > 2900);
}
