//! Delivery and VAT at checkout: the server charges the quote the cart showed, by the
//! same rules, and refuses a total the shopper did not see.

use crate::helpers::spawn_app;
use aisle_domain::{
    delivery::{MethodKind, ShopRules},
    pricing::totals::{Line, TaxClass},
};
use serde_json::json;

/// Product 7 with stock enough for every test here.
async fn stocked(app: &crate::helpers::TestApp) {
    sqlx::query("UPDATE products SET stock = 20 WHERE id = 7").execute(&app.db).await.expect("stock");
}

fn german_address() -> serde_json::Value {
    json!({"name": "Ada Lovelace", "line1": "Hauptstraße 5", "city": "Berlin", "postcode": "10115", "country": "DE"})
}

/// The cart's lines as the checkout sends them.
async fn expected(s: &crate::helpers::Shopper) -> (Vec<serde_json::Value>, i64) {
    let (_, cart) = s.get("/api/cart").await;
    let lines = cart["lines"].as_array().expect("lines");
    let goods = lines.iter().map(|l| l["product"]["price"]["minor"].as_i64().unwrap_or(0) * l["quantity"].as_i64().unwrap_or(0)).sum();
    (lines.iter().map(|l| json!({"product_id": l["product"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]})).collect(), goods)
}

#[tokio::test]
async fn the_rules_are_served_and_an_order_is_charged_the_quote_it_was_shown() {
    let app = spawn_app().await;
    let (status, rules) = app.shopper().await.get("/api/checkout/rules").await;
    assert_eq!(status, 200);
    let rules: ShopRules = serde_json::from_value(rules).expect("the rules read back");
    assert_eq!(rules, ShopRules::default());

    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, goods) = expected(&s).await;
    let quote = rules.quote("DE", Some(MethodKind::Express), &[Line { unit_minor: goods, quantity: 1, tax: TaxClass::Standard }], 0).expect("quoted");
    let body = |total: i64| json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "express", "expected": lines, "expected_total_minor": total});

    // A total other than the one due (say the shop's rules changed since): refused,
    // naming both, and nothing is taken.
    let (status, err) = s.send_with("POST", "/api/orders", body(goods), &[("idempotency-key", "key-total-0001")]).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "cart_changed");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("the total is now"), "{err}");
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 1, "the cart is kept");

    let (status, order) = s.send_with("POST", "/api/orders", body(quote.totals.total_minor), &[("idempotency-key", "key-total-0002")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["total"]["minor"], quote.totals.total_minor);
    let charges = &order["charges"];
    assert_eq!(charges["delivery_method"], "express");
    assert_eq!(charges["delivery"]["minor"], 990);
    assert_eq!(charges["goods"]["minor"], goods);
    assert_eq!(charges["tax"][0]["rate"], 1900);
    assert_eq!(charges["tax"][0]["tax_minor"], quote.totals.tax_minor);
}

#[tokio::test]
async fn a_country_not_delivered_to_and_a_method_not_offered_are_refused_with_reasons() {
    let app = spawn_app().await;
    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let mut address = german_address();
    address["country"] = json!("US");
    address["postcode"] = json!("10001");
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "expected": lines});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0001")]).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["field"], "country");
    assert!(err["error"]["message"].as_str().unwrap_or_default().starts_with("We do not deliver to"), "{err}");

    let mut address = german_address();
    address["country"] = json!("FR");
    address["postcode"] = json!("75001");
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "delivery_method": "collect", "expected": lines});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0002")]).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("Collect in store is not offered"), "{err}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 0, "nothing was placed");

    // An unknown method is a bad request naming the field, not a server error.
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "teleport", "expected": lines});
    let (status, _) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0003")]).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_book_is_taxed_at_the_reduced_rate_and_an_export_carries_no_vat() {
    let app = spawn_app().await;
    stocked(&app).await;
    sqlx::query("UPDATE products SET tax_class = 'reduced' WHERE id = 7").execute(&app.db).await.expect("reduced");
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let (lines, goods) = expected(&s).await;
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-books-0001")]).await;
    assert_eq!(status, 201, "{order}");
    let rates: Vec<i64> = order["charges"]["tax"].as_array().expect("tax").iter().map(|t| t["rate"].as_i64().unwrap_or(0)).collect();
    let delivery = if goods >= 5000 { vec![700] } else { vec![700, 1900] };
    assert_eq!(rates, delivery, "the book at 7 %, any delivery charge at 19 %");

    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let mut address = german_address();
    address["country"] = json!("CH");
    address["postcode"] = json!("8001");
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-swiss-0001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["charges"]["tax"].as_array().map(Vec::len), Some(0), "{order}");
    assert_eq!(order["charges"]["delivery"]["minor"], 1490);
}
