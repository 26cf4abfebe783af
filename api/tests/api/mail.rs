//! The e-mail outbox delivers over SMTP when configured: here to a minimal SMTP sink on
//! loopback that records what it receives.

use crate::helpers::TestDatabase;
use aisle_api::{platform::clock, platform::mail, Config};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::mpsc,
};

/// Accepts one SMTP session and sends each message's DATA to the channel.
async fn smtp_sink() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if cmd.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.ok();
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        let _ = tx.send(data);
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, rx)
}

fn smtp_transport(dir: &std::path::Path, port: u16) -> mail::Transport {
    let config = Config { shop_vat_id: Default::default(), account_limit: Default::default(), bank_account: Default::default(), shop_rules: Default::default(), 
        database_url: String::new(),
        addr: String::new(),
        web_dir: dir.into(),
        mail_dir: dir.join("mail"),
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        log_format: None,
        log_level: None,
        metrics_allow: None,
        media_store: None,
        demo_photos: false,
        demo_history: false,
        mail_from: "Aisle <shop@example.com>".into(),
        support_hours: aisle_api::platform::config::DEFAULT_SUPPORT_HOURS.into(),
        trusted_proxies: None,
        public_url: None,
        shop_name: "Aisle".into(),
        shop_address: aisle_api::platform::config::DEFAULT_SHOP_ADDRESS.into(),
        time_zone: aisle_api::platform::config::DEFAULT_TIME_ZONE.into(),
    };
    mail::Transport::from_config(&config).unwrap()
}

fn plain<'a>(to: &'a str, subject: &'a str, text: &'a str) -> mail::Outgoing<'a> {
    mail::Outgoing { to, kind: "plain", subject, text, html: None, unsubscribe: None }
}

#[tokio::test]
async fn the_outbox_is_delivered_over_smtp_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path()).await;
    let db = aisle_api::platform::db::open(&database.url).await.unwrap();
    let (port, mut received) = smtp_sink().await;
    let transport = smtp_transport(dir.path(), port);
    let mut conn = db.acquire().await.unwrap();
    mail::enqueue(&mut conn, plain("ada@example.com", "Your Aisle order A000001", "Thank you.")).await.unwrap();
    drop(conn);

    assert_eq!(mail::deliver_pending(&db, &transport).await.unwrap(), 1);
    let data = received.recv().await.unwrap();
    assert!(data.contains("Subject: Your Aisle order A000001"), "{data}");
    assert!(data.contains("To: ada@example.com"));
    assert!(data.contains("Thank you."));
    // Sent once: a second pass finds nothing to do.
    assert_eq!(mail::deliver_pending(&db, &transport).await.unwrap(), 0);
    let sent: Option<String> = sqlx::query_scalar("SELECT sent_at FROM emails").fetch_one(&db).await.unwrap();
    assert!(sent.is_some_and(|t| clock::parse(&t).is_some()));
}

#[tokio::test]
async fn an_email_with_html_goes_out_as_text_and_html_alternatives_with_its_unsubscribe_headers() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path()).await;
    let db = aisle_api::platform::db::open(&database.url).await.unwrap();
    let (port, mut received) = smtp_sink().await;
    let transport = smtp_transport(dir.path(), port);
    let mut conn = db.acquire().await.unwrap();
    let html = "<!DOCTYPE html><html lang=\"en\"><body><p>Back in stock</p></body></html>";
    let unsubscribe = "https://shop.example/api/alerts/unsubscribe?token=abc";
    let mail = mail::Outgoing { to: "ada@example.com", kind: "back_in_stock", subject: "Mug is back", text: "Back in stock", html: Some(html), unsubscribe: Some(unsubscribe) };
    mail::enqueue(&mut conn, mail).await.unwrap();
    drop(conn);
    assert_eq!(mail::deliver_pending(&db, &transport).await.unwrap(), 1);
    let data = received.recv().await.unwrap();
    assert!(data.contains("Content-Type: multipart/alternative"), "{data}");
    assert!(data.contains("Content-Type: text/plain; charset=utf-8"), "{data}");
    assert!(data.contains("Content-Type: text/html; charset=utf-8"), "{data}");
    assert!(data.contains(&format!("List-Unsubscribe: <{unsubscribe}>")), "{data}");
    assert!(data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{data}");
    // The plain part comes first: readers show the last alternative they can.
    assert!(data.find("text/plain").unwrap() < data.find("text/html").unwrap());
}

#[tokio::test]
async fn an_unreachable_server_is_retried_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path()).await;
    let db = aisle_api::platform::db::open(&database.url).await.unwrap();
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let transport = smtp_transport(dir.path(), port);
    let mut conn = db.acquire().await.unwrap();
    mail::enqueue(&mut conn, plain("ada@example.com", "Hello", "Body")).await.unwrap();
    drop(conn);
    assert_eq!(mail::deliver_pending(&db, &transport).await.unwrap(), 0);
    let (attempts, error): (i64, Option<String>) = sqlx::query_as("SELECT attempts, last_error FROM emails").fetch_one(&db).await.unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some());
}

/// Two servers delivering the same outbox (several instances on PostgreSQL) send each
/// e-mail once between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_delivering_one_outbox_send_each_email_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(dir.path()).await;
    let url = database.url.clone();
    let db = aisle_api::platform::db::open(&url).await.unwrap();
    let mut conn = db.acquire().await.unwrap();
    for i in 0..30 {
        mail::enqueue(&mut conn, plain("ada@example.com", &format!("Message {i}"), "Hello.")).await.unwrap();
    }
    drop(conn);
    let (port, mut received) = smtp_sink().await;
    let servers: Vec<_> = (0..2)
        .map(|_| {
            let (url, transport) = (url.clone(), smtp_transport(dir.path(), port));
            tokio::spawn(async move {
                let db = aisle_api::platform::db::open(&url).await.unwrap();
                let mut sent = 0;
                for _ in 0..3 {
                    sent += mail::deliver_pending(&db, &transport).await.unwrap();
                }
                sent
            })
        })
        .collect();
    let mut sent = 0;
    for s in servers {
        sent += s.await.unwrap();
    }
    assert_eq!(sent, 30);
    let mut subjects = Vec::new();
    while let Ok(Some(data)) = tokio::time::timeout(std::time::Duration::from_millis(500), received.recv()).await {
        subjects.extend(data.lines().filter_map(|l| l.strip_prefix("Subject: ")).map(str::to_string));
    }
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 30);
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM emails WHERE sent_at IS NULL").fetch_one(&db).await.unwrap();
    assert_eq!(unsent, 0);
}
