//! The back office's catalogue routes, each with its OpenAPI description.

use super::{create, delete, list, read, update};
use crate::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::staff_products_index, create::staff_products_create))
        .routes(routes!(read::staff_products_show, update::staff_products_update, delete::staff_products_delete))
        .routes(routes!(read::staff_products_audit))
        .routes(routes!(create::staff_products_duplicate))
}

