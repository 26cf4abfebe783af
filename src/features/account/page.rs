//! `/account`: the shopper's own details, address book, password and orders —
//! everything they can change without contacting anyone.

use super::api;
use crate::{
    features::account::{session::use_shop, sign_in::SignInPrompt},
    platform::{http::ApiError, lang::{day, fill, money}, outbox::{use_outbox, Outcome}},
    tr,
    tr_now,
    ui::{
        feedback::Loading,
        form::{ADDRESS_FIELDS, AddressFields, AddressForm, Field, FormError},
        title::set_title,
    },
};
use aisle_domain::{change::Change, credit::CreditReason, customer::{Address, Customer, PasswordChange, ProfileUpdate}, Money};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::{use_navigate, use_query_map}, NavigateOptions};

#[component]
pub fn AccountView() -> impl IntoView {
    set_title(tr_now!(your_account));
    let shop = use_shop();
    // Rebuild the page only when who is signed in changes, not when they edit their
    // details (that would wipe the forms and their "saved" messages).
    let who = Memo::new(move |_| (shop.loaded(), shop.customer().map(|c| c.id)));
    let hello = tr!(hello);
    // Arrived from a password reset: say it worked.
    let just_reset = use_query_map().read_untracked().get("password_reset").is_some();
    move || {
        if !who.get().0 {
            return view! { <Loading/> }.into_any();
        }
        match untrack(|| shop.customer()) {
            None => view! { <SignInPrompt next="/account".to_string()/> }.into_any(),
            Some(me) => view! {
                <h1>{move || fill(hello(), &[("name", &shop.customer().map(|c| c.name).unwrap_or_default())])}</h1>
                {just_reset.then(|| view! { <p class="notice" role="status" data-testid="password-was-reset">{tr!(password_was_reset)}</p> })}
                <nav class="account-links" aria-label=tr!(your_account)>
                    <a href="/account/orders">{tr!(your_orders)}</a>
                    <a href="/account/support">{tr!(footer_conversations)}</a>
                    <a href="/privacy">{tr!(footer_privacy)}</a>
                    // The back office is an app of its own: a full page load, not a route here.
                    {me.is_staff.then(|| view! { <a href="/staff" rel="external" data-testid="back-office">{tr!(back_office)}</a> })}
                    <SignOutButton/>
                </nav>
                <div class="account-grid">
                    <Profile me=me.clone()/>
                    <Addresses/>
                    <PasswordForm/>
                    <Credit/>
                </div>
            }
            .into_any(),
        }
    }
}

/// Store credit: the balance, and every credit and debit with its reason.
#[component]
fn Credit() -> impl IntoView {
    let credit = LocalResource::new(api::credit);
    let (balance_text, window_text, none_text) = (tr!(credit_balance), tr!(credit_window), tr!(credit_none));
    view! {
        <section aria-labelledby="credit-h" class="panel" id="credit" data-testid="credit">
            <h2 id="credit-h">{tr!(store_credit)}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match credit.await {
                        // Offline or refused: the section says nothing rather than a wrong zero.
                        Err(e) => view! { <p class="hint">{e.message}</p> }.into_any(),
                        Ok(c) => {
                            let (balance, days) = (c.balance, c.protection_days);
                            view! {
                                <p class="credit-balance">{move || fill(balance_text(), &[("amount", &money(balance))])}</p>
                                // Credit from orders in other markets' money, spent in that money.
                                {c.other_balances.iter().map(|&b| view! { <p class="credit-balance">{move || fill(balance_text(), &[("amount", &money(b))])}</p> }).collect_view()}
                                {(days > 0).then(|| view! { <p class="hint">{move || fill(window_text(), &[("days", &days)])}</p> })}
                                {if c.entries.is_empty() {
                                    view! { <p>{none_text}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="ledger" data-testid="ledger">
                                            {c.entries.into_iter().map(|e| {
                                                let (amount, at) = (e.amount, e.at.clone());
                                                let what = match e.reason {
                                                    CreditReason::PriceDrop => fill(tr_now!(credit_price_drop), &[("product", &e.product.clone().unwrap_or_default()), ("number", &e.order_number.clone().unwrap_or_default())]),
                                                    CreditReason::Spent => fill(tr_now!(credit_spent), &[("number", &e.order_number.clone().unwrap_or_default())]),
                                                    CreditReason::Refunded => fill(tr_now!(credit_refunded), &[("number", &e.order_number.clone().unwrap_or_default())]),
                                                };
                                                view! {
                                                    <li>
                                                        <span>{what}</span>
                                                        <span class="muted">{move || day(&at)}</span>
                                                        <strong class:minus=amount.minor < 0>{move || if amount.minor < 0 { format!("−{}", money(Money::new(-amount.minor, amount.currency))) } else { format!("+{}", money(amount)) }}</strong>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SignOutButton() -> impl IntoView {
    let shop = use_shop();
    let navigate = use_navigate();
    let on_click = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the answer, this device must not keep showing the account.
            let _ = api::sign_out().await;
            shop.signed(None);
            navigate("/", NavigateOptions::default());
        });
    };
    view! { <button type="button" class="link-button" on:click=on_click>{tr!(sign_out)}</button> }
}

#[component]
fn Profile(me: Customer) -> impl IntoView {
    let outbox = use_outbox();
    let name = RwSignal::new(me.name);
    let email = RwSignal::new(me.email);
    let phone = RwSignal::new(me.phone.unwrap_or_default());
    let company = RwSignal::new(me.company.unwrap_or_default());
    let vat_id = RwSignal::new(me.vat_id.unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        spawn_local(async move {
            let req = ProfileUpdate {
                name: name.get_untracked(),
                email: email.get_untracked(),
                phone: phone.get_untracked(),
                company: company.get_untracked(),
                vat_id: vat_id.get_untracked(),
            };
            match outbox.submit(tr_now!(update_details_label).into(), Change::UpdateProfile { profile: req }, None).await {
                Outcome::Sent(_) => {
                    error.set(None);
                    saved.set(Some(tr_now!(details_saved)));
                }
                Outcome::Queued => {
                    error.set(None);
                    saved.set(Some(tr_now!(details_queued)));
                }
                Outcome::Refused(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="profile-h" class="panel">
            <h2 id="profile-h">{tr!(your_details)}</h2>
            <form on:submit=submit novalidate>
                <FormError error fields=&["name", "email", "phone", "company", "vat_id"]/>
                <Field label=tr!(name) name="name" autocomplete="name" value=name error/>
                <Field label=tr!(email) name="email" kind="email" inputmode="email" autocomplete="email" value=email error/>
                <Field label=tr!(phone) name="phone" kind="tel" inputmode="tel" autocomplete="tel" value=phone error required=false/>
                // A business gets its company and VAT ID on its invoices, and may pay
                // by invoice.
                <fieldset class="business">
                    <legend>{tr!(business_details)}</legend>
                    <p class="hint">{tr!(business_hint)}</p>
                    <Field label=tr!(company) name="company" autocomplete="organization" value=company error required=false/>
                    <Field label=tr!(vat_id) name="vat_id" value=vat_id error required=false/>
                </fieldset>
                <button type="submit" class="primary">{tr!(save_details)}</button>
                <p role="status" class="ok">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn Addresses() -> impl IntoView {
    let outbox = use_outbox();
    let list = RwSignal::new(None::<Result<Vec<Address>, ApiError>>);
    let reload = move || spawn_local(async move { list.set(Some(api::addresses().await)) });
    reload();
    // `None`: no form open; `Some(None)`: adding; `Some(Some(id))`: editing that address.
    let editing = RwSignal::new(None::<Option<i64>>);
    let form = AddressForm::new();
    let error = RwSignal::new(None::<ApiError>);
    let open = move |a: Option<Address>| {
        error.set(None);
        match &a {
            Some(a) => form.set(&a.fields),
            None => form.set(&Default::default()),
        }
        editing.set(Some(a.map(|a| a.id)));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = editing.get_untracked().flatten();
        spawn_local(async move {
            let address = form.get();
            let change = match id {
                Some(id) => Change::UpdateAddress { id, address },
                None => Change::AddAddress { address },
            };
            match outbox.submit(tr_now!(save_address_label).into(), change, None).await {
                Outcome::Sent(_) => {
                    editing.set(None);
                    reload();
                }
                Outcome::Queued => {
                    editing.set(None);
                    error.set(Some(ApiError::plain(0, tr_now!(address_queued))));
                }
                Outcome::Refused(e) => error.set(Some(e)),
            }
        });
    };
    let remove = move |id: i64| {
        spawn_local(async move {
            match outbox.submit(tr_now!(delete_address_label).into(), Change::DeleteAddress { id }, None).await {
                Outcome::Refused(e) => error.set(Some(e)),
                Outcome::Queued => error.set(Some(ApiError::plain(0, tr_now!(address_delete_queued)))),
                Outcome::Sent(_) => error.set(None),
            }
            reload();
        })
    };
    view! {
        <section aria-labelledby="addresses-h" class="panel">
            <h2 id="addresses-h">{tr!(address_book)}</h2>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                Some(Ok(addresses)) if addresses.is_empty() => view! { <p>{tr!(no_addresses)}</p> }.into_any(),
                Some(Ok(addresses)) => view! {
                    <ul class="addresses">
                        {addresses.into_iter().map(|a| {
                            let id = a.id;
                            let edit = a.clone();
                            view! {
                                <li>
                                    <address>{let fields = a.fields.clone(); move || fields.lines_in(crate::platform::lang::lang()).into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                                    {a.fields.is_default.then(|| view! { <span class="badge">{tr!(default)}</span> })}
                                    <button type="button" class="link-button" on:click=move |_| open(Some(edit.clone()))>{tr!(edit)}</button>
                                    <button type="button" class="link-button" on:click=move |_| remove(id)>{tr!(delete)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || match editing.get() {
                None => view! { <button type="button" on:click=move |_| open(None)>{tr!(add_address)}</button> }.into_any(),
                Some(id) => view! {
                    <form on:submit=submit novalidate class="address-form">
                        <h3>{if id.is_some() { tr!(edit_address).into_any() } else { tr!(new_address).into_any() }}</h3>
                        <FormError error fields=ADDRESS_FIELDS/>
                        <AddressFields form error/>
                        <label class="check"><input type="checkbox" bind:checked=form.is_default/>" "{tr!(use_as_default)}</label>
                        <button type="submit" class="primary">{tr!(save_address_button)}</button>
                        " "
                        <button type="button" on:click=move |_| editing.set(None)>{tr!(cancel)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        spawn_local(async move {
            let req = PasswordChange { current_password: current.get_untracked(), new_password: new.get_untracked() };
            match api::change_password(&req).await {
                Ok(()) => {
                    error.set(None);
                    current.set(String::new());
                    new.set(String::new());
                    saved.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="password-h" class="panel">
            <h2 id="password-h">{tr!(change_password)}</h2>
            <form on:submit=submit novalidate>
                <FormError error fields=&["current_password", "new_password"]/>
                <Field label=tr!(current_password) name="current_password" kind="password" autocomplete="current-password" value=current error/>
                <Field label=tr!(new_password_hint) name="new_password" kind="password" autocomplete="new-password" value=new error/>
                <button type="submit" class="primary">{tr!(change_password)}</button>
                <p role="status" class="ok">{let changed = tr!(password_changed); move || saved.get().then(changed)}</p>
            </form>
        </section>
    }
}
