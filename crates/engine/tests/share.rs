//! Share links: every bad input gets its own message, tampering is always detected, and 1,000
//! generated scenarios survive encode → decode unchanged.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use stepwise_asl::json::{Map, Value, json};
use stepwise_engine::outcome::{Outcome, PlannedOutcome};
use stepwise_engine::scenario::RunContext;
use stepwise_engine::share::{
    self, EditorTab, EncodeError, Envelope, EnvelopeError, LinkError, StepBy, View,
};

fn sample_envelope() -> Envelope {
    let mut env = Envelope {
        sample: Some("batch-catch-notify".into()),
        definition: Some(
            "{\n  \"StartAt\": \"Submit Batch Job\",\n  \"States\": {\n    \"Submit Batch Job\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::batch:submitJob.sync\", \"End\": true}\n  }\n}\n"
                .into(),
        ),
        input: Some("{\"a\": 1}\n".into()),
        seed: Some(7),
        cursor: Some(4),
        selected: Some("Submit Batch Job".into()),
        view: View {
            step_by: Some(StepBy::State),
            ask: Some(true),
            tab: Some(EditorTab::Input),
            speed: Some(2),
            extra: Map::new(),
        },
        ..Envelope::default()
    };
    env.set_outcome(
        "Submit Batch Job",
        1,
        Some(PlannedOutcome::new(Outcome::throw(
            "Batch.ServerException",
            "Internal Server Error",
        ))),
    );
    env
}

fn link(env: &Envelope) -> String {
    share::encode(env).unwrap_or_default()
}

fn payload(bytes: &[u8]) -> String {
    share::encode_payload(bytes).unwrap_or_default()
}

/// A link around raw deflate data of our choosing, with a correct checksum.
fn link_of_deflate(deflated: &[u8], json_for_crc: &[u8]) -> String {
    let mut bin = deflated.to_vec();
    bin.extend_from_slice(&share::crc32(json_for_crc).to_be_bytes());
    format!("#v1/{}", URL_SAFE_NO_PAD.encode(bin))
}

#[test]
fn round_trip_keeps_every_field_and_is_deterministic() {
    let env = sample_envelope();
    let l = link(&env);
    assert!(l.starts_with("#v1/"), "{l}");
    assert_eq!(share::decode(&l), Ok(env.clone()));
    assert_eq!(link(&env), l, "encoding is deterministic");
    // The same link inside a whole URL, without '#', or with surrounding whitespace.
    let forms = [
        share::url("https://stepwise.example/?sample=x#old", &l),
        l.trim_start_matches('#').to_string(),
        format!("  {l}\n"),
    ];
    for form in forms {
        assert_eq!(share::decode(&form), Ok(env.clone()), "{form}");
    }
    assert!(share::looks_like_link(&l));
    assert!(share::looks_like_link("https://x/#v9/abc"));
    assert!(!share::looks_like_link("#section-2"));
    // The file form is the same JSON.
    assert_eq!(Envelope::parse(&env.to_file_text()), Ok(env.clone()));
    assert_eq!(
        env.to_json().get("stepwise"),
        Some(&json!(1)),
        "the marker is always written"
    );
}

#[test]
fn every_bad_input_has_its_own_message() {
    let good = link(&sample_envelope());
    let half = good.get(..good.len() / 2).unwrap_or("").to_string();
    let mut bomb_deflate = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 10 << 20], 10);
    let bomb_len = bomb_deflate.len();
    bomb_deflate.extend_from_slice(&[0, 0, 0, 0]);
    let bomb = format!("#v1/{}", URL_SAFE_NO_PAD.encode(&bomb_deflate));
    let not_json_deflate = miniz_oxide::deflate::compress_to_vec(b"hello, world", 10);
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "empty fragment",
            String::new(),
            "empty",
            "This link is damaged: it is empty",
        ),
        (
            "only a hash",
            "#".into(),
            "empty",
            "This link is damaged: it is empty",
        ),
        (
            "#v1/ with nothing",
            "#v1/".into(),
            "no-data",
            "This link is damaged: there is nothing after #v1/",
        ),
        (
            "#v1 without slash",
            "#v1".into(),
            "no-data",
            "nothing after #v1/",
        ),
        (
            "not ours",
            "#hello".into(),
            "no-version",
            "does not start with a Stepwise format marker like #v1/ (it starts with \"hello\")",
        ),
        (
            "v0",
            "#v0/AAAA".into(),
            "no-version",
            "This link is damaged",
        ),
        (
            "leading zero",
            "#v01/AAAA".into(),
            "no-version",
            "This link is damaged",
        ),
        (
            "future version",
            "#v9/abc".into(),
            "newer",
            "This link was made by a newer Stepwise (format v9); this page reads v1.",
        ),
        (
            "far future version",
            "#v12345678901234567890123/x".into(),
            "newer",
            "format v12345678901234567890123",
        ),
        (
            "future version, no data",
            "#v2".into(),
            "newer",
            "format v2",
        ),
        (
            "percent sign",
            "#v1/abc%20def".into(),
            "bad-character",
            "character 8 ('%') cannot appear in a Stepwise link",
        ),
        (
            "padding",
            "#v1/abcdef==".into(),
            "bad-character",
            "character 11 ('=')",
        ),
        (
            "non-ASCII",
            "#v1/ab\u{e9}cd".into(),
            "bad-character",
            "character 7 ('\u{e9}')",
        ),
        (
            "space",
            "#v1/ab cd".into(),
            "bad-character",
            "character 7 (a space)",
        ),
        (
            "position in a whole URL",
            "https://x.org/#v1/ab.c".into(),
            "bad-character",
            "character 21 ('.')",
        ),
        (
            "impossible length",
            "#v1/A".into(),
            "bad-length",
            "impossible length (1 characters)",
        ),
        ("half the link", half.clone(), "", "This link is damaged:"),
        (
            "last symbol with stray bits",
            "#v1/AB".into(),
            "bad-last-character",
            "its last character ('B', character 6)",
        ),
        (
            "not deflate",
            "#v1/_____w".into(),
            "not-deflate",
            "does not decompress",
        ),
        (
            "a 10 MB bomb",
            bomb,
            "too-large",
            "decompresses to more than 1 MiB",
        ),
        (
            "deflate of non-JSON",
            link_of_deflate(&not_json_deflate, b"hello, world"),
            "not-json",
            "its contents are not JSON (line 1, column 1: expected value)",
        ),
        (
            "deflate without checksum",
            format!("#v1/{}", URL_SAFE_NO_PAD.encode(&not_json_deflate)),
            "checksum-missing",
            "its checksum is missing",
        ),
        (
            "bytes added",
            format!("{good}AAAA"),
            "trailing-data",
            "3 unexpected bytes",
        ),
        (
            "not UTF-8",
            payload(&[b'"', 0xff, 0xfe, b'"']),
            "not-text",
            "not text (invalid UTF-8 at byte 1)",
        ),
        (
            "JSON array",
            payload(b"[1,2]"),
            "wrong-shape",
            "This link is damaged: a Stepwise scenario must be a JSON object, found an array.",
        ),
        (
            "cursor is text",
            payload(br#"{"cursor":"x"}"#),
            "wrong-shape",
            "at /cursor: cursor must be a non-negative whole number",
        ),
        (
            "negative seed",
            payload(br#"{"seed":-1}"#),
            "wrong-shape",
            "at /seed: seed must be a non-negative whole number, found -1",
        ),
        (
            "outcomes not a list",
            payload(br#"{"outcomes":{"T":{"0":1}}}"#),
            "wrong-shape",
            "at /outcomes/T: the outcomes of 'T' must be a list",
        ),
        (
            "bad outcome",
            payload(br#"{"outcomes":{"a/b":[null,{"throw":{"Error":7}}]}}"#),
            "wrong-shape",
            "at /outcomes/a~1b/1/throw/Error: Error must be a string",
        ),
        (
            "unknown outcome kind",
            payload(br#"{"outcomes":{"T":[{"explode":true}]}}"#),
            "wrong-shape",
            "at /outcomes/T/0/explode: unknown key 'explode'",
        ),
        (
            "bad context",
            payload(br#"{"context":{"startTime":"yesterday"}}"#),
            "wrong-shape",
            "at /context/startTime",
        ),
        (
            "view step not text",
            payload(br#"{"view":{"stepBy":3}}"#),
            "wrong-shape",
            "at /view/stepBy: stepBy must be a string, found a number",
        ),
        (
            "definition is a number",
            payload(br#"{"definition":3}"#),
            "wrong-shape",
            "at /definition",
        ),
        (
            "bad marker",
            payload(br#"{"stepwise":"one"}"#),
            "wrong-shape",
            "at /stepwise",
        ),
        (
            "newer marker inside",
            payload(br#"{"stepwise":3}"#),
            "newer",
            "This link was made by a newer Stepwise (format v3); this page reads v1.",
        ),
    ];
    for (name, input, kind, message) in cases {
        let started = std::time::Instant::now();
        let got = share::decode(&input);
        let Err(e) = got else {
            panic!("{name}: decoded to {got:?}");
        };
        if !kind.is_empty() {
            assert_eq!(e.kind(), kind, "{name}: {e}");
        }
        let text = e.to_string();
        assert!(text.contains(message), "{name}: {text}");
        assert!(
            text.starts_with("This link is damaged: ") || e.is_newer(),
            "{name}: {text}"
        );
        assert!(started.elapsed().as_secs() < 5, "{name} took too long");
    }
    assert!(
        bomb_len < 20_000,
        "the bomb link is small ({bomb_len} bytes)"
    );
    // Cut anywhere: always one of the "cut off" messages.
    let cut_kinds = [
        "truncated",
        "bad-length",
        "bad-last-character",
        "checksum-missing",
    ];
    for end in 5..good.len() {
        let cut = good.get(..end).unwrap_or("");
        match share::decode(cut) {
            Err(e) => assert!(cut_kinds.contains(&e.kind()), "cut at {end}: {e}"),
            Ok(env) => panic!("cut at {end} decoded: {env:?}"),
        }
    }
}

#[test]
fn any_changed_character_is_detected() {
    let original_env = sample_envelope();
    let good = link(&original_env);
    let alphabet: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .chain(['-', '_'])
        .collect();
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (i, original) in good.char_indices() {
        for offset in [1usize, 17, 40] {
            let idx = alphabet.iter().position(|c| *c == original).unwrap_or(0);
            let replacement = alphabet
                .get((idx + offset) % alphabet.len())
                .copied()
                .unwrap_or('A');
            if replacement == original {
                continue;
            }
            let mut changed = good.clone();
            changed.replace_range(i..i + original.len_utf8(), &replacement.to_string());
            match share::decode(&changed) {
                // Padding bits after the last deflate block are ignored by every inflater: such
                // a change opens exactly the author's scenario (the checksum proves it).
                Ok(env) if env == original_env => *kinds.entry("same scenario").or_default() += 1,
                Ok(env) => panic!("changing character {i} to {replacement} opened {env:?}"),
                Err(e) => *kinds.entry(e.kind()).or_default() += 1,
            }
        }
    }
    println!("one changed character → {kinds:?}");
    assert!(kinds.contains_key("checksum-mismatch"), "{kinds:?}");
}

#[test]
fn links_from_a_newer_minor_version_still_open() {
    let newer = json!({
        "stepwise": 1,
        "definition": "{}",
        "annotations": [{"at": 3, "text": "look here"}],
        "theme": null,
        "view": {"stepBy": "attempt", "tab": "definition", "zoom": 1.5},
        "cursor": 2
    });
    let l = payload(newer.to_string().as_bytes());
    let env = share::decode(&l).unwrap_or_default();
    assert_eq!(env.cursor, Some(2));
    assert_eq!(env.view.step_by, None, "an unknown stepBy reads as absent");
    assert_eq!(env.view.tab, Some(EditorTab::Definition));
    assert_eq!(
        env.extra.keys().collect::<Vec<_>>(),
        ["annotations", "theme"]
    );
    assert_eq!(
        env.view.extra.keys().collect::<Vec<_>>(),
        ["stepBy", "zoom"]
    );
    // Re-sharing keeps what this version did not understand.
    assert_eq!(share::decode(&link(&env)), Ok(env.clone()));
    assert_eq!(env.to_json(), newer);
    // Every field is optional.
    assert_eq!(share::decode(&payload(b"{}")), Ok(Envelope::default()));
    assert_eq!(
        share::decode(&payload(br#"{"stepwise":1,"cursor":null,"selected":null}"#)),
        Ok(Envelope::default())
    );
}

#[test]
fn files_are_read_leniently_and_report_pointers() {
    let text = r#"{"definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, "input": {"x": 1}}"#;
    let env = Envelope::parse(text).unwrap_or_default();
    assert!(
        env.definition_text()
            .unwrap_or("")
            .contains("\"StartAt\": \"A\"")
    );
    assert_eq!(env.input_text(), "{\n  \"x\": 1\n}\n");
    assert_eq!(Envelope::default().input_text(), "{}");
    let bad = [
        (
            "{",
            "not JSON (line 1, column 1: EOF while parsing an object)",
        ),
        (
            r#"{"cursor": 1.5}"#,
            "at /cursor: cursor must be a non-negative whole number (an event index), found 1.5",
        ),
        (
            r#"{"stepwise": 2}"#,
            "made by a newer Stepwise (format v2); this version reads v1",
        ),
    ];
    for (text, message) in bad {
        let got = Envelope::parse(text).map_err(|e| e.to_string());
        assert_eq!(got, Err(message.to_string()), "{text}");
    }
    assert!(Envelope::is_envelope(&json!({"stepwise": 1})));
    assert!(Envelope::is_envelope(&json!({"definition": "{}"})));
    assert!(!Envelope::is_envelope(&json!({"seed": 1, "tasks": {}})));
}

#[test]
fn the_scenario_carries_seed_context_and_outcomes() {
    let mut env = sample_envelope();
    env.context = Some(RunContext {
        execution_name: "run-1".into(),
        ..RunContext::default()
    });
    let scenario = env.scenario().unwrap_or_default();
    assert_eq!(scenario.seed, 7);
    assert_eq!(scenario.context.execution_name, "run-1");
    assert_eq!(
        scenario.planned("Submit Batch Job", 0),
        None,
        "null = default"
    );
    assert_eq!(
        scenario.planned("Submit Batch Job", 1).map(|p| &p.outcome),
        Some(&Outcome::throw(
            "Batch.ServerException",
            "Internal Server Error"
        ))
    );
    assert_eq!(Envelope::default().scenario().map(|s| s.seed), Ok(0));
}

#[test]
fn too_large_scenarios_are_refused_when_sharing() {
    let env = Envelope {
        input: Some("x".repeat(share::MAX_JSON_BYTES)),
        ..Envelope::default()
    };
    match share::encode(&env) {
        Err(e @ EncodeError::TooLarge { .. }) => {
            assert!(
                e.to_string()
                    .contains("Download it as a .stepwise.json file"),
                "{e}"
            )
        }
        Ok(l) => panic!("encoded {} characters", l.len()),
    }
    // Just under the limit still opens (and inflating it is not mistaken for a bomb).
    let json_overhead = r#"{"stepwise":1,"input":""}"#.len();
    let env = Envelope {
        input: Some("y".repeat(share::MAX_JSON_BYTES - json_overhead)),
        ..Envelope::default()
    };
    let l = link(&env);
    assert_eq!(
        share::decode(&l).map(|e| e.input.map(|i| i.len())),
        Ok(env.input.map(|i| i.len()))
    );
}

#[test]
fn error_messages_of_envelopes_become_link_messages() {
    let e: LinkError = EnvelopeError::Shape {
        pointer: "/view".into(),
        message: "view must be an object, found a number".into(),
    }
    .into();
    assert_eq!(
        e.to_string(),
        "This link is damaged: at /view: view must be an object, found a number."
    );
}

// ---- property test: 1,000 generated scenarios ----------------------------------------------

/// splitmix64: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or("")
    }
    fn text(&mut self, max: u64) -> String {
        const PIECES: [&str; 16] = [
            "a",
            "Submit Batch Job",
            " ",
            "\n",
            "\t",
            "\"",
            "\\",
            "<script>alert(1)</script>",
            "\"><img onerror=alert(1)>",
            "é",
            "日本",
            "🦀",
            "\u{0}",
            "\u{200b}",
            "/",
            "~",
        ];
        let n = self.below(max + 1);
        (0..n).map(|_| self.pick(&PIECES)).collect()
    }
    fn json(&mut self, depth: u32) -> Value {
        match self.below(if depth == 0 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => Value::from(self.next() as i64),
            3 => {
                let f = (self.next() as i64 as f64) / 1024.0;
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
            4 => Value::String(self.text(6).into()),
            5 => Value::Array((0..self.below(4)).map(|_| self.json(depth - 1)).collect()),
            _ => {
                let mut m = Map::new();
                for _ in 0..self.below(4) {
                    let k = self.text(3);
                    let v = self.json(depth - 1);
                    m.insert(k, v);
                }
                Value::Object(m)
            }
        }
    }
    fn outcome(&mut self) -> PlannedOutcome {
        let outcome = match self.below(4) {
            0 => Outcome::Return(self.json(3)),
            1 => {
                let mut error = self.text(3);
                if error.is_empty() {
                    error = "States.TaskFailed".into();
                }
                Outcome::throw(error, self.text(8))
            }
            2 => Outcome::TimeOut,
            _ => Outcome::Echo,
        };
        PlannedOutcome {
            outcome,
            duration_ms: self.chance(40).then(|| self.next() >> self.below(64)),
        }
    }
    fn envelope(&mut self) -> Envelope {
        let mut env = Envelope::default();
        if self.chance(70) {
            env.definition = Some(self.text(40));
        }
        if self.chance(60) {
            env.input = Some(self.text(10));
        }
        if self.chance(30) {
            env.sample = Some(
                self.pick(&["batch-catch-notify", "batch-fan-out-map", "x"])
                    .into(),
            );
        }
        if self.chance(40) {
            env.seed = Some(self.next());
        }
        if self.chance(20) {
            env.context = Some(RunContext {
                account_id: self.text(3),
                region: self.pick(&["us-east-1", "eu-west-3"]).into(),
                partition: "aws".into(),
                state_machine_name: self.text(4),
                execution_name: self.text(4),
                role_arn: self.text(4),
                start_time_ms: self.below(4_102_444_800_000) as i64,
            });
        }
        for _ in 0..self.below(4) {
            let state = self.text(4);
            let list = (0..self.below(5))
                .map(|_| self.chance(60).then(|| self.outcome()))
                .collect();
            env.outcomes.insert(state, list);
        }
        if self.chance(60) {
            env.cursor = Some(self.below(10_000) as usize);
        }
        if self.chance(40) {
            env.selected = Some(self.text(4));
        }
        if self.chance(50) {
            env.view.step_by = Some(if self.chance(50) {
                StepBy::Event
            } else {
                StepBy::State
            });
        }
        if self.chance(50) {
            env.view.ask = Some(self.chance(50));
        }
        if self.chance(50) {
            env.view.tab = Some(if self.chance(50) {
                EditorTab::Definition
            } else {
                EditorTab::Input
            });
        }
        if self.chance(30) {
            env.view.speed = Some(self.below(100) as u32);
        }
        if self.chance(15) {
            let v = self.json(2);
            env.view.extra.insert(format!("future{}", self.below(9)), v);
        }
        if self.chance(15) {
            let v = self.json(2);
            env.extra.insert(format!("future{}", self.below(9)), v);
        }
        env
    }
}

#[test]
fn a_thousand_generated_scenarios_round_trip() {
    let mut rng = Rng(0x5EED_F57E_0000_0001);
    let mut longest = 0;
    for i in 0..1000 {
        let env = rng.envelope();
        let l = share::encode(&env).map_err(|e| e.to_string());
        let Ok(l) = l else {
            panic!("scenario {i}: {l:?}");
        };
        longest = longest.max(l.len());
        assert_eq!(share::decode(&l), Ok(env.clone()), "scenario {i}");
        assert_eq!(
            Envelope::parse(&env.to_file_text()),
            Ok(env),
            "file of scenario {i}"
        );
    }
    println!("longest generated link: {longest} characters");
}
