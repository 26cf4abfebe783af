//! Placing orders and every later change to them. Each change runs in one write
//! transaction (`db::begin_write`: SQLite's write lock, or PostgreSQL's advisory lock,
//! taken at the start), so two buyers of the last unit are served one after the other,
//! on any number of instances, and stock can never go below zero; each is checked
//! against the order state machine in `aisle-domain`.

use crate::{
    identity,
    identity::auth::Visitor,
    platform::clock,
    platform::error::ApiError,
    platform::mail,
    checkout::payments::PaymentProvider,
    AppState,
};
use aisle_domain::{
    customer::{parse_quantity, AddressInput},
    order::{format_day, OrderAction, OrderStatus},
    shop::{payment_method_label, ChangeItems, ExpectedLine, Order, OrderEvent, OrderItem, OrderSummary, Shipment, ShipOrder, StockUpdate},
    Currency, Money,
};

pub const MAX_LINES: usize = 50;
/// Days from shipping to the estimated delivery date.
pub const DELIVERY_DAYS: i64 = 3;

use crate::platform::db::Tx;

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
            return Err(ApiError::Conflict { code: "idempotency_key_reused", message: "This request was already used for another order.".into() });
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
            code: "cart_changed",
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
        code: "payment_refused",
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
    .bind(crate::identity::auth::random_token())
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
    identity::store::clear_cart(&mut tx, v).await?;
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

/// Takes stock for a line; the `stock >= $5` guard makes overselling impossible.
async fn take_stock(tx: &mut Tx<'_>, product_id: i64, quantity: u32) -> Result<(), ApiError> {
    let version = crate::platform::db::next_catalogue_versions(tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = stock - $1, updated_at = $2, version = $3 WHERE id = $4 AND stock >= $5")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .bind(i64::from(quantity))
        .execute(&mut **tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::Conflict { code: "sold_out", message: "Not enough stock is left for this change.".into() });
    }
    Ok(())
}

async fn give_back_stock(tx: &mut Tx<'_>, product_id: i64, quantity: u32) -> Result<(), sqlx::Error> {
    let version = crate::platform::db::next_catalogue_versions(tx, 1).await?;
    sqlx::query("UPDATE products SET stock = stock + $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(i64::from(quantity))
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn add_event(tx: &mut Tx<'_>, order_id: i64, status: OrderStatus, note: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO order_events (order_id, status, at, note) VALUES ($1, $2, $3, $4)")
        .bind(order_id)
        .bind(status.as_str())
        .bind(clock::now())
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Checks `action` against the order's current status inside the transaction, records
/// the new status and a timeline event, and returns the status it came from. A refused
/// action becomes a 409 whose message says why, with the day the order got that way.
async fn transition(tx: &mut Tx<'_>, order_id: i64, action: OrderAction, note: Option<&str>) -> Result<OrderStatus, ApiError> {
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut **tx).await?;
    let from = OrderStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("unknown order status {status}")))?;
    match from.apply(action) {
        Ok(to) => {
            sqlx::query("UPDATE orders SET status = $1 WHERE id = $2").bind(to.as_str()).bind(order_id).execute(&mut **tx).await?;
            add_event(tx, order_id, to, note).await?;
            Ok(from)
        }
        Err(refusal) => {
            let since: Option<String> = sqlx::query_scalar("SELECT at FROM order_events WHERE order_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1")
                .bind(order_id)
                .bind(from.as_str())
                .fetch_optional(&mut **tx)
                .await?;
            let day = since.map(|at| format_day(&at));
            Err(ApiError::Conflict { code: "refused", message: refusal.message(day.as_deref()) })
        }
    }
}

async fn items_of(tx: &mut Tx<'_>, order_id: i64) -> Result<Vec<(i64, u32)>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT product_id, quantity FROM order_items WHERE order_id = $1").bind(order_id).fetch_all(&mut **tx).await?;
    Ok(rows.into_iter().map(|(p, q)| (p, q as u32)).collect())
}

pub async fn cancel(state: &AppState, order_id: i64, note: &str) -> Result<Order, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::Cancel, Some(note)).await?;
    let items = items_of(&mut tx, order_id).await?;
    for (product_id, quantity) in &items {
        give_back_stock(&mut tx, *product_id, *quantity).await?;
    }
    let (email, number): (String, String) = sqlx::query_as("SELECT email, number FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    mail::enqueue(&mut tx, &email, &format!("Order {number} is cancelled"), &format!("Your order {number} is cancelled. Nothing will be charged.")).await?;
    tx.commit().await?;
    stock_changed(state, items.iter().map(|i| i.0).collect()).await;
    reload(state, order_id).await
}

pub async fn change_items(state: &AppState, order_id: i64, change: &ChangeItems) -> Result<Order, ApiError> {
    // Each product once: a second line for it would be checked against the quantity
    // before the first line changed it, and stock would be taken or given back twice.
    for (i, set) in change.items.iter().enumerate() {
        if change.items[..i].iter().any(|o| o.product_id == set.product_id) {
            return Err(ApiError::bad_request("A product appears twice in the change."));
        }
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    transition(&mut tx, order_id, OrderAction::ChangeItems, Some("Quantities changed")).await?;
    let current = items_of(&mut tx, order_id).await?;
    let mut remaining = current.len();
    for set in &change.items {
        let Some(&(_, old)) = current.iter().find(|(p, _)| *p == set.product_id) else {
            return Err(ApiError::bad_request("Only the quantities of products already in the order can be changed."));
        };
        let new = if set.quantity == 0 { 0 } else { parse_quantity(set.quantity)? };
        if new == 0 {
            remaining -= 1;
            sqlx::query("DELETE FROM order_items WHERE order_id = $1 AND product_id = $2").bind(order_id).bind(set.product_id).execute(&mut *tx).await?;
        } else {
            sqlx::query("UPDATE order_items SET quantity = $1 WHERE order_id = $2 AND product_id = $3")
                .bind(i64::from(new))
                .bind(order_id)
                .bind(set.product_id)
                .execute(&mut *tx)
                .await?;
        }
        if new > old {
            take_stock(&mut tx, set.product_id, new - old).await.map_err(|_| ApiError::Conflict {
                code: "sold_out",
                message: format!("There is not enough stock to add {} more.", new - old),
            })?;
        } else if new < old {
            give_back_stock(&mut tx, set.product_id, old - new).await?;
        }
    }
    if remaining == 0 {
        return Err(ApiError::bad_request("An order needs at least one item. To remove everything, cancel the order."));
    }
    sqlx::query("UPDATE orders SET total_minor = (SELECT SUM(unit_price_minor * quantity) FROM order_items WHERE order_id = $1) WHERE id = $2")
        .bind(order_id)
        .bind(order_id)
        .execute(&mut *tx)
        .await?;
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

/// A fulfilment step by staff. Shipping records the carrier and tracking number and
/// e-mails the customer; a completed return puts the items back in stock.
pub async fn fulfil(state: &AppState, order_id: i64, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    if !action.is_fulfilment() {
        return Err(ApiError::bad_request("That is not a fulfilment step."));
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let note = ship.map(|s| format!("{} {}", s.carrier, s.tracking_number));
    transition(&mut tx, order_id, action, note.as_deref()).await?;
    let (email, number): (String, String) = sqlx::query_as("SELECT email, number FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    let mut restocked = Vec::new();
    match action {
        OrderAction::Ship => {
            let ship = ship.ok_or_else(|| ApiError::bad_request("Shipping needs a carrier and a tracking number."))?;
            let now = clock::now();
            sqlx::query("UPDATE orders SET carrier = $1, tracking_number = $2, shipped_at = $3 WHERE id = $4")
                .bind(&ship.carrier)
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
                    ship.carrier,
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

pub async fn set_stock(state: &AppState, product_id: i64, stock: i64) -> Result<(), ApiError> {
    if !(0..=1_000_000).contains(&stock) {
        return Err(ApiError::bad_request("Stock must be a whole number from 0 to 1000000."));
    }
    let mut tx = state.db.begin().await?;
    let version = crate::platform::db::next_catalogue_versions(&mut tx, 1).await?;
    let r = sqlx::query("UPDATE products SET stock = $1, updated_at = $2, version = $3 WHERE id = $4")
        .bind(stock)
        .bind(clock::now())
        .bind(version)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such product."));
    }
    tx.commit().await?;
    stock_changed(state, vec![product_id]).await;
    Ok(())
}

/// Every committed stock change ends here: this instance follows it (see
/// [`follow_stock_change`]), then the other instances are told, on PostgreSQL.
async fn stock_changed(state: &AppState, ids: Vec<i64>) {
    follow_stock_change(state, &ids).await;
    state.fanout.send(crate::platform::fanout::Signal::Stock { ids });
}

/// The products' cached answers are dropped (only after the commit, so no read can
/// cache the old row again; see `product_cache`), then open product pages on this
/// instance are told the new stock. Also what another instance's stock signal does.
pub async fn follow_stock_change(state: &AppState, ids: &[i64]) {
    for &id in ids {
        state.products.evict(id);
    }
    for &id in ids {
        if let Ok(stock) = sqlx::query_scalar::<_, i64>("SELECT stock FROM products WHERE id = $1").bind(id).fetch_one(&state.db).await {
            // No open product page is not an error.
            let _ = state.stock_updates.send(StockUpdate { product_id: id, stock });
        }
    }
}

async fn reload(state: &AppState, id: i64) -> Result<Order, ApiError> {
    load(&state.db, id).await?.ok_or_else(|| ApiError::not_found("There is no such order."))
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    number: String,
    customer_id: Option<i64>,
    email: String,
    status: String,
    placed_at: String,
    total_minor: i64,
    currency: String,
    payment_method: String,
    ship_name: String,
    ship_line1: String,
    ship_line2: String,
    ship_city: String,
    ship_postcode: String,
    ship_country: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    shipped_at: Option<String>,
    return_reason: Option<String>,
    access_token: String,
}

/// Who may see an order: its owner, staff, or a guest holding its access token.
pub fn may_see(row_customer: Option<i64>, row_token: &str, v: &Visitor, token: Option<&str>) -> bool {
    match &v.customer {
        Some(c) if c.is_staff => true,
        Some(c) if row_customer == Some(c.id) => true,
        _ => token.is_some_and(|t| !t.is_empty() && t == row_token),
    }
}

/// Finds an order by number for this visitor; anyone else's order is "not found", so
/// guessing numbers reveals nothing.
pub async fn find_for(state: &AppState, number: &str, v: &Visitor, token: Option<&str>) -> Result<Order, ApiError> {
    let row: Option<(i64, Option<i64>, String)> = sqlx::query_as("SELECT id, customer_id, access_token FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&state.db)
        .await?;
    match row {
        Some((id, customer, access)) if may_see(customer, &access, v, token) => reload(state, id).await,
        _ => Err(ApiError::not_found("We could not find that order.")),
    }
}

pub async fn load(db: &crate::platform::db::Db, id: i64) -> Result<Option<Order>, ApiError> {
    let row: Option<OrderRow> = sqlx::query_as("SELECT * FROM orders WHERE id = $1").bind(id).fetch_optional(db).await?;
    let Some(r) = row else { return Ok(None) };
    let _ = r.customer_id;
    let currency = Currency::parse(&r.currency).map_err(ApiError::Internal)?;
    let status = OrderStatus::parse(&r.status).ok_or_else(|| ApiError::Internal(format!("unknown status {}", r.status)))?;
    let items: Vec<(i64, String, String, i64, i64)> =
        sqlx::query_as("SELECT product_id, slug, name, unit_price_minor, quantity FROM order_items WHERE order_id = $1 ORDER BY line, product_id")
            .bind(id)
            .fetch_all(db)
            .await?;
    let events: Vec<(String, String, Option<String>)> = sqlx::query_as("SELECT status, at, note FROM order_events WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(db)
        .await?;
    let shipment = match (r.carrier, r.tracking_number, r.shipped_at) {
        (Some(carrier), Some(tracking_number), Some(shipped_at)) => Some(Shipment {
            estimated_delivery: clock::add_days(&shipped_at, DELIVERY_DAYS),
            carrier,
            tracking_number,
            shipped_at,
        }),
        _ => None,
    };
    Ok(Some(Order {
        id: r.id,
        number: r.number,
        status,
        placed_at: r.placed_at,
        email: r.email,
        items: items
            .into_iter()
            .map(|(product_id, slug, name, price, q)| OrderItem {
                product_id,
                slug,
                name,
                unit_price: Money::new(price, currency),
                quantity: q as u32,
                line_total: Money::new(price * q, currency),
            })
            .collect(),
        total: Money::new(r.total_minor, currency),
        address: AddressInput {
            name: r.ship_name,
            line1: r.ship_line1,
            line2: r.ship_line2,
            city: r.ship_city,
            postcode: r.ship_postcode,
            country: r.ship_country,
            is_default: false,
        },
        payment_method: r.payment_method,
        events: events
            .into_iter()
            .filter_map(|(s, at, note)| OrderStatus::parse(&s).map(|status| OrderEvent { status, at, note }))
            .collect(),
        shipment,
        return_reason: r.return_reason,
        actions: status.customer_actions(),
        access_token: r.access_token,
    }))
}

type SummaryRow = (i64, String, String, String, i64, String, i64, String);

const SUMMARY_COLUMNS: &str = "SELECT o.id, o.number, o.status, o.placed_at, o.total_minor, o.currency, \
     (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_items WHERE order_id = o.id), o.email FROM orders o";

fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<OrderSummary>, ApiError> {
    rows.into_iter()
        .map(|(id, number, status, placed_at, total, currency, count, email)| {
            Ok(OrderSummary {
                id,
                number,
                status: OrderStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("unknown status {status}")))?,
                placed_at,
                total: Money::new(total, Currency::parse(&currency).map_err(ApiError::Internal)?),
                item_count: count as u32,
                email,
            })
        })
        .collect()
}

/// Order summaries, newest first: one customer's, or (customer `None`) all of them for
/// staff, optionally of one status.
pub async fn list(db: &crate::platform::db::Db, customer: Option<i64>, status: Option<OrderStatus>, limit: i64) -> Result<Vec<OrderSummary>, ApiError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_COLUMNS} WHERE ($1 IS NULL OR o.customer_id = $1) AND ($2 IS NULL OR o.status = $2) \
         ORDER BY o.placed_at DESC, o.id DESC LIMIT $3"
    ))
    .bind(customer)
    .bind(status.map(|s| s.as_str()))
    .bind(limit)
    .fetch_all(db)
    .await?;
    summaries(rows)
}

/// Guest orders (placed without an account) to one e-mail address, newest first: what
/// the support console can tie to a guest who wrote from that address.
pub async fn list_guest(db: &crate::platform::db::Db, email: &str, limit: i64) -> Result<Vec<OrderSummary>, ApiError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_COLUMNS} WHERE o.customer_id IS NULL AND o.email = $1 ORDER BY o.placed_at DESC, o.id DESC LIMIT $2"
    ))
    .bind(email)
    .bind(limit)
    .fetch_all(db)
    .await?;
    summaries(rows)
}

/// The customer's newest order still on its way (placed, packed, shipped or out for
/// delivery), for the "welcome back".
pub async fn newest_open(db: &crate::platform::db::Db, customer_id: i64) -> Result<Option<OrderSummary>, ApiError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_COLUMNS} WHERE o.customer_id = $1 AND o.status IN ('placed', 'packed', 'shipped', 'out_for_delivery') \
         ORDER BY o.placed_at DESC, o.id DESC LIMIT 1"
    ))
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    Ok(summaries(rows)?.into_iter().next())
}
