//! The help centre: the articles, searching them, and "was this helpful?".

use crate::{
    identity::session::Visitor,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, QueryParams}},
    support::{faq::store, routes::path_id},
    AppState,
};
use aisle_domain::support::{Faq, FaqArticle, FaqVote};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    Json,
};

/// `GET /api/faq`
#[utoipa::path(get, path = "/faq", tag = "support", responses((status = 200, description = "The help articles", body = Faq)))]
pub async fn faq_index(State(state): State<AppState>) -> Result<Json<Faq>, ApiError> {
    Ok(Json(store::faq(&state.db).await?))
}

/// `GET /api/faq/search?q=`: up to 10 articles, best first; none for an empty query.
#[utoipa::path(get, path = "/faq/search", tag = "support", params(("q" = Option<String>, Query)), responses((status = 200, description = "The articles that match", body = Vec<FaqArticle>)))]
pub async fn faq_search(State(state): State<AppState>, q: QueryParams) -> Result<Json<Vec<FaqArticle>>, ApiError> {
    Ok(Json(store::search(&state.db, q.get("q").unwrap_or_default()).await?))
}

/// `POST /api/faq/{id}/votes`: one vote per browser session; voting again replaces it.
#[utoipa::path(post, path = "/faq/{id}/votes", tag = "support", request_body = FaqVote, responses((status = 200, description = "The article with its votes", body = FaqArticle)))]
pub async fn faq_votes_create(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>, ApiJson(vote): ApiJson<FaqVote>) -> Result<Json<FaqArticle>, ApiError> {
    let id = path_id(&id, "help article")?;
    Ok(Json(store::vote(&state.db, id, &v.session_hash, vote.helpful).await?))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(faq_index))
        .routes(routes!(faq_search))
        .routes(routes!(faq_votes_create))
}
