//! `arn:aws:states:::sns:publish`: the Publish response and SNS error presets.
//!
//! Recorded on AWS (asl-semantics §2.2): `{"MessageId", "SdkHttpMetadata": {"AllHttpHeaders",
//! "HttpHeaders", "HttpStatusCode": 200}, "SdkResponseMetadata": {"RequestId"}}`; FIFO topics add
//! `SequenceNumber`. Errors are `SNS.<Code>Exception` with the Java SDK v1 cause suffix
//! `(Service: AmazonSNS; Status Code: …; Error Code: …; Request ID: …; Proxy: null)`.

use super::generic::{sdk_metadata, v1_cause, with_metadata};
use super::ids::http_date;
use super::{CallContext, ErrorPreset, IdGen};
use stepwise_asl::json::{Map, Value};

pub(crate) fn target(input: &Value) -> String {
    ["TopicArn", "TargetArn", "PhoneNumber"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))
        .unwrap_or("arn:aws:sns:us-east-1:123456789012:MyTopic")
        .to_string()
}

/// The Publish response for the effective input (`TopicArn` ending in `.fifo` adds a
/// `SequenceNumber`).
pub fn publish_response(input: &Value, ids: &mut IdGen, ctx: &CallContext) -> Value {
    let message_id = ids.uuid();
    let rid = ids.uuid();
    let fifo = target(input).ends_with(".fifo");
    let mut body = Map::new();
    body.insert("MessageId", Value::String(message_id.into()));
    if fifo {
        body.insert("SequenceNumber", Value::String(ids.digits(20).into()));
    }
    // Content-Length of the XML PublishResponse AWS returned in the recording (294 bytes); the
    // FIFO response carries a 20-digit SequenceNumber element in addition.
    let len = if fifo { "352" } else { "294" };
    let headers = [
        ("x-amzn-RequestId", rid.clone()),
        ("connection", "keep-alive".to_string()),
        ("Content-Length", len.to_string()),
        ("Date", http_date(ctx.finished_ms())),
        ("Content-Type", "text/xml".to_string()),
    ];
    with_metadata(body, sdk_metadata(&headers, &rid, 200))
}

/// SNS error presets: the error names follow `SNS.<Code>Exception`.
pub fn presets(input: &Value, ids: &mut IdGen, _ctx: &CallContext) -> Vec<ErrorPreset> {
    let topic = target(input);
    let mut rid = || ids.uuid();
    vec![
        ErrorPreset::throw(
            "Topic not found (SNS.NotFoundException)",
            "The TopicArn names no existing topic (recorded on AWS).",
            "SNS.NotFoundException",
            v1_cause("Topic does not exist", "AmazonSNS", 404, "NotFound", &rid()),
            false,
        ),
        ErrorPreset::throw(
            "Invalid parameter (SNS.InvalidParameterException)",
            "A parameter is missing or malformed, for example an empty Message.",
            "SNS.InvalidParameterException",
            v1_cause(
                "Invalid parameter: Empty message",
                "AmazonSNS",
                400,
                "InvalidParameter",
                &rid(),
            ),
            false,
        ),
        ErrorPreset::throw(
            "Not authorized (SNS.AuthorizationErrorException)",
            "The execution role has no sns:Publish permission on the topic.",
            "SNS.AuthorizationErrorException",
            v1_cause(
                &format!(
                    "User: arn:aws:sts::123456789012:assumed-role/StepFunctionsRole/session is not authorized to perform: SNS:Publish on resource: {topic} because no identity-based policy allows the SNS:Publish action"
                ),
                "AmazonSNS",
                403,
                "AuthorizationError",
                &rid(),
            ),
            false,
        ),
        ErrorPreset::throw(
            "Internal error (SNS.InternalErrorException)",
            "A transient failure inside SNS; retrying usually helps.",
            "SNS.InternalErrorException",
            v1_cause("Internal Error", "AmazonSNS", 500, "InternalError", &rid()),
            false,
        ),
        ErrorPreset::throw(
            "Throttled (SNS.ThrottledException)",
            "The account exceeded the Publish rate; retry with backoff.",
            "SNS.ThrottledException",
            v1_cause("Rate exceeded", "AmazonSNS", 400, "Throttled", &rid()),
            false,
        ),
        ErrorPreset::throw(
            "Endpoint disabled (SNS.EndpointDisabledException)",
            "The target endpoint (TargetArn) is disabled.",
            "SNS.EndpointDisabledException",
            v1_cause(
                "Endpoint is disabled",
                "AmazonSNS",
                400,
                "EndpointDisabled",
                &rid(),
            ),
            false,
        ),
    ]
}
