//! Wish lists in the database: one row per kept product, with its price and stock then.

use crate::{
    catalogue,
    platform::{clock, db::Db, error::ApiError},
};
use aisle_domain::{
    pricing::money::Currency,
    wishlist::{merge, ListFull, WishItem, WishList, MAX_ITEMS},
    Lang, Money,
};

// `saved_in_stock` is 0 or 1: the database is reached through sqlx's Any driver,
// which reads no booleans.
type Row = (i64, String, i64, String, i64);

fn item_of((product_id, added_at, minor, currency, saved_in_stock): Row) -> Result<WishItem, ApiError> {
    let currency = Currency::parse(&currency).map_err(ApiError::Internal)?;
    Ok(WishItem { product_id, added_at, saved_price: Money::new(minor, currency), saved_in_stock: saved_in_stock != 0 })
}

/// The customer's list, newest first. Products the shop no longer sells stay kept (they
/// may come back) but are not listed.
pub async fn list(db: &Db, customer_id: i64) -> Result<WishList, ApiError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.product_id, w.added_at, w.saved_price_minor, w.saved_currency, w.saved_in_stock \
         FROM wishlist_items w JOIN products p ON p.id = w.product_id \
         WHERE w.customer_id = $1 AND p.status = 'published' ORDER BY w.added_at DESC, w.product_id",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(WishList { items: rows.into_iter().map(item_of).collect::<Result<_, _>>()? })
}

async fn count(db: &Db, customer_id: i64) -> Result<usize, ApiError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wishlist_items WHERE customer_id = $1").bind(customer_id).fetch_one(db).await?;
    Ok(n as usize)
}

/// Keeps `product_id` as it is now; a product already kept keeps its first price.
pub async fn add(db: &Db, customer_id: i64, product_id: i64) -> Result<WishList, ApiError> {
    let Some(product) = catalogue::store::product_summaries(db, aisle_domain::catalogue::translation::BASE_LANG, &[product_id]).await?.into_iter().next() else {
        return Err(ApiError::not_found("This product is not for sale, so it cannot be kept on a wish list."));
    };
    let kept: Option<i64> = sqlx::query_scalar("SELECT product_id FROM wishlist_items WHERE customer_id = $1 AND product_id = $2")
        .bind(customer_id)
        .bind(product_id)
        .fetch_optional(db)
        .await?;
    if kept.is_none() {
        if count(db, customer_id).await? >= MAX_ITEMS {
            return Err(ApiError::bad_request(ListFull.to_string()));
        }
        write(db, customer_id, &WishItem::of(&product, &clock::now()), OnKept::Keep).await?;
    }
    list(db, customer_id).await
}

/// What a row is written with when the product is kept already.
enum OnKept {
    /// Keeping again changes nothing (its first price stays).
    Keep,
    /// A merge's earlier keeping replaces it.
    Replace,
}

async fn write<'e>(e: impl sqlx::Executor<'e, Database = sqlx::Any>, customer_id: i64, item: &WishItem, on_kept: OnKept) -> Result<(), ApiError> {
    let on_conflict = match on_kept {
        OnKept::Keep => "DO NOTHING",
        OnKept::Replace => {
            "DO UPDATE SET added_at = excluded.added_at, saved_price_minor = excluded.saved_price_minor, \
             saved_currency = excluded.saved_currency, saved_in_stock = excluded.saved_in_stock"
        }
    };
    sqlx::query(&format!(
        "INSERT INTO wishlist_items (customer_id, product_id, added_at, saved_price_minor, saved_currency, saved_in_stock) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (customer_id, product_id) {on_conflict}"
    ))
    .bind(customer_id)
    .bind(item.product_id)
    .bind(&item.added_at)
    .bind(item.saved_price.minor)
    .bind(item.saved_price.currency.code())
    .bind(i64::from(item.saved_in_stock))
    .execute(e)
    .await?;
    Ok(())
}

pub async fn remove(db: &Db, customer_id: i64, product_id: i64) -> Result<WishList, ApiError> {
    sqlx::query("DELETE FROM wishlist_items WHERE customer_id = $1 AND product_id = $2").bind(customer_id).bind(product_id).execute(db).await?;
    list(db, customer_id).await
}

/// Adds a device's list to the account's ([`merge`]): a product on both keeps its
/// earlier keeping. Products no longer for sale are left out; the rest is written in
/// one transaction, so a merge is whole or not at all.
pub async fn merge_device(db: &Db, lang: Lang, customer_id: i64, device: &WishList) -> Result<WishList, ApiError> {
    if device.items.len() > MAX_ITEMS {
        return Err(ApiError::bad_request(format!("A wish list holds at most {MAX_ITEMS} products; this one has {}.", device.items.len())));
    }
    let now = clock::now();
    for item in &device.items {
        if clock::parse(&item.added_at).is_none() {
            return Err(ApiError::bad_request(format!("{:?} is not a date and time like 2026-12-07T09:30:00Z.", item.added_at)));
        }
        if item.saved_price.minor < 0 {
            return Err(ApiError::bad_request("A saved price cannot be below zero."));
        }
    }
    let ids: Vec<i64> = device.items.iter().map(|i| i.product_id).collect();
    let for_sale: Vec<i64> = catalogue::store::product_summaries(db, lang, &ids).await?.into_iter().map(|p| p.id).collect();
    // A device whose clock runs ahead must not pin its products to the top for good.
    let device: Vec<WishItem> = device
        .items
        .iter()
        .filter(|i| for_sale.contains(&i.product_id))
        .map(|i| WishItem { added_at: i.added_at.clone().min(now.clone()), ..i.clone() })
        .collect();
    let account = list(db, customer_id).await?;
    let merged = merge(&device, &account.items);
    let mut tx = db.begin().await?;
    for item in &merged {
        write(&mut *tx, customer_id, item, OnKept::Replace).await?;
    }
    tx.commit().await?;
    list(db, customer_id).await
}
