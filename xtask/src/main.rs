//! `cargo xtask`: build, serve and test Stepwise.
//!
//! - `cargo xtask serve [--port N] [--release]`: build the page into `dist/` and serve it.
//! - `cargo xtask dist`: the production build (wasm-opt -Oz, content-hashed names), with sizes.
//! - `cargo xtask test`: everything CI checks, in order, stopping at the first failure.
//!
//! Everything it needs beyond the Rust toolchain comes from the package registries: the
//! `wasm32-unknown-unknown` target through rustup, wasm-bindgen as a library (no CLI install),
//! wasm-opt and Playwright from npm (`npm ci` against the committed lockfile).

mod build;
mod serve;
mod test;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--port N] [--release]   build the page and serve dist/ on http://127.0.0.1:8080
  dist                           production build into dist/ (wasm-opt -Oz, hashed names), print sizes
  test                           fmt, clippy, tests, dist, end-to-end browser tests (what CI runs)
  e2e [ARGS]                     only the end-to-end tests, against the existing build

environment: STEPWISE_DIST=DIR builds into / serves / tests DIR instead of dist/
";

/// An error that ends the command: printed as `xtask: <message>`.
pub type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve_command(&args[1..]),
        Some("dist") => build::dist().map(|_| ()),
        Some("test") => test::run_all(),
        Some("e2e") => test::e2e_only(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve_command(args: &[String]) -> Result<()> {
    let mut port = 8080u16;
    let mut release = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                let value = it.next().ok_or("--port needs a number")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port: '{value}' is not a port number"))?;
            }
            "--release" => release = true,
            other => return Err(format!("serve: unknown argument '{other}'")),
        }
    }
    let dist = if release {
        build::dist()?
    } else {
        build::dev()?
    };
    let server = serve::Server::bind(&dist, port)?;
    println!("Stepwise is served at {}", server.url());
    println!("(Ctrl+C to stop)");
    server.run_forever();
    Ok(())
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Run a command in the workspace root, echoing it, and fail with `what` if it fails.
pub fn run(cmd: &mut Command, what: &str) -> Result<()> {
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{what}: cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// `cargo`, as the one running xtask (respects `CARGO` set by cargo itself).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}
