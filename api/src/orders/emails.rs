//! The e-mails about one order: placed, shipped, out for delivery, delivered,
//! cancelled, return received, and a fresh link on request. Each carries the order's
//! lines and a link of its own that opens the order in any browser (see
//! `platform::links`), in the language the shopper ordered in.

use crate::{
    emails::{Emails, Kind},
    platform::{
        db::Conn,
        error::ApiError,
        links::{self, LinkKind},
    },
};
use aisle_domain::legal::LegalKind;
use aisle_domain::{checkout::PAY_ON_DELIVERY, order::Order, Lang};
use aisle_domain::{delivery::MethodKind, pricing::totals::PriceBasis, Money};
use serde::Serialize;

#[derive(Serialize)]
struct Line {
    name: String,
    /// The variant bought ("M / Blue"); empty for a product sold as itself.
    variant: String,
    quantity: u32,
    total: String,
    url: String,
}

#[derive(Serialize)]
struct OrderView {
    number: String,
    placed_on: String,
    url: String,
    lines: Vec<Line>,
    /// Rows between the goods and the total: delivery, a discount, VAT added on top.
    charges: Vec<Row>,
    total: String,
    /// Rows under the total: the VAT in it, by rate.
    included: Vec<Row>,
    payment: String,
    /// Where to pay, for an order awaiting its bank transfer.
    transfer: Option<TransferView>,
    /// Paid by invoice: the invoice comes when it ships.
    on_invoice: bool,
    address: Vec<String>,
    /// The terms accepted with the order, and the withdrawal notice (absolute links).
    terms: Option<TermsView>,
    /// The day delivery (or collection) was promised, and whether it is collected.
    promised: Option<String>,
    collect: bool,
}

#[derive(Serialize)]
struct TermsView {
    version: i64,
    terms_url: String,
    withdrawal_url: String,
}

#[derive(Serialize)]
struct TransferView {
    holder: String,
    iban: String,
    bic: String,
    amount: String,
    reference: String,
}

#[derive(Serialize)]
struct Row {
    label: String,
    amount: String,
}

#[derive(Serialize)]
struct ShipmentView {
    carrier: String,
    tracking_number: String,
    tracking_url: Option<String>,
    shipped_on: String,
    estimated: String,
}

#[derive(Serialize)]
struct Context {
    order: OrderView,
    shipment: Option<ShipmentView>,
    /// For a guest with no account yet: where to choose a password.
    account_url: Option<String>,
    rate_url: String,
    /// The order's invoice, once issued: its number and printable page.
    invoice: Option<(String, String)>,
}

/// Queues `kind` about order `order_id` to the order's address, in the caller's
/// transaction, with a new link to the order.
pub async fn send(emails: &Emails, conn: &mut Conn, order_id: i64, kind: Kind) -> Result<(), ApiError> {
    let order = super::store::load(conn, order_id).await?.ok_or_else(|| ApiError::Internal(format!("order {order_id} vanished before its e-mail")))?;
    let (lang, customer_id): (String, Option<i64>) =
        sqlx::query_as("SELECT lang, customer_id FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *conn).await?;
    let lang = Lang::from_tag(&lang).unwrap_or_default();
    // A guest is offered an account only if the address has none: the e-mail goes to
    // that address, so this tells no one else anything.
    let has_account = match customer_id {
        Some(_) => true,
        None => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customers WHERE email = $1").bind(&order.email).fetch_one(&mut *conn).await? > 0,
    };
    let token = links::issue(conn, LinkKind::Order, order_id).await?;
    let url = emails.link(&aisle_domain::order::page_href(&order.number, &token));
    let context = Context {
        shipment: order.shipment.as_ref().map(|s| ShipmentView {
            carrier: s.carrier.name().to_string(),
            tracking_number: s.tracking_number.clone(),
            tracking_url: s.tracking_url.clone(),
            shipped_on: lang.day(&s.shipped_at),
            estimated: lang.day(&s.estimated_delivery),
        }),
        account_url: (kind == Kind::OrderPlaced && !has_account).then(|| format!("{url}#save-details")),
        rate_url: format!("{url}#rate"),
        invoice: order.documents.iter().rfind(|d| d.kind == aisle_domain::invoice::DocumentKind::Invoice).map(|d| {
            (d.number.clone(), emails.link(&format!("/api/orders/{}/documents/{}?token={token}", order.number, d.number)))
        }),
        order: view(emails, &order, lang, url),
    };
    emails.queue(conn, &order.email, lang, kind, &context).await
}

fn view(emails: &Emails, order: &Order, lang: Lang, url: String) -> OrderView {
    OrderView {
        number: order.number.clone(),
        placed_on: lang.day(&order.placed_at),
        lines: order
            .items
            .iter()
            .map(|i| Line {
                name: i.name.clone(),
                variant: i.variant.as_ref().map(|v| v.title.clone()).unwrap_or_default(),
                quantity: i.quantity,
                total: lang.money(i.line_total),
                // A variant's link opens the product on that variant.
                url: emails.link(&match &i.variant {
                    Some(v) => format!("/p/{}?variant={}", i.slug, v.id),
                    None => format!("/p/{}", i.slug),
                }),
            })
            .collect(),
        charges: charges(order, lang),
        total: lang.money(order.total),
        included: included(order, lang),
        payment: payment_label(&order.payment_method, lang).to_string(),
        transfer: order.transfer.as_ref().map(|t| TransferView {
            holder: t.account.holder.clone(),
            iban: t.account.iban.clone(),
            bic: t.account.bic.clone(),
            amount: lang.money(t.amount),
            reference: t.reference.clone(),
        }),
        on_invoice: order.payment_state == aisle_domain::payment::PaymentState::OnInvoice,
        address: order.address.lines_in(lang),
        promised: order.promised_on.as_deref().map(|d| lang.delivery_day(d)),
        collect: order.charges.as_ref().is_some_and(|c| c.delivery_method == MethodKind::Collect),
        terms: order.terms_version.map(|version| TermsView {
            version,
            terms_url: emails.link(&LegalKind::Terms.href(Some(version))),
            withdrawal_url: emails.link(&LegalKind::Withdrawal.href(None)),
        }),
        url,
    }
}

fn charges(order: &Order, lang: Lang) -> Vec<Row> {
    let Some(c) = &order.charges else { return Vec::new() };
    let de = lang == Lang::De;
    let mut rows = vec![Row { label: if de { "Zwischensumme" } else { "Subtotal" }.into(), amount: lang.money(c.goods) }];
    if c.discount.minor > 0 {
        rows.push(Row { label: if de { "Rabatt" } else { "Discount" }.into(), amount: format!("−{}", lang.money(c.discount)) });
    }
    let free = if de { "Kostenlos" } else { "Free" };
    rows.push(Row { label: method_label(c.delivery_method, lang).into(), amount: if c.delivery.minor == 0 { free.into() } else { lang.money(c.delivery) } });
    if let Some(fee) = c.fee {
        rows.push(Row { label: if de { "Nachnahmegebühr" } else { "Pay on delivery fee" }.into(), amount: lang.money(fee) });
    }
    if c.basis == PriceBasis::Net {
        rows.extend(c.tax.iter().filter(|t| t.tax_minor > 0).map(|t| Row {
            label: format!("{} {} {}", if de { "zzgl." } else { "plus" }, lang.percent(t.rate), if de { "MwSt." } else { "VAT" }),
            amount: lang.money(Money::new(t.tax_minor, c.goods.currency)),
        }));
    }
    rows
}

/// Rows under the total: the VAT in it (prices incl. VAT), then the store credit that
/// paid part of it and what is left to pay.
fn included(order: &Order, lang: Lang) -> Vec<Row> {
    let de = lang == Lang::De;
    let mut rows: Vec<Row> = match order.charges.as_ref().filter(|c| c.basis == PriceBasis::Gross) {
        Some(c) => c
            .tax
            .iter()
            .filter(|t| t.tax_minor > 0)
            .map(|t| Row {
                label: format!("{} {} {}", if de { "inkl." } else { "incl." }, lang.percent(t.rate), if de { "MwSt." } else { "VAT" }),
                amount: lang.money(Money::new(t.tax_minor, c.goods.currency)),
            })
            .collect(),
        None => Vec::new(),
    };
    if let Some(credit) = order.credit {
        rows.push(Row { label: if de { "Bezahlt mit Guthaben" } else { "Paid with store credit" }.into(), amount: format!("−{}", lang.money(credit)) });
        rows.push(Row { label: if de { "Zu zahlen" } else { "To pay" }.into(), amount: lang.money(Money::new(order.total.minor - credit.minor, credit.currency)) });
    }
    rows
}

pub fn method_label(method: MethodKind, lang: Lang) -> &'static str {
    match (method, lang) {
        (MethodKind::Standard, Lang::De) => "Standardversand",
        (MethodKind::Express, Lang::De) => "Expressversand",
        (MethodKind::PickupPoint, Lang::De) => "Abholstation",
        (MethodKind::Collect, Lang::De) => "Abholung im Geschäft",
        (m, _) => m.label(),
    }
}

fn payment_label(method: &str, lang: Lang) -> &str {
    match (method, lang) {
        (PAY_ON_DELIVERY, Lang::De) => "Zahlung bei Lieferung",
        ("bank_transfer", Lang::De) => "Überweisung (Vorkasse)",
        ("invoice", Lang::De) => "Rechnung",
        (other, _) => aisle_domain::checkout::payment_method_label(other),
    }
}
