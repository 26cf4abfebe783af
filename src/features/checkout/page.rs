//! `/checkout`: address, payment, place order. A signed-in shopper's default address is
//! filled in and pay-on-delivery chosen, so one click places the order.

use crate::{
    features::account::session::use_shop,
    platform::{http::ApiError, lang::{fill, money}, outbox::{use_outbox, Outcome}, store},
    tr,
    tr_now,
    ui::{
        feedback::Loading,
        form::{focus_first_error, AddressFields, AddressForm, Field, FormError},
        title::set_title,
    },
};
use aisle_domain::{
    change::Change,
    checkout::{Checkout, ExpectedLine},
    payment::PaymentMethod,
    customer::{Address, Email},
    order::Order,
    ErrorCode,
};
use crate::features::checkout::{rules::{quote_paid, use_rules}, summary::{method_name, Breakdown, Summary}};
use aisle_domain::delivery::{MethodKind, QuoteError};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn CheckoutView() -> impl IntoView {
    set_title(tr_now!(checkout));
    crate::features::personal::activity::checkout_started();
    let shop = use_shop();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let form = AddressForm::new();
    // The country the shopper chose in the footer, until an address of theirs says otherwise.
    if let Some(c) = crate::features::market::country() {
        form.country.set(c);
    }
    let save_address = RwSignal::new(true);
    let saved = RwSignal::new(Vec::<Address>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let queued = RwSignal::new(false);
    let outbox = use_outbox();
    // One key per checkout attempt; kept across retries, renewed once an order exists.
    let key = StoredValue::new(crate::platform::outbox::new_key());
    let rules = use_rules();
    // The way of delivery chosen; the zone's first until the shopper picks another,
    // and again when the country changes to one that does not offer it.
    let method = RwSignal::new(None::<MethodKind>);
    let payment = RwSignal::new(PaymentMethod::PayOnDelivery);
    let priced = Memo::new(move |_| {
        let rules = rules.get()?;
        let country = form.country.get();
        // With the chosen way to pay, whose fee (if the shop charges one) is part of
        // the total the order sends.
        let paid = Some(payment.get());
        Some(shop.cart.with(|c| match quote_paid(&rules, c, &country, method.get(), paid) {
            Err(QuoteError::MethodNotOffered) => quote_paid(&rules, c, &country, None, paid),
            other => other,
        }))
    });
    let offered = Signal::derive(move || rules.get().map(|r| r.countries().map(str::to_string).collect::<Vec<_>>()));
    // The market follows the delivery country: a country priced in other money makes
    // it the shopper's, and the cart comes again in that money.
    let catalogue = crate::features::catalogue::local::use_catalogue();
    Effect::new(move |_| {
        let country = form.country.get();
        let Some(r) = rules.get() else { return };
        if country.is_empty() || !r.delivers_to(&country) {
            return;
        }
        let wanted = r.currency_for(&country);
        let shown = shop.cart.with_untracked(|c| c.total.map(|t| t.currency));
        if crate::features::market::choose(&country, &r) || shown.is_some_and(|c| c != wanted) {
            catalogue.reprice();
            spawn_local(async move { shop.reload_cart().await });
        }
    });
    let market_note = move || {
        let r = rules.get()?;
        let country = form.country.get();
        let m = r.markets.for_country(&country)?;
        Some(fill(tr_now!(checkout_market_note), &[("country", &crate::features::cart::page::country_name(&country)), ("currency", &m.currency.code())]))
    };
    // A signed-in shopper's store credit pays first. Unknown (offline, signed out):
    // none is shown, and the shop applies what there is.
    let balance = RwSignal::new(None::<aisle_domain::credit::StoreCredit>);
    Effect::new(move |_| {
        if shop.customer().is_some() {
            spawn_local(async move {
                if let Ok(c) = crate::features::account::api::credit().await {
                    balance.try_set(Some(c));
                }
            });
        } else {
            balance.set(None);
        }
    });
    // Credit is spent in the money it was given in: the cart's.
    let credit = Memo::new(move |_| match (balance.get(), priced.get(), shop.cart.with(|c| c.total.map(|t| t.currency))) {
        (Some(b), Some(Ok(q)), Some(currency)) => Some(aisle_domain::credit::to_spend(b.in_currency(currency), q.totals.total_minor)),
        _ => None,
    });

    // A signed-in shopper's default address fills the form.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !shop.loaded() {
            return done.unwrap_or(false);
        }
        if shop.customer().is_some() {
            spawn_local(async move {
                // Offline, the address book as last seen on this device.
                let list = match crate::features::account::api::addresses().await {
                    Ok(list) => {
                        let _ = store::set_meta("addresses", &list).await;
                        Some(list)
                    }
                    Err(_) => store::get_meta::<Vec<Address>>("addresses").await.ok().flatten(),
                };
                if let Some(list) = list {
                    if let Some(a) = list.iter().find(|a| a.fields.is_default).or(list.first()) {
                        form.set(&a.fields);
                        save_address.set(false);
                    }
                    saved.set(list);
                }
            });
        }
        true
    });

    let place = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        let cart = shop.cart.get_untracked();
        // The order goes at the total on show, or not at all: with no rules yet there
        // is no total to show.
        let shown = priced.get_untracked();
        let (delivery_method, expected_total_minor) = match &shown {
            Some(Ok(q)) => (q.method, Some(q.totals.total_minor)),
            _ => (MethodKind::default(), None),
        };
        // The code goes with the order only while it takes something off: the total on
        // show counted it.
        let code = cart.code.as_ref().filter(|_| matches!(cart.discount(), Some(Ok(_)))).map(|c| c.code.clone());
        let checkout = Checkout {
            code,
            delivery_method,
            expected_total_minor,
            email: email.get_untracked(),
            address: form.get(),
            payment_method: payment.get_untracked().as_str().into(),
            expected: cart
                .lines
                .iter()
                .map(|l| ExpectedLine { product_id: l.product.id, variant_id: l.variant.as_ref().map(|v| v.id), quantity: l.quantity, unit_price_minor: l.product.price.minor })
                .collect(),
            save_address: save_address.get_untracked(),
            // The terms shown beside the button; newer ones refuse the order.
            terms_version: rules.get().map(|r| r.terms_version).filter(|v| *v > 0),
            credit_minor: credit.get_untracked(),
            currency: cart.total.map(|t| t.currency),
        };
        // Checked here first, whole, with the same rules as the server: every problem
        // shows beside its field at once, the first gets the cursor, and a request made
        // offline is not refused later for a missing field.
        let mut problems = Vec::new();
        if shop.customer().is_none() {
            if let Err(e) = Email::parse(&checkout.email) {
                problems.push(e);
            }
        }
        if let Err(address) = checkout.address.validate_all() {
            problems.extend(address);
        }
        let country = checkout.address.country.clone();
        if let Some(Err(QuoteError::NotDelivered)) = shown {
            problems.push(aisle_domain::customer::FieldError::new("country", not_delivered(&country)));
        }
        let problems = problems.iter().map(|e| (e.field.to_string(), crate::platform::lang::address_field_error(e, &country))).collect();
        if let Some(e) = ApiError::fields(problems) {
            focus_first_error("addr", &e);
            error.set(Some(e));
            return;
        }
        // The cart still in the old market's money (its new prices on their way): the
        // order waits for them, so it is sent at prices the shopper saw.
        if let (Some(r), Some(shown_currency)) = (rules.get(), checkout.currency) {
            let wanted = r.currency_for(&country);
            if shown_currency != wanted && r.delivers_to(&country) {
                error.set(Some(ApiError::plain(0, market_note().unwrap_or_else(|| tr_now!(prices_loading).to_string()))));
                spawn_local(async move { shop.reload_cart().await });
                return;
            }
        }
        if expected_total_minor.is_none() {
            error.set(Some(ApiError::plain(0, tr_now!(prices_loading))));
            rules.refresh();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let label = tr_now!(order_request).to_string();
            match outbox.submit(label, Change::PlaceOrder { checkout: checkout.clone() }, Some(key.get_value())).await {
                Outcome::Sent(v) => match serde_json::from_value::<Order>(v) {
                    Ok(order) => {
                        crate::features::personal::activity::checkout_finished();
                        key.set_value(crate::platform::outbox::new_key());
                        let href = format!("{}&placed=1", aisle_domain::order::page_href(&order.number, &order.access_token));
                        navigate(&href, NavigateOptions::default());
                    }
                    Err(_) => error.set(Some(ApiError::plain(200, tr_now!(order_page_failed)))),
                },
                Outcome::Queued => {
                    // The same key stays with this request until the shop answers it.
                    key.set_value(crate::platform::outbox::new_key());
                    queued.set(true);
                }
                Outcome::Refused(e) => {
                    // The cart changed under the shopper: show them the cart as it is now.
                    if e.code == Some(ErrorCode::CartChanged) {
                        rules.refresh();
                        shop.reload_cart().await;
                        if shop.customer().is_some() {
                            if let Ok(c) = crate::features::account::api::credit().await {
                                balance.try_set(Some(c));
                            }
                        }
                        key.set_value(crate::platform::outbox::new_key());
                    }
                    focus_first_error("addr", &e);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let use_address = tr!(use_address);
    view! {
        <h1>{tr!(checkout)}</h1>
        {move || {
            if queued.get() {
                return view! {
                    <p class="notice" role="status" data-testid="order-request">
                        {tr!(order_queued)}
                    </p>
                }.into_any();
            }
            if !shop.loaded() {
                return view! { <Loading/> }.into_any();
            }
            let cart = shop.cart.get();
            if cart.lines.is_empty() {
                return view! { <p>{tr!(cart_empty)}" " <a href="/">{tr!(browse_the_shop)}</a></p> }.into_any();
            }
            let signed_in = shop.customer();
            view! {
                <form class="checkout" on:submit=place.clone() novalidate>
                    <FormError error fields=&["email", "name", "line1", "line2", "city", "postcode", "country"]/>
                    <section aria-labelledby="order-h" class="panel">
                        <h2 id="order-h">{tr!(your_order)}</h2>
                        <ul class="summary-lines">
                            {cart.lines.iter().map(|l| view! {
                                <li><span>{format!("{} × {}", l.quantity, aisle_domain::cart::line_name(&l.product.name, l.variant.as_ref()))}</span><span>{let t = l.line_total; move || money(t)}</span></li>
                            }).collect_view()}
                        </ul>
                        {move || match priced.get() {
                            Some(Ok(q)) => {
                                let currency = shop.cart.with(|c| c.total.map_or(aisle_domain::Currency::EUR, |t| t.currency));
                                let away = q.away_from_free_minor.map(|a| aisle_domain::Money::new(a, currency));
                                let code = shop.cart.with(|c| c.code.as_ref().map(|x| x.code.clone()));
                                let paid = aisle_domain::Money::new(credit.get().unwrap_or(0), currency);
                                view! { <Summary figures=Breakdown::of_quote(&q, currency, code).paid_with(paid) away/> <crate::features::cart::page::CodeBox/> }.into_any()
                            }
                            Some(Err(_)) => view! { <p class="total">{tr!(subtotal)}" " <strong data-testid="subtotal">{let total = cart.total; move || total.map(money).unwrap_or_default()}</strong></p> }.into_any(),
                            None => view! { <p class="hint">{tr!(prices_loading)}</p> }.into_any(),
                        }}
                        <p><a href="/cart">{tr!(change_cart)}</a></p>
                    </section>
                    <section aria-labelledby="contact-h" class="panel">
                        <h2 id="contact-h">{tr!(contact)}</h2>
                        {match signed_in {
                            Some(c) => view! { <p>{tr!(signed_in_as)}" " {c.email}</p> }.into_any(),
                            None => view! {
                                <Field form="addr" label=tr!(email_for_confirmation) name="email" kind="email" inputmode="email" autocomplete="email" value=email error/>
                                <p class="hint">{tr!(have_account)}" " <a href="/signin?next=/checkout">{tr!(sign_in)}</a></p>
                            }.into_any(),
                        }}
                    </section>
                    <section aria-labelledby="address-h" class="panel">
                        <h2 id="address-h">{tr!(delivery_address)}</h2>
                        {move || {
                            let list = saved.get();
                            (list.len() > 1).then(|| view! {
                                <div class="saved-addresses">
                                    {list.into_iter().map(|a| {
                                        let label = a.fields.lines_in(crate::platform::lang::lang()).join(", ");
                                        let fields = a.fields.clone();
                                        view! { <button type="button" class="link-button" on:click=move |_| form.set(&fields)>{move || fill(use_address(), &[("address", &label)])}</button> }
                                    }).collect_view()}
                                </div>
                            })
                        }}
                        <AddressFields form error only=offered/>
                        {move || market_note().map(|note| view! { <p class="hint" data-testid="market-note">{note}</p> })}
                        {signed_in_checkbox(shop.customer().is_some(), save_address)}
                    </section>
                    <section aria-labelledby="delivery-h" class="panel" data-testid="delivery-methods">
                        <h2 id="delivery-h">{tr!(delivery_way)}</h2>
                        {move || match priced.get() {
                            Some(Ok(q)) => {
                                let currency = shop.cart.with(|c| c.total.map_or(aisle_domain::Currency::EUR, |t| t.currency));
                                q.offers.iter().map(|o| {
                                    let (kind, price, days) = (o.kind, aisle_domain::Money::new(o.price_minor, currency), o.transit_days);
                                    let name = method_name(kind);
                                    view! {
                                        <label class="check method">
                                            <input type="radio" name="delivery" value=kind.as_str() checked=q.method == kind on:change=move |_| method.set(Some(kind))/>
                                            " " <span>{name}</span>
                                            <span class="hint">{move || how_long(kind, days)}</span>
                                            <span class="price">{move || if price.minor == 0 { tr_now!(free).to_string() } else { money(price) }}</span>
                                        </label>
                                    }
                                }).collect_view().into_any()
                            }
                            Some(Err(QuoteError::NotDelivered)) => view! { <p class="form-error" role="alert">{move || not_delivered(&form.country.get())}</p> }.into_any(),
                            _ => view! { <p class="hint">{tr!(prices_loading)}</p> }.into_any(),
                        }}
                        // For the way chosen, to the country typed.
                        <crate::features::checkout::promise::DeliveryPromise
                            method=Signal::derive(move || priced.get().and_then(|p| p.ok()).map(|q| q.method))
                            country=Signal::derive(move || form.country.get())/>
                    </section>
                    <section aria-labelledby="payment-h" class="panel">
                        <h2 id="payment-h">{tr!(payment)}</h2>
                        {move || {
                            let offered = rules.get().map_or_else(|| vec![PaymentMethod::PayOnDelivery], |r| r.payments.clone());
                            let due_days = rules.get().map_or(14, |r| r.invoice_due_days);
                            // Paying by invoice is for a signed-in business: anyone else
                            // is told how to become one rather than offered a choice the
                            // server would refuse.
                            let business = shop.customer().is_some_and(|c| c.vat_id.is_some());
                            offered.into_iter().map(|m| {
                                let (name, hint) = match m {
                                    PaymentMethod::PayOnDelivery => {
                                        let fee = rules.get().map_or(0, |r| r.fee(m));
                                        let hint = tr!(pay_on_delivery_hint);
                                        let fee_note = tr!(payment_fee_note);
                                        let currency = shop.cart.with(|c| c.total.map_or(aisle_domain::Currency::EUR, |t| t.currency));
                                        let fee = aisle_domain::Money::new(fee, currency);
                                        (tr!(pay_on_delivery).into_any(), (move || if fee.minor > 0 { format!("{} {}", hint(), fill(fee_note(), &[("fee", &money(fee))])) } else { hint().to_string() }).into_any())
                                    }
                                    PaymentMethod::BankTransfer => (tr!(bank_transfer).into_any(), tr!(bank_transfer_hint).into_any()),
                                    PaymentMethod::Invoice if !business => {
                                        return view! { <p class="hint" data-testid="invoice-for-business">{tr!(invoice_for_business)}" "<a href="/account">{tr!(account)}</a></p> }.into_any();
                                    }
                                    PaymentMethod::Invoice => {
                                        let within = tr!(pay_by_invoice_hint);
                                        (tr!(pay_by_invoice).into_any(), (move || fill(within(), &[("days", &due_days)])).into_any())
                                    }
                                };
                                view! {
                                    <label class="check"><input type="radio" name="payment" value=m.as_str() checked=move || payment.get() == m on:change=move |_| payment.set(m)/>" " {name}</label>
                                    <p class="hint">{hint}</p>
                                }.into_any()
                            }).collect_view()
                        }}
                    </section>
                    <p class="terms-note" data-testid="terms-note">
                        {let accept = tr!(checkout_terms); move || fill(accept(), &[("version", &rules.get().map_or(0, |r| r.terms_version))])}
                        " "
                        // In a new tab: the form keeps what the shopper typed.
                        <a href="/legal/terms" target="_blank" rel="noopener">{tr!(footer_terms)}</a>" · "
                        <a href="/legal/withdrawal" target="_blank" rel="noopener">{tr!(footer_withdrawal)}</a>" · "
                        <a href="/legal/privacy" target="_blank" rel="noopener">{tr!(footer_privacy_notice)}</a>
                    </p>
                    <div class="sticky-action">
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr!(place_order)}</button>
                    </div>
                </form>
            }.into_any()
        }}
    }
}

/// "2 working days", or "ready to collect" for collection in store.
fn how_long(kind: MethodKind, days: u8) -> String {
    // Tracked, so a language switch redraws the line.
    let _ = crate::platform::lang::lang();
    match (kind, days) {
        (MethodKind::Collect, _) => tr_now!(ready_to_collect).to_string(),
        (_, 1) => tr_now!(working_days_one).to_string(),
        (_, n) => fill(tr_now!(working_days), &[("n", &n)]),
    }
}

fn not_delivered(country: &str) -> String {
    fill(tr_now!(not_delivered_to), &[("country", &crate::features::cart::page::country_name(country))])
}

fn signed_in_checkbox(signed_in: bool, save: RwSignal<bool>) -> impl IntoView {
    signed_in.then(|| view! {
        <label class="check"><input type="checkbox" bind:checked=save/>" "{tr!(save_address)}</label>
    })
}
