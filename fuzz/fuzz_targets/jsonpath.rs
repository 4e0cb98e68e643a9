//! JSONPath parse + evaluate + ResultPath set. Input: `<path>\n<JSON document>`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use stepwise_asl::jsonpath::{JsonPath, ReferencePath, Scope};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (path, doc) = text.split_once('\n').unwrap_or((text, ""));
    let input: Value = serde_json::from_str(doc).unwrap_or_else(
        |_| json!({"a": [1, {"b": "x", "c": [true, null]}], "d": {"e": 2.5, "f": "g"}, "": 0}),
    );
    let vars = serde_json::Map::from_iter([("v".to_string(), input.clone())]);
    let scope = Scope {
        input: &input,
        context: &input,
        variables: &vars,
    };
    if let Ok(p) = JsonPath::parse(path) {
        let _ = p.eval(&scope);
        let _ = p.eval_opt(&scope);
        let _ = p.normalized();
    }
    if let Ok(r) = ReferencePath::parse(path) {
        let _ = r.get(&scope);
        let mut target = input.clone();
        let _ = r.set(&mut target, json!({"set": 1}));
    }
});
