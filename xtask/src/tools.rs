//! Installs the tools the build and tests need, each only when missing or at the wrong
//! version, so a fresh machine needs nothing but rustup, Node/npm and apt.

use crate::sh::{cmd, root, run_cmd, step, Result};
use std::{path::PathBuf, process::Command};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Pinned: its checks and its CLI change between releases.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The crate whose `build-binary` feature gives `wasm-split-cli`. Pinned: 0.2.3 is the
/// first that reads what wasm-bindgen 0.2.128 and later expect.
const WASM_SPLIT_CRATE: &str = "wasm_split_cli_support";
const WASM_SPLIT_VERSION: &str = "0.2.4";

/// The first line a tool prints for `--version`, or `None` if it is not installed.
fn version_of(program: &str) -> Option<String> {
    let out = cmd(program).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_string())
}

/// What the web build needs: the wasm target, wasm-bindgen, wasm-split-cli and
/// wasm-opt (npm's binaryen). trunk is not among them: it is only the development
/// server.
pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_split()
}

/// What `cargo xtask bench` needs for the API figures: the npm packages (json-server,
/// the peer) and Debian's `wrk`, the load generator.
pub fn ensure_bench_tools() -> Result {
    ensure_npm_packages()?;
    ensure_wrk()
}

/// What the tests add: Chromium and its driver, and a PostgreSQL server.
pub fn ensure_test_tools() -> Result {
    ensure_chromium()?;
    ensure_postgres()
}

fn ensure_wasm_target() -> Result {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("adding the wasm32-unknown-unknown target");
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// wasm-bindgen's CLI must match the `wasm-bindgen` crate in Cargo.lock exactly.
fn ensure_wasm_bindgen() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    if version_of("wasm-bindgen").is_some_and(|v| v == format!("wasm-bindgen {wanted}")) {
        return Ok(());
    }
    step(&format!("installing wasm-bindgen-cli {wanted} (once; matches Cargo.lock)"));
    cargo_install("wasm-bindgen-cli", &wanted)
}

/// wasm-split-cli (it has no `--version`: cargo's list of what it installed says which
/// one is there).
fn ensure_wasm_split() -> Result {
    let listed = cmd("cargo").args(["install", "--list"]).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    if listed.lines().any(|l| l.starts_with(&format!("{WASM_SPLIT_CRATE} v{WASM_SPLIT_VERSION}:"))) && answers_help("wasm-split-cli") {
        return Ok(());
    }
    step(&format!("installing wasm-split-cli ({WASM_SPLIT_CRATE} {WASM_SPLIT_VERSION}, once)"));
    run_cmd(cmd("cargo").args(["install", WASM_SPLIT_CRATE, "--version", WASM_SPLIT_VERSION, "--locked", "--features", "build-binary"]))
}

/// Whether a tool without `--version` is on PATH (its `--help` answers).
fn answers_help(program: &str) -> bool {
    cmd(program).arg("--help").output().is_ok_and(|o| o.status.success())
}

/// `cargo install --locked` first, for the versions the tool was released with; if the
/// registry no longer serves one of them (a yanked dependency), resolve afresh.
fn cargo_install(krate: &str, version: &str) -> Result {
    let locked = run_cmd(cmd("cargo").args(["install", krate, "--version", version, "--locked"]));
    if locked.is_ok() {
        return Ok(());
    }
    println!("retrying {krate} without --locked");
    run_cmd(cmd("cargo").args(["install", krate, "--version", version]))
}

pub fn locked_version(krate: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{krate}\"") {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("{krate} is not in Cargo.lock"))
}

/// npm packages from package-lock.json: wasm-opt (binaryen), playwright-core and
/// json-server (the benchmark's peer).
fn ensure_npm_packages() -> Result {
    let root = root();
    let installed = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&installed).and_then(|m| m.modified()), std::fs::metadata(&lock).and_then(|m| m.modified())) {
        (Ok(i), Ok(l)) => i >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    if version_of("npm").is_none() {
        return Err("npm is needed (for wasm-opt and the browser test driver): install Node.js and npm".into());
    }
    step("installing npm packages (binaryen for wasm-opt, playwright-core, json-server)");
    run_cmd(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// schemathesis (PyPI) in its own virtualenv under the target folder, so it touches
/// neither the system's Python nor the user's; returns the path of its `st` command.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = crate::sh::target_dir().join("schemathesis-venv");
    let st = venv.join("bin/st");
    if version_of(&st.to_string_lossy()).is_some_and(|v| v == format!("st, version {SCHEMATHESIS_VERSION}")) {
        return Ok(st);
    }
    step(&format!("installing schemathesis {SCHEMATHESIS_VERSION} into {} (once)", venv.display()));
    if !venv.join("bin/pip").exists() && run_cmd(cmd("python3").args(["-m", "venv"]).arg(&venv)).is_err() {
        // Debian ships venv (and pip) in a package of its own.
        step("installing Python's venv from Debian's packages");
        let _ = std::fs::remove_dir_all(&venv);
        let install = ["install", "-y", "--no-install-recommends", "python3", "python3-venv"];
        if apt(&install).is_err() {
            apt(&["update"])?;
            apt(&install)?;
        }
        run_cmd(cmd("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| format!("{e}: Python 3 with venv is needed for schemathesis"))?;
    }
    run_cmd(cmd(&venv.join("bin/pip").to_string_lossy()).args(["install", "--quiet", &format!("schemathesis=={SCHEMATHESIS_VERSION}")]))?;
    Ok(st)
}

/// Debian's Chromium and ChromeDriver; test tools never download a browser of their own.
fn ensure_chromium() -> Result {
    if PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists() {
        return Ok(());
    }
    step("installing Chromium and ChromeDriver from Debian's packages");
    apt(&["update"])?;
    apt(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
}

/// Debian's `wrk` (HTTP load generator), when it is not on PATH.
fn ensure_wrk() -> Result {
    // `wrk --version` exits non-zero even when installed; starting at all is enough.
    if cmd("wrk").arg("--version").output().is_ok() {
        return Ok(());
    }
    step("installing wrk from Debian's packages");
    let install = ["install", "-y", "--no-install-recommends", "wrk"];
    if apt(&install).is_ok() {
        return Ok(());
    }
    // A fresh machine may not have package lists yet.
    apt(&["update"])?;
    apt(&install)
}

/// Debian's PostgreSQL server (initdb, pg_ctl) and psql, for a throwaway cluster.
pub fn ensure_postgres() -> Result {
    if newest_bin_dir().is_some() {
        return Ok(());
    }
    step("installing PostgreSQL from Debian's packages");
    let install = ["install", "-y", "--no-install-recommends", "postgresql"];
    if apt(&install).is_ok() {
        return Ok(());
    }
    apt(&["update"])?;
    apt(&install)
}

/// `apt-get` with `args`, through sudo unless already root.
fn apt(args: &[&str]) -> Result {
    let root_user = Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false);
    let mut c = if root_user {
        Command::new("apt-get")
    } else {
        let mut s = Command::new("sudo");
        s.arg("apt-get");
        s
    };
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    run_cmd(&mut c)
}

pub fn newest_bin_dir() -> Option<PathBuf> {
    let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    versions
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            // "15", or "9.6" before PostgreSQL 10.
            let name = e.file_name().to_string_lossy().to_string();
            let version: Vec<u32> = name.split('.').map(str::parse).collect::<std::result::Result<_, _>>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
}
