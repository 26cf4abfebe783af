//! The web app's `index.html` with a page's first view written into it, compressed as
//! the browser accepts.

use crate::platform::{templates::escape_html, web::REVALIDATE};
use aisle_domain::Lang;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use std::{
    io::Write,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::SystemTime,
};

/// What goes in the page's `<head>` besides what `index.html` has.
pub struct Head {
    /// As the app's `set_title` writes it.
    pub title: String,
    /// `None` keeps `index.html`'s, which speaks for the shop.
    pub description: Option<String>,
    /// The page's path, for its canonical address.
    pub path: String,
    /// The page in each language, as (`hreflang`, path): `en`, `de` and `x-default`.
    pub alternates: Vec<(String, String)>,
    /// What a shared link shows besides the title: the product's picture, its price and
    /// availability as schema.org data (JSON-LD, which search engines read).
    pub product: Option<ProductHead>,
}

pub struct ProductHead {
    /// The picture's path on this shop.
    pub image: String,
    /// The schema.org `Product` with its `Offer`, as JSON.
    pub json_ld: serde_json::Value,
}

/// The built `index.html`, read again when a deploy replaces it.
pub struct Shell {
    path: PathBuf,
    cached: Mutex<Option<((SystemTime, u64), Arc<str>)>>,
}

impl Shell {
    pub fn new(path: PathBuf) -> Shell {
        Shell { path, cached: Mutex::new(None) }
    }

    /// The file as it is on disk now; `None` before the app is built.
    pub fn read(&self) -> Option<Arc<str>> {
        let meta = std::fs::metadata(&self.path).ok()?;
        let stamp = (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len());
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((seen, text)) = cached.as_ref() {
            if *seen == stamp {
                return Some(text.clone());
            }
        }
        let text: Arc<str> = std::fs::read_to_string(&self.path).ok()?.into();
        *cached = Some((stamp, text.clone()));
        Some(text)
    }
}

/// `index` with the page's language, title, description and addresses in its head and
/// `first_view` as the first thing in its body. What `index.html` does not have where
/// expected is left as it is: the page still works, only without that part.
pub fn fill(index: &str, lang: Lang, head: &Head, public_url: &str, first_view: &str) -> String {
    let mut html = String::with_capacity(index.len() + first_view.len() + 1024);
    let index = index.replacen("<html lang=\"en\">", &format!("<html lang=\"{}\">", lang.code()), 1);
    let title = escape_html(&head.title);
    let url = escape_html(&format!("{public_url}{}", head.path));
    let mut extra = format!(
        "<title>{title}</title>\n    <link rel=\"canonical\" href=\"{url}\" />\n    <meta property=\"og:type\" content=\"website\" />\n    \
         <meta property=\"og:site_name\" content=\"Aisle\" />\n    <meta property=\"og:title\" content=\"{title}\" />\n    <meta property=\"og:url\" content=\"{url}\" />"
    );
    for (hreflang, path) in &head.alternates {
        extra.push_str(&format!("\n    <link rel=\"alternate\" hreflang=\"{}\" href=\"{}\" />", escape_html(hreflang), escape_html(&format!("{public_url}{path}"))));
    }
    if let Some(description) = &head.description {
        extra.push_str(&format!("\n    <meta property=\"og:description\" content=\"{}\" />", escape_html(description)));
    }
    if let Some(product) = &head.product {
        let image = escape_html(&format!("{public_url}{}", product.image));
        extra.push_str(&format!(
            "\n    <meta property=\"og:image\" content=\"{image}\" />\n    <meta name=\"twitter:card\" content=\"summary_large_image\" />\n    \
             <script type=\"application/ld+json\">{}</script>",
            json_in_html(&product.json_ld)
        ));
    }
    let index = index.replacen("<title>Aisle</title>", &extra, 1);
    let index = match &head.description {
        Some(description) => replace_tag(&index, "<meta name=\"description\"", &format!("<meta name=\"description\" content=\"{}\" />", escape_html(description))),
        None => index,
    };
    // The app's wasm waits for this page to be painted (its loader says so), so the
    // preload that would fetch it beside the page goes.
    let index = without_wasm_preload(&index);
    match index.find("<body>") {
        Some(at) => {
            let after = at + "<body>".len();
            html.push_str(&index[..after]);
            html.push_str("\n    <div id=\"first-view\">");
            html.push_str(first_view);
            html.push_str("</div>");
            html.push_str(&index[after..]);
        }
        None => html.push_str(&index),
    }
    html
}

/// JSON inside a `<script>` element: `<` is written `\u003c`, so no text of the
/// product's (a name with `</script>` in it) can end the element early.
fn json_in_html(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// `index` without its `<link rel="preload" … type="application/wasm" …>` (and the
/// line it stood on).
fn without_wasm_preload(index: &str) -> String {
    let mut at = 0;
    while let Some(i) = index[at..].find("<link rel=\"preload\"").map(|i| at + i) {
        let Some(end) = index[i..].find('>').map(|e| i + e + 1) else { break };
        if index[i..end].contains("application/wasm") {
            let line_start = index[..i].rfind('\n').filter(|&n| index[n + 1..i].trim().is_empty()).unwrap_or(i);
            return format!("{}{}", &index[..line_start], &index[end..]);
        }
        at = end;
    }
    index.to_string()
}

/// `text` with the tag that starts with `start` (up to its `>`) replaced by `with`.
fn replace_tag(text: &str, start: &str, with: &str) -> String {
    let Some(at) = text.find(start) else { return text.to_string() };
    let Some(end) = text[at..].find('>').map(|e| at + e + 1) else { return text.to_string() };
    format!("{}{with}{}", &text[..at], &text[end..])
}

/// The page as an answer: brotli or gzip when the browser takes it (the page is
/// written per request, so it is compressed per request, at a level that costs well
/// under a millisecond for a page this size).
pub fn respond(headers: &HeaderMap, status: StatusCode, html: String) -> Response {
    let accepts = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let takes = |name: &str| accepts.split(',').any(|c| c.split(';').next().is_some_and(|c| c.trim() == name));
    let (body, encoding) = if takes("br") {
        let mut out = Vec::with_capacity(html.len() / 4);
        let params = brotli::enc::BrotliEncoderParams { quality: 5, lgwin: 20, ..Default::default() };
        match brotli::BrotliCompress(&mut html.as_bytes(), &mut out, &params) {
            Ok(_) => (out, Some("br")),
            Err(_) => (html.into_bytes(), None),
        }
    } else if takes("gzip") {
        let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(html.len() / 4), flate2::Compression::new(6));
        match encoder.write_all(html.as_bytes()).and_then(|_| encoder.finish()) {
            Ok(out) => (out, Some("gzip")),
            Err(_) => (html.into_bytes(), None),
        }
    } else {
        (html.into_bytes(), None)
    };
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding, Accept-Language, Cookie"));
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    res
}
