//! `stepwise link`: a `.stepwise.json` file becomes the same link the page makes; bad input →
//! a message on stderr and exit 2.

use std::path::PathBuf;
use std::process::{Command, Output};

use stepwise_engine::share;

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("link")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run stepwise: {e}"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-link-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const FILE: &str = r#"{
  "stepwise": 1,
  "definition": "{\n  \"StartAt\": \"Submit Batch Job\",\n  \"States\": {\"Submit Batch Job\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::batch:submitJob.sync\", \"End\": true}}\n}\n",
  "input": "{}",
  "outcomes": {"Submit Batch Job": [{"throw": {"Error": "Batch.ServerException", "Cause": "Internal Server Error"}}, null]},
  "cursor": 3,
  "selected": "Submit Batch Job",
  "view": {"stepBy": "state"}
}
"#;

#[test]
fn link_prints_the_fragment_or_the_url_and_decodes_back() {
    let dir = temp_dir("ok");
    let path = dir.join("scenario.stepwise.json");
    std::fs::write(&path, FILE).unwrap_or_else(|e| panic!("{e}"));
    let path = path.to_string_lossy().into_owned();
    let expected = share::Envelope::parse(FILE).unwrap_or_default();

    let out = bin(&[&path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fragment = text(&out.stdout).trim_end().to_string();
    assert!(fragment.starts_with("#v1/"), "{fragment}");
    assert_eq!(
        share::encode(&expected).ok(),
        Some(fragment.clone()),
        "same as the page's"
    );
    assert_eq!(share::decode(&fragment), Ok(expected.clone()));

    let out = bin(&[&path, "--base", "https://stepwise.example/app/?x=1#old"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let url = text(&out.stdout).trim_end().to_string();
    assert_eq!(url, format!("https://stepwise.example/app/?x=1{fragment}"));

    let out = bin(&["--decode", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(share::Envelope::parse(&text(&out.stdout)), Ok(expected));
}

#[test]
fn link_errors_go_to_stderr_with_exit_2() {
    let dir = temp_dir("bad");
    let write = |name: &str, contents: &str| {
        let p = dir.join(name);
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{e}"));
        p.to_string_lossy().into_owned()
    };
    let not_json = write("a.stepwise.json", "{");
    let wrong = write("b.stepwise.json", r#"{"outcomes": {"T": [{"throw": {}}]}}"#);
    let newer = write("c.stepwise.json", r#"{"stepwise": 2}"#);
    let huge = write(
        "d.stepwise.json",
        &format!("{{\"input\": \"{}\"}}", "x".repeat(share::MAX_JSON_BYTES)),
    );
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec![], "usage: stepwise link".into()),
        (
            vec![&not_json],
            format!("{not_json}: not JSON (line 1, column 1"),
        ),
        (
            vec![&wrong],
            format!("{wrong}: at /outcomes/T/0/throw: throw needs an Error name"),
        ),
        (
            vec![&newer],
            format!("{newer}: made by a newer Stepwise (format v2)"),
        ),
        (
            vec![&huge],
            format!("{huge}: This scenario is too large for a link"),
        ),
        (vec![&missing], format!("{missing}: cannot read")),
        (vec![&not_json, "--base"], "--base needs a value".into()),
        (
            vec![&not_json, "--frobnicate"],
            "unexpected argument '--frobnicate'".into(),
        ),
        (
            vec!["--decode", "#v1/"],
            "This link is damaged: there is nothing after #v1/".into(),
        ),
        (
            vec!["--decode", "#v7/AAAA"],
            "This link was made by a newer Stepwise (format v7)".into(),
        ),
    ];
    for (args, message) in cases {
        let out = bin(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(err.contains(&message), "{args:?}: {err}");
    }
}

#[test]
fn long_links_are_printed_with_a_note() {
    let dir = temp_dir("long");
    // Incompressible text: a long link, still well under the 1 MiB limit.
    let mut state = 1u64;
    let noise: String = (0..3000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            char::from(b'a' + ((state >> 33) % 26) as u8)
        })
        .collect();
    let path = dir.join("long.stepwise.json");
    std::fs::write(&path, format!("{{\"input\": \"{noise}\"}}")).unwrap_or_else(|e| panic!("{e}"));
    let out = bin(&[&path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0));
    let link = text(&out.stdout).trim_end().to_string();
    assert!(link.len() > share::CHAT_LIMIT, "{}", link.len());
    assert!(share::decode(&link).is_ok());
    let err = text(&out.stderr);
    assert!(
        err.contains("more than the 2000 many chats accept"),
        "{err}"
    );
    assert!(err.contains("has no \"definition\""), "{err}");
}
