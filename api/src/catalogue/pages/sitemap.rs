//! `/sitemap.xml` and `/robots.txt`: what a search engine may read, and the address of
//! every page on sale — home, each category, each published product — in each language.

use crate::{platform::templates::escape_html, AppState};
use aisle_domain::{catalogue::translation::BASE_LANG, Lang};
use std::collections::HashMap;
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn router(state: AppState) -> Router {
    Router::new().route("/sitemap.xml", get(sitemap)).route("/robots.txt", get(robots)).with_state(state)
}

/// A sitemap file holds at most 50,000 addresses (sitemaps.org); a shop beyond that
/// would need an index of several files, which this does not write yet.
const MAX_URLS: i64 = 50_000;

async fn sitemap(State(state): State<AppState>) -> Response {
    let db = &state.db;
    let base = &state.emails.shop.url;
    let languages = Lang::ALL.len() as i64;
    let read = async {
        let categories: Vec<(String,)> = sqlx::query_as("SELECT slug FROM categories ORDER BY position, id").fetch_all(db).await?;
        let products: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, slug, updated_at FROM products WHERE status = 'published' ORDER BY id LIMIT $1")
            .bind(MAX_URLS / languages - 1 - categories.len() as i64)
            .fetch_all(db)
            .await?;
        let translated: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT t.product_id, t.lang, t.slug FROM product_translations t JOIN products p ON p.id = t.product_id WHERE p.status = 'published'",
        )
        .fetch_all(db)
        .await?;
        Ok::<_, sqlx::Error>((categories, products, translated))
    };
    let (categories, products, translated) = match read.await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("cannot write the sitemap: {e}");
            return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "30")], "The sitemap cannot be read right now.").into_response();
        }
    };
    let translated: HashMap<(i64, &str), &str> = translated.iter().map(|(id, lang, slug)| ((*id, lang.as_str()), slug.as_str())).collect();
    let mut xml = String::with_capacity(400 * (products.len() + categories.len() + 1));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    // Each page once per language (`?lang=`), each entry naming every version of the
    // page, as search engines read hreflang from a sitemap.
    let mut page = |path: &dyn Fn(Lang) -> String, lastmod: Option<&str>| {
        let address = |l: Lang| escape_html(&format!("{base}{}?lang={}", path(l), l.code()));
        for lang in Lang::ALL {
            xml.push_str(&format!("<url><loc>{}</loc>", address(lang)));
            if let Some(day) = lastmod.and_then(|t| t.get(..10)) {
                xml.push_str(&format!("<lastmod>{}</lastmod>", escape_html(day)));
            }
            for other in Lang::ALL {
                xml.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>", other.code(), address(other)));
            }
            xml.push_str(&format!("<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>", escape_html(&format!("{base}{}", path(BASE_LANG)))));
            xml.push_str("</url>\n");
        }
    };
    page(&|_| "/".into(), None);
    for (slug,) in &categories {
        page(&|_| format!("/c/{slug}"), None);
    }
    for (id, slug, updated) in &products {
        page(&|l: Lang| format!("/p/{}", translated.get(&(*id, l.code())).copied().unwrap_or(slug)), Some(updated));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], xml).into_response()
}

/// Crawlers keep out of the back office, the API, and each shopper's own pages; the
/// sitemap says where the rest is.
async fn robots(State(state): State<AppState>) -> Response {
    let base = &state.emails.shop.url;
    let body = format!(
        "User-agent: *\nDisallow: /staff\nDisallow: /api/\nDisallow: /account\nDisallow: /cart\nDisallow: /checkout\nDisallow: /orders/\nDisallow: /search\n\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}
