//! Fulfilment steps by staff: pack, ship (carrier and tracking number, e-mailed to the
//! shopper), out for delivery, delivered, return received (the items back in stock).

use crate::{
    catalogue::writer::{give_back_stock, stock_changed},
    orders::store::{items_of, reload, transition, DELIVERY_DAYS},
    platform::{clock, error::ApiError, mail},
    AppState,
};
use aisle_domain::order::{format_day, Order, OrderAction, ShipOrder};

/// A fulfilment step by staff. Shipping records the carrier and tracking number and
/// e-mails the customer; a completed return puts the items back in stock.
pub async fn fulfil(state: &AppState, order_id: i64, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    if !action.is_fulfilment() {
        return Err(ApiError::bad_request("That is not a fulfilment step."));
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let note = ship.map(|s| format!("{} {}", s.carrier.name(), s.tracking_number));
    transition(&mut tx, order_id, action, note.as_deref()).await?;
    let (email, number): (String, String) = sqlx::query_as("SELECT email, number FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    let mut restocked = Vec::new();
    match action {
        OrderAction::Ship => {
            let ship = ship.ok_or_else(|| ApiError::bad_request("Shipping needs a carrier and a tracking number."))?;
            let now = clock::now();
            sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2, shipped_at = $3 WHERE id = $4")
                .bind(ship.carrier.code())
                .bind(&ship.tracking_number)
                .bind(&now)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
            mail::enqueue(
                &mut tx,
                &email,
                &format!("Order {number} has shipped"),
                &format!(
                    "Good news: your order {number} shipped on {}.\n\nCarrier: {}\nTracking number: {}\nEstimated delivery: {}",
                    format_day(&now),
                    ship.carrier.name(),
                    ship.tracking_number,
                    format_day(&clock::add_days(&now, DELIVERY_DAYS))
                ),
            )
            .await?;
        }
        OrderAction::MarkDelivered => {
            mail::enqueue(&mut tx, &email, &format!("Order {number} was delivered"), &format!("Your order {number} was delivered. We hope you like it!")).await?;
        }
        OrderAction::CompleteReturn => {
            restocked = items_of(&mut tx, order_id).await?;
            for (product_id, quantity) in &restocked {
                give_back_stock(&mut tx, *product_id, *quantity).await?;
            }
        }
        _ => {}
    }
    tx.commit().await?;
    stock_changed(state, restocked.iter().map(|i| i.0).collect()).await;
    reload(state, order_id).await
}
