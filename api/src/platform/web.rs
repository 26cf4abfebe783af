//! Serves the built web app (`dist/`, written by `cargo xtask build-web`) beside the API.
//!
//! - Files are served precompressed (`.br`, `.gz` written at build time) when the
//!   browser accepts it, so no CPU is spent compressing on each request.
//! - Hashed build outputs (`aisle-<hash>_bg.wasm`, …) never change, so they are cached
//!   for a year as immutable; everything else (`index.html`, the manifest, the service
//!   worker) must be revalidated so a deploy is picked up at once.
//! - Any other path without a file extension is a client route (`/c/kitchen`,
//!   `/p/blue-mug`) and gets `index.html`; the app's router takes it from there. Paths
//!   under `/staff` get the back office's own `staff/index.html`.
//! - The Content-Security-Policy allows exactly the inline scripts the two
//!   `index.html` files hold (each app's loader), by their SHA-256, read again whenever
//!   a file changes, so a deploy over a running server brings its own hashes
//!   ([`ContentPolicy`]).

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    Router,
};
use sha2::{Digest, Sha256};
use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::SystemTime,
};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Where the back office lives: its own app, built into `<web dir>/staff/`.
pub const STAFF_PREFIX: &str = "/staff";

fn is_staff_page(path: &str) -> bool {
    path == STAFF_PREFIX || path.strip_prefix(STAFF_PREFIX).is_some_and(|rest| rest.starts_with('/'))
}

pub fn router(web_dir: &Path) -> Router {
    let shop_index = web_dir.join("index.html");
    let staff_index = web_dir.join("staff/index.html");
    let shop = ServeFile::new(&shop_index).precompressed_br().precompressed_gzip();
    let staff = ServeFile::new(&staff_index).precompressed_br().precompressed_gzip();
    let spa_fallback = move |req: Request| {
        // A page under /staff is the back office's; every other page is the shop's.
        let (index, index_path) =
            if is_staff_page(req.uri().path()) { (staff.clone(), staff_index.clone()) } else { (shop.clone(), shop_index.clone()) };
        async move {
            // `/api/` (which the nested API does not match) is no page of the app.
            if req.uri().path() == "/api/" {
                return axum::response::IntoResponse::into_response(super::error::ApiError::not_found("There is no such API endpoint."));
            }
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

pub const NOT_BUILT: &str = "<!doctype html><title>Aisle</title><h1>The web app is not built yet</h1>\
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

/// The build names its outputs `<name>-<16 hex digits of their content>[_bg].<ext>`, or
/// puts them in a folder `pkg-<16 hex digits of its files>/` (an app split into parts
/// loaded on demand, whose loader needs the parts' own names); only those are safe to
/// cache forever, because a new build gives them a new name.
pub fn is_hashed_asset(path: &str) -> bool {
    let mut segments: Vec<&str> = path.split('/').collect();
    let file = segments.pop().unwrap_or_default();
    if !file.contains('.') {
        return false;
    }
    if segments.iter().any(|dir| dir.strip_prefix("pkg").is_some_and(is_hash_suffix)) {
        return true;
    }
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => !name.is_empty() && is_hash_suffix(&format!("-{hash}")),
        None => false,
    }
}

/// `-` and 16 hex digits.
fn is_hash_suffix(text: &str) -> bool {
    text.strip_prefix('-').is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The web app's Content-Security-Policy: only our own files, plus the inline scripts
/// of the `index.html` being served, matched by hash. `'wasm-unsafe-eval'` lets the
/// page compile the app's WebAssembly and nothing else (no `eval`); pictures are
/// `data:` URLs drawn by the app; styles come from the stylesheet only, as the app sets
/// no inline style.
pub struct ContentPolicy {
    /// The storefront's and the back office's pages.
    index_paths: [PathBuf; 2],
    /// The policy last made, and how the two files were (modified, length) then.
    cached: Mutex<Option<(Vec<Option<(SystemTime, u64)>>, HeaderValue)>>,
}

impl ContentPolicy {
    pub fn new(web_dir: &Path) -> ContentPolicy {
        ContentPolicy { index_paths: [web_dir.join("index.html"), web_dir.join("staff/index.html")], cached: Mutex::new(None) }
    }

    /// The header for the web apps as they are on disk now.
    pub fn header(&self) -> HeaderValue {
        let stamps: Vec<_> = self
            .index_paths
            .iter()
            .map(|p| std::fs::metadata(p).ok().map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len())))
            .collect();
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, value)) = cached.as_ref() {
            if *seen == stamps {
                return value.clone();
            }
        }
        let pages: Vec<String> = self.index_paths.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect();
        let scripts: Vec<&str> = pages.iter().flat_map(|html| inline_scripts(html)).collect();
        let value = HeaderValue::from_str(&policy(&scripts)).unwrap_or_else(|_| HeaderValue::from_static(STRICT_POLICY));
        *cached = Some((stamps, value.clone()));
        value
    }
}

/// For answers that are never a page (the API's JSON): nothing may load or frame them.
pub const STRICT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy allowing these inline scripts.
pub fn policy(scripts: &[&str]) -> String {
    let hashes: String = scripts.iter().map(|s| format!(" 'sha256-{}'", script_hash(s))).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of a script's text, as CSP hash sources write it.
pub fn script_hash(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The text of each inline `<script>` (one without `src`), exactly as written between
/// its tags, which is what a browser hashes.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let start = at + i;
        let after_name = start + "<script".len();
        if !lower[after_name..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            at = after_name;
            continue;
        }
        let Some(gt) = lower[after_name..].find('>').map(|j| after_name + j) else { break };
        let Some(end) = lower[gt + 1..].find("</script").map(|j| gt + 1 + j) else { break };
        let attributes = &lower[after_name..gt];
        let external = attributes.split(|c: char| c.is_ascii_whitespace()).any(|a| a == "src" || a.starts_with("src="));
        if !external {
            found.push(&html[gt + 1..end]);
        }
        at = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_names_are_immutable() {
        assert!(is_hashed_asset("/aisle-4f1c2b3a5d6e7f80_bg.wasm"));
        assert!(is_hashed_asset("/aisle-4f1c2b3a5d6e7f80.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/icon-192.png"));
        assert!(!is_hashed_asset("/p/garden-hose-0123456789abcdef"), "a client route is not an asset");
    }

    #[test]
    fn files_of_a_build_folder_are_immutable() {
        assert!(is_hashed_asset("/pkg-4f1c2b3a5d6e7f80/aisle.js"));
        assert!(is_hashed_asset("/pkg-4f1c2b3a5d6e7f80/__wasm_split.js"));
        assert!(is_hashed_asset("/pkg-4f1c2b3a5d6e7f80/chunk_12.wasm"));
        assert!(is_hashed_asset("/pkg-4f1c2b3a5d6e7f80/snippets/leptos-1/inline0.js"));
        assert!(!is_hashed_asset("/pkg-4f1c2b3a5d6e7f80/"), "a folder is no file");
        assert!(!is_hashed_asset("/pkg-latest/aisle.js"));
        assert!(!is_hashed_asset("/pkg-4f1c2b3a5d6e7f8/aisle.js"), "15 digits");
        assert!(!is_hashed_asset("/package-4f1c2b3a5d6e7f80/aisle.js"));
        assert!(!is_hashed_asset("/c/pkg-4f1c2b3a5d6e7f80"), "a client route is not an asset");
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = "<html><head><script type=\"module\">import init from '/a.js';\ninit();</script>\
                    <script src=\"/sw-register.js\"></script><SCRIPT>x()</SCRIPT><scripts></scripts></head></html>";
        assert_eq!(inline_scripts(html), vec!["import init from '/a.js';\ninit();", "x()"]);
        assert!(inline_scripts("<p>no scripts</p>").is_empty());
        // The example from the CSP specification.
        assert_eq!(script_hash("alert('Hello, world.');"), "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng=");
        let p = policy(&["x()"]);
        assert!(p.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{}';", script_hash("x()"))), "{p}");
        assert!(!p.contains("unsafe-inline"));
    }

    #[test]
    fn client_routes_are_not_files() {
        assert!(!looks_like_file("/c/kitchen"));
        assert!(!looks_like_file("/"));
        assert!(looks_like_file("/missing.js"));
    }
}
