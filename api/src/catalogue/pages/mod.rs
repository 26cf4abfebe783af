//! The shop's busiest pages — home, a category, a product — as the server writes them.
//!
//! A cold visit would otherwise show nothing until the web app's code (hundreds of KB)
//! has arrived and asked for the page's data: seconds on a phone network. So for these
//! three paths the server writes the page's **first view** into the app's `index.html`:
//! the header, the page itself and the footer, as the app draws them, with the same
//! classes and sizes, inside `<div id="first-view">`. The shopper sees the page from the
//! one HTML response, can follow every link in it (each is a real page the server
//! writes too), and the app takes over when it has drawn the same page (see
//! `src/platform/first_view.rs`): its elements replace these in one frame, so nothing
//! moves.
//!
//! Invariants:
//! - The markup mirrors the app's views (`src/features/home`, `…/catalogue`,
//!   `src/app/layout.rs`); the bench's layout-shift figures and an end-to-end test
//!   catch a difference that moves anything.
//! - Ids are prefixed `fv-` and there are no `data-testid`s, so the app's elements are
//!   never doubled while both exist, and tests and scripts find the app's only.
//! - No script: the `index.html`'s own loader is the only one, so the page's
//!   Content-Security-Policy (hashes of that file's inline scripts) is unchanged.
//! - A page that names nothing is answered with the plain app and the status 404, so
//!   crawlers, link checkers and shared links learn it is gone; the app shows its
//!   friendly "not found" page. A database hiccup is not a 404: the app's own request
//!   will say what is wrong.

mod shell;
mod sitemap;

use aisle_domain::market::InMarket;
use crate::{catalogue::{admin, description, store}, platform::{extract, templates}, AppState};
use aisle_domain::{
    catalogue::{
        art::product_data_url,
        edit::amount_text,
        is_valid_slug,
        listing::Choice,
        photo::{Photo, PhotoFormat, CARD_SIZES, PAGE_SIZES, TILE_SIZES},
        translation::BASE_LANG,
        tree,
    },
    customer::MAX_QUANTITY,
    Category,
    Lang,
    PageRequest,
    Product,
    ProductSummary,
    StockLevel,
};
use axum::{
    extract::{Path as UrlPath, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use shell::{Head, ProductHead, Shell};
use std::{collections::HashMap, path::Path, sync::Arc};

use super::routes::FEATURED_COUNT;

const TEMPLATES: [(&str, &str); 5] = [
    ("frame.j2", include_str!("templates/frame.j2")),
    ("card.j2", include_str!("templates/card.j2")),
    ("home.j2", include_str!("templates/home.j2")),
    ("category.j2", include_str!("templates/category.j2")),
    ("product.j2", include_str!("templates/product.j2")),
];

/// The web app's own words (`locales/`), so the first view says what the app will.
const WORDS: [(Lang, &str); 2] = [(Lang::En, include_str!("../../../../locales/en.json")), (Lang::De, include_str!("../../../../locales/de.json"))];

pub use crate::platform::extract::LANGUAGE_COOKIE;

/// What the page handlers share: the templates and the app's `index.html`.
#[derive(Clone)]
struct Pages {
    state: AppState,
    env: Arc<Environment<'static>>,
    /// Each language's name in itself, as the footer's switch lists them.
    languages: Arc<Vec<(&'static str, String)>>,
    shell: Arc<Shell>,
}

/// `/`, `/c/{slug}` and `/p/{slug}`, written with their first view; the sitemap and
/// `robots.txt`.
pub fn router(state: AppState, web_dir: &Path) -> Router {
    let words = templates::words(&WORDS);
    let languages = Lang::ALL.iter().map(|l| (l.code(), words.get(l).and_then(|w| w.get("language_name")).cloned().unwrap_or_default())).collect();
    let pages = Pages {
        state: state.clone(),
        env: Arc::new(templates::environment(AutoEscape::Html, &TEMPLATES, words)),
        languages: Arc::new(languages),
        shell: Arc::new(Shell::new(web_dir.join("index.html"))),
    };
    // `{*slug}` takes the rest of the path, slashes too: `/p/a/b` names no product.
    Router::new()
        .route("/", get(home))
        .route("/c/{*slug}", get(category))
        .route("/p/{*slug}", get(product))
        .route("/c/", get(nothing))
        .route("/p/", get(nothing))
        .with_state(pages)
        .merge(sitemap::router(state))
}

/// A product card as the app's `ProductCard` draws it.
#[derive(Serialize)]
struct Card {
    href: String,
    name: String,
    price: String,
    was: Option<String>,
    picture: String,
    photo: Option<PhotoView>,
    stock_class: &'static str,
    stock_words: Stock,
    stars: Option<StarsView>,
}

/// A product's stars as `card.j2`'s `stars` macro writes them, like the app's `StarsLine`.
#[derive(Serialize)]
struct StarsView {
    drawn: String,
    avg: String,
    count: u32,
}

fn stars_view(stars: Option<aisle_domain::review::Stars>) -> Option<StarsView> {
    stars.map(|s| StarsView { drawn: s.drawn(), avg: s.one_decimal(), count: s.count })
}

/// A photo as `card.j2`'s `photo` macro writes it.
#[derive(Serialize)]
struct PhotoView {
    preview: String,
    avif: String,
    webp: String,
    src: String,
    alt: String,
    width: u32,
    height: u32,
    sizes: &'static str,
    first: bool,
}

fn photo_view(photo: &Photo, sizes: &'static str, first: bool) -> PhotoView {
    PhotoView {
        preview: photo.placeholder().unwrap_or_default(),
        avif: photo.srcset(PhotoFormat::Avif),
        webp: photo.srcset(PhotoFormat::Webp),
        src: photo.fallback_src(),
        alt: photo.alt.clone(),
        width: photo.width,
        height: photo.height,
        sizes,
        first,
    }
}

/// A stock level as the words' key and count.
#[derive(Serialize)]
struct Stock {
    key: &'static str,
    n: i64,
}

fn stock(level: StockLevel) -> Stock {
    match level {
        StockLevel::InStock => Stock { key: "stock_in", n: 0 },
        StockLevel::Low(n) => Stock { key: "stock_low", n: n.into() },
        StockLevel::OutOfStock => Stock { key: "stock_out", n: 0 },
    }
}

fn card(lang: Lang, p: &ProductSummary, first: bool) -> Card {
    let level = p.stock_level();
    Card {
        href: p.href(),
        name: p.name.clone(),
        price: lang.money(p.price),
        was: p.compare_at.map(|m| lang.money(m)),
        picture: product_data_url(p.id, &p.name, &p.category_slug),
        photo: p.photo.as_ref().map(|ph| photo_view(ph, CARD_SIZES, first)),
        stock_class: level.tag(),
        stock_words: stock(level),
        stars: stars_view(p.rating),
    }
}

/// A category tile or link.
#[derive(Serialize)]
struct Tile {
    href: String,
    name: String,
    description: String,
    count: i64,
    count_words: String,
    photo: Option<PhotoView>,
}

fn tile(lang: Lang, c: &Category) -> Tile {
    Tile {
        href: c.href(),
        name: c.name.clone(),
        description: c.description.clone(),
        count: c.product_count,
        count_words: lang.integer(c.product_count),
        photo: c.photo.as_ref().map(|ph| photo_view(ph, TILE_SIZES, false)),
    }
}

/// The top-level categories: the header's links and home's tiles.
fn tiles(lang: Lang, categories: &[Category]) -> Vec<Tile> {
    categories.iter().filter(|c| c.parent.is_none()).map(|c| tile(lang, c)).collect()
}

/// The frame's values every template uses: the language, the categories for the
/// header's links.
#[derive(Serialize)]
struct Frame<'a> {
    lang: &'static str,
    nav: &'a [Tile],
    languages: &'a [(&'static str, String)],
    max_quantity: u32,
}

impl Pages {
    /// The page, or the plain app when it cannot be written (the app then asks itself).
    fn write(&self, headers: &HeaderMap, status: StatusCode, first_view: Option<(Head, String, Lang)>) -> Response {
        let Some(index) = self.shell.read() else {
            return (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(crate::platform::web::NOT_BUILT)).into_response();
        };
        let html = match first_view {
            Some((head, body, lang)) => shell::fill(&index, lang, &head, &self.state.emails.shop.url, &body),
            None => index.to_string(),
        };
        shell::respond(headers, status, html)
    }

    fn render(&self, template: &str, lang: Lang, nav: &[Tile], values: minijinja::Value) -> Result<String, minijinja::Error> {
        let frame = Frame {
            lang: lang.code(),
            nav,
            languages: &self.languages,
            max_quantity: MAX_QUANTITY,
        };
        let context = minijinja::context! { ..minijinja::Value::from_serialize(&frame), ..values };
        Ok(joined(&self.env.get_template(template)?.render(context)?))
    }
}

/// The rendered lines joined without their indentation: the app's markup has no
/// whitespace between tags, and whitespace between inline elements takes room.
fn joined(rendered: &str) -> String {
    rendered.lines().map(str::trim).collect()
}

/// The language a page's address names (`?lang=de`), if it names one the shop speaks.
fn asked_language(query: &HashMap<String, String>) -> Option<Lang> {
    let code = query.get("lang")?;
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

/// A page's canonical path and its address in every language: `?lang=` makes the
/// language part of the address, so a search engine can list each version (hreflang);
/// the bare address, which speaks the visitor's language, is the default.
fn in_languages(path: impl Fn(Lang) -> String, asked: Option<Lang>) -> (String, Vec<(String, String)>) {
    let with_lang = |l: Lang| format!("{}?lang={}", path(l), l.code());
    let mut alternates: Vec<(String, String)> = Lang::ALL.into_iter().map(|l| (l.code().to_string(), with_lang(l))).collect();
    alternates.push(("x-default".into(), path(BASE_LANG)));
    (asked.map_or_else(|| path(BASE_LANG), with_lang), alternates)
}

/// Logs a failure to write a first view; the shopper gets the plain app instead.
fn fallback<E: std::fmt::Display>(page: &str, e: E) -> Option<(Head, String, Lang)> {
    tracing::error!("cannot write the first view of {page}: {e}");
    None
}

/// The market of the country the shopper chose: the web app keeps it in a cookie too,
/// so a page the server draws shows the prices the app will (no euros turning into
/// pounds as the app starts). Crawlers, without it, see the shop's own.
fn market<'p>(pages: &'p Pages, headers: &HeaderMap) -> Option<&'p aisle_domain::market::Market> {
    extract::cookie(headers, MARKET_COOKIE).and_then(|country| pages.state.rules.markets.for_country(country))
}

/// Named in the web app's `features::market` too.
pub const MARKET_COOKIE: &str = "aisle_country";

async fn nothing(State(pages): State<Pages>, headers: HeaderMap) -> Response {
    pages.write(&headers, StatusCode::NOT_FOUND, None)
}

async fn home(State(pages): State<Pages>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let asked = asked_language(&query);
    let lang = asked.unwrap_or_else(|| extract::shopper_language(&headers));
    let read = async { Ok::<_, sqlx::Error>((pages.state.categories.get(&pages.state.db, lang).await?, store::featured_products(&pages.state.db, lang, FEATURED_COUNT).await?)) };
    let view = match read.await {
        Err(e) => fallback("home", e),
        Ok((categories, mut featured)) => {
            featured.in_market(market(&pages, &headers));
            let nav = tiles(lang, &categories);
            let cards: Vec<Card> = featured.iter().enumerate().map(|(i, p)| card(lang, p, i == 0)).collect();
            match pages.render("home.j2", lang, &nav, minijinja::context! { featured => cards }) {
                Ok(body) => {
                    let (path, alternates) = in_languages(|_| "/".into(), asked);
                    Some((Head { title: "Aisle".into(), description: None, path, alternates, product: None }, body, lang))
                },
                Err(e) => fallback("home", e),
            }
        }
    };
    pages.write(&headers, StatusCode::OK, view)
}

async fn category(State(pages): State<Pages>, UrlPath(slug): UrlPath<String>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    if !is_valid_slug(&slug) {
        return pages.write(&headers, StatusCode::NOT_FOUND, None);
    }
    let asked = asked_language(&query);
    let lang = asked.unwrap_or_else(|| extract::shopper_language(&headers));
    // A page number the API would refuse is the first page, as in the app.
    let paging = PageRequest::parse(query.get("page").map(String::as_str), None).unwrap_or_default();
    let db = &pages.state.db;
    let read = async {
        let categories = pages.state.categories.get(db, lang).await?;
        let Some(category) = categories.iter().find(|c| c.slug == slug).cloned() else { return Ok(None) };
        let shelves = pages.state.categories.shelves(db, lang).await?;
        // The order and filters of the address, as the app will show them, so a
        // shared or reloaded "sorted by price" link does not first paint another
        // order. An address the API would refuse shows the listing's own order; the
        // app then says what is wrong with it.
        let choice = Choice::parse(query.iter().map(|(k, v)| (k.as_str(), v.as_str())), shelves.currency).unwrap_or_default();
        let listed = shelves.list(crate::catalogue::shelves::Shelf::Category(category.id), &choice, &pages.state.categories.stock);
        let shelf = &listed.0;
        let mut items = store::product_summaries(db, lang, crate::catalogue::routes::page_of(shelf, paging)).await?;
        items.in_market(market(&pages, &headers));
        Ok::<_, sqlx::Error>(Some((categories, category, items, shelf.len() as i64)))
    };
    let (status, view) = match read.await {
        Err(e) => (StatusCode::OK, fallback("a category", e)),
        Ok(None) => (StatusCode::NOT_FOUND, None),
        Ok(Some((categories, category, items, total))) => {
            let nav = tiles(lang, &categories);
            let cards: Vec<Card> = items.iter().enumerate().map(|(i, p)| card(lang, p, i == 0)).collect();
            let total_pages = paging.total_pages(total);
            let trail: Vec<Tile> = tree::ancestors(&categories, category.id).iter().filter_map(|id| categories.iter().find(|c| c.id == *id)).map(|c| tile(lang, c)).collect();
            let children: Vec<Tile> = categories.iter().filter(|c| c.parent == Some(category.id)).map(|c| tile(lang, c)).collect();
            let values = minijinja::context! {
                category => &category, href => category.href(), cards => cards, page => paging.page, total_pages => total_pages, trail => trail, children => children,
            };
            match pages.render("category.j2", lang, &nav, values) {
                Ok(body) => {
                    let (path, alternates) = in_languages(|_| category.href(), asked);
                    let head = Head { title: format!("{} · Aisle", category.name), description: Some(category.description.clone()), path, alternates, product: None };
                    (StatusCode::OK, Some((head, body, lang)))
                }
                Err(e) => (StatusCode::OK, fallback("a category", e)),
            }
        }
    };
    pages.write(&headers, status, view)
}

async fn product(State(pages): State<Pages>, UrlPath(slug): UrlPath<String>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    if !is_valid_slug(&slug) {
        return pages.write(&headers, StatusCode::NOT_FOUND, None);
    }
    let asked = asked_language(&query);
    let lang = asked.unwrap_or_else(|| extract::shopper_language(&headers));
    let db = &pages.state.db;
    let read = async {
        let Some(product) = store::product_by_slug(db, lang, &slug).await? else { return Ok(None) };
        let slugs = store::product_slugs(db, product.id).await?;
        Ok::<_, sqlx::Error>(Some((pages.state.categories.get(db, lang).await?, product, slugs)))
    };
    let (status, view) = match read.await {
        Err(e) => (StatusCode::OK, fallback("a product", e)),
        Ok(None) => {
            // A product's old address, from before staff changed it, still leads there.
            if let Ok(Some(moved)) = admin::store::slug_moved_to(db, &slug).await {
                // 301, the status every crawler knows to carry a page's standing over.
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, format!("/p/{moved}"))]).into_response();
            }
            (StatusCode::NOT_FOUND, None)
        }
        Ok(Some((categories, mut p, slugs))) => {
            p.in_market(market(&pages, &headers));
            let nav = tiles(lang, &categories);
            let level = p.stock_level();
            let values = minijinja::context! {
                product => &p,
                category_href => format!("/c/{}", p.category_slug),
                price => lang.money(p.price),
                was => p.compare_at.map(|m| lang.money(m)),
                picture => product_data_url(p.id, &p.name, &p.category_slug),
                photos => p.photos.iter().take(1).map(|ph| photo_view(ph, PAGE_SIZES, true)).collect::<Vec<_>>(),
                thumbs => p.photos.iter().map(|ph| photo_view(ph, "80px", false)).collect::<Vec<_>>(),
                stock_class => level.tag(),
                stock_words => stock(level),
                stars => stars_view(p.rating),
                sold_out => p.stock <= 0,
                untranslated => p.content_lang != lang,
            };
            match pages.render("product.j2", lang, &nav, values) {
                Ok(body) => {
                    // A translated product has its own address in that language.
                    let slug_in = |l: Lang| format!("/p/{}", slugs.iter().find(|(sl, _)| *sl == l).or(slugs.first()).map_or(p.slug.as_str(), |(_, s)| s.as_str()));
                    let (path, alternates) = in_languages(slug_in, asked);
                    let head = Head {
                        title: format!("{} · Aisle", p.name),
                        description: Some(description::to_plain(&p.description)),
                        path,
                        alternates,
                        product: Some(ProductHead { image: share_image(&p), json_ld: product_json_ld(&p, &pages.state.emails.shop.url) }),
                    };
                    (StatusCode::OK, Some((head, body, lang)))
                }
                Err(e) => (StatusCode::OK, fallback("a product", e)),
            }
        }
    };
    pages.write(&headers, status, view)
}

/// The picture a shared link shows: the first photo at its widest, else the drawn one.
fn share_image(p: &Product) -> String {
    p.photos.first().map_or_else(|| p.image_path(), |ph| ph.largest_src(PhotoFormat::Webp))
}

/// The schema.org `Product` with its `Offer`: what search engines show beside a
/// result, and what a shared link's preview may read.
fn product_json_ld(p: &Product, public_url: &str) -> serde_json::Value {
    let url = format!("{public_url}/p/{}", p.slug);
    let availability = if p.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" };
    let mut ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": description::to_plain(&p.description),
        "image": if p.photos.is_empty() {
            serde_json::json!(format!("{public_url}{}", p.image_path()))
        } else {
            serde_json::json!(p.photos.iter().map(|ph| format!("{public_url}{}", ph.largest_src(PhotoFormat::Webp))).collect::<Vec<_>>())
        },
        "url": url,
        "productID": p.id.to_string(),
        "offers": {
            "@type": "Offer",
            "price": amount_text(p.price.minor, p.price.currency),
            "priceCurrency": p.price.currency.code(),
            "availability": availability,
            "url": url,
        },
    });
    // A product in sizes or colours offers each variant at its own price and address,
    // with its SKU, as Google's product variants guidance asks.
    if !p.variants.is_empty() {
        ld["offers"] = serde_json::json!(p
            .variants
            .iter()
            .map(|v| {
                let mut offer = serde_json::json!({
                    "@type": "Offer",
                    "name": v.title(),
                    "price": amount_text(v.price.minor, v.price.currency),
                    "priceCurrency": v.price.currency.code(),
                    "availability": if v.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
                    "url": format!("{url}?variant={}", v.id),
                });
                if !v.sku.is_empty() {
                    offer["sku"] = serde_json::json!(v.sku);
                }
                offer
            })
            .collect::<Vec<_>>());
    }
    if !p.brand.is_empty() {
        ld["brand"] = serde_json::json!({ "@type": "Brand", "name": p.brand });
    }
    // Published reviews only: the stars a shopper sees on the page are the ones a search
    // engine is told.
    if let Some(stars) = p.rating {
        ld["aggregateRating"] = serde_json::json!({
            "@type": "AggregateRating",
            "ratingValue": stars.one_decimal(),
            "reviewCount": stars.count,
            "bestRating": "5",
            "worstRating": "1",
        });
    }
    ld
}

#[cfg(test)]
mod tests;
