//! What an operator sees: request ids in answers and log lines, `/metrics` for the
//! addresses allowed, `/healthz` and `/readyz`, and rate limits that count once for
//! every instance on one PostgreSQL.

use crate::helpers::{on_postgres, spawn_app, spawn_app_with, TestDatabase};
use aisle_api::platform::config::Network;
use serde_json::{json, Value};
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

#[tokio::test]
async fn every_answer_carries_a_request_id_the_callers_when_it_is_sensible() {
    let app = spawn_app().await;
    let given = app.client.get(format!("{}/api/categories", app.url)).header("x-request-id", "lb-0001.abc").send().await.expect("request");
    assert_eq!(given.headers()["x-request-id"], "lb-0001.abc");
    let made = app.get("/api/no-such-thing").await;
    let id = made.headers()["x-request-id"].to_str().expect("text").to_string();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let odd = app.client.get(format!("{}/", app.url)).header("x-request-id", "two words").send().await.expect("request");
    assert_ne!(odd.headers()["x-request-id"], "two words", "an id that could forge a log line is replaced");
}

/// The real binary, logging JSON: the request's line carries its id, its route's
/// pattern and its status, and neither the path nor a token in the query.
#[tokio::test]
async fn a_request_is_one_log_line_with_its_id_and_route_and_no_token() {
    let dir = tempfile::tempdir().expect("dir");
    let database = TestDatabase::new(dir.path()).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_aisle-api"))
        .arg("serve")
        .env("DATABASE_URL", &database.url)
        .env("AISLE_ADDR", "127.0.0.1:0")
        .env("AISLE_WEB_DIR", dir.path().join("no-web-app"))
        .env("AISLE_MAIL_DIR", dir.path().join("mail"))
        .env("AISLE_LOG_FORMAT", "json")
        .env_remove("AISLE_LOG_LEVEL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aisle-api");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = loop {
        let line = lines.next().expect("the server exited").expect("read");
        if let Some(rest) = line.strip_prefix("Aisle is running at ") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let into = seen.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            into.lock().expect("lines").push(line);
        }
    });
    let client = reqwest::Client::new();
    let res = client.get(format!("{url}/api/orders/A000001?token=secret0123456789")).header("x-request-id", "op-test-7").send().await.expect("request");
    let status = res.status().as_u16();
    assert_eq!(res.headers()["x-request-id"].to_str().ok(), Some("op-test-7"));
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        let found = seen.lock().expect("lines").iter().find(|l| l.contains("op-test-7")).cloned();
        if let Some(line) = found {
            break line;
        }
        assert!(Instant::now() < deadline, "no log line with the request id: {:?}", seen.lock().expect("lines"));
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = child.kill();
    let _ = child.wait();
    let entry: Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(entry["span"]["id"], "op-test-7", "{line}");
    assert_eq!(entry["span"]["route"], "/api/orders/{number}", "{line}");
    assert_eq!(entry["span"]["method"], "GET", "{line}");
    assert_eq!(entry["fields"]["status"], status, "{line}");
    let all = seen.lock().expect("lines").join("\n");
    assert!(!all.contains("secret0123456789") && !all.contains("A000001"), "the path and its token stay out of the logs:\n{all}");
}

#[tokio::test]
async fn metrics_answer_loopback_and_refuse_other_addresses_unless_allowed() {
    let app = spawn_app().await;
    app.get("/api/categories").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("type").starts_with("application/openmetrics-text"));
    let text = res.text().await.expect("body");
    for wanted in [
        r#"aisle_http_requests_total{method="GET",route="/api/categories",status="200"} 1"#,
        "aisle_http_request_duration_seconds_bucket",
        r#"aisle_db_connections{state="idle"}"#,
        "aisle_db_connections_max",
        "aisle_mail_waiting",
        "aisle_instance_signals_waiting",
        r#"aisle_chat_sockets_open{role="shopper"} 0"#,
    ] {
        assert!(text.contains(wanted), "{wanted} missing from\n{text}");
    }

    // Behind one proxy the client's address is the proxy's entry in X-Forwarded-For.
    let behind_proxy = |allow: Vec<Network>| move |s: &mut aisle_api::AppState| {
        s.trusted_proxies = 1;
        s.metrics_allow = Arc::new(allow);
    };
    let closed = spawn_app_with(behind_proxy(Vec::new())).await;
    let res = closed.client.get(format!("{}/metrics", closed.url)).header("x-forwarded-for", "203.0.113.9").send().await.expect("request");
    assert_eq!(res.status(), 404, "an address not allowed sees nothing there");
    let open = spawn_app_with(behind_proxy(vec![Network::parse("203.0.113.0/24").expect("network")])).await;
    let res = open.client.get(format!("{}/metrics", open.url)).header("x-forwarded-for", "203.0.113.9").send().await.expect("request");
    assert_eq!(res.status(), 200, "an allowed network reads the metrics");
}

#[tokio::test]
async fn healthz_says_alive_and_readyz_ready_until_migrations_are_missing_or_the_server_stops() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("alive")));
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!((status, body), (200, json!({"status": "ready", "database": "ok", "migrations": "applied"})));

    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)").execute(&app.db).await.expect("forget one");
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!((status, body["migrations"].as_str()), (503, Some("1 not applied")), "{body}");

    app.health.stop();
    let (status, body) = app.get_json("/readyz").await;
    assert_eq!((status, body["status"].as_str()), (503, Some("stopping")));
    let (status, _) = app.get_json("/healthz").await;
    assert_eq!(status, 200, "a stopping server is still alive");
}

/// On PostgreSQL each allowance is one for both instances: a shopper whose chat
/// messages (20 a minute) and call-back requests (5 in 10 minutes) land on A and B in
/// turn is stopped at the 21st and the 6th, wherever they land.
#[tokio::test]
async fn two_instances_share_one_chat_and_form_allowance() {
    if !on_postgres() {
        // One SQLite file serves one instance; `cargo xtask test` runs this on PostgreSQL.
        return;
    }
    let a = spawn_app().await;
    let b = a.another_instance().await;
    let mut shopper = a.shopper().await;
    shopper.sign_up("rita@example.com").await;
    let on_b = shopper.via(&b);
    for n in 0..20 {
        let via = if n % 2 == 0 { &shopper } else { &on_b };
        let (status, body) = via.send("POST", "/api/support/chat/messages", json!({"client_id": format!("m-{n:04}"), "body": format!("Message {n}")})).await;
        assert_eq!(status, 201, "message {n}: {body}");
    }
    for via in [&shopper, &on_b] {
        let (status, body) = via.send("POST", "/api/support/chat/messages", json!({"client_id": "m-over", "body": "One more"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (429, Some("too_many_requests")), "{body}");
    }
    for n in 0..5 {
        let via = if n % 2 == 0 { &shopper } else { &on_b };
        let (status, body) = via.send("POST", "/api/support/callbacks", json!({"name": "Rita", "phone": "+44 20 7946 0000", "window": "asap", "topic": "A question"})).await;
        assert_eq!(status, 201, "call-back {n}: {body}");
    }
    let (status, body) = on_b.send("POST", "/api/support/callbacks", json!({"name": "Rita", "phone": "+44 20 7946 0000", "window": "asap", "topic": "Again"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (429, Some("too_many_requests")), "{body}");
}
