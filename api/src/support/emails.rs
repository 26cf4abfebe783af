//! Support's e-mails: a ticket received, an agent's reply, a call-back booked. A
//! ticket's e-mails carry a link that opens its thread in any browser, so a guest can
//! read the answer and reply without an account (see `platform::links`).

use crate::{
    emails::{Emails, Kind},
    platform::{
        db::Conn,
        error::ApiError,
        links::{self, LinkKind},
    },
};
use aisle_domain::Lang;
use serde::Serialize;

#[derive(Serialize)]
struct TicketView<'a> {
    number: &'a str,
    name: &'a str,
    subject: &'a str,
    body: &'a str,
    url: String,
}

/// What the ticket e-mails say about the ticket.
pub struct TicketMail<'a> {
    pub id: i64,
    pub number: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub subject: &'a str,
    pub lang: Lang,
}

/// The path of a ticket's page opened with `token`.
pub fn ticket_path(id: i64, token: &str) -> String {
    format!("/support/tickets/{id}?token={token}")
}

async fn view<'a>(emails: &Emails, conn: &mut Conn, t: &'a TicketMail<'a>, body: &'a str) -> Result<TicketView<'a>, ApiError> {
    let token = links::issue(conn, LinkKind::Ticket, t.id).await?;
    Ok(TicketView { number: t.number, name: t.name, subject: t.subject, body, url: emails.link(&ticket_path(t.id, &token)) })
}

/// "We have your message", with what the shopper wrote and when we answer.
pub async fn ticket_received(emails: &Emails, conn: &mut Conn, t: &TicketMail<'_>, body: &str, hours: &str) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Context<'a> {
        ticket: TicketView<'a>,
        hours: &'a str,
    }
    let ticket = view(emails, conn, t, body).await?;
    emails.queue(conn, t.email, t.lang, Kind::TicketReceived, &Context { ticket, hours }).await
}

/// An agent's answer, with a link to read the thread and reply.
pub async fn ticket_reply(emails: &Emails, conn: &mut Conn, t: &TicketMail<'_>, agent: &str, reply: &str) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Context<'a> {
        ticket: TicketView<'a>,
        agent: &'a str,
        reply: &'a str,
    }
    let ticket = view(emails, conn, t, "").await?;
    emails.queue(conn, t.email, t.lang, Kind::TicketReply, &Context { ticket, agent, reply }).await
}

/// What the call-back e-mail says.
#[derive(Serialize)]
pub struct CallbackMail<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub topic: &'a str,
    pub expected: &'a str,
}

pub async fn callback_booked(emails: &Emails, conn: &mut Conn, to: &str, lang: Lang, callback: &CallbackMail<'_>) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Context<'a> {
        callback: &'a CallbackMail<'a>,
    }
    emails.queue(conn, to, lang, Kind::CallbackBooked, &Context { callback }).await
}
