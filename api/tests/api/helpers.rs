use aisle_api::{app, db, seed, AppState};
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub db: db::Db,
    // Kept so the database and web folders live as long as the server.
    _dir: TempDir,
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
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("aisle.db").display());
    let db = db::open(&url).await.expect("open database");
    seed::seed_if_empty(&db).await.expect("seed");
    let web_dir = fake_web_build(dir.path().join("dist"));
    let state = AppState::new(db.clone()).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, app(state, web_dir)).await.expect("server");
    });
    TestApp { url: format!("http://{addr}"), client: reqwest::Client::new(), db, _dir: dir }
}

pub const HASHED_JS: &str = "aisle-0123456789abcdef.js";

/// A stand-in for trunk's output: the server's job is to serve whatever is there.
fn fake_web_build(dir: PathBuf) -> PathBuf {
    std::fs::create_dir_all(&dir).expect("dist");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Aisle</title><body>app shell</body>").expect("index");
    std::fs::write(dir.join(HASHED_JS), "console.log('plain')").expect("js");
    std::fs::write(dir.join(format!("{HASHED_JS}.br")), "brotli bytes").expect("br");
    std::fs::write(dir.join(format!("{HASHED_JS}.gz")), "gzip bytes").expect("gz");
    dir
}
