//! "Forgot password?": `/forgot-password` asks for the address and e-mails a link;
//! `/reset-password?token=` (the link) sets the new password and signs in. A link that
//! was used, is over an hour old or was replaced says so and offers a new one.

use super::{api, session::use_shop};
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{
        form::{Field, FormError},
        title::set_title,
    },
};
use aisle_domain::{
    customer::{PasswordReset, PasswordResetRequest},
    ErrorCode,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};

#[component]
pub fn ForgotPasswordView() -> impl IntoView {
    set_title(tr_now!(forgot_title));
    let query = use_query_map();
    let email = query.read_untracked().get("email").unwrap_or_default();
    view! {
        <section class="narrow">
            <h1>{tr!(forgot_title)}</h1>
            <p>{tr!(forgot_intro)}</p>
            <ForgotPasswordForm email/>
            <p><a href="/signin">{tr!(back_to_sign_in)}</a></p>
        </section>
    }
}

#[component]
fn ForgotPasswordForm(email: String) -> impl IntoView {
    let email = RwSignal::new(email);
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::request_password_reset(&PasswordResetRequest { email: address.clone() }).await {
                Ok(()) => {
                    error.set(None);
                    sent.set(Some(address.trim().to_string()));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    move || match sent.get() {
        Some(address) => view! {
            <div class="confirmation" role="status" data-testid="reset-sent">
                <p>{move || fill(tr!(forgot_sent)(), &[("email", &address)])}</p>
            </div>
        }
        .into_any(),
        None => view! {
            <form on:submit=submit novalidate data-testid="forgot-form">
                <Field form="forgot" label=tr!(email) name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                <FormError error fields=&["email"]/>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr!(forgot_send)}</button>
            </form>
        }
        .into_any(),
    }
}

#[component]
pub fn ResetPasswordView() -> impl IntoView {
    set_title(tr_now!(reset_title));
    let shop = use_shop();
    let navigate = use_navigate();
    let query = use_query_map();
    let token = StoredValue::new(query.read_untracked().get("token").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = PasswordReset { token: token.get_value(), password: password.get_untracked() };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::reset_password(&req).await {
                Ok(info) => {
                    shop.signed(Some(info));
                    navigate("/account?password_reset=1", NavigateOptions { replace: true, ..Default::default() });
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let gone = move || error.with(|e| e.as_ref().is_some_and(|e| e.code == Some(ErrorCode::LinkExpired)));
    move || {
        if token.with_value(String::is_empty) || gone() {
            return view! {
                <section class="narrow" data-testid="reset-link-problem">
                    <h1>{tr!(reset_link_gone_title)}</h1>
                    <p>{tr!(reset_link_gone_text)}</p>
                    <ForgotPasswordForm email=String::new()/>
                </section>
            }
            .into_any();
        }
        let submit = submit.clone();
        view! {
            <section class="narrow">
                <h1>{tr!(reset_title)}</h1>
                <form on:submit=submit novalidate data-testid="reset-form">
                    <Field form="reset" label=tr!(password_new_hint) name="password" kind="password" autocomplete="new-password" value=password error/>
                    <FormError error fields=&["password"]/>
                    <p class="hint">{tr!(reset_signs_out)}</p>
                    <button type="submit" class="primary" disabled=move || busy.get()>{tr!(reset_save)}</button>
                </form>
            </section>
        }
        .into_any()
    }
}
