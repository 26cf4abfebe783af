//! The e-mail outbox. Messages are inserted in the same transaction as the change that
//! causes them (an order placed, an order shipped), then a background task delivers
//! them: over SMTP when `AISLE_SMTP_URL` is set, otherwise as files in
//! `AISLE_MAIL_DIR` (one `.eml` per message), which is enough to run and test a shop
//! without a mail server. A failed delivery is retried, up to 10 attempts.

use crate::{platform::{clock, db::Db}, Config};
use lettre::{
    message::{
        header::{Header, HeaderName, HeaderValue},
        Mailbox, MultiPart, SinglePart,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use std::{path::PathBuf, time::Duration};

pub const MAX_ATTEMPTS: i64 = 10;
/// How long a server owns an e-mail it is sending: longer than an SMTP attempt can
/// take, short enough that one left by a crashed server goes out minutes later.
const CLAIM_SECS: i64 = 300;

/// Where e-mails go.
pub enum Transport {
    Files { dir: PathBuf, from: Mailbox },
    // Boxed: the SMTP client is large, and a Transport is moved into the delivery task.
    Smtp { mailer: Box<AsyncSmtpTransport<Tokio1Executor>>, from: Mailbox },
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Transport, String> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| format!("AISLE_MAIL_FROM is not an address: {e}"))?;
        match &config.smtp_url {
            None => Ok(Transport::Files { dir: config.mail_dir.clone(), from }),
            Some(url) => {
                // smtp://host:25 (plain, for a local relay), smtp://…?tls=required
                // (STARTTLS) or smtps://user:pass@host:465.
                let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("AISLE_SMTP_URL is not usable: {e}"))?
                    .build();
                Ok(Transport::Smtp { mailer: Box::new(mailer), from })
            }
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Transport::Files { from, .. } | Transport::Smtp { from, .. } => from,
        }
    }

    async fn deliver(&self, id: i64, row: &Queued) -> Result<(), String> {
        let message = build_message(self.from(), row)?;
        match self {
            Transport::Files { dir, .. } => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| e.to_string())?;
                tokio::fs::write(dir.join(format!("{id:08}.eml")), message.formatted()).await.map_err(|e| e.to_string())
            }
            Transport::Smtp { mailer, .. } => mailer.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// The same message whether it goes over SMTP or into a file: the plain text and, when
/// there is one, the HTML as its alternative, so every mail reader shows one of them.
fn build_message(from: &Mailbox, row: &Queued) -> Result<Message, String> {
    let to: Mailbox = row.to_addr.parse().map_err(|e| format!("bad recipient: {e}"))?;
    let mut builder = Message::builder().from(from.clone()).to(to).subject(&row.subject);
    if let Some(date) = clock::parse(&row.created_at) {
        builder = builder.date(std::time::UNIX_EPOCH + Duration::from_secs(date.max(0) as u64));
    }
    if let Some(url) = &row.unsubscribe {
        builder = builder.header(ListUnsubscribe(format!("<{url}>"))).header(ListUnsubscribePost);
    }
    match &row.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(row.body.clone(), html.clone())),
        None => builder.singlepart(SinglePart::plain(row.body.clone())),
    }
    .map_err(|e| e.to_string())
}

/// `List-Unsubscribe`: where a mail reader's own "unsubscribe" button goes.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post`: that button may POST, with no page in between (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// An e-mail for the outbox.
pub struct Outgoing<'a> {
    pub to: &'a str,
    /// What it is (`order_placed`, …), kept for tests and the operator's eye.
    pub kind: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: Option<&'a str>,
    /// A one-click unsubscribe address for the headers, if the e-mail has one.
    pub unsubscribe: Option<&'a str>,
}

pub async fn enqueue(conn: &mut crate::platform::db::Conn, mail: Outgoing<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO emails (to_addr, kind, subject, body, html, unsubscribe, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(mail.to)
        .bind(mail.kind)
        .bind(mail.subject)
        .bind(mail.text)
        .bind(mail.html)
        .bind(mail.unsubscribe)
        .bind(clock::now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// E-mails waiting to be sent, and those that failed every attempt.
pub async fn queue_counts(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN attempts < $1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) \
         FROM emails WHERE sent_at IS NULL",
    )
    .bind(MAX_ATTEMPTS)
    .fetch_one(db)
    .await
}

/// Delivers waiting e-mails every second until the process ends.
pub fn spawn_delivery(db: Db, transport: Transport) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&db, &transport).await {
                tracing::warn!(error = %e, "e-mail delivery failed; will retry");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

/// An e-mail as the outbox holds it.
#[derive(sqlx::FromRow)]
struct Queued {
    id: i64,
    to_addr: String,
    subject: String,
    body: String,
    html: Option<String>,
    unsubscribe: Option<String>,
    created_at: String,
}

pub async fn deliver_pending(db: &Db, transport: &Transport) -> Result<usize, sqlx::Error> {
    let now = clock::now();
    let rows: Vec<Queued> = sqlx::query_as(
        "SELECT id, to_addr, subject, body, html, unsubscribe, created_at FROM emails \
         WHERE sent_at IS NULL AND attempts < $1 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(&now)
    .fetch_all(db)
    .await?;
    let mut sent = 0;
    for row in rows {
        let id = row.id;
        // Another server may have read the same rows: only the one whose claim lands
        // sends the e-mail.
        let claim = sqlx::query(
            "UPDATE emails SET claimed_until = $1 WHERE id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(clock::iso(clock::now_unix() + CLAIM_SECS))
        .bind(id)
        .bind(&now)
        .execute(db)
        .await?;
        if claim.rows_affected() == 0 {
            continue;
        }
        let (sent_at, error) = match transport.deliver(id, &row).await {
            Ok(()) => (Some(clock::now()), None),
            Err(e) => {
                tracing::warn!(email = id, error = %e, "e-mail not delivered");
                (None, Some(e))
            }
        };
        sent += usize::from(sent_at.is_some());
        sqlx::query("UPDATE emails SET sent_at = $1, attempts = attempts + 1, last_error = $2, claimed_until = NULL WHERE id = $3")
            .bind(sent_at)
            .bind(error)
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(sent)
}
