//! The catalogue forms' fields: a labelled input bound to one field of a form, and the
//! message the last check left for it.

use crate::platform::http::ApiError;
use leptos::prelude::*;

/// One text field of the form, with its message from the last check.
#[component]
pub fn Text<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    error: RwSignal<Option<ApiError>>,
    /// Starts the input's id, `{prefix}-{field}`: which form it is in.
    prefix: &'static str,
    field: &'static str,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] inputmode: &'static str,
    /// The language of what is typed, when it is not the page's (a translation).
    #[prop(optional)] lang: Option<&'static str>,
    get: fn(&F) -> String,
    set: fn(&mut F, String),
) -> impl IntoView {
    let id = format!("{prefix}-{field}");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() { format!("{hint_id} {id}-error") } else { format!("{id}-error") };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=field type="text" inputmode=inputmode lang=lang autocomplete="off" aria-describedby=described
                aria-invalid=move || error.with(|e| e.as_ref().and_then(|e| e.message_for(field)).is_some()).to_string()
                prop:value=move || form.with(get)
                on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <FieldError error prefix field/>
        </div>
    }
}

/// After a failed check the first wrong field in `scope` (a CSS selector) takes the
/// focus, in the next frame, so a keyboard user is where the problem is.
pub fn focus_first_invalid(scope: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().query_selector(&format!("{scope} [aria-invalid=true]")).ok().flatten() {
            if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

#[component]
pub fn FieldError(error: RwSignal<Option<ApiError>>, prefix: &'static str, field: &'static str) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{prefix}-{field}-error") aria-live="polite">
            {move || error.with(|e| e.as_ref().and_then(|e| e.message_for(field)).map(str::to_string))}
        </p>
    }
}
