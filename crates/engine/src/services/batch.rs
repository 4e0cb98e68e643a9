//! `arn:aws:states:::batch:submitJob[.sync]`: SubmitJob / DescribeJobs responses and presets.
//!
//! * `.sync` success = the DescribeJobs `jobs[0]` job detail with PascalCase keys and
//!   `Status: "SUCCEEDED"` (shape of the 2020 capture quoted in asl-semantics §2.1), with
//!   `JobName` / `JobQueue` / `JobDefinition` / `Parameters` / `DependsOn` / `RetryStrategy` /
//!   `Timeout` / `ContainerOverrides` taken from the effective input and Step Functions' env var
//!   `MANAGED_BY_AWS=STARTED_BY_STEP_FUNCTIONS` in `Container.Environment`.
//! * Timestamps are epoch milliseconds on the virtual clock: `CreatedAt` = attempt start,
//!   `StartedAt` = start + ¼ of the duration (queue time), `StoppedAt` = start + duration.
//! * Job `FAILED` → `States.TaskFailed`, Cause = that job detail (Status FAILED, ExitCode 1) as
//!   JSON text; API errors at submit → `Batch.<ErrorCode>` with the Java SDK v1 cause suffix.
//! * `TaskSubmitted.output` (UNVERIFIED for Batch) = SubmitJob response `{JobArn, JobId, JobName,
//!   SdkHttpMetadata, SdkResponseMetadata}`.

use super::generic::{sdk_metadata, v1_cause, with_metadata};
use super::ids::http_date;
use super::{CallContext, ErrorPreset, IdGen, ResourceInfo};
use stepwise_asl::json::{Map, Value, json};

/// How the simulated job ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobEnd {
    Succeeded,
    /// Container exits with code 1.
    Failed,
    /// The attempt exceeded the job's `Timeout.AttemptDurationSeconds`.
    AttemptTimedOut,
}

fn str_param<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    input.get(key).and_then(Value::as_str)
}

/// A Batch name (`JobQueue`, `JobDefinition`) as the ARN DescribeJobs reports. ARNs and opaque
/// placeholders (anything that is not a plain Batch name, e.g. `<BATCH_QUEUE_ARN>`) are kept.
fn batch_arn(
    value: &str,
    kind: &str,
    region: &str,
    account: &str,
    default_revision: bool,
) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':');
    if value.starts_with("arn:") || !plain {
        return value.to_string();
    }
    if default_revision && !value.contains(':') {
        format!("arn:aws:batch:{region}:{account}:{kind}/{value}:1")
    } else {
        format!("arn:aws:batch:{region}:{account}:{kind}/{value}")
    }
}

/// Region and account for ids of this call: those of the queue ARN when it is one, else the
/// resource's or the execution's.
fn region_account(input: &Value, ctx: &CallContext, info: &ResourceInfo) -> (String, String) {
    if let Some(queue) = str_param(input, "JobQueue") {
        let parts: Vec<&str> = queue.split(':').collect();
        if let ["arn", _, "batch", region, account, _] = parts.as_slice()
            && !region.is_empty()
            && !account.is_empty()
        {
            return ((*region).to_string(), (*account).to_string());
        }
    }
    (ctx.region_for(info).to_string(), ctx.account.clone())
}

struct Names {
    job_name: String,
    job_queue: String,
    job_definition: String,
    definition_name: String,
    region: String,
    account: String,
}

fn names(input: &Value, ctx: &CallContext, info: &ResourceInfo) -> Names {
    let (region, account) = region_account(input, ctx, info);
    let job_name = str_param(input, "JobName").unwrap_or("job").to_string();
    let job_queue = batch_arn(
        str_param(input, "JobQueue").unwrap_or("default"),
        "job-queue",
        &region,
        &account,
        false,
    );
    let job_definition = batch_arn(
        str_param(input, "JobDefinition").unwrap_or("job-definition"),
        "job-definition",
        &region,
        &account,
        true,
    );
    let definition_name = job_definition
        .rsplit('/')
        .next()
        .and_then(|s| s.split(':').next())
        .filter(|s| !s.is_empty())
        .unwrap_or("job-definition")
        .to_string();
    Names {
        job_name,
        job_queue,
        job_definition,
        definition_name,
        region,
        account,
    }
}

/// The SubmitJob response (Request Response result and the `.sync` `TaskSubmitted` output).
pub fn submit_job_response(
    input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
    info: &ResourceInfo,
) -> Value {
    let n = names(input, ctx, info);
    let job_id = ids.uuid();
    let rid = ids.uuid();
    let trace = ids.trace_id(ctx.started_ms);
    let mut body = Map::new();
    body.insert(
        "JobArn",
        Value::String(format!("arn:aws:batch:{}:{}:job/{job_id}", n.region, n.account).into()),
    );
    body.insert("JobId", Value::String(job_id.into()));
    body.insert("JobName", Value::String(n.job_name.into()));
    let len = Value::Object(body.clone()).to_string().len().to_string();
    let headers = [
        ("Date", http_date(ctx.finished_ms())),
        ("Content-Type", "application/json".to_string()),
        ("Content-Length", len),
        ("Connection", "keep-alive".to_string()),
        ("x-amzn-RequestId", rid.clone()),
        ("X-Amzn-Trace-Id", trace),
    ];
    with_metadata(body, sdk_metadata(&headers, &rid, 200))
}

/// The DescribeJobs job detail after the job ended as `end`.
pub fn job_detail(
    input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
    info: &ResourceInfo,
    end: JobEnd,
) -> Value {
    let n = names(input, ctx, info);
    let job_id = ids.uuid();
    let task_id = ids.hex(32);
    let instance_id = ids.uuid();
    let created = ctx.started_ms;
    let started = created.saturating_add(ctx.duration_ms / 4);
    let stopped = ctx.finished_ms();
    let overrides = input.get("ContainerOverrides");
    let mut environment: Vec<Value> = overrides
        .and_then(|o| o.get("Environment"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    environment.retain(|e| e.get("Name").and_then(Value::as_str) != Some("MANAGED_BY_AWS"));
    environment.push(json!({"Name": "MANAGED_BY_AWS", "Value": "STARTED_BY_STEP_FUNCTIONS"}));
    let command = overrides
        .and_then(|o| o.get("Command"))
        .cloned()
        .unwrap_or_else(|| json!([]));
    let requirement = |kind: &str, legacy: &str, default: u64| -> Value {
        let from_requirements = overrides
            .and_then(|o| o.get("ResourceRequirements"))
            .and_then(Value::as_array)
            .and_then(|reqs| {
                reqs.iter()
                    .find(|r| r.get("Type").and_then(Value::as_str) == Some(kind))
            })
            .and_then(|r| r.get("Value"))
            .and_then(|v| match v {
                Value::String(s) => s.parse::<u64>().ok(),
                other => other.as_u64(),
            });
        let from_legacy = overrides
            .and_then(|o| o.get(legacy))
            .and_then(Value::as_u64);
        Value::from(from_requirements.or(from_legacy).unwrap_or(default))
    };
    let (status, exit_code, reason) = match end {
        JobEnd::Succeeded => (
            "SUCCEEDED",
            Value::from(0),
            "Essential container in task exited",
        ),
        JobEnd::Failed => (
            "FAILED",
            Value::from(1),
            "Essential container in task exited",
        ),
        JobEnd::AttemptTimedOut => (
            "FAILED",
            Value::Null,
            "Job attempt duration exceeded timeout",
        ),
    };
    let instance_arn = format!(
        "arn:aws:ecs:{}:{}:container-instance/{instance_id}",
        n.region, n.account
    );
    let task_arn = format!("arn:aws:ecs:{}:{}:task/{task_id}", n.region, n.account);
    let log_stream = format!("{}/default/{task_id}", n.definition_name);

    let mut attempt_container = Map::new();
    attempt_container.insert(
        "ContainerInstanceArn",
        Value::String(instance_arn.clone().into()),
    );
    if !exit_code.is_null() {
        attempt_container.insert("ExitCode", exit_code.clone());
    }
    attempt_container.insert("LogStreamName", Value::String(log_stream.clone().into()));
    attempt_container.insert("NetworkInterfaces", json!([]));
    attempt_container.insert("TaskArn", Value::String(task_arn.clone().into()));

    let mut container = Map::new();
    container.insert("Command", command);
    container.insert("ContainerInstanceArn", Value::String(instance_arn.into()));
    container.insert("Environment", Value::Array(environment.into()));
    if !exit_code.is_null() {
        container.insert("ExitCode", exit_code);
    }
    container.insert(
        "Image",
        Value::String("public.ecr.aws/amazonlinux/amazonlinux:latest".into()),
    );
    container.insert("LogStreamName", Value::String(log_stream.into()));
    container.insert("Memory", requirement("MEMORY", "Memory", 2048));
    container.insert("MountPoints", json!([]));
    container.insert("NetworkInterfaces", json!([]));
    container.insert("ResourceRequirements", json!([]));
    container.insert("TaskArn", Value::String(task_arn.into()));
    container.insert("Ulimits", json!([]));
    container.insert("Vcpus", requirement("VCPU", "Vcpus", 1));
    container.insert("Volumes", json!([]));

    let retry_attempts = input
        .get("RetryStrategy")
        .and_then(|r| r.get("Attempts"))
        .and_then(Value::as_u64)
        .unwrap_or(1);

    let mut job = Map::new();
    job.insert(
        "Attempts",
        json!([{
            "Container": attempt_container,
            "StartedAt": started,
            "StatusReason": reason,
            "StoppedAt": stopped,
        }]),
    );
    job.insert("Container", Value::Object(container));
    job.insert("CreatedAt", Value::from(created));
    job.insert(
        "DependsOn",
        input.get("DependsOn").cloned().unwrap_or_else(|| json!([])),
    );
    job.insert(
        "JobArn",
        Value::String(format!("arn:aws:batch:{}:{}:job/{job_id}", n.region, n.account).into()),
    );
    job.insert("JobDefinition", Value::String(n.job_definition.into()));
    job.insert("JobId", Value::String(job_id.into()));
    job.insert("JobName", Value::String(n.job_name.into()));
    job.insert("JobQueue", Value::String(n.job_queue.into()));
    job.insert(
        "Parameters",
        input
            .get("Parameters")
            .cloned()
            .unwrap_or_else(|| json!({})),
    );
    job.insert("RetryStrategy", json!({"Attempts": retry_attempts}));
    job.insert("StartedAt", Value::from(started));
    job.insert("Status", Value::String(status.into()));
    job.insert("StatusReason", Value::String(reason.into()));
    job.insert("StoppedAt", Value::from(stopped));
    if let Some(tags) = input.get("Tags") {
        job.insert("Tags", tags.clone());
    }
    if let Some(timeout) = input.get("Timeout") {
        job.insert("Timeout", timeout.clone());
    }
    Value::Object(job)
}

/// Batch presets: job failures (after submit) and API errors (at submit).
pub fn presets(
    info: &ResourceInfo,
    input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Vec<ErrorPreset> {
    let sync = matches!(
        info.pattern,
        super::IntegrationPattern::Sync | super::IntegrationPattern::Sync2
    );
    let n = names(input, ctx, info);
    let mut out = Vec::new();
    if sync {
        let failed = job_detail(input, ids, ctx, info, JobEnd::Failed);
        out.push(ErrorPreset::throw(
            "Job fails (exit code 1)",
            "The job runs and its container exits with code 1: the job ends FAILED and Step Functions raises States.TaskFailed with the job detail as the cause.",
            "States.TaskFailed",
            failed.to_string(),
            true,
        ));
        let timed_out = job_detail(input, ids, ctx, info, JobEnd::AttemptTimedOut);
        out.push(ErrorPreset::throw(
            "Job attempt times out in Batch",
            "The job exceeds its own Batch Timeout (AttemptDurationSeconds): Batch stops it, the job ends FAILED, and Step Functions raises States.TaskFailed.",
            "States.TaskFailed",
            timed_out.to_string(),
            true,
        ));
    }
    let r1 = ids.uuid();
    let r2 = ids.uuid();
    let r3 = ids.uuid();
    out.push(ErrorPreset::throw(
        "Invalid request (Batch.ClientException)",
        "SubmitJob is rejected, for example because the job queue or job definition does not exist.",
        "Batch.ClientException",
        v1_cause(
            &format!("Job Queue {} not found.", n.job_queue),
            "AWSBatch",
            400,
            "ClientException",
            &r1,
        ),
        false,
    ));
    out.push(ErrorPreset::throw(
        "Batch server error (Batch.ServerException)",
        "A transient failure inside AWS Batch at submit time; retrying usually helps.",
        "Batch.ServerException",
        v1_cause(
            "Internal Server Error",
            "AWSBatch",
            500,
            "ServerException",
            &r2,
        ),
        false,
    ));
    out.push(ErrorPreset::throw(
        "Throttled (Batch.AWSBatchException)",
        "SubmitJob is throttled (Too Many Requests); the SDK reports the generic AWSBatchException.",
        "Batch.AWSBatchException",
        v1_cause("Too Many Requests", "AWSBatch", 429, "TooManyRequestsException", &r3),
        false,
    ));
    out
}
