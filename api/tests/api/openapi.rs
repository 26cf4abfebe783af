//! The OpenAPI document and the route table in `api/src/lib.rs` list the same
//! operations, so a route cannot be added (or renamed) without documenting it.

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
    let doc = serde_json::to_value(aisle_api::openapi::ApiDoc::openapi()).expect("document");
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
