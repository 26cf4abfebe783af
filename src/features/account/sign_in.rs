//! `/signin` and `/signup`. Both go back to `?next=` (a path in the shop) afterwards.

use super::api;
use crate::{
    features::account::session::use_shop,
    platform::http::ApiError,
    tr,
    tr_now,
    ui::{form::{Field, FormError}, title::set_title},
};
use aisle_domain::customer::{SessionInfo, SignIn, SignUp};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::{use_navigate, use_query_map}, NavigateOptions};

/// Where to go after signing in: only a path inside the shop, never another site.
fn next_path(raw: Option<String>) -> String {
    raw.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\')).unwrap_or_else(|| "/account".into())
}

/// Sends a sign-in or sign-up; on success the shop takes the new session and the
/// shopper goes on to `?next=`, otherwise the form shows why.
fn submit_with<F, Fut>(call: F, error: RwSignal<Option<ApiError>>, busy: RwSignal<bool>) -> impl Fn(leptos::ev::SubmitEvent) + Clone
where
    F: Fn() -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = Result<SessionInfo, ApiError>> + 'static,
{
    let shop = use_shop();
    let query = use_query_map();
    let navigate = use_navigate();
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = next_path(query.get_untracked().get("next"));
        let navigate = navigate.clone();
        let call = call.clone();
        busy.set(true);
        spawn_local(async move {
            match call().await {
                Ok(info) => {
                    shop.signed(Some(info));
                    navigate(&next, NavigateOptions::default());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    }
}

#[component]
pub fn SignInView() -> impl IntoView {
    set_title(tr_now!(sign_in));
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = submit_with(
        move || async move { api::sign_in(&SignIn { email: email.get_untracked(), password: password.get_untracked() }).await },
        error,
        busy,
    );
    let signup_href = move || format!("/signup?next={}", crate::platform::http::encode_query(&next_path(query.get().get("next"))));
    view! {
        <section class="narrow">
            <h1>{tr!(sign_in)}</h1>
            <form on:submit=submit novalidate>
                <FormError error fields=&["email", "password"]/>
                <Field label=tr!(email) name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                <Field label=tr!(password) name="password" kind="password" autocomplete="current-password" value=password error/>
                <p class="hint"><a href=move || format!("/forgot-password?email={}", crate::platform::http::encode_query(email.get().trim())) data-testid="forgot-link">{tr!(forgot_link)}</a></p>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr!(sign_in)}</button>
            </form>
            <p>{tr!(new_here)}" " <a href=signup_href>{tr!(create_account_title)}</a></p>
        </section>
    }
}

#[component]
pub fn SignUpView() -> impl IntoView {
    set_title(tr_now!(create_account_title));
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = submit_with(
        move || async move {
            api::sign_up(&SignUp { name: name.get_untracked(), email: email.get_untracked(), password: password.get_untracked() }).await
        },
        error,
        busy,
    );
    view! {
        <section class="narrow">
            <h1>{tr!(create_account_title)}</h1>
            <form on:submit=submit novalidate>
                <FormError error fields=&["name", "email", "password"]/>
                <Field label=tr!(your_name) name="name" autocomplete="name" value=name error/>
                <Field label=tr!(email) name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                <Field label=tr!(password_new_hint) name="password" kind="password" autocomplete="new-password" value=password error/>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr!(create_account)}</button>
            </form>
            <p>{tr!(already_have_account)}" " <a href="/signin">{tr!(sign_in)}</a></p>
        </section>
    }
}

/// Shown on pages that need an account, with a way to sign in and come back.
#[component]
pub fn SignInPrompt(next: String) -> impl IntoView {
    let href = format!("/signin?next={}", crate::platform::http::encode_query(&next));
    view! {
        <section class="narrow">
            <h1>{tr!(please_sign_in)}</h1>
            <p>{tr!(sign_in_prompt)}" " <a href=href>{tr!(sign_in)}</a>{tr!(or)}<a href="/signup">{tr!(create_an_account)}</a> "."</p>
        </section>
    }
}
