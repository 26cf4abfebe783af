//! Orders in the database: reading them (one, a page of summaries, a guest's), who may
//! see one, and the two writes every change makes: the new status checked against the
//! state machine, and its event on the timeline.

use aisle_domain::{delivery::MethodKind, order::Charges, payment::{BankAccount, PaymentState, TransferDetails}, pricing::totals::{PriceBasis, TaxLine}};
use crate::{
    identity::session::{constant_time_eq, Visitor},
    platform::{
        clock,
        db::Tx,
        error::ApiError,
        links::{self, LinkKind},
    },
    AppState,
};
use aisle_domain::{
    customer::AddressInput,
    order::{
        format_day,
        Carrier,
        Order,
        OrderAction,
        OrderEvent,
        OrderItem,
        OrderStatus,
        OrderSummary,
        Shipment,
    },
    Currency,
    ErrorCode,
    Money,
};

/// Days from shipping to the estimated delivery date.
pub const DELIVERY_DAYS: i64 = 3;

pub async fn add_event(tx: &mut Tx<'_>, order_id: i64, status: OrderStatus, note: Option<&str>) -> Result<(), sqlx::Error> {
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
pub async fn transition(tx: &mut Tx<'_>, order_id: i64, action: OrderAction, note: Option<&str>) -> Result<OrderStatus, ApiError> {
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
            Err(ApiError::Conflict { code: ErrorCode::Refused, message: refusal.message(day.as_deref()) })
        }
    }
}

/// An order's lines: product, variant (none for a product sold as itself), quantity.
pub async fn items_of(tx: &mut Tx<'_>, order_id: i64) -> Result<Vec<(i64, Option<i64>, u32)>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT product_id, variant_id, quantity FROM order_items WHERE order_id = $1").bind(order_id).fetch_all(&mut **tx).await?;
    Ok(rows.into_iter().map(|(p, v, q)| (p, crate::catalogue::variants::from_column(v), q as u32)).collect())
}

pub async fn reload(state: &AppState, id: i64) -> Result<Order, ApiError> {
    load(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| ApiError::not_found("There is no such order."))
}

#[derive(sqlx::FromRow)]
pub struct OrderRow {
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
    goods_minor: Option<i64>,
    discount_minor: i64,
    delivery_method: String,
    delivery_minor: i64,
    fee_minor: i64,
    price_basis: String,
    tax_lines: String,
    payment_state: String,
    paid_at: Option<String>,
    pay_to: Option<String>,
    payment_reference: Option<String>,
    discount_code: Option<String>,
    terms_version: Option<i64>,
    credit_minor: i64,
    promised_on: Option<String>,
}

/// What the total is made of; `None` for an order placed before the shop charged
/// delivery (its total was its goods).
fn charges(r: &OrderRow, currency: Currency) -> Result<Option<Charges>, ApiError> {
    let Some(goods) = r.goods_minor else { return Ok(None) };
    let tax: Vec<TaxLine> = serde_json::from_str(&r.tax_lines).map_err(|e| ApiError::Internal(format!("an order's tax lines: {e}")))?;
    Ok(Some(Charges {
        goods: Money::new(goods, currency),
        discount: Money::new(r.discount_minor, currency),
        code: r.discount_code.clone(),
        delivery_method: MethodKind::parse(&r.delivery_method).ok_or_else(|| ApiError::Internal(format!("unknown delivery method {}", r.delivery_method)))?,
        delivery: Money::new(r.delivery_minor, currency),
        fee: (r.fee_minor > 0).then(|| Money::new(r.fee_minor, currency)),
        basis: if r.price_basis == "net" { PriceBasis::Net } else { PriceBasis::Gross },
        tax,
    }))
}

/// Who may see an order: its owner, staff, or a guest holding its access token.
/// Someone with no session (a link opened in a new browser) is `None`: only the token
/// opens anything for them.
pub fn may_see(row_customer: Option<i64>, row_token: &str, v: Option<&Visitor>, token: Option<&str>) -> bool {
    match v.and_then(|v| v.customer.as_ref()) {
        Some(c) if c.is_staff => true,
        Some(c) if row_customer == Some(c.id) => true,
        _ => token.is_some_and(|t| !t.is_empty() && constant_time_eq(t.as_bytes(), row_token.as_bytes())),
    }
}

/// Finds an order by number for this visitor, or for whoever holds its token: the
/// one the checkout gave this browser, or one from a link in an e-mail (see
/// `platform::links`). Anyone else's order is "not found", and so is one whose link
/// expired or was revoked, so guessing numbers reveals nothing.
pub async fn find_for(state: &AppState, number: &str, v: Option<&Visitor>, token: Option<&str>) -> Result<Order, ApiError> {
    let row: Option<(i64, Option<i64>, String)> = sqlx::query_as("SELECT id, customer_id, access_token FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&state.db)
        .await?;
    let Some((id, customer, access)) = row else { return Err(not_found()) };
    if may_see(customer, &access, v, token) {
        return reload(state, id).await;
    }
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        if links::open(&mut *state.db.acquire().await?, LinkKind::Order, token).await? == Some(id) {
            return reload(state, id).await;
        }
    }
    Err(not_found())
}

fn not_found() -> ApiError {
    ApiError::not_found("We could not find that order.")
}

/// The order as the API shows it. Takes a connection, so an order written in a
/// transaction can be read inside it (for its e-mail) before it is committed.
pub async fn load(conn: &mut crate::platform::db::Conn, id: i64) -> Result<Option<Order>, ApiError> {
    let row: Option<OrderRow> = sqlx::query_as("SELECT * FROM orders WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    let Some(r) = row else { return Ok(None) };
    let _ = r.customer_id;
    let currency = Currency::parse(&r.currency).map_err(ApiError::Internal)?;
    let charges = charges(&r, currency)?;
    let payment_state = PaymentState::parse(&r.payment_state).ok_or_else(|| ApiError::Internal(format!("unknown payment state {}", r.payment_state)))?;
    // Where to pay, while the transfer is awaited (the account as the shopper was told).
    let transfer = match (&r.pay_to, payment_state) {
        (Some(json), PaymentState::AwaitingPayment) => Some(TransferDetails {
            account: serde_json::from_str::<BankAccount>(json).map_err(|e| ApiError::Internal(format!("an order's bank account: {e}")))?,
            // Store credit paid part of it already.
            amount: Money::new(r.total_minor - r.credit_minor, currency),
            reference: r.number.clone(),
        }),
        _ => None,
    };
    let status = OrderStatus::parse(&r.status).ok_or_else(|| ApiError::Internal(format!("unknown status {}", r.status)))?;
    let items: Vec<(i64, i64, String, String, String, String, i64, i64)> =
        sqlx::query_as("SELECT product_id, variant_id, variant_title, sku, slug, name, unit_price_minor, quantity FROM order_items WHERE order_id = $1 ORDER BY line, product_id, variant_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let events: Vec<(String, String, Option<String>)> = sqlx::query_as("SELECT status, at, note FROM order_events WHERE order_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let shipment = match (r.carrier, r.tracking_number, r.shipped_at) {
        (Some(carrier), Some(tracking_number), Some(shipped_at)) => Some({
            let carrier = Carrier::parse(&carrier);
            Shipment {
            estimated_delivery: clock::add_days(&shipped_at, DELIVERY_DAYS),
            tracking_url: carrier.tracking_url(&tracking_number),
            carrier,
            tracking_number,
            shipped_at,
        }}),
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
            .map(|(product_id, variant_id, title, sku, slug, name, price, q)| OrderItem {
                product_id,
                variant: crate::catalogue::variants::from_column(variant_id).map(|id| aisle_domain::cart::ChosenVariant { id, title, sku }),
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
        charges,
        payment_state,
        transfer,
        paid_at: r.paid_at,
        payment_reference: r.payment_reference,
        terms_version: r.terms_version,
        promised_on: r.promised_on,
        credit: (r.credit_minor > 0).then(|| Money::new(r.credit_minor, currency)),
        documents: crate::invoices::store::list(conn, id).await?,
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

pub type SummaryRow = (i64, String, String, String, i64, String, i64, String);

pub const SUMMARY_COLUMNS: &str = "SELECT o.id, o.number, o.status, o.placed_at, o.total_minor, o.currency, \
     (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_items WHERE order_id = o.id), o.email FROM orders o";

pub fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<OrderSummary>, ApiError> {
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
