//! Orders still waiting for their bank transfer: reminded once after the shop's days,
//! then cancelled, their items back on sale (see `aisle_domain::payment::TransferTerms`).
//! Swept every hour; a sweep on several instances at once is harmless, since each
//! order is reminded or cancelled inside the write lock after checking again.

use crate::{
    emails::Kind,
    orders,
    platform::{clock, db, error::ApiError},
    AppState,
};
use aisle_domain::{
    delivery::promise::Day,
    payment::{PaymentState, Unpaid},
    Lang, Money,
};
use serde::Serialize;

#[derive(Serialize)]
struct Reminder {
    number: String,
    amount: String,
    holder: String,
    iban: String,
    reference: String,
    pay_by: String,
    url: String,
}

/// Reminds and cancels what is due now. Returns how many of each.
pub async fn sweep(state: &AppState) -> Result<(usize, usize), ApiError> {
    let now = clock::now_unix();
    let waiting: Vec<(i64,)> = sqlx::query_as("SELECT id FROM orders WHERE payment_state = $1 AND status = 'placed' ORDER BY id")
        .bind(PaymentState::AwaitingPayment.as_str())
        .fetch_all(&state.db)
        .await?;
    let (mut reminded, mut cancelled) = (0, 0);
    for (id,) in waiting {
        let mut tx = db::begin_write(&state.db).await?;
        let row: Option<(String, Option<String>, String, String)> =
            sqlx::query_as("SELECT placed_at, reminded_at, payment_state, status FROM orders WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some((placed_at, reminded_at, payment, status)) = row else { continue };
        if payment != PaymentState::AwaitingPayment.as_str() || status != "placed" {
            continue;
        }
        let age = now - clock::parse(&placed_at).unwrap_or(now);
        let since = reminded_at.as_deref().and_then(clock::parse).map(|at| now - at);
        match state.rules.bank_transfer.due(age, since) {
            Unpaid::Wait => {}
            Unpaid::Remind => {
                remind(state, &mut tx, id, &placed_at).await?;
                tx.commit().await?;
                reminded += 1;
            }
            Unpaid::Cancel => {
                drop(tx);
                let days = state.rules.bank_transfer.cancel_after_days;
                orders::service::cancel(state, id, &format!("Cancelled: the bank transfer did not arrive within {days} days")).await?;
                cancelled += 1;
            }
        }
    }
    Ok((reminded, cancelled))
}

async fn remind(state: &AppState, tx: &mut db::Tx<'_>, id: i64, placed_at: &str) -> Result<(), ApiError> {
    let order = orders::store::load(tx, id).await?.ok_or_else(|| ApiError::Internal(format!("order {id} vanished")))?;
    let Some(transfer) = order.transfer.as_ref() else { return Ok(()) };
    let lang: String = sqlx::query_scalar("SELECT lang FROM orders WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    let lang = Lang::from_tag(&lang).unwrap_or_default();
    let today = Day::parse(&state.emails.shop.today()).map_or(0, |d| d.0);
    let placed = Day::parse(placed_at.get(..10).unwrap_or_default()).map_or(today, |d| d.0);
    let pay_by = Day(state.rules.bank_transfer.pay_by(placed, today)).iso();
    let token = crate::platform::links::issue(tx, crate::platform::links::LinkKind::Order, id).await?;
    let reminder = Reminder {
        number: order.number.clone(),
        amount: lang.money(Money::new(transfer.amount.minor, transfer.amount.currency)),
        holder: transfer.account.holder.clone(),
        iban: transfer.account.iban.clone(),
        reference: transfer.reference.clone(),
        pay_by: lang.delivery_day(&pay_by),
        url: state.emails.link(&aisle_domain::order::page_href(&order.number, &token)),
    };
    state.emails.queue(tx, &order.email, lang, Kind::TransferReminder, &reminder).await?;
    sqlx::query("UPDATE orders SET reminded_at = $1 WHERE id = $2").bind(clock::now()).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Sweeps every hour, from start.
pub fn spawn_sweep(state: AppState) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match sweep(&state).await {
                Ok((0, 0)) => {}
                Ok((reminded, cancelled)) => tracing::info!(reminded, cancelled, "unpaid bank transfers"),
                Err(e) => tracing::warn!(error = %e.into_message(), "could not sweep unpaid bank transfers"),
            }
        }
    });
}
