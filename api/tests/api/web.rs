//! The server also serves the web app: client routes get the app shell, hashed assets
//! are cached for good and sent precompressed.

use crate::helpers::{spawn_app, HASHED_JS};

#[tokio::test]
async fn client_routes_get_the_app_shell_uncached() {
    let app = spawn_app().await;
    let product: String = sqlx::query_scalar("SELECT slug FROM products ORDER BY id LIMIT 1").fetch_one(&app.db).await.unwrap();
    for path in ["/", "/c/kitchen", &format!("/p/{product}"), "/search", "/no/such/page"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert!(res.text().await.unwrap().contains("app shell"), "{path}");
    }
}

#[tokio::test]
async fn a_product_or_category_that_does_not_exist_is_a_404_with_the_apps_friendly_page() {
    let app = spawn_app().await;
    for path in ["/p/no-such-product", "/c/no-such-category", "/p/NOT%20A%20SLUG", "/c/"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.text().await.unwrap().contains("app shell"), "{path}: the app explains");
    }
    // `/api/` is the API's, not a page.
    let (status, body) = app.get_json("/api/").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
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

/// The inline scripts of a page, found the plain way a reader would: what sits between
/// `<script type="module">` and `</script>`.
fn loader_of(html: &str) -> &str {
    let start = html.find("<script type=\"module\">").expect("an inline loader") + "<script type=\"module\">".len();
    let end = start + html[start..].find("</script>").expect("closed");
    &html[start..end]
}

fn sha256_base64(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
}

fn assert_common_headers(res: &reqwest::Response, path: &str) {
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
    assert_eq!(h["x-frame-options"], "DENY", "{path}");
    assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{path}: {csp}");
}

#[tokio::test]
async fn the_app_shell_allows_exactly_its_own_inline_loader() {
    let app = spawn_app().await;
    let res = app.get("/c/kitchen").await;
    assert_common_headers(&res, "/c/kitchen");
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    let html = res.text().await.unwrap();
    let hash = sha256_base64(loader_of(&html));
    let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).expect("script-src");
    assert_eq!(script_src, format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"));
    for directive in [
        "default-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ] {
        assert!(csp.split(';').any(|d| d.trim() == directive), "{directive} in {csp}");
    }
    // Every other file of the app (the service worker among them) carries it too.
    let asset = app.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(asset.headers()["content-security-policy"].to_str().unwrap(), csp);
    assert_common_headers(&asset, HASHED_JS);
    let missing = app.get("/missing-0123456789abcdef.js").await;
    assert_eq!(missing.status(), 404);
    assert_common_headers(&missing, "a missing file");
}

#[tokio::test]
async fn a_deploy_over_a_running_server_brings_its_own_hash() {
    let app = spawn_app().await;
    let before = app.get("/").await.headers()["content-security-policy"].to_str().unwrap().to_string();
    let new_loader = "import init from '/aisle-fedcba9876543210.js'; await init();";
    std::fs::write(
        app.web_dir.join("index.html"),
        format!("<!doctype html><title>Aisle</title><script type=\"module\">{new_loader}</script><body>new shell</body>"),
    )
    .unwrap();
    let res = app.get("/").await;
    let after = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_ne!(before, after);
    assert!(after.contains(&format!("'sha256-{}'", sha256_base64(new_loader))), "{after}");
    assert!(res.text().await.unwrap().contains("new shell"));
}

#[tokio::test]
async fn api_answers_carry_a_deny_all_policy_and_the_same_headers() {
    let app = spawn_app().await;
    for path in ["/api/health", "/api/no-such-endpoint", "/api/products/999999"] {
        let res = app.get(path).await;
        assert_common_headers(&res, path);
        assert_eq!(res.headers()["content-security-policy"], aisle_api::platform::web::STRICT_POLICY, "{path}");
    }
}

/// The text of a page as a browser that takes brotli gets it.
async fn page_as_sent(app: &crate::helpers::TestApp, path: &str, language: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let res = app.client.get(format!("{}{path}", app.url)).header("accept-encoding", "br, gzip").header("accept-language", language).send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    let bytes = res.bytes().await.unwrap();
    assert_eq!(headers["content-encoding"], "br", "{path}");
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut bytes.as_ref(), &mut html).expect("brotli");
    (status, headers, String::from_utf8(html).unwrap())
}

#[tokio::test]
async fn home_categories_and_products_arrive_drawn_in_the_shoppers_language() {
    let app = spawn_app().await;
    let (status, headers, home) = page_as_sent(&app, "/", "en-GB,en;q=0.9").await;
    assert_eq!((status, headers["cache-control"].to_str().unwrap()), (200, "no-cache"));
    assert!(home.contains("<div id=\"first-view\">"), "{home}");
    assert!(home.contains("app shell"), "the app is still there to take over");
    let (_, categories) = app.get_json("/api/categories").await;
    let first = &categories[0];
    assert!(home.contains(&format!("<span class=\"count\">{} products</span>", first["product_count"])), "{first}: {home}");
    assert!(home.contains("<h2 id=\"fv-featured\">"), "the featured picks: {home}");
    assert_eq!(home.matches("<li class=\"product-card\">").count(), 8, "{home}");

    let (_, featured) = app.get_json("/api/featured").await;
    let (slug, name) = (featured[0]["slug"].as_str().unwrap(), featured[0]["name"].as_str().unwrap());
    let price: aisle_domain::Money = serde_json::from_value(featured[0]["price"].clone()).unwrap();
    let (status, _, product) = page_as_sent(&app, &format!("/p/{slug}"), "de-DE,de;q=0.9").await;
    assert_eq!(status, 200);
    assert!(product.contains("<html lang=\"de\">") || !product.contains("<html"), "{product}");
    // No German yet: the English name, marked as English, and a line saying so.
    assert!(product.contains(&format!("<h1 lang=\"en\">{}</h1>", name.replace('&', "&amp;"))), "{product}");
    assert!(product.contains("Noch nicht auf Deutsch übersetzt"), "{product}");
    let euros = aisle_domain::Lang::De.money(price);
    assert!(product.contains(&format!("<p class=\"price\">{euros}</p>")), "{euros}: {product}");
    assert!(product.contains(&format!("<title>{} · Aisle</title>", name.replace('&', "&amp;"))), "{product}");
    assert!(product.contains("In den Warenkorb") || product.contains("Ausverkauft"), "{product}");

    // The shopper's own choice, kept in a cookie by the app, wins over the browser's.
    let res = app.client.get(format!("{}/c/kitchen", app.url)).header("accept-language", "de").header("cookie", "aisle_lang=en").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("content-encoding").is_none(), "plain for a client that takes no compression");
    let kitchen = res.text().await.unwrap();
    assert!(kitchen.contains("<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"/\">Home</a></nav>"), "{kitchen}");
}

#[tokio::test]
async fn a_path_below_a_product_names_nothing() {
    let app = spawn_app().await;
    let product: String = sqlx::query_scalar("SELECT slug FROM products ORDER BY id LIMIT 1").fetch_one(&app.db).await.unwrap();
    for path in [format!("/p/{product}/more"), "/p/".into(), "/c/kitchen/x".into()] {
        let res = app.get(&path).await;
        assert_eq!(res.status(), 404, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("app shell") && !html.contains("first-view"), "{path}: the app explains");
    }
}

#[tokio::test]
async fn a_shared_sorted_and_filtered_category_link_first_paints_that_view() {
    let app = spawn_app().await;
    let (_, dearest) = app.get_json("/api/categories/kitchen/products?sort=-price&stock=in&per_page=1").await;
    let (_, cheapest) = app.get_json("/api/categories/kitchen/products?sort=price&stock=in&per_page=1").await;
    let name = |page: &serde_json::Value| page["items"][0]["name"].as_str().unwrap().replace('&', "&amp;");
    let card_names = |html: &str| html.split("<span class=\"name\">").skip(1).map(|s| s.split('<').next().unwrap_or_default().to_string()).collect::<Vec<_>>();
    let (status, _, html) = page_as_sent(&app, "/c/kitchen?sort=-price&stock=in", "en").await;
    assert_eq!(status, 200);
    assert_eq!(card_names(&html).first(), Some(&name(&dearest)), "{html}");
    let (_, _, html) = page_as_sent(&app, "/c/kitchen?sort=price&stock=in", "en").await;
    assert_eq!(card_names(&html).first(), Some(&name(&cheapest)), "{html}");
    // An address the API refuses (letters for a price) paints the listing's own order.
    let (status, _, html) = page_as_sent(&app, "/c/kitchen?min=abc", "en").await;
    assert_eq!(status, 200);
    assert!(!card_names(&html).is_empty(), "{html}");
}
