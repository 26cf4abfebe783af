//! Reviews over HTTP: the buyer's (on their order), the product page's, and staff's.

use crate::{
    identity::session::{Staff, Visitor},
    orders,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, QueryParams}},
    reviews::store,
    AppState,
};
use aisle_domain::{
    review::{Moderation, ReviewPage, ReviewSort, ReviewStatus, StaffReview},
    support::{NewRating, Rating},
};
use axum::{extract::State, http::StatusCode, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

fn product_in_order(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found("This product is not in the order."))
}

/// `PUT /api/orders/{number}/ratings/{product_id}?token=`: 1–5 stars, and a title and
/// text if the buyer likes, for a product of a delivered order; again replaces it.
#[utoipa::path(put, path = "/orders/{number}/ratings/{product_id}", tag = "orders", params(("product_id" = i64, Path), ("token" = Option<String>, Query)), request_body = NewRating, responses((status = 200, description = "The rating, with whether its words are published or wait for staff", body = Rating)))]
pub async fn ratings_update(
    State(state): State<AppState>,
    v: Visitor,
    ApiPath((number, product_id)): ApiPath<(String, String)>,
    q: QueryParams,
    ApiJson(req): ApiJson<NewRating>,
) -> Result<Json<Rating>, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    Ok(Json(store::rate(&state, &v, &order, q.get("token"), product_in_order(&product_id)?, &req).await?))
}

/// `DELETE /api/orders/{number}/ratings/{product_id}?token=`: the buyer takes their
/// review back.
#[utoipa::path(delete, path = "/orders/{number}/ratings/{product_id}", tag = "orders", params(("product_id" = i64, Path), ("token" = Option<String>, Query)), responses((status = 204, description = "Deleted")))]
pub async fn ratings_destroy(State(state): State<AppState>, v: Visitor, ApiPath((number, product_id)): ApiPath<(String, String)>, q: QueryParams) -> Result<StatusCode, ApiError> {
    let order = orders::store::find_for(&state, &number, Some(&v), q.get("token")).await?;
    store::delete_own(&state, &v, &order, q.get("token"), product_in_order(&product_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/orders/{number}/ratings?token=`: the ratings given for an order's products.
#[utoipa::path(get, path = "/orders/{number}/ratings", tag = "orders", params(("token" = Option<String>, Query)), responses((status = 200, description = "The order's ratings", body = Vec<Rating>)))]
pub async fn ratings_index(State(state): State<AppState>, v: Option<Visitor>, ApiPath(number): ApiPath<String>, q: QueryParams) -> Result<Json<Vec<Rating>>, ApiError> {
    let order = orders::store::find_for(&state, &number, v.as_ref(), q.get("token")).await?;
    Ok(Json(store::ratings_of_order(&state.db, order.id).await?))
}

/// `GET /api/products/{id}/reviews?sort=&page=`: a product's published reviews.
#[utoipa::path(get, path = "/products/{id}/reviews", tag = "catalogue", params(
    ("id" = i64, Path),
    ("sort" = Option<ReviewSort>, Query, description = "newest (the default) or helpful"),
    ("page" = Option<u32>, Query, minimum = 1),
), responses((status = 200, description = "One page of reviews with the product's stars and their spread", body = ReviewPage)))]
pub async fn product_reviews_index(State(state): State<AppState>, ApiPath(id): ApiPath<String>, q: QueryParams) -> Result<Json<ReviewPage>, ApiError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::not_found("There is no such product."))?;
    let sort = ReviewSort::parse(q.get("sort").unwrap_or_default())?;
    let page = match q.get("page").filter(|p| !p.is_empty()) {
        Some(p) => p.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| ApiError::bad_request(format!("page must be a whole number from 1, not {p:?}.")))?,
        None => 1,
    };
    Ok(Json(store::product_reviews(&state.db, id, sort, page).await?))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Helpful {
    /// How many found the review helpful, this vote included.
    pub helpful: u32,
}

/// `POST /api/reviews/{id}/helpful`: "Was this helpful? Yes". Once per visitor.
#[utoipa::path(post, path = "/reviews/{id}/helpful", tag = "catalogue", params(("id" = i64, Path)), responses((status = 200, description = "The review's count after the vote", body = Helpful)))]
pub async fn reviews_helpful(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>) -> Result<Json<Helpful>, ApiError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::not_found("There is no such review."))?;
    Ok(Json(Helpful { helpful: store::helpful(&state.db, &v, id).await? }))
}

/// `GET /api/staff/reviews?status=held|published|hidden`: reviews to moderate.
#[utoipa::path(get, path = "/staff/reviews", tag = "staff", params(("status" = Option<ReviewStatus>, Query, description = "held (the default), published or hidden")), responses((status = 200, description = "Reviews with words in that state (at most 200)", body = Vec<StaffReview>)))]
pub async fn staff_reviews_index(State(state): State<AppState>, _staff: Staff, q: QueryParams) -> Result<Json<Vec<StaffReview>>, ApiError> {
    let status = match q.get("status").filter(|s| !s.is_empty()) {
        Some(s) => ReviewStatus::parse(s).ok_or_else(|| ApiError::bad_request(format!("status must be held, published or hidden, not {s:?}.")))?,
        None => ReviewStatus::Held,
    };
    Ok(Json(store::staff_list(&state.db, status).await?))
}

/// `POST /api/staff/reviews/{id}`: publish, hide (with a reason for the reviewer) or
/// reply publicly.
#[utoipa::path(post, path = "/staff/reviews/{id}", tag = "staff", params(("id" = i64, Path)), request_body = Moderation, responses((status = 200, description = "The review after it", body = StaffReview)))]
pub async fn staff_reviews_moderate(State(state): State<AppState>, _staff: Staff, ApiPath(id): ApiPath<String>, ApiJson(action): ApiJson<Moderation>) -> Result<Json<StaffReview>, ApiError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::not_found("There is no such review."))?;
    Ok(Json(store::moderate(&state, id, &action).await?))
}

/// These routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ratings_update, ratings_destroy))
        .routes(routes!(ratings_index))
        .routes(routes!(product_reviews_index))
        .routes(routes!(reviews_helpful))
        .routes(routes!(staff_reviews_index))
        .routes(routes!(staff_reviews_moderate))
}
