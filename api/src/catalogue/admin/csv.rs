//! `GET /api/staff/products/export.csv` and `POST /api/staff/products/import`: the
//! catalogue in and out in the columns of Shopify's product CSV (see
//! `aisle_domain::catalogue::import` for which are read).

use super::{common::editor, import_plan, store};
use crate::{
    catalogue::writer,
    identity::session::Staff,
    platform::{clock, error::ApiError, extract::ApiJson},
    AppState,
};
use aisle_domain::catalogue::import::{export_image_rows, export_row, export_variant_rows, ImportReport, ImportRequest, COLUMNS};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};

/// `GET /api/staff/products/export.csv`: every product, whatever its status, by id.
#[utoipa::path(get, path = "/staff/products/export.csv", tag = "staff", responses((status = 200, description = "The catalogue as CSV", content_type = "text/csv", body = String)))]
pub async fn staff_products_export(State(state): State<AppState>, _staff: Staff) -> Result<Response, ApiError> {
    let mut conn = state.db.acquire().await?;
    let products = store::all_staff_products(&mut conn).await?;
    drop(conn);
    let mut out = csv::Writer::from_writer(Vec::with_capacity(256 * (products.len() + 1)));
    let failed = |e: csv::Error| ApiError::Internal(format!("cannot write the CSV: {e}"));
    out.write_record(COLUMNS).map_err(failed)?;
    let shop = &state.emails.shop.url;
    for p in &products {
        out.write_record(export_row(p, &p.category_name, shop)).map_err(failed)?;
        for row in export_variant_rows(p).into_iter().chain(export_image_rows(p, shop)) {
            out.write_record(row).map_err(failed)?;
        }
    }
    let body = out.into_inner().map_err(|e| ApiError::Internal(format!("cannot write the CSV: {e}")))?;
    let day = clock::now().get(..10).unwrap_or("today").to_string();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"products-{day}.csv\"")),
        ],
        body,
    )
        .into_response())
}

/// `POST /api/staff/products/import`: what the file would change (`apply: false`), or
/// the change made — all of it, in one transaction, and only if no row has an error.
#[utoipa::path(post, path = "/staff/products/import", tag = "staff", request_body = ImportRequest, responses((status = 200, description = "What the file changes, or changed; every bad row with its line", body = ImportReport)))]
pub async fn staff_products_import(State(state): State<AppState>, staff: Staff, ApiJson(req): ApiJson<ImportRequest>) -> Result<Json<ImportReport>, ApiError> {
    if !req.apply {
        let mut conn = state.db.acquire().await?;
        return Ok(Json(import_plan::plan(&mut conn, &req.csv, &state.emails.shop.url).await?.0));
    }
    Ok(Json(writer::import_products(&state, &editor(&staff), &req.csv).await?))
}
