use crate::helpers::{spawn_app, TestApp};
use serde_json::{json, Value};

#[tokio::test]
async fn health_reports_the_catalogue() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["products"], 240);
}

#[tokio::test]
async fn the_demo_catalogue_has_twelve_categories_of_twenty() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/categories").await;
    assert_eq!(status, 200);
    let cats = body.as_array().expect("array");
    assert_eq!(cats.len(), 12);
    assert!(cats.iter().all(|c| c["product_count"] == 20));
    assert_eq!(cats[0]["slug"], "kitchen");
    let (status, one) = app.get_json("/api/categories/kitchen").await;
    assert_eq!(status, 200);
    assert_eq!(one["name"], "Kitchen");
}

#[tokio::test]
async fn category_products_are_paginated_without_overlap() {
    let app = spawn_app().await;
    let (s1, p1) = app.get_json("/api/categories/kitchen/products?per_page=8&page=1").await;
    let (s3, p3) = app.get_json("/api/categories/kitchen/products?per_page=8&page=3").await;
    assert_eq!((s1, s3), (200, 200));
    assert_eq!(p1["total"], 20);
    assert_eq!(p1["total_pages"], 3);
    assert_eq!(p1["items"].as_array().unwrap().len(), 8);
    assert_eq!(p3["items"].as_array().unwrap().len(), 4);
    let (_, p2) = app.get_json("/api/categories/kitchen/products?per_page=8&page=2").await;
    let mut ids: Vec<i64> = [&p1, &p2, &p3]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20, "three pages hold every product exactly once");
    // Past the last page is an empty page, not an error.
    let (s, p9) = app.get_json("/api/categories/kitchen/products?per_page=8&page=9").await;
    assert_eq!(s, 200);
    assert!(p9["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_category_is_sorted_and_filtered_as_its_address_says_with_a_count_beside_each_choice() {
    let app = spawn_app().await;
    // Kitchen's 20 products: two out of stock, two of one brand.
    let kitchen: Vec<i64> = sqlx::query_scalar("SELECT id FROM products WHERE category_id = 1 ORDER BY id").fetch_all(&app.db).await.unwrap();
    let (out, harbour_ids) = (&kitchen[..2], vec![kitchen[2], kitchen[3]]);
    sqlx::query("UPDATE products SET stock = 5 WHERE category_id = 1").execute(&app.db).await.unwrap();
    for id in out {
        sqlx::query("UPDATE products SET stock = 0 WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
    }
    for id in &harbour_ids {
        sqlx::query("UPDATE products SET brand = 'Harbour' WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
    }
    let page = |q: &str| {
        let path = format!("/api/categories/kitchen/products?per_page=100&{q}");
        let app = &app;
        async move { app.get_json(&path).await }
    };
    let prices = |p: &Value| p["items"].as_array().unwrap().iter().map(|i| i["price"]["minor"].as_i64().unwrap()).collect::<Vec<_>>();
    let ids = |p: &Value| p["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>();

    let (status, all) = page("").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!((all["total"].as_i64(), all["facets"]["in_stock"].as_i64()), (Some(20), Some(18)));
    assert!(all["facets"]["brands"].as_array().unwrap().iter().any(|b| b["brand"] == "Harbour" && b["count"] == 2), "{all}");
    let range = &all["facets"]["prices"];
    let (lo, hi) = (range["min"].as_i64().unwrap(), range["max"].as_i64().unwrap());

    let (_, cheap_first) = page("sort=price&stock=in").await;
    let shown = prices(&cheap_first);
    assert_eq!(shown.len(), 18);
    assert!(shown.windows(2).all(|w| w[0] <= w[1]), "{shown:?}");
    assert!(out.iter().all(|id| !ids(&cheap_first).contains(id)));
    let (_, dear_first) = page("sort=-price").await;
    assert!(prices(&dear_first).windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(prices(&dear_first)[0], hi);

    // A price range in the shop's own writing, both ends included.
    let (_, cheapest) = page(&format!("min={0}.{1:02}&max={0},{1:02}", lo / 100, lo % 100)).await;
    assert!(prices(&cheapest).iter().all(|p| *p == lo) && !prices(&cheapest).is_empty(), "{cheapest}");
    let (_, harbour) = page("brand=Harbour").await;
    let mut shown = ids(&harbour);
    shown.sort();
    assert_eq!(shown, harbour_ids);

    // A sale that empties a shelf reaches the filter at once, though the page was read before.
    let staff = app.staff().await;
    let (status, _) = staff.send("PUT", &format!("/api/staff/products/{}/stock", harbour_ids[0]), json!({"stock": 0})).await;
    assert_eq!(status, 204);
    let (_, harbour) = page("brand=Harbour&stock=in").await;
    assert_eq!(ids(&harbour), vec![harbour_ids[1]]);
    assert_eq!(page("stock=in").await.1["total"], 17);

    // Whatever is wrong in the address is named, in JSON, and nothing else happens.
    for (q, field) in [("sort=cheapest", "sort"), ("min=abc", "min"), ("min=50&max=10", "max"), ("stock=yes", "stock"), ("stars=9", "stars")] {
        let (status, e) = page(q).await;
        assert_eq!((status, e["error"]["field"].as_str()), (400, Some(field)), "{q}: {e}");
    }
}

#[tokio::test]
async fn a_product_is_found_by_id_and_by_slug_with_price_and_stock() {
    let app = spawn_app().await;
    let (status, by_id) = app.get_json("/api/products/1").await;
    assert_eq!(status, 200);
    let slug = by_id["slug"].as_str().unwrap().to_string();
    let (status, by_slug) = app.get_json(&format!("/api/products/{slug}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_id, by_slug);
    assert_eq!(by_id["price"]["currency"], "EUR");
    assert!(by_id["price"]["minor"].as_i64().unwrap() > 0);
    assert!(by_id["stock"].as_i64().unwrap() >= 0);
    assert_eq!(by_id["category_slug"], "kitchen");
}

#[tokio::test]
async fn stock_levels_come_from_the_database() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 3 WHERE id = 2").execute(&app.db).await.unwrap();
    let (_, p) = app.get_json("/api/products/2").await;
    assert_eq!(p["stock"], 3);
}

/// The stock a product read shows, by id and by slug, and its category's page (all
/// three must agree).
async fn shown_stock(app: &TestApp, id: i64, slug: &str) -> i64 {
    let (status, by_id) = app.get_json(&format!("/api/products/{id}")).await;
    assert_eq!(status, 200);
    let (status, by_slug) = app.get_json(&format!("/api/products/{slug}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_id, by_slug);
    let (status, page) = app.get_json(&format!("/api/categories/{}/products?per_page=100", by_id["category_slug"].as_str().unwrap())).await;
    assert_eq!(status, 200, "{page}");
    let listed = page["items"].as_array().unwrap().iter().find(|x| x["id"] == id).cloned().unwrap_or_default();
    assert_eq!(listed["stock"], by_id["stock"], "the category page and the product page disagree");
    by_id["stock"].as_i64().unwrap()
}

#[tokio::test]
async fn a_product_read_shows_every_stock_change_at_once() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 10 WHERE id = 21").execute(&app.db).await.unwrap();
    let (_, p) = app.get_json("/api/products/21").await;
    let slug = p["slug"].as_str().unwrap().to_string();
    // Read twice, so the answer is surely the remembered one.
    assert_eq!(shown_stock(&app, 21, &slug).await, 10);
    assert_eq!(shown_stock(&app, 21, &slug).await, 10);

    // A guest buys three.
    let s = app.shopper().await;
    s.add_to_cart(21, 3).await;
    let (status, order) = s.checkout("key-cache-0001", "cache@example.com").await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(shown_stock(&app, 21, &slug).await, 7);

    // Takes one back before it is packed...
    let number = order["number"].as_str().unwrap();
    let token = order["access_token"].as_str().unwrap();
    let (status, changed) = s.send("PUT", &format!("/api/orders/{number}/items?token={token}"), json!({"items": [{"product_id": 21, "quantity": 2}]})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(shown_stock(&app, 21, &slug).await, 8);

    // ...then cancels.
    let (status, cancelled) = s.send("POST", &format!("/api/orders/{number}/cancel?token={token}"), json!({})).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(shown_stock(&app, 21, &slug).await, 10);

    // Staff count the shelf.
    let staff = app.staff().await;
    let (status, body) = staff.send("PUT", "/api/staff/products/21/stock", json!({"stock": 4})).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(shown_stock(&app, 21, &slug).await, 4);
}

#[tokio::test]
async fn featured_products_are_served_for_the_home_page() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/featured").await;
    assert_eq!(status, 200);
    let items = body.as_array().unwrap();
    assert!((1..=8).contains(&items.len()));
    assert!(items.iter().all(|p| p["stock"].as_i64().unwrap() > 0));
}

#[tokio::test]
async fn search_ranks_the_exact_name_first_and_limits_results() {
    let app = spawn_app().await;
    let (_, p) = app.get_json("/api/products/5").await;
    let name = p["name"].as_str().unwrap().to_string();
    let (status, body) = app.get_json(&format!("/api/search?q={}", name.replace(' ', "%20"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"][0]["id"], 5, "exact name first for {name:?}");
    let (_, many) = app.get_json("/api/search?q=oak&limit=3").await;
    assert_eq!(many["items"].as_array().unwrap().len(), 3);
    assert!(many["total"].as_u64().unwrap() > 3);
    let (status, none) = app.get_json("/api/search?q=zzzzqqq").await;
    assert_eq!(status, 200);
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn product_pictures_are_svg() {
    let app = spawn_app().await;
    let res = app.get("/api/products/1/image.svg").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));
}

#[tokio::test]
async fn catalogue_changes_give_everything_once_then_only_what_changed() {
    let app = spawn_app().await;
    let (status, all) = app.get_json("/api/catalogue/changes").await;
    assert_eq!(status, 200);
    assert_eq!(all["products"].as_array().unwrap().len(), 240);
    assert_eq!(all["categories"].as_array().unwrap().len(), 12);
    assert_eq!(all["more"], false);
    let cursor = all["next"].as_str().unwrap().to_string();
    let (_, none) = app.get_json(&format!("/api/catalogue/changes?since={cursor}")).await;
    assert!(none["products"].as_array().unwrap().is_empty());
    assert_eq!(none["next"], cursor.as_str());

    // A stock change shows up, alone, however soon after the cursor it comes.
    let staff = app.staff().await;
    let (status, _) = staff.send("PUT", "/api/staff/products/7/stock", json!({"stock": 1})).await;
    assert_eq!(status, 204);
    let (_, changed) = app.get_json(&format!("/api/catalogue/changes?since={cursor}")).await;
    let products = changed["products"].as_array().unwrap();
    assert_eq!(products.len(), 1);
    assert_eq!((products[0]["id"].as_i64(), products[0]["stock"].as_i64()), (Some(7), Some(1)));
    let after_stock = changed["next"].as_str().unwrap().to_string();
    assert_ne!(after_stock, cursor);

    // A sale and a cancellation move the cursor on too; a lower id changed after a
    // higher one is still seen (the old second-resolution cursor skipped it).
    let (status, _) = staff.send("PUT", "/api/staff/products/9/stock", json!({"stock": 10})).await;
    assert_eq!(status, 204);
    let shopper = app.shopper().await;
    shopper.add_to_cart(9, 2).await;
    let (status, order) = shopper.checkout("key-sync-0001", "guest@example.com").await;
    assert_eq!(status, 201, "{order}");
    let (status, _) = staff.send("PUT", "/api/staff/products/3/stock", json!({"stock": 5})).await;
    assert_eq!(status, 204);
    let (_, changed) = app.get_json(&format!("/api/catalogue/changes?since={after_stock}")).await;
    let ids: Vec<_> = changed["products"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [9, 3]);

    // A device still holding a cursor of the older `updated_at~id` form starts over.
    let (status, again) = app.get_json("/api/catalogue/changes?since=2026-11-23T18:00:00Z~42").await;
    assert_eq!(status, 200);
    assert_eq!(again["products"].as_array().unwrap().len(), 240);

    let (status, _) = app.get_json("/api/catalogue/changes?since=garbage").await;
    assert_eq!(status, 400);
}

/// The seed writes ids of its own; new rows afterwards still get fresh ones (PostgreSQL
/// keeps a separate counter the seed has to move on).
#[tokio::test]
async fn rows_added_after_the_seed_get_new_ids() {
    let app = spawn_app().await;
    aisle_api::catalogue::seed::replace_catalogue(&app.db, 30).await.unwrap();
    let id: i64 = sqlx::query_scalar("INSERT INTO categories (slug, name, description, position) VALUES ('new', 'New', 'New things', 99) RETURNING id")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let max: i64 = sqlx::query_scalar("SELECT MAX(id) FROM categories WHERE slug <> 'new'").fetch_one(&app.db).await.unwrap();
    assert!(id > max, "{id} after {max}");
}

/// Instances started together on a new database seed it once between them. On
/// PostgreSQL they also migrate it together (sqlx's migrator locks); a SQLite file has
/// one server, so there the schema is made first and only the seeding races.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_seed_a_new_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::helpers::TestDatabase::new(dir.path()).await;
    let url = database.url.clone();
    if !crate::helpers::on_postgres() {
        aisle_api::platform::db::open(&url).await.unwrap();
    }
    let starts = (0..3).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            let db = aisle_api::platform::db::open(&url).await.expect("open");
            aisle_api::demo::seed_if_empty(&db).await.expect("seed")
        })
    });
    let mut seeded = 0;
    for start in starts.collect::<Vec<_>>() {
        seeded += usize::from(start.await.unwrap());
    }
    assert_eq!(seeded, 1);
    let db = aisle_api::platform::db::open(&url).await.unwrap();
    let (products, articles): (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM faq_articles)").fetch_one(&db).await.unwrap();
    assert_eq!(products, aisle_api::catalogue::seed::DEMO_PRODUCTS as i64);
    assert!(articles > 0 && articles < 100, "{articles} help articles");
}

#[tokio::test]
async fn search_results_and_a_brands_products_sort_and_filter_like_a_category() {
    let app = spawn_app().await;
    // A brand of two among the oak products, so there is a brand to choose; set before
    // the first read, which builds the shelves.
    let harbour: Vec<i64> = sqlx::query_scalar("SELECT id FROM products WHERE lower(name) LIKE '%oak%' ORDER BY id LIMIT 2").fetch_all(&app.db).await.unwrap();
    for id in &harbour {
        sqlx::query("UPDATE products SET brand = 'Harbour & Sons' WHERE id = $1").bind(id).execute(&app.db).await.unwrap();
    }
    let (status, _) = app.staff().await.send("PUT", &format!("/api/staff/products/{}/stock", harbour[0]), json!({"stock": 0})).await;
    assert_eq!(status, 204);
    let (_, oak) = app.get_json("/api/search?q=oak&limit=100").await;
    let all: Vec<i64> = oak["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert!(all.len() >= 4 && harbour.iter().all(|id| all.contains(id)), "{oak}");
    let prices = |p: &Value| p["items"].as_array().unwrap().iter().map(|i| i["price"]["minor"].as_i64().unwrap()).collect::<Vec<_>>();
    let ids = |p: &Value| p["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect::<Vec<_>>();

    // Search: best match first by default; any order and filter of a category.
    let (status, found) = app.get_json("/api/search?q=oak&limit=100&sort=price").await;
    assert_eq!(status, 200, "{found}");
    assert!(prices(&found).windows(2).all(|w| w[0] <= w[1]), "{found}");
    assert_eq!(found["total"].as_u64(), Some(all.len() as u64));
    assert!(found["facets"]["brands"].as_array().unwrap().iter().any(|b| b["brand"] == "Harbour & Sons" && b["count"] == 2), "{found}");
    let (_, in_harbour) = app.get_json("/api/search?q=oak&brand=Harbour%20%26%20Sons&stock=in").await;
    assert_eq!((ids(&in_harbour), in_harbour["total"].as_u64()), (vec![harbour[1]], Some(1)), "{in_harbour}");
    // `limit` cuts the items, not the count.
    let (_, two) = app.get_json("/api/search?q=oak&limit=2&sort=-price").await;
    assert_eq!((two["items"].as_array().unwrap().len(), two["total"].as_u64()), (2, Some(all.len() as u64)));
    for (q, field) in [("sort=cheapest", "sort"), ("min=abc", "min"), ("min=50&max=10", "max"), ("stars=9", "stars")] {
        let (status, e) = app.get_json(&format!("/api/search?q=oak&{q}")).await;
        assert_eq!((status, e["error"]["field"].as_str()), (400, Some(field)), "{q}: {e}");
    }

    // A brand's own listing, by its name as written (escaped in the path).
    let (status, brand) = app.get_json("/api/brands/Harbour%20%26%20Sons/products?sort=-price").await;
    assert_eq!(status, 200, "{brand}");
    assert_eq!(brand["brand"], "Harbour & Sons");
    assert_eq!(brand["total"], 2);
    assert!(prices(&brand).windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(brand["facets"]["in_stock"], 1);
    let (_, in_stock) = app.get_json("/api/brands/Harbour%20%26%20Sons/products?stock=in").await;
    assert_eq!(ids(&in_stock), vec![harbour[1]]);
    let (status, e) = app.get_json("/api/brands/Nobody/products").await;
    assert_eq!((status, e["error"]["code"].as_str()), (404, Some("not_found")), "{e}");
    let (status, e) = app.get_json("/api/brands/Harbour%20%26%20Sons/products?max=abc").await;
    assert_eq!((status, e["error"]["field"].as_str()), (400, Some("max")), "{e}");
}
