//! The router, the route table in `api/src/lib.rs` and the OpenAPI document list the
//! same operations, so a route cannot be added (or renamed) without documenting it.

use crate::helpers::spawn_app;
use std::collections::BTreeSet;
use utoipa::OpenApi;

const LIB_RS: &str = include_str!("../../src/lib.rs");

/// `(METHOD, /api/path)` for every row of the `//!` route table. A row's path cell may
/// add a query (`?q=`) or a remark in brackets; neither is part of the path.
fn table_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for line in LIB_RS.lines().filter_map(|l| l.strip_prefix("//!")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | method | path | handler | splits into ["", method, path, handler, ""].
        let [_, method, path, _, _] = cells[..] else { continue };
        let Some(path) = path.strip_prefix('`').and_then(|p| p.split('`').next()) else { continue };
        if method.chars().all(|c| c.is_ascii_uppercase()) && !method.is_empty() {
            let path = path.split('?').next().unwrap_or(path);
            routes.insert((method.to_string(), path.to_string()));
        }
    }
    routes
}

fn document_routes(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// `(METHOD, /api/path)` for every `.route(...)` in `fn api` of lib.rs, so the table
/// itself cannot fall behind the router. Placeholders are compared without their
/// names (the table says `{id_or_slug}` where the router binds `{key}`).
fn router_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for line in LIB_RS.lines().map(str::trim).filter(|l| l.starts_with(".route(\"")) {
        let Some((path, handlers)) = line[".route(\"".len()..].split_once('"') else { continue };
        for method in ["get", "post", "put", "delete", "patch"] {
            let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric() && handlers.as_bytes()[i - 1] != b'_');
            if called {
                routes.insert((method.to_uppercase(), format!("/api{}", unnamed(path))));
            }
        }
    }
    routes
}

/// `/a/{x}/b` → `/a/{}/b`.
fn unnamed(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_route_table_lists_exactly_the_routes_the_router_serves() {
    let router = router_routes();
    assert!(router.len() > 60, "only {} routes read from fn api in lib.rs", router.len());
    let table: BTreeSet<_> = table_routes().into_iter().map(|(m, p)| (m, unnamed(&p))).collect();
    let unlisted: Vec<_> = router.difference(&table).collect();
    let unrouted: Vec<_> = table.difference(&router).collect();
    assert!(unlisted.is_empty(), "routed in fn api but missing from the route table of api/src/lib.rs: {unlisted:?}");
    assert!(unrouted.is_empty(), "in the route table of api/src/lib.rs but not routed in fn api: {unrouted:?}");
}

#[test]
fn the_route_table_is_parsed() {
    let table = table_routes();
    assert!(table.len() > 60, "only {} routes read from the table in lib.rs", table.len());
    assert!(table.contains(&("GET".into(), "/api/search".into())));
    assert!(table.contains(&("POST".into(), "/api/session".into())));
    assert!(table.contains(&("PUT".into(), "/api/orders/{number}/ratings/{product_id}".into())));
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let doc = serde_json::to_value(aisle_api::platform::openapi::ApiDoc::openapi()).expect("document");
    let documented = document_routes(&doc);
    let table = table_routes();
    let undocumented: Vec<_> = table.difference(&documented).collect();
    let unlisted: Vec<_> = documented.difference(&table).collect();
    assert!(undocumented.is_empty(), "in the route table of api/src/lib.rs but not in the OpenAPI document: {undocumented:?}");
    assert!(unlisted.is_empty(), "in the OpenAPI document but not in the route table of api/src/lib.rs: {unlisted:?}");
}

#[tokio::test]
async fn the_document_is_served_and_routes_answer_where_it_says() {
    let app = spawn_app().await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiErrorBody");
    // Each documented path reaches a handler: with made-up parameters it may be a 4xx
    // from that handler, but not the 404 of a path the router does not know.
    for (method, path) in document_routes(&doc) {
        let concrete = path.replace(['{', '}'], "");
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let res = app.client.request(method.clone(), format!("{}{concrete}", app.url)).send().await.expect("request");
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        assert!(
            !(status == 404 && body["error"]["message"] == "There is no such API endpoint.") && status != 405,
            "{method} {path}: the router does not know it ({status})"
        );
    }
}
