//! `stepwise`: the Stepwise command line — the same engine as the page, native.

use std::process::ExitCode;

mod check;

const USAGE: &str = "usage: stepwise <command> [args]

commands:
  check DEFINITION [--format json|text]   validate a state machine definition
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("check") => check::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            0
        }
        _ => {
            eprint!("{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
