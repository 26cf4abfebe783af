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

use crate::{platform::db, support::hub::SupportEvent, AppState};
use aisle_domain::{support::{Author, ServerFrame}};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};
use tokio::sync::mpsc;

const CHANNEL: &str = "aisle_events";
/// How often an instance repeats its agent count, and how long a count is believed:
/// an instance that died takes its agents off the total within `AGENTS_FRESH`.
const HEARTBEAT: Duration = Duration::from_secs(10);
const AGENTS_FRESH: Duration = Duration::from_secs(30);
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
    /// A new instance asks the others for their agent counts.
    Hello,
    /// These products' stock changed.
    Stock { ids: Vec<i64> },
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

/// This instance's side: what it sends, and the agent counts the others told it.
pub struct Fanout {
    id: u64,
    out: OnceLock<mpsc::Sender<Signal>>,
    remote_agents: Mutex<HashMap<u64, (usize, Instant)>>,
}

impl Default for Fanout {
    fn default() -> Self {
        let mut bytes = [0u8; 8];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
        Fanout { id: u64::from_le_bytes(bytes), out: OnceLock::new(), remote_agents: Mutex::new(HashMap::new()) }
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

    /// The same event as a signal for the others, if they need it.
    pub fn send_support(&self, event: &SupportEvent, local_agents: usize) {
        if self.out.get().is_none() {
            return;
        }
        let signal = match &event.frame {
            ServerFrame::Message { message } => Signal::Message { message_id: message.id, owner: event.owner.clone() },
            ServerFrame::Typing { conversation_id, author } => {
                Signal::Typing { conversation_id: *conversation_id, author: *author, owner: event.owner.clone() }
            }
            ServerFrame::QueueChanged => Signal::QueueChanged,
            ServerFrame::Availability { .. } => Signal::Agents { online: local_agents },
            // Answers to one socket's own request never concern another instance.
            _ => return,
        };
        self.send(signal);
    }

    /// Agents online on the other instances, counting only fresh reports.
    pub fn remote_agents(&self) -> usize {
        let mut map = self.remote_agents.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, at)| at.elapsed() < AGENTS_FRESH);
        map.values().map(|(n, _)| n).sum()
    }

    fn note_agents(&self, from: u64, online: usize) {
        let mut map = self.remote_agents.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(from, (online, Instant::now()));
    }
}

/// On PostgreSQL: listens for the other instances' signals and starts sending ours.
/// Returns once listening, so nothing committed after it is missed.
pub async fn start(state: &AppState) -> Result<(), String> {
    if db::backend(&state.db) != db::Backend::Postgres {
        return Ok(());
    }
    let url = state.db.connect_options().database_url.to_string();
    let mut listener = PgListener::connect(&url).await.map_err(|e| format!("cannot listen for other instances: {e}"))?;
    listener.listen(CHANNEL).await.map_err(|e| format!("cannot listen for other instances: {e}"))?;
    let fanout = state.fanout.clone();
    let (tx, rx) = mpsc::channel(QUEUE);
    if fanout.out.set(tx).is_err() {
        return Ok(());
    }
    tokio::spawn(send_loop(state.db.clone(), fanout.id, rx));
    tokio::spawn(receive_loop(state.clone(), listener));
    tokio::spawn(heartbeat(state.clone()));
    fanout.send(Signal::Hello);
    Ok(())
}

async fn send_loop(db: db::Db, from: u64, mut rx: mpsc::Receiver<Signal>) {
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

async fn heartbeat(state: AppState) {
    let mut every = tokio::time::interval(HEARTBEAT);
    loop {
        every.tick().await;
        state.fanout.send(Signal::Agents { online: state.support.local_agents() });
        // A silent instance's count expires, which may change the total.
        state.support.availability_changed_elsewhere();
    }
}

async fn receive_loop(state: AppState, mut listener: PgListener) {
    loop {
        // `try_recv` says `None` when the connection dropped (it reconnects on the next
        // call); signals sent meanwhile are lost, so agents are told to fetch again.
        match listener.try_recv().await {
            Ok(Some(n)) => match serde_json::from_str::<Envelope>(n.payload()) {
                Ok(e) if e.from == state.fanout.id => {}
                Ok(e) => receive(&state, e).await,
                Err(e) => tracing::warn!("an unreadable signal from another instance: {e}"),
            },
            Ok(None) => {
                tracing::warn!("lost the connection that hears the other instances; reconnecting");
                state.support.publish_local(SupportEvent::queue_changed());
            }
            Err(e) => {
                tracing::warn!("cannot hear the other instances: {e}; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn receive(state: &AppState, envelope: Envelope) {
    let hub = &state.support;
    match envelope.signal {
        Signal::Message { message_id, owner } => match crate::support::service::message_by_id(&state.db, message_id).await {
            Ok(Some(message)) => hub.publish_local(SupportEvent {
                conversation_id: Some(message.conversation_id),
                owner,
                frame: ServerFrame::Message { message },
            }),
            Ok(None) => {}
            Err(e) => tracing::warn!("cannot read message {message_id} another instance stored: {e:?}"),
        },
        Signal::Typing { conversation_id, author, owner } => {
            hub.publish_local(SupportEvent { conversation_id: Some(conversation_id), owner, frame: ServerFrame::Typing { conversation_id, author } })
        }
        Signal::QueueChanged => hub.publish_local(SupportEvent::queue_changed()),
        Signal::Agents { online } => {
            state.fanout.note_agents(envelope.from, online);
            hub.availability_changed_elsewhere();
        }
        Signal::Hello => state.fanout.send(Signal::Agents { online: hub.local_agents() }),
        Signal::SignInFailed { key } => state.sign_in_limiter.record_failure(&key),
        Signal::SignInSucceeded { key } => state.sign_in_limiter.clear(&key),
        Signal::Stock { ids } => crate::catalogue::writer::follow_stock_change(state, &ids).await,
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

    #[test]
    fn agent_counts_of_other_instances_add_up() {
        let f = Fanout::default();
        f.note_agents(1, 2);
        f.note_agents(2, 1);
        f.note_agents(1, 3);
        assert_eq!(f.remote_agents(), 4);
    }
}
