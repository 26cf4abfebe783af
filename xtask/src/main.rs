//! Developer tasks, so that a fresh clone needs only two commands:
//!
//! - `cargo xtask run`: install what is missing, build the web app, start the server.
//! - `cargo xtask test`: install what is missing, run every test suite, including
//!   the ones that drive a real headless Chromium and schemathesis's generated
//!   requests against `/api/openapi.json`; the API suite runs on SQLite and again on a
//!   throwaway PostgreSQL, and the main browser flows run again on two API instances
//!   sharing that PostgreSQL behind a round-robin balancer.
//! - `cargo xtask build-web`: only build the web app into `dist/` (precompressed).
//! - `cargo xtask postgres`: start a throwaway PostgreSQL server until Ctrl-C (see
//!   [`postgres`]).
//! - `cargo xtask instances`: only the browser flows on two instances sharing a
//!   throwaway PostgreSQL (see [`balancer`]).
//! - `cargo xtask bench`: measure sizes, browser timings and API throughput against
//!   the budgets (see [`bench`]).
//! - `cargo xtask cycles`, `cargo xtask docs`: the checks `test` starts with (see
//!   [`cycles`], [`docs`]).
//!
//! Tools are installed once and skipped when the right version is already there.

mod balancer;
mod bench;
mod bench_api;
mod cycles;
mod docs;
mod figures;
mod icons;
mod postgres;
mod schemathesis;
mod sh;
mod suites;
mod tally;
mod tools;
mod web;

use sh::{cmd, root, run_cmd, step, target_dir, tempdir, Result};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|schemathesis|instances|postgres|cycles|docs|build-web|bench [api]>

  run        install what is missing, build the web app in release mode and start
             the server (DATABASE_URL, AISLE_ADDR as for aisle-api)
  test       install what is missing and run every test: Rust unit and API tests,
             API tests again on PostgreSQL, wasm tests in headless Chromium,
             schemathesis against the OpenAPI document, end-to-end tests with Playwright,
             and again on two instances sharing PostgreSQL behind a balancer
  schemathesis  only the schemathesis step of `test` (builds the API server first)
  instances  only the end-to-end step on two instances sharing PostgreSQL (builds
             the web app and the API server first)
  postgres   start a throwaway PostgreSQL server and print its URL; Ctrl-C, Enter or
             the end of stdin stops it and deletes its data
  cycles     check that no module of any crate imports, through others, itself
  docs       check that every link in README.md and docs/ resolves, and the README's size
  build-web  build the web app into dist/, with .br and .gz copies of each file
  bench      measure sizes, browser timings and API throughput on a 10,000-product
             catalogue; writes target/bench/bench.{json,md}; fails when a budget is missed
  bench api  only the API figures (no web build, no sizes, no browser)";


fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => with_scratch(suites::test),
        Some("schemathesis") => with_scratch(schemathesis::build_and_run),
        Some("postgres") => postgres::serve(),
        Some("instances") => with_scratch(suites::instances),
        Some("bench") => with_scratch(|| bench::run(args.get(1).map(String::as_str))),
        Some("cycles") => cycles::check_workspace(),
        Some("docs") => docs::check(),
        Some("build-web") => tools::ensure_build_tools().and_then(|_| web::build()),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `task` with TMPDIR pointing at a folder of its own, removed when it ends, pass
/// or fail. Everything a run starts writes there: Chromium behind chromedriver leaves a
/// ~100 MB profile behind on every run, and the test databases, the servers' data and
/// the PostgreSQL cluster go there too, so repeated runs cannot fill the disk.
fn with_scratch(task: impl FnOnce() -> Result) -> Result {
    let dir = tempdir("aisle-xtask")?;
    // Still one thread: nothing reads the environment while it changes.
    std::env::set_var("TMPDIR", &dir);
    let result = task();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run() -> Result {
    tools::ensure_build_tools()?;
    // The API server builds beside the web apps: each build spends long stretches on
    // one core (one crate's code generation, linking, wasm-opt on the main wasm), so on
    // a two-core machine the two together finish minutes sooner than one after the
    // other. Its output goes to a log, shown only if it fails, so the web steps' lines
    // stay readable.
    step("building the API server (release) beside the web app");
    let log_path = target_dir().join("xtask-api-build.log");
    let _ = std::fs::create_dir_all(target_dir());
    let log = std::fs::File::create(&log_path).map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
    let err = log.try_clone().map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
    let mut api = cmd("cargo")
        .args(["build", "--release", "-p", "aisle-api"])
        .stdout(log)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if let Err(e) = web::build() {
        let _ = api.kill();
        let _ = api.wait();
        return Err(e);
    }
    let started = std::time::Instant::now();
    let api_status = api.wait().map_err(|e| format!("cargo: {e}"))?;
    if !api_status.success() {
        let tail = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("building the API server failed ({api_status}); the end of {}:\n{}", log_path.display(), tail.join("\n")));
    }
    step(&format!("API server built ({} s after the web app)", started.elapsed().as_secs()));
    step("starting Aisle (Ctrl-C stops it)");
    let server = target_dir().join("release/aisle-api");
    // A new database's demo shop gets a past, so stars and best sellers show at once,
    // unless the caller said otherwise.
    let history = std::env::var("AISLE_DEMO_HISTORY").unwrap_or_else(|_| "on".into());
    // And bank transfer to a demo account (the IBAN standards' own example), unless
    // the caller set the shop's.
    let bank = std::env::var("AISLE_BANK_ACCOUNT").unwrap_or_else(|_| sh::DEMO_BANK_ACCOUNT.into());
    let vat_id = std::env::var("AISLE_SHOP_VAT_ID").unwrap_or_else(|_| sh::DEMO_VAT_ID.into());
    run_cmd(
        cmd(&server.to_string_lossy())
            .arg("serve")
            .env("AISLE_WEB_DIR", root().join("dist"))
            .env("AISLE_DEMO_HISTORY", history)
            .env("AISLE_BANK_ACCOUNT", bank)
            .env("AISLE_SHOP_VAT_ID", vat_id),
    )
}
