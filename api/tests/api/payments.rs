//! Payment providers at checkout: asked outside the write lock, their reference kept
//! with the order, their authorisation voided when the order fails after all.

use crate::helpers::{order_to_berlin, spawn_app_with};
use aisle_api::{
    checkout::payments::{Authorisation, PaymentProvider, PaymentRequest, Payments},
    platform::db,
};
use aisle_domain::payment::PaymentMethod;
use std::sync::{Arc, Mutex};

/// What a provider under test does when asked.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Authorises, after checking that no order holds the write lock.
    ProbeTheLock,
    Refuse,
    /// Authorises while staff raise product 7's price by €1.
    RaiseThePrice,
}

/// A card-like provider in place of pay on delivery: authorises with a reference and
/// records what it was asked.
struct Provider {
    db: db::Db,
    behaviour: Behaviour,
    log: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl PaymentProvider for Provider {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::PayOnDelivery
    }

    async fn authorise(&self, request: &PaymentRequest<'_>) -> Result<Authorisation, String> {
        self.log.lock().expect("log").push(format!("authorise {} {}", request.amount.minor, request.order_key));
        match self.behaviour {
            Behaviour::ProbeTheLock => {
                // Under the lock this would wait for checkout, which waits for us.
                let tx = tokio::time::timeout(std::time::Duration::from_secs(3), db::begin_write(&self.db)).await;
                assert!(matches!(tx, Ok(Ok(_))), "the provider was asked inside the write lock");
            }
            Behaviour::Refuse => return Err("the card was declined".into()),
            Behaviour::RaiseThePrice => {
                sqlx::query("UPDATE products SET price_minor = price_minor + 100 WHERE id = 7").execute(&self.db).await.map_err(|e| e.to_string())?;
            }
        }
        Ok(Authorisation::Authorised { reference: format!("auth-{}", request.order_key) })
    }

    async fn void(&self, authorisation: &Authorisation) -> Result<(), String> {
        self.log.lock().expect("log").push(format!("void {}", authorisation.reference().unwrap_or_default()));
        Ok(())
    }
}

async fn app_with(behaviour: Behaviour) -> (crate::helpers::TestApp, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let kept = log.clone();
    let app = spawn_app_with(move |state| {
        let provider = Provider { db: state.db.clone(), behaviour, log: kept };
        state.offer_payments(Payments::new(None).with(Box::new(provider)));
    })
    .await;
    sqlx::query("UPDATE products SET stock = 5 WHERE id = 7").execute(&app.db).await.expect("stock");
    (app, log)
}

async fn stock(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT stock FROM products WHERE id = 7").fetch_one(&app.db).await.expect("stock")
}

#[tokio::test]
async fn the_provider_is_asked_outside_the_lock_and_its_reference_kept() {
    let (app, log) = app_with(Behaviour::ProbeTheLock).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let body = crate::helpers::berlin_order(&s, "pay_on_delivery").await;
    let (status, order) = s.send_with("POST", "/api/orders", body.clone(), &[("idempotency-key", "key-pay-00001")]).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["payment_reference"], "auth-key-pay-00001");
    assert_eq!(*log.lock().expect("log"), vec![format!("authorise {} key-pay-00001", order["total"]["minor"])]);
    assert_eq!(stock(&app).await, 3);

    // A retry answers with the same order and authorises nothing more.
    let (status, again) = s.send_with("POST", "/api/orders", body, &[("idempotency-key", "key-pay-00001")]).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["number"], order["number"]);
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn a_refused_payment_places_nothing_and_keeps_the_cart() {
    let (app, log) = app_with(Behaviour::Refuse).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 2).await;
    let (status, err) = order_to_berlin(&s, "key-pay-00002", "pay_on_delivery").await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "payment_refused");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("the card was declined"), "{err}");
    assert_eq!(stock(&app).await, 5);
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.db).await.expect("count");
    assert_eq!(orders, 0);
    let (_, cart) = s.get("/api/cart").await;
    assert_eq!(cart["lines"].as_array().map(Vec::len), Some(1), "the cart is kept to try again");
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn an_order_that_changed_while_the_provider_answered_is_refused_and_voided() {
    let (app, log) = app_with(Behaviour::RaiseThePrice).await;
    let s = app.shopper().await;
    s.add_to_cart(7, 1).await;
    let (status, err) = order_to_berlin(&s, "key-pay-00003", "pay_on_delivery").await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "cart_changed");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("Nothing was charged"), "{err}");
    assert_eq!(*log.lock().expect("log").last().expect("voided"), "void auth-key-pay-00003");
    assert_eq!(stock(&app).await, 5, "no stock taken");
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(&app.db).await.expect("count");
    assert_eq!(orders, 0);
}

#[tokio::test]
async fn a_bank_statement_marks_paid_what_it_pays_exactly_and_reports_the_rest() {
    let app = spawn_app_with(crate::checkout_totals::with_bank).await;
    sqlx::query("UPDATE products SET stock = 50 WHERE id = 7").execute(&app.db).await.expect("stock");
    let mut placed = Vec::new();
    for (key, payment) in [("key-stmt-00001", "bank_transfer"), ("key-stmt-00002", "bank_transfer"), ("key-stmt-00003", "pay_on_delivery")] {
        let s = app.shopper().await;
        s.add_to_cart(7, 1).await;
        let (status, order) = order_to_berlin(&s, key, payment).await;
        assert_eq!(status, 201, "{order}");
        placed.push((order["number"].as_str().expect("number").to_string(), order["total"]["minor"].as_i64().expect("total")));
    }
    // The third is sent on invoice, so it has an invoice number to pay by.
    let (invoiced, invoiced_total) = placed[2].clone();
    sqlx::query("UPDATE orders SET payment_state = 'on_invoice' WHERE number = $1").bind(&invoiced).execute(&app.db).await.expect("on invoice");
    let staff = app.staff().await;
    crate::helpers::deliver(&staff, &invoiced).await;
    let euros = |minor: i64| format!("{},{:02}", minor / 100, minor % 100);
    let (exact, short) = (&placed[0], &placed[1]);
    let csv = format!(
        "Konto;DE89370400440532013000\n\
         Buchungstag;Auftraggeber;Verwendungszweck;Betrag (EUR)\n\
         07.12.2026;Ada Lovelace;Bestellung {} vielen Dank;{}\n\
         07.12.2026;Grace Hopper;{};{}\n\
         07.12.2026;Analytical Engines GmbH;Rechnung INV-000001;{}\n\
         07.12.2026;Someone;Miete Dezember;500,00\n\
         07.12.2026;Stadtwerke;Strom;-80,00\n",
        exact.0.to_lowercase(),
        euros(exact.1),
        short.0,
        euros(short.1 - 100),
        euros(invoiced_total),
    );

    let shopper = app.shopper().await;
    let (status, _) = shopper.send("POST", "/api/staff/payments/statement", serde_json::json!({"csv": csv})).await;
    assert!(status == 401 || status == 403, "{status}");

    let (status, report) = staff.send("POST", "/api/staff/payments/statement", serde_json::json!({"csv": csv})).await;
    assert_eq!(status, 200, "{report}");
    let outcomes: Vec<(String, String)> = report["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["order"].as_str().unwrap_or("-").to_string(), l["outcome"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (exact.0.clone(), "paid".to_string()),
            (short.0.clone(), "review".to_string()),
            (invoiced.clone(), "paid".to_string()),
            ("-".to_string(), "unmatched".to_string()),
        ],
        "money going out is left out: {report}"
    );
    assert!(report["lines"][1]["message"].as_str().unwrap_or_default().contains("which owes"), "{report}");
    assert_eq!(report["lines"][0]["row"], 3);
    let state = |number: String| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, String>("SELECT payment_state FROM orders WHERE number = $1").bind(number).fetch_one(&db).await.expect("state") }
    };
    assert_eq!(state(exact.0.clone()).await, "paid");
    assert_eq!(state(short.0.clone()).await, "awaiting_payment");
    assert_eq!(state(invoiced.clone()).await, "paid");

    // The same file again pays nothing twice.
    let (_, again) = staff.send("POST", "/api/staff/payments/statement", serde_json::json!({"csv": csv})).await;
    assert_eq!(again["lines"][0]["outcome"], "already_paid", "{again}");
    assert_eq!(again["lines"][2]["outcome"], "already_paid", "{again}");

    let (status, err) = staff.send("POST", "/api/staff/payments/statement", serde_json::json!({"csv": "just some text\nand more"})).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["error"]["message"].as_str().unwrap_or_default().contains("Verwendungszweck"), "{err}");
}
