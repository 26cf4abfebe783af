//! `/staff`: fulfilment, made for a packer. The list shows what goes in each parcel
//! and where it goes; it is searched by order number, e-mail or name, filtered by
//! status and sorted by any column. Orders are moved on one at a time or several at
//! once (pack, ship with one carrier and a tracking number each), after a
//! confirmation; packing slips print for the selected orders. A step that gets no
//! answer waits on the device and is sent when the connection is back (see
//! [`super::queue`]). Stock is set by product name or number.

use super::{
    api,
    queue::{new_key, use_queue, Waiting},
};
use crate::{
    platform::{
        http::ApiError,
        lang::{carrier_name, day, fill, money, order_action, order_status},
    },
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::{
    order::{Carrier, OrderAction, OrderStatus, PackingOrder, ShipOrder, ALL_STATUSES},
    payment::PaymentState,
};
use leptos::{prelude::*, task::spawn_local};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Number,
    Placed,
    Customer,
    Total,
    Status,
}

/// Names in the browser's order for the staff member's language ("Ärger" beside
/// "Arne", not after "Zoe"), case aside. The browser's collation rather than Rust's
/// `to_lowercase`, whose Unicode tables were 4 KB of the wasm every desk downloads.
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"sensitivity".into(), &"base".into());
    let locales = js_sys::Array::of1(&aisle_web::lang::current().code().into());
    js_sys::JsString::from(a).locale_compare(b, &locales, &options).cmp(&0)
}

fn sort(list: &mut [PackingOrder], by: SortBy, ascending: bool) {
    list.sort_by(|a, b| {
        let o = match by {
            SortBy::Number => a.number.cmp(&b.number),
            SortBy::Placed => a.placed_at.cmp(&b.placed_at),
            SortBy::Customer => by_name(&a.address.name, &b.address.name),
            SortBy::Total => a.total.minor.cmp(&b.total.minor),
            SortBy::Status => a.status.as_str().cmp(b.status.as_str()),
        };
        if ascending { o } else { o.reverse() }
    });
}

#[component]
pub fn StaffView() -> impl IntoView {
    set_title(tr_now!(fulfilment));
    let queue = use_queue();
    let status = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let orders = RwSignal::new(None::<Result<Vec<PackingOrder>, ApiError>>);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let sort_by = RwSignal::new((SortBy::Placed, false));
    let shipping = RwSignal::new(false);
    // Answers can overtake each other while someone types: only the newest counts.
    let asked = StoredValue::new(0u32);
    // Also called when a step's answer arrives, by which time the packer may have
    // left the page: then there is nothing to reload (reading what was disposed with
    // the page would panic).
    let reload = move || {
        let (Some(s), Some(q), Some(before)) = (status.try_get_untracked(), query.try_get_untracked(), asked.try_get_value()) else { return };
        let n = before + 1;
        asked.set_value(n);
        spawn_local(async move {
            let answer = api::staff_orders(&s, &q).await;
            if asked.try_get_value() == Some(n) {
                if let Ok(list) = &answer {
                    let there: BTreeSet<String> = list.iter().map(|o| o.number.clone()).collect();
                    selected.update(|sel| sel.retain(|n| there.contains(n)));
                }
                orders.set(Some(answer));
            }
        })
    };
    Effect::new(move |_| {
        status.track();
        query.track();
        queue.sent.track();
        reload();
    });

    // One step, or several: each sent with its own key; those that get no answer wait
    // in the queue. The list reloads once at the end.
    let run = move |steps: Vec<(String, OrderAction, Option<ShipOrder>)>| {
        spawn_local(async move {
            let (mut moved, mut failed, mut waiting) = (0, Vec::new(), 0);
            for (number, action, ship) in steps {
                let key = new_key();
                match api::staff_step(&number, action, ship.as_ref(), &key).await {
                    Ok(_) => moved += 1,
                    Err(e) if e.status == 0 => {
                        waiting += 1;
                        queue.keep(Waiting { key, number, action, ship });
                    }
                    Err(e) => failed.push(format!("{number}: {}", e.message)),
                }
            }
            error.set((!failed.is_empty()).then(|| failed.join(" · ")));
            done.set(Some(match waiting {
                0 => fill(tr_now!(staff_moved), &[("n", &moved)]),
                w => fill(tr_now!(staff_moved_waiting), &[("n", &moved), ("w", &w)]),
            }));
            selected.set(BTreeSet::new());
            shipping.set(false);
            reload();
        })
    };
    let step = move |number: String, action: OrderAction, ship: Option<ShipOrder>| run(vec![(number, action, ship)]);
    // The bank transfer for an order arrived: it can be packed from now on.
    let mark_paid = move |number: String| {
        spawn_local(async move {
            match api::staff_mark_paid(&number).await {
                Ok(_) => {
                    error.set(None);
                    done.set(Some(fill(tr_now!(staff_marked_paid), &[("n", &number)])));
                }
                Err(e) => error.set(Some(format!("{number}: {}", e.message))),
            }
            reload();
        })
    };

    let visible = Memo::new(move |_| {
        orders.with(|o| match o {
            Some(Ok(list)) => {
                let mut list = list.clone();
                let (by, asc) = sort_by.get();
                sort(&mut list, by, asc);
                Some(Ok(list))
            }
            Some(Err(e)) => Some(Err(e.clone())),
            None => None,
        })
    });
    let chosen = move |status: OrderStatus| -> Vec<String> {
        let sel = selected.get();
        visible.with(|v| match v {
            Some(Ok(list)) => list.iter().filter(|o| o.status == status && sel.contains(&o.number)).map(|o| o.number.clone()).collect(),
            _ => Vec::new(),
        })
    };
    let pack_selected = move |_| {
        let numbers = chosen(OrderStatus::Placed);
        if numbers.is_empty() {
            error.set(Some(tr_now!(staff_none_to_pack).to_string()));
            return;
        }
        if confirm(&fill(tr_now!(staff_confirm_pack), &[("n", &numbers.len())])) {
            run(numbers.into_iter().map(|n| (n, OrderAction::Pack, None)).collect());
        }
    };
    let navigate = leptos_router::hooks::use_navigate();
    let slips = move |_| {
        let numbers: Vec<String> = selected.get_untracked().into_iter().collect();
        if numbers.is_empty() {
            error.set(Some(tr_now!(staff_choose_first).to_string()));
            return;
        }
        navigate(&format!("/staff/slips?orders={}", numbers.join(",")), Default::default());
    };

    let i18n = crate::i18n::use_i18n();

    view! {
        <h1>{tr!(fulfilment)}</h1>
        <div class="toolbar">
            <div class="field">
                <label for="order-search">{tr!(staff_search_orders)}</label>
                <input id="order-search" type="search" data-shortcut-search data-testid="order-search" autocomplete="off"
                    placeholder=tr!(staff_search_placeholder)
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="status-filter">{tr!(show)}</label>
                <select id="status-filter" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{tr!(all_orders)}</option>
                    {ALL_STATUSES.iter().map(|&s| view! { <option value=s.as_str()>{move || order_status(s)}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <div class="toolbar bulk" role="group" aria-label=tr!(staff_selected_orders)>
            <span data-testid="selected-count">{move || fill(tr_now!(staff_selected), &[("n", &selected.get().len())])}</span>
            <button type="button" on:click=pack_selected disabled=move || selected.get().is_empty()>{tr!(staff_pack_selected)}</button>
            <button type="button" on:click=move |_| shipping.update(|s| *s = !*s) disabled=move || selected.get().is_empty()>{tr!(staff_ship_selected)}</button>
            <button type="button" on:click=slips disabled=move || selected.get().is_empty()>{tr!(staff_packing_slips)}</button>
        </div>
        <p class="notice" role="status" data-testid="fulfilment-done">{move || done.get()}</p>
        <p class="form-error" role="alert">{move || error.get()}</p>
        <QueueLine/>
        {move || shipping.get().then(|| view! { <ShipSelected numbers=chosen(OrderStatus::Packed) run cancel=move || shipping.set(false)/> })}
        {move || match visible.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>{tr!(no_orders_here)}</p> }.into_any(),
            Some(Ok(list)) => {
                let all: Vec<String> = list.iter().map(|o| o.number.clone()).collect();
                let all_for_check = all.clone();
                view! {
                <div class="table-wrap">
                <table class="staff-orders">
                    <thead><tr>
                        <th scope="col"><input type="checkbox" aria-label=tr!(staff_select_all)
                            prop:checked=move || { let s = selected.get(); !all_for_check.is_empty() && all_for_check.iter().all(|n| s.contains(n)) }
                            on:change=move |ev| { let on = event_target_checked(&ev); selected.set(if on { all.iter().cloned().collect() } else { BTreeSet::new() }) }/></th>
                        <SortHeader label=move || crate::i18n::t_string!(i18n, order) by=SortBy::Number sort_by/>
                        <SortHeader label=move || crate::i18n::t_string!(i18n, placed) by=SortBy::Placed sort_by/>
                        <SortHeader label=move || crate::i18n::t_string!(i18n, customer) by=SortBy::Customer sort_by/>
                        <th scope="col">{tr!(staff_items)}</th>
                        <th scope="col">{tr!(staff_ship_to)}</th>
                        <SortHeader label=move || crate::i18n::t_string!(i18n, total_short) by=SortBy::Total sort_by/>
                        <SortHeader label=move || crate::i18n::t_string!(i18n, status) by=SortBy::Status sort_by/>
                        <th scope="col">{tr!(next_step)}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|o| view! { <OrderRow order=o selected step mark_paid/> }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()},
        }}
        <super::statement::StatementPanel on_imported=move || reload()/>
        <StockEditor/>
    }
}

/// A column heading that sorts the list by that column; pressed again, the other way.
#[component]
fn SortHeader(label: impl Fn() -> &'static str + Send + Sync + 'static, by: SortBy, sort_by: RwSignal<(SortBy, bool)>) -> impl IntoView {
    let aria = move || match sort_by.get() {
        (b, true) if b == by => "ascending",
        (b, false) if b == by => "descending",
        _ => "none",
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" on:click=move |_| sort_by.update(|(b, asc)| if *b == by { *asc = !*asc } else { *b = by; *asc = true })>
                {label}{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}
            </button>
        </th>
    }
}

fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

#[component]
fn OrderRow(
    order: PackingOrder,
    selected: RwSignal<BTreeSet<String>>,
    step: impl Fn(String, OrderAction, Option<ShipOrder>) + Copy + 'static,
    mark_paid: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let next = order.status.next_fulfilment_action();
    // Not packed before its transfer has arrived: the row offers "Mark paid" instead.
    let awaiting = order.payment_state == PaymentState::AwaitingPayment && order.status == OrderStatus::Placed;
    // Sent on invoice: it moves on as any order, and is marked paid whenever the money
    // comes in.
    let on_invoice = order.payment_state == PaymentState::OnInvoice && order.status != OrderStatus::Cancelled;
    let number = order.number.clone();
    let (placed_at, total, status) = (order.placed_at.clone(), order.total, order.status);
    let a = &order.address;
    let address = [a.name.as_str(), a.line1.as_str(), a.line2.as_str(), &format!("{} {}", a.postcode, a.city), a.country.as_str()]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let check_number = number.clone();
    let row_number = number.clone();
    view! {
        <tr data-order=order.number.clone() class:selected=move || selected.with(|s| s.contains(&row_number))>
            <td><input type="checkbox" aria-label=fill(tr_now!(staff_select_order), &[("n", &number)])
                prop:checked={ let n = check_number.clone(); move || selected.with(|s| s.contains(&n)) }
                on:change=move |ev| { let on = event_target_checked(&ev); let n = check_number.clone(); selected.update(|s| { if on { s.insert(n); } else { s.remove(&n); } }) }/></td>
            <td><a href=format!("/orders/{}", order.number) rel="external">{order.number.clone()}</a></td>
            <td>{move || day(&placed_at)}</td>
            <td>{order.address.name.clone()}<br/><span class="small">{order.email.clone()}</span></td>
            <td><ul class="lines">{order.lines.into_iter().map(|l| view! { <li>{l.quantity}" × "{l.name}{(!l.variant.is_empty()).then(|| format!(" — {}", l.variant))}</li> }).collect_view()}</ul></td>
            <td class="address">{address}</td>
            <td>{move || money(total)}</td>
            <td>
                <span class=format!("status status-{}", status.as_str())>{move || order_status(status)}</span>
                {awaiting.then(|| view! { <br/><span class="status status-awaiting" data-testid="awaiting-transfer">{tr!(staff_awaiting_transfer)}</span> })}
                {on_invoice.then(|| view! { <br/><span class="status status-awaiting" data-testid="on-invoice">{tr!(staff_on_invoice)}</span> })}
            </td>
            <td>{if awaiting {
                let n = number.clone();
                view! { <button type="button" on:click=move |_| mark_paid(n.clone())>{tr!(staff_mark_paid)}</button> }.into_any()
            } else {
                let n = number.clone();
                view! {
                    {next.map(|a| view! { <StepButton number=number.clone() action=a step/> })}
                    {on_invoice.then(|| view! { <button type="button" on:click=move |_| mark_paid(n.clone())>{tr!(staff_mark_paid)}</button> })}
                }.into_any()
            }}</td>
        </tr>
    }
}

#[component]
fn StepButton(number: String, action: OrderAction, step: impl Fn(String, OrderAction, Option<ShipOrder>) + Copy + 'static) -> impl IntoView {
    let number = StoredValue::new(number);
    if action != OrderAction::Ship {
        return view! { <button type="button" on:click=move |_| step(number.get_value(), action, None)>{move || order_action(action)}</button> }.into_any();
    }
    let carrier = RwSignal::new(Carrier::Dhl.code().to_string());
    let tracking = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let carrier = Carrier::parse(&carrier.get_untracked());
        step(number.get_value(), action, Some(ShipOrder { carrier, tracking_number: tracking.get_untracked() }));
    };
    view! {
        <form novalidate class="ship-form" on:submit=submit>
            <label>{tr!(carrier)}" "
                <select name="carrier" bind:value=carrier>
                    {Carrier::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || carrier_name(c)}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr!(tracking_number)}" " <input name="tracking_number" bind:value=tracking required/></label>
            <button type="submit">{tr!(action_ship)}</button>
        </form>
    }
    .into_any()
}

/// Ships the selected packed orders: one carrier for all, a tracking number each
/// (a scanner types one and presses Enter, which moves to the next).
#[component]
fn ShipSelected(numbers: Vec<String>, run: impl Fn(Vec<(String, OrderAction, Option<ShipOrder>)>) + Copy + 'static, cancel: impl Fn() + Copy + 'static) -> impl IntoView {
    if numbers.is_empty() {
        return view! { <section class="panel" data-testid="ship-selected"><p>{tr!(staff_none_to_ship)}</p>
            <button type="button" on:click=move |_| cancel()>{tr!(close)}</button></section> }.into_any();
    }
    let carrier = RwSignal::new(Carrier::Dhl.code().to_string());
    let tracking: Vec<(String, RwSignal<String>)> = numbers.into_iter().map(|n| (n, RwSignal::new(String::new()))).collect();
    let fields = tracking.clone();
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let missing: Vec<&str> = tracking.iter().filter(|(_, t)| t.get_untracked().trim().is_empty()).map(|(n, _)| n.as_str()).collect();
        if !missing.is_empty() {
            error.set(Some(fill(tr_now!(staff_tracking_missing), &[("orders", &missing.join(", "))])));
            return;
        }
        if !confirm(&fill(tr_now!(staff_confirm_ship), &[("n", &tracking.len())])) {
            return;
        }
        let carrier = Carrier::parse(&carrier.get_untracked());
        run(tracking
            .iter()
            .map(|(n, t)| (n.clone(), OrderAction::Ship, Some(ShipOrder { carrier, tracking_number: t.get_untracked().trim().to_string() })))
            .collect());
    };
    view! {
        <section class="panel" data-testid="ship-selected" aria-labelledby="ship-h">
            <h2 id="ship-h">{tr!(staff_ship_selected)}</h2>
            <form novalidate on:submit=submit class="stock-form">
                <div class="field"><label for="bulk-carrier">{tr!(carrier)}</label>
                    <select id="bulk-carrier" bind:value=carrier>
                        {Carrier::ALL.into_iter().map(|c| view! { <option value=c.code()>{move || carrier_name(c)}</option> }).collect_view()}
                    </select></div>
                {fields.into_iter().map(|(n, t)| {
                    let id = format!("track-{n}");
                    view! { <div class="field"><label for=id.clone()>{fill(tr_now!(staff_tracking_for), &[("n", &n)])}</label>
                        <input id=id bind:value=t autocomplete="off"/></div> }
                }).collect_view()}
                <p class="form-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary">{tr!(action_ship)}</button>
                <button type="button" on:click=move |_| cancel()>{tr!(close)}</button>
            </form>
        </section>
    }
    .into_any()
}

/// Steps waiting for the connection, and refusals of steps that were waiting.
#[component]
fn QueueLine() -> impl IntoView {
    let queue = use_queue();
    view! {
        {move || {
            let n = queue.waiting.with(Vec::len);
            (n > 0).then(|| view! { <p class="notice" role="status" data-testid="steps-waiting">{fill(tr_now!(staff_steps_waiting), &[("n", &n)])}</p> })
        }}
        {move || {
            let r = queue.refused.get();
            (!r.is_empty()).then(|| view! { <p class="form-error" role="alert">{r.join(" · ")}</p> })
        }}
    }
}

/// Stock by product name or number: find, then set the units on the shelf.
#[component]
fn StockEditor() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<api::Shelved>, ApiError>>);
    let message = RwSignal::new(String::new());
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        if t.trim().is_empty() {
            message.set(tr_now!(staff_stock_find_empty).into());
            return;
        }
        message.set(String::new());
        spawn_local(async move { found.set(Some(api::find_products(&t).await)) });
    };
    view! {
        <section class="panel" aria-labelledby="stock-h">
            <h2 id="stock-h">{tr!(edit_stock)}</h2>
            <form novalidate on:submit=find class="stock-form">
                <div class="field"><label for="stock-product">{tr!(staff_stock_find)}</label><input id="stock-product" type="search" bind:value=text/></div>
                <button type="submit">{tr!(staff_find)}</button>
            </form>
            <p role="status" data-testid="stock-message">{move || message.get()}</p>
            {move || match found.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{tr!(staff_stock_none)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div class="table-wrap"><table class="staff-orders" data-testid="stock-results">
                        <thead><tr><th scope="col">"#"</th><th scope="col">{tr!(staff_product)}</th><th scope="col">{tr!(units_in_stock)}</th></tr></thead>
                        <tbody>{list.into_iter().map(|p| view! { <StockRow product=p message/> }).collect_view()}</tbody>
                    </table></div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn StockRow(product: api::Shelved, message: RwSignal<String>) -> impl IntoView {
    let units = RwSignal::new(product.stock.to_string());
    let (id, name) = (product.id, product.name.clone());
    let set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = units.get_untracked().trim().parse::<i64>() else {
            message.set(tr_now!(stock_numbers).into());
            return;
        };
        let name = name.clone();
        spawn_local(async move {
            message.set(match api::staff_set_stock(id, n).await {
                Ok(()) => fill(tr_now!(staff_stock_set_for), &[("name", &name), ("n", &n)]),
                Err(e) => e.message,
            });
        });
    };
    let label = fill(tr_now!(staff_units_of), &[("name", &product.name)]);
    view! {
        <tr data-product=product.id>
            <td>{product.id}</td>
            <td>{product.name.clone()}</td>
            <td><form novalidate class="stock-form" on:submit=set>
                <input type="number" inputmode="numeric" min="0" aria-label=label bind:value=units/>
                <button type="submit">{tr!(set_stock)}</button>
            </form></td>
        </tr>
    }
}
