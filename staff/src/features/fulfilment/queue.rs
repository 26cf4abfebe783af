//! Order steps that could not be sent (the connection dropped) wait here, on the
//! device, and go out by themselves when the connection is back: each with the
//! idempotency key it was first sent with, so the server acts on it once however
//! often it is sent. A refusal (the order moved on meanwhile) is shown, not retried.

use super::api::staff_step;
use aisle_domain::order::{OrderAction, ShipOrder};
use aisle_web::device::{local_get, local_set, random_hex};
use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

const KEY: &str = "aisle.staff.queue";
const RETRY_MS: u32 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub key: String,
    pub number: String,
    pub action: OrderAction,
    pub ship: Option<ShipOrder>,
}

#[derive(Clone, Copy)]
pub struct StepQueue {
    pub waiting: RwSignal<Vec<Waiting>>,
    /// Refusals of queued steps, to show once.
    pub refused: RwSignal<Vec<String>>,
    /// Bumped when a queued step went through, so lists reload.
    pub sent: RwSignal<u32>,
    busy: StoredValue<bool>,
}

pub fn use_queue() -> StepQueue {
    expect_context::<StepQueue>()
}

/// A fresh idempotency key for a step.
pub fn new_key() -> String {
    format!("st-{}", random_hex(12))
}

impl StepQueue {
    pub fn start() -> StepQueue {
        let q = StepQueue {
            waiting: RwSignal::new(local_get::<Vec<Waiting>>(KEY).unwrap_or_default()),
            refused: RwSignal::new(Vec::new()),
            sent: RwSignal::new(0),
            busy: StoredValue::new(false),
        };
        let online = window_event_listener(leptos::ev::online, move |_| q.flush());
        let tick = set_interval_with_handle(move || q.flush(), std::time::Duration::from_millis(u64::from(RETRY_MS))).ok();
        on_cleanup(move || {
            online.remove();
            if let Some(t) = tick {
                t.clear();
            }
        });
        q.flush();
        q
    }

    /// Keeps a step that got no answer, to send again later.
    pub fn keep(self, step: Waiting) {
        self.waiting.update(|w| {
            if !w.iter().any(|x| x.key == step.key) {
                w.push(step);
            }
        });
        if let Some(waiting) = self.waiting.try_get_untracked() {
            local_set(KEY, &waiting);
        }
    }

    /// Sends what waits, oldest first, one at a time; stops at the first that still
    /// gets no answer.
    pub fn flush(self) {
        if self.busy.try_get_value() != Some(false) || self.waiting.try_with_untracked(Vec::is_empty) != Some(false) {
            return;
        }
        self.busy.set_value(true);
        spawn_local(async move {
            // `try_`: a sign-out closes the back office's frame, and this queue with it,
            // while an answer may still be on its way.
            while let Some(next) = self.waiting.try_with_untracked(|w| w.first().cloned()).flatten() {
                match staff_step(&next.number, next.action, next.ship.as_ref(), &next.key).await {
                    Err(e) if e.status == 0 || e.status >= 500 => break,
                    result => {
                        if let Err(e) = result {
                            self.refused.update(|r| r.push(format!("{}: {}", next.number, e.message)));
                        }
                        self.waiting.update(|w| w.retain(|x| x.key != next.key));
                        if let Some(waiting) = self.waiting.try_get_untracked() {
                            local_set(KEY, &waiting);
                        }
                        self.sent.update(|n| *n += 1);
                    }
                }
            }
            self.busy.set_value(false);
        });
    }
}
