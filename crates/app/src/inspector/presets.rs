//! Scenarios shipped with the four AWS samples ("Happy path", "Fails once, recovers on
//! retry", "Retries exhausted → Catch", "Uncaught failure", …): sets of injected outcomes the
//! "Scenario" select applies with `Action::SetOutcomes`.
//!
//! The outcomes are built from the engine's own service shapes (`services::presets_with`,
//! `services::wrap_function_result`), so errors, causes and responses look like AWS's. Nothing
//! here decides what happens: the engine simulates the scenario like any other.

use stepwise_asl::vecmap::VecMap;

use stepwise_asl::json::{Map, Value, json};
use stepwise_asl::{State, StateKind, StateMachine};
use stepwise_engine::services::{self, CallContext, ErrorPreset, IdGen, ResourceInfo};
use stepwise_engine::{Outcome, PlannedOutcome};

/// Injected outcomes: per Task state, per invocation (the store's shape).
pub type Outcomes = VecMap<String, Vec<Option<PlannedOutcome>>>;

/// One named scenario of a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub name: &'static str,
    /// What the scenario shows, for the learner.
    pub description: &'static str,
    pub outcomes: Outcomes,
}

/// The presets of a gallery sample (by id), built against its parsed machine. Unknown samples
/// (and machines that no longer have the sample's Tasks) get no presets.
pub fn for_sample(sample: &str, machine: &StateMachine) -> Vec<Preset> {
    let b = Builder { machine };
    let presets = match sample {
        "batch-retry-catch-notify" => vec![
            b.preset(
                "Happy path",
                "Every call succeeds with the engine's realistic default: the Batch job ends SUCCEEDED after 2 min and \"Notify Success\" publishes.",
                &[],
            ),
            b.preset(
                "Fails once, recovers on retry",
                "The first Batch job ends FAILED (States.TaskFailed); the Retrier waits 30 s and the second attempt succeeds.",
                &[("Submit Batch Job", 0, b.batch_job_fails("Submit Batch Job", 0))],
            ),
            b.preset(
                "Retries exhausted → Catch",
                "All 3 attempts fail (1 + MaxAttempts 2, waiting 30 s then 45 s): the Catcher sends the error to \"Notify Failure\".",
                &[
                    ("Submit Batch Job", 0, b.batch_job_fails("Submit Batch Job", 0)),
                    ("Submit Batch Job", 1, b.batch_job_fails("Submit Batch Job", 1)),
                    ("Submit Batch Job", 2, b.batch_job_fails("Submit Batch Job", 2)),
                ],
            ),
            b.preset(
                "Uncaught failure",
                "The job succeeds but publishing to SNS fails: \"Notify Success\" has no Retry or Catch, so the execution fails.",
                &[("Notify Success", 0, b.sns_fails("Notify Success", 0))],
            ),
        ],
        "batch-catch-notify" => vec![
            b.preset(
                "Happy path",
                "The Batch job ends SUCCEEDED after 2 min and \"Notify Success\" publishes.",
                &[],
            ),
            b.preset(
                "Fails once → Catch (no Retry)",
                "The job ends FAILED (States.TaskFailed). With no Retry, the first failure goes straight to the Catcher and \"Notify Failure\".",
                &[("Submit Batch Job", 0, b.batch_job_fails("Submit Batch Job", 0))],
            ),
            b.preset(
                "Submit throttled → Catch",
                "SubmitJob is throttled (Batch.AWSBatchException): no job runs, no TaskSubmitted event, and the Catcher sends the error to \"Notify Failure\".",
                &[("Submit Batch Job", 0, b.batch_api_error("Submit Batch Job", 0))],
            ),
            b.preset(
                "Uncaught failure",
                "The job fails and is caught, but publishing the failure notice fails too: \"Notify Failure\" has no Catch, so the execution fails.",
                &[
                    ("Submit Batch Job", 0, b.batch_job_fails("Submit Batch Job", 0)),
                    ("Notify Failure", 0, b.sns_fails("Notify Failure", 0)),
                ],
            ),
        ],
        "batch-with-lambda" => {
            let params = json!({
                "inputFile": "s3://amzn-s3-demo-bucket/jobs/input-0001.csv",
                "outputPrefix": "s3://amzn-s3-demo-bucket/jobs/out/"
            });
            let batch_input = json!({ "batch_input": params });
            // OutputPath $.batch_input keeps that field's value, and "Submit Batch Job" reads
            // $.batch_input again from it: the result must nest the field twice.
            let nested = json!({ "batch_input": { "batch_input": params } });
            vec![
                b.preset(
                    "Default Lambda response → path error",
                    "lambda:invoke wraps the function's result in Payload, so OutputPath $.batch_input finds nothing: the state fails with States.Runtime and the execution fails.",
                    &[],
                ),
                b.preset(
                    "batch_input under Payload → path error",
                    "The function returns {\"batch_input\": …}, but the response nests it as $.Payload.batch_input: OutputPath $.batch_input still fails (States.Runtime). Fix: OutputPath $.Payload.batch_input.",
                    &[(
                        "Generate batch job input",
                        0,
                        b.lambda_returns("Generate batch job input", 0, batch_input),
                    )],
                ),
                b.preset(
                    "Happy path",
                    "The response has batch_input at the top level (no Payload wrapper, as a plain Lambda function ARN returns it) and, since OutputPath keeps only its value while \"Submit Batch Job\" reads $.batch_input again, it nests batch_input once more: both paths resolve and the job runs.",
                    &[(
                        "Generate batch job input",
                        0,
                        Some(PlannedOutcome::new(Outcome::Return(nested.clone()))),
                    )],
                ),
                b.preset(
                    "Uncaught failure",
                    "The input is generated but the Batch job ends FAILED: the Task has no Catch, so the execution fails with States.TaskFailed.",
                    &[
                        (
                            "Generate batch job input",
                            0,
                            Some(PlannedOutcome::new(Outcome::Return(nested))),
                        ),
                        ("Submit Batch Job", 0, b.batch_job_fails("Submit Batch Job", 0)),
                    ],
                ),
            ]
        }
        "batch-fan-out-map" => {
            let items = json!([1, 2, 3]);
            let lambda = "Generate batch job input";
            vec![
                b.preset(
                    "Default Lambda response → Map fails",
                    "The default Payload is {}: OutputPath $.Payload gives an object, not an array, so the Map cannot iterate and the execution fails.",
                    &[],
                ),
                b.preset(
                    "Happy path",
                    "The function returns [1, 2, 3] as its Payload: the Map runs one Batch job per item and collects their job details.",
                    &[(lambda, 0, b.lambda_returns(lambda, 0, items.clone()))],
                ),
                b.preset(
                    "Uncaught failure",
                    "One of the three Batch jobs ends FAILED: the iteration fails, the Map fails (no tolerated failures) and so does the execution.",
                    &[
                        (lambda, 0, b.lambda_returns(lambda, 0, items)),
                        ("Submit Batch Job", 1, b.batch_job_fails("Submit Batch Job", 1)),
                    ],
                ),
                b.preset(
                    "Lambda fails",
                    "The pre-processing function raises an unhandled Exception: no Retry or Catch, so the execution fails before the Map starts.",
                    &[(lambda, 0, b.lambda_fails(lambda, 0))],
                ),
            ]
        }
        _ => Vec::new(),
    };
    presets.into_iter().flatten().collect()
}

/// The preset whose outcomes are exactly `outcomes`, if any.
pub fn matching<'a>(presets: &'a [Preset], outcomes: &Outcomes) -> Option<&'a Preset> {
    presets.iter().find(|p| &p.outcomes == outcomes)
}

/// Builds outcomes for the Tasks of one machine.
struct Builder<'a> {
    machine: &'a StateMachine,
}

type Entry<'s> = (&'s str, u32, Option<PlannedOutcome>);

impl Builder<'_> {
    /// A preset, or `None` when one of its outcomes could not be built (the state is gone).
    fn preset(
        &self,
        name: &'static str,
        description: &'static str,
        entries: &[Entry<'_>],
    ) -> Option<Preset> {
        let mut outcomes = Outcomes::new();
        for (state, invocation, outcome) in entries {
            let outcome = outcome.clone()?;
            let list = outcomes.entry((*state).to_string()).or_default();
            let index = *invocation as usize;
            if list.len() <= index {
                list.resize(index + 1, None);
            }
            if let Some(slot) = list.get_mut(index) {
                *slot = Some(outcome);
            }
        }
        Some(Preset {
            name,
            description,
            outcomes,
        })
    }

    fn task(&self, name: &str) -> Option<(&State, ResourceInfo)> {
        let state = task_state(self.machine, name)?;
        match &state.kind {
            StateKind::Task(task) => Some((state, services::classify(&task.resource))),
            _ => None,
        }
    }

    /// One of the service's realistic failures for this invocation (names from the Task's
    /// literal parameters, ids seeded by state and invocation so attempts differ).
    fn failure(
        &self,
        state: &str,
        invocation: u32,
        pick: impl Fn(&ErrorPreset) -> bool,
    ) -> Option<PlannedOutcome> {
        let model = task_state(self.machine, state)?;
        super::outcomes::failure_presets(model, invocation)
            .iter()
            .find(|p| pick(p))
            .map(|p| PlannedOutcome::new(p.outcome()))
    }

    /// The Batch job runs and ends FAILED: `States.TaskFailed` with the job detail as cause.
    fn batch_job_fails(&self, state: &str, invocation: u32) -> Option<PlannedOutcome> {
        self.failure(state, invocation, |p| {
            p.error == "States.TaskFailed" && p.after_submit
        })
    }

    /// SubmitJob itself is rejected (throttled).
    fn batch_api_error(&self, state: &str, invocation: u32) -> Option<PlannedOutcome> {
        self.failure(state, invocation, |p| p.error == "Batch.AWSBatchException")
    }

    fn sns_fails(&self, state: &str, invocation: u32) -> Option<PlannedOutcome> {
        self.failure(state, invocation, |p| {
            p.error == "SNS.InternalErrorException"
        })
    }

    fn lambda_fails(&self, state: &str, invocation: u32) -> Option<PlannedOutcome> {
        self.failure(state, invocation, |p| p.error == "Exception")
    }

    /// The function returns `payload`; the result is the integration's response around it
    /// (for `lambda:invoke` the Invoke envelope with `Payload`).
    fn lambda_returns(
        &self,
        state: &str,
        invocation: u32,
        payload: Value,
    ) -> Option<PlannedOutcome> {
        let (model, info) = self.task(state)?;
        let mut ids = IdGen::from_str_seed(&format!("{state}#{invocation}"));
        let ctx = CallContext {
            duration_ms: services::default_duration_ms(&info),
            ..CallContext::default()
        };
        let input = literal_parameters(model);
        let result = services::wrap_function_result(&info, &input, payload, &mut ids, &ctx);
        Some(PlannedOutcome::new(Outcome::Return(result)))
    }
}

/// A state of the machine by name, nested ones included.
pub fn task_state<'a>(machine: &'a StateMachine, name: &str) -> Option<&'a State> {
    machine.all_states().into_iter().find(|s| s.name == name)
}

/// The Task's `Parameters` without the fields computed at run time (`"key.$"`): only used to
/// name things (job name, topic) in generated responses and causes.
pub fn literal_parameters(state: &State) -> Value {
    match &state.parameters {
        Some(Value::Object(map)) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.ends_with(".$"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map>(),
        ),
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use yew::Reducible;

    use super::*;
    use crate::samples::{SAMPLES, find};
    use crate::store::{Action, State as Store};

    struct Expect {
        sample: &'static str,
        preset: &'static str,
        status: &'static str,
        /// Top-level states visited, in order.
        path: &'static [&'static str],
        /// (state, attempts in its last visit)
        attempts: Option<(&'static str, usize)>,
        /// The execution's error, when it fails.
        error: Option<&'static str>,
    }

    const CASES: &[Expect] = &[
        Expect {
            sample: "batch-retry-catch-notify",
            preset: "Happy path",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Success"],
            attempts: Some(("Submit Batch Job", 1)),
            error: None,
        },
        Expect {
            sample: "batch-retry-catch-notify",
            preset: "Fails once, recovers on retry",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Success"],
            attempts: Some(("Submit Batch Job", 2)),
            error: None,
        },
        Expect {
            sample: "batch-retry-catch-notify",
            preset: "Retries exhausted → Catch",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Failure"],
            attempts: Some(("Submit Batch Job", 3)),
            error: None,
        },
        Expect {
            sample: "batch-retry-catch-notify",
            preset: "Uncaught failure",
            status: "FAILED",
            path: &["Submit Batch Job", "Notify Success"],
            attempts: Some(("Notify Success", 1)),
            error: Some("SNS.InternalErrorException"),
        },
        Expect {
            sample: "batch-catch-notify",
            preset: "Happy path",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Success"],
            attempts: Some(("Submit Batch Job", 1)),
            error: None,
        },
        Expect {
            sample: "batch-catch-notify",
            preset: "Fails once → Catch (no Retry)",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Failure"],
            attempts: Some(("Submit Batch Job", 1)),
            error: None,
        },
        Expect {
            sample: "batch-catch-notify",
            preset: "Submit throttled → Catch",
            status: "SUCCEEDED",
            path: &["Submit Batch Job", "Notify Failure"],
            attempts: Some(("Submit Batch Job", 1)),
            error: None,
        },
        Expect {
            sample: "batch-catch-notify",
            preset: "Uncaught failure",
            status: "FAILED",
            path: &["Submit Batch Job", "Notify Failure"],
            attempts: Some(("Notify Failure", 1)),
            error: Some("SNS.InternalErrorException"),
        },
        Expect {
            sample: "batch-with-lambda",
            preset: "Default Lambda response → path error",
            status: "FAILED",
            path: &["Generate batch job input"],
            attempts: None,
            error: Some("States.Runtime"),
        },
        Expect {
            sample: "batch-with-lambda",
            preset: "batch_input under Payload → path error",
            status: "FAILED",
            path: &["Generate batch job input"],
            attempts: None,
            error: Some("States.Runtime"),
        },
        Expect {
            sample: "batch-with-lambda",
            preset: "Happy path",
            status: "SUCCEEDED",
            path: &["Generate batch job input", "Submit Batch Job"],
            attempts: Some(("Submit Batch Job", 1)),
            error: None,
        },
        Expect {
            sample: "batch-with-lambda",
            preset: "Uncaught failure",
            status: "FAILED",
            path: &["Generate batch job input", "Submit Batch Job"],
            attempts: Some(("Submit Batch Job", 1)),
            error: Some("States.TaskFailed"),
        },
        Expect {
            sample: "batch-fan-out-map",
            preset: "Default Lambda response → Map fails",
            status: "FAILED",
            path: &["Generate batch job input", "Fan out batch jobs"],
            attempts: None,
            error: Some("States.Runtime"),
        },
        Expect {
            sample: "batch-fan-out-map",
            preset: "Happy path",
            status: "SUCCEEDED",
            path: &["Generate batch job input", "Fan out batch jobs"],
            attempts: None,
            error: None,
        },
        Expect {
            sample: "batch-fan-out-map",
            preset: "Uncaught failure",
            status: "FAILED",
            path: &["Generate batch job input", "Fan out batch jobs"],
            attempts: None,
            error: Some("States.TaskFailed"),
        },
        Expect {
            sample: "batch-fan-out-map",
            preset: "Lambda fails",
            status: "FAILED",
            path: &["Generate batch job input"],
            attempts: Some(("Generate batch job input", 1)),
            error: Some("Exception"),
        },
    ];

    fn apply(sample: &'static str, preset: &str) -> Rc<Store> {
        let sample = find(sample).expect("a gallery sample");
        let store = Rc::new(Store::from_sample(sample));
        let machine = store
            .analysis
            .parsed
            .machine
            .as_ref()
            .expect("the sample is valid");
        let presets = for_sample(sample.id, machine);
        let preset = presets
            .iter()
            .find(|p| p.name == preset)
            .unwrap_or_else(|| panic!("{}: no preset {preset}", sample.id));
        store
            .reduce(Action::SetOutcomes(preset.outcomes.clone()))
            .reduce(Action::RunToEnd)
    }

    #[test]
    fn every_preset_gives_its_intended_path() {
        for case in CASES {
            let label = format!("{} / {}", case.sample, case.preset);
            let store = apply(case.sample, case.preset);
            let trace = store.trace().expect("runs");
            assert_eq!(
                trace.status.as_str(),
                case.status,
                "{label}: {:?} {:?}",
                trace.error,
                trace.cause
            );
            let path: Vec<&str> = trace
                .steps
                .iter()
                .filter(|s| s.scope.is_empty())
                .map(|s| s.state.as_str())
                .collect();
            assert_eq!(path, case.path, "{label}");
            if let Some((state, n)) = case.attempts {
                let step = trace
                    .steps
                    .iter()
                    .rfind(|s| s.state == state)
                    .expect("visited");
                assert_eq!(step.attempts.len(), n, "{label}");
            }
            assert_eq!(trace.error.as_deref(), case.error, "{label}");
            assert_eq!(store.cursor, trace.events.len(), "{label}");
        }
    }

    #[test]
    fn every_sample_has_presets_and_each_is_tested() {
        for sample in SAMPLES.iter().take(4) {
            let store = Store::from_sample(sample);
            let machine = store.analysis.parsed.machine.as_ref().expect("valid");
            let presets = for_sample(sample.id, machine);
            assert!(presets.len() >= 3, "{}", sample.id);
            assert!(presets.iter().any(|p| p.name == "Happy path"));
            for p in &presets {
                assert!(
                    CASES
                        .iter()
                        .any(|c| c.sample == sample.id && c.preset == p.name),
                    "{} / {} is not tested",
                    sample.id,
                    p.name
                );
            }
            // The empty scenario is recognised as the preset that injects nothing.
            assert_eq!(
                matching(&presets, &Outcomes::new()).map(|p| p.outcomes.len()),
                Some(0)
            );
        }
        assert!(for_sample("unknown", &example_machine()).is_empty());
    }

    #[test]
    fn failures_are_realistic_and_differ_per_attempt() {
        let store = apply("batch-retry-catch-notify", "Retries exhausted → Catch");
        let list = store
            .outcomes
            .get("Submit Batch Job")
            .expect("the preset plans the Task");
        let causes: Vec<&str> = list
            .iter()
            .filter_map(|o| o.as_ref()?.outcome.error().map(|(_, c)| c))
            .collect();
        assert_eq!(causes.len(), 3);
        assert_ne!(causes[0], causes[1]);
        let detail: Value = serde_json::from_str(causes[0]).expect("job detail JSON");
        assert_eq!(detail["Status"], "FAILED");
        assert_eq!(detail["JobName"], "BatchJobNotification");
        let trace = store.trace().unwrap();
        let submit = trace
            .steps
            .iter()
            .find(|s| s.state == "Submit Batch Job")
            .unwrap();
        assert!(
            submit
                .explanations
                .iter()
                .any(|e| e.contains("30 s × 1.5¹ = 45 s")),
            "{:?}",
            submit.explanations
        );
    }

    fn example_machine() -> StateMachine {
        Store::default()
            .analysis
            .parsed
            .machine
            .clone()
            .expect("valid")
    }
}
