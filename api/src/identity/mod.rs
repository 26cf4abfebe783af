//! Who is asking: sessions, sign-up, sign-in and sign-out, passwords (and resetting a
//! forgotten one by e-mail), the profile and the address book.

pub mod password;
pub mod reset;
pub mod session;
pub mod routes;
pub mod store;

use crate::{
    platform::fanout::{Heard, Signal},
    AppState,
};
use futures_util::future::BoxFuture;
use utoipa_axum::router::OpenApiRouter;

/// The slice's routes, each with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}

/// Failed sign-ins on another instance count here too, so the limit is one for all.
pub fn listen(state: AppState, heard: Heard) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        match heard {
            Heard::Signal { signal: Signal::SignInFailed { key }, .. } => state.sign_in_limiter.record_failure(&key),
            Heard::Signal { signal: Signal::SignInSucceeded { key }, .. } => state.sign_in_limiter.clear(&key),
            _ => {}
        }
    })
}
