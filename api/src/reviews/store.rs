//! Reviews in the database: written by the buyer of a delivered product, read on the
//! product page, moderated by staff. Every change that moves a product's published
//! stars writes them onto the product's row in the same transaction (so product reads,
//! listings and the offline catalogue carry them), then tells the catalogue.

use crate::{
    catalogue,
    identity::session::Visitor,
    platform::{
        clock,
        db::{self, Db, Tx},
        error::ApiError,
        links::{self, LinkKind},
    },
    AppState,
};
use aisle_domain::{
    order::{Order, OrderStatus},
    review::{self, HoldReason, Moderation, Reply, Review, ReviewPage, ReviewSort, ReviewStatus, StaffReview},
    support::{parse_rating, NewRating, Rating},
    ErrorCode,
};

/// A review as its writer sees it on their order.
pub const RATING_COLUMNS: &str = "SELECT r.id, o.number, r.product_id, COALESCE(i.name, ''), r.rating, r.title, r.comment, r.status, r.hidden_reason, r.at \
     FROM reviews r JOIN orders o ON o.id = r.order_id LEFT JOIN (SELECT order_id, product_id, MIN(name) AS name FROM order_items GROUP BY order_id, product_id) i \
     ON i.order_id = r.order_id AND i.product_id = r.product_id";

type RatingTuple = (i64, String, i64, String, i64, String, String, String, String, String);

pub fn rating_of((id, order_number, product_id, product_name, rating, title, comment, status, hidden_reason, at): RatingTuple) -> Rating {
    Rating {
        id,
        order_number,
        product_id,
        product_name,
        rating: rating.clamp(1, 5) as u8,
        title,
        comment,
        status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Held),
        hidden_reason,
        at,
    }
}

pub async fn ratings_of_order(db: &Db, order_id: i64) -> Result<Vec<Rating>, ApiError> {
    let rows: Vec<RatingTuple> = sqlx::query_as(&format!("{RATING_COLUMNS} WHERE r.order_id = $1 ORDER BY r.product_id"))
        .bind(order_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(rating_of).collect())
}

/// Whether `v` bought `order`, or holds its token: the one checkout gave the buyer's
/// browser, or an e-mail's link to it (the delivery e-mail links straight to the
/// review form, opened in any browser). Staff can read any order but not review for
/// its buyer.
async fn own(db: &Db, v: &Visitor, order: &Order, token: Option<&str>) -> Result<Option<i64>, ApiError> {
    let customer_id: Option<i64> = sqlx::query_scalar("SELECT customer_id FROM orders WHERE id = $1").bind(order.id).fetch_one(db).await?;
    let mut own = v.customer.as_ref().is_some_and(|c| customer_id == Some(c.id)) || token.is_some_and(|t| !t.is_empty() && t == order.access_token);
    if let (false, Some(token)) = (own, token.filter(|t| !t.is_empty())) {
        own = links::open(&mut *db.acquire().await?, LinkKind::Order, token).await? == Some(order.id);
    }
    if !own {
        return Err(ApiError::Forbidden("Only the shopper who bought it can review a product.".into()));
    }
    Ok(customer_id)
}

/// Rates, and reviews, a product of a delivered order; doing it again replaces it.
/// Stars alone and plain words go on the page at once; words with a link or strong
/// language wait for staff, as does an edit of a review staff hid.
pub async fn rate(state: &AppState, v: &Visitor, order: &Order, token: Option<&str>, product_id: i64, req: &NewRating) -> Result<Rating, ApiError> {
    let customer_id = own(&state.db, v, order, token).await?;
    if !matches!(order.status, OrderStatus::Delivered | OrderStatus::ReturnRequested | OrderStatus::Returned) {
        return Err(ApiError::Conflict { code: ErrorCode::Refused, message: "You can review a product once it has been delivered.".into() });
    }
    if !order.items.iter().any(|i| i.product_id == product_id) {
        return Err(ApiError::not_found("This product is not in the order."));
    }
    let rating = parse_rating(req.rating)?;
    let title = review::parse_title(&req.title)?;
    let text = review::parse_text(&req.comment)?;
    let mut tx = db::begin_write(&state.db).await?;
    let before: Option<(String, String, String)> = sqlx::query_as("SELECT status, title, comment FROM reviews WHERE order_id = $1 AND product_id = $2")
        .bind(order.id)
        .bind(product_id)
        .fetch_optional(&mut *tx)
        .await?;
    let hold = match &before {
        Some((status, t, c)) if status == ReviewStatus::Hidden.as_str() => (*t != title || *c != text).then_some(HoldReason::Edited),
        _ => review::hold_reason(&title, &text),
    };
    let status = match (&before, hold) {
        (_, Some(_)) => ReviewStatus::Held,
        // Hidden and unchanged (the stars alone changed): it stays hidden.
        (Some((status, _, _)), None) if status == ReviewStatus::Hidden.as_str() => ReviewStatus::Hidden,
        _ => ReviewStatus::Published,
    };
    let now = clock::now();
    let edited = before.as_ref().is_some_and(|(_, t, c)| (!t.is_empty() || !c.is_empty()) && (*t != title || *c != text));
    sqlx::query(
        "INSERT INTO reviews (order_id, product_id, customer_id, rating, title, comment, status, hold_reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (order_id, product_id) DO UPDATE SET rating = excluded.rating, title = excluded.title, comment = excluded.comment, \
         status = excluded.status, hold_reason = excluded.hold_reason, at = excluded.at, \
         edited_at = CASE WHEN $10 = 1 THEN excluded.at ELSE reviews.edited_at END",
    )
    .bind(order.id)
    .bind(product_id)
    .bind(customer_id)
    .bind(i64::from(rating))
    .bind(&title)
    .bind(&text)
    .bind(status.as_str())
    .bind(hold.map(HoldReason::as_str))
    .bind(&now)
    .bind(i64::from(edited))
    .execute(&mut *tx)
    .await?;
    refresh_stars(&mut tx, product_id).await?;
    tx.commit().await?;
    catalogue::writer::stars_changed(state, vec![product_id]).await;
    let row: RatingTuple = sqlx::query_as(&format!("{RATING_COLUMNS} WHERE r.order_id = $1 AND r.product_id = $2"))
        .bind(order.id)
        .bind(product_id)
        .fetch_one(&state.db)
        .await?;
    Ok(rating_of(row))
}

/// Takes back the buyer's review (stars and words) of a product of `order`.
pub async fn delete_own(state: &AppState, v: &Visitor, order: &Order, token: Option<&str>, product_id: i64) -> Result<(), ApiError> {
    own(&state.db, v, order, token).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let gone = sqlx::query("DELETE FROM reviews WHERE order_id = $1 AND product_id = $2").bind(order.id).bind(product_id).execute(&mut *tx).await?;
    if gone.rows_affected() == 0 {
        return Err(ApiError::not_found("There is no review of this product on this order."));
    }
    refresh_stars(&mut tx, product_id).await?;
    tx.commit().await?;
    catalogue::writer::stars_changed(state, vec![product_id]).await;
    Ok(())
}

/// A product row's published stars from its reviews, for `UPDATE products SET`.
/// PostgreSQL sums BIGINTs as NUMERIC: cast back, as SQLite's sums already are.
pub const STARS_FROM_REVIEWS: &str = "rating_count = (SELECT COUNT(*) FROM reviews r WHERE r.product_id = products.id AND r.status = 'published'), \
     rating_sum = CAST(COALESCE((SELECT SUM(r.rating) FROM reviews r WHERE r.product_id = products.id AND r.status = 'published'), 0) AS BIGINT)";

/// Writes product `id`'s published stars onto its row, with a new catalogue version so
/// offline copies fetch them at their next sync.
async fn refresh_stars(tx: &mut Tx<'_>, product_id: i64) -> Result<(), sqlx::Error> {
    let version = catalogue::store::next_catalogue_versions(tx, 1).await?;
    sqlx::query(&format!("UPDATE products SET {STARS_FROM_REVIEWS}, version = $2 WHERE id = $1"))
        .bind(product_id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

type ReviewRow = (i64, i64, String, String, String, String, String, Option<String>, i64, Option<String>);

const REVIEW_COLUMNS: &str = "SELECT r.id, r.rating, r.title, r.comment, o.ship_name, r.at, r.reply, r.reply_at, r.helpful, r.edited_at \
     FROM reviews r JOIN orders o ON o.id = r.order_id";

fn review_of((id, rating, title, text, ship_name, at, reply, reply_at, helpful, edited_at): ReviewRow) -> Review {
    Review {
        id,
        rating: rating.clamp(1, 5) as u8,
        title,
        text,
        author: review::author_name(&ship_name),
        verified: true,
        at,
        edited: edited_at.is_some(),
        helpful: u32::try_from(helpful).unwrap_or(0),
        reply: reply_at.filter(|_| !reply.is_empty()).map(|at| Reply { text: reply, at }),
    }
}

/// One page of product `id`'s published reviews, with its stars and their spread.
pub async fn product_reviews(db: &Db, product_id: i64, sort: ReviewSort, page: u32) -> Result<ReviewPage, ApiError> {
    let spread: Vec<(i64, i64)> = sqlx::query_as("SELECT rating, COUNT(*) FROM reviews WHERE product_id = $1 AND status = 'published' GROUP BY rating")
        .bind(product_id)
        .fetch_all(db)
        .await?;
    let mut by_stars = [0u32; 5];
    for (rating, count) in spread {
        if let Some(slot) = usize::try_from(rating - 1).ok().and_then(|i| by_stars.get_mut(i)) {
            *slot = u32::try_from(count).unwrap_or(u32::MAX);
        }
    }
    let worded = "r.product_id = $1 AND r.status = 'published' AND (r.title <> '' OR r.comment <> '')";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM reviews r WHERE {worded}")).bind(product_id).fetch_one(db).await?;
    let order = match sort {
        ReviewSort::Newest => "r.at DESC, r.id DESC",
        ReviewSort::Helpful => "r.helpful DESC, r.at DESC, r.id DESC",
    };
    let per = review::PER_PAGE;
    let total_pages = u32::try_from(total).unwrap_or(0).div_ceil(per).max(1);
    let page = page.clamp(1, total_pages);
    let rows: Vec<ReviewRow> = sqlx::query_as(&format!("{REVIEW_COLUMNS} WHERE {worded} ORDER BY {order} LIMIT $2 OFFSET $3"))
        .bind(product_id)
        .bind(i64::from(per))
        .bind(i64::from((page - 1) * per))
        .fetch_all(db)
        .await?;
    Ok(ReviewPage {
        stars: review::stars_of(&by_stars),
        by_stars,
        reviews: rows.into_iter().map(review_of).collect(),
        total: u32::try_from(total).unwrap_or(0),
        page,
        total_pages,
    })
}

/// "Was this helpful?": one yes per visitor and review; the review's count after it.
pub async fn helpful(db: &Db, v: &Visitor, review_id: i64) -> Result<u32, ApiError> {
    let voter = match &v.customer {
        Some(c) => format!("customer:{}", c.id),
        None => format!("session:{}", v.session_hash),
    };
    let mut tx = db::begin_write(db).await?;
    let published: Option<String> = sqlx::query_scalar("SELECT status FROM reviews WHERE id = $1").bind(review_id).fetch_optional(&mut *tx).await?;
    if published.as_deref() != Some(ReviewStatus::Published.as_str()) {
        return Err(ApiError::not_found("There is no such review."));
    }
    let new = sqlx::query("INSERT INTO review_votes (review_id, voter) VALUES ($1, $2) ON CONFLICT DO NOTHING").bind(review_id).bind(&voter).execute(&mut *tx).await?;
    if new.rows_affected() > 0 {
        sqlx::query("UPDATE reviews SET helpful = helpful + 1 WHERE id = $1").bind(review_id).execute(&mut *tx).await?;
    }
    let count: i64 = sqlx::query_scalar("SELECT helpful FROM reviews WHERE id = $1").bind(review_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(u32::try_from(count).unwrap_or(0))
}

type StaffRow = (i64, String, i64, String, String, i64, String, String, String, String, Option<String>, String, String, Option<String>, i64, String);

const STAFF_COLUMNS: &str = "SELECT r.id, o.number, r.product_id, COALESCE(p.name, ''), COALESCE(p.slug, ''), r.rating, r.title, r.comment, o.ship_name, \
     r.status, r.hold_reason, r.hidden_reason, r.reply, r.reply_at, r.helpful, r.at \
     FROM reviews r JOIN orders o ON o.id = r.order_id LEFT JOIN products p ON p.id = r.product_id";

fn staff_review_of(row: StaffRow) -> StaffReview {
    let (id, order_number, product_id, product_name, product_slug, rating, title, text, ship_name, status, hold, hidden_reason, reply, reply_at, helpful, at) = row;
    StaffReview {
        id,
        order_number,
        product_id,
        product_name,
        product_slug,
        rating: rating.clamp(1, 5) as u8,
        title,
        text,
        author: review::author_name(&ship_name),
        status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Held),
        hold_reason: hold.as_deref().and_then(HoldReason::parse),
        hidden_reason,
        reply: reply_at.filter(|_| !reply.is_empty()).map(|at| Reply { text: reply, at }),
        helpful: u32::try_from(helpful).unwrap_or(0),
        at,
    }
}

/// The newest reviews in `status` with words (stars alone need no moderation), at most
/// 200; held ones oldest first, as they wait in a queue.
pub async fn staff_list(db: &Db, status: ReviewStatus) -> Result<Vec<StaffReview>, ApiError> {
    let order = if status == ReviewStatus::Held { "r.at ASC, r.id ASC" } else { "r.at DESC, r.id DESC" };
    let rows: Vec<StaffRow> = sqlx::query_as(&format!("{STAFF_COLUMNS} WHERE r.status = $1 AND (r.title <> '' OR r.comment <> '') ORDER BY {order} LIMIT 200"))
        .bind(status.as_str())
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(staff_review_of).collect())
}

/// Publishes, hides or answers review `id`.
pub async fn moderate(state: &AppState, id: i64, action: &Moderation) -> Result<StaffReview, ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    let product_id: Option<i64> = sqlx::query_scalar("SELECT product_id FROM reviews WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let product_id = product_id.ok_or_else(|| ApiError::not_found("There is no such review: its writer may have deleted it."))?;
    let stars_move = match action {
        Moderation::Publish => {
            sqlx::query("UPDATE reviews SET status = 'published', hold_reason = NULL, hidden_reason = '' WHERE id = $1").bind(id).execute(&mut *tx).await?;
            true
        }
        Moderation::Hide { reason } => {
            let reason = review::parse_staff_text("reason", reason, review::MAX_STAFF_TEXT_CHARS)?;
            sqlx::query("UPDATE reviews SET status = 'hidden', hold_reason = NULL, hidden_reason = $1 WHERE id = $2").bind(&reason).bind(id).execute(&mut *tx).await?;
            true
        }
        Moderation::Reply { text } if text.trim().is_empty() => {
            sqlx::query("UPDATE reviews SET reply = '', reply_at = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
            false
        }
        Moderation::Reply { text } => {
            let text = review::parse_staff_text("text", text, review::MAX_STAFF_TEXT_CHARS)?;
            sqlx::query("UPDATE reviews SET reply = $1, reply_at = $2 WHERE id = $3").bind(&text).bind(clock::now()).bind(id).execute(&mut *tx).await?;
            false
        }
    };
    if stars_move {
        refresh_stars(&mut tx, product_id).await?;
    }
    tx.commit().await?;
    if stars_move {
        catalogue::writer::stars_changed(state, vec![product_id]).await;
    }
    let row: StaffRow = sqlx::query_as(&format!("{STAFF_COLUMNS} WHERE r.id = $1")).bind(id).fetch_one(&state.db).await?;
    Ok(staff_review_of(row))
}
