//! `/signin` and `/signup`. Both go back to `?next=` (a path in the shop) afterwards.

use crate::{
    api::{self, ApiError},
    app::set_title,
    components::form::{Field, FormError},
    shop::use_shop,
};
use aisle_domain::shop::{SessionInfo, SignIn, SignUp};
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
    set_title("Sign in");
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
    let signup_href = move || format!("/signup?next={}", crate::components::header::encode_query(&next_path(query.get().get("next"))));
    view! {
        <section class="narrow">
            <h1>"Sign in"</h1>
            <form on:submit=submit novalidate>
                <FormError error fields=&["email", "password"]/>
                <Field label="E-mail" name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" value=password error/>
                <button type="submit" class="primary" disabled=move || busy.get()>"Sign in"</button>
            </form>
            <p>"New here? " <a href=signup_href>"Create an account"</a></p>
        </section>
    }
}

#[component]
pub fn SignUpView() -> impl IntoView {
    set_title("Create an account");
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
            <h1>"Create an account"</h1>
            <form on:submit=submit novalidate>
                <FormError error fields=&["name", "email", "password"]/>
                <Field label="Your name" name="name" autocomplete="name" value=name error/>
                <Field label="E-mail" name="email" kind="email" autocomplete="email" inputmode="email" value=email error/>
                <Field label="Password (at least 10 characters)" name="password" kind="password" autocomplete="new-password" value=password error/>
                <button type="submit" class="primary" disabled=move || busy.get()>"Create account"</button>
            </form>
            <p>"Already have an account? " <a href="/signin">"Sign in"</a></p>
        </section>
    }
}

/// Shown on pages that need an account, with a way to sign in and come back.
#[component]
pub fn SignInPrompt(next: String) -> impl IntoView {
    let href = format!("/signin?next={}", crate::components::header::encode_query(&next));
    view! {
        <section class="narrow">
            <h1>"Please sign in"</h1>
            <p>"This page shows your account. " <a href=href>"Sign in"</a> " or " <a href="/signup">"create an account"</a> "."</p>
        </section>
    }
}
