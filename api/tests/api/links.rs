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

#[tokio::test]
async fn back_in_stock_is_emailed_once_and_one_link_stops_the_other_alerts() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 0 WHERE id IN (5, 6)").execute(&app.db).await.unwrap();
    sqlx::query("UPDATE products SET stock = 9 WHERE id = 7").execute(&app.db).await.unwrap();
    let guest = app.shopper().await;
    let mut customer = app.shopper().await;
    customer.sign_up("cust@example.com").await;

    assert_eq!(guest.send("POST", "/api/products/7/alerts", json!({"email": "g@example.com"})).await.0, 409, "in stock now");
    assert_eq!(guest.send("POST", "/api/products/999999/alerts", json!({"email": "g@example.com"})).await.0, 404);
    let (status, err) = guest.send("POST", "/api/products/5/alerts", json!({})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("email")), "a guest gives an address");
    let (status, err) = guest.send("POST", "/api/products/5/alerts", json!({"email": "nope"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("email")));
    for _ in 0..2 {
        assert_eq!(guest.send_with("POST", "/api/products/5/alerts", json!({"email": "G@example.com"}), &[("accept-language", "de")]).await.0, 204);
    }
    assert_eq!(guest.send("POST", "/api/products/6/alerts", json!({"email": "g@example.com"})).await.0, 204);
    assert_eq!(customer.send("POST", "/api/products/5/alerts", json!({})).await.0, 204, "one click when signed in");

    // Stock returns: each address gets one e-mail, in its language, with a one-click
    // unsubscribe header; a second restock sends nothing more.
    let staff = app.staff().await;
    assert_eq!(staff.send("PUT", "/api/staff/products/5/stock", json!({"stock": 3})).await.0, 204);
    assert_eq!(staff.send("PUT", "/api/staff/products/5/stock", json!({"stock": 4})).await.0, 204);
    let sent: Vec<(String, String)> = sqlx::query_as("SELECT to_addr, subject FROM emails WHERE kind = 'back_in_stock' ORDER BY id").fetch_all(&app.db).await.unwrap();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].0 == "g@example.com" && sent[0].1.ends_with("ist wieder da"), "{sent:?}");
    assert_eq!(sent[1].0, "cust@example.com");
    let (_, _, text) = last_email(&app, "g@example.com").await;
    let product_link = link_in(&app, &text, "/p/");
    assert!(product_link.starts_with("/p/"), "{product_link}");
    let unsubscribe = link_in(&app, &text, "/alerts/unsubscribe?token=");
    let header: Option<String> = sqlx::query_scalar("SELECT unsubscribe FROM emails WHERE to_addr = 'g@example.com'").fetch_one(&app.db).await.unwrap();
    assert!(header.unwrap().contains("/api/alerts/unsubscribe?token="));

    // The link works without a session and stops the alert still waiting (product 6).
    let client = reqwest::Client::new();
    let res = client.post(format!("{}/api{unsubscribe}", app.url)).header("content-type", "application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["stopped"], 1);
    assert_eq!(staff.send("PUT", "/api/staff/products/6/stock", json!({"stock": 2})).await.0, 204);
    let to_g: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM emails WHERE to_addr = 'g@example.com'").fetch_one(&app.db).await.unwrap();
    assert_eq!(to_g, 1, "no e-mail for the stopped alert");
    let res = client.post(format!("{}/api/alerts/unsubscribe?token=forged", app.url)).send().await.unwrap();
    assert_eq!(res.status(), 410);
}
