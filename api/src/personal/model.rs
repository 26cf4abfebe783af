//! The recommendation model every shopper's recommendations are computed from (the
//! whole shop's baskets), and the clickstream's rate limit: the personal slice's part of
//! the state.

use crate::platform::{db::Db, error::ApiError, rate_limit::RateLimiter};
use aisle_domain::personal::recommend::{popularity, CoPurchase};
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

/// Rows in the recommendation rows.
pub const ROW_LENGTH: usize = 8;

/// How long a built recommendation model is used before it is built again. A new
/// order also makes it stale, so the model is built at most once per order placed and
/// once a minute, never per request.
pub const MODEL_MAX_AGE: Duration = Duration::from_secs(60);

/// Shared state: the clickstream's rate limit and the recommendation model.
pub struct Personal {
    /// Batches of events per session.
    pub events_limiter: RateLimiter,
    model: tokio::sync::Mutex<Option<Arc<Model>>>,
}

impl Default for Personal {
    fn default() -> Self {
        Personal { events_limiter: RateLimiter::new(60, Duration::from_secs(60)), model: tokio::sync::Mutex::new(None) }
    }
}

/// What every shopper's recommendations are computed from: the whole shop's baskets.
pub struct Model {
    pub built: Instant,
    /// The newest order id when it was built (orders are never deleted, so a new
    /// order changes it).
    pub newest_order: i64,
    pub co_purchase: CoPurchase,
    pub popular: Vec<i64>,
    pub category_of: HashMap<i64, i64>,
}

impl Personal {
    /// The model, rebuilt when it is older than [`MODEL_MAX_AGE`] or orders were placed
    /// since. The lock is held while building, so concurrent requests build it once.
    pub async fn model(&self, db: &Db) -> Result<Arc<Model>, ApiError> {
        let newest_order: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM orders").fetch_one(db).await?;
        let mut slot = self.model.lock().await;
        if let Some(m) = slot.as_ref() {
            if m.newest_order == newest_order && m.built.elapsed() < MODEL_MAX_AGE {
                return Ok(m.clone());
            }
        }
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT i.order_id, i.product_id FROM order_items i JOIN orders o ON o.id = i.order_id \
             WHERE o.status <> 'cancelled' ORDER BY i.order_id, i.product_id",
        )
        .fetch_all(db)
        .await?;
        let baskets = group_baskets(rows);
        let categories: Vec<(i64, i64)> = sqlx::query_as("SELECT id, category_id FROM products").fetch_all(db).await?;
        // Pairs of products per basket: CPU work, kept off the async workers.
        let (co_purchase, popular) = tokio::task::spawn_blocking(move || (CoPurchase::build(&baskets), popularity(&baskets)))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let model = Arc::new(Model {
            built: Instant::now(),
            newest_order,
            co_purchase,
            popular,
            category_of: categories.into_iter().collect(),
        });
        *slot = Some(model.clone());
        Ok(model)
    }
}

/// (order id, product id) rows sorted by order → one basket per order, in row order.
pub fn group_baskets(rows: Vec<(i64, i64)>) -> Vec<Vec<i64>> {
    let mut baskets: Vec<Vec<i64>> = Vec::new();
    let mut current = None;
    for (order, product) in rows {
        if current != Some(order) {
            baskets.push(Vec::new());
            current = Some(order);
        }
        if let Some(b) = baskets.last_mut() {
            b.push(product);
        }
    }
    baskets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baskets_group_by_order() {
        assert_eq!(group_baskets(vec![(1, 5), (1, 6), (3, 5), (4, 7)]), vec![vec![5, 6], vec![5], vec![7]]);
        assert!(group_baskets(vec![]).is_empty());
    }
}
