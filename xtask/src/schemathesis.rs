//! schemathesis against the running API: requests generated from `/api/openapi.json`
//! (valid and invalid ones), each answer checked for a 5xx and against the schema the
//! document gives for its status.

use crate::{cmd, root, step, target_dir, tempdir, tools, Result, Server, Tally};
use std::{
    process::Stdio,
    time::{Duration, Instant},
};

/// Below this the run proves too little to count as a suite.
const MIN_REQUESTS: usize = 1_000;
/// Generated cases per operation in the fuzzing phase; with the coverage phase's own
/// cases this makes a few thousand requests, about half a minute on two cores.
const MAX_EXAMPLES: &str = "30";
/// Fixed, so a failure found once is found again on the next run.
const SEED: &str = "20261124";
/// A hung run fails instead of holding up the whole suite.
const TIME_LIMIT: Duration = Duration::from_secs(300);

/// `cargo xtask schemathesis`: this step alone, for working on the document.
pub fn build_and_run() -> Result {
    step("building the API server");
    crate::run_cmd(cmd("cargo").args(["build", "-p", "aisle-api"]))?;
    run(&mut Tally::default())
}

pub fn run(tally: &mut Tally) -> Result {
    let st = tools::ensure_schemathesis()?;
    step("schemathesis: generated requests against the OpenAPI document");
    let data = tempdir("aisle-schemathesis")?;
    let database_url = format!("sqlite://{}", data.join("aisle.db").display());
    let server = Server::start(&database_url, &data)?;
    let report = target_dir().join("schemathesis");
    let _ = std::fs::remove_dir_all(&report);
    let har = report.join("requests.har.json");
    let started = Instant::now();
    let mut child = cmd(&st.to_string_lossy())
        .arg("run")
        .arg(format!("{}/api/openapi.json", server.url))
        .args(["--checks", "not_a_server_error,response_schema_conformance"])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
        // WebSocket upgrades and event streams are not request/answer pairs it can
        // check; the API tests cover them (see api/tests/api/support.rs, shop.rs).
        .args(["--exclude-tag", "streams"])
        // One worker: with two, Hypothesis's lambda introspection races and now and then
        // ends the run with an internal "Runtime Error" that is no finding about the API.
        .args(["--workers", "1", "--request-timeout", "10", "--no-color"])
        .args(["--report", "har", "--report-har-path"])
        .arg(&har)
        .current_dir(root())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start schemathesis: {e}"))?;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if started.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("schemathesis did not finish within {}s", TIME_LIMIT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    let elapsed = started.elapsed();
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    // Every entry of the HAR file is one request sent; its bodies are JSON-escaped, so
    // the key cannot appear unescaped anywhere else.
    let requests = std::fs::read_to_string(&har).map(|h| h.matches("\"request\": {").count()).unwrap_or(0);
    println!("schemathesis: {requests} requests in {:.0?} (report: {})", elapsed, har.display());
    if !status.success() {
        tally.failed += 1;
        return Err(format!("schemathesis found server errors or answers that break the schema ({status}); see above"));
    }
    if requests < MIN_REQUESTS {
        return Err(format!("schemathesis made only {requests} requests; at least {MIN_REQUESTS} are needed"));
    }
    tally.suites.push(format!("schemathesis {requests} requests"));
    Ok(())
}
