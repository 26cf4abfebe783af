//! Choosing a variant on a product page: a radio group per option (Size, Colour), or a
//! list for an option with many values. Values that would lead to a sold-out variant
//! are struck through but can still be chosen (the page then offers "tell me when it
//! is back"); values the shop does not sell with the other choices are struck through
//! and marked. What a value leads to is worked out by `aisle_domain`'s variant rules,
//! the same online and offline.

use crate::tr;
use aisle_domain::catalogue::variant::{choose, value_state, Choice, ProductOption, ValueState, Variant, BUTTONS_UP_TO};
use leptos::prelude::*;

/// The choice, shared by the price, stock, photo, address and "Add to cart".
#[derive(Clone, Copy)]
pub struct Chosen {
    pub choice: RwSignal<Choice>,
    /// Each variant's stock as the live stream last said.
    pub stock: RwSignal<Vec<(i64, i64)>>,
    /// The variants with their live stock, worked out once per stock change for every
    /// reader (each value's state, the price, the button).
    live: Memo<Vec<Variant>>,
    /// The variant chosen, with its live stock; none until every option is chosen.
    current: Memo<Option<Variant>>,
}

impl Chosen {
    pub fn new(variants: Vec<Variant>, opening: Option<&Variant>, options: usize) -> Chosen {
        let choice = RwSignal::new(opening.map_or_else(|| vec![None; options], aisle_domain::catalogue::variant::choice_of));
        let stock = RwSignal::new(variants.iter().map(|v| (v.id, v.stock)).collect::<Vec<_>>());
        let live = Memo::new(move |_| {
            stock.with(|stock| {
                variants.iter().map(|v| Variant { stock: stock.iter().find(|(id, _)| *id == v.id).map_or(v.stock, |(_, s)| *s), ..v.clone() }).collect::<Vec<_>>()
            })
        });
        let current = Memo::new(move |_| live.with(|vs| choice.with(|c| aisle_domain::catalogue::variant::variant_for(vs, c).cloned())));
        Chosen { choice, stock, live, current }
    }

    /// The variant chosen, with its live stock; none until every option is chosen.
    pub fn current(&self) -> Option<Variant> {
        self.current.get()
    }
}

#[component]
pub fn VariantPicker(options: Vec<ProductOption>, chosen: Chosen) -> impl IntoView {
    let sold_out = tr!(variant_sold_out);
    let missing = tr!(variant_missing);
    options
        .into_iter()
        .enumerate()
        .map(|(i, option)| {
            let name = option.name.clone();
            let picked = move || chosen.choice.with(|c| c.get(i).cloned().flatten().unwrap_or_default());
            let state = move |value: &str| chosen.live.with(|variants| chosen.choice.with(|c| value_state(variants, c, i, value)));
            let pick = move |value: String| {
                let next = chosen.live.with_untracked(|variants| chosen.choice.with_untracked(|c| choose(variants, c, i, &value)));
                chosen.choice.set(next);
            };
            if option.values.len() > BUTTONS_UP_TO {
                let id = format!("option-{i}");
                let values = option.values.clone();
                return view! {
                    <div class="field option-list">
                        <label for=id.clone()>{name}</label>
                        <select id=id on:change=move |ev| pick(event_target_value(&ev))>
                            {values.into_iter().map(|value| {
                                let v = value.clone();
                                let label = {
                                    let value = value.clone();
                                    move || match state(&value) {
                                        ValueState::Available => value.clone(),
                                        ValueState::SoldOut => format!("{value} — {}", sold_out()),
                                        ValueState::Missing => format!("{value} — {}", missing()),
                                    }
                                };
                                view! { <option value=v.clone() selected=move || picked() == v>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }
                .into_any();
            }
            let group = format!("option-{i}");
            view! {
                <fieldset class="option-picker" data-testid="option-picker">
                    <legend>{name}": " <strong data-testid="option-chosen">{picked}</strong></legend>
                    <div class="option-values">
                        {option.values.into_iter().map(|value| {
                            let (v1, v2, v3, v4) = (value.clone(), value.clone(), value.clone(), value.clone());
                            let st = Memo::new(move |_| state(&v1));
                            view! {
                                <label class="option-value" class:sold-out=move || st.get() == ValueState::SoldOut class:missing=move || st.get() == ValueState::Missing>
                                    <input type="radio" name=group.clone() value=v2 prop:checked=move || picked() == v3 on:change=move |_| pick(v4.clone())/>
                                    <span>{value}</span>
                                    {move || match st.get() {
                                        ValueState::Available => None,
                                        ValueState::SoldOut => Some(view! { <span class="visually-hidden">{format!(" — {}", sold_out())}</span> }),
                                        ValueState::Missing => Some(view! { <span class="visually-hidden">{format!(" — {}", missing())}</span> }),
                                    }}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
            .into_any()
        })
        .collect_view()
}

/// The page's address follows the choice (`?variant=`), so a shared or reloaded link
/// opens the same size and colour. The history entry is replaced, not added: Back
/// leaves the product rather than stepping through sizes.
pub fn keep_address_in_step(chosen: Chosen, slug: String) {
    Effect::new(move |_| {
        let Some(v) = chosen.current() else { return };
        let Some(window) = leptos::web_sys::window() else { return };
        let Ok(history) = window.history() else { return };
        let url = format!("/p/{slug}?variant={}", v.id);
        let here = window.location().search().unwrap_or_default();
        if here != format!("?variant={}", v.id) {
            // Leptos's router keeps its state in the entry; keeping it lets Back work.
            let state = history.state().unwrap_or(leptos::wasm_bindgen::JsValue::NULL);
            let _ = history.replace_state_with_url(&state, "", Some(&url));
        }
    });
}
