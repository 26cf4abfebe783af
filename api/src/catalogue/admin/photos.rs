//! `POST /api/staff/products/{id}/photos` (one photo, its bytes as the body) and
//! `PUT /api/staff/products/{id}/photos` (order, alt texts, removals).

use super::common::{editor, product_id, read};
use crate::{
    catalogue::writer,
    identity::session::Staff,
    media::process::{self, PhotoError},
    platform::{error::ApiError, extract::{ApiBytes, ApiJson, ApiPath}},
    AppState,
};
use aisle_domain::{
    catalogue::{
        edit::StaffProduct,
        photo::{parse_alt, Photo, PhotoArrangement, MAX_UPLOAD_BYTES},
    },
    customer::FieldError,
};
use axum::{
    extract::{RawQuery, State},
    http::{header, HeaderMap, StatusCode},
    Json,
};

/// `POST /api/staff/products/{id}/photos?alt=…`: the photo's bytes as the body (JPEG,
/// PNG or WebP, at most 20 MB); `alt` says what it shows. Encoded before the answer,
/// within a few seconds; the answer is the product with the photo last.
#[utoipa::path(
    post, path = "/staff/products/{id}/photos", tag = "staff",
    params(("id" = i64, Path), ("alt" = String, Query, description = "What the photo shows, for those who cannot see it")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, description = "The product with its new photo", body = StaffProduct))
)]
pub async fn staff_products_photo_add(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<ApiBytes, ApiError>,
) -> Result<(StatusCode, Json<StaffProduct>), ApiError> {
    let id = product_id(&id)?;
    let alt = alt_of(query)?;
    // Before the slow part: a product that is gone or full takes no encoding.
    writer::room_for_a_photo(read(&state, id).await?.photos.len())?;
    let photo = receive(&state, &headers, body, alt).await?;
    writer::add_photo(&state, &editor(&staff), id, photo).await?;
    Ok((StatusCode::CREATED, Json(read(&state, id).await?)))
}

/// `PUT /api/staff/products/{id}/photos`: the photos to keep, in order, each with its
/// alt text. One left out is removed (its files stay: a duplicate may share them).
#[utoipa::path(
    put, path = "/staff/products/{id}/photos", tag = "staff",
    params(("id" = i64, Path)), request_body = PhotoArrangement,
    responses((status = 200, description = "The product with its photos as arranged", body = StaffProduct))
)]
pub async fn staff_products_photos_arrange(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(arrangement): ApiJson<PhotoArrangement>,
) -> Result<Json<StaffProduct>, ApiError> {
    let id = product_id(&id)?;
    writer::arrange_photos(&state, &editor(&staff), id, &arrangement).await?;
    Ok(Json(read(&state, id).await?))
}

/// The `alt` of an upload's query: required, as shoppers who cannot see the photo hear it.
pub fn alt_of(query: Option<String>) -> Result<String, ApiError> {
    let alt = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).find(|(k, _)| k == "alt").map(|(_, v)| v.into_owned()).unwrap_or_default();
    let alt = parse_alt(&alt).map_err(|e| FieldError::new("alt", e))?;
    if alt.is_empty() {
        return Err(FieldError::new("alt", "Describe what the photo shows (alt text): shoppers who cannot see it hear this.").into());
    }
    Ok(alt)
}

/// An uploaded photo checked, encoded at every width and stored: what a product or a
/// category then names. Nothing is stored for one that is refused.
pub async fn receive(state: &AppState, headers: &HeaderMap, body: Result<ApiBytes, ApiError>, alt: String) -> Result<Photo, ApiError> {
    let too_large = || ApiError::PayloadTooLarge(format!("A photo can be at most {} MB: make it smaller and upload it again.", MAX_UPLOAD_BYTES / 1024 / 1024));
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD_BYTES) {
        return Err(too_large());
    }
    let bytes = match body {
        Ok(ApiBytes(bytes)) => bytes,
        Err(ApiError::PayloadTooLarge(_)) => return Err(too_large()),
        Err(other) => return Err(other),
    };
    if bytes.is_empty() {
        return Err(FieldError::new("photo", "The photo is empty: choose the file again.").into());
    }
    let encoded = process::encode_off_runtime(bytes.to_vec()).await.map_err(|e| match e {
        PhotoError::NotAPhoto => ApiError::UnsupportedMediaType(e.to_string()),
        PhotoError::TooManyPixels { .. } => ApiError::PayloadTooLarge(e.to_string()),
        PhotoError::Unreadable(_) => FieldError::new("photo", e.to_string()).into(),
        PhotoError::Encoder(_) => ApiError::Internal(e.to_string()),
    })?;
    // Files first: a photo is named by the product only once all of them are there.
    for file in encoded.files {
        state.media.put(&file.name, file.format.mime(), file.bytes).await?;
    }
    Ok(Photo { id: 0, key: encoded.key, width: encoded.width, height: encoded.height, alt, thumbhash: encoded.thumbhash })
}
