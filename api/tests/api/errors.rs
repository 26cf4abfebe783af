//! Bad input gets a clear 4xx with the JSON error body — never a 500, never a panic.

use crate::helpers::spawn_app;

async fn assert_error(app: &crate::helpers::TestApp, path: &str, status: u16, code: &str) -> String {
    let (got, body) = app.get_json(path).await;
    assert_eq!(got, status, "{path}: {body}");
    assert_eq!(body["error"]["code"], code, "{path}");
    let message = body["error"]["message"].as_str().expect("message").to_string();
    assert!(!message.is_empty());
    message
}

#[tokio::test]
async fn unknown_things_are_404_json() {
    let app = spawn_app().await;
    assert_error(&app, "/api/products/999999", 404, "not_found").await;
    assert_error(&app, "/api/products/no-such-thing", 404, "not_found").await;
    assert_error(&app, "/api/products/-1", 404, "not_found").await;
    assert_error(&app, "/api/products/99999999999999999999999", 404, "not_found").await;
    assert_error(&app, "/api/products/%27%20OR%201=1--", 404, "not_found").await;
    assert_error(&app, "/api/products/%F0%9F%92%A5", 404, "not_found").await;
    assert_error(&app, "/api/categories/nope", 404, "not_found").await;
    assert_error(&app, "/api/categories/Kitchen", 404, "not_found").await;
    assert_error(&app, "/api/categories/nope/products", 404, "not_found").await;
    assert_error(&app, "/api/products/999999/image.svg", 404, "not_found").await;
    assert_error(&app, "/api/no-such-endpoint", 404, "not_found").await;
}

#[tokio::test]
async fn bad_parameters_are_400_json_saying_what_is_wrong() {
    let app = spawn_app().await;
    let m = assert_error(&app, "/api/categories/kitchen/products?page=0", 400, "bad_request").await;
    assert!(m.contains("page"), "{m}");
    for q in ["page=-1", "page=abc", "page=1e3", "page=99999999999999999999", "per_page=0", "per_page=101", "per_page=%00"] {
        assert_error(&app, &format!("/api/categories/kitchen/products?{q}"), 400, "bad_request").await;
    }
    assert_error(&app, "/api/search", 400, "bad_request").await;
    assert_error(&app, "/api/search?q=mug&limit=0", 400, "bad_request").await;
    assert_error(&app, "/api/search?q=mug&limit=1000", 400, "bad_request").await;
    assert_error(&app, "/api/products/abc/image.svg", 400, "bad_request").await;
}

#[tokio::test]
async fn odd_search_input_is_answered_not_refused() {
    let app = spawn_app().await;
    let long = "a".repeat(5000);
    for q in ["%27%3B%20DROP%20TABLE%20products%3B--", "%E2%80%AE%F0%9F%92%A5", long.as_str(), "%20%20"] {
        let (status, _) = app.get_json(&format!("/api/search?q={q}")).await;
        assert_eq!(status, 200, "q={}", &q[..q.len().min(40)]);
    }
    let (_, health) = app.get_json("/api/health").await;
    assert_eq!(health["products"], 240, "nothing was changed");
}

#[tokio::test]
async fn wrong_methods_are_405_json() {
    let app = spawn_app().await;
    let res = app.client.post(format!("{}/api/categories", app.url)).send().await.unwrap();
    assert_eq!(res.status(), 405);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}
