//! The shop's languages in the web app: which one is shown, the switch in the footer,
//! and the helpers pages use to read words from the catalogues (`locales/*.json`) and to
//! write prices and dates the way the language does (shapes from `aisle_domain::Lang`).
//!
//! The first visit speaks the first of the browser's languages the shop knows (leptos_i18n
//! reads `navigator.languages`); a choice made in the footer is kept on the device and wins
//! from then on. Catalogue values carry placeholders as `{name}`, filled by [`fill`]: the
//! same text then works in views, attributes, titles and notices made outside any view.

use crate::i18n::{td_string, use_i18n, Locale};
use aisle_domain::{Lang, Money};
use leptos::prelude::*;
use leptos_i18n::Locale as _;

pub use aisle_web::lang::fill;

/// The language on show, untracked: for text made once, outside a view (notices,
/// titles, labels of changes saved for later); views track the i18n context instead.
pub fn locale() -> Locale {
    match aisle_web::lang::current() {
        Lang::En => Locale::en,
        Lang::De => Locale::de,
    }
}

pub fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        Locale::de => Lang::De,
    }
}

/// The language on show, tracked: a view reading it redraws when the shopper switches.
pub fn lang() -> Lang {
    lang_of(use_i18n().get_locale())
}

/// A price in the current language (tracked).
pub fn money(m: Money) -> String {
    lang().money(m)
}

/// A date ("24.11.2026") in the current language (tracked).
pub fn day(timestamp: &str) -> String {
    lang().day(timestamp)
}

/// A date and time ("24.11.2026, 14:05 UTC") in the current language (tracked).
pub fn time(timestamp: &str) -> String {
    lang().time(timestamp)
}

/// The current language's text for a catalogue key, as a closure a view redraws with
/// the language: `{tr!(cart)}`, or `aria-label=tr!(search_label)`.
#[macro_export]
macro_rules! tr {
    ($key:ident) => {{
        let i18n = $crate::i18n::use_i18n();
        move || $crate::i18n::t_string!(i18n, $key)
    }};
}

/// The current language's text for a catalogue key, read once (untracked): for text
/// made outside views, such as notices and titles.
#[macro_export]
macro_rules! tr_now {
    ($key:ident) => {
        $crate::i18n::td_string!($crate::platform::lang::locale(), $key)
    };
}

/// Picks the starting language (the shopper's saved choice, else the browser's), then
/// keeps `<html lang>`'s companion state in step: the untracked copy above.
pub fn start() {
    let i18n = use_i18n();
    // An address that names its language (`?lang=de`, as the sitemap and the pages'
    // hreflang links give them) is a choice, as if made in the footer: the page the
    // server wrote speaks it, so the app and the API's answers do too.
    let search = window().location().search().unwrap_or_default();
    if let Some(linked) = search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(parse) {
        aisle_web::lang::save_choice(linked.as_str());
    }
    if let Some(saved) = aisle_web::lang::saved_choice().and_then(|s| parse(&s)) {
        // Set now, so the first page draws in it; and again once effects run, since
        // leptos_i18n's own first run sets the browser's language over it.
        i18n.set_locale(saved);
        Effect::new(move |_| i18n.set_locale(saved));
    }
    aisle_web::lang::set_current(lang_of(i18n.get_locale_untracked()));
    Effect::new(move |_| aisle_web::lang::set_current(lang_of(i18n.get_locale())));
}

fn parse(code: &str) -> Option<Locale> {
    Locale::get_all().iter().copied().find(|l| l.as_str() == code)
}

/// The language switch: a labelled list, each language named in itself so a shopper
/// who cannot read the current one still finds theirs. Switching redraws the page in
/// place (no reload) and is remembered on this device.
/// Told when the shopper picks another language (the app gives it: the device's copy
/// of the catalogue is then read again in that language).
#[derive(Clone, Copy)]
pub struct LanguageChanged(pub Callback<()>);

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    let changed = use_context::<LanguageChanged>();
    view! {
        <label for="language">{tr!(language_label)}</label>" "
        <select id="language" data-testid="language"
            on:change=move |ev| {
                if let Some(locale) = parse(&event_target_value(&ev)) {
                    aisle_web::lang::save_choice(locale.as_str());
                    i18n.set_locale(locale);
                    aisle_web::lang::set_current(lang_of(locale));
                    if let Some(LanguageChanged(changed)) = changed {
                        changed.run(());
                    }
                }
            }>
            {Locale::get_all().iter().map(|&l| view! {
                <option value=l.as_str() lang=l.as_str() selected=move || i18n.get_locale() == l>{td_string!(l, language_name)}</option>
            }).collect_view()}
        </select>
    }
}

/// A message about a field the page checked itself before sending (with the rules the
/// server shares, `aisle_domain::customer`). English keeps the rule's own wording; other
/// languages say it from their catalogue, field by field.
/// As [`field_error`], for an address whose country is `country` (a code): a German
/// postcode message gives that country's example too.
pub fn address_field_error(e: &aisle_domain::customer::FieldError, country: &str) -> String {
    match (e.field, locale(), aisle_domain::customer::country::postcode_example(country)) {
        ("postcode", Locale::de, Some(example)) => fill(crate::tr_now!(invalid_postcode_like), &[("example", &example)]),
        _ => field_error(e),
    }
}

pub fn field_error(e: &aisle_domain::customer::FieldError) -> String {
    use aisle_domain::customer::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
    if locale() == Locale::en {
        return e.message.clone();
    }
    match e.field {
        "email" => crate::tr_now!(invalid_email).to_string(),
        "name" => crate::tr_now!(invalid_name).to_string(),
        "line1" => crate::tr_now!(invalid_line1).to_string(),
        "line2" => crate::tr_now!(invalid_line2).to_string(),
        "city" => crate::tr_now!(invalid_city).to_string(),
        "postcode" => crate::tr_now!(invalid_postcode).to_string(),
        "country" => crate::tr_now!(invalid_country).to_string(),
        "phone" => crate::tr_now!(invalid_phone).to_string(),
        "password" | "new_password" => fill(crate::tr_now!(invalid_password), &[("min", &MIN_PASSWORD_CHARS), ("max", &MAX_PASSWORD_CHARS)]),
        "quantity" => fill(crate::tr_now!(quantity_range), &[("max", &aisle_domain::customer::MAX_QUANTITY)]),
        _ => crate::tr_now!(invalid_field).to_string(),
    }
}

/// An order's status as the order page shows it (tracked).
pub fn order_status(status: aisle_domain::order::OrderStatus) -> &'static str {
    use aisle_domain::order::OrderStatus as S;
    let i18n = use_i18n();
    use crate::i18n::t_string;
    match status {
        S::Placed => t_string!(i18n, status_placed),
        S::Packed => t_string!(i18n, status_packed),
        S::Shipped => t_string!(i18n, status_shipped),
        S::OutForDelivery => t_string!(i18n, status_out_for_delivery),
        S::Delivered => t_string!(i18n, status_delivered),
        S::Cancelled => t_string!(i18n, status_cancelled),
        S::ReturnRequested => t_string!(i18n, status_return_requested),
        S::Returned => t_string!(i18n, status_returned),
    }
}

/// The status inside a sentence: lower case in English ("is shipped"); German nouns
/// keep their capitals, and its sentence puts the status after a colon.
pub fn order_status_in_sentence(status: aisle_domain::order::OrderStatus) -> String {
    let s = order_status(status);
    if lang() == Lang::En { s.to_lowercase() } else { s.to_string() }
}

/// A carrier's name: its own brand, or "other carrier" in the shopper's language (tracked).
pub fn carrier_name(carrier: aisle_domain::order::Carrier) -> &'static str {
    use crate::i18n::t_string;
    match carrier {
        aisle_domain::order::Carrier::Other => t_string!(use_i18n(), carrier_other),
        c => c.name(),
    }
}

/// How an order action reads on a button (tracked).
pub fn order_action(action: aisle_domain::order::OrderAction) -> &'static str {
    use aisle_domain::order::OrderAction as A;
    let i18n = use_i18n();
    use crate::i18n::t_string;
    match action {
        A::Cancel => t_string!(i18n, action_cancel),
        A::ChangeItems => t_string!(i18n, action_change_items),
        A::ChangeAddress => t_string!(i18n, action_change_address),
        A::RequestReturn => t_string!(i18n, action_request_return),
        A::Pack => t_string!(i18n, action_pack),
        A::Ship => t_string!(i18n, action_ship),
        A::MarkOutForDelivery => t_string!(i18n, action_out_for_delivery),
        A::MarkDelivered => t_string!(i18n, action_mark_delivered),
        A::CompleteReturn => t_string!(i18n, action_complete_return),
    }
}

/// A call-back's status in the current language (tracked).
pub fn callback_status(status: aisle_domain::support::CallbackStatus) -> impl Fn() -> &'static str {
    let i18n = crate::i18n::use_i18n();
    move || match status {
        aisle_domain::support::CallbackStatus::Requested => crate::i18n::t_string!(i18n, callback_requested),
        aisle_domain::support::CallbackStatus::Scheduled => crate::i18n::t_string!(i18n, callback_scheduled),
        aisle_domain::support::CallbackStatus::Done => crate::i18n::t_string!(i18n, done),
    }
}

/// A message's status in the current language (tracked).
pub fn ticket_status(status: aisle_domain::support::TicketStatus) -> impl Fn() -> &'static str {
    let i18n = crate::i18n::use_i18n();
    move || match status {
        aisle_domain::support::TicketStatus::Open => crate::i18n::t_string!(i18n, ticket_open),
        aisle_domain::support::TicketStatus::Answered => crate::i18n::t_string!(i18n, ticket_answered),
        aisle_domain::support::TicketStatus::Closed => crate::i18n::t_string!(i18n, ticket_closed),
    }
}

/// A call-back window's name in the current language (tracked).
pub fn window_label(w: aisle_domain::support::CallWindow) -> impl Fn() -> &'static str {
    let i18n = crate::i18n::use_i18n();
    move || match w {
        aisle_domain::support::CallWindow::Asap => crate::i18n::t_string!(i18n, window_asap),
        aisle_domain::support::CallWindow::Morning => crate::i18n::t_string!(i18n, window_morning),
        aisle_domain::support::CallWindow::Afternoon => crate::i18n::t_string!(i18n, window_afternoon),
    }
}
