//! Invoices and credit notes: issued when the order is sent and when it comes back,
//! numbered without gaps, printable by whoever may see the order, and in line with
//! what the order charged. Also: a change of quantities prices the order again.

use crate::helpers::{spawn_app, Shopper, TestApp};
use serde_json::json;

async fn stocked(app: &TestApp) {
    sqlx::query("UPDATE products SET stock = 50 WHERE id IN (7, 8)").execute(&app.db).await.expect("stock");
}

/// Places an order of the cart to Berlin (19 % VAT), paid on delivery.
async fn order_to_berlin(s: &Shopper, key: &str) -> serde_json::Value {
    let (status, order) = crate::helpers::order_to_berlin(s, key, "pay_on_delivery").await;
    assert_eq!(status, 201, "{order}");
    order
}

async fn page(s: &Shopper, path: &str) -> (u16, String, String) {
    let res = s.http.get(format!("{}{path}", s.url)).send().await.expect("request");
    let status = res.status().as_u16();
    let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, csp, res.text().await.unwrap_or_default())
}

async fn step(staff: &Shopper, number: &str, step: &str) -> serde_json::Value {
    let body = if step == "ship" { json!({"carrier": "dhl", "tracking_number": "JD0001"}) } else { json!({}) };
    let (status, o) = staff.send("POST", &format!("/api/staff/orders/{number}/{step}"), body).await;
    assert_eq!(status, 200, "{step}: {o}");
    o
}

#[tokio::test]
async fn sending_an_order_issues_its_invoice_and_taking_it_back_a_credit_note() {
    let app = spawn_app().await;
    stocked(&app).await;
    let staff = app.staff().await;
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let order = order_to_berlin(&s, "key-invoice-0001").await;
    let number = order["number"].as_str().expect("number").to_string();
    assert!(order["documents"].as_array().is_none_or(|d| d.is_empty()), "no invoice before the goods leave: {order}");

    step(&staff, &number, "pack").await;
    let shipped = step(&staff, &number, "ship").await;
    assert_eq!(shipped["documents"][0]["kind"], "invoice");
    assert_eq!(shipped["documents"][0]["number"], "INV-000001");

    // The shopper's browser (session and token) prints it.
    let token = order["access_token"].as_str().expect("token");
    let (status, csp, html) = page(&s, &format!("/api/orders/{number}/documents/INV-000001?token={token}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(csp.contains("style-src 'unsafe-inline'") && csp.contains("default-src 'none'"), "{csp}");
    assert!(html.contains("Invoice INV-000001"), "{html}");
    assert!(html.contains(&number));
    assert!(html.contains("Hauptstraße 5") && html.contains("10115 Berlin"));
    assert!(html.contains("19\u{a0}%"), "a tax line by rate: {html}");
    let total = shipped["total"]["minor"].as_i64().expect("total");
    let tax: i64 = shipped["charges"]["tax"].as_array().expect("tax").iter().map(|t| t["tax_minor"].as_i64().unwrap_or(0)).sum();
    let euros = |minor: i64| format!("€{}.{:02}", minor / 100, minor % 100);
    assert!(html.contains(&euros(total)), "the order's total {}: {html}", euros(total));
    assert!(html.contains(&euros(tax)), "the order's VAT {}: {html}", euros(tax));

    // Someone else: as if there were none.
    let (status, _, _) = page(&app.shopper().await, &format!("/api/orders/{number}/documents/INV-000001")).await;
    assert_eq!(status, 404);
    let (status, _, _) = page(&s, &format!("/api/orders/{number}/documents/INV-000099?token={token}")).await;
    assert_eq!(status, 404);

    step(&staff, &number, "mark_delivered").await;
    let (status, o) = s.send("POST", &format!("/api/orders/{number}/return?token={token}"), json!({"reason": "Too small"})).await;
    assert_eq!(status, 200, "{o}");
    let back = step(&staff, &number, "complete_return").await;
    assert_eq!(back["documents"][1]["kind"], "credit_note");
    assert_eq!(back["documents"][1]["number"], "CN-000001");
    let (status, _, html) = page(&staff, &format!("/api/orders/{number}/documents/CN-000001")).await;
    assert_eq!(status, 200, "staff print it too");
    assert!(html.contains("Credit note CN-000001") && html.contains("INV-000001"), "{html}");
    assert!(html.contains(&format!("-{}", euros(total))) || html.contains(&format!("−{}", euros(total))), "{html}");
}

#[tokio::test]
async fn invoice_numbers_have_no_gaps_and_follow_the_order_language() {
    let app = spawn_app().await;
    stocked(&app).await;
    let staff = app.staff().await;
    let mut numbers = Vec::new();
    for i in 0..3 {
        let s = app.shopper().await;
        s.add_to_cart(7, 1).await;
        let order = order_to_berlin(&s, &format!("key-invoice-1{i:03}")).await;
        numbers.push(order["number"].as_str().expect("number").to_string());
    }
    // The second is cancelled before it leaves: no invoice, and no number taken.
    let (status, _) = staff.send("POST", &format!("/api/staff/orders/{}/cancel", numbers[1]), json!({})).await;
    assert_eq!(status, 200);
    // Sent in reverse order of placing: the numbers follow the sending.
    for n in [&numbers[2], &numbers[0]] {
        step(&staff, n, "pack").await;
        step(&staff, n, "ship").await;
    }
    let docs: Vec<(String, String)> = sqlx::query_as("SELECT i.number, o.number FROM invoices i JOIN orders o ON o.id = i.order_id ORDER BY i.number").fetch_all(&app.db).await.expect("invoices");
    assert_eq!(docs, vec![("INV-000001".into(), numbers[2].clone()), ("INV-000002".into(), numbers[0].clone())]);

    // A German shopper's invoice is in German.
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let order = order_to_berlin(&s, "key-invoice-2000").await;
    let n = order["number"].as_str().expect("number");
    sqlx::query("UPDATE orders SET lang = 'de' WHERE number = $1").bind(n).execute(&app.db).await.expect("lang");
    step(&staff, n, "pack").await;
    step(&staff, n, "ship").await;
    let (_, _, html) = page(&staff, &format!("/api/orders/{n}/documents/INV-000003")).await;
    assert!(html.contains("Rechnung INV-000003"), "{html}");
    assert!(html.contains("Gesamtbetrag"), "{html}");
}

#[tokio::test]
async fn changing_quantities_prices_the_order_again_with_delivery_and_vat() {
    let app = spawn_app().await;
    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let order = order_to_berlin(&s, "key-invoice-3000").await;
    let number = order["number"].as_str().expect("number");
    let token = order["access_token"].as_str().expect("token");
    let unit = order["items"][0]["unit_price"]["minor"].as_i64().expect("unit");
    let delivery = order["charges"]["delivery"]["minor"].as_i64().expect("delivery");
    assert_eq!(order["total"]["minor"].as_i64(), Some(unit + delivery));

    let (status, changed) = s.send("PUT", &format!("/api/orders/{number}/items?token={token}"), json!({"items": [{"product_id": 7, "quantity": 3}]})).await;
    assert_eq!(status, 200, "{changed}");
    let goods = unit * 3;
    let delivery = if goods >= 5000 { 0 } else { 490 };
    assert_eq!(changed["charges"]["goods"]["minor"].as_i64(), Some(goods));
    assert_eq!(changed["charges"]["delivery"]["minor"].as_i64(), Some(delivery), "delivery is priced again: {changed}");
    assert_eq!(changed["total"]["minor"].as_i64(), Some(goods + delivery), "{changed}");
    let tax = changed["charges"]["tax"][0]["tax_minor"].as_i64().expect("tax");
    // 19 % in the gross total, half up.
    assert_eq!(tax, ((goods + delivery) * 1900 * 2 + 11_900) / (11_900 * 2));
}

#[tokio::test]
async fn a_business_customer_pays_by_invoice_which_names_its_vat_id_and_due_day() {
    let app = crate::helpers::spawn_app_with(crate::checkout_totals::with_bank).await;
    stocked(&app).await;
    let (_, rules) = app.shopper().await.get("/api/checkout/rules").await;
    assert_eq!(rules["payments"], json!(["pay_on_delivery", "bank_transfer", "invoice"]));
    assert_eq!(rules["invoice_due_days"], 14);

    // A guest, and a customer without a VAT ID, cannot choose it.
    let guest = app.shopper().await;
    guest.add_to_cart(7, 1).await;
    let (status, err) = crate::helpers::order_to_berlin(&guest, "key-business-01", "invoice").await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("VAT ID"), "{err}");

    let mut s = app.shopper().await;
    s.sign_up("buyer@example.com").await;
    let profile = |company: &str, vat_id: &str| json!({"name": "Ada Lovelace", "email": "buyer@example.com", "phone": "", "company": company, "vat_id": vat_id});
    let (status, err) = s.send("PUT", "/api/account", profile("", "DE123456789")).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("company")), "{err}");
    let (status, err) = s.send("PUT", "/api/account", profile("Analytical Engines GmbH", "DE 1234")).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("vat_id")), "{err}");
    let (status, me) = s.send("PUT", "/api/account", profile("Analytical Engines GmbH", "de 123 456 789")).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["vat_id"], "DE123456789");
    s.refresh().await;
    let (_, export) = s.get("/api/account/export").await;
    assert_eq!((export["profile"]["company"].as_str(), export["profile"]["vat_id"].as_str()), (Some("Analytical Engines GmbH"), Some("DE123456789")), "the export holds them: {export}");

    s.add_to_cart(7, 2).await;
    let (status, order) = crate::helpers::order_to_berlin(&s, "key-business-02", "invoice").await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["payment_state"], "on_invoice");
    assert!(order["transfer"].is_null(), "nothing to transfer before the invoice");
    let number = order["number"].as_str().expect("number").to_string();
    let (_, _, placed) = crate::helpers::last_email(&app, "buyer@example.com").await;
    assert!(placed.contains("You pay by invoice"), "{placed}");

    // The goods go first: staff pack and ship it unpaid; the invoice asks for the money.
    let staff = app.staff().await;
    step(&staff, &number, "pack").await;
    let shipped = step(&staff, &number, "ship").await;
    let invoice = shipped["documents"][0]["number"].as_str().expect("an invoice").to_string();
    let (kind, _, text) = crate::helpers::last_email(&app, "buyer@example.com").await;
    assert_eq!(kind, "order_shipped");
    let link = crate::helpers::link_in(&app, &text, &format!("/api/orders/{number}/documents/{invoice}"));
    // Opened from the e-mail in a browser with no session.
    let (status, _, html) = page(&app.shopper().await, &link).await;
    assert_eq!(status, 200, "{link}");
    assert!(html.contains("Analytical Engines GmbH") && html.contains("DE123456789"), "the buyer's company and VAT ID: {html}");
    let due = {
        let issued = aisle_domain::delivery::promise::Day::parse(shipped["documents"][0]["issued_on"].as_str().expect("day")).expect("a day");
        aisle_domain::Lang::En.day(&aisle_domain::delivery::promise::Day(issued.0 + 14).iso())
    };
    assert!(html.contains(&format!("by {due}")), "due in 14 days ({due}): {html}");
    assert!(html.contains("DE89 3704 0044 0532 0130 00") && html.contains("Reference"), "{html}");

    let (status, paid) = staff.send("POST", &format!("/api/staff/orders/{number}/paid"), json!({})).await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["payment_state"], "paid");
}
