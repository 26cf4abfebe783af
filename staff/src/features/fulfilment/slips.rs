//! `/staff/slips?orders=A000001,A000002`: a packing slip per order, one to a printed
//! page: the shop, the order number and date, the delivery address and each line with
//! a box to tick as it goes in the parcel. No prices: the slip travels in the parcel.

use super::api;
use crate::{
    platform::lang::{day, fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::order::Order;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;

/// The most slips one page prints: a long list is split by the packer, not the browser.
const MAX_SLIPS: usize = 100;

#[component]
pub fn SlipsView() -> impl IntoView {
    set_title(tr_now!(staff_packing_slips));
    let query = use_query_map();
    let slips = RwSignal::new(None::<Vec<Result<Order, String>>>);
    Effect::new(move |_| {
        let numbers: Vec<String> = query
            .with(|q| q.get("orders"))
            .unwrap_or_default()
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .take(MAX_SLIPS)
            .collect();
        spawn_local(async move {
            let mut out = Vec::new();
            for n in numbers {
                out.push(api::staff_order(&n).await.map_err(|e| format!("{n}: {}", e.message)));
            }
            slips.set(Some(out));
        });
    });
    let shop = crate::platform::shop::use_shop_name();
    view! {
        <div class="toolbar no-print">
            <h1>{tr!(staff_packing_slips)}</h1>
            <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>{tr!(staff_print)}</button>
            <a href="/staff">{tr!(staff_back_to_orders)}</a>
        </div>
        {move || match slips.get() {
            None => view! { <Loading/> }.into_any(),
            Some(list) if list.is_empty() => view! { <p>{tr!(staff_choose_first)}</p> }.into_any(),
            Some(list) => list.into_iter().map(|slip| match slip {
                Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                Ok(o) => {
                    let a = o.address.clone();
                    view! {
                        <article class="panel slip" data-testid="packing-slip" data-order=o.number.clone()>
                            <p class="small">{shop.get()}</p>
                            <h2>{fill(tr_now!(staff_slip_title), &[("n", &o.number)])}</h2>
                            <p>{fill(tr_now!(staff_slip_placed), &[("day", &day(&o.placed_at))])}</p>
                            <h3>{tr!(staff_ship_to)}</h3>
                            <address class="address">
                                {a.name}<br/>{a.line1}<br/>
                                {(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
                                {a.postcode}" "{a.city}<br/>{a.country}
                            </address>
                            <table class="staff-orders">
                                <thead><tr><th scope="col">{tr!(staff_packed_box)}</th><th scope="col">{tr!(staff_quantity)}</th><th scope="col">{tr!(staff_product)}</th></tr></thead>
                                <tbody>{o.items.into_iter().map(|i| view! {
                                    <tr><td aria-hidden="true">"☐"</td><td>{i.quantity}</td><td>
                                        {i.name}
                                        {i.variant.as_ref().map(|v| view! { " — "<strong data-testid="slip-variant">{v.title.clone()}</strong> })}
                                        <span class="small">{match i.variant.as_ref().filter(|v| !v.sku.is_empty()) {
                                            Some(v) => format!(" (SKU {})", v.sku),
                                            None => format!(" (#{})", i.product_id),
                                        }}</span>
                                    </td></tr>
                                }).collect_view()}</tbody>
                            </table>
                        </article>
                    }.into_any()
                }
            }).collect_view().into_any(),
        }}
    }
}
