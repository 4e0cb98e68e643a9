//! `stepwise check DEFINITION [--format json|text] [--type standard|express]`: validate a
//! state machine definition like AWS's `CreateStateMachine` and print every diagnostic.
//!
//! Exit status: 0 valid (warnings allowed), 1 invalid, 2 unreadable file or bad arguments.

use stepwise_asl::{MachineType, ParseOptions, parse_with};

const USAGE: &str =
    "usage: stepwise check DEFINITION [--format json|text] [--type standard|express]";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

pub fn main(args: &[String]) -> u8 {
    let mut path: Option<&str> = None;
    let mut format = Format::Text;
    let mut options = ParseOptions::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--format" | "--type" => {
                let Some(value) = inline.or_else(|| it.next().map(String::as_str)) else {
                    eprintln!("{flag} needs a value\n{USAGE}");
                    return 2;
                };
                match (flag, value.to_ascii_lowercase().as_str()) {
                    ("--format", "json") => format = Format::Json,
                    ("--format", "text") => format = Format::Text,
                    ("--type", "standard") => options.machine_type = MachineType::Standard,
                    ("--type", "express") => options.machine_type = MachineType::Express,
                    _ => {
                        eprintln!("invalid value for {flag}: {value}\n{USAGE}");
                        return 2;
                    }
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            _ if flag.starts_with("--") => {
                eprintln!("unknown option: {flag}\n{USAGE}");
                return 2;
            }
            _ if path.is_none() => path = Some(arg),
            _ => {
                eprintln!("unexpected argument: {arg}\n{USAGE}");
                return 2;
            }
        }
    }
    let Some(path) = path else {
        eprintln!("{USAGE}");
        return 2;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{path}: cannot read: {err}");
            return 2;
        }
    };
    let parsed = parse_with(&text, &options);
    match format {
        Format::Json => match serde_json::to_string_pretty(&parsed.diagnostics) {
            Ok(json) => println!("{json}"),
            Err(err) => {
                eprintln!("cannot serialise diagnostics: {err}");
                return 2;
            }
        },
        Format::Text => {
            for d in &parsed.diagnostics {
                // `Diagnostic`'s Display starts with `line:col: ` when it has a span.
                let sep = if d.span.is_some() { ":" } else { ": " };
                println!("{path}{sep}{d}");
            }
            let errors = parsed.errors().count();
            let warnings = parsed.diagnostics.len() - errors;
            if errors == 0 {
                eprintln!("{path}: valid ({warnings} warning(s))");
            } else {
                eprintln!("{path}: invalid: {errors} error(s), {warnings} warning(s)");
            }
        }
    }
    u8::from(parsed.has_errors())
}
