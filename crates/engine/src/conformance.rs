//! The conformance harness: runs recorded real-AWS executions (`cases.jsonl`, see
//! `../shared/conformance/README.md`) through [`crate::simulate`] and compares the results.
//!
//! Two levels are scored: **result** (status, and output or error + cause) and **history** (the
//! whole event list: types, order, ids, previousEventId, details). The simulator's values are
//! normalised like the recording was (`meta.name_replacements` in order, `us-east-1` →
//! `<region>`, `arn:aws:` → `arn:<partition>:`) and compared structurally, with the recording's
//! placeholders as wildcards: an expected string containing `<…>` matches by pattern (each
//! `<…>` as one or more characters), `"date"` matches an ISO-8601 timestamp, `"timestamp"` matches
//! anything under a key containing `timestamp`, `RandomNumberGenerated` matches any number, and
//! a cause that is JSON text is compared structurally.

use std::collections::BTreeMap;

use stepwise_asl::json::{Map, Value};

use crate::outcome::{Outcome, PlannedOutcome};
use crate::scenario::{RunContext, Scenario, TaskPlan};
use crate::trace::{Status, Trace};

/// The verdict of one level (result or history) for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(String),
    Skip(String),
}

impl Verdict {
    pub fn is_pass(&self) -> bool {
        matches!(self, Verdict::Pass)
    }
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    pub id: String,
    pub result: Verdict,
    pub history: Verdict,
}

/// Counts for one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    fn add(&mut self, v: &Verdict) {
        match v {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail(_) => self.failed += 1,
            Verdict::Skip(_) => self.skipped += 1,
        }
    }

    /// Passed / (passed + failed), in percent.
    pub fn percent(&self) -> f64 {
        let n = self.passed + self.failed;
        if n == 0 {
            100.0
        } else {
            self.passed as f64 * 100.0 / n as f64
        }
    }
}

/// All cases of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub cases: Vec<CaseReport>,
    pub result: Tally,
    pub history: Tally,
}

impl Report {
    /// `result: N passed, M failed, K skipped` and the same for history.
    pub fn summary_lines(&self) -> [String; 2] {
        let line = |name: &str, t: &Tally| {
            format!(
                "{name}: {} passed, {} failed, {} skipped",
                t.passed, t.failed, t.skipped
            )
        };
        [line("result", &self.result), line("history", &self.history)]
    }

    /// Skip reasons with their counts (result level), most frequent first.
    pub fn skip_reasons(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for c in &self.cases {
            if let Verdict::Skip(r) = &c.result {
                *counts.entry(r.clone()).or_default() += 1;
            }
        }
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Run every line of a `cases.jsonl` text.
pub fn run_corpus(text: &str) -> Report {
    let mut report = Report::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case = match serde_json::from_str::<Value>(line) {
            Ok(v) => run_case(&v),
            Err(e) => CaseReport {
                id: format!("line {}", n + 1),
                result: Verdict::Fail(format!("bad JSON: {e}")),
                history: Verdict::Fail(format!("bad JSON: {e}")),
            },
        };
        report.result.add(&case.result);
        report.history.add(&case.history);
        report.cases.push(case);
    }
    report
}

/// Why a case cannot be run by this simulator, if it cannot.
pub fn skip_reason(case: &Value) -> Option<String> {
    let features: Vec<&str> = case
        .get("features")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let definition_text = case
        .get("definition")
        .map(Value::to_string)
        .unwrap_or_default();
    if features.contains(&"jsonata") || definition_text.contains("\"JSONata\"") {
        return Some("JSONata".into());
    }
    if features.contains(&"item_reader") || definition_text.contains("\"ItemReader\"") {
        return Some("S3 ItemReader".into());
    }
    if features.contains(&"result_writer") || definition_text.contains("\"ResultWriter\"") {
        return Some("S3 ResultWriter".into());
    }
    let meta = case.get("meta");
    let machine_type = meta
        .and_then(|m| m.get("state_machine_type"))
        .and_then(Value::as_str);
    let start_api = meta
        .and_then(|m| m.get("start_api"))
        .and_then(Value::as_str);
    if machine_type == Some("EXPRESS") || start_api == Some("start_sync_execution") {
        return Some("express-only".into());
    }
    let status = case
        .pointer("/expected/status")
        .and_then(Value::as_str)
        .unwrap_or("");
    match status {
        "RUNNING" => return Some("not terminal (still RUNNING when recorded)".into()),
        "ABORTED" => return Some("stopped by StopExecution (external action)".into()),
        _ => {}
    }
    if case.get("category").and_then(Value::as_str) == Some("service") {
        let replay = case.get("service_replay");
        let replayable = replay
            .and_then(|r| r.get("replayable"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !replayable {
            return Some("not replayable".into());
        }
    }
    None
}

/// Build the scenario a case runs with: its context names and its recorded service calls.
pub fn scenario_for(case: &Value) -> Scenario {
    let mut scenario = Scenario::default();
    if let Some(ctx) = case.pointer("/meta/context") {
        let s = |k: &str, d: &str| ctx.get(k).and_then(Value::as_str).unwrap_or(d).to_string();
        let d = RunContext::default();
        scenario.context = RunContext {
            account_id: s("account_id", &d.account_id),
            region: s("region", &d.region),
            partition: s("partition", &d.partition),
            state_machine_name: s("state_machine_name", &d.state_machine_name),
            execution_name: s("execution_name", &d.execution_name),
            role_arn: s("role_arn", &d.role_arn),
            start_time_ms: d.start_time_ms,
        };
    }
    let calls = case
        .pointer("/service_replay/calls")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut counters: BTreeMap<String, u32> = BTreeMap::new();
    for call in &calls {
        let Some(state) = call.get("state").and_then(Value::as_str) else {
            continue;
        };
        let n = counters.entry(state.to_string()).or_default();
        let outcome = match call.get("outcome").and_then(Value::as_str) {
            Some("succeeded") => {
                Outcome::Return(call.get("output").cloned().unwrap_or(Value::Null))
            }
            Some("timed_out") => Outcome::TimeOut,
            Some(_) => Outcome::Throw {
                error: call
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                cause: match call.get("cause") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.to_string(),
                    Some(other) => other.to_string(),
                },
            },
            None => continue,
        };
        let plan: &mut TaskPlan = scenario.tasks.entry(state.to_string()).or_default();
        plan.push(*n, PlannedOutcome::new(outcome));
        let kind = call.get("outcome").and_then(Value::as_str).unwrap_or("");
        if let Some(sub) = call.get("submitted_output") {
            plan.set_submitted(*n, sub.clone());
        }
        match kind {
            "start_failed" => {
                plan.set_failure_event(*n, crate::scenario::FailureEvent::StartFailed)
            }
            "submit_failed" => {
                plan.set_failure_event(*n, crate::scenario::FailureEvent::SubmitFailed)
            }
            _ => {}
        }
        *n += 1;
    }
    scenario
}

/// Run one case and compare.
pub fn run_case(case: &Value) -> CaseReport {
    let id = case
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string();
    if let Some(reason) = skip_reason(case) {
        return CaseReport {
            id,
            result: Verdict::Skip(reason.clone()),
            history: Verdict::Skip(reason),
        };
    }
    let definition = case.get("definition").cloned().unwrap_or(Value::Null);
    let parsed = stepwise_asl::parse_value(&definition);
    let Some(machine) = parsed.machine else {
        let why = format!(
            "definition did not parse: {}",
            parsed
                .diagnostics
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_default()
        );
        return CaseReport {
            id,
            result: Verdict::Fail(why.clone()),
            history: Verdict::Fail(why),
        };
    };
    let input = case
        .get("input")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    let scenario = scenario_for(case);
    let trace = crate::simulate(&machine, &input, &scenario);
    compare_case(case, &trace, id)
}

/// Compare a trace with a case's expectation.
pub fn compare_case(case: &Value, trace: &Trace, id: String) -> CaseReport {
    let norm = Normalizer::for_case(case);
    let expected = case.get("expected").cloned().unwrap_or(Value::Null);
    let result = compare_result(&expected, trace, &norm);
    let history = match expected.get("events") {
        Some(Value::Array(events)) => {
            let normalized_parallel = case
                .pointer("/meta/parallel_events_normalized")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            compare_history(events, trace, &norm, normalized_parallel)
        }
        _ => Verdict::Skip("only the result was recorded".into()),
    };
    CaseReport {
        id,
        result,
        history,
    }
}

fn compare_result(expected: &Value, trace: &Trace, norm: &Normalizer) -> Verdict {
    let want_status = expected.get("status").and_then(Value::as_str).unwrap_or("");
    if want_status != trace.status.as_str() {
        let detail = match (&trace.error, &trace.cause) {
            (Some(e), Some(c)) => format!(" ({e}: {})", abbreviate(c, 300)),
            (Some(e), None) => format!(" ({e})"),
            _ => String::new(),
        };
        return Verdict::Fail(format!(
            "status {} instead of {want_status}{detail}",
            trace.status.as_str()
        ));
    }
    if trace.status == Status::Succeeded {
        if let Some(want) = expected.get("output") {
            let got = norm.apply_keys(trace.output.clone().unwrap_or(Value::Null));
            let raw = norm
                .raw()
                .apply(trace.output.clone().unwrap_or(Value::Null));
            if let Err(e) =
                matches_u(want, &got, None, norm).or_else(|_| matches_u(want, &raw, None, norm))
            {
                return Verdict::Fail(format!(
                    "output differs: {e}; got {}",
                    abbreviate(&got.to_string(), 300)
                ));
            }
        }
        return Verdict::Pass;
    }
    for (key, got) in [("error", &trace.error), ("cause", &trace.cause)] {
        let got = got.as_deref().filter(|s| !s.is_empty());
        match (expected.get(key), got) {
            (None, None) => {}
            (Some(want), Some(got)) => {
                let raw = norm.raw().apply(Value::String(got.to_string().into()));
                let got = norm.apply(Value::String(got.to_string().into()));
                if let Err(e) =
                    matches_text(want, &got, key).or_else(|_| matches_text(want, &raw, key))
                {
                    return Verdict::Fail(format!("{key} differs: {e}"));
                }
            }
            (Some(want), None) => {
                return Verdict::Fail(format!("{key} missing (expected {want})"));
            }
            (None, Some(got)) => {
                return Verdict::Fail(format!("unexpected {key} {}", abbreviate(got, 200)));
            }
        }
    }
    Verdict::Pass
}

/// Compare a text field (error, cause) that may be JSON text on either side.
fn matches_text(want: &Value, got: &Value, key: &str) -> Result<(), String> {
    if let (Value::String(w), Value::String(g)) = (want, got) {
        if matches(want, got, Some(key)).is_ok() {
            return Ok(());
        }
        if let (Ok(wv @ (Value::Object(_) | Value::Array(_))), Ok(gv)) = (
            serde_json::from_str::<Value>(w),
            serde_json::from_str::<Value>(g),
        ) {
            return matches(&wv, &gv, Some(key));
        }
        return matches(want, got, Some(key));
    }
    if let Value::String(g) = got
        && let Ok(gv) = serde_json::from_str::<Value>(g)
    {
        return matches(want, &gv, Some(key));
    }
    matches(want, got, Some(key))
}

fn compare_history(
    expected: &[Value],
    trace: &Trace,
    norm: &Normalizer,
    normalized_parallel: bool,
) -> Verdict {
    let raw_norm = norm.raw();
    let parsed: Vec<Value> = trace.events.iter().map(HistoryEventExt::parsed).collect();
    let got: Vec<Value> = parsed.iter().map(|e| norm.apply_keys(e.clone())).collect();
    if normalized_parallel {
        return compare_normalized_parallel(expected, &got, norm);
    }
    for (i, want) in expected.iter().enumerate() {
        let Some(g) = got.get(i) else {
            return Verdict::Fail(format!(
                "history has {} events, expected {}; first missing: {} {}",
                got.len(),
                expected.len(),
                want.get("type").and_then(Value::as_str).unwrap_or("?"),
                abbreviate(&want.to_string(), 200)
            ));
        };
        let r = compare_event(want, g, norm).or_else(|e| {
            let raw = raw_norm.apply(parsed.get(i).cloned().unwrap_or(Value::Null));
            compare_event(want, &raw, norm).map_err(|_| e)
        });
        if let Err(e) = r {
            return Verdict::Fail(format!(
                "event #{} ({}): {e}",
                i + 1,
                want.get("type").and_then(Value::as_str).unwrap_or("?")
            ));
        }
    }
    if got.len() > expected.len() {
        let extra = got
            .get(expected.len())
            .and_then(|e| e.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("?");
        return Verdict::Fail(format!(
            "history has {} events, expected {}; first extra: {extra}",
            got.len(),
            expected.len()
        ));
    }
    Verdict::Pass
}

/// One event: cause fields are JSON text possibly parsed on the expected side.
fn compare_event(want: &Value, got: &Value, norm: &Normalizer) -> Result<(), String> {
    let (Value::Object(w), Value::Object(g)) = (want, got) else {
        return matches_u(want, got, None, norm);
    };
    for key in w.keys().chain(g.keys()) {
        if !w.contains_key(key) {
            return Err(format!("unexpected field {key}"));
        }
        if !g.contains_key(key) {
            return Err(format!("missing field {key}"));
        }
    }
    for (key, wv) in w {
        let gv = g.get(key).unwrap_or(&Value::Null);
        if key.ends_with("EventDetails")
            && let (Value::Object(wd), Value::Object(gd)) = (wv, gv)
        {
            for k in wd.keys().chain(gd.keys()) {
                if !wd.contains_key(k) {
                    return Err(format!(
                        "{key}: unexpected field {k} = {}",
                        abbreviate(&gd.get(k).map(Value::to_string).unwrap_or_default(), 200)
                    ));
                }
                if !gd.contains_key(k) {
                    return Err(format!("{key}: missing field {k}"));
                }
            }
            for (k, wdv) in wd {
                let gdv = gd.get(k).unwrap_or(&Value::Null);
                let r = if k == "cause" {
                    matches_text(wdv, &norm.apply(gdv.clone()), k).or_else(|e| {
                        matches_text(wdv, &norm.raw().apply(gdv.clone()), k).map_err(|_| e)
                    })
                } else {
                    matches_u(wdv, gdv, Some(k), norm)
                };
                r.map_err(|e| format!("{key}.{k}: {e}"))?;
            }
            continue;
        }
        matches_u(wv, gv, Some(key), norm).map_err(|e| format!("{key}: {e}"))?;
    }
    Ok(())
}

trait HistoryEventExt {
    fn parsed(&self) -> Value;
}

impl HistoryEventExt for crate::trace::HistoryEvent {
    fn parsed(&self) -> Value {
        self.to_parsed_json()
    }
}

/// [`matches`] with the recording's unresolved values as wildcards.
fn matches_u(
    want: &Value,
    got: &Value,
    key: Option<&str>,
    norm: &Normalizer,
) -> Result<(), String> {
    match (want, got) {
        (Value::String(w), _) if norm.is_unresolved(w) => Ok(()),
        (Value::String(_), Value::String(g)) if !norm.replacements.is_empty() => {
            let n = Value::String(norm.apply_str(g.to_string()).into());
            matches(want, &n, key).or_else(|e| {
                let raw = Value::String(norm.raw().apply_str(g.to_string()).into());
                matches(want, &raw, key).map_err(|_| e)
            })
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                matches_u(a, b, key, norm).map_err(|e| format!("[{i}]: {e}"))?;
            }
            Ok(())
        }
        (Value::Object(w), Value::Object(g)) if w.len() == g.len() => {
            for (k, wv) in w {
                let Some(gv) = g.get(k) else {
                    return Err(format!("missing key {k:?}"));
                };
                matches_u(wv, gv, Some(k), norm).map_err(|e| format!(".{k}: {e}"))?;
            }
            Ok(())
        }
        _ => matches(want, got, key),
    }
}

/// The recording sorted the events inside Parallel states and replaced their ids by `[0]`
/// (and dropped `ParallelStateSucceeded`): compare the plain events in order and the
/// normalised ones as a multiset.
fn compare_normalized_parallel(expected: &[Value], got: &[Value], norm: &Normalizer) -> Verdict {
    let is_norm = |e: &Value| e.get("id").is_some_and(Value::is_array);
    let plain_want: Vec<&Value> = expected.iter().filter(|e| !is_norm(e)).collect();
    let norm_want: Vec<&Value> = expected.iter().filter(|e| is_norm(e)).collect();
    // Our events: those inside a Parallel (between ParallelStateStarted and its end) go to
    // the multiset; ParallelStateSucceeded is dropped like the recording did.
    let mut plain_got = Vec::new();
    let mut norm_got = Vec::new();
    let mut depth = 0usize;
    for e in got {
        let ty = e.get("type").and_then(Value::as_str).unwrap_or("");
        match ty {
            "ParallelStateStarted" if depth == 0 => {
                plain_got.push(e);
                depth = 1;
                continue;
            }
            "ParallelStateSucceeded" | "ParallelStateFailed" if depth == 1 => {
                depth = 0;
                if ty == "ParallelStateFailed" {
                    plain_got.push(e);
                }
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            if ty == "ParallelStateStarted" {
                depth += 1;
            } else if ty == "ParallelStateSucceeded" || ty == "ParallelStateFailed" {
                depth -= 1;
            }
            norm_got.push(e);
        } else {
            plain_got.push(e);
        }
    }
    // Plain events: compare types, details and (where expected) ids.
    let strip = |e: &Value| -> Value {
        let mut e = e.clone();
        if let Value::Object(m) = &mut e {
            m.remove("id");
            m.remove("previousEventId");
        }
        e
    };
    if plain_want.len() != plain_got.len() {
        return Verdict::Fail(format!(
            "{} events outside the parallel region, expected {}",
            plain_got.len(),
            plain_want.len()
        ));
    }
    for (w, g) in plain_want.iter().zip(&plain_got) {
        if let Err(e) = compare_event(&strip(w), &strip(g), norm) {
            return Verdict::Fail(format!(
                "{}: {e}",
                w.get("type").and_then(Value::as_str).unwrap_or("?")
            ));
        }
    }
    if norm_want.len() != norm_got.len() {
        return Verdict::Fail(format!(
            "{} events inside the parallel region, expected {}",
            norm_got.len(),
            norm_want.len()
        ));
    }
    let mut used = vec![false; norm_got.len()];
    for w in &norm_want {
        let w = strip(w);
        let found = norm_got.iter().enumerate().position(|(i, g)| {
            !used.get(i).copied().unwrap_or(true) && compare_event(&w, &strip(g), norm).is_ok()
        });
        match found {
            Some(i) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
            }
            None => {
                return Verdict::Fail(format!(
                    "no match for parallel event {}",
                    abbreviate(&w.to_string(), 200)
                ));
            }
        }
    }
    Verdict::Pass
}

/// Applies the recording's replacements to the simulator's values.
pub struct Normalizer {
    replacements: Vec<(String, String)>,
    /// `(key path suffix, replacement)` from the recording's `jsonpath` transformers.
    key_paths: Vec<(Vec<String>, String)>,
    /// Values the recording computed at test time (`regex_unresolved`): wildcards.
    unresolved: Vec<String>,
    /// Only the region/partition mapping (fallback when a name replacement over-matched).
    raw: bool,
}

impl Normalizer {
    pub fn for_case(case: &Value) -> Normalizer {
        let mut replacements: Vec<(String, String)> = case
            .pointer("/meta/name_replacements")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|pair| {
                        let p = pair.as_array()?;
                        Some((
                            p.first()?.as_str()?.to_string(),
                            p.get(1)?.as_str()?.to_string(),
                        ))
                    })
                    .filter(|(from, _)| !from.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        replacements.push(("us-east-1".into(), "<region>".into()));
        replacements.push(("arn:aws:".into(), "arn:<partition>:".into()));
        let mut key_paths = Vec::new();
        let mut unresolved = Vec::new();
        for t in case
            .pointer("/meta/snapshot_transformers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let kind = t.get("kind").and_then(Value::as_str).unwrap_or("");
            let replacement = t.get("replacement").and_then(Value::as_str).unwrap_or("");
            match kind {
                "regex_unresolved" if !replacement.is_empty() => {
                    unresolved.push(replacement.to_string())
                }
                "jsonpath" if t.get("replace_reference").and_then(Value::as_bool) != Some(true) => {
                    if let Some(path) = t.get("jsonpath").and_then(Value::as_str)
                        && let Some(idx) = path.rfind("..")
                    {
                        let suffix: Vec<String> = path[idx + 2..]
                            .split('.')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect();
                        if !suffix.is_empty() {
                            key_paths.push((suffix, replacement.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
        Normalizer {
            replacements,
            key_paths,
            unresolved,
            raw: false,
        }
    }

    /// The same normaliser without the name replacements.
    pub fn raw(&self) -> Normalizer {
        Normalizer {
            replacements: self
                .replacements
                .iter()
                .rev()
                .take(2)
                .rev()
                .cloned()
                .collect(),
            key_paths: self.key_paths.clone(),
            unresolved: self.unresolved.clone(),
            raw: true,
        }
    }

    /// Whether `s` is a value the recording could not resolve (matches anything).
    pub fn is_unresolved(&self, s: &str) -> bool {
        self.unresolved.iter().any(|u| u == s)
    }

    pub fn apply(&self, v: Value) -> Value {
        let mut path = Vec::new();
        self.apply_at(v, &mut path)
    }

    /// Only the key-path transformers (strings are normalised while comparing).
    pub fn apply_keys(&self, v: Value) -> Value {
        let keys_only = Normalizer {
            replacements: Vec::new(),
            key_paths: self.key_paths.clone(),
            unresolved: Vec::new(),
            raw: true,
        };
        keys_only.apply(v)
    }

    fn apply_at(&self, v: Value, path: &mut Vec<String>) -> Value {
        if !path.is_empty() {
            for (suffix, replacement) in &self.key_paths {
                if path.len() >= suffix.len() && path[path.len() - suffix.len()..] == suffix[..] {
                    return Value::String(replacement.clone().into());
                }
            }
        }
        match v {
            Value::String(s) => Value::String(self.apply_str(s.to_string()).into()),
            Value::Array(a) => {
                Value::Array(a.into_iter().map(|x| self.apply_at(x, path)).collect())
            }
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .map(|(k, x)| {
                        path.push(k.clone().to_string());
                        let x = self.apply_at(x, path);
                        path.pop();
                        (self.apply_str(k.to_string()), x)
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    fn apply_str(&self, mut s: String) -> String {
        let _ = self.raw;
        for (from, to) in &self.replacements {
            if s.contains(from.as_str()) {
                s = s.replace(from.as_str(), to);
            }
        }
        s
    }
}

/// Structural comparison with the recording's wildcards. `key` is the object key the values
/// sit under (for the `timestamp` rule).
pub fn matches(want: &Value, got: &Value, key: Option<&str>) -> Result<(), String> {
    match (want, got) {
        (Value::String(w), _) if w == "timestamp" && key.is_some_and(is_timestamp_key) => Ok(()),
        (Value::String(w), Value::Number(_)) if w == "RandomNumberGenerated" => Ok(()),
        (Value::String(w), Value::String(g)) if w == "date" => {
            if crate::trace::parse_rfc3339(g).is_some() || g == "date" {
                Ok(())
            } else {
                Err(format!("expected a date, got {g:?}"))
            }
        }
        (Value::String(w), _) if is_recording_placeholder(w) => Ok(()),
        (Value::String(w), Value::String(g)) => {
            if w == g || (w.contains('<') && wildcard_match(w, g)) {
                Ok(())
            } else if let (Some(wv), Some(gv)) = (json_text(w), json_text(g)) {
                matches(&wv, &gv, key)
            } else {
                Err(format!(
                    "expected {:?}, got {:?}",
                    abbreviate(w, 200),
                    abbreviate(g, 200)
                ))
            }
        }
        (Value::String(w), other) if is_whole_placeholder(w) && !other.is_null() => Ok(()),
        (Value::Number(w), Value::Number(g)) => {
            if w == g || w.as_f64() == g.as_f64() {
                Ok(())
            } else {
                Err(format!("expected {w}, got {g}"))
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Err(format!(
                    "expected an array of {}, got {}: {}",
                    w.len(),
                    g.len(),
                    abbreviate(&got.to_string(), 200)
                ));
            }
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                matches(a, b, key).map_err(|e| format!("[{i}]: {e}"))?;
            }
            Ok(())
        }
        (Value::Object(w), Value::Object(g)) => {
            for k in g.keys() {
                if !w.contains_key(k) {
                    return Err(format!("unexpected key {k:?}"));
                }
            }
            for (k, wv) in w {
                let Some(gv) = g.get(k) else {
                    return Err(format!("missing key {k:?}"));
                };
                matches(wv, gv, Some(k)).map_err(|e| format!(".{k}: {e}"))?;
            }
            Ok(())
        }
        _ if want == got => Ok(()),
        _ => Err(format!(
            "expected {}, got {}",
            abbreviate(&want.to_string(), 200),
            abbreviate(&got.to_string(), 200)
        )),
    }
}

/// A string holding a JSON object or array, parsed.
fn json_text(s: &str) -> Option<Value> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    serde_json::from_str(s).ok()
}

fn is_timestamp_key(k: &str) -> bool {
    k.to_ascii_lowercase().contains("timestamp")
}

/// LocalStack's "skip verify" stand-ins such as `stateExitedEventDetails.output`.
fn is_recording_placeholder(w: &str) -> bool {
    match w.split_once('.') {
        Some((a, b)) => {
            a.ends_with("EventDetails")
                && a.chars().all(|c| c.is_ascii_alphanumeric())
                && !b.is_empty()
                && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        }
        None => false,
    }
}

fn is_whole_placeholder(w: &str) -> bool {
    w.starts_with('<') && w.ends_with('>') && w.len() > 2 && !w[1..w.len() - 1].contains('<')
}

/// `pattern` with each `<…>` matching one or more characters.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    // Split into literal pieces separated by placeholders.
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = pattern;
    let mut leading_wild = false;
    let mut first = true;
    loop {
        match rest.find('<') {
            Some(open) => match closing(&rest[open..]) {
                Some(close_rel) => {
                    let lit = &rest[..open];
                    if first && lit.is_empty() {
                        leading_wild = true;
                    }
                    pieces.push(lit);
                    rest = &rest[open + close_rel + 1..];
                    first = false;
                }
                None => {
                    pieces.push(rest);
                    rest = "";
                    break;
                }
            },
            None => {
                pieces.push(rest);
                rest = "";
                break;
            }
        }
    }
    let _ = (rest, leading_wild);
    // pieces[0] is a prefix, pieces[last] a suffix; between consecutive pieces there is a
    // wildcard of at least one char.
    let n = pieces.len();
    if n == 1 {
        return pieces.first().is_some_and(|p| *p == text);
    }
    let (Some(prefix), Some(suffix)) = (pieces.first(), pieces.last()) else {
        return false;
    };
    if !text.starts_with(prefix) || text.len() < prefix.len() + suffix.len() {
        return false;
    }
    if !text.ends_with(suffix) {
        return false;
    }
    let middle = &text[prefix.len()..text.len() - suffix.len()];
    match_middle(&pieces[1..n - 1], middle)
}

/// Byte offset of the `>` closing the `<` at the start of `s` (placeholders nest:
/// `<<task_token>:1>`).
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Each gap (before every piece and after the last) must be non-empty.
fn match_middle(pieces: &[&str], text: &str) -> bool {
    match pieces.split_first() {
        None => !text.is_empty(),
        Some((piece, rest)) => {
            let mut start = 1usize;
            while start <= text.len() {
                if !text.is_char_boundary(start) {
                    start += 1;
                    continue;
                }
                match text[start..].find(piece) {
                    Some(off) => {
                        let at = start + off;
                        if match_middle(rest, &text[at + piece.len()..]) {
                            return true;
                        }
                        start = at + 1;
                    }
                    None => return false,
                }
            }
            false
        }
    }
}

fn abbreviate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_asl::json::json;

    #[test]
    fn wildcards_and_placeholders() {
        let table: &[(Value, Value, Option<&str>, bool)] = &[
            (
                json!("arn:<partition>:states:<region>:1:x"),
                json!("arn:<partition>:states:<region>:1:x"),
                None,
                true,
            ),
            (json!("a<uuid:1>b"), json!("aXYZb"), None, true),
            (json!("a<uuid:1>b"), json!("ab"), None, false),
            (json!("<x>:<y>"), json!("1:2"), None, true),
            (json!("<x>:<y>"), json!(":2"), None, false),
            (json!("date"), json!("2024-01-01T00:00:00.000Z"), None, true),
            (json!("date"), json!("yesterday"), None, false),
            (json!("timestamp"), json!(12), Some("Timestamp"), true),
            (json!("RandomNumberGenerated"), json!(4), None, true),
            (json!({"a": 1}), json!({"a": 1.0}), None, true),
            (json!({"a": 1}), json!({"a": 1, "b": 2}), None, false),
            (json!([1, 2]), json!([1]), None, false),
            (
                json!("stateExitedEventDetails.output"),
                json!({"x": 1}),
                None,
                true,
            ),
        ];
        for (want, got, key, ok) in table {
            assert_eq!(matches(want, got, *key).is_ok(), *ok, "{want} vs {got}");
        }
        assert!(matches_text(&json!({"e": 1}), &json!("{\"e\":1}"), "cause").is_ok());
        assert!(matches_text(&json!("{\"e\": 1}"), &json!("{\"e\":1}"), "cause").is_ok());
    }
}
