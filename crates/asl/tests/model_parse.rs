//! The typed model built from definitions: fields, defaults, pointers and spans.

use stepwise_asl::json::json;
use stepwise_asl::*;

const RETRY_CATCH: &str = r#"{
  "Comment": "demo",
  "StartAt": "Submit",
  "TimeoutSeconds": 3600,
  "States": {
    "Submit": {
      "Type": "Task",
      "Resource": "arn:aws:states:::batch:submitJob.sync",
      "Parameters": {"JobName": "x", "Size.$": "$.size"},
      "ResultPath": null,
      "TimeoutSecondsPath": "$.t",
      "Next": "Check",
      "Retry": [
        {"ErrorEquals": ["Batch.AWSBatchException"], "MaxDelaySeconds": 5, "JitterStrategy": "FULL"},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 2, "BackoffRate": 1.5}
      ],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}]
    },
    "Check": {
      "Type": "Choice",
      "Choices": [
        {"And": [{"Variable": "$.a", "IsPresent": true}, {"Not": {"Variable": "$.a", "StringEqualsPath": "$.b"}}], "Next": "Wait"},
        {"Variable": "$.n", "NumericGreaterThanEquals": 3, "Next": "Failed", "Assign": {"x": 1}}
      ],
      "Default": "Done"
    },
    "Wait": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Fan"},
    "Fan": {
      "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
      "Parameters": {"v.$": "$$.Map.Item.Value"},
      "Iterator": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Result": null, "End": true}}},
      "Next": "Both"
    },
    "Both": {
      "Type": "Parallel", "Next": "Done",
      "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Succeed"}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Wait", "Timestamp": "2024-01-01T00:00:00Z", "End": true}}}
      ]
    },
    "Done": {"Type": "Succeed", "OutputPath": "$.out"},
    "Failed": {"Type": "Fail", "Error": "Oops", "CausePath": "$.cause"}
  }
}"#;

#[test]
fn model_of_a_full_definition() {
    let parsed = parse(RETRY_CATCH);
    let errors: Vec<_> = parsed.errors().collect();
    assert!(errors.is_empty(), "{errors:?}");
    let m = parsed
        .machine
        .as_ref()
        .unwrap_or_else(|| panic!("no machine"));
    assert_eq!(m.comment.as_deref(), Some("demo"));
    assert_eq!(m.timeout_seconds, Some(3600));
    assert_eq!(m.query_language, QueryLanguage::JsonPath);
    let names: Vec<&str> = m.states.names().collect();
    assert_eq!(
        names,
        ["Submit", "Check", "Wait", "Fan", "Both", "Done", "Failed"]
    );
    assert_eq!(m.start_state().map(|s| s.name.as_str()), Some("Submit"));

    let submit = m.states.get("Submit").unwrap_or_else(|| panic!("Submit"));
    assert_eq!(submit.pointer, "/States/Submit");
    assert_eq!(submit.result_path, PathField::Null);
    assert_eq!(submit.input_path, PathField::Absent);
    assert_eq!(
        submit.parameters,
        Some(json!({"JobName": "x", "Size.$": "$.size"}))
    );
    let StateKind::Task(task) = &submit.kind else {
        panic!("Task")
    };
    assert_eq!(task.resource, "arn:aws:states:::batch:submitJob.sync");
    assert_eq!(task.timeout_seconds, Some(Setting::Path("$.t".into())));
    assert_eq!(task.transition, Transition::Next("Check".into()));
    // Retrier defaults: 1 s, 3 attempts, rate 2.0.
    assert_eq!(submit.retry.len(), 2);
    let r0 = &submit.retry[0];
    assert_eq!(
        (
            r0.interval_seconds,
            r0.max_attempts,
            r0.backoff_rate,
            r0.max_delay_seconds,
            r0.jitter
        ),
        (1, 3, 2.0, Some(5), Jitter::Full)
    );
    assert_eq!(r0.pointer, "/States/Submit/Retry/0");
    let r1 = &submit.retry[1];
    assert_eq!(
        (r1.interval_seconds, r1.max_attempts, r1.backoff_rate),
        (30, 2, 1.5)
    );
    assert_eq!(submit.catch[0].next, "Failed");
    assert_eq!(
        submit.catch[0].result_path,
        PathField::Path("$.error".into())
    );
    assert_eq!(submit.catch[0].pointer, "/States/Submit/Catch/0");
    assert_eq!(submit.successors(), ["Check", "Failed"]);

    let check = m.states.get("Check").unwrap_or_else(|| panic!("Check"));
    let StateKind::Choice(choice) = &check.kind else {
        panic!("Choice")
    };
    assert_eq!(choice.default.as_deref(), Some("Done"));
    assert_eq!(choice.choices[0].pointer, "/States/Check/Choices/0");
    assert_eq!(
        choice.choices[0].rule,
        ChoiceRule::And(vec![
            ChoiceRule::Data {
                variable: "$.a".into(),
                op: ComparisonOp::IsPresent,
                operand: Operand::Literal(json!(true)),
            },
            ChoiceRule::Not(Box::new(ChoiceRule::Data {
                variable: "$.a".into(),
                op: ComparisonOp::StringEquals,
                operand: Operand::Path("$.b".into()),
            })),
        ])
    );
    assert_eq!(choice.choices[1].assign, Some(json!({"x": 1})));
    assert!(check.transition().is_none());

    let StateKind::Wait(wait) = &m.states.get("Wait").unwrap_or_else(|| panic!("Wait")).kind else {
        panic!("Wait")
    };
    assert_eq!(wait.wait, WaitFor::Seconds(Setting::Path("$.s".into())));

    let StateKind::Map(map) = &m.states.get("Fan").unwrap_or_else(|| panic!("Fan")).kind else {
        panic!("Map")
    };
    assert!(map.legacy_iterator && map.legacy_parameters);
    assert_eq!(map.items_path, PathField::Path("$.items".into()));
    assert_eq!(map.max_concurrency, Some(Setting::Literal(1)));
    assert_eq!(map.item_selector, Some(json!({"v.$": "$$.Map.Item.Value"})));
    assert_eq!(map.item_processor.pointer, "/States/Fan/Iterator");
    let inner = map
        .item_processor
        .states
        .get("Inner")
        .unwrap_or_else(|| panic!("Inner"));
    assert_eq!(inner.pointer, "/States/Fan/Iterator/States/Inner");
    assert_eq!(
        inner.kind,
        StateKind::Pass(PassState {
            result: Some(json!(null)),
            transition: Transition::End
        })
    );

    let StateKind::Parallel(par) = &m.states.get("Both").unwrap_or_else(|| panic!("Both")).kind
    else {
        panic!("Parallel")
    };
    assert_eq!(par.branches.len(), 2);
    assert_eq!(
        par.branches[1].states.get("B2").map(|s| s.pointer.as_str()),
        Some("/States/Both/Branches/1/States/B2")
    );

    let StateKind::Fail(fail) = &m
        .states
        .get("Failed")
        .unwrap_or_else(|| panic!("Failed"))
        .kind
    else {
        panic!("Fail")
    };
    assert_eq!(fail.error, Some(Setting::Literal("Oops".into())));
    assert_eq!(fail.cause, Some(Setting::Path("$.cause".into())));

    assert_eq!(m.all_states().len(), 10);

    // Spans: the key and value of a state, a nested field, and the state under a cursor.
    let key = parsed
        .spans
        .key("/States/Submit")
        .unwrap_or_else(|| panic!("key span"));
    assert_eq!((key.start.line, key.start.column), (6, 5));
    let v = parsed
        .spans
        .value("/States/Submit/Retry/1/MaxAttempts")
        .unwrap_or_else(|| panic!("value span"));
    assert_eq!((v.start.line, v.start.column, v.end.column), (15, 79, 80));
    assert_eq!(
        parsed.spans.pointer_at(v.start.offset),
        Some("/States/Submit/Retry/1/MaxAttempts")
    );
}

#[test]
fn outline_survives_errors_and_value_input_matches_text() {
    let broken =
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Bogus"}}}"#;
    let parsed = parse(broken);
    assert!(parsed.has_errors() && parsed.machine.is_none());
    let outline = parsed.outline.unwrap_or_else(|| panic!("outline"));
    assert_eq!(outline.states.names().collect::<Vec<_>>(), ["A"]);

    let value: stepwise_asl::json::Value = serde_json::from_str(RETRY_CATCH).unwrap_or_default();
    let from_value = parse_value(&value);
    let from_text = parse(RETRY_CATCH);
    assert_eq!(from_value.machine, from_text.machine);
    assert!(from_value.spans.is_empty());
}

#[test]
fn jsonata_model() {
    let def = json!({
        "QueryLanguage": "JSONata", "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                  "Output": "{% $states.result.Payload %}", "TimeoutSeconds": "{% $t %}",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "C"}],
                  "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.ok %}", "Next": "W", "Output": {"a": 1}}], "Default": "W"},
            "W": {"Type": "Wait", "Seconds": "{% 1 %}", "End": true}
        }
    });
    let parsed = parse_value(&def);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert!(parsed.warnings().any(|d| d.code == "UNSUPPORTED_FEATURE"));
    let m = parsed.machine.unwrap_or_else(|| panic!("machine"));
    let t = m.states.get("T").unwrap_or_else(|| panic!("T"));
    assert_eq!(t.query_language, QueryLanguage::Jsonata);
    assert_eq!(t.output, Some(json!("{% $states.result.Payload %}")));
    let StateKind::Task(task) = &t.kind else {
        panic!("Task")
    };
    assert_eq!(
        task.timeout_seconds,
        Some(Setting::Expression("{% $t %}".into()))
    );
    assert_eq!(t.catch[0].output, Some(json!("{% $states.errorOutput %}")));
    let StateKind::Choice(c) = &m.states.get("C").unwrap_or_else(|| panic!("C")).kind else {
        panic!("Choice")
    };
    assert_eq!(
        c.choices[0].rule,
        ChoiceRule::Condition(json!("{% $states.input.ok %}"))
    );
}

/// Every prefix and every single-byte corruption of a definition parses without a panic;
/// invalid JSON yields exactly one INVALID_JSON_DESCRIPTION with a position in the text.
#[test]
fn truncated_and_corrupted_text_never_panics() {
    let text = RETRY_CATCH;
    for (i, _) in text.char_indices() {
        let prefix = &text[..i];
        let parsed = parse(prefix);
        if prefix.trim().is_empty() {
            assert_eq!(parsed.diagnostics[0].code, "SCHEMA_VALIDATION_FAILED");
            continue;
        }
        assert_eq!(parsed.diagnostics.len(), 1, "prefix {i}");
        let d = &parsed.diagnostics[0];
        assert_eq!(d.code, "INVALID_JSON_DESCRIPTION", "prefix {i}");
        let span = d.span.unwrap_or_else(|| panic!("no span at prefix {i}"));
        assert!(span.start.offset as usize <= i, "prefix {i}: {span:?}");
    }
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        for replacement in [b'"', b'{', b']', b'x', b'\\', b'$'] {
            let mut mutated = bytes.to_vec();
            mutated[i] = replacement;
            if let Ok(s) = String::from_utf8(mutated) {
                let parsed = parse(&s);
                assert_eq!(parsed.machine.is_none(), parsed.has_errors());
            }
        }
    }
}
