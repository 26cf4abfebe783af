//! `/privacy` (what Aisle keeps and why, the shopper's settings, a copy of their data,
//! deleting their account) and `/contact` (every way to reach the shop). Both are
//! linked from every page's footer.

use super::api;
use crate::{
    features::{
        account::session::use_shop,
        personal::{activity, state::use_personal},
        support::state::{use_support, Tab},
    },
    platform::http::ApiError,
    tr,
    tr_now,
    ui::{form::{Field, FormError}, title::set_title},
};
use aisle_domain::personal::PrivacySettings;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn PrivacyView() -> impl IntoView {
    set_title(tr_now!(footer_privacy));
    let shop = use_shop();
    let signed_in = Memo::new(move |_| shop.customer().is_some());
    view! {
        <article class="privacy narrow-wide">
            <h1>{tr!(footer_privacy)}</h1>
            <section aria-labelledby="what-h">
                <h2 id="what-h">{tr!(what_we_keep)}</h2>
                <ul>
                    <li>{tr!(keep_account)}</li>
                    <li>{tr!(keep_orders)}</li>
                    <li>{tr!(keep_conversations)}</li>
                    <li>{tr!(keep_activity)}</li>
                    <li>{tr!(keep_device)}</li>
                </ul>
                <p>{tr!(gpc_note)}</p>
            </section>
            <section class="panel" aria-labelledby="settings-h">
                <h2 id="settings-h">{tr!(your_settings)}</h2>
                <PrivacySettingsForm/>
            </section>
            {move || signed_in.get().then(|| view! {
                <section class="panel" aria-labelledby="data-h">
                    <h2 id="data-h">{tr!(data_copy)}</h2>
                    <p>{tr!(data_copy_text)}</p>
                    <a class="button" href="/api/account/export" download="aisle-my-data.json" data-testid="download-data">{tr!(download_data)}</a>
                </section>
                <DeleteAccountForm/>
            })}
            <p><a href="/contact">{tr!(footer_contact)}</a>{tr!(about_this_page)}</p>
        </article>
    }
}

#[component]
fn PrivacySettingsForm() -> impl IntoView {
    let shop = use_shop();
    let personal = use_personal();
    let message = RwSignal::new(None::<String>);
    let save = move |settings: PrivacySettings| {
        personal.privacy.set(settings);
        if shop.customer().is_none() {
            activity::set_guest_settings(settings);
            message.set(Some(tr_now!(saved_on_device).into()));
            return;
        }
        spawn_local(async move {
            message.set(Some(match api::set_privacy(&settings).await {
                Ok(_) => tr_now!(saved).to_string(),
                Err(e) => e.message,
            }));
        });
    };
    view! {
        {activity::global_privacy_control().then(|| view! {
            <p class="notice" data-testid="gpc-notice">{tr!(gpc_notice)}</p>
        })}
        <label class="check">
            <input type="checkbox" data-testid="privacy-personalisation" prop:checked=move || personal.privacy.get().personalisation
                on:change=move |ev| save(PrivacySettings { personalisation: event_target_checked(&ev), ..personal.privacy.get_untracked() })/>
            {tr!(personalise)}
        </label>
        <label class="check">
            <input type="checkbox" data-testid="privacy-clickstream" prop:checked=move || personal.privacy.get().clickstream
                on:change=move |ev| save(PrivacySettings { clickstream: event_target_checked(&ev), ..personal.privacy.get_untracked() })/>
            {tr!(record_activity)}
        </label>
        <p role="status" data-testid="privacy-saved">{move || message.get()}</p>
    }
}

#[component]
fn DeleteAccountForm() -> impl IntoView {
    let shop = use_shop();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !confirm.get_untracked() {
            error.set(Some(ApiError::plain(400, tr_now!(tick_to_confirm))));
            return;
        }
        let navigate = navigate.clone();
        let pw = password.get_untracked();
        spawn_local(async move {
            match api::delete_account(&pw).await {
                Ok(()) => {
                    shop.signed(None);
                    navigate("/?deleted=1", NavigateOptions::default());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="panel danger" aria-labelledby="delete-h">
            <h2 id="delete-h">{tr!(delete_account)}</h2>
            <p>{tr!(delete_account_text)}</p>
            <form novalidate on:submit=submit data-testid="delete-account">
                <Field form="del" label=tr!(your_password) name="password" value=password error kind="password" autocomplete="current-password"/>
                <label class="check">
                    <input type="checkbox" prop:checked=move || confirm.get() on:change=move |ev| confirm.set(event_target_checked(&ev))/>
                    {tr!(yes_delete)}
                </label>
                <FormError error fields=&["password"]/>
                <button type="submit" class="danger">{tr!(delete_account)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn ContactView() -> impl IntoView {
    set_title(tr_now!(footer_contact));
    let support = use_support();
    view! {
        <article class="contact narrow-wide">
            <h1>{tr!(footer_contact)}</h1>
            <p>{tr!(contact_intro)}</p>
            <dl class="contact-list">
                <dt>{tr!(live_chat)}</dt>
                <dd><button type="button" on:click=move |_| support.show(Tab::Chat)>{tr!(chat_with_us)}</button></dd>
                <dt>{tr!(phone)}</dt>
                <dd><a href="tel:+442079460000">"+44 20 7946 0000"</a>{tr!(dash_or)}
                    <button type="button" class="link-button" on:click=move |_| support.show(Tab::CallMe)>{tr!(ask_us_to_call)}</button></dd>
                <dt>{tr!(email)}</dt>
                <dd><a href="mailto:help@aisle.example">"help@aisle.example"</a>{tr!(dash_or)}
                    <button type="button" class="link-button" on:click=move |_| support.show(Tab::Message)>{tr!(write_to_us_here)}</button>
                    {tr!(answer_within_day)}</dd>
                <dt>{tr!(post)}</dt>
                <dd><address>"Aisle Ltd"<br/>"1 Market Street"<br/>"London EC1A 1AA"<br/>"United Kingdom"</address></dd>
                <dt>{tr!(opening_hours_title)}</dt>
                <dd>{let default_hours = tr!(default_hours); move || support.chat.availability.get().map(|a| a.hours).unwrap_or_else(|| default_hours().into())}</dd>
            </dl>
            <p><a href="/help">{tr!(common_questions)}</a>" · "<a href="/privacy">{tr!(footer_privacy)}</a></p>
        </article>
    }
}
