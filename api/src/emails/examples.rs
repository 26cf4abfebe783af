//! One example context per e-mail: what the tests render in every language, and what
//! `cargo xtask emails` writes out as files to look at.

use super::Kind;
use aisle_domain::{Currency, Lang, Money};
use serde_json::{json, Value};

pub fn example(kind: Kind, lang: Lang, url: &str) -> Value {
    let eur = |minor| lang.money(Money::new(minor, Currency::EUR));
    let day = |d| lang.day(d);
    let order = json!({
        "number": "A-10042",
        "placed_on": day("2026-12-04"),
        "url": format!("{url}/orders/A-10042?token=3f5c0e1d"),
        "lines": [
            {"name": "Enamel mug <blue & white>", "variant": "", "quantity": 2, "total": eur(1800), "url": format!("{url}/p/enamel-mug")},
            {"name": "Linen tea towel", "variant": "M / Ochre", "quantity": 1, "total": eur(1250), "url": format!("{url}/p/linen-tea-towel?variant=31")},
        ],
        "charges": [
            {"label": if lang == Lang::De { "Zwischensumme" } else { "Subtotal" }, "amount": eur(3050)},
            {"label": if lang == Lang::De { "Standardversand" } else { "Standard delivery" }, "amount": eur(490)},
        ],
        "total": eur(3540),
        "included": [{"label": if lang == Lang::De { "inkl. 19\u{a0}% MwSt." } else { "incl. 19\u{a0}% VAT" }, "amount": eur(565)}],
        "payment": if lang == Lang::De { "Zahlung bei Lieferung" } else { "Pay on delivery" },
        "transfer": null,
        "on_invoice": false,
        "address": ["Ada Lovelace", "12 Example Street", "10115 Berlin", "Germany"],
        "promised": lang.delivery_day("2026-12-08"),
        "collect": false,
        "terms": {"version": 3, "terms_url": format!("{url}/legal/terms?version=3"), "withdrawal_url": format!("{url}/legal/withdrawal")},
    });
    let shipment = json!({
        "carrier": "DHL",
        "tracking_number": "JD014600006281",
        "tracking_url": "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD014600006281",
        "shipped_on": day("2026-12-05"),
        "estimated": day("2026-12-08"),
    });
    let ticket = json!({
        "number": "T-000017",
        "name": "Ada",
        "subject": "Where is my mug?",
        "body": "Hello,\nmy mug has not arrived yet. Could you look?\nAda",
        "url": format!("{url}/support/tickets/17?token=9a8b7c"),
    });
    match kind {
        Kind::OrderPlaced => json!({"order": order, "account_url": format!("{url}/orders/A-10042?token=3f5c0e1d#save-details")}),
        Kind::OrderShipped | Kind::OrderOutForDelivery => json!({"order": order, "shipment": shipment, "invoice": ["INV-000042", format!("{url}/api/orders/A-10042/documents/INV-000042?token=3f5c0e1d")]}),
        Kind::OrderDelivered => json!({"order": order, "rate_url": format!("{url}/orders/A-10042?token=3f5c0e1d#rate")}),
        Kind::OrderCancelled | Kind::ReturnReceived | Kind::OrderLink => json!({"order": order}),
        Kind::TicketReceived => json!({"ticket": ticket, "hours": "Monday to Friday, 09:00–17:00 UTC"}),
        Kind::TicketReply => json!({"ticket": ticket, "agent": "Sam", "reply": "Hello Ada,\nit left us yesterday; here is the tracking number: JD014600006281.\nSam"}),
        Kind::CallbackBooked => json!({"callback": {"name": "Ada", "phone": "+49 30 1234567", "topic": "A question about order A-10042", "expected": "today before 17:00 UTC"}}),
        Kind::PasswordReset => json!({"reset_url": format!("{url}/reset-password?token=5d6e7f")}),
        Kind::TransferReminder => json!({
            "number": "A-10042", "amount": eur(3540), "holder": "Aisle Demo Shop", "iban": "DE89 3704 0044 0532 0130 00",
            "reference": "A-10042", "pay_by": lang.delivery_day("2026-12-18"), "url": format!("{url}/orders/A-10042?token=3f5c0e1d"),
        }),
        Kind::PriceDropCredit => json!({
            "product": "Linen tea towel (M / Ochre)", "order_number": "A-10042", "was": eur(1250), "now": eur(990),
            "credit": eur(260), "balance": eur(760), "url": format!("{url}/account#credit"),
        }),
        Kind::BackInStock => json!({
            "product": {"name": "Enamel mug", "price": eur(900), "url": format!("{url}/p/enamel-mug")},
            "unsubscribe_url": format!("{url}/alerts/unsubscribe?token=1a2b3c"),
        }),
    }
}
