//! What the shopper controls: their privacy settings, a copy of everything held about
//! their account, and erasing it.
//!
//! - Switching the clickstream off deletes what was recorded for the account.
//! - Erasure keeps orders for the shop's accounts, without the name, e-mail and
//!   address; reviews stay as anonymous stars, without their words.

use crate::platform;
use crate::{
    cart,
    identity::{self, session::Visitor},
    orders,
    platform::{clock, db::Db, error::ApiError},
    support::{self, service::Owner},
};
use aisle_domain::{customer::{Customer, FieldError}, personal::*};
use serde_json::{json, Value};

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

fn to_value<T: serde::Serialize>(t: &T) -> Result<Value, ApiError> {
    serde_json::to_value(t).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Everything held about the account, as one JSON document.
pub async fn export(db: &Db, v: &Visitor) -> Result<Value, ApiError> {
    let me = v.signed_in()?;
    let created_at: String = sqlx::query_scalar("SELECT created_at FROM customers WHERE id = $1").bind(me.id).fetch_one(db).await?;
    let mut order_list = Vec::new();
    let summaries = orders::store::list(db, Some(me.id), None, 100_000).await?;
    {
        // One connection for the whole list, given back before the reads below.
        let mut conn = db.acquire().await?;
        for summary in summaries {
            if let Some(order) = orders::store::load(&mut conn, summary.id).await? {
                order_list.push(to_value(&order)?);
            }
        }
    }
    let owner = Owner::customer(me.id);
    let feedback: Vec<support::service::FeedbackRow> = sqlx::query_as(&format!("{} WHERE customer_id = $1 ORDER BY id", support::service::FEEDBACK_COLUMNS))
        .bind(me.id)
        .fetch_all(db)
        .await?;
    let feedback = feedback.into_iter().map(support::service::FeedbackRow::into_feedback).collect::<Result<Vec<_>, _>>()?;
    let ratings: Vec<_> = sqlx::query_as(&format!("{} WHERE r.customer_id = $1 ORDER BY r.at", crate::reviews::store::RATING_COLUMNS))
        .bind(me.id)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(crate::reviews::store::rating_of)
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
        "profile": {"name": me.name, "email": me.email, "phone": me.phone, "company": me.company, "vat_id": me.vat_id, "created_at": created_at},
        "privacy": to_value(&privacy(db, me.id).await?)?,
        "addresses": to_value(&identity::store::addresses(db, me.id).await?)?,
        "cart": to_value(&cart::store::cart(db, aisle_domain::catalogue::translation::BASE_LANG, v).await?)?,
        "orders": order_list,
        "wishlist": to_value(&crate::wishlist::store::list(db, me.id).await?)?,
        "conversations": to_value(&support::service::conversations_of(db, &owner, 100_000).await?)?,
        "tickets": to_value(&support::service::tickets_of(db, &owner, 100_000).await?)?,
        "callbacks": to_value(&support::service::callbacks_of(db, &owner, 100_000).await?)?,
        "feedback": to_value(&feedback)?,
        "ratings": to_value(&ratings)?,
        "events": events,
    }))
}

/// Erases the account after checking its password: the account, its sessions,
/// addresses, cart, settings, clickstream, chats, tickets, call-backs, feedback,
/// unsent e-mails, stock alerts and every link sent by e-mail go; orders stay for the
/// accounts but lose the name, address and e-mail; reviews stay as anonymous stars, without their words.
pub async fn delete_account(db: &Db, me: &Customer, password: &str) -> Result<(), ApiError> {
    let hash = identity::store::password_hash(db, me.id).await?;
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || identity::password::verify_password(&password, &hash)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
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
        "UPDATE reviews SET title = '', comment = '', customer_id = NULL WHERE customer_id = $1",
        "DELETE FROM events WHERE customer_id = $1",
        "DELETE FROM chat_messages WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)",
        "DELETE FROM conversations WHERE customer_id = $1",
        "DELETE FROM links WHERE kind = 'ticket' AND subject_id IN (SELECT id FROM tickets WHERE customer_id = $1)",
        "DELETE FROM links WHERE kind = 'order' AND subject_id IN (SELECT id FROM orders WHERE customer_id = $1)",
        "DELETE FROM links WHERE kind = 'password_reset' AND subject_id = $1",
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
    // New access tokens, so an old link to an order no longer opens it (the links
    // from e-mails went above).
    let order_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1").bind(id).fetch_all(&mut *tx).await?;
    for order_id in order_ids {
        sqlx::query("UPDATE orders SET access_token = $1 WHERE id = $2").bind(platform::token::random_token()).bind(order_id).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM emails WHERE to_addr = $1").bind(&me.email).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM stock_alerts WHERE email = $1").bind(&me.email).execute(&mut *tx).await?;
    // Orders keep their row with customer_id set to NULL (ON DELETE SET NULL).
    sqlx::query("DELETE FROM customers WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
