//! The catalogue the shop runs itself: staff create, edit, publish, take off sale,
//! duplicate and delete products; shoppers, search and offline copies follow.

use crate::helpers::{spawn_app, Shopper, TestApp};
use serde_json::{json, Value};

fn form(name: &str, price: &str) -> Value {
    json!({"name": name, "price": price, "stock": "7", "category_id": 1, "description": "A *fine* thing.\n\n<script>alert(1)</script>"})
}

async fn create(staff: &Shopper, body: Value) -> Value {
    let (status, p) = staff.send("POST", "/api/staff/products", body).await;
    assert_eq!(status, 201, "{p}");
    p
}

/// The form the edit page would send for `p`, with `changes` on top.
fn edited(p: &Value, changes: Value) -> Value {
    let mut f = json!({
        "name": p["name"], "slug": p["slug"], "description": p["description"], "brand": p["brand"],
        "sku": p["sku"].as_str().unwrap_or(""), "barcode": p["barcode"].as_str().unwrap_or(""),
        "price": format!("{:.2}", p["price"]["minor"].as_i64().unwrap() as f64 / 100.0),
        "compare_at": "", "stock": p["stock"].to_string(), "stock_was": p["stock"].to_string(),
        "weight_grams": p["weight_grams"].to_string(), "tax_class": p["tax_class"], "category_id": p["category_id"], "status": p["status"],
    });
    for (k, v) in changes.as_object().unwrap() {
        f[k] = v.clone();
    }
    f
}

async fn sitemap(app: &TestApp) -> String {
    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.headers()["content-type"], "application/xml; charset=utf-8");
    res.text().await.unwrap()
}

async fn changes_since(app: &TestApp, cursor: &str) -> Value {
    let (status, c) = app.get_json(&format!("/api/catalogue/changes?since={cursor}")).await;
    assert_eq!(status, 200, "{c}");
    c
}

#[tokio::test]
async fn a_draft_is_staff_only_until_published_and_unpublishing_reaches_offline_copies() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let cursor = changes_since(&app, "").await["next"].as_str().unwrap().to_string();

    let p = create(&staff, form("Tidewater Kettle", "39.90")).await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!((p["status"].as_str(), p["slug"].as_str()), (Some("draft"), Some("tidewater-kettle")));
    // Drafts: not on sale anywhere a shopper looks.
    assert_eq!(app.get_json("/api/products/tidewater-kettle").await.0, 404);
    assert_eq!(app.get_json(&format!("/api/products/{id}")).await.0, 404);
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["total"], 0);
    assert_eq!(app.get("/p/tidewater-kettle").await.status().as_u16(), 404);
    let c = changes_since(&app, &cursor).await;
    assert!(c["products"].as_array().unwrap().iter().all(|x| x["id"] != id), "{c}");
    let map = sitemap(&app).await;
    assert!(map.contains("/c/kitchen</loc>") && map.contains("/p/") && !map.contains("/p/tidewater-kettle<"), "{map}");

    // Published: on its page, in search, in the offline copy; the description is
    // Markdown rendered safe.
    let (status, p) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"status": "published"}))).await;
    assert_eq!(status, 200, "{p}");
    let (status, shown) = app.get_json("/api/products/tidewater-kettle").await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["price"]["minor"], 3990);
    assert_eq!(shown["description_html"], "<p>A <em>fine</em> thing.</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["items"][0]["id"], id);
    let c = changes_since(&app, &cursor).await;
    assert!(c["products"].as_array().unwrap().iter().any(|x| x["id"] == id), "{c}");
    assert!(sitemap(&app).await.contains("/p/tidewater-kettle</loc><lastmod>"));
    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(robots.contains("Disallow: /staff") && robots.contains("/sitemap.xml"), "{robots}");
    let cursor = c["next"].as_str().unwrap().to_string();

    // Price down with a "was" price, then off sale: the next sync drops it.
    let (status, p) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"price": "29.90", "compare_at": "39.90"}))).await;
    assert_eq!(status, 200, "{p}");
    let shown = app.get_json(&format!("/api/products/{id}")).await.1;
    assert_eq!((shown["price"]["minor"].as_i64(), shown["compare_at"]["minor"].as_i64()), (Some(2990), Some(3990)));
    let (status, _) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"status": "draft", "compare_at": "39.90"}))).await;
    assert_eq!(status, 200);
    let c = changes_since(&app, &cursor).await;
    assert_eq!(c["removed"], json!([id]), "{c}");
    assert!(c["products"].as_array().unwrap().iter().all(|x| x["id"] != id));
    assert_eq!(app.get_json(&format!("/api/products/{id}")).await.0, 404);
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["total"], 0);
    // Nobody can put it in a cart by its number, nor buy it from a cart that had it.
    let shopper = app.shopper().await;
    let (status, err) = shopper.send("PUT", "/api/cart/items", json!({"product_id": id, "quantity": 1})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (404, Some("not_found")), "{err}");
    let body = crate::helpers::checkout_body("ada@example.com", vec![json!({"product_id": id, "quantity": 1, "unit_price_minor": 2990})]);
    let (status, err) = shopper.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-admin-0002")]).await;
    assert_eq!(status, 409, "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("no longer sold"), "{err}");

    // Who did what, newest first.
    let (status, audit) = staff.get(&format!("/api/staff/products/{id}/audit")).await;
    assert_eq!(status, 200, "{audit}");
    let actions: Vec<_> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["edited", "edited", "edited", "created"]);
    assert_eq!(audit[0]["staff_name"], "Sam Staff");
    assert_eq!(audit[1]["changes"], json!([{"field": "price", "from": "€39.90", "to": "€29.90"}, {"field": "compare_at", "from": "", "to": "€39.90"}]));
}

#[tokio::test]
async fn bad_input_names_its_field_and_saves_nothing() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let existing = app.get_json("/api/products/1").await.1;
    let count = |app: &TestApp| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM products").fetch_one(&db).await.unwrap() }
    };
    let before = count(&app).await;
    for (body, field) in [
        (json!({"name": "X", "price": "abc", "stock": "1", "category_id": 1}), "price"),
        (json!({"name": "X", "price": "-4", "stock": "1", "category_id": 1}), "price"),
        (json!({"name": "X", "price": "4", "stock": "-1", "category_id": 1}), "stock"),
        (json!({"name": "X", "price": "4", "compare_at": "3", "stock": "1", "category_id": 1}), "compare_at"),
        (json!({"name": "X", "price": "4", "stock": "1", "category_id": 1, "barcode": "4006381333932"}), "barcode"),
        (json!({"name": "X", "price": "4", "stock": "1", "category_id": 1, "slug": existing["slug"]}), "slug"),
        (json!({"name": "X", "price": "4", "stock": "1", "category_id": 999}), "category_id"),
        (json!({"name": "", "price": "4", "stock": "1", "category_id": 1}), "name"),
    ] {
        let (status, err) = staff.send("POST", "/api/staff/products", body.clone()).await;
        assert_eq!((status, err["error"]["code"].as_str(), err["error"]["field"].as_str()), (400, Some("invalid"), Some(field)), "{body} → {err}");
    }
    // A SKU is one product's.
    create(&staff, json!({"name": "One", "price": "4", "stock": "1", "category_id": 1, "sku": "MUG-1"})).await;
    let (status, err) = staff.send("POST", "/api/staff/products", json!({"name": "Two", "price": "4", "stock": "1", "category_id": 1, "sku": "MUG-1"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("sku")), "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("One"), "{err}");
    assert_eq!(count(&app).await, before + 1);
    // Not JSON of the form: a JSON error, not a panic.
    let (status, err) = staff.send("POST", "/api/staff/products", json!({"name": 4})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")), "{err}");
}

#[tokio::test]
async fn a_stock_count_typed_over_a_sale_is_refused() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let p = create(&staff, json!({"name": "Slate Board", "price": "20", "stock": "10", "category_id": 1, "status": "published"})).await;
    let id = p["id"].as_i64().unwrap();
    // An order takes 2 while the form is open (showing 10).
    sqlx::query("UPDATE products SET stock = 8 WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
    let (status, err) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"stock": "15"}))).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("stock")), "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("from 10 to 8"), "{err}");
    // Any other change saves, and leaves the stock the order left.
    let (status, saved) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"name": "Slate Cheese Board"}))).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!((saved["name"].as_str(), saved["stock"].as_i64()), (Some("Slate Cheese Board"), Some(8)));
}

#[tokio::test]
async fn an_old_web_address_redirects_and_a_deleted_product_leaves_every_copy() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let p = create(&staff, json!({"name": "Fern Pot", "price": "12", "stock": "3", "category_id": 1, "status": "published", "brand": "Greenhouse"})).await;
    let id = p["id"].as_i64().unwrap();
    let (status, p) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"slug": "fern-pot-large"}))).await;
    assert_eq!(status, 200, "{p}");
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = plain.get(format!("{}/p/fern-pot", app.url)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 301);
    assert_eq!(res.headers()["location"], "/p/fern-pot-large");

    // The page a crawler or a link preview reads: title, picture, price as JSON-LD.
    let html = app.get("/p/fern-pot-large").await.text().await.unwrap();
    assert!(html.contains("<meta property=\"og:image\""), "{html}");
    let ld = html.split("<script type=\"application/ld+json\">").nth(1).and_then(|s| s.split("</script>").next()).expect("JSON-LD");
    let ld: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!((ld["@type"].as_str(), ld["name"].as_str(), ld["brand"]["name"].as_str()), (Some("Product"), Some("Fern Pot"), Some("Greenhouse")));
    assert_eq!((ld["offers"]["price"].as_str(), ld["offers"]["priceCurrency"].as_str()), (Some("12.00"), Some("EUR")));
    assert_eq!(ld["offers"]["availability"], "https://schema.org/InStock");

    let cursor = changes_since(&app, "").await["next"].as_str().unwrap().to_string();
    let (status, _) = staff.send("DELETE", &format!("/api/staff/products/{id}"), json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(changes_since(&app, &cursor).await["removed"], json!([id]));
    assert_eq!(app.get("/p/fern-pot").await.status().as_u16(), 404);
    assert_eq!(staff.get(&format!("/api/staff/products/{id}")).await.0, 404);
    // The audit outlives the product, and says who deleted it.
    let (_, audit) = staff.get(&format!("/api/staff/products/{id}/audit")).await;
    assert_eq!(audit[0]["action"], "deleted");

    // A product someone ordered is archived, not deleted.
    let shopper = app.shopper().await;
    sqlx::query("UPDATE products SET stock = 50 WHERE id = 3").execute(&app.db).await.unwrap();
    shopper.add_to_cart(3, 1).await;
    let (status, _) = shopper.checkout("key-admin-0001", "ada@example.com").await;
    assert_eq!(status, 201);
    let (status, err) = staff.send("DELETE", "/api/staff/products/3", json!({})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")), "{err}");
    assert!(err["error"]["message"].as_str().unwrap().contains("archive"), "{err}");
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages_and_a_copy_is_a_fresh_draft() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (status, all) = staff.get("/api/staff/products?per_page=5&sort=-price").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    let prices: Vec<i64> = all["items"].as_array().unwrap().iter().map(|p| p["price"]["minor"].as_i64().unwrap()).collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    let total = all["total"].as_i64().unwrap();

    let original = staff.get("/api/staff/products/1").await.1;
    let (status, copy) = staff.send("POST", "/api/staff/products/1/duplicate", json!({})).await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["name"], format!("Copy of {}", original["name"].as_str().unwrap()));
    assert_eq!((copy["status"].as_str(), copy["stock"].as_i64(), copy["sku"].as_str()), (Some("draft"), Some(0), None));
    let (status, copy2) = staff.send("POST", "/api/staff/products/1/duplicate", json!({})).await;
    assert_eq!(status, 201);
    assert_ne!(copy["slug"], copy2["slug"]);

    let (_, drafts) = staff.get("/api/staff/products?status=draft").await;
    assert_eq!(drafts["total"], 2);
    let (_, found) = staff.get("/api/staff/products?q=COPY%20OF").await;
    assert_eq!(found["total"], 2);
    let (_, out) = staff.get("/api/staff/products?stock=out&per_page=100").await;
    assert!(out["items"].as_array().unwrap().iter().all(|p| p["stock"] == 0));
    assert_eq!(staff.get("/api/staff/products").await.1["total"].as_i64(), Some(total + 2));
    for bad in ["status=gone", "stock=some", "sort=colour", "page=0", "category=kitchen"] {
        let (status, err) = staff.get(&format!("/api/staff/products?{bad}")).await;
        assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")), "{bad}: {err}");
    }
}

#[tokio::test]
async fn only_staff_reach_the_catalogue_admin() {
    let app = spawn_app().await;
    let guest = app.shopper().await;
    let mut shopper = app.shopper().await;
    shopper.sign_up("nosy@example.com").await;
    let routes = [
        ("GET", "/api/staff/products"),
        ("POST", "/api/staff/products"),
        ("GET", "/api/staff/products/1"),
        ("PUT", "/api/staff/products/1"),
        ("DELETE", "/api/staff/products/1"),
        ("GET", "/api/staff/products/1/audit"),
        ("POST", "/api/staff/products/1/duplicate"),
    ];
    for (method, path) in routes {
        let body = form("Sneaky", "1");
        assert_eq!(guest.send(method, path, body.clone()).await.0, 401, "guest {method} {path}");
        assert_eq!(shopper.send(method, path, body).await.0, 403, "shopper {method} {path}");
    }
    assert_eq!(app.get_json("/api/products/1").await.0, 200, "nothing was deleted");
}
