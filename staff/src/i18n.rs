//! The back office's words in every language the shop speaks, generated from
//! `staff/locales/*.json` at compile time (a missing key fails the build).

#[allow(deprecated)]
mod catalogues {
    leptos_i18n::load_locales!();
}
pub use catalogues::i18n::*;
