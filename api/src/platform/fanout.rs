//! Across instances. Several API servers on one PostgreSQL each hold their own chat
//! sockets, stock streams and product cache, so each tells the others what happened on
//! it: a chat message, someone typing, a change to the support queue, how many agents it
//! has online, which products' stock changed, and failed sign-ins. The signals travel through
//! PostgreSQL's LISTEN/NOTIFY on one channel; every receiver acts on them as if they
//! had happened on it, and ignores its own. On SQLite there is one server and nothing to
//! tell, so nothing is started.
//!
//! A NOTIFY payload is at most 8,000 bytes and not stored, so signals carry ids and
//! small values only: a receiver reads the chat message itself from the database,
//! where it was committed before the signal was sent.
//!
//! This module only carries signals. What each one means is the business of the slice
//! that sent it: every slice that cares registers a [`Listener`] (see the crate root),
//! which hears the others' signals, a [`Heard::Gap`] when signals may have been lost,
//! and a [`Heard::Heartbeat`] every [`HEARTBEAT`] to repeat what the others forget.

use crate::platform::db::{self, Db};
use aisle_domain::support::Author;
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::sync::mpsc;

const CHANNEL: &str = "aisle_events";
/// How often listeners hear [`Heard::Heartbeat`] (the support slice repeats its agent
/// count then).
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// Signals waiting to be sent.
const QUEUE: usize = 4096;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// A chat message was stored; `owner` is its conversation's customer key.
    Message { message_id: i64, owner: Option<String> },
    Typing { conversation_id: i64, author: Author, owner: Option<String> },
    QueueChanged,
    /// The sender has this many agents online now.
    Agents { online: usize },
    /// A new instance says it is there (the others tell it their agent counts).
    Hello,
    /// These products' stock changed.
    Stock { ids: Vec<i64> },
    /// Staff edited, published, took off sale or deleted these products.
    Catalogue { ids: Vec<i64> },
    /// These products' published stars changed (a review came, went or was moderated).
    Stars { ids: Vec<i64> },
    /// A sign-in failed, or succeeded, for the address with this key (a hash), so the
    /// limit on failed sign-ins counts across every instance.
    SignInFailed { key: String },
    SignInSucceeded { key: String },
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    from: u64,
    #[serde(flatten)]
    signal: Signal,
}

/// What a listener hears.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// Another instance's signal.
    Signal { from: u64, signal: Signal },
    /// The connection that hears the others dropped and is back: signals sent meanwhile
    /// are lost, so whatever was learnt from them may be stale.
    Gap,
    /// Every [`HEARTBEAT`].
    Heartbeat,
}

/// A slice's part in hearing the other instances, with the state it acts on.
pub type Listener<S> = fn(S, Heard) -> BoxFuture<'static, ()>;

/// This instance's side: its id and what it sends.
pub struct Fanout {
    id: u64,
    out: OnceLock<mpsc::Sender<Signal>>,
}

impl Default for Fanout {
    fn default() -> Self {
        let mut bytes = [0u8; 8];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
        Fanout { id: u64::from_le_bytes(bytes), out: OnceLock::new() }
    }
}

impl Fanout {
    /// Tells the other instances, if there are any (a no-op until [`start`]).
    pub fn send(&self, signal: Signal) {
        if let Some(out) = self.out.get() {
            // Bounded: while the database is unreachable, signals beyond the queue are
            // dropped rather than held without end (the others' clients catch up on
            // their next fetch, and agent counts on the next heartbeat).
            if out.try_send(signal).is_err() {
                tracing::debug!("a signal for the other instances was dropped");
            }
        }
    }

    /// Whether signals go anywhere (there may be other instances).
    pub fn is_started(&self) -> bool {
        self.out.get().is_some()
    }

    /// Signals waiting to be sent (for `/metrics`).
    pub fn waiting(&self) -> usize {
        self.out.get().map_or(0, |out| QUEUE - out.capacity())
    }
}

/// On PostgreSQL: listens for the other instances' signals, hands each to every
/// listener in turn, and starts sending ours. Returns once listening, so nothing
/// committed after it is missed. On SQLite there are no others: nothing starts.
pub async fn start<S: Clone + Send + Sync + 'static>(db: &Db, fanout: &Arc<Fanout>, state: S, listeners: Vec<Listener<S>>) -> Result<(), String> {
    if db::backend(db) != db::Backend::Postgres {
        return Ok(());
    }
    let url = db.connect_options().database_url.to_string();
    let mut listener = PgListener::connect(&url).await.map_err(|e| format!("cannot listen for other instances: {e}"))?;
    listener.listen(CHANNEL).await.map_err(|e| format!("cannot listen for other instances: {e}"))?;
    let (tx, rx) = mpsc::channel(QUEUE);
    if fanout.out.set(tx).is_err() {
        return Ok(());
    }
    let listeners = Arc::new(Listeners { state, all: listeners });
    tokio::spawn(send_loop(db.clone(), fanout.id, rx));
    tokio::spawn(receive_loop(fanout.id, listener, listeners.clone()));
    tokio::spawn(heartbeat(listeners));
    fanout.send(Signal::Hello);
    Ok(())
}

struct Listeners<S> {
    state: S,
    all: Vec<Listener<S>>,
}

impl<S: Clone> Listeners<S> {
    async fn hear(&self, heard: Heard) {
        for listener in &self.all {
            listener(self.state.clone(), heard.clone()).await;
        }
    }
}

async fn send_loop(db: Db, from: u64, mut rx: mpsc::Receiver<Signal>) {
    while let Some(signal) = rx.recv().await {
        let payload = match serde_json::to_string(&Envelope { from, signal }) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!("cannot encode a signal for the other instances: {e}");
                continue;
            }
        };
        if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(&payload).execute(&db).await {
            // The others miss this one; their clients catch up on their next fetch.
            tracing::warn!("cannot tell the other instances: {e}");
        }
    }
}

async fn heartbeat<S: Clone>(listeners: Arc<Listeners<S>>) {
    let mut every = tokio::time::interval(HEARTBEAT);
    loop {
        every.tick().await;
        listeners.hear(Heard::Heartbeat).await;
    }
}

async fn receive_loop<S: Clone>(me: u64, mut listener: PgListener, listeners: Arc<Listeners<S>>) {
    loop {
        // `try_recv` says `None` when the connection dropped (it reconnects on the next
        // call); signals sent meanwhile are lost.
        match listener.try_recv().await {
            Ok(Some(n)) => match serde_json::from_str::<Envelope>(n.payload()) {
                Ok(e) if e.from == me => {}
                Ok(e) => listeners.hear(Heard::Signal { from: e.from, signal: e.signal }).await,
                Err(e) => tracing::warn!("an unreadable signal from another instance: {e}"),
            },
            Ok(None) => {
                tracing::warn!("lost the connection that hears the other instances; reconnecting");
                listeners.hear(Heard::Gap).await;
            }
            Err(e) => {
                tracing::warn!("cannot hear the other instances: {e}; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_fit_a_notify_payload_and_read_back() {
        let e = Envelope { from: u64::MAX, signal: Signal::Typing { conversation_id: 7, author: Author::Agent, owner: Some(format!("g:{}", "f".repeat(64))) } };
        let text = serde_json::to_string(&e).expect("encodes");
        assert!(text.len() < 8000);
        let back: Envelope = serde_json::from_str(&text).expect("decodes");
        assert_eq!((back.from, back.signal), (u64::MAX, e.signal));
    }
}
