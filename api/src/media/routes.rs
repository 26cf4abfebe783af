//! `GET /media/{name}`: one file of a photo, cached for a year by browsers, the service
//! worker and any CDN in front (its name changes when the photo does).

use super::store::MediaStore;
use crate::{platform::error::ApiError, AppState};
use aisle_domain::catalogue::photo::parse_file_name;
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn router(state: AppState) -> Router {
    Router::new().route("/media/{name}", get(file)).with_state(state)
}

async fn file(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, ApiError> {
    let missing = || ApiError::not_found("There is no such photo.");
    let (_, _, format) = parse_file_name(&name).ok_or_else(missing)?;
    let bytes = media(&state).get(&name).await?.ok_or_else(missing)?;
    Ok((
        [(header::CONTENT_TYPE, format.mime()), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
        bytes,
    )
        .into_response())
}

fn media(state: &AppState) -> &MediaStore {
    &state.media
}
