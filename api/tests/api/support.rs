//! Reaching a person: live chat over real WebSockets, call-backs, tickets with their
//! e-mails, the FAQ, feedback, ratings, the agent's console — and who may see what.

use crate::helpers::{deliver, link_in, spawn_app, Shopper, TestApp};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

fn token(c: char) -> String {
    c.to_string().repeat(64)
}

async fn get_with(s: &Shopper, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut req = s.http.get(format!("{}{path}", s.url));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Opens a WebSocket with the shopper's cookie (if any) and an `Origin` (if any); the
/// HTTP status when the server refuses.
async fn connect(url: &str, path: &str, cookie: Option<reqwest::header::HeaderValue>, origin: Option<&str>) -> Result<Ws, u16> {
    let mut req = format!("{}{path}", url.replace("http://", "ws://")).into_client_request().expect("request");
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.to_str().expect("cookie").parse().expect("cookie"));
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().expect("origin"));
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("websocket failed: {e}"),
    }
}

/// A socket from the shop's own page (same origin).
async fn socket(s: &Shopper, path: &str) -> Ws {
    connect(&s.url, path, s.cookie(), Some(&s.url)).await.expect("socket refused")
}

async fn say(ws: &mut Ws, frame: Value) {
    ws.send(Message::Text(frame.to_string().into())).await.expect("send");
}

/// The next JSON frame within `wait`, or `None`.
async fn next_within(ws: &mut Ws, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.checked_duration_since(tokio::time::Instant::now())?;
        match tokio::time::timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return Some(serde_json::from_str(t.as_str()).expect("frame is JSON")),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => panic!("socket error: {e}"),
            Ok(None) | Err(_) => return None,
        }
    }
}

/// Reads until a frame of this type (and matching `pred`) arrives; fails after 5 s.
async fn expect(ws: &mut Ws, kind: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.checked_duration_since(tokio::time::Instant::now()).unwrap_or_default();
        let frame = next_within(ws, left).await.unwrap_or_else(|| panic!("no {kind} frame arrived"));
        if frame["type"] == kind && pred(&frame) {
            return frame;
        }
    }
}

/// Reads every frame into `log` until one of this type arrives (and returns it).
async fn until(ws: &mut Ws, kind: &str, log: &mut Vec<Value>) -> Value {
    loop {
        let frame = next_within(ws, Duration::from_secs(5)).await.unwrap_or_else(|| panic!("no {kind} frame arrived"));
        log.push(frame.clone());
        if frame["type"] == kind {
            return frame;
        }
    }
}

async fn hello(ws: &mut Ws, support_token: Option<&str>, after: i64) -> Value {
    say(ws, json!({"type": "hello", "support_token": support_token, "after": after})).await;
    expect(ws, "welcome", |_| true).await
}

async fn signed_up(app: &TestApp, email: &str) -> Shopper {
    let mut s = app.shopper().await;
    s.sign_up(email).await;
    s
}

fn new_ticket(token: Option<&str>) -> Value {
    json!({"name": "Ada Lovelace", "email": "ada@example.com", "subject": "Where is my parcel?", "body": "It has not arrived.\nCan you check?", "order_number": "a000001", "support_token": token})
}

fn new_callback(token: Option<&str>) -> Value {
    json!({"name": "Ada", "phone": "+44 20 7946 0000", "window": "afternoon", "topic": "A question about my order", "support_token": token})
}

async fn emails(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT to_addr, subject, body FROM emails ORDER BY id").fetch_all(&app.db).await.unwrap()
}

// ---------------------------------------------------------------------------------------
// Who may see what
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn shoppers_see_only_their_own_support() {
    let app = spawn_app().await;
    let a = signed_up(&app, "a@example.com").await;
    let b = signed_up(&app, "b@example.com").await;
    let (status, ticket) = a.send("POST", "/api/support/tickets", new_ticket(None)).await;
    assert_eq!(status, 201, "{ticket}");
    let id = ticket["id"].as_i64().unwrap();
    a.send("POST", "/api/support/callbacks", new_callback(None)).await;

    let (status, err) = b.get(&format!("/api/support/tickets/{id}")).await;
    assert_eq!((status, err["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, _) = b.send("POST", &format!("/api/support/tickets/{id}/messages"), json!({"body": "sneaky"})).await;
    assert_eq!(status, 404);
    let (_, mine) = b.get("/api/support/mine").await;
    assert_eq!(mine, json!({"conversations": [], "tickets": [], "callbacks": []}));
    let (_, mine) = a.get("/api/support/mine").await;
    assert_eq!((mine["tickets"].as_array().unwrap().len(), mine["callbacks"].as_array().unwrap().len()), (1, 1));
    for bad in ["0", "-1", "abc", "99999"] {
        let (status, _) = a.get(&format!("/api/support/tickets/{bad}")).await;
        assert_eq!(status, 404, "{bad}");
    }

    // Guests: the token is the key. Another token, or none, sees nothing.
    let g1 = app.shopper().await;
    let g2 = app.shopper().await;
    let (t1, t2) = (token('1'), token('2'));
    let (status, cb) = g1.send("POST", "/api/support/callbacks", new_callback(Some(&t1))).await;
    assert_eq!(status, 201, "{cb}");
    let (status, msg) = g1.send("POST", "/api/support/chat/messages", json!({"client_id": "g1-1", "body": "Hello?", "support_token": t1})).await;
    assert_eq!(status, 201, "{msg}");
    let (status, gt) = g1.send("POST", "/api/support/tickets", new_ticket(Some(&t1))).await;
    assert_eq!(status, 201);
    let (_, mine) = get_with(&g1, "/api/support/mine", &[("x-support-token", &t1)]).await;
    assert_eq!(
        (mine["conversations"].as_array().unwrap().len(), mine["tickets"].as_array().unwrap().len(), mine["callbacks"].as_array().unwrap().len()),
        (1, 1, 1)
    );
    let (_, mine) = get_with(&g2, "/api/support/mine", &[("x-support-token", &t2)]).await;
    assert_eq!(mine, json!({"conversations": [], "tickets": [], "callbacks": []}));
    let (_, mine) = g2.get("/api/support/mine").await;
    assert_eq!(mine["tickets"], json!([]));
    let (status, _) = get_with(&g2, &format!("/api/support/tickets/{}", gt["id"]), &[("x-support-token", &t2)]).await;
    assert_eq!(status, 404);
    let (status, _) = get_with(&g2, "/api/support/chat", &[("x-support-token", &t2)]).await;
    assert_eq!(status, 404);
    let (status, t) = get_with(&g1, &format!("/api/support/tickets/{}", gt["id"]), &[("x-support-token", &t1)]).await;
    assert_eq!((status, t["number"].as_str()), (200, gt["number"].as_str()));
    // A signed-in shopper cannot read a guest's ticket by id either.
    let (status, _) = a.get(&format!("/api/support/tickets/{}", gt["id"])).await;
    assert_eq!(status, 404);

    // Without a token a guest cannot chat or ask for a call, but can still write.
    let (status, err) = g2.send("POST", "/api/support/chat/messages", json!({"client_id": "x1", "body": "hi"})).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("reload"), "{err}");
    let (status, _) = g2.send("POST", "/api/support/callbacks", new_callback(Some("not-a-token"))).await;
    assert_eq!(status, 400);
    let (status, _) = g2.send("POST", "/api/support/tickets", new_ticket(None)).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn signing_in_takes_over_what_was_asked_as_a_guest() {
    let app = spawn_app().await;
    let mut s = app.shopper().await;
    let t = token('c');
    s.send("POST", "/api/support/callbacks", new_callback(Some(&t))).await;
    s.send("POST", "/api/support/chat/messages", json!({"client_id": "m1", "body": "Hello", "support_token": t})).await;
    let body = s.sign_up("later@example.com").await;
    let id = body["customer"]["id"].as_i64().unwrap();
    let (_, mine) = s.get("/api/support/mine").await;
    assert_eq!(mine["callbacks"], json!([]), "not before the token is shown");
    let (_, mine) = get_with(&s, "/api/support/mine", &[("x-support-token", &t)]).await;
    assert_eq!(mine["callbacks"][0]["customer_id"], id);
    assert_eq!(mine["conversations"][0]["customer_name"], "Ada Lovelace");
    let (_, mine) = s.get("/api/support/mine").await;
    assert_eq!(mine["callbacks"].as_array().unwrap().len(), 1, "now the account's");
    // The guest token alone no longer opens it.
    let other = app.shopper().await;
    let (_, mine) = get_with(&other, "/api/support/mine", &[("x-support-token", &t)]).await;
    assert_eq!(mine["callbacks"], json!([]));
}

#[tokio::test]
async fn customers_and_guests_are_refused_every_staff_support_route() {
    let app = spawn_app().await;
    let c = signed_up(&app, "c@example.com").await;
    let guest = app.shopper().await;
    let gets = ["/api/staff/support/queue", "/api/staff/support/customers/customer:1"];
    let posts = [
        "/api/staff/support/callbacks/1/schedule",
        "/api/staff/support/callbacks/1/done",
        "/api/staff/support/tickets/1/reply",
        "/api/staff/support/tickets/1/close",
        "/api/staff/support/conversations/1/close",
    ];
    for path in gets {
        assert_eq!(c.get(path).await.0, 403, "{path}");
        assert_eq!(guest.get(path).await.0, 401, "{path}");
    }
    for path in posts {
        assert_eq!(c.send("POST", path, json!({"at": "2026-11-24T10:30", "note": "", "body": "x"})).await.0, 403, "{path}");
        assert_eq!(guest.send("POST", path, json!({})).await.0, 401, "{path}");
    }
    assert_eq!(connect(&c.url, "/api/staff/support/ws", c.cookie(), Some(&c.url)).await.err(), Some(403));
}

#[tokio::test]
async fn chat_sockets_need_a_session_and_the_shops_own_origin() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    assert_eq!(connect(&app.url, "/api/support/chat/ws", None, None).await.err(), Some(401));
    assert_eq!(connect(&app.url, "/api/support/chat/ws", s.cookie(), Some("https://evil.example")).await.err(), Some(403));
    assert_eq!(connect(&app.url, "/api/support/chat/ws", s.cookie(), Some("null")).await.err(), Some(403));
    let mut ws = socket(&s, "/api/support/chat/ws").await;
    let welcome = hello(&mut ws, Some(&token('a')), 0).await;
    assert_eq!(welcome["conversation_id"], Value::Null);
    assert_eq!(welcome["availability"]["agents_online"], false);
    // A plain GET (no upgrade) is a JSON 400, not a crash.
    let (status, body) = s.get("/api/support/chat/ws").await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")));
}

// ---------------------------------------------------------------------------------------
// Live chat
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn chat_runs_both_ways_and_survives_a_dropped_connection() {
    let app = spawn_app().await;
    let shopper = app.shopper().await;
    let staff = app.staff().await;
    let t = token('d');

    let mut customer = socket(&shopper, "/api/support/chat/ws").await;
    let welcome = hello(&mut customer, Some(&t), 0).await;
    assert_eq!(welcome["availability"]["agents_online"], false);
    let (_, availability) = shopper.get("/api/support/availability").await;
    assert_eq!(availability["agents_online"], false);

    // An agent opens the console: the shopper sees someone is there.
    let mut agent = socket(&staff, "/api/staff/support/ws").await;
    let online = expect(&mut customer, "availability", |f| f["availability"]["agents_online"] == true).await;
    assert_eq!(online["availability"]["message"], "An agent is online");
    let (_, availability) = shopper.get("/api/support/availability").await;
    assert_eq!(availability["message"], "An agent is online");
    let w = hello(&mut agent, None, 0).await;
    assert_eq!(w["messages"], json!([]));

    // Shopper → agent.
    say(&mut customer, json!({"type": "send", "client_id": "c-1", "body": "  Where is my order?  "})).await;
    let mine = expect(&mut customer, "message", |_| true).await;
    assert_eq!(mine["message"]["body"], "Where is my order?");
    assert_eq!(mine["message"]["author"], "customer");
    let conversation = mine["message"]["conversation_id"].as_i64().unwrap();
    let seen = expect(&mut agent, "message", |_| true).await;
    assert_eq!(seen["message"], mine["message"]);
    expect(&mut agent, "queue_changed", |_| true).await;
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"][0]["kind"], "chat");
    assert_eq!(queue["items"][0]["summary"], "Where is my order?");
    assert_eq!(queue["agents_online"], 1);

    // Typing, both ways.
    say(&mut customer, json!({"type": "typing", "conversation_id": null})).await;
    let typing = expect(&mut agent, "typing", |_| true).await;
    assert_eq!((typing["conversation_id"].as_i64(), typing["author"].as_str()), (Some(conversation), Some("customer")));
    say(&mut agent, json!({"type": "typing", "conversation_id": conversation})).await;
    let typing = expect(&mut customer, "typing", |_| true).await;
    assert_eq!(typing["author"], "agent");

    // Agent → shopper.
    say(&mut agent, json!({"type": "agent_send", "conversation_id": conversation, "client_id": "a-1", "body": "It ships today."})).await;
    let reply = expect(&mut customer, "message", |f| f["message"]["author"] == "agent").await;
    assert_eq!((reply["message"]["body"].as_str(), reply["message"]["author_name"].as_str()), (Some("It ships today."), Some("Sam Staff")));
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"], json!([]), "answered chats leave the queue");

    // A resend of the same client id is stored once and answered with the stored one.
    say(&mut customer, json!({"type": "send", "client_id": "c-1", "body": "Where is my order?"})).await;
    let again = expect(&mut customer, "message", |_| true).await;
    assert_eq!(again["message"], mine["message"]);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE client_id = 'c-1'").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 1);
    // The same over REST.
    let (status, rest) = shopper.send("POST", "/api/support/chat/messages", json!({"client_id": "c-1", "body": "Where is my order?", "support_token": t})).await;
    assert_eq!((status, &rest), (200, &mine["message"]));

    // Too long: refused, with the client id, and the socket stays usable.
    say(&mut customer, json!({"type": "send", "client_id": "c-long", "body": "x".repeat(2001)})).await;
    let refused = expect(&mut customer, "error", |_| true).await;
    assert_eq!(refused["client_id"], "c-long");
    assert!(refused["message"].as_str().unwrap().contains("2000"), "{refused}");
    say(&mut customer, json!({"type": "send", "client_id": "bad id!", "body": "hi"})).await;
    assert_eq!(expect(&mut customer, "error", |_| true).await["client_id"], "bad id!");
    say(&mut customer, json!({"type": "agent_send", "conversation_id": conversation, "client_id": "evil", "body": "hi"})).await;
    assert_eq!(expect(&mut customer, "error", |_| true).await["client_id"], "evil");
    customer.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(expect(&mut customer, "error", |_| true).await["client_id"], Value::Null);
    let last_seen = reply["message"]["id"].as_i64().unwrap();

    // The shopper's connection drops; the agent writes twice meanwhile.
    drop(customer);
    let mut missed = Vec::new();
    for (i, body) in ["Are you still there?", "Your parcel is with DHL."].iter().enumerate() {
        say(&mut agent, json!({"type": "agent_send", "conversation_id": conversation, "client_id": format!("a-{}", i + 2), "body": body})).await;
        missed.push(expect(&mut agent, "message", |f| f["message"]["body"] == *body).await["message"].clone());
    }
    let mut customer = socket(&shopper, "/api/support/chat/ws").await;
    let welcome = hello(&mut customer, Some(&t), last_seen).await;
    assert_eq!(welcome["conversation_id"], conversation);
    assert_eq!(welcome["messages"], json!(missed), "exactly the missed messages");
    let all = hello(&mut customer, Some(&t), 0).await;
    assert_eq!(all["messages"].as_array().unwrap().len(), 4);
    let (_, rest) = get_with(&shopper, &format!("/api/support/chat?after={last_seen}"), &[("x-support-token", &t)]).await;
    assert_eq!(rest["messages"], json!(missed));
    // The agent's own welcome catches up from an id too.
    let w = hello(&mut agent, None, last_seen).await;
    assert_eq!(w["messages"], json!(missed));

    // The agent leaves: the shopper is told nobody is there.
    agent.close(None).await.unwrap();
    drop(agent);
    let away = expect(&mut customer, "availability", |f| f["availability"]["agents_online"] == false).await;
    assert!(away["availability"]["message"].as_str().unwrap().starts_with("We're away"), "{away}");
    let (_, availability) = shopper.get("/api/support/availability").await;
    assert_eq!(availability["agents_online"], false);
}

#[tokio::test]
async fn a_shoppers_socket_never_receives_another_conversation() {
    let app = spawn_app().await;
    let alice = signed_up(&app, "alice@example.com").await;
    let bob = app.shopper().await;
    let staff = app.staff().await;
    let mut a = socket(&alice, "/api/support/chat/ws").await;
    let mut b = socket(&bob, "/api/support/chat/ws").await;
    let mut agent = socket(&staff, "/api/staff/support/ws").await;
    hello(&mut a, None, 0).await;
    hello(&mut b, Some(&token('b')), 0).await;
    hello(&mut agent, None, 0).await;

    say(&mut a, json!({"type": "send", "client_id": "a1", "body": "Alice's secret"})).await;
    let conversation = expect(&mut a, "message", |_| true).await["message"]["conversation_id"].as_i64().unwrap();
    let mut bob_saw = Vec::new();
    say(&mut b, json!({"type": "send", "client_id": "b1", "body": "Bob here"})).await;
    let bobs = until(&mut b, "message", &mut bob_saw).await["message"]["conversation_id"].as_i64().unwrap();
    assert_ne!(conversation, bobs);
    say(&mut agent, json!({"type": "typing", "conversation_id": conversation})).await;
    say(&mut agent, json!({"type": "agent_send", "conversation_id": conversation, "client_id": "r1", "body": "Hi Alice"})).await;
    expect(&mut a, "message", |f| f["message"]["body"] == "Hi Alice").await;
    // The same client id in another shopper's conversation is another message.
    say(&mut b, json!({"type": "send", "client_id": "a1", "body": "Bob again"})).await;
    until(&mut b, "message", &mut bob_saw).await;
    while let Some(frame) = next_within(&mut b, Duration::from_millis(500)).await {
        bob_saw.push(frame);
    }
    for frame in &bob_saw {
        let text = frame.to_string();
        assert!(!text.contains("Alice") && frame["conversation_id"] != conversation && frame["message"]["conversation_id"] != conversation, "{text}");
        assert_ne!(frame["type"], "queue_changed");
        assert_ne!(frame["type"], "typing");
    }
    assert_eq!(bob_saw.iter().filter(|f| f["type"] == "message").count(), 2);
    // Alice's own typing never comes back to her, nor Bob's messages.
    say(&mut a, json!({"type": "typing", "conversation_id": bobs})).await;
    let typing = expect(&mut agent, "typing", |_| true).await;
    assert_eq!(typing["conversation_id"], conversation, "a shopper types only in their own conversation");
    while let Some(frame) = next_within(&mut a, Duration::from_millis(300)).await {
        assert!(!frame.to_string().contains("Bob"), "{frame}");
    }
}

// ---------------------------------------------------------------------------------------
// Tickets and call-backs
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_ticket_is_acknowledged_answered_reopened_and_closed_with_emails() {
    let app = spawn_app().await;
    let s = signed_up(&app, "ada@example.com").await;
    let staff = app.staff().await;

    let (status, err) = s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "nope", "subject": "S", "body": "B"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("email")));
    let (status, err) = s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "ada@example.com", "subject": "S", "body": "  "})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("body")));
    let (status, err) = s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "ada@example.com", "subject": "S", "body": "B", "order_number": "A#1"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("order_number")));

    let (status, ticket) = s.send("POST", "/api/support/tickets", new_ticket(None)).await;
    assert_eq!(status, 201, "{ticket}");
    let (id, number) = (ticket["id"].as_i64().unwrap(), ticket["number"].as_str().unwrap().to_string());
    assert_eq!(number, format!("T{id:06}"));
    assert_eq!((ticket["status"].as_str(), ticket["order_number"].as_str()), (Some("open"), Some("A000001")));
    let mail = emails(&app).await;
    let (to, subject, body) = mail.last().unwrap();
    assert_eq!((to.as_str(), subject.as_str()), ("ada@example.com", format!("We have your message — {number}").as_str()));
    assert!(body.contains("within one working day") && body.contains("> It has not arrived.\n> Can you check?"), "{body}");
    assert!(body.contains(&format!("/support/tickets/{id}?token=")), "{body}");

    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"][0]["kind"], "ticket");
    assert!(queue["items"][0]["summary"].as_str().unwrap().contains(&number));

    let (status, answered) = staff.send("POST", &format!("/api/staff/support/tickets/{id}/reply"), json!({"body": "It is on its way."})).await;
    assert_eq!((status, answered["status"].as_str()), (200, Some("answered")));
    assert_eq!(answered["messages"][1]["author"], "agent");
    let mail = emails(&app).await;
    let (to, subject, body) = mail.last().unwrap();
    assert_eq!((to.as_str(), subject.as_str()), ("ada@example.com", format!("Re: Where is my parcel? [{number}]").as_str()));
    assert!(body.contains("> It is on its way."), "{body}");
    // The reply's link opens the thread without a session, and lets a guest answer.
    let link = link_in(&app, body, &format!("/support/tickets/{id}?token="));
    let (status, seen) = app.get_json(&format!("/api{link}")).await;
    assert_eq!((status, seen["id"].as_i64()), (200, Some(id)), "{seen}");
    let (status, _) = app.get_json(&format!("/api/support/tickets/{id}?token=wrong")).await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json(&format!("/api/support/tickets/{}?{}", id + 1, link.split('?').nth(1).unwrap())).await;
    assert_eq!(status, 404, "a ticket's link opens that ticket only");
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"], json!([]));

    let (status, reopened) = s.send("POST", &format!("/api/support/tickets/{id}/messages"), json!({"body": "Thanks, which carrier?"})).await;
    assert_eq!((status, reopened["status"].as_str()), (200, Some("open")));
    assert_eq!(reopened["messages"].as_array().unwrap().len(), 3);
    let (status, closed) = staff.send("POST", &format!("/api/staff/support/tickets/{id}/close"), json!({})).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
    let (_, read) = s.get(&format!("/api/support/tickets/{id}")).await;
    assert_eq!(read["status"], "closed");
    let (status, _) = staff.get(&format!("/api/support/tickets/{id}")).await;
    assert_eq!(status, 200, "staff read any ticket");
    let (status, _) = staff.send("POST", "/api/staff/support/tickets/999/close", json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn call_backs_are_requested_scheduled_and_done_in_order() {
    let app = spawn_app().await;
    let s = signed_up(&app, "cb@example.com").await;
    let staff = app.staff().await;

    for (body, field) in [
        (json!({"name": "Ada", "phone": "", "window": "asap", "topic": "Hi"}), "phone"),
        (json!({"name": "Ada", "phone": "call me", "window": "asap", "topic": "Hi"}), "phone"),
        (json!({"name": "Ada", "phone": "+44 20 7946 0000", "window": "night", "topic": "Hi"}), "window"),
        (json!({"name": "", "phone": "+44 20 7946 0000", "window": "asap", "topic": "Hi"}), "name"),
        (json!({"name": "Ada", "phone": "+44 20 7946 0000", "window": "asap", "topic": "x".repeat(201)}), "topic"),
    ] {
        let (status, err) = s.send("POST", "/api/support/callbacks", body).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, Some(field)), "{err}");
    }
    let (status, err) = s.send("POST", "/api/support/callbacks", json!({"name": "Ada"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")));

    let (status, cb) = s.send("POST", "/api/support/callbacks", new_callback(None)).await;
    assert_eq!(status, 201, "{cb}");
    assert_eq!((cb["status"].as_str(), cb["window"].as_str()), (Some("requested"), Some("afternoon")));
    assert!(cb["expected"].as_str().unwrap().contains("between 12:00 and 17:00 UTC"), "{cb}");
    let id = cb["id"].as_i64().unwrap();
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"][0]["kind"], "callback");
    assert!(queue["items"][0]["summary"].as_str().unwrap().starts_with("+44 20 7946 0000"));

    let (status, err) = staff.send("POST", &format!("/api/staff/support/callbacks/{id}/schedule"), json!({"at": "tomorrow"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("at")));
    let (status, scheduled) = staff.send("POST", &format!("/api/staff/support/callbacks/{id}/schedule"), json!({"at": "2026-11-24T10:30"})).await;
    assert_eq!((status, scheduled["status"].as_str(), scheduled["scheduled_for"].as_str()), (200, Some("scheduled"), Some("2026-11-24T10:30:00Z")));
    let (status, err) = staff.send("POST", &format!("/api/staff/support/callbacks/{id}/done"), json!({"note": "x".repeat(501)})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("note")));
    let (status, done) = staff.send("POST", &format!("/api/staff/support/callbacks/{id}/done"), json!({"note": "Called, all fine."})).await;
    assert_eq!((status, done["status"].as_str(), done["note"].as_str()), (200, Some("done"), Some("Called, all fine.")));
    assert_eq!(done["scheduled_for"], "2026-11-24T10:30:00Z");

    for (path, body) in [("done", json!({})), ("schedule", json!({"at": "2026-11-25T09:00"}))] {
        let (status, err) = staff.send("POST", &format!("/api/staff/support/callbacks/{id}/{path}"), body).await;
        assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")), "{path}");
        assert_eq!(err["error"]["message"], "This call-back is already done.");
    }
    let (status, _) = staff.send("POST", "/api/staff/support/callbacks/9999/done", json!({})).await;
    assert_eq!(status, 404);
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert_eq!(queue["items"], json!([]));
    let (_, mine) = s.get("/api/support/mine").await;
    assert_eq!(mine["callbacks"][0]["status"], "done");
}

// ---------------------------------------------------------------------------------------
// FAQ, feedback, ratings
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_faq_is_seeded_searchable_and_voted_once_per_session() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    let (status, faq) = s.get("/api/faq").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = faq["categories"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Delivery", "Returns and refunds", "Payment", "Changing or cancelling an order", "Privacy and your data"]);
    assert!(faq["categories"].as_array().unwrap().iter().all(|c| (2..=3).contains(&c["articles"].as_array().unwrap().len())));

    let (_, hits) = s.get("/api/faq/search?q=return").await;
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 10);
    assert!(hits[0]["question"].as_str().unwrap().to_lowercase().contains("return"), "{:?}", hits[0]);
    let (_, none) = s.get("/api/faq/search?q=").await;
    assert_eq!(none, json!([]));
    let (status, _) = s.get(&format!("/api/faq/search?q={}", "z".repeat(5000))).await;
    assert_eq!(status, 200);

    let id = hits[0]["id"].as_i64().unwrap();
    let vote = |helpful: bool| json!({"helpful": helpful});
    let (status, a) = s.send("POST", &format!("/api/faq/{id}/votes"), vote(true)).await;
    assert_eq!((status, a["helpful"].as_i64(), a["unhelpful"].as_i64()), (200, Some(1), Some(0)));
    let (_, a) = s.send("POST", &format!("/api/faq/{id}/votes"), vote(true)).await;
    assert_eq!((a["helpful"].as_i64(), a["unhelpful"].as_i64()), (Some(1), Some(0)), "twice counts once");
    let (_, a) = s.send("POST", &format!("/api/faq/{id}/votes"), vote(false)).await;
    assert_eq!((a["helpful"].as_i64(), a["unhelpful"].as_i64()), (Some(0), Some(1)), "a changed mind replaces the vote");
    let other = app.shopper().await;
    let (_, a) = other.send("POST", &format!("/api/faq/{id}/votes"), vote(true)).await;
    assert_eq!((a["helpful"].as_i64(), a["unhelpful"].as_i64()), (Some(1), Some(1)));
    assert_eq!(s.send("POST", "/api/faq/99999/votes", vote(true)).await.0, 404);
    assert_eq!(s.send("POST", "/api/faq/abc/votes", vote(true)).await.0, 404);
    assert_eq!(s.send("POST", &format!("/api/faq/{id}/votes"), json!({"helpful": "yes"})).await.0, 400);
    let anonymous = app.client.post(format!("{}/api/faq/{id}/votes", app.url)).json(&vote(true)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn feedback_is_checked_and_rate_limited() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    for (body, field) in [
        (json!({"kind": "rant", "body": "Hi"}), "kind"),
        (json!({"kind": "complaint", "body": " "}), "body"),
        (json!({"kind": "complaint", "body": "Late", "email": "nope"}), "email"),
        (json!({"kind": "complaint", "body": "Late", "order_number": "A/1"}), "order_number"),
    ] {
        let (status, err) = s.send("POST", "/api/support/feedback", body).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, Some(field)), "{err}");
    }
    for i in 0..5 {
        let (status, f) = s.send("POST", "/api/support/feedback", json!({"kind": "compliment", "body": format!("Lovely shop {i}"), "email": "fan@example.com"})).await;
        assert_eq!((status, f["kind"].as_str()), (201, Some("compliment")), "{f}");
    }
    let (status, err) = s.send("POST", "/api/support/feedback", json!({"kind": "compliment", "body": "Once more"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (429, Some("too_many_requests")));
    assert!(err["error"]["message"].as_str().unwrap().contains("Please wait"), "{err}");
    // Another browser is not held up.
    let (status, _) = app.shopper().await.send("POST", "/api/support/feedback", json!({"kind": "complaint", "body": "Slow"})).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn chat_messages_are_rate_limited_per_session() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    let t = token('e');
    for i in 0..20 {
        let (status, _) = s.send("POST", "/api/support/chat/messages", json!({"client_id": format!("m{i}"), "body": "hi", "support_token": t})).await;
        assert_eq!(status, 201);
    }
    let (status, err) = s.send("POST", "/api/support/chat/messages", json!({"client_id": "m20", "body": "hi", "support_token": t})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (429, Some("too_many_requests")));
    // A resend of a stored message is still answered.
    let (status, _) = s.send("POST", "/api/support/chat/messages", json!({"client_id": "m3", "body": "hi", "support_token": t})).await;
    assert_eq!(status, 200);
}

/// Places an order of one product (stocked first) for `s`; its number and the product.
async fn place_order(app: &TestApp, s: &Shopper, key: &str, email: &str, product: i64) -> serde_json::Value {
    sqlx::query("UPDATE products SET stock = 50 WHERE id = $1").bind(product).execute(&app.db).await.unwrap();
    s.add_to_cart(product, 1).await;
    let (status, order) = s.checkout(key, email).await;
    assert_eq!(status, 201, "{order}");
    order
}


#[tokio::test]
async fn products_are_rated_only_on_the_shoppers_own_delivered_orders() {
    let app = spawn_app().await;
    let s = signed_up(&app, "rater@example.com").await;
    let other = signed_up(&app, "other@example.com").await;
    let staff = app.staff().await;
    let order = place_order(&app, &s, "rater-key-1", "rater@example.com", 1).await;
    let (number, product) = (order["number"].as_str().unwrap().to_string(), 1);
    let path = format!("/api/orders/{number}/ratings/{product}");

    let (status, err) = s.send("PUT", &path, json!({"rating": 5})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")));
    assert_eq!(err["error"]["message"], "You can review a product once it has been delivered.");
    deliver(&staff, &number).await;

    let (status, err) = s.send("PUT", &path, json!({"rating": 6})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("rating")));
    let (status, r) = s.send("PUT", &path, json!({"rating": 5, "comment": "Great"})).await;
    assert_eq!((status, r["rating"].as_i64(), r["order_number"].as_str()), (200, Some(5), Some(number.as_str())));
    assert!(!r["product_name"].as_str().unwrap().is_empty());
    let (_, r) = s.send("PUT", &path, json!({"rating": 3})).await;
    assert_eq!((r["rating"].as_i64(), r["comment"].as_str()), (Some(3), Some("")));
    let (status, all) = s.get(&format!("/api/orders/{number}/ratings")).await;
    assert_eq!((status, all.as_array().unwrap().len(), all[0]["rating"].as_i64()), (200, 1, Some(3)));

    assert_eq!(other.send("PUT", &path, json!({"rating": 1})).await.0, 404);
    assert_eq!(other.get(&format!("/api/orders/{number}/ratings")).await.0, 404);
    assert_eq!(s.send("PUT", &format!("/api/orders/{number}/ratings/99999"), json!({"rating": 4})).await.0, 404);
    assert_eq!(s.send("PUT", &format!("/api/orders/{number}/ratings/abc"), json!({"rating": 4})).await.0, 404);
    assert_eq!(staff.send("PUT", &path, json!({"rating": 1})).await.0, 403, "staff do not rate for shoppers");

    // A guest rates with the order's access token.
    let guest = app.shopper().await;
    let order = place_order(&app, &guest, "guest-key-1", "guest@example.com", 2).await;
    let (gnumber, token) = (order["number"].as_str().unwrap().to_string(), order["access_token"].as_str().unwrap().to_string());
    deliver(&staff, &gnumber).await;
    let gpath = format!("/api/orders/{gnumber}/ratings/2");
    assert_eq!(guest.send("PUT", &gpath, json!({"rating": 4})).await.0, 404);
    assert_eq!(guest.send("PUT", &format!("{gpath}?token={token}"), json!({"rating": 4})).await.0, 200);
}

// ---------------------------------------------------------------------------------------
// The agent's single customer view
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_customer_view_has_orders_chats_tickets_call_backs_feedback_and_ratings() {
    let app = spawn_app().await;
    let s = signed_up(&app, "view@example.com").await;
    let staff = app.staff().await;
    let order = place_order(&app, &s, "view-key-1", "view@example.com", 1).await;
    let (number, product) = (order["number"].as_str().unwrap().to_string(), 1);
    deliver(&staff, &number).await;
    s.send("PUT", &format!("/api/orders/{number}/ratings/{product}"), json!({"rating": 4})).await;
    s.send("POST", "/api/support/chat/messages", json!({"client_id": "v1", "body": "Is it here yet?"})).await;
    s.send("POST", "/api/support/tickets", new_ticket(None)).await;
    s.send("POST", "/api/support/callbacks", new_callback(None)).await;
    s.send("POST", "/api/support/feedback", json!({"kind": "complaint", "body": "Box was damaged"})).await;

    let (_, queue) = staff.get("/api/staff/support/queue").await;
    let mut kinds: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["callback", "chat", "ticket"]);
    let waits: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|i| i["waiting_since"].as_str().unwrap()).collect();
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "oldest first: {waits:?}");
    let key = queue["items"][0]["customer_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("customer:"));
    assert!(queue["items"].as_array().unwrap().iter().all(|i| i["customer_key"] == key.as_str()));

    let (status, view) = staff.get(&format!("/api/staff/support/customers/{key}")).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["name"].as_str(), view["email"].as_str(), view["phone"].as_str()), (Some("Ada Lovelace"), Some("view@example.com"), Some("+44 20 7946 0000")));
    assert_eq!(view["customer"]["email"], "view@example.com");
    assert_eq!(view["orders"][0]["number"], number.as_str());
    for list in ["conversations", "tickets", "callbacks", "feedback", "ratings"] {
        assert_eq!(view[list].as_array().unwrap().len(), 1, "{list}: {view}");
    }
    assert_eq!(view["conversations"][0]["messages"][0]["body"], "Is it here yet?");
    let activity: Vec<&str> = view["activity"].as_array().unwrap().iter().map(|a| a["text"].as_str().unwrap()).collect();
    for line in [format!("Placed order {number}"), "Chat: Is it here yet?".into(), "Asked for a call-back: A question about my order".into(), "Sent a complaint: Box was damaged".into()] {
        assert!(activity.contains(&line.as_str()), "{line} in {activity:?}");
    }
    assert!(activity.iter().any(|a| a.starts_with("Rated ") && a.ends_with(" 4/5")), "{activity:?}");

    // Closing the chat takes it off the queue.
    let conversation = view["conversations"][0]["id"].as_i64().unwrap();
    let (status, closed) = staff.send("POST", &format!("/api/staff/support/conversations/{conversation}/close"), json!({})).await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    assert!(queue["items"].as_array().unwrap().iter().all(|i| i["kind"] != "chat"));

    // A guest is known by their token's hash, and their guest orders by e-mail.
    let guest = app.shopper().await;
    let order = place_order(&app, &guest, "guest-view-1", "ada@example.com", 3).await;
    let t = token('f');
    guest.send("POST", "/api/support/tickets", new_ticket(Some(&t))).await;
    let (_, queue) = staff.get("/api/staff/support/queue").await;
    let guest_key = queue["items"].as_array().unwrap().iter().map(|i| i["customer_key"].as_str().unwrap()).find(|k| k.starts_with("guest:")).unwrap().to_string();
    let (status, view) = staff.get(&format!("/api/staff/support/customers/{guest_key}")).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["customer"].clone(), view["email"].as_str()), (Value::Null, Some("ada@example.com")));
    assert_eq!(view["orders"][0]["number"], order["number"]);

    for bad in ["customer:99999", "customer:0", "guest:abc", "nobody", &format!("guest:{}", "0".repeat(64))] {
        let (status, _) = staff.get(&format!("/api/staff/support/customers/{bad}")).await;
        assert_eq!(status, 404, "{bad}");
    }
}

// ---------------------------------------------------------------------------------------
// Several instances on one PostgreSQL
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn two_instances_share_sessions_stock_sign_in_limits_and_a_live_chat() {
    if !crate::helpers::on_postgres() {
        // One SQLite file serves one instance; `cargo xtask test` runs this on PostgreSQL.
        return;
    }
    let a = spawn_app().await;
    let b = a.another_instance().await;
    let mut shopper = a.shopper().await;
    shopper.sign_up("ada@example.com").await;
    let shopper_b = shopper.via(&b);
    let staff_b = a.staff().await.via(&b);

    // A session made on one instance is good on the other.
    let (status, me) = shopper_b.get("/api/session").await;
    assert_eq!((status, me["customer"]["email"].as_str()), (200, Some("ada@example.com")), "{me}");

    // The shopper's socket is on A, the agent's on B: A's shopper hears B's agent arrive.
    let mut customer = socket(&shopper, "/api/support/chat/ws").await;
    let welcome = hello(&mut customer, None, 0).await;
    assert_eq!(welcome["availability"]["agents_online"], false);
    let mut agent = socket(&staff_b, "/api/staff/support/ws").await;
    hello(&mut agent, None, 0).await;
    expect(&mut customer, "availability", |f| f["availability"]["agents_online"] == true).await;

    // Shopper on A → agent on B, typing both ways, agent on B → shopper on A.
    say(&mut customer, json!({"type": "send", "client_id": "x-1", "body": "Is the kettle in stock?"})).await;
    let mine = expect(&mut customer, "message", |_| true).await;
    let conversation = mine["message"]["conversation_id"].as_i64().unwrap();
    let seen = expect(&mut agent, "message", |_| true).await;
    assert_eq!(seen["message"], mine["message"]);
    expect(&mut agent, "queue_changed", |_| true).await;
    say(&mut customer, json!({"type": "typing", "conversation_id": conversation})).await;
    expect(&mut agent, "typing", |f| f["author"] == "customer").await;
    say(&mut agent, json!({"type": "typing", "conversation_id": conversation})).await;
    expect(&mut customer, "typing", |f| f["author"] == "agent").await;
    say(&mut agent, json!({"type": "agent_send", "conversation_id": conversation, "client_id": "y-1", "body": "Yes, 12 left."})).await;
    let reply = expect(&mut customer, "message", |f| f["message"]["author"] == "agent").await;
    assert_eq!(reply["message"]["body"], "Yes, 12 left.");
    // Each message reached each socket once.
    assert!(next_within(&mut customer, Duration::from_millis(300)).await.is_none_or(|f| f["type"] != "message"));

    // The agent leaves B: A's shopper hears nobody is there.
    drop(agent);
    expect(&mut customer, "availability", |f| f["availability"]["agents_online"] == false).await;

    // Stock sold through A shows on B at once, though B had the product cached.
    sqlx::query("UPDATE products SET stock = 50 WHERE id = 1").execute(&a.db).await.unwrap();
    let (_, before) = b.get_json("/api/products/1").await;
    let stock = before["stock"].as_i64().unwrap();
    shopper.add_to_cart(1, 2).await;
    let body = crate::helpers::checkout_body(
        "ada@example.com",
        vec![json!({"product_id": 1, "quantity": 2, "unit_price_minor": before["price"]["minor"]})],
    );
    let key = [("idempotency-key", "two-instances-1")];
    let (status, order) = shopper.send_with("POST", "/api/orders", body.clone(), &key).await;
    assert_eq!(status, 201, "{order}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (_, now) = b.get_json("/api/products/1").await;
        if now["stock"].as_i64() == Some(stock - 2) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "B still shows {} after 5 s", now["stock"]);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The same checkout retried through B is the same order, not a second one.
    let (status, again) = shopper_b.send_with("POST", "/api/orders", body, &key).await;
    assert!(status == 200 || status == 201, "{status} {again}");
    assert_eq!(again["number"], order["number"]);
    let (_, after) = a.get_json("/api/products/1").await;
    assert_eq!(after["stock"].as_i64(), Some(stock - 2));

    // Failed sign-ins count on every instance: five wrong passwords through A, and B
    // refuses the sixth try.
    let guesser = a.shopper().await;
    for _ in 0..5 {
        let (status, _) = guesser.send("POST", "/api/session", json!({"email": "ada@example.com", "password": "not the password"})).await;
        assert_eq!(status, 409);
    }
    // One try only, with the right password: a B that had not heard would let it in.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, body) = guesser.via(&b).send("POST", "/api/session", json!({"email": "ada@example.com", "password": "a long password"})).await;
    assert_eq!(status, 429, "{body}");
}
