//! Legal pages: samples on a new shop, new versions by staff only, old versions kept;
//! an order keeps the terms version it was placed under, refuses one the shopper did
//! not see, and its confirmation links to it.

use crate::helpers::{last_email, link_in, spawn_app};
use serde_json::json;

#[tokio::test]
async fn a_new_shop_has_every_page_and_staff_publish_new_versions() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    for kind in ["terms", "withdrawal", "privacy", "imprint"] {
        let (status, page) = s.get(&format!("/api/legal/{kind}")).await;
        assert_eq!(status, 200, "{kind}: {page}");
        assert_eq!(page["version"], 1);
        assert!(page.get("body").is_none(), "shoppers get the HTML only");
    }
    let (_, withdrawal) = s.get("/api/legal/withdrawal").await;
    assert!(withdrawal["html"].as_str().unwrap_or_default().contains("Model withdrawal form"), "{withdrawal}");
    let (status, err) = s.get("/api/legal/cookies").await;
    assert_eq!((status, err["error"]["code"].as_str()), (404, Some("not_found")));
    let (status, _) = s.get("/api/legal/terms?version=two").await;
    assert_eq!(status, 400);
    let (status, _) = s.get("/api/legal/terms?version=9").await;
    assert_eq!(status, 404);

    // Shoppers cannot publish.
    let (status, _) = s.send("PUT", "/api/staff/legal/terms", json!({"title": "Mine", "body": "x"})).await;
    assert!(status == 401 || status == 403, "{status}");

    let staff = app.staff().await;
    let (status, err) = staff.send("PUT", "/api/staff/legal/terms", json!({"title": "Terms", "body": "   "})).await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["field"], "body");
    let body = "## 1. Scope\n\nThese terms apply. <script>alert(1)</script>";
    let (status, page) = staff.send("PUT", "/api/staff/legal/terms", json!({"title": "Terms and conditions", "body": body})).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["version"], 2);
    assert!(!page["html"].as_str().unwrap_or_default().contains("<script"), "the same safe rich text as descriptions: {page}");
    // Saving the same again makes no version.
    let (_, again) = staff.send("PUT", "/api/staff/legal/terms", json!({"title": "Terms and conditions", "body": body})).await;
    assert_eq!(again["version"], 2);
    let (_, list) = staff.get("/api/staff/legal").await;
    assert_eq!(list.as_array().map(Vec::len), Some(4));
    assert_eq!(list[0]["body"], body, "staff get what they wrote");
    // The old version stays readable.
    let (_, v1) = s.get("/api/legal/terms?version=1").await;
    assert!(v1["html"].as_str().unwrap_or_default().contains("invitation to order"), "{v1}");
}

#[tokio::test]
async fn an_order_keeps_the_terms_it_was_placed_under() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 20 WHERE id = 7").execute(&app.db).await.expect("stock");
    let staff = app.staff().await;
    let (status, _) = staff.send("PUT", "/api/staff/legal/terms", json!({"title": "Terms", "body": "Version two."})).await;
    assert_eq!(status, 200);
    let s = app.shopper().await;
    let (_, rules) = s.get("/api/checkout/rules").await;
    assert_eq!(rules["terms_version"], 2);

    s.add_to_cart(7, 1).await;
    let (_, cart) = s.get("/api/cart").await;
    let lines: Vec<serde_json::Value> = cart["lines"].as_array().expect("lines").iter()
        .map(|l| json!({"product_id": l["product"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]}))
        .collect();
    let body = |terms: i64| json!({"email": "ada@example.com", "address": crate::helpers::address(), "payment_method": "pay_on_delivery", "expected": lines, "terms_version": terms});
    // The checkout showed version 1 (opened before staff published 2).
    let (status, err) = s.send_with("POST", "/api/orders", body(1), &[("idempotency-key", "key-terms-0001")]).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "cart_changed");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("terms and conditions have changed"), "{err}");
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 1, "nothing was taken");

    let (status, order) = s.send_with("POST", "/api/orders", body(2), &[("idempotency-key", "key-terms-0002")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["terms_version"], 2);
    let (kind, _, text) = last_email(&app, "ada@example.com").await;
    assert_eq!(kind, "order_placed");
    let terms = link_in(&app, &text, "/legal/terms");
    assert_eq!(terms, "/legal/terms?version=2");
    assert!(text.contains("/legal/withdrawal"), "{text}");
}
