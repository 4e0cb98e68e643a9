//! AWS Step Functions Local `MockConfigFile.json`: parse, resolve a test case, export.
//!
//! ```json
//! {"StateMachines": {"<SM>": {"TestCases": {"<TC>": {"<State>": "<MockedResponseName>"}}}},
//!  "MockedResponses": {"<Name>": {"0": {"Return": {…}}, "1-2": {"Throw": {"Error": "…", "Cause": "…"}}}}}
//! ```
//!
//! Rules (asl-semantics §4.1, AWS developer guide, checked against LocalStack's implementation):
//! * keys of a mocked response are 0-based invocation numbers (`"0"`) or inclusive ranges
//!   (`"1-2"`, start ≤ end); ranges must not overlap;
//! * each entry holds exactly one of `Return` (any JSON: the service result) or `Throw`
//!   (`{"Error": string, "Cause": string}`, both required);
//! * a test case maps state names to mocked response names, which must exist;
//! * the state machine name may be omitted when the file holds exactly one.
//!
//! # What the engine should do with a resolved test case
//! * Keep **one counter per state per execution**, starting at 0, advanced on every invocation
//!   of that state (retries, Map iterations and loop re-entries included) and look it up with
//!   [`ResolvedTestCase::lookup`].
//! * [`MockLookup::NotMocked`]: the state is not in the test case. Step Functions Local would call
//!   the real service ("HybridPath"); the simulator uses its default outcome
//!   ([`crate::services::default_outcome`]).
//! * [`MockLookup::Missing`]: the state is mocked but has no entry for this invocation number.
//!   Step Functions Local then fails the execution (AWS: "every retry attempt needs a consecutive
//!   mock entry"; LocalStack raises "No mocked response definition for state 'X' and retry number
//!   'N'"). The exact history events of that failure are UNVERIFIED; recommended: end the
//!   execution `FAILED` with `error: "States.Runtime"` and [`MockLookup::missing_message`] as the
//!   cause, and show the message to the user.
//! * A mocked `Throw` with `Error: "States.Timeout"` is a thrown error (a `TaskFailed`), not a
//!   time-out: Step Functions Local has no way to express a real time-out.

use crate::outcome::{Outcome, kind_of, pointer_token};
use std::fmt;
use stepwise_asl::json::{Map, Value, json};
use stepwise_asl::vecmap::VecMap;

/// A problem in a mock configuration, with the JSON pointer (RFC 6901) of the bad spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfigError {
    /// JSON pointer into the file (`""` for the whole file or for resolution errors without a
    /// location).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for MockConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for MockConfigError {}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> MockConfigError {
    MockConfigError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// One entry of a mocked response: invocations `first..=last` get `outcome`
/// (`Return` or `Throw` only).
#[derive(Debug, Clone, PartialEq)]
pub struct MockEntry {
    pub first: u32,
    pub last: u32,
    pub outcome: Outcome,
}

impl MockEntry {
    /// The key as written in the file: `"3"` or `"1-2"`.
    pub fn key(&self) -> String {
        if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{}-{}", self.first, self.last)
        }
    }
}

/// A named mocked response: entries sorted by invocation number, non-overlapping.
#[derive(Debug, Clone, PartialEq)]
pub struct MockedResponse {
    pub entries: Vec<MockEntry>,
}

impl MockedResponse {
    /// The outcome for a 0-based invocation number.
    pub fn get(&self, invocation: u32) -> Option<&Outcome> {
        self.entries
            .iter()
            .find(|e| e.first <= invocation && invocation <= e.last)
            .map(|e| &e.outcome)
    }

    /// Invocation numbers below the last defined one that have no entry.
    pub fn gaps(&self) -> Vec<u32> {
        let mut gaps = Vec::new();
        let mut next = 0u32;
        for e in &self.entries {
            gaps.extend(next..e.first);
            next = e.last.saturating_add(1);
        }
        gaps
    }

    /// The last invocation number defined.
    pub fn defined_through(&self) -> Option<u32> {
        self.entries.last().map(|e| e.last)
    }

    /// The defined invocations, e.g. `0, 1-2, 5` (adjacent entries are merged).
    pub fn describe(&self) -> String {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for e in &self.entries {
            match ranges.last_mut() {
                Some((_, last)) if last.checked_add(1) == Some(e.first) => *last = e.last,
                _ => ranges.push((e.first, e.last)),
            }
        }
        if ranges.is_empty() {
            return "none".into();
        }
        ranges
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A test case: state name → mocked response name, in file order.
pub type TestCaseStates = Vec<(String, String)>;
/// Test cases of one state machine, in file order.
pub type TestCases = Vec<(String, TestCaseStates)>;

/// A whole `MockConfigFile.json`. Maps keep the file's order (as `Vec` of pairs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockConfig {
    /// State machine name → (test case name → (state name → mocked response name)).
    pub state_machines: Vec<(String, TestCases)>,
    pub mocked_responses: Vec<(String, MockedResponse)>,
}

/// The outcomes of one test case, per state, per 0-based invocation number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResolvedTestCase {
    pub state_machine: String,
    pub test_case: String,
    /// State name → its mocked response (entries by invocation ranges; use
    /// [`ResolvedTestCase::lookup`] or [`MockedResponse::get`]).
    pub states: VecMap<String, MockedResponse>,
    /// State name → the mocked response name it uses.
    pub response_names: VecMap<String, String>,
    /// State name → invocation numbers with no entry below the last defined one (Step Functions
    /// Local fails the execution if one of them is reached). Only states with gaps are listed.
    pub gaps: VecMap<String, Vec<u32>>,
}

/// The answer to "what does invocation N of state S do?".
#[derive(Debug, Clone, PartialEq)]
pub enum MockLookup<'a> {
    /// The test case defines this invocation.
    Mocked(&'a Outcome),
    /// The state is not in the test case: use the simulator's default outcome.
    NotMocked,
    /// The state is mocked but this invocation has no entry: Step Functions Local fails the
    /// execution (see the module docs).
    Missing {
        state: String,
        invocation: u32,
        response_name: String,
        /// Invocations the response defines, e.g. `"0, 1-2"`.
        defined: String,
    },
}

impl MockLookup<'_> {
    /// A message for a `Missing` lookup (cause text and UI message); `None` otherwise.
    pub fn missing_message(&self) -> Option<String> {
        match self {
            MockLookup::Missing {
                state,
                invocation,
                response_name,
                defined,
            } => Some(format!(
                "No mocked response for state '{state}' invocation {invocation} (0-based): mocked response '{response_name}' defines invocations {defined}. Step Functions Local fails the execution when an invocation has no mock entry; add an entry such as \"{invocation}\" to '{response_name}'."
            )),
            _ => None,
        }
    }
}

impl ResolvedTestCase {
    /// Look up invocation `invocation` (0-based, counted per state across the execution).
    pub fn lookup(&self, state: &str, invocation: u32) -> MockLookup<'_> {
        let Some(response) = self.states.get(state) else {
            return MockLookup::NotMocked;
        };
        match response.get(invocation) {
            Some(outcome) => MockLookup::Mocked(outcome),
            None => MockLookup::Missing {
                state: state.to_string(),
                invocation,
                response_name: self.response_names.get(state).cloned().unwrap_or_default(),
                defined: response.describe(),
            },
        }
    }
}

/// Parse a range key: `"0"`, `"1-2"`. Surrounding whitespace is tolerated (as LocalStack does).
pub fn parse_range_key(key: &str) -> Result<(u32, u32), String> {
    let trimmed = key.trim();
    let parse = |s: &str| -> Result<u32, String> {
        let s = s.trim();
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "invalid invocation key '{key}': expected a 0-based invocation number such as \"0\" or an inclusive range such as \"1-2\""
            ));
        }
        s.parse::<u32>()
            .map_err(|_| format!("invocation number '{s}' in key '{key}' is too large"))
    };
    match trimmed.split('-').collect::<Vec<_>>().as_slice() {
        [single] => {
            let n = parse(single)?;
            Ok((n, n))
        }
        [a, b] => {
            let (first, last) = (parse(a)?, parse(b)?);
            if first > last {
                Err(format!(
                    "invalid range '{key}': the start ({first}) is greater than the end ({last})"
                ))
            } else {
                Ok((first, last))
            }
        }
        _ => Err(format!(
            "invalid invocation key '{key}': expected a number such as \"0\" or a range such as \"1-2\""
        )),
    }
}

fn expect_object<'a>(v: &'a Value, ptr: &str, what: &str) -> Result<&'a Map, MockConfigError> {
    v.as_object().ok_or_else(|| {
        err(
            ptr,
            format!("{what} must be an object, found {}", kind_of(v)),
        )
    })
}

fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", pointer_token(key))
}

fn parse_entry(v: &Value, ptr: &str) -> Result<Outcome, MockConfigError> {
    let map = expect_object(v, ptr, "a mocked response entry")?;
    let mut found: Option<Outcome> = None;
    for (key, value) in map {
        let p = child(ptr, key);
        let outcome = match key.as_str() {
            "Return" => Outcome::Return(value.clone()),
            "Throw" => {
                let t = expect_object(value, &p, "Throw")?;
                let mut error = None;
                let mut cause = None;
                for (k, val) in t {
                    let slot = match k.as_str() {
                        "Error" => &mut error,
                        "Cause" => &mut cause,
                        _ => {
                            return Err(err(
                                child(&p, k),
                                format!("unknown field '{k}' in Throw (expected Error and Cause)"),
                            ));
                        }
                    };
                    match val {
                        Value::String(s) => *slot = Some(s.clone()),
                        other => {
                            return Err(err(
                                child(&p, k),
                                format!("{k} must be a string, found {}", kind_of(other)),
                            ));
                        }
                    }
                }
                match (error, cause) {
                    (Some(error), Some(cause)) => Outcome::Throw {
                        error: error.to_string(),
                        cause: cause.to_string(),
                    },
                    (None, _) => return Err(err(p, "Throw needs an 'Error' string")),
                    (_, None) => return Err(err(p, "Throw needs a 'Cause' string")),
                }
            }
            _ => {
                return Err(err(
                    p,
                    format!(
                        "unknown field '{key}' in a mocked response entry (expected exactly one of Return or Throw)"
                    ),
                ));
            }
        };
        if found.is_some() {
            return Err(err(
                ptr,
                "a mocked response entry cannot contain both 'Return' and 'Throw'",
            ));
        }
        found = Some(outcome);
    }
    found.ok_or_else(|| {
        err(
            ptr,
            "a mocked response entry must contain one of 'Return' or 'Throw'",
        )
    })
}

fn parse_mocked_response(v: &Value, ptr: &str) -> Result<MockedResponse, MockConfigError> {
    let map = expect_object(v, ptr, "a mocked response")?;
    if map.is_empty() {
        return Err(err(
            ptr,
            "a mocked response needs at least one entry such as \"0\"",
        ));
    }
    let mut entries: Vec<MockEntry> = Vec::new();
    for (key, value) in map {
        let p = child(ptr, key);
        let (first, last) = parse_range_key(key).map_err(|m| err(p.clone(), m))?;
        let outcome = parse_entry(value, &p)?;
        if let Some(other) = entries.iter().find(|e| first <= e.last && e.first <= last) {
            return Err(err(
                p,
                format!("invocations of '{key}' overlap those of '{}'", other.key()),
            ));
        }
        entries.push(MockEntry {
            first,
            last,
            outcome,
        });
    }
    entries.sort_by_key(|e| e.first);
    Ok(MockedResponse { entries })
}

impl MockConfig {
    /// Parse the text of a `MockConfigFile.json`.
    pub fn parse(text: &str) -> Result<MockConfig, MockConfigError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| err("", format!("not valid JSON: {e}")))?;
        MockConfig::from_json(&value)
    }

    /// Parse an already decoded JSON value.
    pub fn from_json(value: &Value) -> Result<MockConfig, MockConfigError> {
        let root = expect_object(value, "", "the mock configuration")?;
        for key in root.keys() {
            if key != "StateMachines" && key != "MockedResponses" {
                return Err(err(
                    child("", key),
                    format!(
                        "unknown top-level field '{key}' (expected StateMachines and MockedResponses)"
                    ),
                ));
            }
        }
        let sms = root
            .get("StateMachines")
            .ok_or_else(|| err("", "missing 'StateMachines'"))?;
        let responses = root
            .get("MockedResponses")
            .ok_or_else(|| err("", "missing 'MockedResponses'"))?;

        let mut mocked_responses = Vec::new();
        for (name, v) in expect_object(responses, "/MockedResponses", "MockedResponses")? {
            let p = child("/MockedResponses", name);
            mocked_responses.push((name.to_string(), parse_mocked_response(v, &p)?));
        }

        let mut state_machines = Vec::new();
        for (sm_name, sm) in expect_object(sms, "/StateMachines", "StateMachines")? {
            let sm_ptr = child("/StateMachines", sm_name);
            let sm_map = expect_object(sm, &sm_ptr, "a state machine entry")?;
            for key in sm_map.keys() {
                if key != "TestCases" {
                    return Err(err(
                        child(&sm_ptr, key),
                        format!(
                            "unknown field '{key}' (a state machine entry holds only TestCases)"
                        ),
                    ));
                }
            }
            let tcs_ptr = child(&sm_ptr, "TestCases");
            let tcs = sm_map
                .get("TestCases")
                .ok_or_else(|| err(sm_ptr.clone(), "missing 'TestCases'"))?;
            let mut test_cases = Vec::new();
            for (tc_name, tc) in expect_object(tcs, &tcs_ptr, "TestCases")? {
                let tc_ptr = child(&tcs_ptr, tc_name);
                let mut states = Vec::new();
                for (state, response) in expect_object(tc, &tc_ptr, "a test case")? {
                    let p = child(&tc_ptr, state);
                    let Value::String(response_name) = response else {
                        return Err(err(
                            p,
                            format!(
                                "a test case maps a state name to a mocked response name (a string), found {}",
                                kind_of(response)
                            ),
                        ));
                    };
                    if !mocked_responses.iter().any(|(n, _)| n == response_name) {
                        return Err(err(
                            p,
                            format!(
                                "unknown mocked response '{response_name}' (defined: {})",
                                names_list(mocked_responses.iter().map(|(n, _)| n.as_str()))
                            ),
                        ));
                    }
                    states.push((state.to_string(), response_name.to_string()));
                }
                test_cases.push((tc_name.to_string(), states));
            }
            state_machines.push((sm_name.to_string(), test_cases));
        }
        Ok(MockConfig {
            state_machines,
            mocked_responses,
        })
    }

    /// The mocked response with this name.
    pub fn response(&self, name: &str) -> Option<&MockedResponse> {
        self.mocked_responses
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
    }

    /// Resolve a test case. `state_machine` may be `None` when the file holds exactly one state
    /// machine.
    pub fn resolve(
        &self,
        state_machine: Option<&str>,
        test_case: &str,
    ) -> Result<ResolvedTestCase, MockConfigError> {
        let (sm_name, test_cases) = match state_machine {
            Some(name) => self
                .state_machines
                .iter()
                .find(|(n, _)| n == name)
                .ok_or_else(|| {
                    err(
                        "/StateMachines",
                        format!(
                            "no state machine '{name}' in the mock configuration (defined: {})",
                            names_list(self.state_machines.iter().map(|(n, _)| n.as_str()))
                        ),
                    )
                })?,
            None => match self.state_machines.as_slice() {
                [only] => only,
                [] => {
                    return Err(err(
                        "/StateMachines",
                        "the mock configuration defines no state machine",
                    ));
                }
                many => {
                    return Err(err(
                        "/StateMachines",
                        format!(
                            "the mock configuration defines several state machines ({}): name one",
                            names_list(many.iter().map(|(n, _)| n.as_str()))
                        ),
                    ));
                }
            },
        };
        let tcs_ptr = child(&child("/StateMachines", sm_name), "TestCases");
        let (_, states) = test_cases
            .iter()
            .find(|(n, _)| n == test_case)
            .ok_or_else(|| {
                err(
                    tcs_ptr.clone(),
                    format!(
                        "no test case '{test_case}' for state machine '{sm_name}' (defined: {})",
                        names_list(test_cases.iter().map(|(n, _)| n.as_str()))
                    ),
                )
            })?;
        let mut resolved = ResolvedTestCase {
            state_machine: sm_name.clone(),
            test_case: test_case.to_string(),
            ..ResolvedTestCase::default()
        };
        // Collected, then sorted once into the maps (the test case lists states in file order).
        let (mut gaps_of, mut responses, mut names) = (Vec::new(), Vec::new(), Vec::new());
        for (state, response_name) in states {
            let response = self.response(response_name).ok_or_else(|| {
                err(
                    child(&child(&tcs_ptr, test_case), state),
                    format!("unknown mocked response '{response_name}'"),
                )
            })?;
            let gaps = response.gaps();
            if !gaps.is_empty() {
                gaps_of.push((state.clone(), gaps));
            }
            responses.push((state.clone(), response.clone()));
            names.push((state.clone(), response_name.clone()));
        }
        resolved.gaps = gaps_of.into_iter().collect();
        resolved.states = responses.into_iter().collect();
        resolved.response_names = names.into_iter().collect();
        Ok(resolved)
    }

    /// The file as JSON, in the canonical shape (entries in invocation order).
    pub fn to_json(&self) -> Value {
        let mut sms = Map::new();
        for (sm, tcs) in &self.state_machines {
            let mut tcs_json = Map::new();
            for (tc, states) in tcs {
                let mut st = Map::new();
                for (state, response) in states {
                    st.insert(state.clone(), Value::String(response.clone().into()));
                }
                tcs_json.insert(tc.clone(), Value::Object(st));
            }
            sms.insert(sm.clone(), json!({"TestCases": tcs_json}));
        }
        let mut responses = Map::new();
        for (name, r) in &self.mocked_responses {
            let mut entries = Map::new();
            for e in &r.entries {
                let v = match &e.outcome {
                    Outcome::Return(v) => json!({"Return": v}),
                    Outcome::Throw { error, cause } => {
                        json!({"Throw": {"Error": error, "Cause": cause}})
                    }
                    // Not produced by parsing; add_test_case converts these.
                    Outcome::TimeOut => json!({"Throw": {"Error": "States.Timeout", "Cause": ""}}),
                    Outcome::Echo => json!({"Return": {}}),
                };
                entries.insert(e.key(), v);
            }
            responses.insert(name.clone(), Value::Object(entries));
        }
        json!({"StateMachines": sms, "MockedResponses": responses})
    }

    /// Pretty JSON text of [`MockConfig::to_json`].
    pub fn to_string_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }

    /// Add (or replace) a test case built from per-state outcomes (state → invocation →
    /// outcome). Consecutive identical outcomes become ranges; gaps stay gaps. Each state gets a
    /// mocked response named `"<TestCase>.<State>"` (made unique if needed).
    ///
    /// Lossy spots (reported as errors so the caller can tell the user): `Echo` has no Step
    /// Functions Local equivalent and must be resolved first ([`Outcome::resolve`]). A
    /// `TimeOut` is exported as `Throw {"Error": "States.Timeout", "Cause": ""}`, which Step
    /// Functions Local raises as a task failure, not as a time-out; durations are dropped.
    pub fn add_test_case(
        &mut self,
        state_machine: &str,
        test_case: &str,
        states: &VecMap<String, VecMap<u32, Outcome>>,
    ) -> Result<(), MockConfigError> {
        let mut ranges = VecMap::new();
        for (state, outcomes) in states {
            let mut entries: Vec<MockEntry> = Vec::new();
            for (&n, outcome) in outcomes {
                let outcome = match outcome {
                    Outcome::Echo => {
                        return Err(err(
                            "",
                            format!(
                                "state '{state}' invocation {n}: an echo outcome has no MockConfigFile equivalent; resolve it to a Return value first"
                            ),
                        ));
                    }
                    Outcome::TimeOut => Outcome::Throw {
                        error: "States.Timeout".into(),
                        cause: String::new(),
                    },
                    other => other.clone(),
                };
                match entries.last_mut() {
                    Some(last)
                        if last.last.checked_add(1) == Some(n) && last.outcome == outcome =>
                    {
                        last.last = n;
                    }
                    _ => entries.push(MockEntry {
                        first: n,
                        last: n,
                        outcome,
                    }),
                }
            }
            ranges.insert(state.clone(), MockedResponse { entries });
        }
        self.add_test_case_ranges(state_machine, test_case, &ranges);
        Ok(())
    }

    /// Add (or replace) a test case from per-state mocked responses (for example those of a
    /// [`ResolvedTestCase`]). Each state gets a mocked response named `"<TestCase>.<State>"`
    /// (made unique if another response already has that name with different entries).
    pub fn add_test_case_ranges(
        &mut self,
        state_machine: &str,
        test_case: &str,
        states: &VecMap<String, MockedResponse>,
    ) {
        let mut mapping = Vec::new();
        for (state, response) in states {
            let entries = response.entries.clone();
            if entries.is_empty() {
                continue;
            }
            let base = format!("{test_case}.{state}");
            let mut name = base.clone();
            let mut i = 2;
            while self
                .mocked_responses
                .iter()
                .any(|(n, r)| n == &name && r.entries != entries)
            {
                name = format!("{base}.{i}");
                i += 1;
            }
            if !self.mocked_responses.iter().any(|(n, _)| n == &name) {
                self.mocked_responses
                    .push((name.clone(), MockedResponse { entries }));
            }
            mapping.push((state.clone(), name));
        }
        let sm_index = match self
            .state_machines
            .iter()
            .position(|(n, _)| n == state_machine)
        {
            Some(i) => i,
            None => {
                self.state_machines
                    .push((state_machine.to_string(), Vec::new()));
                self.state_machines.len() - 1
            }
        };
        if let Some((_, tcs)) = self.state_machines.get_mut(sm_index) {
            match tcs.iter_mut().find(|(n, _)| n == test_case) {
                Some((_, existing)) => *existing = mapping,
                None => tcs.push((test_case.to_string(), mapping)),
            }
        }
    }

    /// A new file holding one test case built from per-state outcomes (see
    /// [`MockConfig::add_test_case`]).
    pub fn export(
        state_machine: &str,
        test_case: &str,
        states: &VecMap<String, VecMap<u32, Outcome>>,
    ) -> Result<MockConfig, MockConfigError> {
        let mut config = MockConfig::default();
        config.add_test_case(state_machine, test_case, states)?;
        Ok(config)
    }
}

fn names_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = names.map(|n| format!("'{n}'")).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// Convenience: per-state outcome lists (invocation `i` = index `i`) to the map form
/// [`MockConfig::export`] takes.
pub fn outcomes_from_lists(
    lists: &VecMap<String, Vec<Outcome>>,
) -> VecMap<String, VecMap<u32, Outcome>> {
    lists
        .iter()
        .map(|(state, list)| {
            let per: VecMap<u32, Outcome> = list
                .iter()
                .enumerate()
                .filter_map(|(i, o)| u32::try_from(i).ok().map(|i| (i, o.clone())))
                .collect();
            (state.clone(), per)
        })
        .collect()
}

/// What [`export_run`] produced: the file, and whether running it reproduces the run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunExport {
    pub config: MockConfig,
    /// The state machine and test case names to pass to `stepwise run --mock-config`.
    pub state_machine: String,
    pub test_case: String,
    /// True when Step Functions Local semantics (the file alone, seed 0, the default run
    /// context) give exactly the same history events as `trace`.
    pub reproduces: bool,
    /// Why the file may not reproduce the run (for the user), empty when it does.
    pub notes: Vec<String>,
}

/// The outcome each Task invocation of `trace` actually had, read from the trace: a success
/// becomes `Return` of the recorded service result, a failure `Throw`, a time-out
/// `Throw States.Timeout`. Invocations inside a failed attempt without a result event are
/// skipped.
pub fn recorded_outcomes(trace: &crate::Trace) -> VecMap<String, VecMap<u32, Outcome>> {
    use crate::trace::{AttemptOutcome, EventDetails, EventType};
    let mut out: VecMap<String, VecMap<u32, Outcome>> = VecMap::new();
    for step in &trace.steps {
        for attempt in &step.attempts {
            let Some(n) = attempt.invocation else {
                continue;
            };
            let outcome = match &attempt.outcome {
                AttemptOutcome::Succeeded => {
                    let first = attempt.first_event.saturating_sub(1) as usize;
                    let last = (attempt.last_event as usize).min(trace.events.len());
                    let result = trace.events.get(first..last).and_then(|events| {
                        events
                            .iter()
                            .rev()
                            .find_map(|e| match (&e.kind, &e.details) {
                                (
                                    EventType::TaskSucceeded,
                                    EventDetails::TaskOutput { output, .. },
                                )
                                | (
                                    EventType::LambdaFunctionSucceeded
                                    | EventType::ActivitySucceeded,
                                    EventDetails::Output { output },
                                ) => serde_json::from_str::<Value>(output.as_str()).ok(),
                                _ => None,
                            })
                    });
                    match result {
                        Some(v) => Outcome::Return(v),
                        None => continue,
                    }
                }
                AttemptOutcome::Failed { error, cause } => Outcome::Throw {
                    error: error.clone(),
                    cause: cause.clone(),
                },
                AttemptOutcome::TimedOut { .. } => Outcome::Throw {
                    error: "States.Timeout".into(),
                    cause: String::new(),
                },
            };
            out.entry(step.state.clone())
                .or_default()
                .insert(n, outcome);
        }
    }
    out
}

/// A `MockConfigFile.json` that reproduces a page run: one `StateMachines` entry (named like
/// the run context's state machine, so `stepwise run --mock-config` uses the same ARNs) and one
/// test case named `test_case`.
///
/// States with injected outcomes are mocked; their invocations the user left to the default
/// get the response the run actually had (the engine's effective default), so Step Functions
/// Local does not fail on a missing entry. Durations cannot be expressed in the file. Two
/// candidate files are tried — only the injected states, then every Task invocation of the
/// run — by re-running the machine under Step Functions Local semantics; the first that gives
/// the same events is returned (`reproduces`), otherwise the first with `notes` saying why.
pub fn export_run(
    machine: &stepwise_asl::StateMachine,
    input: &Value,
    scenario: &crate::Scenario,
    trace: &crate::Trace,
    test_case: &str,
) -> Result<RunExport, MockConfigError> {
    let state_machine = scenario.context.state_machine_name.clone();
    let recorded = recorded_outcomes(trace);
    let mut notes = Vec::new();
    let mut injected: VecMap<String, VecMap<u32, Outcome>> = VecMap::new();
    for (state, plan) in &scenario.tasks {
        let mut per = recorded.get(state).cloned().unwrap_or_default();
        for (first, last, planned) in &plan.invocations {
            if planned.duration_ms.is_some() {
                notes.push(format!(
                    "'{state}': a MockConfigFile cannot hold durations; the default duration applies."
                ));
            }
            // Invocations the run did not reach keep the injected outcome (the reached ones
            // are recorded above). Echo needs the call's input: it has no file form.
            if matches!(planned.outcome, Outcome::Echo) {
                continue;
            }
            let last = (*last).min(first.saturating_add(1_000));
            for n in *first..=last {
                per.entry(n).or_insert_with(|| planned.outcome.clone());
            }
        }
        if !per.is_empty() {
            injected.insert(state.clone(), per);
        }
    }
    if scenario.seed != 0 {
        notes.push(format!(
            "The run uses seed {}; Step Functions Local runs have no seed (ids and random values may differ).",
            scenario.seed
        ));
    }
    // Every invocation that ran, plus the injected ones the run did not reach.
    let mut everything = recorded;
    for (state, per) in &injected {
        let all = everything.entry(state.clone()).or_default();
        for (n, outcome) in per {
            all.entry(*n).or_insert_with(|| outcome.clone());
        }
    }
    let candidates = [injected, everything];
    let mut first_export = None;
    for states in &candidates {
        let config = MockConfig::export(&state_machine, test_case, states)?;
        let same = reproduces(machine, input, trace, &config, &state_machine, test_case);
        if same && notes.is_empty() {
            return Ok(RunExport {
                config,
                state_machine,
                test_case: test_case.to_string(),
                reproduces: true,
                notes,
            });
        }
        if first_export.is_none() {
            first_export = Some(config);
        }
    }
    if notes.is_empty() {
        notes.push(
            "Not exactly this history: the file holds the responses Stepwise generated for the invocations left to the default, but a MockConfigFile has no \"use the default\" entry, so ids generated after them differ."
                .into(),
        );
    }
    Ok(RunExport {
        config: first_export.unwrap_or_default(),
        state_machine,
        test_case: test_case.to_string(),
        reproduces: false,
        notes,
    })
}

/// Whether running `machine` with only `config`'s test case (as `stepwise run --mock-config`
/// does) gives the same events as `trace`.
fn reproduces(
    machine: &stepwise_asl::StateMachine,
    input: &Value,
    trace: &crate::Trace,
    config: &MockConfig,
    state_machine: &str,
    test_case: &str,
) -> bool {
    let Ok(resolved) = config.resolve(Some(state_machine), test_case) else {
        return false;
    };
    let mut scenario = crate::Scenario::from_test_case(&resolved);
    scenario.record_steps = false;
    let rerun = crate::simulate(machine, input, &scenario);
    rerun.events == trace.events
}

impl ResolvedTestCase {
    /// The test case as per-state outcome lists (invocation `i` = index `i`; `None` where the
    /// file defines nothing), for the page's outcome table. Ranges are cut at `limit`
    /// invocations per state; returns the lists and the states that were cut.
    pub fn to_lists(
        &self,
        limit: u32,
    ) -> (
        VecMap<String, Vec<Option<crate::PlannedOutcome>>>,
        Vec<String>,
    ) {
        let mut lists = VecMap::new();
        let mut cut = Vec::new();
        for (state, response) in &self.states {
            let mut list: Vec<Option<crate::PlannedOutcome>> = Vec::new();
            for entry in &response.entries {
                if entry.first >= limit {
                    cut.push(state.clone());
                    break;
                }
                let last = if entry.last >= limit {
                    cut.push(state.clone());
                    limit - 1
                } else {
                    entry.last
                };
                for n in entry.first..=last {
                    let index = n as usize;
                    if list.len() <= index {
                        list.resize(index + 1, None);
                    }
                    if let Some(slot) = list.get_mut(index) {
                        *slot = Some(crate::PlannedOutcome {
                            outcome: entry.outcome.clone(),
                            duration_ms: None,
                        });
                    }
                }
            }
            if !list.is_empty() {
                lists.insert(state.clone(), list);
            }
        }
        cut.dedup();
        (lists, cut)
    }
}

#[cfg(test)]
mod export_tests {
    use super::*;
    use crate::{PlannedOutcome, Scenario, TaskPlan};

    const MACHINE: &str = r#"{"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                 "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3, "IntervalSeconds": 1}],
                 "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:111111111111:t", "Message": "m"},
                   "End": true}}}"#;

    fn throw() -> PlannedOutcome {
        PlannedOutcome {
            outcome: Outcome::Throw {
                error: "Lambda.ServiceException".into(),
                cause: "boom".into(),
            },
            duration_ms: None,
        }
    }

    #[test]
    fn an_exported_run_reproduces_the_trace() {
        let machine = stepwise_asl::parse(MACHINE).machine.expect("parses");
        let input = stepwise_asl::json::json!({"a": 1});
        // Invocations 0 and 2 fail, 1 is left to the default (it succeeds, so 2 is never
        // reached): the file must fill 1 with the response the run had.
        let mut plan = TaskPlan::default();
        plan.push(0, throw());
        plan.push(2, throw());
        let mut scenario = Scenario::default();
        scenario.tasks.insert("Call".into(), plan);
        let trace = crate::simulate(&machine, &input, &scenario);
        let export = export_run(&machine, &input, &scenario, &trace, "page").expect("exports");
        assert!(export.reproduces, "{:?}", export.notes);
        assert_eq!(export.state_machine, "StateMachine");
        let resolved = export
            .config
            .resolve(Some("StateMachine"), "page")
            .expect("resolves");
        let call = resolved.states.get("Call").expect("Call is mocked");
        assert!(
            call.gaps().is_empty(),
            "{}",
            export.config.to_string_pretty()
        );
        assert!(matches!(call.get(0), Some(Outcome::Throw { .. })));
        assert!(matches!(call.get(1), Some(Outcome::Return(_))));
        assert!(matches!(call.get(2), Some(Outcome::Throw { .. })));
        // The file text parses back to the same configuration.
        let text = export.config.to_string_pretty();
        assert_eq!(MockConfig::parse(&text).expect("parses"), export.config);

        // Recorded outcomes: one per invocation that ran.
        let recorded = recorded_outcomes(&trace);
        assert_eq!(recorded.get("Call").map(|m| m.len()), Some(2));
        assert_eq!(recorded.get("Notify").map(|m| m.len()), Some(1));

        // A duration cannot be expressed: said so.
        let mut plan = TaskPlan::default();
        plan.push(
            0,
            PlannedOutcome {
                duration_ms: Some(5),
                ..throw()
            },
        );
        scenario.tasks.insert("Call".into(), plan);
        let trace = crate::simulate(&machine, &input, &scenario);
        let export = export_run(&machine, &input, &scenario, &trace, "page").expect("exports");
        assert!(!export.reproduces);
        assert!(export.notes.iter().any(|n| n.contains("durations")));
    }

    #[test]
    fn test_cases_become_bounded_outcome_lists() {
        let config = MockConfig::parse(
            r#"{"StateMachines": {"M": {"TestCases": {"T": {"A": "R", "B": "Huge"}}}},
                "MockedResponses": {
                  "R": {"0": {"Return": {"x": 1}}, "2-3": {"Throw": {"Error": "E", "Cause": "C"}}},
                  "Huge": {"0-4294967295": {"Return": 1}}}}"#,
        )
        .expect("parses");
        let resolved = config.resolve(None, "T").expect("resolves");
        let (lists, cut) = resolved.to_lists(100);
        let a = lists.get("A").expect("A is listed");
        assert_eq!(a.len(), 4);
        assert!(a[1].is_none());
        assert!(matches!(
            a[3].as_ref().map(|p| &p.outcome),
            Some(Outcome::Throw { .. })
        ));
        assert_eq!(lists.get("B").map(Vec::len), Some(100));
        assert_eq!(cut, vec!["B".to_string()]);
    }
}
