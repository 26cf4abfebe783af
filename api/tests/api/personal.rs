//! The clickstream and what stops it, privacy settings, the welcome back,
//! recommendations, a copy of one's data, erasing an account, and the insight page.

use crate::helpers::{deliver, spawn_app, Shopper, TestApp};
use serde_json::{json, Value};

fn device(c: char) -> String {
    c.to_string().repeat(32)
}

fn view(product: i64) -> Value {
    json!({"kind": "product_view", "product_id": product, "at": "2026-11-23T10:00:00Z"})
}

fn batch(device_id: &str, events: Vec<Value>) -> Value {
    json!({"device_id": device_id, "events": events})
}

async fn signed_up(app: &TestApp, email: &str) -> Shopper {
    let mut s = app.shopper().await;
    s.sign_up(email).await;
    s
}

/// Orders these products (stocked first) for `s`; the order.
async fn order(app: &TestApp, s: &Shopper, key: &str, email: &str, products: &[i64]) -> Value {
    for p in products {
        sqlx::query("UPDATE products SET stock = 50 WHERE id = $1").bind(p).execute(&app.db).await.unwrap();
        s.add_to_cart(*p, 1).await;
    }
    let (status, order) = s.checkout(key, email).await;
    assert_eq!(status, 201, "{order}");
    order
}


async fn stored_events(app: &TestApp, customer: Option<i64>) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE customer_id IS NOT DISTINCT FROM $1").bind(customer).fetch_one(&app.db).await.unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect()
}

// ---------------------------------------------------------------------------------------
// Clickstream and privacy
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn events_are_stored_unless_the_browser_or_the_shopper_says_no() {
    let app = spawn_app().await;
    let guest = app.shopper().await;
    let search = json!({"kind": "search", "query": "  Blue Teapot ", "results": 0, "at": "2026-11-23T10:00:01Z"});
    let (status, body) = guest.send("POST", "/api/events", batch(&device('a'), vec![view(3), search])).await;
    assert_eq!((status, body), (202, json!({"accepted": 2})));
    assert_eq!(stored_events(&app, None).await, 2);
    let q: String = sqlx::query_scalar("SELECT query FROM events WHERE kind = 'search'").fetch_one(&app.db).await.unwrap();
    assert_eq!(q, "Blue Teapot");

    let (status, body) = guest.send_with("POST", "/api/events", batch(&device('a'), vec![view(4)]), &[("sec-gpc", "1")]).await;
    assert_eq!((status, body), (202, json!({"accepted": 0})), "Global Privacy Control records nothing");
    assert_eq!(stored_events(&app, None).await, 2);

    let s = signed_up(&app, "click@example.com").await;
    let me = s.get("/api/session").await.1["customer"]["id"].as_i64().unwrap();
    let (status, body) = s.send("POST", "/api/events", batch(&device('b'), vec![view(3), view(5)])).await;
    assert_eq!((status, body), (202, json!({"accepted": 2})));
    assert_eq!(stored_events(&app, Some(me)).await, 2);

    let (status, p) = s.send("PUT", "/api/account/privacy", json!({"personalisation": true, "clickstream": false})).await;
    assert_eq!((status, p), (200, json!({"personalisation": true, "clickstream": false})));
    assert_eq!(stored_events(&app, Some(me)).await, 0, "switching it off deletes what was recorded");
    let (status, body) = s.send("POST", "/api/events", batch(&device('b'), vec![view(3)])).await;
    assert_eq!((status, body), (202, json!({"accepted": 0})));
    assert_eq!(stored_events(&app, Some(me)).await, 0);
    assert_eq!(stored_events(&app, None).await, 2, "other people's events stay");
}

#[tokio::test]
async fn bad_batches_are_refused_with_the_field_and_floods_are_limited() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    let no_product = json!({"kind": "cart_add", "at": "2026-11-23T10:00:00Z"});
    let empty_search = json!({"kind": "search", "query": " ", "at": "2026-11-23T10:00:00Z"});
    for (body, field) in [
        (batch("not hex", vec![view(1)]), Some("device_id")),
        (batch(&device('a'), vec![]), Some("events")),
        (batch(&device('a'), vec![view(1); 101]), Some("events")),
        (batch(&device('a'), vec![no_product]), Some("events")),
        (batch(&device('a'), vec![empty_search]), Some("events")),
        (json!({"device_id": device('a'), "events": [{"kind": "dance", "at": "x"}]}), None),
        (json!({"events": []}), None),
    ] {
        let (status, err) = s.send("POST", "/api/events", body.clone()).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, field), "{body}: {err}");
    }
    assert_eq!(stored_events(&app, None).await, 0);

    let no_csrf = s.http.post(format!("{}/api/events", s.url)).json(&batch(&device('a'), vec![view(1)])).send().await.unwrap();
    assert_eq!(no_csrf.status(), 403);
    let no_session = app.client.post(format!("{}/api/events", app.url)).json(&batch(&device('a'), vec![view(1)])).send().await.unwrap();
    assert_eq!(no_session.status(), 401);

    let flood = app.shopper().await;
    for _ in 0..60 {
        assert_eq!(flood.send("POST", "/api/events", batch(&device('c'), vec![view(1)])).await.0, 202);
    }
    let (status, err) = flood.send("POST", "/api/events", batch(&device('c'), vec![view(1)])).await;
    assert_eq!((status, err["error"]["code"].as_str()), (429, Some("too_many_requests")));
    assert_eq!(s.send("POST", "/api/events", batch(&device('a'), vec![view(1)])).await.0, 202, "another session is not held up");
}

#[tokio::test]
async fn privacy_settings_need_sign_in_and_default_to_on() {
    let app = spawn_app().await;
    let guest = app.shopper().await;
    assert_eq!(guest.get("/api/account/privacy").await.0, 401);
    assert_eq!(guest.send("PUT", "/api/account/privacy", json!({"personalisation": false, "clickstream": false})).await.0, 401);
    let s = signed_up(&app, "private@example.com").await;
    assert_eq!(s.get("/api/account/privacy").await, (200, json!({"personalisation": true, "clickstream": true})));
    assert_eq!(s.send("PUT", "/api/account/privacy", json!({"personalisation": false})).await.0, 400);
    let off = json!({"personalisation": false, "clickstream": true});
    assert_eq!(s.send("PUT", "/api/account/privacy", off.clone()).await, (200, off.clone()));
    assert_eq!(s.get("/api/account/privacy").await, (200, off));
}

// ---------------------------------------------------------------------------------------
// Welcome back and recommendations
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn welcome_back_asks_for_a_rating_once_and_shows_the_open_order() {
    let app = spawn_app().await;
    assert_eq!(app.shopper().await.get("/api/welcome").await.0, 401);
    let s = signed_up(&app, "welcome@example.com").await;
    let staff = app.staff().await;
    assert_eq!(s.get("/api/welcome").await, (200, json!({"first_name": "Ada", "rate": null, "open_order": null})));

    let delivered = order(&app, &s, "welcome-key-1", "welcome@example.com", &[5]).await;
    let number = delivered["number"].as_str().unwrap().to_string();
    deliver(&staff, &number).await;
    let open = order(&app, &s, "welcome-key-2", "welcome@example.com", &[7]).await;

    let (status, w) = s.get("/api/welcome").await;
    assert_eq!(status, 200, "{w}");
    assert_eq!((w["rate"]["order_number"].as_str(), w["rate"]["product_id"].as_i64()), (Some(number.as_str()), Some(5)));
    assert_eq!(w["rate"]["product_name"], delivered["items"][0]["name"]);
    assert_eq!(w["rate"]["product_slug"], delivered["items"][0]["slug"]);
    assert!(w["rate"]["delivered_at"].as_str().unwrap() >= delivered["placed_at"].as_str().unwrap());
    assert_eq!((w["open_order"]["number"].clone(), w["open_order"]["status"].as_str()), (open["number"].clone(), Some("placed")));

    s.send("PUT", "/api/account/privacy", json!({"personalisation": false, "clickstream": true})).await;
    assert!(s.get("/api/welcome").await.1["rate"].is_null(), "no rating prompt without personalisation");
    s.send("PUT", "/api/account/privacy", json!({"personalisation": true, "clickstream": true})).await;

    let (status, _) = s.send("PUT", &format!("/api/orders/{number}/ratings/5"), json!({"rating": 5})).await;
    assert_eq!(status, 200);
    let (_, w) = s.get("/api/welcome").await;
    assert!(w["rate"].is_null(), "rated products are not asked about again: {w}");
    assert_eq!(w["open_order"]["number"], open["number"]);
    s.send("POST", &format!("/api/orders/{}/cancel", open["number"].as_str().unwrap()), json!({})).await;
    assert!(s.get("/api/welcome").await.1["open_order"].is_null(), "a cancelled order is not on its way");
}

#[tokio::test]
async fn recommendations_follow_purchases_and_personalisation() {
    let app = spawn_app().await;
    let empty = json!({"buy_again": [], "because_you_bought": null, "popular_in_favourites": []});
    assert_eq!(app.shopper().await.get("/api/recommendations").await, (200, empty.clone()), "guests get empty rows");
    let ada = signed_up(&app, "ada@example.com").await;
    assert_eq!(ada.get("/api/recommendations").await, (200, empty.clone()));

    order(&app, &ada, "recs-key-1", "ada@example.com", &[10]).await;
    let (status, r) = ada.get("/api/recommendations").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(ids(&r["buy_again"]), [10]);
    assert!(r["because_you_bought"].is_null(), "nobody bought 10 with anything yet: {r}");
    assert!(!ids(&r["popular_in_favourites"]).contains(&10), "nothing they own");

    let bob = signed_up(&app, "bob@example.com").await;
    order(&app, &bob, "recs-key-2", "bob@example.com", &[10, 11]).await;
    let (_, r) = ada.get("/api/recommendations").await;
    assert_eq!(r["because_you_bought"]["product"]["id"], 10, "{r}");
    assert_eq!(ids(&r["because_you_bought"]["similar"]), [11]);
    assert!(r["because_you_bought"]["product"]["price"]["minor"].is_i64());
    let category: String = sqlx::query_scalar("SELECT c.slug FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = 10")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for p in r["popular_in_favourites"].as_array().unwrap() {
        assert_eq!(p["category_slug"].as_str(), Some(category.as_str()), "{p}");
    }

    // Bob owns both, so nothing is "similar" to show him; buying again puts the most
    // often bought first.
    order(&app, &bob, "recs-key-3", "bob@example.com", &[11]).await;
    let (_, r) = bob.get("/api/recommendations").await;
    assert_eq!(ids(&r["buy_again"]), [11, 10]);
    assert!(r["because_you_bought"].is_null(), "{r}");

    ada.send("PUT", "/api/account/privacy", json!({"personalisation": false, "clickstream": true})).await;
    assert_eq!(ada.get("/api/recommendations").await, (200, empty));
}

// ---------------------------------------------------------------------------------------
// Their data: a copy, and erasure
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_export_holds_the_accounts_orders_tickets_and_events() {
    let app = spawn_app().await;
    let guest = app.shopper().await;
    assert_eq!(guest.get("/api/account/export").await.0, 401);
    let s = signed_up(&app, "export@example.com").await;
    let placed = order(&app, &s, "export-key-1", "export@example.com", &[2]).await;
    let ticket = json!({"name": "Ada Lovelace", "email": "export@example.com", "subject": "Where is my parcel?", "body": "It has not arrived."});
    assert_eq!(s.send("POST", "/api/support/tickets", ticket).await.0, 201);
    s.send("POST", "/api/events", batch(&device('e'), vec![view(2)])).await;

    let res = s.http.get(format!("{}/api/account/export", s.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(disposition, "attachment; filename=\"aisle-my-data.json\"");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["profile"]["email"], "export@example.com");
    assert_eq!(doc["privacy"], json!({"personalisation": true, "clickstream": true}));
    assert_eq!(doc["orders"][0]["number"], placed["number"]);
    assert_eq!(doc["orders"][0]["items"][0]["product_id"], 2);
    assert_eq!(doc["tickets"][0]["subject"], "Where is my parcel?");
    assert_eq!(doc["events"][0]["kind"], "product_view");
    for key in ["addresses", "cart", "conversations", "callbacks", "feedback", "ratings"] {
        assert!(!doc[key].is_null(), "{key}: {doc}");
    }
}

#[tokio::test]
async fn deleting_an_account_erases_it_and_anonymises_its_orders() {
    let app = spawn_app().await;
    let mut s = signed_up(&app, "leaving@example.com").await;
    let staff = app.staff().await;
    let placed = order(&app, &s, "leave-key-1", "leaving@example.com", &[4]).await;
    let number = placed["number"].as_str().unwrap().to_string();
    deliver(&staff, &number).await;
    s.send("PUT", &format!("/api/orders/{number}/ratings/4"), json!({"rating": 2, "comment": "Meh, said Ada"})).await;
    s.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "leaving@example.com", "subject": "Bye", "body": "Bye"})).await;
    s.send("POST", "/api/events", batch(&device('d'), vec![view(4)])).await;
    s.send("POST", "/api/account/addresses", crate::helpers::address()).await;

    assert_eq!(app.shopper().await.send("DELETE", "/api/account", json!({"password": "x"})).await.0, 401);
    let (status, err) = s.send("DELETE", "/api/account", json!({"password": "not my password"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("password")));
    assert_eq!(s.send("DELETE", "/api/account", json!({})).await.0, 400);

    let res = s
        .http
        .delete(format!("{}/api/account", s.url))
        .header("x-csrf-token", &s.csrf)
        .json(&json!({"password": "a long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(cookie.starts_with("aisle_session=;") && cookie.contains("Max-Age=0"), "{cookie}");

    s.refresh().await;
    assert!(s.get("/api/session").await.1["customer"].is_null());
    let (status, err) = s.send("POST", "/api/session", json!({"email": "leaving@example.com", "password": "a long password"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("wrong_credentials")));

    let (status, kept) = staff.get(&format!("/api/staff/orders/{number}")).await;
    assert_eq!(status, 200, "{kept}");
    assert_eq!(kept["email"], format!("deleted-{}@invalid", placed["id"]));
    assert_eq!((kept["address"]["name"].as_str(), kept["address"]["line1"].as_str()), (Some("(deleted)"), Some("(deleted)")));
    assert_eq!((kept["total"].clone(), kept["status"].as_str()), (placed["total"].clone(), Some("delivered")));
    assert_eq!(kept["items"].as_array().unwrap().len(), 1);

    let db = &app.db;
    let count = |q: &'static str| sqlx::query_scalar::<_, i64>(q).fetch_one(db);
    for q in [
        "SELECT COUNT(*) FROM customers WHERE is_staff = 0",
        "SELECT COUNT(*) FROM events",
        "SELECT COUNT(*) FROM tickets",
        "SELECT COUNT(*) FROM addresses",
        "SELECT COUNT(*) FROM emails WHERE to_addr = 'leaving@example.com'",
    ] {
        assert_eq!(count(q).await.unwrap(), 0, "{q}");
    }
    let rating: (i64, String, Option<i64>) = sqlx::query_as("SELECT rating, title || comment, customer_id FROM reviews").fetch_one(&app.db).await.unwrap();
    assert_eq!(rating, (2, String::new(), None), "the stars stay, anonymous");

    let mut again = app.shopper().await;
    again.sign_up("leaving@example.com").await;
    assert_eq!(again.get("/api/orders").await.1, json!([]), "a new account does not inherit the old orders");
}

// ---------------------------------------------------------------------------------------
// Insight
// ---------------------------------------------------------------------------------------

async fn sql(app: &TestApp, q: &str) {
    sqlx::query(q).execute(&app.db).await.unwrap_or_else(|e| panic!("{q}: {e}"));
}

#[tokio::test]
async fn insight_is_for_staff_and_adds_up_a_known_history() {
    let ago = |secs: i64| aisle_api::platform::clock::iso(aisle_api::platform::clock::now_unix() - secs);
    let (ago_1h, ago_2h, ago_2d, ago_20d) = (ago(3600), ago(7200), ago(2 * 86400), ago(20 * 86400));
    let app = spawn_app().await;
    let staff = app.staff().await;
    let s = signed_up(&app, "insight@example.com").await;
    assert_eq!(s.get("/api/staff/insight").await.0, 403);
    assert_eq!(app.shopper().await.get("/api/staff/insight").await.0, 401);
    for bad in ["0", "366", "week", "-3"] {
        assert_eq!(staff.get(&format!("/api/staff/insight?days={bad}")).await.0, 400, "{bad}");
    }

    // Orders: two today, one two days ago, one cancelled, one too old for 7 days.
    let a = order(&app, &s, "insight-key-1", "insight@example.com", &[1, 2]).await;
    let b = order(&app, &s, "insight-key-2", "insight@example.com", &[3]).await;
    let old = order(&app, &s, "insight-key-3", "insight@example.com", &[4]).await;
    let cancelled = order(&app, &s, "insight-key-4", "insight@example.com", &[5]).await;
    let ancient = order(&app, &s, "insight-key-5", "insight@example.com", &[6]).await;
    s.send("POST", &format!("/api/orders/{}/cancel", cancelled["number"].as_str().unwrap()), json!({})).await;
    sql(&app, &format!("UPDATE orders SET placed_at = '{ago_2d}' WHERE id = {}", old["id"])).await;
    // Days are the shop's (Europe/Berlin): an order half a minute after Berlin's midnight
    // is today's there, though in UTC it is still the day before.
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let now = aisle_api::platform::clock::now_unix();
    let berlin_day = |unix: i64| aisle_api::insight::store::shop_day(unix, &berlin).unwrap();
    let just_after_midnight = berlin_day(now).to_zoned_datetime(berlin.clone()).unwrap().timestamp().as_second() + 30;
    sql(&app, &format!("UPDATE orders SET placed_at = '{}' WHERE id = {}", aisle_api::platform::clock::iso(just_after_midnight), b["id"])).await;
    sql(&app, &format!("UPDATE orders SET placed_at = '{ago_20d}' WHERE id = {}", ancient["id"])).await;

    // Funnel: device a views and adds; device b goes all the way; the signed-in shopper
    // views twice from two devices (one actor); an old view does not count.
    let guest = app.shopper().await;
    let cart_add = json!({"kind": "cart_add", "product_id": 1, "at": "2026-11-23T10:00:00Z"});
    let step = |kind: &str| json!({"kind": kind, "at": "2026-11-23T10:00:00Z"});
    guest.send("POST", "/api/events", batch(&device('a'), vec![view(1), cart_add.clone()])).await;
    guest.send("POST", "/api/events", batch(&device('b'), vec![view(1), cart_add, step("checkout_started"), step("checkout_finished")])).await;
    s.send("POST", "/api/events", batch(&device('c'), vec![view(2)])).await;
    s.send("POST", "/api/events", batch(&device('d'), vec![view(3)])).await;
    sql(&app, &format!("INSERT INTO events (device_id, kind, product_id, client_at, at) VALUES ('{}', 'product_view', 1, 'x', '2020-01-01T00:00:00Z')", device('f'))).await;
    // Searches: "Unicorn" twice (any case) and "zebra" found nothing, "tea" found some.
    let search = |q: &str, n: u32| json!({"kind": "search", "query": q, "results": n, "at": "2026-11-23T10:00:00Z"});
    guest.send("POST", "/api/events", batch(&device('a'), vec![search("Unicorn", 0), search("unicorn ", 0), search("zebra", 0), search("tea", 5)])).await;

    // Carts: one untouched for two days, one fresh.
    sql(&app, "UPDATE products SET stock = 50 WHERE id IN (7, 10)").await;
    let idle = app.shopper().await;
    idle.add_to_cart(7, 1).await;
    sql(&app, "UPDATE carts SET updated_at = '2020-01-01T00:00:00Z' WHERE session_hash IS NOT NULL").await;
    app.shopper().await.add_to_cart(10, 1).await;

    // FAQ: two answers with more "no" than "yes".
    let (_, faq) = guest.get("/api/faq").await;
    let articles: Vec<(i64, String)> = faq["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["articles"].as_array().unwrap().iter().map(|a| (a["id"].as_i64().unwrap(), a["question"].as_str().unwrap().to_string())))
        .collect();
    sql(&app, &format!("UPDATE faq_articles SET helpful = 1, unhelpful = 2 WHERE id = {}", articles[0].0)).await;
    sql(&app, &format!("UPDATE faq_articles SET helpful = 0, unhelpful = 4 WHERE id = {}", articles[1].0)).await;
    sql(&app, &format!("UPDATE faq_articles SET helpful = 3, unhelpful = 3 WHERE id = {}", articles[2].0)).await;

    // Response times: chats answered after 60 s and 120 s, one unanswered; a ticket
    // answered after an hour.
    sql(&app, &format!("INSERT INTO conversations (id, customer_name, status, started_at) VALUES \
        (901, 'A', 'open', '{ago_1h}'), \
        (902, 'B', 'open', '{ago_1h}'), \
        (903, 'C', 'open', '{ago_1h}')")).await;
    sql(&app, "INSERT INTO chat_messages (conversation_id, client_id, author, author_name, body, at) VALUES \
        (901, 'm1', 'customer', 'A', 'hi', '2026-01-01T10:00:00Z'), \
        (901, 'm2', 'customer', 'A', 'hello?', '2026-01-01T10:00:30Z'), \
        (901, 'm3', 'agent', 'Sam', 'hi', '2026-01-01T10:01:00Z'), \
        (902, 'm1', 'customer', 'B', 'hi', '2026-01-01T10:00:00Z'), \
        (902, 'm2', 'agent', 'Sam', 'hi', '2026-01-01T10:02:00Z'), \
        (903, 'm1', 'customer', 'C', 'hi', '2026-01-01T10:00:00Z')").await;
    sql(&app, &format!("INSERT INTO tickets (id, name, email, subject, status, created_at, updated_at) VALUES \
        (901, 'A', 'a@example.com', 'Q', 'answered', '{ago_2h}', '{ago_1h}')")).await;
    sql(&app, &format!("INSERT INTO ticket_messages (ticket_id, author, author_name, body, at) VALUES \
        (901, 'customer', 'A', 'Q', '{ago_2h}'), \
        (901, 'agent', 'Sam', 'A', '{ago_1h}')")).await;

    // Ratings: 4 and 5 stars on the delivered first order.
    let number = a["number"].as_str().unwrap();
    deliver(&staff, number).await;
    s.send("PUT", &format!("/api/orders/{number}/ratings/1"), json!({"rating": 4})).await;
    s.send("PUT", &format!("/api/orders/{number}/ratings/2"), json!({"rating": 5})).await;

    let (status, i) = staff.get("/api/staff/insight?days=7").await;
    assert_eq!(status, 200, "{i}");
    let days = i["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let today = berlin_day(now).to_string();
    let two_days_ago = berlin_day(now - 2 * 86_400).to_string();
    assert_eq!(days[6]["day"].as_str(), Some(today.as_str()));
    assert_eq!(days[4]["day"].as_str(), Some(two_days_ago.as_str()));
    let minor = |o: &Value| o["total"]["minor"].as_i64().unwrap();
    assert_eq!((days[6]["orders"].as_i64(), days[6]["revenue"]["minor"].as_i64()), (Some(2), Some(minor(&a) + minor(&b))));
    assert_eq!(days[6]["revenue"]["currency"], "EUR");
    assert_eq!((days[4]["orders"].as_i64(), days[4]["revenue"]["minor"].as_i64()), (Some(1), Some(minor(&old))));
    let quiet: Vec<usize> = (0..7).filter(|d| days[*d]["orders"] == 0).collect();
    assert_eq!(quiet, [0, 1, 2, 3, 5]);
    assert!(days.windows(2).all(|w| w[0]["day"].as_str() < w[1]["day"].as_str()));

    assert_eq!(i["funnel"], json!({"viewed": 3, "added_to_cart": 2, "started_checkout": 1, "ordered": 1}));
    assert_eq!(i["abandoned_carts"], 1);
    assert_eq!(i["searches_without_results"], json!([{"text": "unicorn", "count": 2}, {"text": "zebra", "count": 1}]));
    assert_eq!(
        i["unhelpful_faq"],
        json!([
            {"question": articles[1].1, "helpful": 0, "unhelpful": 4},
            {"question": articles[0].1, "helpful": 1, "unhelpful": 2},
        ])
    );
    assert_eq!(i["first_response"], json!({"chat_median_secs": 90, "ticket_median_secs": 3600}));
    assert_eq!(i["ratings"], json!({"count": 2, "average": 4.5, "by_stars": [0, 0, 0, 1, 1]}));

    // Thirty days by default, with the older order in it.
    let (_, i) = staff.get("/api/staff/insight").await;
    let days = i["days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days.iter().map(|d| d["orders"].as_i64().unwrap()).sum::<i64>(), 4);
}
