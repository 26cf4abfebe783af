//! Who is signed in to the back office. Staff sign in here, at `/staff`, with the
//! same accounts and session cookie as the storefront: signing in on either side
//! signs in on both.

use crate::{platform::http::{self, ApiError}, tr, tr_now, ui::set_title};
use aisle_domain::{change::Method, customer::{Customer, SessionInfo, SignIn}};
use leptos::{prelude::*, task::spawn_local};

#[derive(Clone, Copy)]
pub struct StaffSession {
    /// `None` until the first answer; then the session as the API sees it.
    info: RwSignal<Option<Result<SessionInfo, ApiError>>>,
}

pub fn use_session() -> StaffSession {
    expect_context::<StaffSession>()
}

impl StaffSession {
    pub fn start() -> StaffSession {
        let session = StaffSession { info: RwSignal::new(None) };
        session.reload();
        session
    }

    pub fn reload(self) {
        spawn_local(async move { self.info.set(Some(http::session().await)) });
    }

    /// Tracked: `None` while loading, else the signed-in account (if any).
    pub fn state(self) -> Option<Result<Option<Customer>, ApiError>> {
        self.info.with(|i| i.as_ref().map(|r| r.as_ref().map(|s| s.customer.clone()).map_err(Clone::clone)))
    }

    pub fn name(self) -> String {
        self.info.with(|i| i.as_ref().and_then(|r| r.as_ref().ok()).and_then(|s| s.customer.as_ref()).map(|c| c.name.clone()).unwrap_or_default())
    }

    pub fn sign_out(self) {
        spawn_local(async move {
            let _ = http::change::<(), _>(Method::Delete, "/api/session", &(), &[]).await;
            http::forget_session();
            self.reload();
        });
    }
}

/// The sign-in form the back office shows to anyone not signed in.
#[component]
pub fn SignInForm() -> impl IntoView {
    set_title(tr_now!(sign_in));
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = SignIn { email: email.get_untracked().trim().to_string(), password: password.get_untracked() };
        if req.email.is_empty() || req.password.is_empty() {
            error.set(Some(tr_now!(staff_sign_in_fill).to_string()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match http::change::<SessionInfo, _>(Method::Post, "/api/session", &req, &[]).await {
                Ok(info) => {
                    http::remember(info.clone());
                    session.info.set(Some(Ok(info)));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="bo-signin" aria-labelledby="signin-h">
            <h1 id="signin-h">{tr!(staff_sign_in_title)}</h1>
            <form novalidate on:submit=submit>
                <div class="field"><label for="bo-email">{tr!(email)}</label>
                    <input id="bo-email" type="email" autocomplete="username" bind:value=email/></div>
                <div class="field"><label for="bo-password">{tr!(password)}</label>
                    <input id="bo-password" type="password" autocomplete="current-password" bind:value=password/></div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr!(sign_in)}</button>
            </form>
        </section>
    }
}
