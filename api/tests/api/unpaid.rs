//! An order awaiting its bank transfer is reminded once after a week, then cancelled
//! after two, its items back on sale; a paid one is left alone.

use crate::helpers::{last_email, Shopper, TestApp};
use aisle_api::{checkout::unpaid::sweep, platform::clock, AppState};
use serde_json::json;

async fn transfer_order(s: &Shopper, email: &str, key: &str) -> serde_json::Value {
    let mut body = crate::helpers::berlin_order(s, "bank_transfer").await;
    body["email"] = json!(email);
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", key)]).await;
    assert_eq!(status, 201, "{order}");
    order
}

/// Moves an order's placing (and reminder) back by days.
async fn age(app: &TestApp, number: &str, placed_days: i64, reminded_days: Option<i64>) {
    let now = clock::now_unix();
    sqlx::query("UPDATE orders SET placed_at = $1, reminded_at = $2 WHERE number = $3")
        .bind(clock::iso(now - placed_days * 86_400))
        .bind(reminded_days.map(|d| clock::iso(now - d * 86_400)))
        .bind(number)
        .execute(&app.db)
        .await
        .expect("age");
}

async fn state(app: &TestApp) -> AppState {
    AppState::new(app.db.clone()).await.expect("state")
}

#[tokio::test]
async fn an_unpaid_transfer_is_reminded_once_then_cancelled_and_its_stock_released() {
    let app = crate::helpers::spawn_app_with(crate::checkout_totals::with_bank).await;
    sqlx::query("UPDATE products SET stock = 5 WHERE id = 7").execute(&app.db).await.expect("stock");
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let order = transfer_order(&s, "ada@example.com", "key-unpaid-0001").await;
    let number = order["number"].as_str().expect("number");
    let paid = app.shopper().await;
    paid.add_to_cart(7, 1).await;
    let other = transfer_order(&paid, "grace@example.com", "key-unpaid-0002").await;
    let other_number = other["number"].as_str().expect("number");
    let (status, _) = app.staff().await.send("POST", &format!("/api/staff/orders/{other_number}/paid"), json!({})).await;
    assert_eq!(status, 200);
    let state = state(&app).await;

    // Six days: nothing yet.
    age(&app, number, 6, None).await;
    assert_eq!(sweep(&state).await.expect("sweep"), (0, 0));
    // A week: one reminder with where to pay and by when; a second sweep sends no other.
    age(&app, number, 7, None).await;
    age(&app, other_number, 30, None).await;
    assert_eq!(sweep(&state).await.expect("sweep"), (1, 0), "the paid order is left alone");
    let (kind, subject, text) = last_email(&app, "ada@example.com").await;
    assert_eq!(kind, "transfer_reminder");
    assert!(subject.contains(number), "{subject}");
    assert!(text.contains("DE89 3704 0044 0532 0130 00") && text.contains(&format!("/orders/{number}?token=")), "{text}");
    assert_eq!(sweep(&state).await.expect("sweep"), (0, 0));

    // Two weeks, reminded a week ago: cancelled, the two back in stock, the shopper told.
    age(&app, number, 14, Some(7)).await;
    assert_eq!(sweep(&state).await.expect("sweep"), (0, 1));
    let (status, o) = s.get(&format!("/api/orders/{number}?token={}", order["access_token"].as_str().unwrap_or_default())).await;
    assert_eq!(status, 200);
    assert_eq!(o["status"], "cancelled");
    assert!(o["events"].as_array().expect("events").iter().any(|e| e["note"].as_str().unwrap_or_default().contains("did not arrive within 14 days")), "{o}");
    let stock: i64 = sqlx::query_scalar("SELECT stock FROM products WHERE id = 7").fetch_one(&app.db).await.expect("stock");
    assert_eq!(stock, 4, "5 − 1 for the paid order; the cancelled two are back");
    let (kind, _, _) = last_email(&app, "ada@example.com").await;
    assert_eq!(kind, "order_cancelled");
    assert_eq!(sweep(&state).await.expect("sweep"), (0, 0));
}
