//! `GET /api/legal/{kind}` for everyone; `GET`/`PUT /api/staff/legal…` for staff.

use crate::{
    identity::session::Staff,
    legal::store,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, QueryParams}},
    AppState,
};
use aisle_domain::legal::{LegalInput, LegalKind, LegalPage};
use axum::{extract::State, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

fn kind_of(raw: &str) -> Result<LegalKind, ApiError> {
    LegalKind::parse(raw).ok_or_else(|| ApiError::not_found(format!("There is no legal page called {raw:?}: the pages are terms, withdrawal, privacy and imprint.")))
}

/// `GET /api/legal/{kind}?version=`: the page, newest or of one version (an order's
/// terms), as safe HTML.
#[utoipa::path(get, path = "/legal/{kind}", tag = "legal", params(("kind" = LegalKind, Path), ("version" = Option<i64>, Query)), responses((status = 200, description = "The page", body = LegalPage)))]
pub async fn legal_show(State(state): State<AppState>, ApiPath(kind): ApiPath<String>, q: QueryParams) -> Result<Json<LegalPage>, ApiError> {
    let kind = kind_of(&kind)?;
    let version = match q.get("version").filter(|v| !v.is_empty()) {
        Some(v) => Some(v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("A version is a whole number, not {v:?}.")))?),
        None => None,
    };
    let mut page = store::read(&mut *state.db.acquire().await?, kind, version).await?.ok_or_else(|| ApiError::not_found("There is no such version of this page."))?;
    page.body.clear();
    Ok(Json(page))
}

/// `GET /api/staff/legal`: every page's newest version, with the text staff wrote.
#[utoipa::path(get, path = "/staff/legal", tag = "staff", responses((status = 200, description = "The four pages, newest versions", body = Vec<LegalPage>)))]
pub async fn staff_legal_index(State(state): State<AppState>, _staff: Staff) -> Result<Json<Vec<LegalPage>>, ApiError> {
    let mut conn = state.db.acquire().await?;
    let mut pages = Vec::new();
    for kind in LegalKind::ALL {
        pages.extend(store::read(&mut conn, kind, None).await?);
    }
    Ok(Json(pages))
}

/// `PUT /api/staff/legal/{kind}`: saves a new version (the same text again saves none).
#[utoipa::path(put, path = "/staff/legal/{kind}", tag = "staff", params(("kind" = LegalKind, Path)), request_body = LegalInput, responses((status = 200, description = "The page's newest version", body = LegalPage)))]
pub async fn staff_legal_update(State(state): State<AppState>, Staff(staff): Staff, ApiPath(kind): ApiPath<String>, ApiJson(input): ApiJson<LegalInput>) -> Result<Json<LegalPage>, ApiError> {
    let kind = kind_of(&kind)?;
    let input = input.validate()?;
    Ok(Json(store::publish(&state.db, kind, &input, &staff.email).await?))
}

/// These routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(legal_show)).routes(routes!(staff_legal_index)).routes(routes!(staff_legal_update))
}
