//! The clickstream: product views, searches (with how much they found), cart adds and
//! removes, checkouts started and finished. Events gather for a few seconds and go as
//! one batch through the outbox, so offline they wait on the device and are sent once.
//!
//! Nothing is recorded when the browser sends Global Privacy Control, or when the
//! shopper has turned it off (in their account, or on this device as a guest); the
//! server checks the account setting and the GPC header again.

use crate::platform::{outbox::Outbox, store};
use aisle_domain::{
    change::Change,
    personal::{
        ClientEvent,
        EventBatch,
        EventKind,
        MAX_EVENTS_PER_BATCH,
        MAX_EVENT_QUERY_CHARS,
        PrivacySettings,
    },
};
use leptos::{prelude::*, task::spawn_local};
use std::cell::{Cell, RefCell};

thread_local! {
    static BUFFER: RefCell<Vec<ClientEvent>> = const { RefCell::new(Vec::new()) };
    static OUTBOX: Cell<Option<Outbox>> = const { Cell::new(None) };
    static ENABLED: Cell<bool> = const { Cell::new(true) };
    static FLUSH_DUE: Cell<bool> = const { Cell::new(false) };
}

/// How long events gather before they are sent together.
const BATCH_MS: i32 = 4_000;
const DEVICE_ID: &str = "aisle.device_id";
const GUEST_PRIVACY: &str = "aisle.privacy";

pub fn start(outbox: Outbox) {
    OUTBOX.with(|o| o.set(Some(outbox)));
    // Whatever waits goes before the page is left.
    let leave = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(flush);
    let _ = window().add_event_listener_with_callback("pagehide", leptos::wasm_bindgen::JsCast::unchecked_ref(leave.as_ref()));
    leave.forget();
}

/// Whether the browser asks sites not to track (Global Privacy Control).
pub fn global_privacy_control() -> bool {
    js_sys::Reflect::get(&window().navigator(), &"globalPrivacyControl".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Follows the shopper's settings (the account's when signed in, else this device's).
pub fn set_enabled(settings: PrivacySettings) {
    ENABLED.with(|e| e.set(settings.clickstream && !global_privacy_control()));
    if !settings.clickstream {
        BUFFER.with(|b| b.borrow_mut().clear());
    }
}

/// A guest's settings, kept on this device.
pub fn guest_settings() -> PrivacySettings {
    store::local_get(GUEST_PRIVACY).unwrap_or_default()
}

pub fn set_guest_settings(settings: PrivacySettings) {
    store::local_set(GUEST_PRIVACY, &settings);
}

fn device_id() -> String {
    if let Some(id) = store::local_get::<String>(DEVICE_ID).filter(|id| id.len() == 32) {
        return id;
    }
    let id = store::random_hex(16);
    store::local_set(DEVICE_ID, &id);
    id
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default()
}

pub fn product_view(product_id: i64) {
    record(EventKind::ProductView, Some(product_id), None, None);
}

pub fn search(query: &str, results: usize) {
    if !query.trim().is_empty() {
        // The server keeps no more than this; cutting here keeps a pasted essay from
        // making a batch too large to send.
        let query = query.trim().chars().take(MAX_EVENT_QUERY_CHARS).collect();
        record(EventKind::Search, None, Some(query), Some(results as u32));
    }
}

pub fn cart_change(product_id: i64, before: u32, after: u32) {
    match after.cmp(&before) {
        std::cmp::Ordering::Greater => record(EventKind::CartAdd, Some(product_id), None, None),
        std::cmp::Ordering::Less => record(EventKind::CartRemove, Some(product_id), None, None),
        std::cmp::Ordering::Equal => {}
    }
}

pub fn checkout_started() {
    record(EventKind::CheckoutStarted, None, None, None);
}

pub fn checkout_finished() {
    record(EventKind::CheckoutFinished, None, None, None);
}

fn record(kind: EventKind, product_id: Option<i64>, query: Option<String>, results: Option<u32>) {
    if !ENABLED.with(Cell::get) {
        return;
    }
    let full = BUFFER.with(|b| {
        let mut b = b.borrow_mut();
        b.push(ClientEvent { kind, product_id, query, results, at: now_iso() });
        b.len() >= MAX_EVENTS_PER_BATCH / 5
    });
    if full {
        flush();
    } else if !FLUSH_DUE.with(|d| d.replace(true)) {
        let later = leptos::wasm_bindgen::closure::Closure::once_into_js(flush);
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&later), BATCH_MS);
    }
}

/// Sends what has gathered as one batch.
pub fn flush() {
    FLUSH_DUE.with(|d| d.set(false));
    let events = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let Some(outbox) = OUTBOX.with(Cell::get) else { return };
    if events.is_empty() {
        return;
    }
    let batch = EventBatch { device_id: device_id(), events };
    spawn_local(async move {
        let _ = outbox.submit("Activity".into(), Change::RecordActivity { batch }, None).await;
    });
}
