//! An invoice or credit note as a printable page, in the order's language.

use crate::platform::templates;
use aisle_domain::{invoice::Invoice, pricing::totals::PriceBasis, Lang, Money};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::sync::OnceLock;

const TEMPLATES: [(&str, &str); 1] = [("invoice.j2", include_str!("invoice.j2"))];
const MESSAGES: [(Lang, &str); 2] = [(Lang::En, include_str!("messages/en.json")), (Lang::De, include_str!("messages/de.json"))];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| templates::environment(AutoEscape::Html, &TEMPLATES, templates::words(&MESSAGES)))
}

#[derive(Serialize)]
struct PrintLine {
    description: String,
    sku: String,
    quantity: u32,
    unit: String,
    rate: String,
    amount: String,
}

#[derive(Serialize)]
struct PrintRate {
    rate: String,
    net: String,
    tax: String,
    gross: String,
}

/// The page for `doc`; `order_url` is where its "back" link goes.
pub fn page(doc: &Invoice, lang: Lang, order_url: &str) -> Result<String, minijinja::Error> {
    let money = |minor: i64| lang.money(Money::new(minor, doc.currency));
    let lines: Vec<PrintLine> = doc
        .lines
        .iter()
        .map(|l| PrintLine { description: l.description.clone(), sku: l.sku.clone(), quantity: l.quantity, unit: money(l.unit_minor), rate: lang.percent(l.rate), amount: money(l.amount_minor) })
        .collect();
    let rates: Vec<PrintRate> = doc
        .by_rate
        .iter()
        .map(|r| PrintRate { rate: lang.percent(r.rate), net: money(r.net_minor), tax: money(r.tax_minor), gross: money(r.gross_minor) })
        .collect();
    let kind = doc.kind.as_str();
    let env = environment();
    let words = |key: &str| env.render_str(&format!("{{{{ t({key:?}) }}}}"), minijinja::context! { lang => lang.code() });
    let context = minijinja::context! {
        lang => lang.code(),
        title => words(kind)?,
        doc => doc,
        refers_to => doc.refers_to.as_deref(),
        issued_on => lang.day(&doc.issued_on),
        lines => lines,
        discount => (doc.discount_minor != 0).then(|| money(-doc.discount_minor)),
        delivery_method => words(&format!("method_{}", doc.delivery_method.as_str()))?,
        delivery_rate => lang.percent(doc.delivery_rate),
        delivery => money(doc.delivery_minor),
        fee => (doc.fee_minor != 0).then(|| money(doc.fee_minor)),
        rates => rates,
        net => money(doc.by_rate.iter().map(|r| r.net_minor).sum()),
        tax => money(doc.tax_minor()),
        total => money(doc.total_minor),
        export => doc.by_rate.iter().all(|r| r.rate == 0),
        basis => match doc.basis { PriceBasis::Gross => "gross", PriceBasis::Net => "net" },
        order_url => order_url,
        buyer_company => doc.buyer_company.as_deref(),
        buyer_vat_id => doc.buyer_vat_id.as_deref(),
        payment => doc.payment.as_ref().map(|p| minijinja::context! { amount => money(p.amount_minor), due_on => lang.day(&p.due_on), account => &p.account }),
    };
    env.get_template("invoice.j2")?.render(context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aisle_domain::{
        delivery::MethodKind,
        invoice::{number, DocumentKind, InvoiceLine, RateSummary, Seller},
        Currency,
    };

    fn sample() -> Invoice {
        Invoice {
            fee_minor: 200,
            kind: DocumentKind::Invoice,
            number: number(DocumentKind::Invoice, 12),
            refers_to: None,
            order_number: "A000042".into(),
            issued_on: "2026-12-07".into(),
            seller: Seller { name: "Aisle <Demo>".into(), address: "Example Street 1, 10115 Berlin".into(), vat_id: "DE123456789".into(), email: "shop@example.com".into() },
            buyer_name: "Ada Lovelace".into(),
            buyer_address: vec!["Hauptstraße 5".into(), "10115 Berlin".into(), "Germany".into()],
            buyer_email: "ada@example.com".into(),
            buyer_company: None,
            buyer_vat_id: None,
            payment: None,
            currency: Currency::EUR,
            basis: PriceBasis::Gross,
            lines: vec![InvoiceLine { description: "Rain jacket (M / Blue)".into(), sku: "RJ-M-BL".into(), quantity: 2, unit_minor: 5950, amount_minor: 11_900, discount_minor: 1190, rate: 1900 }],
            delivery_method: MethodKind::Express,
            delivery_minor: 990,
            delivery_rate: 1900,
            discount_minor: 1190,
            by_rate: vec![RateSummary { rate: 1900, net_minor: 9832, tax_minor: 1868, gross_minor: 11_700 }],
            total_minor: 11_700,
        }
    }

    #[test]
    fn every_document_prints_in_every_language() {
        let inv = sample();
        let cn = inv.credit_note(number(DocumentKind::CreditNote, 3), "2026-12-20".into());
        for lang in [Lang::En, Lang::De] {
            for doc in [&inv, &cn] {
                let html = page(doc, lang, "/orders/A000042?token=t").unwrap_or_else(|e| panic!("{lang:?} {:?}: {e:#}", doc.kind));
                assert!(html.contains(&doc.number), "{html}");
                assert!(html.contains("Aisle &lt;Demo&gt;"), "escaped: {html}");
                assert!(html.contains("DE123456789"));
            }
        }
        let de = page(&inv, Lang::De, "/").expect("de");
        assert!(de.contains("Rechnung INV-000012") && de.contains("Expressversand") && de.contains("07.12.2026"), "{de}");
        let en = page(&cn, Lang::En, "/").expect("en");
        assert!(en.contains("Credit note CN-000003") && en.contains("Cancels invoice") && en.contains("INV-000012"), "{en}");
    }
}
