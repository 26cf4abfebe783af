//! Variants: a T-shirt in sizes and colours, bought two at a time, packed and e-mailed
//! by variant; staff editing them, and every wrong request answered.

use crate::helpers::{checkout_body, last_email, spawn_app, TestApp};
use serde_json::{json, Value};

/// The first demo product with two options (Size and Colour).
async fn a_tee(app: &TestApp) -> Value {
    for id in (8..240).step_by(12) {
        let (status, p) = app.get_json(&format!("/api/products/{id}")).await;
        if status == 200 && p["options"].as_array().is_some_and(|o| o.len() == 2) {
            return p;
        }
    }
    panic!("the demo shop has no product in sizes and colours");
}

fn in_stock(p: &Value) -> Vec<Value> {
    p["variants"].as_array().unwrap().iter().filter(|v| v["stock"].as_i64().unwrap() >= 3).cloned().collect()
}

#[tokio::test]
async fn two_variants_of_one_product_are_two_lines_through_to_the_packing_slip_and_email() {
    let app = spawn_app().await;
    let p = a_tee(&app).await;
    let id = p["id"].as_i64().unwrap();
    let variants = p["variants"].as_array().unwrap();
    // The product's own figures are its variants'.
    let lowest = variants.iter().map(|v| v["price"]["minor"].as_i64().unwrap()).min().unwrap();
    let total: i64 = variants.iter().map(|v| v["stock"].as_i64().unwrap()).sum();
    assert_eq!(p["price"]["minor"].as_i64(), Some(lowest));
    assert_eq!(p["stock"].as_i64(), Some(total));
    assert_eq!(p["options"][0]["name"], "Size");
    // A crawler reads an offer per variant, each at its own address and price.
    let html = app.get(&format!("/p/{}", p["slug"].as_str().unwrap())).await.text().await.unwrap();
    let ld = html.split("<script type=\"application/ld+json\">").nth(1).and_then(|s| s.split("</script>").next()).expect("JSON-LD");
    let ld: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    let offers = ld["offers"].as_array().expect("an offer per variant");
    assert_eq!(offers.len(), variants.len());
    assert!(offers[0]["url"].as_str().unwrap().ends_with(&format!("?variant={}", variants[0]["id"])), "{}", offers[0]);
    assert_eq!(offers[0]["sku"], variants[0]["sku"]);

    let s = app.shopper().await;
    // The product alone cannot go in the cart: it is sold as one of its variants.
    let (status, body) = s.send("PUT", "/api/cart/items", json!({"product_id": id, "quantity": 1})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("choose"), "{body}");
    // A variant that does not exist, or is another product's.
    let (status, body) = s.send("PUT", "/api/cart/items", json!({"product_id": id, "variant_id": 999_999, "quantity": 1})).await;
    assert_eq!(status, 404, "{body}");
    let other = a_variant_of_another(&app, id).await;
    let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": id, "variant_id": other, "quantity": 1})).await;
    assert_eq!(status, 404);

    let stocked = in_stock(&p);
    let (a, b) = (&stocked[0], &stocked[1]);
    s.send("PUT", "/api/cart/items", json!({"product_id": id, "variant_id": a["id"], "quantity": 1})).await;
    let (status, cart) = s.send("PUT", "/api/cart/items", json!({"product_id": id, "variant_id": b["id"], "quantity": 2})).await;
    assert_eq!(status, 200, "{cart}");
    let lines = cart["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{cart}");
    assert_eq!(lines[0]["variant"]["title"].as_str().unwrap(), a["options"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join(" / "));
    assert_eq!(lines[1]["product"]["price"], b["price"]);
    assert_eq!(lines[1]["product"]["stock"], b["stock"]);
    assert_eq!(cart["count"], 3);

    let (status, order) = s.checkout("tee-order-0001", "tee@example.com").await;
    assert_eq!(status, 201, "{order}");
    let items = order["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let titles: Vec<&str> = items.iter().map(|i| i["variant"]["title"].as_str().unwrap()).collect();
    assert_ne!(titles[0], titles[1]);
    assert!(items.iter().all(|i| !i["variant"]["sku"].as_str().unwrap().is_empty()));

    // Each variant's stock went down by what was bought, and the product's by both.
    let (_, after) = app.get_json(&format!("/api/products/{id}")).await;
    let stock_of = |p: &Value, v: &Value| p["variants"].as_array().unwrap().iter().find(|x| x["id"] == v["id"]).unwrap()["stock"].as_i64().unwrap();
    assert_eq!(stock_of(&after, a), a["stock"].as_i64().unwrap() - 1);
    assert_eq!(stock_of(&after, b), b["stock"].as_i64().unwrap() - 2);
    assert_eq!(after["stock"].as_i64(), Some(total - 3));

    // The e-mail names both, with links that open the product on each.
    let (_, _, text) = last_email(&app, "tee@example.com").await;
    for (t, v) in titles.iter().zip([a, b]) {
        assert!(text.contains(t), "{t} in:\n{text}");
        assert!(text.contains(&format!("?variant={}", v["id"])) || !text.contains("/p/"), "{text}");
    }
    // The packing list names both, with their SKUs.
    let staff = app.staff().await;
    let (_, list) = staff.get(&format!("/api/staff/orders?q={}", order["number"].as_str().unwrap())).await;
    let packing = list.as_array().map(|a| a[0].clone()).unwrap_or_else(|| list["items"][0].clone());
    let lines = packing["lines"].as_array().unwrap_or_else(|| panic!("{list}"));
    let packed: Vec<&str> = lines.iter().map(|l| l["variant"].as_str().unwrap_or("")).collect();
    for t in &titles {
        assert!(packed.contains(t), "{t} on {packed:?}");
    }
    assert!(lines.iter().all(|l| !l["sku"].as_str().unwrap_or("").is_empty()));

    // Cancelling gives each variant its units back.
    let number = order["number"].as_str().unwrap();
    let token = order["access_token"].as_str().unwrap();
    let (status, _) = s.send("POST", &format!("/api/orders/{number}/cancel?token={token}"), json!({})).await;
    assert_eq!(status, 200);
    let (_, back) = app.get_json(&format!("/api/products/{id}")).await;
    assert_eq!(stock_of(&back, a), a["stock"].as_i64().unwrap());
    assert_eq!(back["stock"].as_i64(), Some(total));
}

async fn a_variant_of_another(app: &TestApp, not: i64) -> i64 {
    for id in (8..240).step_by(12) {
        let (_, p) = app.get_json(&format!("/api/products/{id}")).await;
        if id != not {
            if let Some(v) = p["variants"].as_array().and_then(|v| v.first()) {
                return v["id"].as_i64().unwrap();
            }
        }
    }
    panic!("no second product with variants");
}

#[tokio::test]
async fn staff_edit_variants_and_a_deleted_one_leaves_carts_with_a_reason() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    // A mug sold as itself gets two sizes.
    let (_, mug) = app.get_json("/api/products/1").await;
    assert!(mug.get("variants").is_none() || mug["variants"].as_array().unwrap().is_empty());
    let form = json!({
        "options": [{"name": "Size", "values": ["Small", "Large"]}],
        "variants": [
            {"options": ["Small"], "sku": "MUG-S", "price": "9.00", "stock": "4"},
            {"options": ["Large"], "sku": "MUG-L", "price": "12.50", "compare_at": "15.00", "stock": "2"}
        ]
    });
    let (status, saved) = staff.send("PUT", "/api/staff/products/1/variants", form).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["variants"].as_array().unwrap().len(), 2);
    assert_eq!(saved["price"]["minor"], 900);
    assert_eq!(saved["stock"], 6);
    let (_, shown) = app.get_json("/api/products/1").await;
    assert_eq!(shown["variants"][1]["compare_at"]["minor"], 1500);
    // Its stock is per variant now.
    let (status, _) = staff.send("PUT", "/api/staff/products/1/stock", json!({"stock": 50})).await;
    assert_eq!(status, 400);

    // Found by a variant's SKU.
    let (_, found) = app.get_json("/api/search?q=MUG-L").await;
    assert_eq!(found["items"][0]["id"], 1, "{found}");

    // Every wrong form is refused with its reason, and nothing is saved.
    for (bad, says) in [
        (json!({"options": [{"name": "Size", "values": ["Small"]}], "variants": [{"options": ["Small"], "price": "9", "stock": "1"}, {"options": ["Small"], "price": "9", "stock": "1"}]}), "listed twice"),
        (json!({"options": [{"name": "Size", "values": ["Small"]}], "variants": [{"options": ["Huge"], "price": "9", "stock": "1"}]}), "not one of Size"),
        (json!({"options": [{"name": "Size", "values": ["Small"]}], "variants": [{"options": ["Small"], "price": "nine", "stock": "1"}]}), "price"),
        (json!({"options": [{"name": "Size", "values": ["Small"]}], "variants": [{"options": ["Small"], "price": "9", "stock": "-1"}]}), "stock must be"),
        (json!({"options": [{"name": "Size", "values": ["Small"]}], "variants": [{"options": ["Small"], "price": "9", "stock": "1", "photo_id": 424242}]}), "photo"),
        (json!({"options": [{"name": "A", "values": ["1"]}, {"name": "B", "values": ["1"]}, {"name": "C", "values": ["1"]}, {"name": "D", "values": ["1"]}], "variants": []}), "at most 3"),
    ] {
        let (status, body) = staff.send("PUT", "/api/staff/products/1/variants", bad.clone()).await;
        assert_eq!(status, 400, "{bad} → {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(says), "{bad} → {body}");
    }
    let (_, same) = app.get_json("/api/products/1").await;
    assert_eq!(same["variants"], shown["variants"]);

    // A shopper has the large one in the cart; staff then drop it.
    let s = app.shopper().await;
    let large = shown["variants"][1]["id"].as_i64().unwrap();
    let small = shown["variants"][0]["id"].as_i64().unwrap();
    let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": 1, "variant_id": large, "quantity": 1})).await;
    assert_eq!(status, 200);
    let seen_price = 1250;
    let keep_small = json!({
        "options": [{"name": "Size", "values": ["Small"]}],
        "variants": [{"id": small, "options": ["Small"], "sku": "MUG-S", "price": "9.00", "stock": "4", "stock_was": "4"}]
    });
    let (status, body) = staff.send("PUT", "/api/staff/products/1/variants", keep_small).await;
    assert_eq!(status, 200, "{body}");
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["lines"].as_array().unwrap().len(), 0, "the deleted variant left the cart: {cart}");
    // A checkout queued offline with the deleted variant is refused with the reason.
    let body = checkout_body("late@example.com", vec![json!({"product_id": 1, "variant_id": large, "quantity": 1, "unit_price_minor": seen_price})]);
    let (status, body) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "late-order-0001")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("no longer sold in the size"), "{body}");

    // Without options the mug is sold as itself again.
    let (status, body) = staff.send("PUT", "/api/staff/products/1/variants", json!({"options": [], "variants": []})).await;
    assert_eq!(status, 200, "{body}");
    let (_, plain) = app.get_json("/api/products/1").await;
    assert!(plain.get("variants").is_none(), "{plain}");
    let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": 1, "quantity": 1})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn variants_go_out_and_come_back_in_shopifys_csv_rows() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let tee = a_tee(&app).await;
    let slug = tee["slug"].as_str().unwrap().to_string();
    let res = staff.http.get(format!("{}/api/staff/products/export.csv", staff.url)).send().await.unwrap();
    let csv = res.text().await.unwrap();
    assert!(csv.lines().next().unwrap().ends_with("Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value"));
    let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with(&format!("{slug},"))).collect();
    assert_eq!(rows.len(), tee["variants"].as_array().unwrap().len(), "one row per variant:\n{}", rows.join("\n"));
    assert!(rows[0].contains(",Size,") && rows[0].contains(",Colour,"), "{}", rows[0]);
    // As exported, nothing changes.
    let (status, report) = staff.send("POST", "/api/staff/products/import", json!({"csv": csv, "apply": false})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["updated"].as_i64(), report["errors"].as_array().map(Vec::len), report["skipped_rows"].as_i64()), (Some(0), Some(0), Some(0)), "{report}");

    // A new product in three sizes, Shopify-style, one of them priced differently.
    let file = "Handle,Title,Type,Published,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n\
                fell-socks,Fell Socks,Clothing,TRUE,Size,35–38,FELL-S,9.00,10\n\
                fell-socks,,,,,39–42,FELL-M,9.00,0\n\
                fell-socks,,,,,43–46,FELL-L,10.50,4\n";
    let (status, done) = staff.send("POST", "/api/staff/products/import", json!({"csv": file, "apply": true})).await;
    assert_eq!((status, done["applied"].as_bool()), (200, Some(true)), "{done}");
    let (_, socks) = app.get_json("/api/products/fell-socks").await;
    assert_eq!(socks["options"], json!([{"name": "Size", "values": ["35–38", "39–42", "43–46"]}]));
    assert_eq!(socks["variants"][2]["price"]["minor"], 1050);
    assert_eq!((socks["price"]["minor"].as_i64(), socks["stock"].as_i64()), (Some(900), Some(14)));

    // A variant row with no value, and two rows of one combination: each said, nothing saved.
    let bad = "Handle,Title,Type,Option1 Name,Option1 Value,Variant Price,Variant Inventory Qty\n\
               fell-socks,Fell Socks,Clothing,Size,35–38,9.00,10\n\
               fell-socks,,,,35–38,9.00,3\n";
    let (_, report) = staff.send("POST", "/api/staff/products/import", json!({"csv": bad, "apply": true})).await;
    assert_eq!(report["applied"].as_bool(), Some(false), "{report}");
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("listed twice"), "{report}");
    let (_, same) = app.get_json("/api/products/fell-socks").await;
    assert_eq!(same["variants"], socks["variants"]);
    // A copy under a new handle with the same variant SKUs is refused in the preview,
    // by its line: one SKU names one thing on the shelf.
    let copy = "Handle,Title,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n\
                fell-socks-2,Fell Socks Again,Clothing,Size,35–38,FELL-S,9.00,10\n";
    let (_, report) = staff.send("POST", "/api/staff/products/import", json!({"csv": copy, "apply": false})).await;
    assert_eq!(report["errors"][0]["message"], "line 2: Variant SKU: another product of the shop has FELL-S.", "{report}");
}

#[tokio::test]
async fn a_sold_out_size_can_be_waited_for_and_its_email_names_it() {
    let app = spawn_app().await;
    let staff = app.staff().await;
    let tee = a_tee(&app).await;
    let id = tee["id"].as_i64().unwrap();
    let variants = tee["variants"].as_array().unwrap().clone();
    let (gone, other) = (&variants[0], &variants[1]);
    // Staff sell the first size out, and keep the others.
    let form = |stock0: &str| {
        json!({
            "options": tee["options"],
            "variants": variants.iter().enumerate().map(|(i, v)| json!({
                "id": v["id"], "sku": v["sku"], "options": v["options"],
                "price": format!("{:.2}", v["price"]["minor"].as_f64().unwrap() / 100.0),
                "stock": if i == 0 { stock0.to_string() } else { v["stock"].to_string() },
            })).collect::<Vec<_>>()
        })
    };
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}/variants"), form("0")).await;
    assert_eq!(status, 200, "{body}");

    let s = app.shopper().await;
    let (status, _) = s.send("POST", &format!("/api/products/{id}/alerts"), json!({"email": "size@example.com", "variant_id": gone["id"]})).await;
    assert_eq!(status, 204);
    // A size in stock, or one the product does not have, is not waited for.
    if other["stock"].as_i64().unwrap() > 0 {
        let (status, _) = s.send("POST", &format!("/api/products/{id}/alerts"), json!({"email": "size@example.com", "variant_id": other["id"]})).await;
        assert_eq!(status, 409);
    }
    let (status, _) = s.send("POST", &format!("/api/products/{id}/alerts"), json!({"email": "size@example.com", "variant_id": 999_999})).await;
    assert_eq!(status, 404);

    // Back in stock: one e-mail, naming the size, linking to it.
    let (status, _) = staff.send("PUT", &format!("/api/staff/products/{id}/variants"), form("5")).await;
    assert_eq!(status, 200);
    let (kind, _, text) = last_email(&app, "size@example.com").await;
    assert_eq!(kind, "back_in_stock");
    let title = gone["options"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>().join(" / ");
    assert!(text.contains(&title), "{title} in:\n{text}");
    assert!(text.contains(&format!("?variant={}", gone["id"])), "{text}");
}

#[tokio::test]
async fn a_category_filters_by_size_in_stock_with_a_count_beside_each_size() {
    let app = spawn_app().await;
    let (status, all) = app.get_json("/api/categories/clothing/products?per_page=100").await;
    assert_eq!(status, 200);
    let sizes = all["facets"]["options"].as_array().expect("option facets").iter().find(|o| o["option"] == "Size").expect("Size").clone();
    let m = sizes["values"].as_array().unwrap().iter().find(|v| v["value"] == "M").expect("M").clone();
    let (_, page) = app.get_json("/api/categories/clothing/products?per_page=100&option=Size:M").await;
    assert_eq!(page["total"], m["count"], "the count beside M is what choosing it shows");
    let (_, in_stock) = app.get_json("/api/categories/clothing/products?per_page=100&option=size:m&stock=in&sort=price").await;
    // Every product shown has an M in stock.
    for item in in_stock["items"].as_array().unwrap() {
        let (_, p) = app.get_json(&format!("/api/products/{}", item["id"])).await;
        assert!(p["variants"].as_array().unwrap().iter().any(|v| v["options"][0] == "M" && v["stock"].as_i64().unwrap() > 0), "{}", p["name"]);
    }
    assert!(in_stock["total"].as_i64().unwrap() <= page["total"].as_i64().unwrap());
    // Selling out every M of a product takes it out of "M in stock" at once.
    let first = in_stock["items"][0]["id"].as_i64().unwrap();
    let before = in_stock["total"].as_i64().unwrap();
    for v in app.get_json(&format!("/api/products/{first}")).await.1["variants"].as_array().unwrap() {
        if v["options"][0] == "M" {
            sqlx::query("UPDATE variants SET stock = 0 WHERE id = $1").bind(v["id"].as_i64().unwrap()).execute(&app.db).await.unwrap();
        }
    }
    let staff = app.staff().await;
    // A variants save announces the stock (as every stock change does).
    let (_, p) = staff.get(&format!("/api/staff/products/{first}")).await;
    let form = json!({
        "options": p["options"],
        "variants": p["variants"].as_array().unwrap().iter().map(|v| json!({"id": v["id"], "sku": v["sku"], "options": v["options"], "price": format!("{:.2}", v["price"]["minor"].as_f64().unwrap() / 100.0), "stock": v["stock"].to_string()})).collect::<Vec<_>>(),
    });
    assert_eq!(staff.send("PUT", &format!("/api/staff/products/{first}/variants"), form).await.0, 200);
    let (_, after) = app.get_json("/api/categories/clothing/products?per_page=100&option=Size:M&stock=in&sort=price").await;
    assert_eq!(after["total"].as_i64(), Some(before - 1));
    // A wrong option is named.
    let (status, body) = app.get_json("/api/categories/clothing/products?option=M").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["field"], "option");
}
