//! The catalogue on the device. At start the app loads its IndexedDB copy and answers
//! category pages, product pages and search from memory at once — online or not —
//! then fetches what changed since the last sync and writes it back in one
//! transaction. Before the first sync finishes, pages ask the API instead.
//!
//! The search index is built after the first page has painted (or by the first search,
//! whichever comes first), so a start from the device copy is not held up by it.

use super::api;
use crate::platform::{http::ApiError, pwa::Pwa, store};
use aisle_domain::{
    catalogue::{
        is_valid_slug,
        listing::{self, Choice},
        paging::{DEFAULT_PER_PAGE, MAX_PER_PAGE},
        search::{SearchDoc, SearchIndex},
        tree,
    },
    BrandPage,
    Category,
    Currency,
    CategoryPage,
    PageRequest,
    Product,
    ProductSummary,
    SearchResults,
};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::{prelude::*, task::spawn_local};
use std::{
    cell::{Cell, RefCell},
    collections::HashMap,
    sync::{Arc, OnceLock},
};

thread_local! {
    /// The first read of the device copy; pages wait for it rather than asking the
    /// network (which may be down) for what the device already has.
    static DEVICE_LOAD: RefCell<Option<Shared<LocalBoxFuture<'static, ()>>>> = const { RefCell::new(None) };
    /// One sync at a time: two at once (the first one still running when the shopper
    /// switches language, or the minute's tick landing during a slow one) would write
    /// their pages and cursors between each other's, leaving products in the old
    /// language under the new one's cursor. A sync asked for meanwhile runs after.
    static SYNCING: Cell<bool> = const { Cell::new(false) };
    static SYNC_AGAIN: Cell<bool> = const { Cell::new(false) };
}

/// How often an open app looks for catalogue changes while online.
const RESYNC_MS: u32 = 60_000;
/// The home page's picks, in `meta`.
const FEATURED: &str = "featured";

pub struct CatalogueData {
    pub categories: Vec<Category>,
    /// Sorted as the API sorts a category: by name, then id.
    pub products: Vec<Product>,
    by_slug: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
    /// Each category's products, in page order: a category page is a slice, not a walk
    /// over the whole catalogue.
    by_category: HashMap<String, Vec<usize>>,
    index: OnceLock<SearchIndex>,
}

impl CatalogueData {
    pub fn new(categories: Vec<Category>, mut products: Vec<Product>) -> CatalogueData {
        products.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let by_slug = products.iter().enumerate().map(|(i, p)| (p.slug.clone(), i)).collect();
        let by_id = products.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let mut own: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in products.iter().enumerate() {
            own.entry(p.category_slug.as_str()).or_default().push(i);
        }
        // A category lists its own products and those of every category under it, in
        // the same order as the API's page (indexes into the sorted list).
        let mut by_category: HashMap<String, Vec<usize>> = HashMap::new();
        for c in &categories {
            let mut all: Vec<usize> = tree::descendants(&categories, c.id)
                .iter()
                .filter_map(|id| categories.iter().find(|d| d.id == *id))
                .flat_map(|d| own.get(d.slug.as_str()).map_or(&[][..], Vec::as_slice).iter().copied())
                .collect();
            all.sort_unstable();
            by_category.insert(c.slug.clone(), all);
        }
        drop(own);
        let mut categories = categories;
        for c in &mut categories {
            c.product_count = by_category.get(&c.slug).map_or(0, Vec::len) as i64;
        }
        CatalogueData { categories, products, by_slug, by_id, by_category, index: OnceLock::new() }
    }

    /// The search index, built on first use.
    fn index(&self) -> &SearchIndex {
        self.index.get_or_init(|| {
            mark("aisle-search-index-start");
            // Variants' SKUs are searched with the description, as on the server.
            let described: Vec<std::borrow::Cow<str>> = self
                .products
                .iter()
                .map(|p| {
                    if p.variants.iter().all(|v| v.sku.is_empty()) {
                        std::borrow::Cow::Borrowed(p.description.as_str())
                    } else {
                        let skus: Vec<&str> = p.variants.iter().map(|v| v.sku.as_str()).collect();
                        std::borrow::Cow::Owned(format!("{} {}", p.description, skus.join(" ")))
                    }
                })
                .collect();
            let index = SearchIndex::new(self.products.iter().zip(&described).map(|(p, d)| SearchDoc {
                id: p.id,
                name: &p.name,
                category: &p.category_name,
                description: d,
            }));
            measure("aisle-search-index", "aisle-search-index-start");
            index
        })
    }

    pub fn product(&self, slug: &str) -> Option<Product> {
        self.by_slug.get(slug).map(|i| self.products[*i].clone())
    }

    /// The first `page` pages of category `slug` in the order and with the filters of
    /// `choice`: "Show more" adds a page under those on show.
    pub fn category_page(&self, slug: &str, page: u32, choice: &Choice) -> Option<CategoryPage> {
        let category = self.categories.iter().find(|c| c.slug == slug)?.clone();
        let all = self.by_category.get(slug).map_or(&[][..], Vec::as_slice);
        let (shown, facets) = listing::list(all.iter().map(|&i| &self.products[i]), choice);
        let Pages { items, page, per_page, total, total_pages } = Pages::through(&shown, page);
        Some(CategoryPage { category, items, page, per_page, total, total_pages, facets })
    }

    /// The shop's currency (one per shop), which a price filter is written in.
    pub fn currency(&self) -> Currency {
        self.products.first().map_or(Currency::EUR, |p| p.price.currency)
    }

    /// The first `limit` products matching `q` in the order and with the filters of
    /// `choice` (best match first by default), how many the filters leave, and the
    /// count beside each filter choice.
    /// `facets`: whether to count them when nothing is chosen (the filters are open);
    /// a one-letter query matches thousands, and counting them all on each keystroke
    /// took it from 3 to 7 ms.
    pub fn search(&self, q: &str, limit: usize, choice: &Choice, facets: bool) -> SearchResults {
        // Timed on its own (without rendering) for `cargo xtask bench`.
        mark("aisle-search-start");
        let results = if choice.is_default() {
            // Only the best are sorted, and the counts need no order.
            let (ids, all) = self.index().search_top_and_all(q, limit);
            let total = all.len();
            let facets = if facets { listing::list(all.iter().filter_map(|id| self.by_id.get(id)).map(|&i| &self.products[i]), choice).1 } else { listing::Facets::default() };
            let items = ids.iter().filter_map(|id| self.by_id.get(id)).map(|i| summary(&self.products[*i])).collect();
            SearchResults { query: q.to_string(), items, total, facets }
        } else {
            let ids = self.index().search(q);
            let (shown, facets) = listing::list(ids.iter().filter_map(|id| self.by_id.get(id)).map(|&i| &self.products[i]), choice);
            let items = shown.iter().take(limit).map(|p| summary(p)).collect();
            SearchResults { query: q.to_string(), items, total: shown.len(), facets }
        };
        measure("aisle-search", "aisle-search-start");
        results
    }

    /// The first `page` pages of `brand`'s products, in the order and with the
    /// filters of `choice`; none when no product of the brand is for sale.
    pub fn brand_page(&self, brand: &str, page: u32, choice: &Choice) -> Option<BrandPage> {
        let mut own = self.products.iter().filter(|p| p.brand == brand).peekable();
        own.peek()?;
        let (shown, facets) = listing::list(own, choice);
        let Pages { items, page, per_page, total, total_pages } = Pages::through(&shown, page);
        Some(BrandPage { brand: brand.to_string(), items, page, per_page, total, total_pages, facets })
    }

    pub fn summaries(&self, ids: &[i64]) -> Vec<ProductSummary> {
        ids.iter().filter_map(|id| self.by_id.get(id)).map(|i| summary(&self.products[*i])).collect()
    }

    /// "Similar products" by the rule the API uses, for when it cannot be asked.
    pub fn similar(&self, id: i64, k: usize) -> Vec<ProductSummary> {
        use aisle_domain::personal::related::{similar, Likeness};
        fn like(p: &Product) -> Likeness<'_> {
            Likeness { id: p.id, category: &p.category_slug, brand: &p.brand, price_minor: p.price.minor, in_stock: p.stock > 0 }
        }
        let Some(target) = self.by_id.get(&id).map(|i| &self.products[*i]) else { return Vec::new() };
        self.summaries(&similar(&like(target), self.products.iter().map(like), k))
    }

    /// The home page's picks when the API cannot be asked: the first product in stock
    /// of each category.
    pub fn featured(&self) -> Vec<ProductSummary> {
        self.categories
            .iter()
            .filter(|c| c.parent.is_none())
            .filter_map(|c| self.by_category.get(&c.slug)?.iter().map(|&i| &self.products[i]).filter(|p| p.stock > 0).min_by_key(|p| p.id))
            .take(8)
            .map(summary)
            .collect()
    }
}

fn summary(p: &Product) -> ProductSummary {
    p.summary()
}

/// The first `page` pages of a listing, with what a pager needs.
struct Pages {
    items: Vec<ProductSummary>,
    page: u32,
    per_page: u32,
    total: i64,
    total_pages: u32,
}

impl Pages {
    fn through(shown: &[&Product], page: u32) -> Pages {
        let paging = PageRequest::parse(Some(&page.to_string()), None).unwrap_or_default();
        let through = (paging.offset() + paging.limit()) as usize;
        let total = shown.len() as i64;
        Pages { items: shown.iter().take(through).map(|p| summary(p)).collect(), page: paging.page, per_page: paging.per_page, total, total_pages: paging.total_pages(total) }
    }
}

/// The shared handle, provided through context.
#[derive(Clone, Copy)]
pub struct LocalCatalogue {
    pub data: RwSignal<Option<Arc<CatalogueData>>>,
}

pub fn use_catalogue() -> LocalCatalogue {
    expect_context::<LocalCatalogue>()
}

/// The category list, shared by the header's navigation and the home page, so moving
/// between pages never fetches it again. It is read again when the device copy
/// arrives or changes, so the navigation fills in offline.
#[derive(Clone, Copy)]
pub struct Categories(pub LocalResource<Result<Vec<Category>, ApiError>>);

impl Categories {
    pub fn of(catalogue: LocalCatalogue) -> Categories {
        Categories(LocalResource::new(move || {
            catalogue.data.track();
            catalogue.categories()
        }))
    }
}

pub fn use_categories() -> Categories {
    expect_context::<Categories>()
}

impl LocalCatalogue {
    /// Loads the device's copy, then keeps it in step with the shop: at once, every
    /// few minutes, and when the connection comes back.
    pub fn start(pwa: Pwa) -> LocalCatalogue {
        let cat = LocalCatalogue { data: RwSignal::new(None) };
        pwa.on_back_online(Callback::new(move |()| spawn_local(sync_catalogue(cat))));
        let first_load = async move { cat.load_from_device().await }.boxed_local().shared();
        DEVICE_LOAD.with(|d| *d.borrow_mut() = Some(first_load.clone()));
        spawn_local(first_load.clone());
        // The first sync of a new device fetches and stores the whole catalogue: it
        // waits until the page has drawn (no page code on its way, no placeholder on
        // screen; see `platform::idle`), so it does not compete with the first paint
        // for a slow connection.
        crate::platform::idle::when_idle(move || async move {
            first_load.await;
            sync_catalogue(cat).await;
        });
        // Keep an open app's copy fresh.
        let tick = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || spawn_local(sync_catalogue(cat)));
        let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
            leptos::wasm_bindgen::JsCast::unchecked_ref(tick.as_ref()),
            RESYNC_MS as i32,
        );
        tick.forget();
        cat
    }

    async fn load_from_device(self) {
        mark("aisle-catalogue-load-start");
        let Ok((categories, products)) = store::load_catalogue::<Category, Product>().await else {
            return;
        };
        if !products.is_empty() {
            // The device keeps the shop's prices; the copy in use is in the shopper's market.
            let products = crate::features::market::priced(products);
            mark("aisle-catalogue-index-start");
            let data = Arc::new(CatalogueData::new(categories, products));
            measure("aisle-catalogue-index", "aisle-catalogue-index-start");
            measure("aisle-catalogue-load", "aisle-catalogue-load-start");
            self.data.set(Some(data.clone()));
            build_index_when_idle(data);
        }
    }

    /// Fetches what changed since the last sync, saves it, and swaps in the new copy;
    /// when a sync is already running, it runs again once that one ends.
    pub async fn sync(self) {
        if SYNCING.with(|s| s.replace(true)) {
            SYNC_AGAIN.with(|a| a.set(true));
            return;
        }
        loop {
            self.sync_once().await;
            if !SYNC_AGAIN.with(|a| a.replace(false)) {
                break;
            }
        }
        SYNCING.with(|s| s.set(false));
    }

    async fn sync_once(self) {
        mark("aisle-sync-start");
        let lang = aisle_web::lang::current().code();
        let Ok(mut cursor) = store::catalogue_since(lang).await else { return };
        let mut changed = false;
        loop {
            let Ok(page) = api::catalogue_changes(&cursor).await else { break };
            changed |= !page.products.is_empty() || !page.removed.is_empty() || self.data.with_untracked(Option::is_none);
            if store::save_catalogue_sync(&page.categories, page.products, &page.removed, lang, &page.next).await.is_err() {
                break;
            }
            cursor = page.next;
            // The shopper switched language: the rest is fetched again in the new one
            // by the sync that switch asked for.
            if !page.more || aisle_web::lang::current().code() != lang {
                break;
            }
        }
        // A copy half in the old language is not shown: the sync after this one is.
        if changed && aisle_web::lang::current().code() == lang {
            // Fetched and stored: what `cargo xtask bench` reports as the sync time.
            measure("aisle-sync", "aisle-sync-start");
            self.load_from_device().await;
        }
    }

    /// Reads the device's copy again in the shopper's market (which just changed).
    pub fn reprice(self) {
        spawn_local(self.load_from_device());
    }

    /// Syncs now: after the shopper picked another language, the copy is fetched again
    /// in it (see `store::catalogue_since`).
    pub fn resync(self) {
        spawn_local(sync_catalogue(self));
    }

    async fn ready(self) -> Option<Arc<CatalogueData>> {
        if let Some(first_load) = DEVICE_LOAD.with(|d| d.borrow().clone()) {
            first_load.await;
        }
        self.data.get_untracked()
    }

    // What the pages call: the device copy when there is one, else the API, and the
    // device copy again if the API cannot be reached.

    pub async fn categories(self) -> Result<Vec<Category>, ApiError> {
        if let Some(d) = self.ready().await {
            return Ok(d.categories.clone());
        }
        api::categories().await
    }

    /// The API's picks, kept on the device so that an offline start paints them from
    /// one small read instead of waiting for the whole catalogue.
    pub async fn featured(self) -> Result<Vec<ProductSummary>, ApiError> {
        match api::featured().await {
            Ok(picks) => {
                let kept = picks.clone();
                spawn_local(async move {
                    let _ = store::set_meta(FEATURED, &kept).await;
                });
                Ok(crate::features::market::priced(picks))
            }
            Err(e) if e.status == 0 => {
                if let Some(kept) = store::get_meta::<Vec<ProductSummary>>(FEATURED).await.ok().flatten().filter(|p| !p.is_empty()) {
                    return Ok(crate::features::market::priced(kept));
                }
                self.ready().await.map(|d| d.featured()).ok_or(e)
            }
            Err(e) => Err(e),
        }
    }

    /// The first `page` pages of category `slug` with the order and filters its
    /// address asks for (`params`), and that choice as read. A choice that cannot be read is an error
    /// naming its parameter (status 400), from the device copy as from the API.
    pub async fn category_page(self, slug: &str, page: u32, params: &[(String, String)]) -> Result<(CategoryPage, Choice), ApiError> {
        if !is_valid_slug(slug) {
            return Err(ApiError::plain(404, ""));
        }
        if let Some(d) = self.ready().await {
            let choice = read_choice(params, d.currency())?;
            // Sorting and filtering the category on the device: a bench figure.
            mark("aisle-listing-start");
            let listed = d.category_page(slug, page, &choice);
            measure("aisle-listing", "aisle-listing-start");
            return listed.map(|p| (p, choice)).ok_or_else(|| ApiError::plain(404, ""));
        }
        let mut shown = crate::features::market::priced(api::category_page(slug, 1, per_page_through(page), &listing_params(params)).await?);
        // One answer holds the pages up to `page`: the next "Show more" is page + 1.
        (shown.page, shown.per_page) = (page, DEFAULT_PER_PAGE);
        let choice = sent_choice(params, &shown.items);
        Ok((shown, choice))
    }

    pub async fn product(self, slug: &str) -> Result<Product, ApiError> {
        if !is_valid_slug(slug) {
            return Err(ApiError::plain(404, ""));
        }
        if let Some(p) = self.ready().await.and_then(|d| d.product(slug)) {
            return Ok(p);
        }
        // Not on the device (new since the last sync, or no copy yet): ask the API.
        api::product(slug).await.map(crate::features::market::priced)
    }

    pub async fn similar(self, id: i64, k: usize) -> Vec<ProductSummary> {
        self.ready().await.map(|d| d.similar(id, k)).unwrap_or_default()
    }

    /// Recently viewed products, from the device, newest first.
    pub async fn recently_viewed(self) -> Vec<ProductSummary> {
        let ids: Vec<i64> = store::get_meta(store::RECENTLY_VIEWED).await.ok().flatten().unwrap_or_default();
        self.ready().await.map(|d| d.summaries(&ids)).unwrap_or_default()
    }

    /// Products matching `q`, the first `limit` of them in the order and with the
    /// filters its address asks for (`params`), and that choice as read.
    pub async fn search(self, q: &str, limit: usize, params: &[(String, String)]) -> Result<(SearchResults, Choice), ApiError> {
        if let Some(d) = self.ready().await {
            let choice = read_choice(params, d.currency())?;
            return Ok((d.search(q, limit, &choice, true), choice));
        }
        let results = crate::features::market::priced(api::search(q, limit.min(api::MAX_SEARCH), &listing_params(params)).await?);
        let choice = sent_choice(params, &results.items);
        Ok((results, choice))
    }

    /// The first `page` pages of `brand`'s products, as [`Self::category_page`].
    pub async fn brand_page(self, brand: &str, page: u32, params: &[(String, String)]) -> Result<(BrandPage, Choice), ApiError> {
        if let Some(d) = self.ready().await {
            let choice = read_choice(params, d.currency())?;
            return d.brand_page(brand, page, &choice).map(|p| (p, choice)).ok_or_else(|| ApiError::plain(404, ""));
        }
        let mut shown = crate::features::market::priced(api::brand_page(brand, per_page_through(page), &listing_params(params)).await?);
        (shown.page, shown.per_page) = (page, DEFAULT_PER_PAGE);
        let choice = sent_choice(params, &shown.items);
        Ok((shown, choice))
    }
}

/// A listing's order and filters as its address writes them; one that cannot be read
/// is an error naming its parameter (status 400), from the device copy as from the API.
pub fn read_choice(params: &[(String, String)], currency: Currency) -> Result<Choice, ApiError> {
    Choice::parse(params.iter().map(|(k, v)| (k.as_str(), v.as_str())), currency)
        .map_err(|e| ApiError { field: Some(e.field.to_string()), ..ApiError::plain(400, e.message) })
}

/// The choice the API was sent, for the controls: the API reads it in the shop's
/// currency (and refuses it as the device's copy would); here it is read again in the
/// currency of the prices it answered with.
fn sent_choice(params: &[(String, String)], items: &[ProductSummary]) -> Choice {
    read_choice(params, items.first().map_or(Currency::EUR, |p| p.price.currency)).unwrap_or_default()
}

/// How many products to ask the API for to have the first `page` pages in one answer,
/// as far as it gives in one.
fn per_page_through(page: u32) -> u32 {
    page.saturating_mul(DEFAULT_PER_PAGE).min(MAX_PER_PAGE)
}

/// The address's parameters a listing reads, to send on to the API.
fn listing_params(params: &[(String, String)]) -> Vec<(&'static str, String)> {
    params.iter().filter_map(|(k, v)| listing::PARAMS.iter().find(|p| **p == k.as_str()).map(|p| (*p, v.clone()))).collect()
}

/// [`LocalCatalogue::sync`]. In the split build (feature `split`) the sync's code (the
/// API's change pages and writing them to the device) is a wasm part of its own,
/// fetched when the first sync starts, after the first paint.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn sync_catalogue(cat: LocalCatalogue) {
    cat.sync().await
}

/// Builds the search index once the page has had its first paint: after the next
/// animation frame, then a task, so the frame goes out first.
fn build_index_when_idle(data: Arc<CatalogueData>) {
    let build = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
        let later = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
            data.index();
        });
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&later), 0);
    });
    let _ = window().request_animation_frame(leptos::wasm_bindgen::JsCast::unchecked_ref(&build));
}

/// A User Timing mark and measure, so DevTools and `cargo xtask bench` can see how
/// long the device copy takes to sync and to load.
fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

fn measure(name: &str, start: &str) {
    if let Some(p) = window().performance() {
        let _ = p.measure_with_start_mark(name, start);
    }
}
