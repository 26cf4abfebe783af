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
use aisle_domain::{
    order::{Order, OrderAction, ShipOrder},
    payment::PaymentState,
    ErrorCode,
};

/// Staff saw the transfer arrive (for a prepaid order, or an invoice): the order is
/// paid, and a prepaid one can be packed. Marking it
/// again is refused with when it was marked, so a double click or a replayed request
/// changes nothing.
pub async fn mark_paid(state: &AppState, order_id: i64) -> Result<Order, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let (payment, paid_at, status): (String, Option<String>, String) =
        sqlx::query_as("SELECT payment_state, paid_at, status FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    let refused = |message: String| ApiError::Conflict { code: ErrorCode::Refused, message };
    match PaymentState::parse(&payment) {
        Some(PaymentState::AwaitingPayment | PaymentState::OnInvoice) if status == "cancelled" => return Err(refused("This order was cancelled: there is nothing to mark paid.".into())),
        Some(PaymentState::AwaitingPayment | PaymentState::OnInvoice) => {}
        Some(PaymentState::Paid) => {
            return Err(refused(format!("This order was already marked paid ({}).", paid_at.as_deref().map_or("earlier", |at| at.get(..10).unwrap_or(at)))));
        }
        _ => return Err(refused("This order is paid on delivery: there is no transfer to mark.".into())),
    }
    sqlx::query("UPDATE orders SET payment_state = $1, paid_at = $2 WHERE id = $3 AND payment_state = $4")
        .bind(PaymentState::Paid.as_str())
        .bind(clock::now())
        .bind(order_id)
        .bind(&payment)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    reload(state, order_id).await
}

/// A fulfilment step by staff. Shipping records the carrier and tracking number and
/// e-mails the customer; a completed return puts the items back in stock.
pub async fn fulfil(state: &AppState, order_id: i64, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    if !action.is_fulfilment() {
        return Err(ApiError::bad_request("That is not a fulfilment step."));
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    // An order paid by transfer is not sent before the money is there.
    if matches!(action, OrderAction::Pack | OrderAction::Ship) {
        let awaiting: Option<(String,)> = sqlx::query_as("SELECT payment_state FROM orders WHERE id = $1").bind(order_id).fetch_optional(&mut *tx).await?;
        if awaiting.is_some_and(|(s,)| s == PaymentState::AwaitingPayment.as_str()) {
            return Err(ApiError::Conflict {
                code: ErrorCode::Refused,
                message: "This order waits for its bank transfer: mark it paid once the money has arrived, then pack it.".into(),
            });
        }
    }
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
            // The goods leave: that is the supply the invoice records.
            crate::invoices::store::issue(&mut tx, state, order_id).await?;
        }
        OrderAction::CompleteReturn => {
            crate::invoices::store::credit(&mut tx, state, order_id).await?;
            crate::credit::service::refund(&mut tx, order_id).await?;
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
