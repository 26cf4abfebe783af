//! A listing's order and filters: a sort list, "in stock only", a price range,
//! brands, sizes and colours (a product's options) and stars, each with the count choosing it would show, and a chip per filter in force
//! to take it off with one tap. The choice lives in the page's address (one canonical
//! form, see `aisle_domain::catalogue::listing`), so it can be shared, Back restores
//! it, and a reload finds the same view. On a phone the filters open as a sheet.

use crate::{platform::lang::fill, tr, tr_now};
use aisle_domain::{
    catalogue::{
        edit::{amount_text, parse_amount},
        listing::{self, Choice, Facets, OptionValue, Sort},
    },
    Currency,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::cell::RefCell;

thread_local! {
    /// What the shopper was at when a choice redrew the listing: the control with the
    /// focus (by id) and whether the filters were open. The redrawn controls take both
    /// back, so a keyboard user stays on the sort list and a second brand is one tap.
    static KEPT: RefCell<Option<(String, bool)>> = const { RefCell::new(None) };
    /// The listing (its path) whose filters the shopper opened and has not closed: a
    /// redraw that is no choice of theirs (the device's copy of the catalogue arriving
    /// and taking over from the API's answer) keeps them open.
    static OPEN_ON: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Whether the shopper opened the filters of the listing at `path` and has not closed them.
pub fn open_on(path: &str) -> bool {
    OPEN_ON.with(|o| o.borrow().as_deref() == Some(path))
}

/// Notes the focused control and the panel's state before a choice redraws the page.
fn keep_place() {
    let doc = document();
    let focused = doc.active_element().map(|e| e.id()).filter(|id| !id.is_empty()).unwrap_or_default();
    let open = doc.query_selector(".filters[open]").ok().flatten().is_some();
    KEPT.with(|k| *k.borrow_mut() = Some((focused, open)));
}

/// `path` with `choice` as its query (and no page number: a new choice starts at the
/// first page).
pub fn href(path: &str, choice: &Choice, currency: Currency) -> String {
    href_keeping(path, &[], choice, currency)
}

/// [`href`] for a listing whose address says more than its order and filters: a
/// search's `q`, kept first.
pub fn href_keeping(path: &str, keep: &[(String, String)], choice: &Choice, currency: Currency) -> String {
    let params = choice.params(currency);
    let query: Vec<String> = keep
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(params.iter().map(|(k, v)| (*k, v.as_str())))
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    if query.is_empty() {
        return path.to_string();
    }
    format!("{path}?{}", query.join("&"))
}

/// The number of pages a listing's address shows (`?page=3`); one the API would refuse
/// is the first page.
pub fn page_in(query: &leptos_router::params::ParamsMap) -> u32 {
    query.get("page").and_then(|p| p.parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

/// Everything in a listing's address but its page number: the order and filters (and a
/// search's `q`).
pub fn params_in(query: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    query.into_iter().filter(|(k, _)| k.as_ref() != "page").map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// What a listing's address says besides its order, filters and page (a search's `q`).
pub fn kept(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.iter().filter(|(k, _)| k != "page" && !listing::PARAMS.contains(&k.as_str())).cloned().collect()
}

/// The choice the address holds now, and what else it keeps. A tap on a control drawn
/// for an earlier address (the page not yet redrawn after the last choice, or the
/// last keystroke: its answer still on its way) starts from this, so a quick second
/// choice never undoes the first.
fn now(path: &str, drawn: &Choice, keep: &[(String, String)], currency: Currency) -> (Choice, Vec<(String, String)>) {
    let location = window().location();
    if location.pathname().ok().as_deref() != Some(path) {
        return (drawn.clone(), keep.to_vec());
    }
    let search = location.search().unwrap_or_default();
    let pairs: Vec<(String, String)> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let decode = |s: &str| js_sys::decode_uri_component(&s.replace('+', " ")).ok().and_then(|d| d.as_string()).unwrap_or_default();
            (decode(k), decode(v))
        })
        .collect();
    let choice = Choice::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), currency).unwrap_or_else(|_| drawn.clone());
    (choice, kept(&pairs))
}

fn sort_label(sort: Sort, search: bool) -> String {
    match sort {
        Sort::Listing if search => tr_now!(sort_relevance),
        Sort::Listing => tr_now!(sort_listing),
        Sort::PriceUp => tr_now!(sort_price_up),
        Sort::PriceDown => tr_now!(sort_price_down),
        Sort::Newest => tr_now!(sort_newest),
        Sort::BestSelling => tr_now!(sort_best_selling),
        Sort::BestRated => tr_now!(sort_best_rated),
    }
    .to_string()
}

/// "4 stars & up"; "1 star & up".
fn stars_up(n: u8) -> String {
    if n == 1 {
        tr_now!(filter_star_up_1).to_string()
    } else {
        fill(tr_now!(filter_stars_up), &[("n", &n)])
    }
}

/// `keep`: what the listing's address says besides the choice (a search's `q`); the
/// listing's own order is "Best match" for a search (one with `q`), else "Name".
#[component]
pub fn ListingControls(
    path: String,
    #[prop(optional)] keep: Vec<(String, String)>,
    choice: Choice,
    facets: Facets,
    currency: Currency,
    total: i64,
    /// In place of "130 products": a search's "130 products match “kettle”".
    #[prop(optional, into)] count: Option<Signal<String>>,
    /// Told when the shopper opens the filters (a search counts its choices only then).
    #[prop(optional)] on_open: Option<Callback<()>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let search = keep.iter().any(|(k, _)| k == "q");
    // Each control says what it changes; the change is made to the choice the address
    // holds when tapped (see `now`).
    let go = {
        let (path, drawn, keep) = (path.clone(), choice.clone(), keep.clone());
        move |change: &dyn Fn(&mut Choice)| {
            let (mut c, keep) = now(&path, &drawn, &keep, currency);
            change(&mut c);
            keep_place();
            navigate(&href_keeping(&path, &keep, &c, currency), Default::default())
        }
    };
    let href = |path: &str, c: &Choice, currency| href_keeping(path, &keep, c, currency);
    let (refocus, kept_open) = KEPT.with(|k| k.borrow_mut().take()).unwrap_or_default();
    let open = kept_open || OPEN_ON.with(|o| o.borrow().as_deref() == Some(path.as_str()));
    // The panel's controls are put in the page when it first opens: most visits never
    // open it, and drawing them was a share of every route change to a listing.
    let drawn = RwSignal::new(open);
    let on_toggle = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            use leptos::wasm_bindgen::JsCast;
            let now = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| d.open());
            OPEN_ON.with(|o| *o.borrow_mut() = now.then(|| path.clone()));
            if now && !drawn.get_untracked() {
                drawn.set(true);
            }
            if now {
                if let Some(f) = on_open {
                    f.run(());
                }
            }
        }
    };
    // The browser says "toggle" a moment after the tap; a redraw in that moment (the
    // device's catalogue taking over) would draw the panel closed again. The tap itself
    // is noted at once: the panel is about to be the opposite of what it is.
    let on_summary = {
        let path = path.clone();
        move |ev: leptos::ev::MouseEvent| {
            use leptos::wasm_bindgen::JsCast;
            let details = ev.current_target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()).and_then(|s| s.parent_element());
            let opening = details.and_then(|d| d.dyn_into::<leptos::web_sys::HtmlDetailsElement>().ok()).is_some_and(|d| !d.open());
            OPEN_ON.with(|o| *o.borrow_mut() = opening.then(|| path.clone()));
        }
    };
    Effect::new(move |_| {
        if let Some(el) = (!refocus.is_empty()).then(|| document().get_element_by_id(&refocus)).flatten() {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
    let filter = choice.filter.clone();
    let active = usize::from(filter.in_stock) + usize::from(filter.min.is_some() || filter.max.is_some()) + filter.brands.len() + usize::from(filter.stars.is_some()) + filter.options.len();

    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
            go(&|c| c.sort = sort);
        }
    };
    let on_stock = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let checked = event_target_checked(&ev);
            go(&|c| c.filter.in_stock = checked);
        }
    };
    // Typed prices apply together, on "Apply" or Enter.
    let min = RwSignal::new(filter.min.map(|m| amount_text(m, currency)).unwrap_or_default());
    let max = RwSignal::new(filter.max.map(|m| amount_text(m, currency)).unwrap_or_default());
    let problem = RwSignal::new(String::new());
    let on_price = {
        let (go, choice, path) = (go.clone(), choice.clone(), path.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (lo, hi) = (min.get_untracked(), max.get_untracked());
            // The same rules as the address's, with the rest of the choice as it is.
            let mut params = now(&path, &choice, &[], currency).0.params(currency);
            params.retain(|(k, _)| *k != "min" && *k != "max");
            params.push(("min", lo.clone()));
            params.push(("max", hi.clone()));
            match Choice::parse(params.iter().map(|(k, v)| (*k, v.as_str())), currency) {
                Ok(c) => {
                    problem.set(String::new());
                    go(&|now| now.filter = c.filter.clone());
                }
                Err(_) => {
                    // Both amounts readable: then the two are the wrong way round.
                    let readable = |v: &str| v.trim().is_empty() || parse_amount("min", "", v, currency).is_ok();
                    problem.set(if readable(&lo) && readable(&hi) { tr_now!(filter_price_order) } else { tr_now!(filter_price_bad) }.to_string());
                }
            }
        }
    };
    let brand_boxes = facets
        .brands
        .iter()
        .map(|b| {
            let (go, brand) = (go.clone(), b.brand.clone());
            let checked = choice.filter.brands.contains(&brand);
            let id = format!("brand-{}", b.brand.bytes().map(|c| if c.is_ascii_alphanumeric() { c as char } else { '-' }).collect::<String>());
            let label = format!("{} ({})", b.brand, b.count);
            let on = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                go(&|c| {
                    c.filter.brands.retain(|x| *x != brand);
                    if on {
                        c.filter.brands.push(brand.clone());
                        c.filter.brands.sort();
                    }
                });
            };
            view! { <li><input type="checkbox" id=id.clone() checked=checked on:change=on/><label for=id>{label}</label></li> }
        })
        .collect_view();

    // Sizes, colours and the like: a group per option, a box per value with its count.
    let option_groups = facets
        .options
        .iter()
        .enumerate()
        .map(|(g, o)| {
            let boxes = o
                .values
                .iter()
                .enumerate()
                .map(|(n, v)| {
                    let go = go.clone();
                    let chosen = OptionValue { option: o.option.clone(), value: v.value.clone() };
                    let same = |x: &OptionValue, y: &OptionValue| x.option.eq_ignore_ascii_case(&y.option) && x.value.eq_ignore_ascii_case(&y.value);
                    let checked = choice.filter.options.iter().any(|x| same(x, &chosen));
                    let id = format!("option-{g}-{n}");
                    let label = format!("{} ({})", v.value, v.count);
                    let on = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        go(&|c| {
                            c.filter.options.retain(|x| !same(x, &chosen));
                            if on {
                                c.filter.options.push(chosen.clone());
                                c.filter.options.sort();
                            }
                        });
                    };
                    view! { <li><input type="checkbox" id=id.clone() checked=checked on:change=on/><label for=id>{label}</label></li> }
                })
                .collect_view();
            view! {
                <fieldset data-testid="filter-option">
                    <legend>{o.option.clone()}</legend>
                    <ul class="filter-brands filter-values">{boxes}</ul>
                </fieldset>
            }
        })
        .collect_view();

    // "4 stars & up", down to 1, each with how many it would show; "Any" takes it off.
    // Only when something here is rated, or the address asks for stars.
    let rated = facets.stars[0] > 0 || filter.stars.is_some();
    let star_radios = (0..=4u8)
        .rev()
        .map(|n| {
            let go = go.clone();
            let at_least = (n > 0).then_some(n);
            let id = format!("filter-stars-{n}");
            let label = match at_least {
                Some(n) => format!("{} ({})", stars_up(n), facets.stars[usize::from(n - 1)]),
                None => tr_now!(filter_stars_any).to_string(),
            };
            let on = move |_| go(&|c| c.filter.stars = at_least);
            view! { <li><input type="radio" name="stars" id=id.clone() checked={filter.stars == at_least} on:change=on/><label for=id>{label}</label></li> }
        })
        .collect_view();

    // One chip per filter in force: a link to the same view without it.
    let mut chips: Vec<(String, String)> = Vec::new();
    if filter.in_stock {
        let mut c = choice.clone();
        c.filter.in_stock = false;
        chips.push((tr_now!(filter_in_stock).to_string(), href(&path, &c, currency)));
    }
    if filter.min.is_some() || filter.max.is_some() {
        let mut c = choice.clone();
        c.filter.min = None;
        c.filter.max = None;
        let lo = filter.min.map(|m| amount_text(m, currency)).unwrap_or_default();
        let hi = filter.max.map(|m| amount_text(m, currency)).unwrap_or_default();
        chips.push((format!("{} {lo}–{hi}", currency.symbol()), href(&path, &c, currency)));
    }
    for b in &filter.brands {
        let mut c = choice.clone();
        c.filter.brands.retain(|x| x != b);
        chips.push((b.clone(), href(&path, &c, currency)));
    }
    if let Some(stars) = filter.stars {
        let mut c = choice.clone();
        c.filter.stars = None;
        chips.push((stars_up(stars), href(&path, &c, currency)));
    }
    for o in &filter.options {
        let mut c = choice.clone();
        c.filter.options.retain(|x| x != o);
        chips.push((format!("{}: {}", o.option, o.value), href(&path, &c, currency)));
    }
    let clear_all = href(&path, &Choice { sort: choice.sort, ..Choice::default() }, currency);
    let range_hint = facets.prices.map(|r| format!("{} – {}", amount_text(r.min, currency), amount_text(r.max, currency)));
    let sort_now = choice.sort;

    // Taken once, when `drawn` first holds: it is never set back.
    let sheet = StoredValue::new_local(Some(view! {
        <div class="filter-sheet">
            <fieldset>
                <legend>{tr!(filter_availability)}</legend>
                <input type="checkbox" id="filter-stock" checked=filter.in_stock on:change=on_stock/>
                <label for="filter-stock">{format!("{} ({})", tr_now!(filter_in_stock), facets.in_stock)}</label>
            </fieldset>
            <form class="filter-price" novalidate on:submit=on_price>
                <fieldset>
                    <legend>{tr!(filter_price)}{range_hint.map(|h| view! { <span class="hint">" "{h}</span> })}</legend>
                    <label>{tr!(filter_min)}<input type="text" inputmode="decimal" name="min" bind:value=min/></label>
                    <label>{tr!(filter_max)}<input type="text" inputmode="decimal" name="max" bind:value=max/></label>
                    <button type="submit" id="filter-apply">{tr!(filter_apply)}</button>
                    <p class="field-error" role="alert">{move || problem.get()}</p>
                </fieldset>
            </form>
            // One brand is no choice (a brand's own page, a small search).
            {(facets.brands.len() > 1 || !filter.brands.is_empty()).then(|| view! {
                <fieldset>
                    <legend>{tr!(filter_brand)}</legend>
                    <ul class="filter-brands">{brand_boxes}</ul>
                </fieldset>
            })}
            {option_groups}
            {rated.then(|| view! {
                <fieldset>
                    <legend>{tr!(filter_rating)}</legend>
                    <ul class="filter-brands">{star_radios}</ul>
                </fieldset>
            })}
        </div>
    }.into_any()));
    view! {
        <section class="listing-controls" aria-label=tr!(sort_and_filter)>
            <div class="listing-bar">
                {match count {
                    Some(count) => view! { <p class="listing-count result-count" role="status" data-testid="listing-count">{move || count.get()}</p> }.into_any(),
                    None => view! { <p class="listing-count" role="status" data-testid="listing-count">{fill(tr_now!(listing_count), &[("n", &total)])}</p> }.into_any(),
                }}
                <label class="sort-by"><span>{tr!(sort_by)}</span>
                    <select id="sort" on:change=on_sort data-testid="sort">
                        {Sort::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected={s == sort_now}>{sort_label(s, search)}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <details class="filters" data-testid="filters" open=open on:toggle=on_toggle>
                <summary on:click=on_summary>{tr!(filters)}{(active > 0).then(|| format!(" ({active})"))}</summary>
                {move || drawn.get().then(|| sheet.try_update_value(|s| s.take()).flatten())}
            </details>
            {(!chips.is_empty()).then(|| view! {
                <ul class="filter-chips" aria-label=tr!(filters_in_force) data-testid="filter-chips">
                    {chips.into_iter().map(|(label, href)| {
                        let name = fill(tr_now!(filter_remove), &[("name", &label)]);
                        view! { <li><a href=href aria-label=name>{label}<span aria-hidden="true">" ×"</span></a></li> }
                    }).collect_view()}
                    <li><a class="clear" href=clear_all>{tr!(filter_clear)}</a></li>
                </ul>
            })}
        </section>
    }
}

/// "Showing 24 of 130" and "Show more": the next page goes under those on show. The
/// address says how many pages are shown (`?page=3`), so a reload or Back shows as
/// many; the step replaces the history entry and keeps the scroll where it is.
#[component]
pub fn ShowMore(href: String, page: u32, shown: usize, total: i64) -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let showing = tr!(listing_showing);
    let more = (shown as i64) < total;
    // `href` may carry the listing's order and filters already.
    let sep = if href.contains('?') { '&' } else { '?' };
    let next = format!("{href}{sep}page={}", page + 1);
    (total > 0).then(|| view! {
        <div class="show-more-row">
            <p class="hint" data-testid="listing-shown">{move || fill(showing(), &[("shown", &shown), ("total", &total)])}</p>
            {more.then(|| {
                let link = next.clone();
                view! {
                    <a class="button secondary show-more" href=next.clone() data-testid="show-more" on:click=move |ev| {
                        ev.prevent_default();
                        navigate(&link, leptos_router::NavigateOptions { replace: true, scroll: false, ..Default::default() });
                    }>{tr!(listing_show_more)}</a>
                }
            })}
        </div>
    })
}
