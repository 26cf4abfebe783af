//! What the shop learns from how a shopper uses it, and what it gives back, in the
//! database: the clickstream, the "welcome back" and recommendations.
//!
//! Privacy rules kept here (the settings themselves are the privacy slice's):
//! - Nothing is recorded when the browser sends Global Privacy Control (`Sec-GPC: 1`)
//!   or the signed-in shopper switched the clickstream off; switching it off also
//!   deletes what was recorded for the account.
//! - With personalisation off, the welcome has no rating prompt and recommendations are
//!   empty.

use super::model::{group_baskets, ROW_LENGTH};
use crate::{
    catalogue,
    identity::session::Visitor,
    orders,
    platform::{self, clock, db::Db, error::ApiError},
    privacy,
};
use aisle_domain::{
    customer::Customer,
    personal::{recommend::{buy_again, popular_in_categories}, *},
};
use std::collections::HashSet;

// ---------------------------------------------------------------------------------------
// Clickstream
// ---------------------------------------------------------------------------------------

/// Whether the browser asks not to be tracked (Global Privacy Control).
pub fn gpc(headers: &axum::http::HeaderMap) -> bool {
    headers.get("sec-gpc").and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() == "1")
}

/// Stores a batch for this visitor, unless they said no: `Ok(number stored)`.
pub async fn record(state: &crate::AppState, v: &Visitor, gpc: bool, batch: EventBatch) -> Result<usize, ApiError> {
    state
        .personal
        .events_limiter
        .hit(&format!("events:{}", v.session_hash))
        .await
        .map_err(|secs| ApiError::too_many(secs, format!("The app sent a lot of activity in a short time. {}", platform::rate_limit::wait_words(secs))))?;
    let batch = batch.validate()?;
    if gpc {
        return Ok(0);
    }
    let customer_id = v.customer.as_ref().map(|c| c.id);
    if let Some(id) = customer_id {
        if !privacy::store::privacy(&state.db, id).await?.clickstream {
            return Ok(0);
        }
    }
    let now = clock::now();
    let mut tx = state.db.begin().await?;
    for e in &batch.events {
        sqlx::query("INSERT INTO events (customer_id, device_id, kind, product_id, query, results, client_at, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(customer_id)
            .bind(batch.device_id.to_ascii_lowercase())
            .bind(e.kind.as_str())
            .bind(e.product_id)
            .bind(e.query.as_deref().filter(|_| e.kind == EventKind::Search))
            .bind(e.results.map(i64::from))
            .bind(&e.at)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(batch.events.len())
}

// ---------------------------------------------------------------------------------------
// Welcome back and recommendations
// ---------------------------------------------------------------------------------------

pub async fn welcome(db: &Db, c: &Customer) -> Result<Welcome, ApiError> {
    let settings = privacy::store::privacy(db, c.id).await?;
    let rate = if settings.personalisation {
        let row: Option<(String, i64, String, String, String)> = sqlx::query_as(
            "SELECT o.number, i.product_id, i.name, i.slug, \
             COALESCE((SELECT MAX(e.at) FROM order_events e WHERE e.order_id = o.id AND e.status = 'delivered'), o.placed_at) AS delivered_at \
             FROM orders o JOIN order_items i ON i.order_id = o.id \
             WHERE o.customer_id = $1 AND o.status = 'delivered' \
             AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_id = o.id AND r.product_id = i.product_id) \
             ORDER BY delivered_at DESC, o.id DESC, i.product_id LIMIT 1",
        )
        .bind(c.id)
        .fetch_optional(db)
        .await?;
        row.map(|(order_number, product_id, product_name, product_slug, delivered_at)| RatingPrompt {
            order_number,
            product_id,
            product_name,
            product_slug,
            delivered_at,
        })
    } else {
        None
    };
    Ok(Welcome { first_name: first_name(&c.name), rate, open_order: orders::store::newest_open(db, c.id).await? })
}

/// The customer's non-cancelled orders as baskets, oldest first.
async fn baskets_of(db: &Db, customer_id: i64) -> Result<Vec<Vec<i64>>, ApiError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT i.order_id, i.product_id FROM order_items i JOIN orders o ON o.id = i.order_id \
         WHERE o.customer_id = $1 AND o.status <> 'cancelled' ORDER BY o.placed_at, o.id, i.product_id",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(group_baskets(rows))
}

/// Product names in `lang`.
pub async fn recommendations(state: &crate::AppState, lang: aisle_domain::Lang, v: &Visitor) -> Result<Recommendations, ApiError> {
    let Some(c) = &v.customer else { return Ok(Recommendations::default()) };
    if !privacy::store::privacy(&state.db, c.id).await?.personalisation {
        return Ok(Recommendations::default());
    }
    let baskets = baskets_of(&state.db, c.id).await?;
    if baskets.is_empty() {
        return Ok(Recommendations::default());
    }
    let model = state.personal.model(&state.db).await?;
    let owned: Vec<i64> = baskets.concat();
    let have: HashSet<i64> = owned.iter().copied().collect();

    let buy_again = catalogue::store::product_summaries(&state.db, lang, &buy_again(&baskets, ROW_LENGTH)).await?;

    // Their latest purchase that others bought something with; earlier ones when the
    // latest was never bought together with anything they do not have.
    let mut because = None;
    'latest: for basket in baskets.iter().rev() {
        for &product in basket {
            let similar: Vec<i64> =
                model.co_purchase.similar(product, usize::MAX).into_iter().filter(|p| !have.contains(p)).take(ROW_LENGTH).collect();
            if similar.is_empty() {
                continue;
            }
            let summaries = catalogue::store::product_summaries(&state.db, lang, &similar).await?;
            if summaries.is_empty() {
                continue;
            }
            if let Some(p) = catalogue::store::product_summaries(&state.db, lang, &[product]).await?.into_iter().next() {
                because = Some(BecauseYouBought { product: p, similar: summaries });
                break 'latest;
            }
        }
    }

    let favourites = popular_in_categories(&owned, |p| model.category_of.get(&p).copied(), &model.popular, ROW_LENGTH);
    Ok(Recommendations {
        buy_again,
        because_you_bought: because,
        popular_in_favourites: catalogue::store::product_summaries(&state.db, lang, &favourites).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn gpc_is_read_from_its_header() {
        let mut h = axum::http::HeaderMap::new();
        assert!(!gpc(&h));
        h.insert("sec-gpc", axum::http::HeaderValue::from_static("1"));
        assert!(gpc(&h));
        h.insert("sec-gpc", axum::http::HeaderValue::from_static("0"));
        assert!(!gpc(&h));
    }
}
