//! The back office's languages: the words from `staff/locales/*.json`, the language
//! switch, and the helpers pages use to write money, dates and statuses. The choice of
//! language is shared with the storefront (same key on the device).

use crate::i18n::{td_string, use_i18n, Locale};
use aisle_domain::{Lang, Money};
use leptos::prelude::*;
use leptos_i18n::Locale as _;

pub use aisle_web::lang::fill;

/// The language on show, untracked: for text made once, outside a view.
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

/// The language on show, tracked.
pub fn lang() -> Lang {
    lang_of(use_i18n().get_locale())
}

/// A price in the current language (tracked).
pub fn money(m: Money) -> String {
    lang().money(m)
}

/// A day in the shop's time zone, as the browser writes dates.
pub fn day(timestamp: &str) -> String {
    super::clock::date(timestamp)
}

/// A date and time in the shop's time zone, as the browser writes them.
pub fn time(timestamp: &str) -> String {
    super::clock::date_time(timestamp)
}

/// The current language's text for a catalogue key, as a closure a view redraws with
/// the language.
#[macro_export]
macro_rules! tr {
    ($key:ident) => {{
        let i18n = $crate::i18n::use_i18n();
        move || $crate::i18n::t_string!(i18n, $key)
    }};
}

/// The current language's text for a catalogue key, read once (untracked).
#[macro_export]
macro_rules! tr_now {
    ($key:ident) => {
        $crate::i18n::td_string!($crate::platform::lang::locale(), $key)
    };
}

/// Picks the starting language (the saved choice, else the browser's) and keeps the
/// shared untracked copy in step.
pub fn start() {
    let i18n = use_i18n();
    if let Some(saved) = aisle_web::lang::saved_choice().and_then(|s| parse(&s)) {
        i18n.set_locale(saved);
        Effect::new(move |_| i18n.set_locale(saved));
    }
    aisle_web::lang::set_current(lang_of(i18n.get_locale_untracked()));
    Effect::new(move |_| aisle_web::lang::set_current(lang_of(i18n.get_locale())));
}

fn parse(code: &str) -> Option<Locale> {
    Locale::get_all().iter().copied().find(|l| l.as_str() == code)
}

/// The language switch, each language named in itself.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="bo-language">
            <span>{tr!(language_label)}</span>
            <select id="language" data-testid="language"
                on:change=move |ev| {
                    if let Some(locale) = parse(&event_target_value(&ev)) {
                        aisle_web::lang::save_choice(locale.as_str());
                        i18n.set_locale(locale);
                    }
                }>
                {Locale::get_all().iter().map(|&l| view! {
                    <option value=l.as_str() lang=l.as_str() selected=move || i18n.get_locale() == l>{td_string!(l, language_name)}</option>
                }).collect_view()}
            </select>
        </label>
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

/// How long someone has waited, in the current language (untracked: the console redraws
/// its queue every half minute anyway).
pub fn wait(seconds: i64) -> String {
    use aisle_domain::support::Wait;
    match Wait::of(seconds) {
        Wait::UnderAMinute => crate::tr_now!(wait_under_minute).to_string(),
        Wait::Minutes(m) => fill(crate::tr_now!(wait_minutes), &[("m", &m)]),
        Wait::Hours(h, m) => fill(crate::tr_now!(wait_hours), &[("h", &h), ("m", &format!("{m:02}"))]),
        Wait::Days(1) => crate::tr_now!(wait_day).to_string(),
        Wait::Days(d) => fill(crate::tr_now!(wait_days), &[("d", &d)]),
    }
}
