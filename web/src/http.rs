//! Talking to the API: [`get`] and [`change`] (with the session's CSRF token, a time
//! limit, and one retry with a fresh session when the old one ended), the session
//! itself, and [`ApiError`], whose message is fit to show a shopper. Each feature's
//! calls are in its own `api.rs`.

use aisle_domain::{change::{Change, Method}, customer::SessionInfo, ApiErrorBody, ErrorCode};
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
    /// More fields that are wrong, as (field, message), when a form is checked whole
    /// before it is sent: each message shows beside its field at once.
    pub others: Vec<(String, String)>,
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
            Ok(b) => ApiError { status, message: b.error.message, field: b.error.field, code: Some(b.error.code), others: Vec::new() },
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

    /// Every problem of a form checked before sending, each beside its field: the
    /// first is the error's own field and message, the rest are `others`.
    pub fn fields(problems: Vec<(String, String)>) -> Option<ApiError> {
        let mut problems = problems.into_iter();
        let (field, message) = problems.next()?;
        Some(ApiError { status: 400, message, field: Some(field), code: Some(ErrorCode::Invalid), others: problems.collect() })
    }

    /// The message about `field`, if this error names it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        if self.field.as_deref() == Some(field) {
            return Some(&self.message);
        }
        self.others.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn plain(status: u16, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), field: None, code: None, others: Vec::new() }
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
pub async fn change<T: DeserializeOwned, B: Serialize>(method: Method, path: &str, body: &B, extra: &[(&str, &str)]) -> Result<T, ApiError> {
    // A change made before the app's first session request has answered (the first
    // clickstream batch, a cart change replayed on reconnect) would go out with no
    // token and be refused: fetch the session first.
    if CSRF.with(|c| c.borrow().is_empty()) {
        session().await?;
    }
    for attempt in 0..2 {
        let token = CSRF.with(|c| c.borrow().clone());
        let mut req = with_time_limit(match method {
            Method::Post => Request::post(path),
            Method::Put => Request::put(path),
            Method::Delete => Request::delete(path),
        })
        .header("x-csrf-token", &token)
        // The language on show, so e-mails this change causes speak it too.
        .header("accept-language", crate::lang::current().code());
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

/// Sends `file` as a POST's body, with the CSRF token and the file's type, telling
/// `progress` how much has gone (0.0 to 1.0) as it goes: fetch cannot report an
/// upload's progress, XMLHttpRequest can. An ended session is renewed and the file
/// sent once more, as [`change`] does.
pub async fn upload<T: DeserializeOwned>(path: &str, file: &web_sys::Blob, progress: impl Fn(f64) + 'static) -> Result<T, ApiError> {
    use leptos::wasm_bindgen::closure::Closure;
    if CSRF.with(|c| c.borrow().is_empty()) {
        session().await?;
    }
    let progress = std::rc::Rc::new(progress);
    for attempt in 0..2 {
        let token = CSRF.with(|c| c.borrow().clone());
        let failed = |_| ApiError::plain(0, "That could not be sent.");
        let xhr = web_sys::XmlHttpRequest::new().map_err(failed)?;
        xhr.open("POST", path).map_err(failed)?;
        xhr.set_request_header("x-csrf-token", &token).map_err(failed)?;
        xhr.set_request_header("accept-language", crate::lang::current().code()).map_err(failed)?;
        if !file.type_().is_empty() {
            xhr.set_request_header("content-type", &file.type_()).map_err(failed)?;
        }
        let report = progress.clone();
        let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                report(e.loaded() / e.total());
            }
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        // Settles when the answer is in (any status) or no answer can come.
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            xhr.set_onload(Some(&resolve));
            xhr.set_onerror(Some(&reject));
            xhr.set_onabort(Some(&reject));
        });
        xhr.send_with_opt_blob(Some(file)).map_err(failed)?;
        let answered = wasm_bindgen_futures::JsFuture::from(done).await;
        drop(on_progress);
        if answered.is_err() {
            return Err(ApiError::network());
        }
        let status = xhr.status().unwrap_or(0);
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        if (200..300).contains(&status) {
            return serde_json::from_str(&body).map_err(|_| ApiError::plain(status, "The shop sent an answer we could not read. Please reload the page."));
        }
        let err = ApiError::from_response(status, &body);
        if status == 401 && attempt == 0 && err.code == Some(ErrorCode::NoSession) {
            session().await?;
            continue;
        }
        return Err(err);
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

pub async fn get<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let res = with_time_limit(request).send().await.map_err(|_| ApiError::network())?;
    read(res).await
}

/// Sends one outbox entry: its change with its idempotency key, so a resend acts once.
pub async fn send_change(queued: &Change, key: &str) -> Result<serde_json::Value, ApiError> {
    let request = queued.request();
    change(request.method, &request.path, &request.body, &[("idempotency-key", key)]).await
}

pub async fn session() -> Result<SessionInfo, ApiError> {
    let info: SessionInfo = get(Request::get("/api/session")).await?;
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    Ok(info)
}

/// Keeps the CSRF token of a session the API just started (sign-in, sign-up).
pub fn remember(info: SessionInfo) -> SessionInfo {
    CSRF.with(|c| *c.borrow_mut() = info.csrf_token.clone());
    info
}

/// Forgets the CSRF token of a session that ended (sign-out).
pub fn forget_session() {
    CSRF.with(|c| c.borrow_mut().clear());
}

/// Percent-encodes a query value (a search, a token, a path to come back to).
pub use aisle_domain::url::percent_encode as encode_query;
