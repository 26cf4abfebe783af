//! `/staff`: fulfilment. Orders by status, each moved on one step at a time (shipping
//! asks for carrier and tracking number), and stock edits. Staff accounts only.

use super::api;
use crate::{
    features::account::{session::use_shop, sign_in::SignInPrompt},
    platform::{http::ApiError, lang::{carrier_name, day, fill, money, order_action, order_status}},
    tr,
    tr_now,
    ui::{feedback::Loading, title::set_title},
};
use aisle_domain::order::{ALL_STATUSES, Carrier, OrderAction, OrderSummary, ShipOrder};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn StaffView() -> impl IntoView {
    set_title(tr_now!(fulfilment));
    let shop = use_shop();
    move || {
        if !shop.loaded() {
            return view! { <Loading/> }.into_any();
        }
        match shop.customer() {
            None => view! { <SignInPrompt next="/staff".to_string()/> }.into_any(),
            Some(c) if !c.is_staff => view! { <section class="narrow"><h1>{tr!(staff_only)}</h1><p>{tr!(staff_only_text)}</p></section> }.into_any(),
            Some(_) => view! { <Fulfilment/> }.into_any(),
        }
    }
}

#[component]
fn Fulfilment() -> impl IntoView {
    let status = RwSignal::new(String::new());
    let orders = RwSignal::new(None::<Result<Vec<OrderSummary>, ApiError>>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || {
        let s = status.get_untracked();
        spawn_local(async move { orders.set(Some(api::staff_orders(&s).await)) })
    };
    Effect::new(move |_| {
        status.track();
        reload();
    });
    let step = move |number: String, action: OrderAction, ship: Option<ShipOrder>| {
        spawn_local(async move {
            match api::staff_step(&number, action, ship.as_ref()).await {
                Ok(_) => {
                    error.set(None);
                    reload();
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    view! {
        <h1>{tr!(fulfilment)}</h1>
        <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
        <div class="field">
            <label for="status-filter">{tr!(show)}</label>
            <select id="status-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                <option value="">{tr!(all_orders)}</option>
                {ALL_STATUSES.iter().map(|&s| view! { <option value=s.as_str()>{move || order_status(s)}</option> }).collect_view()}
            </select>
        </div>
        {move || match orders.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>{tr!(no_orders_here)}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="staff-orders">
                    <thead><tr><th scope="col">{tr!(order)}</th><th scope="col">{tr!(placed)}</th><th scope="col">{tr!(customer)}</th><th scope="col">{tr!(total_short)}</th><th scope="col">{tr!(status)}</th><th scope="col">{tr!(next_step)}</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|o| {
                            let next = o.status.next_fulfilment_action();
                            let number = o.number.clone();
                            let (placed_at, total, status) = (o.placed_at.clone(), o.total, o.status);
                            view! {
                                <tr data-order=o.number.clone()>
                                    <td><a href=format!("/orders/{}", o.number)>{o.number.clone()}</a></td>
                                    <td>{move || day(&placed_at)}</td>
                                    <td>{o.email.clone()}</td>
                                    <td>{move || money(total)}</td>
                                    <td>{move || order_status(status)}</td>
                                    <td>{next.map(|a| view! { <StepButton number=number.clone() action=a step/> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
        <StockEditor/>
    }
}

#[component]
fn StepButton(number: String, action: OrderAction, step: impl Fn(String, OrderAction, Option<ShipOrder>) + Copy + 'static) -> impl IntoView {
    let number = StoredValue::new(number);
    if action != OrderAction::Ship {
        return view! { <button type="button" on:click=move |_| step(number.get_value(), action, None)>{move || order_action(action)}</button> }.into_any();
    }
    let carrier = RwSignal::new(Carrier::Dhl.code().to_string());
    let tracking = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let carrier = Carrier::parse(&carrier.get_untracked());
        step(number.get_value(), action, Some(ShipOrder { carrier, tracking_number: tracking.get_untracked() }));
    };
    view! {
        <form novalidate class="ship-form" on:submit=submit>
            <label>{tr!(carrier)}" "
                <select name="carrier" bind:value=carrier>
                    {Carrier::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || carrier_name(c)}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr!(tracking_number)}" " <input name="tracking_number" bind:value=tracking required/></label>
            <button type="submit">{tr!(action_ship)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn StockEditor() -> impl IntoView {
    let product = RwSignal::new(String::new());
    let stock = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(id), Ok(n)) = (product.get_untracked().trim().parse::<i64>(), stock.get_untracked().trim().parse::<i64>()) else {
            message.set(tr_now!(stock_numbers).into());
            return;
        };
        spawn_local(async move {
            message.set(match api::staff_set_stock(id, n).await {
                Ok(()) => fill(tr_now!(stock_set), &[("id", &id), ("n", &n)]),
                Err(e) => e.message,
            });
        });
    };
    view! {
        <section class="panel" aria-labelledby="stock-h">
            <h2 id="stock-h">{tr!(edit_stock)}</h2>
            <form novalidate on:submit=submit class="stock-form">
                <div class="field"><label for="stock-product">{tr!(product_number_field)}</label><input id="stock-product" inputmode="numeric" bind:value=product/></div>
                <div class="field"><label for="stock-units">{tr!(units_in_stock)}</label><input id="stock-units" type="number" inputmode="numeric" min="0" bind:value=stock/></div>
                <button type="submit">{tr!(set_stock)}</button>
                <p role="status">{move || message.get()}</p>
            </form>
        </section>
    }
}
