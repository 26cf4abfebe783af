//! The shopper's session and cart, shared by every page through context: the header
//! badge, the product page's "Add to cart" and the checkout all read the same signals.

use crate::{platform::{http::{self, ApiError}, store}};
use aisle_domain::{cart::Cart, customer::{Customer, SessionInfo}};
use leptos::{prelude::*, task::spawn_local};

#[derive(Clone, Copy)]
pub struct Shop {
    /// `None` until the first `GET /api/session` answers.
    pub session: RwSignal<Option<SessionInfo>>,
    pub cart: RwSignal<Cart>,
    /// Set when the session could not be loaded (offline, server down).
    pub error: RwSignal<Option<ApiError>>,
    /// Cart changes wait in the outbox: the cart shown is the device's, which already
    /// includes them, and the server's (older) cart must not replace it yet.
    pub cart_changes_waiting: RwSignal<bool>,
}

impl Shop {
    pub fn new() -> Shop {
        let shop = Shop {
            session: RwSignal::new(None),
            cart: RwSignal::new(Cart::default()),
            error: RwSignal::new(None),
            cart_changes_waiting: RwSignal::new(false),
        };
        shop.load();
        shop
    }

    /// (Re)loads the session and then the cart. Offline, the device's copy stands in:
    /// the shopper last signed in here, and their cart as last seen.
    pub fn load(self) {
        spawn_local(async move {
            match http::session().await {
                Ok(info) => {
                    self.error.set(None);
                    remember_owner(info.customer.as_ref()).await;
                    // Show the device's cart at once (at start; later the cart on screen
                    // is newer). Changes still on their way are in it, not yet in the
                    // server's, which must then not replace it.
                    if self.cart.with_untracked(|c| c.lines.is_empty()) {
                        if let Ok(Some(cart)) = store::get_meta::<Cart>("cart").await {
                            self.cart.set(cart);
                        }
                    }
                    if crate::platform::outbox::cart_changes_waiting().await {
                        self.cart_changes_waiting.set(true);
                    }
                    self.session.set(Some(info));
                    self.reload_cart().await;
                    refresh_recent_orders(self).await;
                }
                Err(e) => {
                    let customer = store::get_meta::<Customer>("owner").await.ok().flatten();
                    if self.cart.with_untracked(|c| c.lines.is_empty()) {
                        if let Ok(Some(cart)) = store::get_meta::<Cart>("cart").await {
                            self.cart.set(cart);
                        }
                    }
                    self.session.set(Some(SessionInfo { customer, csrf_token: String::new() }));
                    self.error.set(Some(e));
                }
            }
        });
    }

    pub async fn reload_cart(self) {
        if let Ok(cart) = http::cart().await {
            if !self.cart_changes_waiting.get_untracked() {
                self.set_cart(cart);
            }
        }
    }

    /// Shows the cart and keeps a copy on the device for offline use.
    pub fn set_cart(self, cart: Cart) {
        self.cart.set(cart);
        // Writes go to IndexedDB in the order they are made; each writes the cart as it
        // is when it runs, so the device copy always ends as the latest.
        spawn_local(async move {
            let latest = self.cart.get_untracked();
            let _ = store::set_meta("cart", &latest).await;
        });
    }

    /// After sign-in, sign-up or sign-out: the new session, and the cart that goes with it.
    pub fn signed(self, info: Option<SessionInfo>) {
        match info {
            Some(info) => {
                let customer = info.customer.clone();
                self.session.set(Some(info));
                spawn_local(async move {
                    remember_owner(customer.as_ref()).await;
                    self.reload_cart().await;
                    refresh_recent_orders(self).await;
                });
            }
            None => {
                self.cart.set(Cart::default());
                spawn_local(async move {
                    // Nothing of the shopper who signed out stays on this device.
                    let _ = store::forget_personal_data(false).await;
                    self.load();
                });
            }
        }
    }

    /// Shows a cart change at once while it waits in the outbox; the server's answer
    /// replaces this guess when the change is sent.
    pub fn set_local_quantity(self, product: aisle_domain::ProductSummary, quantity: u32) {
        let mut items: Vec<(aisle_domain::ProductSummary, u32)> =
            self.cart.get_untracked().lines.into_iter().map(|l| (l.product, l.quantity)).collect();
        let before = items.iter().find(|(p, _)| p.id == product.id).map(|(_, q)| *q).unwrap_or(0);
        crate::features::personal::activity::cart_change(product.id, before, quantity);
        match items.iter_mut().find(|(p, _)| p.id == product.id) {
            Some(item) => item.1 = quantity,
            None => items.push((product, quantity)),
        }
        items.retain(|(_, q)| *q > 0);
        self.set_cart(Cart::from_lines(items));
    }

    pub fn customer(self) -> Option<Customer> {
        self.session.with(|s| s.as_ref().and_then(|s| s.customer.clone()))
    }

    pub fn loaded(self) -> bool {
        self.session.with(Option::is_some)
    }
}

/// Records who the device's personal data belongs to; a different (or no) shopper
/// means the previous one's data is removed first.
async fn remember_owner(customer: Option<&Customer>) {
    let previous = store::get_meta::<Customer>("owner").await.ok().flatten();
    if previous.as_ref().map(|c| c.id) != customer.map(|c| c.id) {
        // A guest signing in keeps their support token: the chats and requests they
        // made as a guest move into their account.
        let _ = store::forget_personal_data(previous.is_none()).await;
    }
    if let Some(c) = customer {
        let _ = store::set_meta("owner", c).await;
    }
}

/// Keeps the signed-in shopper's last 20 orders, and their address book for an
/// offline checkout, on the device.
pub async fn refresh_recent_orders(shop: Shop) {
    if shop.customer().is_none() {
        return;
    }
    if let Ok(orders) = http::recent_orders().await {
        let _ = store::replace_all(store::ORDERS, &orders).await;
    }
    if let Ok(addresses) = http::addresses().await {
        let _ = store::set_meta("addresses", &addresses).await;
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
