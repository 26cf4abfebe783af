//! The wish list shared through context: the hearts and the list page read the same
//! signal. The device keeps a copy (who it belongs to and its items), so the list
//! shows and changes offline:
//! - a guest's list is only on the device;
//! - a signed-in shopper's keeps and removals show at once and go through the outbox;
//!   the account's list replaces the copy when nothing waits to be sent;
//! - at sign-in the guest's copy is merged into the account (nothing either kept is
//!   lost), then becomes the account's copy;
//! - at sign-out the copy goes with the rest of the shopper's data.

use super::api;
use crate::{
    features::account::session::Shop,
    platform::{outbox::{Outbox, Outcome, Sent}, pwa::Pwa, store},
    tr_now,
};
use aisle_domain::{
    change::{Change, ChangeKind},
    wishlist::WishList,
    ProductSummary,
};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

/// The device's copy, in `meta`.
pub const WISHLIST_KEY: &str = "wishlist";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct DeviceCopy {
    /// The account it is a copy of; `None`: a guest's list.
    owner: Option<i64>,
    list: WishList,
}

#[derive(Clone, Copy)]
pub struct Wishes {
    pub list: RwSignal<WishList>,
    /// Why the last keep or removal was refused.
    pub error: RwSignal<Option<String>>,
    waiting: RwSignal<bool>,
    owner: StoredValue<Option<i64>>,
    outbox: Outbox,
}

pub fn use_wishes() -> Wishes {
    expect_context::<Wishes>()
}

impl Wishes {
    pub fn start(shop: Shop, outbox: Outbox, pwa: Pwa) -> Wishes {
        let wishes = Wishes {
            list: RwSignal::new(WishList::default()),
            error: RwSignal::new(None),
            waiting: RwSignal::new(false),
            owner: StoredValue::new(None),
            outbox,
        };
        outbox.on_waiting(Callback::new(move |kinds: Vec<ChangeKind>| wishes.waiting.set(kinds.contains(&ChangeKind::Wishlist))));
        outbox.on_sent(Callback::new(move |sent: Sent| {
            // Only the answer to the last waiting change is the list as it is now.
            if sent.change.kind() == ChangeKind::Wishlist && !wishes.waiting.get_untracked() {
                if let Ok(list) = serde_json::from_value::<WishList>(sent.answer) {
                    wishes.show(list);
                }
            }
        }));
        let who = Memo::new(move |_| shop.session.with(|s| s.as_ref().map(|s| s.customer.as_ref().map(|c| c.id))));
        Effect::new(move |_| {
            if let Some(customer) = who.get() {
                spawn_local(async move { wishes.follow(customer).await });
            }
        });
        keep_hearts_in_step(wishes);
        pwa.on_back_online(Callback::new(move |()| {
            if let Some(Some(customer)) = who.get_untracked() {
                spawn_local(async move { wishes.follow(Some(customer)).await });
            }
        }));
        wishes
    }

    /// Brings the list in step with who is signed in (`None`: a guest).
    async fn follow(self, customer: Option<i64>) {
        let copy: DeviceCopy = store::get_meta(WISHLIST_KEY).await.ok().flatten().unwrap_or_default();
        // Another shopper's copy is never shown (signing out removes it; this is the
        // belt to those braces).
        let copy = if copy.owner.is_some() && copy.owner != customer { DeviceCopy::default() } else { copy };
        self.owner.set_value(customer);
        self.list.try_set(copy.list.clone());
        let Some(customer) = customer else { return };
        let answer = if copy.owner.is_none() {
            // A guest's list meets the account: merged, then the account's copy.
            api::merge(&copy.list).await
        } else if self.waiting.get_untracked() || crate::platform::outbox::changes_waiting(ChangeKind::Wishlist).await {
            // The copy holds changes the account has not yet had.
            return;
        } else {
            api::wishlist().await
        };
        // Offline or refused: the copy stands; the merge is tried again next time.
        if let Ok(list) = answer {
            if self.owner.get_value() == Some(customer) {
                self.show(list);
            }
        }
    }

    /// Shows `list` and keeps it on the device as the current shopper's.
    fn show(self, list: WishList) {
        self.list.try_set(list);
        self.save();
    }

    fn save(self) {
        let copy = DeviceCopy { owner: self.owner.get_value(), list: self.list.get_untracked() };
        spawn_local(async move {
            let _ = store::set_meta(WISHLIST_KEY, &copy).await;
        });
    }

    pub fn contains(self, product_id: i64) -> bool {
        self.list.with(|l| l.contains(product_id))
    }

    /// Keeps or lets go of `product`: on screen and on the device at once, and for a
    /// signed-in shopper on the account as soon as it can be sent.
    pub fn toggle(self, product: &ProductSummary) {
        self.error.set(None);
        let keeping = !self.contains(product.id);
        let mut list = self.list.get_untracked();
        let kept_before = list.items.iter().find(|i| i.product_id == product.id).cloned();
        if keeping {
            if let Err(full) = list.add(product, &now()) {
                self.error.set(Some(full.to_string()));
                return;
            }
        } else {
            list.remove(product.id);
        }
        self.list.set(list);
        self.save();
        if self.owner.get_value().is_none() {
            return;
        }
        let outbox = self.outbox;
        let (product_id, name) = (product.id, product.name.clone());
        spawn_local(async move {
            let (change, label) = if keeping {
                (Change::Wish { product_id }, crate::platform::lang::fill(tr_now!(wish_keep_label), &[("name", &name)]))
            } else {
                (Change::Unwish { product_id }, crate::platform::lang::fill(tr_now!(wish_remove_label), &[("name", &name)]))
            };
            if let Outcome::Refused(e) = outbox.submit(label, change, None).await {
                // Undo this one change (others made meanwhile stand), and say why.
                self.list.try_update(|l| match kept_before {
                    Some(item) if !l.contains(product_id) => l.items.insert(0, item),
                    Some(_) => {}
                    None => l.remove(product_id),
                });
                self.save();
                self.error.try_set(Some(e.message));
            }
        });
    }
}

/// Now, as the API writes times ("2026-12-07T09:30:00Z").
fn now() -> String {
    let iso = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    // "2026-12-07T09:30:00.123Z" → without the milliseconds.
    match iso.split_once('.') {
        Some((seconds, _)) => format!("{seconds}Z"),
        None => iso,
    }
}

/// A heart's picture: filled when kept.
pub fn glyph(kept: bool) -> &'static str {
    if kept {
        "♥"
    } else {
        "♡"
    }
}

thread_local! {
    /// The products whose hearts were drawn, for the click (which needs the price and
    /// stock to keep). A few hundred at most; cleared rather than grown without end.
    static DRAWN: std::cell::RefCell<std::collections::HashMap<i64, ProductSummary>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

pub fn remember(product: ProductSummary) {
    DRAWN.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() >= 1000 {
            d.clear();
        }
        d.insert(product.id, product);
    });
}

/// The product of a drawn heart.
pub fn drawn(id: i64) -> Option<ProductSummary> {
    DRAWN.with(|d| d.borrow().get(&id).cloned())
}

/// The cards' hearts (see `heart::WishHeart`): one click listener on the document for
/// all of them, and one effect that sets every heart on the page when the list changes.
fn keep_hearts_in_step(wishes: Wishes) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let on_click = Closure::<dyn FnMut(leptos::web_sys::MouseEvent)>::new(move |ev: leptos::web_sys::MouseEvent| {
        let Some(heart) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()).and_then(|el| el.closest("button[data-wish]").ok().flatten()) else { return };
        let Some(product) = heart.get_attribute("data-wish").and_then(|id| id.parse::<i64>().ok()).and_then(drawn) else { return };
        wishes.toggle(&product);
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The shop's frame lives as long as the page: so does its one listener.
    on_click.forget();
    Effect::new(move |_| {
        let list = wishes.list.get();
        let Ok(hearts) = document().query_selector_all("button[data-wish]") else { return };
        for i in 0..hearts.length() {
            let Some(heart) = hearts.item(i).and_then(|n| n.dyn_into::<leptos::web_sys::Element>().ok()) else { continue };
            let kept = heart.get_attribute("data-wish").and_then(|id| id.parse::<i64>().ok()).is_some_and(|id| list.contains(id));
            let pressed = if kept { "true" } else { "false" };
            if heart.get_attribute("aria-pressed").as_deref() != Some(pressed) {
                let _ = heart.set_attribute("aria-pressed", pressed);
                if let Some(picture) = heart.first_element_child() {
                    picture.set_text_content(Some(glyph(kept)));
                }
            }
        }
    });
}
