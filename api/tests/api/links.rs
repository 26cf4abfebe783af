//! Links sent by e-mail: they open one thing in any browser, stop when revoked or
//! expired, and "find my order" sends a fresh one without telling anyone whether an
//! address or an order exists.

use crate::helpers::{last_email, link_in, spawn_app, Shopper, TestApp};
use serde_json::json;

async fn guest_order(app: &TestApp, email: &str, key: &str) -> (Shopper, String) {
    sqlx::query("UPDATE products SET stock = 50 WHERE id = 3").execute(&app.db).await.unwrap();
    let s = app.shopper().await;
    s.add_to_cart(3, 1).await;
    let (status, order) = s.checkout(key, email).await;
    assert_eq!(status, 201, "{order}");
    (s, order["number"].as_str().unwrap().to_string())
}

async fn email_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM emails").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn find_my_order_mails_a_fresh_link_and_answers_the_same_for_strangers() {
    let app = spawn_app().await;
    let (_, number) = guest_order(&app, "ada@example.com", "key-find-0001").await;
    let before = email_count(&app).await;
    let asker = app.shopper().await;

    // Unknown address, unknown number, someone else's number: the same answer, no e-mail.
    for (email, n) in [("nobody@example.com", number.as_str()), ("ada@example.com", "A999999"), ("bob@example.com", number.as_str())] {
        let (status, body) = asker.send("POST", "/api/orders/find", json!({"email": email, "order_number": n})).await;
        assert_eq!((status, body), (204, serde_json::Value::Null), "{email} {n}");
    }
    assert_eq!(email_count(&app).await, before, "nothing sent for a wrong pair");

    // Bad input is named, field by field.
    let (status, err) = asker.send("POST", "/api/orders/find", json!({"email": "not an address", "order_number": number})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("email")));
    let (status, err) = asker.send("POST", "/api/orders/find", json!({"email": "ada@example.com", "order_number": "<A1>"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("order_number")));

    // The right pair, typed loosely: a link arrives and opens the order anywhere.
    let typed = format!(" #{}-{} ", &number[..1], &number[1..]).to_lowercase();
    let (status, _) = asker.send("POST", "/api/orders/find", json!({"email": "ADA@example.com", "order_number": typed})).await;
    assert_eq!(status, 204);
    let (kind, subject, text) = last_email(&app, "ada@example.com").await;
    assert_eq!((kind.as_str(), subject), ("order_link", format!("Your link to order {number}")));
    let link = link_in(&app, &text, &format!("/orders/{number}?token="));
    let (status, seen) = app.get_json(&format!("/api{link}")).await;
    assert_eq!((status, seen["number"].as_str()), (200, Some(number.as_str())));

    // One address gets a handful of e-mails an hour, whoever asks.
    let mut last = 0;
    for _ in 0..6 {
        last = asker.send("POST", "/api/orders/find", json!({"email": "flood@example.com", "order_number": number})).await.0;
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn a_revoked_or_expired_link_opens_nothing_and_staff_can_revoke() {
    let app = spawn_app().await;
    let (buyer, number) = guest_order(&app, "ada@example.com", "key-revoke-01").await;
    let (_, _, text) = last_email(&app, "ada@example.com").await;
    let link = link_in(&app, &text, &format!("/orders/{number}?token="));
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 200);

    // Expired: 404, like any wrong token.
    sqlx::query("UPDATE links SET expires_at = '2000-01-01T00:00:00Z'").execute(&app.db).await.unwrap();
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 404);
    sqlx::query("UPDATE links SET expires_at = '2999-01-01T00:00:00Z'").execute(&app.db).await.unwrap();
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 200);

    // Staff revoke: the e-mail's link and the buying browser's token both stop.
    let (_, placed) = buyer.get(&format!("/api/orders/{number}")).await;
    let browser_token = placed["access_token"].as_str().map(str::to_string);
    let shopper = app.shopper().await;
    assert_eq!(shopper.send("DELETE", &format!("/api/staff/orders/{number}/links"), json!({})).await.0, 401);
    let staff = app.staff().await;
    assert_eq!(staff.send("DELETE", &format!("/api/staff/orders/{number}/links"), json!({})).await.0, 204);
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 404);
    if let Some(t) = browser_token {
        assert_eq!(app.get_json(&format!("/api/orders/{number}?token={t}")).await.0, 404);
    }
    assert_eq!(staff.send("DELETE", "/api/staff/orders/A999999/links", json!({})).await.0, 404);
}

#[tokio::test]
async fn erasing_an_account_ends_the_links_to_its_orders() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 50 WHERE id = 3").execute(&app.db).await.unwrap();
    let mut s = app.shopper().await;
    s.sign_up("erase@example.com").await;
    s.add_to_cart(3, 1).await;
    let (_, order) = s.checkout("key-erase-0001", "erase@example.com").await;
    let number = order["number"].as_str().unwrap();
    let (_, _, text) = last_email(&app, "erase@example.com").await;
    let link = link_in(&app, &text, &format!("/orders/{number}?token="));
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 200);
    let (status, _) = s.send("DELETE", "/api/account", json!({"password": "a long password"})).await;
    assert_eq!(status, 204);
    assert_eq!(app.get_json(&format!("/api{link}")).await.0, 404);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM links").fetch_one(&app.db).await.unwrap();
    assert_eq!(left, 0);
}
