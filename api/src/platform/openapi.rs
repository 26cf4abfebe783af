//! The OpenAPI document served at `GET /api/openapi.json`. Each slice declares its
//! routes together with their description (`utoipa::path` on each handler, collected
//! by `utoipa_axum::routes!`), so the router and the document are built from the same
//! list and cannot drift apart; the crate root puts the slices together and hands the
//! document here ([`publish`]). What every operation shares (the error answers, path
//! parameters, the session and CSRF requirements of writes) is added here once
//! ([`finish`]) rather than repeated on 70 handlers.

use aisle_domain::{ApiErrorBody, ApiErrorDetail, ErrorCode};
use axum::{http::header, response::IntoResponse};
use std::sync::OnceLock;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa::{
    openapi::{
        extensions::ExtensionsBuilder,
        path::{Operation, ParameterBuilder, ParameterIn},
        security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme},
        ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type,
    },
    Modify, OpenApi,
};

use crate::platform::error::ApiError;

/// Operations tagged this way answer with a WebSocket upgrade or an event stream, which
/// a request/response fuzzer cannot follow; `cargo xtask test` leaves them out of the
/// schemathesis run (`--exclude-tag streams`).
pub const STREAMS_TAG: &str = "streams";

#[derive(OpenApi)]
#[openapi(
    info(title = "Aisle API", description = "The storefront's JSON API. Errors are `{\"error\": {\"code\", \"message\", \"field\"?}}`."),
    components(schemas(ApiErrorBody, ApiErrorDetail, ErrorCode))
)]
pub struct ApiDoc;

/// The document as JSON, once the routes are assembled.
static DOCUMENT: OnceLock<String> = OnceLock::new();

/// Takes the document the slices' routes made, adds what every operation shares (the
/// session cookie is named `session_cookie`) and moves the paths under `prefix`, where
/// the router is nested.
pub fn finish(mut doc: utoipa::openapi::OpenApi, prefix: &str, session_cookie: &str) -> utoipa::openapi::OpenApi {
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths.into_iter().map(|(path, item)| (format!("{prefix}{path}"), item)).collect();
    Shared { session_cookie }.modify(&mut doc);
    doc
}

/// Keeps the finished document for [`openapi_show`]; the document only changes with
/// the code, so the first one kept is the one served.
pub fn publish(doc: &utoipa::openapi::OpenApi) -> Result<(), serde_json::Error> {
    let json = doc.to_json()?;
    let _ = DOCUMENT.set(json);
    Ok(())
}

/// `GET /api/openapi.json`: this document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI document of this API", body = serde_json::Value)))]
pub async fn openapi_show() -> Result<impl IntoResponse, ApiError> {
    let body = DOCUMENT.get().ok_or_else(|| ApiError::Internal("the OpenAPI document was not published".into()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body.as_str()))
}

/// The document's own route.
pub fn router<S: Clone + Send + Sync + 'static>() -> OpenApiRouter<S> {
    OpenApiRouter::new().routes(routes!(openapi_show))
}

struct Shared<'a> {
    session_cookie: &'a str,
}

impl Modify for Shared<'_> {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(self.session_cookie))));
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's token from `GET /api/session`; every write needs it.",
            ))),
        );
        components.responses.insert(
            "Error".to_string(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("An error: a stable `code`, a sentence a person can read, and the form field it is about, if any.")
                    .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiErrorBody"))).build())
                    .build(),
            ),
        );
        for (path, item) in doc.paths.paths.iter_mut() {
            let params: Vec<String> = path.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(name, _)| name.to_string()).collect();
            let ops = [
                (false, item.get.as_mut()),
                (true, item.post.as_mut()),
                (true, item.put.as_mut()),
                (true, item.delete.as_mut()),
                (true, item.patch.as_mut()),
            ];
            for (writes, op) in ops {
                if let Some(op) = op {
                    shared(op, &params, writes);
                }
            }
        }
    }
}

fn shared(op: &mut Operation, path_params: &[String], writes: bool) {
    let parameters = op.parameters.get_or_insert_with(Vec::new);
    for name in path_params {
        if !parameters.iter().any(|p| &p.name == name && p.parameter_in == ParameterIn::Path) {
            parameters.push(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .build(),
            );
        }
    }
    for range in ["4XX", "5XX"] {
        op.responses.responses.insert(range.to_string(), RefOr::Ref(Ref::from_response_name("Error")));
    }
    if writes {
        op.security = Some(vec![SecurityRequirement::new("session", Vec::<String>::new()).add("csrf", Vec::<String>::new())]);
    }
    if op.tags.as_ref().is_some_and(|t| t.iter().any(|t| t == STREAMS_TAG)) {
        op.extensions.get_or_insert_with(Default::default).merge(ExtensionsBuilder::new().add("x-streaming", true).build());
    }
}
