//! What the shop learns from how a shopper uses it, and what it gives back, in the
//! database: the clickstream, privacy settings, the "welcome back", recommendations,
//! a copy of everything held about an account, erasing an account, and the staff's
//! insight figures.
//!
//! Privacy rules kept here:
//! - Nothing is recorded when the browser sends Global Privacy Control (`Sec-GPC: 1`)
//!   or the signed-in shopper switched the clickstream off; switching it off also
//!   deletes what was recorded for the account.
//! - With personalisation off, the welcome has no rating prompt and recommendations are
//!   empty.

use crate::{
    identity,
    identity::auth::{self, RateLimiter, Visitor},
    platform::clock,
    platform::db::{self, Db},
    platform::error::ApiError,
    orders,
    support,
    support::service::{Owner},
};
use aisle_domain::{
    customer::FieldError,
    personal::*,
    recommend::{buy_again, popular_in_categories, popularity, CoPurchase},
    shop::Customer,
    Currency, Money,
};
use serde_json::{json, Value};
use std::{
    collections::{HashMap, HashSet},
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
    built: Instant,
    /// The newest order id when it was built (orders are never deleted, so a new
    /// order changes it).
    newest_order: i64,
    co_purchase: CoPurchase,
    popular: Vec<i64>,
    category_of: HashMap<i64, i64>,
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
fn group_baskets(rows: Vec<(i64, i64)>) -> Vec<Vec<i64>> {
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

// ---------------------------------------------------------------------------------------
// Privacy settings
// ---------------------------------------------------------------------------------------

pub async fn privacy(db: &Db, customer_id: i64) -> Result<PrivacySettings, ApiError> {
    let row: Option<(crate::platform::db::Flag, crate::platform::db::Flag)> = sqlx::query_as("SELECT personalisation, clickstream FROM privacy_settings WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(personalisation, clickstream)| PrivacySettings { personalisation: personalisation.0, clickstream: clickstream.0 }).unwrap_or_default())
}

/// Stores the settings; switching the clickstream off deletes the account's events in
/// the same transaction.
pub async fn set_privacy(db: &Db, customer_id: i64, s: PrivacySettings) -> Result<PrivacySettings, ApiError> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    sqlx::query(
        "INSERT INTO privacy_settings (customer_id, personalisation, clickstream, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (customer_id) DO UPDATE SET personalisation = excluded.personalisation, \
         clickstream = excluded.clickstream, updated_at = excluded.updated_at",
    )
    .bind(customer_id)
    .bind(i64::from(s.personalisation))
    .bind(i64::from(s.clickstream))
    .bind(clock::now())
    .execute(&mut *tx)
    .await?;
    if !s.clickstream {
        sqlx::query("DELETE FROM events WHERE customer_id = $1").bind(customer_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(s)
}

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
        .hit(&v.session_hash)
        .map_err(|secs| ApiError::too_many(secs, format!("The app sent a lot of activity in a short time. {}", auth::wait_words(secs))))?;
    let batch = batch.validate()?;
    if gpc {
        return Ok(0);
    }
    let customer_id = v.customer.as_ref().map(|c| c.id);
    if let Some(id) = customer_id {
        if !privacy(&state.db, id).await?.clickstream {
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
    let settings = privacy(db, c.id).await?;
    let rate = if settings.personalisation {
        let row: Option<(String, i64, String, String, String)> = sqlx::query_as(
            "SELECT o.number, i.product_id, i.name, i.slug, \
             COALESCE((SELECT MAX(e.at) FROM order_events e WHERE e.order_id = o.id AND e.status = 'delivered'), o.placed_at) AS delivered_at \
             FROM orders o JOIN order_items i ON i.order_id = o.id \
             WHERE o.customer_id = $1 AND o.status = 'delivered' \
             AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.order_id = o.id AND r.product_id = i.product_id) \
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
    Ok(Welcome { first_name: first_name(&c.name), rate, open_order: orders::service::newest_open(db, c.id).await? })
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

pub async fn recommendations(state: &crate::AppState, v: &Visitor) -> Result<Recommendations, ApiError> {
    let Some(c) = &v.customer else { return Ok(Recommendations::default()) };
    if !privacy(&state.db, c.id).await?.personalisation {
        return Ok(Recommendations::default());
    }
    let baskets = baskets_of(&state.db, c.id).await?;
    if baskets.is_empty() {
        return Ok(Recommendations::default());
    }
    let model = state.personal.model(&state.db).await?;
    let owned: Vec<i64> = baskets.concat();
    let have: HashSet<i64> = owned.iter().copied().collect();

    let buy_again = db::product_summaries(&state.db, &buy_again(&baskets, ROW_LENGTH)).await?;

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
            let summaries = db::product_summaries(&state.db, &similar).await?;
            if summaries.is_empty() {
                continue;
            }
            if let Some(p) = db::product_summaries(&state.db, &[product]).await?.into_iter().next() {
                because = Some(BecauseYouBought { product: p, similar: summaries });
                break 'latest;
            }
        }
    }

    let favourites = popular_in_categories(&owned, |p| model.category_of.get(&p).copied(), &model.popular, ROW_LENGTH);
    Ok(Recommendations {
        buy_again,
        because_you_bought: because,
        popular_in_favourites: db::product_summaries(&state.db, &favourites).await?,
    })
}

// ---------------------------------------------------------------------------------------
// A copy of their data, and erasure
// ---------------------------------------------------------------------------------------

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, ApiError> {
    serde_json::to_value(t).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Everything held about the account, as one JSON document.
pub async fn export(db: &Db, v: &Visitor) -> Result<Value, ApiError> {
    let me = v.signed_in()?;
    let created_at: String = sqlx::query_scalar("SELECT created_at FROM customers WHERE id = $1").bind(me.id).fetch_one(db).await?;
    let mut order_list = Vec::new();
    for summary in orders::service::list(db, Some(me.id), None, 100_000).await? {
        if let Some(order) = orders::service::load(db, summary.id).await? {
            order_list.push(to_value(&order)?);
        }
    }
    let owner = Owner::customer(me.id);
    let feedback: Vec<support::service::FeedbackRow> = sqlx::query_as(&format!("{} WHERE customer_id = $1 ORDER BY id", support::service::FEEDBACK_COLUMNS))
        .bind(me.id)
        .fetch_all(db)
        .await?;
    let feedback = feedback.into_iter().map(support::service::FeedbackRow::into_feedback).collect::<Result<Vec<_>, _>>()?;
    let ratings: Vec<_> = sqlx::query_as(&format!("{} WHERE r.customer_id = $1 ORDER BY r.at", support::service::RATING_COLUMNS))
        .bind(me.id)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(support::service::rating_of)
        .collect();
    #[allow(clippy::type_complexity)]
    let events: Vec<(String, String, Option<i64>, Option<String>, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT device_id, kind, product_id, query, results, client_at, at FROM events WHERE customer_id = $1 ORDER BY id",
    )
    .bind(me.id)
    .fetch_all(db)
    .await?;
    let events: Vec<Value> = events
        .into_iter()
        .map(|(device_id, kind, product_id, query, results, client_at, at)| {
            json!({"device_id": device_id, "kind": kind, "product_id": product_id, "query": query, "results": results, "client_at": client_at, "received_at": at})
        })
        .collect();
    Ok(json!({
        "exported_at": clock::now(),
        "profile": {"name": me.name, "email": me.email, "phone": me.phone, "created_at": created_at},
        "privacy": to_value(&privacy(db, me.id).await?)?,
        "addresses": to_value(&identity::store::addresses(db, me.id).await?)?,
        "cart": to_value(&identity::store::cart(db, v).await?)?,
        "orders": order_list,
        "conversations": to_value(&support::service::conversations_of(db, &owner, 100_000).await?)?,
        "tickets": to_value(&support::service::tickets_of(db, &owner, 100_000).await?)?,
        "callbacks": to_value(&support::service::callbacks_of(db, &owner, 100_000).await?)?,
        "feedback": to_value(&feedback)?,
        "ratings": to_value(&ratings)?,
        "events": events,
    }))
}

/// Erases the account after checking its password: the account, its sessions,
/// addresses, cart, settings, clickstream, chats, tickets, call-backs, feedback and
/// unsent e-mails go; orders stay for the accounts but lose the name, address and
/// e-mail; ratings stay as anonymous stars.
pub async fn delete_account(db: &Db, me: &Customer, password: &str) -> Result<(), ApiError> {
    let hash = identity::store::password_hash(db, me.id).await?;
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        return Err(FieldError::new("password", "That is not your password.").into());
    }
    let mut tx = crate::platform::db::begin_write(db).await?;
    let id = me.id;
    for sql in [
        "UPDATE orders SET email = 'deleted-' || id || '@invalid', ship_name = '(deleted)', ship_line1 = '(deleted)', \
         ship_line2 = '(deleted)', ship_city = '(deleted)', ship_postcode = '(deleted)', \
         return_reason = CASE WHEN return_reason IS NULL THEN NULL ELSE '(deleted)' END WHERE customer_id = $1",
        // The shopper's own words on their orders' timelines (a return reason).
        "UPDATE order_events SET note = NULL WHERE status = 'return_requested' AND order_id IN (SELECT id FROM orders WHERE customer_id = $1)",
        "UPDATE ratings SET comment = '', customer_id = NULL WHERE customer_id = $1",
        "DELETE FROM events WHERE customer_id = $1",
        "DELETE FROM chat_messages WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)",
        "DELETE FROM conversations WHERE customer_id = $1",
        "DELETE FROM ticket_messages WHERE ticket_id IN (SELECT id FROM tickets WHERE customer_id = $1)",
        "DELETE FROM tickets WHERE customer_id = $1",
        "DELETE FROM callbacks WHERE customer_id = $1",
        "DELETE FROM feedback WHERE customer_id = $1",
        "DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE customer_id = $1)",
        "DELETE FROM carts WHERE customer_id = $1",
        "DELETE FROM addresses WHERE customer_id = $1",
        "DELETE FROM privacy_settings WHERE customer_id = $1",
        "DELETE FROM sessions WHERE customer_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    // New access tokens, so an old link to an order no longer opens it.
    let order_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1").bind(id).fetch_all(&mut *tx).await?;
    for order_id in order_ids {
        sqlx::query("UPDATE orders SET access_token = $1 WHERE id = $2").bind(auth::random_token()).bind(order_id).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM emails WHERE to_addr = $1").bind(&me.email).execute(&mut *tx).await?;
    // Orders keep their row with customer_id set to NULL (ON DELETE SET NULL).
    sqlx::query("DELETE FROM customers WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Staff insight
// ---------------------------------------------------------------------------------------

/// `days` from the query string: 1..=365, 30 without it.
pub fn parse_days(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(30),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| ApiError::bad_request("days must be a whole number from 1 to 365.")),
    }
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The figures for the `days` days up to and including today (UTC). Orders, the
/// funnel, empty searches, response times and ratings are of that period; abandoned
/// carts and FAQ votes are as they stand now.
pub async fn insight(db: &Db, days: i64) -> Result<Insight, ApiError> {
    let now = clock::now_unix();
    let today = now.div_euclid(86_400);
    let first_day = today - (days - 1);
    let since = clock::iso(first_day * 86_400);

    let currency: Option<String> = sqlx::query_scalar("SELECT MIN(currency) FROM products").fetch_one(db).await?;
    let currency = currency.as_deref().map(Currency::parse).transpose().map_err(ApiError::Internal)?.unwrap_or(Currency::EUR);
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT substr(placed_at, 1, 10) AS day, COUNT(*), CAST(COALESCE(SUM(CASE WHEN currency = $1 THEN total_minor ELSE 0 END), 0) AS BIGINT) \
         FROM orders WHERE status <> 'cancelled' AND placed_at >= $2 GROUP BY substr(placed_at, 1, 10)",
    )
    .bind(currency.code())
    .bind(&since)
    .fetch_all(db)
    .await?;
    let by_day: HashMap<String, (i64, i64)> = rows.into_iter().map(|(d, n, r)| (d, (n, r))).collect();
    let days_list = (first_day..=today)
        .map(|d| {
            let day = clock::iso(d * 86_400)[..10].to_string();
            let (orders, revenue) = by_day.get(&day).copied().unwrap_or((0, 0));
            DayFigures { day, orders: count(orders), revenue: Money::new(revenue, currency) }
        })
        .collect();

    // An actor is the account when signed in, else the device.
    let steps: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(DISTINCT COALESCE('c' || customer_id, 'd' || device_id)) FROM events \
         WHERE at >= $1 AND kind IN ('product_view', 'cart_add', 'checkout_started', 'checkout_finished') GROUP BY kind",
    )
    .bind(&since)
    .fetch_all(db)
    .await?;
    let step = |k: EventKind| count(steps.iter().find(|(kind, _)| kind == k.as_str()).map(|(_, n)| *n).unwrap_or(0));
    let funnel = Funnel {
        viewed: step(EventKind::ProductView),
        added_to_cart: step(EventKind::CartAdd),
        started_checkout: step(EventKind::CheckoutStarted),
        ordered: step(EventKind::CheckoutFinished),
    };

    let abandoned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM carts c WHERE c.updated_at < $1 \
         AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id) \
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE c.customer_id IS NOT NULL AND o.customer_id = c.customer_id AND o.placed_at >= c.updated_at)",
    )
    .bind(clock::iso(now - 86_400))
    .fetch_one(db)
    .await?;

    let searches: Vec<(String, i64)> = sqlx::query_as(
        "SELECT lower(query) AS q, COUNT(*) AS n FROM events WHERE kind = 'search' AND results = 0 AND at >= $1 AND query IS NOT NULL \
         GROUP BY lower(query) ORDER BY n DESC, q LIMIT 10",
    )
    .bind(&since)
    .fetch_all(db)
    .await?;

    let faq: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT question, helpful, unhelpful FROM faq_articles WHERE unhelpful > helpful ORDER BY unhelpful - helpful DESC, unhelpful DESC, id",
    )
    .fetch_all(db)
    .await?;

    Ok(Insight {
        days: days_list,
        funnel,
        abandoned_carts: count(abandoned),
        searches_without_results: searches.into_iter().map(|(text, n)| CountedText { text, count: count(n) }).collect(),
        unhelpful_faq: faq.into_iter().map(|(question, h, u)| FaqVotes { question, helpful: count(h), unhelpful: count(u) }).collect(),
        first_response: first_response(db, &since).await?,
        ratings: rating_figures(db, &since).await?,
    })
}

/// Chat: from each conversation's first shopper message to the first agent message
/// after it. Tickets: from opening to the first agent reply. Unanswered ones are left
/// out.
async fn first_response(db: &Db, since: &str) -> Result<ResponseTimes, ApiError> {
    let messages: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT m.conversation_id, m.author, m.at FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id \
         WHERE c.started_at >= $1 ORDER BY m.conversation_id, m.id",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut chat = Vec::new();
    let mut asked: HashMap<i64, Option<i64>> = HashMap::new();
    for (conversation, author, at) in messages {
        let Some(at) = clock::parse(&at) else { continue };
        match (author.as_str(), asked.get(&conversation)) {
            ("customer", None) => {
                asked.insert(conversation, Some(at));
            }
            ("agent", Some(Some(first))) => {
                chat.push((at - first).max(0));
                asked.insert(conversation, None);
            }
            _ => {}
        }
    }
    let tickets: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT t.created_at, (SELECT MIN(m.at) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.author = 'agent') \
         FROM tickets t WHERE t.created_at >= $1",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let ticket = tickets
        .into_iter()
        .filter_map(|(opened, answered)| Some((clock::parse(&answered?)? - clock::parse(&opened)?).max(0)))
        .collect();
    Ok(ResponseTimes { chat_median_secs: median(chat), ticket_median_secs: median(ticket) })
}

async fn rating_figures(db: &Db, since: &str) -> Result<RatingFigures, ApiError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT rating, COUNT(*) FROM ratings WHERE at >= $1 GROUP BY rating").bind(since).fetch_all(db).await?;
    let mut by_stars = [0u32; 5];
    let (mut n, mut sum) = (0i64, 0i64);
    for (stars, k) in rows {
        if (1..=5).contains(&stars) {
            by_stars[(stars - 1) as usize] = count(k);
            n += k;
            sum += stars * k;
        }
    }
    Ok(RatingFigures { count: count(n), average: (n > 0).then(|| sum as f64 / n as f64), by_stars })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baskets_group_by_order() {
        assert_eq!(group_baskets(vec![(1, 5), (1, 6), (3, 5), (4, 7)]), vec![vec![5, 6], vec![5], vec![7]]);
        assert!(group_baskets(vec![]).is_empty());
    }

    #[test]
    fn medians_and_days() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 20, 30]), Some(25));
        assert_eq!(parse_days(None).ok(), Some(30));
        assert_eq!(parse_days(Some("7")).ok(), Some(7));
        for bad in ["0", "366", "-1", "week", "1.5"] {
            assert!(parse_days(Some(bad)).is_err(), "{bad}");
        }
    }

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
