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
//!
//! Tools are installed once and skipped when the right version is already there.

mod balancer;
mod bench;
mod bench_api;
mod cycles;
mod icons;
mod postgres;
mod schemathesis;
mod tools;
mod web;

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

const USAGE: &str = "usage: cargo xtask <run|test|schemathesis|instances|postgres|build-web|bench [api]>

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
  build-web  build the web app into dist/, with .br and .gz copies of each file
  bench      measure sizes, browser timings and API throughput on a 10,000-product
             catalogue; writes target/bench/bench.{json,md}; fails when a budget is missed
  bench api  only the API figures (no web build, no sizes, no browser)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => with_scratch(test),
        Some("schemathesis") => with_scratch(schemathesis::build_and_run),
        Some("postgres") => postgres::serve(),
        Some("instances") => with_scratch(instances),
        Some("bench") => with_scratch(|| bench::run(args.get(1).map(String::as_str))),
        Some("cycles") => check_cycles(),
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

pub type Result<T = ()> = std::result::Result<T, String>;

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

/// Says so up front when the disk is nearly full: a clean build and test run takes
/// about 10 GB, and running out of it shows up much later as a puzzling failure in
/// whichever step writes next (a database, a linker).
fn warn_if_disk_low() {
    const NEEDED_GB: u64 = 10;
    let df = Command::new("df").args(["-Pk"]).arg(root()).output();
    let available_kb = df.ok().and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines().nth(1)?.split_whitespace().nth(3)?.parse::<u64>().ok()
    });
    if let Some(kb) = available_kb.filter(|kb| kb / 1_048_576 < NEEDED_GB) {
        println!(
            "warning: only {:.1} GB free on the disk holding {}; a test run from a clean clone needs about {NEEDED_GB} GB",
            kb as f64 / 1_048_576.0,
            root().display()
        );
    }
}

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (a relative one is
/// taken from the workspace root, as cargo does when run there), else `target/`. The
/// binaries run here must be the ones just built, not a stale copy in `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// A command run from the workspace root with the project's tool folders on PATH.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", tools::path_with_tools());
    c
}

/// Runs a command to completion; a failure names the command.
pub fn run_cmd(c: &mut Command) -> Result {
    let status = c.status().map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", c.get_program()))
    }
}

fn run() -> Result {
    tools::ensure_build_tools()?;
    web::build()?;
    step("building the API server (release)");
    run_cmd(cmd("cargo").args(["build", "--release", "-p", "aisle-api"]))?;
    step("starting Aisle (Ctrl-C stops it)");
    let server = target_dir().join("release/aisle-api");
    run_cmd(cmd(&server.to_string_lossy()).arg("serve").env("AISLE_WEB_DIR", root().join("dist")))
}

/// Pass and fail counts gathered from every suite's own summary lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    suites: Vec<String>,
}

fn test() -> Result {
    let started = Instant::now();
    warn_if_disk_low();
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    let mut tally = Tally::default();

    step("Rust unit and API tests (domain, api against a real SQLite file, xtask)");
    run_counted(
        cmd("cargo").args(["test", "--workspace", "--exclude", "aisle"]),
        "cargo test",
        &mut tally,
    )?;

    step("API tests against a real PostgreSQL");
    let pg = postgres::Postgres::start()?;
    run_counted(
        cmd("cargo").args(["test", "-p", "aisle-api", "--test", "api"]).env("AISLE_TEST_POSTGRES", &pg.url),
        "API tests on PostgreSQL",
        &mut tally,
    )?;
    drop(pg);

    step("web app tests in headless Chromium (wasm-bindgen-test)");
    run_counted(
        cmd("cargo")
            .args(["test", "-p", "aisle", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        "wasm tests",
        &mut tally,
    )?;

    web::build()?;
    step("building the API server for the end-to-end tests");
    run_cmd(cmd("cargo").args(["build", "-p", "aisle-api"]))?;

    schemathesis::run(&mut tally)?;

    step("end-to-end tests: Playwright driving Chromium against the real server");
    let data = tempdir("aisle-e2e")?;
    let database_url = format!("sqlite://{}", data.join("aisle.db").display());
    create_e2e_staff(&database_url)?;
    let server = Server::start(&database_url, &data)?;
    let (build_a, build_b) = web::prepare_deploy_builds(&root().join("dist"), &data.join("deploy"))?;
    let result = run_counted(
        e2e_command(&["tests/e2e/"], &server.url, &data)
            .env("AISLE_SERVER_BIN", debug_server())
            .env("AISLE_BUILD_A", &build_a)
            .env("AISLE_BUILD_B", &build_b)
            .env("AISLE_SCREENSHOTS", root().join("tests/e2e/screenshots")),
        "end-to-end",
        &mut tally,
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    result?;

    e2e_on_postgres(&mut tally)?;

    println!(
        "\nAll suites passed in {:.0?}: {}",
        started.elapsed(),
        tally.suites.join(", ")
    );
    // One plain closing line for every suite together.
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// No import circles between the modules of any crate (see [`cycles`]).
fn check_cycles() -> Result {
    let crates = [
        cycles::CrateRoot { name: "aisle-api", entry: root().join("api/src/lib.rs") },
        cycles::CrateRoot { name: "aisle-domain", entry: root().join("domain/src/lib.rs") },
        cycles::CrateRoot { name: "aisle (web app)", entry: root().join("src/lib.rs") },
        cycles::CrateRoot { name: "xtask", entry: root().join("xtask/src/main.rs") },
    ];
    println!("{}", cycles::check(&crates)?);
    Ok(())
}

fn instances() -> Result {
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    web::build()?;
    step("building the API server");
    run_cmd(cmd("cargo").args(["build", "-p", "aisle-api"]))?;
    e2e_on_postgres(&mut Tally::default())
}

/// The shop as it runs when it outgrows one machine: two API instances on one
/// PostgreSQL behind a round-robin balancer. The browser flows that buy, change orders
/// and replay the offline outbox run through the balancer, so consecutive requests of
/// one page land on different instances; `instances.test.mjs` pins one browser to each
/// instance and checks that chat and stock cross between them.
fn e2e_on_postgres(tally: &mut Tally) -> Result {
    step("end-to-end tests on PostgreSQL: two API instances behind a round-robin balancer");
    let pg = postgres::Postgres::start()?;
    let data = tempdir("aisle-e2e-pg")?;
    let bin = debug_server();
    create_e2e_staff(&pg.url)?;
    // Agents answer at any hour here, so "an agent is online" depends only on them.
    let env = [("AISLE_SUPPORT_HOURS", "Mon-Sun 00:00-24:00")];
    let a = Server::start_env(&bin, &pg.url, &data, &env)?;
    let b = Server::start_env(&bin, &pg.url, &data, &env)?;
    let lb = balancer::Balancer::start(&[&a.url, &b.url])?;
    let files = ["tests/e2e/instances.test.mjs", "tests/e2e/shop.test.mjs", "tests/e2e/orders.test.mjs", "tests/e2e/outbox.test.mjs"];
    let result = run_counted(
        e2e_command(&files, &lb.url, &data).env("AISLE_URL_A", &a.url).env("AISLE_URL_B", &b.url),
        "end-to-end on PostgreSQL",
        tally,
    );
    drop((lb, a, b, pg));
    let _ = std::fs::remove_dir_all(&data);
    result
}

/// Runs a test command, echoing its output, and adds the counts from its summary lines
/// (`test result: ok. N passed; M failed` from cargo, `# pass N` / `# fail M` from node).
fn run_counted(c: &mut Command, name: &str, tally: &mut Tally) -> Result {
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            let t = line.trim();
            if let Some(rest) = t.strip_prefix("test result: ") {
                passed += count_before(rest, " passed");
                failed += count_before(rest, " failed");
            } else if let Some(n) = t.strip_prefix("# pass ") {
                passed += n.trim().parse::<u64>().unwrap_or(0);
            } else if let Some(n) = t.strip_prefix("# fail ") {
                failed += n.trim().parse::<u64>().unwrap_or(0);
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    tally.passed += passed;
    tally.failed += failed;
    tally.suites.push(format!("{name} {passed} passed"));
    if !status.success() || failed > 0 {
        println!("tests: {} passed, {} failed", tally.passed, tally.failed.max(1));
        return Err(format!("{name} failed"));
    }
    if passed == 0 {
        return Err(format!("{name} ran no test"));
    }
    Ok(())
}

/// `"ok. 24 passed; 0 failed; …"` → the number before `label`.
fn count_before(s: &str, label: &str) -> u64 {
    s.split(';')
        .find_map(|part| part.trim().strip_suffix(label.trim_start()).map(str::trim))
        .and_then(|n| n.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

const E2E_STAFF_EMAIL: &str = "staff@aisle.test";
/// Only for the throw-away database of one test run.
const E2E_STAFF_PASSWORD: &str = "e2e staff password";

/// The API server as `cargo build -p aisle-api` leaves it, which the tests run.
pub fn debug_server() -> PathBuf {
    target_dir().join("debug/aisle-api")
}

/// The end-to-end tests' staff account, made the way a shop makes one: with the
/// sub-command.
fn create_e2e_staff(database_url: &str) -> Result {
    run_cmd(
        cmd(&debug_server().to_string_lossy())
            .args(["create-staff", "--email", E2E_STAFF_EMAIL, "--name", "Sam Staff"])
            .env("DATABASE_URL", database_url)
            .env("AISLE_STAFF_PASSWORD", E2E_STAFF_PASSWORD),
    )
}

/// Node's test runner on `files`, one file at a time, against the shop at `url`, with
/// the staff account and the e-mail folder of the server(s) writing into `data`.
fn e2e_command(files: &[&str], url: &str, data: &Path) -> Command {
    let mut c = cmd("node");
    c.args(["--test", "--test-concurrency=1"])
        .args(files)
        .env("AISLE_URL", url)
        .env("AISLE_STAFF_EMAIL", E2E_STAFF_EMAIL)
        .env("AISLE_STAFF_PASSWORD", E2E_STAFF_PASSWORD)
        .env("AISLE_MAIL_DIR", data.join("mail"));
    c
}

pub fn tempdir(prefix: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The real API server on a free loopback port with a fresh database, stopped on drop.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(database_url: &str, data: &Path) -> Result<Server> {
        Server::start_with(&debug_server(), database_url, data)
    }

    pub fn start_with(bin: &Path, database_url: &str, data: &Path) -> Result<Server> {
        Server::start_env(bin, database_url, data, &[])
    }

    pub fn start_env(bin: &Path, database_url: &str, data: &Path, env: &[(&str, &str)]) -> Result<Server> {
        let mut child = cmd(&bin.to_string_lossy())
            .arg("serve")
            .envs(env.iter().copied())
            .env("DATABASE_URL", database_url)
            .env("AISLE_MAIL_DIR", data.join("mail"))
            .env("AISLE_ADDR", "127.0.0.1:0")
            .env("AISLE_WEB_DIR", root().join("dist"))
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the API server: {e}"))?;
        let out = child.stdout.take().ok_or("no server output")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
                if let Some(url) = line.strip_prefix("Aisle is running at ") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => {
                println!("server at {url}");
                Ok(Server { child, url })
            }
            Err(_) => {
                let _ = child.kill();
                Err("the API server did not start within 60 s".into())
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::count_before;

    #[test]
    fn reads_cargo_summary_counts() {
        let rest = "ok. 24 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(count_before(rest, " passed"), 24);
        assert_eq!(count_before(rest, " failed"), 0);
        assert_eq!(count_before("FAILED. 3 passed; 2 failed; 0 ignored", " failed"), 2);
    }
}
