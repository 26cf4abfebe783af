//! The shopper's changes to an order: cancel, change quantities or the address,
//! request a return. Each change runs in one write
//! transaction (`db::begin_write`: SQLite's write lock, or PostgreSQL's advisory lock,
//! taken at the start), so two buyers of the last unit are served one after the other,
//! on any number of instances, and stock can never go below zero; each is checked
//! against the order state machine in `aisle-domain`.

use crate::{
    catalogue::{variants::column as variant_column, writer::{give_back_stock, stock_changed, take_stock}},
    emails::Kind,
    identity,
    platform::error::ApiError,
    AppState,
};
use aisle_domain::{
    customer::{parse_quantity, AddressInput},
    order::{ChangeItems, Order, OrderAction},
    ErrorCode,
};
use super::store::{items_of, reload, transition};

pub async fn cancel(state: &AppState, order_id: i64, note: &str) -> Result<Order, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::Cancel, Some(note)).await?;
    crate::invoices::store::credit(&mut tx, state, order_id).await?;
    crate::credit::service::refund(&mut tx, order_id).await?;
    let items = items_of(&mut tx, order_id).await?;
    for (product_id, variant_id, quantity) in &items {
        give_back_stock(&mut tx, *product_id, *variant_id, *quantity).await?;
    }
    super::emails::send(&state.emails, &mut tx, order_id, Kind::OrderCancelled).await?;
    tx.commit().await?;
    stock_changed(state, items.iter().map(|i| i.0).collect()).await;
    reload(state, order_id).await
}

pub async fn change_items(state: &AppState, order_id: i64, change: &ChangeItems) -> Result<Order, ApiError> {
    // Each line once: a second change of it would be checked against the quantity
    // before the first changed it, and stock would be taken or given back twice.
    for (i, set) in change.items.iter().enumerate() {
        if change.items[..i].iter().any(|o| o.product_id == set.product_id && o.variant_id == set.variant_id) {
            return Err(ApiError::bad_request("A product appears twice in the change."));
        }
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::ChangeItems, Some("Quantities changed")).await?;
    // Money already received would no longer match the order.
    let (payment,): (String,) = sqlx::query_as("SELECT payment_state FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    if payment == aisle_domain::payment::PaymentState::Paid.as_str() {
        return Err(ApiError::Conflict {
            code: ErrorCode::Refused,
            message: "This order is paid already, so its items cannot be changed here. Please contact us, or cancel it and order again.".into(),
        });
    }
    let current = items_of(&mut tx, order_id).await?;
    let mut remaining = current.len();
    for set in &change.items {
        let Some(&(_, _, old)) = current.iter().find(|(p, v, _)| *p == set.product_id && *v == set.variant_id) else {
            return Err(ApiError::bad_request("Only the quantities of products already in the order can be changed."));
        };
        let new = if set.quantity == 0 { 0 } else { parse_quantity(set.quantity)? };
        if new == 0 {
            remaining -= 1;
            sqlx::query("DELETE FROM order_items WHERE order_id = $1 AND product_id = $2 AND variant_id = $3")
                .bind(order_id)
                .bind(set.product_id)
                .bind(variant_column(set.variant_id))
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("UPDATE order_items SET quantity = $1 WHERE order_id = $2 AND product_id = $3 AND variant_id = $4")
                .bind(i64::from(new))
                .bind(order_id)
                .bind(set.product_id)
                .bind(variant_column(set.variant_id))
                .execute(&mut *tx)
                .await?;
        }
        if new > old {
            take_stock(&mut tx, set.product_id, set.variant_id, new - old).await.map_err(|_| ApiError::Conflict {
                code: ErrorCode::SoldOut,
                message: format!("There is not enough stock to add {} more.", new - old),
            })?;
        } else if new < old {
            give_back_stock(&mut tx, set.product_id, set.variant_id, old - new).await?;
        }
    }
    if remaining == 0 {
        return Err(ApiError::bad_request("An order needs at least one item. To remove everything, cancel the order."));
    }
    let (priced_by_rules,): (Option<i64>,) = sqlx::query_as("SELECT goods_minor FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    if priced_by_rules.is_some() {
        super::charges::reprice(&mut tx, state, order_id).await?;
    } else {
        // Placed before the shop charged delivery: its total is its goods.
        sqlx::query("UPDATE orders SET total_minor = (SELECT SUM(unit_price_minor * quantity) FROM order_items WHERE order_id = $1) WHERE id = $2")
            .bind(order_id)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    stock_changed(state, current.iter().map(|i| i.0).collect()).await;
    reload(state, order_id).await
}

pub async fn change_address(state: &AppState, order_id: i64, a: &AddressInput) -> Result<Order, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::ChangeAddress, Some("Delivery address changed")).await?;
    identity::store::bind_address!(
        sqlx::query("UPDATE orders SET ship_name = $1, ship_line1 = $2, ship_line2 = $3, ship_city = $4, ship_postcode = $5, ship_country = $6 WHERE id = $7"),
        a,
    )
    .bind(order_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    reload(state, order_id).await
}

pub async fn request_return(state: &AppState, order_id: i64, reason: &str) -> Result<Order, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::RequestReturn, Some(reason)).await?;
    sqlx::query("UPDATE orders SET return_reason = $1 WHERE id = $2").bind(reason).bind(order_id).execute(&mut *tx).await?;
    tx.commit().await?;
    reload(state, order_id).await
}


/// "Find my order": e-mails a new link to the order if `number` was placed with
/// `email`, and does nothing otherwise. The caller answers the same either way, so the
/// form tells no one whether an address or an order exists.
pub async fn send_link(state: &AppState, email: &str, number: &str) -> Result<(), ApiError> {
    state.ip_limits.mail_to(email).await?;
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE number = $1 AND email = $2").bind(number).bind(email).fetch_optional(&mut *tx).await?;
    if let Some(id) = id {
        super::emails::send(&state.emails, &mut tx, id, Kind::OrderLink).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Staff: ends every link to the order, from e-mails and from the browser that placed
/// it; the shopper can ask for a fresh one with "find my order".
pub async fn revoke_links(state: &AppState, order_id: i64) -> Result<u64, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let revoked = crate::platform::links::revoke(&mut tx, crate::platform::links::LinkKind::Order, order_id).await?;
    sqlx::query("UPDATE orders SET access_token = $1 WHERE id = $2").bind(crate::platform::token::random_token()).bind(order_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(revoked)
}
