//! Placing an order: every line checked against the shop as it is now, stock taken,
//! payment authorised, the order written and the confirmation queued, in one write
//! transaction (see `platform::db::begin_write`), so two buyers of the last unit are
//! served one after the other on any number of instances.

use crate::{
    cart,
    catalogue::writer::{stock_changed, take_stock},
    checkout::payments::PaymentProvider,
    identity::{self, session::Visitor},
    orders::store::{add_event, load},
    platform::{clock, error::ApiError, mail},
    AppState,
};
use aisle_domain::{
    checkout::{payment_method_label, ExpectedLine},
    customer::{parse_quantity, AddressInput},
    order::{Order, OrderStatus},
    Currency,
    ErrorCode,
    Money,
};

pub const MAX_LINES: usize = 50;

pub struct NewOrder<'a> {
    pub email: &'a str,
    pub address: &'a AddressInput,
    pub payment: &'static dyn PaymentProvider,
    pub lines: &'a [ExpectedLine],
    pub idempotency_key: &'a str,
}

/// Places an order, or returns the order already placed with this idempotency key
/// (`true` as the second value when it is such a replay).
pub async fn place(state: &AppState, v: &Visitor, new: NewOrder<'_>) -> Result<(Order, bool), ApiError> {
    if new.lines.is_empty() {
        return Err(ApiError::bad_request("Your cart is empty."));
    }
    if new.lines.len() > MAX_LINES {
        return Err(ApiError::bad_request(format!("An order can hold at most {MAX_LINES} different products.")));
    }
    for (i, l) in new.lines.iter().enumerate() {
        parse_quantity(i64::from(l.quantity))?;
        if new.lines[..i].iter().any(|o| o.product_id == l.product_id) {
            return Err(ApiError::bad_request("A product appears twice in the order."));
        }
    }

    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let existing: Option<(i64, Option<i64>, String)> = sqlx::query_as("SELECT id, customer_id, email FROM orders WHERE idempotency_key = $1")
        .bind(new.idempotency_key)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some((id, customer_id, email)) = existing {
        drop(tx);
        let same_owner = match &v.customer {
            Some(c) => customer_id == Some(c.id),
            None => customer_id.is_none() && email == new.email,
        };
        if !same_owner {
            return Err(ApiError::Conflict { code: ErrorCode::IdempotencyKeyReused, message: "This request was already used for another order.".into() });
        }
        let order = load(&state.db, id).await?.ok_or_else(|| ApiError::Internal("replayed order vanished".into()))?;
        return Ok((order, true));
    }

    // Check every line against the shop as it is now, and explain every difference.
    let mut problems = Vec::new();
    let mut items = Vec::new();
    let mut currency = None;
    for l in new.lines {
        let row: Option<(String, String, i64, String, i64)> =
            sqlx::query_as("SELECT name, slug, price_minor, currency, stock FROM products WHERE id = $1")
                .bind(l.product_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((name, slug, price, cur, stock)) = row else {
            problems.push("One of the products is no longer sold.".to_string());
            continue;
        };
        let cur = Currency::parse(&cur).map_err(ApiError::Internal)?;
        currency = currency.or(Some(cur));
        if stock <= 0 {
            problems.push(format!("{name} is sold out."));
        } else if stock < i64::from(l.quantity) {
            problems.push(format!("Only {stock} of {name} left (you asked for {}).", l.quantity));
        }
        if price != l.unit_price_minor {
            problems.push(format!(
                "{name} now costs {} (it was {} when you added it).",
                Money::new(price, cur),
                Money::new(l.unit_price_minor, cur)
            ));
        }
        items.push((l.product_id, name, slug, price, l.quantity));
    }
    if !problems.is_empty() {
        return Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: format!("Nothing was charged. {} Please check your cart and place the order again.", problems.join(" ")),
        });
    }
    let currency = currency.unwrap_or(Currency::EUR);
    let mut total: i64 = 0;
    for (product_id, _, _, price, quantity) in &items {
        take_stock(&mut tx, *product_id, *quantity).await?;
        total = total.checked_add(price * i64::from(*quantity)).ok_or_else(|| ApiError::bad_request("That order is too large."))?;
    }

    // Only now, with stock held and prices confirmed, is payment authorised; a refusal
    // rolls the whole order back.
    new.payment.authorise(Money::new(total, currency)).map_err(|reason| ApiError::Conflict {
        code: ErrorCode::PaymentRefused,
        message: format!("The payment was not accepted: {reason}. Nothing was charged."),
    })?;
    let payment_method = new.payment.id();
    let now = clock::now();
    let a = new.address;
    let id = identity::store::bind_address!(
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO orders (ship_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, \
             number, customer_id, email, status, placed_at, total_minor, currency, payment_method, access_token, idempotency_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'placed', $10, $11, $12, $13, $14, $15) RETURNING id",
        ),
        a,
    )
    .bind(new.idempotency_key)
    .bind(v.customer.as_ref().map(|c| c.id))
    .bind(new.email)
    .bind(&now)
    .bind(total)
    .bind(currency.code())
    .bind(payment_method)
    .bind(crate::platform::token::random_token())
    .bind(new.idempotency_key)
    .fetch_one(&mut *tx)
    .await?;
    let number = format!("A{id:06}");
    sqlx::query("UPDATE orders SET number = $1 WHERE id = $2").bind(&number).bind(id).execute(&mut *tx).await?;
    for (line, (product_id, name, slug, price, quantity)) in (1_i64..).zip(&items) {
        sqlx::query(
            "INSERT INTO order_items (order_id, product_id, name, slug, unit_price_minor, quantity, line) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
            .bind(id)
            .bind(product_id)
            .bind(name)
            .bind(slug)
            .bind(price)
            .bind(i64::from(*quantity))
            .bind(line)
            .execute(&mut *tx)
            .await?;
    }
    add_event(&mut tx, id, OrderStatus::Placed, None).await?;
    cart::store::clear_cart(&mut tx, v).await?;
    let lines: Vec<String> = items
        .iter()
        .map(|(_, name, _, price, q)| format!("  {q} × {name}  {}", Money::new(price * i64::from(*q), currency)))
        .collect();
    mail::enqueue(
        &mut tx,
        new.email,
        &format!("Your Aisle order {number}"),
        &format!(
            "Thank you for your order {number}.\n\n{}\n\nTotal: {}\nPayment: {}\nDelivery to:\n  {}\n\nYou can follow your order, and change or cancel it until it is packed, in your account.",
            lines.join("\n"),
            Money::new(total, currency),
            payment_method_label(payment_method),
            a.lines().join("\n  ")
        ),
    )
    .await?;
    tx.commit().await?;
    stock_changed(state, items.iter().map(|i| i.0).collect()).await;
    let order = load(&state.db, id).await?.ok_or_else(|| ApiError::Internal("new order vanished".into()))?;
    Ok((order, false))
}
