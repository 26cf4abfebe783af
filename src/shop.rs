//! The shopper's session and cart, shared by every page through context: the header
//! badge, the product page's "Add to cart" and the checkout all read the same signals.

use crate::api::{self, ApiError};
use aisle_domain::shop::{Cart, Customer, SessionInfo};
use leptos::{prelude::*, task::spawn_local};

#[derive(Clone, Copy)]
pub struct Shop {
    /// `None` until the first `GET /api/session` answers.
    pub session: RwSignal<Option<SessionInfo>>,
    pub cart: RwSignal<Cart>,
    /// Set when the session could not be loaded (offline, server down).
    pub error: RwSignal<Option<ApiError>>,
}

impl Shop {
    pub fn new() -> Shop {
        let shop = Shop { session: RwSignal::new(None), cart: RwSignal::new(Cart::default()), error: RwSignal::new(None) };
        shop.load();
        shop
    }

    /// (Re)loads the session and then the cart.
    pub fn load(self) {
        spawn_local(async move {
            match api::session().await {
                Ok(info) => {
                    self.session.set(Some(info));
                    self.error.set(None);
                    self.reload_cart().await;
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub async fn reload_cart(self) {
        if let Ok(cart) = api::cart().await {
            self.cart.set(cart);
        }
    }

    /// After sign-in, sign-up or sign-out: the new session, and the cart that goes with it.
    pub fn signed(self, info: Option<SessionInfo>) {
        match info {
            Some(info) => {
                self.session.set(Some(info));
                spawn_local(async move { self.reload_cart().await });
            }
            None => {
                self.cart.set(Cart::default());
                self.load();
            }
        }
    }

    pub fn customer(self) -> Option<Customer> {
        self.session.with(|s| s.as_ref().and_then(|s| s.customer.clone()))
    }

    pub fn loaded(self) -> bool {
        self.session.with(Option::is_some)
    }
}

impl Default for Shop {
    fn default() -> Self {
        Shop::new()
    }
}

pub fn use_shop() -> Shop {
    expect_context::<Shop>()
}

/// A fresh key for one checkout: the same key is sent on every retry of that checkout,
/// so the server places the order once however often the request is repeated.
pub fn new_idempotency_key() -> String {
    let now = js_sys::Date::now() as u64;
    let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("co-{now:x}-{a:08x}{b:08x}")
}
