//! Issuing documents. Each is written in the transaction of the step that causes it
//! (sending the order, taking it back), with the next number of its kind taken in that
//! same transaction: the write lock (`platform::db::begin_write`) serialises them, and
//! a step that rolls back gives its number back, so numbers have no gaps.

use crate::{
    platform::{clock, db::{Conn, Tx}, error::ApiError},
    AppState,
};
use aisle_domain::{
    customer::country::country,
    delivery::{promise::Day, MethodKind},
    invoice::{self, Charged, DocumentKind, Invoice, InvoiceLine, PaymentDue, Seller},
    payment::PaymentState,
    order::DocumentRef,
    pricing::totals::PriceBasis,
    Currency, Lang,
};

/// Who the shop is, as its invoices say it.
pub fn seller(state: &AppState) -> Seller {
    let shop = &state.emails.shop;
    Seller { name: shop.name.clone(), address: shop.address.clone(), vat_id: shop.vat_id.clone(), email: shop.email.clone() }
}

/// The next number of `kind`, taken for this transaction.
async fn next_number(tx: &mut Tx<'_>, kind: DocumentKind) -> Result<String, ApiError> {
    let seq: i64 = sqlx::query_scalar("UPDATE document_sequences SET last = last + 1 WHERE kind = $1 RETURNING last").bind(kind.as_str()).fetch_one(&mut **tx).await?;
    Ok(invoice::number(kind, seq))
}

fn today(state: &AppState) -> String {
    state.emails.shop.today()
}

async fn write(tx: &mut Tx<'_>, order_id: i64, doc: &Invoice) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO invoices (number, kind, order_id, issued_at, document) VALUES ($1, $2, $3, $4, $5)")
        .bind(&doc.number)
        .bind(doc.kind.as_str())
        .bind(order_id)
        .bind(clock::now())
        .bind(serde_json::to_string(doc).map_err(|e| ApiError::Internal(e.to_string()))?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A document as stored.
fn read(json: &str) -> Result<Invoice, ApiError> {
    serde_json::from_str(json).map_err(|e| ApiError::Internal(format!("a stored invoice: {e}")))
}

async fn document(conn: &mut Conn, order_id: i64, kind: DocumentKind) -> Result<Option<Invoice>, ApiError> {
    let json: Option<String> = sqlx::query_scalar("SELECT document FROM invoices WHERE order_id = $1 AND kind = $2").bind(order_id).bind(kind.as_str()).fetch_optional(&mut *conn).await?;
    json.as_deref().map(read).transpose()
}

/// The order, as its invoice needs it.
#[derive(sqlx::FromRow)]
struct Head {
    number: String,
    email: String,
    ship_name: String,
    ship_line1: String,
    ship_line2: String,
    ship_city: String,
    ship_postcode: String,
    ship_country: String,
    currency: String,
    total_minor: i64,
    price_basis: String,
    goods_minor: Option<i64>,
    discount_minor: i64,
    delivery_method: String,
    delivery_minor: i64,
    delivery_tax_rate: i64,
    delivery_tax_minor: i64,
    fee_minor: i64,
    fee_tax_minor: i64,
    lang: String,
    payment_state: String,
    pay_to: Option<String>,
    credit_minor: i64,
    buyer_company: Option<String>,
    buyer_vat_id: Option<String>,
}

/// Issues the order's invoice from what it charged, unless it has one.
pub async fn issue(tx: &mut Tx<'_>, state: &AppState, order_id: i64) -> Result<(), ApiError> {
    if document(tx, order_id, DocumentKind::Invoice).await?.is_some() {
        return Ok(());
    }
    let h: Head = sqlx::query_as("SELECT * FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut **tx).await?;
    let Head { number, email, ship_name: name, ship_line1: line1, ship_line2: line2, ship_city: city, ship_postcode: postcode, ship_country, currency, total_minor: total, price_basis: basis, goods_minor: goods, discount_minor: discount, delivery_method: method, delivery_minor: delivery, delivery_tax_rate: delivery_rate, delivery_tax_minor: delivery_tax, fee_minor, fee_tax_minor, lang, payment_state, pay_to, credit_minor, buyer_company, buyer_vat_id } = h;
    // An order placed before the shop charged VAT has nothing an invoice could state.
    if goods.is_none() {
        return Ok(());
    }
    let items: Vec<(String, String, String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT name, variant_title, sku, unit_price_minor, quantity, discount_minor, tax_rate, tax_minor FROM order_items WHERE order_id = $1 ORDER BY line",
    )
    .bind(order_id)
    .fetch_all(&mut **tx)
    .await?;
    let rate = |r: i64| u32::try_from(r).map_err(|_| ApiError::Internal(format!("order {order_id}: a VAT rate of {r}")));
    let mut lines = Vec::with_capacity(items.len());
    let mut line_tax = Vec::with_capacity(items.len());
    for (name, variant, sku, unit, quantity, discount, tax_rate, tax) in items {
        lines.push(InvoiceLine {
            description: if variant.is_empty() { name } else { format!("{name} ({variant})") },
            sku,
            quantity: u32::try_from(quantity).map_err(|_| ApiError::Internal(format!("order {order_id}: a quantity of {quantity}")))?,
            unit_minor: unit,
            amount_minor: unit * quantity,
            discount_minor: discount,
            rate: rate(tax_rate)?,
        });
        line_tax.push(tax);
    }
    let basis = if basis == "net" { PriceBasis::Net } else { PriceBasis::Gross };
    let delivery_method = MethodKind::parse(&method).ok_or_else(|| ApiError::Internal(format!("unknown delivery method {method}")))?;
    let charged = Charged { lines, line_tax_minor: line_tax, delivery_method, delivery_minor: delivery, delivery_rate: rate(delivery_rate)?, delivery_tax_minor: delivery_tax, fee_minor, fee_tax_minor, basis, total_minor: total };
    let lang = Lang::from_tag(&lang).unwrap_or_default();
    let country_name = country(&ship_country).map_or(ship_country.clone(), |c| c.name(lang).to_string());
    let issued_on = today(state);
    // Paid by invoice: it asks for what is left after store credit, by its due day.
    let payment = match (PaymentState::parse(&payment_state), pay_to) {
        (Some(PaymentState::OnInvoice), Some(json)) => Some(PaymentDue {
            due_on: Day::parse(&issued_on).map_or(issued_on.clone(), |d| Day(d.0 + i64::from(state.rules.invoice_due_days)).iso()),
            account: serde_json::from_str(&json).map_err(|e| ApiError::Internal(format!("an order's bank account: {e}")))?,
            amount_minor: total - credit_minor,
        }),
        _ => None,
    };
    let doc = Invoice {
        kind: DocumentKind::Invoice,
        number: next_number(tx, DocumentKind::Invoice).await?,
        refers_to: None,
        order_number: number,
        issued_on,
        seller: seller(state),
        buyer_name: name,
        buyer_address: [line1, line2, format!("{postcode} {city}"), country_name].into_iter().filter(|l| !l.trim().is_empty()).collect(),
        buyer_email: email,
        buyer_company,
        buyer_vat_id,
        payment,
        currency: Currency::parse(&currency).map_err(ApiError::Internal)?,
        basis,
        by_rate: invoice::by_rate(&charged),
        discount_minor: discount,
        delivery_method: charged.delivery_method,
        delivery_minor: charged.delivery_minor,
        delivery_rate: charged.delivery_rate,
        fee_minor: charged.fee_minor,
        total_minor: charged.total_minor,
        lines: charged.lines,
    };
    write(tx, order_id, &doc).await
}

/// Cancels the order's invoice with a credit note, if it has an invoice and no credit
/// note yet.
pub async fn credit(tx: &mut Tx<'_>, state: &AppState, order_id: i64) -> Result<(), ApiError> {
    let Some(invoice) = document(tx, order_id, DocumentKind::Invoice).await? else { return Ok(()) };
    if document(tx, order_id, DocumentKind::CreditNote).await?.is_some() {
        return Ok(());
    }
    let number = next_number(tx, DocumentKind::CreditNote).await?;
    write(tx, order_id, &invoice.credit_note(number, today(state))).await
}

/// The order's documents, invoice first.
pub async fn list(conn: &mut Conn, order_id: i64) -> Result<Vec<DocumentRef>, ApiError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT kind, number, document FROM invoices WHERE order_id = $1 ORDER BY id").bind(order_id).fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(kind, number, json)| {
            let doc = read(&json)?;
            Ok(DocumentRef { kind: DocumentKind::parse(&kind).ok_or_else(|| ApiError::Internal(format!("unknown document kind {kind}")))?, number, issued_on: doc.issued_on })
        })
        .collect()
}

/// One document of the order, by number.
pub async fn find(conn: &mut Conn, order_id: i64, number: &str) -> Result<Option<Invoice>, ApiError> {
    let json: Option<String> = sqlx::query_scalar("SELECT document FROM invoices WHERE order_id = $1 AND number = $2").bind(order_id).bind(number).fetch_optional(&mut *conn).await?;
    json.as_deref().map(read).transpose()
}
