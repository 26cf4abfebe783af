//! Price-drop protection and spending credit.

use crate::{
    credit::store::{self, NewEntry},
    emails::Kind,
    platform::{clock, db::Tx, error::ApiError},
    AppState,
};
use aisle_domain::{
    credit::{price_drop_credit, to_spend, CreditReason},
    Currency, Lang, Money,
};
use serde::Serialize;

/// A line bought within the window whose product (or variant) now costs less.
#[derive(sqlx::FromRow)]
struct Protected {
    item_line: i64,
    order_id: i64,
    order_number: String,
    customer_id: i64,
    email: String,
    lang: String,
    name: String,
    variant_title: String,
    unit_price_minor: i64,
    protected_price_minor: Option<i64>,
    quantity: i64,
    currency: String,
    now_minor: i64,
    shop_currency: String,
    was_minor: Option<i64>,
    overrides: String,
}

#[derive(Serialize)]
struct CreditMail {
    product: String,
    order_number: String,
    was: String,
    now: String,
    credit: String,
    balance: String,
    url: String,
}

/// Credits every signed-in shopper who bought one of `product_ids` within the shop's
/// window and paid more than it costs now (see `aisle_domain::credit`), and e-mails
/// each. Runs in the transaction of the catalogue change that lowered the price, so
/// the credit and the price are saved together or not at all.
pub async fn protect_prices(tx: &mut Tx<'_>, state: &AppState, product_ids: &[i64]) -> Result<(), ApiError> {
    let days = i64::from(state.rules.price_protection_days);
    if days == 0 || product_ids.is_empty() {
        return Ok(());
    }
    let since = clock::add_days(&clock::now(), -days);
    for &product_id in product_ids {
        // The price now: the variant's for a line bought in one, else the product's.
        let lines: Vec<Protected> = sqlx::query_as(
            "SELECT i.line AS item_line, o.id AS order_id, o.number AS order_number, o.customer_id, o.email, o.lang, i.name, i.variant_title, \
             i.unit_price_minor, i.protected_price_minor, i.quantity, o.currency, COALESCE(v.price_minor, p.price_minor) AS now_minor, \
             p.currency AS shop_currency, CASE WHEN v.id IS NULL THEN p.compare_at_minor ELSE v.compare_at_minor END AS was_minor, \
             CASE WHEN v.id IS NULL THEN p.market_prices ELSE v.market_prices END AS overrides \
             FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id \
             LEFT JOIN variants v ON v.id = i.variant_id AND i.variant_id <> 0 \
             WHERE i.product_id = $1 AND o.customer_id IS NOT NULL AND o.placed_at >= $2 \
             AND o.status NOT IN ('cancelled', 'return_requested', 'returned') \
             AND (o.currency <> p.currency OR COALESCE(v.price_minor, p.price_minor) < COALESCE(i.protected_price_minor, i.unit_price_minor))",
        )
        .bind(product_id)
        .bind(&since)
        .fetch_all(&mut **tx)
        .await?;
        for mut l in lines {
            // An order paid in another market's currency compares with the price there now.
            if l.currency != l.shop_currency {
                let home = Currency::parse(&l.shop_currency).map_err(ApiError::Internal)?;
                let Some(market) = Currency::parse(&l.currency).ok().and_then(|c| state.rules.markets.for_currency(c)) else { continue };
                let overrides = crate::catalogue::market_prices::read(&l.overrides)?;
                l.now_minor = market.item(Money::new(l.now_minor, home), l.was_minor.map(|w| Money::new(w, home)), &overrides).0.minor;
            }
            let quantity = u32::try_from(l.quantity).unwrap_or(0);
            let credit = price_drop_credit(l.unit_price_minor, l.protected_price_minor, l.now_minor, quantity);
            if credit <= 0 {
                continue;
            }
            let currency = Currency::parse(&l.currency).map_err(ApiError::Internal)?;
            let product = if l.variant_title.is_empty() { l.name.clone() } else { format!("{} ({})", l.name, l.variant_title) };
            store::add(tx, NewEntry { customer_id: l.customer_id, amount: Money::new(credit, currency), reason: CreditReason::PriceDrop, order_id: Some(l.order_id), product: Some(&product) }).await?;
            sqlx::query("UPDATE order_items SET protected_price_minor = $1 WHERE order_id = $2 AND line = $3")
                .bind(l.now_minor)
                .bind(l.order_id)
                .bind(l.item_line)
                .execute(&mut **tx)
                .await?;
            let lang = Lang::from_tag(&l.lang).unwrap_or_default();
            let money = |m: i64| lang.money(Money::new(m, currency));
            let balance = store::balance(tx, l.customer_id, currency).await?;
            let mail = CreditMail {
                product,
                order_number: l.order_number,
                was: money(l.protected_price_minor.unwrap_or(l.unit_price_minor).min(l.unit_price_minor)),
                now: money(l.now_minor),
                credit: money(credit),
                balance: money(balance),
                url: state.emails.link("/account#credit"),
            };
            state.emails.queue(tx, &l.email, lang, Kind::PriceDropCredit, &mail).await?;
        }
    }
    Ok(())
}

/// The credit an order by `customer_id` would spend now: all of the balance, up to
/// `total`. `expected` is what the checkout showed: a balance changed since (spent in
/// another tab, or a new credit) refuses the order, so the amount to pay is the one seen.
pub async fn available(tx: &mut Tx<'_>, customer_id: Option<i64>, total: Money, expected: Option<i64>) -> Result<i64, ApiError> {
    let Some(customer_id) = customer_id else { return Ok(0) };
    let spent = to_spend(store::balance(tx, customer_id, total.currency).await?, total.minor);
    if let Some(seen) = expected.filter(|seen| *seen != spent) {
        return Err(ApiError::Conflict {
            code: aisle_domain::ErrorCode::CartChanged,
            message: format!(
                "Nothing was charged: your store credit covers {} of this order now, not the {} you saw. Please check the amount to pay and place the order again.",
                Money::new(spent, total.currency),
                Money::new(seen, total.currency)
            ),
        });
    }
    Ok(spent)
}

/// Spends `amount` of the shopper's credit on order `order_id` (see [`available`]),
/// in the transaction that records the order.
pub async fn spend(tx: &mut Tx<'_>, customer_id: Option<i64>, order_id: i64, amount: Money) -> Result<(), ApiError> {
    let Some(customer_id) = customer_id.filter(|_| amount.minor > 0) else { return Ok(()) };
    store::add(tx, NewEntry { customer_id, amount: Money::new(-amount.minor, amount.currency), reason: CreditReason::Spent, order_id: Some(order_id), product: None }).await?;
    sqlx::query("UPDATE orders SET credit_minor = $1 WHERE id = $2").bind(amount.minor).bind(order_id).execute(&mut **tx).await?;
    Ok(())
}

/// Gives back the credit an order spent, once: when it is cancelled or returned.
pub async fn refund(tx: &mut Tx<'_>, order_id: i64) -> Result<(), ApiError> {
    let (customer_id, spent, currency): (Option<i64>, i64, String) =
        sqlx::query_as("SELECT customer_id, credit_minor, currency FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut **tx).await?;
    let Some(customer_id) = customer_id.filter(|_| spent > 0) else { return Ok(()) };
    let given_back: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM store_credit WHERE order_id = $1 AND reason = 'refunded'").bind(order_id).fetch_one(&mut **tx).await?;
    if given_back > 0 {
        return Ok(());
    }
    let currency = Currency::parse(&currency).map_err(ApiError::Internal)?;
    store::add(tx, NewEntry { customer_id, amount: Money::new(spent, currency), reason: CreditReason::Refunded, order_id: Some(order_id), product: None }).await
}
