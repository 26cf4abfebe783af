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

/// The product `id` as Kitchen's page lists it (category 1, all on one page), and the
/// page's total. Read twice, so the second answer is surely the remembered one.
async fn on_kitchen_page(app: &TestApp, id: i64) -> (Option<Value>, i64) {
    let mut shown = (None, 0);
    for _ in 0..2 {
        let (status, page) = app.get_json("/api/categories/kitchen/products?per_page=100").await;
        assert_eq!(status, 200, "{page}");
        let item = page["items"].as_array().unwrap().iter().find(|x| x["id"] == id).cloned();
        shown = (item, page["total"].as_i64().unwrap());
    }
    shown
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
    let (_, kitchen) = on_kitchen_page(&app, 0).await;

    let p = create(&staff, form("Tidewater Kettle", "39.90")).await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(on_kitchen_page(&app, id).await, (None, kitchen));
    assert_eq!((p["status"].as_str(), p["slug"].as_str()), (Some("draft"), Some("tidewater-kettle")));
    // Drafts: not on sale anywhere a shopper looks.
    assert_eq!(app.get_json("/api/products/tidewater-kettle").await.0, 404);
    assert_eq!(app.get_json(&format!("/api/products/{id}")).await.0, 404);
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["total"], 0);
    assert_eq!(app.get("/p/tidewater-kettle").await.status().as_u16(), 404);
    let c = changes_since(&app, &cursor).await;
    assert!(c["products"].as_array().unwrap().iter().all(|x| x["id"] != id), "{c}");
    let map = sitemap(&app).await;
    assert!(map.contains("/c/kitchen?lang=en</loc>") && map.contains("/p/") && !map.contains("/p/tidewater-kettle?"), "{map}");

    // Published: on its page, in search, in the offline copy; the description is
    // Markdown rendered safe.
    let (status, p) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"status": "published"}))).await;
    assert_eq!(status, 200, "{p}");
    let (status, shown) = app.get_json("/api/products/tidewater-kettle").await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["price"]["minor"], 3990);
    // The script goes, with what it would have run.
    assert_eq!(shown["description_html"], "<p>A <em>fine</em> thing.</p>\n");
    // Its category's page lists it at once, though the page was read (and kept) before.
    let (listed, total) = on_kitchen_page(&app, id).await;
    assert_eq!((listed.map(|x| x["price"]["minor"].clone()), total), (Some(json!(3990)), kitchen + 1));
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["items"][0]["id"], id);
    let c = changes_since(&app, &cursor).await;
    assert!(c["products"].as_array().unwrap().iter().any(|x| x["id"] == id), "{c}");
    assert!(sitemap(&app).await.contains("/p/tidewater-kettle?lang=en</loc><lastmod>"));
    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(robots.contains("Disallow: /staff") && robots.contains("/sitemap.xml"), "{robots}");
    let cursor = c["next"].as_str().unwrap().to_string();

    // Price down with a "was" price, then off sale: the next sync drops it.
    let (status, p) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"price": "29.90", "compare_at": "39.90"}))).await;
    assert_eq!(status, 200, "{p}");
    let shown = app.get_json(&format!("/api/products/{id}")).await.1;
    assert_eq!((shown["price"]["minor"].as_i64(), shown["compare_at"]["minor"].as_i64()), (Some(2990), Some(3990)));
    assert_eq!(on_kitchen_page(&app, id).await.0.map(|x| x["price"]["minor"].clone()), Some(json!(2990)));
    let (status, _) = staff.send("PUT", &format!("/api/staff/products/{id}"), edited(&p, json!({"status": "draft", "compare_at": "39.90"}))).await;
    assert_eq!(status, 200);
    let c = changes_since(&app, &cursor).await;
    assert_eq!(c["removed"], json!([id]), "{c}");
    assert!(c["products"].as_array().unwrap().iter().all(|x| x["id"] != id));
    assert_eq!(app.get_json(&format!("/api/products/{id}")).await.0, 404);
    assert_eq!(app.get_json("/api/search?q=tidewater").await.1["total"], 0);
    assert_eq!(on_kitchen_page(&app, id).await, (None, kitchen));
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
        ("POST", "/api/staff/products/1/photos?alt=x"),
        ("PUT", "/api/staff/products/1/photos"),
        ("PUT", "/api/staff/products/1/translations/de"),
        ("GET", "/api/staff/products/export.csv"),
        ("POST", "/api/staff/products/import"),
        ("GET", "/api/staff/categories"),
        ("POST", "/api/staff/categories"),
        ("PUT", "/api/staff/categories/1"),
        ("DELETE", "/api/staff/categories/1"),
        ("PUT", "/api/staff/categories/order"),
        ("POST", "/api/staff/categories/1/photo?alt=x"),
        ("DELETE", "/api/staff/categories/1/photo"),
    ];
    for (method, path) in routes {
        let body = form("Sneaky", "1");
        assert_eq!(guest.send(method, path, body.clone()).await.0, 401, "guest {method} {path}");
        assert_eq!(shopper.send(method, path, body).await.0, 403, "shopper {method} {path}");
    }
    assert_eq!(app.get_json("/api/products/1").await.0, 200, "nothing was deleted");
    assert_eq!(app.get_json("/api/categories/kitchen").await.0, 200);
}

async fn import(staff: &Shopper, csv: &str, apply: bool) -> (u16, Value) {
    staff.send("POST", "/api/staff/products/import", json!({"csv": csv, "apply": apply})).await
}

async fn export(staff: &Shopper) -> String {
    let res = staff.http.get(format!("{}/api/staff/products/export.csv", staff.url)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"products-"));
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_csv_export_imports_back_as_no_change_and_an_import_previews_then_applies_whole() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    // A product with every column filled, and one with a quote and a line break.
    create(&staff, json!({"name": "Tidewater Kettle", "price": "39.90", "compare_at": "45", "stock": "7", "category_id": 1, "brand": "Hearth",
        "sku": "KET-1", "barcode": "4006381333931", "weight_grams": "900", "status": "published", "description": "Boils \"fast\".\n\n- steel"})).await;
    let csv = export(&staff).await;
    assert!(csv.starts_with("Handle,Title,Body (HTML),Vendor,Type,Published,Status,Variant SKU,Variant Barcode,Variant Price"), "{}", &csv[..200]);
    let total = app.get_json("/api/health").await.1["products"].as_i64().unwrap();
    let (status, report) = import(&staff, &csv, false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["new"].as_i64(), report["updated"].as_i64(), report["errors"].as_array().map(Vec::len)), (Some(0), Some(0), Some(0)), "{report}");
    assert_eq!(report["unchanged"].as_i64(), Some(total), "{report}");

    // Shopify's own columns: a new product, a changed price, a variant row skipped (its
    // product's row names no option).
    let file = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Variant Price,Variant Inventory Qty,Option1 Value\n\
                harbour-lantern,Harbour Lantern,<p>For the <b>garden</b>.</p>,Lumen,Kitchen,outdoor,TRUE,24.50,12,Small\n\
                harbour-lantern,,,,,,,,,Large\n\
                tidewater-kettle,Tidewater Kettle,,Hearth,Kitchen,,TRUE,35.00,7,\n";
    let (_, preview) = import(&staff, file, false).await;
    assert_eq!((preview["new"].as_i64(), preview["updated"].as_i64(), preview["skipped_rows"].as_i64(), preview["applied"].as_bool()), (Some(1), Some(1), Some(1), Some(false)), "{preview}");
    assert_eq!(preview["ignored_columns"], json!(["Tags"]));
    assert_eq!(app.get_json("/api/products/harbour-lantern").await.0, 404, "a preview saves nothing");
    let (status, done) = import(&staff, file, true).await;
    assert_eq!((status, done["applied"].as_bool()), (200, Some(true)), "{done}");
    let lantern = app.get_json("/api/products/harbour-lantern").await.1;
    assert_eq!((lantern["price"]["minor"].as_i64(), lantern["stock"].as_i64(), lantern["brand"].as_str()), (Some(2450), Some(12), Some("Lumen")));
    assert_eq!(lantern["description_html"], "<p>For the <b>garden</b>.</p>");
    let kettle = app.get_json("/api/products/tidewater-kettle").await.1;
    assert_eq!(kettle["price"]["minor"], 3500);
    // An empty Body (HTML) cell empties the description, as in Shopify.
    assert_eq!(kettle["description"], "");
    assert!(app.get_json("/api/search?q=lantern").await.1["total"].as_i64() >= Some(1));
    let (_, audit) = staff.get(&format!("/api/staff/products/{}/audit", lantern["id"])).await;
    assert_eq!(audit[0]["action"], "imported");
}

#[tokio::test]
async fn a_bad_import_names_every_line_and_saves_nothing() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let before = export(&staff).await;
    let file = "Handle,Title,Type,Variant Price,Variant SKU,Variant Barcode\n\
                good-one,Good One,Kitchen,5,GOOD-1,\n\
                bad-price,Bad Price,Kitchen,abc,,\n\
                bad-type,Bad Type,Lamps,5,,\n\
                good-one,Good One Again,Kitchen,5,,\n\
                dup-sku,Dup Sku,Kitchen,5,GOOD-1,\n\
                bad-code,Bad Code,Kitchen,-2,,4006381333932\n";
    let (status, report) = import(&staff, file, true).await;
    assert_eq!(status, 200, "{report}");
    let errors: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect();
    assert_eq!(errors.len(), 6, "{errors:#?}");
    assert!(errors[0].starts_with("line 3: Variant Price: The price must be an amount like 12.50, not \"abc\""), "{errors:#?}");
    assert!(errors[1].starts_with("line 4: Type: there is no category \"Lamps\""), "{errors:#?}");
    assert!(errors[2].starts_with("line 5: Handle: \"good-one\" is also on line 2"), "{errors:#?}");
    assert!(errors[3].starts_with("line 6: Variant SKU: GOOD-1 is also on line 2"), "{errors:#?}");
    assert!(errors[4].starts_with("line 7: Variant Barcode:") && errors[5].starts_with("line 7: Variant Price: The price cannot be negative"), "{errors:#?}");
    assert_eq!(report["applied"], false);
    assert_eq!(export(&staff).await.lines().count(), before.lines().count(), "nothing was saved");
    assert_eq!(app.get_json("/api/products/good-one").await.0, 404);

    // A file that is not UTF-8 (as the browser reads it), a file without a header.
    let (status, err) = import(&staff, "Handle,Title\ncaf\u{FFFD},Caf\u{FFFD}\n", false).await;
    assert_eq!((status, err["error"]["code"].as_str()), (400, Some("bad_request")));
    assert!(err["error"]["message"].as_str().unwrap().contains("UTF-8"), "{err}");
    let (status, err) = import(&staff, "blue,mug\n", false).await;
    assert_eq!(status, 400, "{err}");
    // Only staff.
    let shopper = app.shopper().await;
    assert_eq!(shopper.send("POST", "/api/staff/products/import", json!({"csv": file, "apply": true})).await.0, 401);
    assert_eq!(shopper.get("/api/staff/products/export.csv").await.0, 401);
}

#[tokio::test]
async fn categories_are_added_renamed_reordered_and_deleted_once_empty() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let (status, all) = staff.send("POST", "/api/staff/categories", json!({"name": "Lighting", "description": "Lamps and lanterns"})).await;
    assert_eq!(status, 201, "{all}");
    let lighting = all.as_array().unwrap().last().unwrap().clone();
    assert_eq!((lighting["slug"].as_str(), lighting["products"].as_i64()), (Some("lighting"), Some(0)));
    let id = lighting["id"].as_i64().unwrap();
    assert!(app.get_json("/api/categories").await.1.as_array().unwrap().iter().any(|c| c["slug"] == "lighting"));
    // Names and addresses are each category's own.
    for (body, field) in [(json!({"name": "kitchen"}), "name"), (json!({"name": "Cooking", "slug": "kitchen"}), "slug"), (json!({"name": ""}), "name")] {
        let (status, err) = staff.send("POST", "/api/staff/categories", body.clone()).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, Some(field)), "{body}: {err}");
    }

    // A product in it; renaming the category reaches the product and its offline copies.
    let p = create(&staff, json!({"name": "Desk Lamp", "price": "30", "stock": "2", "category_id": id, "status": "published"})).await;
    let cursor = changes_since(&app, "").await["next"].as_str().unwrap().to_string();
    let (status, _) = staff.send("PUT", &format!("/api/staff/categories/{id}"), json!({"name": "Lamps", "slug": "lamps", "description": "Light"})).await;
    assert_eq!(status, 200);
    let shown = app.get_json(&format!("/api/products/{}", p["id"])).await.1;
    assert_eq!((shown["category_name"].as_str(), shown["category_slug"].as_str()), (Some("Lamps"), Some("lamps")));
    let c = changes_since(&app, &cursor).await;
    assert!(c["products"].as_array().unwrap().iter().any(|x| x["id"] == p["id"] && x["category_name"] == "Lamps"), "{c}");

    // Lamps first.
    let ids: Vec<i64> = staff.get("/api/staff/categories").await.1.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let mut order = vec![id];
    order.extend(ids.iter().filter(|x| **x != id));
    let (status, _) = staff.send("PUT", "/api/staff/categories/order", json!({"ids": order})).await;
    assert_eq!(status, 200);
    assert_eq!(app.get_json("/api/categories").await.1[0]["slug"], "lamps");
    let (status, _) = staff.send("PUT", "/api/staff/categories/order", json!({"ids": [id]})).await;
    assert_eq!(status, 400, "every category must be named");

    // Not while it holds a product, draft or not.
    let (status, err) = staff.send("DELETE", &format!("/api/staff/categories/{id}"), json!({})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("refused")), "{err}");
    staff.send("DELETE", &format!("/api/staff/products/{}", p["id"]), json!({})).await;
    assert_eq!(staff.send("DELETE", &format!("/api/staff/categories/{id}"), json!({})).await.0, 204);
    assert_eq!(app.get_json("/api/categories/lamps").await.0, 404);
    let shopper = app.shopper().await;
    assert_eq!(shopper.send("POST", "/api/staff/categories", json!({"name": "Nope"})).await.0, 401);
}
