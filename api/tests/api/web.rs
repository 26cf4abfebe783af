//! The server also serves the web app: client routes get the app shell, hashed assets
//! are cached for good and sent precompressed.

use crate::helpers::{spawn_app, HASHED_JS};

#[tokio::test]
async fn client_routes_get_the_app_shell_uncached() {
    let app = spawn_app().await;
    for path in ["/", "/c/kitchen", "/p/anything", "/search", "/no/such/page"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert!(res.text().await.unwrap().contains("app shell"), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_precompressed() {
    let app = spawn_app().await;
    let path = format!("/{HASHED_JS}");
    let res = app.client.get(format!("{}{path}", app.url)).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-encoding"], "br");
    let res = app.client.get(format!("{}{path}", app.url)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let res = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.text().await.unwrap(), "console.log('plain')");
}

#[tokio::test]
async fn a_missing_file_is_404_not_the_app_shell() {
    let app = spawn_app().await;
    assert_eq!(app.get("/missing-0123456789abcdef.js").await.status(), 404);
    assert_eq!(app.get("/favicon.ico").await.status(), 404);
}
