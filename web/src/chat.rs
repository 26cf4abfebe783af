//! Live chat over a WebSocket, for shoppers (`/api/support/chat/ws`) and agents
//! (`/api/staff/support/ws`).
//!
//! A dropped connection (network gone, phone asleep, server restarted) is reopened by
//! itself with back-off, at once when the browser says it is online or visible again.
//! Nothing is lost or doubled: each message carries an id made here (`client_id`), kept
//! until the server echoes it back as stored, and resent after a reconnect (the server
//! stores a client id once); on reconnect the `Hello` frame names the last message
//! seen, and the server sends everything after it.

use crate::device as store;
use aisle_domain::support::{Author, Availability, ChatMessage, ClientFrame, ServerFrame};
use leptos::{
    prelude::*,
    wasm_bindgen::{closure::Closure, JsCast},
};
use serde::{Deserialize, Serialize};
use web_sys::{MessageEvent, WebSocket};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Shopper,
    Agent,
}

/// A message typed here and not yet confirmed by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub client_id: String,
    pub conversation_id: Option<i64>,
    pub body: String,
}

/// How long "is typing…" shows after the last typing signal.
const TYPING_SHOWS_MS: f64 = 4_000.0;
/// Typing signals are sent at most this often.
const TYPING_EVERY_MS: f64 = 2_000.0;
const MAX_RECONNECT_MS: f64 = 15_000.0;

#[derive(Clone, Copy)]
pub struct Chat {
    pub mode: Mode,
    /// Stored messages, by id.
    pub messages: RwSignal<Vec<ChatMessage>>,
    pub pending: RwSignal<Vec<Pending>>,
    pub connected: RwSignal<bool>,
    pub availability: RwSignal<Option<Availability>>,
    /// The shopper's conversation, once there is one.
    pub conversation_id: RwSignal<Option<i64>>,
    /// (conversation, until when in ms) someone on the other side is typing.
    pub typing: RwSignal<Option<(i64, f64)>>,
    /// Messages from the other side not yet seen.
    pub unread: RwSignal<usize>,
    /// Whether the chat is on screen (messages arriving then are read).
    pub visible: RwSignal<bool>,
    /// Agents: bumped when the queue changed, so the console fetches it again.
    pub queue_changed: RwSignal<u32>,
    /// A refusal of the last message (too long, too many).
    pub error: RwSignal<Option<String>>,
    socket: StoredValue<Option<WebSocket>, LocalStorage>,
    started: StoredValue<bool>,
    attempts: StoredValue<u32>,
    last_typing_sent: StoredValue<f64>,
}

pub fn use_chat() -> Chat {
    expect_context::<Chat>()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh id for a message: time plus randomness, safe in a URL and a database key.
pub fn new_client_id() -> String {
    let now = js_sys::Date::now() as u64;
    let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("m-{now:x}-{a:08x}{b:08x}")
}

const PENDING_KEY: &str = "aisle.chat_pending";

impl Chat {
    pub fn new(mode: Mode) -> Chat {
        let pending = if mode == Mode::Shopper { store::local_get::<Vec<Pending>>(PENDING_KEY).unwrap_or_default() } else { Vec::new() };
        Chat {
            mode,
            messages: RwSignal::new(Vec::new()),
            pending: RwSignal::new(pending),
            connected: RwSignal::new(false),
            availability: RwSignal::new(None),
            conversation_id: RwSignal::new(None),
            typing: RwSignal::new(None),
            unread: RwSignal::new(0),
            visible: RwSignal::new(false),
            queue_changed: RwSignal::new(0),
            error: RwSignal::new(None),
            socket: StoredValue::new_local(None),
            started: StoredValue::new(false),
            attempts: StoredValue::new(0),
            last_typing_sent: StoredValue::new(0.0),
        }
    }

    /// Opens the connection (once; later calls do nothing) and keeps it open.
    pub fn start(self) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        if self.mode == Mode::Shopper {
            store::support_token();
        }
        // Back online, or back from a sleeping phone: do not wait out the back-off.
        let wake = Closure::<dyn Fn()>::new(move || {
            if self.running() && !self.is_open() && window().navigator().on_line() {
                self.attempts.set_value(0);
                self.connect();
            }
        });
        let _ = window().add_event_listener_with_callback("online", wake.as_ref().unchecked_ref());
        let _ = document().add_event_listener_with_callback("visibilitychange", wake.as_ref().unchecked_ref());
        wake.forget();
        // The browser knows the network is gone before a socket does (a half-open
        // connection can look alive for minutes): close it now, so what the shopper
        // writes shows as waiting, and catch up from the last message when back.
        let gone = Closure::<dyn Fn()>::new(move || {
            if self.running() {
                self.drop_socket();
                self.connected.set(false);
            }
        });
        let _ = window().add_event_listener_with_callback("offline", gone.as_ref().unchecked_ref());
        gone.forget();
        self.connect();
    }

    /// Whether a connection has been started (the shopper opened the chat here).
    pub fn is_started(self) -> bool {
        self.started.get_value()
    }

    fn is_open(self) -> bool {
        self.socket.try_with_value(|s| s.as_ref().is_some_and(|s| s.ready_state() == WebSocket::OPEN)).unwrap_or(false)
    }

    fn url(self) -> String {
        let loc = window().location();
        let scheme = if loc.protocol().unwrap_or_default() == "https:" { "wss" } else { "ws" };
        let host = loc.host().unwrap_or_default();
        let path = match self.mode {
            Mode::Shopper => "/api/support/chat/ws",
            Mode::Agent => "/api/staff/support/ws",
        };
        format!("{scheme}://{host}{path}")
    }

    /// Whether the chat is still wanted (not stopped, and its page still there).
    fn running(self) -> bool {
        self.started.try_get_value() == Some(true)
    }

    /// Closes the connection for good (the agent console closing): the agent no longer
    /// counts as online, and no reconnect follows.
    pub fn stop(self) {
        self.started.set_value(false);
        self.drop_socket();
    }

    fn drop_socket(self) {
        if let Some(old) = self.socket.try_update_value(|s| s.take()).flatten() {
            old.set_onopen(None);
            old.set_onmessage(None);
            old.set_onclose(None);
            let _ = old.close();
        }
    }

    fn connect(self) {
        // Offline, the `online` event brings us back; trying now would only fail.
        if !self.running() || !window().navigator().on_line() {
            return;
        }
        // One socket at a time: a late event from the old one must not reach the new.
        self.drop_socket();
        let Ok(ws) = WebSocket::new(&self.url()) else {
            self.reconnect_later();
            return;
        };
        let on_open = Closure::<dyn Fn()>::new(move || {
            self.attempts.set_value(0);
            self.connected.set(true);
            // Read, not made, here: the token is made when the chat starts, and a
            // sign-in in progress may be swapping it.
            let support_token = match self.mode {
                Mode::Shopper => store::existing_support_token(),
                Mode::Agent => None,
            };
            let after = self.messages.with_untracked(|m| m.last().map(|m| m.id).unwrap_or(0));
            self.send_frame(&ClientFrame::Hello { support_token, after });
            for p in self.pending.get_untracked() {
                self.send_pending(&p);
            }
        });
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
                    self.receive(frame);
                }
            }
        });
        let on_close = Closure::<dyn Fn()>::new(move || {
            self.connected.set(false);
            self.reconnect_later();
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The socket lives as long as the page; so do its handlers.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        self.socket.set_value(Some(ws));
    }

    fn reconnect_later(self) {
        let n = self.attempts.get_value();
        self.attempts.set_value(n + 1);
        let wait = (500.0 * 2f64.powi(n.min(6) as i32)).min(MAX_RECONNECT_MS);
        let again = Closure::once_into_js(move || {
            if self.running() && !self.is_open() {
                self.connect();
            }
        });
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), wait as i32);
    }

    fn send_frame(self, frame: &ClientFrame) -> bool {
        let Ok(text) = serde_json::to_string(frame) else { return false };
        self.socket.with_value(|s| match s {
            Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_str(&text).is_ok(),
            _ => false,
        })
    }

    fn send_pending(self, p: &Pending) {
        let frame = match (self.mode, p.conversation_id) {
            (Mode::Agent, Some(conversation_id)) => {
                ClientFrame::AgentSend { conversation_id, client_id: p.client_id.clone(), body: p.body.clone() }
            }
            _ => ClientFrame::Send { client_id: p.client_id.clone(), body: p.body.clone() },
        };
        self.send_frame(&frame);
    }

    fn save_pending(self) {
        if self.mode == Mode::Shopper {
            store::local_set(PENDING_KEY, &self.pending.get_untracked());
        }
    }

    /// Sends a message (into `conversation_id`, for agents). It shows at once as
    /// "sending", and goes when the connection is there.
    pub fn send(self, conversation_id: Option<i64>, body: String) {
        self.error.set(None);
        // Typing after a message is news again: do not let the throttle swallow it.
        self.last_typing_sent.set_value(0.0);
        let p = Pending { client_id: new_client_id(), conversation_id, body };
        self.pending.update(|list| list.push(p.clone()));
        self.save_pending();
        self.send_pending(&p);
        if !self.started.get_value() {
            self.start();
        }
    }

    /// Tells the other side we are typing (throttled).
    pub fn typing(self, conversation_id: Option<i64>) {
        let now = now_ms();
        if now - self.last_typing_sent.get_value() >= TYPING_EVERY_MS {
            self.last_typing_sent.set_value(now);
            self.send_frame(&ClientFrame::Typing { conversation_id });
        }
    }

    /// Whether the other side of `conversation` is typing now.
    pub fn is_typing(self, conversation: Option<i64>) -> bool {
        self.typing.with(|t| t.is_some_and(|(c, until)| conversation.is_none_or(|x| x == c) && until > now_ms()))
    }

    fn own_author(self) -> Author {
        match self.mode {
            Mode::Shopper => Author::Customer,
            Mode::Agent => Author::Agent,
        }
    }

    fn receive(self, frame: ServerFrame) {
        match frame {
            ServerFrame::Welcome { availability, conversation_id, messages } => {
                self.availability.set(Some(availability));
                if conversation_id.is_some() {
                    self.conversation_id.set(conversation_id);
                }
                for m in messages {
                    self.add(m);
                }
            }
            ServerFrame::Message { message } => {
                if self.mode == Mode::Shopper {
                    self.conversation_id.set(Some(message.conversation_id));
                }
                self.add(message);
            }
            ServerFrame::Typing { conversation_id, author } if author != self.own_author() => {
                self.typing.set(Some((conversation_id, now_ms() + TYPING_SHOWS_MS)));
                // Hide it again once it is stale, even if nothing else changes.
                let clear = Closure::once_into_js(move || {
                    self.typing.try_update(|t| {
                        if t.is_some_and(|(_, until)| until <= now_ms()) {
                            *t = None;
                        }
                    });
                });
                let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(clear.unchecked_ref(), TYPING_SHOWS_MS as i32 + 50);
            }
            ServerFrame::Typing { .. } => {}
            ServerFrame::Availability { availability } => self.availability.set(Some(availability)),
            ServerFrame::QueueChanged => self.queue_changed.update(|n| *n += 1),
            ServerFrame::Error { client_id, message } => {
                // A refused message will never be stored: take it off the list so it is
                // not resent forever, and say why.
                if let Some(id) = client_id {
                    self.pending.update(|p| p.retain(|x| x.client_id != id));
                    self.save_pending();
                }
                self.error.set(Some(message));
            }
        }
    }

    fn add(self, m: ChatMessage) {
        let theirs = m.author != self.own_author();
        let is_new = self.messages.with_untracked(|list| !list.iter().any(|x| x.id == m.id));
        if !is_new {
            return;
        }
        let confirmed = m.client_id.clone();
        if theirs {
            self.typing.set(None);
        }
        self.messages.update(|list| {
            let at = list.partition_point(|x| x.id < m.id);
            list.insert(at, m);
        });
        if self.pending.with_untracked(|p| p.iter().any(|x| x.client_id == confirmed)) {
            self.pending.update(|p| p.retain(|x| x.client_id != confirmed));
            self.save_pending();
        }
        if theirs && !self.visible.get_untracked() {
            self.unread.update(|n| *n += 1);
        }
    }

    /// Forgets this device's chat (at sign-out): the next shopper here starts afresh.
    pub fn reset(self) {
        self.messages.set(Vec::new());
        self.pending.set(Vec::new());
        self.save_pending();
        self.conversation_id.set(None);
        self.unread.set(0);
        if self.running() {
            if self.mode == Mode::Shopper {
                store::support_token();
            }
            self.connect();
        }
    }
}
