//! `arn:aws:states:::lambda:invoke` and plain Lambda function ARNs.
//!
//! * Optimized `lambda:invoke` success (recorded on AWS, asl-semantics §2.3): `{"ExecutedVersion":
//!   "$LATEST", "Payload": <function result>, "SdkHttpMetadata": {…}, "SdkResponseMetadata":
//!   {"RequestId"}, "StatusCode": 200}`. The default function result echoes the `Payload`
//!   parameter (or `{}` when there is none). `InvocationType: "Event"` gives `StatusCode` 202 and
//!   an empty `Payload`, `"DryRun"` 204 (UNVERIFIED shapes, from the Invoke API).
//! * Plain function ARN: the result is the function's output only (default: its input).
//! * An unhandled function error: `Error` = the function's `errorType`, `Cause` = JSON text
//!   `{"errorMessage","errorType","requestId","stackTrace"}` (recorded). `Lambda.Unknown` when the
//!   function returned no error type (timeout inside Lambda, out of memory). Service errors are
//!   `Lambda.<Exception>` with the Java SDK v1 cause suffix.

use super::generic::{sdk_metadata, v1_cause, with_metadata};
use super::ids::{http_date, iso8601};
use super::{CallContext, ErrorPreset, IdGen, Integration, ResourceInfo};
use stepwise_asl::json::{Map, Value, json};

/// The `lambda:invoke` response for the effective input, with the default function result (an
/// echo of the `Payload` parameter, or `{}`).
pub fn invoke_response(input: &Value, ids: &mut IdGen, ctx: &CallContext) -> Value {
    let payload = input.get("Payload").cloned().unwrap_or_else(|| json!({}));
    invoke_response_with_payload(input, payload, ids, ctx)
}

/// The `lambda:invoke` response wrapping a given function result (what the UI uses when the user
/// types only the function's return value).
pub fn invoke_response_with_payload(
    input: &Value,
    payload: Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Value {
    let rid = ids.uuid();
    let trace = ids.trace_id(ctx.started_ms);
    let invocation_type = input
        .get("InvocationType")
        .and_then(Value::as_str)
        .unwrap_or("RequestResponse");
    let date = http_date(ctx.finished_ms());
    let mut body = Map::new();
    match invocation_type {
        "Event" | "DryRun" => {
            let status: u16 = if invocation_type == "Event" { 202 } else { 204 };
            body.insert("Payload", Value::String(String::new().into()));
            let headers = [
                ("x-amzn-Remapped-Content-Length", "0".to_string()),
                ("Connection", "keep-alive".to_string()),
                ("x-amzn-RequestId", rid.clone()),
                ("Content-Length", "0".to_string()),
                ("Date", date),
                ("X-Amzn-Trace-Id", trace),
            ];
            let mut out = match with_metadata(body, sdk_metadata(&headers, &rid, status)) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            out.insert("StatusCode", Value::from(status));
            Value::Object(out)
        }
        _ => {
            let version = executed_version(input);
            let len = payload.to_string().len().to_string();
            body.insert("ExecutedVersion", Value::String(version.clone().into()));
            let mut headers = Vec::new();
            if input.get("LogType").and_then(Value::as_str) == Some("Tail") {
                let log = base64(log_tail(&rid, &version, ctx.duration_ms).as_bytes());
                body.insert("LogResult", Value::String(log.clone().into()));
                headers.push(("X-Amz-Log-Result", log));
            }
            body.insert("Payload", payload);
            headers.extend([
                ("X-Amz-Executed-Version", version),
                ("x-amzn-Remapped-Content-Length", "0".to_string()),
                ("Connection", "keep-alive".to_string()),
                ("x-amzn-RequestId", rid.clone()),
                ("Content-Length", len),
                ("Date", date),
                ("X-Amzn-Trace-Id", trace),
                ("Content-Type", "application/json".to_string()),
            ]);
            let mut out = match with_metadata(body, sdk_metadata(&headers, &rid, 200)) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            out.insert("StatusCode", Value::from(200));
            Value::Object(out)
        }
    }
}

/// The last 4 KB of the execution log Lambda returns with `LogType: Tail` (its usual lines).
fn log_tail(request_id: &str, version: &str, duration_ms: u64) -> String {
    format!(
        "START RequestId: {request_id} Version: {version}\nEND RequestId: {request_id}\nREPORT RequestId: {request_id}\tDuration: {duration_ms}.00 ms\tBilled Duration: {} ms\tMemory Size: 128 MB\tMax Memory Used: 38 MB\t\n",
        duration_ms.max(1)
    )
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextet = |shift: u32| {
            char::from(
                ALPHABET
                    .get(((n >> shift) & 63) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            )
        };
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// `$LATEST`, or the numeric version named by `Qualifier` or a `name:N` FunctionName.
fn executed_version(input: &Value) -> String {
    let from_name = input
        .get("FunctionName")
        .and_then(Value::as_str)
        .and_then(|n| n.rsplit(':').next())
        .filter(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()));
    let qualifier = input
        .get("Qualifier")
        .and_then(Value::as_str)
        .filter(|q| !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()));
    qualifier
        .or(from_name)
        .map_or_else(|| "$LATEST".to_string(), str::to_string)
}

/// The function ARN a call refers to, as Lambda names it in "Function not found" messages.
fn function_arn(info: &ResourceInfo, input: &Value, ctx: &CallContext) -> String {
    let region = ctx.region_for(info);
    let name = if info.integration == Integration::LambdaFunction {
        info.arn.to_string()
    } else {
        input
            .get("FunctionName")
            .and_then(Value::as_str)
            .unwrap_or("my-function")
            .to_string()
    };
    let arn = if name.starts_with("arn:") {
        name
    } else {
        format!("arn:aws:lambda:{region}:{}:function:{name}", ctx.account)
    };
    // Unqualified ARNs (7 parts) resolve to $LATEST.
    if arn.split(':').count() == 7 {
        format!("{arn}:$LATEST")
    } else {
        arn
    }
}

/// The cause text of an unhandled function error (Python runtime shape, as recorded).
pub fn function_error_cause(error_type: &str, message: &str, request_id: &str) -> String {
    json!({
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": [format!(
            "  File \"/var/task/handler.py\", line 2, in handler\n    raise {error_type}(\"{message}\")\n"
        )],
    })
    .to_string()
}

/// Lambda presets (both the optimized integration and plain function ARNs).
pub fn presets(
    info: &ResourceInfo,
    input: &Value,
    ids: &mut IdGen,
    ctx: &CallContext,
) -> Vec<ErrorPreset> {
    let arn = function_arn(info, input, ctx);
    let r1 = ids.uuid();
    let r2 = ids.uuid();
    let r3 = ids.uuid();
    let r4 = ids.uuid();
    let r5 = ids.uuid();
    let r6 = ids.uuid();
    let r7 = ids.uuid();
    let timed_out_at = iso8601(ctx.started_ms.saturating_add(3_000));
    vec![
        ErrorPreset::throw(
            "Function raises Exception",
            "The function code raises an unhandled error: the Error is its errorType and the Cause the JSON error payload (recorded on AWS).",
            "Exception",
            function_error_cause("Exception", "Some exception was raised.", &r1),
            false,
        ),
        ErrorPreset::throw(
            "Function raises a custom error",
            "The function raises its own error class (here CustomError), which Retry/Catch can match by name.",
            "CustomError",
            function_error_cause("CustomError", "Something went wrong in the function.", &r2),
            false,
        ),
        ErrorPreset::throw(
            "Function crashes without an error type (Lambda.Unknown)",
            "The function timed out inside Lambda or ran out of memory, so Lambda returned no error type.",
            "Lambda.Unknown",
            format!(
                "The cause could not be determined because Lambda did not return an error type. Returned payload: {}",
                json!({"errorMessage": format!("{timed_out_at} {r3} Task timed out after 3.00 seconds")})
            ),
            false,
        ),
        ErrorPreset::throw(
            "Lambda service error (Lambda.ServiceException)",
            "A transient error inside the Lambda service; AWS recommends retrying it.",
            "Lambda.ServiceException",
            v1_cause(
                "Lambda was unable to process the request due to an internal service error.",
                "AWSLambda",
                500,
                "ServiceException",
                &r4,
            ),
            false,
        ),
        ErrorPreset::throw(
            "Lambda API error (Lambda.AWSLambdaException)",
            "A transient error returned by the Lambda API without a modeled error code; AWS recommends retrying it.",
            "Lambda.AWSLambdaException",
            v1_cause("Service Unavailable", "AWSLambda", 503, "null", &r5),
            false,
        ),
        ErrorPreset::throw(
            "Network error (Lambda.SdkClientException)",
            "Step Functions could not reach Lambda (client-side SDK error); AWS recommends retrying it.",
            "Lambda.SdkClientException",
            "Unable to execute HTTP request: Read timed out",
            false,
        ),
        ErrorPreset::throw(
            "Throttled (Lambda.TooManyRequestsException)",
            "The function's concurrency or the account's invoke rate is exhausted.",
            "Lambda.TooManyRequestsException",
            v1_cause(
                "Rate Exceeded.",
                "AWSLambda",
                429,
                "TooManyRequestsException",
                &r6,
            ),
            false,
        ),
        ErrorPreset::throw(
            "Function not found (Lambda.ResourceNotFoundException)",
            "The function name or ARN does not exist (recorded on AWS).",
            "Lambda.ResourceNotFoundException",
            v1_cause(
                &format!("Function not found: {arn}"),
                "AWSLambda",
                404,
                "ResourceNotFoundException",
                &r7,
            ),
            false,
        ),
    ]
}
