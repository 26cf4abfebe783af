//! Reaching a person: live chat, call-back requests, contact tickets, the FAQ, feedback
//! and product ratings — as they cross the wire — and the pure rules behind them:
//! what a message may hold, when the shop is open, when to expect a call, and how a
//! call-back or ticket moves on.
//!
//! Identity: a signed-in shopper's conversations, tickets and call-backs belong to
//! their account. A guest's belong to a secret *support token* (64 hex characters) that
//! the browser makes and keeps; the server stores only its hash. So a guest can come
//! back to the same chat, and nobody who does not hold the token can read it.

use crate::{
    customer::{parse_text, FieldError},
    Lang,
};
use serde::{Deserialize, Serialize};

/// Longest chat message or ticket message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// A message someone typed: trimmed, 1..=2000 characters, no control characters except
/// line breaks and tabs. It is stored and shown as plain text (the app escapes it).
pub fn parse_message(raw: &str) -> Result<String, FieldError> {
    let s = raw.replace("\r\n", "\n");
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::new("body", "Please write a message."));
    }
    if s.chars().count() > MAX_MESSAGE_CHARS {
        return Err(FieldError::new("body", format!("A message can be at most {MAX_MESSAGE_CHARS} characters.")));
    }
    if s.chars().any(|c| crate::customer::is_unusable(c) && c != '\n' && c != '\t') {
        return Err(FieldError::new("body", "The message contains characters we cannot use."));
    }
    Ok(s.to_string())
}

/// A guest's support token: exactly 64 hex digits, or `None`.
pub fn parse_support_token(raw: Option<&str>) -> Option<String> {
    raw.filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())).map(str::to_ascii_lowercase)
}

/// A client's id for a chat message, so a message resent after a dropped connection is
/// stored once: 1..=64 characters of letters, digits, `-` and `_`.
pub fn is_valid_client_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

// ---------------------------------------------------------------------------------------
// Opening hours and availability
// ---------------------------------------------------------------------------------------

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn day_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => DAY_NAMES,
        Lang::De => ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    }
}

fn long_day_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        Lang::De => ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    }
}

/// When people answer: a set of weekdays and one daily window, in UTC.
/// Written as `Mon-Fri 09:00-17:00`, `Mon-Sat 08:30-20:00` or `Mon-Sun 00:00-24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessHours {
    /// Bit 0 = Monday … bit 6 = Sunday.
    pub days: u8,
    /// Minutes after midnight UTC.
    pub open: u32,
    pub close: u32,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours { days: 0b001_1111, open: 9 * 60, close: 17 * 60 }
    }
}

impl BusinessHours {
    pub fn parse(raw: &str) -> Result<BusinessHours, String> {
        let bad = || format!("{raw:?} is not opening hours like \"Mon-Fri 09:00-17:00\"");
        let (days, times) = raw.trim().split_once(' ').ok_or_else(bad)?;
        let day = |s: &str| DAY_NAMES.iter().position(|d| d.eq_ignore_ascii_case(s.trim()));
        let (first, last) = match days.split_once('-') {
            Some((a, b)) => (day(a).ok_or_else(bad)?, day(b).ok_or_else(bad)?),
            None => {
                let d = day(days).ok_or_else(bad)?;
                (d, d)
            }
        };
        if last < first {
            return Err(bad());
        }
        let mut mask = 0u8;
        for d in first..=last {
            mask |= 1 << d;
        }
        let (open, close) = times.trim().split_once('-').ok_or_else(bad)?;
        let minutes = |s: &str| -> Option<u32> {
            let (h, m) = s.trim().split_once(':')?;
            let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (open, close) = (minutes(open).ok_or_else(bad)?, minutes(close).ok_or_else(bad)?);
        if close <= open {
            return Err(bad());
        }
        Ok(BusinessHours { days: mask, open, close })
    }

    /// "Mon–Fri 09:00–17:00 UTC", for people.
    pub fn describe(&self, lang: Lang) -> String {
        let names = day_names(lang);
        let days: Vec<usize> = (0..7).filter(|d| self.days & (1 << d) != 0).collect();
        let span = match (days.first(), days.last()) {
            (Some(a), Some(b)) if a == b => names[*a].to_string(),
            (Some(a), Some(b)) if b - a + 1 == days.len() => format!("{}–{}", names[*a], names[*b]),
            _ => days.iter().map(|d| names[*d]).collect::<Vec<_>>().join(", "),
        };
        format!("{span} {}–{} UTC", hhmm(self.open), hhmm(self.close))
    }

    fn open_on(&self, weekday: usize) -> bool {
        self.days & (1 << weekday) != 0
    }

    /// Whether the shop is open at `unix` (seconds since 1970, UTC).
    pub fn is_open(&self, unix: i64) -> bool {
        let (weekday, minute) = weekday_minute(unix);
        self.open_on(weekday) && minute >= self.open && minute < self.close
    }

    /// The next moment (unix seconds) the shop opens, at or after `unix`; `unix` itself
    /// when open now. `None` if no day is open.
    pub fn next_open(&self, unix: i64) -> Option<i64> {
        if self.is_open(unix) {
            return Some(unix);
        }
        let day_start = unix - unix.rem_euclid(86_400);
        (0..8).map(|i| day_start + i * 86_400 + self.open as i64 * 60).find(|&t| t >= unix && self.is_open(t))
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// (weekday with Monday = 0, minute of the day) of a unix time in UTC.
fn weekday_minute(unix: i64) -> (usize, u32) {
    let days = unix.div_euclid(86_400);
    // 1 January 1970 was a Thursday (3 when Monday is 0).
    (((days + 3).rem_euclid(7)) as usize, (unix.rem_euclid(86_400) / 60) as u32)
}

/// "Tuesday at 09:00 UTC" (same week) — for "we open again …".
pub fn describe_moment(unix: i64, now: i64, lang: Lang) -> String {
    let (day, minute) = day_word(unix, now, lang);
    match lang {
        Lang::En => format!("{day} at {} UTC", hhmm(minute)),
        Lang::De => format!("{day} um {} UTC", hhmm(minute)),
    }
}

/// "today", "tomorrow" or the weekday of `unix`, and its minute of the day.
fn day_word(unix: i64, now: i64, lang: Lang) -> (&'static str, u32) {
    let (weekday, minute) = weekday_minute(unix);
    let word = if unix.div_euclid(86_400) == now.div_euclid(86_400) {
        if lang == Lang::De { "heute" } else { "today" }
    } else if unix.div_euclid(86_400) == now.div_euclid(86_400) + 1 {
        if lang == Lang::De { "morgen" } else { "tomorrow" }
    } else {
        long_day_names(lang)[weekday]
    };
    (word, minute)
}

/// Whether someone can answer a chat now. The widget writes it in the shopper's
/// language from `agents_online`, `back_at` and `business_hours` (see
/// [`Availability::message_in`]); `message` and `hours` are the same in English, for
/// clients that only show text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub agents_online: bool,
    /// "An agent is online" / "We're away — leave a message and we'll reply by e-mail".
    pub message: String,
    /// "Mon–Fri 09:00–17:00 UTC".
    pub hours: String,
    /// When the shop opens next (seconds since 1970, UTC), while it is closed.
    #[serde(default)]
    pub back_at: Option<i64>,
    #[serde(default)]
    pub business_hours: Option<BusinessHours>,
}

impl Availability {
    /// Honest about who is there: "online" only when an agent has the console open
    /// (hours alone do not answer chats).
    pub fn new(hours: &BusinessHours, agents_online: usize, now: i64) -> Availability {
        let back_at = if agents_online > 0 { None } else { hours.next_open(now).filter(|t| *t > now) };
        let mut a = Availability { agents_online: agents_online > 0, message: String::new(), hours: hours.describe(Lang::En), back_at, business_hours: Some(*hours) };
        a.message = a.message_in(Lang::En, now);
        a
    }

    /// Who is there, in `lang`, with "back tomorrow at 09:00 UTC" said from `now`.
    pub fn message_in(&self, lang: Lang, now: i64) -> String {
        let de = lang == Lang::De;
        if self.agents_online {
            return if de { "Jemand ist online" } else { "An agent is online" }.to_string();
        }
        let away = if de {
            "Wir sind gerade nicht da — hinterlassen Sie eine Nachricht, wir antworten per E-Mail."
        } else {
            "We're away — leave a message and we'll reply by e-mail."
        };
        match self.back_at {
            Some(t) if t > now && de => format!("{away} Wir sind {} wieder da.", describe_moment(t, now, lang)),
            Some(t) if t > now => format!("{away} We're back {}.", describe_moment(t, now, lang)),
            _ => away.to_string(),
        }
    }

    /// The opening hours in `lang` ("Mo–Fr 09:00–17:00 UTC").
    pub fn hours_in(&self, lang: Lang) -> String {
        self.business_hours.map(|h| h.describe(lang)).unwrap_or_else(|| self.hours.clone())
    }
}

// ---------------------------------------------------------------------------------------
// Live chat
// ---------------------------------------------------------------------------------------

/// Who wrote a chat or ticket message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Author {
    Customer,
    Agent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// Grows with every message of every conversation; a client asks for "after N".
    pub id: i64,
    pub conversation_id: i64,
    /// The sender's own id for it (see [`is_valid_client_id`]).
    pub client_id: String,
    pub author: Author,
    pub author_name: String,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConversationStatus {
    Open,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: i64,
    pub customer_id: Option<i64>,
    /// The shopper's name as the agent sees it ("Guest" when unknown).
    pub customer_name: String,
    pub status: ConversationStatus,
    pub started_at: String,
    pub messages: Vec<ChatMessage>,
}

/// What a chat client sends over the WebSocket (JSON, one per frame).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ClientFrame {
    /// First frame after connecting: who I am (a guest's support token) and the last
    /// message id I have, so the server sends what I missed.
    Hello { support_token: Option<String>, after: i64 },
    /// A shopper's message (the server finds or opens their conversation).
    Send { client_id: String, body: String },
    /// An agent's message into a conversation.
    AgentSend { conversation_id: i64, client_id: String, body: String },
    /// "Someone is typing" (agents name the conversation).
    Typing { conversation_id: Option<i64> },
    /// The client has shown every message up to this id.
    Read { up_to: i64 },
}

/// What the server sends over the WebSocket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServerFrame {
    /// The answer to `Hello`: who can answer, and the messages after `after`.
    Welcome { availability: Availability, conversation_id: Option<i64>, messages: Vec<ChatMessage> },
    /// A new message (including the sender's own, as the confirmation it is stored).
    Message { message: ChatMessage },
    Typing { conversation_id: i64, author: Author },
    Availability { availability: Availability },
    /// Agents: the queue changed (a new chat, call-back or ticket); fetch it again.
    QueueChanged,
    /// A message was refused (too long, too many); `client_id` says which.
    Error { client_id: Option<String>, message: String },
}

// ---------------------------------------------------------------------------------------
// Call-back requests
// ---------------------------------------------------------------------------------------

/// When the shopper would like the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CallWindow {
    /// As soon as someone is free.
    Asap,
    /// 09:00–12:00 UTC.
    Morning,
    /// 12:00–17:00 UTC.
    Afternoon,
}

impl CallWindow {
    pub const ALL: [CallWindow; 3] = [CallWindow::Asap, CallWindow::Morning, CallWindow::Afternoon];

    pub fn as_str(self) -> &'static str {
        match self {
            CallWindow::Asap => "asap",
            CallWindow::Morning => "morning",
            CallWindow::Afternoon => "afternoon",
        }
    }

    pub fn parse(s: &str) -> Option<CallWindow> {
        CallWindow::ALL.into_iter().find(|w| w.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CallWindow::Asap => "As soon as possible",
            CallWindow::Morning => "Morning (09:00–12:00 UTC)",
            CallWindow::Afternoon => "Afternoon (12:00–17:00 UTC)",
        }
    }

    /// The window's hours of the day in minutes, if it has fixed ones.
    fn span(self) -> Option<(u32, u32)> {
        match self {
            CallWindow::Asap => None,
            CallWindow::Morning => Some((9 * 60, 12 * 60)),
            CallWindow::Afternoon => Some((12 * 60, 17 * 60)),
        }
    }
}

/// When to expect the call, said plainly: "within 30 minutes", "today between 12:00 and
/// 17:00 UTC", "tomorrow between 09:00 and 12:00 UTC", or when the shop opens.
pub fn expected_call(window: CallWindow, hours: &BusinessHours, now: i64, lang: Lang) -> String {
    let de = lang == Lang::De;
    match window.span() {
        None => match hours.next_open(now) {
            Some(t) if t <= now => if de { "innerhalb von 30 Minuten" } else { "within 30 minutes" }.to_string(),
            Some(t) if de => format!("bald nach Öffnung, {}", describe_moment(t, now, lang)),
            Some(t) => format!("soon after we open, {}", describe_moment(t, now, lang)),
            None => if de { "sobald jemand frei ist" } else { "as soon as someone is free" }.to_string(),
        },
        Some((from, to)) => {
            let day_start = now - now.rem_euclid(86_400);
            // The first open day whose window has not yet ended.
            let day = (0..8)
                .map(|i| day_start + i * 86_400)
                .find(|&d| d + to as i64 * 60 > now && hours.open_on(weekday_minute(d).0))
                .unwrap_or(day_start + 86_400);
            let (word, _) = day_word(day, now, lang);
            if de {
                format!("{word} zwischen {} und {} UTC", hhmm(from), hhmm(to))
            } else {
                format!("{word} between {} and {} UTC", hhmm(from), hhmm(to))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CallbackStatus {
    Requested,
    Scheduled,
    Done,
}

impl CallbackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::Requested => "requested",
            CallbackStatus::Scheduled => "scheduled",
            CallbackStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<CallbackStatus> {
        [CallbackStatus::Requested, CallbackStatus::Scheduled, CallbackStatus::Done].into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CallbackStatus::Requested => "Requested",
            CallbackStatus::Scheduled => "Scheduled",
            CallbackStatus::Done => "Done",
        }
    }

    /// requested → scheduled → done; a requested call can also be done at once, and a
    /// scheduled one moved to another time.
    pub fn can_become(self, next: CallbackStatus) -> bool {
        matches!(
            (self, next),
            (CallbackStatus::Requested, CallbackStatus::Scheduled)
                | (CallbackStatus::Scheduled, CallbackStatus::Scheduled)
                | (CallbackStatus::Requested, CallbackStatus::Done)
                | (CallbackStatus::Scheduled, CallbackStatus::Done)
        )
    }
}

/// `POST /api/support/callbacks`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCallback {
    pub name: String,
    pub phone: String,
    /// `asap`, `morning` or `afternoon`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(asap|morning|afternoon)$"))]
    pub window: String,
    pub topic: String,
    #[serde(default)]
    pub order_number: Option<String>,
    /// Where a guest wants the confirmation e-mailed (a signed-in shopper's goes to
    /// their account's address); none sends none.
    #[serde(default)]
    pub email: Option<String>,
    /// A guest's support token (ignored when signed in).
    #[serde(default)]
    pub support_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Callback {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub name: String,
    pub phone: String,
    pub window: CallWindow,
    pub topic: String,
    pub order_number: Option<String>,
    pub status: CallbackStatus,
    /// "today between 12:00 and 17:00 UTC", set when requested.
    pub expected: String,
    /// When an agent scheduled it (ISO time), if they did.
    pub scheduled_for: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

/// `POST /api/staff/support/callbacks/{id}/schedule`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleCallback {
    /// "2026-11-24T10:30" or "2026-11-24T10:30:00Z", UTC.
    pub at: String,
}

/// `POST /api/staff/support/callbacks/{id}/done`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompleteCallback {
    #[serde(default)]
    pub note: String,
}

/// "2026-11-24T10:30" (what a datetime-local field gives) or the full ISO form →
/// "2026-11-24T10:30:00Z".
pub fn parse_schedule_time(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    let err = || FieldError::new("at", "Please give a date and time like 2026-11-24T10:30.");
    let base = s.strip_suffix('Z').unwrap_or(s);
    let base = if base.len() == 16 { format!("{base}:00") } else { base.to_string() };
    let b = base.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return Err(err());
    }
    let n = |r: std::ops::Range<usize>| base.get(r).and_then(|x| x.parse::<u32>().ok());
    match (n(0..4), n(5..7), n(8..10), n(11..13), n(14..16), n(17..19)) {
        (Some(_), Some(1..=12), Some(1..=31), Some(0..=23), Some(0..=59), Some(0..=59)) => Ok(format!("{base}Z")),
        _ => Err(err()),
    }
}

// ---------------------------------------------------------------------------------------
// Contact tickets
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TicketStatus {
    /// Waiting for the shop.
    Open,
    /// The shop replied; waiting for the shopper (or nothing more to do).
    Answered,
    Closed,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        [TicketStatus::Open, TicketStatus::Answered, TicketStatus::Closed].into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TicketStatus::Open => "Open",
            TicketStatus::Answered => "Answered",
            TicketStatus::Closed => "Closed",
        }
    }

    /// The status after someone writes in the thread: a shopper's message reopens it,
    /// an agent's reply answers it.
    pub fn after_message(self, author: Author) -> TicketStatus {
        match author {
            Author::Customer => TicketStatus::Open,
            Author::Agent => TicketStatus::Answered,
        }
    }
}

/// `POST /api/support/tickets` (the contact form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicket {
    pub name: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default)]
    pub support_token: Option<String>,
}

/// `POST /api/support/tickets/{id}/messages` and the agent's reply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicketMessage {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketMessage {
    pub author: Author,
    pub author_name: String,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: i64,
    /// "T000012", what the shopper quotes.
    pub number: String,
    pub customer_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub subject: String,
    pub order_number: Option<String>,
    pub status: TicketStatus,
    pub created_at: String,
    pub messages: Vec<TicketMessage>,
}

pub fn ticket_number(id: i64) -> String {
    format!("T{id:06}")
}

// ---------------------------------------------------------------------------------------
// FAQ
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaqArticle {
    pub id: i64,
    pub slug: String,
    pub category: String,
    pub question: String,
    /// Plain text; blank lines separate paragraphs.
    pub answer: String,
    pub helpful: i64,
    pub unhelpful: i64,
}

/// `GET /api/faq`: every article, grouped by category in the order to show them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Faq {
    pub categories: Vec<FaqCategory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaqCategory {
    pub slug: String,
    pub name: String,
    pub articles: Vec<FaqArticle>,
}

impl Faq {
    pub fn articles(&self) -> impl Iterator<Item = &FaqArticle> {
        self.categories.iter().flat_map(|c| c.articles.iter())
    }

    /// A search index over questions (as names), categories and answers.
    pub fn index(&self) -> crate::catalogue::search::SearchIndex {
        crate::catalogue::search::SearchIndex::new(self.articles().map(|a| crate::catalogue::search::SearchDoc {
            id: a.id,
            name: &a.question,
            category: &a.category,
            description: &a.answer,
        }))
    }

    /// The best-matching articles for what someone typed, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&FaqArticle> {
        let index = self.index();
        index.search(query).into_iter().take(limit).filter_map(|id| self.articles().find(|a| a.id == id)).collect()
    }
}

impl Faq {
    /// Articles that may answer a question someone is still typing: each longer word is
    /// searched on its own (a whole sentence rarely matches every word), and articles
    /// found by more words, and found higher, come first.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<&FaqArticle> {
        const SKIP: &[&str] = &["what", "when", "where", "which", "have", "with", "this", "that", "from", "your", "there", "would", "could", "about", "please", "hello", "thanks", "thank", "want", "need", "does", "will", "just", "like"];
        let index = self.index();
        let mut scores: Vec<(i64, usize)> = Vec::new();
        let normalised = crate::catalogue::search::normalise(text);
        let mut seen_words: Vec<&str> = Vec::new();
        for word in normalised.split_whitespace().filter(|w| w.chars().count() >= 4 && !SKIP.contains(w)) {
            if seen_words.contains(&word) {
                continue;
            }
            seen_words.push(word);
            for (rank, id) in index.search(word).into_iter().take(5).enumerate() {
                match scores.iter_mut().find(|(x, _)| *x == id) {
                    Some((_, s)) => *s += 5 - rank,
                    None => scores.push((id, 5 - rank)),
                }
            }
        }
        scores.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scores.into_iter().take(limit).filter_map(|(id, _)| self.articles().find(|a| a.id == id)).collect()
    }
}

/// `POST /api/faq/{id}/votes`
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaqVote {
    pub helpful: bool,
}

// ---------------------------------------------------------------------------------------
// Feedback and ratings
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FeedbackKind {
    Complaint,
    Compliment,
}

impl FeedbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::Complaint => "complaint",
            FeedbackKind::Compliment => "compliment",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        [FeedbackKind::Complaint, FeedbackKind::Compliment].into_iter().find(|k| k.as_str() == s)
    }
}

/// `POST /api/support/feedback`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFeedback {
    /// `complaint` or `compliment`.
    pub kind: String,
    pub body: String,
    #[serde(default)]
    pub order_number: Option<String>,
    /// A guest may leave an address for an answer.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub support_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    pub id: i64,
    pub kind: FeedbackKind,
    pub body: String,
    pub order_number: Option<String>,
    pub created_at: String,
}

/// `PUT /api/orders/{number}/ratings/{product_id}`: 1–5 stars on a delivered product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: i64,
    /// The review's title; may be empty.
    #[serde(default)]
    pub title: String,
    /// The review's text; may be empty (stars alone are a rating).
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// The review's id, for its "was this helpful?" and for staff.
    #[serde(default)]
    pub id: i64,
    pub order_number: String,
    pub product_id: i64,
    pub product_name: String,
    pub rating: u8,
    #[serde(default)]
    pub title: String,
    pub comment: String,
    /// Whether its words are on the product page yet.
    #[serde(default)]
    pub status: crate::review::ReviewStatus,
    /// Why staff hid it, for the reviewer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hidden_reason: String,
    pub at: String,
}

/// 1..=5 stars.
pub fn parse_rating(n: i64) -> Result<u8, FieldError> {
    match n {
        1..=5 => Ok(n as u8),
        _ => Err(FieldError::new("rating", "Please choose from 1 to 5 stars.")),
    }
}

/// An optional comment of at most 1,000 characters (empty is fine).
pub fn parse_comment(raw: &str) -> Result<String, FieldError> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    parse_text("comment", "the comment", raw, 1000)
}

// ---------------------------------------------------------------------------------------
// What a shopper sees of their own support history, and what an agent sees
// ---------------------------------------------------------------------------------------

/// `GET /api/support/mine`: everything the caller has asked of the shop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySupport {
    pub conversations: Vec<Conversation>,
    pub tickets: Vec<Ticket>,
    pub callbacks: Vec<Callback>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QueueKind {
    Chat,
    Callback,
    Ticket,
}

/// One thing waiting for an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub kind: QueueKind,
    /// The conversation, call-back or ticket id.
    pub id: i64,
    /// Opens the single customer view: `customer:12` or `guest:<token hash>`.
    pub customer_key: String,
    pub customer_name: String,
    /// "Where is my order?", the phone number and window, the ticket subject.
    pub summary: String,
    /// Since when the shopper has been waiting (ISO time).
    pub waiting_since: String,
}

/// `GET /api/staff/support/queue`: oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub agents_online: usize,
}

/// How long someone has waited, in the units a person reads it in ("4 min",
/// "1 h 05 min", "2 days"); the words are the web app's, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    UnderAMinute,
    Minutes(i64),
    /// Hours and the minutes past them.
    Hours(i64, i64),
    Days(i64),
}

impl Wait {
    pub fn of(seconds: i64) -> Wait {
        let s = seconds.max(0);
        match s {
            0..=59 => Wait::UnderAMinute,
            60..=3599 => Wait::Minutes(s / 60),
            3600..=86_399 => Wait::Hours(s / 3600, s % 3600 / 60),
            _ => Wait::Days(s / 86_400),
        }
    }
}

/// One line of the customer's recent activity, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub at: String,
    pub text: String,
}

/// `GET /api/staff/support/customers/{key}`: everything about one customer on one
/// screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerView {
    pub key: String,
    /// The account, when the shopper has one.
    pub customer: Option<crate::customer::Customer>,
    /// The name to show ("Guest" when nothing better is known).
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub orders: Vec<crate::order::OrderSummary>,
    pub conversations: Vec<Conversation>,
    pub tickets: Vec<Ticket>,
    pub callbacks: Vec<Callback>,
    pub feedback: Vec<Feedback>,
    pub ratings: Vec<Rating>,
    pub activity: Vec<Activity>,
}

/// `customer:12` or `guest:<64 hex>` (a support token's hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerKey {
    Customer(i64),
    Guest(String),
}

impl CustomerKey {
    pub fn parse(s: &str) -> Option<CustomerKey> {
        if let Some(id) = s.strip_prefix("customer:") {
            return id.parse().ok().filter(|n: &i64| *n > 0).map(CustomerKey::Customer);
        }
        s.strip_prefix("guest:").and_then(|h| parse_support_token(Some(h))).map(CustomerKey::Guest)
    }

    pub fn as_string(&self) -> String {
        match self {
            CustomerKey::Customer(id) => format!("customer:{id}"),
            CustomerKey::Guest(h) => format!("guest:{h}"),
        }
    }
}

/// `POST /api/support/chat/messages`: a shopper's chat message sent without a socket
/// (the same as the `send` frame, plus a guest's support token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewChatMessage {
    pub client_id: String,
    pub body: String,
    #[serde(default)]
    pub support_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-23 was a Monday.
    const MON_10: i64 = 1_795_428_000; // 2026-11-23T10:00:00Z
    const HOUR: i64 = 3600;

    #[test]
    fn the_test_clock_is_a_monday_at_ten() {
        assert_eq!(weekday_minute(MON_10), (0, 600));
    }

    #[test]
    fn messages_are_trimmed_limited_and_plain() {
        assert_eq!(parse_message("  hello\r\nthere "), Ok("hello\nthere".into()));
        assert!(parse_message("   ").is_err());
        assert!(parse_message(&"x".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert!(parse_message(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(parse_message("bell\u{7}").is_err());
        // Markup is kept as text: escaping is the view's job, and it must be shown as typed.
        assert_eq!(parse_message("<b>hi</b>"), Ok("<b>hi</b>".into()));
    }

    #[test]
    fn support_tokens_and_client_ids_are_checked() {
        let t = "a".repeat(64);
        assert_eq!(parse_support_token(Some(&t)), Some(t.clone()));
        assert_eq!(parse_support_token(Some(&"A".repeat(64))), Some(t));
        assert_eq!(parse_support_token(Some("abc")), None);
        assert_eq!(parse_support_token(Some(&"g".repeat(64))), None);
        assert_eq!(parse_support_token(None), None);
        assert!(is_valid_client_id("m-1700000000-ab_9"));
        assert!(!is_valid_client_id(""));
        assert!(!is_valid_client_id("has space"));
        assert!(!is_valid_client_id(&"x".repeat(65)));
    }

    #[test]
    fn business_hours_parse_and_describe() {
        let h = BusinessHours::parse("Mon-Fri 09:00-17:00").unwrap();
        assert_eq!(h, BusinessHours::default());
        assert_eq!(h.describe(Lang::En), "Mon–Fri 09:00–17:00 UTC");
        assert_eq!(h.describe(Lang::De), "Mo–Fr 09:00–17:00 UTC");
        assert_eq!(BusinessHours::parse("Sat 10:00-14:30").unwrap().describe(Lang::En), "Sat 10:00–14:30 UTC");
        assert!(BusinessHours::parse("Mon-Sun 00:00-24:00").is_ok());
        for bad in ["", "Mon-Fri", "Fri-Mon 09:00-17:00", "Mon-Fri 17:00-09:00", "Mon-Fri 9-5", "Xyz 09:00-10:00", "Mon 25:00-26:00"] {
            assert!(BusinessHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn open_and_next_open() {
        let h = BusinessHours::default();
        assert!(h.is_open(MON_10));
        assert!(!h.is_open(MON_10 - 2 * HOUR)); // 08:00
        assert!(!h.is_open(MON_10 + 7 * HOUR)); // 17:00 closes
        assert_eq!(h.next_open(MON_10), Some(MON_10));
        // Monday 18:00 → Tuesday 09:00.
        assert_eq!(h.next_open(MON_10 + 8 * HOUR), Some(MON_10 + 23 * HOUR));
        // Friday 18:00 → Monday 09:00.
        let fri_18 = MON_10 + 4 * 86_400 + 8 * HOUR;
        assert_eq!(h.next_open(fri_18), Some(MON_10 + 7 * 86_400 - HOUR));
        assert_eq!(BusinessHours { days: 0, ..h }.next_open(MON_10), None);
    }

    #[test]
    fn availability_is_honest() {
        let h = BusinessHours::default();
        let online = Availability::new(&h, 1, MON_10 + 8 * HOUR);
        assert!(online.agents_online);
        assert_eq!(online.message, "An agent is online");
        let away = Availability::new(&h, 0, MON_10);
        assert!(!away.agents_online);
        assert!(away.message.starts_with("We're away — leave a message and we'll reply by e-mail"));
        let night = Availability::new(&h, 0, MON_10 + 8 * HOUR);
        assert!(night.message.ends_with("We're back tomorrow at 09:00 UTC."), "{}", night.message);
        // The widget says it in the shopper's language, from the same facts.
        assert_eq!(night.message_in(Lang::De, MON_10 + 8 * HOUR), "Wir sind gerade nicht da — hinterlassen Sie eine Nachricht, wir antworten per E-Mail. Wir sind morgen um 09:00 UTC wieder da.");
        assert_eq!(online.message_in(Lang::De, MON_10), "Jemand ist online");
        assert_eq!(night.hours_in(Lang::De), "Mo–Fr 09:00–17:00 UTC");
        // A message from an older server (text only) still reads.
        let old: Availability = serde_json::from_str(r#"{"agents_online":false,"message":"Away","hours":"Mon–Fri"}"#).unwrap();
        assert_eq!(old.hours_in(Lang::De), "Mon–Fri");
    }

    #[test]
    fn expected_call_times() {
        let h = BusinessHours::default();
        assert_eq!(expected_call(CallWindow::Asap, &h, MON_10, Lang::En), "within 30 minutes");
        assert_eq!(expected_call(CallWindow::Asap, &h, MON_10 + 8 * HOUR, Lang::En), "soon after we open, tomorrow at 09:00 UTC");
        assert_eq!(expected_call(CallWindow::Afternoon, &h, MON_10, Lang::En), "today between 12:00 and 17:00 UTC");
        assert_eq!(expected_call(CallWindow::Morning, &h, MON_10 + HOUR, Lang::En), "today between 09:00 and 12:00 UTC");
        assert_eq!(expected_call(CallWindow::Morning, &h, MON_10 + 3 * HOUR, Lang::En), "tomorrow between 09:00 and 12:00 UTC");
        let fri_18 = MON_10 + 4 * 86_400 + 8 * HOUR;
        assert_eq!(expected_call(CallWindow::Morning, &h, fri_18, Lang::En), "Monday between 09:00 and 12:00 UTC");
        assert_eq!(expected_call(CallWindow::Morning, &h, fri_18, Lang::De), "Montag zwischen 09:00 und 12:00 UTC");
        assert_eq!(expected_call(CallWindow::Asap, &h, MON_10 + 8 * HOUR, Lang::De), "bald nach Öffnung, morgen um 09:00 UTC");
        assert_eq!(expected_call(CallWindow::Asap, &h, MON_10, Lang::De), "innerhalb von 30 Minuten");
    }

    #[test]
    fn callbacks_move_forward_only() {
        use CallbackStatus::*;
        assert!(Requested.can_become(Scheduled));
        assert!(Scheduled.can_become(Scheduled));
        assert!(Requested.can_become(Done));
        assert!(Scheduled.can_become(Done));
        assert!(!Done.can_become(Scheduled));
        assert!(!Done.can_become(Done));
        assert!(!Scheduled.can_become(Requested));
        assert_eq!(CallWindow::parse("morning"), Some(CallWindow::Morning));
        assert_eq!(CallWindow::parse("night"), None);
    }

    #[test]
    fn schedule_times_parse() {
        assert_eq!(parse_schedule_time("2026-11-24T10:30"), Ok("2026-11-24T10:30:00Z".into()));
        assert_eq!(parse_schedule_time("2026-11-24T10:30:00Z"), Ok("2026-11-24T10:30:00Z".into()));
        for bad in ["", "tomorrow", "2026-13-01T10:00", "2026-11-24 10:30", "2026-11-24T24:00"] {
            assert!(parse_schedule_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tickets_open_on_shopper_messages_and_are_answered_by_agents() {
        assert_eq!(TicketStatus::Answered.after_message(Author::Customer), TicketStatus::Open);
        assert_eq!(TicketStatus::Closed.after_message(Author::Customer), TicketStatus::Open);
        assert_eq!(TicketStatus::Open.after_message(Author::Agent), TicketStatus::Answered);
        assert_eq!(ticket_number(12), "T000012");
    }

    #[test]
    fn ratings_and_comments() {
        assert_eq!(parse_rating(5), Ok(5));
        assert!(parse_rating(0).is_err() && parse_rating(6).is_err() && parse_rating(-1).is_err());
        assert_eq!(parse_comment("  "), Ok(String::new()));
        assert!(parse_comment(&"x".repeat(1001)).is_err());
    }

    #[test]
    fn faq_search_finds_by_question_and_answer() {
        let article = |id, q: &str, a: &str| FaqArticle {
            id,
            slug: format!("a{id}"),
            category: "Delivery".into(),
            question: q.into(),
            answer: a.into(),
            helpful: 0,
            unhelpful: 0,
        };
        let faq = Faq {
            categories: vec![FaqCategory {
                slug: "delivery".into(),
                name: "Delivery".into(),
                articles: vec![
                    article(1, "How do I return something?", "Use the order page within 30 days."),
                    article(2, "When will my order arrive?", "Most orders arrive in 2 working days; returns are free."),
                ],
            }],
        };
        let hits: Vec<i64> = faq.search("return", 5).iter().map(|a| a.id).collect();
        assert_eq!(hits, vec![1, 2], "question matches rank above answer matches");
        assert_eq!(faq.search("arive", 5).first().map(|a| a.id), Some(2), "one typo is forgiven");
        assert!(faq.search("zzzz", 5).is_empty());
        let suggested: Vec<i64> = faq.suggest("Hello, when will my parcel arrive? It is late", 3).iter().map(|a| a.id).collect();
        assert_eq!(suggested, vec![2], "a sentence finds articles by its telling words");
        assert!(faq.suggest("what when", 3).is_empty());
    }

    #[test]
    fn waits_and_customer_keys() {
        assert_eq!(Wait::of(5), Wait::UnderAMinute);
        assert_eq!(Wait::of(240), Wait::Minutes(4));
        assert_eq!(Wait::of(3900), Wait::Hours(1, 5));
        assert_eq!(Wait::of(2 * 86_400), Wait::Days(2));
        assert_eq!(Wait::of(-3), Wait::UnderAMinute);
        assert_eq!(CustomerKey::parse("customer:12"), Some(CustomerKey::Customer(12)));
        let h = "b".repeat(64);
        assert_eq!(CustomerKey::parse(&format!("guest:{h}")), Some(CustomerKey::Guest(h.clone())));
        assert_eq!(CustomerKey::Guest(h.clone()).as_string(), format!("guest:{h}"));
        for bad in ["customer:0", "customer:x", "guest:abc", "12", ""] {
            assert_eq!(CustomerKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_rest_chat_message_needs_no_token_field() {
        let m: NewChatMessage = serde_json::from_str(r#"{"client_id":"c1","body":"hi"}"#).unwrap();
        assert_eq!(m, NewChatMessage { client_id: "c1".into(), body: "hi".into(), support_token: None });
    }
}
