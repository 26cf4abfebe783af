//! The back office's catalogue routes, each with its OpenAPI description.

use super::{categories, create, csv, delete, list, photos, read, translations, update, variants};
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::staff_products_index, create::staff_products_create))
        .routes(routes!(read::staff_products_show, update::staff_products_update, delete::staff_products_delete))
        .routes(routes!(read::staff_products_audit))
        .routes(routes!(create::staff_products_duplicate))
        .routes(routes!(translations::staff_products_translation_update))
        .routes(routes!(variants::staff_products_variants_update))
        .routes(routes!(csv::staff_products_export))
        .routes(routes!(categories::staff_categories_index, categories::staff_categories_create))
        .routes(routes!(categories::staff_categories_update, categories::staff_categories_delete))
        .routes(routes!(categories::staff_categories_order))
        .merge(OpenApiRouter::new().routes(routes!(csv::staff_products_import)).layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(photos::staff_products_photo_add, photos::staff_products_photos_arrange))
                .routes(routes!(categories::staff_categories_photo_set, categories::staff_categories_photo_remove))
                .layer(DefaultBodyLimit::max(aisle_domain::catalogue::photo::MAX_UPLOAD_BYTES)),
        )
}

/// An import file, as JSON: 10,000 products of a shop's usual columns come to a few
/// MB; every other route keeps the API's small limit.
pub const MAX_IMPORT_BODY: usize = 24 * 1024 * 1024;

