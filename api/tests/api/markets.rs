//! Markets: a UK shopper is priced and charged in pounds, at the shop's rate and
//! rounding or at the price staff set by hand; the order, its lines and its total stay
//! in pounds; a checkout that showed euros for a UK address is refused.

use crate::helpers::{cart_lines, spawn_app_with, with_markets};
use aisle_domain::{delivery::ShopRules, market::InMarket, Currency, Money, Product};
use serde_json::{json, Value};

fn london() -> Value {
    json!({"name": "Ada Lovelace", "line1": "10 Downing Street", "city": "London", "postcode": "SW1A 2AA", "country": "GB"})
}

#[tokio::test]
async fn a_uk_order_is_priced_charged_and_kept_in_pounds() {
    let app = spawn_app_with(with_markets).await;
    let (_, rules) = app.get_json("/api/checkout/rules").await;
    let rules: ShopRules = serde_json::from_value(rules).expect("rules");
    let uk = rules.markets.for_country("GB").cloned().expect("the built-in rules sell to the UK in pounds");
    assert_eq!(uk.currency, Currency::GBP);

    let staff = app.staff().await;
    // Two products sold as themselves (a line needs no variant), in stock.
    let mut plain = Vec::new();
    for n in 1..40 {
        let (status, p) = app.get_json(&format!("/api/products/{n}")).await;
        if status == 200 && p["variants"].as_array().is_none_or(Vec::is_empty) && p["stock"].as_i64().unwrap_or(0) >= 3 {
            plain.push(n);
        }
        if plain.len() == 2 {
            break;
        }
    }
    let [id, other_id] = plain[..] else { panic!("two plain products in the demo catalogue") };

    // Staff set the mug's UK price by hand; a price for a market the shop lacks is refused.
    let (_, p) = staff.get(&format!("/api/staff/products/{id}")).await;
    let mut form = json!({
        "name": p["name"], "slug": p["slug"], "description": p["description"], "brand": p["brand"],
        "sku": p["sku"].as_str().unwrap_or(""), "barcode": p["barcode"].as_str().unwrap_or(""),
        "price": "20.00", "compare_at": "", "stock": p["stock"].to_string(), "stock_was": p["stock"].to_string(),
        "weight_grams": p["weight_grams"].to_string(), "tax_class": p["tax_class"], "category_id": p["category_id"], "status": p["status"],
        "market_prices": [{"currency": "USD", "price": "25.00"}],
    });
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}"), form.clone()).await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("market_prices")), "{body}");
    form["market_prices"] = json!([{"currency": "GBP", "price": "abc"}]);
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}"), form.clone()).await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("market_price_GBP")), "{body}");
    form["market_prices"] = json!([{"currency": "GBP", "price": "17.50"}]);
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}"), form.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["market_prices"], json!([{"minor": 1750, "currency": "GBP"}]));
    // A save without the field (an import, an older back office) keeps it.
    form.as_object_mut().expect("form").remove("market_prices");
    let (status, body) = staff.send("PUT", &format!("/api/staff/products/{id}"), form).await;
    assert_eq!((status, &body["market_prices"]), (200, &json!([{"minor": 1750, "currency": "GBP"}])), "{body}");

    // The catalogue carries the shop's price and the override; the market prices it.
    let (_, product) = app.get_json(&format!("/api/products/{id}")).await;
    let mut product: Product = serde_json::from_value(product).expect("product");
    assert_eq!(product.price, Money::new(2000, Currency::EUR));
    product.in_market(Some(&uk));
    assert_eq!(product.price, Money::new(1750, Currency::GBP));

    // A page the server draws for a cold visit is in the chosen country's money too
    // (the web app keeps the country in a cookie); without it, in the shop's.
    let page = |cookie: Option<&'static str>| {
        let mut req = app.client.get(format!("{}/p/{}", app.url, product.slug));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        async move { req.send().await.expect("page").text().await.expect("html") }
    };
    assert!(page(Some("aisle_country=GB")).await.contains("£17.50"), "the first view in pounds");
    assert!(page(None).await.contains("€20.00"), "the first view in euros");

    // A second product without an override converts: its price × rate, up to .99.
    let (_, other) = app.get_json(&format!("/api/products/{other_id}")).await;
    let mut other: Product = serde_json::from_value(other).expect("product");
    let base = other.price.minor;
    other.in_market(Some(&uk));
    assert_eq!(other.price.currency, Currency::GBP);
    assert_eq!(other.price.minor % 100, 99);
    assert!(other.price.minor >= base * 86 / 100);

    let shopper = app.shopper().await;
    shopper.add_to_cart(id, 2).await;
    shopper.add_to_cart(other.id, 1).await;
    let lines: Vec<Value> = cart_lines(&shopper)
        .await
        .into_iter()
        .map(|mut l| {
            l["unit_price_minor"] = json!(if l["product_id"] == json!(id) { 1750 } else { other.price.minor });
            l
        })
        .collect();
    let body = |currency: &str, lines: Vec<Value>| {
        json!({"email": "ada@example.com", "address": london(), "payment_method": "pay_on_delivery", "delivery_method": "standard", "expected": lines, "currency": currency})
    };

    // Euros shown for a UK address: refused, nothing placed.
    let (status, refused) = shopper.send_with("POST", "/api/orders", body("EUR", lines.clone()), &[("idempotency-key", "uk-euro-shown")]).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("cart_changed")), "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap_or("").contains("GBP"), "{refused}");
    // Euro prices in a pound checkout are prices the shopper did not see: refused.
    let euro_lines: Vec<Value> = cart_lines(&shopper).await;
    let (status, _) = shopper.send_with("POST", "/api/orders", body("GBP", euro_lines), &[("idempotency-key", "uk-eur-lines")]).await;
    assert_eq!(status, 409);

    let (status, order) = shopper.send_with("POST", "/api/orders", body("GBP", lines), &[("idempotency-key", "uk-pounds-order")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["total"]["currency"], "GBP", "{order}");
    // Delivery to the UK (€14.90 in the built-in rules) converts at 0.86 to the penny;
    // the UK is an export: no VAT.
    let delivery = uk.convert(1490, Currency::EUR);
    assert_eq!(order["total"]["minor"].as_i64(), Some(2 * 1750 + other.price.minor + delivery), "{order}");
    assert!(order["items"].as_array().expect("items").iter().any(|l| l["unit_price"]["minor"] == json!(1750) && l["unit_price"]["currency"] == "GBP"), "{order}");
}
