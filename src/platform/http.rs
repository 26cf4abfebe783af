//! The one module that talks HTTP. Pages call these functions and get domain types or
//! an [`ApiError`] whose message is fit to show a shopper.

use aisle_domain::{
    change::{Change, Method},
    cart::Cart,
    catalogue::stock::SetStock,
    customer::{Address, PasswordChange, SessionInfo, SignIn, SignUp},
    order::{Order, OrderAction, OrderSummary, ShipOrder},
    personal::{DeleteAccount, Insight, PrivacySettings, Recommendations, Welcome},
    support::{
        Availability,
        Callback,
        CompleteCallback,
        Conversation,
        CustomerView,
        Faq,
        FaqArticle,
        MySupport,
        NewRating,
        NewTicketMessage,
        Queue,
        Rating,
        ScheduleCallback,
        Ticket,
    },
    ApiErrorBody,
    CatalogueChanges,
    Category,
    CategoryPage,
    ErrorCode,
    Product,
    ProductSummary,
    SearchResults,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use leptos::wasm_bindgen::JsCast;
use std::{cell::RefCell, fmt};


/// How long a request may wait for its answer.
const REQUEST_TIMEOUT_MS: i32 = 8_000;

thread_local! {
    /// The session's CSRF token, sent with every change. Set by [`session`].
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Why a call failed. `status` is 0 when no HTTP answer came back at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    /// The form field the error is about, if the API named one.
    pub field: Option<String>,
    /// The API's error code (`sold_out`, `refused`, …), if it sent one.
    pub code: Option<ErrorCode>,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// Builds the error from a failed response's status and body: the API's own JSON
    /// message when there is one, a plain sentence for anything else (a proxy's HTML
    /// page, an empty body).
    pub fn from_response(status: u16, body: &str) -> ApiError {
        match serde_json::from_str::<ApiErrorBody>(body) {
            Ok(b) => ApiError { status, message: b.error.message, field: b.error.field, code: Some(b.error.code) },
            Err(_) => ApiError::plain(
                status,
                match status {
                    404 => "We could not find that.".to_string(),
                    500..=599 => "The shop is having trouble right now. Please try again in a moment.".to_string(),
                    _ => format!("The request failed (HTTP {status})."),
                },
            ),
        }
    }

    pub fn plain(status: u16, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), field: None, code: None }
    }

    fn network() -> ApiError {
        ApiError::plain(0, "We could not reach the shop. Check your connection and try again.")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiError> {
    let status = res.status();
    if !res.ok() {
        let body = res.text().await.unwrap_or_default();
        return Err(ApiError::from_response(status, &body));
    }
    res.json::<T>().await.map_err(|_| ApiError::plain(status, "The shop sent an answer we could not read. Please reload the page."))
}

/// Sends a change (POST/PUT/DELETE) with the CSRF token. If the session has ended
/// (the server answers `no_session`), a new one is fetched and the change sent once
/// more, so a shopper returning to an old tab is not stuck.
async fn change<T: DeserializeOwned, B: Serialize>(method: Method, path: &str, body: &B, extra: &[(&str, &str)]) -> Result<T, ApiError> {
    for attempt in 0..2 {
        let token = CSRF.with(|c| c.borrow().clone());
        let mut req = with_time_limit(match method {
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
            Method::Delete => Request::delete(path),
        })
        .header("x-csrf-token", &token);
        for (k, v) in extra {
            req = req.header(k, v);
        }
        let res = req
            .json(body)
            .map_err(|_| ApiError::plain(0, "That could not be sent."))?
            .send()
            .await
            .map_err(|_| ApiError::network())?;
        if res.status() == 401 && attempt == 0 {
            let body = res.text().await.unwrap_or_default();
            let err = ApiError::from_response(401, &body);
            if err.code == Some(ErrorCode::NoSession) {
                session().await?;
                continue;
            }
            return Err(err);
        }
        if res.status() == 204 {
            return serde_json::from_str("null").map_err(|_| ApiError::plain(204, "No content"));
        }
        return read(res).await;
    }
    Err(ApiError::plain(401, "Your session has ended. Please reload the page."))
}

/// Gives up on a request whose answer does not come within the time limit, so a hung
/// connection never blocks the app (or the outbox, which resends with the same key).
fn with_time_limit(req: RequestBuilder) -> RequestBuilder {
    let Ok(abort) = web_sys::AbortController::new() else { return req };
    let signal = abort.signal();
    let cb = leptos::wasm_bindgen::closure::Closure::once_into_js(move || abort.abort());
    let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), REQUEST_TIMEOUT_MS);
    req.abort_signal(Some(&signal))
}

async fn get<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let res = with_time_limit(request).send().await.map_err(|_| ApiError::network())?;
    read(res).await
}

pub async fn categories() -> Result<Vec<Category>, ApiError> {
    get(Request::get("/api/categories")).await
}

pub async fn featured() -> Result<Vec<ProductSummary>, ApiError> {
    get(Request::get("/api/featured")).await
}

/// `slug` must already be a valid slug (see `aisle_domain::catalogue::is_valid_slug`),
/// which also makes it safe to put in the path as it is.
pub async fn category_page(slug: &str, page: u32) -> Result<CategoryPage, ApiError> {
    let page = page.to_string();
    let req = Request::get(&format!("/api/categories/{slug}/products"))
        .query([("page", page.as_str())]);
    get(req).await
}

/// `slug` must already be a valid slug.
pub async fn product(slug: &str) -> Result<Product, ApiError> {
    get(Request::get(&format!("/api/products/{slug}"))).await
}

pub async fn search(query: &str, limit: usize) -> Result<SearchResults, ApiError> {
    let limit = limit.to_string();
    let req = Request::get("/api/search").query([("q", query), ("limit", limit.as_str())]);
    get(req).await
}

pub async fn catalogue_changes(since: &str) -> Result<CatalogueChanges, ApiError> {
    get(Request::get("/api/catalogue/changes").query([("since", since)])).await
}

/// Sends one outbox entry: its change with its idempotency key, so a resend acts once.
pub async fn send_change(queued: &Change, key: &str) -> Result<serde_json::Value, ApiError> {
    let request = queued.request();
    change(request.method, &request.path, &request.body, &[("idempotency-key", key)]).await
}

// ---- session and account ----

pub async fn session() -> Result<SessionInfo, ApiError> {
    let info: SessionInfo = get(Request::get("/api/session")).await?;
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    Ok(info)
}

fn remember(info: SessionInfo) -> SessionInfo {
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    info
}

pub async fn sign_up(req: &SignUp) -> Result<SessionInfo, ApiError> {
    change(Method::Post, "/api/account", req, &[]).await.map(remember)
}

pub async fn sign_in(req: &SignIn) -> Result<SessionInfo, ApiError> {
    change(Method::Post, "/api/session", req, &[]).await.map(remember)
}

pub async fn sign_out() -> Result<(), ApiError> {
    change::<(), _>(Method::Delete, "/api/session", &(), &[]).await?;
    CSRF.with(|c| c.borrow_mut().clear());
    Ok(())
}

pub async fn change_password(req: &PasswordChange) -> Result<(), ApiError> {
    change(Method::Put, "/api/account/password", req, &[]).await
}

pub async fn addresses() -> Result<Vec<Address>, ApiError> {
    get(Request::get("/api/account/addresses")).await
}

// ---- cart and orders ----

pub async fn cart() -> Result<Cart, ApiError> {
    get(Request::get("/api/cart")).await
}

pub async fn recent_orders() -> Result<Vec<Order>, ApiError> {
    get(Request::get("/api/orders/recent")).await
}

pub async fn orders() -> Result<Vec<OrderSummary>, ApiError> {
    get(Request::get("/api/orders")).await
}

/// The API path of an order (and an action on it), with a guest's token if any.
pub fn order_path(number: &str, tail: &str, token: &str) -> String {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let token: String = token.chars().filter(char::is_ascii_hexdigit).collect();
    if token.is_empty() {
        format!("/api/orders/{number}{tail}")
    } else {
        format!("/api/orders/{number}{tail}?token={token}")
    }
}

pub async fn order(number: &str, token: &str) -> Result<Order, ApiError> {
    get(Request::get(&order_path(number, "", token))).await
}

// ---- staff ----

pub async fn staff_orders(status: &str) -> Result<Vec<OrderSummary>, ApiError> {
    get(Request::get("/api/staff/orders").query([("status", status)])).await
}

pub async fn staff_order(number: &str) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    get(Request::get(&format!("/api/staff/orders/{number}"))).await
}

pub async fn staff_step(number: &str, action: OrderAction, ship: Option<&ShipOrder>) -> Result<Order, ApiError> {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = format!("/api/staff/orders/{number}/{}", action.as_str());
    match ship {
        Some(s) => change(Method::Post, &path, s, &[]).await,
        None => change(Method::Post, &path, &serde_json::json!({}), &[]).await,
    }
}

pub async fn staff_set_stock(product_id: i64, stock: i64) -> Result<(), ApiError> {
    change(Method::Put, &format!("/api/staff/products/{product_id}/stock"), &SetStock { stock }, &[]).await
}

// ---- support: chat, call-backs, tickets, FAQ, feedback, ratings ----


/// A request that names a guest's support token, when there is one.
fn with_support_token(req: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(t) => req.header("x-support-token", t),
        None => req,
    }
}

pub async fn availability() -> Result<Availability, ApiError> {
    get(Request::get("/api/support/availability")).await
}

pub async fn my_chat(token: Option<&str>) -> Result<Conversation, ApiError> {
    get(with_support_token(Request::get("/api/support/chat"), token)).await
}

pub async fn my_support(token: Option<&str>) -> Result<MySupport, ApiError> {
    get(with_support_token(Request::get("/api/support/mine"), token)).await
}

pub async fn ticket(id: i64, token: Option<&str>) -> Result<Ticket, ApiError> {
    get(with_support_token(Request::get(&format!("/api/support/tickets/{id}")), token)).await
}

pub async fn ticket_reply(id: i64, token: Option<&str>, body: &str) -> Result<Ticket, ApiError> {
    let extra: Vec<(&str, &str)> = token.map(|t| vec![("x-support-token", t)]).unwrap_or_default();
    change(Method::Post, &format!("/api/support/tickets/{id}/messages"), &NewTicketMessage { body: body.to_string() }, &extra).await
}

pub async fn faq() -> Result<Faq, ApiError> {
    get(Request::get("/api/faq")).await
}

pub async fn faq_vote(id: i64, helpful: bool) -> Result<FaqArticle, ApiError> {
    change(Method::Post, &format!("/api/faq/{id}/votes"), &aisle_domain::support::FaqVote { helpful }, &[]).await
}

pub async fn order_ratings(number: &str, token: &str) -> Result<Vec<Rating>, ApiError> {
    get(Request::get(&order_path(number, "/ratings", token))).await
}

/// The path a rating is sent to (through the outbox).
pub fn rating_path(number: &str, product_id: i64, token: &str) -> String {
    order_path(number, &format!("/ratings/{product_id}"), token)
}

pub async fn rate(number: &str, product_id: i64, token: &str, rating: &NewRating) -> Result<Rating, ApiError> {
    change(Method::Put, &rating_path(number, product_id, token), rating, &[]).await
}

// ---- agent console ----

pub async fn staff_queue() -> Result<Queue, ApiError> {
    get(Request::get("/api/staff/support/queue")).await
}

pub async fn staff_customer(key: &str) -> Result<CustomerView, ApiError> {
    let key: String = key.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ':').collect();
    get(Request::get(&format!("/api/staff/support/customers/{key}"))).await
}

pub async fn staff_ticket_reply(id: i64, body: &str) -> Result<Ticket, ApiError> {
    change(Method::Post, &format!("/api/staff/support/tickets/{id}/reply"), &NewTicketMessage { body: body.to_string() }, &[]).await
}

pub async fn staff_ticket_close(id: i64) -> Result<Ticket, ApiError> {
    change(Method::Post, &format!("/api/staff/support/tickets/{id}/close"), &serde_json::json!({}), &[]).await
}

pub async fn staff_callback_schedule(id: i64, at: &str) -> Result<Callback, ApiError> {
    change(Method::Post, &format!("/api/staff/support/callbacks/{id}/schedule"), &ScheduleCallback { at: at.to_string() }, &[]).await
}

pub async fn staff_callback_done(id: i64, note: &str) -> Result<Callback, ApiError> {
    change(Method::Post, &format!("/api/staff/support/callbacks/{id}/done"), &CompleteCallback { note: note.to_string() }, &[]).await
}

pub async fn staff_conversation_close(id: i64) -> Result<Conversation, ApiError> {
    change(Method::Post, &format!("/api/staff/support/conversations/{id}/close"), &serde_json::json!({}), &[]).await
}

// ---- welcome back, recommendations, privacy, insight ----


pub async fn welcome() -> Result<Welcome, ApiError> {
    get(Request::get("/api/welcome")).await
}

pub async fn recommendations() -> Result<Recommendations, ApiError> {
    get(Request::get("/api/recommendations")).await
}

pub async fn privacy() -> Result<PrivacySettings, ApiError> {
    get(Request::get("/api/account/privacy")).await
}

pub async fn set_privacy(settings: &PrivacySettings) -> Result<PrivacySettings, ApiError> {
    change(Method::Put, "/api/account/privacy", settings, &[]).await
}

pub async fn delete_account(password: &str) -> Result<(), ApiError> {
    change(Method::Delete, "/api/account", &DeleteAccount { password: password.to_string() }, &[]).await
}

pub async fn staff_insight(days: u32) -> Result<Insight, ApiError> {
    get(Request::get("/api/staff/insight").query([("days", days.to_string().as_str())])).await
}

/// Percent-encodes a search query for the URL.
pub fn encode_query(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    for b in q.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
