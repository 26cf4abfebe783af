//! The staff's insight figures, read from the database: orders and revenue per day,
//! the funnel, abandoned carts, empty searches, unhelpful FAQ answers, first-response
//! times and ratings.

use crate::platform::{clock, db::Db, error::ApiError};
use aisle_domain::{personal::*, Currency, Money};
use jiff::{civil::Date, tz::TimeZone, Timestamp, ToSpan};
use std::collections::HashMap;

/// `days` from the query string: 1..=365, 30 without it.
pub fn parse_days(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(30),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| ApiError::bad_request("days must be a whole number from 1 to 365.")),
    }
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The day a moment falls on in the shop's time zone, as "2026-11-23".
pub fn shop_day(unix: i64, zone: &TimeZone) -> Option<Date> {
    Some(Timestamp::from_second(unix).ok()?.to_zoned_datetime(zone.clone()).date())
}

/// The `days` days up to and including the shop's today, and the moment the first of
/// them began (seconds since 1970).
pub fn shop_days(now: i64, days: i64, zone: &TimeZone) -> Option<(Vec<Date>, i64)> {
    let today = shop_day(now, zone)?;
    let first = today.checked_sub((days - 1).days()).ok()?;
    // Midnight may not exist on a day the clocks change: jiff then takes the next moment.
    let since = first.to_zoned_datetime(zone.clone()).ok()?.timestamp().as_second();
    let list = (0..days).map(|d| first.checked_add(d.days()).ok()).collect::<Option<Vec<_>>>()?;
    Some((list, since))
}

/// The figures for the `days` days up to and including today, days as the shop's time
/// zone counts them (an order at 00:30 in Berlin is that day's, not the day before in
/// UTC). Orders, the funnel, empty searches, response times and ratings are of that
/// period; abandoned carts and FAQ votes are as they stand now.
pub async fn insight(db: &Db, days: i64, zone: &TimeZone) -> Result<Insight, ApiError> {
    let now = clock::now_unix();
    let (day_list, since_unix) = shop_days(now, days, zone).ok_or_else(|| ApiError::Internal(format!("no calendar for {days} days before {now}")))?;
    let since = clock::iso(since_unix);

    let currency: Option<String> = sqlx::query_scalar("SELECT MIN(currency) FROM products").fetch_one(db).await?;
    let currency = currency.as_deref().map(Currency::parse).transpose().map_err(ApiError::Internal)?.unwrap_or(Currency::EUR);
    // Counted per minute in SQL (few rows even for a busy shop), then each minute is
    // put on its day in the shop's zone: offsets are whole minutes everywhere.
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT substr(placed_at, 1, 16) AS minute, COUNT(*), CAST(COALESCE(SUM(CASE WHEN currency = $1 THEN total_minor ELSE 0 END), 0) AS BIGINT) \
         FROM orders WHERE status <> 'cancelled' AND placed_at >= $2 GROUP BY substr(placed_at, 1, 16)",
    )
    .bind(currency.code())
    .bind(&since)
    .fetch_all(db)
    .await?;
    let mut by_day: HashMap<Date, (i64, i64)> = HashMap::new();
    for (minute, n, revenue) in rows {
        let Some(day) = clock::parse(&format!("{minute}:00Z")).and_then(|t| shop_day(t, zone)) else { continue };
        let entry = by_day.entry(day).or_default();
        entry.0 += n;
        entry.1 += revenue;
    }
    let days_list = day_list
        .into_iter()
        .map(|day| {
            let (orders, revenue) = by_day.get(&day).copied().unwrap_or((0, 0));
            DayFigures { day: day.to_string(), orders: count(orders), revenue: Money::new(revenue, currency) }
        })
        .collect();

    // An actor is the account when signed in, else the device.
    let steps: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(DISTINCT COALESCE('c' || customer_id, 'd' || device_id)) FROM events \
         WHERE at >= $1 AND kind IN ('product_view', 'cart_add', 'checkout_started', 'checkout_finished') GROUP BY kind",
    )
    .bind(&since)
    .fetch_all(db)
    .await?;
    let step = |k: EventKind| count(steps.iter().find(|(kind, _)| kind == k.as_str()).map(|(_, n)| *n).unwrap_or(0));
    let funnel = Funnel {
        viewed: step(EventKind::ProductView),
        added_to_cart: step(EventKind::CartAdd),
        started_checkout: step(EventKind::CheckoutStarted),
        ordered: step(EventKind::CheckoutFinished),
    };

    let abandoned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM carts c WHERE c.updated_at < $1 \
         AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id) \
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE c.customer_id IS NOT NULL AND o.customer_id = c.customer_id AND o.placed_at >= c.updated_at)",
    )
    .bind(clock::iso(now - 86_400))
    .fetch_one(db)
    .await?;

    let searches: Vec<(String, i64)> = sqlx::query_as(
        "SELECT lower(query) AS q, COUNT(*) AS n FROM events WHERE kind = 'search' AND results = 0 AND at >= $1 AND query IS NOT NULL \
         GROUP BY lower(query) ORDER BY n DESC, q LIMIT 10",
    )
    .bind(&since)
    .fetch_all(db)
    .await?;

    let faq: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT question, helpful, unhelpful FROM faq_articles WHERE unhelpful > helpful ORDER BY unhelpful - helpful DESC, unhelpful DESC, id",
    )
    .fetch_all(db)
    .await?;

    Ok(Insight {
        days: days_list,
        funnel,
        abandoned_carts: count(abandoned),
        searches_without_results: searches.into_iter().map(|(text, n)| CountedText { text, count: count(n) }).collect(),
        unhelpful_faq: faq.into_iter().map(|(question, h, u)| FaqVotes { question, helpful: count(h), unhelpful: count(u) }).collect(),
        first_response: first_response(db, &since).await?,
        ratings: rating_figures(db, &since).await?,
    })
}

/// Chat: from each conversation's first shopper message to the first agent message
/// after it. Tickets: from opening to the first agent reply. Unanswered ones are left
/// out.
async fn first_response(db: &Db, since: &str) -> Result<ResponseTimes, ApiError> {
    let messages: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT m.conversation_id, m.author, m.at FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id \
         WHERE c.started_at >= $1 ORDER BY m.conversation_id, m.id",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut chat = Vec::new();
    let mut asked: HashMap<i64, Option<i64>> = HashMap::new();
    for (conversation, author, at) in messages {
        let Some(at) = clock::parse(&at) else { continue };
        match (author.as_str(), asked.get(&conversation)) {
            ("customer", None) => {
                asked.insert(conversation, Some(at));
            }
            ("agent", Some(Some(first))) => {
                chat.push((at - first).max(0));
                asked.insert(conversation, None);
            }
            _ => {}
        }
    }
    let tickets: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT t.created_at, (SELECT MIN(m.at) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.author = 'agent') \
         FROM tickets t WHERE t.created_at >= $1",
    )
    .bind(since)
    .fetch_all(db)
    .await?;
    let ticket = tickets
        .into_iter()
        .filter_map(|(opened, answered)| Some((clock::parse(&answered?)? - clock::parse(&opened)?).max(0)))
        .collect();
    Ok(ResponseTimes { chat_median_secs: median(chat), ticket_median_secs: median(ticket) })
}

async fn rating_figures(db: &Db, since: &str) -> Result<RatingFigures, ApiError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT rating, COUNT(*) FROM reviews WHERE at >= $1 GROUP BY rating").bind(since).fetch_all(db).await?;
    let mut by_stars = [0u32; 5];
    let (mut n, mut sum) = (0i64, 0i64);
    for (stars, k) in rows {
        if (1..=5).contains(&stars) {
            by_stars[(stars - 1) as usize] = count(k);
            n += k;
            sum += stars * k;
        }
    }
    Ok(RatingFigures { count: count(n), average: (n > 0).then(|| sum as f64 / n as f64), by_stars })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_days() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 20, 30]), Some(25));
        assert_eq!(parse_days(None).ok(), Some(30));
        assert_eq!(parse_days(Some("7")).ok(), Some(7));
        for bad in ["0", "366", "-1", "week", "1.5"] {
            assert!(parse_days(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_are_the_shops_own() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let at = |ts: &str| clock::parse(ts).unwrap();
        // 23:30 UTC on 22 November is 00:30 on the 23rd in Berlin (UTC+1 in winter),
        // 22:30 UTC on 30 June is 00:30 on 1 July (UTC+2 in summer).
        assert_eq!(shop_day(at("2026-11-22T23:30:00Z"), &berlin).unwrap().to_string(), "2026-11-23");
        assert_eq!(shop_day(at("2026-11-22T22:59:59Z"), &berlin).unwrap().to_string(), "2026-11-22");
        assert_eq!(shop_day(at("2026-06-30T22:30:00Z"), &berlin).unwrap().to_string(), "2026-07-01");
        // Half-hour zones too: 19:00 UTC is 00:30 the next day in Kolkata.
        assert_eq!(shop_day(at("2026-11-22T19:00:00Z"), &TimeZone::get("Asia/Kolkata").unwrap()).unwrap().to_string(), "2026-11-23");

        // Seven days up to Berlin's today, the first beginning at Berlin's midnight.
        let (days, since) = shop_days(at("2026-11-22T23:30:00Z"), 7, &berlin).unwrap();
        let names: Vec<String> = days.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
        assert_eq!(clock::iso(since), "2026-11-16T23:00:00Z");
        // Over the change to summer time a day has 23 hours; the list still has each day once.
        let (days, since) = shop_days(at("2026-03-30T12:00:00Z"), 3, &berlin).unwrap();
        assert_eq!(days.iter().map(ToString::to_string).collect::<Vec<_>>(), ["2026-03-28", "2026-03-29", "2026-03-30"]);
        assert_eq!(clock::iso(since), "2026-03-27T23:00:00Z");
        let (days, _) = shop_days(at("2026-11-22T12:00:00Z"), 1, &TimeZone::UTC).unwrap();
        assert_eq!(days.len(), 1);
    }
}
