//! A guest keeps their details: from the order confirmation (the page or its e-mail),
//! one password turns the guest into a customer, with that order, its delivery address
//! in the address book and the guest's support history in the new account.
//!
//! The order is opened with its token, as its page is. Only that order moves into the
//! account: the token shows the order was placed here or its e-mail was read, not that
//! every order ever placed with the address belongs to whoever holds it. Someone who
//! typed another person's address at checkout gets an account holding only their own
//! order, and the address's owner takes it over with "forgot password?".

pub mod routes;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
