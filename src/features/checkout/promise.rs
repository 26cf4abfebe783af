//! The delivery promise as shoppers read it: "Order within 3 h 12 min for delivery by
//! Tue 8 Dec". Worked out from the shop's schedule in the rules (kept on the device),
//! the clock and the method's days on the way (`aisle_domain::delivery::promise`); said
//! nothing about when the schedule has run out or the rules are not known yet.

use super::rules::use_rules;
use crate::{platform::lang::{fill, lang}, tr};
use aisle_domain::delivery::{promise::{countdown, promise}, MethodKind};
use leptos::prelude::*;

/// The promise for `method` to `country` (the shop's home country when `None`): the
/// method's days on the way come from the zone delivering there.
#[component]
pub fn DeliveryPromise(#[prop(into)] method: Signal<Option<MethodKind>>, #[prop(into, optional)] country: Option<Signal<String>>) -> impl IntoView {
    let rules = use_rules();
    let (within, by, collect_within, collect_by) = (tr!(promise_within), tr!(promise_by), tr!(promise_collect_within), tr!(promise_collect_by));
    let text = move || {
        let r = rules.get()?;
        let country = country.map(|c| c.get()).or_else(|| crate::features::market::country().filter(|c| r.delivers_to(c))).unwrap_or_else(|| r.tax.home.clone());
        let zone = r.zone(&country)?;
        let m = match method.get() {
            Some(kind) => zone.methods.iter().find(|m| m.kind == kind)?,
            None => zone.methods.first()?,
        };
        let p = promise(&r.schedule, rules.now.get(), m.transit_days)?;
        let day = lang().delivery_day(&p.arrives_on);
        let collect = m.kind == MethodKind::Collect;
        Some(match countdown(p.order_within) {
            Some((h, min)) => {
                let time = if h > 0 { format!("{h} h {min} min") } else { format!("{min} min") };
                fill(if collect { collect_within() } else { within() }, &[("time", &time), ("day", &day)])
            }
            None => fill(if collect { collect_by() } else { by() }, &[("day", &day)]),
        })
    };
    move || text().map(|t| view! { <p class="promise" data-testid="promise">{t}</p> })
}
