//! What the back office reads: the packer's order list (lines, address, search) and
//! the shop's own facts (name, time zone).

use crate::helpers::{spawn_app, Shopper, TestApp};
use serde_json::json;

async fn order(app: &TestApp, email: &str, name: &str, key: &str) -> String {
    sqlx::query("UPDATE products SET stock = 50 WHERE id IN (3, 4)").execute(&app.db).await.unwrap();
    let s: Shopper = app.shopper().await;
    s.add_to_cart(3, 2).await;
    s.add_to_cart(4, 1).await;
    let (_, cart) = s.get("/api/cart").await;
    let expected: Vec<serde_json::Value> = cart["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!({"product_id": l["product"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]}))
        .collect();
    let body = json!({"email": email, "address": {"name": name, "line1": "1 High Street", "city": "Berlin", "postcode": "10115", "country": "DE"},
        "payment_method": "pay_on_delivery", "expected": expected});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", key)]).await;
    assert_eq!(status, 201, "{order}");
    order["number"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_packing_list_has_lines_and_address_and_finds_by_number_email_or_name() {
    let app = spawn_app().await;
    let a = order(&app, "ada@example.com", "Ada Lovelace", "key-pack-0001").await;
    let b = order(&app, "grace_100%@example.com", "Grace Hopper", "key-pack-0002").await;
    let staff = app.staff().await;

    let (status, all) = staff.get("/api/staff/orders").await;
    assert_eq!(status, 200, "{all}");
    let first = all.as_array().unwrap().iter().find(|o| o["number"] == a.as_str()).expect("order a listed");
    assert_eq!(first["address"]["name"], "Ada Lovelace");
    assert_eq!(first["address"]["postcode"], "10115");
    let lines = first["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{first}");
    assert_eq!(lines.iter().map(|l| l["quantity"].as_u64().unwrap()).sum::<u64>(), 3);

    let numbers = |v: &serde_json::Value| v.as_array().unwrap().iter().map(|o| o["number"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    // The number however it is typed, part of an e-mail address, part of a name.
    let loose = format!("#{}-{}", &a[..1].to_lowercase(), &a[1..]);
    for (q, want) in [(loose.as_str(), &a), ("ADA@EXAMPLE", &a), ("hopper", &b), ("100%", &b)] {
        let (status, found) = staff.get(&format!("/api/staff/orders?q={}", urlencode(q))).await;
        assert_eq!(status, 200, "{q}: {found}");
        assert_eq!(numbers(&found), vec![want.clone()], "{q}");
    }
    // `%` and `_` are letters to look for, not wildcards.
    let (_, none) = staff.get("/api/staff/orders?q=%25%25").await;
    assert_eq!(numbers(&none), Vec::<String>::new());
    let (_, none) = staff.get("/api/staff/orders?q=nobody").await;
    assert!(none.as_array().unwrap().is_empty());

    // Status and search together; a wrong status or an overlong search is a 400.
    let (_, placed) = staff.get("/api/staff/orders?status=packed&q=ada").await;
    assert!(placed.as_array().unwrap().is_empty());
    let (status, err) = staff.get("/api/staff/orders?status=lost").await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")));
    let (status, _) = staff.get(&format!("/api/staff/orders?q={}", "x".repeat(201))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_back_office_learns_the_shops_name_and_time_zone_and_only_staff_do() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (status, shop) = staff.get("/api/staff/shop").await;
    assert_eq!(status, 200, "{shop}");
    assert_eq!(shop["time_zone"], "Europe/Berlin");
    assert!(shop["name"].as_str().is_some_and(|n| !n.is_empty()));
    let guest = app.shopper().await;
    assert_eq!(guest.get("/api/staff/shop").await.0, 401);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
