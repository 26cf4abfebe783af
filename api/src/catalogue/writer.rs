//! Every write to stock goes through here: taken by an order, given back by a
//! cancellation or a return, set by staff. Each write takes the next catalogue version
//! (so offline copies sync it), and once committed, [`stock_changed`] evicts the cached
//! answers, tells open product pages and the other instances.

use crate::{catalogue, platform::{clock, db::Tx, error::ApiError}, AppState};
use aisle_domain::{catalogue::stock::StockUpdate, ErrorCode};

/// Takes stock for a line; the `stock >= $5` guard makes overselling impossible.
pub async fn take_stock(tx: &mut Tx<'_>, product_id: i64, quantity: u32) -> Result<(), ApiError> {
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = stock - $1, updated_at = $2, version = $3 WHERE id = $4 AND stock >= $5")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .bind(i64::from(quantity))
        .execute(&mut **tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::Conflict { code: ErrorCode::SoldOut, message: "Not enough stock is left for this change.".into() });
    }
    Ok(())
}

pub async fn give_back_stock(tx: &mut Tx<'_>, product_id: i64, quantity: u32) -> Result<(), sqlx::Error> {
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    sqlx::query("UPDATE products SET stock = stock + $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_stock(state: &AppState, product_id: i64, stock: i64) -> Result<(), ApiError> {
    if !(0..=1_000_000).contains(&stock) {
        return Err(ApiError::bad_request("Stock must be a whole number from 0 to 1000000."));
    }
    let mut tx = state.db.begin().await?;
    let version = catalogue::store::next_catalogue_versions(&mut tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(stock)
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such product."));
    }
    tx.commit().await?;
    stock_changed(state, vec![product_id]).await;
    Ok(())
}

/// Every committed stock change ends here: this instance follows it (see
/// [`follow_stock_change`]), then the other instances are told, on PostgreSQL.
pub async fn stock_changed(state: &AppState, ids: Vec<i64>) {
    follow_stock_change(state, &ids).await;
    // Only the instance that made the change: one e-mail per alert, not one per
    // instance. The change is committed; a failure here is retried at the next one.
    if let Err(error) = super::alerts::notify_back_in_stock(state, &ids).await {
        tracing::warn!(?error, "cannot send back-in-stock e-mails");
    }
    state.fanout.send(crate::platform::fanout::Signal::Stock { ids });
}

/// The products' cached answers are dropped (only after the commit, so no read can
/// cache the old row again; see `product_cache`), then open product pages on this
/// instance are told the new stock. Also what another instance's stock signal does.
pub async fn follow_stock_change(state: &AppState, ids: &[i64]) {
    for &id in ids {
        state.products.evict(id);
    }
    for &id in ids {
        if let Ok(stock) = sqlx::query_scalar::<_, i64>("SELECT stock FROM products WHERE id = $1").bind(id).fetch_one(&state.db).await {
            // No open product page is not an error.
            let _ = state.stock_updates.send(StockUpdate { product_id: id, stock });
        }
    }
}
