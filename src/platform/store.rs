//! The one module that talks to IndexedDB: the app's offline copy of the catalogue,
//! the signed-in shopper's recent orders and cart, and sync bookkeeping.
//!
//! Schema (version 1):
//! - `categories`, `products` (key `id`): the whole catalogue.
//! - `orders` (key `number`): the signed-in shopper's last 20 orders, with timelines.
//! - `meta` (out-of-line keys): the catalogue sync cursor and the owner of the
//!   personal data on this device; the shopper's cart under `cart`.
//!
//!
//! Version 2 adds:
//! - `outbox` (key `key`): changes waiting to be sent, each under its idempotency key.
//!
//! Version 3 keeps the catalogue as JSON text in chunks instead of one record per
//! product, because reading 10,000 records back (structured clone, then serde per
//! field across the JS boundary) took 150–200 ms at every start, and parsing twenty
//! strings with serde_json takes a fraction of that:
//! - `product_chunks` (out-of-line keys): products with ids in `[n × CHUNK, (n+1) ×
//!   CHUNK)` under key `n`, as a JSON array; a stock change rewrites one chunk.
//! - the categories under `categories`, the sync cursor under `catalogue_since` and
//!   the home page's last featured products under `featured`, in `meta`.
//! - `categories` and `products` are gone; so the device syncs the catalogue again
//!   from the start (the v2 cursor, `catalogue_cursor` in `meta`, is no longer read).
//!
//! Each version's additions run in `upgrade`, keyed on the version the device comes
//! from, so a device that skipped releases still upgrades step by step.

use indexed_db_futures::{database::Database, prelude::*, transaction::TransactionMode, KeyPath};
use serde::{de::DeserializeOwned, Serialize};
use std::{cell::RefCell, rc::Rc};
use wasm_bindgen::{JsCast, JsValue};

pub const DB_NAME: &str = "aisle";
const VERSION: u32 = 3;

const PRODUCT_CHUNKS: &str = "product_chunks";
/// Products per chunk: small enough that a stock change rewrites little, large enough
/// that a 10,000-product catalogue is twenty reads.
const CHUNK: i64 = 512;
const CATALOGUE_SINCE: &str = "catalogue_since";
const CATEGORIES: &str = "categories";
pub const ORDERS: &str = "orders";
pub const META: &str = "meta";
pub const OUTBOX: &str = "outbox";

/// Products the shopper opened, newest first (ids), in `meta`.
pub const RECENTLY_VIEWED: &str = "recently_viewed";
pub const RECENTLY_VIEWED_MAX: usize = 12;

/// Puts a product at the front of the recently viewed list.
pub async fn note_viewed(product_id: i64) -> StoreResult<()> {
    let mut ids: Vec<i64> = get_meta(RECENTLY_VIEWED).await?.unwrap_or_default();
    ids.retain(|id| *id != product_id);
    ids.insert(0, product_id);
    ids.truncate(RECENTLY_VIEWED_MAX);
    set_meta(RECENTLY_VIEWED, &ids).await
}

/// Stores that hold a shopper's personal data, emptied when they sign out.
pub const PERSONAL: &[&str] = &[ORDERS, OUTBOX];

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

pub type StoreResult<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    format!("offline storage: {e}")
}

/// The open database (opened, and upgraded if needed, on first use).
pub async fn db() -> StoreResult<Rc<Database>> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Database::open(DB_NAME)
        .with_version(VERSION)
        .with_on_upgrade_needed(|event, db| {
            let old = event.old_version() as u64;
            if old < 1 {
                db.create_object_store(ORDERS).with_key_path(KeyPath::from("number")).build()?;
                db.create_object_store(META).build()?;
            }
            if old < 2 {
                db.create_object_store(OUTBOX).with_key_path(KeyPath::from("key")).build()?;
            }
            if old < 3 {
                if old >= 1 {
                    db.delete_object_store("categories")?;
                    db.delete_object_store("products")?;
                }
                db.create_object_store(PRODUCT_CHUNKS).build()?;
            }
            Ok(())
        })
        .await
        .map_err(err)?;
    let db = Rc::new(db);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

pub async fn get_all<T: DeserializeOwned>(store: &str) -> StoreResult<Vec<T>> {
    let db = db().await?;
    let tx = db.transaction(store).build().map_err(err)?;
    let s = tx.object_store(store).map_err(err)?;
    let items: Vec<T> = s.get_all().serde().map_err(err)?.await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    Ok(items)
}

pub async fn get_meta<T: DeserializeOwned>(key: &str) -> StoreResult<Option<T>> {
    let db = db().await?;
    let tx = db.transaction(META).build().map_err(err)?;
    let s = tx.object_store(META).map_err(err)?;
    s.get(key).serde().map_err(err)?.await.map_err(err)
}

pub async fn set_meta<T: Serialize>(key: &str, value: &T) -> StoreResult<()> {
    let db = db().await?;
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let s = tx.object_store(META).map_err(err)?;
    s.put(value).with_key(key.to_string()).serde().map_err(err)?;
    tx.commit().await.map_err(err)
}

/// The catalogue on the device: categories and every product (empty when the device
/// has no copy yet). Products come in id order.
pub async fn load_catalogue<C: DeserializeOwned, P: DeserializeOwned>() -> StoreResult<(Vec<C>, Vec<P>)> {
    let db = db().await?;
    let tx = db.transaction([PRODUCT_CHUNKS, META]).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    let categories: Option<String> = meta.get(CATEGORIES).serde().map_err(err)?.await.map_err(err)?;
    let chunks: Vec<JsValue> = tx
        .object_store(PRODUCT_CHUNKS)
        .map_err(err)?
        .get_all()
        .primitive()
        .map_err(err)?
        .await
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let chunks: Vec<Vec<u8>> = chunks.into_iter().filter_map(chunk_bytes).collect();
    // Read and parsed are timed apart, for `cargo xtask bench` and DevTools.
    measure("aisle-catalogue-read", "aisle-catalogue-load-start");
    mark("aisle-catalogue-parse-start");
    let categories = match categories {
        Some(json) => serde_json::from_str(&json).map_err(err)?,
        None => Vec::new(),
    };
    let mut products = Vec::new();
    for chunk in &chunks {
        products.extend(serde_json::from_slice::<Vec<P>>(chunk).map_err(err)?);
    }
    measure("aisle-catalogue-parse", "aisle-catalogue-parse-start");
    Ok((categories, products))
}

/// How far the device's catalogue is synced in language `lang`: empty when not at all,
/// or when the copy is in another language (the shopper switched), so the next sync
/// fetches every product again, in `lang`, over the old ones. Kept as `{lang}:{cursor}`;
/// a copy from before languages were kept reads as another language, once.
pub async fn catalogue_since(lang: &str) -> StoreResult<String> {
    let stored = get_meta::<String>(CATALOGUE_SINCE).await?.unwrap_or_default();
    Ok(stored.strip_prefix(lang).and_then(|rest| rest.strip_prefix(':')).unwrap_or_default().to_string())
}

/// What a product needs for [`save_catalogue_sync`] to file it in its chunk.
pub trait Keyed {
    fn key(&self) -> i64;
}

impl Keyed for aisle_domain::Product {
    fn key(&self) -> i64 {
        self.id
    }
}

/// Writes a catalogue sync in one transaction: the categories (replaced whole), the
/// changed products merged into their chunks, and the new cursor. Either all of it
/// lands or none.
/// Saves one page of catalogue changes: products put in, `removed` ids (taken off
/// sale or deleted) taken out, the categories and the cursor replaced, all in one
/// transaction.
pub async fn save_catalogue_sync<C: Serialize, P: Serialize + DeserializeOwned + Keyed>(categories: &[C], products: Vec<P>, removed: &[i64], lang: &str, cursor: &str) -> StoreResult<()> {
    let mut by_chunk: std::collections::BTreeMap<i64, (Vec<P>, Vec<i64>)> = std::collections::BTreeMap::new();
    for p in products {
        by_chunk.entry(p.key().div_euclid(CHUNK)).or_default().0.push(p);
    }
    for &id in removed {
        by_chunk.entry(id.div_euclid(CHUNK)).or_default().1.push(id);
    }
    let db = db().await?;
    let tx = db.transaction([PRODUCT_CHUNKS, META]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let chunks = tx.object_store(PRODUCT_CHUNKS).map_err(err)?;
    for (n, (changed, gone)) in by_chunk {
        let key = n as f64;
        let stored: Option<JsValue> = chunks.get(key).primitive().map_err(err)?.await.map_err(err)?;
        let mut merged: Vec<P> = match stored.and_then(chunk_bytes) {
            Some(json) => serde_json::from_slice(&json).map_err(err)?,
            None => Vec::new(),
        };
        // Taken out first: a product deleted and then made again under the same id
        // comes back in the same page's products.
        merged.retain(|p| !gone.contains(&p.key()));
        for p in changed {
            match merged.binary_search_by_key(&p.key(), Keyed::key) {
                Ok(i) => merged[i] = p,
                Err(i) => merged.insert(i, p),
            }
        }
        let json = serde_json::to_vec(&merged).map_err(err)?;
        chunks.put(JsValue::from(js_sys::Uint8Array::from(json.as_slice()))).with_key(key).primitive().map_err(err)?;
    }
    let meta = tx.object_store(META).map_err(err)?;
    let categories = serde_json::to_string(categories).map_err(err)?;
    meta.put(categories.as_str()).with_key(CATEGORIES).primitive().map_err(err)?;
    meta.put(format!("{lang}:{cursor}").as_str()).with_key(CATALOGUE_SINCE).primitive().map_err(err)?;
    tx.commit().await.map_err(err)
}

pub async fn put<T: Serialize>(store: &str, item: &T) -> StoreResult<()> {
    let db = db().await?;
    let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(store).map_err(err)?.put(item).serde().map_err(err)?;
    tx.commit().await.map_err(err)
}

pub async fn delete(store: &str, key: &str) -> StoreResult<()> {
    let db = db().await?;
    let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(store).map_err(err)?.delete(key.to_string()).primitive().map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Replaces everything in `store` with `items`, in one transaction.
pub async fn replace_all<T: Serialize>(store: &str, items: &[T]) -> StoreResult<()> {
    let db = db().await?;
    let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let s = tx.object_store(store).map_err(err)?;
    s.clear().map_err(err)?;
    for item in items {
        s.put(item).serde().map_err(err)?;
    }
    tx.commit().await.map_err(err)
}

/// Removes a shopper's personal data from the device (at sign-out, or when another
/// shopper signs in here). `keep_support_token` leaves a guest's support token in
/// place when that guest signs in: taking it away and putting it back would lose it
/// to a page left in between.
pub async fn forget_personal_data(keep_support_token: bool) -> StoreResult<()> {
    let db = db().await?;
    for store in PERSONAL {
        let tx = db.transaction(*store).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
        tx.object_store(store).map_err(err)?.clear().map_err(err)?;
        tx.commit().await.map_err(err)?;
    }
    if !keep_support_token {
        forget_support_token();
    }
    // A guest signing in keeps their wish list too: it is merged into the account.
    let keys: &[&str] = if keep_support_token { &[] } else { &["wishlist"] };
    for key in ["cart", "owner", "addresses", RECENTLY_VIEWED, "welcome", "recommendations", "privacy"].iter().chain(keys) {
        let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
        tx.object_store(META).map_err(err)?.delete(key).primitive().map_err(err)?;
        tx.commit().await.map_err(err)?;
    }
    Ok(())
}

// ---- small values in localStorage ----
//
// The guest's support token and unsent chat messages live in localStorage: they are
// tiny, and the chat needs them synchronously when its socket opens.

pub use aisle_web::device::{existing_support_token, local_get, local_set, random_hex, support_token};

fn forget_support_token() {
    aisle_web::device::local_remove(aisle_web::device::SUPPORT_TOKEN);
    aisle_web::device::local_remove("aisle.chat_pending");
}

/// A chunk's JSON as stored: UTF-8 bytes, which come out of IndexedDB into the app
/// as one copy. Stored as text before, it was converted from the browser's UTF-16 on
/// every start, a third of loading the catalogue (see docs/performance.md); a copy
/// from before is still read, and written as bytes at its next change.
fn chunk_bytes(stored: JsValue) -> Option<Vec<u8>> {
    if let Some(text) = stored.as_string() {
        return Some(text.into_bytes());
    }
    stored.dyn_into::<js_sys::Uint8Array>().ok().map(|bytes| bytes.to_vec())
}

fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

fn measure(name: &str, start: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, start);
    }
}
