//! A product's options and variants, on its edit page: the options (up to three, each
//! with its values), "Generate variants" to make one row per combination (keeping the
//! rows that already exist), a row per variant with its SKU, price, "was" price,
//! stock, weight and photo, and "set every price / stock" for the whole table. Checked
//! here by the parser the API uses, saved whole on its own.

use super::api;
use crate::{platform::http::ApiError, tr, tr_now};
use aisle_domain::{
    catalogue::{
        edit::{amount_text, StaffProduct},
        photo::Photo,
        variant::{combinations, ProductOption, VariantForm, VariantsForm, MAX_OPTIONS},
    },
    Currency,
};
use leptos::{prelude::*, task::spawn_local};

/// An option as typed: its name and its values, comma-separated.
#[derive(Clone, Default, PartialEq)]
struct OptionRow {
    name: String,
    values: String,
}

impl OptionRow {
    fn parsed(&self) -> ProductOption {
        ProductOption { name: self.name.trim().to_string(), values: self.values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect() }
    }
}

fn form_of(p: &StaffProduct) -> (Vec<OptionRow>, Vec<VariantForm>) {
    let currency = p.price.currency;
    let options = p.options.iter().map(|o| OptionRow { name: o.name.clone(), values: o.values.join(", ") }).collect();
    let rows = p
        .variants
        .iter()
        .map(|v| VariantForm {
            id: Some(v.id),
            sku: v.sku.clone(),
            options: v.options.clone(),
            price: amount_text(v.price.minor, currency),
            compare_at: v.compare_at.map(|m| amount_text(m.minor, currency)).unwrap_or_default(),
            stock: v.stock.to_string(),
            stock_was: v.stock.to_string(),
            weight_grams: if v.weight_grams > 0 { v.weight_grams.to_string() } else { String::new() },
            photo_id: v.photo_id,
            market_prices: Some(aisle_domain::market::form::of(&v.market_prices)),
        })
        .collect();
    (options, rows)
}

/// `on_saved` is told after each save (the form's history shows it).
#[component]
pub fn VariantsPanel(product: StaffProduct, on_saved: Callback<()>) -> impl IntoView {
    let id = product.id;
    let currency: Currency = product.price.currency;
    let base_price = amount_text(product.price.minor, currency);
    let photos: StoredValue<Vec<Photo>> = StoredValue::new(product.photos.clone());
    let (o, r) = form_of(&product);
    let options = RwSignal::new(o);
    let rows = RwSignal::new(r);
    let problems = RwSignal::new(Vec::<String>::new());
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let all_price = RwSignal::new(String::new());
    let all_stock = RwSignal::new(String::new());
    // The shop's other markets: a column each, for a variant's own price there.
    let markets = LocalResource::new(super::api::markets);
    let currencies = move || markets.get().and_then(Result::ok).map(|m| m.0.iter().map(|m| m.currency).collect::<Vec<_>>()).unwrap_or_default();

    let generate = move |_| {
        let opts: Vec<ProductOption> = options.get_untracked().iter().map(OptionRow::parsed).filter(|o| !o.name.is_empty()).collect();
        let before = rows.get_untracked();
        let made: Vec<VariantForm> = combinations(&opts)
            .into_iter()
            .map(|values| {
                // A combination that already has a row keeps it (and its id, price, stock).
                before.iter().find(|r| r.options == values).cloned().unwrap_or_else(|| VariantForm {
                    options: values,
                    price: base_price.clone(),
                    stock: "0".into(),
                    ..VariantForm::default()
                })
            })
            .collect();
        let count = made.len();
        rows.set(made);
        notice.set(Some(tr_now!(variants_generated).replace("{n}", &count.to_string())));
    };
    let save = move |form: VariantsForm| {
        if let Err(errors) = form.parse(currency) {
            problems.set(errors.into_iter().map(|e| e.message).collect());
            return;
        }
        problems.set(Vec::new());
        notice.set(None);
        busy.set(true);
        spawn_local(async move {
            let answer: Result<StaffProduct, ApiError> = api::set_variants(id, &form).await;
            let _ = busy.try_set(false);
            match answer {
                Ok(p) => {
                    let (o, r) = form_of(&p);
                    let _ = options.try_set(o);
                    let _ = rows.try_set(r);
                    let _ = notice.try_set(Some(tr_now!(catalogue_saved).to_string()));
                    on_saved.run(());
                }
                Err(e) => {
                    let _ = problems.try_set(std::iter::once(e.message).chain(e.others.into_iter().map(|(_, m)| m)).collect());
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opts: Vec<ProductOption> = options.get_untracked().iter().map(OptionRow::parsed).filter(|o| !o.name.is_empty() || !o.values.is_empty()).collect();
        save(VariantsForm { options: opts, variants: rows.get_untracked() });
    };
    let remove_all = move |_| save(VariantsForm::default());
    let set_all = move |price: bool| {
        let value = if price { all_price.get_untracked() } else { all_stock.get_untracked() };
        rows.update(|rs| {
            for r in rs.iter_mut() {
                if price {
                    r.price = value.clone();
                } else {
                    r.stock = value.clone();
                }
            }
        });
    };

    // Typing in a field changes the form without drawing it again (so the field the
    // cursor moves to stays the same element); generating, "set every" and saving draw it.
    view! {
        <section class="panel bo-variants" aria-labelledby="variants-h" data-testid="variants">
            <h2 id="variants-h">{tr!(variants_title)}</h2>
            <p class="hint">{tr!(variants_hint)}</p>
            <form novalidate on:submit=submit>
                <fieldset class="bo-options">
                    <legend>{tr!(variants_options)}</legend>
                    {move || options.get().into_iter().enumerate().map(|(i, o)| view! {
                        <div class="bo-option-row">
                            <div class="field">
                                <label for=format!("option-name-{i}")>{tr!(variants_option_name)}</label>
                                <input id=format!("option-name-{i}") type="text" autocomplete="off" prop:value=o.name
                                    on:change=move |ev| options.update_untracked(|os| if let Some(o) = os.get_mut(i) { o.name = event_target_value(&ev) })/>
                            </div>
                            <div class="field">
                                <label for=format!("option-values-{i}")>{tr!(variants_option_values)}</label>
                                <input id=format!("option-values-{i}") type="text" autocomplete="off" prop:value=o.values
                                    on:change=move |ev| options.update_untracked(|os| if let Some(o) = os.get_mut(i) { o.values = event_target_value(&ev) })/>
                            </div>
                            <button type="button" class="link-button" on:click=move |_| options.update(|os| { if i < os.len() { os.remove(i); } })>{tr!(variants_option_remove)}</button>
                        </div>
                    }).collect_view()}
                    <div class="bo-actions">
                        <button type="button" disabled=move || options.with(|o| o.len() >= MAX_OPTIONS) on:click=move |_| options.update(|o| o.push(OptionRow::default()))>{tr!(variants_option_add)}</button>
                        <button type="button" on:click=generate>{tr!(variants_generate)}</button>
                    </div>
                </fieldset>
                {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                {move || (!problems.get().is_empty()).then(|| view! {
                    <ul class="form-error" role="alert" data-testid="variants-problems">{problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                })}
                {move || (!rows.with(Vec::is_empty)).then(|| view! {
                    <div class="bo-bulk">
                        <label for="all-price">{tr!(variants_all_price)}</label>
                        <input id="all-price" type="text" inputmode="decimal" bind:value=all_price/>
                        <button type="button" on:click=move |_| set_all(true)>{tr!(variants_apply)}</button>
                        <label for="all-stock">{tr!(variants_all_stock)}</label>
                        <input id="all-stock" type="text" inputmode="numeric" bind:value=all_stock/>
                        <button type="button" on:click=move |_| set_all(false)>{tr!(variants_apply)}</button>
                    </div>
                    <div class="table-wrap">
                        <table class="bo-table" data-testid="variant-rows">
                            <thead><tr>
                                <th scope="col">{tr!(variants_variant)}</th>
                                <th scope="col">"SKU"</th>
                                <th scope="col">{tr!(variants_price)}</th>
                                <th scope="col">{tr!(variants_was)}</th>
                                <th scope="col">{tr!(variants_stock)}</th>
                                <th scope="col">{tr!(variants_weight)}</th>
                                <th scope="col">{tr!(variants_photo)}</th>
                                {move || currencies().into_iter().map(|c| view! { <th scope="col">{c.code()}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                                    let title = r.options.join(" / ");
                                    let cell = move |get: fn(&VariantForm) -> String, set: fn(&mut VariantForm, String), label: String, mode: &'static str| {
                                        let value = rows.with_untracked(|rs| rs.get(i).map(get).unwrap_or_default());
                                        view! {
                                            <input type="text" inputmode=mode aria-label=label prop:value=value
                                                on:change=move |ev| rows.update_untracked(|rs| if let Some(r) = rs.get_mut(i) { set(r, event_target_value(&ev)) })/>
                                        }
                                    };
                                    let named = |what: String| format!("{what} — {title}");
                                    view! {
                                        <tr>
                                            <th scope="row">{title.clone()}</th>
                                            <td>{cell(|r| r.sku.clone(), |r, v| r.sku = v, named("SKU".into()), "text")}</td>
                                            <td>{cell(|r| r.price.clone(), |r, v| r.price = v, named(tr_now!(variants_price).into()), "decimal")}</td>
                                            <td>{cell(|r| r.compare_at.clone(), |r, v| r.compare_at = v, named(tr_now!(variants_was).into()), "decimal")}</td>
                                            <td>{cell(|r| r.stock.clone(), |r, v| r.stock = v, named(tr_now!(variants_stock).into()), "numeric")}</td>
                                            <td>{cell(|r| r.weight_grams.clone(), |r, v| r.weight_grams = v, named(tr_now!(variants_weight).into()), "numeric")}</td>
                                            <td>
                                                <select aria-label=named(tr_now!(variants_photo).into())
                                                    on:change=move |ev| { let v = event_target_value(&ev).parse::<i64>().ok(); rows.update_untracked(|rs| if let Some(r) = rs.get_mut(i) { r.photo_id = v }) }>
                                                    <option value="" selected=r.photo_id.is_none()>{tr!(variants_photo_none)}</option>
                                                    {photos.get_value().into_iter().enumerate().map(|(n, p)| view! {
                                                        <option value=p.id.to_string() selected=r.photo_id == Some(p.id)>{format!("{} {}", n + 1, p.alt)}</option>
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                            // Empty: the variant's price converted at the market's rate.
                                            {currencies().into_iter().map(|c| {
                                                let value = aisle_domain::market::form::typed(&r.market_prices, c);
                                                view! {
                                                    <td><input type="text" inputmode="decimal" aria-label=named(format!("{} {}", tr_now!(variants_price), c.code())) prop:value=value
                                                        on:change=move |ev| {
                                                            let typed = event_target_value(&ev);
                                                            rows.update_untracked(|rs| if let Some(r) = rs.get_mut(i) {
                                                                aisle_domain::market::form::set(&mut r.market_prices, c, typed)
                                                            })
                                                        }/></td>
                                                }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
                <div class="bo-actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>{tr!(variants_save)}</button>
                    {(!product.variants.is_empty()).then(|| view! {
                        <button type="button" disabled=move || busy.get() on:click=remove_all>{tr!(variants_remove_all)}</button>
                    })}
                </div>
            </form>
        </section>
    }
}
