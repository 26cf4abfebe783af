//! Back and Forward return to where the shopper was on the page: down a long category
//! at the product they tapped, not at the top. The router draws the page it goes back
//! to a moment after the browser's own restoring has run (its data comes from the
//! device's catalogue or the API, its code may be on its way), when the page was still
//! the short one being left, so the browser's attempt lands short. So each address's
//! position is kept as the shopper scrolls, and after a Back or Forward it is set again
//! once the page has drawn: no page code on its way, no placeholder on screen, and the
//! page tall enough.

use leptos::{
    prelude::{document, window},
    wasm_bindgen::{closure::Closure, JsCast},
};
use std::{cell::RefCell, collections::HashMap};

/// Addresses whose position is kept, at most; past it the map starts again.
const KEPT_AT_MOST: usize = 200;
/// How long a page may take to draw before its position is given up on.
const PATIENCE_MS: f64 = 4_000.0;

thread_local! {
    /// The last position seen at each address (path and query).
    static AT: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
    /// The address being returned to and its position, while the page draws. Scrolling
    /// meanwhile is the old page being cut short, not the shopper: not kept.
    static RETURNING: RefCell<Option<Returning>> = const { RefCell::new(None) };
}

#[derive(Clone)]
struct Returning {
    to: String,
    y: f64,
    started: f64,
    /// Frames seen with the page drawn but shorter than `y`.
    short: u32,
}

/// Frames a drawn page may stay shorter than the position (fewer products than when
/// the shopper left) before it is scrolled as far as it goes.
const SHORT_FRAMES: u32 = 10;

fn address() -> String {
    let l = window().location();
    format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default())
}

/// Starts keeping positions and setting them again on Back and Forward.
pub fn start() {
    let on_scroll = Closure::<dyn Fn()>::new(|| {
        if RETURNING.with(|r| r.borrow().is_some()) {
            return;
        }
        let y = window().scroll_y().unwrap_or(0.0);
        AT.with(|at| {
            let mut at = at.borrow_mut();
            if at.len() >= KEPT_AT_MOST {
                at.clear();
            }
            at.insert(address(), y);
        });
    });
    let _ = window().add_event_listener_with_callback("scroll", on_scroll.as_ref().unchecked_ref());
    on_scroll.forget();
    let on_popstate = Closure::<dyn Fn()>::new(|| {
        let here = address();
        let Some(y) = AT.with(|at| at.borrow().get(&here).copied()).filter(|y| *y > 0.0) else {
            RETURNING.with(|r| *r.borrow_mut() = None);
            return;
        };
        let started = js_sys::Date::now();
        let first = RETURNING.with(|r| r.borrow_mut().replace(Returning { to: here, y, started, short: 0 }).is_none());
        if first {
            next_frame();
        }
    });
    let _ = window().add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    on_popstate.forget();
}

fn next_frame() {
    let look = Closure::once_into_js(look);
    let _ = window().request_animation_frame(look.unchecked_ref());
}

/// One look at the page being returned to: set its position once it has drawn.
fn look() {
    let Some(Returning { to, y, started, short }) = RETURNING.with(|r| r.borrow().clone()) else { return };
    let done = || RETURNING.with(|r| *r.borrow_mut() = None);
    // Gone elsewhere meanwhile, or drawing for too long: the shopper has moved on.
    if address() != to || js_sys::Date::now() - started > PATIENCE_MS {
        done();
        return;
    }
    let drawn = !crate::platform::idle::busy() && document().query_selector(".loading").ok().flatten().is_none();
    let tall = document().document_element().map_or(0.0, |e| f64::from(e.scroll_height())) - window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if drawn && (tall >= y || short >= SHORT_FRAMES) {
        window().scroll_to_with_x_and_y(0.0, y);
        done();
        return;
    }
    if drawn {
        RETURNING.with(|r| {
            if let Some(r) = r.borrow_mut().as_mut() {
                r.short += 1;
            }
        });
    }
    next_frame();
}
