//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;

use crate::{Result, build, cargo, root, run, serve};

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run_all() -> Result<()> {
    step("cargo fmt --check", || {
        run(
            cargo().args(["fmt", "--all", "--check"]),
            "cargo fmt --check (run `cargo fmt`)",
        )
    })?;
    step("cargo clippy", || {
        run(
            cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            "cargo clippy",
        )
    })?;
    step("cargo test", || {
        run(
            cargo().args(["test", "--workspace"]),
            "cargo test --workspace",
        )
    })?;
    let dist = step("cargo xtask dist", build::dist)?;
    step("end-to-end tests", || e2e(&dist, &[]))
}

/// `cargo xtask e2e [PLAYWRIGHT ARGS]`: the end-to-end tests against an existing build
/// (`$STEPWISE_DIST` or `dist/`), for iterating on the page without the whole pipeline.
pub fn e2e_only(args: &[String]) -> Result<()> {
    let dist = build::dist_dir();
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no build: run `cargo xtask dist` (or `serve`) first",
            dist.display()
        ));
    }
    e2e(&dist, args)
}

fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("\n==> {name}");
    f().map_err(|e| format!("{e}\n(step '{name}' failed; later steps did not run)"))
}

/// Playwright against `dist/` served by our own server, in Debian's Chromium.
fn e2e(dist: &Path, extra: &[String]) -> Result<()> {
    if !Path::new(CHROMIUM).exists() {
        return Err(format!(
            "{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium chromium-driver`"
        ));
    }
    build::ensure_npm_tools()?;
    let url = serve::Server::bind(dist, 0)?.spawn();
    println!("serving dist/ at {url}");
    // Reports go under target/, one folder per build folder (several builds may be tested at once).
    let name = dist
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("dist")
        .to_string();
    let out = root().join("target/e2e").join(&name);
    let report = out.join("report.json");
    let _ = std::fs::remove_file(&report);
    let outcome = run(
        Command::new(root().join("node_modules/.bin/playwright"))
            .args(["test", "--config", "tests/e2e/playwright.config.mjs"])
            .args(extra)
            .env("STEPWISE_URL", &url)
            .env("CHROMIUM_PATH", CHROMIUM)
            .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
            .env("STEPWISE_E2E_OUT", out.join("results")),
        "end-to-end tests",
    );
    // The runner's summary, as the last line, in the plain form CI reads.
    if let Ok(text) = std::fs::read_to_string(&report)
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
    {
        let stats = &json["stats"];
        let n = |k: &str| stats[k].as_u64().unwrap_or(0);
        println!(
            "e2e: {} passed, {} failed, {} skipped",
            n("expected") + n("flaky"),
            n("unexpected"),
            n("skipped")
        );
    }
    outcome
}
