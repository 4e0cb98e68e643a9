//! `stepwise link FILE [--base URL]`: print the share link of a `.stepwise.json` file (the URL
//! fragment `#v1/…`, or with `--base` the whole URL), so links can be made in CI.
//! `stepwise link --decode LINK`: print the `.stepwise.json` a link (fragment or URL) holds.
//!
//! Errors go to stderr with exit code 2. A link longer than the common chat limit (2,000
//! characters) is still printed, with a note on stderr.

use stepwise_engine::share::{self, Envelope};

const USAGE: &str =
    "usage: stepwise link FILE.stepwise.json [--base URL]\n       stepwise link --decode LINK";

pub fn main(args: &[String]) -> u8 {
    match run(args) {
        Ok(out) => {
            println!("{out}");
            0
        }
        Err(msg) => {
            eprintln!("{msg}");
            2
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let mut file = None;
    let mut base = None;
    let mut decode = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--base" => base = Some(value("--base")?),
            "--decode" => decode = Some(value("--decode")?),
            "-h" | "--help" => return Ok(USAGE.to_string()),
            other if !other.starts_with("--") && file.is_none() => file = Some(other.to_string()),
            other => return Err(format!("unexpected argument '{other}'\n{USAGE}")),
        }
    }
    match (file, decode) {
        (Some(path), None) => make_link(&path, base.as_deref()),
        (None, Some(link)) if base.is_none() => share::decode(&link)
            .map(|env| env.to_file_text().trim_end().to_string())
            .map_err(|e| e.to_string()),
        _ => Err(USAGE.to_string()),
    }
}

fn make_link(path: &str, base: Option<&str>) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    let envelope = Envelope::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    if envelope.definition.is_none() {
        eprintln!("note: {path} has no \"definition\"; the link carries none");
    }
    let fragment = share::encode(&envelope).map_err(|e| format!("{path}: {e}"))?;
    let link = match base {
        Some(base) => share::url(base, &fragment),
        None => fragment,
    };
    let length = link.chars().count();
    if length > share::CHAT_LIMIT {
        eprintln!(
            "note: this link is {length} characters, more than the {} many chats accept; share {path} itself as well",
            share::CHAT_LIMIT
        );
    }
    Ok(link)
}
