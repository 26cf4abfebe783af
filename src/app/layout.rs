//! The header every page shares: the shop's name, instant search, and the categories.

use crate::{
    features::{account::session::use_shop, catalogue::local::Categories},
    platform::http::encode_query,
    tr,
};
use leptos::prelude::*;
use leptos_router::{
    hooks::{use_location, use_navigate, use_query_map},
    NavigateOptions,
};

#[component]
pub fn Header() -> impl IntoView {
    let Categories(categories) = expect_context::<Categories>();
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">"Aisle"</a>
                <SearchBox/>
                <AccountLinks/>
            </div>
            <nav class="category-nav" aria-label=tr!(nav_categories)>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        // A failed list only hides the links; the page itself says what went wrong.
                        categories.await.ok().map(|cats| view! {
                            <ul>
                                {cats.into_iter().filter(|c| c.parent.is_none()).map(|c| { let href = c.href(); view! { <li><a href=href>{c.name}</a></li> } }).collect_view()}
                            </ul>
                        })
                    })}
                </Suspense>
            </nav>
        </header>
    }
}

/// "Sign in" or the shopper's name, and the cart with its item count.
#[component]
fn AccountLinks() -> impl IntoView {
    let shop = use_shop();
    let wishes = crate::features::wishlist::state::use_wishes();
    let count = move || shop.cart.with(|c| c.count);
    let (item_one, item_other) = (tr!(cart_item_1), tr!(cart_item_n));
    view! {
        <nav class="account-nav" aria-label=tr!(nav_account)>
            {move || match shop.customer() {
                Some(c) => view! { <a href="/account" data-testid="account-link">{c.name.split_whitespace().next().map(str::to_string)}</a> }.into_any(),
                None => view! { <a href="/signin" data-testid="account-link">{tr!(sign_in)}</a> }.into_any(),
            }}
            <a href="/wishlist" class="wish-link" data-testid="wishlist-link">
                <span aria-hidden="true">"♡"</span><span class="wish-word">{tr!(wishlist)}</span>
                {move || { let n = wishes.list.with(|l| l.items.len()); (n > 0).then(|| view! { " " <span class="badge" data-testid="wishlist-count-badge">{n}</span> }) }}
            </a>
            // The name read out ("Cart 2 items") starts with what is seen ("Cart 2"), so
            // voice control users can say what they see.
            <a href="/cart" class="cart-link" data-testid="cart-link">
                {tr!(cart)}" "
                <span class="badge" data-testid="cart-count">{count}</span>
                <span class="visually-hidden">" "{move || if count() == 1 { item_one() } else { item_other() }}</span>
            </a>
        </nav>
    }
}

/// Results follow each keystroke: typing updates `/search?q=…`, replacing the history
/// entry so Back leaves search instead of stepping through every letter typed.
#[component]
fn SearchBox() -> impl IntoView {
    let navigate = use_navigate();
    let location = use_location();
    let query = use_query_map();
    let on_search_page = move || location.pathname.get() == "/search";
    let value = move || if on_search_page() { query.read().get("q").unwrap_or_default() } else { String::new() };

    let go = {
        let navigate = navigate.clone();
        move |q: String, replace: bool| {
            let href = format!("/search?q={}", encode_query(&q));
            navigate(&href, NavigateOptions { replace, ..Default::default() });
        }
    };
    // Typing on the results page keeps the order and filters chosen there (a new
    // query starts at its first page); a search sent from elsewhere starts afresh.
    let go_typed = {
        move |q: String, on_results: bool| {
            let mut href = format!("/search?q={}", encode_query(&q));
            if on_results {
                for (k, v) in (&*query.read_untracked()).into_iter() {
                    if k.as_ref() != "q" && k.as_ref() != "page" {
                        href.push_str(&format!("&{k}={}", encode_query(v.as_ref())));
                    }
                }
            }
            navigate(&href, NavigateOptions { replace: on_results, ..Default::default() });
        }
    };
    view! {
        <form novalidate class="search" role="search" action="/search" on:submit=move |ev| {
            ev.prevent_default();
            let q = event_target_value_of_form(&ev);
            go(q, false);
        }>
            <label for="q" class="visually-hidden">{tr!(search_products)}</label>
            <input id="q" name="q" type="search" placeholder=tr!(search_products) autocomplete="off"
                prop:value=value
                on:input=move |ev| go_typed(event_target_value(&ev), on_search_page())/>
            <button type="submit">{tr!(search)}</button>
        </form>
    }
}

fn event_target_value_of_form(ev: &leptos::ev::SubmitEvent) -> String {
    use leptos::wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        .and_then(|form| form.elements().named_item("q"))
        .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                <a href="/help">{tr!(footer_help)}</a>" · "
                <a href="/find-order">{tr!(footer_find_order)}</a>" · "
                <a href="/contact">{tr!(footer_contact)}</a>" · "
                <a href="/privacy">{tr!(footer_privacy)}</a>" · "
                <a href="/account/support">{tr!(footer_conversations)}</a>
            </p>
            // What the law asks every page of an EU shop to link to.
            <p class="legal-links" data-testid="legal-links">
                <a href="/legal/terms">{tr!(footer_terms)}</a>" · "
                <a href="/legal/withdrawal">{tr!(footer_withdrawal)}</a>" · "
                <a href="/legal/privacy">{tr!(footer_privacy_notice)}</a>" · "
                <a href="/legal/imprint">{tr!(footer_imprint)}</a>
            </p>
            <p class="language"><crate::platform::lang::LanguageSelect/></p>
            <p class="market-line"><crate::features::market::switch::MarketSwitch/></p>
            <p>{tr!(footer_tagline)}</p>
        </footer>
    }
}
