//! Sales as the server runs them (see `aisle_domain::offers::sale`): on a sale's first
//! day the products it covers get the sale price, their price before it shown as
//! "was"; after its last day (or when staff stop it) the prices go back. Checked every
//! minute and when staff make or stop a sale; starting and ending each happen once,
//! inside the write lock after checking again, so several instances sweeping at once
//! do no harm.
//!
//! The sale price is the product's price while the sale runs: the catalogue, the
//! offline copy, the cart and checkout need nothing of their own. A price staff change
//! during the sale is theirs: the end leaves it as it is (and counts it as `kept`).
//! Like any lower price, a sale's price credits recent buyers who paid more (see
//! `credit::service::protect_prices`).

use crate::{
    catalogue::{self, writer::catalogue_changed},
    platform::{clock, db, error::ApiError},
    AppState,
};
use aisle_domain::offers::sale::{sale_price, SaleState, StaffSale, ValidSale};
use aisle_domain::Money;

#[derive(sqlx::FromRow)]
struct SaleRow {
    id: i64,
    name: String,
    percent: i64,
    category: Option<String>,
    products: String,
    starts_on: String,
    ends_on: String,
    stopped: i64,
    started_at: Option<String>,
    ended_at: Option<String>,
    kept: i64,
}

/// Starts and ends what is due today. Returns the sales started and ended.
pub async fn sweep(state: &AppState) -> Result<(usize, usize), ApiError> {
    let today = state.emails.shop.today();
    let due: Vec<SaleRow> = sqlx::query_as("SELECT * FROM sales WHERE ended_at IS NULL ORDER BY id").fetch_all(&state.db).await?;
    let (mut started, mut ended) = (0, 0);
    for s in due {
        match (SaleState::on(&today, &s.starts_on, &s.ends_on, s.stopped != 0), s.started_at.is_some()) {
            (SaleState::Running, false) => started += usize::from(start(state, s.id).await?),
            (SaleState::Ended, _) => ended += usize::from(end(state, s.id).await?),
            _ => {}
        }
    }
    Ok((started, ended))
}

/// Puts sale `id`'s prices on, unless it has started already. Products already in
/// another running sale keep that one's price: sales do not stack.
async fn start(state: &AppState, id: i64) -> Result<bool, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let Some(s) = sqlx::query_as::<_, SaleRow>("SELECT * FROM sales WHERE id = $1 AND started_at IS NULL AND ended_at IS NULL").bind(id).fetch_optional(&mut *tx).await? else {
        return Ok(false);
    };
    let listed: Vec<i64> = serde_json::from_str(&s.products).map_err(|e| ApiError::Internal(format!("sale {id}'s products: {e}")))?;
    let candidates: Vec<(i64, String)> =
        sqlx::query_as("SELECT p.id, c.slug FROM products p JOIN categories c ON c.id = p.category_id WHERE p.status <> 'archived' ORDER BY p.id").fetch_all(&mut *tx).await?;
    let on_sale: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT sp.product_id FROM sale_prices sp JOIN sales s ON s.id = sp.sale_id WHERE s.started_at IS NOT NULL AND s.ended_at IS NULL")
        .fetch_all(&mut *tx)
        .await?;
    let percent = u32::try_from(s.percent).unwrap_or(0);
    let mut touched = Vec::new();
    for (product_id, slug) in candidates {
        let covered = s.category.as_deref() == Some(slug.as_str()) || listed.contains(&product_id);
        if !covered || on_sale.contains(&product_id) {
            continue;
        }
        let variants: Vec<(i64, i64, Option<i64>)> =
            sqlx::query_as("SELECT id, price_minor, compare_at_minor FROM variants WHERE product_id = $1").bind(product_id).fetch_all(&mut *tx).await?;
        let prices = if variants.is_empty() {
            sqlx::query_as::<_, (i64, i64, Option<i64>)>("SELECT 0, price_minor, compare_at_minor FROM products WHERE id = $1").bind(product_id).fetch_all(&mut *tx).await?
        } else {
            variants.clone()
        };
        let mut changed = false;
        for (variant_id, was, compare_was) in prices {
            let sale = sale_price(was, percent);
            if sale == was {
                continue;
            }
            // "Was" shows the price before the sale, or the higher one it showed already.
            let compare_at = compare_was.map_or(was, |c| c.max(was));
            sqlx::query("INSERT INTO sale_prices (sale_id, product_id, variant_id, was_minor, compare_was_minor, sale_minor) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(product_id)
                .bind(variant_id)
                .bind(was)
                .bind(compare_was)
                .bind(sale)
                .execute(&mut *tx)
                .await?;
            set_price(&mut tx, product_id, variant_id, sale, Some(compare_at)).await?;
            changed = true;
        }
        if changed {
            if !variants.is_empty() {
                catalogue::variants::refresh_product(&mut tx, product_id).await?;
            }
            touched.push(product_id);
        }
    }
    bump(&mut tx, &touched).await?;
    sqlx::query("UPDATE sales SET started_at = $1 WHERE id = $2").bind(clock::now()).bind(id).execute(&mut *tx).await?;
    crate::credit::service::protect_prices(&mut tx, state, &touched).await?;
    tx.commit().await?;
    tracing::info!(sale = id, name = %s.name, products = touched.len(), "sale started");
    catalogue_changed(state, touched).await;
    Ok(true)
}

/// Takes sale `id`'s prices off again, unless it has ended already. A price that is no
/// longer the sale's (staff changed it meanwhile) stays as it is.
async fn end(state: &AppState, id: i64) -> Result<bool, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let Some(s) = sqlx::query_as::<_, SaleRow>("SELECT * FROM sales WHERE id = $1 AND ended_at IS NULL").bind(id).fetch_optional(&mut *tx).await? else {
        return Ok(false);
    };
    let rows: Vec<(i64, i64, i64, Option<i64>, i64)> =
        sqlx::query_as("SELECT product_id, variant_id, was_minor, compare_was_minor, sale_minor FROM sale_prices WHERE sale_id = $1").bind(id).fetch_all(&mut *tx).await?;
    let mut touched: Vec<i64> = Vec::new();
    let mut kept = 0;
    for (product_id, variant_id, was, compare_was, sale) in rows {
        let now: Option<i64> = if variant_id == 0 {
            sqlx::query_scalar("SELECT price_minor FROM products WHERE id = $1").bind(product_id).fetch_optional(&mut *tx).await?
        } else {
            sqlx::query_scalar("SELECT price_minor FROM variants WHERE id = $1").bind(variant_id).fetch_optional(&mut *tx).await?
        };
        match now {
            Some(now) if now == sale => {
                set_price(&mut tx, product_id, variant_id, was, compare_was).await?;
                if variant_id != 0 {
                    catalogue::variants::refresh_product(&mut tx, product_id).await?;
                }
                if !touched.contains(&product_id) {
                    touched.push(product_id);
                }
            }
            Some(_) => kept += 1,
            // Deleted meanwhile: nothing to give back.
            None => {}
        }
    }
    bump(&mut tx, &touched).await?;
    sqlx::query("UPDATE sales SET ended_at = $1, kept = $2 WHERE id = $3").bind(clock::now()).bind(kept).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(sale = id, name = %s.name, products = touched.len(), kept, "sale ended");
    catalogue_changed(state, touched).await;
    Ok(true)
}

async fn set_price(tx: &mut db::Tx<'_>, product_id: i64, variant_id: i64, price: i64, compare_at: Option<i64>) -> Result<(), sqlx::Error> {
    let sql = if variant_id == 0 {
        "UPDATE products SET price_minor = $1, compare_at_minor = $2 WHERE id = $3"
    } else {
        "UPDATE variants SET price_minor = $1, compare_at_minor = $2 WHERE id = $3"
    };
    sqlx::query(sql).bind(price).bind(compare_at).bind(if variant_id == 0 { product_id } else { variant_id }).execute(&mut **tx).await?;
    Ok(())
}

/// A new catalogue version for the products whose prices moved, so devices holding
/// the catalogue offline fetch them at their next sync.
async fn bump(tx: &mut db::Tx<'_>, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    for id in ids {
        sqlx::query("UPDATE products SET version = $1, updated_at = $2 WHERE id = $3").bind(version).bind(clock::now()).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Writes a new sale and starts it if its first day is today.
pub async fn create(state: &AppState, sale: &ValidSale) -> Result<StaffSale, ApiError> {
    if let Some(slug) = &sale.category {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1").bind(slug).fetch_optional(&state.db).await?;
        if known.is_none() {
            return Err(aisle_domain::customer::FieldError::new("category", "There is no such category.").into());
        }
    }
    let products = serde_json::to_string(&sale.products).map_err(|e| ApiError::Internal(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sales (name, percent, category, products, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&sale.name)
    .bind(i64::from(sale.percent))
    .bind(&sale.category)
    .bind(products)
    .bind(&sale.starts_on)
    .bind(&sale.ends_on)
    .bind(clock::now())
    .fetch_one(&state.db)
    .await?;
    sweep(state).await?;
    one(state, id).await?.ok_or_else(|| ApiError::Internal("a new sale vanished".into()))
}

/// Stops sale `id` now: its prices go back.
pub async fn stop(state: &AppState, id: i64) -> Result<StaffSale, ApiError> {
    let done = sqlx::query("UPDATE sales SET stopped = 1 WHERE id = $1").bind(id).execute(&state.db).await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such sale."));
    }
    sweep(state).await?;
    one(state, id).await?.ok_or_else(|| ApiError::not_found("There is no such sale."))
}

/// Every sale, newest first, with what it sold.
pub async fn list(state: &AppState) -> Result<Vec<StaffSale>, ApiError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM sales ORDER BY starts_on DESC, id DESC").fetch_all(&state.db).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(one(state, id).await?);
    }
    Ok(out)
}

async fn one(state: &AppState, id: i64) -> Result<Option<StaffSale>, ApiError> {
    let Some(s) = sqlx::query_as::<_, SaleRow>("SELECT * FROM sales WHERE id = $1").bind(id).fetch_optional(&state.db).await? else { return Ok(None) };
    let priced: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sale_prices WHERE sale_id = $1").bind(id).fetch_one(&state.db).await?;
    // Lines bought at the sale's price while it ran.
    let (orders, revenue): (i64, i64) = match &s.started_at {
        None => (0, 0),
        Some(from) => {
            sqlx::query_as(
                "SELECT COUNT(DISTINCT i.order_id), CAST(COALESCE(SUM(i.unit_price_minor * i.quantity), 0) AS BIGINT) FROM order_items i \
                 JOIN orders o ON o.id = i.order_id \
                 JOIN sale_prices sp ON sp.sale_id = $1 AND sp.product_id = i.product_id AND sp.variant_id = i.variant_id AND sp.sale_minor = i.unit_price_minor \
                 JOIN products p ON p.id = i.product_id \
                 WHERE o.placed_at >= $2 AND o.placed_at <= $3 AND o.status <> 'cancelled' AND o.currency = p.currency",
            )
            .bind(id)
            .bind(from)
            .bind(s.ended_at.clone().unwrap_or_else(|| "9999".into()))
            .fetch_one(&state.db)
            .await?
        }
    };
    let today = state.emails.shop.today();
    let state_now = match (&s.started_at, &s.ended_at) {
        (_, Some(_)) => SaleState::Ended,
        (Some(_), None) => SaleState::Running,
        (None, None) => SaleState::on(&today, &s.starts_on, &s.ends_on, s.stopped != 0),
    };
    Ok(Some(StaffSale {
        id: s.id,
        name: s.name,
        percent: u32::try_from(s.percent).unwrap_or(0),
        category: s.category,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        state: state_now,
        priced: u32::try_from(priced).unwrap_or(0),
        orders: u32::try_from(orders).unwrap_or(0),
        revenue: Money::new(revenue, crate::catalogue::admin::store::shop_currency(&state.db).await?),
        kept: u32::try_from(s.kept).unwrap_or(0),
    }))
}

/// Sweeps every minute, from start.
pub fn spawn_sweep(state: AppState) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match sweep(&state).await {
                Ok((0, 0)) => {}
                Ok((started, ended)) => tracing::info!(started, ended, "sales"),
                Err(e) => tracing::warn!(error = %e.into_message(), "could not start or end sales"),
            }
        }
    });
}
