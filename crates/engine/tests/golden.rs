//! Golden traces: every `tests/golden/*.json` file names one of the AWS sample definitions
//! (read from `../shared/samples` at test time, never copied), an input and a scenario, and holds
//! the whole expected trace (events, steps and explanations). Skips when the samples are absent.
//!
//! Regenerate after an intended change with `STEPWISE_UPDATE_GOLDEN=1 cargo test -p
//! stepwise-engine --test golden` and review the diff.

use std::path::{Path, PathBuf};

use stepwise_asl::json::Value;
use stepwise_engine::{Scenario, simulate};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");

fn golden_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(GOLDEN)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn load(path: &Path) -> (Value, stepwise_asl::StateMachine, Value, Scenario) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let golden: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let sample = golden["sample"].as_str().unwrap_or_default();
    let def_text = std::fs::read_to_string(Path::new(SAMPLES).join(sample))
        .unwrap_or_else(|e| panic!("{sample}: {e}"));
    let machine = stepwise_asl::parse(&def_text)
        .machine
        .unwrap_or_else(|| panic!("{sample} does not parse"));
    let scenario = Scenario::from_json(&golden["scenario"])
        .unwrap_or_else(|e| panic!("{}: scenario: {e}", path.display()));
    let input = golden["input"].clone();
    (golden, machine, input, scenario)
}

#[test]
fn golden_traces_match() {
    if !Path::new(SAMPLES).is_dir() {
        eprintln!("skipping: {SAMPLES} is absent (the shared samples are not checked out)");
        return;
    }
    let files = golden_files();
    assert!(files.len() >= 4, "expected golden files in {GOLDEN}");
    let update = std::env::var_os("STEPWISE_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let (mut golden, machine, input, scenario) = load(path);
        let trace = simulate(&machine, &input, &scenario);
        let got = stepwise_asl::json::to_value(&trace).unwrap_or(Value::Null);
        if update {
            golden["expected"] = got;
            let text = serde_json::to_string_pretty(&golden).unwrap_or_default();
            std::fs::write(path, text + "\n").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            continue;
        }
        if golden["expected"] != got {
            failures.push(format!(
                "{}: trace differs from the golden file (STEPWISE_UPDATE_GOLDEN=1 to regenerate)",
                path.display()
            ));
        }
        // The golden's stated status must hold (guards against regenerating a wrong trace).
        if let Some(want) = golden["status"].as_str()
            && want != trace.status.as_str()
        {
            failures.push(format!(
                "{}: status {} but the golden file says {want}",
                path.display(),
                trace.status.as_str()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn same_scenario_gives_byte_identical_traces() {
    if !Path::new(SAMPLES).is_dir() {
        eprintln!("skipping: {SAMPLES} is absent");
        return;
    }
    for path in golden_files() {
        let (_, machine, input, scenario) = load(&path);
        let a = serde_json::to_string(&simulate(&machine, &input, &scenario)).unwrap_or_default();
        let b = serde_json::to_string(&simulate(&machine, &input, &scenario)).unwrap_or_default();
        assert!(!a.is_empty());
        assert_eq!(a, b, "{}: two runs differ", path.display());
    }
}
