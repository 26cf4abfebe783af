//! Reaching a person, in the database: chat conversations and their messages,
//! call-back requests, contact tickets, feedback and product ratings. Open sockets hear
//! of changes through the [`super::hub::Hub`].
//!
//! Whose is what: a signed-in shopper's rows carry their account id; a guest's carry the
//! hash of the support token their browser made ([`Owner`]). Anything that is not the
//! caller's answers "not found", exactly like something that does not exist.

use crate::platform;
use crate::{
    identity::session::Visitor,
    platform::{clock, db::{Db, Tx}, error::ApiError},
    AppState,
};
use super::{
    emails::{CallbackMail, TicketMail},
    hub::SupportEvent,
};
use aisle_domain::{
    customer::{parse_phone, parse_text, Customer, Email, FieldError},
    support::*,
    ErrorCode, Lang,
};


/// The header a guest's reads (and ticket replies) carry their support token in.
pub const SUPPORT_TOKEN_HEADER: &str = "x-support-token";

// ---------------------------------------------------------------------------------------
// Whose support it is
// ---------------------------------------------------------------------------------------

/// The shopper a support item belongs to: an account, or a guest's token hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub customer_id: Option<i64>,
    pub guest_hash: Option<String>,
}

/// Rows of `owner`: the account's, or a guest's that no account has adopted. Bind the
/// owner's customer id and then its guest hash, as the query's first two parameters.
const OWNED: &str = "(customer_id = $1 OR (customer_id IS NULL AND guest_token_hash = $2))";

impl Owner {
    pub fn customer(id: i64) -> Owner {
        Owner { customer_id: Some(id), guest_hash: None }
    }

    pub fn guest(hash: String) -> Owner {
        Owner { customer_id: None, guest_hash: Some(hash) }
    }

    pub fn key(&self) -> String {
        owner_key(self.customer_id, self.guest_hash.as_deref()).unwrap_or_default()
    }
}

/// `customer:12` or `guest:<hash>`, for the agent's single customer view.
pub fn owner_key(customer_id: Option<i64>, guest_hash: Option<&str>) -> Option<String> {
    match (customer_id, guest_hash) {
        (Some(id), _) => Some(CustomerKey::Customer(id).as_string()),
        (None, Some(h)) => Some(CustomerKey::Guest(h.to_string()).as_string()),
        (None, None) => None,
    }
}

/// The owner for a key from the agent's console.
pub fn owner_of_key(key: &CustomerKey) -> Owner {
    match key {
        CustomerKey::Customer(id) => Owner::customer(*id),
        CustomerKey::Guest(h) => Owner::guest(h.clone()),
    }
}

/// Refusal for a guest whose browser sent no usable support token.
pub fn no_token() -> ApiError {
    ApiError::bad_request("We could not recognise this browser. Please reload the page and try again.")
}

/// Who a support request is from: the account when signed in, otherwise the guest's
/// support token (`None` without a valid one). A signed-in shopper who still holds a
/// guest token takes over what they asked as a guest.
pub async fn identify(state: &AppState, v: &Visitor, token: Option<&str>) -> Result<Option<Owner>, ApiError> {
    let hash = parse_support_token(token).map(|t| platform::token::hash_token(&t));
    match (&v.customer, hash) {
        (Some(c), Some(h)) => {
            adopt(state, c, &h).await?;
            Ok(Some(Owner::customer(c.id)))
        }
        (Some(c), None) => Ok(Some(Owner::customer(c.id))),
        (None, Some(h)) => Ok(Some(Owner::guest(h))),
        (None, None) => Ok(None),
    }
}

/// The support token a read sent in its header.
pub fn header_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(SUPPORT_TOKEN_HEADER).and_then(|v| v.to_str().ok())
}

/// Moves a guest's conversations, call-backs, tickets and feedback into the account.
async fn adopt(state: &AppState, c: &Customer, hash: &str) -> Result<(), ApiError> {
    // Reads first, so that the common case (nothing to adopt) takes no write lock.
    let waiting: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM conversations WHERE guest_token_hash = $1 AND customer_id IS NULL) \
         + (SELECT COUNT(*) FROM callbacks WHERE guest_token_hash = $1 AND customer_id IS NULL) \
         + (SELECT COUNT(*) FROM tickets WHERE guest_token_hash = $1 AND customer_id IS NULL) \
         + (SELECT COUNT(*) FROM feedback WHERE guest_token_hash = $1 AND customer_id IS NULL)",
    )
    .bind(hash)
    .fetch_one(&state.db)
    .await?;
    if waiting == 0 {
        return Ok(());
    }
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    sqlx::query("UPDATE conversations SET customer_id = $1, customer_name = $2 WHERE guest_token_hash = $3 AND customer_id IS NULL")
        .bind(c.id)
        .bind(&c.name)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    for table in ["callbacks", "tickets", "feedback"] {
        sqlx::query(&format!("UPDATE {table} SET customer_id = $1 WHERE guest_token_hash = $2 AND customer_id IS NULL"))
            .bind(c.id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    state.support.queue_changed();
    Ok(())
}

/// A guest who wrote without a support token still needs a key for the agent's view:
/// a hash of a fresh random token nobody holds.
fn orphan_hash() -> String {
    platform::token::hash_token(&platform::token::random_token())
}

/// An optional order number as typed: empty is none; else up to 20 letters and digits.
pub fn parse_order_number(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => aisle_domain::order::parse_order_number(s).map(Some),
    }
}

fn author_of(s: &str) -> Author {
    if s == "agent" {
        Author::Agent
    } else {
        Author::Customer
    }
}

fn author_str(a: Author) -> &'static str {
    match a {
        Author::Customer => "customer",
        Author::Agent => "agent",
    }
}

/// The first `max` characters of a text, on one line, for summaries.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max.saturating_sub(1)).collect::<String>().trim_end())
    }
}

// ---------------------------------------------------------------------------------------
// Live chat
// ---------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    conversation_id: i64,
    client_id: String,
    author: String,
    author_name: String,
    body: String,
    at: String,
}

impl From<MessageRow> for ChatMessage {
    fn from(r: MessageRow) -> ChatMessage {
        ChatMessage {
            id: r.id,
            conversation_id: r.conversation_id,
            client_id: r.client_id,
            author: author_of(&r.author),
            author_name: r.author_name,
            body: r.body,
            at: r.at,
        }
    }
}

const MESSAGE_COLUMNS: &str = "SELECT id, conversation_id, client_id, author, author_name, body, at FROM chat_messages";

#[derive(sqlx::FromRow, Clone)]
pub struct ConversationRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub guest_token_hash: Option<String>,
    pub customer_name: String,
    pub status: String,
    pub started_at: String,
}

impl ConversationRow {
    pub fn owner_key(&self) -> Option<String> {
        owner_key(self.customer_id, self.guest_token_hash.as_deref())
    }

    fn with_messages(self, messages: Vec<ChatMessage>) -> Conversation {
        Conversation {
            id: self.id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            status: if self.status == "closed" { ConversationStatus::Closed } else { ConversationStatus::Open },
            started_at: self.started_at,
            messages,
        }
    }
}

const CONVERSATION_COLUMNS: &str = "SELECT id, customer_id, guest_token_hash, customer_name, status, started_at FROM conversations";

/// A conversation's messages after `after`, oldest first.
pub async fn messages_of(db: &Db, conversation_id: i64, after: i64) -> Result<Vec<ChatMessage>, ApiError> {
    let rows: Vec<MessageRow> = sqlx::query_as(&format!("{MESSAGE_COLUMNS} WHERE conversation_id = $1 AND id > $2 ORDER BY id"))
        .bind(conversation_id)
        .bind(after)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(ChatMessage::from).collect())
}

/// Every conversation's messages after `after`: the newest `limit` of them, oldest first
/// (an agent's console catching up).
pub async fn all_messages_after(db: &Db, after: i64, limit: i64) -> Result<Vec<ChatMessage>, ApiError> {
    let rows: Vec<MessageRow> = sqlx::query_as(&format!("{MESSAGE_COLUMNS} WHERE id > $1 ORDER BY id DESC LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().rev().map(ChatMessage::from).collect())
}

/// One message by id (a message another instance stored, see [`crate::platform::fanout`]).
pub async fn message_by_id(db: &Db, id: i64) -> Result<Option<ChatMessage>, ApiError> {
    let row: Option<MessageRow> = sqlx::query_as(&format!("{MESSAGE_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    Ok(row.map(ChatMessage::from))
}

pub async fn conversation_row(db: &Db, id: i64) -> Result<Option<ConversationRow>, ApiError> {
    Ok(sqlx::query_as(&format!("{CONVERSATION_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?)
}

/// The owner's latest conversation, open or closed.
pub async fn latest_conversation(db: &Db, owner: &Owner) -> Result<Option<ConversationRow>, ApiError> {
    Ok(sqlx::query_as(&format!("{CONVERSATION_COLUMNS} WHERE {OWNED} ORDER BY id DESC LIMIT 1"))
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .fetch_optional(db)
        .await?)
}

/// A conversation with its messages after `after`.
pub async fn conversation(db: &Db, row: ConversationRow, after: i64) -> Result<Conversation, ApiError> {
    let messages = messages_of(db, row.id, after).await?;
    Ok(row.with_messages(messages))
}

/// The owner's conversations with their messages, newest first.
pub async fn conversations_of(db: &Db, owner: &Owner, limit: i64) -> Result<Vec<Conversation>, ApiError> {
    let rows: Vec<ConversationRow> = sqlx::query_as(&format!("{CONVERSATION_COLUMNS} WHERE {OWNED} ORDER BY id DESC LIMIT $3"))
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .bind(limit)
        .fetch_all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(conversation(db, row, 0).await?);
    }
    Ok(out)
}

/// A message the owner already sent with this client id, in any of their conversations.
async fn sent_before(db: &Db, owner: &Owner, client_id: &str) -> Result<Option<ChatMessage>, ApiError> {
    let row: Option<MessageRow> = sqlx::query_as(&format!(
        "{MESSAGE_COLUMNS} WHERE author = 'customer' AND client_id = $3 AND conversation_id IN (SELECT id FROM conversations WHERE {OWNED})"
    ))
    .bind(owner.customer_id)
    .bind(&owner.guest_hash)
    .bind(client_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(ChatMessage::from))
}

/// Inserts a message unless one with this client id is already in the conversation,
/// and returns the stored one and whether it is new.
async fn insert_message(tx: &mut Tx<'_>, conversation_id: i64, client_id: &str, author: Author, name: &str, body: &str) -> Result<(ChatMessage, bool), ApiError> {
    let r = sqlx::query(
        "INSERT INTO chat_messages (conversation_id, client_id, author, author_name, body, at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (conversation_id, client_id) DO NOTHING",
    )
    .bind(conversation_id)
    .bind(client_id)
    .bind(author_str(author))
    .bind(name)
    .bind(body)
    .bind(clock::now())
    .execute(&mut **tx)
    .await?;
    let row: MessageRow = sqlx::query_as(&format!("{MESSAGE_COLUMNS} WHERE conversation_id = $1 AND client_id = $2"))
        .bind(conversation_id)
        .bind(client_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok((row.into(), r.rows_affected() == 1))
}

fn check_client_id(client_id: &str) -> Result<(), ApiError> {
    if is_valid_client_id(client_id) {
        Ok(())
    } else {
        Err(ApiError::bad_request("A chat message needs a client_id of 1–64 letters, digits, '-' or '_'."))
    }
}

/// A stored message and whether this call stored it (false: a resend of one stored before).
pub type Posted = (ChatMessage, bool);

/// A shopper's chat message: checked, stored once per client id in their open
/// conversation (opening one if needed), and sent to that conversation's sockets and to
/// the agents. A resend returns the message stored the first time and tells nobody again.
pub async fn customer_says(state: &AppState, v: &Visitor, owner: Option<&Owner>, client_id: &str, body: &str) -> Result<Posted, ApiError> {
    check_client_id(client_id)?;
    let body = parse_message(body)?;
    let owner = owner.ok_or_else(no_token)?;
    if let Some(m) = sent_before(&state.db, owner, client_id).await? {
        return Ok((m, false));
    }
    state.support.limit(&state.support.chat_limiter, &format!("chat:{}", v.session_hash), "a lot of messages").await?;
    let name = v.customer.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "Guest".to_string());
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let open: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM conversations WHERE {OWNED} AND status = 'open' ORDER BY id DESC LIMIT 1"))
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .fetch_optional(&mut *tx)
        .await?;
    let conversation_id = match open {
        Some(id) => id,
        None => sqlx::query_scalar::<_, i64>("INSERT INTO conversations (customer_id, guest_token_hash, customer_name, status, started_at) VALUES ($1, $2, $3, 'open', $4) RETURNING id")
            .bind(owner.customer_id)
            .bind(&owner.guest_hash)
            .bind(&name)
            .bind(clock::now())
            .fetch_one(&mut *tx)
            .await?,
    };
    let posted = insert_message(&mut tx, conversation_id, client_id, Author::Customer, &name, &body).await?;
    tx.commit().await?;
    if posted.1 {
        announce(state, &posted.0, Some(owner.key()));
    }
    Ok(posted)
}

/// An agent's chat message into a conversation, stored once per client id. Writing into
/// a closed conversation opens it again.
pub async fn agent_says(state: &AppState, agent: &Customer, conversation_id: i64, client_id: &str, body: &str) -> Result<Posted, ApiError> {
    check_client_id(client_id)?;
    let body = parse_message(body)?;
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let row: Option<ConversationRow> = sqlx::query_as(&format!("{CONVERSATION_COLUMNS} WHERE id = $1"))
        .bind(conversation_id)
        .fetch_optional(&mut *tx)
        .await?;
    let row = row.ok_or_else(|| ApiError::not_found("There is no such conversation."))?;
    let posted = insert_message(&mut tx, conversation_id, client_id, Author::Agent, &agent.name, &body).await?;
    if posted.1 && row.status != "open" {
        sqlx::query("UPDATE conversations SET status = 'open' WHERE id = $1").bind(conversation_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    if posted.1 {
        announce(state, &posted.0, row.owner_key());
    }
    Ok(posted)
}

fn announce(state: &AppState, message: &ChatMessage, owner: Option<String>) {
    state.support.publish(SupportEvent {
        conversation_id: Some(message.conversation_id),
        owner,
        frame: ServerFrame::Message { message: message.clone() },
    });
    state.support.queue_changed();
}

/// "Someone is typing" in a conversation: a shopper's goes to the agents, an agent's to
/// the shopper.
pub async fn typing(state: &AppState, conversation_id: i64, author: Author) -> Result<(), ApiError> {
    let owner = match author {
        Author::Customer => None,
        Author::Agent => match conversation_row(&state.db, conversation_id).await? {
            Some(row) => row.owner_key(),
            None => return Err(ApiError::not_found("There is no such conversation.")),
        },
    };
    state.support.publish(SupportEvent { conversation_id: Some(conversation_id), owner, frame: ServerFrame::Typing { conversation_id, author } });
    Ok(())
}

/// Staff: closes a conversation (the shopper's next message opens a new one).
pub async fn close_conversation(state: &AppState, id: i64) -> Result<Conversation, ApiError> {
    let r = sqlx::query("UPDATE conversations SET status = 'closed' WHERE id = $1").bind(id).execute(&state.db).await?;
    if r.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no such conversation."));
    }
    state.support.queue_changed();
    let row = conversation_row(&state.db, id).await?.ok_or_else(|| ApiError::not_found("There is no such conversation."))?;
    conversation(&state.db, row, 0).await
}

// ---------------------------------------------------------------------------------------
// Call-backs
// ---------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub struct CallbackRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub guest_token_hash: Option<String>,
    pub name: String,
    pub phone: String,
    pub call_window: String,
    pub topic: String,
    pub order_number: Option<String>,
    pub status: String,
    pub expected: String,
    pub scheduled_for: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

impl CallbackRow {
    pub fn into_callback(self) -> Result<Callback, ApiError> {
        Ok(Callback {
            id: self.id,
            customer_id: self.customer_id,
            name: self.name,
            phone: self.phone,
            window: CallWindow::parse(&self.call_window).ok_or_else(|| ApiError::Internal(format!("unknown call window {}", self.call_window)))?,
            topic: self.topic,
            order_number: self.order_number,
            status: CallbackStatus::parse(&self.status).ok_or_else(|| ApiError::Internal(format!("unknown call-back status {}", self.status)))?,
            expected: self.expected,
            scheduled_for: self.scheduled_for,
            note: self.note,
            created_at: self.created_at,
        })
    }
}

pub const CALLBACK_COLUMNS: &str = "SELECT id, customer_id, guest_token_hash, name, phone, call_window, topic, order_number, status, \
     expected, scheduled_for, note, created_at FROM callbacks";

async fn callback_by_id(db: &Db, id: i64) -> Result<Callback, ApiError> {
    let row: Option<CallbackRow> = sqlx::query_as(&format!("{CALLBACK_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    row.ok_or_else(|| ApiError::not_found("There is no such call-back request."))?.into_callback()
}

pub async fn callbacks_of(db: &Db, owner: &Owner, limit: i64) -> Result<Vec<Callback>, ApiError> {
    let rows: Vec<CallbackRow> = sqlx::query_as(&format!("{CALLBACK_COLUMNS} WHERE {OWNED} ORDER BY id DESC LIMIT $3"))
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .bind(limit)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(CallbackRow::into_callback).collect()
}

/// `POST /api/support/callbacks`: a shopper asks to be called.
pub async fn create_callback(state: &AppState, v: &Visitor, req: &NewCallback, lang: Lang) -> Result<Callback, ApiError> {
    let name = parse_text("name", "your name", &req.name, 100)?;
    let phone = parse_phone(&req.phone)?.ok_or_else(|| FieldError::new("phone", "Please enter the number to call."))?;
    let window = CallWindow::parse(req.window.trim())
        .ok_or_else(|| FieldError::new("window", "Please choose when we should call: as soon as possible, morning or afternoon."))?;
    let topic = parse_text("topic", "what the call is about", &req.topic, 200)?;
    let order_number = parse_order_number(req.order_number.as_deref())?;
    // Where the confirmation goes: the account's address, or one a guest gave.
    let email = match (&v.customer, req.email.as_deref().map(str::trim).filter(|e| !e.is_empty())) {
        (Some(c), _) => Some(c.email.clone()),
        (None, Some(e)) => Some(Email::parse(e)?.as_str().to_string()),
        (None, None) => None,
    };
    let owner = identify(state, v, req.support_token.as_deref()).await?.ok_or_else(no_token)?;
    state.support.limit(&state.support.form_limiter, &format!("callback:{}", v.session_hash), "several call-back requests").await?;
    let now = clock::now();
    let expected = expected_call(window, &state.support.hours, clock::now_unix(), lang);
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO callbacks (customer_id, guest_token_hash, name, phone, call_window, topic, order_number, status, expected, created_at, updated_at, email, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(owner.customer_id)
    .bind(&owner.guest_hash)
    .bind(&name)
    .bind(&phone)
    .bind(window.as_str())
    .bind(&topic)
    .bind(&order_number)
    .bind(&expected)
    .bind(&now)
    .bind(&now)
    .bind(&email)
    .bind(lang.code())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(to) = &email {
        let mail = CallbackMail { name: &name, phone: &phone, topic: &topic, expected: &expected };
        super::emails::callback_booked(&state.emails, &mut tx, to, lang, &mail).await?;
    }
    tx.commit().await?;
    state.support.queue_changed();
    callback_by_id(&state.db, id).await
}

/// Staff: moves a call-back on (scheduled for a time, or done with a note), if its
/// status allows.
pub async fn move_callback(state: &AppState, id: i64, next: CallbackStatus, scheduled_for: Option<&str>, note: Option<&str>) -> Result<Callback, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM callbacks WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let status = status.ok_or_else(|| ApiError::not_found("There is no such call-back request."))?;
    let from = CallbackStatus::parse(&status).ok_or_else(|| ApiError::Internal(format!("unknown call-back status {status}")))?;
    if !from.can_become(next) {
        let message = match from {
            CallbackStatus::Done => "This call-back is already done.".to_string(),
            other => format!("A call-back that is {} cannot become {}.", other.label().to_lowercase(), next.label().to_lowercase()),
        };
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message });
    }
    sqlx::query("UPDATE callbacks SET status = $1, scheduled_for = COALESCE($2, scheduled_for), note = COALESCE($3, note), updated_at = $4 WHERE id = $5")
        .bind(next.as_str())
        .bind(scheduled_for)
        .bind(note)
        .bind(clock::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    state.support.queue_changed();
    callback_by_id(&state.db, id).await
}

// ---------------------------------------------------------------------------------------
// Tickets (the contact form)
// ---------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub guest_token_hash: Option<String>,
    pub name: String,
    pub email: String,
    pub subject: String,
    pub order_number: Option<String>,
    pub status: String,
    pub created_at: String,
    /// The language the shopper wrote in: the agent's answer is e-mailed in it.
    pub lang: String,
}

pub const TICKET_COLUMNS: &str = "SELECT id, customer_id, guest_token_hash, name, email, subject, order_number, status, created_at, lang FROM tickets";

impl TicketRow {
    fn owned_by(&self, owner: &Owner) -> bool {
        match self.customer_id {
            Some(id) => owner.customer_id == Some(id),
            None => self.guest_token_hash.is_some() && self.guest_token_hash == owner.guest_hash,
        }
    }
}

pub async fn ticket_with_messages(db: &Db, row: TicketRow) -> Result<Ticket, ApiError> {
    let messages: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT author, author_name, body, at FROM ticket_messages WHERE ticket_id = $1 ORDER BY id")
            .bind(row.id)
            .fetch_all(db)
            .await?;
    Ok(Ticket {
        number: ticket_number(row.id),
        id: row.id,
        customer_id: row.customer_id,
        name: row.name,
        email: row.email,
        subject: row.subject,
        order_number: row.order_number,
        status: TicketStatus::parse(&row.status).ok_or_else(|| ApiError::Internal(format!("unknown ticket status {}", row.status)))?,
        created_at: row.created_at,
        messages: messages
            .into_iter()
            .map(|(author, author_name, body, at)| TicketMessage { author: author_of(&author), author_name, body, at })
            .collect(),
    })
}

async fn ticket_row(db: &Db, id: i64) -> Result<Option<TicketRow>, ApiError> {
    Ok(sqlx::query_as(&format!("{TICKET_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(db).await?)
}

/// Whether `token` is a live link from an e-mail about ticket `id`.
pub async fn ticket_link_opens(state: &AppState, id: i64, token: Option<&str>) -> Result<bool, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else { return Ok(false) };
    let opened = crate::platform::links::open(&mut *state.db.acquire().await?, crate::platform::links::LinkKind::Ticket, token).await?;
    Ok(opened == Some(id))
}

fn no_ticket() -> ApiError {
    ApiError::not_found("We could not find that message.")
}

/// A ticket for its owner, for staff, or for whoever holds a live link to it
/// (`by_link`); anyone else's is "not found".
pub async fn ticket_for(state: &AppState, v: Option<&Visitor>, owner: Option<&Owner>, id: i64, by_link: bool) -> Result<Ticket, ApiError> {
    let row = ticket_row(&state.db, id).await?.ok_or_else(no_ticket)?;
    let staff = v.and_then(|v| v.customer.as_ref()).is_some_and(|c| c.is_staff);
    if !staff && !by_link && !owner.is_some_and(|o| row.owned_by(o)) {
        return Err(no_ticket());
    }
    ticket_with_messages(&state.db, row).await
}

pub async fn tickets_of(db: &Db, owner: &Owner, limit: i64) -> Result<Vec<Ticket>, ApiError> {
    let rows: Vec<TicketRow> = sqlx::query_as(&format!("{TICKET_COLUMNS} WHERE {OWNED} ORDER BY id DESC LIMIT $3"))
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .bind(limit)
        .fetch_all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(ticket_with_messages(db, row).await?);
    }
    Ok(out)
}

/// `POST /api/support/tickets`: the contact form. The shopper gets an acknowledgement
/// e-mail, queued in the same transaction as the ticket.
pub async fn create_ticket(state: &AppState, v: &Visitor, req: &NewTicket, lang: Lang) -> Result<Ticket, ApiError> {
    let name = parse_text("name", "your name", &req.name, 100)?;
    let email = Email::parse(&req.email)?;
    let subject = parse_text("subject", "a subject", &req.subject, 150)?;
    let body = parse_message(&req.body)?;
    let order_number = parse_order_number(req.order_number.as_deref())?;
    // Without a token a guest can still write; the answer then reaches them by e-mail.
    let owner = identify(state, v, req.support_token.as_deref()).await?.unwrap_or_else(|| Owner::guest(orphan_hash()));
    state.support.limit(&state.support.form_limiter, &format!("ticket:{}", v.session_hash), "several messages").await?;
    let now = clock::now();
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO tickets (customer_id, guest_token_hash, name, email, subject, order_number, status, created_at, updated_at, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id",
    )
    .bind(owner.customer_id)
    .bind(&owner.guest_hash)
    .bind(&name)
    .bind(email.as_str())
    .bind(&subject)
    .bind(&order_number)
    .bind(&now)
    .bind(&now)
    .bind(lang.code())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO ticket_messages (ticket_id, author, author_name, body, at) VALUES ($1, 'customer', $2, $3, $4)")
        .bind(id)
        .bind(&name)
        .bind(&body)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    let number = ticket_number(id);
    let mail = TicketMail { id, number: &number, name: &name, email: email.as_str(), subject: &subject, lang };
    super::emails::ticket_received(&state.emails, &mut tx, &mail, &body, &state.support.hours.describe(lang)).await?;
    tx.commit().await?;
    state.support.queue_changed();
    let row = ticket_row(&state.db, id).await?.ok_or_else(|| ApiError::Internal("new ticket vanished".into()))?;
    ticket_with_messages(&state.db, row).await
}

/// A message in a ticket's thread. The shopper's reopens it; an agent's answers it and
/// is e-mailed to the shopper.
pub async fn add_ticket_message(state: &AppState, id: i64, author: Author, author_name: Option<&str>, body: &str) -> Result<Ticket, ApiError> {
    let body = parse_message(body)?;
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    let row: Option<TicketRow> = sqlx::query_as(&format!("{TICKET_COLUMNS} WHERE id = $1")).bind(id).fetch_optional(&mut *tx).await?;
    let row = row.ok_or_else(no_ticket)?;
    let status = TicketStatus::parse(&row.status).ok_or_else(|| ApiError::Internal(format!("unknown ticket status {}", row.status)))?;
    let now = clock::now();
    let name = author_name.unwrap_or(&row.name);
    sqlx::query("INSERT INTO ticket_messages (ticket_id, author, author_name, body, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(author_str(author))
        .bind(name)
        .bind(&body)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE tickets SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.after_message(author).as_str())
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if author == Author::Agent {
        let number = ticket_number(id);
        let lang = Lang::from_tag(&row.lang).unwrap_or_default();
        let mail = TicketMail { id, number: &number, name: &row.name, email: &row.email, subject: &row.subject, lang };
        super::emails::ticket_reply(&state.emails, &mut tx, &mail, name, &body).await?;
    }
    tx.commit().await?;
    state.support.queue_changed();
    let row = ticket_row(&state.db, id).await?.ok_or_else(no_ticket)?;
    ticket_with_messages(&state.db, row).await
}

/// Staff: closes a ticket (a later message from the shopper opens it again).
pub async fn close_ticket(state: &AppState, id: i64) -> Result<Ticket, ApiError> {
    let r = sqlx::query("UPDATE tickets SET status = 'closed', updated_at = $1 WHERE id = $2").bind(clock::now()).bind(id).execute(&state.db).await?;
    if r.rows_affected() == 0 {
        return Err(no_ticket());
    }
    state.support.queue_changed();
    let row = ticket_row(&state.db, id).await?.ok_or_else(no_ticket)?;
    ticket_with_messages(&state.db, row).await
}

// ---------------------------------------------------------------------------------------
// Feedback and ratings
// ---------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub email: Option<String>,
    pub kind: String,
    pub body: String,
    pub order_number: Option<String>,
    pub created_at: String,
}

impl FeedbackRow {
    pub fn into_feedback(self) -> Result<Feedback, ApiError> {
        Ok(Feedback {
            id: self.id,
            kind: FeedbackKind::parse(&self.kind).ok_or_else(|| ApiError::Internal(format!("unknown feedback kind {}", self.kind)))?,
            body: self.body,
            order_number: self.order_number,
            created_at: self.created_at,
        })
    }
}

pub const FEEDBACK_COLUMNS: &str = "SELECT id, email, kind, body, order_number, created_at FROM feedback";

/// `POST /api/support/feedback`: a complaint or a compliment.
pub async fn create_feedback(state: &AppState, v: &Visitor, req: &NewFeedback) -> Result<Feedback, ApiError> {
    let kind = FeedbackKind::parse(req.kind.trim()).ok_or_else(|| FieldError::new("kind", "Please choose a complaint or a compliment."))?;
    let body = parse_message(&req.body)?;
    let email = match req.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(Email::parse(e)?.as_str().to_string()),
        None => v.customer.as_ref().map(|c| c.email.clone()),
    };
    let order_number = parse_order_number(req.order_number.as_deref())?;
    let owner = identify(state, v, req.support_token.as_deref()).await?.unwrap_or_else(|| Owner::guest(orphan_hash()));
    state.support.limit(&state.support.form_limiter, &format!("feedback:{}", v.session_hash), "a lot of feedback").await?;
    let id = sqlx::query_scalar::<_, i64>("INSERT INTO feedback (customer_id, guest_token_hash, email, kind, body, order_number, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(owner.customer_id)
        .bind(&owner.guest_hash)
        .bind(&email)
        .bind(kind.as_str())
        .bind(&body)
        .bind(&order_number)
        .bind(clock::now())
        .fetch_one(&state.db)
        .await?;
    let row: FeedbackRow = sqlx::query_as(&format!("{FEEDBACK_COLUMNS} WHERE id = $1")).bind(id).fetch_one(&state.db).await?;
    row.into_feedback()
}

// ---------------------------------------------------------------------------------------
// The shopper's own history
// ---------------------------------------------------------------------------------------

/// `GET /api/support/mine`: the owner's conversations, tickets and call-backs, newest
/// first; nothing for a caller who is neither signed in nor holds a token.
pub async fn mine(db: &Db, owner: Option<&Owner>) -> Result<MySupport, ApiError> {
    let Some(owner) = owner else { return Ok(MySupport::default()) };
    Ok(MySupport {
        conversations: conversations_of(db, owner, 20).await?,
        tickets: tickets_of(db, owner, 50).await?,
        callbacks: callbacks_of(db, owner, 50).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(conversation_id: i64) -> ServerFrame {
        ServerFrame::Message {
            message: ChatMessage {
                id: 1,
                conversation_id,
                client_id: "c".into(),
                author: Author::Customer,
                author_name: "Guest".into(),
                body: "hi".into(),
                at: String::new(),
            },
        }
    }

    #[test]
    fn shoppers_see_only_their_own_conversations() {
        let mine = SupportEvent { conversation_id: Some(1), owner: Some("customer:1".into()), frame: message(1) };
        let theirs = SupportEvent { conversation_id: Some(2), owner: Some("customer:2".into()), frame: message(2) };
        assert!(mine.for_customer(&[1], None));
        assert!(!theirs.for_customer(&[1], Some("customer:1")));
        assert!(mine.for_customer(&[], Some("customer:1")), "a new conversation of the same shopper");
        let queue = SupportEvent::queue_changed();
        assert!(!queue.for_customer(&[1], Some("customer:1")) && queue.for_agent());
        let typing = |author| SupportEvent { conversation_id: Some(1), owner: None, frame: ServerFrame::Typing { conversation_id: 1, author } };
        assert!(!typing(Author::Customer).for_customer(&[1], None) && typing(Author::Customer).for_agent());
        assert!(typing(Author::Agent).for_customer(&[1], None) && !typing(Author::Agent).for_agent());
    }

    #[test]
    fn order_numbers_are_optional_and_plain() {
        assert_eq!(parse_order_number(None), Ok(None));
        assert_eq!(parse_order_number(Some("  ")), Ok(None));
        assert_eq!(parse_order_number(Some(" a000012 ")), Ok(Some("A000012".into())));
        assert_eq!(parse_order_number(Some("A-12")), Ok(Some("A12".into())), "typed as shoppers do");
        assert!(parse_order_number(Some("A/12")).is_err());
        assert!(parse_order_number(Some(&"1".repeat(21))).is_err());
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("Where is\nmy   order?", 50), "Where is my order?");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
    }

}
