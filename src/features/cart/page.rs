//! `/cart`: change quantities, remove lines, go to checkout.

use crate::{
    features::{account::session::use_shop, catalogue::product_card::picture},
    platform::{http::ApiError, lang::{fill, money}, outbox::{use_outbox, Outcome}},
    tr,
    tr_now,
    ui::{feedback::Loading, title::set_title},
};
use crate::features::checkout::{rules::{quote, use_rules}, summary::{Breakdown, Summary}};
use aisle_domain::{cart::{line_name, SetQuantity}, change::Change, customer::MAX_QUANTITY, Money};

/// A country's name in the language on show (tracked).
pub fn country_name(code: &str) -> String {
    aisle_domain::customer::country::country(code).map_or_else(|| code.to_string(), |c| c.name(crate::platform::lang::lang()).to_string())
}
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn CartView() -> impl IntoView {
    set_title(tr_now!(your_cart));
    let shop = use_shop();
    let error = RwSignal::new(None::<ApiError>);
    let outbox = use_outbox();
    let set_quantity = move |key: (i64, Option<i64>), quantity: i64| {
        let Some((product, variant)) = shop.cart.with_untracked(|c| c.lines.iter().find(|l| l.key() == key).map(|l| (l.product.clone(), l.variant.clone()))) else {
            return;
        };
        let (product_id, variant_id) = key;
        if quantity < 0 || quantity > i64::from(MAX_QUANTITY) {
            error.set(Some(ApiError::plain(400, fill(tr_now!(quantity_range_or_remove), &[("max", &MAX_QUANTITY)]))));
            return;
        }
        spawn_local(async move {
            let name = line_name(&product.name, variant.as_ref());
            let label = if quantity == 0 { fill(tr_now!(remove_label), &[("name", &name)]) } else { fill(tr_now!(set_quantity_label), &[("q", &quantity), ("name", &name)]) };
            let set = SetQuantity { product_id, variant_id, quantity };
            // Shown as soon as it is saved on the device (a reload cannot lose it then),
            // before it is sent; the shop's answer replaces it when it comes.
            let show = move || shop.set_local_quantity(product, variant, quantity as u32);
            match outbox.submit_showing(label, Change::SetCartQuantity { set }, None, show).await {
                Outcome::Sent(_) | Outcome::Queued => error.set(None),
                Outcome::Refused(e) => {
                    error.set(Some(e));
                    shop.reload_cart().await;
                }
            }
        })
    };
    // The page's frame changes only between empty and not; lines update one by one.
    let empty = Memo::new(move |_| shop.cart.with(|c| c.lines.is_empty()));
    let loaded = Memo::new(move |_| shop.loaded());
    let (fewer, more, quantity_of, delivery_to) = (tr!(one_fewer), tr!(one_more), tr!(quantity_of), tr!(delivery_to));
    // Delivery and VAT as the checkout will charge them, to the country the shopper
    // chose (footer or last checkout), else the shop's home country (the checkout
    // prices the address's own); none while the rules are unknown.
    let rules = use_rules();
    let priced = move || {
        let rules = rules.get()?;
        shop.cart.with(|c| {
            let currency = c.total?.currency;
            // The shopper's country when they chose one (its market prices the cart).
            let country = crate::features::market::country().filter(|c| rules.delivers_to(c)).unwrap_or_else(|| rules.tax.home.clone());
            let q = quote(&rules, c, &country, None).ok()?;
            let away = q.away_from_free_minor.map(|a| Money::new(a, currency));
            Some((Breakdown::of_quote(&q, currency, c.code.as_ref().map(|x| x.code.clone())), away, country))
        })
    };
    view! {
        <h1>{tr!(your_cart)}</h1>
        <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
        {move || {
            if !loaded.get() {
                return view! { <Loading/> }.into_any();
            }
            if empty.get() {
                return view! { <p class="empty-cart">{tr!(cart_empty)}" " <a href="/">{tr!(browse_the_shop)}</a></p> }.into_any();
            }
            view! {
                <ul class="cart-lines">
                    // Keyed by product and variant alone: a line stays the same element
                    // while its quantity changes, so the field being typed in keeps its
                    // focus.
                    <For each=move || shop.cart.get().lines key=|l| l.key() let:line>
                    {{
                        let id = line.key();
                        // The line as the cart holds it now (quantity, price, total).
                        let now = Memo::new(move |_| shop.cart.with(|c| c.lines.iter().find(|l| l.key() == id).map(|l| (i64::from(l.quantity), l.product.price, l.line_total))));
                        let q = move || now.get_untracked().map_or(0, |(q, _, _)| q);
                        let name = line_name(&line.product.name, line.variant.as_ref());
                        let (name1, name2, name3) = (name.clone(), name.clone(), name);
                        let field = match id {
                            (product, None) => format!("qty-{product}"),
                            (product, Some(variant)) => format!("qty-{product}-{variant}"),
                        };
                        let href = match &line.variant {
                            Some(v) => format!("{}?variant={}", line.product.href(), v.id),
                            None => line.product.href(),
                        };
                        view! {
                            <li class="cart-line">
                                <img src=picture(line.product.id, &line.product.name, &line.product.category_slug) alt="" width="80" height="60"/>
                                <span class="name">
                                    <a href=href>{line.product.name.clone()}</a>
                                    {line.variant.as_ref().map(|v| view! { <span class="variant" data-testid="line-variant">{v.title.clone()}</span> })}
                                </span>
                                <span class="unit">{move || now.get().map(|(_, price, _)| money(price))}</span>
                                <span class="qty">
                                    <button type="button" aria-label=move || fill(fewer(), &[("name", &name1)]) on:click=move |_| set_quantity(id, q() - 1)>"−"</button>
                                    <label class="visually-hidden" for=field.clone()>{move || fill(quantity_of(), &[("name", &name2)])}</label>
                                    <input id=field type="number" inputmode="numeric" min="1" max=MAX_QUANTITY
                                        prop:value=move || now.get().map_or(0, |(q, _, _)| q).to_string()
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev).trim().parse::<i64>().unwrap_or(-1);
                                            set_quantity(id, v);
                                        }/>
                                    <button type="button" aria-label=move || fill(more(), &[("name", &name3)]) on:click=move |_| set_quantity(id, q() + 1)>"+"</button>
                                </span>
                                <span class="line-total">{move || now.get().map(|(_, _, total)| money(total))}</span>
                                <button type="button" class="link-button" on:click=move |_| set_quantity(id, 0)>{tr!(remove)}</button>
                            </li>
                        }
                    }}
                    </For>
                </ul>
                <div class="cart-summary">
                    {move || match priced() {
                        Some((figures, away, country)) => view! {
                            <Summary figures away total_id="cart-total"/>
                            <p class="hint">{move || fill(delivery_to(), &[("country", &country_name(&country))])}</p>
                            <crate::features::checkout::promise::DeliveryPromise method=Signal::stored(None)/>
                        }.into_any(),
                        // Until the shop's rules are known (first visit, offline): the goods.
                        None => view! {
                            <p>{tr!(subtotal)}" " <strong data-testid="subtotal">{move || shop.cart.with(|c| c.total.map(money).unwrap_or_default())}</strong></p>
                        }.into_any(),
                    }}
                    <CodeBox/>
                </div>
                <div class="sticky-action">
                    <a class="button primary" href="/checkout">{tr!(go_to_checkout)}</a>
                </div>
            }.into_any()
        }}
    }
}


/// The discount code: a field and "Apply", or the code in use with "Remove". The shop
/// checks a code (its days and uses are known only there); the cart then works out its
/// discount itself as the lines change, and says what is missing when it does nothing
/// ("add €7.40 more").
#[component]
pub fn CodeBox() -> impl IntoView {
    let shop = use_shop();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = typed.get_untracked();
        if code.trim().is_empty() {
            error.set(Some(tr_now!(code_empty).to_string()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match crate::features::cart::api::apply_code(&code).await {
                Ok(cart) => {
                    shop.set_cart(cart);
                    typed.set(String::new());
                    error.set(None);
                }
                Err(e) if e.status == 0 => error.set(Some(tr_now!(code_needs_connection).to_string())),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            match crate::features::cart::api::remove_code().await {
                Ok(cart) => shop.set_cart(cart),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    // A memo, so a cart reloaded with the same code does not draw the form anew under
    // the shopper's fingers.
    let applied = Memo::new(move |_| shop.cart.with(|c| c.code.as_ref().map(|code| (code.code.clone(), c.discount()))));
    let (code_label, code_applied, apply_label) = (tr!(discount_code), tr!(code_applied), tr!(apply_code));
    view! {
        <div class="code-box" data-testid="code-box">
            {move || match applied.get() {
                Some((code, state)) => view! {
                    <p data-testid="code-applied">
                        {move || fill(code_applied(), &[("code", &code)])}" "
                        <button type="button" class="link-button" on:click=remove>{tr!(remove)}</button>
                    </p>
                    {match state {
                        Some(Err(refusal)) => Some(view! { <p class="form-error" role="alert" data-testid="code-refusal">{refusal.message(|m| money(Money::new(m, shop.cart.with_untracked(|c| c.total.map_or(aisle_domain::Currency::EUR, |t| t.currency)))), |d| crate::platform::lang::day(d))}</p> }),
                        _ => None,
                    }}
                }.into_any(),
                None => view! {
                    <form class="code-form" on:submit=apply novalidate>
                        <label for="discount-code">{code_label}</label>
                        <span class="code-row">
                            <input id="discount-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40"
                                aria-invalid=move || error.with(Option::is_some).to_string() aria-describedby="discount-code-error"
                                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                            <button type="submit" disabled=move || busy.get()>{apply_label}</button>
                        </span>
                        <p class="form-error" id="discount-code-error" role="alert" data-testid="code-error">{move || error.get()}</p>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}
