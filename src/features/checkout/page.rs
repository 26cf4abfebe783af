//! `/checkout`: address, payment, place order. A signed-in shopper's default address is
//! filled in and pay-on-delivery chosen, so one click places the order.

use crate::{
    features::account::session::use_shop,
    platform::{http::ApiError, lang::{fill, money}, outbox::{use_outbox, Outcome}, store},
    tr,
    tr_now,
    ui::{
        feedback::Loading,
        form::{focus_first_error, AddressFields, AddressForm, Field, FormError},
        title::set_title,
    },
};
use aisle_domain::{
    change::Change,
    checkout::{Checkout, ExpectedLine, PAY_ON_DELIVERY},
    customer::{Address, Email},
    order::Order,
    ErrorCode,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn CheckoutView() -> impl IntoView {
    set_title(tr_now!(checkout));
    crate::features::personal::activity::checkout_started();
    let shop = use_shop();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let form = AddressForm::new();
    let save_address = RwSignal::new(true);
    let saved = RwSignal::new(Vec::<Address>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let queued = RwSignal::new(false);
    let outbox = use_outbox();
    // One key per checkout attempt; kept across retries, renewed once an order exists.
    let key = StoredValue::new(crate::platform::outbox::new_key());

    // A signed-in shopper's default address fills the form.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !shop.loaded() {
            return done.unwrap_or(false);
        }
        if shop.customer().is_some() {
            spawn_local(async move {
                // Offline, the address book as last seen on this device.
                let list = match crate::features::account::api::addresses().await {
                    Ok(list) => {
                        let _ = store::set_meta("addresses", &list).await;
                        Some(list)
                    }
                    Err(_) => store::get_meta::<Vec<Address>>("addresses").await.ok().flatten(),
                };
                if let Some(list) = list {
                    if let Some(a) = list.iter().find(|a| a.fields.is_default).or(list.first()) {
                        form.set(&a.fields);
                        save_address.set(false);
                    }
                    saved.set(list);
                }
            });
        }
        true
    });

    let place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        let cart = shop.cart.get_untracked();
        let checkout = Checkout {
            email: email.get_untracked(),
            address: form.get(),
            payment_method: PAY_ON_DELIVERY.into(),
            expected: cart
                .lines
                .iter()
                .map(|l| ExpectedLine { product_id: l.product.id, variant_id: l.variant.as_ref().map(|v| v.id), quantity: l.quantity, unit_price_minor: l.product.price.minor })
                .collect(),
            save_address: save_address.get_untracked(),
        };
        // Checked here first, whole, with the same rules as the server: every problem
        // shows beside its field at once, the first gets the cursor, and a request made
        // offline is not refused later for a missing field.
        let mut problems = Vec::new();
        if shop.customer().is_none() {
            if let Err(e) = Email::parse(&checkout.email) {
                problems.push(e);
            }
        }
        if let Err(address) = checkout.address.validate_all() {
            problems.extend(address);
        }
        let country = checkout.address.country.clone();
        let problems = problems.iter().map(|e| (e.field.to_string(), crate::platform::lang::address_field_error(e, &country))).collect();
        if let Some(e) = ApiError::fields(problems) {
            focus_first_error("addr", &e);
            error.set(Some(e));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let label = tr_now!(order_request).to_string();
            match outbox.submit(label, Change::PlaceOrder { checkout: checkout.clone() }, Some(key.get_value())).await {
                Outcome::Sent(v) => match serde_json::from_value::<Order>(v) {
                    Ok(order) => {
                        crate::features::personal::activity::checkout_finished();
                        key.set_value(crate::platform::outbox::new_key());
                        let href = format!("{}&placed=1", aisle_domain::order::page_href(&order.number, &order.access_token));
                        navigate(&href, NavigateOptions::default());
                    }
                    Err(_) => error.set(Some(ApiError::plain(200, tr_now!(order_page_failed)))),
                },
                Outcome::Queued => {
                    // The same key stays with this request until the shop answers it.
                    key.set_value(crate::platform::outbox::new_key());
                    queued.set(true);
                }
                Outcome::Refused(e) => {
                    // The cart changed under the shopper: show them the cart as it is now.
                    if e.code == Some(ErrorCode::CartChanged) {
                        shop.reload_cart().await;
                        key.set_value(crate::platform::outbox::new_key());
                    }
                    focus_first_error("addr", &e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let use_address = tr!(use_address);
    view! {
        <h1>{tr!(checkout)}</h1>
        {move || {
            if queued.get() {
                return view! {
                    <p class="notice" role="status" data-testid="order-request">
                        {tr!(order_queued)}
                    </p>
                }.into_any();
            }
            if !shop.loaded() {
                return view! { <Loading/> }.into_any();
            }
            let cart = shop.cart.get();
            if cart.lines.is_empty() {
                return view! { <p>{tr!(cart_empty)}" " <a href="/">{tr!(browse_the_shop)}</a></p> }.into_any();
            }
            let signed_in = shop.customer();
            view! {
                <form class="checkout" on:submit=place.clone() novalidate>
                    <FormError error fields=&["email", "name", "line1", "line2", "city", "postcode", "country"]/>
                    <section aria-labelledby="order-h" class="panel">
                        <h2 id="order-h">{tr!(your_order)}</h2>
                        <ul class="summary-lines">
                            {cart.lines.iter().map(|l| view! {
                                <li><span>{format!("{} × {}", l.quantity, aisle_domain::cart::line_name(&l.product.name, l.variant.as_ref()))}</span><span>{let t = l.line_total; move || money(t)}</span></li>
                            }).collect_view()}
                        </ul>
                        <p class="total">{tr!(total)}" " <strong>{let total = cart.total; move || total.map(money).unwrap_or_default()}</strong></p>
                        <p><a href="/cart">{tr!(change_cart)}</a></p>
                    </section>
                    <section aria-labelledby="contact-h" class="panel">
                        <h2 id="contact-h">{tr!(contact)}</h2>
                        {match signed_in {
                            Some(c) => view! { <p>{tr!(signed_in_as)}" " {c.email}</p> }.into_any(),
                            None => view! {
                                <Field form="addr" label=tr!(email_for_confirmation) name="email" kind="email" inputmode="email" autocomplete="email" value=email error/>
                                <p class="hint">{tr!(have_account)}" " <a href="/signin?next=/checkout">{tr!(sign_in)}</a></p>
                            }.into_any(),
                        }}
                    </section>
                    <section aria-labelledby="address-h" class="panel">
                        <h2 id="address-h">{tr!(delivery_address)}</h2>
                        {move || {
                            let list = saved.get();
                            (list.len() > 1).then(|| view! {
                                <div class="saved-addresses">
                                    {list.into_iter().map(|a| {
                                        let label = a.fields.lines_in(crate::platform::lang::lang()).join(", ");
                                        let fields = a.fields.clone();
                                        view! { <button type="button" class="link-button" on:click=move |_| form.set(&fields)>{move || fill(use_address(), &[("address", &label)])}</button> }
                                    }).collect_view()}
                                </div>
                            })
                        }}
                        <AddressFields form error/>
                        {signed_in_checkbox(shop.customer().is_some(), save_address)}
                    </section>
                    <section aria-labelledby="payment-h" class="panel">
                        <h2 id="payment-h">{tr!(payment)}</h2>
                        <label class="check"><input type="radio" name="payment" value=PAY_ON_DELIVERY checked=true/>" " {tr!(pay_on_delivery)}</label>
                        <p class="hint">{tr!(pay_on_delivery_hint)}</p>
                    </section>
                    <div class="sticky-action">
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr!(place_order)}</button>
                    </div>
                </form>
            }.into_any()
        }}
    }
}

fn signed_in_checkbox(signed_in: bool, save: RwSignal<bool>) -> impl IntoView {
    signed_in.then(|| view! {
        <label class="check"><input type="checkbox" bind:checked=save/>" "{tr!(save_address)}</label>
    })
}
