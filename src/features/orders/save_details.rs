//! "Save your details": on a guest's order page (and from the link in its e-mail,
//! `#save-details`), one password turns the guest into a customer with this order.

use crate::{
    features::account::{api, session::use_shop},
    platform::{http::ApiError, store},
    tr,
    ui::form::{Field, FormError},
};
use aisle_domain::customer::AccountFromOrder;
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn SaveDetails(number: String, token: String) -> impl IntoView {
    let shop = use_shop();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let req = StoredValue::new((number, token));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (order_number, token) = req.get_value();
        let body = AccountFromOrder { order_number, token, password: password.get_untracked(), support_token: store::existing_support_token() };
        busy.set(true);
        spawn_local(async move {
            match api::account_from_order(&body).await {
                Ok(info) => {
                    shop.signed(Some(info));
                    error.set(None);
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // Opened from the e-mail's "Save your details": straight to the password.
    Effect::new(move |_| {
        if window().location().hash().ok().as_deref() == Some("#save-details") {
            if let Some(input) = document().get_element_by_id("save-password") {
                use leptos::wasm_bindgen::JsCast;
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        }
    });
    view! {
        <section class="panel save-details no-print" id="save-details" aria-labelledby="save-details-h" data-testid="save-details">
            <h2 id="save-details-h">{tr!(save_details_title)}</h2>
            {move || if done.get() {
                view! { <p class="notice" role="status" data-testid="save-details-done">{tr!(save_details_done)}" "<a href="/account/orders">{tr!(your_orders)}</a></p> }.into_any()
            } else {
                view! {
                    <p>{tr!(save_details_text)}</p>
                    <form on:submit=submit novalidate>
                        <Field form="save" label=tr!(password_new_hint) name="password" kind="password" autocomplete="new-password" value=password error/>
                        <FormError error fields=&["password"]/>
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr!(save_details_button)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
