//! Taking over from the page the server wrote.
//!
//! For home, a category and a product, the server writes the page's first view into
//! `index.html` (`api/src/catalogue/pages`): a cold visit shows the page from that one
//! response while this app's code is still on its way. The app then starts off the
//! page, in an element of its own that is not in the document, draws the same page
//! there (asking for the data as usual), and when it has drawn — no placeholder left —
//! its elements go into the page and the first view goes, in one step: the browser
//! lays the page out once, nothing moves, and the scroll position stays.
//!
//! Until then the app's elements are not in the document, so nothing finds two search
//! boxes or two `main`s, and work that waits for the page to be drawn
//! ([`crate::platform::idle`]) waits for this too. What the shopper typed into the first
//! view meanwhile (a search, a quantity), and a language picked in its footer, are
//! carried over.

use crate::platform::idle::Busy;
use leptos::{
    prelude::*,
    wasm_bindgen::{closure::Closure, JsCast},
};
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// After this long the app takes over even if its page is still drawing (a request
/// that does not answer): its own placeholders and messages then say what happens.
const PATIENCE_MS: f64 = 10_000.0;

/// Mounts `app`: straight onto the page, or, where the server wrote a first view,
/// off the page until the app has drawn it.
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let doc = document();
    let first = doc.get_element_by_id("first-view");
    let holder = doc.create_element("div").ok().and_then(|e| e.dyn_into::<HtmlElement>().ok());
    let (Some(first), Some(holder)) = (first, holder) else {
        leptos::mount::mount_to_body(app);
        return;
    };
    leptos::mount::mount_to(holder.clone(), app).forget();
    watch(Watch { holder, first, since: js_sys::Date::now(), _busy: Busy::new() });
}

struct Watch {
    holder: HtmlElement,
    first: Element,
    since: f64,
    /// Held until the swap: work that waits for a drawn page waits for it too.
    _busy: Busy,
}

/// Looks at each frame whether the app has drawn, and swaps when it has.
fn watch(w: Watch) {
    let drawn = w.holder.query_selector("main > *").ok().flatten().is_some() && w.holder.query_selector(".loading").ok().flatten().is_none();
    if drawn || js_sys::Date::now() - w.since > PATIENCE_MS {
        swap(&w.holder, &w.first);
        return;
    }
    let next: Closure<dyn FnMut()> = Closure::once(move || watch(w));
    if window().request_animation_frame(next.as_ref().unchecked_ref()).is_ok() {
        // The browser holds the callback now; it runs once and is then dropped by it.
        next.forget();
    }
}

/// The app's elements in, the first view out.
fn swap(holder: &HtmlElement, first: &Element) {
    let doc = document();
    let Some(body) = doc.body() else { return };
    let typed = typed_inputs(first);
    let focused = doc.active_element().and_then(|a| typed.iter().find(|t| a.is_same_node(Some(&t.input)))).map(|t| {
        // A shopper who selected the text to replace it must not find the next key
        // appended to it instead. Number fields have no selection to read (None).
        let range = t.input.selection_start().ok().flatten().zip(t.input.selection_end().ok().flatten());
        (t.app_id.clone(), range)
    });
    let language = chosen_language(first);
    while let Some(child) = holder.first_child() {
        let _ = body.append_child(&child);
    }
    first.remove();
    if let (Some(code), Some(select)) = (language, doc.get_element_by_id("language")) {
        // As if picked here: the switch saves the choice and redraws in it.
        let _ = js_sys::Reflect::set(&select, &"value".into(), &code.into());
        dispatch(&select, "change");
    }
    // For the bench: how long a cold visit waits for the app itself.
    if let Some(performance) = window().performance() {
        let _ = performance.mark("aisle-app-took-over");
    }
    for t in &typed {
        let text = t.input.value();
        if text == t.input.default_value() {
            continue;
        }
        let Some(field) = doc.get_element_by_id(&t.app_id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) else { continue };
        field.set_value(&text);
        // As if typed here: the search box follows each keystroke to the results, a
        // bound field takes the value into its signal.
        dispatch(&field, "input");
    }
    if let Some((id, range)) = focused {
        if let Some(field) = doc.get_element_by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = field.focus();
            if let (Some((start, end)), Ok(input)) = (range, field.dyn_into::<HtmlInputElement>()) {
                let _ = input.set_selection_range(start, end);
            }
        }
    }
}

/// An input of the first view, and the id of the app's input that takes its place.
struct Typed {
    input: HtmlInputElement,
    app_id: String,
}

/// The first view's inputs: each `fv-X` stands in for the app's `X` (the search box,
/// a product's quantity, the back-in-stock e-mail), so what the shopper typed there
/// before the app arrived is not lost.
fn typed_inputs(first: &Element) -> Vec<Typed> {
    let Ok(list) = first.query_selector_all("input[id^='fv-']") else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
        .filter_map(|input| {
            let app_id = input.id().strip_prefix("fv-")?.to_owned();
            Some(Typed { input, app_id })
        })
        .collect()
}

/// The language picked in the first view's footer meanwhile, if it is not the one the
/// page was written in (`data-was`).
fn chosen_language(first: &Element) -> Option<String> {
    let select = first.query_selector("select[data-was]").ok().flatten()?;
    let value = js_sys::Reflect::get(&select, &"value".into()).ok()?.as_string()?;
    (Some(value.as_str()) != select.get_attribute("data-was").as_deref()).then_some(value)
}

/// A bubbling `kind` event on `target`, which the app's delegated handlers hear.
fn dispatch(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &init) {
        let _ = target.dispatch_event(&event);
    }
}
