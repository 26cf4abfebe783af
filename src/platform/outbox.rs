//! The outbox: every change a shopper makes — cart, checkout, order self-service,
//! profile, addresses, and support requests (call-backs, messages, feedback, votes,
//! ratings) — is written to IndexedDB first, then sent. Online, that is at once and the page shows the answer; offline, it waits and is sent when the
//! connection returns, retried with back-off. Each entry carries an idempotency key
//! the API honours, so a resend after a lost answer never acts twice.
//!
//! What is waiting is shown ("2 changes waiting to be sent"); what happened to a change
//! sent later is shown too, refusals included ("… is sold out").

use crate::{platform::{http::{self, ApiError}, lang::fill, pwa::Pwa, store}, tr, tr_now};
use aisle_domain::{change::{Change, ChangeKind, OUTBOX_VERSION}, ErrorCode};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The format this entry was written in ([`OUTBOX_VERSION`]).
    pub version: u32,
    /// The idempotency key, also the entry's key on the device.
    pub key: String,
    /// Milliseconds since 1970 when the shopper made the change; entries go in this order.
    pub seq: f64,
    /// What the shopper did, in words: "Cancel order A000012".
    pub label: String,
    pub change: Change,
    pub attempts: u32,
    /// Not before this time (ms): the back-off after a failed attempt.
    pub next_try: f64,
}

impl Entry {
    pub fn kind(&self) -> ChangeKind {
        self.change.kind()
    }
}

/// An entry as builds before [`OUTBOX_VERSION`] 2 kept it: the request as text.
#[derive(Debug, Deserialize)]
struct LegacyEntry {
    key: String,
    seq: f64,
    label: String,
    method: String,
    path: String,
    #[serde(default)]
    body: Value,
    #[serde(default)]
    attempts: u32,
}

/// Reads an entry the device holds, in whichever format it was written: a version 1
/// entry comes back as the same change in the current format. `Err` gives the key and
/// label of one that cannot be read, and why.
fn read_entry(value: Value) -> Result<Entry, (String, String, String)> {
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(1);
    if version >= 2 {
        let key = value.get("key").and_then(Value::as_str).unwrap_or_default().to_string();
        return serde_json::from_value::<Entry>(value).map_err(|e| (key, String::new(), e.to_string()));
    }
    let old: LegacyEntry = serde_json::from_value(value).map_err(|e| (String::new(), String::new(), e.to_string()))?;
    match Change::from_legacy(&old.method, &old.path, old.body) {
        Ok(change) => Ok(Entry { version: OUTBOX_VERSION, key: old.key, seq: old.seq, label: old.label, change, attempts: old.attempts, next_try: 0.0 }),
        Err(e) => Err((old.key, old.label, e.to_string())),
    }
}

/// [`read_entry`] for each entry the device holds. Most visits start with none, so in
/// the split build (feature `split`) the readers of every change's body and of the
/// older formats are a wasm part of their own, fetched only when there is something to
/// read.
#[cfg_attr(feature = "split", leptos::lazy)]
async fn read_entries(raw: Vec<Value>) -> Vec<(Value, Result<Entry, (String, String, String)>)> {
    raw.into_iter().map(|value| (value.get("version").cloned().unwrap_or(Value::Null), read_entry(value))).collect()
}

/// A change that was sent, as features hear it (see [`Outbox::on_sent`]).
#[derive(Debug, Clone)]
pub struct Sent {
    pub change: Change,
    /// The API's answer.
    pub answer: Value,
    /// Sent after the page that made it stopped waiting (from the queue, later).
    pub later: bool,
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
    /// The changes kept on the device have been read into `pending`. Until then nothing
    /// is sent: a change made just after a reload would otherwise go out before older
    /// ones still on the device, and the server would end with the older quantity.
    ready: StoredValue<bool>,
    /// Changes a page is waiting on, to show their answer itself; any other change
    /// sent reports through the notices.
    awaited: StoredValue<HashSet<String>>,
    results: StoredValue<HashMap<String, Outcome>>,
    /// Changes finished since the app started, so a stale read of the device's list
    /// cannot bring one back.
    finished: StoredValue<HashSet<String>>,
    /// What features do once a change is sent (see [`Outbox::on_sent`]).
    sent_listeners: StoredValue<Vec<Callback<Sent>>>,
    /// What features do when the kinds of changes waiting change.
    waiting_listeners: StoredValue<Vec<Callback<Vec<ChangeKind>>>>,
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

const RETRY_TICK_MS: i32 = 3_000;
/// How long a page waits online for the answer to a change queued behind others.
const ANSWER_WAIT_MS: u32 = 10_000;

const MAX_BACKOFF_MS: f64 = 30_000.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Outbox {
    /// Starts the outbox: what waits on the device is sent now, every few seconds while
    /// anything waits, and at once when the connection comes back.
    pub fn start(pwa: Pwa) -> Outbox {
        let outbox = Outbox {
            pending: RwSignal::new(Vec::new()),
            notices: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            ready: StoredValue::new(false),
            awaited: StoredValue::new(HashSet::new()),
            results: StoredValue::new(HashMap::new()),
            finished: StoredValue::new(HashSet::new()),
            sent_listeners: StoredValue::new(Vec::new()),
            waiting_listeners: StoredValue::new(Vec::new()),
        };
        pwa.on_back_online(Callback::new(move |()| spawn_local(async move { outbox.retry_now().await })));
        spawn_local(async move {
            outbox.reload_pending().await;
            outbox.ready.set_value(true);
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

    /// `listener` runs for every change sent, with the API's answer: how a feature keeps
    /// what it shows in step (the cart, the session, recent orders).
    pub fn on_sent(self, listener: Callback<Sent>) {
        self.sent_listeners.update_value(|l| l.push(listener));
    }

    /// `listener` runs with the kinds of changes waiting whenever they change.
    pub fn on_waiting(self, listener: Callback<Vec<ChangeKind>>) {
        self.waiting_listeners.update_value(|l| l.push(listener));
    }

    /// Adds the changes kept on the device to the list. Merged, not replaced: a change
    /// made while the device was being read (a shopper quick after a reload) may not be
    /// in what was read, and replacing the list dropped it until the next start.
    /// Entries an older build wrote are rewritten in this build's format; one that
    /// cannot be read is dropped, and the shopper is told which.
    async fn reload_pending(self) {
        let raw: Vec<Value> = store::get_all(store::OUTBOX).await.unwrap_or_default();
        let read = if raw.is_empty() { Vec::new() } else { read_entries(raw).await };
        let mut stored = Vec::new();
        for (version, entry) in read {
            let was_current = version.as_u64().is_some_and(|v| v >= u64::from(OUTBOX_VERSION));
            match entry {
                Ok(entry) => {
                    if !was_current {
                        let _ = store::put(store::OUTBOX, &entry).await;
                    }
                    stored.push(entry);
                }
                Err((key, label, why)) => {
                    let _ = store::delete(store::OUTBOX, &key).await;
                    let label = if label.is_empty() { tr_now!(outbox_unreadable).to_string() } else { label };
                    self.notices.update(|n| n.push(Notice { key: key.clone(), ok: false, text: fill(tr_now!(notice_not_done), &[("label", &label), ("reason", &why)]), link: None }));
                }
            }
        }
        let finished = self.finished.get_value();
        self.pending.update(|p| {
            for e in stored {
                if !finished.contains(&e.key) && !p.iter().any(|x| x.key == e.key) {
                    p.push(e);
                }
            }
            p.sort_by(|a, b| a.seq.total_cmp(&b.seq));
        });
        self.note_waiting();
    }

    /// Tells the listeners which kinds of changes wait.
    fn note_waiting(self) {
        let mut kinds: Vec<ChangeKind> = self.pending.with_untracked(|p| p.iter().map(Entry::kind).collect());
        kinds.dedup();
        for listener in self.waiting_listeners.get_value() {
            listener.run(kinds.clone());
        }
    }

    /// Sends what waits without waiting out the back-off: for a fresh start or when the
    /// connection has just come back.
    pub async fn retry_now(self) {
        self.pending.update(|p| p.iter_mut().for_each(|e| e.next_try = 0.0));
        self.flush().await;
    }

    /// Saves a change and sends it if it can. `key` is the change's idempotency key
    /// (a checkout brings its own, kept across its retries).
    pub async fn submit(self, label: String, change: Change, key: Option<String>) -> Outcome {
        self.submit_showing(label, change, key, || ()).await
    }

    /// [`Outbox::submit`], with `show` run as soon as the change is safe on the device,
    /// before it is sent: a page that shows a change at once (the cart's quantities)
    /// shows it only once a reload can no longer lose it.
    pub async fn submit_showing(self, label: String, change: Change, key: Option<String>, show: impl FnOnce()) -> Outcome {
        let entry = Entry {
            version: OUTBOX_VERSION,
            key: key.unwrap_or_else(new_key),
            seq: now_ms(),
            label,
            change,
            attempts: 0,
            next_try: 0.0,
        };
        let key = entry.key.clone();
        // Without storage (private browsing in some browsers, a full disk) the change
        // is still sent, just not kept for after a reload; it waits its turn behind the
        // changes before it all the same, or it would overtake them.
        let _ = store::put(store::OUTBOX, &entry).await;
        show();
        self.pending.update(|p| {
            p.retain(|x| x.key != entry.key);
            p.push(entry);
        });
        self.note_waiting();
        self.awaited.update_value(|a| {
            a.insert(key.clone());
        });
        self.flush().await;
        // Another send was already under way and will reach this change (or the device's
        // older changes are still being read, and go first): online, wait a little for
        // its answer rather than call it "waiting for the connection".
        let mut waited = 0;
        while waited < ANSWER_WAIT_MS && (self.flushing.get_value() || !self.ready.get_value()) && !self.has_result(&key) && self.is_pending(&key) {
            super::sleep(100).await;
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
        if self.flushing.get_value() || !self.ready.get_value() {
            return;
        }
        self.flushing.set_value(true);
        let mut session_renewed = false;
        while let Some(mut entry) = self.pending.get_untracked().into_iter().next() {
            if entry.next_try > now_ms() {
                break;
            }
            match http::send_change(&entry.change, &entry.key).await {
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
                    if !self.is_awaited(&entry.key) && entry.kind() != ChangeKind::Activity {
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
        self.note_waiting();
        if self.is_awaited(&entry.key) {
            self.results.update_value(|r| {
                r.insert(entry.key.clone(), outcome);
            });
        }
    }

    /// What a sent change means for the rest of the app: a notice when it was sent
    /// later, then every feature that listens hears it.
    fn apply(self, entry: &Entry, value: &Value, later: bool) {
        if later {
            // The answer is an order (its number and link are all a notice needs; reading
            // the whole order here would keep its reader in the first download).
            let field = |name: &str| value.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
            let number = field("number");
            let link = number.zip(field("access_token")).map(|(n, t)| aisle_domain::order::page_href(n, t));
            match entry.kind() {
                ChangeKind::Checkout => match number {
                    Some(n) => self.notify(entry, true, fill(tr_now!(notice_order_placed), &[("number", &n)]), link),
                    None => self.notify(entry, true, fill(tr_now!(notice_done), &[("label", &entry.label)]), None),
                },
                ChangeKind::Order => self.notify(entry, true, fill(tr_now!(notice_done), &[("label", &entry.label)]), link),
                ChangeKind::Account => self.notify(entry, true, fill(tr_now!(notice_done), &[("label", &entry.label)]), None),
                ChangeKind::Support => self.notify(entry, true, fill(tr_now!(notice_sent), &[("label", &entry.label)]), None),
                ChangeKind::Cart | ChangeKind::Activity | ChangeKind::Wishlist => {}
            }
        }
        let sent = Sent { change: entry.change.clone(), answer: value.clone(), later };
        for listener in self.sent_listeners.get_value() {
            listener.run(sent.clone());
        }
    }

    fn notify(self, entry: &Entry, ok: bool, text: String, link: Option<String>) {
        self.notices.update(|n| n.push(Notice { key: entry.key.clone(), ok, text, link }));
    }
}

/// Whether cart changes wait on this device (read before the app has started the
/// outbox, so the cart shown at start is the device's own).
pub async fn cart_changes_waiting() -> bool {
    changes_waiting(ChangeKind::Cart).await
}

/// Whether changes of `kind` wait on this device, read from the device itself (the
/// outbox's own list may not be loaded yet).
pub async fn changes_waiting(kind: ChangeKind) -> bool {
    let raw: Vec<Value> = store::get_all(store::OUTBOX).await.unwrap_or_default();
    if raw.is_empty() {
        return false;
    }
    read_entries(raw).await.into_iter().filter_map(|(_, e)| e.ok()).any(|e| e.kind() == kind)
}

/// A fresh idempotency key. A checkout keeps one for all its retries, so the server
/// places the order once however often the request is repeated.
pub fn new_key() -> String {
    let now = js_sys::Date::now() as u64;
    let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("co-{now:x}-{a:08x}{b:08x}")
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
            let n = outbox.pending.with(|p| p.iter().filter(|e| e.kind() != ChangeKind::Activity).count());
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
