//! Small settings kept on the device (local storage, as JSON): the language chosen,
//! the support token. Reads never fail: a value that is missing or unreadable is `None`.

use serde::{de::DeserializeOwned, Serialize};

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn local_get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let raw = local()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

pub fn local_set<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(raw)) = (local(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &raw);
    }
}

pub fn local_remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

pub const SUPPORT_TOKEN: &str = "aisle.support_token";

/// This browser's secret support token: what binds a guest's chats, messages and
/// call-back requests to them (the server keeps only its hash). Made on first use from
/// the browser's cryptographic random source.
pub fn support_token() -> String {
    if let Some(t) = local_get::<String>(SUPPORT_TOKEN).filter(|t| t.len() == 64) {
        return t;
    }
    let token = random_hex(32);
    local_set(SUPPORT_TOKEN, &token);
    token
}

/// `n` random bytes from the browser's cryptographic source, as hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    let filled = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No crypto source (very old browser): fall back rather than fail.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The support token if this browser has one already (reads should not make one).
pub fn existing_support_token() -> Option<String> {
    local_get::<String>(SUPPORT_TOKEN).filter(|t| t.len() == 64)
}
