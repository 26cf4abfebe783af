//! A forgotten password reset from its e-mail, and a guest who keeps their details.

use crate::helpers::{last_email, link_in, spawn_app, TestApp};
use serde_json::json;

async fn email_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM emails").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_from_its_email_and_other_sessions_end() {
    let app = spawn_app().await;
    let mut owner = app.shopper().await;
    owner.sign_up("forgot@example.com").await;
    let mut elsewhere = app.shopper().await;
    let (status, _) = elsewhere.send("POST", "/api/session", json!({"email": "forgot@example.com", "password": "a long password"})).await;
    assert_eq!(status, 200);
    elsewhere.refresh().await;

    // An unknown address gets the same answer and no e-mail.
    let asker = app.shopper().await;
    let before = email_count(&app).await;
    assert_eq!(asker.send("POST", "/api/password-reset", json!({"email": "nobody@example.com"})).await.0, 204);
    assert_eq!(email_count(&app).await, before);
    let (status, err) = asker.send("POST", "/api/password-reset", json!({"email": "nope"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("email")));

    // A German shopper's e-mail is German.
    let (status, _) = asker.send_with("POST", "/api/password-reset", json!({"email": "Forgot@Example.com"}), &[("accept-language", "de-DE,de;q=0.9")]).await;
    assert_eq!(status, 204);
    let (kind, subject, text) = last_email(&app, "forgot@example.com").await;
    assert_eq!((kind.as_str(), subject.as_str()), ("password_reset", "Passwort zurücksetzen bei Aisle"));
    let link = link_in(&app, &text, "/reset-password?token=");
    let token = link.split("token=").nth(1).unwrap().to_string();

    // A bad password is refused without using up the link.
    let mut fresh = app.shopper().await;
    let (status, err) = fresh.send("POST", "/api/password-reset/confirm", json!({"token": token, "password": "short"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("password")));
    let (status, session) = fresh.send("POST", "/api/password-reset/confirm", json!({"token": token, "password": "a new long password"})).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["customer"]["email"], "forgot@example.com");
    fresh.refresh().await;

    // Used once: a second use is a clear 410 and changes nothing.
    let (status, err) = fresh.send("POST", "/api/password-reset/confirm", json!({"token": token, "password": "yet another password"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (410, Some("link_expired")));
    let (status, _) = fresh.send("POST", "/api/password-reset/confirm", json!({"token": "made-up", "password": "yet another password"})).await;
    assert_eq!(status, 410);

    // Every other session is signed out; the new password works, the old does not.
    assert_eq!(owner.get("/api/orders").await.0, 401);
    assert_eq!(elsewhere.get("/api/orders").await.0, 401);
    let s = app.shopper().await;
    assert_eq!(s.send("POST", "/api/session", json!({"email": "forgot@example.com", "password": "a long password"})).await.0, 409);
    assert_eq!(s.send("POST", "/api/session", json!({"email": "forgot@example.com", "password": "a new long password"})).await.0, 200);

    // An hour later a link no longer works.
    assert_eq!(asker.send("POST", "/api/password-reset", json!({"email": "forgot@example.com"})).await.0, 204);
    let (_, _, text) = last_email(&app, "forgot@example.com").await;
    let token = link_in(&app, &text, "/reset-password?token=").split("token=").nth(1).unwrap().to_string();
    sqlx::query("UPDATE links SET expires_at = '2000-01-01T00:00:00Z' WHERE kind = 'password_reset'").execute(&app.db).await.unwrap();
    assert_eq!(fresh.send("POST", "/api/password-reset/confirm", json!({"token": token, "password": "a third long password"})).await.0, 410);
}

#[tokio::test]
async fn a_guest_keeps_their_details_with_one_password() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 50 WHERE id IN (3, 4)").execute(&app.db).await.unwrap();
    let guest = app.shopper().await;
    // Support history from this browser, before the order.
    let support_token = "5a".repeat(32);
    let (status, _) = guest.send("POST", "/api/support/tickets", json!({"name": "Ada", "email": "keep@example.com", "subject": "Sizes", "body": "Which size?", "support_token": &support_token})).await;
    assert_eq!(status, 201);
    guest.add_to_cart(3, 1).await;
    let (_, order) = guest.checkout("key-keep-00001", "keep@example.com").await;
    let number = order["number"].as_str().unwrap().to_string();
    let token = order["access_token"].as_str().unwrap().to_string();
    // A second guest order with the same address, from elsewhere: it stays a guest order.
    let other = app.shopper().await;
    other.add_to_cart(4, 1).await;
    let (_, second) = other.checkout("key-keep-00002", "keep@example.com").await;

    let (status, _) = guest.send("POST", "/api/account/from-order", json!({"order_number": number, "token": "wrong", "password": "a long password"})).await;
    assert_eq!(status, 404, "the order's token is needed");
    let (status, err) = guest.send("POST", "/api/account/from-order", json!({"order_number": number, "token": token, "password": "short"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("password")));

    let (status, session) = guest
        .send("POST", "/api/account/from-order", json!({"order_number": number, "token": token, "password": "a long password", "support_token": &support_token}))
        .await;
    assert_eq!(status, 201, "{session}");
    assert_eq!(session["customer"]["email"], "keep@example.com");
    assert_eq!(session["customer"]["name"], "Ada Lovelace");
    let mut guest = guest;
    guest.refresh().await;
    let (_, orders) = guest.get("/api/orders").await;
    let numbers: Vec<&str> = orders.as_array().unwrap().iter().map(|o| o["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [number.as_str()], "only the order whose token was shown");
    assert_ne!(second["number"].as_str(), Some(number.as_str()));
    let (_, addresses) = guest.get("/api/account/addresses").await;
    assert_eq!(addresses[0]["line1"], "12 St James's Square");
    let (_, mine) = guest.get("/api/support/mine").await;
    assert_eq!(mine["tickets"][0]["subject"], "Sizes", "{mine}");

    // Twice: the order already has an account; the address too.
    let again = app.shopper().await;
    let (status, err) = again.send("POST", "/api/account/from-order", json!({"order_number": number, "token": token, "password": "a long password"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")));
    let (status, err) = again
        .send("POST", "/api/account/from-order", json!({"order_number": second["number"], "token": second["access_token"], "password": "a long password"}))
        .await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("email_taken")));
    // A customer's own order e-mails no longer offer an account.
    let (_, _, text) = last_email(&app, "keep@example.com").await;
    assert!(text.contains("#save-details"), "the second order was placed before the account existed");
}
