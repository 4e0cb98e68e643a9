//! Structural mutations of every recorded definition (each value replaced by a value of
//! another JSON type, keys dropped): parse+validate never panics, and a runnable machine
//! is returned exactly when there is no error. Deterministic (fixed-seed xorshift).

use std::path::Path;

use stepwise_asl::json::{Value, json};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/cases.jsonl"
);

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every JSON pointer in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

#[test]
fn mutated_definitions_never_panic() {
    let Ok(text) = std::fs::read_to_string(Path::new(CASES)) else {
        eprintln!("skipped: {CASES} is absent");
        return;
    };
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("$.x[?(@.a"),
        json!("States.Format('{}'"),
        json!([]),
        json!({}),
        json!({"Type": "Map"}),
        json!("{% %}"),
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut parses = 0;
    for line in text.lines() {
        let Ok(case) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let def = &case["definition"];
        let mut ptrs = Vec::new();
        pointers(def, String::new(), &mut ptrs);
        for _ in 0..12 {
            let mut mutated = def.clone();
            let target = &ptrs[rng.below(ptrs.len())];
            if rng.below(4) == 0 {
                // Drop the member or element.
                if let Some((parent, last)) = target.rsplit_once('/')
                    && let Some(p) = mutated.pointer_mut(parent)
                {
                    match p {
                        Value::Object(m) => {
                            m.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                        }
                        Value::Array(a) => {
                            if let Ok(i) = last.parse::<usize>()
                                && i < a.len()
                            {
                                a.remove(i);
                            }
                        }
                        _ => {}
                    }
                }
            } else if let Some(slot) = mutated.pointer_mut(target) {
                *slot = replacements[rng.below(replacements.len())].clone();
            }
            let parsed = stepwise_asl::parse_value(&mutated);
            assert_eq!(
                parsed.machine.is_none(),
                parsed.has_errors(),
                "{target} in {}",
                case["id"]
            );
            // The text path too (spans, duplicate detection).
            let text = serde_json::to_string_pretty(&mutated).unwrap_or_default();
            let from_text = stepwise_asl::parse(&text);
            assert_eq!(
                from_text.has_errors(),
                parsed.has_errors(),
                "{target} in {}",
                case["id"]
            );
            parses += 2;
        }
    }
    println!("{parses} mutated definitions parsed");
}
