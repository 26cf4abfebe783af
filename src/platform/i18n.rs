//! The words of every language the shop speaks: the `Locale` enum, `use_i18n`,
//! `I18nContextProvider` and `td_string!`, generated from `locales/*.json` at compile
//! time and checked against them (a missing key fails the build).

// The build.rs code generation the crate now prefers pulls ICU's data exporter into
// every build; the macro reads the same catalogues with none of that.
#[allow(deprecated)]
mod catalogues {
    leptos_i18n::load_locales!();
}
pub use catalogues::i18n::*;
