//! Price-drop protection and store credit: a cut credits signed-in buyers within the
//! window, once per difference, with an e-mail; the next checkout spends the credit;
//! a cancelled order gives it back; a balance that changed since the checkout showed it
//! refuses the order.

use crate::helpers::{last_email, link_in, Shopper};
use serde_json::{json, Value};

fn edited(p: &Value, price: &str) -> Value {
    json!({
        "name": p["name"], "slug": p["slug"], "description": p["description"], "brand": p["brand"],
        "sku": p["sku"].as_str().unwrap_or(""), "barcode": p["barcode"].as_str().unwrap_or(""),
        "price": price, "compare_at": "", "stock": p["stock"].to_string(), "stock_was": p["stock"].to_string(),
        "weight_grams": p["weight_grams"].to_string(), "tax_class": p["tax_class"], "category_id": p["category_id"], "status": p["status"],
    })
}

async fn set_price(staff: &Shopper, id: i64, price: &str) {
    let (_, p) = staff.get(&format!("/api/staff/products/{id}")).await;
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, price)).await;
    assert_eq!(status, 200, "{body}");
}

async fn order(s: &Shopper, key: &str, credit: Option<i64>) -> (u16, Value) {
    let mut body = crate::helpers::berlin_order(s, "bank_transfer").await;
    // Signed in: the account's address is the order's.
    if let Some(fields) = body.as_object_mut() {
        fields.remove("email");
    }
    if let Some(c) = credit {
        body["credit_minor"] = json!(c);
    }
    s.send_with("POST", "/api/orders", body, &[("idempotency-key", key)]).await
}

#[tokio::test]
async fn a_price_cut_is_credited_once_and_spent_at_the_next_checkout() {
    let app = crate::helpers::spawn_app_with(crate::checkout_totals::with_bank).await;
    sqlx::query("UPDATE products SET stock = 30, price_minor = 3000 WHERE id = 7").execute(&app.db).await.expect("stock");
    let staff = app.staff().await;
    let mut s = app.shopper().await;
    s.sign_up("ada@example.com").await;

    s.add_to_cart(7, 2).await;
    let (status, first) = order(&s, "key-credit-0001", None).await;
    assert_eq!(status, 201, "{first}");

    set_price(&staff, 7, "25.00").await;
    let (_, credit) = s.get("/api/account/credit").await;
    assert_eq!(credit["balance"]["minor"], 1000, "2 × €5.00: {credit}");
    assert_eq!(credit["entries"][0]["reason"], "price_drop");
    assert_eq!(credit["entries"][0]["order_number"], first["number"]);
    assert_eq!(credit["protection_days"], 92);
    let (kind, subject, text) = last_email(&app, "ada@example.com").await;
    assert_eq!(kind, "price_drop_credit");
    assert!(subject.contains("€10.00"), "{subject}");
    assert!(text.contains("€30.00") && text.contains("€25.00"), "{text}");
    assert_eq!(link_in(&app, &text, "/account"), "/account#credit");

    // Up again, then down to the same price: nothing new. Further down: the difference.
    set_price(&staff, 7, "28.00").await;
    set_price(&staff, 7, "25.00").await;
    set_price(&staff, 7, "24.00").await;
    let (_, credit) = s.get("/api/account/credit").await;
    assert_eq!(credit["balance"]["minor"], 1200, "{credit}");
    assert_eq!(credit["entries"].as_array().map(Vec::len), Some(2));

    // The next checkout spends it; the transfer asks for the rest.
    s.add_to_cart(7, 1).await;
    let (status, err) = order(&s, "key-credit-0002", Some(500)).await;
    assert_eq!(status, 409, "a balance other than the one shown: {err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("store credit covers €12.00"), "{err}");
    let (status, second) = order(&s, "key-credit-0003", Some(1200)).await;
    assert_eq!(status, 201, "{second}");
    let total = second["total"]["minor"].as_i64().expect("total");
    assert_eq!(second["credit"]["minor"], 1200);
    assert_eq!(second["transfer"]["amount"]["minor"].as_i64(), Some(total - 1200));
    let (_, credit) = s.get("/api/account/credit").await;
    assert_eq!(credit["balance"]["minor"], 0);
    assert_eq!(credit["entries"][0]["reason"], "spent");
    assert_eq!(credit["entries"][0]["amount"]["minor"], -1200);
    let (_, _, text) = last_email(&app, "ada@example.com").await;
    assert!(text.contains("Paid with store credit") && text.contains("To pay"), "{text}");

    // Cancelled: the credit comes back, once.
    let number = second["number"].as_str().expect("number");
    let (status, _) = s.send("POST", &format!("/api/orders/{number}/cancel"), json!({})).await;
    assert_eq!(status, 200);
    let (_, credit) = s.get("/api/account/credit").await;
    assert_eq!(credit["balance"]["minor"], 1200, "{credit}");
    assert_eq!(credit["entries"][0]["reason"], "refunded");
}

#[tokio::test]
async fn credit_covering_the_whole_order_pays_it() {
    let app = crate::helpers::spawn_app_with(crate::checkout_totals::with_bank).await;
    sqlx::query("UPDATE products SET stock = 30, price_minor = 1000 WHERE id = 7").execute(&app.db).await.expect("stock");
    let mut s = app.shopper().await;
    s.sign_up("grace@example.com").await;
    let (_, me) = s.get("/api/session").await;
    let id = me["customer"]["id"].as_i64().expect("id");
    sqlx::query("INSERT INTO store_credit (customer_id, amount_minor, currency, reason, at) VALUES ($1, 10000, 'EUR', 'price_drop', '2026-12-01T00:00:00Z')")
        .bind(id)
        .execute(&app.db)
        .await
        .expect("credit");
    s.add_to_cart(7, 1).await;
    let (status, o) = order(&s, "key-credit-1000", None).await;
    assert_eq!(status, 201, "{o}");
    assert_eq!(o["payment_state"], "paid");
    assert!(o.get("transfer").is_none() || o["transfer"].is_null(), "{o}");
    let (_, credit) = s.get("/api/account/credit").await;
    assert_eq!(credit["balance"]["minor"].as_i64(), Some(10000 - o["total"]["minor"].as_i64().expect("total")));
    // Signed out, there is no credit to read.
    let anon = app.shopper().await;
    assert_eq!(anon.get("/api/account/credit").await.0, 401);
}
