//! Answers of `GET /api/products/{id_or_slug}` kept in memory, so a product read
//! neither waits for a database connection's thread nor runs serde: each product's JSON
//! is serialized once and then handed out as shared bytes. A slug read finds the same
//! entry through a slug → id map.
//!
//! Stock shown stays true:
//!
//! - Within this server, every committed product change evicts that product at once
//!   (`orders::stock_changed` after each stock write). A read that missed and was
//!   querying while the change committed does not put its old row back: it took a
//!   [`Ticket`] before querying, each eviction ticks a clock and notes the tick against
//!   its product, and [`ProductCache::store`] refuses a ticket from before that
//!   product's latest eviction. The note is per product because with one for the whole
//!   cache, a busy shop's stream of sales (each one an eviction) kept nearly every read
//!   in flight from being cached, and product reads under load fell tenfold.
//! - Another API instance on the same PostgreSQL tells this one which products it
//!   changed, and they are evicted the same way (see [`crate::platform::fanout`]).
//! - Changes nobody announces — someone editing the database by hand, a signal lost
//!   while the listening connection was down — are not seen here, so every entry also
//!   expires [`TTL`] after it was read from the database.
//!
//! Memory is bounded by [`MAX_ENTRIES`]; see there.

use super::{
    shelves::{Shelves, StockBook},
    store,
};
use crate::platform::{db, error::ApiError};
use aisle_domain::{Lang, Product};
use axum::body::Bytes;
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, RwLock,
    },
    time::{Duration, Instant},
};

/// How long an answer may be served without asking the database again. This is how
/// late another API instance on the same database can show a change made through this
/// one (within one instance eviction is immediate); stock shown is only ever a guide,
/// since an order re-reads it inside its transaction. Not shorter because when every
/// product is read often, each one is fetched again once per TTL: for the 10,000
/// products the shop is measured with, 1 s meant 10,000 database reads a second, near
/// all the database path can serve on two cores, which about doubled the CPU time of an
/// average product read; 5 s costs 2,000 a second.
pub const TTL: Duration = Duration::from_secs(5);

/// At most this many products are cached: five times the 10,000-product catalogue the
/// shop is measured with, about 25 MB at ~500 bytes an entry. When it is full the
/// whole cache is dropped and refills from reads: a catalogue that big is not what this
/// is built for, and a clear is one cheap step, where choosing what to drop would need
/// bookkeeping on every hit. The per-product eviction notes are bounded the same way.
pub const MAX_ENTRIES: usize = 50_000;

/// What a read takes before querying the database, to hand back with the answer.
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    tick: u64,
    read_at: Instant,
}

struct Entry {
    body: Bytes,
    slug: Box<str>,
    read_at: Instant,
}

#[derive(Default)]
struct Maps {
    by_id: HashMap<i64, Entry>,
    by_slug: HashMap<Box<str>, i64>,
    /// The clock's tick at each product's latest eviction.
    evicted_at: HashMap<i64, u64>,
    /// Stands in for the notes forgotten when `evicted_at` was last emptied (the tick
    /// at that moment): no forgotten eviction is later than it.
    evicted_before: u64,
}

impl Maps {
    fn remove(&mut self, id: i64) {
        if let Some(old) = self.by_id.remove(&id) {
            self.by_slug.remove(&old.slug);
        }
    }

    fn last_eviction(&self, id: i64) -> u64 {
        self.evicted_at.get(&id).copied().unwrap_or(self.evicted_before)
    }
}

/// A product read by id or slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Id(i64),
    Slug(&'a str),
}

#[derive(Default)]
pub struct ProductCache {
    maps: RwLock<Maps>,
    /// The clock: ticked by every eviction, only with the write lock held so that a
    /// store's check and an eviction cannot interleave.
    clock: AtomicU64,
}

impl ProductCache {
    /// The cached answer, if there is one younger than [`TTL`].
    pub fn get(&self, key: Key<'_>) -> Option<Bytes> {
        self.get_at(key, Instant::now())
    }

    fn get_at(&self, key: Key<'_>, now: Instant) -> Option<Bytes> {
        // A poisoned lock only means a panic elsewhere mid-update; the maps are still
        // whole (every update is a single insert or remove), so carry on.
        let maps = self.maps.read().unwrap_or_else(|e| e.into_inner());
        let id = match key {
            Key::Id(id) => id,
            Key::Slug(slug) => *maps.by_slug.get(slug)?,
        };
        let entry = maps.by_id.get(&id)?;
        (now.saturating_duration_since(entry.read_at) < TTL).then(|| entry.body.clone())
    }

    /// Take this before reading a product from the database.
    pub fn ticket(&self) -> Ticket {
        Ticket { tick: self.clock.load(Ordering::Acquire), read_at: Instant::now() }
    }

    /// Keeps `body`, the answer for product `id` (with `slug`) read under `ticket`,
    /// unless the product was evicted since the ticket was taken: the row may then be
    /// the one from before that change. Returns whether it was kept.
    pub fn store(&self, ticket: Ticket, id: i64, slug: &str, body: Bytes) -> bool {
        let mut maps = self.maps.write().unwrap_or_else(|e| e.into_inner());
        if maps.last_eviction(id) > ticket.tick {
            return false;
        }
        if maps.by_id.len() >= MAX_ENTRIES && !maps.by_id.contains_key(&id) {
            maps.by_id.clear();
            maps.by_slug.clear();
        }
        maps.remove(id);
        maps.by_slug.insert(slug.into(), id);
        maps.by_id.insert(id, Entry { body, slug: slug.into(), read_at: ticket.read_at });
        true
    }

    /// Forgets product `id`. Call it after the change has committed, so that no read can
    /// fetch the old row after this.
    pub fn evict(&self, id: i64) {
        let mut maps = self.maps.write().unwrap_or_else(|e| e.into_inner());
        let tick = self.clock.fetch_add(1, Ordering::AcqRel) + 1;
        if maps.evicted_at.len() >= MAX_ENTRIES && !maps.evicted_at.contains_key(&id) {
            maps.evicted_at.clear();
            maps.evicted_before = tick;
        }
        maps.evicted_at.insert(id, tick);
        maps.remove(id);
    }

    pub fn len(&self) -> usize {
        self.maps.read().unwrap_or_else(|e| e.into_inner()).by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One [`ProductCache`] per language for product answers and one for the summaries
/// listings show: each differs by language, and a change evicts the product from all.
pub struct ProductCaches(Vec<(Lang, ProductCache, ProductCache)>);

impl Default for ProductCaches {
    fn default() -> ProductCaches {
        ProductCaches(Lang::ALL.into_iter().map(|l| (l, ProductCache::default(), ProductCache::default())).collect())
    }
}

impl ProductCaches {
    fn caches(&self, lang: Lang) -> &(Lang, ProductCache, ProductCache) {
        // Every language has its caches (see `default`); the first stands in otherwise.
        self.0.iter().find(|(l, ..)| *l == lang).unwrap_or(&self.0[0])
    }

    /// Whole products, as `GET /api/products/{key}` answers.
    pub fn of(&self, lang: Lang) -> &ProductCache {
        &self.caches(lang).1
    }

    /// Product summaries, as listings show them.
    pub fn summaries(&self, lang: Lang) -> &ProductCache {
        &self.caches(lang).2
    }

    pub fn evict(&self, id: i64) {
        for (_, products, summaries) in &self.0 {
            products.evict(id);
            summaries.evict(id);
        }
    }
}

/// A product's answer: the cached one, or else read from the database, serialized and
/// cached. `None` when there is no such product (not cached: such reads are rare and
/// would need evicting on creation too).
pub async fn product_json(db: &db::Db, cache: &ProductCache, lang: Lang, key: Key<'_>) -> Result<Option<Bytes>, ApiError> {
    if let Some(body) = cache.get(key) {
        return Ok(Some(body));
    }
    let ticket = cache.ticket();
    let product: Option<Product> = match key {
        Key::Id(id) => store::product_by_id(db, lang, id).await?,
        Key::Slug(slug) => store::product_by_slug(db, lang, slug).await?,
    };
    let Some(product) = product else { return Ok(None) };
    let body = Bytes::from(serde_json::to_vec(&product).map_err(|e| ApiError::Internal(format!("product {}: {e}", product.id)))?);
    cache.store(ticket, product.id, &product.slug, body.clone());
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(stock: i64) -> Bytes {
        Bytes::from(format!("{{\"id\":1,\"stock\":{stock}}}"))
    }

    #[test]
    fn a_stored_answer_is_found_by_id_and_by_slug() {
        let cache = ProductCache::default();
        assert_eq!(cache.get(Key::Id(1)), None);
        assert!(cache.store(cache.ticket(), 1, "blue-mug", body(5)));
        assert_eq!(cache.get(Key::Id(1)), Some(body(5)));
        assert_eq!(cache.get(Key::Slug("blue-mug")), Some(body(5)));
        assert_eq!(cache.get(Key::Slug("red-mug")), None);
        assert_eq!(cache.get(Key::Id(2)), None);
    }

    #[test]
    fn eviction_forgets_the_product_under_both_keys_and_only_it() {
        let cache = ProductCache::default();
        cache.store(cache.ticket(), 1, "blue-mug", body(5));
        cache.store(cache.ticket(), 2, "red-mug", body(7));
        cache.evict(1);
        assert_eq!(cache.get(Key::Id(1)), None);
        assert_eq!(cache.get(Key::Slug("blue-mug")), None);
        assert_eq!(cache.get(Key::Id(2)), Some(body(7)));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_read_that_began_before_an_eviction_is_not_stored() {
        let cache = ProductCache::default();
        // A miss takes its ticket and queries; the old row (stock 5) comes back...
        let ticket = cache.ticket();
        // ...while a buyer's order commits and evicts the product...
        cache.evict(1);
        // ...so the old row must not become the cached answer.
        assert!(!cache.store(ticket, 1, "blue-mug", body(5)));
        assert_eq!(cache.get(Key::Id(1)), None);
        // The next read, begun after the change, is stored.
        assert!(cache.store(cache.ticket(), 1, "blue-mug", body(4)));
        assert_eq!(cache.get(Key::Id(1)), Some(body(4)));
    }

    #[test]
    fn a_sale_of_one_product_does_not_keep_another_from_being_cached() {
        let cache = ProductCache::default();
        let ticket = cache.ticket();
        cache.evict(2);
        assert!(cache.store(ticket, 1, "blue-mug", body(5)));
        assert!(!cache.store(ticket, 2, "red-mug", body(7)));
    }

    #[test]
    fn forgetting_old_eviction_notes_refuses_every_read_begun_before() {
        let cache = ProductCache::default();
        let before = cache.ticket();
        for id in 0..MAX_ENTRIES as i64 {
            cache.evict(id);
        }
        // One more product changed: the notes are full, so they start again...
        cache.evict(-1);
        assert_eq!(cache.maps.read().unwrap().evicted_at.len(), 1);
        // ...and a read begun before that is refused for every product, since for most
        // the note saying when they changed is gone;
        assert!(!cache.store(before, 7, "p-7", body(1)));
        assert!(!cache.store(before, 123_456, "never-changed", body(1)));
        // a read begun after it is stored.
        let after = cache.ticket();
        assert!(cache.store(after, 7, "p-7", body(1)));
        assert!(cache.store(after, -1, "new", body(1)));
    }

    #[test]
    fn answers_expire_after_the_ttl_counted_from_the_database_read() {
        let cache = ProductCache::default();
        let ticket = cache.ticket();
        cache.store(ticket, 1, "blue-mug", body(5));
        let read = ticket.read_at;
        assert_eq!(cache.get_at(Key::Id(1), read + TTL - Duration::from_millis(1)), Some(body(5)));
        assert_eq!(cache.get_at(Key::Id(1), read + TTL), None);
        assert_eq!(cache.get_at(Key::Slug("blue-mug"), read + TTL), None);
        // A fresh read replaces the expired answer.
        let later = cache.ticket();
        cache.store(later, 1, "blue-mug", body(3));
        assert_eq!(cache.get_at(Key::Id(1), later.read_at), Some(body(3)));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_renamed_product_is_not_found_by_its_old_slug() {
        let cache = ProductCache::default();
        cache.store(cache.ticket(), 1, "blue-mug", body(5));
        cache.store(cache.ticket(), 1, "navy-mug", body(5));
        assert_eq!(cache.get(Key::Slug("blue-mug")), None);
        assert_eq!(cache.get(Key::Slug("navy-mug")), Some(body(5)));
    }

    #[test]
    fn a_full_cache_starts_again_instead_of_growing() {
        let cache = ProductCache::default();
        for id in 0..MAX_ENTRIES as i64 {
            cache.store(cache.ticket(), id, &format!("p-{id}"), body(1));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        // Replacing a product already there does not count as growing.
        cache.store(cache.ticket(), 0, "p-0", body(2));
        assert_eq!(cache.len(), MAX_ENTRIES);
        cache.store(cache.ticket(), -1, "new", body(1));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(Key::Slug("new")), Some(body(1)));
        assert_eq!(cache.get(Key::Slug("p-5")), None);
    }

    fn en() -> Lang {
        Lang::ALL[0]
    }

    async fn never() -> Result<u32, sqlx::Error> {
        panic!("read when a kept value was fresh");
    }

    #[tokio::test]
    async fn a_kept_value_is_not_read_again_until_cleared() {
        let kept: PerLang<u32> = PerLang::default();
        assert_eq!(*kept.get(en(), async { Ok(1) }).await.unwrap(), 1);
        assert_eq!(*kept.get(en(), never()).await.unwrap(), 1);
        kept.clear();
        assert_eq!(*kept.get(en(), async { Ok(2) }).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn a_read_begun_before_a_clear_is_handed_out_but_not_kept() {
        let kept: PerLang<u32> = PerLang::default();
        let (done, wait) = tokio::sync::oneshot::channel::<()>();
        let slow = kept.get(en(), async {
            let _ = wait.await;
            Ok(1)
        });
        let clear = async {
            tokio::task::yield_now().await;
            kept.clear();
            let _ = done.send(());
        };
        let (value, ()) = tokio::join!(slow, clear);
        assert_eq!(*value.unwrap(), 1);
        assert_eq!(*kept.get(en(), async { Ok(2) }).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn while_one_request_reads_an_expired_value_again_the_others_go_on_with_it() {
        let kept: PerLang<u32> = PerLang::default();
        let long_ago = Instant::now().checked_sub(TTL + Duration::from_secs(1)).unwrap();
        kept.values.write().unwrap().insert(en(), (long_ago, Arc::new(1)));
        let reading = kept.reading.try_lock().unwrap();
        assert_eq!(*kept.get(en(), never()).await.unwrap(), 1);
        drop(reading);
        assert_eq!(*kept.get(en(), async { Ok(2) }).await.unwrap(), 2);
    }

}

type CategoryList = Arc<Vec<aisle_domain::Category>>;

/// A value per language read from the database, kept for [`TTL`] and dropped by every
/// catalogue change: [`super::writer::follow_catalogue_change`] clears it here and,
/// through the fanout, on every other instance. The TTL is for changes nobody announces.
///
/// One read at a time: when a value expires under load, the other requests go on with
/// the expired one until the new one is in, instead of all reading it at once (64
/// connections reading the category list together took reads' p99 to over a second).
/// After a clear there is nothing to go on with, so they wait for that one read.
struct PerLang<T> {
    values: RwLock<HashMap<Lang, (Instant, Arc<T>)>>,
    /// Ticks on every clear: a read that started before one does not store its value.
    generation: AtomicU64,
    reading: tokio::sync::Mutex<()>,
}

impl<T> Default for PerLang<T> {
    fn default() -> Self {
        PerLang { values: RwLock::default(), generation: AtomicU64::new(0), reading: tokio::sync::Mutex::new(()) }
    }
}

impl<T> PerLang<T> {
    /// The value kept for `lang`, and whether it is younger than [`TTL`].
    fn kept(&self, lang: Lang) -> Option<(Arc<T>, bool)> {
        let values = self.values.read().unwrap_or_else(|p| p.into_inner());
        values.get(&lang).map(|(read_at, value)| (value.clone(), read_at.elapsed() < TTL))
    }

    async fn get<F: std::future::Future<Output = Result<T, sqlx::Error>>>(&self, lang: Lang, read: F) -> Result<Arc<T>, sqlx::Error> {
        let expired = match self.kept(lang) {
            Some((value, true)) => return Ok(value),
            Some((value, false)) => Some(value),
            None => None,
        };
        let _reading = match (self.reading.try_lock(), expired) {
            (Ok(guard), _) => guard,
            (Err(_), Some(value)) => return Ok(value),
            (Err(_), None) => self.reading.lock().await,
        };
        // Whoever held the lock may have just read it.
        if let Some((value, true)) = self.kept(lang) {
            return Ok(value);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let value = Arc::new(read.await?);
        let mut values = self.values.write().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            values.insert(lang, (Instant::now(), value.clone()));
        }
        Ok(value)
    }

    fn clear(&self) {
        let mut values = self.values.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        values.clear();
    }
}

/// The category list in each language, with its counts, and each category's shelf: the
/// ids of the products its pages list, in their order. Every category page, home and
/// first view reads them, and only catalogue writes change them (stock is not in them:
/// a page's products come from [`ProductCaches::summaries`], evicted per product).
///
/// Without the list each category page counted every category's products: on 10,000
/// products category reads fell from about 4,200 to 70 a second. Without the shelves a
/// page was cut with `OFFSET`, which reads every row before it; with both, a page is
/// a slice of ids and 24 cached answers.
#[derive(Default)]
pub struct CategoryCache {
    lists: PerLang<Vec<aisle_domain::Category>>,
    shelves: PerLang<Shelves>,
    /// Stock for the shelves' filters, kept apart from them: it moves with every sale.
    pub stock: StockBook,
}

impl CategoryCache {
    pub async fn get(&self, db: &db::Db, lang: Lang) -> Result<CategoryList, sqlx::Error> {
        self.lists.get(lang, store::categories(db, lang)).await
    }

    /// Each category's products in page order, its descendants' included, with what
    /// sorting and filtering need.
    pub async fn shelves(&self, db: &db::Db, lang: Lang) -> Result<Arc<Shelves>, sqlx::Error> {
        self.shelves
            .get(lang, async {
                let categories = self.get(db, lang).await?;
                let since = self.stock.tick();
                let rows = store::shelf_rows(db, lang).await?;
                let (options, variants) = store::shelf_variants(db).await?;
                self.stock.fill(&rows, since);
                self.stock.fill_variants(&variants, since);
                Ok(Shelves::new(&categories, &rows, options, &variants))
            })
            .await
    }

    pub fn clear(&self) {
        self.lists.clear();
        self.shelves.clear();
    }
}

/// The answers for `ids` as `ProductSummary` JSON, in the order of `ids`: cached ones,
/// the rest read in one query and cached. A product no longer on sale is left out.
pub async fn summaries_json(db: &db::Db, cache: &ProductCache, lang: Lang, ids: &[i64]) -> Result<Vec<Bytes>, ApiError> {
    let mut found: Vec<Option<Bytes>> = ids.iter().map(|id| cache.get(Key::Id(*id))).collect();
    let missing: Vec<i64> = ids.iter().zip(&found).filter(|(_, b)| b.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let ticket = cache.ticket();
        for summary in store::product_summaries(db, lang, &missing).await? {
            let body = Bytes::from(serde_json::to_vec(&summary).map_err(|e| ApiError::Internal(format!("product {}: {e}", summary.id)))?);
            cache.store(ticket, summary.id, &summary.slug, body.clone());
            if let Some(slot) = ids.iter().position(|id| *id == summary.id) {
                found[slot] = Some(body);
            }
        }
    }
    Ok(found.into_iter().flatten().collect())
}
