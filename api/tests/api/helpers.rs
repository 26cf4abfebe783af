use aisle_api::{
    app,
    emails::{Emails, Shop},
    platform::db,
    AppState,
};
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db: db::Db,
    /// The served web folder (the fake build), for tests that deploy over it.
    pub web_dir: PathBuf,
    /// What `/readyz` reads, for tests that stop the server.
    pub health: aisle_api::platform::health::Health,
    // Kept so the database and web folders live as long as the server. The database
    // goes last, after the pool; another instance on the same database holds none.
    _dir: TempDir,
    _database: Option<TestDatabase>,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.url)).send().await.expect("request failed")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert!(ct.starts_with("application/json"), "{path}: content-type {ct:?}");
        (status, res.json().await.expect("body is not JSON"))
    }
}

/// Starts the whole application (API and web app) on 127.0.0.1:0 with a new database
/// seeded with the demo catalogue and a small fake web build.
/// The built-in rules' markets (the UK in pounds, Switzerland in francs), for
/// [`spawn_app_with`].
pub fn with_markets(state: &mut AppState) {
    std::sync::Arc::make_mut(&mut state.rules).markets = aisle_domain::delivery::ShopRules::default().markets;
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// As [`spawn_app`], with the state changed first (smaller limits, a trusted proxy).
pub async fn spawn_app_with(tweak: impl FnOnce(&mut AppState)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::new(dir.path()).await;
    let db = db::open(&database.url).await.expect("open database");
    aisle_api::demo::seed_if_empty(&db).await.expect("seed");
    let mut app = serve(dir, db, tweak).await;
    app._database = Some(database);
    app
}

/// Serves the whole application over `db` on 127.0.0.1:0, with a fake web build in
/// `dir`, listening to other instances when on PostgreSQL.
async fn serve(dir: TempDir, db: db::Db, tweak: impl FnOnce(&mut AppState)) -> TestApp {
    let web_dir = fake_web_build(dir.path().join("dist"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut state = AppState::new(db.clone()).await.expect("state");
    // Links in e-mails lead back to this server, as AISLE_PUBLIC_URL would have them.
    state.emails = std::sync::Arc::new(Emails::new(Shop { url: format!("http://{addr}"), ..Shop::default() }));
    // A shop in one currency: the tests' orders go to the UK, which the built-in rules
    // price in pounds. Tests of markets put them back ([`with_markets`]).
    std::sync::Arc::make_mut(&mut state.rules).markets = Default::default();
    tweak(&mut state);
    aisle_api::listen_to_other_instances(&state).await.expect("fan-out");
    let served = web_dir.clone();
    let health = state.health.clone();
    tokio::spawn(async move {
        axum::serve(listener, aisle_api::into_service(app(state, served))).await.expect("server");
    });
    TestApp { url: format!("http://{addr}"), client: reqwest::Client::new(), db, web_dir, health, _dir: dir, _database: None }
}

/// A new, empty database for one test: a SQLite file in `dir`, or, when
/// `AISLE_TEST_POSTGRES` names a PostgreSQL server (`cargo xtask test` starts one), a
/// new database on it, dropped again when this goes out of scope so that a run's
/// hundred-odd databases never pile up on the disk at once.
pub struct TestDatabase {
    pub url: String,
    /// The server and database name to drop, on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn new(dir: &std::path::Path) -> TestDatabase {
        match std::env::var("AISLE_TEST_POSTGRES") {
            Ok(server) if !server.is_empty() => {
                use sqlx::Connection;
                static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                let name = format!(
                    "aisle_test_{}_{}",
                    std::process::id(),
                    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                let mut conn = sqlx::PgConnection::connect(&server).await.expect("connect to the test PostgreSQL server");
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await.expect("create database");
                let (base, _) = server.rsplit_once('/').expect("a server URL ends in /database");
                TestDatabase { url: format!("{base}/{name}"), postgres: Some((server, name)) }
            }
            _ => TestDatabase { url: format!("sqlite://{}", dir.join("aisle.db").display()), postgres: None },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop runs inside the test's runtime, which cannot block on a future; a thread
        // with its own runtime can. FORCE ends the servers' pooled connections first.
        let dropped = std::thread::spawn(move || {
            use sqlx::Connection;
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&server).await.map_err(|e| e.to_string())?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::Executor::execute(&mut conn, sql.as_str()).await.map(drop).map_err(|e| e.to_string())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop a test database: {e}");
        }
    }
}

/// Whether the tests run against PostgreSQL (see [`database_url`]).
pub fn on_postgres() -> bool {
    std::env::var("AISLE_TEST_POSTGRES").is_ok_and(|s| !s.is_empty())
}

impl TestApp {
    /// A second API server on the same database, as a load balancer would have behind
    /// it: its own caches, sockets and streams, and the other's news only through the
    /// database (see `aisle_api::platform::fanout`).
    pub async fn another_instance(&self) -> TestApp {
        let db = db::open(self.db.connect_options().database_url.as_ref()).await.expect("open the shared database");
        serve(tempfile::tempdir().expect("temp dir"), db, |_| {}).await
    }
}

pub const HASHED_JS: &str = "aisle-0123456789abcdef.js";
/// The inline loader the build writes into index.html, in the fake build's shape.
pub const LOADER: &str = "\nimport init, * as bindings from '/aisle-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/aisle-0123456789abcdef_bg.wasm' });\nwindow.wasmBindings = bindings;\n";

/// A stand-in for the web build's output: the server's job is to serve whatever is there.
fn fake_web_build(dir: PathBuf) -> PathBuf {
    std::fs::create_dir_all(&dir).expect("dist");
    let index = format!("<!doctype html><title>Aisle</title><script type=\"module\">{LOADER}</script><body>app shell</body>");
    std::fs::write(dir.join("index.html"), index).expect("index");
    std::fs::write(dir.join(HASHED_JS), "console.log('plain')").expect("js");
    std::fs::write(dir.join(format!("{HASHED_JS}.br")), "brotli bytes").expect("br");
    std::fs::write(dir.join(format!("{HASHED_JS}.gz")), "gzip bytes").expect("gz");
    dir
}

/// A browser-like client: keeps its session cookie and sends the CSRF token.
pub struct Shopper {
    pub url: String,
    pub http: reqwest::Client,
    pub csrf: String,
    /// The cookies, for requests made outside `http` (a WebSocket handshake).
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl TestApp {
    pub async fn shopper(&self) -> Shopper {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder().cookie_provider(jar.clone()).build().expect("client");
        let mut s = Shopper { url: self.url.clone(), http, csrf: String::new(), jar };
        s.refresh().await;
        s
    }

    /// Creates a staff account directly in the database and signs it in.
    pub async fn staff(&self) -> Shopper {
        let hash = aisle_api::identity::password::hash_password("staff password 1").expect("hash");
        let mut conn = self.db.acquire().await.expect("conn");
        aisle_api::identity::store::insert_customer(&mut conn, "staff@aisle.test", "Sam Staff", &hash, true).await.expect("staff");
        let mut s = self.shopper().await;
        let (status, _) = s.send("POST", "/api/session", serde_json::json!({"email": "staff@aisle.test", "password": "staff password 1"})).await;
        assert_eq!(status, 200);
        s.refresh().await;
        s
    }
}

impl Shopper {
    /// The same browser (cookies, CSRF token) talking to another instance.
    pub fn via(&self, instance: &TestApp) -> Shopper {
        Shopper { url: instance.url.clone(), http: self.http.clone(), csrf: self.csrf.clone(), jar: self.jar.clone() }
    }

    /// The `Cookie` header this client would send.
    pub fn cookie(&self) -> Option<reqwest::header::HeaderValue> {
        use reqwest::cookie::CookieStore;
        self.jar.cookies(&self.url.parse().expect("url"))
    }

    pub async fn refresh(&mut self) {
        let body: serde_json::Value = self.http.get(format!("{}/api/session", self.url)).send().await.expect("session").json().await.expect("json");
        self.csrf = body["csrf_token"].as_str().expect("csrf").to_string();
    }

    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.http.get(format!("{}{path}", self.url)).send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send_with(&self, method: &str, path: &str, body: serde_json::Value, headers: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, format!("{}{path}", self.url)).header("x-csrf-token", &self.csrf).json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send(&self, method: &str, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send_with(method, path, body, &[]).await
    }

    pub async fn sign_up(&mut self, email: &str) -> serde_json::Value {
        let (status, body) = self
            .send("POST", "/api/account", serde_json::json!({"email": email, "password": "a long password", "name": "Ada Lovelace"}))
            .await;
        assert_eq!(status, 201, "{body}");
        self.refresh().await;
        body
    }

    pub async fn add_to_cart(&self, product_id: i64, quantity: i64) -> serde_json::Value {
        let (status, cart) = self.send("PUT", "/api/cart/items", serde_json::json!({"product_id": product_id, "quantity": quantity})).await;
        assert_eq!(status, 200, "{cart}");
        cart
    }

    /// Checks out the current cart as it is, with the given idempotency key.
    pub async fn checkout(&self, key: &str, email: &str) -> (u16, serde_json::Value) {
        let (_, cart) = self.get("/api/cart").await;
        let expected: Vec<serde_json::Value> = cart["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| serde_json::json!({"product_id": l["product"]["id"], "variant_id": l["variant"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]}))
            .collect();
        self.send_with("POST", "/api/orders", checkout_body(email, expected), &[("idempotency-key", key)]).await
    }
}

pub fn address() -> serde_json::Value {
    serde_json::json!({"name": "Ada Lovelace", "line1": "12 St James's Square", "city": "London", "postcode": "SW1Y 4JH", "country": "United Kingdom"})
}

pub fn checkout_body(email: &str, expected: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"email": email, "address": address(), "payment_method": "pay_on_delivery", "expected": expected})
}

/// Moves an order on to delivered, as staff (`staff` must be signed in as staff).
pub async fn deliver(staff: &Shopper, number: &str) {
    for (step, body) in [
        ("pack", serde_json::json!({})),
        ("ship", serde_json::json!({"carrier": "dhl", "tracking_number": "JD0001"})),
        ("mark_delivered", serde_json::json!({})),
    ] {
        let (status, o) = staff.send("POST", &format!("/api/staff/orders/{number}/{step}"), body).await;
        assert_eq!(status, 200, "{step}: {o}");
    }
}

/// The last e-mail to `to`: its kind, subject and plain text.
pub async fn last_email(app: &TestApp, to: &str) -> (String, String, String) {
    sqlx::query_as("SELECT kind, subject, body FROM emails WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_optional(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no e-mail to {to}"))
}

/// The first link in `text` into this app whose path starts with `path`, as the path
/// and query a client asks for (the e-mails' links are absolute).
pub fn link_in(app: &TestApp, text: &str, path: &str) -> String {
    let start = format!("{}{path}", app.url);
    let at = text.find(&start).unwrap_or_else(|| panic!("no link to {path} in:\n{text}"));
    let link: String = text[at..].chars().take_while(|c| !c.is_whitespace()).collect();
    link[app.url.len()..].to_string()
}

/// An address in Berlin (19 % VAT, standard delivery €4.90).
pub fn berlin() -> serde_json::Value {
    serde_json::json!({"name": "Ada Lovelace", "line1": "Hauptstraße 5", "city": "Berlin", "postcode": "10115", "country": "DE"})
}

/// The shopper's cart as the checkout sends it.
pub async fn cart_lines(s: &Shopper) -> Vec<serde_json::Value> {
    let (_, cart) = s.get("/api/cart").await;
    cart["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| serde_json::json!({"product_id": l["product"]["id"], "variant_id": l["variant"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]}))
        .collect()
}

/// The cart as an order to Berlin by standard delivery, paid by `payment`.
pub async fn berlin_order(s: &Shopper, payment: &str) -> serde_json::Value {
    serde_json::json!({"email": "ada@example.com", "address": berlin(), "payment_method": payment, "delivery_method": "standard", "expected": cart_lines(s).await})
}

/// Sends the cart as an order to Berlin (see [`berlin_order`]).
pub async fn order_to_berlin(s: &Shopper, key: &str, payment: &str) -> (u16, serde_json::Value) {
    let body = berlin_order(s, payment).await;
    s.send_with("POST", "/api/orders", body, &[("idempotency-key", key)]).await
}
