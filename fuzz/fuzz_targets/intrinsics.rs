//! Intrinsic parse + evaluate, and the same text as a payload template field.
//! Input: `<call>\n<JSON document>`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use stepwise_asl::intrinsics::{Intrinsic, SplitMix64};
use stepwise_asl::jsonpath::Scope;
use stepwise_asl::template::Template;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (call, doc) = text.split_once('\n').unwrap_or((text, ""));
    let input: Value = serde_json::from_str(doc).unwrap_or_else(|_| {
        json!({"s": "a,b,,c", "n": 3, "f": -1.5, "a": [1, 2, 2, [3]], "o": {"k": "v"}, "t": "{}"})
    });
    let vars = serde_json::Map::from_iter([("v".to_string(), input.clone())]);
    let scope = Scope {
        input: &input,
        context: &input,
        variables: &vars,
    };
    let mut rng = SplitMix64::new(1);
    if let Ok(c) = Intrinsic::parse(call) {
        let _ = c.eval(&scope, &mut rng);
    }
    if let Ok(t) = Template::compile(&json!({"x.$": call, "lit": [call]})) {
        let _ = t.eval(&scope, &mut rng);
    }
    if let Ok(t) = Template::compile(&input) {
        let _ = t.eval(&scope, &mut rng);
    }
});
