//! The agent's console: the queue of shoppers waiting for a person, and everything
//! about one shopper on one screen.

use crate::{
    identity,
    orders,
    platform::error::ApiError,
    support::service::{
        self,
        excerpt,
        owner_key,
        owner_of_key,
        CALLBACK_COLUMNS,
        CallbackRow,
        FEEDBACK_COLUMNS,
        FeedbackRow,
    },
    AppState,
};
use aisle_domain::{
    support::{
        ticket_number,
        Activity,
        Author,
        CallWindow,
        CustomerKey,
        CustomerView,
        Feedback,
        Queue,
        QueueItem,
        QueueKind,
        Rating,
    },
};

/// Since when a thread has waited: its first shopper message after the last agent reply.
fn waiting_since(messages: &str, parent: &str) -> String {
    format!(
        "(SELECT MIN(m.at) FROM {messages} m WHERE m.{parent} = t.id AND m.author = 'customer' \
         AND m.id > COALESCE((SELECT MAX(a.id) FROM {messages} a WHERE a.{parent} = t.id AND a.author = 'agent'), 0))"
    )
}

type QueueRow = (i64, Option<i64>, Option<String>, String, Option<String>, String);

/// `GET /api/staff/support/queue`: open chats whose last word is the shopper's,
/// call-backs not yet done and open tickets, longest waiting first.
pub async fn queue(state: &AppState) -> Result<Queue, ApiError> {
    let db = &state.db;
    let mut items = Vec::new();
    let item = |kind, (id, customer_id, guest, name, since, summary): QueueRow| {
        since.map(|waiting_since| QueueItem {
            kind,
            id,
            // A row whose account was deleted has no key; the console then cannot open it.
            customer_key: owner_key(customer_id, guest.as_deref()).unwrap_or_default(),
            customer_name: name,
            summary,
            waiting_since,
        })
    };

    let chats: Vec<QueueRow> = sqlx::query_as(&format!(
        "SELECT t.id, t.customer_id, t.guest_token_hash, t.customer_name, {}, \
         COALESCE((SELECT m.body FROM chat_messages m WHERE m.conversation_id = t.id ORDER BY m.id DESC LIMIT 1), '') \
         FROM conversations t WHERE t.status = 'open' \
         AND (SELECT m.author FROM chat_messages m WHERE m.conversation_id = t.id ORDER BY m.id DESC LIMIT 1) = 'customer'",
        waiting_since("chat_messages", "conversation_id")
    ))
    .fetch_all(db)
    .await?;
    items.extend(chats.into_iter().filter_map(|(id, c, g, n, s, body)| item(QueueKind::Chat, (id, c, g, n, s, excerpt(&body, 100)))));

    let callbacks: Vec<CallbackRow> = sqlx::query_as(&format!("{CALLBACK_COLUMNS} WHERE status IN ('requested', 'scheduled')")).fetch_all(db).await?;
    for r in callbacks {
        let when = match &r.scheduled_for {
            Some(at) => format!("scheduled for {}", aisle_domain::order::format_time(at)),
            None => CallWindow::parse(&r.call_window).map(|w| w.label().to_string()).unwrap_or_default(),
        };
        let summary = format!("{} ({when}): {}", r.phone, excerpt(&r.topic, 100));
        items.extend(item(QueueKind::Callback, (r.id, r.customer_id, r.guest_token_hash, r.name, Some(r.created_at), summary)));
    }

    let tickets: Vec<QueueRow> = sqlx::query_as(&format!(
        "SELECT t.id, t.customer_id, t.guest_token_hash, t.name, COALESCE({}, t.updated_at), t.subject FROM tickets t WHERE t.status = 'open'",
        waiting_since("ticket_messages", "ticket_id")
    ))
    .fetch_all(db)
    .await?;
    items.extend(tickets.into_iter().filter_map(|(id, c, g, n, s, subject)| item(QueueKind::Ticket, (id, c, g, n, s, format!("{}: {}", ticket_number(id), excerpt(&subject, 100))))));

    items.sort_by(|a, b| a.waiting_since.cmp(&b.waiting_since).then(a.id.cmp(&b.id)));
    Ok(Queue { items, agents_online: state.support.agents_online() })
}

fn not_known() -> ApiError {
    ApiError::not_found("We have nothing from this customer.")
}

/// `GET /api/staff/support/customers/{key}`: the account (if any), orders, chats,
/// tickets, call-backs, feedback, ratings and a merged activity line, newest first.
pub async fn customer_view(state: &AppState, key: &CustomerKey) -> Result<CustomerView, ApiError> {
    let db = &state.db;
    let owner = owner_of_key(key);
    let account = match key {
        CustomerKey::Customer(id) => Some(identity::store::customer_by_id(db, *id).await?.ok_or_else(not_known)?),
        CustomerKey::Guest(_) => None,
    };
    let conversations = service::conversations_of(db, &owner, 50).await?;
    let tickets = service::tickets_of(db, &owner, 50).await?;
    let callbacks = service::callbacks_of(db, &owner, 50).await?;
    let feedback_rows: Vec<FeedbackRow> = sqlx::query_as(&format!(
        "{FEEDBACK_COLUMNS} WHERE (customer_id = $1 OR (customer_id IS NULL AND guest_token_hash = $2)) ORDER BY id DESC LIMIT 50"
    ))
    .bind(owner.customer_id)
    .bind(&owner.guest_hash)
    .fetch_all(db)
    .await?;
    let feedback_emails: Vec<String> = feedback_rows.iter().filter_map(|f| f.email.clone()).collect();
    let feedback = feedback_rows.into_iter().map(FeedbackRow::into_feedback).collect::<Result<Vec<Feedback>, _>>()?;

    let (name, email, phone, orders) = match &account {
        Some(c) => (
            c.name.clone(),
            Some(c.email.clone()),
            c.phone.clone().or_else(|| callbacks.first().map(|cb| cb.phone.clone())),
            orders::store::list(db, Some(c.id), None, 50).await?,
        ),
        None => {
            if conversations.is_empty() && tickets.is_empty() && callbacks.is_empty() && feedback.is_empty() {
                return Err(not_known());
            }
            let name = tickets
                .iter()
                .map(|t| t.name.clone())
                .chain(callbacks.iter().map(|c| c.name.clone()))
                .chain(conversations.iter().map(|c| c.customer_name.clone()))
                .find(|n| n != "Guest")
                .unwrap_or_else(|| "Guest".to_string());
            let mut emails: Vec<String> = tickets.iter().map(|t| t.email.clone()).chain(feedback_emails).collect();
            emails.dedup();
            let mut orders = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for e in &emails {
                if seen.insert(e.clone()) {
                    orders.extend(orders::store::list_guest(db, e, 50).await?);
                }
            }
            orders.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
            (name, emails.into_iter().next(), callbacks.first().map(|c| c.phone.clone()), orders)
        }
    };

    let order_ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let mut ratings: Vec<Rating> = Vec::new();
    for id in &order_ids {
        ratings.extend(crate::reviews::store::ratings_of_order(db, *id).await?);
    }
    ratings.sort_by(|a, b| b.at.cmp(&a.at));

    let mut activity: Vec<Activity> = Vec::new();
    let mut add = |at: &str, text: String| activity.push(Activity { at: at.to_string(), text });
    for o in &orders {
        add(&o.placed_at, format!("Placed order {}", o.number));
    }
    for c in &conversations {
        for m in &c.messages {
            let text = match m.author {
                Author::Customer => format!("Chat: {}", excerpt(&m.body, 80)),
                Author::Agent => format!("{} answered in chat: {}", m.author_name, excerpt(&m.body, 60)),
            };
            add(&m.at, text);
        }
    }
    for t in &tickets {
        add(&t.created_at, format!("Wrote {}: {}", t.number, excerpt(&t.subject, 80)));
        for m in t.messages.iter().skip(1) {
            let text = match m.author {
                Author::Customer => format!("Wrote again on {}", t.number),
                Author::Agent => format!("{} answered {}", m.author_name, t.number),
            };
            add(&m.at, text);
        }
    }
    for c in &callbacks {
        add(&c.created_at, format!("Asked for a call-back: {}", excerpt(&c.topic, 80)));
    }
    for f in &feedback {
        add(&f.created_at, format!("Sent a {}: {}", f.kind.as_str(), excerpt(&f.body, 80)));
    }
    for r in &ratings {
        add(&r.at, format!("Rated {} {}/5", r.product_name, r.rating));
    }
    activity.sort_by(|a, b| b.at.cmp(&a.at));
    activity.truncate(30);

    Ok(CustomerView {
        key: key.as_string(),
        customer: account,
        name,
        email,
        phone,
        orders,
        conversations,
        tickets,
        callbacks,
        feedback,
        ratings,
        activity,
    })
}

