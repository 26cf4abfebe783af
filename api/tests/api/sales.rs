//! Sales (automatic offers): a category priced lower from its first day to its last,
//! shown as sale prices with the price before as "was", bought at that price, and
//! given back when it ends.

use crate::helpers::{order_to_berlin, spawn_app, TestApp};
use serde_json::json;

async fn category_of_7(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT c.slug FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = 7").fetch_one(&app.db).await.expect("category")
}

async fn price(app: &TestApp, id: i64) -> (i64, Option<i64>, i64) {
    sqlx::query_as("SELECT price_minor, compare_at_minor, version FROM products WHERE id = $1").bind(id).fetch_one(&app.db).await.expect("price")
}

fn sale(name: &str, category: &str, percent: &str, starts_on: &str, ends_on: &str) -> serde_json::Value {
    json!({"name": name, "percent": percent, "category": category, "starts_on": starts_on, "ends_on": ends_on})
}

#[tokio::test]
async fn a_sale_prices_its_category_lower_while_it_runs_and_gives_the_prices_back() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 20 WHERE id = 7").execute(&app.db).await.expect("stock");
    let category = category_of_7(&app).await;
    let in_category: Vec<i64> = sqlx::query_scalar("SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id WHERE c.slug = $1 AND p.status <> 'archived' ORDER BY p.id")
        .bind(&category)
        .fetch_all(&app.db)
        .await
        .expect("products");
    let other = in_category.iter().copied().find(|&id| id != 7).expect("a second product in the category");
    let (was, compare_was, version_was) = price(&app, 7).await;
    let staff = app.staff().await;

    // Only staff, and only a sale that makes sense.
    let (status, _) = app.shopper().await.send("POST", "/api/staff/sales", sale("Winter sale", &category, "10", "2020-01-01", "2099-12-31")).await;
    assert!(status == 401 || status == 403, "{status}");
    for (body, field) in [
        (sale("Winter sale", &category, "95", "2020-01-01", "2099-12-31"), "percent"),
        (sale("Winter sale", "no-such-category", "10", "2020-01-01", "2099-12-31"), "category"),
        (sale("Winter sale", &category, "10", "2020-01-01", "2020-01-31"), "ends_on"),
    ] {
        let (status, err) = staff.send("POST", "/api/staff/sales", body).await;
        assert_eq!((status, err["error"]["field"].as_str()), (400, Some(field)), "{err}");
    }

    // One to come changes nothing yet.
    let (status, later) = staff.send("POST", "/api/staff/sales", sale("Spring sale", &category, "20", "2099-03-01", "2099-03-31")).await;
    assert_eq!(status, 201, "{later}");
    assert_eq!(later["state"], "scheduled");
    assert_eq!(price(&app, 7).await.0, was);

    // One that runs today prices the category at once.
    let (status, running) = staff.send("POST", "/api/staff/sales", sale("Winter sale", &category, "10", "2020-01-01", "2099-12-31")).await;
    assert_eq!(status, 201, "{running}");
    assert_eq!(running["state"], "running");
    assert!(running["priced"].as_u64().unwrap_or(0) >= 2, "{running}");
    let sale_minor = aisle_domain::offers::sale::sale_price(was, 10);
    let (now, compare_at, version) = price(&app, 7).await;
    assert_eq!((now, compare_at), (sale_minor, Some(compare_was.map_or(was, |c| c.max(was)))));
    assert!(version > version_was, "devices holding the catalogue fetch the new price");
    let (_, shown) = app.get_json("/api/products/7").await;
    assert_eq!(shown["price"]["minor"], sale_minor, "{shown}");
    assert_eq!(shown["compare_at"]["minor"], compare_at.unwrap_or_default(), "the card shows the price before as 'was'");

    // Sales do not stack: a second one on the same products prices none of them.
    let (_, second) = staff.send("POST", "/api/staff/sales", sale("Flash sale", &category, "30", "2020-01-01", "2099-12-31")).await;
    assert_eq!(second["priced"], 0, "{second}");

    // A shopper buys at the sale price; the sale counts the order.
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let (status, order) = order_to_berlin(&s, "key-sale-000001", "pay_on_delivery").await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["items"][0]["unit_price"]["minor"], sale_minor);
    let (_, sales) = staff.get("/api/staff/sales").await;
    let winter = sales.as_array().expect("sales").iter().find(|x| x["id"] == running["id"]).expect("listed").clone();
    assert_eq!((winter["orders"].as_u64(), winter["revenue"]["minor"].as_i64()), (Some(1), Some(sale_minor * 2)), "{winter}");

    // Staff set another product's price by hand during the sale: it stays theirs.
    sqlx::query("UPDATE products SET price_minor = 1234 WHERE id = $1").bind(other).execute(&app.db).await.expect("by hand");
    let (status, stopped) = staff.send("POST", &format!("/api/staff/sales/{}/stop", running["id"]), json!({})).await;
    assert_eq!(status, 200, "{stopped}");
    assert_eq!(stopped["state"], "ended");
    assert_eq!(stopped["kept"], 1, "{stopped}");
    assert_eq!(price(&app, 7).await.0, was);
    assert_eq!(price(&app, 7).await.1, compare_was, "the 'was' price goes too");
    assert_eq!(price(&app, other).await.0, 1234);
    // Stopping again changes nothing.
    let (status, again) = staff.send("POST", &format!("/api/staff/sales/{}/stop", running["id"]), json!({})).await;
    assert_eq!((status, again["kept"].as_u64()), (200, Some(1)));
    let (status, _) = staff.send("POST", "/api/staff/sales/999/stop", json!({})).await;
    assert_eq!(status, 404);
}
