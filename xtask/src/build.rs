//! Building the page: cargo → wasm-bindgen (as a library) → wasm-opt (npm `binaryen`) → `dist/`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{Result, cargo, root, run};

const TARGET: &str = "wasm32-unknown-unknown";
const APP_CRATE: &str = "stepwise-app";
const APP_WASM: &str = "stepwise_app.wasm";

/// Features the Rust wasm32 target enables by default, which wasm-opt must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
    "--enable-call-indirect-overlong",
];

/// The production build: release profile, wasm-opt -Oz, content-hashed names. Prints sizes.
pub fn dist() -> Result<PathBuf> {
    let wasm = build_wasm(true)?;
    let dist = assemble(&wasm, true)?;
    print_sizes(&dist)?;
    Ok(dist)
}

/// The quick build for `serve`: dev profile, no wasm-opt.
pub fn dev() -> Result<PathBuf> {
    let wasm = build_wasm(false)?;
    assemble(&wasm, false)
}

fn build_wasm(release: bool) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let mut cmd = cargo();
    cmd.args(["build", "--package", APP_CRATE, "--lib", "--target", TARGET]);
    if release {
        cmd.arg("--release");
    }
    run(&mut cmd, "building the app for wasm")?;
    let profile = if release { "release" } else { "debug" };
    let wasm = target_dir().join(TARGET).join(profile).join(APP_WASM);
    if wasm.is_file() {
        Ok(wasm)
    } else {
        Err(format!("the build did not produce {}", wasm.display()))
    }
}

/// Add the wasm target through rustup when it is missing.
fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup (needed for the {TARGET} target): {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == TARGET)
    {
        return Ok(());
    }
    run(
        Command::new("rustup").args(["target", "add", TARGET]),
        "adding the wasm target",
    )
}

/// Install the npm tools (wasm-opt, Playwright) from the lockfile when they are missing or stale.
pub fn ensure_npm_tools() -> Result<()> {
    let root = root();
    let marker = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (fs::metadata(&marker), fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => match (m.modified(), l.modified()) {
            (Ok(m), Ok(l)) => m >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh && root.join("node_modules/.bin/wasm-opt").exists() {
        return Ok(());
    }
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        "installing npm tools (npm ci)",
    )
}

/// wasm-bindgen, wasm-opt, hashing and the index template: everything from `.wasm` to `dist/`.
fn assemble(wasm: &Path, optimize: bool) -> Result<PathBuf> {
    let root = root();
    let staging = target_dir().join("xtask-bindgen");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(|e| format!("creating {}: {e}", staging.display()))?;

    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e}"))?
        .omit_default_module_path(false)
        .typescript(false)
        .out_name("stepwise");
    bindgen
        .generate(&staging)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;

    let bg_wasm = staging.join("stepwise_bg.wasm");
    if optimize {
        // Keep the un-optimized module (it has the name section) for size analysis:
        // `twiggy top target/xtask-bindgen/stepwise_bg.unopt.wasm`.
        fs::copy(&bg_wasm, staging.join("stepwise_bg.unopt.wasm"))
            .map_err(|e| format!("copying the wasm-bindgen output: {e}"))?;
        ensure_npm_tools()?;
        let optimized = staging.join("stepwise_opt.wasm");
        let mut cmd = Command::new(root.join("node_modules/.bin/wasm-opt"));
        // One -Oz pass: `--converge` (repeat until it stops shrinking) took ~3 minutes more
        // for nothing here (536,422 vs 536,334 bytes gzip -9, measured 2026-12-03).
        cmd.arg("-Oz")
            .args(WASM_FEATURES)
            .arg(&bg_wasm)
            .arg("-o")
            .arg(&optimized);
        run(&mut cmd, "wasm-opt -Oz")?;
        fs::rename(&optimized, &bg_wasm).map_err(|e| format!("moving optimized wasm: {e}"))?;
    }

    let dist = dist_dir();
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&dist).map_err(|e| format!("creating dist/: {e}"))?;

    let wasm_bytes = read(&bg_wasm)?;
    let wasm_name = format!("stepwise-{}.wasm", short_hash(&wasm_bytes));
    write(&dist.join(&wasm_name), &wasm_bytes)?;

    let js_bytes = read(&staging.join("stepwise.js"))?;
    let js_name = format!("stepwise-{}.js", short_hash(&js_bytes));
    write(&dist.join(&js_name), &js_bytes)?;

    let css_bytes = bundle_css(&root.join("web/css"))?;
    let css_name = format!("style-{}.css", short_hash(&css_bytes));
    write(&dist.join(&css_name), &css_bytes)?;

    // Everything else in web/ (icons) keeps its name.
    let web = root.join("web");
    let entries = fs::read_dir(&web).map_err(|e| format!("reading web/: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() {
            write(&dist.join(name), &read(&path)?)?;
        }
    }

    let template = fs::read_to_string(root.join("index.html"))
        .map_err(|e| format!("reading index.html: {e}"))?;
    let index = render_index(&template, &css_name, &js_name, &wasm_name)?;
    write(&dist.join("index.html"), index.as_bytes())?;
    Ok(dist)
}

/// Where the page is built: `$STEPWISE_DIST`, or `dist/` in the workspace.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("STEPWISE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// One stylesheet from `web/css/*.css`: `base.css` first (variables, layout), then the
/// component sheets by name.
fn bundle_css(dir: &Path) -> Result<Vec<u8>> {
    let mut sheets: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .collect();
    sheets.sort_by_key(|p| (p.file_name() != Some("base.css".as_ref()), p.clone()));
    let mut out = String::new();
    for sheet in sheets {
        let bytes = read(&sheet)?;
        let text =
            String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", sheet.display()))?;
        out.push_str(&minify_css(&text));
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// Drop what a stylesheet does not need to work: comments, indentation, and spaces next to
/// `{`, `}` and `;` (never significant there). Strings are copied as they are. Spaces
/// elsewhere become one space, since between selectors (`a :hover` vs `a:hover`) or values
/// (`1px solid`) they mean something.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                if space && !out.is_empty() && !out.ends_with(['{', '}', ';']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if s == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            '{' | '}' | ';' => {
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                space = false;
            }
            c => {
                if space && !out.is_empty() && !out.ends_with(['{', '}', ';']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Fill the page template. Only relative URLs, so `dist/` works from any sub-path.
fn render_index(template: &str, css: &str, js: &str, wasm: &str) -> Result<String> {
    const HEAD: &str = "<!-- stepwise:head -->";
    const BODY: &str = "<!-- stepwise:body -->";
    for marker in [HEAD, BODY] {
        if !template.contains(marker) {
            return Err(format!("index.html lacks the marker {marker}"));
        }
    }
    let head = format!("<link rel=\"stylesheet\" href=\"./{css}\">");
    let body = format!(
        "<script type=\"module\">import init from './{js}'; init({{ module_or_path: './{wasm}' }});</script>"
    );
    Ok(template.replace(HEAD, &head).replace(BODY, &body))
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        let _ = w.write_all(bytes);
    }
    out.len()
}

fn print_sizes(dist: &Path) -> Result<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(dist)
        .map_err(|e| format!("reading dist/: {e}"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    println!("\ndist/ sizes (bytes):");
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for path in &files {
        let bytes = read(path)?;
        let (r, g, b) = (bytes.len(), gzip_len(&bytes), brotli_len(&bytes));
        raw += r;
        gz += g;
        br += b;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        println!("{name:<34} {r:>10} {g:>10} {b:>10}");
    }
    println!("{:<34} {raw:>10} {gz:>10} {br:>10}", "total");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::minify_css;

    #[test]
    fn css_minification_keeps_meaning() {
        let css = "/* head */\n.a :hover,\n.b > .c {\n  color: red;\n  border: 1px  solid var(--x);\n}\n\n.d::after { content: \"a  /* b */ { ; }\"; }\n@media (max-width: 600px) {\n  .e { margin: 0 }\n}\n";
        assert_eq!(
            minify_css(css),
            ".a :hover, .b > .c{color: red;border: 1px solid var(--x)}.d::after{content: \"a  /* b */ { ; }\"}@media (max-width: 600px){.e{margin: 0}}"
        );
    }
}
