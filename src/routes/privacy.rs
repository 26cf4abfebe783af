//! `/privacy` (what Aisle keeps and why, the shopper's settings, a copy of their data,
//! deleting their account) and `/contact` (every way to reach the shop). Both are
//! linked from every page's footer.

use crate::{
    activity,
    api::{self, ApiError},
    app::set_title,
    components::form::{Field, FormError},
    personal::use_personal,
    shop::use_shop,
    support::{use_support, Tab},
};
use aisle_domain::personal::PrivacySettings;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn PrivacyView() -> impl IntoView {
    set_title("Privacy and your data");
    let shop = use_shop();
    let signed_in = Memo::new(move |_| shop.customer().is_some());
    view! {
        <article class="privacy narrow-wide">
            <h1>"Privacy and your data"</h1>
            <section aria-labelledby="what-h">
                <h2 id="what-h">"What we keep, and why"</h2>
                <ul>
                    <li>"Your account: name, e-mail, phone and addresses — to deliver your orders and reach you about them."</li>
                    <li>"Your orders — to deliver, change, return and refund them, and because the law asks shops to keep sales records."</li>
                    <li>"Your conversations with us: chats, messages, call-back requests, feedback and ratings — so whoever answers knows what was said."</li>
                    <li>"What you view, search and put in your cart (if you allow it) — to suggest what you may like and to make the shop easier to use. We never sell it or share it with advertisers."</li>
                    <li>"On this device: the catalogue, your cart, recent orders and a random device id, so the shop works offline. Signing out removes your personal data from the device."</li>
                </ul>
                <p>"If your browser sends Global Privacy Control, we record nothing of what you view or search, whatever the settings below say."</p>
            </section>
            <section class="panel" aria-labelledby="settings-h">
                <h2 id="settings-h">"Your settings"</h2>
                <PrivacySettingsForm/>
            </section>
            {move || signed_in.get().then(|| view! {
                <section class="panel" aria-labelledby="data-h">
                    <h2 id="data-h">"A copy of your data"</h2>
                    <p>"Everything we hold about your account, as one JSON file."</p>
                    <a class="button" href="/api/account/export" download="aisle-my-data.json" data-testid="download-data">"Download my data"</a>
                </section>
                <DeleteAccountForm/>
            })}
            <p><a href="/contact">"Contact us"</a>" about anything on this page."</p>
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
            message.set(Some("Saved on this device.".into()));
            return;
        }
        spawn_local(async move {
            message.set(Some(match api::set_privacy(&settings).await {
                Ok(_) => "Saved.".to_string(),
                Err(e) => e.message,
            }));
        });
    };
    view! {
        {activity::global_privacy_control().then(|| view! {
            <p class="notice" data-testid="gpc-notice">"Your browser sends Global Privacy Control: nothing you view or search is recorded."</p>
        })}
        <label class="check">
            <input type="checkbox" data-testid="privacy-personalisation" prop:checked=move || personal.privacy.get().personalisation
                on:change=move |ev| save(PrivacySettings { personalisation: event_target_checked(&ev), ..personal.privacy.get_untracked() })/>
            "Personalise the shop for me (greeting, recommendations from what I bought)"
        </label>
        <label class="check">
            <input type="checkbox" data-testid="privacy-clickstream" prop:checked=move || personal.privacy.get().clickstream
                on:change=move |ev| save(PrivacySettings { clickstream: event_target_checked(&ev), ..personal.privacy.get_untracked() })/>
            "Record what I view, search and put in my cart"
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
            error.set(Some(ApiError::plain(400, "Please tick the box to confirm.")));
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
            <h2 id="delete-h">"Delete my account"</h2>
            <p>"This erases your name, e-mail, phone, addresses, cart, conversations and activity. Orders stay in the shop's accounts without anything that identifies you. It cannot be undone."</p>
            <form on:submit=submit data-testid="delete-account">
                <Field form="del" label="Your password" name="password" value=password error kind="password" autocomplete="current-password"/>
                <label class="check">
                    <input type="checkbox" prop:checked=move || confirm.get() on:change=move |ev| confirm.set(event_target_checked(&ev))/>
                    "Yes, delete my account"
                </label>
                <FormError error fields=&["password"]/>
                <button type="submit" class="danger">"Delete my account"</button>
            </form>
        </section>
    }
}

#[component]
pub fn ContactView() -> impl IntoView {
    set_title("Contact us");
    let support = use_support();
    view! {
        <article class="contact narrow-wide">
            <h1>"Contact us"</h1>
            <p>"A person answers — by chat, phone or e-mail."</p>
            <dl class="contact-list">
                <dt>"Live chat"</dt>
                <dd><button type="button" on:click=move |_| support.show(Tab::Chat)>"Chat with us"</button></dd>
                <dt>"Phone"</dt>
                <dd><a href="tel:+442079460000">"+44 20 7946 0000"</a>" — or "
                    <button type="button" class="link-button" on:click=move |_| support.show(Tab::CallMe)>"ask us to call you"</button></dd>
                <dt>"E-mail"</dt>
                <dd><a href="mailto:help@aisle.example">"help@aisle.example"</a>" — or "
                    <button type="button" class="link-button" on:click=move |_| support.show(Tab::Message)>"write to us here"</button>
                    "; we answer within one working day."</dd>
                <dt>"Post"</dt>
                <dd><address>"Aisle Ltd"<br/>"1 Market Street"<br/>"London EC1A 1AA"<br/>"United Kingdom"</address></dd>
                <dt>"Opening hours"</dt>
                <dd>{move || support.chat.availability.get().map(|a| a.hours).unwrap_or_else(|| "Monday to Friday, 09:00–17:00 UTC".into())}</dd>
            </dl>
            <p><a href="/help">"Answers to common questions"</a>" · "<a href="/privacy">"Privacy and your data"</a></p>
        </article>
    }
}
