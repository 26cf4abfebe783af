//! The outbox: every change a shopper makes — cart, checkout, order self-service,
//! profile, addresses, and support requests (call-backs, messages, feedback, votes,
//! ratings) — is written to IndexedDB first, then sent. Online, that is at once and the page shows the answer; offline, it waits and is sent when the
//! connection returns, retried with back-off. Each entry carries an idempotency key
//! the API honours, so a resend after a lost answer never acts twice.
//!
//! What is waiting is shown ("2 changes waiting to be sent"); what happened to a change
//! sent later is shown too, refusals included ("… is sold out").

use crate::{
    features::account::session::{refresh_recent_orders, Shop},
    platform::{http::{self, ApiError}, lang::fill, store},
    tr,
    tr_now,
};
use aisle_domain::{cart::Cart, customer::Customer, order::Order, ErrorCode};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Cart,
    Checkout,
    Order,
    Account,
    /// Call-backs, contact messages, feedback, FAQ votes, ratings.
    Support,
    /// A clickstream batch: sent quietly, never announced.
    Activity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The idempotency key, also the entry's key on the device.
    pub key: String,
    /// Milliseconds since 1970 when the shopper made the change; entries go in this order.
    pub seq: f64,
    pub kind: Kind,
    /// What the shopper did, in words: "Cancel order A000012".
    pub label: String,
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
    pub attempts: u32,
    /// Not before this time (ms): the back-off after a failed attempt.
    pub next_try: f64,
}

/// What became of a change the page submitted.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent(serde_json::Value),
    Refused(ApiError),
    /// Saved on the device, to be sent when the connection is back.
    Queued,
}

/// The result of a change sent later, for the notices list.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub key: String,
    pub ok: bool,
    pub text: String,
    pub link: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Outbox {
    pub pending: RwSignal<Vec<Entry>>,
    pub notices: RwSignal<Vec<Notice>>,
    flushing: StoredValue<bool>,
    /// Changes a page is waiting on, to show their answer itself; any other change
    /// sent reports through the notices.
    awaited: StoredValue<HashSet<String>>,
    results: StoredValue<HashMap<String, Outcome>>,
    /// Changes finished since the app started, so a stale read of the device's list
    /// cannot bring one back.
    finished: StoredValue<HashSet<String>>,
    shop: Shop,
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

const RETRY_TICK_MS: i32 = 3_000;
/// How long a page waits online for the answer to a change queued behind others.
const ANSWER_WAIT_MS: u32 = 10_000;

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
const MAX_BACKOFF_MS: f64 = 30_000.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Outbox {
    pub fn start(shop: Shop) -> Outbox {
        let outbox = Outbox {
            pending: RwSignal::new(Vec::new()),
            notices: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            awaited: StoredValue::new(HashSet::new()),
            results: StoredValue::new(HashMap::new()),
            finished: StoredValue::new(HashSet::new()),
            shop,
        };
        spawn_local(async move {
            outbox.reload_pending().await;
            outbox.retry_now().await;
        });
        let tick = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if !outbox.pending.get_untracked().is_empty() {
                spawn_local(async move { outbox.flush().await });
            }
        });
        let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
            leptos::wasm_bindgen::JsCast::unchecked_ref(tick.as_ref()),
            RETRY_TICK_MS,
        );
        tick.forget();
        outbox
    }

    /// Adds the changes kept on the device to the list. Merged, not replaced: a change
    /// made while the device was being read (a shopper quick after a reload) may not be
    /// in what was read, and replacing the list dropped it until the next start.
    async fn reload_pending(self) {
        let stored: Vec<Entry> = store::get_all(store::OUTBOX).await.unwrap_or_default();
        let finished = self.finished.get_value();
        self.pending.update(|p| {
            for e in stored {
                if !finished.contains(&e.key) && !p.iter().any(|x| x.key == e.key) {
                    p.push(e);
                }
            }
            p.sort_by(|a, b| a.seq.total_cmp(&b.seq));
        });
        self.note_cart_waiting();
    }

    fn note_cart_waiting(self) {
        let waiting = self.pending.with_untracked(|p| p.iter().any(|e| e.kind == Kind::Cart));
        self.shop.cart_changes_waiting.set(waiting);
    }

    /// Sends what waits without waiting out the back-off: for a fresh start or when the
    /// connection has just come back.
    pub async fn retry_now(self) {
        self.pending.update(|p| p.iter_mut().for_each(|e| e.next_try = 0.0));
        self.flush().await;
    }

    /// Saves a change and sends it if it can. `key` is the change's idempotency key
    /// (a checkout brings its own, kept across its retries).
    pub async fn submit<B: Serialize>(self, kind: Kind, label: String, method: &str, path: String, body: &B, key: Option<String>) -> Outcome {
        let entry = Entry {
            key: key.unwrap_or_else(crate::features::account::session::new_idempotency_key),
            seq: now_ms(),
            kind,
            label,
            method: method.to_string(),
            path,
            body: serde_json::to_value(body).unwrap_or(serde_json::Value::Null),
            attempts: 0,
            next_try: 0.0,
        };
        let key = entry.key.clone();
        if let Err(e) = store::put(store::OUTBOX, &entry).await {
            // Without storage the change can still be sent now, just not kept for later.
            return match http::send_change(&entry.method, &entry.path, &entry.body, &entry.key).await {
                Ok(v) => Outcome::Sent(v),
                Err(err) => Outcome::Refused(ApiError { message: format!("{} ({e})", err.message), ..err }),
            };
        }
        self.pending.update(|p| {
            p.retain(|x| x.key != entry.key);
            p.push(entry);
        });
        self.note_cart_waiting();
        self.awaited.update_value(|a| {
            a.insert(key.clone());
        });
        self.flush().await;
        // Another send was already under way and will reach this change: online, wait a
        // little for its answer rather than call it "waiting for the connection".
        let mut waited = 0;
        while waited < ANSWER_WAIT_MS && self.flushing.get_value() && !self.has_result(&key) && self.is_pending(&key) {
            sleep(100).await;
            waited += 100;
        }
        self.awaited.update_value(|a| {
            a.remove(&key);
        });
        self.results.try_update_value(|r| r.remove(&key)).flatten().unwrap_or(Outcome::Queued)
    }

    fn has_result(self, key: &str) -> bool {
        self.results.with_value(|r| r.contains_key(key))
    }

    fn is_pending(self, key: &str) -> bool {
        self.pending.with_untracked(|p| p.iter().any(|e| e.key == key))
    }

    fn is_awaited(self, key: &str) -> bool {
        self.awaited.with_value(|a| a.contains(key))
    }

    /// Sends waiting changes in the order they were made, stopping at the first that
    /// cannot go yet (so a later change never overtakes an earlier one).
    pub async fn flush(self) {
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        let mut session_renewed = false;
        while let Some(mut entry) = self.pending.get_untracked().into_iter().next() {
            if entry.next_try > now_ms() {
                break;
            }
            match http::send_change(&entry.method, &entry.path, &entry.body, &entry.key).await {
                Ok(value) => {
                    let later = !self.is_awaited(&entry.key);
                    self.finish(&entry, Outcome::Sent(value.clone())).await;
                    self.apply(&entry, &value, later);
                }
                Err(e) if matches!(e.status, 401 | 403) && !session_renewed => {
                    // The session ended or changed (a sign-in elsewhere): renew and resend.
                    session_renewed = true;
                    let _ = http::session().await;
                }
                Err(e) if is_temporary(&e) => {
                    entry.attempts += 1;
                    // The shop is still busy with this very change: ask again shortly.
                    let wait = if e.code == Some(ErrorCode::InProgress) { 1000.0 } else { 500.0 * 2f64.powi(entry.attempts.min(8) as i32) };
                    entry.next_try = now_ms() + wait.min(MAX_BACKOFF_MS);
                    let _ = store::put(store::OUTBOX, &entry).await;
                    // By key: the list may have changed while the change was on its way.
                    self.pending.update(|p| {
                        if let Some(same) = p.iter_mut().find(|x| x.key == entry.key) {
                            *same = entry.clone();
                        }
                    });
                    break;
                }
                Err(e) => {
                    if !self.is_awaited(&entry.key) && entry.kind != Kind::Activity {
                        self.notify(&entry, false, fill(tr_now!(notice_not_done), &[("label", &entry.label), ("reason", &e.message)]), None);
                    }
                    self.finish(&entry, Outcome::Refused(e)).await;
                }
            }
        }
        self.flushing.set_value(false);
    }

    async fn finish(self, entry: &Entry, outcome: Outcome) {
        self.finished.update_value(|f| {
            f.insert(entry.key.clone());
        });
        let _ = store::delete(store::OUTBOX, &entry.key).await;
        self.pending.update(|p| p.retain(|x| x.key != entry.key));
        self.note_cart_waiting();
        if self.is_awaited(&entry.key) {
            self.results.update_value(|r| {
                r.insert(entry.key.clone(), outcome);
            });
        }
    }

    /// What a sent change means for the rest of the app.
    fn apply(self, entry: &Entry, value: &serde_json::Value, later: bool) {
        let shop = self.shop;
        match entry.kind {
            Kind::Cart => {
                // Only the answer to the last waiting cart change is the cart as it is
                // now; earlier answers would undo the changes still on their way.
                if !shop.cart_changes_waiting.get_untracked() {
                    if let Ok(cart) = serde_json::from_value::<Cart>(value.clone()) {
                        shop.set_cart(cart);
                    }
                }
            }
            Kind::Checkout | Kind::Order => {
                let order = serde_json::from_value::<Order>(value.clone()).ok();
                if later {
                    let link = order.as_ref().map(|o| format!("/orders/{}?token={}", o.number, o.access_token));
                    let text = match (&order, entry.kind) {
                        (Some(o), Kind::Checkout) => fill(tr_now!(notice_order_placed), &[("number", &o.number)]),
                        _ => fill(tr_now!(notice_done), &[("label", &entry.label)]),
                    };
                    self.notify(entry, true, text, link);
                }
                spawn_local(async move {
                    shop.reload_cart().await;
                    refresh_recent_orders(shop).await;
                });
            }
            Kind::Activity => {}
            Kind::Support => {
                if later {
                    self.notify(entry, true, fill(tr_now!(notice_sent), &[("label", &entry.label)]), None);
                }
            }
            Kind::Account => {
                if let Ok(customer) = serde_json::from_value::<Customer>(value.clone()) {
                    shop.session.update(|s| {
                        if let Some(s) = s {
                            s.customer = Some(customer);
                        }
                    });
                }
                if later {
                    self.notify(entry, true, fill(tr_now!(notice_done), &[("label", &entry.label)]), None);
                }
            }
        }
    }

    fn notify(self, entry: &Entry, ok: bool, text: String, link: Option<String>) {
        self.notices.update(|n| n.push(Notice { key: entry.key.clone(), ok, text, link }));
    }
}

/// Whether cart changes wait on this device (read before the app has started the
/// outbox, so the cart shown at start is the device's own).
pub async fn cart_changes_waiting() -> bool {
    store::get_all::<Entry>(store::OUTBOX).await.map(|e| e.iter().any(|e| e.kind == Kind::Cart)).unwrap_or(false)
}

/// Worth another try later: no answer, a server fault, or "still being handled".
fn is_temporary(e: &ApiError) -> bool {
    e.status == 0 || e.status >= 500 || e.status == 429 || matches!(e.status, 401 | 403) || e.code == Some(ErrorCode::InProgress)
}

/// "2 changes waiting to be sent", and what happened to changes sent later.
#[component]
pub fn OutboxStatus() -> impl IntoView {
    let outbox = use_outbox();
    let (one, other) = (tr!(outbox_pending_1), tr!(outbox_pending_n));
    view! {
        {move || {
            let n = outbox.pending.with(|p| p.iter().filter(|e| e.kind != Kind::Activity).count());
            (n > 0).then(|| view! {
                <div class="outbox-status" role="status" data-testid="outbox-pending">
                    {move || if n == 1 { one().to_string() } else { fill(other(), &[("n", &n)]) }}
                </div>
            })
        }}
        <ul class="notices" aria-live="polite" data-testid="outbox-notices">
            {move || outbox.notices.get().into_iter().map(|n| {
                let key = n.key.clone();
                view! {
                    <li class=if n.ok { "notice" } else { "form-error" }>
                        {n.text}
                        {n.link.map(|href| view! { " " <a href=href>{tr!(see_the_order)}</a> })}
                        " "
                        <button type="button" class="link-button" on:click=move |_| outbox.notices.update(|l| l.retain(|x| x.key != key))>{tr!(dismiss)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
