//! Delivery and VAT at checkout: the server charges the quote the cart showed, by the
//! same rules, and refuses a total the shopper did not see.

use crate::helpers::spawn_app;
use aisle_domain::{
    delivery::{MethodKind, ShopRules},
    pricing::totals::{Line, TaxClass},
};
use serde_json::json;

/// Product 7 with stock enough for every test here.
async fn stocked(app: &crate::helpers::TestApp) {
    sqlx::query("UPDATE products SET stock = 20 WHERE id = 7").execute(&app.db).await.expect("stock");
}

fn german_address() -> serde_json::Value {
    crate::helpers::berlin()
}

/// The cart's lines as the checkout sends them.
async fn expected(s: &crate::helpers::Shopper) -> (Vec<serde_json::Value>, i64) {
    let (_, cart) = s.get("/api/cart").await;
    let lines = cart["lines"].as_array().expect("lines");
    let goods = lines.iter().map(|l| l["product"]["price"]["minor"].as_i64().unwrap_or(0) * l["quantity"].as_i64().unwrap_or(0)).sum();
    (lines.iter().map(|l| json!({"product_id": l["product"]["id"], "quantity": l["quantity"], "unit_price_minor": l["product"]["price"]["minor"]})).collect(), goods)
}

#[tokio::test]
async fn the_rules_are_served_and_an_order_is_charged_the_quote_it_was_shown() {
    let app = spawn_app().await;
    let (status, rules) = app.shopper().await.get("/api/checkout/rules").await;
    assert_eq!(status, 200);
    let rules: ShopRules = serde_json::from_value(rules).expect("the rules read back");
    // The next cut-offs, worked out in the shop's time zone for the delivery promise.
    assert_eq!(rules.schedule.slots.len(), aisle_api::checkout::promise::SLOTS);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    assert!(rules.schedule.slots[0].order_by > now - 5);
    assert_eq!(
        ShopRules { schedule: Default::default(), ..rules.clone() },
        // The tests' shop sells in one currency (see `helpers::with_markets`).
        ShopRules { terms_version: 1, markets: Default::default(), ..ShopRules::default() },
        "the built-in rules, with the sample terms"
    );

    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, goods) = expected(&s).await;
    let quote = rules.quote("DE", Some(MethodKind::Express), &[Line { unit_minor: goods, quantity: 1, tax: TaxClass::Standard }], Default::default()).expect("quoted");
    let body = |total: i64| json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "express", "expected": lines, "expected_total_minor": total});

    // A total other than the one due (say the shop's rules changed since): refused,
    // naming both, and nothing is taken.
    let (status, err) = s.send_with("POST", "/api/orders", body(goods), &[("idempotency-key", "key-total-0001")]).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "cart_changed");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("the total is now"), "{err}");
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 1, "the cart is kept");

    let (status, order) = s.send_with("POST", "/api/orders", body(quote.totals.total_minor), &[("idempotency-key", "key-total-0002")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["total"]["minor"], quote.totals.total_minor);
    let charges = &order["charges"];
    assert_eq!(charges["delivery_method"], "express");
    assert_eq!(charges["delivery"]["minor"], 990);
    assert_eq!(charges["goods"]["minor"], goods);
    assert_eq!(charges["tax"][0]["rate"], 1900);
    assert_eq!(charges["tax"][0]["tax_minor"], quote.totals.tax_minor);
    // The day promised for express (one day on the way), as the checkout showed it.
    let promised = aisle_domain::delivery::promise::promise(&rules.schedule, now, 1).expect("a promise");
    assert_eq!(order["promised_on"], promised.arrives_on.as_str());
}

#[tokio::test]
async fn a_country_not_delivered_to_and_a_method_not_offered_are_refused_with_reasons() {
    let app = spawn_app().await;
    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let mut address = german_address();
    address["country"] = json!("US");
    address["postcode"] = json!("10001");
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "expected": lines});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0001")]).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["field"], "country");
    assert!(err["error"]["message"].as_str().unwrap_or_default().starts_with("We do not deliver to"), "{err}");

    let mut address = german_address();
    address["country"] = json!("FR");
    address["postcode"] = json!("75001");
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "delivery_method": "collect", "expected": lines});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0002")]).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("Collect in store is not offered"), "{err}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.db).await.expect("count");
    assert_eq!(count, 0, "nothing was placed");

    // An unknown method is a bad request naming the field, not a server error.
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "teleport", "expected": lines});
    let (status, _) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-where-0003")]).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_book_is_taxed_at_the_reduced_rate_and_an_export_carries_no_vat() {
    let app = crate::helpers::spawn_app_with(crate::helpers::with_markets).await;
    stocked(&app).await;
    sqlx::query("UPDATE products SET tax_class = 'reduced' WHERE id = 7").execute(&app.db).await.expect("reduced");
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let (lines, goods) = expected(&s).await;
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-books-0001")]).await;
    assert_eq!(status, 201, "{order}");
    let rates: Vec<i64> = order["charges"]["tax"].as_array().expect("tax").iter().map(|t| t["rate"].as_i64().unwrap_or(0)).collect();
    let delivery = if goods >= 5000 { vec![700] } else { vec![700, 1900] };
    assert_eq!(rates, delivery, "the book at 7 %, any delivery charge at 19 %");

    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let mut address = german_address();
    address["country"] = json!("CH");
    address["postcode"] = json!("8001");
    // Switzerland is its own market (francs): the lines in the prices it shows there.
    let (_, rules) = app.get_json("/api/checkout/rules").await;
    let rules: aisle_domain::delivery::ShopRules = serde_json::from_value(rules).expect("rules");
    let swiss = rules.markets.for_country("CH").expect("a Swiss market");
    let lines: Vec<serde_json::Value> = lines
        .into_iter()
        .map(|mut l| {
            let eur = l["unit_price_minor"].as_i64().unwrap_or(0);
            l["unit_price_minor"] = json!(swiss.price(eur, aisle_domain::Currency::EUR));
            l
        })
        .collect();
    let body = json!({"email": "ada@example.com", "address": address, "payment_method": "pay_on_delivery", "expected": lines, "currency": "CHF"});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-swiss-0001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["charges"]["tax"].as_array().map(Vec::len), Some(0), "{order}");
    assert_eq!(order["charges"]["delivery"], json!({"minor": swiss.convert(1490, aisle_domain::Currency::EUR), "currency": "CHF"}));
}

pub fn with_bank(state: &mut aisle_api::AppState) {
    let account = aisle_domain::payment::BankAccount { holder: "Aisle GmbH".into(), iban: "DE89 3704 0044 0532 0130 00".into(), bic: "COBADEFFXXX".into() };
    state.offer_payments(aisle_api::checkout::payments::Payments::new(Some(account)));
}

#[tokio::test]
async fn a_bank_transfer_waits_for_staff_to_mark_it_paid_once_before_packing() {
    let app = crate::helpers::spawn_app_with(with_bank).await;
    stocked(&app).await;
    let (_, rules) = app.shopper().await.get("/api/checkout/rules").await;
    assert_eq!(rules["payments"], json!(["pay_on_delivery", "bank_transfer", "invoice"]));
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "bank_transfer", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-bank-00001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["payment_state"], "awaiting_payment");
    assert_eq!(order["transfer"]["reference"], order["number"]);
    assert_eq!(order["transfer"]["account"]["iban"], "DE89 3704 0044 0532 0130 00");
    assert_eq!(order["transfer"]["amount"], order["total"]);
    let number = order["number"].as_str().expect("number").to_string();

    let staff = app.staff().await;
    let (status, err) = staff.send("POST", &format!("/api/staff/orders/{number}/pack"), json!({})).await;
    assert_eq!(status, 409, "{err}");
    let (_, list) = staff.get("/api/staff/orders?status=placed").await;
    assert!(list.as_array().expect("list").iter().any(|o| o["number"] == number.as_str() && o["payment_state"] == "awaiting_payment"));

    let (status, paid) = staff.send("POST", &format!("/api/staff/orders/{number}/paid"), json!({})).await;
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["payment_state"], "paid");
    assert!(paid["transfer"].is_null(), "nothing more to transfer");
    assert!(paid["paid_at"].is_string());
    let (status, err) = staff.send("POST", &format!("/api/staff/orders/{number}/paid"), json!({})).await;
    assert_eq!(status, 409, "a replayed 'mark paid' changes nothing");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("already marked paid"), "{err}");
    let (status, _) = staff.send("POST", &format!("/api/staff/orders/{number}/pack"), json!({})).await;
    assert_eq!(status, 200, "packed once paid");

    // A shopper cannot mark their own order paid.
    let (status, _) = s.send("POST", &format!("/api/staff/orders/{number}/paid"), json!({})).await;
    assert!(status == 401 || status == 403, "{status}");
}

#[tokio::test]
async fn bank_transfer_is_not_offered_without_the_shops_account() {
    let app = spawn_app().await;
    stocked(&app).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "bank_transfer", "expected": lines});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-bank-00002")]).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("pay on delivery"), "{err}");
    // A pay-on-delivery order has no transfer to mark.
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-bank-00003")]).await;
    assert_eq!(status, 201, "{order}");
    let (status, _) = app.staff().await.send("POST", &format!("/api/staff/orders/{}/paid", order["number"].as_str().unwrap_or_default()), json!({})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_code_is_checked_with_its_reason_and_redeemed_once_within_its_limits() {
    let app = spawn_app().await;
    stocked(&app).await;
    let staff = app.staff().await;
    // Staff make codes; every problem with the form is named by its field.
    let (status, err) = staff.send("POST", "/api/staff/codes", json!({"code": "x", "kind": "percent", "value": "150"})).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["field"], "value");
    let (status, code) = staff.send("POST", "/api/staff/codes", json!({"code": "winter-10", "kind": "percent", "value": "10", "max_uses": "1"})).await;
    assert_eq!(status, 201, "{code}");
    assert_eq!(code["code"], "WINTER10");
    let (status, _) = staff.send("POST", "/api/staff/codes", json!({"code": "WINTER 10", "kind": "fixed", "value": "5"})).await;
    assert_eq!(status, 409, "the same code twice");
    let (status, _) = staff.send("POST", "/api/staff/codes", json!({"code": "ENDED", "kind": "fixed", "value": "5", "ends_on": "2020-11-30"})).await;
    assert_eq!(status, 201);

    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    // As typed: lower case and spaces are fine; an ended code says when it ended.
    let (status, err) = s.send("PUT", "/api/cart/code", json!({"code": "ended"})).await;
    assert_eq!(status, 409);
    assert_eq!(err["error"]["message"], "This code ended on 30 Nov 2020.");
    let (status, err) = s.send("PUT", "/api/cart/code", json!({"code": "nope"})).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("do not know"));
    let (status, cart) = s.send("PUT", "/api/cart/code", json!({"code": " winter 10 "})).await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(cart["code"]["code"], "WINTER10");
    assert_eq!(cart["code"]["benefit"], json!({"kind": "percent", "percent": 10}));

    // The order takes the code: its discount is in the charges and the total.
    let (lines, goods) = expected(&s).await;
    let discount = (goods * 10 * 2 + 100) / 200;
    let rules = ShopRules::default();
    let quote = rules
        .quote("DE", None, &[Line { unit_minor: goods, quantity: 1, tax: TaxClass::Standard }], aisle_domain::offers::Discount { discount_minor: discount, free_delivery: false })
        .expect("quoted");
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines, "code": "WINTER10", "expected_total_minor": quote.totals.total_minor});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-code-00001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["charges"]["discount"]["minor"], discount);
    assert_eq!(order["charges"]["code"], "WINTER10");
    let (_, cart) = s.get("/api/cart").await;
    assert!(cart["code"].is_null(), "a code is for one order");

    // Its one use is gone: the next shopper is told, and nothing is charged.
    let other = app.shopper().await;
    other.add_to_cart(7, 1).await;
    let (status, err) = other.send("PUT", "/api/cart/code", json!({"code": "WINTER10"})).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("used as often as it can be"), "{err}");
    let (lines, _) = expected(&other).await;
    let body = json!({"email": "bo@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines, "code": "WINTER10"});
    let (status, err) = other.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-code-00002")]).await;
    assert_eq!(status, 409, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().starts_with("Nothing was charged"), "{err}");

    let (_, codes) = staff.get("/api/staff/codes").await;
    let winter = codes.as_array().expect("codes").iter().find(|c| c["code"] == "WINTER10").cloned().expect("listed");
    assert_eq!(winter["uses"], 1);
    assert_eq!(winter["discounted"]["minor"], discount);
    assert_eq!(winter["revenue"]["minor"], order["total"]["minor"]);
}

#[tokio::test]
async fn twenty_shoppers_race_for_a_codes_last_use_and_one_wins() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET stock = 99 WHERE id = 7").execute(&app.db).await.expect("stock");
    let staff = app.staff().await;
    let (status, _) = staff.send("POST", "/api/staff/codes", json!({"code": "LAST", "kind": "fixed", "value": "1", "max_uses": "1"})).await;
    assert_eq!(status, 201);
    let mut shoppers = Vec::new();
    for _ in 0..20 {
        let s = app.shopper().await;
        s.add_to_cart(7, 1).await;
        let (status, _) = s.send("PUT", "/api/cart/code", json!({"code": "LAST"})).await;
        assert_eq!(status, 200);
        shoppers.push(s);
    }
    let placed = futures_util::future::join_all(shoppers.iter().enumerate().map(|(i, s)| async move {
        let (lines, _) = expected(s).await;
        let body = json!({"email": format!("racer{i}@example.com"), "address": german_address(), "payment_method": "pay_on_delivery", "expected": lines, "code": "LAST"});
        s.send_with("POST", "/api/orders", body, &[("idempotency-key", &format!("key-race-{i:05}"))]).await.0
    }))
    .await;
    assert_eq!(placed.iter().filter(|s| **s == 201).count(), 1, "{placed:?}");
    assert!(placed.iter().all(|s| *s == 201 || *s == 409), "{placed:?}");
    let uses: i64 = sqlx::query_scalar("SELECT uses FROM discount_codes WHERE code = 'LAST'").fetch_one(&app.db).await.expect("uses");
    assert_eq!(uses, 1);
}

#[tokio::test]
async fn pay_on_delivery_carries_the_shops_fee_taxed_as_delivery_and_a_transfer_none() {
    let app = crate::helpers::spawn_app_with(|state| {
        let mut rules = state.rules.as_ref().clone();
        rules.payment_fees = vec![aisle_domain::delivery::PaymentFee { method: aisle_domain::payment::PaymentMethod::PayOnDelivery, fee_minor: 200 }];
        state.rules = std::sync::Arc::new(rules);
        with_bank(state);
    })
    .await;
    stocked(&app).await;
    let (_, rules) = app.shopper().await.get("/api/checkout/rules").await;
    assert_eq!(rules["payment_fees"], json!([{"method": "pay_on_delivery", "fee_minor": 200}]));
    let rules: ShopRules = serde_json::from_value(rules).expect("rules");
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (lines, goods) = expected(&s).await;
    let unit = goods;
    let quoted = |payment| {
        rules
            .quote_paid("DE", Some(MethodKind::Standard), &[Line { unit_minor: unit, quantity: 1, tax: TaxClass::Standard }], Default::default(), Some(payment))
            .expect("quoted")
            .totals
    };
    let cod = quoted(aisle_domain::payment::PaymentMethod::PayOnDelivery);
    assert_eq!(cod.fee_minor, 200);
    assert_eq!(cod.total_minor, goods + cod.delivery_minor + 200);

    // The total the checkout showed, fee included, is what is charged.
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "standard", "expected": lines, "expected_total_minor": cod.total_minor});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-fee-000001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["charges"]["fee"]["minor"], 200);
    assert_eq!(order["total"]["minor"], cod.total_minor);
    let vat: i64 = order["charges"]["tax"].as_array().expect("tax").iter().map(|t| t["tax_minor"].as_i64().unwrap_or(0)).sum();
    assert_eq!(vat, cod.tax_minor, "the fee's VAT is in the VAT lines");
    let (_, _, mail) = crate::helpers::last_email(&app, "ada@example.com").await;
    assert!(mail.contains("Pay on delivery fee"), "{mail}");

    // A total shown without the fee is refused, naming both.
    s.add_to_cart(7, 1).await;
    let (lines, _) = expected(&s).await;
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "pay_on_delivery", "delivery_method": "standard", "expected": lines, "expected_total_minor": cod.total_minor - 200});
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-fee-000002")]).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("cart_changed")), "{err}");

    // A transfer has no fee.
    let body = json!({"email": "ada@example.com", "address": german_address(), "payment_method": "bank_transfer", "delivery_method": "standard", "expected": lines});
    let (status, order) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-fee-000003")]).await;
    assert_eq!(status, 201, "{order}");
    assert!(order["charges"]["fee"].is_null(), "{order}");
}

#[tokio::test]
async fn a_code_for_some_products_only_takes_off_theirs() {
    let app = spawn_app().await;
    let other: i64 = sqlx::query_scalar("SELECT id FROM products WHERE id <> 7 AND status = 'published' AND id NOT IN (SELECT product_id FROM variants) ORDER BY id LIMIT 1")
        .fetch_one(&app.db)
        .await
        .expect("a simple product");
    sqlx::query("UPDATE products SET stock = 20 WHERE id IN (7, $1)").bind(other).execute(&app.db).await.expect("stock");
    let staff = app.staff().await;
    let code = |products: &str| json!({"code": "JUST7", "kind": "percent", "value": "10", "products": products});
    let (status, err) = staff.send("POST", "/api/staff/codes", code("7, 999999")).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("products")), "{err}");
    let (status, made) = staff.send("POST", "/api/staff/codes", code("7")).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["products"], json!([7]), "{made}");

    let s = app.shopper().await;
    s.add_to_cart(other, 1).await;
    let (status, err) = s.send("PUT", "/api/cart/code", json!({"code": "just7"})).await;
    assert_eq!(status, 409, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("other products"), "{err}");
    s.add_to_cart(7, 1).await;
    let (status, cart) = s.send("PUT", "/api/cart/code", json!({"code": "just7"})).await;
    assert_eq!(status, 200, "{cart}");
}
