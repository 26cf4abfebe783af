//! A product's content in the shop's other languages, on its edit page: one small form
//! per language (name, web address, description), checked here by the parser the API
//! uses, saved on its own. Emptied and saved, a translation is removed and shoppers
//! reading that language get the shop's own text, marked as such.

use super::{api, fields::{FieldError, Text}};
use crate::{
    i18n::{td_string, Locale},
    platform::http::ApiError,
    tr,
    tr_now,
};
use aisle_domain::{
    catalogue::{
        edit::StaffProduct,
        translation::{translatable, ProductTranslation, TranslationForm},
    },
    Lang,
};
use leptos::{prelude::*, task::spawn_local};

/// The language's name in itself ("Deutsch"), as the language switch shows it.
pub(super) fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => td_string!(Locale::en, language_name),
        Lang::De => td_string!(Locale::de, language_name),
    }
}

/// Ids of a language's fields start with this.
fn prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "translation-en",
        Lang::De => "translation-de",
    }
}

/// `on_saved` is told after each saved translation (the form's history shows it).
#[component]
pub fn TranslationsPanel(product: i64, translations: Vec<ProductTranslation>, on_saved: Callback<()>) -> impl IntoView {
    view! {
        <section class="panel bo-translations" aria-labelledby="translations-h" data-testid="translations">
            <h2 id="translations-h">{tr!(catalogue_translations)}</h2>
            <p class="hint">{tr!(catalogue_translations_hint)}</p>
            {translatable().map(|lang| {
                let existing = translations.iter().find(|t| t.lang == lang).cloned();
                view! { <Translation product lang existing on_saved/> }
            }).collect_view()}
        </section>
    }
}

#[component]
fn Translation(product: i64, lang: Lang, existing: Option<ProductTranslation>, on_saved: Callback<()>) -> impl IntoView {
    let form = RwSignal::new(existing.as_ref().map(ProductTranslation::form).unwrap_or_default());
    let saved = RwSignal::new(existing.is_some());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let prefix = prefix(lang);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        if let Err(problems) = f.parse(lang) {
            error.set(ApiError::fields(problems.into_iter().map(|p| (p.field.to_string(), p.message)).collect()));
            return;
        }
        error.set(None);
        notice.set(None);
        busy.set(true);
        spawn_local(async move {
            let answer: Result<StaffProduct, ApiError> = api::translate(product, lang, &f).await;
            let _ = busy.try_set(false);
            match answer {
                Ok(p) => {
                    let now = p.translations.into_iter().find(|t| t.lang == lang);
                    let _ = saved.try_set(now.is_some());
                    let _ = form.try_set(now.as_ref().map(ProductTranslation::form).unwrap_or_default());
                    let _ = notice.try_set(Some(tr_now!(catalogue_saved).to_string()));
                    on_saved.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="bo-form translation" novalidate on:submit=save>
            <h3 class="wide">
                {language_name(lang)}" "
                {move || if saved.get() {
                    view! { <span class="bo-badge published">{tr!(catalogue_translated)}</span> }.into_any()
                } else {
                    view! { <span class="bo-badge draft" data-testid="translation-missing">{tr!(catalogue_translation_missing)}</span> }.into_any()
                }}
            </h3>
            {move || notice.get().map(|n| view! { <p class="notice wide" role="status">{n}</p> })}
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="form-error wide" role="alert">{e.message}</p> })}
            // Each label names its language: the product's own fields above have the same
            // names. The labels are in the back office's language, the fields in theirs.
            <Text form error prefix field="name" lang=lang.code() label=format!("{} ({})", tr_now!(catalogue_name), language_name(lang)) get=|f: &TranslationForm| f.name.clone() set=|f, v| f.name = v/>
            <Text form error prefix field="slug" lang=lang.code() label=format!("{} ({})", tr_now!(catalogue_slug), language_name(lang)) get=|f: &TranslationForm| f.slug.clone() set=|f, v| f.slug = v/>
            <div class="field wide">
                <label for=format!("{prefix}-description")>{format!("{} ({})", tr_now!(catalogue_description), language_name(lang))}</label>
                <textarea id=format!("{prefix}-description") lang=lang.code() rows="4" aria-describedby=format!("{prefix}-description-error")
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))></textarea>
                <FieldError error prefix field="description"/>
            </div>
            <div class="bo-actions wide">
                <button type="submit" disabled=move || busy.get()>{tr!(catalogue_translation_save)}</button>
            </div>
        </form>
    }
}
