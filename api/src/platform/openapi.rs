//! The OpenAPI document served at `GET /api/openapi.json`, generated from the
//! `#[utoipa::path]` on each handler. What every operation shares (the error answers,
//! path parameters, the session and CSRF requirements of writes) is added here once
//! rather than repeated on 70 handlers.

use aisle_domain::{ApiErrorBody, ApiErrorDetail};
use axum::{http::header, response::IntoResponse};
use std::sync::OnceLock;
use utoipa::{
    openapi::{
        extensions::ExtensionsBuilder,
        path::{Operation, ParameterBuilder, ParameterIn},
        security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme},
        ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type,
    },
    Modify, OpenApi,
};

use crate::{auth::SESSION_COOKIE, error::ApiError, routes};

/// Operations tagged this way answer with a WebSocket upgrade or an event stream, which
/// a request/response fuzzer cannot follow; `cargo xtask test` leaves them out of the
/// schemathesis run (`--exclude-tag streams`).
pub const STREAMS_TAG: &str = "streams";

#[derive(OpenApi)]
#[openapi(
    info(title = "Aisle API", description = "The storefront's JSON API. Errors are `{\"error\": {\"code\", \"message\", \"field\"?}}`."),
    paths(
        openapi_show,
        routes::health::health_show,
        routes::catalogue::categories_index,
        routes::catalogue::categories_show,
        routes::catalogue::category_products_index,
        routes::catalogue::featured_index,
        routes::catalogue::products_show,
        routes::catalogue::products_image,
        routes::search::search_index,
        routes::stock::product_stock_events,
        routes::catalogue::catalogue_changes,
        routes::account::session_show,
        routes::account::session_create,
        routes::account::session_delete,
        routes::account::account_create,
        routes::account::account_update,
        routes::personal::account_delete,
        routes::account::password_update,
        routes::personal::privacy_show,
        routes::personal::privacy_update,
        routes::personal::account_export,
        routes::account::addresses_index,
        routes::account::addresses_create,
        routes::account::addresses_update,
        routes::account::addresses_delete,
        routes::cart::cart_show,
        routes::cart::cart_items_update,
        routes::orders::orders_create,
        routes::orders::orders_index,
        routes::orders::orders_recent,
        routes::orders::orders_show,
        routes::orders::orders_cancel,
        routes::orders::orders_items_update,
        routes::orders::orders_address_update,
        routes::orders::orders_return,
        routes::staff::staff_orders_index,
        routes::staff::staff_orders_show,
        routes::staff::staff_orders_action,
        routes::staff::staff_stock_update,
        routes::support::ratings_index,
        routes::support::ratings_update,
        routes::support::support_availability,
        routes::support::chat_show,
        routes::support::chat_messages_create,
        routes::chat::chat_socket,
        routes::support::callbacks_create,
        routes::support::tickets_create,
        routes::support::tickets_show,
        routes::support::ticket_messages_create,
        routes::support::support_mine,
        routes::support::feedback_create,
        routes::faq::faq_index,
        routes::faq::faq_search,
        routes::faq::faq_votes_create,
        routes::chat::staff_support_socket,
        routes::agent::staff_support_queue,
        routes::agent::staff_support_customer,
        routes::agent::staff_callbacks_schedule,
        routes::agent::staff_callbacks_done,
        routes::agent::staff_tickets_reply,
        routes::agent::staff_tickets_close,
        routes::agent::staff_conversations_close,
        routes::personal::events_create,
        routes::personal::welcome_show,
        routes::personal::recommendations_index,
        routes::personal::staff_insight_show
    ),
    components(schemas(ApiErrorBody, ApiErrorDetail)),
    modifiers(&Shared)
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`: this document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "The OpenAPI document of this API", body = serde_json::Value)))]
pub async fn openapi_show() -> Result<impl IntoResponse, ApiError> {
    // Built once: the document only changes with the code.
    static DOC: OnceLock<Result<String, String>> = OnceLock::new();
    let body = DOC.get_or_init(|| ApiDoc::openapi().to_json().map_err(|e| e.to_string())).as_ref().map_err(|e| ApiError::Internal(format!("cannot write the OpenAPI document: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body.as_str()))
}

struct Shared;

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))));
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
