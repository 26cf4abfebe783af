//! The hub: who is online, and the fan-out of chat to this instance's sockets (and,
//! through `platform::fanout`, to the other instances').

use crate::{
    platform::{
        clock,
        error::ApiError,
        fanout::{Fanout, Signal},
        rate_limit::{wait_words, RateLimiter},
    },
};
use aisle_domain::support::{Author, Availability, BusinessHours, ServerFrame};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

/// How long another instance's agent count is believed: an instance that died takes
/// its agents off the total within this (it repeats its count every heartbeat).
const AGENTS_FRESH: Duration = Duration::from_secs(30);
use tokio::sync::broadcast;

/// One thing to tell open sockets. `conversation_id` and `owner` (the conversation's
/// customer key) say which shopper sockets may see it; agents see what is meant for them
/// whatever the conversation.
#[derive(Debug, Clone)]
pub struct SupportEvent {
    pub conversation_id: Option<i64>,
    pub owner: Option<String>,
    pub frame: ServerFrame,
}

impl SupportEvent {
    /// Whether a shopper's socket may receive this: its own conversations' messages and
    /// an agent typing in them, and the availability — never anyone else's chat.
    pub fn for_customer(&self, conversations: &[i64], owner: Option<&str>) -> bool {
        let mine = self.conversation_id.is_some_and(|id| conversations.contains(&id))
            || (owner.is_some() && self.owner.as_deref() == owner);
        match &self.frame {
            ServerFrame::Availability { .. } => true,
            ServerFrame::Message { .. } | ServerFrame::Typing { author: Author::Agent, .. } => mine,
            _ => false,
        }
    }

    /// For every socket that follows the agents' queue (it changed; fetch it again).
    pub fn queue_changed() -> SupportEvent {
        SupportEvent { conversation_id: None, owner: None, frame: ServerFrame::QueueChanged }
    }

    /// Whether an agent's socket receives this: every message, shoppers typing, the
    /// queue and the availability.
    pub fn for_agent(&self) -> bool {
        matches!(
            self.frame,
            ServerFrame::Message { .. }
                | ServerFrame::Typing { author: Author::Customer, .. }
                | ServerFrame::QueueChanged
                | ServerFrame::Availability { .. }
        )
    }
}

pub struct Hub {
    pub hours: BusinessHours,
    /// Agents online on this instance.
    agents: AtomicUsize,
    /// Shoppers' chat sockets open on this instance (for `/metrics`).
    shopper_sockets: Arc<AtomicUsize>,
    /// The total of agents online this instance's sockets were last told.
    announced: AtomicUsize,
    /// The other instances, on PostgreSQL (see [`crate::platform::fanout`]).
    pub fanout: Arc<Fanout>,
    /// Agents online on each other instance, as it last said, and when.
    remote_agents: Mutex<HashMap<u64, (usize, Instant)>>,
    events: broadcast::Sender<SupportEvent>,
    /// Chat messages (and replies to tickets): 20 a minute per browser session.
    pub chat_limiter: RateLimiter,
    /// The contact form, call-back requests and feedback: 5 of each per 10 minutes per
    /// browser session.
    pub form_limiter: RateLimiter,
}

impl Hub {
    /// `fanout` tells the other instances what this hub publishes (see [`crate::platform::fanout`]).
    pub fn new(hours: BusinessHours, fanout: Arc<Fanout>) -> Hub {
        Hub {
            hours,
            agents: AtomicUsize::new(0),
            shopper_sockets: Arc::new(AtomicUsize::new(0)),
            announced: AtomicUsize::new(0),
            fanout,
            remote_agents: Mutex::new(HashMap::new()),
            events: broadcast::channel(1024).0,
            chat_limiter: RateLimiter::new(20, Duration::from_secs(60)),
            form_limiter: RateLimiter::new(5, Duration::from_secs(10 * 60)),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<SupportEvent> {
        self.events.subscribe()
    }

    /// Tells this instance's sockets and the other instances.
    pub fn publish(&self, event: SupportEvent) {
        if let Some(signal) = self.signal_for(&event) {
            self.fanout.send(signal);
        }
        self.publish_local(event);
    }

    /// The same event as a signal for the other instances, if they need it.
    fn signal_for(&self, event: &SupportEvent) -> Option<Signal> {
        if !self.fanout.is_started() {
            return None;
        }
        Some(match &event.frame {
            ServerFrame::Message { message } => Signal::Message { message_id: message.id, owner: event.owner.clone() },
            ServerFrame::Typing { conversation_id, author } => Signal::Typing { conversation_id: *conversation_id, author: *author, owner: event.owner.clone() },
            ServerFrame::QueueChanged => Signal::QueueChanged,
            ServerFrame::Availability { .. } => Signal::Agents { online: self.local_agents() },
            // Answers to one socket's own request never concern another instance.
            _ => return None,
        })
    }

    /// Another instance says how many agents it has online.
    pub fn note_remote_agents(&self, from: u64, online: usize) {
        let mut map = self.remote_agents.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(from, (online, Instant::now()));
    }

    /// Agents online on the other instances, counting only fresh reports.
    pub fn remote_agents(&self) -> usize {
        let mut map = self.remote_agents.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, at)| at.elapsed() < AGENTS_FRESH);
        map.values().map(|(n, _)| n).sum()
    }

    /// Tells this instance's sockets only (what another instance told us).
    pub fn publish_local(&self, event: SupportEvent) {
        // No socket open is not an error.
        let _ = self.events.send(event);
    }

    pub fn queue_changed(&self) {
        self.publish(SupportEvent::queue_changed());
    }

    /// Agents online on every instance.
    pub fn agents_online(&self) -> usize {
        self.local_agents() + self.remote_agents()
    }

    pub fn local_agents(&self) -> usize {
        self.agents.load(Ordering::SeqCst)
    }

    /// Another instance's agents came, went or fell silent: this instance's sockets
    /// hear the new availability if the total changed.
    pub fn availability_changed_elsewhere(&self) {
        let total = self.agents_online();
        if self.announced.swap(total, Ordering::SeqCst) != total {
            self.publish_local(self.availability_event());
        }
    }

    pub fn availability(&self) -> Availability {
        Availability::new(&self.hours, self.agents_online(), clock::now_unix())
    }

    /// Shoppers' chat sockets open on this instance.
    pub fn shopper_sockets(&self) -> usize {
        self.shopper_sockets.load(Ordering::SeqCst)
    }

    /// Counts a shopper's socket as open until the returned guard is dropped.
    pub fn shopper_connected(&self) -> SocketOpen {
        self.shopper_sockets.fetch_add(1, Ordering::SeqCst);
        SocketOpen(self.shopper_sockets.clone())
    }

    /// Counts an agent as online until the returned guard is dropped, which happens
    /// however their socket ends.
    pub fn agent_joined(self: &Arc<Hub>) -> AgentPresence {
        self.agents.fetch_add(1, Ordering::SeqCst);
        self.publish_availability();
        AgentPresence(self.clone())
    }

    fn availability_event(&self) -> SupportEvent {
        SupportEvent { conversation_id: None, owner: None, frame: ServerFrame::Availability { availability: self.availability() } }
    }

    fn publish_availability(&self) {
        self.announced.store(self.agents_online(), Ordering::SeqCst);
        self.publish(self.availability_event());
    }

    /// A 429 if `key` (a kind of request and a session) is over `limiter`'s allowance.
    pub async fn limit(&self, limiter: &RateLimiter, key: &str, what: &str) -> Result<(), ApiError> {
        limiter
            .hit(key)
            .await
            .map_err(|secs| ApiError::too_many(secs, format!("You have sent {what} in a short time. {}", wait_words(secs))))
    }

    /// Counts in `db` from now on, with the other instances (see [`RateLimiter::share`]).
    pub fn share_limits(&self, db: &crate::platform::db::Db) {
        self.chat_limiter.share(db);
        self.form_limiter.share(db);
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new(BusinessHours::default(), Arc::default())
    }
}

/// A shopper's open socket; dropping it says it closed.
pub struct SocketOpen(Arc<AtomicUsize>);

impl Drop for SocketOpen {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An agent's presence; dropping it says they left.
pub struct AgentPresence(Arc<Hub>);

impl Drop for AgentPresence {
    fn drop(&mut self) {
        self.0.agents.fetch_sub(1, Ordering::SeqCst);
        self.0.publish_availability();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_counts_of_other_instances_add_up() {
        let hub = Hub::default();
        hub.note_remote_agents(1, 2);
        hub.note_remote_agents(2, 1);
        hub.note_remote_agents(1, 3);
        assert_eq!(hub.remote_agents(), 4);
    }

    #[test]
    fn presence_counts_down_when_the_guard_drops() {
        let hub = Arc::new(Hub::default());
        let mut events = hub.subscribe();
        let a = hub.agent_joined();
        assert_eq!(hub.agents_online(), 1);
        assert!(hub.availability().agents_online);
        drop(a);
        assert_eq!(hub.agents_online(), 0);
        let mut seen = Vec::new();
        while let Ok(e) = events.try_recv() {
            if let ServerFrame::Availability { availability } = e.frame {
                seen.push(availability.agents_online);
            }
        }
        assert_eq!(seen, vec![true, false]);
    }
}
