//! Who is asking: sessions, sign-up, sign-in and sign-out, passwords, the profile and
//! the address book.

pub mod password;
pub mod session;
pub mod routes;
pub mod store;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
