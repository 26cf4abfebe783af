//! "Find my order": an order's e-mail address and number bring a fresh link to it by
//! e-mail. The page at `/find-order`, and the same form where an order link no longer
//! works. The answer never says whether the address or the order exists.

use super::api;
use crate::{
    platform::http::ApiError,
    tr,
    tr_now,
    ui::{
        form::{Field, FormError},
        title::set_title,
    },
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;

#[component]
pub fn FindOrderView() -> impl IntoView {
    set_title(tr_now!(find_order_title));
    let query = use_query_map();
    let number = query.read_untracked().get("number").unwrap_or_default();
    view! {
        <section class="narrow find-order">
            <h1>{tr!(find_order_title)}</h1>
            <p>{tr!(find_order_intro)}</p>
            <FindOrderForm number/>
        </section>
    }
}

/// Where an order link does not (or no longer) work: why, and the way to a fresh one.
#[component]
pub fn OrderLinkProblem(number: String, had_token: bool) -> impl IntoView {
    set_title(tr_now!(order_link_problem_title));
    view! {
        <section class="narrow find-order" data-testid="order-link-problem">
            <h1>{move || if had_token { tr!(order_link_problem_title)() } else { tr!(order_not_found)() }}</h1>
            <p>{move || if had_token { tr!(order_link_problem_text)() } else { tr!(order_not_found_text)() }}</p>
            <FindOrderForm number/>
        </section>
    }
}

#[component]
pub fn FindOrderForm(#[prop(into)] number: String) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let number = RwSignal::new(number);
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, n) = (email.get_untracked(), number.get_untracked());
        busy.set(true);
        spawn_local(async move {
            match api::find_order(&e, &n).await {
                Ok(()) => {
                    error.set(None);
                    sent.set(Some(e.trim().to_string()));
                }
                Err(err) => error.set(Some(err)),
            }
            busy.set(false);
        });
    };
    view! {
        {move || match sent.get() {
            Some(address) => view! {
                <div class="confirmation" role="status" data-testid="find-order-sent">
                    <p>{move || crate::platform::lang::fill(tr!(find_order_sent)(), &[("email", &address)])}</p>
                    <button type="button" on:click=move |_| sent.set(None)>{tr!(find_order_again)}</button>
                </div>
            }.into_any(),
            None => view! {
                <form class="find-order-form" novalidate on:submit=submit data-testid="find-order-form">
                    <Field form="find" label=tr!(email) name="email" value=email error kind="email" autocomplete="email"/>
                    <Field form="find" label=tr!(order_number_field) name="order_number" value=number error/>
                    <FormError error fields=&["email", "order_number"]/>
                    <button type="submit" disabled=move || busy.get()>{tr!(find_order_send)}</button>
                </form>
            }.into_any(),
        }}
    }
}
