//! Accounts, carts, checkout, orders and fulfilment, through the real HTTP API.

use crate::helpers::{address, checkout_body, last_email, link_in, spawn_app, TestApp};
use serde_json::json;

async fn stock_of(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT stock FROM products WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap()
}

async fn set_stock(app: &TestApp, id: i64, stock: i64) {
    sqlx::query("UPDATE products SET stock = $1 WHERE id = $2").bind(stock).bind(id).execute(&app.db).await.unwrap();
}

#[tokio::test]
async fn sign_up_sign_out_and_sign_in_again() {
    let app = spawn_app().await;
    let mut s = app.shopper().await;
    let body = s.sign_up("Ada@Example.com").await;
    assert_eq!(body["customer"]["email"], "ada@example.com");
    let (_, me) = s.get("/api/session").await;
    assert_eq!(me["customer"]["name"], "Ada Lovelace");

    let (status, _) = s.send("DELETE", "/api/session", json!({})).await;
    assert_eq!(status, 204);
    s.refresh().await;
    let (_, me) = s.get("/api/session").await;
    assert!(me["customer"].is_null());

    let (status, err) = s.send("POST", "/api/session", json!({"email": "ada@example.com", "password": "wrong password"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("wrong_credentials")));
    let (status, ok) = s.send("POST", "/api/session", json!({"email": "ADA@example.com ", "password": "a long password"})).await;
    assert_eq!(status, 200, "{ok}");

    let mut other = app.shopper().await;
    let (status, err) = other
        .send("POST", "/api/account", json!({"email": "ada@example.com", "password": "another long one", "name": "Ada"}))
        .await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("email_taken")));
    let (status, err) = other.send("POST", "/api/account", json!({"email": "x@y.co", "password": "short", "name": "X"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("password")));
    other.refresh().await;
}

#[tokio::test]
async fn stored_passwords_are_argon2id_hashes() {
    let app = spawn_app().await;
    app.shopper().await.sign_up("hash@example.com").await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM customers WHERE email = 'hash@example.com'").fetch_one(&app.db).await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_with_a_clear_message() {
    let app = spawn_app().await;
    app.shopper().await.sign_up("limit@example.com").await;
    let s = app.shopper().await;
    for _ in 0..5 {
        let (status, _) = s.send("POST", "/api/session", json!({"email": "limit@example.com", "password": "nope nope nope"})).await;
        assert_eq!(status, 409);
    }
    let (status, err) = s.send("POST", "/api/session", json!({"email": "limit@example.com", "password": "a long password"})).await;
    assert_eq!(status, 429);
    assert!(err["error"]["message"].as_str().unwrap().contains("Please wait"), "{err}");
}

#[tokio::test]
async fn changes_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let s = app.shopper().await;
    let res = s.http.put(format!("{}/api/cart/items", s.url)).json(&json!({"product_id": 1, "quantity": 1})).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = s
        .http
        .put(format!("{}/api/cart/items", s.url))
        .header("x-csrf-token", "0".repeat(64))
        .json(&json!({"product_id": 1, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 0, "nothing changed");
    // No session at all: told to reload, never a 500.
    let res = reqwest::Client::new().get(format!("{}/api/cart", app.url)).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_guest_cart_merges_at_sign_in_and_is_gone_after_sign_out() {
    let app = spawn_app().await;
    set_stock(&app, 3, 50).await;
    set_stock(&app, 4, 50).await;
    let mut s = app.shopper().await;
    s.sign_up("merge@example.com").await;
    s.add_to_cart(3, 2).await;
    s.send("DELETE", "/api/session", json!({})).await;
    s.refresh().await;
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 0, "the next person on this device sees no cart");

    s.add_to_cart(3, 1).await;
    s.add_to_cart(4, 4).await;
    let (status, _) = s.send("POST", "/api/session", json!({"email": "merge@example.com", "password": "a long password"})).await;
    assert_eq!(status, 200);
    s.refresh().await;
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 7, "2 + 1 of product 3 and 4 of product 4: {cart}");
    assert_eq!(cart["lines"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_cart_refuses_more_than_is_in_stock_and_bad_quantities() {
    let app = spawn_app().await;
    set_stock(&app, 5, 2).await;
    let s = app.shopper().await;
    let (status, err) = s.send("PUT", "/api/cart/items", json!({"product_id": 5, "quantity": 3})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("sold_out")));
    assert!(err["error"]["message"].as_str().unwrap().starts_with("Only 2 of"));
    for q in [-1, 100, 1_000_000_000_000i64] {
        let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": 5, "quantity": q})).await;
        assert_eq!(status, 400, "quantity {q}");
    }
    let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": 99999, "quantity": 1})).await;
    assert_eq!(status, 404);
    let (status, _) = s.send("PUT", "/api/cart/items", json!({"product_id": "five"})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_guest_checks_out_once_however_often_the_request_is_retried() {
    let app = spawn_app().await;
    set_stock(&app, 7, 10).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 3).await;
    let (status, order) = s.checkout("key-guest-0001", "guest@example.com").await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["status"], "placed");
    assert_eq!(order["items"][0]["quantity"], 3);
    assert_eq!(order["events"][0]["status"], "placed");
    assert_eq!(stock_of(&app, 7).await, 7);
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["count"], 0, "the cart is emptied by the order");

    // The same request again (say the network dropped the answer): the same order.
    let body = checkout_body("guest@example.com", vec![json!({"product_id": 7, "quantity": 3, "unit_price_minor": order["items"][0]["unit_price"]["minor"]})]);
    let (status, again) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-guest-0001")]).await;
    assert_eq!(status, 200);
    assert_eq!(again["number"], order["number"]);
    assert_eq!(stock_of(&app, 7).await, 7, "stock taken once");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 1);

    // The guest reads the order with its token; anyone else gets "not found".
    let number = order["number"].as_str().unwrap();
    let token = order["access_token"].as_str().unwrap();
    let (status, _) = s.get(&format!("/api/orders/{number}?token={token}")).await;
    assert_eq!(status, 200);
    let stranger = app.shopper().await;
    let (status, _) = stranger.get(&format!("/api/orders/{number}")).await;
    assert_eq!(status, 404);
    let (status, _) = stranger.get(&format!("/api/orders/{number}?token=wrong")).await;
    assert_eq!(status, 404);
    // A browser with no cookie at all (a link opened on another device) may ask for
    // the order before it has a session; the token alone must be enough.
    let (status, seen) = app.get_json(&format!("/api/orders/{number}?token={token}")).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["number"], order["number"]);
    let (status, seen) = app.get_json(&format!("/api/orders/{number}?token=wrong")).await;
    assert_eq!(status, 404, "{seen}");

    // The confirmation e-mail is in the outbox, with a link that opens the order in a
    // browser with no session, and nothing else.
    let (kind, subject, text) = last_email(&app, "guest@example.com").await;
    assert_eq!((kind.as_str(), subject), ("order_placed", format!("Your order {number}")));
    let link = link_in(&app, &text, &format!("/orders/{number}?token="));
    let (status, seen) = app.get_json(&format!("/api{link}")).await;
    assert_eq!((status, seen["number"].as_str()), (200, Some(number)), "{seen}");
    assert_eq!(seen["access_token"], "", "a link opens the order without handing out its lasting token");
    let (_, own) = app.get_json(&format!("/api/orders/{number}?token={token}")).await;
    assert_eq!(own["access_token"].as_str(), Some(token), "the browser that placed it keeps it");
    let other = app.shopper().await;
    other.add_to_cart(7, 1).await;
    let (_, b) = other.checkout("key-guest-0002", "other@example.com").await;
    let token_a = link.split("token=").nth(1).unwrap();
    let (status, _) = app.get_json(&format!("/api/orders/{}?token={token_a}", b["number"].as_str().unwrap())).await;
    assert_eq!(status, 404, "order A's link never opens order B");
    let (_, _, text) = last_email(&app, "other@example.com").await;
    assert!(text.contains("#save-details"), "a guest is offered an account:\n{text}");
}

#[tokio::test]
async fn checkout_explains_a_sold_out_item_or_a_changed_price_before_charging() {
    let app = spawn_app().await;
    set_stock(&app, 10, 10).await;
    let s = app.shopper().await;
    s.add_to_cart(10, 2).await;
    let (_, cart) = s.get("/api/cart").await;
    let price = cart["lines"][0]["product"]["price"]["minor"].as_i64().unwrap();
    sqlx::query("UPDATE products SET price_minor = price_minor + 100 WHERE id = 10").execute(&app.db).await.unwrap();
    let body = checkout_body("g@example.com", vec![json!({"product_id": 10, "quantity": 2, "unit_price_minor": price})]);
    let (status, err) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-price-0001")]).await;
    assert_eq!((status, err["error"]["code"].as_str()), (409, Some("cart_changed")));
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(msg.starts_with("Nothing was charged.") && msg.contains("now costs"), "{msg}");
    assert_eq!(stock_of(&app, 10).await, 10, "nothing taken");

    set_stock(&app, 10, 0).await;
    let (status, err) = s.checkout("key-sold-0001", "g@example.com").await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"].as_str().unwrap().contains("is sold out"));

    let (status, err) = s.send_with("POST", "/api/orders", checkout_body("g@example.com", vec![]), &[("idempotency-key", "key-empty-001")]).await;
    assert_eq!((status, err["error"]["message"].as_str()), (400, Some("Your cart is empty.")));
    let (status, _) = s.send("POST", "/api/orders", checkout_body("g@example.com", vec![])).await;
    assert_eq!(status, 400, "no idempotency key");
}

#[tokio::test]
async fn many_buyers_racing_for_the_last_units_never_oversell() {
    let app = spawn_app().await;
    set_stock(&app, 9, 5).await;
    let price: i64 = sqlx::query_scalar("SELECT price_minor FROM products WHERE id = 9").fetch_one(&app.db).await.unwrap();
    let mut buyers = Vec::new();
    for _ in 0..20 {
        buyers.push(app.shopper().await);
    }
    let attempts = buyers.iter().enumerate().map(|(i, b)| {
        let body = checkout_body(&format!("buyer{i}@example.com"), vec![json!({"product_id": 9, "quantity": 1, "unit_price_minor": price})]);
        let key = format!("race-key-{i:04}");
        async move { b.send_with("POST", "/api/orders", body, &[("idempotency-key", &key)]).await.0 }
    });
    let statuses = futures_join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{statuses:?}");
    assert_eq!(stock_of(&app, 9).await, 0);
    let sold: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_items WHERE product_id = 9").fetch_one(&app.db).await.unwrap();
    assert_eq!(sold, 5);
}

async fn futures_join_all<F: std::future::Future<Output = u16>>(fs: impl Iterator<Item = F>) -> Vec<u16> {
    let handles: Vec<_> = fs.map(|f| Box::pin(f)).collect();
    let mut out = Vec::new();
    // Poll them together so the requests really overlap.
    let joined = futures_util::future::join_all(handles).await;
    out.extend(joined);
    out
}

#[tokio::test]
async fn an_order_moves_through_fulfilment_and_self_service_follows_its_status() {
    let app = spawn_app().await;
    set_stock(&app, 10, 20).await;
    let staff = app.staff().await;
    let mut s = app.shopper().await;
    s.sign_up("life@example.com").await;
    s.add_to_cart(10, 2).await;
    let (_, order) = s.checkout("key-life-0001", "").await;
    let number = order["number"].as_str().unwrap().to_string();
    assert_eq!(order["email"], "life@example.com");
    assert_eq!(order["actions"], json!(["cancel", "change_items", "change_address"]));

    // Change quantities and address while placed.
    let (status, changed) = s.send("PUT", &format!("/api/orders/{number}/items"), json!({"items": [{"product_id": 10, "quantity": 5}]})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["items"][0]["quantity"], 5);
    assert_eq!(stock_of(&app, 10).await, 15);
    let mut new_address = address();
    new_address["city"] = json!("Bath");
    let (status, changed) = s.send("PUT", &format!("/api/orders/{number}/address"), new_address.clone()).await;
    assert_eq!((status, changed["address"]["city"].as_str()), (200, Some("Bath")));

    // Staff packs it: the address can no longer change, and the refusal says why.
    let (status, _) = staff.send("POST", &format!("/api/staff/orders/{number}/pack"), json!({})).await;
    assert_eq!(status, 200);
    let (status, err) = s.send("PUT", &format!("/api/orders/{number}/address"), new_address).await;
    assert_eq!(status, 409);
    let msg = err["error"]["message"].as_str().unwrap();
    assert!(msg.contains("was already packed on"), "{msg}");

    // Shipping records carrier, tracking number and dates, and e-mails the customer.
    let (status, err) = staff.send("POST", &format!("/api/staff/orders/{number}/ship"), json!({"carrier": "pigeon", "tracking_number": "JD0123456789"})).await;
    assert_eq!(status, 400, "the carrier is one of the list");
    assert_eq!(err["error"]["field"], "carrier");
    let (status, err) = staff.send("POST", &format!("/api/staff/orders/{number}/ship"), json!({"carrier": "dhl", "tracking_number": "<b>"})).await;
    assert_eq!(status, 400, "{err}");
    assert_eq!(err["error"]["field"], "tracking_number");
    let (status, shipped) = staff.send("POST", &format!("/api/staff/orders/{number}/ship"), json!({"carrier": "dhl", "tracking_number": "JD0123456789"})).await;
    assert_eq!(status, 200, "{shipped}");
    let (_, mine) = s.get(&format!("/api/orders/{number}")).await;
    assert_eq!(mine["status"], "shipped");
    assert_eq!(mine["shipment"]["carrier"], "dhl");
    assert_eq!(mine["shipment"]["tracking_number"], "JD0123456789");
    assert_eq!(mine["shipment"]["tracking_url"], "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD0123456789");
    assert!(mine["shipment"]["estimated_delivery"].as_str().unwrap() > mine["shipment"]["shipped_at"].as_str().unwrap());
    let (status, err) = s.send("POST", &format!("/api/orders/{number}/cancel"), json!({})).await;
    assert_eq!(status, 409);
    assert!(err["error"]["message"].as_str().unwrap().contains("already shipped on"));
    let (status, _) = s.send("POST", &format!("/api/orders/{number}/return"), json!({"reason": "Too big"})).await;
    assert_eq!(status, 409, "no return before delivery");

    for step in ["mark_out_for_delivery", "mark_delivered"] {
        let (status, _) = staff.send("POST", &format!("/api/staff/orders/{number}/{step}"), json!({})).await;
        assert_eq!(status, 200, "{step}");
    }
    let (status, _) = s.send("POST", &format!("/api/orders/{number}/return"), json!({"reason": ""})).await;
    assert_eq!(status, 400, "a reason is needed");
    let (status, returned) = s.send("POST", &format!("/api/orders/{number}/return"), json!({"reason": "Too big"})).await;
    assert_eq!(status, 200);
    assert_eq!(returned["status"], "return_requested");
    let statuses: Vec<&str> = returned["events"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["placed", "placed", "placed", "packed", "shipped", "out_for_delivery", "delivered", "return_requested"]);

    let (status, _) = staff.send("POST", &format!("/api/staff/orders/{number}/complete_return"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(stock_of(&app, 10).await, 20, "returned items are back in stock");
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM emails WHERE to_addr = 'life@example.com' ORDER BY id").fetch_all(&app.db).await.unwrap();
    assert_eq!(kinds, ["order_placed", "order_shipped", "order_out_for_delivery", "order_delivered", "return_received"]);
    let (_, subject, text) = sqlx::query_as::<_, (String, String, String)>("SELECT kind, subject, body FROM emails WHERE kind = 'order_shipped'").fetch_one(&app.db).await.unwrap();
    assert_eq!(subject, format!("Your order {number} is on its way"));
    assert!(text.contains("https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=JD0123456789"), "{text}");
    assert!(!text.contains("#save-details"), "a customer is not offered another account");
}

#[tokio::test]
async fn cancelling_before_shipping_gives_the_stock_back() {
    let app = spawn_app().await;
    set_stock(&app, 11, 4).await;
    let s = app.shopper().await;
    s.add_to_cart(11, 4).await;
    let (_, order) = s.checkout("key-cancel-001", "c@example.com").await;
    assert_eq!(stock_of(&app, 11).await, 0);
    let path = format!("/api/orders/{}/cancel?token={}", order["number"].as_str().unwrap(), order["access_token"].as_str().unwrap());
    let (status, cancelled) = s.send("POST", &path, json!({})).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")));
    assert_eq!(stock_of(&app, 11).await, 4);
    let (status, err) = s.send("POST", &path, json!({})).await;
    assert_eq!(status, 409, "{err}");
}

#[tokio::test]
async fn nobody_reads_or_changes_another_customers_things() {
    let app = spawn_app().await;
    set_stock(&app, 12, 10).await;
    let mut ada = app.shopper().await;
    ada.sign_up("ada@example.com").await;
    ada.add_to_cart(12, 1).await;
    let (_, order) = ada.checkout("key-ada-00001", "").await;
    let number = order["number"].as_str().unwrap();
    let (_, addr) = ada.send("POST", "/api/account/addresses", address()).await;
    let addr_id = addr["id"].as_i64().unwrap();

    let mut eve = app.shopper().await;
    eve.sign_up("eve@example.com").await;
    for (method, path) in [
        ("GET", format!("/api/orders/{number}")),
        ("POST", format!("/api/orders/{number}/cancel")),
        ("PUT", format!("/api/orders/{number}/address")),
    ] {
        let (status, _) = if method == "GET" { eve.get(&path).await } else { eve.send(method, &path, address()).await };
        assert_eq!(status, 404, "{method} {path}");
    }
    let (status, _) = eve.send("PUT", &format!("/api/account/addresses/{addr_id}"), address()).await;
    assert_eq!(status, 404);
    let (status, _) = eve.send("DELETE", &format!("/api/account/addresses/{addr_id}"), json!({})).await;
    assert_eq!(status, 404);
    let (_, eves) = eve.get("/api/orders").await;
    assert!(eves.as_array().unwrap().is_empty());
    let (_, eve_cart) = eve.get("/api/cart").await;
    assert_eq!(eve_cart["count"], 0);

    // Staff pages refuse customers and guests.
    let (status, _) = eve.get("/api/staff/orders").await;
    assert_eq!(status, 403);
    let (status, _) = eve.send("POST", &format!("/api/staff/orders/{number}/pack"), json!({})).await;
    assert_eq!(status, 403);
    let (status, _) = eve.send("PUT", "/api/staff/products/12/stock", json!({"stock": 0})).await;
    assert_eq!(status, 403);
    let guest = app.shopper().await;
    let (status, _) = guest.get("/api/staff/orders").await;
    assert_eq!(status, 401);
    let (status, _) = guest.get("/api/account/addresses").await;
    assert_eq!(status, 401);

    let (_, still) = ada.get(&format!("/api/orders/{number}")).await;
    assert_eq!(still["status"], "placed", "nothing changed");
    assert_eq!(stock_of(&app, 12).await, 9);
}

#[tokio::test]
async fn profile_addresses_and_password_change() {
    let app = spawn_app().await;
    let mut s = app.shopper().await;
    s.sign_up("me@example.com").await;
    let (status, me) = s.send("PUT", "/api/account", json!({"name": "Ada King", "email": "ada.king@example.com", "phone": "+44 20 7946 0000"})).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!((me["name"].as_str(), me["phone"].as_str()), (Some("Ada King"), Some("+44 20 7946 0000")));
    let (status, err) = s.send("PUT", "/api/account", json!({"name": "Ada", "email": "ada.king@example.com", "phone": "call me"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("phone")));

    let (status, first) = s.send("POST", "/api/account/addresses", address()).await;
    assert_eq!(status, 201);
    assert_eq!(first["is_default"], true, "the first address is the default");
    let mut second = address();
    second["city"] = json!("Bath");
    second["is_default"] = json!(true);
    let (_, second) = s.send("POST", "/api/account/addresses", second).await;
    let (_, list) = s.get("/api/account/addresses").await;
    assert_eq!(list[0]["id"], second["id"], "the default comes first");
    assert_eq!(list[1]["is_default"], false);
    let mut bad = address();
    bad["postcode"] = json!("");
    let (status, err) = s.send("POST", "/api/account/addresses", bad).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("postcode")));
    let (status, _) = s.send("DELETE", &format!("/api/account/addresses/{}", second["id"]), json!({})).await;
    assert_eq!(status, 204);
    let (_, list) = s.get("/api/account/addresses").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["is_default"], true, "another address becomes the default");

    // A second device is signed in; changing the password ends it, not this one.
    let mut phone = app.shopper().await;
    let (status, _) = phone.send("POST", "/api/session", json!({"email": "ada.king@example.com", "password": "a long password"})).await;
    assert_eq!(status, 200);
    phone.refresh().await;
    let (status, err) = s.send("PUT", "/api/account/password", json!({"current_password": "wrong", "new_password": "a newer password"})).await;
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("current_password")));
    let (status, _) = s.send("PUT", "/api/account/password", json!({"current_password": "a long password", "new_password": "a newer password"})).await;
    assert_eq!(status, 204);
    let (_, here) = s.get("/api/session").await;
    assert_eq!(here["customer"]["email"], "ada.king@example.com");
    let (_, there) = phone.get("/api/session").await;
    assert!(there["customer"].is_null(), "the other device was signed out");
}

#[tokio::test]
async fn any_change_sent_twice_with_one_key_acts_once() {
    let app = spawn_app().await;
    set_stock(&app, 13, 10).await;
    let mut s = app.shopper().await;
    s.sign_up("once@example.com").await;
    let add = json!({"product_id": 13, "quantity": 2});
    let (first, cart) = s.send_with("PUT", "/api/cart/items", add.clone(), &[("idempotency-key", "cart-key-0001")]).await;
    assert_eq!((first, cart["count"].as_i64()), (200, Some(2)));
    // Meanwhile the cart changes another way; the replay must not undo that.
    s.add_to_cart(13, 5).await;
    let (again, replayed) = s.send_with("PUT", "/api/cart/items", add, &[("idempotency-key", "cart-key-0001")]).await;
    assert_eq!(again, 200);
    assert_eq!(replayed["count"], 2, "the first answer, replayed");
    let (_, now) = s.get("/api/cart").await;
    assert_eq!(now["count"], 5, "the replay changed nothing");

    // A cancel sent twice: one cancellation, stock given back once.
    s.add_to_cart(13, 1).await;
    s.send("PUT", "/api/cart/items", json!({"product_id": 13, "quantity": 1})).await;
    let (_, order) = s.checkout("key-once-0001", "").await;
    let number = order["number"].as_str().unwrap();
    let path = format!("/api/orders/{number}/cancel");
    let (a, _) = s.send_with("POST", &path, json!({}), &[("idempotency-key", "cancel-key-01")]).await;
    let (b, body) = s.send_with("POST", &path, json!({}), &[("idempotency-key", "cancel-key-01")]).await;
    assert_eq!((a, b), (200, 200), "{body}");
    assert_eq!(stock_of(&app, 13).await, 10);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_events WHERE status = 'cancelled'").fetch_one(&app.db).await.unwrap();
    assert_eq!(events, 1);

    // A refusal is replayed as the same refusal; a key on another path is refused.
    let (c, refused) = s.send_with("POST", &path, json!({}), &[("idempotency-key", "cancel-key-02")]).await;
    let (d, refused_again) = s.send_with("POST", &path, json!({}), &[("idempotency-key", "cancel-key-02")]).await;
    assert_eq!((c, d), (409, 409));
    assert_eq!(refused, refused_again);
    let (e, reused) = s.send_with("PUT", "/api/cart/items", json!({"product_id": 13, "quantity": 1}), &[("idempotency-key", "cancel-key-02")]).await;
    assert_eq!((e, reused["error"]["code"].as_str()), (409, Some("idempotency_key_reused")));
    let (f, _) = s.send_with("PUT", "/api/cart/items", json!({"product_id": 13, "quantity": 1}), &[("idempotency-key", "bad key!")]).await;
    assert_eq!(f, 400);
}
