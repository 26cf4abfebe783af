//! `/staff/offers`: the shop's discount codes, newest first, with their uses, the
//! revenue of the orders that used them and what they took off; and the form for a new
//! one (for every product or one category), checked whole before it is sent (with the
//! rules the server uses). Below them, sales (see [`super::sales`]).

use super::api;
use crate::{
    platform::{http::ApiError, lang::{fill, money}},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::{
    offers::{Benefit, NewCode, StaffCode},
    Currency,
};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn OffersView() -> impl IntoView {
    set_title(tr_now!(offers_title));
    let list = RwSignal::new(None::<Result<Vec<StaffCode>, ApiError>>);
    let reload = move || spawn_local(async move { list.try_set(Some(api::codes().await)); });
    reload();
    // Both forms offer the shop's categories: a sale is for one, a code may be.
    let categories = RwSignal::new(Vec::<aisle_domain::catalogue::Category>::new());
    spawn_local(async move {
        if let Ok(all) = crate::features::catalogue::api::categories().await {
            categories.try_set(all);
        }
    });
    view! {
        <h1>{tr!(offers_title)}</h1>
        <NewCodeForm categories=categories.into() created=Callback::new(move |_| reload())/>
        <h2>{tr!(offers_codes)}</h2>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(codes)) if codes.is_empty() => view! { <p>{tr!(offers_none)}</p> }.into_any(),
            Some(Ok(codes)) => view! {
                <div class="bo-table-wrap">
                <table class="bo-table" data-testid="codes">
                    <thead><tr>
                        <th scope="col">{tr!(offers_code)}</th>
                        <th scope="col">{tr!(offers_gives)}</th>
                        <th scope="col">{tr!(offers_when)}</th>
                        <th scope="col">{tr!(offers_uses)}</th>
                        <th scope="col">{tr!(offers_revenue)}</th>
                        <th scope="col">{tr!(offers_discounted)}</th>
                    </tr></thead>
                    <tbody>
                        {codes.into_iter().map(|c| view! { <CodeRow code=c/> }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any(),
        }}
        <super::sales::Sales categories=categories.into()/>
    }
}

#[component]
fn CodeRow(code: StaffCode) -> impl IntoView {
    let gives = match code.terms.benefit {
        Benefit::Percent { percent } => format!("{percent} %"),
        Benefit::Fixed { amount_minor } => money(aisle_domain::Money::new(amount_minor, code.revenue.currency)),
        Benefit::FreeDelivery => tr_now!(offers_free_delivery).to_string(),
    };
    let when = match (&code.starts_on, &code.ends_on) {
        (None, None) => tr_now!(offers_always).to_string(),
        (s, e) => format!("{} – {}", s.as_deref().unwrap_or("…"), e.as_deref().unwrap_or("…")),
    };
    let uses = match code.max_uses {
        Some(max) => format!("{} / {max}", code.uses),
        None => code.uses.to_string(),
    };
    let (revenue, discounted) = (code.revenue, code.discounted);
    view! {
        <tr data-code=code.terms.code.clone()>
            <td><code>{code.terms.code.clone()}</code></td>
            <td>{gives}{code.terms.min_spend_minor.map(|m| format!(" · ≥ {}", money(aisle_domain::Money::new(m, revenue.currency))))}{(!code.terms.categories.is_empty()).then(|| format!(" · {}", code.terms.categories.join(", ")))}{(!code.terms.products.is_empty()).then(|| format!(" · #{}", code.terms.products.iter().map(i64::to_string).collect::<Vec<_>>().join(", #")))}</td>
            <td>{when}</td>
            <td data-testid="uses">{uses}</td>
            <td>{move || money(revenue)}</td>
            <td>{move || money(discounted)}</td>
        </tr>
    }
}

#[component]
fn NewCodeForm(categories: Signal<Vec<aisle_domain::catalogue::Category>>, created: Callback<()>) -> impl IntoView {
    let form = RwSignal::new(NewCode { kind: "percent".into(), ..Default::default() });
    let problems = RwSignal::new(Vec::<(String, String)>::new());
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let message = move |field: &'static str| move || problems.with(|p| p.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = form.get_untracked();
        if let Err(found) = new.validate(Currency::EUR) {
            problems.set(found.into_iter().map(|e| (e.field.to_string(), e.message)).collect());
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            match api::create(&new).await {
                Ok(code) => {
                    saved.set(Some(fill(tr_now!(offers_saved), &[("code", &code.terms.code)])));
                    form.set(NewCode { kind: new.kind, ..Default::default() });
                    created.run(());
                }
                Err(e) => problems.set(vec![(e.field.clone().unwrap_or_else(|| "code".into()), e.message)]),
            }
            busy.set(false);
        });
    };
    let field = move |name: &'static str, label: Box<dyn Fn() -> &'static str + Send + Sync>, get: fn(&NewCode) -> String, set: fn(&mut NewCode, String), hint: Option<Box<dyn Fn() -> &'static str + Send + Sync>>| {
        let id = format!("code-{name}");
        let err_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id name=name aria-describedby=err_id.clone() aria-invalid=move || message(name)().is_some().to_string()
                    prop:value=move || form.with(get) on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)) }/>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                <p class="field-error" id=err_id aria-live="polite">{message(name)}</p>
            </div>
        }
    };
    view! {
        <form class="bo-form" on:submit=submit novalidate data-testid="new-code">
            <h2 class="wide">{tr!(offers_new)}</h2>
            {field("code", Box::new(tr!(offers_code)), |f| f.code.clone(), |f, v| f.code = v, None)}
            <div class="field">
                <label for="code-kind">{tr!(offers_gives)}</label>
                <select id="code-kind" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.kind = v) }>
                    <option value="percent" selected=move || form.with(|f| f.kind == "percent")>{tr!(offers_kind_percent)}</option>
                    <option value="fixed" selected=move || form.with(|f| f.kind == "fixed")>{tr!(offers_kind_fixed)}</option>
                    <option value="free_delivery" selected=move || form.with(|f| f.kind == "free_delivery")>{tr!(offers_free_delivery)}</option>
                </select>
                <p class="field-error" aria-live="polite">{message("kind")}</p>
            </div>
            {move || (form.with(|f| f.kind != "free_delivery")).then(|| field("value", Box::new(tr!(offers_value)), |f| f.value.clone(), |f, v| f.value = v, None))}
            {field("min_spend", Box::new(tr!(offers_min_spend)), |f| f.min_spend.clone(), |f, v| f.min_spend = v, Some(Box::new(tr!(offers_empty_no_limit))))}
            {field("starts_on", Box::new(tr!(offers_starts_on)), |f| f.starts_on.clone(), |f, v| f.starts_on = v, Some(Box::new(tr!(offers_day_hint))))}
            {field("ends_on", Box::new(tr!(offers_ends_on)), |f| f.ends_on.clone(), |f, v| f.ends_on = v, Some(Box::new(tr!(offers_day_hint))))}
            {field("max_uses", Box::new(tr!(offers_max_uses)), |f| f.max_uses.clone(), |f, v| f.max_uses = v, Some(Box::new(tr!(offers_empty_no_limit))))}
            {field("max_uses_per_shopper", Box::new(tr!(offers_max_per_shopper)), |f| f.max_uses_per_shopper.clone(), |f, v| f.max_uses_per_shopper = v, Some(Box::new(tr!(offers_empty_no_limit))))}
            <div class="field">
                <label for="code-category">{tr!(offers_for)}</label>
                <select id="code-category" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.categories = if v.is_empty() { Vec::new() } else { vec![v] }) }
                    prop:value=move || form.with(|f| f.categories.first().cloned().unwrap_or_default())>
                    <option value="">{tr!(offers_every_product)}</option>
                    {move || categories.get().into_iter().map(|c| view! { <option value=c.slug.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
                <p class="field-error" aria-live="polite">{message("categories")}</p>
            </div>
            {field("products", Box::new(tr!(offers_products)), |f| f.products.clone(), |f, v| f.products = v, Some(Box::new(tr!(offers_products_hint))))}
            <div class="wide"><button type="submit" class="primary" disabled=move || busy.get()>{tr!(offers_create)}</button></div>
            <p class="wide" role="status" data-testid="code-saved">{move || saved.get()}</p>
        </form>
    }
}
