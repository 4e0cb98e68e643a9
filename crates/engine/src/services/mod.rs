//! Service integrations: what a Task `Resource` is, how AWS names it in the history, and what a
//! call returns or throws by default.
//!
//! * [`classify`] turns a `Resource` string into a [`ResourceInfo`]: the history event family
//!   (`Task*`, `LambdaFunction*`, `Activity*`), the `resourceType` / `resource` / `region` fields of
//!   `TaskScheduled`, the integration pattern and the integration this module knows.
//! * [`default_success`] builds a realistic result shaped like AWS's response (Batch DescribeJobs
//!   job detail, SNS Publish, Lambda Invoke, …) from the effective input (Parameters after
//!   evaluation), ids from a seeded [`IdGen`] and the virtual clock in a [`CallContext`].
//! * [`default_submitted`] is the `TaskSubmitted` output for `.sync` and `.waitForTaskToken`.
//! * [`presets`] / [`presets_with`] list realistic failures per integration for the UI.
//! * [`default_duration_ms`] is the simulated duration of one attempt when the user gives none.
//!
//! Everything is deterministic: no wall clock, no OS randomness.
//!
//! # Defaults when the user injects nothing (documented for the engine and the UI)
//!
//! | integration | default result | default duration |
//! |---|---|---|
//! | `batch:submitJob.sync` | DescribeJobs job detail, `Status: SUCCEEDED` | 2 min |
//! | `batch:submitJob` | SubmitJob response | 300 ms |
//! | `sns:publish` | `{MessageId, SdkHttpMetadata, SdkResponseMetadata}` | 50 ms |
//! | `lambda:invoke` | `{ExecutedVersion, Payload: <Payload parameter or {}>, …, StatusCode: 200}` | 200 ms |
//! | plain Lambda function ARN | the function's output = its input (echo) | 200 ms |
//! | activity ARN | the worker's output = its input (echo) | 1 s |
//! | any `.waitForTaskToken` | the callback output `{}` | 1 s |
//! | `sqs:sendMessage` | `{MD5OfMessageBody, MessageId, SdkHttpMetadata, …}` | 50 ms |
//! | `states:startExecution(.sync/.sync:2)` | StartExecution / DescribeExecution response | 100 ms / 1 s |
//! | other optimized integrations | `{SdkHttpMetadata, SdkResponseMetadata}` | 100 ms |
//! | `aws-sdk:*` | `{}` | 100 ms |
//! | unrecognized resource | `{}` | 100 ms |

pub mod batch;
pub mod generic;
pub mod ids;
pub mod lambda;
pub mod sns;

pub use ids::IdGen;

use crate::outcome::Outcome;
use serde::Serialize;
use stepwise_asl::json::{Str, Value};

/// Which history event family a Task uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Family {
    /// Optimized and AWS SDK integrations: `TaskScheduled`, `TaskStarted`, `TaskSubmitted`,
    /// `TaskSucceeded`, `TaskFailed`, `TaskTimedOut`.
    Task,
    /// A plain Lambda function ARN: `LambdaFunctionScheduled{resource, input, timeoutInSeconds?}`,
    /// `LambdaFunctionStarted`, `LambdaFunctionSucceeded|Failed|TimedOut`.
    LambdaFunction,
    /// An activity ARN: `ActivityScheduled{resource, input, timeoutInSeconds?,
    /// heartbeatInSeconds?}`, `ActivityStarted{workerName}`, `ActivitySucceeded|Failed|TimedOut`.
    Activity,
}

/// The integration pattern, from the resource suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum IntegrationPattern {
    /// No suffix: continue as soon as the API returns.
    RequestResponse,
    /// `.sync`: wait for the job; the API response goes to `TaskSubmitted`.
    Sync,
    /// `.sync:2` (states:startExecution): like `.sync`, output JSON parsed.
    Sync2,
    /// `.waitForTaskToken`: wait for SendTaskSuccess/Failure; the API response goes to
    /// `TaskSubmitted`, the outcome plays the callback.
    WaitForTaskToken,
}

impl IntegrationPattern {
    /// The suffix as written in the resource (`""`, `".sync"`, `".sync:2"`, `".waitForTaskToken"`).
    pub fn suffix(self) -> &'static str {
        match self {
            IntegrationPattern::RequestResponse => "",
            IntegrationPattern::Sync => ".sync",
            IntegrationPattern::Sync2 => ".sync:2",
            IntegrationPattern::WaitForTaskToken => ".waitForTaskToken",
        }
    }

    /// True when the history has a `TaskSubmitted` event between `TaskStarted` and the result.
    pub fn has_submitted_event(self) -> bool {
        !matches!(self, IntegrationPattern::RequestResponse)
    }
}

/// The integrations this module has specific shapes and presets for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Integration {
    /// `arn:aws:states:::batch:submitJob[.sync|.waitForTaskToken]`
    BatchSubmitJob,
    /// `arn:aws:states:::sns:publish[.waitForTaskToken]`
    SnsPublish,
    /// `arn:aws:states:::lambda:invoke[.waitForTaskToken]`
    LambdaInvoke,
    /// `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`
    LambdaFunction,
    /// `arn:aws:states:<region>:<account>:activity:<name>`
    Activity,
    /// `arn:aws:states:::sqs:sendMessage[.waitForTaskToken]`
    SqsSendMessage,
    /// `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`
    StatesStartExecution,
    /// Another optimized integration (`arn:aws:states:::<service>:<action>`).
    OtherOptimized,
    /// `arn:aws:states:::aws-sdk:<service>:<action>`
    AwsSdk,
    /// Not a resource Step Functions recognizes (AWS rejects it when the state machine is created).
    Unrecognized,
}

/// Everything the engine and the UI need to know about a Task `Resource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceInfo {
    /// The `Resource` string as written.
    pub arn: Str,
    pub family: Family,
    pub integration: Integration,
    pub pattern: IntegrationPattern,
    /// `TaskScheduled.resourceType` (and of every other `Task*` event): `"batch"`, `"sns"`,
    /// `"lambda"`, `"aws-sdk:s3"`, …; for the Lambda / Activity families `"lambda"` /
    /// `"activity"` (informational: those events carry no resourceType).
    pub resource_type: Str,
    /// `TaskScheduled.resource`: `"submitJob.sync"`, `"publish"`, `"invoke"`; for the Lambda /
    /// Activity families the full ARN (`LambdaFunctionScheduled.resource`,
    /// `ActivityScheduled.resource`).
    pub resource: Str,
    /// Service name: `"batch"`, `"sns"`, `"s3"` (for aws-sdk:s3), `"lambda"`, `"states"`.
    pub service: String,
    /// API action without the pattern suffix (`"submitJob"`, `"publish"`, `"getObject"`), the
    /// function name for a Lambda ARN, the activity name for an activity.
    pub action: String,
    /// Region written in the ARN, if any. `TaskScheduled.region` is this, else the execution's
    /// region (optimized integration ARNs such as `arn:aws:states:::sns:publish` have none).
    pub region: Option<Str>,
    /// Account written in the ARN, if any.
    pub account: Option<String>,
    /// Partition written in the ARN (`"aws"` unless the ARN says otherwise).
    pub partition: String,
    /// Why AWS would reject or warn about this resource, if it would.
    pub problem: Option<String>,
}

impl ResourceInfo {
    /// The `TaskScheduled.region` value given the execution's region.
    pub fn scheduled_region<'a>(&'a self, execution_region: &'a str) -> &'a str {
        self.region.as_deref().unwrap_or(execution_region)
    }

    /// A short name for the UI: `"AWS Batch (submitJob.sync)"`, `"Lambda function my-fn"`.
    pub fn display_name(&self) -> String {
        match self.integration {
            Integration::BatchSubmitJob => format!("AWS Batch ({})", self.resource),
            Integration::SnsPublish => format!("Amazon SNS ({})", self.resource),
            Integration::LambdaInvoke => format!("AWS Lambda ({})", self.resource),
            Integration::LambdaFunction => format!("Lambda function {}", self.action),
            Integration::Activity => format!("Activity {}", self.action),
            Integration::SqsSendMessage => format!("Amazon SQS ({})", self.resource),
            Integration::StatesStartExecution => {
                format!("Step Functions ({})", self.resource)
            }
            Integration::OtherOptimized | Integration::AwsSdk => {
                format!("{} ({})", self.resource_type, self.resource)
            }
            Integration::Unrecognized => format!("unrecognized resource {}", self.arn),
        }
    }
}

/// Parse a Task `Resource` string. Never fails: resources AWS would reject come back as
/// [`Integration::Unrecognized`] (or with [`ResourceInfo::problem`] set) so the simulation can
/// still run placeholder definitions; the validator reports the problem.
pub fn classify(resource: &str) -> ResourceInfo {
    let mut info = ResourceInfo {
        arn: Str::from(resource),
        family: Family::Task,
        integration: Integration::Unrecognized,
        pattern: IntegrationPattern::RequestResponse,
        resource_type: Str::default(),
        resource: Str::from(resource),
        service: String::new(),
        action: String::new(),
        region: None,
        account: None,
        partition: "aws".to_string(),
        problem: None,
    };
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let (partition, service, region, account, rest) = match parts.as_slice() {
        ["arn", partition, service, region, account, rest] => {
            (*partition, *service, *region, *account, *rest)
        }
        _ => {
            info.problem = Some(unrecognized_message(resource));
            return info;
        }
    };
    if !partition.is_empty() {
        info.partition = partition.to_string();
    }
    info.region = non_empty(region).map(Str::from);
    info.account = non_empty(account);
    info.service = service.to_string();

    match service {
        "lambda" => {
            let Some(function) = rest.strip_prefix("function:") else {
                info.problem = Some(unrecognized_message(resource));
                return info;
            };
            let name = function.split(':').next().unwrap_or_default();
            info.family = Family::LambdaFunction;
            info.integration = Integration::LambdaFunction;
            info.resource_type = "lambda".into();
            info.action = name.to_string();
            if name.is_empty() {
                info.problem = Some(unrecognized_message(resource));
            }
            info
        }
        "states" if rest.starts_with("activity:") => {
            info.family = Family::Activity;
            info.integration = Integration::Activity;
            info.resource_type = "activity".into();
            info.action = rest.trim_start_matches("activity:").to_string();
            if info.action.is_empty() {
                info.problem = Some(unrecognized_message(resource));
            }
            info
        }
        "states" => classify_states_integration(info, rest),
        _ => {
            info.problem = Some(unrecognized_message(resource));
            info
        }
    }
}

fn classify_states_integration(mut info: ResourceInfo, rest: &str) -> ResourceInfo {
    // rest = "batch:submitJob.sync", "states:startExecution.sync:2", "aws-sdk:s3:getObject"
    let (pattern, base) = split_pattern(rest);
    info.pattern = pattern;
    let (service, action, sdk) = if let Some(sdk_rest) = base.strip_prefix("aws-sdk:") {
        match sdk_rest.split_once(':') {
            Some((svc, action)) => (svc, action, true),
            None => {
                info.problem = Some(unrecognized_message(&info.arn));
                return info;
            }
        }
    } else {
        match base.split_once(':') {
            Some((svc, action)) => (svc, action, false),
            None => {
                info.problem = Some(unrecognized_message(&info.arn));
                return info;
            }
        }
    };
    if service.is_empty() || action.is_empty() || action.contains(':') {
        info.problem = Some(unrecognized_message(&info.arn));
        return info;
    }
    info.service = service.to_string();
    info.action = action.to_string();
    info.resource = Str::from(format!("{action}{}", pattern.suffix()));
    if sdk {
        info.resource_type = Str::from(format!("aws-sdk:{service}"));
        info.integration = Integration::AwsSdk;
        if matches!(
            pattern,
            IntegrationPattern::Sync | IntegrationPattern::Sync2
        ) {
            info.problem = Some(format!(
                "AWS SDK integrations do not support the {} pattern (only Request Response and .waitForTaskToken)",
                pattern.suffix()
            ));
        }
        return info;
    }
    info.resource_type = Str::from(service);
    // Resources outside the validator's table (and not `aws-sdk:`) are flagged in
    // `ResourceInfo::problem`.
    let known = stepwise_asl::validate::OPTIMIZED_INTEGRATIONS
        .iter()
        .find(|(svc, _)| *svc == service)
        .is_some_and(|(_, actions)| actions.contains(&action));
    info.integration = match (service, action) {
        ("batch", "submitJob") => Integration::BatchSubmitJob,
        ("sns", "publish") => Integration::SnsPublish,
        ("lambda", "invoke") => Integration::LambdaInvoke,
        ("sqs", "sendMessage") => Integration::SqsSendMessage,
        ("states", "startExecution") => Integration::StatesStartExecution,
        _ if known => Integration::OtherOptimized,
        _ => Integration::Unrecognized,
    };
    if !known {
        info.problem = Some(unrecognized_message(&info.arn));
        return info;
    }
    let pattern_ok = match info.integration {
        Integration::BatchSubmitJob => true,
        Integration::SnsPublish | Integration::LambdaInvoke | Integration::SqsSendMessage => {
            matches!(
                pattern,
                IntegrationPattern::RequestResponse | IntegrationPattern::WaitForTaskToken
            )
        }
        Integration::StatesStartExecution => true,
        _ => pattern != IntegrationPattern::Sync2,
    };
    if !pattern_ok {
        info.problem = Some(format!(
            "{service}:{action} does not support the {} integration pattern",
            pattern.suffix()
        ));
    }
    info
}

fn split_pattern(rest: &str) -> (IntegrationPattern, &str) {
    if let Some(base) = rest.strip_suffix(".sync:2") {
        (IntegrationPattern::Sync2, base)
    } else if let Some(base) = rest.strip_suffix(".sync") {
        (IntegrationPattern::Sync, base)
    } else if let Some(base) = rest.strip_suffix(".waitForTaskToken") {
        (IntegrationPattern::WaitForTaskToken, base)
    } else {
        (IntegrationPattern::RequestResponse, rest)
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// AWS's wording when a state machine uses a resource it does not know.
fn unrecognized_message(resource: &str) -> String {
    format!(
        "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
    )
}

/// Names and clock for one simulated service call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallContext {
    /// Execution region (used when the resource ARN has none), e.g. `"us-east-1"`.
    pub region: String,
    /// Execution account, e.g. `"123456789012"`.
    pub account: String,
    /// Virtual time (epoch milliseconds) when the attempt starts (`TaskStarted`).
    pub started_ms: u64,
    /// Simulated duration of the attempt in milliseconds.
    pub duration_ms: u64,
    /// The execution ARN (used by callers such as `states:startExecution` for names).
    pub execution_name: String,
}

impl Default for CallContext {
    fn default() -> Self {
        CallContext {
            region: "us-east-1".into(),
            account: "123456789012".into(),
            // 2024-01-01T00:00:00Z
            started_ms: 1_704_067_200_000,
            duration_ms: 0,
            execution_name: "execution".into(),
        }
    }
}

impl CallContext {
    /// Virtual time when the attempt finishes.
    pub fn finished_ms(&self) -> u64 {
        self.started_ms.saturating_add(self.duration_ms)
    }

    /// The region of a call to `info`.
    pub fn region_for<'a>(&'a self, info: &'a ResourceInfo) -> &'a str {
        info.scheduled_region(&self.region)
    }
}

/// A realistic failure the UI offers in a select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPreset {
    /// Short label, e.g. `"Job fails (exit code 1)"`.
    pub label: String,
    /// One or two sentences on when this happens on AWS.
    pub description: String,
    /// The error name (`States.TaskFailed`, `Batch.ServerException`, …).
    pub error: String,
    /// The cause text, exactly as AWS would produce it (JSON text for job details and function
    /// errors).
    pub cause: String,
    /// True for the time-out preset: the outcome is [`Outcome::TimeOut`], not a throw.
    pub timeout: bool,
    /// True when AWS records a `TaskSubmitted` event before this failure (the job was submitted
    /// and failed later); false for API errors at submit time.
    pub after_submit: bool,
}

impl ErrorPreset {
    /// The outcome this preset injects.
    pub fn outcome(&self) -> Outcome {
        if self.timeout {
            Outcome::TimeOut
        } else {
            Outcome::Throw {
                error: self.error.clone(),
                cause: self.cause.clone(),
            }
        }
    }

    pub(crate) fn throw(
        label: &str,
        description: &str,
        error: &str,
        cause: impl Into<String>,
        after_submit: bool,
    ) -> ErrorPreset {
        ErrorPreset {
            label: label.into(),
            description: description.into(),
            error: error.into(),
            cause: cause.into(),
            timeout: false,
            after_submit,
        }
    }

    pub(crate) fn timeout(description: &str) -> ErrorPreset {
        ErrorPreset {
            label: "Times out (States.Timeout)".into(),
            description: description.into(),
            error: "States.Timeout".into(),
            cause: String::new(),
            timeout: true,
            after_submit: true,
        }
    }
}

/// The default successful result of one call to `info` (see the table in the module docs).
/// `effective_input` is the Task's input after InputPath and Parameters.
pub fn default_success(
    info: &ResourceInfo,
    effective_input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Value {
    if info.pattern == IntegrationPattern::WaitForTaskToken {
        // The outcome plays the callback (SendTaskSuccess output).
        return Value::Object(stepwise_asl::json::Map::new());
    }
    match info.integration {
        Integration::BatchSubmitJob => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
                batch::job_detail(effective_input, ids, ctx, info, batch::JobEnd::Succeeded)
            }
            _ => batch::submit_job_response(effective_input, ids, ctx, info),
        },
        Integration::SnsPublish => sns::publish_response(effective_input, ids, ctx),
        Integration::LambdaInvoke => lambda::invoke_response(effective_input, ids, ctx),
        Integration::LambdaFunction | Integration::Activity => effective_input.clone(),
        Integration::SqsSendMessage => {
            generic::sqs_send_message_response(effective_input, ids, ctx)
        }
        Integration::StatesStartExecution => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
                generic::describe_execution_response(effective_input, ids, ctx, info)
            }
            _ => generic::start_execution_response(effective_input, ids, ctx, info),
        },
        Integration::OtherOptimized => {
            generic::sdk_v1_metadata_only(info, effective_input, ids, ctx)
        }
        Integration::AwsSdk | Integration::Unrecognized => {
            Value::Object(stepwise_asl::json::Map::new())
        }
    }
}

/// Wrap a function's own result the way the integration reports it: for `lambda:invoke` the
/// Invoke response envelope (`{ExecutedVersion, Payload: <result>, SdkHttpMetadata, …,
/// StatusCode}`), so a user can type only what the function returns; every other resource returns
/// `function_result` unchanged.
pub fn wrap_function_result(
    info: &ResourceInfo,
    effective_input: &Value,
    function_result: Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Value {
    if info.integration == Integration::LambdaInvoke
        && info.pattern == IntegrationPattern::RequestResponse
    {
        lambda::invoke_response_with_payload(effective_input, function_result, ids, ctx)
    } else {
        function_result
    }
}

/// A paragraph for learners: what this resource does, what its result looks like and which
/// history events it produces.
pub fn describe_integration(info: &ResourceInfo) -> String {
    let what = match info.integration {
        Integration::BatchSubmitJob => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
                "Submits an AWS Batch job and waits until it ends (.sync). The result is the DescribeJobs job detail (PascalCase keys, Status SUCCEEDED). If the job ends FAILED the task fails with States.TaskFailed and the job detail as the Cause; a rejected SubmitJob call fails with Batch.<ErrorCode>."
            }
            IntegrationPattern::WaitForTaskToken => {
                "Submits an AWS Batch job and waits for a callback with the task token (SendTaskSuccess/SendTaskFailure)."
            }
            IntegrationPattern::RequestResponse => {
                "Submits an AWS Batch job and continues at once with the SubmitJob response (JobArn, JobId, JobName); it does not wait for the job."
            }
        },
        Integration::SnsPublish => {
            "Publishes a message to an Amazon SNS topic. The result is the Publish response (MessageId plus SdkHttpMetadata/SdkResponseMetadata); API errors are SNS.<Code>Exception."
        }
        Integration::LambdaInvoke => {
            "Invokes a Lambda function through the optimized integration. The function's return value is wrapped in the Invoke response: it is under $.Payload, next to StatusCode and ExecutedVersion. An unhandled function error fails the task with the function's errorType as the Error."
        }
        Integration::LambdaFunction => {
            "Invokes a Lambda function by its ARN (legacy form). The result is the function's return value itself, with no Payload wrapper."
        }
        Integration::Activity => {
            "Waits for an activity worker to call GetActivityTask and then SendTaskSuccess or SendTaskFailure; the worker's output is the result."
        }
        Integration::SqsSendMessage => {
            "Sends a message to an Amazon SQS queue. The result is the SendMessage response (MD5OfMessageBody, MessageId, …)."
        }
        Integration::StatesStartExecution => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => {
                "Starts another state machine execution and waits for it to end; the result is its DescribeExecution output (with .sync:2 Input and Output are JSON, with .sync JSON text)."
            }
            _ => {
                "Starts another state machine execution and continues with the StartExecution response (ExecutionArn, StartDate)."
            }
        },
        Integration::OtherOptimized => {
            "An optimized service integration; by default it returns only the response metadata."
        }
        Integration::AwsSdk => {
            "An AWS SDK integration: calls the API action directly; the result is the API response (PascalCase keys). By default the simulator returns {}."
        }
        Integration::Unrecognized => {
            "Step Functions does not recognize this resource; AWS rejects such a state machine when it is created. The simulator still runs it and returns {} by default."
        }
    };
    let events = match info.family {
        Family::LambdaFunction => "History: LambdaFunctionScheduled → LambdaFunctionStarted → LambdaFunctionSucceeded | LambdaFunctionFailed | LambdaFunctionTimedOut.".to_string(),
        Family::Activity => "History: ActivityScheduled → ActivityStarted → ActivitySucceeded | ActivityFailed | ActivityTimedOut.".to_string(),
        Family::Task if info.pattern.has_submitted_event() => format!(
            "History: TaskScheduled (resourceType \"{}\", resource \"{}\") → TaskStarted → TaskSubmitted → TaskSucceeded | TaskFailed | TaskTimedOut.",
            info.resource_type, info.resource
        ),
        Family::Task => format!(
            "History: TaskScheduled (resourceType \"{}\", resource \"{}\") → TaskStarted → TaskSucceeded | TaskFailed | TaskTimedOut.",
            info.resource_type, info.resource
        ),
    };
    match &info.problem {
        Some(problem) => format!("{what} {events} Note: {problem}"),
        None => format!("{what} {events}"),
    }
}

/// The `TaskSubmitted.output` for `.sync` / `.sync:2` / `.waitForTaskToken` (the first API
/// call's response); `None` for Request Response and the Lambda / Activity families.
pub fn default_submitted(
    info: &ResourceInfo,
    effective_input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Option<Value> {
    if info.family != Family::Task || !info.pattern.has_submitted_event() {
        return None;
    }
    let submit_ctx = CallContext {
        duration_ms: 0,
        ..ctx.clone()
    };
    Some(match info.integration {
        Integration::BatchSubmitJob => {
            batch::submit_job_response(effective_input, ids, &submit_ctx, info)
        }
        Integration::SnsPublish => sns::publish_response(effective_input, ids, &submit_ctx),
        Integration::LambdaInvoke => lambda::invoke_response(effective_input, ids, &submit_ctx),
        Integration::SqsSendMessage => {
            generic::sqs_send_message_response(effective_input, ids, &submit_ctx)
        }
        Integration::StatesStartExecution => {
            generic::start_execution_response(effective_input, ids, &submit_ctx, info)
        }
        Integration::OtherOptimized => {
            generic::sdk_v1_metadata_only(info, effective_input, ids, &submit_ctx)
        }
        Integration::AwsSdk
        | Integration::Unrecognized
        | Integration::LambdaFunction
        | Integration::Activity => Value::Object(stepwise_asl::json::Map::new()),
    })
}

/// Advance `ids` exactly as [`default_submitted`] would, without building the response (for
/// a run that records no events: the next ids stay the same).
pub fn skip_submitted(info: &ResourceInfo, effective_input: &Value, ids: &mut IdGen) {
    if info.family != Family::Task || !info.pattern.has_submitted_event() {
        return;
    }
    // `IdGen` draws: a UUID takes 2, `trace_id` 4, `digits(20)` 20.
    let fifo = |url: Option<&str>| url.is_some_and(|u| u.ends_with(".fifo"));
    let draws = match info.integration {
        Integration::BatchSubmitJob => 2 + 2 + 4,
        Integration::SnsPublish => {
            2 + 2
                + if sns::target(effective_input).ends_with(".fifo") {
                    20
                } else {
                    0
                }
        }
        Integration::LambdaInvoke => 2 + 4,
        Integration::SqsSendMessage => {
            2 + 2
                + if fifo(effective_input.get("QueueUrl").and_then(Value::as_str)) {
                    20
                } else {
                    0
                }
        }
        Integration::StatesStartExecution => {
            2 + if effective_input
                .get("Name")
                .and_then(Value::as_str)
                .is_some()
            {
                0
            } else {
                2
            }
        }
        Integration::OtherOptimized => 2,
        Integration::AwsSdk
        | Integration::Unrecognized
        | Integration::LambdaFunction
        | Integration::Activity => 0,
    };
    ids.skip(draws);
}

/// Like [`default_submitted`], but consistent with the attempt's outcome: for Batch the
/// `JobId` / `JobArn` / `JobName` of the submit response are those of the job detail in the
/// `Return` value or in the `States.TaskFailed` cause (JSON text); for `states:startExecution`
/// the `ExecutionArn`. Prefer this over [`default_submitted`] when the outcome is known.
pub fn default_submitted_for(
    info: &ResourceInfo,
    effective_input: &Value,
    outcome: &Outcome,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Option<Value> {
    let mut submitted = default_submitted(info, effective_input, ids, ctx)?;
    let detail = match outcome {
        Outcome::Return(v) => Some(v.clone()),
        Outcome::Throw { cause, .. } => serde_json::from_str::<Value>(cause).ok(),
        Outcome::TimeOut | Outcome::Echo => None,
    };
    let (Some(detail), Some(out)) = (detail, submitted.as_object_mut()) else {
        return Some(submitted);
    };
    let keys: &[&str] = match info.integration {
        Integration::BatchSubmitJob => &["JobArn", "JobId", "JobName"],
        Integration::StatesStartExecution => &["ExecutionArn"],
        _ => &[],
    };
    for key in keys {
        if let (Some(Value::String(v)), Some(slot)) = (detail.get(*key), out.get_mut(key)) {
            *slot = Value::String(v.clone());
        }
    }
    if info.integration == Integration::BatchSubmitJob
        && detail.get("JobArn").is_none()
        && let (Some(Value::String(id)), Some(Value::String(arn))) =
            (detail.get("JobId"), out.get("JobArn").cloned())
        && let Some((prefix, _)) = arn.rsplit_once('/')
    {
        out.insert("JobArn", Value::String(format!("{prefix}/{id}").into()));
    }
    Some(submitted)
}

/// Whether AWS records `TaskSubmitted` before this failing (or timing-out) outcome: true for
/// `.sync`/`.waitForTaskToken` tasks unless the error is an API error of the service itself
/// (`Batch.*`, `SNS.*`, `Lambda.*`, `SQS.*`, `StepFunctions.*`, … raised by the submit call).
pub fn submitted_before(info: &ResourceInfo, outcome: &Outcome) -> bool {
    if info.family != Family::Task || !info.pattern.has_submitted_event() {
        return false;
    }
    match outcome {
        Outcome::Return(_) | Outcome::Echo | Outcome::TimeOut => true,
        Outcome::Throw { error, .. } => !is_service_api_error(info, error),
    }
}

/// Why the service would refuse these parameters before the call starts, as AWS words it
/// inside `The Parameters '…' could not be used to start the Task: [<this>]` (a
/// `States.Runtime` error: no `TaskScheduled`, never retried or caught).
///
/// Only checks recorded on AWS are here: `apigateway:invoke` wants `Headers` as an object of
/// arrays (`{"h": ["v"]}`); a plain string value is refused (recorded 2024-10-06).
pub fn invalid_parameters(info: &ResourceInfo, params: &Value) -> Option<&'static str> {
    if info.integration != Integration::OtherOptimized
        || info.service != "apigateway"
        || info.action != "invoke"
    {
        return None;
    }
    match params.get("Headers") {
        None | Some(Value::Null) => None,
        Some(Value::Object(h)) if h.values().all(Value::is_array) => None,
        Some(_) => Some("The value of the field 'Headers' has an invalid format"),
    }
}

fn is_service_api_error(info: &ResourceInfo, error: &str) -> bool {
    // (Compared as a fixed-size array: no `memcmp` call on this per-attempt path.)
    if error.as_bytes().first_chunk::<7>() == Some(b"States.") {
        return false;
    }
    let Some((p, _)) = error.split_once('.') else {
        return false;
    };
    let service = info.service.as_str();
    p.eq_ignore_ascii_case(service)
        || (service.eq_ignore_ascii_case("states") && p.eq_ignore_ascii_case("stepfunctions"))
        || (service.eq_ignore_ascii_case("events") && p.eq_ignore_ascii_case("eventbridge"))
}

/// Default duration of a `.sync` / `.waitForTaskToken` attempt the service API rejects at
/// submission (an API call's round trip, like a plain request-response call).
pub const REJECTED_SUBMISSION_MS: u64 = 300;

/// The default duration of one attempt whose outcome is `outcome` (`None`: the service's
/// default): a `.sync` / `.waitForTaskToken` call the service API rejects (no `TaskSubmitted`)
/// takes [`REJECTED_SUBMISSION_MS`], anything else [`default_duration_ms`]. The engine and the
/// playground's outcome panel both use this.
pub fn attempt_default_ms(info: &ResourceInfo, outcome: Option<&Outcome>) -> u64 {
    match outcome {
        Some(o @ Outcome::Throw { .. })
            if info.pattern.has_submitted_event() && !submitted_before(info, o) =>
        {
            REJECTED_SUBMISSION_MS
        }
        _ => default_duration_ms(info),
    }
}

/// The default simulated duration of one attempt in milliseconds (see the module docs table).
pub fn default_duration_ms(info: &ResourceInfo) -> u64 {
    if info.pattern == IntegrationPattern::WaitForTaskToken {
        return 1_000;
    }
    match info.integration {
        Integration::BatchSubmitJob => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => 120_000,
            _ => 300,
        },
        Integration::SnsPublish | Integration::SqsSendMessage => 50,
        Integration::LambdaInvoke | Integration::LambdaFunction => 200,
        Integration::Activity => 1_000,
        Integration::StatesStartExecution => match info.pattern {
            IntegrationPattern::Sync | IntegrationPattern::Sync2 => 1_000,
            _ => 100,
        },
        Integration::OtherOptimized | Integration::AwsSdk | Integration::Unrecognized => 100,
    }
}

/// The default outcome when the user injects nothing: `Return(default_success(..))`.
pub fn default_outcome(
    info: &ResourceInfo,
    effective_input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Outcome {
    Outcome::Return(default_success(info, effective_input, ids, ctx))
}

/// Realistic failures for `info`, with ids and names derived deterministically from the resource
/// string and a default context (for the UI's select before any run).
pub fn presets(info: &ResourceInfo) -> Vec<ErrorPreset> {
    let mut ids = IdGen::from_str_seed(&info.arn);
    presets_with(info, &Value::Null, &mut ids, &CallContext::default())
}

/// Realistic failures for `info` given the call's effective input (names such as the job name,
/// topic or function are taken from it), ids and clock.
pub fn presets_with(
    info: &ResourceInfo,
    effective_input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Vec<ErrorPreset> {
    let mut out = match info.integration {
        Integration::BatchSubmitJob => batch::presets(info, effective_input, ids, ctx),
        Integration::SnsPublish => sns::presets(effective_input, ids, ctx),
        Integration::LambdaInvoke => lambda::presets(info, effective_input, ids, ctx),
        Integration::LambdaFunction => lambda::presets(info, effective_input, ids, ctx),
        Integration::Activity => generic::activity_presets(),
        Integration::SqsSendMessage
        | Integration::StatesStartExecution
        | Integration::OtherOptimized
        | Integration::AwsSdk
        | Integration::Unrecognized => generic::presets(info, ids, ctx),
    };
    if info.pattern == IntegrationPattern::WaitForTaskToken
        && info.integration != Integration::Activity
    {
        out.insert(0, generic::callback_failure_preset());
    }
    if !out.iter().any(|p| p.timeout) {
        out.push(ErrorPreset::timeout(
            "The attempt runs longer than the Task's TimeoutSeconds (or misses its HeartbeatSeconds): Step Functions raises States.Timeout with an empty cause.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_asl::json::json;

    #[test]
    fn apigateway_headers_must_be_arrays() {
        let invoke = classify("arn:aws:states:::apigateway:invoke");
        let refused = Some("The value of the field 'Headers' has an invalid format");
        let check = |p: Value| invalid_parameters(&invoke, &p);
        assert_eq!(check(json!({"Headers": {"h": "one"}})), refused);
        assert_eq!(check(json!({"Headers": "h: one"})), refused);
        assert_eq!(check(json!({"Headers": {"h": ["a", "b"]}})), None);
        assert_eq!(check(json!({"Headers": {}})), None);
        assert_eq!(check(json!({"Method": "GET"})), None);
        // Other integrations are not checked.
        let sns = classify("arn:aws:states:::sns:publish");
        assert_eq!(invalid_parameters(&sns, &json!({"Headers": "x"})), None);
    }

    #[test]
    fn skip_submitted_draws_what_default_submitted_draws() {
        let ctx = CallContext {
            region: "us-east-1".into(),
            account: "111111111111".into(),
            started_ms: 1_704_067_200_000,
            duration_ms: 1000,
            execution_name: "run".into(),
        };
        let resources = [
            "arn:aws:states:::batch:submitJob.sync",
            "arn:aws:states:::batch:submitJob.waitForTaskToken",
            "arn:aws:states:::sns:publish.waitForTaskToken",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:::states:startExecution.sync",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::aws-sdk:s3:getObject",
            "arn:aws:lambda:us-east-1:111111111111:function:f",
            "arn:aws:states:us-east-1:111111111111:activity:a",
            "arn:aws:states:::sns:publish",
        ];
        let inputs = [
            json!({}),
            json!({"TopicArn": "arn:aws:sns:us-east-1:1:t.fifo", "QueueUrl": "https://q/x.fifo",
                   "Name": "child", "JobName": "j"}),
            json!({"TopicArn": "arn:aws:sns:us-east-1:1:t", "QueueUrl": "https://q/x"}),
        ];
        for r in resources {
            let info = classify(r);
            for input in &inputs {
                let mut built = IdGen::new(7);
                let _ = default_submitted(&info, input, &mut built, &ctx);
                let mut skipped = IdGen::new(7);
                skip_submitted(&info, input, &mut skipped);
                assert_eq!(built, skipped, "{r} {input}");
            }
        }
    }
}
