//! Faults, against the real `aisle-api` binary on a new database (the in-process
//! server of the other tests cannot be killed mid-write or sent a signal):
//!
//! - SIGKILL in the middle of a burst of checkouts, a restart on the same file, and
//!   every unanswered order sent again with its Idempotency-Key: each order a shopper
//!   saw acknowledged exists exactly once, none exists twice, and stock adds up.
//! - SIGTERM: no new connections, requests in flight answered, and the process ends
//!   even while a stock stream is open.

use crate::helpers::TestDatabase;
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const PRODUCTS: [i64; 4] = [11, 12, 13, 14];
const INITIAL_STOCK: i64 = 40;

struct Server {
    child: Child,
    url: String,
}

/// Starts the binary on a free port over `dir`'s database and waits for its
/// "running at" line.
fn start(dir: &Path, database_url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aisle-api"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("AISLE_ADDR", "127.0.0.1:0")
        .env("AISLE_WEB_DIR", dir.join("no-web-app"))
        .env("AISLE_MAIL_DIR", dir.join("mail"))
        .env_remove("AISLE_SMTP_URL")
        .env_remove("AISLE_TRUSTED_PROXIES")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aisle-api");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("the server exited before it was running").expect("read");
        if let Some(rest) = line.strip_prefix("Aisle is running at ") {
            break rest.trim_end_matches('/').to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(10)).build().expect("client")
}

/// One checkout as the app makes it: a guest session, the cart, then the order.
#[derive(Clone, Debug)]
struct Attempt {
    key: String,
    email: String,
    product: i64,
    quantity: i64,
    price: i64,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    /// The shopper saw the order: its number.
    Placed(String),
    /// The shop said no (sold out): nothing was ordered.
    Refused,
    /// No answer: the server went away.
    Unanswered,
}

async fn session(http: &reqwest::Client, url: &str) -> Option<String> {
    let body: Value = http.get(format!("{url}/api/session")).send().await.ok()?.json().await.ok()?;
    body["csrf_token"].as_str().map(str::to_string)
}

/// The outcome, and whether the answer was a replay of an order placed before (200
/// rather than 201).
async fn place(http: &reqwest::Client, url: &str, csrf: &str, a: &Attempt) -> (Outcome, bool) {
    let body = json!({
        "email": a.email,
        // In the shop's own market (the server's built-in rules price the UK in pounds).
        "address": {"name": "Ada Lovelace", "line1": "Hauptstraße 5", "city": "Berlin", "postcode": "10115", "country": "DE"},
        "payment_method": "pay_on_delivery",
        "expected": [{"product_id": a.product, "quantity": a.quantity, "unit_price_minor": a.price}],
    });
    let res = match http.post(format!("{url}/api/orders")).header("x-csrf-token", csrf).header("idempotency-key", &a.key).json(&body).send().await {
        Ok(r) => r,
        Err(_) => return (Outcome::Unanswered, false),
    };
    let status = res.status().as_u16();
    let Ok(body) = res.json::<Value>().await else { return (Outcome::Unanswered, false) };
    match status {
        200 | 201 => (Outcome::Placed(body["number"].as_str().expect("number").to_string()), status == 200),
        409 => {
            assert_eq!(body["error"]["code"], "cart_changed", "{body}");
            (Outcome::Refused, false)
        }
        _ => panic!("unexpected answer {status} {body}"),
    }
}

/// A shopper placing orders one after another until the server goes away (or 60).
async fn shopper(n: usize, url: String, prices: HashMap<i64, i64>, log: Arc<Mutex<Vec<(Attempt, Outcome)>>>) {
    for i in 0..60 {
        let product = PRODUCTS[(n + i) % PRODUCTS.len()];
        let a = Attempt {
            key: format!("burst-{n}-{i}-order"),
            email: format!("shopper{n}.{i}@example.com"),
            product,
            quantity: 1 + ((n + i) % 3) as i64,
            price: prices[&product],
        };
        let http = client();
        let outcome = match session(&http, &url).await {
            None => Outcome::Unanswered,
            Some(csrf) => {
                let cart = http
                    .put(format!("{url}/api/cart/items"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"product_id": a.product, "quantity": a.quantity}))
                    .send()
                    .await;
                match cart {
                    Err(_) => Outcome::Unanswered,
                    Ok(_) => place(&http, &url, &csrf, &a).await.0,
                }
            }
        };
        let gone = outcome == Outcome::Unanswered;
        log.lock().unwrap().push((a, outcome));
        if gone {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_survive_a_kill_mid_burst_exactly_once_and_stock_adds_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::new(dir.path()).await;
    let db_url = database.url.clone();
    // The catalogue with known stock, written before the server first starts.
    let prices: HashMap<i64, i64> = {
        let db = aisle_api::platform::db::open(&db_url).await.expect("open");
        aisle_api::demo::seed_if_empty(&db).await.expect("seed");
        let mut prices = HashMap::new();
        for p in PRODUCTS {
            sqlx::query("UPDATE products SET stock = $1 WHERE id = $2").bind(INITIAL_STOCK).bind(p).execute(&db).await.unwrap();
            prices.insert(p, sqlx::query_scalar("SELECT price_minor FROM products WHERE id = $1").bind(p).fetch_one(&db).await.unwrap());
        }
        db.close().await;
        prices
    };

    let mut server = start(dir.path(), &db_url);
    let log = Arc::new(Mutex::new(Vec::new()));
    let shoppers: Vec<_> = (0..6).map(|n| tokio::spawn(shopper(n, server.url.clone(), prices.clone(), log.clone()))).collect();
    // Kill once a good number of orders went through, while the rest are on the wire.
    let started = Instant::now();
    loop {
        let placed = log.lock().unwrap().iter().filter(|(_, o)| matches!(o, Outcome::Placed(_))).count();
        if placed >= 12 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");
    for s in shoppers {
        s.await.expect("shopper");
    }
    let attempts = std::mem::take(&mut *log.lock().unwrap());
    let unanswered = attempts.iter().filter(|(_, o)| *o == Outcome::Unanswered).count();
    assert_eq!(unanswered, 6, "every shopper lost the server once: {attempts:?}");
    assert!(attempts.iter().filter(|(_, o)| matches!(o, Outcome::Placed(_))).count() >= 12);

    // Restarted on the same file, every order is sent again with its own key: what was
    // acknowledged comes back as it was, what was lost is placed now (or refused).
    let mut server = start(dir.path(), &db_url);
    let mut finals: Vec<(Attempt, Outcome, Outcome)> = Vec::new();
    let mut committed_unacknowledged = 0;
    for (a, first) in attempts {
        let http = client();
        let csrf = session(&http, &server.url).await.expect("session after restart");
        let (again, replayed) = place(&http, &server.url, &csrf, &a).await;
        if first == Outcome::Unanswered && replayed {
            committed_unacknowledged += 1;
        }
        assert_ne!(again, Outcome::Unanswered, "{a:?}");
        if let Outcome::Placed(number) = &first {
            assert_eq!(again, Outcome::Placed(number.clone()), "an acknowledged order is the same order on retry: {a:?}");
        }
        finals.push((a, first, again));
    }
    server.child.kill().expect("stop");
    server.child.wait().expect("reaped");

    let db = aisle_api::platform::db::open(&db_url).await.expect("reopen");
    let orders: Vec<(String, String)> = sqlx::query_as("SELECT idempotency_key, number FROM orders").fetch_all(&db).await.unwrap();
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    for (key, number) in &orders {
        by_key.entry(key.clone()).or_default().push(number.clone());
    }
    for (a, first, again) in &finals {
        let found = by_key.get(&a.key).cloned().unwrap_or_default();
        match (first, again) {
            (Outcome::Placed(n), _) => assert_eq!(found, vec![n.clone()], "acknowledged {a:?} exists exactly once"),
            (_, Outcome::Placed(n)) => assert_eq!(found, vec![n.clone()], "placed on retry {a:?} exists exactly once"),
            _ => assert!(found.is_empty(), "refused {a:?} left no order"),
        }
        if !found.is_empty() {
            let items: Vec<(i64, i64)> = sqlx::query_as("SELECT i.product_id, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.idempotency_key = $1")
                .bind(&a.key)
                .fetch_all(&db)
                .await
                .unwrap();
            assert_eq!(items, vec![(a.product, a.quantity)], "{a:?}");
        }
    }
    eprintln!(
        "burst: {} attempts, {} acknowledged, {} unanswered ({} of them committed before the kill); {} orders",
        finals.len(),
        finals.iter().filter(|(_, f, _)| matches!(f, Outcome::Placed(_))).count(),
        finals.iter().filter(|(_, f, _)| *f == Outcome::Unanswered).count(),
        committed_unacknowledged,
        orders.len()
    );
    assert_eq!(orders.len(), by_key.len(), "no key has two orders");
    assert_eq!(orders.len(), finals.iter().filter(|(_, f, g)| matches!(f, Outcome::Placed(_)) || matches!(g, Outcome::Placed(_))).count(), "no order nobody asked for");
    for p in PRODUCTS {
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM products WHERE id = $1").bind(p).fetch_one(&db).await.unwrap();
        let ordered: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_items WHERE product_id = $1").bind(p).fetch_one(&db).await.unwrap();
        assert!(stock >= 0, "product {p}: stock {stock}");
        assert_eq!(INITIAL_STOCK, stock + ordered, "product {p}: {stock} in stock + {ordered} ordered");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_accepting_answers_requests_in_flight_and_ends_despite_open_streams() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::new(dir.path()).await;
    let db_url = database.url.clone();
    let mut server = start(dir.path(), &db_url);
    let addr = server.url.trim_start_matches("http://").to_string();

    // A product page's stock stream, which never ends by itself.
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream.write_all(format!("GET /api/products/1/stock/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).await.unwrap();
    let mut first = [0u8; 256];
    let n = stream.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("200 OK"));

    // Sign-ins in flight when the signal comes: each request is sent but for its
    // body's last byte, so the server is certainly mid-request (however slowly a
    // loaded machine accepts and reads it) and cannot have answered yet.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder().cookie_provider(jar.clone()).build().expect("client");
    let csrf = session(&http, &server.url).await.expect("a session");
    let cookie = {
        use reqwest::cookie::CookieStore;
        let url = server.url.parse().expect("url");
        jar.cookies(&url).expect("a session cookie").to_str().expect("ascii").to_string()
    };
    let mut in_flight = Vec::new();
    for i in 0..4 {
        let body = json!({"email": format!("nobody{i}@example.com"), "password": "not the password"}).to_string();
        let head = format!(
            "POST /api/session HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nx-csrf-token: {csrf}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let mut conn = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        conn.write_all(head.as_bytes()).await.expect("send");
        conn.write_all(&body.as_bytes()[..body.len() - 1]).await.expect("send");
        in_flight.push((conn, body.as_bytes()[body.len() - 1]));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stopping = Instant::now();
    let signalled = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill");
    assert!(signalled.success());
    tokio::time::sleep(Duration::from_millis(100)).await;

    for (mut conn, last) in in_flight {
        conn.write_all(&[last]).await.expect("the request's end reaches the stopping server");
        let mut answer = String::new();
        conn.read_to_string(&mut answer).await.expect("an answer, not a dropped connection");
        assert!(answer.starts_with("HTTP/1.1 409"), "{answer}");
    }
    // No new connections once stopping (give the signal a moment to land).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fresh = reqwest::Client::new().get(format!("{}/api/health", server.url)).timeout(Duration::from_secs(2)).send().await;
    assert!(fresh.is_err(), "a new connection was served while stopping: {fresh:?}");

    // The open stream does not keep the process alive past the drain time.
    let deadline = aisle_api::DRAIN + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(stopping.elapsed() < deadline, "still running {:?} after SIGTERM", stopping.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status}");
    drop(stream);
}
