//! schemathesis against the running API: requests generated from `/api/openapi.json`
//! (valid and invalid ones), each answer checked for a 5xx and against the schema the
//! document gives for its status.

use crate::{
    sh::{cmd, root, run_cmd, step, target_dir, tempdir, Result, Server},
    tally::Tally,
    tools,
};
use std::{
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

/// Below this the run proves too little to count as a suite.
const MIN_REQUESTS: usize = 1_000;
/// Generated cases per operation in the fuzzing phase; with the coverage phase's own
/// cases this makes about 3,000 requests per run, half a minute on two cores.
const MAX_EXAMPLES: &str = "30";
/// Fixed, so a failure found once is found again on the next run.
const SEED: &str = "20261124";
/// Per run (there are two); a hung run fails instead of holding up the whole suite.
const TIME_LIMIT: Duration = Duration::from_secs(300);

/// `cargo xtask schemathesis`: this step alone, for working on the document.
pub fn build_and_run() -> Result {
    step("building the API server");
    run_cmd(cmd("cargo").args(["build", "-p", "aisle-api"]))?;
    run(&mut Tally::default())
}

pub fn run(tally: &mut Tally) -> Result {
    let st = tools::ensure_schemathesis()?;
    step("schemathesis: generated requests against the OpenAPI document");
    let data = tempdir("aisle-schemathesis")?;
    let database_url = format!("sqlite://{}", data.join("aisle.db").display());
    let bin = crate::sh::debug_server();
    run_cmd(
        cmd(&bin.to_string_lossy())
            .args(["create-staff", "--email", STAFF_EMAIL, "--name", "Schema Staff"])
            .env("DATABASE_URL", &database_url)
            .env("AISLE_STAFF_PASSWORD", STAFF_PASSWORD),
    )?;
    let server = Server::start(&database_url, &data)?;
    let report = target_dir().join("schemathesis");
    let _ = std::fs::remove_dir_all(&report);
    // Signed in before the guest run, whose sign-in attempts use up this address's limit.
    let staff_headers = sign_in(&st, &server.url);
    let started = Instant::now();
    // First as a stranger: every write must be refused with the documented error body.
    let guest = run_once(&st, &server.url, &[], &report.join("guest.har.json"));
    // Then signed in as staff, who can reach every route, so the generated bodies get
    // past the session checks into the handlers. Signing out or erasing the account
    // would end the session for the rest of the run, so those two are left out.
    let staff = staff_headers.and_then(|headers| {
        let mut args: Vec<String> = vec!["--exclude-operation-id-regex".into(), "^(session_delete|account_delete)$".into()];
        for h in headers {
            args.extend(["-H".into(), h]);
        }
        run_once(&st, &server.url, &args, &report.join("staff.har.json"))
    });
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    let elapsed = started.elapsed();
    let (guest, staff) = (guest?, staff?);
    let requests = guest.1 + staff.1;
    println!(
        "schemathesis: {requests} requests in {elapsed:.0?} ({} as a guest, {} as staff; requests in {})",
        guest.1,
        staff.1,
        report.display()
    );
    if !guest.0 || !staff.0 {
        tally.failed += 1;
        return Err("schemathesis found server errors or answers that break the schema; see above".into());
    }
    if requests < MIN_REQUESTS {
        return Err(format!("schemathesis made only {requests} requests; at least {MIN_REQUESTS} are needed"));
    }
    tally.suites.push(format!("schemathesis {requests} requests"));
    Ok(())
}

const STAFF_EMAIL: &str = "staff@schemathesis.test";
/// Only for the throw-away database of one run.
const STAFF_PASSWORD: &str = "schemathesis staff password";

/// Signs in as the staff account through the API, as the web app does, and returns the
/// `Cookie` and `X-CSRF-Token` headers for schemathesis's `-H`. Python's standard
/// library is at hand in the virtualenv, so no HTTP client is needed here.
fn sign_in(st: &Path, url: &str) -> Result<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys, urllib.request
base, email, password = sys.argv[1:4]
def call(method, path, body=None, cookie=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if cookie: req.add_header("Cookie", cookie)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    with urllib.request.urlopen(req) as r:
        return r.headers.get("Set-Cookie"), json.load(r)
set_cookie, session = call("GET", "/api/session")
set_cookie, session = call("POST", "/api/session", {"email": email, "password": password}, set_cookie.split(";")[0], session["csrf_token"])
print("Cookie: " + set_cookie.split(";")[0])
print("X-CSRF-Token: " + session["csrf_token"])
"#;
    let python = st.with_file_name("python");
    let out = cmd(&python.to_string_lossy())
        .args(["-c", SCRIPT, url, STAFF_EMAIL, STAFF_PASSWORD])
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!("cannot sign in as staff for schemathesis: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let headers: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    if headers.len() != 2 {
        return Err(format!("unexpected sign-in output: {headers:?}"));
    }
    Ok(headers)
}

/// One schemathesis run; whether it passed, and how many requests it sent (counted
/// in its HAR report: each entry is one request, and the bodies in it are
/// JSON-escaped, so the key cannot appear unescaped anywhere else).
fn run_once(st: &Path, url: &str, extra: &[String], har: &Path) -> Result<(bool, usize)> {
    let started = Instant::now();
    let mut child = cmd(&st.to_string_lossy())
        .arg("run")
        .arg(format!("{url}/api/openapi.json"))
        // No 5xx, and every answer with a documented status, content type and body.
        .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
        // WebSocket upgrades and event streams are not request/answer pairs it can
        // check; the API tests cover them (see api/tests/api/support.rs, shop.rs).
        .args(["--exclude-tag", "streams"])
        // One worker: with two, Hypothesis's lambda introspection races and now and then
        // ends the run with an internal "Runtime Error" that is no finding about the API.
        .args(["--workers", "1", "--request-timeout", "10", "--no-color"])
        .args(extra)
        .args(["--report", "har", "--report-har-path"])
        .arg(har)
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
    let requests = std::fs::read_to_string(har).map(|h| h.matches("\"request\": {").count()).unwrap_or(0);
    Ok((status.success(), requests))
}
