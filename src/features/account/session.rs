//! The shopper's session and cart, shared by every page through context: the header
//! badge, the product page's "Add to cart" and the checkout all read the same signals.
//! They follow the outbox (what it sent, what waits) and the connection (renewed when
//! it comes back) by listening, so neither needs to know this module.

use super::api;
use crate::{
    platform::{
    http::{self, ApiError},
    outbox::{self, Outbox, Sent},
    pwa::Pwa,
    store,
},
};
use aisle_domain::{cart::Cart, change::{Change, ChangeKind}, customer::{Customer, SessionInfo}};
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
    /// Counts the shopper's cart changes on this page. A cart read that began before
    /// the latest change may be answered after that change was sent and answered (two
    /// instances behind a balancer answer in any order), so it would put back the old
    /// quantity: such an answer is dropped.
    cart_edits: StoredValue<u64>,
}

impl Shop {
    /// Loads the session, and keeps it and the cart in step with what the outbox sends
    /// and with the connection.
    pub fn start(outbox: Outbox, pwa: Pwa) -> Shop {
        let shop = Shop {
            session: RwSignal::new(None),
            cart: RwSignal::new(Cart::default()),
            error: RwSignal::new(None),
            cart_changes_waiting: RwSignal::new(false),
            cart_edits: StoredValue::new(0),
        };
        outbox.on_waiting(Callback::new(move |kinds: Vec<ChangeKind>| {
            let (was, now) = (shop.cart_changes_waiting.get_untracked(), kinds.contains(&ChangeKind::Cart));
            shop.cart_changes_waiting.set(now);
            // The last waiting cart change is done, sent or refused: the shop's cart is
            // the cart now. A refused one (a size deleted while it waited offline) thus
            // leaves the cart, and the outbox's notice says why.
            if was && !now {
                spawn_local(async move { shop.reload_cart().await });
            }
        }));
        outbox.on_sent(Callback::new(move |sent: Sent| shop.after_sent(sent)));
        pwa.on_back_online(Callback::new(move |()| shop.load()));
        shop.load();
        shop
    }

    /// What a sent change means for the session and the cart.
    fn after_sent(self, sent: Sent) {
        match sent.change {
            // Only the answer to the last waiting cart change is the cart as it is now;
            // earlier answers would undo the changes still on their way.
            Change::SetCartQuantity { .. } if !self.cart_changes_waiting.get_untracked() => {
                if let Ok(cart) = serde_json::from_value::<Cart>(sent.answer) {
                    self.set_cart(cart);
                }
            }
            Change::UpdateProfile { .. } => {
                if let Ok(customer) = serde_json::from_value::<Customer>(sent.answer) {
                    self.session.update(|s| {
                        if let Some(s) = s {
                            s.customer = Some(customer);
                        }
                    });
                }
            }
            change if matches!(change.kind(), ChangeKind::Checkout | ChangeKind::Order) => spawn_local(async move {
                self.reload_cart().await;
                refresh_recent_orders(self).await;
            }),
            _ => {}
        }
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
                    if outbox::cart_changes_waiting().await {
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
        let edits = self.cart_edits.get_value();
        if let Ok(cart) = crate::features::cart::api::cart().await {
            if !self.cart_changes_waiting.get_untracked() && self.cart_edits.get_value() == edits {
                self.set_cart(cart);
            }
        }
    }

    /// Shows the cart and keeps a copy on the device for offline use.
    pub fn set_cart(self, cart: Cart) {
        // The shop sends its own prices; the shopper sees their market's.
        self.cart.set(crate::features::market::priced(cart));
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
    pub fn set_local_quantity(self, product: aisle_domain::ProductSummary, variant: Option<aisle_domain::cart::ChosenVariant>, quantity: u32) {
        self.cart_edits.update_value(|n| *n += 1);
        let mut items: Vec<(aisle_domain::ProductSummary, Option<aisle_domain::cart::ChosenVariant>, u32)> =
            self.cart.get_untracked().lines.into_iter().map(|l| (l.product, l.variant, l.quantity)).collect();
        let key = (product.id, variant.as_ref().map(|v| v.id));
        let same = |(p, v, _): &(aisle_domain::ProductSummary, Option<aisle_domain::cart::ChosenVariant>, u32)| (p.id, v.as_ref().map(|v| v.id)) == key;
        let before = items.iter().find(|i| same(i)).map(|(_, _, q)| *q).unwrap_or(0);
        crate::features::personal::activity::cart_change(product.id, before, quantity);
        match items.iter_mut().find(|i| same(i)) {
            Some(item) => item.2 = quantity,
            None => items.push((product, variant, quantity)),
        }
        items.retain(|(_, _, q)| *q > 0);
        // The code stays with the cart; its discount follows the new lines.
        let code = self.cart.with_untracked(|c| c.code.clone());
        let mut cart = Cart::from_lines(items);
        cart.code = code.filter(|_| !cart.lines.is_empty());
        self.set_cart(cart);
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
    if shop.customer().is_some() {
        keep_orders_on_device().await;
    }
}

/// The readers of orders and addresses are only needed once someone signs in, so in
/// the split build (feature `split`) they are a wasm part of their own.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn keep_orders_on_device() {
    if let Ok(orders) = crate::features::orders::api::recent_orders().await {
        let _ = store::replace_all(store::ORDERS, &orders).await;
    }
    if let Ok(addresses) = api::addresses().await {
        let _ = store::set_meta("addresses", &addresses).await;
    }
}

pub fn use_shop() -> Shop {
    expect_context::<Shop>()
}
