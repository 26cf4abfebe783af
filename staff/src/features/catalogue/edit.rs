//! `/staff/products/new` and `/staff/products/{id}`: one product's form. Every field
//! is checked before sending, by the parser the API uses too, and each problem shows
//! beside its field at once. Publishing and taking off sale are one button; a copy
//! opens as a new draft; deleting asks first, and a product that was ordered is
//! archived instead (the API says so). Below the form: who changed what, and when.

use super::{
    api,
    fields::{focus_first_invalid, FieldError, Text},
    list::status_words,
    photos::PhotosPanel,
    translations::TranslationsPanel,
    variants::VariantsPanel,
};
use crate::{
    platform::{http::ApiError, lang::{fill, time}},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::{
    catalogue::edit::{AuditEntry, ProductForm, ProductStatus, StaffProduct, TaxClass},
    Category, Currency,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
    NavigateOptions,
};

#[component]
pub fn ProductEditView() -> impl IntoView {
    let params = use_params_map();
    // `new`, or a product's number; a memo, so setting the same again redraws nothing.
    let key = Memo::new(move |_| params.read().get("id"));
    let id = move || key.get().and_then(|s| s.parse::<i64>().ok());
    let is_new = move || key.get().as_deref() == Some("new");
    let loaded = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::product(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let categories = LocalResource::new(api::categories);
    // What the form opens with. The resources may be read again (a navigation can set
    // the route's parameters twice): the form is drawn again only when what they say
    // changed, and not while they reload, so nothing typed meanwhile is lost.
    let ready = Memo::new(move |before: Option<&Option<Result<(Option<StaffProduct>, Vec<Category>), ApiError>>>| {
        match (loaded.get(), categories.get()) {
            (Some(Ok(p)), Some(Ok(cats))) => Some(Ok((p, cats))),
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(Err(e)),
            _ => before.cloned().flatten(),
        }
    });
    move || {
        if !is_new() && id().is_none() {
            return view! { <p role="alert">{tr!(catalogue_no_such)}</p> }.into_any();
        }
        match ready.get() {
            Some(Ok((p, cats))) => view! { <Editor product=p categories=cats/> }.into_any(),
            Some(Err(e)) => view! {
                <p role="alert">{if e.is_not_found() { tr_now!(catalogue_no_such).to_string() } else { e.message }}</p>
                <p><A href="/staff/products">{tr!(catalogue_back)}</A></p>
            }
            .into_any(),
            None => view! { <Loading/> }.into_any(),
        }
    }
}

/// The form of `product` (`None`: a new one).
#[component]
fn Editor(product: Option<StaffProduct>, categories: Vec<Category>) -> impl IntoView {
    let navigate = use_navigate();
    let id = product.as_ref().map(|p| p.id);
    set_title(&product.as_ref().map_or_else(|| tr_now!(catalogue_new).to_string(), |p| p.name.clone()));
    let first_category = categories.first().map_or(0, |c| c.id);
    let form = RwSignal::new(product.as_ref().map_or_else(
        || ProductForm { stock: "0".into(), category_id: first_category, ..ProductForm::default() },
        StaffProduct::form,
    ));
    let status = RwSignal::new(product.as_ref().map_or(ProductStatus::Draft, |p| p.status));
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let history = RwSignal::new(None::<Result<Vec<AuditEntry>, ApiError>>);
    let currency = product.as_ref().map_or(Currency::EUR, |p| p.price.currency);
    let load_history = move || {
        if let Some(id) = id {
            spawn_local(async move {
                let h = api::audit(id).await;
                let _ = history.try_set(Some(h));
            });
        }
    };
    load_history();

    // Saves the form with `next` as its status.
    let save = {
        let navigate = navigate.clone();
        move |next: ProductStatus| {
            let mut f = form.get_untracked();
            f.status = next;
            // A shop in another currency than euros has its decimals checked by the
            // API; every other check is the same here and there.
            if let Err(problems) = f.parse(currency) {
                error.set(ApiError::fields(problems.into_iter().map(|p| (p.field.to_string(), p.message)).collect()));
                focus_first_invalid(".product-form");
                return;
            }
            error.set(None);
            notice.set(None);
            busy.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let answer = match id {
                    Some(id) => api::update(id, &f).await,
                    None => api::create(&f).await,
                };
                let _ = busy.try_set(false);
                match answer {
                    Ok(saved) if id.is_none() => navigate(&format!("/staff/products/{}", saved.id), NavigateOptions::default()),
                    Ok(saved) => {
                        let _ = status.try_set(saved.status);
                        let _ = form.try_set(saved.form());
                        let _ = notice.try_set(Some(tr_now!(catalogue_saved).to_string()));
                        load_history();
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                        focus_first_invalid(".product-form");
                    }
                }
            });
        }
    };
    let save_as_is = save.clone();
    let toggle = save.clone();
    let duplicate = {
        let navigate = navigate.clone();
        move |_| {
            let Some(id) = id else { return };
            let navigate = navigate.clone();
            busy.set(true);
            spawn_local(async move {
                match api::duplicate(id).await {
                    Ok(copy) => navigate(&format!("/staff/products/{}", copy.id), NavigateOptions::default()),
                    Err(e) => {
                        let _ = busy.try_set(false);
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        }
    };
    let delete = move |_| {
        let Some(id) = id else { return };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::delete(id).await {
                Ok(()) => navigate("/staff/products", NavigateOptions::default()),
                Err(e) => {
                    let _ = busy.try_set(false);
                    let _ = confirming.try_set(false);
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let title = product.as_ref().map_or_else(|| tr_now!(catalogue_new).to_string(), |p| p.name.clone());
    let shop_link = product.as_ref().map(|p| format!("/p/{}", p.slug));
    view! {
        <p><A href="/staff/products">{tr!(catalogue_back)}</A></p>
        <div class="bo-head">
            <h1>{title}</h1>
            {move || id.map(|_| view! { <span class=move || format!("bo-badge {}", status.get().as_str()) data-testid="product-status">{move || status_words(status.get())}</span> })}
        </div>
        {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        <form class="bo-form product-form" novalidate on:submit=move |ev| { ev.prevent_default(); save_as_is(status.get_untracked()); }>
            <Text form error prefix="product" field="name" label=tr_now!(catalogue_name).to_string() get=|f| f.name.clone() set=|f, v| f.name = v/>
            <Text form error prefix="product" field="slug" label=tr_now!(catalogue_slug).to_string() hint=tr_now!(catalogue_slug_hint).to_string() get=|f| f.slug.clone() set=|f, v| f.slug = v/>
            <div class="field wide">
                <label for="product-description">{tr!(catalogue_description)}</label>
                <textarea id="product-description" rows="6" aria-describedby="product-description-hint product-description-error"
                    aria-invalid=move || error.with(|e| e.as_ref().and_then(|e| e.message_for("description")).is_some()).to_string()
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |ev| form.update(|f| f.description = event_target_value(&ev))></textarea>
                <p class="hint" id="product-description-hint">{tr!(catalogue_description_hint)}</p>
                <FieldError error prefix="product" field="description"/>
            </div>
            <Text form error prefix="product" field="price" label=fill(tr_now!(catalogue_price_in), &[("currency", &currency.code())]) inputmode="decimal" get=|f| f.price.clone() set=|f, v| f.price = v/>
            <Text form error prefix="product" field="compare_at" label=tr_now!(catalogue_compare_at).to_string() hint=tr_now!(catalogue_compare_at_hint).to_string() inputmode="decimal" get=|f| f.compare_at.clone() set=|f, v| f.compare_at = v/>
            <MarketPrices form error/>
            <Text form error prefix="product" field="stock" label=tr_now!(catalogue_stock).to_string() inputmode="numeric" get=|f| f.stock.clone() set=|f, v| f.stock = v/>
            <div class="field">
                <label for="product-category_id">{tr!(catalogue_category)}</label>
                <select id="product-category_id" on:change=move |ev| form.update(|f| f.category_id = event_target_value(&ev).parse().unwrap_or(0))>
                    {categories.iter().map(|c| {
                        let id = c.id;
                        let selected = move || form.with(|f| f.category_id == id);
                        // Subcategories under their parent, indented: the list comes depth first.
                        let depth = aisle_domain::catalogue::tree::ancestors(&categories, id).len();
                        view! { <option value=id.to_string() selected=selected>{format!("{}{}", "— ".repeat(depth), c.name)}</option> }
                    }).collect_view()}
                </select>
                <FieldError error prefix="product" field="category_id"/>
            </div>
            <Text form error prefix="product" field="brand" label=tr_now!(catalogue_brand).to_string() get=|f| f.brand.clone() set=|f, v| f.brand = v/>
            <Text form error prefix="product" field="sku" label=tr_now!(catalogue_sku).to_string() get=|f| f.sku.clone() set=|f, v| f.sku = v/>
            <Text form error prefix="product" field="barcode" label=tr_now!(catalogue_barcode).to_string() inputmode="numeric" get=|f| f.barcode.clone() set=|f, v| f.barcode = v/>
            <Text form error prefix="product" field="weight_grams" label=tr_now!(catalogue_weight).to_string() inputmode="numeric" get=|f| f.weight_grams.clone() set=|f, v| f.weight_grams = v/>
            <div class="field">
                <label for="product-tax_class">{tr!(catalogue_tax_class)}</label>
                <select id="product-tax_class" on:change=move |ev| form.update(|f| f.tax_class = TaxClass::parse(&event_target_value(&ev)).unwrap_or_default())>
                    {TaxClass::ALL.into_iter().map(|t| {
                        let selected = move || form.with(|f| f.tax_class == t);
                        view! { <option value=t.as_str() selected=selected>{tax_words(t)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="bo-actions wide">
                <button type="submit" class="primary" disabled=move || busy.get()>{move || if id.is_some() { tr_now!(catalogue_save) } else { tr_now!(catalogue_create_draft) }}</button>
                <button type="button" disabled=move || busy.get() on:click=move |_| toggle(if status.get_untracked() == ProductStatus::Published { ProductStatus::Draft } else { ProductStatus::Published })>
                    {move || if status.get() == ProductStatus::Published { tr_now!(catalogue_unpublish) } else if id.is_some() { tr_now!(catalogue_publish) } else { tr_now!(catalogue_create_published) }}
                </button>
                {id.map(|_| view! {
                    <button type="button" disabled=move || busy.get() on:click=move |_| save(ProductStatus::Archived)>{tr!(catalogue_archive)}</button>
                    <button type="button" disabled=move || busy.get() on:click=duplicate.clone()>{tr!(catalogue_duplicate)}</button>
                    <button type="button" class="danger" disabled=move || busy.get() on:click=move |_| confirming.set(true)>{tr!(catalogue_delete)}</button>
                })}
                {shop_link.map(|href| view! { <a href=href rel="external" target="_blank">{tr!(catalogue_view_in_shop)}</a> })}
            </div>
        </form>
        {match &product {
            Some(p) => view! {
                <PhotosPanel product=p.id photos=p.photos.clone() on_saved=Callback::new(move |()| load_history())/>
                <VariantsPanel product=p.clone() on_saved=Callback::new(move |()| load_history())/>
                <TranslationsPanel product=p.id translations=p.translations.clone() on_saved=Callback::new(move |()| load_history())/>
            }.into_any(),
            None => view! { <p class="hint">{tr!(catalogue_photos_save_first)}</p> }.into_any(),
        }}
        {move || confirming.get().then(|| view! {
            <div class="bo-confirm" role="alertdialog" aria-labelledby="delete-q">
                <p id="delete-q">{tr!(catalogue_delete_question)}</p>
                <button type="button" class="danger" on:click=delete.clone()>{tr!(catalogue_delete_yes)}</button>
                <button type="button" on:click=move |_| confirming.set(false)>{tr!(catalogue_keep)}</button>
            </div>
        })}
        {id.map(|_| view! {
            <section class="panel bo-history" aria-labelledby="history-h">
                <h2 id="history-h">{tr!(catalogue_history)}</h2>
                {move || match history.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                    Some(Ok(entries)) => view! {
                        <ol class="bo-audit" data-testid="history">
                            {entries.into_iter().map(|e| view! {
                                <li>
                                    <time>{time(&e.at)}</time>" · "{e.staff_name}" · "{action_words(&e.action)}
                                    {(!e.changes.is_empty()).then(|| view! {
                                        <ul>{e.changes.into_iter().map(|c| view! { <li><b>{field_words(&c.field)}</b>": "{change_words(&c.from, &c.to)}</li> }).collect_view()}</ul>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }}
            </section>
        })}
    }
}

fn tax_words(t: TaxClass) -> &'static str {
    match t {
        TaxClass::Standard => tr_now!(catalogue_tax_standard),
        TaxClass::Reduced => tr_now!(catalogue_tax_reduced),
        TaxClass::Zero => tr_now!(catalogue_tax_zero),
    }
}

fn action_words(action: &str) -> String {
    match action {
        "created" => tr_now!(catalogue_did_create),
        "duplicated" => tr_now!(catalogue_did_duplicate),
        "deleted" => tr_now!(catalogue_did_delete),
        _ => tr_now!(catalogue_did_edit),
    }
    .to_string()
}

fn field_words(field: &str) -> String {
    match field {
        "name" => tr_now!(catalogue_name),
        "slug" => tr_now!(catalogue_slug),
        "description" => tr_now!(catalogue_description),
        "brand" => tr_now!(catalogue_brand),
        "sku" => tr_now!(catalogue_sku),
        "barcode" => tr_now!(catalogue_barcode),
        "price" => tr_now!(catalogue_price),
        "compare_at" => tr_now!(catalogue_compare_at),
        "stock" => tr_now!(catalogue_stock),
        "weight_grams" => tr_now!(catalogue_weight),
        "tax_class" => tr_now!(catalogue_tax_class),
        "category" => tr_now!(catalogue_category),
        "status" => tr_now!(catalogue_status),
        "photos" => tr_now!(catalogue_photos),
        f if f.starts_with("translation_") => tr_now!(catalogue_translations),
        other => return other.to_string(),
    }
    .to_string()
}

/// "€12.50 → €10.00"; a long text (the description) only says it changed.
fn change_words(from: &str, to: &str) -> String {
    let show = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
    if from.chars().count() > 60 || to.chars().count() > 60 {
        return tr_now!(catalogue_changed).to_string();
    }
    format!("{} → {}", show(from), show(to))
}

/// A price per market (pounds for the UK, say), each empty to convert the shop's price
/// at the market's rate and rounding.
#[component]
fn MarketPrices(form: RwSignal<ProductForm>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    use aisle_domain::market::form as market_form;
    let markets = LocalResource::new(api::markets);
    move || {
        let list = markets.get().and_then(Result::ok).map(|m| m.0).unwrap_or_default();
        (!list.is_empty()).then(|| {
            view! {
                <fieldset class="field market-prices" data-testid="market-prices">
                    <legend>{tr!(catalogue_market_prices)}</legend>
                    <p class="hint">{tr!(catalogue_market_prices_hint)}</p>
                    {list.into_iter().map(|m| {
                        let c = m.currency;
                        let id = format!("product-market_price_{}", c.code());
                        let value = move || form.with(|f| market_form::typed(&f.market_prices, c));
                        let field = market_form::field(c);
                        let rule = format!("{} × {}", c.code(), m.rate);
                        view! {
                            <div class="field">
                                <label for=id.clone()>{format!("{} ({})", c.code(), m.countries.join(", "))}</label>
                                <input id=id type="text" inputmode="decimal" autocomplete="off" placeholder=rule
                                    prop:value=value
                                    on:input=move |ev| {
                                        let typed = event_target_value(&ev);
                                        form.update(|f| market_form::set(&mut f.market_prices, c, typed));
                                    }/>
                                <FieldError error prefix="product" field=field/>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
    }
}
