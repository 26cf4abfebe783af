//! `cargo xtask test` and `cargo xtask instances`: every suite in turn, each counted.

use crate::{
    balancer,
    cycles,
    docs,
    postgres,
    schemathesis,
    sh::{cmd, debug_server, root, run_cmd, step, tempdir, Result, Server},
    tally::{run_counted, Tally},
    tools,
    web,
};
use std::{
    path::Path,
    process::Command,
    time::Instant,
};

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

pub fn test() -> Result {
    let started = Instant::now();
    warn_if_disk_low();
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    let mut tally = Tally::default();

    step("no import circles between modules (cargo xtask cycles)");
    cycles::check_workspace()?;
    step("the docs' links resolve (cargo xtask docs)");
    docs::check()?;

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

pub fn instances() -> Result {
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

const E2E_STAFF_EMAIL: &str = "staff@aisle.test";

/// Only for the throw-away database of one test run.
const E2E_STAFF_PASSWORD: &str = "e2e staff password";

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
