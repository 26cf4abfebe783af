//! "E-mail me when it's back" on a sold-out product page, and `/alerts/unsubscribe`,
//! where the link in a back-in-stock e-mail stops the other alerts.

use super::api;
use crate::{
    features::account::session::use_shop,
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{
        form::{Field, FormError},
        title::set_title,
    },
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;

/// Shown while the product (or the size or colour chosen, `variant_id`) is sold out. A
/// guest gives an address; a signed-in shopper needs one click (their account's address).
#[component]
pub fn BackInStockAlert(product_id: i64, #[prop(optional)] variant_id: Option<i64>) -> impl IntoView {
    let shop = use_shop();
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let signed_in = move || shop.customer().is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = email.get_untracked();
        let to = if signed_in() && typed.trim().is_empty() { shop.customer().map(|c| c.email).unwrap_or_default() } else { typed.trim().to_string() };
        busy.set(true);
        spawn_local(async move {
            let typed = Some(typed).filter(|e| !e.trim().is_empty());
            match api::alert_me(product_id, variant_id, typed).await {
                Ok(()) => {
                    error.set(None);
                    done.set(Some(to));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="stock-alert" aria-labelledby="alert-h" data-testid="stock-alert">
            <h2 id="alert-h">{tr!(alert_title)}</h2>
            {move || match done.get() {
                Some(to) => view! { <p class="notice" role="status" data-testid="stock-alert-done">{move || fill(tr!(alert_done)(), &[("email", &to)])}</p> }.into_any(),
                None => view! {
                    <form on:submit=submit novalidate>
                        {move || (!signed_in()).then(|| view! {
                            <Field form="alert" label=tr!(email) name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                        })}
                        <FormError error fields=&["email"]/>
                        <button type="submit" disabled=move || busy.get()>{tr!(alert_button)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// `/alerts/unsubscribe?token=`: one button, so a link scanner opening the page stops
/// nothing. (Mail readers' own "unsubscribe" posts to the API directly.)
#[component]
pub fn UnsubscribeView() -> impl IntoView {
    set_title(tr_now!(unsubscribe_title));
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let token = StoredValue::new(token);
    let result = RwSignal::new(None::<Result<u64, ApiError>>);
    let busy = RwSignal::new(false);
    let stop = move |_| {
        busy.set(true);
        spawn_local(async move {
            result.set(Some(api::unsubscribe_alerts(&token.get_value()).await));
            busy.set(false);
        });
    };
    view! {
        <section class="narrow" data-testid="unsubscribe">
            <h1>{tr!(unsubscribe_title)}</h1>
            {move || match result.get() {
                None => view! {
                    <p>{tr!(unsubscribe_text)}</p>
                    <button type="button" class="primary" on:click=stop disabled=move || busy.get()>{tr!(unsubscribe_button)}</button>
                }.into_any(),
                Some(Ok(_)) => view! { <p class="notice" role="status" data-testid="unsubscribe-done">{tr!(unsubscribe_done)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            }}
        </section>
    }
}
