//! Reviews: written by the buyer of a delivered product, shown on the product page and
//! in its stars once published, held for staff when they carry a link or strong
//! language, moderated, voted helpful, edited and deleted by their writer.

use crate::helpers::{deliver, last_email, link_in, spawn_app, Shopper, TestApp};
use serde_json::{json, Value};

async fn signed_up(app: &TestApp, email: &str) -> Shopper {
    let mut s = app.shopper().await;
    s.sign_up(email).await;
    s
}

/// `s` buys product `id` and it is delivered; the order's number.
async fn bought(app: &TestApp, s: &Shopper, staff: &Shopper, key: &str, email: &str, id: i64) -> String {
    sqlx::query("UPDATE products SET stock = 50 WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
    s.add_to_cart(id, 1).await;
    let (status, order) = s.checkout(key, email).await;
    assert_eq!(status, 201, "{order}");
    let number = order["number"].as_str().unwrap().to_string();
    deliver(staff, &number).await;
    number
}

async fn product(s: &Shopper, id: i64) -> Value {
    let (status, p) = s.get(&format!("/api/products/{id}")).await;
    assert_eq!(status, 200, "{p}");
    p
}

#[tokio::test]
async fn a_buyers_review_shows_on_the_product_page_with_its_stars_and_spread() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (ada, bob) = (signed_up(&app, "ada@example.com").await, signed_up(&app, "bob@example.com").await);
    let visitor = app.shopper().await;
    let first = bought(&app, &ada, &staff, "review-key-1", "ada@example.com", 3).await;
    let second = bought(&app, &bob, &staff, "review-key-2", "bob@example.com", 3).await;
    // Warm every cache the stars go through: a later review must show at once anyway.
    assert!(product(&visitor, 3).await.get("rating").is_none());
    let slug = product(&visitor, 3).await["category_slug"].as_str().unwrap().to_string();
    visitor.get(&format!("/api/categories/{slug}/products?per_page=100")).await;

    let (status, r) = ada.send("PUT", &format!("/api/orders/{first}/ratings/3"), json!({"rating": 5, "title": "Lovely", "comment": "Boils fast.\n\nQuiet too."})).await;
    assert_eq!((status, r["status"].as_str(), r["title"].as_str()), (200, Some("published"), Some("Lovely")), "{r}");
    let (_, r) = bob.send("PUT", &format!("/api/orders/{second}/ratings/3"), json!({"rating": 4})).await;
    assert_eq!(r["status"], "published", "stars alone go on the page at once");

    let p = product(&visitor, 3).await;
    assert_eq!(p["rating"], json!({"average": 450, "count": 2}));
    let (_, page) = visitor.get(&format!("/api/categories/{slug}/products?per_page=100")).await;
    let card = page["items"].as_array().unwrap().iter().find(|i| i["id"] == 3).unwrap().clone();
    assert_eq!(card["rating"], json!({"average": 450, "count": 2}), "the card's stars follow at once");
    let (_, page) = visitor.get(&format!("/api/categories/{slug}/products?stars=5")).await;
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["id"] != 3), "4.5 stars is not 5");

    let (status, reviews) = visitor.get("/api/products/3/reviews").await;
    assert_eq!(status, 200, "{reviews}");
    assert_eq!(reviews["by_stars"], json!([0, 0, 0, 1, 1]));
    assert_eq!(reviews["stars"], json!({"average": 450, "count": 2}));
    assert_eq!(reviews["total"], 1, "stars alone count in the stars but are not listed");
    let review = &reviews["reviews"][0];
    assert_eq!((review["author"].as_str(), review["verified"].as_bool(), review["text"].as_str()), (Some("Ada L."), Some(true), Some("Boils fast.\n\nQuiet too.")));

    // Was it helpful? Once per visitor.
    let id = review["id"].as_i64().unwrap();
    assert_eq!(visitor.send("POST", &format!("/api/reviews/{id}/helpful"), json!({})).await.1["helpful"], 1);
    assert_eq!(visitor.send("POST", &format!("/api/reviews/{id}/helpful"), json!({})).await.1["helpful"], 1, "a second yes from the same visitor counts once");
    assert_eq!(bob.send("POST", &format!("/api/reviews/{id}/helpful"), json!({})).await.1["helpful"], 2);
    assert_eq!(visitor.send("POST", "/api/reviews/999999/helpful", json!({})).await.0, 404);

    // The search engines' stars.
    let html = app.get(&format!("/p/{}", p["slug"].as_str().unwrap())).await.text().await.unwrap();
    assert!(html.contains(r#""aggregateRating":{"@type":"AggregateRating","bestRating":"5","ratingValue":"4.5","reviewCount":2,"worstRating":"1"}"#), "{html}");

    // The writer edits it, then takes it back: the stars follow.
    let (_, r) = ada.send("PUT", &format!("/api/orders/{first}/ratings/3"), json!({"rating": 3, "title": "Fine", "comment": "Louder than I thought."})).await;
    assert_eq!(r["status"], "published");
    let (_, reviews) = visitor.get("/api/products/3/reviews").await;
    assert_eq!((reviews["reviews"][0]["edited"].as_bool(), reviews["stars"]["average"].as_i64()), (Some(true), Some(350)));
    assert_eq!(ada.send("DELETE", &format!("/api/orders/{first}/ratings/3"), json!({})).await.0, 204);
    assert_eq!(product(&visitor, 3).await["rating"], json!({"average": 400, "count": 1}));
    assert_eq!(ada.send("DELETE", &format!("/api/orders/{first}/ratings/3"), json!({})).await.0, 404);
    assert_eq!(bob.send("DELETE", &format!("/api/orders/{first}/ratings/3"), json!({})).await.0, 404, "not bob's order");
}

#[tokio::test]
async fn links_and_strong_language_wait_for_staff_who_publish_hide_and_reply() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let ada = signed_up(&app, "ada@example.com").await;
    let visitor = app.shopper().await;
    let number = bought(&app, &ada, &staff, "held-key-1", "ada@example.com", 4).await;
    let path = format!("/api/orders/{number}/ratings/4");

    let (_, r) = ada.send("PUT", &path, json!({"rating": 5, "title": "Great", "comment": "Cheaper at https://example.com"})).await;
    assert_eq!(r["status"], "held", "{r}");
    assert!(product(&visitor, 4).await.get("rating").is_none(), "held stars do not count");
    assert_eq!(visitor.get("/api/products/4/reviews").await.1["total"], 0);

    assert_eq!(ada.get("/api/staff/reviews").await.0, 403, "shoppers do not moderate");
    let (status, held) = staff.get("/api/staff/reviews").await;
    assert_eq!(status, 200);
    let held = held.as_array().unwrap();
    assert_eq!((held.len(), held[0]["hold_reason"].as_str(), held[0]["order_number"].as_str()), (1, Some("link"), Some(number.as_str())));
    let id = held[0]["id"].as_i64().unwrap();

    let (status, e) = staff.send("POST", &format!("/api/staff/reviews/{id}"), json!({"action": "hide", "reason": "  "})).await;
    assert_eq!((status, e["error"]["field"].as_str()), (400, Some("reason")), "{e}");
    let (status, r) = staff.send("POST", &format!("/api/staff/reviews/{id}"), json!({"action": "publish"})).await;
    assert_eq!((status, r["status"].as_str()), (200, Some("published")), "{r}");
    assert_eq!(product(&visitor, 4).await["rating"]["count"], 1);
    let (_, r) = staff.send("POST", &format!("/api/staff/reviews/{id}"), json!({"action": "reply", "text": "Thank you, Ada!"})).await;
    assert_eq!(r["reply"]["text"], "Thank you, Ada!");
    assert_eq!(visitor.get("/api/products/4/reviews").await.1["reviews"][0]["reply"]["text"], "Thank you, Ada!");

    let (_, r) = staff.send("POST", &format!("/api/staff/reviews/{id}"), json!({"action": "hide", "reason": "Links to another shop."})).await;
    assert_eq!((r["status"].as_str(), r["hidden_reason"].as_str()), (Some("hidden"), Some("Links to another shop.")));
    assert!(product(&visitor, 4).await.get("rating").is_none());
    let (_, mine) = ada.get(&format!("/api/orders/{number}/ratings")).await;
    assert_eq!((mine[0]["status"].as_str(), mine[0]["hidden_reason"].as_str()), (Some("hidden"), Some("Links to another shop.")), "the writer is told why");
    // Edited after it was hidden: back to staff.
    let (_, r) = ada.send("PUT", &path, json!({"rating": 5, "title": "Great", "comment": "Really good."})).await;
    assert_eq!(r["status"], "held");
    assert_eq!(staff.get("/api/staff/reviews").await.1[0]["hold_reason"], "edited");

    let (_, r) = ada.send("PUT", &path, json!({"rating": 2, "title": "Shit", "comment": ""})).await;
    assert_eq!(r["status"], "held");
    assert_eq!(staff.send("POST", "/api/staff/reviews/999999", json!({"action": "publish"})).await.0, 404);
    assert_eq!(staff.send("POST", &format!("/api/staff/reviews/{id}"), json!({"action": "delete"})).await.0, 400);
    assert_eq!(staff.get("/api/staff/reviews?status=gone").await.0, 400);
}

#[tokio::test]
async fn a_review_too_long_or_with_html_is_answered_clearly_and_stored_as_text() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let ada = signed_up(&app, "ada@example.com").await;
    let visitor = app.shopper().await;
    let number = bought(&app, &ada, &staff, "bad-key-1", "ada@example.com", 5).await;
    let path = format!("/api/orders/{number}/ratings/5");

    let (status, e) = ada.send("PUT", &path, json!({"rating": 5, "comment": "a".repeat(20_000)})).await;
    assert_eq!((status, e["error"]["field"].as_str()), (400, Some("comment")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("at most 5000"), "{e}");
    let (status, e) = ada.send("PUT", &path, json!({"rating": 5, "title": "t".repeat(121)})).await;
    assert_eq!((status, e["error"]["field"].as_str()), (400, Some("title")));
    assert_eq!(ada.get(&format!("/api/orders/{number}/ratings")).await.1.as_array().unwrap().len(), 0, "nothing stored");

    let script = "<script>alert('x')</script> <b>bold</b>";
    let (_, r) = ada.send("PUT", &path, json!({"rating": 4, "title": "<img src=x onerror=alert(1)>", "comment": script})).await;
    assert_eq!(r["status"], "published");
    let (_, reviews) = visitor.get("/api/products/5/reviews").await;
    assert_eq!(reviews["reviews"][0]["text"], script, "kept as typed: the page shows it as text");
    assert_eq!(visitor.get("/api/products/5/reviews?sort=best").await.0, 400);
    assert_eq!(visitor.get("/api/products/5/reviews?page=0").await.0, 400);
    assert_eq!(visitor.get("/api/products/abc/reviews").await.0, 404);
    let (status, page) = visitor.get("/api/products/5/reviews?page=9&sort=helpful").await;
    assert_eq!((status, page["page"].as_i64()), (200, Some(1)), "a page past the end is the last");
}

#[tokio::test]
async fn the_delivery_emails_link_opens_the_review_form_in_any_browser() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let guest = app.shopper().await;
    let number = bought(&app, &guest, &staff, "link-key-1", "guest@example.com", 6).await;
    let (kind, _, text) = last_email(&app, "guest@example.com").await;
    assert_eq!(kind, "order_delivered");
    let link = link_in(&app, &text, &format!("/orders/{number}?token="));
    assert!(link.ends_with("#rate"), "{link}");
    let token = link.trim_end_matches("#rate").split("token=").nth(1).unwrap().to_string();

    // Another browser, no session of the buyer's: the link's token is enough.
    let elsewhere = app.shopper().await;
    let path = format!("/api/orders/{number}/ratings/6");
    assert_eq!(elsewhere.send("PUT", &path, json!({"rating": 4})).await.0, 404);
    let (status, r) = elsewhere.send("PUT", &format!("{path}?token={token}"), json!({"rating": 4, "title": "Good"})).await;
    assert_eq!((status, r["status"].as_str()), (200, Some("published")), "{r}");
    // One character changed: to "1" when the token happens to start with "0".
    let wrong = format!("{}{}", if token.starts_with('0') { '1' } else { '0' }, &token[1..]);
    assert_eq!(elsewhere.send("PUT", &format!("{path}?token={wrong}"), json!({"rating": 1})).await.0, 404, "a wrong token opens nothing");
    assert_eq!(elsewhere.send("DELETE", &format!("{path}?token={token}"), json!({})).await.0, 204);
}

#[tokio::test]
async fn the_demo_history_gives_products_stars_once() {
    let app = spawn_app().await;
    let placed = aisle_api::demo::seed_history(&app.db).await.unwrap();
    assert_eq!(placed, aisle_api::demo::DEMO_ORDERS);
    assert_eq!(aisle_api::demo::seed_history(&app.db).await.unwrap(), 0, "once: the shop has orders now");
    let visitor = app.shopper().await;
    let (_, page) = visitor.get("/api/categories/kitchen/products?sort=best-rated&per_page=100").await;
    let rated: Vec<&Value> = page["items"].as_array().unwrap().iter().filter(|p| p.get("rating").is_some()).collect();
    assert!(rated.len() >= 3, "kitchen has rated products: {page}");
    let best = rated[0];
    let (_, reviews) = visitor.get(&format!("/api/products/{}/reviews", best["id"])).await;
    assert_eq!(reviews["stars"], best["rating"], "the card's stars are the reviews'");
    let listed: u32 = reviews["by_stars"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as u32).sum();
    assert_eq!(listed as u64, best["rating"]["count"].as_u64().unwrap());
    let newest: String = sqlx::query_scalar("SELECT MAX(at) FROM reviews").fetch_one(&app.db).await.unwrap();
    assert!(newest < aisle_api::platform::clock::now(), "every review is in the past: {newest}");
    let staff = app.staff().await;
    let (_, orders) = staff.get("/api/staff/orders?status=delivered").await;
    assert_eq!(orders.as_array().unwrap().len(), aisle_api::demo::DEMO_ORDERS);
    assert!(orders[0]["number"].as_str().unwrap().starts_with('A'));
}

#[tokio::test]
async fn a_review_on_one_instance_shows_its_stars_on_the_other_at_once() {
    if !crate::helpers::on_postgres() {
        // One SQLite file serves one instance; `cargo xtask test` runs this on PostgreSQL.
        return;
    }
    let a = spawn_app().await;
    let b = a.another_instance().await;
    let staff = a.staff().await;
    let ada = signed_up(&a, "ada@example.com").await;
    let number = bought(&a, &ada, &staff, "two-key-1", "ada@example.com", 7).await;
    // B has the product and its category page kept, without stars.
    let visitor_b = b.shopper().await;
    assert!(product(&visitor_b, 7).await.get("rating").is_none());
    let slug = product(&visitor_b, 7).await["category_slug"].as_str().unwrap().to_string();
    visitor_b.get(&format!("/api/categories/{slug}/products?per_page=100")).await;

    let (status, _) = ada.send("PUT", &format!("/api/orders/{number}/ratings/7"), json!({"rating": 4})).await;
    assert_eq!(status, 200);
    // B hears of it through the database and drops what it kept: well within the 5 s
    // its caches would keep it otherwise.
    let mut seen = Value::Null;
    for _ in 0..20 {
        seen = product(&visitor_b, 7).await["rating"].clone();
        let (_, page) = visitor_b.get(&format!("/api/categories/{slug}/products?per_page=100")).await;
        let card = page["items"].as_array().unwrap().iter().find(|i| i["id"] == 7).map(|c| c["rating"].clone());
        if seen == json!({"average": 400, "count": 1}) && card == Some(seen.clone()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("instance B still shows {seen} for the product, or its card lags");
}
