//! Sales on `/staff/offers`: automatic offers that price a category lower from a first
//! to a last day, without a code. The list says where each stands, how many prices it
//! set, and the orders that bought at them; a running sale can be stopped. The form is
//! checked whole before it is sent, with the rules the server uses.

use super::api;
use crate::{
    platform::{http::ApiError, lang::{fill, money}},
    tr,
    tr_now,
    ui::Loading,
};
use aisle_domain::{
    catalogue::Category,
    offers::sale::{NewSale, SaleState, StaffSale},
};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn Sales(categories: Signal<Vec<Category>>) -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<StaffSale>, ApiError>>);
    let reload = move || spawn_local(async move { list.try_set(Some(api::sales().await)); });
    reload();
    let problem = RwSignal::new(None::<String>);
    let stop = move |id: i64| {
        spawn_local(async move {
            match api::stop_sale(id).await {
                Ok(_) => reload(),
                Err(e) => {
                    problem.try_set(Some(e.message));
                }
            }
        })
    };
    view! {
        <h2 id="sales-h">{tr!(sales_title)}</h2>
        <p class="hint">{tr!(sales_hint)}</p>
        <NewSaleForm categories created=Callback::new(move |_| reload())/>
        <p role="alert" class="form-error">{move || problem.get()}</p>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(sales)) if sales.is_empty() => view! { <p>{tr!(sales_none)}</p> }.into_any(),
            Some(Ok(sales)) => view! {
                <div class="bo-table-wrap">
                <table class="bo-table" data-testid="sales">
                    <thead><tr>
                        <th scope="col">{tr!(sales_name)}</th>
                        <th scope="col">{tr!(offers_gives)}</th>
                        <th scope="col">{tr!(offers_when)}</th>
                        <th scope="col">{tr!(sales_state)}</th>
                        <th scope="col">{tr!(sales_priced)}</th>
                        <th scope="col">{tr!(sales_orders)}</th>
                        <th scope="col">{tr!(offers_revenue)}</th>
                        <th scope="col"><span class="visually-hidden">{tr!(sales_stop)}</span></th>
                    </tr></thead>
                    <tbody>
                        {sales.into_iter().map(|s| view! { <SaleRow sale=s stop/> }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any(),
        }}
    }
}

#[component]
fn SaleRow(sale: StaffSale, stop: impl Fn(i64) + Copy + 'static) -> impl IntoView {
    let (id, state, revenue, kept) = (sale.id, sale.state, sale.revenue, sale.kept);
    let label = match state {
        SaleState::Scheduled => tr!(sales_scheduled).into_any(),
        SaleState::Running => tr!(sales_running).into_any(),
        SaleState::Ended => tr!(sales_ended).into_any(),
    };
    let kept_note = tr!(sales_kept);
    view! {
        <tr data-sale=sale.name.clone() data-state=state.as_str()>
            <td>{sale.name.clone()}</td>
            <td>{format!("{} %", sale.percent)}{sale.category.map(|c| format!(" · {c}"))}</td>
            <td>{format!("{} – {}", sale.starts_on, sale.ends_on)}</td>
            <td><span class=match state { SaleState::Running => "status status-delivered", _ => "status" }>{label}</span>
                {(kept > 0).then(|| view! { <br/><span class="small">{move || fill(kept_note(), &[("n", &kept)])}</span> })}</td>
            <td data-testid="priced">{sale.priced}</td>
            <td data-testid="sale-orders">{sale.orders}</td>
            <td>{move || money(revenue)}</td>
            <td>{(state != SaleState::Ended).then(|| view! {
                <button type="button" on:click=move |_| {
                    if leptos::prelude::window().confirm_with_message(tr_now!(sales_stop_confirm)).unwrap_or(false) {
                        stop(id)
                    }
                }>{tr!(sales_stop)}</button>
            })}</td>
        </tr>
    }
}

#[component]
fn NewSaleForm(categories: Signal<Vec<Category>>, created: Callback<()>) -> impl IntoView {
    let form = RwSignal::new(NewSale::default());
    let problems = RwSignal::new(Vec::<(String, String)>::new());
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let message = move |field: &'static str| move || problems.with(|p| p.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = form.get_untracked();
        // The server checks the last day against the shop's today; here, the form.
        if let Err(found) = new.validate("0000-00-00") {
            problems.set(found.into_iter().map(|e| (e.field.to_string(), e.message)).collect());
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            match api::create_sale(&new).await {
                Ok(sale) => {
                    let said = match sale.state {
                        SaleState::Running => fill(tr_now!(sales_saved_running), &[("name", &sale.name), ("n", &sale.priced)]),
                        _ => fill(tr_now!(sales_saved_later), &[("name", &sale.name), ("day", &sale.starts_on)]),
                    };
                    saved.set(Some(said));
                    form.set(NewSale::default());
                    created.run(());
                }
                Err(e) => problems.set(vec![(e.field.clone().unwrap_or_else(|| "name".into()), e.message)]),
            }
            busy.set(false);
        });
    };
    let field = move |name: &'static str, label: Box<dyn Fn() -> &'static str + Send + Sync>, get: fn(&NewSale) -> String, set: fn(&mut NewSale, String), hint: Option<Box<dyn Fn() -> &'static str + Send + Sync>>| {
        let id = format!("sale-{name}");
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
        <form class="bo-form" on:submit=submit novalidate data-testid="new-sale">
            <h3 class="wide">{tr!(sales_new)}</h3>
            {field("name", Box::new(tr!(sales_name)), |f| f.name.clone(), |f, v| f.name = v, None)}
            {field("percent", Box::new(tr!(sales_percent)), |f| f.percent.clone(), |f, v| f.percent = v, None)}
            <div class="field">
                <label for="sale-category">{tr!(sales_category)}</label>
                <select id="sale-category" aria-describedby="sale-category-error" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.category = v) }
                    prop:value=move || form.with(|f| f.category.clone())>
                    <option value="">{tr!(sales_choose_category)}</option>
                    {move || categories.get().into_iter().map(|c| view! { <option value=c.slug.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
                <p class="field-error" id="sale-category-error" aria-live="polite">{message("category")}</p>
            </div>
            {field("starts_on", Box::new(tr!(offers_starts_on)), |f| f.starts_on.clone(), |f, v| f.starts_on = v, Some(Box::new(tr!(sales_day_hint))))}
            {field("ends_on", Box::new(tr!(offers_ends_on)), |f| f.ends_on.clone(), |f, v| f.ends_on = v, Some(Box::new(tr!(sales_day_hint))))}
            <div class="wide"><button type="submit" class="primary" disabled=move || busy.get()>{tr!(sales_create)}</button></div>
            <p class="wide" role="status" data-testid="sale-saved">{move || saved.get()}</p>
        </form>
    }
}
