//! What a total is made of, drawn the same way in the cart, at checkout and on the
//! order page: the goods, any discount, delivery, the VAT (in the prices, or added),
//! and the total.

use crate::{platform::lang::{fill, lang, money}, tr};
use aisle_domain::{
    delivery::{MethodKind, Quote},
    order::Charges,
    pricing::totals::{PriceBasis, TaxLine},
    Currency, Money,
};
use leptos::prelude::*;

/// The figures, from a quote (cart, checkout) or from an order.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    pub goods: Money,
    pub discount: Money,
    /// The code that gave the discount.
    pub code: Option<String>,
    pub method: MethodKind,
    pub delivery: Money,
    /// The way of paying's fee (zero: none).
    pub fee: Money,
    pub basis: PriceBasis,
    pub tax: Vec<TaxLine>,
    pub total: Money,
    /// Store credit that pays part of the total (zero: none).
    pub credit: Money,
}

impl Breakdown {
    pub fn of_quote(q: &Quote, currency: Currency, code: Option<String>) -> Breakdown {
        let t = &q.totals;
        Breakdown {
            goods: Money::new(t.goods_minor, currency),
            discount: Money::new(t.discount_minor, currency),
            code,
            method: q.method,
            delivery: Money::new(t.delivery_minor, currency),
            fee: Money::new(t.fee_minor, currency),
            basis: q.basis,
            tax: t.tax.clone(),
            total: Money::new(t.total_minor, currency),
            credit: Money::new(0, currency),
        }
    }

    /// With `credit` (what the shopper's balance covers of the total) paying first.
    pub fn paid_with(self, credit: Money) -> Breakdown {
        Breakdown { credit, ..self }
    }

    pub fn of_order(c: &Charges, total: Money) -> Breakdown {
        Breakdown {
            goods: c.goods,
            discount: c.discount,
            code: c.code.clone(),
            method: c.delivery_method,
            delivery: c.delivery,
            fee: c.fee.unwrap_or(Money::new(0, total.currency)),
            basis: c.basis,
            tax: c.tax.clone(),
            total,
            credit: Money::new(0, total.currency),
        }
    }
}

/// A method's name in the language on show (tracked).
pub fn method_name(kind: MethodKind) -> impl Fn() -> &'static str + Send + Sync + Copy {
    let (standard, express, pickup, collect) = (tr!(delivery_standard), tr!(delivery_express), tr!(delivery_pickup_point), tr!(delivery_collect));
    move || match kind {
        MethodKind::Standard => standard(),
        MethodKind::Express => express(),
        MethodKind::PickupPoint => pickup(),
        MethodKind::Collect => collect(),
    }
}

/// The breakdown as a list of labelled figures. `away` is how far the goods are from
/// free delivery, said under the delivery line while it is not free yet.
#[component]
pub fn Summary(figures: Breakdown, #[prop(default = None)] away: Option<Money>, #[prop(optional)] total_id: &'static str) -> impl IntoView {
    let (subtotal, discount, free, no_vat, total, away_text) = (tr!(subtotal), tr!(discount), tr!(free), tr!(no_vat_export), tr!(grand_total), tr!(away_from_free));
    let (credit_label, to_pay_label, fee_label) = (tr!(paid_with_credit), tr!(to_pay), tr!(pay_on_delivery_fee));
    let b = figures;
    let currency = b.total.currency;
    let delivery = b.delivery;
    let name = method_name(b.method);
    let gross = b.basis == PriceBasis::Gross;
    let tax_lines = b.tax.iter().filter(|t| t.tax_minor > 0).copied().collect::<Vec<_>>();
    let no_tax = tax_lines.is_empty();
    // The label is read inside the closure, which tracks the language through
    // `lang()`, so a switch redraws it.
    let tax_row = move |t: TaxLine, label: fn() -> &'static str| {
        let amount = Money::new(t.tax_minor, currency);
        view! { <div class="tax"><dt>{move || fill(label(), &[("rate", &lang().percent(t.rate))])}</dt><dd>{move || money(amount)}</dd></div> }
    };
    // Notes sit outside the list: a <dl> holds only its term and figure pairs.
    view! {
        <div class="breakdown" data-testid="breakdown">
        <dl>
            <div><dt>{subtotal}</dt><dd data-testid="subtotal">{move || money(b.goods)}</dd></div>
            {(b.discount.minor > 0).then(|| { let code = b.code.clone().map(|c| format!(" ({c})")).unwrap_or_default(); view! { <div><dt>{discount}{code}</dt><dd data-testid="discount">{move || format!("−{}", money(b.discount))}</dd></div> } })}
            <div><dt>{name}</dt><dd data-testid="delivery">{move || if delivery.minor == 0 { free().to_string() } else { money(delivery) }}</dd></div>
            {(b.fee.minor > 0).then(|| { let fee = b.fee; view! { <div><dt>{fee_label}</dt><dd data-testid="fee">{move || money(fee)}</dd></div> } })}
            {(!gross).then(|| tax_lines.iter().map(|t| tax_row(*t, plus_label)).collect_view())}
            <div class="grand"><dt>{total}</dt><dd data-testid=if total_id.is_empty() { "total" } else { total_id }><strong>{move || money(b.total)}</strong></dd></div>
            {gross.then(|| tax_lines.iter().map(|t| tax_row(*t, incl_label)).collect_view())}
            {(b.credit.minor > 0).then(|| { let (credit, due) = (b.credit, Money::new(b.total.minor - b.credit.minor, currency)); view! {
                <div class="credit"><dt>{credit_label}</dt><dd data-testid="credit">{move || format!("−{}", money(credit))}</dd></div>
                <div class="grand"><dt>{to_pay_label}</dt><dd data-testid="to-pay"><strong>{move || money(due)}</strong></dd></div>
            }})}
        </dl>
        {away.map(|a| view! { <p class="away-from-free" data-testid="away-from-free">{move || fill(away_text(), &[("amount", &money(a))])}</p> })}
        {no_tax.then(|| view! { <p class="hint" data-testid="no-vat">{no_vat}</p> })}
        </div>
    }
}

fn incl_label() -> &'static str {
    crate::tr_now!(incl_vat)
}

fn plus_label() -> &'static str {
    crate::tr_now!(plus_vat)
}
