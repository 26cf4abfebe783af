//! `/cart`: change quantities, remove lines, go to checkout.

use crate::{
    api::{self, ApiError},
    app::set_title,
    components::{feedback::Loading, product_card::picture},
    shop::use_shop,
};
use aisle_domain::customer::MAX_QUANTITY;
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn CartView() -> impl IntoView {
    set_title("Your cart");
    let shop = use_shop();
    let error = RwSignal::new(None::<ApiError>);
    let set_quantity = move |product_id: i64, quantity: i64| {
        spawn_local(async move {
            match api::set_cart_quantity(product_id, quantity).await {
                Ok(cart) => {
                    error.set(None);
                    shop.set_cart(cart);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    view! {
        <h1>"Your cart"</h1>
        <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
        {move || {
            if !shop.loaded() {
                return view! { <Loading/> }.into_any();
            }
            let cart = shop.cart.get();
            if cart.lines.is_empty() {
                return view! { <p class="empty-cart">"Your cart is empty. " <a href="/">"Browse the shop"</a></p> }.into_any();
            }
            view! {
                <ul class="cart-lines">
                    {cart.lines.into_iter().map(|line| {
                        let id = line.product.id;
                        let q = i64::from(line.quantity);
                        view! {
                            <li class="cart-line">
                                <img src=picture(line.product.id, &line.product.name, &line.product.category_slug) alt="" width="80" height="60"/>
                                <a class="name" href=line.product.href()>{line.product.name.clone()}</a>
                                <span class="unit">{line.product.price.to_string()}</span>
                                <span class="qty">
                                    <button type="button" aria-label=format!("One fewer {}", line.product.name) on:click=move |_| set_quantity(id, q - 1)>"−"</button>
                                    <label class="visually-hidden" for=format!("qty-{id}")>{format!("Quantity of {}", line.product.name)}</label>
                                    <input id=format!("qty-{id}") type="number" inputmode="numeric" min="1" max=MAX_QUANTITY value=q
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev).trim().parse::<i64>().unwrap_or(-1);
                                            set_quantity(id, v);
                                        }/>
                                    <button type="button" aria-label=format!("One more {}", line.product.name) on:click=move |_| set_quantity(id, q + 1)>"+"</button>
                                </span>
                                <span class="line-total">{line.line_total.to_string()}</span>
                                <button type="button" class="link-button" on:click=move |_| set_quantity(id, 0)>"Remove"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="cart-summary sticky-action">
                    <p>"Total: " <strong data-testid="cart-total">{cart.total.map(|t| t.to_string()).unwrap_or_default()}</strong></p>
                    <a class="button primary" href="/checkout">"Go to checkout"</a>
                </div>
            }.into_any()
        }}
    }
}
