//! The header every page shares: the shop's name, instant search, and the categories.

use crate::{app::Categories, shop::use_shop};
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
            <nav class="category-nav" aria-label="Categories">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        // A failed list only hides the links; the page itself says what went wrong.
                        categories.await.ok().map(|cats| view! {
                            <ul>
                                {cats.into_iter().map(|c| { let href = c.href(); view! { <li><a href=href>{c.name}</a></li> } }).collect_view()}
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
    let count = move || shop.cart.with(|c| c.count);
    view! {
        <nav class="account-nav" aria-label="Account">
            {move || match shop.customer() {
                Some(c) => view! { <a href="/account" data-testid="account-link">{c.name.split_whitespace().next().unwrap_or("Account").to_string()}</a> }.into_any(),
                None => view! { <a href="/signin" data-testid="account-link">"Sign in"</a> }.into_any(),
            }}
            // The name read out ("Cart 2 items") starts with what is seen ("Cart 2"), so
            // voice control users can say what they see.
            <a href="/cart" class="cart-link" data-testid="cart-link">
                "Cart "
                <span class="badge" data-testid="cart-count">{count}</span>
                <span class="visually-hidden">{move || if count() == 1 { " item" } else { " items" }}</span>
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

    let go = move |q: String, replace: bool| {
        let href = format!("/search?q={}", encode_query(&q));
        navigate(&href, NavigateOptions { replace, ..Default::default() });
    };
    let go_typed = go.clone();
    view! {
        <form class="search" role="search" action="/search" on:submit=move |ev| {
            ev.prevent_default();
            let q = event_target_value_of_form(&ev);
            go(q, false);
        }>
            <label for="q" class="visually-hidden">"Search products"</label>
            <input id="q" name="q" type="search" placeholder="Search products" autocomplete="off"
                prop:value=value
                on:input=move |ev| go_typed(event_target_value(&ev), on_search_page())/>
            <button type="submit">"Search"</button>
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

/// Percent-encodes a search query for the URL.
pub fn encode_query(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    for b in q.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                <a href="/help">"Help and answers"</a>" · "
                <a href="/contact">"Contact us"</a>" · "
                <a href="/privacy">"Privacy and your data"</a>" · "
                <a href="/account/support">"Your conversations with us"</a>
            </p>
            <p>"Aisle — an open-source storefront."</p>
        </footer>
    }
}
