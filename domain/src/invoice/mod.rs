//! Invoices and credit notes: the document an order's money is accounted by.
//!
//! An invoice is issued once per order, when the order is sent (the goods leave the
//! shop: that is the supply the invoice records); a credit note cancels it, in full,
//! when the goods come back. Both are numbered from their own gap-free sequence
//! ([`number`]): the server takes the next number in the same transaction that
//! records the document, so a rolled-back step never burns a number.
//!
//! The document is a snapshot: the seller's details, the buyer, the lines with their
//! VAT rate and share of the discount, and VAT by rate as the order charged it. It is
//! stored whole, so a later change of prices, rates or the shop's address cannot
//! rewrite an invoice already issued.

use crate::{
    delivery::MethodKind,
    pricing::totals::{PriceBasis, Rate},
    Currency,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(raw: &str) -> Option<DocumentKind> {
        [DocumentKind::Invoice, DocumentKind::CreditNote].into_iter().find(|k| k.as_str() == raw)
    }

    /// Where its numbers start: `INV-000001`, `CN-000001`.
    pub fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "INV-",
            DocumentKind::CreditNote => "CN-",
        }
    }
}

/// The `seq`-th document of its kind: `INV-000042`. Sequences start at 1.
pub fn number(kind: DocumentKind, seq: i64) -> String {
    format!("{}{seq:06}", kind.prefix())
}

/// Who sells: what the law asks an invoice to name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Seller {
    pub name: String,
    /// The postal address, as one line.
    pub address: String,
    pub vat_id: String,
    pub email: String,
}

/// One order line as invoiced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    /// The product's name, with the variant's ("Rain jacket (M / Blue)").
    pub description: String,
    pub sku: String,
    pub quantity: u32,
    pub unit_minor: i64,
    /// Unit × quantity.
    pub amount_minor: i64,
    /// Its share of the order's discount.
    pub discount_minor: i64,
    pub rate: Rate,
}

/// The goods and delivery taxed at one rate: net, VAT and gross.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateSummary {
    pub rate: Rate,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub gross_minor: i64,
}

/// What an order charged, line by line, as recorded when it was placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charged {
    pub lines: Vec<InvoiceLine>,
    /// The tax in (gross) or on (net) each line, in the order of `lines`.
    pub line_tax_minor: Vec<i64>,
    pub delivery_method: MethodKind,
    pub delivery_minor: i64,
    pub delivery_rate: Rate,
    pub delivery_tax_minor: i64,
    /// Pay on delivery's fee, taxed at delivery's rate.
    pub fee_minor: i64,
    pub fee_tax_minor: i64,
    pub basis: PriceBasis,
    pub total_minor: i64,
}

/// An invoice or credit note, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub kind: DocumentKind,
    pub number: String,
    /// A credit note's invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
    pub order_number: String,
    /// The day of issue in the shop's time zone, `YYYY-MM-DD`; also the day of supply.
    pub issued_on: String,
    pub seller: Seller,
    pub buyer_name: String,
    /// The delivery address, line by line.
    pub buyer_address: Vec<String>,
    pub buyer_email: String,
    /// A business customer's company and VAT ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_vat_id: Option<String>,
    /// By when and where to pay, for an order paid by invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentDue>,
    pub currency: Currency,
    pub basis: PriceBasis,
    pub lines: Vec<InvoiceLine>,
    pub delivery_method: MethodKind,
    pub delivery_minor: i64,
    pub delivery_rate: Rate,
    /// Pay on delivery's fee (at delivery's rate).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fee_minor: i64,
    /// Off the goods, over all lines.
    pub discount_minor: i64,
    /// Lowest rate first; each rate something is charged at.
    pub by_rate: Vec<RateSummary>,
    pub total_minor: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// What an invoice paid by invoice asks: the amount by `due_on` (`YYYY-MM-DD`) to this
/// account, with the invoice's number as the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentDue {
    pub due_on: String,
    pub account: crate::payment::BankAccount,
    /// What is left to pay after store credit.
    pub amount_minor: i64,
}

/// Net, VAT and gross by rate, from what the order charged. Σ gross is the total;
/// Σ VAT is the order's VAT.
pub fn by_rate(c: &Charged) -> Vec<RateSummary> {
    let mut out: Vec<RateSummary> = Vec::new();
    let mut add = |rate: Rate, amount: i64, tax: i64| {
        let (net, gross) = match c.basis {
            PriceBasis::Gross => (amount - tax, amount),
            PriceBasis::Net => (amount, amount + tax),
        };
        match out.iter_mut().find(|s| s.rate == rate) {
            Some(s) => {
                s.net_minor += net;
                s.tax_minor += tax;
                s.gross_minor += gross;
            }
            None => out.push(RateSummary { rate, net_minor: net, tax_minor: tax, gross_minor: gross }),
        }
    };
    for (l, tax) in c.lines.iter().zip(&c.line_tax_minor) {
        add(l.rate, l.amount_minor - l.discount_minor, *tax);
    }
    if c.delivery_minor > 0 {
        add(c.delivery_rate, c.delivery_minor, c.delivery_tax_minor);
    }
    if c.fee_minor > 0 {
        add(c.delivery_rate, c.fee_minor, c.fee_tax_minor);
    }
    out.sort_by_key(|s| s.rate);
    out
}

impl Invoice {
    /// The credit note cancelling this invoice in full: every amount negated.
    pub fn credit_note(&self, number: String, issued_on: String) -> Invoice {
        Invoice {
            kind: DocumentKind::CreditNote,
            number,
            refers_to: Some(self.number.clone()),
            issued_on,
            lines: self
                .lines
                .iter()
                .map(|l| InvoiceLine { unit_minor: -l.unit_minor, amount_minor: -l.amount_minor, discount_minor: -l.discount_minor, ..l.clone() })
                .collect(),
            delivery_minor: -self.delivery_minor,
            fee_minor: -self.fee_minor,
            discount_minor: -self.discount_minor,
            by_rate: self
                .by_rate
                .iter()
                .map(|s| RateSummary { rate: s.rate, net_minor: -s.net_minor, tax_minor: -s.tax_minor, gross_minor: -s.gross_minor })
                .collect(),
            total_minor: -self.total_minor,
            // Nothing is asked of the buyer by a credit note.
            payment: None,
            ..self.clone()
        }
    }

    pub fn tax_minor(&self) -> i64 {
        self.by_rate.iter().map(|s| s.tax_minor).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        offers::Discount,
        pricing::totals::{Line, TaxClass},
        delivery::ShopRules,
    };
    use proptest::prelude::*;

    /// What the server records from a quote, as the invoice reads it back.
    fn charged_from(rules: &ShopRules, country: &str, lines: &[Line], discount: i64) -> Charged {
        let paid = Some(crate::payment::PaymentMethod::PayOnDelivery);
        let q = rules.quote_paid(country, Some(MethodKind::Standard), lines, Discount { discount_minor: discount, free_delivery: false }, paid).expect("quoted");
        let rates = rules.rates_for(country);
        Charged {
            lines: lines
                .iter()
                .zip(&q.totals.lines)
                .map(|(l, t)| InvoiceLine {
                    description: "x".into(),
                    sku: String::new(),
                    quantity: l.quantity,
                    unit_minor: l.unit_minor,
                    amount_minor: t.amount_minor,
                    discount_minor: t.discount_minor,
                    rate: t.rate,
                })
                .collect(),
            line_tax_minor: q.totals.lines.iter().map(|t| t.tax_minor).collect(),
            delivery_method: q.method,
            delivery_minor: q.totals.delivery_minor,
            delivery_rate: rates.of(TaxClass::Standard),
            delivery_tax_minor: q.totals.delivery_tax_minor,
            fee_minor: q.totals.fee_minor,
            fee_tax_minor: q.totals.fee_tax_minor,
            basis: q.basis,
            total_minor: q.totals.total_minor,
        }
    }

    #[test]
    fn numbers_are_zero_padded_with_their_kind() {
        assert_eq!(number(DocumentKind::Invoice, 42), "INV-000042");
        assert_eq!(number(DocumentKind::CreditNote, 1), "CN-000001");
        assert_eq!(DocumentKind::parse("credit_note"), Some(DocumentKind::CreditNote));
    }

    #[test]
    fn a_book_and_a_jacket_are_two_rates_with_delivery_at_the_standard_one() {
        let lines = [Line { unit_minor: 1190, quantity: 1, tax: TaxClass::Standard }, Line { unit_minor: 1070, quantity: 2, tax: TaxClass::Reduced }];
        let s = by_rate(&charged_from(&ShopRules::default(), "DE", &lines, 0));
        assert_eq!(s.iter().map(|r| r.rate).collect::<Vec<_>>(), vec![700, 1900]);
        // 2 × €10.70 at 7 %: €20.00 net, €1.40 VAT.
        assert_eq!((s[0].net_minor, s[0].tax_minor, s[0].gross_minor), (2000, 140, 2140));
        // €11.90 + €4.90 delivery at 19 %.
        assert_eq!(s[1].gross_minor, 1190 + 490);
        assert_eq!(s[1].tax_minor, 190 + 78);
    }

    proptest! {
        #[test]
        fn rates_add_up_to_the_order(
            units in proptest::collection::vec((1i64..50_000, 1u32..5, 0u8..3), 1..6),
            discount in 0i64..20_000,
            net in any::<bool>(),
            fee in prop_oneof![Just(0i64), 1i64..600],
            country in prop::sample::select(vec!["DE", "FR", "CH"]),
        ) {
            let mut rules = ShopRules::default();
            if net { rules.tax.basis = PriceBasis::Net; }
            rules.payment_fees = vec![crate::delivery::PaymentFee { method: crate::payment::PaymentMethod::PayOnDelivery, fee_minor: fee }];
            let lines: Vec<Line> = units.iter().map(|&(u, q, t)| Line { unit_minor: u, quantity: q, tax: [TaxClass::Standard, TaxClass::Reduced, TaxClass::Zero][t as usize] }).collect();
            let c = charged_from(&rules, country, &lines, discount);
            let s = by_rate(&c);
            prop_assert_eq!(s.iter().map(|r| r.gross_minor).sum::<i64>(), c.total_minor);
            prop_assert_eq!(s.iter().map(|r| r.tax_minor).sum::<i64>(), c.line_tax_minor.iter().sum::<i64>() + c.delivery_tax_minor + c.fee_tax_minor);
            for r in &s { prop_assert_eq!(r.net_minor + r.tax_minor, r.gross_minor); }
        }
    }

    #[test]
    fn a_credit_note_cancels_its_invoice_exactly() {
        let lines = [Line { unit_minor: 2500, quantity: 3, tax: TaxClass::Standard }];
        let c = charged_from(&ShopRules::default(), "DE", &lines, 500);
        let inv = Invoice {
            kind: DocumentKind::Invoice,
            number: number(DocumentKind::Invoice, 7),
            refers_to: None,
            order_number: "A000001".into(),
            issued_on: "2026-12-07".into(),
            seller: Seller { name: "Shop".into(), address: "Street 1".into(), vat_id: "DE123456789".into(), email: "shop@example.com".into() },
            buyer_name: "Ada".into(),
            buyer_address: vec!["Street 2".into()],
            buyer_email: "ada@example.com".into(),
            buyer_company: None,
            buyer_vat_id: None,
            payment: None,
            currency: Currency::EUR,
            basis: c.basis,
            by_rate: by_rate(&c),
            lines: c.lines.clone(),
            delivery_method: c.delivery_method,
            delivery_minor: c.delivery_minor,
            delivery_rate: c.delivery_rate,
            fee_minor: c.fee_minor,
            discount_minor: 500,
            total_minor: c.total_minor,
        };
        let cn = inv.credit_note(number(DocumentKind::CreditNote, 1), "2026-12-20".into());
        assert_eq!(cn.refers_to.as_deref(), Some("INV-000007"));
        assert_eq!(cn.total_minor + inv.total_minor, 0);
        assert_eq!(cn.tax_minor() + inv.tax_minor(), 0);
        assert_eq!(cn.lines[0].quantity, 3);
    }
}
