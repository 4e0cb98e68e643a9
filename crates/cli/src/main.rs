//! `stepwise`: the Stepwise command line — the same engine as the page, native.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::MiMalloc = alloc::MiMalloc;

mod alloc;
mod bench;
mod check;
mod conformance;
mod link;
mod run;

const USAGE: &str = "usage: stepwise <command> [args]

commands:
  check DEFINITION [--format json|text]   validate a state machine definition
  run DEFINITION [--input FILE] [--mock-config FILE --test-case NAME [--state-machine NAME]]
      [--scenario FILE] [--format json|text]
                                          simulate one execution
  conformance CASES.jsonl [--json]        replay recorded AWS executions and compare
  bench WORKLOADS_DIR [--runs N]          time the engine on the peer benchmark workloads
  link FILE.stepwise.json [--base URL] | link --decode LINK
                                          print a scenario's share link (or a link's scenario)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    let code = match args.first().map(String::as_str) {
        Some("check") => check::main(rest),
        Some("run") => run::main(rest),
        Some("conformance") => conformance::main(rest),
        Some("bench") => bench::main(rest),
        Some("link") => link::main(rest),
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
