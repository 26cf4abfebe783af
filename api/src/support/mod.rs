//! Reaching a person: chat, call-backs, contact tickets, feedback, ratings, the FAQ
//! and the agents' console.

pub mod chat;
pub mod console;
pub mod emails;
pub mod faq;
pub mod hub;
pub mod routes;
pub mod service;

use crate::{
    platform::fanout::{Heard, Signal},
    AppState,
};
use aisle_domain::support::ServerFrame;
use futures_util::future::BoxFuture;
use hub::SupportEvent;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(chat::router()).merge(console::routes::router()).merge(faq::routes::router())
}

/// What the other instances' chat, typing, queue and agents mean here: their sockets'
/// news reaches this instance's sockets as if it had happened here.
pub fn listen(state: AppState, heard: Heard) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        let hub = &state.support;
        match heard {
            Heard::Signal { signal: Signal::Message { message_id, owner }, .. } => match service::message_by_id(&state.db, message_id).await {
                Ok(Some(message)) => hub.publish_local(SupportEvent { conversation_id: Some(message.conversation_id), owner, frame: ServerFrame::Message { message } }),
                Ok(None) => {}
                Err(e) => tracing::warn!("cannot read message {message_id} another instance stored: {e:?}"),
            },
            Heard::Signal { signal: Signal::Typing { conversation_id, author, owner }, .. } => {
                hub.publish_local(SupportEvent { conversation_id: Some(conversation_id), owner, frame: ServerFrame::Typing { conversation_id, author } })
            }
            // Signals may have been lost: agents fetch the queue again.
            Heard::Signal { signal: Signal::QueueChanged, .. } | Heard::Gap => hub.publish_local(SupportEvent::queue_changed()),
            Heard::Signal { signal: Signal::Agents { online }, from } => {
                hub.note_remote_agents(from, online);
                hub.availability_changed_elsewhere();
            }
            Heard::Signal { signal: Signal::Hello, .. } => state.fanout.send(Signal::Agents { online: hub.local_agents() }),
            Heard::Heartbeat => {
                state.fanout.send(Signal::Agents { online: hub.local_agents() });
                // A silent instance's count expires, which may change the total.
                hub.availability_changed_elsewhere();
            }
            Heard::Signal { .. } => {}
        }
    })
}
