//! The demo shop a new database starts with, the same on every machine: the catalogue
//! (see `catalogue::seed`) and the help articles (see `support::faq::seed`); and, when
//! asked (`AISLE_DEMO_HISTORY=on`, which `cargo xtask run` sets), a made-up past so a
//! fresh demo shows what a shop in business shows: delivered orders, and the reviews
//! and stars, best sellers and "bought together" they lead to.

use crate::{
    catalogue,
    platform::{clock, db::{self, Db}, token},
    support,
};
use aisle_domain::review::ReviewStatus;

/// Seeds what is missing; `true` when the catalogue was seeded. The help articles are
/// seeded if they are missing, whatever the catalogue holds.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    support::faq::seed::seed_if_empty(db).await?;
    catalogue::seed::seed_if_empty(db).await
}

/// Orders the demo history places.
pub const DEMO_ORDERS: usize = 120;

/// Buyers' names: the reviews name them "Maya P.".
const NAMES: &[&str] = &[
    "Maya Patel", "Jonas Becker", "Amelia Hughes", "Lukas Schmidt", "Sofia Rossi", "Noah Williams", "Lena Fischer", "Oliver Brown",
    "Hannah Wagner", "Leo Martin", "Emma Schulz", "Ben Taylor", "Mia Hoffmann", "Finn O'Brien", "Clara Weber", "Aarav Shah",
];

/// What buyers write, by stars: a title and a text each.
const WORDS: [&[(&str, &str)]; 5] = [
    &[("Disappointed", "It broke within a week. I sent it back."), ("Not as described", "Smaller and flimsier than the photos suggest.")],
    &[("Could be better", "Does the job, but the finish is rough and it feels cheap."), ("Meh", "Fine for the price, nothing more.")],
    &[("Okay", "Works as it should. Delivery was quick."), ("Decent", "Good enough for everyday use; I expected a little more.")],
    &[("Very good", "Well made and exactly as pictured. Would buy again."), ("Happy with it", "Solid, arrived quickly, well packed.")],
    &[("Love it", "Excellent quality, better than I hoped.\n\nBought a second one as a present."), ("Perfect", "Exactly what I needed. Fast delivery too.")],
];

/// A small deterministic generator: the same history on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// The demo history, once: nothing happens when the shop has any order. Returns how
/// many orders it placed. The orders are delivered, placed over the four months before
/// last week by
/// guests with `example.com` addresses (so no e-mail reaches anyone), from the first
/// products of each category; about two thirds of their lines are reviewed.
pub async fn seed_history(db: &Db) -> Result<usize, sqlx::Error> {
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(db).await?;
    if orders > 0 {
        return Ok(0);
    }
    // The first six products of each category: enough for stars on every category page.
    let products: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.name, p.slug, p.price_minor, p.currency FROM products p \
         WHERE p.status = 'published' AND (SELECT COUNT(*) FROM products q WHERE q.category_id = p.category_id AND q.status = 'published' AND q.id < p.id) < 6 \
         ORDER BY p.id",
    )
    .fetch_all(db)
    .await?;
    if products.is_empty() {
        return Ok(0);
    }
    let mut dice = Dice(0x5EED);
    let now = clock::now_unix();
    let mut tx = db::begin_write(db).await?;
    for n in 0..DEMO_ORDERS {
        let name = NAMES[dice.next(NAMES.len())];
        // A week's room at the end: the newest order's review (five days after it was
        // placed) is still in the past.
        let placed = now - ((DEMO_ORDERS - n) as i64 + 6) * 86_400 - dice.next(80_000) as i64;
        let delivered = placed + 3 * 86_400;
        // One to three lines; a second product from near the first, as things bought
        // together sit together.
        let first = dice.next(products.len());
        let mut lines = vec![first];
        for _ in 0..dice.next(3) {
            let other = (first + 1 + dice.next(5)) % products.len();
            if !lines.contains(&other) {
                lines.push(other);
            }
        }
        let total: i64 = lines.iter().map(|i| products[*i].3).sum();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (number, email, status, placed_at, total_minor, currency, payment_method, ship_name, ship_line1, ship_line2, ship_city, \
             ship_postcode, ship_country, carrier, tracking_number, shipped_at, access_token, idempotency_key, lang) \
             VALUES ($1, $2, 'delivered', $3, $4, $5, 'pay_on_delivery', $6, '1 Demo Street', '', 'Leeds', 'LS1 1AA', 'GB', 'dhl', $7, $8, $9, $10, 'en') RETURNING id",
        )
        // Numbered as checkout numbers them, once the id is known.
        .bind(format!("demo-{n}"))
        .bind(format!("demo.buyer.{n}@example.com"))
        .bind(clock::iso(placed))
        .bind(total)
        .bind(&products[first].4)
        .bind(name)
        .bind(format!("JD{:08}", 10_000_000 + n))
        .bind(clock::iso(placed + 86_400))
        .bind(token::random_token())
        .bind(format!("demo-history-{n}"))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("UPDATE orders SET number = $1 WHERE id = $2").bind(format!("A{id:06}")).bind(id).execute(&mut *tx).await?;
        for (status, at) in [("placed", placed), ("packed", placed + 3_600), ("shipped", placed + 86_400), ("delivered", delivered)] {
            sqlx::query("INSERT INTO order_events (order_id, status, at) VALUES ($1, $2, $3)").bind(id).bind(status).bind(clock::iso(at)).execute(&mut *tx).await?;
        }
        for (line, i) in lines.iter().enumerate() {
            let (product_id, pname, slug, price, _) = &products[*i];
            sqlx::query("INSERT INTO order_items (order_id, product_id, name, slug, unit_price_minor, quantity, line) VALUES ($1, $2, $3, $4, $5, 1, $6)")
                .bind(id)
                .bind(product_id)
                .bind(pname)
                .bind(slug)
                .bind(price)
                .bind(line as i64)
                .execute(&mut *tx)
                .await?;
            if dice.next(3) == 0 {
                continue;
            }
            // Mostly pleased, as buyers of a shop that stays in business are.
            let stars = [5, 5, 5, 4, 4, 4, 3, 2, 1][dice.next(9)];
            let (title, text) = WORDS[stars - 1][dice.next(2)];
            // A third rate with stars alone.
            let (title, text) = if dice.next(3) == 0 { ("", "") } else { (title, text) };
            sqlx::query(
                "INSERT INTO reviews (order_id, product_id, rating, title, comment, status, helpful, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(product_id)
            .bind(stars as i64)
            .bind(title)
            .bind(text)
            .bind(ReviewStatus::Published.as_str())
            .bind(dice.next(6) as i64)
            .bind(clock::iso(delivered + 2 * 86_400))
            .execute(&mut *tx)
            .await?;
        }
    }
    // Each product's published stars, as every review change keeps them.
    sqlx::query(&format!("UPDATE products SET {}", crate::reviews::store::STARS_FROM_REVIEWS)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(DEMO_ORDERS)
}
