//! Hostile input: oversized and malformed bodies, wrong content types, injection
//! strings, absurd numbers, odd Unicode and other people's ids. Each is answered with a
//! 4xx in the JSON error shape — never a 500, never plain text — and changes nothing,
//! which is checked against a snapshot of every table. Text that is odd but legitimate
//! (an apostrophe, a `<script>` typed as a name) is kept exactly as data, never run.

use crate::helpers::{address, checkout_body, on_postgres, spawn_app_with, Shopper, TestApp};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server whose per-address limits do not get in the way of a few hundred requests
/// from one test (they have their own tests).
/// Every product has stock, so a refusal is never just "sold out".
async fn spawn_app() -> TestApp {
    let app = spawn_app_with(|s| {
        s.ip_limits = std::sync::Arc::new(aisle_api::platform::rate_limit::IpLimits {
            accounts: aisle_api::platform::rate_limit::RateLimiter::new(100_000, std::time::Duration::from_secs(60)),
            contact: aisle_api::platform::rate_limit::RateLimiter::new(100_000, std::time::Duration::from_secs(60)),
            mail: aisle_api::platform::rate_limit::RateLimiter::new(100_000, std::time::Duration::from_secs(60)),
            recipients: aisle_api::platform::rate_limit::RateLimiter::new(100_000, std::time::Duration::from_secs(60)),
        })
    })
    .await;
    sqlx::query("UPDATE products SET stock = 50").execute(&app.db).await.unwrap();
    app
}

/// Every table's rows, as text, except the ones any visit changes (sessions) or that
/// remember refusals on purpose (idempotent answers).
async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    if on_postgres() {
        return snapshot_postgres(app).await;
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' \
         AND name NOT IN ('sessions', 'idempotent_requests') ORDER BY name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(&t).fetch_all(&app.db).await.unwrap();
        let row = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
        let rows: Option<String> =
            sqlx::query_scalar(&format!("SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM \"{t}\" ORDER BY rowid)")).fetch_one(&app.db).await.unwrap();
        out.push((t, rows.unwrap_or_default()));
    }
    out
}

async fn snapshot_postgres(app: &TestApp) -> Vec<(String, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' \
         AND table_name NOT IN ('sessions', 'idempotent_requests') ORDER BY table_name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let rows: Option<String> = sqlx::query_scalar(&format!("SELECT string_agg(r::text, chr(10) ORDER BY r::text) FROM \"{t}\" r"))
            .fetch_one(&app.db)
            .await
            .unwrap();
        out.push((t, rows.unwrap_or_default()));
    }
    out
}

fn assert_same(before: &[(String, String)], after: &[(String, String)], what: &str) {
    for ((t, a), (_, b)) in before.iter().zip(after) {
        assert!(a == b, "{what} changed table {t}");
    }
}

/// A 4xx with the JSON error body; returns status and code.
async fn refused(res: reqwest::Response, what: &str) -> (u16, String) {
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let text = res.text().await.unwrap();
    assert!((400..500).contains(&status), "{what}: status {status}: {text}");
    assert!(ct.starts_with("application/json"), "{what}: content-type {ct:?}: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{what}: not JSON: {text}"));
    let code = body["error"]["code"].as_str().unwrap_or_else(|| panic!("{what}: no error code: {text}")).to_string();
    assert!(!body["error"]["message"].as_str().unwrap_or_default().is_empty(), "{what}: no message");
    (status, code)
}

/// Sends `body` as it is (bytes, not re-encoded) with the given content type.
async fn send_raw_body(s: &Shopper, method: &str, path: &str, body: impl Into<reqwest::Body>, content_type: Option<&str>) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = s.http.request(method, format!("{}{path}", s.url)).header("x-csrf-token", &s.csrf).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    req.send().await.unwrap()
}

/// One request over a bare TCP connection, byte for byte as given (no URL clean-up, no
/// framing help): status line and the rest.
async fn raw_http(app: &TestApp, request: &[u8]) -> (u16, String) {
    let addr = app.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // The server may answer (413) and close before it has read everything.
    let _ = stream.write_all(request).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

async fn signed_in(app: &TestApp, email: &str) -> Shopper {
    let mut s = app.shopper().await;
    s.sign_up(email).await;
    s
}

#[tokio::test]
async fn oversized_bodies_are_413_json_and_change_nothing() {
    let app = spawn_app().await;
    let s = signed_in(&app, "big@example.com").await;
    s.add_to_cart(1, 1).await;
    let before = snapshot(&app).await;
    let pad = "x".repeat(100 * 1024);
    for (method, path) in [
        ("PUT", "/api/cart/items"),
        ("POST", "/api/orders"),
        ("POST", "/api/account/addresses"),
        ("POST", "/api/support/tickets"),
        ("PUT", "/api/account"),
        ("POST", "/api/session"),
    ] {
        let body = json!({"product_id": 1, "quantity": 2, "name": pad, "email": "big@example.com", "password": pad}).to_string();
        let res = s
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{path}", s.url))
            .header("x-csrf-token", &s.csrf)
            .header("content-type", "application/json")
            .header("idempotency-key", "oversized-0001")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, code) = refused(res, path).await;
        assert_eq!((status, code.as_str()), (413, "payload_too_large"), "{method} {path}");
    }
    // Without a Content-Length the limit holds while reading.
    let addr = app.url.trim_start_matches("http://");
    let cookie = s.cookie().unwrap().to_str().unwrap().to_string();
    let mut req = format!(
        "PUT /api/cart/items HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nX-CSRF-Token: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        s.csrf
    )
    .into_bytes();
    for _ in 0..20 {
        let chunk = format!("{{\"product_id\": 1, \"quantity\": 2, \"pad\": \"{}\"}}", "y".repeat(8000));
        req.extend(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    req.extend(b"0\r\n\r\n");
    let (status, text) = raw_http(&app, &req).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("\"payload_too_large\""), "{text}");
    assert_same(&before, &snapshot(&app).await, "an oversized body");

    // The clickstream takes a full batch of long searches, and still not without end.
    let long = "ü".repeat(200);
    let events: Vec<Value> = (0..100).map(|_| json!({"kind": "search", "query": long, "results": 3, "at": "2026-01-01T00:00:00.000Z"})).collect();
    let batch = json!({"device_id": "a".repeat(32), "events": events}).to_string().replace('ü', "\\u00fc");
    assert!(batch.len() > 64 * 1024, "{}", batch.len());
    let res = send_raw_body(&s, "POST", "/api/events", batch, Some("application/json")).await;
    assert_eq!(res.status(), 202);
    let huge = json!({"device_id": "a".repeat(32), "events": [], "pad": "z".repeat(300 * 1024)}).to_string();
    let (status, _) = refused(send_raw_body(&s, "POST", "/api/events", huge, Some("application/json")).await, "events").await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types_are_400_and_415_json() {
    let app = spawn_app().await;
    let s = signed_in(&app, "malformed@example.com").await;
    let staff = app.staff().await;
    let before = snapshot(&app).await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bad_bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("cut off", b"{\"product_id\": 1, \"quan".to_vec()),
        ("not JSON", b"product_id=1&quantity=2".to_vec()),
        // (A struct may be sent as an array of its fields, so this one is not.)
        ("an array of the wrong things", b"[true, {}]".to_vec()),
        ("null", b"null".to_vec()),
        ("wrong types", br#"{"product_id": "one", "quantity": [2], "email": 5, "address": "here", "items": "all", "stock": "many", "rating": {}}"#.to_vec()),
        ("nested ten thousand deep", deep.into_bytes()),
        ("invalid UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
        ("trailing garbage", b"{\"product_id\": 1, \"quantity\": 1} {}".to_vec()),
    ];
    let routes = [
        (&s, "PUT", "/api/cart/items"),
        (&s, "POST", "/api/orders"),
        (&s, "POST", "/api/session"),
        (&s, "POST", "/api/account"),
        (&s, "PUT", "/api/account"),
        (&s, "PUT", "/api/account/password"),
        (&s, "PUT", "/api/account/privacy"),
        (&s, "POST", "/api/account/addresses"),
        (&s, "POST", "/api/support/tickets"),
        (&s, "POST", "/api/support/callbacks"),
        (&s, "POST", "/api/support/feedback"),
        (&s, "POST", "/api/support/chat/messages"),
        (&s, "POST", "/api/events"),
        (&s, "POST", "/api/faq/1/votes"),
        (&s, "DELETE", "/api/account"),
        (&staff, "PUT", "/api/staff/products/1/stock"),
    ];
    for (who, method, path) in routes {
        for (what, body) in &bad_bodies {
            let res = send_raw_body(who, method, path, body.clone(), Some("application/json")).await;
            let (status, _) = refused(res, &format!("{method} {path} with {what}")).await;
            assert_eq!(status, 400, "{method} {path} with {what}");
        }
        for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x"), Some("application/jsonx")] {
            let res = send_raw_body(who, method, path, r#"{"product_id": 1, "quantity": 1}"#, ct).await;
            let (status, code) = refused(res, &format!("{method} {path} as {ct:?}")).await;
            assert_eq!((status, code.as_str()), (415, "unsupported_media_type"), "{method} {path} as {ct:?}");
        }
    }
    assert_same(&before, &snapshot(&app).await, "malformed bodies");
    // Shipping reads its body itself.
    staff.add_to_cart(1, 1).await;
    let (_, order) = staff.checkout("malformed-ship-1", "").await;
    let before_ship = snapshot(&app).await;
    let number = order["number"].as_str().unwrap();
    let res = send_raw_body(&staff, "POST", &format!("/api/staff/orders/{number}/ship"), "{\"carrier\":", Some("application/json")).await;
    assert_eq!(refused(res, "ship").await.0, 400);
    assert_same(&before_ship, &snapshot(&app).await, "a malformed shipment");
}

#[tokio::test]
async fn injection_strings_and_traversal_are_data_or_not_found() {
    let app = spawn_app().await;
    let before = snapshot(&app).await;
    for path in [
        "/api/categories/%27%20OR%201%3D1%20--",
        "/api/categories/kitchen%27%20OR%20%271%27%3D%271/products",
        "/api/products/1%20OR%201%3D1",
        "/api/products/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/categories/..%2F..%2Fetc%2Fpasswd",
        "/api/products/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/orders/%27%20OR%20%271%27%3D%271",
        "/api/orders/A-1?token=%27%20OR%201%3D1%20--",
        "/api/faq/%27%20OR%201%3D1",
        "/api/products/%00",
        "/api/products/%FF",
        "/api/products/%FF/image.svg",
        "/api/categories/%C0%AE%C0%AE",
    ] {
        let s = app.shopper().await;
        let res = s.http.get(format!("{}{path}", app.url)).send().await.unwrap();
        let (status, _) = refused(res, path).await;
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
    // Paths sent byte for byte, as a browser never would.
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/..\\..\\..\\etc\\passwd",
        "/%2e%2e%5c%2e%2e%5cetc%5cpasswd",
        "/aisle-0123456789abcdef.js/../../../../etc/passwd",
        "/api/../../../../etc/passwd",
        "/api/products/../../../../etc/passwd",
        "//etc/passwd",
    ] {
        let (status, text) = raw_http(&app, format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await;
        assert!(!text.contains("root:"), "{target} served a system file");
        assert!((status == 200 && text.contains("app shell")) || (400..500).contains(&status), "{target}: {text}");
        if target.starts_with("/api/") && status != 200 {
            assert!(text.contains("application/json"), "{target}: {text}");
        }
    }

    // Typed into forms, the same strings are plain data: refused where the field has
    // a format, kept exactly where it is free text.
    let mut s = app.shopper().await;
    let (status, _) = s.send("POST", "/api/account", json!({"email": "' OR 1=1 --", "password": "a long password", "name": "Eve"})).await;
    assert_eq!(status, 400);
    let (status, _) = s.send("POST", "/api/session", json!({"email": "' OR 1=1 --", "password": "' OR 1=1 --"})).await;
    assert_eq!(status, 409);
    assert_same(&before, &snapshot(&app).await, "injection strings");
    let name = "<script>alert('x')</script> O'Brien; DROP TABLE customers; --";
    let (status, body) = s.send("POST", "/api/account", json!({"email": "obrien@example.com", "password": "a long password", "name": name})).await;
    assert_eq!(status, 201, "{body}");
    s.refresh().await;
    let (_, session) = s.get("/api/session").await;
    assert_eq!(session["customer"]["name"], name, "kept exactly");
    let (_, health) = app.get_json("/api/health").await;
    assert_eq!(health["products"], 240);
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(&app.db).await.unwrap();
    assert_eq!(customers, 1);
}

#[tokio::test]
async fn negative_zero_and_huge_numbers_are_refused() {
    let app = spawn_app().await;
    let s = signed_in(&app, "numbers@example.com").await;
    let staff = app.staff().await;
    s.add_to_cart(3, 2).await;
    let before = snapshot(&app).await;
    let bad_numbers = ["-1", "100", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e309", "-1e309", "1.5", "\"12abc\"", "\"12\"", "true", "null", "1e2"];
    for n in bad_numbers {
        let body = format!(r#"{{"product_id": 3, "quantity": {n}}}"#);
        let (status, _) = refused(send_raw_body(&s, "PUT", "/api/cart/items", body, Some("application/json")).await, &format!("quantity {n}")).await;
        assert_eq!(status, 400, "quantity {n}");
        let body = format!(r#"{{"product_id": {n}, "quantity": 1}}"#);
        if n == "100" {
            continue; // a product that exists
        }
        let (status, _) = refused(send_raw_body(&s, "PUT", "/api/cart/items", body, Some("application/json")).await, &format!("product {n}")).await;
        assert!(status == 400 || status == 404, "product {n}: {status}");
        let body = format!(r#"{{"stock": {n}}}"#);
        let (status, _) = refused(send_raw_body(&staff, "PUT", "/api/staff/products/3/stock", body, Some("application/json")).await, &format!("stock {n}")).await;
        assert_eq!(status, 400, "stock {n}");
        // Checkout with absurd expected lines: the order is refused whole.
        let lines = format!(r#"[{{"product_id": 3, "quantity": {n}, "unit_price_minor": 100}}]"#);
        let body = checkout_body("", vec![]).to_string().replace("\"expected\":[]", &format!("\"expected\":{lines}"));
        let res = s
            .http
            .post(format!("{}/api/orders", s.url))
            .header("x-csrf-token", &s.csrf)
            .header("content-type", "application/json")
            .header("idempotency-key", format!("numbers-{}", n.len()))
            .body(body)
            .send()
            .await
            .unwrap();
        refused(res, &format!("order quantity {n}")).await;
        let lines = format!(r#"[{{"product_id": 3, "quantity": 1, "unit_price_minor": {n}}}]"#);
        let body = checkout_body("", vec![]).to_string().replace("\"expected\":[]", &format!("\"expected\":{lines}"));
        let res = s
            .http
            .post(format!("{}/api/orders", s.url))
            .header("x-csrf-token", &s.csrf)
            .header("content-type", "application/json")
            .header("idempotency-key", format!("prices-{}-{}", n.len(), n.starts_with('-')))
            .body(body)
            .send()
            .await
            .unwrap();
        refused(res, &format!("order price {n}")).await;
    }
    for q in ["limit=-1", "limit=9223372036854775807", "limit=1e309", "limit=12abc", "q=mug&limit=%00"] {
        let res = s.http.get(format!("{}/api/search?q=mug&{q}", s.url)).send().await.unwrap();
        refused(res, q).await;
    }
    for days in ["0", "-1", "9223372036854775807", "1e309", "12abc"] {
        let res = staff.http.get(format!("{}/api/staff/insight?days={days}", staff.url)).send().await.unwrap();
        refused(res, &format!("days={days}")).await;
    }
    assert_same(&before, &snapshot(&app).await, "absurd numbers");
}

#[tokio::test]
async fn order_changes_with_absurd_or_repeated_lines_change_nothing() {
    let app = spawn_app().await;
    let s = signed_in(&app, "changes@example.com").await;
    s.add_to_cart(5, 1).await;
    let (status, order) = s.checkout("changes-order-1", "").await;
    assert_eq!(status, 201, "{order}");
    let number = order["number"].as_str().unwrap().to_string();
    let before = snapshot(&app).await;
    let path = format!("/api/orders/{number}/items");
    for items in [
        json!([{"product_id": 5, "quantity": 0}, {"product_id": 5, "quantity": 0}]),
        json!([{"product_id": 5, "quantity": 3}, {"product_id": 5, "quantity": 3}]),
        json!([{"product_id": 5, "quantity": -1}]),
        json!([{"product_id": 5, "quantity": 9223372036854775807i64}]),
        json!([{"product_id": 6, "quantity": 1}]),
        json!([{"product_id": 5, "quantity": 0}]),
    ] {
        let res = s.http.put(format!("{}{path}", s.url)).header("x-csrf-token", &s.csrf).json(&json!({"items": items})).send().await.unwrap();
        refused(res, &items.to_string()).await;
        assert_same(&before, &snapshot(&app).await, &format!("items {items}"));
    }
    let res = s.http.post(format!("{}/api/orders/{number}/return", s.url)).header("x-csrf-token", &s.csrf).json(&json!({"reason": "\u{0}"})).send().await.unwrap();
    refused(res, "return of a placed order").await;
    assert_same(&before, &snapshot(&app).await, "a refused return");
}

#[tokio::test]
async fn odd_unicode_is_refused_where_it_could_mislead_and_never_breaks_anything() {
    let app = spawn_app().await;
    let s = signed_in(&app, "unicode@example.com").await;
    let before = snapshot(&app).await;
    let combining = format!("a{}", "\u{0301}".repeat(10_000));
    for name in ["Ada\u{0}Lovelace", "Ada \u{202E}ecalevoL", "\u{2067}Ada\u{2069}", combining.as_str(), "\u{7}bell", "line\nbreak"] {
        let (status, body) = s.send("PUT", "/api/account", json!({"name": name, "email": "unicode@example.com", "phone": ""})).await;
        assert_eq!(status, 400, "{name:?}: {body}");
        let mut a = address();
        a["line1"] = json!(name);
        let (status, _) = s.send("POST", "/api/account/addresses", a).await;
        assert_eq!(status, 400, "{name:?}");
        let (status, _) = s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "unicode@example.com", "subject": name, "body": "Hello"})).await;
        assert_eq!(status, 400, "subject {name:?}");
    }
    for body in ["hi\u{0}there", "\u{202E}gnp.exe", combining.as_str()] {
        let (status, _) = s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "unicode@example.com", "subject": "Hi", "body": body})).await;
        assert_eq!(status, 400, "body {body:?}");
    }
    // Lone surrogates can only arrive escaped; they are not text at all.
    for raw in [r#"{"name": "\ud800", "email": "unicode@example.com", "phone": ""}"#, r#"{"name": "a\udc00b", "email": "unicode@example.com", "phone": ""}"#] {
        let (status, _) = refused(send_raw_body(&s, "PUT", "/api/account", raw, Some("application/json")).await, raw).await;
        assert_eq!(status, 400);
    }
    // A query string that is not UTF-8 once decoded is read leniently (U+FFFD), so
    // a search for it finds nothing rather than failing; a number in it is refused.
    for q in ["q=%ED%A0%80", "q=%FF%FE"] {
        let (status, _) = app.get_json(&format!("/api/search?{q}")).await;
        assert_eq!(status, 200, "{q}");
    }
    refused(s.http.get(format!("{}/api/search?q=mug&limit=%C0%80", s.url)).send().await.unwrap(), "limit").await;
    // A header that is not text.
    let res = s
        .http
        .put(format!("{}/api/account/privacy", s.url))
        .header("x-csrf-token", &s.csrf)
        .header("idempotency-key", reqwest::header::HeaderValue::from_bytes(b"key-\xff\xfe-0001").unwrap())
        .json(&json!({"personalisation": true, "clickstream": true}))
        .send()
        .await
        .unwrap();
    refused(res, "a non-UTF-8 idempotency key").await;
    assert_same(&before, &snapshot(&app).await, "odd Unicode");

    // Right-to-left words, accents and emoji (a surrogate pair, escaped) are names.
    let raw = r#"{"name": "\u05e9\u05dc\u05d5\u05dd Zo\u00eb \ud83d\udca5", "email": "unicode@example.com", "phone": ""}"#;
    let res = send_raw_body(&s, "PUT", "/api/account", raw, Some("application/json")).await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["name"], "שלום Zoë 💥");
}

#[tokio::test]
async fn other_peoples_ids_are_not_found_and_untouched() {
    let app = spawn_app().await;
    let ada = signed_in(&app, "ada@example.com").await;
    ada.add_to_cart(7, 1).await;
    let (_, order) = ada.checkout("ada-order-0001", "").await;
    let number = order["number"].as_str().unwrap().to_string();
    let (_, addr) = ada.send("POST", "/api/account/addresses", address()).await;
    let addr_id = addr["id"].as_i64().unwrap();
    let (status, ticket) = ada.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "ada@example.com", "subject": "Where is it", "body": "Hello"})).await;
    assert_eq!(status, 201, "{ticket}");
    let ticket_id = ticket["id"].as_i64().unwrap();
    ada.add_to_cart(10, 2).await;

    let guest = app.shopper().await;
    let guest_token = "c".repeat(64);
    let (status, guest_ticket) =
        guest.send("POST", "/api/support/tickets", json!({"name": "Gus", "email": "gus@example.com", "subject": "Hi", "body": "Hello", "support_token": guest_token})).await;
    assert_eq!(status, 201);
    let guest_ticket_id = guest_ticket["id"].as_i64().unwrap();
    guest.add_to_cart(9, 1).await;

    let eve = signed_in(&app, "eve@example.com").await;
    let before = snapshot(&app).await;
    let requests: Vec<(&str, String, Value)> = vec![
        ("GET", format!("/api/orders/{number}"), json!(null)),
        ("GET", format!("/api/orders/{number}?token=wrong"), json!(null)),
        ("GET", format!("/api/orders/{number}?token={}", "0".repeat(64)), json!(null)),
        ("POST", format!("/api/orders/{number}/cancel"), json!({})),
        ("PUT", format!("/api/orders/{number}/items"), json!({"items": [{"product_id": 7, "quantity": 5}]})),
        ("PUT", format!("/api/orders/{number}/address"), address()),
        ("POST", format!("/api/orders/{number}/return"), json!({"reason": "mine now"})),
        ("GET", format!("/api/orders/{number}/ratings"), json!(null)),
        ("PUT", format!("/api/orders/{number}/ratings/7"), json!({"rating": 1})),
        ("PUT", format!("/api/account/addresses/{addr_id}"), address()),
        ("DELETE", format!("/api/account/addresses/{addr_id}"), json!({})),
        ("GET", format!("/api/support/tickets/{ticket_id}"), json!(null)),
        ("POST", format!("/api/support/tickets/{ticket_id}/messages"), json!({"body": "I am Ada"})),
        ("GET", format!("/api/support/tickets/{guest_ticket_id}"), json!(null)),
        ("POST", format!("/api/support/tickets/{guest_ticket_id}/messages"), json!({"body": "I am Gus"})),
        ("GET", "/api/staff/orders".to_string(), json!(null)),
        ("POST", format!("/api/staff/orders/{number}/cancel"), json!({})),
        ("GET", "/api/staff/support/customers/customer:1".to_string(), json!(null)),
    ];
    for (method, path, body) in &requests {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = eve.http.request(m, format!("{}{path}", eve.url)).header("x-csrf-token", &eve.csrf);
        if !body.is_null() {
            req = req.json(body);
        }
        let (status, _) = refused(req.send().await.unwrap(), &format!("{method} {path}")).await;
        assert!(status == 404 || status == 403, "{method} {path}: {status}");
    }
    // A cart has no id to name: extra fields naming another's cart are ignored, and
    // Eve's change lands in Eve's cart only.
    assert_same(&before, &snapshot(&app).await, "another's ids");
    let (status, cart) = eve.send("PUT", "/api/cart/items", json!({"product_id": 7, "quantity": 1, "cart_id": 1, "customer_id": 1, "session_hash": "x"})).await;
    assert_eq!(status, 200, "{cart}");
    let (_, ada_cart) = ada.get("/api/cart").await;
    assert_eq!(ada_cart["count"], 2, "{ada_cart}");
    let (_, guest_cart) = guest.get("/api/cart").await;
    assert_eq!(guest_cart["count"], 1);
    let (_, ada_order) = ada.get(&format!("/api/orders/{number}")).await;
    assert_eq!(ada_order["status"], "placed");
}

#[tokio::test]
async fn every_route_answers_hostile_ids_and_bodies_in_json_without_a_server_error() {
    let app = spawn_app().await;
    let shopper = signed_in(&app, "sweep@example.com").await;
    let staff = app.staff().await;
    let guest = app.shopper().await;
    let ids = ["0", "-1", "9223372036854775807", "99999999999999999999", "%00", "%FF", "..%2F..%2Fetc", "%27%20OR%201=1--", "1.5", "%E2%80%AE1"];
    let templates = [
        ("GET", "/api/categories/{}"),
        ("GET", "/api/categories/{}/products"),
        ("GET", "/api/products/{}"),
        ("GET", "/api/products/{}/image.svg"),
        ("GET", "/api/products/{}/stock/events"),
        ("PUT", "/api/account/addresses/{}"),
        ("DELETE", "/api/account/addresses/{}"),
        ("GET", "/api/orders/{}"),
        ("POST", "/api/orders/{}/cancel"),
        ("PUT", "/api/orders/{}/items"),
        ("PUT", "/api/orders/{}/address"),
        ("POST", "/api/orders/{}/return"),
        ("GET", "/api/orders/{}/ratings"),
        ("PUT", "/api/orders/{}/ratings/{}"),
        ("GET", "/api/staff/orders/{}"),
        ("POST", "/api/staff/orders/{}/{}"),
        ("PUT", "/api/staff/products/{}/stock"),
        ("GET", "/api/support/tickets/{}"),
        ("POST", "/api/support/tickets/{}/messages"),
        ("POST", "/api/faq/{}/votes"),
        ("GET", "/api/staff/support/customers/{}"),
        ("POST", "/api/staff/support/callbacks/{}/schedule"),
        ("POST", "/api/staff/support/callbacks/{}/done"),
        ("POST", "/api/staff/support/tickets/{}/reply"),
        ("POST", "/api/staff/support/tickets/{}/close"),
        ("POST", "/api/staff/support/conversations/{}/close"),
    ];
    let bodies = [json!({}), json!([]), json!("x"), json!({"items": [{"product_id": -1, "quantity": -1}], "rating": -1, "stock": -1, "helpful": "yes"})];
    let before = snapshot(&app).await;
    for who in [&shopper, &staff, &guest] {
        for (method, template) in templates {
            for id in ids {
                let path = template.replace("{}", id);
                let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                for body in if method == "GET" { &bodies[..1] } else { &bodies[..] } {
                    let mut req = who.http.request(m.clone(), format!("{}{path}", who.url)).header("x-csrf-token", &who.csrf);
                    if method != "GET" {
                        req = req.json(body);
                    }
                    let res = req.send().await.unwrap();
                    refused(res, &format!("{method} {path} {body}")).await;
                }
            }
        }
    }
    assert_same(&before, &snapshot(&app).await, "the sweep");
}
