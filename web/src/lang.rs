//! The language on show, as the domain's [`Lang`], for what is made outside views:
//! the `Accept-Language` of API calls (so e-mails a change causes speak it), notices,
//! titles. Each app's own language switch keeps it in step with its i18n context.

use aisle_domain::Lang;
use std::cell::Cell;

/// Where a shopper's or an agent's own choice of language is kept on the device; both
/// apps read it, so a choice made in one holds in the other.
pub const STORAGE_KEY: &str = "aisle.lang";

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language on show, untracked.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

pub fn set_current(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The language chosen on this device, as its code ("en", "de"), if one was.
pub fn saved_choice() -> Option<String> {
    crate::device::local_get::<String>(STORAGE_KEY)
}

/// Keeps the choice on the device, and in a cookie the server reads
/// ([`LANGUAGE_COOKIE`]), so the page it writes on a later cold visit speaks it too.
pub fn save_choice(code: &str) {
    crate::device::local_set(STORAGE_KEY, &code);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let cookie = format!("{LANGUAGE_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &cookie.into());
    }
}

/// The cookie holding the language chosen on this device (the server's
/// `catalogue::pages::LANGUAGE_COOKIE`).
pub const LANGUAGE_COOKIE: &str = "aisle_lang";

/// Fills `{name}` placeholders of a catalogue text.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}
