//! Validation rules, one definition per rule: the exact set of (code, pointer) reported —
//! nothing missing and no knock-on noise.

use stepwise_asl::{MachineType, ParseOptions, parse_with};

/// (name, definition, express?, expected "CODE@pointer" list; warnings prefixed "w:").
const CASES: &[(&str, &str, bool, &[&str])] = &[
    (
        "valid pass",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
        false,
        &[],
    ),
    (
        "missing next target",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nope"}}}"#,
        false,
        &["MISSING_TRANSITION_TARGET@/States/A/Next"],
    ),
    (
        "unreachable state",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Succeed"}}}"#,
        false,
        &["MISSING_TRANSITION_TARGET@/States/B"],
    ),
    (
        "missing StartAt target",
        r#"{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}"#,
        false,
        &["MISSING_TRANSITION_TARGET@/StartAt"],
    ),
    (
        "next and end",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/End",
            "MISSING_TRANSITION_TARGET@/States/B",
        ],
    ),
    (
        "neither next nor end",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass"}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A"],
    ),
    (
        "missing top-level fields",
        r#"{"Comment":"x"}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/"],
    ),
    (
        "unknown field",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Foo":1,"End":true}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/Foo"],
    ),
    (
        "missing type: no noise about its targets",
        r#"{"StartAt":"A","States":{"A":{"Next":"B"},"B":{"Type":"Succeed"}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A",
            "MISSING_TRANSITION_TARGET@/States/B",
        ],
    ),
    (
        "bad type",
        r#"{"StartAt":"A","States":{"A":{"Type":"Lambda","End":true}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/Type"],
    ),
    (
        "duplicate state key",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\n\"A\":{\"Type\":\"Succeed\"}}}",
        false,
        &["DUPLICATE_STATE_NAME@/States/A"],
    ),
    (
        "duplicate name across branches",
        r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"X","States":{"X":{"Type":"Succeed"}}},
            {"StartAt":"X","States":{"X":{"Type":"Succeed"}}}]}}}"#,
        false,
        &["DUPLICATE_STATE_NAME@/States/P/Branches/1/States/X"],
    ),
    (
        "next out of a branch",
        r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Done","Branches":[
            {"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Done"}}}]},"Done":{"Type":"Succeed"}}}"#,
        false,
        &["MISSING_TRANSITION_TARGET@/States/P/Branches/0/States/X/Next"],
    ),
    (
        "no terminal state",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}"#,
        false,
        &["MISSING_END_STATE@/States"],
    ),
    (
        "States.ALL not last / not alone",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
            "Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],
            "Catch":[{"ErrorEquals":["States.ALL","X"],"Next":"A"}]}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Retry/0/ErrorEquals",
            "SCHEMA_VALIDATION_FAILED@/States/A/Catch/0/ErrorEquals",
        ],
    ),
    (
        "retrier ranges",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
            "Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5,"IntervalSeconds":0,"JitterStrategy":"SOME"}]}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Retry/0/BackoffRate",
            "SCHEMA_VALIDATION_FAILED@/States/A/Retry/0/IntervalSeconds",
            "SCHEMA_VALIDATION_FAILED@/States/A/Retry/0/JitterStrategy",
        ],
    ),
    (
        "path pair exclusive, heartbeat vs timeout",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
            "TimeoutSeconds":5,"TimeoutSecondsPath":"$.t"},
            "B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"TimeoutSeconds":5,"HeartbeatSeconds":5}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/TimeoutSecondsPath",
            "SCHEMA_VALIDATION_FAILED@/States/B/HeartbeatSeconds",
            "MISSING_TRANSITION_TARGET@/States/B",
        ],
    ),
    (
        "bad template value, NO_DOLLAR",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,
            "Parameters":{"a.$":"not a path","b":"$.x","c":{"d.$":"States.Format('{}', $.x)"}}}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Parameters",
            "w:NO_DOLLAR@/States/A/Parameters",
        ],
    ),
    (
        "duplicate template key after .$",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"a.$":"$.x","a":1}}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/Parameters"],
    ),
    (
        "pass result is static",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":{"a.$":"$.x"}}}}"#,
        false,
        &["w:PASS_RESULT_IS_STATIC@/States/A/Result"],
    ),
    (
        "result path into context",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"ResultPath":"$$.Execution"}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/ResultPath"],
    ),
    (
        "result path not a reference path",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"ResultPath":"$.a[*]"}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/ResultPath"],
    ),
    (
        "jsonata machine with a JSONPath state",
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A",
            "w:UNSUPPORTED_FEATURE@/QueryLanguage",
        ],
    ),
    (
        "JSONPath-only field in JSONata, JSONata-only field in JSONPath",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","InputPath":"$.a","Next":"B"},
            "B":{"Type":"Pass","Output":{"x":1},"End":true}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/InputPath",
            "w:UNSUPPORTED_FEATURE@/States/A/QueryLanguage",
            "SCHEMA_VALIDATION_FAILED@/States/B/Output",
        ],
    ),
    (
        "valid JSONata machine: only the unsupported warning",
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input %}",
            "Assign":{"x":"{% 1 %}"},"Next":"C"},
            "C":{"Type":"Choice","Choices":[{"Condition":"{% $x = 1 %}","Next":"D"}],"Default":"D"},
            "D":{"Type":"Succeed"}}}"#,
        false,
        &["w:UNSUPPORTED_FEATURE@/QueryLanguage"],
    ),
    (
        "variable names",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Assign":{"1x":1,"states":2,"ok.$":"$.a","ok":3}}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Assign/1x",
            "SCHEMA_VALIDATION_FAILED@/States/A/Assign/states",
            "SCHEMA_VALIDATION_FAILED@/States/A/Assign/ok",
        ],
    ),
    (
        "choice rules",
        r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
            {"Variable":"$.a","Next":"D"},
            {"Variable":"$.a","NumericEquals":"1","Next":"D"},
            {"NumericEquals":1,"Next":"D"},
            {"And":[{"Variable":"$.a","IsPresent":true,"Next":"D"}],"Next":"D"},
            {"Not":{"Variable":"$.a","StringEqualsPath":"$.b"},"Next":"D"},
            {"Variable":"$.a","BooleanEquals":true}],"Default":"D"},
            "D":{"Type":"Succeed"}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/C/Choices/0",
            "SCHEMA_VALIDATION_FAILED@/States/C/Choices/1/NumericEquals",
            "SCHEMA_VALIDATION_FAILED@/States/C/Choices/2",
            "SCHEMA_VALIDATION_FAILED@/States/C/Choices/3/And/0/Next",
            "SCHEMA_VALIDATION_FAILED@/States/C/Choices/5",
        ],
    ),
    (
        "wait fields",
        r#"{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"Timestamp":"2020-01-01T00:00:00Z","Next":"B"},
            "B":{"Type":"Wait","Timestamp":"2020-01-01 00:00:00","Next":"C"},
            "C":{"Type":"Wait","SecondsPath":"$.a[*]","End":true}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Timestamp",
            "SCHEMA_VALIDATION_FAILED@/States/B/Timestamp",
            "SCHEMA_VALIDATION_FAILED@/States/C/SecondsPath",
        ],
    ),
    (
        "fail fields",
        r#"{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e","Cause":"$.c"}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/ErrorPath",
            "w:NO_PATH@/States/A/Cause",
        ],
    ),
    (
        "fail intrinsic cause path",
        r#"{"StartAt":"A","States":{"A":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('x {}', $.c)"}}}"#,
        false,
        &[],
    ),
    (
        "map label and distributed-only fields",
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"Label":"a b","ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},
            "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}"#,
        false,
        &[
            "INVALID_LABEL_NAME@/States/M/Label",
            "SCHEMA_VALIDATION_FAILED@/States/M/ItemReader",
        ],
    ),
    (
        "distributed map: unsupported warnings",
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"Label":"ok","ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}"#,
        false,
        &["w:UNSUPPORTED_FEATURE@/States/M/ItemReader"],
    ),
    (
        "map with both ItemSelector and Parameters",
        r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemSelector":{},"Parameters":{},
            "Iterator":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/M/Parameters"],
    ),
    (
        "express forbids .sync and activities",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync","Next":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:states:us-east-1:111111111111:activity:x","End":true}}}"#,
        true,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Resource",
            "SCHEMA_VALIDATION_FAILED@/States/B/Resource",
        ],
    ),
    (
        "unknown optimized integration api",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:query","End":true}}}"#,
        false,
        &["SCHEMA_VALIDATION_FAILED@/States/A/Resource"],
    ),
    (
        "catch without next, credentials without role",
        r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
            "Credentials":{},"Catch":[{"ErrorEquals":["X"]}]}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/States/A/Catch/0",
            "SCHEMA_VALIDATION_FAILED@/States/A/Credentials",
        ],
    ),
    (
        "wrong types at the top",
        r#"{"StartAt":"A","Version":1,"TimeoutSeconds":-1,"States":{"A":{"Type":"Succeed"}}}"#,
        false,
        &[
            "SCHEMA_VALIDATION_FAILED@/Version",
            "SCHEMA_VALIDATION_FAILED@/TimeoutSeconds",
        ],
    ),
    (
        "invalid json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}",
        false,
        &["INVALID_JSON_DESCRIPTION@/"],
    ),
    ("empty", "   ", false, &["SCHEMA_VALIDATION_FAILED@/"]),
    (
        "not an object",
        "[1]",
        false,
        &["SCHEMA_VALIDATION_FAILED@/"],
    ),
];

#[test]
fn validation_rules() {
    let mut failures = Vec::new();
    for (name, text, express, expected) in CASES {
        let options = ParseOptions {
            machine_type: if *express {
                MachineType::Express
            } else {
                MachineType::Standard
            },
        };
        let parsed = parse_with(text, &options);
        let mut got: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let w = if d.is_error() { "" } else { "w:" };
                format!("{w}{}@{}", d.code, d.pointer)
            })
            .collect();
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        if got != want {
            let detail: Vec<String> = parsed
                .diagnostics
                .iter()
                .map(|d| format!("{} {} at {}", d.code, d.message, d.pointer))
                .collect();
            failures.push(format!(
                "{name}:\n   want {want:?}\n   got  {got:?}\n   {detail:#?}"
            ));
        }
        // Every diagnostic of text input carries a span; errors mean no runnable machine.
        if !parsed.diagnostics.iter().all(|d| d.span.is_some()) {
            failures.push(format!("{name}: a diagnostic has no span"));
        }
        if parsed.machine.is_none() != parsed.has_errors() {
            failures.push(format!("{name}: machine presence disagrees with errors"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_json_position() {
    let parsed = parse_with(
        "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}",
        &ParseOptions::default(),
    );
    let d = &parsed.diagnostics[0];
    let span = d.span.unwrap_or_else(|| panic!("no span"));
    assert_eq!((span.start.line, span.start.column), (3, 14), "{d:?}");
}
