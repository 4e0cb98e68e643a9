//! `stepwise run DEFINITION [--input FILE] [--mock-config FILE --test-case NAME
//! [--state-machine NAME]] [--scenario FILE] [--format json|text]`.
//!
//! JSON output: `{"status", "output"?, "error"?, "cause"?, "events": [...]}` (exit 0 whenever the
//! simulation ran). Text output: a readable timeline. Bad input: diagnostics on stderr, exit 2.

use stepwise_asl::json::Value;
use stepwise_engine::mock_config::MockConfig;
use stepwise_engine::share::ScenarioFile;
use stepwise_engine::{Scenario, Trace};

const USAGE: &str = "usage: stepwise run [DEFINITION] [--input FILE] [--mock-config FILE --test-case NAME [--state-machine NAME]] [--scenario FILE] [--format json|text]";

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))
}

fn read_json(path: &str) -> Result<Value, String> {
    let text = read(path)?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{path}:{}:{}: invalid JSON: {e}", e.line(), e.column()))
}

pub fn main(args: &[String]) -> u8 {
    match run(args) {
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("{msg}");
            2
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let mut definition = None;
    let mut input = None;
    let mut mock = None;
    let mut test_case = None;
    let mut sm_name = None;
    let mut scenario_path = None;
    let mut text_format = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--input" => input = Some(value("--input")?),
            "--mock-config" => mock = Some(value("--mock-config")?),
            "--test-case" => test_case = Some(value("--test-case")?),
            "--state-machine" => sm_name = Some(value("--state-machine")?),
            "--scenario" => scenario_path = Some(value("--scenario")?),
            "--format" => match value("--format")?.as_str() {
                "json" => text_format = false,
                "text" => text_format = true,
                other => return Err(format!("unknown format '{other}' (json or text)\n{USAGE}")),
            },
            other if !other.starts_with("--") && definition.is_none() => {
                definition = Some(other.to_string())
            }
            other => return Err(format!("unexpected argument '{other}'\n{USAGE}")),
        }
    }
    // A `.stepwise.json` scenario file (the share-link envelope) can carry the definition and
    // the input too; the command line's DEFINITION and --input win over the file's.
    let mut scenario = Scenario::default();
    let mut file_texts = None;
    if let Some(p) = &scenario_path {
        let value = read_json(p)?;
        if ScenarioFile::is_envelope(&value) {
            let file = ScenarioFile::from_json(&value).map_err(|e| format!("{p}: {e}"))?;
            scenario = file.scenario().map_err(|e| format!("{p}: {e}"))?;
            file_texts = Some((
                p.clone(),
                file.definition.clone(),
                file.input_text().to_string(),
            ));
        } else {
            scenario = Scenario::from_json(&value).map_err(|e| format!("{p}: {e}"))?;
        }
    }
    let (definition, text) = match (definition, &file_texts) {
        (Some(path), _) => {
            let text = read(&path)?;
            (path, text)
        }
        (None, Some((p, Some(text), _))) => (p.clone(), text.clone()),
        (None, _) => return Err(USAGE.to_string()),
    };
    let parsed = stepwise_asl::parse(&text);
    let Some(machine) = parsed.machine else {
        let mut msg = String::new();
        for d in parsed.errors() {
            let at = d
                .span
                .map(|s| format!("{}:{}: ", s.start.line, s.start.column))
                .unwrap_or_default();
            msg.push_str(&format!(
                "{definition}:{at}error[{}]: {} (at {})\n",
                d.code, d.message, d.pointer
            ));
        }
        if msg.is_empty() {
            msg = format!("{definition}: not a valid state machine definition");
        }
        return Err(msg.trim_end().to_string());
    };
    let input = match (&input, &file_texts) {
        (Some(p), _) => read_json(p)?,
        (None, Some((p, _, text))) => {
            serde_json::from_str(text).map_err(|e| format!("{p}: the input is not JSON: {e}"))?
        }
        (None, None) => Value::Object(stepwise_asl::json::Map::new()),
    };
    match (&mock, &test_case) {
        (Some(m), Some(tc)) => {
            let config = MockConfig::parse(&read(m)?).map_err(|e| format!("{m}: {e}"))?;
            let resolved = config
                .resolve(sm_name.as_deref(), tc)
                .map_err(|e| format!("{m}: {e}"))?;
            let from_mock = Scenario::from_test_case(&resolved);
            if scenario_path.is_none() {
                scenario.context.state_machine_name = from_mock.context.state_machine_name;
            }
            for (state, plan) in from_mock.tasks {
                scenario.tasks.insert(state, plan);
            }
        }
        (Some(_), None) => return Err(format!("--mock-config needs --test-case NAME\n{USAGE}")),
        (None, Some(_)) => return Err(format!("--test-case needs --mock-config FILE\n{USAGE}")),
        (None, None) => {}
    }
    let trace = stepwise_engine::simulate(&machine, &input, &scenario);
    if text_format {
        print!("{}", timeline(&trace));
    } else {
        let out = serde_json::to_string_pretty(&trace.to_cli_json()).map_err(|e| e.to_string())?;
        println!("{out}");
    }
    Ok(())
}

/// A readable timeline: one line per event, then the per-state explanations and the result.
pub fn timeline(trace: &Trace) -> String {
    let mut out = String::new();
    for e in &trace.events {
        let detail = stepwise_asl::json::to_value(e)
            .ok()
            .and_then(|v| v.get(e.kind.details_key()).cloned())
            .map(|d| {
                let s = d.to_string();
                if s.chars().count() > 160 {
                    format!("{}…", s.chars().take(160).collect::<String>())
                } else {
                    s
                }
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "{:>4} {:>4} +{:<10} {:<28} {detail}\n",
            e.id,
            e.previous_event_id,
            stepwise_engine::outcome::format_duration_ms(e.elapsed_ms),
            e.kind.as_str()
        ));
    }
    out.push('\n');
    for s in &trace.steps {
        let scope = if s.scope.is_empty() {
            String::new()
        } else {
            format!(" [{}]", s.scope.join(" > "))
        };
        out.push_str(&format!(
            "{} ({}){scope}: events #{}–#{}\n",
            s.state, s.state_type, s.first_event, s.last_event
        ));
        for a in &s.attempts {
            out.push_str(&format!("  attempt {}: {}\n", a.number, a.explanation));
        }
        for x in &s.explanations {
            out.push_str(&format!("  {x}\n"));
        }
    }
    out.push('\n');
    out.push_str(&format!("status: {}\n", trace.status.as_str()));
    if let Some(o) = &trace.output {
        out.push_str(&format!("output: {o}\n"));
    }
    if let Some(e) = &trace.error {
        out.push_str(&format!("error: {e}\n"));
    }
    if let Some(c) = &trace.cause {
        out.push_str(&format!("cause: {c}\n"));
    }
    out
}
