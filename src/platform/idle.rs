//! Work that can wait until the page has drawn: fetching the code of pages and panels
//! the shopper is likely to open next, so that opening them is instant and works
//! offline, and the first sync of the catalogue.
//!
//! "Drawn" means no page code is on its way (each lazy page holds a [`Busy`] until its
//! code has arrived) and no placeholder or "Loading…" is on screen (anything with the
//! class `loading`). Waiting for the browser to be idle alone is not enough: it is idle
//! while a page waits for its code or data, and work started then competes with that
//! page for a slow connection (on a phone on slow 4G it pushed a product page's first
//! paint back by seconds). Placeholders are looked for in the document rather than
//! counted as they come and go: a suspense keeps its fallback's owner alive after the
//! content has arrived, so a count kept through `on_cleanup` never fell to zero.

use leptos::{
    prelude::window,
    task::spawn_local,
    wasm_bindgen::{closure::Closure, JsCast},
};
use std::{cell::RefCell, future::Future, pin::Pin};

type Task = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()>>>>;

thread_local! {
    static BUSY: RefCell<u32> = const { RefCell::new(0) };
    static WAITING: RefCell<Vec<Task>> = const { RefCell::new(Vec::new()) };
    /// When the oldest task that waits was asked for (ms since 1970).
    static SINCE: RefCell<f64> = const { RefCell::new(0.0) };
}

/// A page's code on its way: the page is not drawn while one is held.
pub struct Busy(());

impl Busy {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Busy {
        BUSY.with(|b| *b.borrow_mut() += 1);
        Busy(())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let now = BUSY.with(|b| {
            let mut b = b.borrow_mut();
            *b = b.saturating_sub(1);
            *b
        });
        // Without waiting for the next look: the page's code has just arrived.
        if now == 0 && WAITING.with(|w| !w.borrow().is_empty()) {
            request_idle(run_waiting);
        }
    }
}

/// Whether a page's code is on its way.
pub fn busy() -> bool {
    BUSY.with(|b| *b.borrow() > 0)
}

fn placeholder_on_screen() -> bool {
    leptos::prelude::document().query_selector(".loading").ok().flatten().is_some()
}

/// How long to wait before looking again while a placeholder is on screen.
const RECHECK_MS: i32 = 250;

/// A page still drawing after this long (waiting on a connection that does not
/// answer) no longer holds back the work: the catalogue sync among it is what makes
/// the shop work offline.
const PATIENCE_MS: f64 = 10_000.0;

/// Runs what waits if the page has drawn by the time the browser is idle; else looks
/// again a little later (a placeholder goes away without telling anyone).
fn run_waiting() {
    if WAITING.with(|w| w.borrow().is_empty()) {
        return;
    }
    let busy = BUSY.with(|b| *b.borrow() > 0) || placeholder_on_screen();
    let waited = js_sys::Date::now() - SINCE.with(|s| *s.borrow());
    if busy && waited < PATIENCE_MS {
        let again: Closure<dyn FnMut()> = Closure::once(|| request_idle(run_waiting));
        if window().set_timeout_with_callback_and_timeout_and_arguments_0(again.as_ref().unchecked_ref(), RECHECK_MS).is_ok() {
            again.forget();
        }
        return;
    }
    for task in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
        spawn_local(task());
    }
}

/// Runs `task` once the page has drawn and the browser is idle.
pub fn when_idle<F>(task: impl FnOnce() -> F + 'static)
where
    F: Future<Output = ()> + 'static,
{
    let first = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.push(Box::new(move || Box::pin(task())));
        w.len() == 1
    });
    // One look-again loop at a time: it runs everything that waits.
    if first {
        SINCE.with(|s| *s.borrow_mut() = js_sys::Date::now());
        request_idle(run_waiting);
    }
}

/// `f` when the browser is next idle (or two seconds from now where there is no
/// `requestIdleCallback`, as in Safari before 18).
fn request_idle(f: fn()) {
    let run: Closure<dyn FnMut()> = Closure::once(f);
    let window = window();
    let has_idle = js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false);
    let asked = if has_idle {
        window.request_idle_callback(run.as_ref().unchecked_ref()).is_ok()
    } else {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(run.as_ref().unchecked_ref(), 2000).is_ok()
    };
    if asked {
        // The browser holds the callback now; it runs once and is then dropped by it.
        run.forget();
    }
}
