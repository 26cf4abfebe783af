//! Dates and times as staff read them: in the shop's time zone (`AISLE_TIME_ZONE`,
//! which the API tells the app), written the way the browser's own locale writes
//! them. A packer in Berlin and an agent abroad see the same "18:05" for an order.
//! The browser's `Intl` does the work, so no time zone table ships in the wasm.

use js_sys::{Array, Date, Function, Object, Reflect};
use leptos::wasm_bindgen::{JsCast, JsValue};
use std::cell::RefCell;

/// Until the API has answered: the default the server uses too.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

thread_local! {
    static TIME_ZONE: RefCell<String> = RefCell::new(DEFAULT_TIME_ZONE.to_string());
}

pub fn set_time_zone(zone: &str) {
    TIME_ZONE.with(|z| *z.borrow_mut() = zone.to_string());
}

pub fn time_zone() -> String {
    TIME_ZONE.with(|z| z.borrow().clone())
}

/// "05/12/2026, 18:05" (or the browser's own order): a timestamp with its time.
pub fn date_time(timestamp: &str) -> String {
    format(timestamp, true)
}

/// "05/12/2026": a timestamp's day.
pub fn date(timestamp: &str) -> String {
    format(timestamp, false)
}

/// "23/11/2026" for "2026-11-23": a calendar day the API already counted in the shop's
/// zone (insight's days), written the browser's way and not moved to another zone.
pub fn day(day: &str) -> String {
    // `Date` reads a bare "2026-11-23" as that day's midnight in UTC; shown in UTC it
    // stays on that day wherever the browser is.
    format_in(day, false, "UTC")
}

fn format(timestamp: &str, with_time: bool) -> String {
    format_in(timestamp, with_time, &time_zone())
}

fn format_in(timestamp: &str, with_time: bool, zone: &str) -> String {
    let when = Date::new(&JsValue::from_str(timestamp));
    if when.get_time().is_nan() {
        return timestamp.to_string();
    }
    let options = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("timeZone", zone);
    set("dateStyle", "short");
    if with_time {
        set("timeStyle", "short");
    }
    // An unknown zone makes `Intl` throw: construct it through `Reflect`, which hands
    // the exception back, and fall back on the browser's own zone.
    formatted(&options, &when).unwrap_or_else(|| String::from(when.to_locale_string("default", &JsValue::UNDEFINED)))
}

fn formatted(options: &Object, when: &Date) -> Option<String> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: Function = Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?.dyn_into().ok()?;
    let formatter = Reflect::construct(&constructor, &Array::of2(&Array::new(), options)).ok()?;
    let format: Function = Reflect::get(&formatter, &JsValue::from_str("format")).ok()?.dyn_into().ok()?;
    format.call1(&formatter, when).ok()?.as_string()
}
