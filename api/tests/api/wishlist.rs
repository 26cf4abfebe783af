//! The wish list of a signed-in shopper, the merge of a guest's device list at
//! sign-in, and the product page's "Customers also bought" and "Similar products".

use crate::helpers::{spawn_app, TestApp};
use serde_json::{json, Value};

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|i| i["product_id"].as_i64().unwrap()).collect()
}

async fn price_of(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT price_minor FROM products WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_signed_in_shopper_keeps_products_with_their_price_then() {
    let app = spawn_app().await;
    let mut ada = app.shopper().await;
    assert_eq!(ada.get("/api/wishlist").await.0, 401, "a guest's list is on their device");
    ada.sign_up("ada@example.com").await;
    assert_eq!(ids(&ada.get("/api/wishlist").await.1), Vec::<i64>::new());

    let before = price_of(&app, 3).await;
    let (status, list) = ada.send("PUT", "/api/wishlist/3", json!({})).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"][0]["saved_price"]["minor"], before);
    ada.send("PUT", "/api/wishlist/5", json!({})).await;
    // The price drops; keeping it again changes nothing: the drop is measured from
    // the first keeping.
    sqlx::query("UPDATE products SET price_minor = price_minor / 2 WHERE id = 3").execute(&app.db).await.unwrap();
    let (_, list) = ada.send("PUT", "/api/wishlist/3", json!({})).await;
    let kept = list["items"].as_array().unwrap().iter().find(|i| i["product_id"] == 3).unwrap().clone();
    assert_eq!(kept["saved_price"]["minor"], before);
    assert_eq!(ids(&list).len(), 2);

    let (status, e) = ada.send("PUT", "/api/wishlist/999999", json!({})).await;
    assert_eq!((status, e["error"]["code"].as_str().is_some()), (404, true), "{e}");
    assert_eq!(ada.send("PUT", "/api/wishlist/abc", json!({})).await.0, 404);

    let (status, list) = ada.send("DELETE", "/api/wishlist/5", json!({})).await;
    assert_eq!((status, ids(&list)), (200, vec![3]));
    assert_eq!(ada.send("DELETE", "/api/wishlist/5", json!({})).await.0, 200, "taking off what is not there is no error");

    // A product taken off sale is not listed, and comes back with it.
    sqlx::query("UPDATE products SET status = 'draft' WHERE id = 3").execute(&app.db).await.unwrap();
    assert!(ids(&ada.get("/api/wishlist").await.1).is_empty());
    sqlx::query("UPDATE products SET status = 'published' WHERE id = 3").execute(&app.db).await.unwrap();
    assert_eq!(ids(&ada.get("/api/wishlist").await.1), vec![3]);

    // Their data, as they can download it, holds the list.
    let (_, export) = ada.get("/api/account/export").await;
    assert_eq!(ids(&export["wishlist"]), vec![3], "{export}");
}

#[tokio::test]
async fn a_guests_device_list_merges_into_the_account_at_sign_in() {
    let app = spawn_app().await;
    let mut ada = app.shopper().await;
    ada.sign_up("ada@example.com").await;
    ada.send("PUT", "/api/wishlist/3", json!({})).await;
    let price = price_of(&app, 3).await;
    let eur = |minor: i64| json!({"minor": minor, "currency": "EUR"});
    let device = json!({"items": [
        {"product_id": 4, "added_at": "2026-01-02T10:00:00Z", "saved_price": eur(1000), "saved_in_stock": false},
        // Kept on the device long before the account kept it: the earlier keeping wins.
        {"product_id": 3, "added_at": "2020-01-01T00:00:00Z", "saved_price": eur(price + 500), "saved_in_stock": true},
        // No longer for sale: left out, the rest still merged.
        {"product_id": 999999, "added_at": "2026-01-03T10:00:00Z", "saved_price": eur(100), "saved_in_stock": true},
    ]});
    let (status, list) = ada.send("POST", "/api/wishlist/merge", device.clone()).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(ids(&list), vec![4, 3]);
    assert_eq!(list["items"][1]["saved_price"]["minor"], price + 500);
    // Merging again (a second sign-in) changes nothing.
    assert_eq!(ada.send("POST", "/api/wishlist/merge", device).await.1, list);

    // Bad input: refused whole, nothing stored.
    let bad_date = json!({"items": [{"product_id": 5, "added_at": "yesterday", "saved_price": eur(100), "saved_in_stock": true}]});
    let (status, e) = ada.send("POST", "/api/wishlist/merge", bad_date).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("yesterday"), "{e}");
    let many: Vec<Value> = (1..=201).map(|i| json!({"product_id": i, "added_at": "2026-01-01T00:00:00Z", "saved_price": eur(1), "saved_in_stock": true})).collect();
    let (status, e) = ada.send("POST", "/api/wishlist/merge", json!({ "items": many })).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("201"), "{e}");
    assert_eq!(ids(&ada.get("/api/wishlist").await.1), vec![4, 3]);
    let guest = app.shopper().await;
    assert_eq!(guest.send("POST", "/api/wishlist/merge", json!({"items": []})).await.0, 401);
}

#[tokio::test]
async fn a_product_page_shows_what_was_bought_with_it_and_what_is_like_it() {
    let app = spawn_app().await;
    // Two shoppers buy products 1 and 2 together; a third buys 1 alone.
    for (n, basket) in [(1, vec![1, 2]), (2, vec![1, 2]), (3, vec![1])] {
        let s = app.shopper().await;
        for id in &basket {
            sqlx::query("UPDATE products SET stock = 50 WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
            s.add_to_cart(*id, 1).await;
        }
        let (status, order) = s.checkout(&format!("related-{n}"), &format!("s{n}@example.com")).await;
        assert_eq!(status, 201, "{order}");
    }
    let visitor = app.shopper().await;
    let (status, related) = visitor.get("/api/products/1/related").await;
    assert_eq!(status, 200, "{related}");
    let also: Vec<i64> = related["also_bought"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(also, vec![2]);
    let (_, one) = visitor.get("/api/products/1").await;
    let similar = related["similar"].as_array().unwrap();
    assert!(!similar.is_empty() && similar.len() <= 8);
    assert!(similar.iter().all(|p| p["id"] != 1 && p["id"] != 2), "neither itself nor what is already shown: {related}");
    assert!(similar.iter().all(|p| p["category_slug"] == one["category_slug"]), "the seeded brands are each category's own, so likeness stays in the category");

    assert_eq!(visitor.get("/api/products/999999/related").await.0, 404);
    assert_eq!(visitor.get("/api/products/x/related").await.0, 404);
}
