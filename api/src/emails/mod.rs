//! The e-mails the shop sends, each built from one template (`templates/<kind>.j2`)
//! into a subject, a small HTML part and its plain-text twin, in the shopper's
//! language, with absolute links back into the shop.
//!
//! A template is rendered three times: once for the subject, once as HTML (every
//! value escaped) and once as text (nothing escaped). The components it uses
//! (`components.j2`: paragraphs, buttons, order lines) write themselves for the part
//! being rendered, so each e-mail's words and order live in one file. Words come from
//! `messages/<lang>.json` through `t("key", name=value)`; a missing key or variable is
//! an error, and a test renders every e-mail in every language.
//!
//! Rendering happens when the e-mail is queued, inside the transaction of the change
//! that causes it (see `platform::mail`): what the shopper reads is what was true then.

pub mod examples;

use crate::platform::{db::Conn, error::ApiError, mail, templates};
use aisle_domain::Lang;
use minijinja::{AutoEscape, Environment, Error};
use serde::Serialize;

/// Every e-mail the shop sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    OrderPlaced,
    OrderShipped,
    OrderOutForDelivery,
    OrderDelivered,
    OrderCancelled,
    ReturnReceived,
    OrderLink,
    TicketReceived,
    TicketReply,
    CallbackBooked,
    PasswordReset,
    BackInStock,
    PriceDropCredit,
    TransferReminder,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::OrderPlaced,
        Kind::OrderShipped,
        Kind::OrderOutForDelivery,
        Kind::OrderDelivered,
        Kind::OrderCancelled,
        Kind::ReturnReceived,
        Kind::OrderLink,
        Kind::TicketReceived,
        Kind::TicketReply,
        Kind::CallbackBooked,
        Kind::PasswordReset,
        Kind::BackInStock,
        Kind::PriceDropCredit,
        Kind::TransferReminder,
    ];

    /// The template's name without `.j2`, and what the outbox records as the e-mail's kind.
    pub fn code(self) -> &'static str {
        match self {
            Kind::OrderPlaced => "order_placed",
            Kind::OrderShipped => "order_shipped",
            Kind::OrderOutForDelivery => "order_out_for_delivery",
            Kind::OrderDelivered => "order_delivered",
            Kind::OrderCancelled => "order_cancelled",
            Kind::ReturnReceived => "return_received",
            Kind::OrderLink => "order_link",
            Kind::TicketReceived => "ticket_received",
            Kind::TicketReply => "ticket_reply",
            Kind::CallbackBooked => "callback_booked",
            Kind::PasswordReset => "password_reset",
            Kind::BackInStock => "back_in_stock",
            Kind::PriceDropCredit => "price_drop_credit",
            Kind::TransferReminder => "transfer_reminder",
        }
    }
}

/// The templates, compiled into the binary so a deployment is one file.
const TEMPLATES: [(&str, &str); 16] = [
    ("layout.j2", include_str!("templates/layout.j2")),
    ("components.j2", include_str!("templates/components.j2")),
    ("order_placed.j2", include_str!("templates/order_placed.j2")),
    ("order_shipped.j2", include_str!("templates/order_shipped.j2")),
    ("order_out_for_delivery.j2", include_str!("templates/order_out_for_delivery.j2")),
    ("order_delivered.j2", include_str!("templates/order_delivered.j2")),
    ("order_cancelled.j2", include_str!("templates/order_cancelled.j2")),
    ("return_received.j2", include_str!("templates/return_received.j2")),
    ("order_link.j2", include_str!("templates/order_link.j2")),
    ("ticket_received.j2", include_str!("templates/ticket_received.j2")),
    ("ticket_reply.j2", include_str!("templates/ticket_reply.j2")),
    ("callback_booked.j2", include_str!("templates/callback_booked.j2")),
    ("password_reset.j2", include_str!("templates/password_reset.j2")),
    ("back_in_stock.j2", include_str!("templates/back_in_stock.j2")),
    ("price_drop_credit.j2", include_str!("templates/price_drop_credit.j2")),
    ("transfer_reminder.j2", include_str!("templates/transfer_reminder.j2")),
];

const MESSAGES: [(Lang, &str); 2] = [(Lang::En, include_str!("messages/en.json")), (Lang::De, include_str!("messages/de.json"))];

/// Who the e-mails are from, as the footer and links say it.
#[derive(Debug, Clone, Serialize)]
pub struct Shop {
    pub name: String,
    /// The postal address, one line; the footer shows it (many countries require it).
    pub address: String,
    /// Where the shop is reached from outside, without a trailing slash:
    /// `AISLE_PUBLIC_URL`, else the address the server listens on.
    pub url: String,
    /// The shop's time zone (`AISLE_TIME_ZONE`): the back office shows dates in it, and
    /// insight counts days by it.
    pub time_zone: String,
    /// The shop's VAT identification number (`AISLE_SHOP_VAT_ID`), for its invoices.
    pub vat_id: String,
    /// The address shoppers write to: `AISLE_MAIL_FROM`'s.
    pub email: String,
}

impl Shop {
    /// The time zone itself; UTC for a name the zone database does not know, which
    /// start-up refuses (see [`crate::platform::config::Config::time_zone`]).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// Today in the shop's time zone, `YYYY-MM-DD`: the day codes start and end by,
    /// and the day an invoice is issued on.
    pub fn today(&self) -> String {
        jiff::Timestamp::now().to_zoned_datetime(self.zone()).date().to_string()
    }
}

impl Default for Shop {
    fn default() -> Shop {
        Shop { name: "Aisle".into(), address: crate::platform::config::DEFAULT_SHOP_ADDRESS.into(), url: "http://localhost:8080".into(), time_zone: crate::platform::config::DEFAULT_TIME_ZONE.into(), vat_id: String::new(), email: "shop@localhost".into() }
    }
}

/// A rendered e-mail.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The templates and the shop they speak for. Built once at start.
pub struct Emails {
    html: Environment<'static>,
    text: Environment<'static>,
    pub shop: Shop,
}

impl Default for Emails {
    fn default() -> Emails {
        Emails::new(Shop::default())
    }
}

impl Emails {
    pub fn new(shop: Shop) -> Emails {
        let words = templates::words(&MESSAGES);
        let html = templates::environment(AutoEscape::Html, &TEMPLATES, words.clone());
        let text = templates::environment(AutoEscape::None, &TEMPLATES, words);
        Emails { html, text, shop }
    }

    /// An absolute link to `path` (which starts with `/`) in the shop.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.shop.url)
    }

    /// Renders one e-mail. `context` is the template's own values; the shop, the
    /// language and the part being rendered are added here.
    pub fn render(&self, kind: Kind, lang: Lang, context: &impl Serialize) -> Result<Rendered, Error> {
        let name = format!("{}.j2", kind.code());
        let values = minijinja::Value::from_serialize(context);
        let with = |part: &str, subject: &str| {
            minijinja::context! { part => part, lang => lang.code(), shop => &self.shop, subject => subject, ..values.clone() }
        };
        let subject = self.text.get_template(&name)?.render(with("subject", ""))?;
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        let html = self.html.get_template(&name)?.render(with("html", &subject))?;
        let text = tidy_text(&self.text.get_template(&name)?.render(with("text", &subject))?);
        Ok(Rendered { subject, text, html })
    }

    /// Renders an e-mail and puts it in the outbox, in the caller's transaction.
    pub async fn queue(&self, conn: &mut Conn, to: &str, lang: Lang, kind: Kind, context: &impl Serialize) -> Result<(), ApiError> {
        let mail = self.render(kind, lang, context).map_err(|e| ApiError::Internal(format!("e-mail {} cannot be written: {e:#}", kind.code())))?;
        mail::enqueue(conn, mail::Outgoing { to, kind: kind.code(), subject: &mail.subject, text: &mail.text, html: Some(&mail.html), unsubscribe: None }).await?;
        Ok(())
    }

    /// As [`Emails::queue`], with a one-click unsubscribe link in the headers (RFC 8058).
    pub async fn queue_with_unsubscribe(&self, conn: &mut Conn, to: &str, lang: Lang, kind: Kind, context: &impl Serialize, unsubscribe: &str) -> Result<(), ApiError> {
        let mail = self.render(kind, lang, context).map_err(|e| ApiError::Internal(format!("e-mail {} cannot be written: {e:#}", kind.code())))?;
        mail::enqueue(conn, mail::Outgoing { to, kind: kind.code(), subject: &mail.subject, text: &mail.text, html: Some(&mail.html), unsubscribe: Some(unsubscribe) }).await?;
        Ok(())
    }
}

/// The text part as a mail reader shows it: no trailing spaces, at most one blank
/// line in a row (the templates' tags leave more), ending with one newline.
fn tidy_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank = 0;
    for line in raw.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests;
