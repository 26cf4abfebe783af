//! The router and the OpenAPI document come from the same list (each slice's
//! `routes!`), so they cannot drift apart; these tests check that nothing goes around
//! that list and that the document served matches the routes that answer.

use crate::helpers::spawn_app;
use std::collections::BTreeSet;

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

/// Every `.rs` file under `api/src`, with its text.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("read api/src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).expect("read source")));
            }
        }
    }
    let mut out = Vec::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The operators' endpoints (`/healthz`, `/readyz`, `/metrics`) and the web app's pages
/// the server writes (`/`, `/c/…`, `/p/…`) are not the shop's API and stay out of its
/// document; they are declared in these files only.
const NOT_API: [&str; 3] = ["platform/health.rs", "platform/observe.rs", "catalogue/pages/mod.rs"];

#[test]
fn no_route_goes_around_the_documented_list() {
    for (path, text) in sources().into_iter().filter(|(p, _)| !NOT_API.iter().any(|o| p.ends_with(o))) {
        let plain: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with(".route(")).collect();
        assert!(plain.is_empty(), "{path} adds a route without its description ({plain:?}); use `.routes(routes!(handler))`");
    }
}

#[test]
fn every_described_handler_is_routed() {
    let described = sources().iter().map(|(_, text)| text.matches("#[utoipa::path(").count()).sum::<usize>();
    let doc = serde_json::to_value(aisle_api::openapi()).expect("document");
    let routed = document_routes(&doc).len();
    assert!(routed > 60, "only {routed} operations in the document");
    assert_eq!(described, routed, "a handler has a #[utoipa::path] but no slice routes it (or the other way round)");
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

/// `/api/orders/{number}/cancel` matches `/api/orders/A000012/cancel`.
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

#[test]
fn every_change_the_web_app_queues_goes_to_a_documented_route() {
    let doc = serde_json::to_value(aisle_api::openapi()).expect("document");
    let routes = document_routes(&doc);
    for change in aisle_domain::change::examples() {
        let r = change.request();
        let path = r.path.split('?').next().unwrap_or_default();
        assert!(
            routes.iter().any(|(m, t)| m == r.method.as_str() && template_matches(t, path)),
            "{change:?} is sent as {} {path}, which the API does not serve",
            r.method.as_str()
        );
    }
}

/// `docs/api.md` lists every route, made from the document:
/// `AISLE_UPDATE_DOCS=1 cargo test -p aisle-api --test api openapi` rewrites it.
#[test]
fn the_route_list_in_the_docs_is_current() {
    let doc = serde_json::to_value(aisle_api::openapi()).expect("document");
    let mut rows = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "delete", "patch"] {
            let Some(op) = item.get(method) else { continue };
            let responses = op["responses"].as_object().expect("responses");
            let answer = responses
                .iter()
                .find(|(status, _)| status.starts_with('2') || status.as_str() == "101")
                .and_then(|(_, r)| r["description"].as_str())
                .unwrap_or("");
            rows.push(format!("| {} | `{path}` | {answer} |", method.to_uppercase()));
        }
    }
    let table = format!("| method | path | answer |\n|---|---|---|\n{}\n", rows.join("\n"));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api.md");
    let text = std::fs::read_to_string(&path).expect("docs/api.md");
    let (start, end) = ("<!-- routes:start -->\n", "<!-- routes:end -->");
    let (Some(a), Some(b)) = (text.find(start), text.find(end)) else { panic!("docs/api.md lost its route markers") };
    if text[a + start.len()..b] != table {
        if std::env::var("AISLE_UPDATE_DOCS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, format!("{}{table}{}", &text[..a + start.len()], &text[b..])).expect("write docs/api.md");
        } else {
            panic!("the route list in docs/api.md is out of date; run AISLE_UPDATE_DOCS=1 cargo test -p aisle-api --test api openapi");
        }
    }
}
