//! Fulfilment steps by staff: pack, ship (carrier and tracking number), out for
//! delivery, delivered, return received (the items back in stock). Each step but
//! packing e-mails the shopper.

use crate::{
    catalogue::writer::{give_back_stock, stock_changed},
    emails::Kind,
    orders::{
        self,
        store::{items_of, reload, transition},
    },
    platform::{clock, error::ApiError},
    AppState,
};
use aisle_domain::order::{Order, OrderAction, ShipOrder};

/// A fulfilment step by staff. Shipping records the carrier and tracking number and
/// e-mails the customer; a completed return puts the items back in stock.
pub async fn fulfil(state: &AppState, order_id: i64, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    if !action.is_fulfilment() {
        return Err(ApiError::bad_request("That is not a fulfilment step."));
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let note = ship.map(|s| format!("{} {}", s.carrier.name(), s.tracking_number));
    transition(&mut tx, order_id, action, note.as_deref()).await?;
    let mut restocked = Vec::new();
    match action {
        OrderAction::Ship => {
            let ship = ship.ok_or_else(|| ApiError::bad_request("Shipping needs a carrier and a tracking number."))?;
            sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2, shipped_at = $3 WHERE id = $4")
                .bind(ship.carrier.code())
                .bind(&ship.tracking_number)
                .bind(clock::now())
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
        }
        OrderAction::CompleteReturn => {
            restocked = items_of(&mut tx, order_id).await?;
            for (product_id, variant_id, quantity) in &restocked {
                give_back_stock(&mut tx, *product_id, *variant_id, *quantity).await?;
            }
        }
        _ => {}
    }
    // Every step the shopper waits for is an e-mail; packing is not (it would only say
    // "nothing to see yet").
    let email = match action {
        OrderAction::Ship => Some(Kind::OrderShipped),
        OrderAction::MarkOutForDelivery => Some(Kind::OrderOutForDelivery),
        OrderAction::MarkDelivered => Some(Kind::OrderDelivered),
        OrderAction::CompleteReturn => Some(Kind::ReturnReceived),
        _ => None,
    };
    if let Some(kind) = email {
        orders::emails::send(&state.emails, &mut tx, order_id, kind).await?;
    }
    tx.commit().await?;
    stock_changed(state, restocked.iter().map(|i| i.0).collect()).await;
    reload(state, order_id).await
}
