//! Categories as a tree, with photos and names per language: staff nest them (never in
//! a circle, never four deep), a parent's page lists its subcategories' products, a
//! German shopper reads German names, and a category with a subcategory stays.

use crate::{
    helpers::{spawn_app, Shopper},
    photos::{jpeg, urlencode},
};
use serde_json::{json, Value};

async fn add(staff: &Shopper, body: Value) -> i64 {
    let name = body["name"].clone();
    let (status, all) = staff.send("POST", "/api/staff/categories", body).await;
    assert_eq!(status, 201, "{all}");
    all.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn subcategories_nest_three_deep_at_most_and_a_parent_lists_their_products() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let kitchen = app.get_json("/api/categories/kitchen").await.1;
    let kitchen_id = kitchen["id"].as_i64().unwrap();
    let before = kitchen["product_count"].as_i64().unwrap();
    let knives = add(&staff, json!({"name": "Knives", "parent_id": kitchen_id})).await;
    let japanese = add(&staff, json!({"name": "Japanese knives", "parent_id": knives})).await;

    // The back office lists each category under its parent, with its depth.
    let all = staff.get("/api/staff/categories").await.1;
    let order: Vec<(&str, u64)> = all.as_array().unwrap().iter().map(|c| (c["slug"].as_str().unwrap(), c["depth"].as_u64().unwrap())).collect();
    let at = order.iter().position(|c| c.0 == "kitchen").unwrap();
    assert_eq!(&order[at..at + 3], &[("kitchen", 0), ("knives", 1), ("japanese-knives", 2)]);

    // A fourth level, a circle, a parent that is not there: each refused on its field.
    for (path, body) in [
        ("/api/staff/categories".to_string(), json!({"name": "Too deep", "parent_id": japanese})),
        (format!("/api/staff/categories/{kitchen_id}"), json!({"name": "Kitchen", "parent_id": japanese})),
        (format!("/api/staff/categories/{knives}"), json!({"name": "Knives", "parent_id": knives})),
        ("/api/staff/categories".to_string(), json!({"name": "Orphan", "parent_id": 99999})),
    ] {
        let method = if path.ends_with("categories") { "POST" } else { "PUT" };
        let (status, err) = staff.send(method, &path, body.clone()).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, Some("parent_id")), "{body}: {err}");
    }
    assert_eq!(app.get_json("/api/categories/kitchen").await.1["parent"], Value::Null, "nothing moved");

    // A product in the grandchild counts in, and is listed by, every category above it.
    let (status, p) = staff.send("POST", "/api/staff/products", json!({"name": "Santoku", "price": "80", "stock": "3", "category_id": japanese, "status": "published"})).await;
    assert_eq!(status, 201, "{p}");
    let kitchen = app.get_json("/api/categories/kitchen").await.1;
    assert_eq!(kitchen["product_count"].as_i64(), Some(before + 1));
    let page = app.get_json("/api/categories/kitchen/products?per_page=100").await.1;
    assert!(page["items"].as_array().unwrap().iter().any(|x| x["name"] == "Santoku"), "{page}");
    assert_eq!(page["total"].as_i64(), Some(before + 1));
    let knives_page = app.get_json("/api/categories/knives/products").await.1;
    assert_eq!(knives_page["category"]["parent"].as_i64(), Some(kitchen_id));
    assert_eq!(knives_page["items"].as_array().unwrap().len(), 1);

    // The shop's first view of the child: its trail, and links to what is inside it.
    let html = app.client.get(format!("{}/c/knives", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<a href="/c/kitchen">Kitchen</a>"#), "the trail names the parent");
    assert!(html.contains(r#"<a href="/c/japanese-knives">Japanese knives</a>"#), "the subcategory is linked");
    // The header's links stay the top level.
    let home = app.client.get(format!("{}/", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("/c/knives"), "a subcategory is not a home tile");

    // Not while it holds a subcategory.
    let (status, err) = staff.send("DELETE", &format!("/api/staff/categories/{knives}"), json!({})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")), "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("subcategor"), "{err}");
    // Moved to the top level, it can hold a deeper tree again.
    let (status, _) = staff.send("PUT", &format!("/api/staff/categories/{japanese}"), json!({"name": "Japanese knives", "parent_id": null})).await;
    assert_eq!(status, 200);
    assert_eq!(staff.send("DELETE", &format!("/api/staff/categories/{knives}"), json!({})).await.0, 204);
}

#[tokio::test]
async fn a_category_has_a_german_name_and_a_photo() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let id = app.get_json("/api/categories/kitchen").await.1["id"].as_i64().unwrap();
    let form = json!({"name": "Kitchen", "description": "Pots and pans", "translations": [{"lang": "de", "name": "Küche", "description": "Töpfe und Pfannen"}]});
    let (status, all) = staff.send("PUT", &format!("/api/staff/categories/{id}"), form).await;
    assert_eq!(status, 200, "{all}");
    let c = all.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(c["translations"][0]["name"], "Küche");

    let german = |path: &str| app.client.get(format!("{}{path}", app.url)).header("accept-language", "de").send();
    let de: Value = german("/api/categories/kitchen").await.unwrap().json().await.unwrap();
    assert_eq!((de["name"].as_str(), de["description"].as_str()), (Some("Küche"), Some("Töpfe und Pfannen")));
    let product: Value = german("/api/categories/kitchen/products?per_page=1").await.unwrap().json().await.unwrap();
    let first = product["items"][0]["id"].as_i64().unwrap();
    let p: Value = german(&format!("/api/products/{first}")).await.unwrap().json().await.unwrap();
    assert_eq!(p["category_name"], "Küche", "a product names its category in German too");
    let en = app.get_json("/api/categories/kitchen").await.1;
    assert_eq!(en["name"], "Kitchen");
    // A translation's problem names its field.
    let (status, err) = staff.send("PUT", &format!("/api/staff/categories/{id}"), json!({"name": "Kitchen", "translations": [{"lang": "de", "name": "", "description": "Nur Text"}]})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("name_de")), "{err}");

    // Its photo: alt text required, then shown to shoppers, then taken away.
    let url = |alt: &str| format!("{}/api/staff/categories/{id}/photo?alt={}", staff.url, urlencode(alt));
    let send = |alt: &str| staff.http.post(url(alt)).header("x-csrf-token", &staff.csrf).header("content-type", "image/jpeg").body(jpeg(800, 600)).send();
    let refused = send("").await.unwrap();
    assert_eq!(refused.status(), 400);
    let added = send("Copper pans hanging on a wall").await.unwrap();
    assert_eq!(added.status(), 201);
    let shown = app.get_json("/api/categories/kitchen").await.1;
    let key = shown["photo"]["key"].as_str().expect("a photo").to_string();
    assert_eq!(shown["photo"]["alt"], "Copper pans hanging on a wall");
    let file = app.client.get(format!("{}/media/{key}-320.webp", app.url)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    let home = app.client.get(format!("{}/", app.url)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains(&format!("/media/{key}-320.webp")), "home's tile shows it");
    let (status, _) = staff.send("DELETE", &format!("/api/staff/categories/{id}/photo"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(app.get_json("/api/categories/kitchen").await.1["photo"], Value::Null);
}
