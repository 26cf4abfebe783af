//! The OpenAPI document served at `GET /api/openapi.json`, generated from the
//! `#[utoipa::path]` on each handler. What every operation shares (the error answers,
//! path parameters, the session and CSRF requirements of writes) is added here once
//! rather than repeated on 70 handlers.

use aisle_domain::{ApiErrorBody, ApiErrorDetail, ErrorCode};
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

use crate::{identity::session::SESSION_COOKIE, platform::error::ApiError};

/// Operations tagged this way answer with a WebSocket upgrade or an event stream, which
/// a request/response fuzzer cannot follow; `cargo xtask test` leaves them out of the
/// schemathesis run (`--exclude-tag streams`).
pub const STREAMS_TAG: &str = "streams";

#[derive(OpenApi)]
#[openapi(
    info(title = "Aisle API", description = "The storefront's JSON API. Errors are `{\"error\": {\"code\", \"message\", \"field\"?}}`."),
    paths(
        openapi_show,
        crate::platform::health::health_show,
        crate::catalogue::routes::categories_index,
        crate::catalogue::routes::categories_show,
        crate::catalogue::routes::category_products_index,
        crate::catalogue::routes::featured_index,
        crate::catalogue::routes::products_show,
        crate::catalogue::routes::products_image,
        crate::catalogue::search::search_index,
        crate::catalogue::stock_events::product_stock_events,
        crate::catalogue::routes::catalogue_changes,
        crate::identity::routes::session_show,
        crate::identity::routes::session_create,
        crate::identity::routes::session_delete,
        crate::identity::routes::account_create,
        crate::identity::routes::account_update,
        crate::privacy::routes::account_delete,
        crate::identity::routes::password_update,
        crate::privacy::routes::privacy_show,
        crate::privacy::routes::privacy_update,
        crate::privacy::routes::account_export,
        crate::identity::routes::addresses_index,
        crate::identity::routes::addresses_create,
        crate::identity::routes::addresses_update,
        crate::identity::routes::addresses_delete,
        crate::cart::routes::cart_show,
        crate::cart::routes::cart_items_update,
        crate::checkout::routes::orders_create,
        crate::orders::routes::orders_index,
        crate::orders::routes::orders_recent,
        crate::orders::routes::orders_show,
        crate::orders::routes::orders_cancel,
        crate::orders::routes::orders_items_update,
        crate::orders::routes::orders_address_update,
        crate::orders::routes::orders_return,
        crate::fulfilment::routes::staff_orders_index,
        crate::fulfilment::routes::staff_orders_show,
        crate::fulfilment::routes::staff_orders_action,
        crate::fulfilment::routes::staff_stock_update,
        crate::support::routes::ratings_index,
        crate::support::routes::ratings_update,
        crate::support::routes::support_availability,
        crate::support::routes::chat_show,
        crate::support::routes::chat_messages_create,
        crate::support::chat::chat_socket,
        crate::support::routes::callbacks_create,
        crate::support::routes::tickets_create,
        crate::support::routes::tickets_show,
        crate::support::routes::ticket_messages_create,
        crate::support::routes::support_mine,
        crate::support::routes::feedback_create,
        crate::support::faq::routes::faq_index,
        crate::support::faq::routes::faq_search,
        crate::support::faq::routes::faq_votes_create,
        crate::support::chat::staff_support_socket,
        crate::support::console::routes::staff_support_queue,
        crate::support::console::routes::staff_support_customer,
        crate::support::console::routes::staff_callbacks_schedule,
        crate::support::console::routes::staff_callbacks_done,
        crate::support::console::routes::staff_tickets_reply,
        crate::support::console::routes::staff_tickets_close,
        crate::support::console::routes::staff_conversations_close,
        crate::personal::routes::events_create,
        crate::personal::routes::welcome_show,
        crate::personal::routes::recommendations_index,
        crate::insight::routes::staff_insight_show
    ),
    components(schemas(ApiErrorBody, ApiErrorDetail, ErrorCode)),
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
