//! Form pieces: labelled fields whose API errors appear beside them, and address fields.

use crate::{platform::http::ApiError, tr};
use aisle_domain::customer::{country, AddressInput};
use leptos::prelude::*;

/// A labelled input bound to `value`. When the last API error names this field, the
/// input is marked invalid and the message is shown under it.
#[component]
pub fn Field(
    /// The label's text in the current language: `tr!(key)`.
    #[prop(into)]
    label: TextProp,
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(default = true)] required: bool,
    /// Keeps ids unique when two forms on one page share a field name.
    #[prop(default = "f")] form: &'static str,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let msg_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}{(!required).then(|| tr!(optional))}</label>
            <input id=id name=name type=kind autocomplete=autocomplete inputmode=inputmode required=required
                aria-invalid=move || names(error, name).to_string()
                aria-describedby=msg_id.clone()
                bind:value=value/>
            <FieldMessage id=msg_id name error/>
        </div>
    }
}

/// Whether the last API error is about the field `name`.
fn names(error: RwSignal<Option<ApiError>>, name: &str) -> bool {
    error.with(|e| e.as_ref().and_then(|e| e.message_for(name)).is_some())
}

/// The message under a field: the last API error's, when it names this field.
#[component]
fn FieldMessage(id: String, name: &'static str, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || error.with(|e| e.as_ref().and_then(|e| e.message_for(name)).map(str::to_string).unwrap_or_default())}
        </p>
    }
}

/// A labelled multi-line text box, with its API error beside it like [`Field`].
#[component]
pub fn TextArea(
    /// The label's text in the current language: `tr!(key)`.
    #[prop(into)]
    label: TextProp,
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "f")] form: &'static str,
    #[prop(default = 2000)] maxlength: usize,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let msg_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <textarea id=id name=name rows="4" required=true maxlength=maxlength.to_string()
                aria-invalid=move || names(error, name).to_string()
                aria-describedby=msg_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            <FieldMessage id=msg_id name error/>
        </div>
    }
}

/// An error not tied to one field (or any error, when the form has no such field).
#[component]
pub fn FormError(error: RwSignal<Option<ApiError>>, #[prop(default = &[])] fields: &'static [&'static str]) -> impl IntoView {
    move || {
        error.get().filter(|e| !e.field.as_deref().is_some_and(|f| fields.contains(&f))).map(|e| {
            view! { <p class="form-error" role="alert">{e.message}</p> }
        })
    }
}

pub const ADDRESS_FIELDS: &[&str] = &["name", "line1", "line2", "city", "postcode", "country"];

/// The signals behind an address form.
#[derive(Clone, Copy)]
pub struct AddressForm {
    pub name: RwSignal<String>,
    pub line1: RwSignal<String>,
    pub line2: RwSignal<String>,
    pub city: RwSignal<String>,
    pub postcode: RwSignal<String>,
    pub country: RwSignal<String>,
    pub is_default: RwSignal<bool>,
}

impl AddressForm {
    pub fn new() -> AddressForm {
        AddressForm {
            name: RwSignal::new(String::new()),
            line1: RwSignal::new(String::new()),
            line2: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            postcode: RwSignal::new(String::new()),
            // The shop's first delivery country, as most of its shoppers live there.
            country: RwSignal::new(country::DELIVERY_FIRST[0].to_string()),
            is_default: RwSignal::new(false),
        }
    }

    pub fn set(&self, a: &AddressInput) {
        self.name.set(a.name.clone());
        self.line1.set(a.line1.clone());
        self.line2.set(a.line2.clone());
        self.city.set(a.city.clone());
        self.postcode.set(a.postcode.clone());
        // Addresses saved before countries were a list hold a name: read it as its code.
        self.country.set(country::parse_country(&a.country).map(str::to_string).unwrap_or_else(|_| a.country.clone()));
        self.is_default.set(a.is_default);
    }

    pub fn get(&self) -> AddressInput {
        AddressInput {
            name: self.name.get_untracked(),
            line1: self.line1.get_untracked(),
            line2: self.line2.get_untracked(),
            city: self.city.get_untracked(),
            postcode: self.postcode.get_untracked(),
            country: self.country.get_untracked(),
            is_default: self.is_default.get_untracked(),
        }
    }
}

impl Default for AddressForm {
    fn default() -> Self {
        AddressForm::new()
    }
}

#[component]
pub fn AddressFields(
    form: AddressForm,
    error: RwSignal<Option<ApiError>>,
    /// The only countries to offer (the shop's delivery countries, at checkout); every
    /// country when `None`.
    #[prop(optional)]
    only: Option<Signal<Option<Vec<String>>>>,
) -> impl IntoView {
    view! {
        <Field form="addr" label=tr!(field_full_name) name="name" value=form.name error autocomplete="shipping name"/>
        <Field form="addr" label=tr!(field_line1) name="line1" value=form.line1 error autocomplete="shipping address-line1"/>
        <Field form="addr" label=tr!(field_line2) name="line2" value=form.line2 error autocomplete="shipping address-line2" required=false/>
        <div class="field-row">
            <Field form="addr" label=tr!(field_postcode) name="postcode" value=form.postcode error autocomplete="shipping postal-code"/>
            <Field form="addr" label=tr!(field_city) name="city" value=form.city error autocomplete="shipping address-level2"/>
        </div>
        <CountrySelect form error only/>
    }
}

/// The country, chosen from the list (ISO 3166): the shop's delivery countries first,
/// the rest by name in the shopper's language.
#[component]
fn CountrySelect(form: AddressForm, error: RwSignal<Option<ApiError>>, only: Option<Signal<Option<Vec<String>>>>) -> impl IntoView {
    let (id, msg_id) = ("addr-country", "addr-country-error");
    view! {
        <div class="field">
            <label for=id>{tr!(field_country)}</label>
            <select id=id name="country" autocomplete="shipping country"
                aria-invalid=move || names(error, "country").to_string()
                aria-describedby=msg_id
                on:change=move |ev| form.country.set(event_target_value(&ev))>
                {move || {
                    let lang = crate::platform::lang::lang();
                    let chosen = form.country.get();
                    // The chosen one stays listed even when not offered, so the select
                    // shows what the form holds and the message beside it makes sense.
                    let offered = only.and_then(|o| o.get());
                    let listed = country::for_select(lang)
                        .into_iter()
                        .filter(|c| offered.as_ref().is_none_or(|o| c.code == chosen || o.iter().any(|x| x == c.code)))
                        .collect::<Vec<_>>();
                    let first = listed.iter().take_while(|c| country::DELIVERY_FIRST.contains(&c.code)).count();
                    let first = if first == listed.len() { usize::MAX } else { first };
                    listed.into_iter().enumerate().map(|(i, c)| {
                        let selected = c.code == chosen;
                        // A rule between the delivery countries and the rest of the world.
                        let rule = (i == first).then(|| view! { <option disabled=true>"──────────"</option> });
                        view! { {rule}<option value=c.code selected=selected>{c.name(lang)}</option> }
                    }).collect_view()
                }}
            </select>
            <FieldMessage id=msg_id.to_string() name="country" error/>
        </div>
    }
}

/// Puts the cursor in the first field an error names (by its id, `form-name`), so a
/// keyboard or screen-reader user starts where the form needs them.
pub fn focus_first_error(form: &str, error: &ApiError) {
    let Some(field) = error.field.clone() else { return };
    let id = format!("{form}-{field}");
    // After the view has drawn the messages.
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
