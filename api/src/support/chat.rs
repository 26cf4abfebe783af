//! The live chat's two WebSockets: one for shoppers, one for agents. Each text frame is
//! one JSON `ClientFrame` in and `ServerFrame` out (see `aisle_domain::support`).
//!
//! - A socket needs a session cookie, and a browser's `Origin` must be this site: a page
//!   elsewhere must not open a socket with the shopper's cookie (cross-site WebSocket
//!   hijacking).
//! - A shopper's socket says `hello` (with a guest's support token and the last message
//!   id it has) and gets a `welcome` with what it missed. It then only ever receives its
//!   own conversations' messages, an agent typing in them, and the availability.
//! - An agent's socket counts the agent as online while it is open, and receives every
//!   message, shoppers typing, and "the queue changed".
//! - Every message is stored before anyone is told, once per client id: a message
//!   resent after a dropped connection is answered with the one stored the first time.
//! - The server pings every 20 seconds, so dead connections are noticed and proxies keep
//!   live ones open.

use crate::{
    identity::session::{Staff, Visitor},
    platform::error::ApiError,
    support::{hub::SupportEvent, service::{self, Owner}},
    AppState,
};
use aisle_domain::{customer::Customer, support::{Author, ClientFrame, ServerFrame}};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    body::Bytes,
    extract::{
        ws::{rejection::WebSocketUpgradeRejection, Message, WebSocket, WebSocketUpgrade},
        State,
    },
    http::{header, HeaderMap},
    response::Response,
};
use std::{collections::VecDeque, time::Duration};
use tokio::sync::broadcast::error::RecvError;

pub const PING_EVERY: Duration = Duration::from_secs(20);
/// Comfortably more than a 2,000-character message in JSON.
const MAX_FRAME: usize = 64 * 1024;
/// Most messages an agent's `welcome` (or catch-up) carries.
const AGENT_BACKLOG: i64 = 500;

/// Refuses a browser request from another site: its `Origin` must name this host.
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Not a browser (browsers always send it on WebSocket requests).
        return Ok(());
    };
    let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, host)| host.trim_end_matches('/')).unwrap_or_default();
    // A browser cannot set these headers on a WebSocket request, so a proxy's
    // X-Forwarded-Host is as trustworthy here as Host.
    let ours = [header::HOST.as_str(), "x-forwarded-host"]
        .iter()
        .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .any(|host| !origin_host.is_empty() && host.eq_ignore_ascii_case(origin_host));
    if ours {
        Ok(())
    } else {
        Err(ApiError::Forbidden("The chat can only be opened from the shop's own pages.".into()))
    }
}

fn upgrade(ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>) -> Result<WebSocketUpgrade, ApiError> {
    ws.map(|ws| ws.max_message_size(MAX_FRAME).max_frame_size(MAX_FRAME))
        .map_err(|_| ApiError::bad_request("This address takes a WebSocket connection."))
}

/// `GET /api/support/chat/ws`: a shopper's chat socket.
#[utoipa::path(get, path = "/support/chat/ws", tag = "streams", responses((status = 101, description = "Switching to a WebSocket")))]
pub async fn chat_socket(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    same_origin(&headers)?;
    let ws = upgrade(ws)?;
    let owner = v.customer.as_ref().map(|c| Owner::customer(c.id));
    let role = Role::Shopper(Shopper { owner_key: owner.as_ref().map(Owner::key), owner, visitor: v, conversations: Vec::new() });
    Ok(ws.on_upgrade(move |socket| async move {
        let _open = state.support.shopper_connected();
        run(state, socket, role).await;
    }))
}

/// `GET /api/staff/support/ws`: an agent's socket.
#[utoipa::path(get, path = "/staff/support/ws", tag = "streams", responses((status = 101, description = "Switching to a WebSocket")))]
pub async fn staff_support_socket(
    State(state): State<AppState>,
    Staff(staff): Staff,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    same_origin(&headers)?;
    let ws = upgrade(ws)?;
    Ok(ws.on_upgrade(move |socket| async move {
        // Online for exactly as long as this task runs, however it ends.
        let _presence = state.support.agent_joined();
        run(state, socket, Role::Agent(staff)).await;
    }))
}

struct Shopper {
    visitor: Visitor,
    /// Known from the session when signed in; a guest's comes with their `hello`.
    owner: Option<Owner>,
    owner_key: Option<String>,
    /// The conversations this socket shows: the latest at `hello`, and any opened since.
    conversations: Vec<i64>,
}

enum Role {
    Shopper(Shopper),
    Agent(Customer),
}

impl Role {
    fn wants(&mut self, e: &SupportEvent) -> bool {
        match self {
            Role::Agent(_) => e.for_agent(),
            Role::Shopper(me) => {
                let wanted = e.for_customer(&me.conversations, me.owner_key.as_deref());
                // Another tab of the same shopper opened a new conversation: follow it.
                if let (true, Some(id)) = (wanted, e.conversation_id) {
                    if !me.conversations.contains(&id) {
                        me.conversations.push(id);
                    }
                }
                wanted
            }
        }
    }

    async fn handle(&mut self, state: &AppState, text: &str) -> Vec<ServerFrame> {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            return vec![ServerFrame::Error { client_id: None, message: "That message could not be read.".into() }];
        };
        let refused = |client_id: Option<String>, e: ApiError| vec![ServerFrame::Error { client_id, message: e.into_message() }];
        match (self, frame) {
            (Role::Shopper(me), ClientFrame::Hello { support_token, after }) => {
                match service::identify(state, &me.visitor, support_token.as_deref()).await {
                    Ok(owner) => {
                        me.owner_key = owner.as_ref().map(Owner::key);
                        me.owner = owner;
                    }
                    Err(e) => return refused(None, e),
                }
                let latest = match &me.owner {
                    Some(o) => service::latest_conversation(&state.db, o).await,
                    None => Ok(None),
                };
                let (conversation_id, messages) = match latest {
                    Ok(Some(row)) => {
                        let id = row.id;
                        if !me.conversations.contains(&id) {
                            me.conversations.push(id);
                        }
                        match service::messages_of(&state.db, id, after.max(0)).await {
                            Ok(m) => (Some(id), m),
                            Err(e) => return refused(None, e),
                        }
                    }
                    Ok(None) => (None, Vec::new()),
                    Err(e) => return refused(None, e),
                };
                vec![ServerFrame::Welcome { availability: state.support.availability(), conversation_id, messages }]
            }
            (Role::Shopper(me), ClientFrame::Send { client_id, body }) => {
                match service::customer_says(state, &me.visitor, me.owner.as_ref(), &client_id, &body).await {
                    Ok((message, _)) => {
                        if !me.conversations.contains(&message.conversation_id) {
                            me.conversations.push(message.conversation_id);
                        }
                        vec![ServerFrame::Message { message }]
                    }
                    Err(e) => refused(Some(client_id), e),
                }
            }
            (Role::Shopper(me), ClientFrame::Typing { .. }) => {
                // A shopper types in their own current conversation, whatever they name.
                if let Some(&id) = me.conversations.last() {
                    let _ = service::typing(state, id, Author::Customer).await;
                }
                Vec::new()
            }
            (Role::Shopper(_), ClientFrame::AgentSend { client_id, .. }) => {
                refused(Some(client_id), ApiError::Forbidden("Only shop staff can do this.".into()))
            }
            (Role::Agent(_), ClientFrame::Hello { after, .. }) => match service::all_messages_after(&state.db, after.max(0), AGENT_BACKLOG).await {
                Ok(messages) => vec![ServerFrame::Welcome { availability: state.support.availability(), conversation_id: None, messages }],
                Err(e) => refused(None, e),
            },
            (Role::Agent(agent), ClientFrame::AgentSend { conversation_id, client_id, body }) => {
                match service::agent_says(state, agent, conversation_id, &client_id, &body).await {
                    Ok((message, _)) => vec![ServerFrame::Message { message }],
                    Err(e) => refused(Some(client_id), e),
                }
            }
            (Role::Agent(_), ClientFrame::Typing { conversation_id: Some(id) }) => match service::typing(state, id, Author::Agent).await {
                Ok(()) => Vec::new(),
                Err(e) => refused(None, e),
            },
            (Role::Agent(_), ClientFrame::Send { client_id, .. }) => {
                refused(Some(client_id), ApiError::bad_request("Agents answer with agent_send, naming the conversation."))
            }
            (_, ClientFrame::Typing { .. } | ClientFrame::Read { .. }) => Vec::new(),
        }
    }

    /// What the socket missed when the fan-out ran ahead of it, from the database.
    async fn catch_up(&self, state: &AppState, after: i64) -> Result<Vec<ServerFrame>, ApiError> {
        let messages = match self {
            Role::Agent(_) => service::all_messages_after(&state.db, after, AGENT_BACKLOG).await?,
            Role::Shopper(me) => {
                let mut all = Vec::new();
                for id in &me.conversations {
                    all.extend(service::messages_of(&state.db, *id, after).await?);
                }
                all
            }
        };
        let mut frames: Vec<ServerFrame> = messages.into_iter().map(|message| ServerFrame::Message { message }).collect();
        if matches!(self, Role::Agent(_)) {
            frames.push(ServerFrame::QueueChanged);
        }
        Ok(frames)
    }
}

/// The socket and which messages it has already been sent, so a message that arrives
/// both as a direct answer and through the fan-out is sent once.
struct Conn {
    socket: WebSocket,
    recent: VecDeque<i64>,
    highest: i64,
}

impl Conn {
    /// Sends a direct answer (always: a resend is answered with its stored message even
    /// if this socket saw it before).
    async fn answer(&mut self, frame: &ServerFrame) -> bool {
        self.send(frame, false).await
    }

    /// Sends what the fan-out or a catch-up brought, unless this socket already has it.
    async fn pass_on(&mut self, frame: &ServerFrame) -> bool {
        self.send(frame, true).await
    }

    async fn send(&mut self, frame: &ServerFrame, skip_known: bool) -> bool {
        let mut ids: Vec<i64> = match frame {
            ServerFrame::Message { message } => vec![message.id],
            ServerFrame::Welcome { messages, .. } => messages.iter().map(|m| m.id).collect(),
            _ => Vec::new(),
        };
        if let (true, ServerFrame::Message { message }) = (skip_known, frame) {
            if self.recent.contains(&message.id) {
                return true;
            }
        }
        for id in ids.drain(..) {
            self.highest = self.highest.max(id);
            self.recent.push_back(id);
            if self.recent.len() > 256 {
                self.recent.pop_front();
            }
        }
        match serde_json::to_string(frame) {
            Ok(text) => self.socket.send(Message::Text(text.into())).await.is_ok(),
            Err(_) => true,
        }
    }
}

enum Step {
    Frame(String),
    Event(SupportEvent),
    Lagged,
    Ping,
    Nothing,
    Stop,
}

async fn run(state: AppState, socket: WebSocket, mut role: Role) {
    // Subscribed before anything is read, so nothing said in between is missed.
    let mut events = state.support.subscribe();
    let mut conn = Conn { socket, recent: VecDeque::new(), highest: 0 };
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        let step = tokio::select! {
            incoming = conn.socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => Step::Frame(text.as_str().to_string()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Step::Stop,
                Some(Ok(_)) => Step::Nothing,
            },
            event = events.recv() => match event {
                Ok(e) => Step::Event(e),
                Err(RecvError::Lagged(_)) => Step::Lagged,
                Err(RecvError::Closed) => Step::Stop,
            },
            _ = ping.tick() => Step::Ping,
        };
        let alive = match step {
            Step::Frame(text) => {
                let mut ok = true;
                for frame in role.handle(&state, &text).await {
                    ok = ok && conn.answer(&frame).await;
                }
                ok
            }
            Step::Event(e) => !role.wants(&e) || conn.pass_on(&e.frame).await,
            Step::Lagged => match role.catch_up(&state, conn.highest).await {
                Ok(frames) => {
                    let mut ok = true;
                    for frame in frames {
                        ok = ok && conn.pass_on(&frame).await;
                    }
                    ok
                }
                // Closing makes the client reconnect and ask for what it missed.
                Err(_) => false,
            },
            Step::Ping => conn.socket.send(Message::Ping(Bytes::new())).await.is_ok(),
            Step::Nothing => true,
            Step::Stop => false,
        };
        if !alive {
            break;
        }
    }
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(chat_socket))
        .routes(routes!(staff_support_socket))
}
