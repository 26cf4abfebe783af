//! Serves the built web app (trunk's `dist/`) beside the API.
//!
//! - Files are served precompressed (`.br`, `.gz` written at build time) when the
//!   browser accepts it, so no CPU is spent compressing on each request.
//! - Hashed build outputs (`aisle-<hash>_bg.wasm`, …) never change, so they are cached
//!   for a year as immutable; everything else (`index.html`, the manifest, the service
//!   worker) must be revalidated so a deploy is picked up at once.
//! - Any other path without a file extension is a client route (`/c/kitchen`,
//!   `/p/blue-mug`) and gets `index.html`; the app's router takes it from there.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    Router,
};
use std::path::{Path, PathBuf};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

pub fn router(web_dir: &Path) -> Router {
    let index_path = web_dir.join("index.html");
    let index = ServeFile::new(&index_path).precompressed_br().precompressed_gzip();
    let spa_fallback = move |req: Request| {
        let index = index.clone();
        let index_path = index_path.clone();
        async move {
            if looks_like_file(req.uri().path()) {
                return (StatusCode::NOT_FOUND, "Not found").into_response();
            }
            if !index_path.exists() {
                return (StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)).into_response();
            }
            match index.oneshot(req).await {
                Ok(res) => res.map(Body::new),
                Err(never) => match never {},
            }
        }
    };
    let files = ServeDir::new(web_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(tower::service_fn(move |req| {
            let f = spa_fallback.clone();
            async move { Ok::<_, std::convert::Infallible>(f(req).await) }
        }));
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_control))
}

const NOT_BUILT: &str = "<!doctype html><title>Aisle</title><h1>The web app is not built yet</h1>\
<p>Run <code>cargo xtask run</code>, which builds it and starts the server.</p>";

async fn cache_control(req: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { REVALIDATE };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// trunk names its outputs `<name>-<16 hex digits>[_bg].<ext>`; only those are safe to
/// cache forever, because a new build gives them a new name.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    if !file.contains('.') {
        return false;
    }
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => !name.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

pub fn default_web_dir() -> PathBuf {
    PathBuf::from("dist")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunk_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/aisle-4f1c2b3a5d6e7f80_bg.wasm"));
        assert!(is_hashed_asset("/aisle-4f1c2b3a5d6e7f80.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/icon-192.png"));
        assert!(!is_hashed_asset("/p/garden-hose-0123456789abcdef"), "a client route is not an asset");
    }

    #[test]
    fn client_routes_are_not_files() {
        assert!(!looks_like_file("/c/kitchen"));
        assert!(!looks_like_file("/"));
        assert!(looks_like_file("/missing.js"));
    }
}
