//! Sessions, sign-up/in/out, profile, password and address book.

use crate::platform;
use super::{
    password, session,
    session::Visitor,
    store,
};
use crate::{
    cart,
    platform::{error::ApiError, extract::{ApiJson, ApiPath, RequestLang}, fanout::Signal},
    AppState,
};
use aisle_domain::{
    customer::{
        parse_phone,
        parse_text,
        Address,
        AddressInput,
        Customer,
        Email,
        NewPassword,
        PasswordChange,
        PasswordReset,
        PasswordResetRequest,
        ProfileUpdate,
        SessionInfo,
        SignIn,
        SignUp,
        StaffShop,
    },
    ErrorCode,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};

fn with_cookie(token: Option<&str>, headers: &HeaderMap, body: impl IntoResponse) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::SET_COOKIE, session::session_cookie(token, session::is_https(headers)));
    res
}

/// `GET /api/session`: the current session, starting a guest one if there is none.
#[utoipa::path(get, path = "/session", tag = "account", responses((status = 200, description = "The session and its CSRF token; sets the session cookie if there was none", body = aisle_domain::customer::SessionInfo)))]
pub async fn session_show(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session::session_token(&headers) {
        if let Some(v) = session::load_session(&state.db, &platform::token::hash_token(&token)).await? {
            return Ok(Json(SessionInfo { customer: v.customer, csrf_token: v.csrf_token }).into_response());
        }
    }
    let mut conn = state.db.acquire().await?;
    let (token, v) = session::create_session(&mut conn, None).await?;
    Ok(with_cookie(Some(&token), &headers, Json(SessionInfo { customer: None, csrf_token: v.csrf_token })))
}

/// Replaces the visitor's session with a new one for `customer`, keeping their cart:
/// a new token at sign-in means a token seen before it (fixation) is worthless.
pub async fn start_signed_in(state: &AppState, v: &Visitor, customer: Customer, headers: &HeaderMap, status: StatusCode) -> Result<Response, ApiError> {
    let mut tx = crate::platform::db::begin_write(&state.db).await?;
    cart::store::merge_guest_cart(&mut tx, &v.session_hash, customer.id).await?;
    session::delete_session(&mut tx, &v.session_hash).await?;
    let (token, new) = session::create_session(&mut tx, Some(customer.clone())).await?;
    tx.commit().await?;
    Ok(with_cookie(Some(&token), headers, (status, Json(SessionInfo { customer: Some(customer), csrf_token: new.csrf_token }))))
}

/// `POST /api/account`: sign up, and sign in at once.
#[utoipa::path(post, path = "/account", tag = "account", request_body = SignUp, responses((status = 201, description = "Signed up and signed in", body = aisle_domain::customer::SessionInfo)))]
pub async fn account_create(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<SignUp>) -> Result<Response, ApiError> {
    let name = parse_text("name", "your name", &req.name, 100)?;
    let email = Email::parse(&req.email)?;
    let password = NewPassword::parse(&req.password, "password")?;
    let hash = password::hash_password(password.as_str())?;
    let mut conn = state.db.acquire().await?;
    let customer = store::insert_customer(&mut conn, email.as_str(), &name, &hash, false).await?;
    drop(conn);
    start_signed_in(&state, &v, customer, &headers, StatusCode::CREATED).await
}

/// `POST /api/session`: sign in.
#[utoipa::path(post, path = "/session", tag = "account", request_body = SignIn, responses((status = 200, description = "Signed in; a new session cookie", body = aisle_domain::customer::SessionInfo)))]
pub async fn session_create(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<SignIn>) -> Result<Response, ApiError> {
    let email = req.email.trim().to_lowercase();
    // Counted by a hash of the address, which is also what other instances are told.
    let limit_key = platform::token::hash_token(&email);
    if let Err(minutes) = state.sign_in_limiter.check(&limit_key) {
        return Err(ApiError::too_many(
            minutes * 60,
            format!(
                "Too many failed sign-in attempts for this e-mail. Please wait {minutes} minute{} and try again, or reset your password.",
                if minutes == 1 { "" } else { "s" }
            ),
        ));
    }
    let found = store::customer_for_sign_in(&state.db, &email).await?;
    let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| password::dummy_hash().to_string());
    let password = req.password.clone();
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || password::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    match found {
        Some((customer, _)) if ok => {
            state.sign_in_limiter.clear(&limit_key);
            state.fanout.send(Signal::SignInSucceeded { key: limit_key });
            start_signed_in(&state, &v, customer, &headers, StatusCode::OK).await
        }
        _ => {
            state.sign_in_limiter.record_failure(&limit_key);
            state.fanout.send(Signal::SignInFailed { key: limit_key });
            Err(ApiError::Conflict { code: ErrorCode::WrongCredentials, message: "That e-mail and password do not match an account.".into() })
        }
    }
}

/// `DELETE /api/session`: sign out. The session and its cookie are gone, so whoever
/// uses this device next starts with an empty cart.
#[utoipa::path(delete, path = "/session", tag = "account", responses((status = 204, description = "Signed out")))]
pub async fn session_delete(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> Result<Response, ApiError> {
    let mut conn = state.db.acquire().await?;
    session::delete_session(&mut conn, &v.session_hash).await?;
    Ok(with_cookie(None, &headers, StatusCode::NO_CONTENT))
}

/// `PUT /api/account`: name, e-mail, phone, and a business's company and VAT ID.
#[utoipa::path(put, path = "/account", tag = "account", request_body = ProfileUpdate, responses((status = 200, description = "The updated profile", body = Customer)))]
pub async fn account_update(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<ProfileUpdate>) -> Result<Json<Customer>, ApiError> {
    let me = v.signed_in()?;
    let name = parse_text("name", "your name", &req.name, 100)?;
    let email = Email::parse(&req.email)?;
    let phone = parse_phone(&req.phone)?;
    let company = (!req.company.trim().is_empty()).then(|| parse_text("company", "your company's name", &req.company, 120)).transpose()?;
    let vat_id = (!req.vat_id.trim().is_empty()).then(|| aisle_domain::customer::vat_id::VatId::parse(&req.vat_id)).transpose()?;
    if vat_id.is_some() && company.is_none() {
        return Err(ApiError::Invalid(aisle_domain::customer::FieldError::new("company", "Please give your company's name with its VAT ID: both go on your invoices.")));
    }
    let profile = store::Profile { name: &name, email: email.as_str(), phone: phone.as_deref(), company: company.as_deref(), vat_id: vat_id.as_ref().map(|v| v.as_str()) };
    store::update_profile(&state.db, me.id, &profile).await?;
    let updated = store::customer_by_id(&state.db, me.id).await?.ok_or(ApiError::Unauthorized)?;
    Ok(Json(updated))
}

/// `PUT /api/account/password`: needs the current password; ends every other session.
#[utoipa::path(put, path = "/account/password", tag = "account", request_body = PasswordChange, responses((status = 204, description = "Changed")))]
pub async fn password_update(State(state): State<AppState>, v: Visitor, ApiJson(req): ApiJson<PasswordChange>) -> Result<StatusCode, ApiError> {
    let me = v.signed_in()?;
    let new = NewPassword::parse(&req.new_password, "new_password")?;
    let hash = store::password_hash(&state.db, me.id).await?;
    let current = req.current_password.clone();
    let ok = tokio::task::spawn_blocking(move || password::verify_password(&current, &hash)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        return Err(ApiError::Invalid(aisle_domain::customer::FieldError::new("current_password", "Your current password is not right.")));
    }
    let new_hash = password::hash_password(new.as_str())?;
    store::set_password_hash(&state.db, me.id, &new_hash).await?;
    session::delete_other_sessions(&state.db, me.id, &v.session_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/password-reset`: "forgot password?". E-mails a one-time link, good for
/// an hour, if the address has an account; 204 either way.
#[utoipa::path(post, path = "/password-reset", tag = "account", request_body = PasswordResetRequest, responses((status = 204, description = "If the address has an account, a link is on its way")))]
pub async fn password_reset_create(State(state): State<AppState>, _v: Visitor, RequestLang(lang): RequestLang, ApiJson(req): ApiJson<PasswordResetRequest>) -> Result<StatusCode, ApiError> {
    let email = Email::parse(&req.email)?;
    super::reset::request(&state, &email, lang).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/password-reset/confirm`: the new password, with the link's token. Signs
/// this browser in and every other session of the account out; 410 `link_expired` for
/// a link that was used, is over an hour old or was replaced.
#[utoipa::path(post, path = "/password-reset/confirm", tag = "account", request_body = PasswordReset, responses((status = 200, description = "The new password is set; signed in", body = aisle_domain::customer::SessionInfo)))]
pub async fn password_reset_confirm(State(state): State<AppState>, v: Visitor, headers: HeaderMap, ApiJson(req): ApiJson<PasswordReset>) -> Result<Response, ApiError> {
    let customer = super::reset::confirm(&state, &req.token, &req.password).await?;
    // A forgotten password often follows failed sign-ins: they no longer count.
    let limit_key = platform::token::hash_token(&customer.email);
    state.sign_in_limiter.clear(&limit_key);
    state.fanout.send(Signal::SignInSucceeded { key: limit_key });
    start_signed_in(&state, &v, customer, &headers, StatusCode::OK).await
}

/// `GET /api/account/addresses`
#[utoipa::path(get, path = "/account/addresses", tag = "account", responses((status = 200, description = "The address book", body = Vec<Address>)))]
pub async fn addresses_index(State(state): State<AppState>, v: Visitor) -> Result<Json<Vec<Address>>, ApiError> {
    Ok(Json(store::addresses(&state.db, v.signed_in()?.id).await?))
}

/// `POST /api/account/addresses`
#[utoipa::path(post, path = "/account/addresses", tag = "account", request_body = AddressInput, responses((status = 201, description = "The saved address", body = Address)))]
pub async fn addresses_create(State(state): State<AppState>, v: Visitor, ApiJson(a): ApiJson<AddressInput>) -> Result<(StatusCode, Json<Address>), ApiError> {
    let me = v.signed_in()?;
    let a = a.validate()?;
    Ok((StatusCode::CREATED, Json(store::save_address(&state.db, me.id, None, &a).await?)))
}

fn address_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found("There is no such address in your address book."))
}

/// `PUT /api/account/addresses/{id}`
#[utoipa::path(put, path = "/account/addresses/{id}", tag = "account", request_body = AddressInput, params(("id" = i64, Path)), responses((status = 200, description = "The saved address", body = Address)))]
pub async fn addresses_update(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>, ApiJson(a): ApiJson<AddressInput>) -> Result<Json<Address>, ApiError> {
    let me = v.signed_in()?;
    let a = a.validate()?;
    Ok(Json(store::save_address(&state.db, me.id, Some(address_id(&id)?), &a).await?))
}

/// `DELETE /api/account/addresses/{id}`
#[utoipa::path(delete, path = "/account/addresses/{id}", tag = "account", params(("id" = i64, Path)), responses((status = 204, description = "Deleted")))]
pub async fn addresses_delete(State(state): State<AppState>, v: Visitor, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    let me = v.signed_in()?;
    store::delete_address(&state.db, me.id, address_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/staff/shop`: the shop's name and time zone, for the back office.
#[utoipa::path(get, path = "/staff/shop", tag = "staff", responses((status = 200, description = "The shop as staff see it", body = StaffShop)))]
pub async fn staff_shop(State(state): State<AppState>, _staff: session::Staff) -> Json<StaffShop> {
    Json(StaffShop { name: state.emails.shop.name.clone(), time_zone: state.emails.shop.time_zone.clone() })
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session_show, session_create, session_delete))
        .routes(routes!(account_create, account_update))
        .routes(routes!(password_update))
        .routes(routes!(password_reset_create))
        .routes(routes!(password_reset_confirm))
        .routes(routes!(addresses_index, addresses_create))
        .routes(routes!(addresses_update, addresses_delete))
        .routes(routes!(staff_shop))
}
