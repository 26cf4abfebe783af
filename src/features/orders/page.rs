//! `/account/orders` (history) and `/orders/:number` (one order: timeline, shipment,
//! self-service actions, ratings once delivered, and a print view that serves as proof
//! of purchase).

use super::api;
use crate::{
    features::account::{session::use_shop, sign_in::SignInPrompt},
    platform::{
        http::ApiError,
        lang::{carrier_name, day, fill, lang, money, order_status, time},
        outbox::{use_outbox, Outcome},
    },
    tr,
    tr_now,
    ui::{
        feedback::{ErrorPanel, Loading},
        form::{ADDRESS_FIELDS, AddressFields, AddressForm, FormError},
        title::set_title,
    },
};
use aisle_domain::{
    cart::SetQuantity,
    change::{Change, OrderRef},
    customer::AddressInput,
    order::{ChangeItems, Order, OrderAction, OrderStatus, ReturnRequest},
};
use crate::features::checkout::summary::{Breakdown, Summary};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_params_map, use_query_map};

async fn offline_orders() -> Option<Vec<Order>> {
    let mut orders: Vec<Order> = crate::platform::store::get_all(crate::platform::store::ORDERS).await.ok()?;
    orders.sort_by(|a, b| b.placed_at.cmp(&a.placed_at));
    Some(orders)
}

fn summary_of(o: &Order) -> aisle_domain::order::OrderSummary {
    aisle_domain::order::OrderSummary {
        id: o.id,
        number: o.number.clone(),
        status: o.status,
        placed_at: o.placed_at.clone(),
        total: o.total,
        item_count: o.items.iter().map(|i| i.quantity).sum(),
        email: o.email.clone(),
    }
}

#[component]
pub fn OrdersView() -> impl IntoView {
    set_title(tr_now!(your_orders));
    let shop = use_shop();
    let list = LocalResource::new(move || {
        let signed_in = shop.customer().is_some();
        async move {
            if !signed_in {
                return Ok(None);
            }
            match api::orders().await {
                // Offline: the orders kept on the device.
                Err(e) if e.status == 0 => offline_orders().await.map(|o| Some(o.iter().map(summary_of).collect())).ok_or(e),
                other => other.map(Some),
            }
        }
    });
    let (order_number, items_1, items_n) = (tr!(order_number), tr!(items_1), tr!(items_n));
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(None) if shop.loaded() => view! { <SignInPrompt next="/account/orders".to_string()/> }.into_any(),
                    Ok(None) => view! { <Loading/> }.into_any(),
                    Ok(Some(orders)) => view! {
                        <h1>{tr!(your_orders)}</h1>
                        {orders.is_empty().then(|| view! { <p>{tr!(no_orders)}" " <a href="/">{tr!(start_shopping)}</a></p> })}
                        <ul class="order-list">
                            {orders.into_iter().map(|o| {
                                let (number, placed_at, count, total, status) = (o.number.clone(), o.placed_at.clone(), o.item_count, o.total, o.status);
                                view! {
                                <li>
                                    <a href=format!("/orders/{}", o.number)>{move || fill(order_number(), &[("number", &number)])}</a>
                                    <span>{move || day(&placed_at)}</span>
                                    <span>{move || if count == 1 { items_1().to_string() } else { fill(items_n(), &[("n", &count)]) }}</span>
                                    <span>{move || money(total)}</span>
                                    <span class=format!("status status-{}", o.status.as_str())>{move || order_status(status)}</span>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn OrderView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let token = move || query.read().get("token").unwrap_or_default();
    let just_placed = move || query.read().get("placed").is_some();
    // The order as last loaded or changed; actions replace it with the server's answer.
    let order = RwSignal::new(None::<Result<Order, ApiError>>);
    // What the last change did, kept here: the details are drawn anew with the changed
    // order, and "your order is cancelled" must outlive that.
    let info = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let (n, t) = (number(), token());
        spawn_local(async move {
            let result = match api::order(&n, &t).await {
                Err(e) if e.status == 0 => offline_orders().await.and_then(|o| o.into_iter().find(|o| o.number == n)).ok_or(e),
                other => other,
            };
            order.set(Some(result));
        });
    });
    move || match order.get() {
        None => view! { <Loading/> }.into_any(),
        // A link that does not open the order (mistyped, expired, revoked): say so, and
        // offer a fresh one by e-mail.
        Some(Err(e)) if e.is_not_found() => view! { <super::find::OrderLinkProblem number=number() had_token=!token().is_empty()/> }.into_any(),
        Some(Err(error)) => view! { <ErrorPanel error/> }.into_any(),
        Some(Ok(o)) => {
            set_title(&fill(tr_now!(order_number), &[("number", &o.number)]));
            view! { <OrderDetails o token=token() just_placed=just_placed() set=order info/> }.into_any()
        }
    }
}

/// A self-service change to the order on show, as its parts ask for it.
enum Step {
    Cancel,
    Items(ChangeItems),
    Address(AddressInput),
    Return(ReturnRequest),
}

#[component]
fn OrderDetails(o: Order, token: String, just_placed: bool, set: RwSignal<Option<Result<Order, ApiError>>>, info: RwSignal<Option<String>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let number = StoredValue::new(o.number.clone());
    let token = StoredValue::new(token);
    let outbox = use_outbox();
    let confirming = RwSignal::new(false);
    // Sends one self-service change through the outbox and shows its answer: the
    // changed order, why not, or that it waits for the connection.
    let send = move |label: String, step: Step| {
        let order = OrderRef { number: number.get_value(), token: token.get_value() };
        let change = match step {
            Step::Cancel => Change::CancelOrder { order },
            Step::Items(change) => Change::ChangeOrderItems { order, change },
            Step::Address(address) => Change::ChangeOrderAddress { order, address },
            Step::Return(request) => Change::RequestReturn { order, request },
        };
        spawn_local(async move {
            match outbox.submit(label, change, None).await {
                Outcome::Sent(v) => match serde_json::from_value::<Order>(v) {
                    Ok(changed) => {
                        error.set(None);
                        // Say that it worked: the page redraws, and a shopper should not
                        // have to read the timeline to know.
                        info.set((changed.status == OrderStatus::Cancelled).then(|| tr_now!(cancelled_done).to_string()));
                        set.set(Some(Ok(changed)));
                    }
                    Err(_) => error.set(Some(ApiError::plain(200, tr_now!(unreadable_answer)))),
                },
                Outcome::Queued => info.set(Some(tr_now!(sent_when_online).into())),
                Outcome::Refused(e) => error.set(Some(e)),
            }
        });
    };
    let can = |a: OrderAction| o.actions.contains(&a);
    let shipment = o.shipment.clone();
    let rateable = matches!(o.status, OrderStatus::Delivered | OrderStatus::ReturnRequested | OrderStatus::Returned);
    let (status, placed_at, total, email, title) = (o.status, o.placed_at.clone(), o.total, o.email.clone(), o.number.clone());
    let (thanks, placed, order_number) = (tr!(order_placed_thanks), tr!(placed_at), tr!(order_number));
    // A guest (a page opened with the order's token, no one signed in) may keep their
    // details. Once offered, the offer stays, so its "done" can show after signing in.
    let shop = use_shop();
    let has_token = !token.with_value(String::is_empty);
    let offer_account = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || (has_token && shop.loaded() && shop.customer().is_none()));
    view! {
        <article class="order" data-testid="order">
            <p class="print-only">{tr!(confirmation_for)}" " {o.email.clone()}</p>
            {just_placed.then(|| view! { <p class="notice" role="status">{move || fill(thanks(), &[("email", &email)])}</p> })}
            <header class="order-head">
                <h1>{move || fill(order_number(), &[("number", &title)])}</h1>
                <p>{move || fill(placed(), &[("time", &time(&placed_at))])}</p>
                <p class=format!("status status-{}", o.status.as_str()) data-testid="order-status">{move || order_status(status)}</p>
                <button type="button" class="no-print" on:click=|_| { let _ = window().print(); }>{tr!(print_confirmation)}</button>
            </header>
            <p class="form-error" role="alert" data-testid="order-error">{move || error.get().map(|e| e.message)}</p>
            <p class="notice" role="status" data-testid="order-info">{move || info.get()}</p>

            {o.transfer.clone().map(|t| { let amount = t.amount; let (transfer_text, reference) = (tr!(transfer_please), t.reference.clone()); view! {
                <section class="panel transfer" aria-labelledby="transfer-h" data-testid="transfer">
                    <h2 id="transfer-h">{tr!(awaiting_transfer)}</h2>
                    <p>{move || fill(transfer_text(), &[("amount", &money(amount)), ("reference", &reference)])}</p>
                    <dl>
                        <dt>{tr!(account_holder)}</dt><dd>{t.account.holder.clone()}</dd>
                        <dt>"IBAN"</dt><dd data-testid="iban">{t.account.iban.clone()}</dd>
                        {(!t.account.bic.is_empty()).then(|| view! { <dt>"BIC"</dt><dd>{t.account.bic.clone()}</dd> })}
                        <dt>{tr!(amount)}</dt><dd>{move || money(amount)}</dd>
                        <dt>{tr!(transfer_reference)}</dt><dd data-testid="reference">{t.reference.clone()}</dd>
                    </dl>
                </section>
            }})}
            {o.paid_at.clone().map(|at| view! { <p class="notice" data-testid="paid">{move || fill(tr_now!(paid_on), &[("day", &day(&at))])}</p> })}
            // The day promised at checkout, until the parcel's own estimate replaces it.
            {o.promised_on.clone().filter(|_| o.shipment.is_none() && matches!(o.status, OrderStatus::Placed | OrderStatus::Packed)).map(|d| {
                let collect = o.charges.as_ref().is_some_and(|c| c.delivery_method == aisle_domain::delivery::MethodKind::Collect);
                let (ready, expected) = (tr!(ready_to_collect_on), tr!(expected_delivery_on));
                view! { <p class="promise" data-testid="promised">{move || fill(if collect { ready() } else { expected() }, &[("day", &lang().delivery_day(&d))])}</p> }
            })}
            {shipment.map(|s| { let (shipped_at, estimated) = (s.shipped_at.clone(), s.estimated_delivery.clone()); view! {
                <section class="panel shipment" aria-labelledby="ship-h" data-testid="shipment">
                    <h2 id="ship-h">{tr!(delivery)}</h2>
                    <dl>
                        <dt>{tr!(shipped)}</dt><dd data-testid="shipped-at">{move || day(&shipped_at)}</dd>
                        <dt>{tr!(carrier)}</dt><dd data-testid="carrier">{move || carrier_name(s.carrier)}</dd>
                        <dt>{tr!(tracking_number)}</dt>
                        <dd data-testid="tracking">{match s.tracking_url {
                            // The carrier's own page, in a new tab so the order stays open.
                            Some(url) => view! { <a href=url target="_blank" rel="noopener noreferrer" data-testid="tracking-link">{s.tracking_number}</a> }.into_any(),
                            None => view! { <span>{s.tracking_number}</span> }.into_any(),
                        }}</dd>
                        <dt>{tr!(estimated_delivery)}</dt><dd>{move || day(&estimated)}</dd>
                    </dl>
                </section>
            }})}

            <section class="panel" aria-labelledby="timeline-h">
                <h2 id="timeline-h">{tr!(timeline)}</h2>
                <ol class="timeline" data-testid="timeline">
                    {o.events.iter().map(|e| { let (event_status, at) = (e.status, e.at.clone()); view! {
                        <li class=format!("status-{}", e.status.as_str())>
                            <strong>{move || order_status(event_status)}</strong>" "
                            <time datetime=e.at.clone()>{move || time(&at)}</time>
                            {e.note.clone().map(|n| view! { <span class="note">{format!(" — {n}")}</span> })}
                        </li>
                    }}).collect_view()}
                </ol>
            </section>

            <section class="panel" aria-labelledby="items-h">
                <h2 id="items-h">{tr!(items)}</h2>
                <table class="items">
                    <thead><tr><th scope="col">{tr!(product)}</th><th scope="col">{tr!(price)}</th><th scope="col">{tr!(qty)}</th><th scope="col">{tr!(total_short)}</th></tr></thead>
                    <tbody>
                        {o.items.iter().map(|i| { let (unit, line) = (i.unit_price, i.line_total); view! {
                            <tr>
                                <td>
                                    <a href=match &i.variant { Some(v) => format!("/p/{}?variant={}", i.slug, v.id), None => format!("/p/{}", i.slug) }>{i.name.clone()}</a>
                                    {i.variant.as_ref().map(|v| view! { <span class="variant" data-testid="line-variant">{v.title.clone()}</span> })}
                                </td>
                                <td>{move || money(unit)}</td>
                                <td>{i.quantity}</td>
                                <td>{move || money(line)}</td>
                            </tr>
                        }}).collect_view()}
                    </tbody>
                    // An order placed before the shop charged delivery: its goods were its total.
                    {o.charges.is_none().then(|| view! {
                        <tfoot><tr><th scope="row" colspan="3">{tr!(total_short)}</th><td data-testid="order-total">{move || money(total)}</td></tr></tfoot>
                    })}
                </table>
                {o.charges.as_ref().map(|c| view! { <Summary figures=Breakdown::of_order(c, total).paid_with(o.credit.unwrap_or(aisle_domain::Money::new(0, total.currency))) total_id="order-total"/> })}
                {can(OrderAction::ChangeItems).then(|| view! { <ChangeQuantities o=o.clone() send/> })}
            </section>

            <section class="panel" aria-labelledby="deliver-h">
                <h2 id="deliver-h">{tr!(delivery_address)}</h2>
                <address>{let shown = o.address.clone(); move || shown.lines_in(lang()).into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
                {can(OrderAction::ChangeAddress).then(|| view! { <ChangeAddress o=o.clone() send/> })}
                <h2>{tr!(payment)}</h2>
                <p data-testid="payment-method">{match aisle_domain::payment::PaymentMethod::parse(&o.payment_method) {
                    Some(aisle_domain::payment::PaymentMethod::PayOnDelivery) => tr!(pay_on_delivery).into_any(),
                    Some(aisle_domain::payment::PaymentMethod::BankTransfer) => tr!(bank_transfer).into_any(),
                    Some(aisle_domain::payment::PaymentMethod::Invoice) => tr!(pay_by_invoice).into_any(),
                    None => o.payment_method.clone().into_any(),
                }}</p>
                {(o.payment_state == aisle_domain::payment::PaymentState::OnInvoice).then(|| view! { <p class="hint" data-testid="on-invoice">{tr!(on_invoice_note)}</p> })}
                {o.return_reason.clone().map(|r| view! { <p>{tr!(return_reason)}" " {r}</p> })}
                {o.terms_version.map(|v| { let placed_under = tr!(order_terms); view! {
                    <p data-testid="order-terms">{move || fill(placed_under(), &[("version", &v)])}" "
                        <a href=aisle_domain::legal::LegalKind::Terms.href(Some(v))>{tr!(footer_terms)}</a>" · "
                        <a href="/legal/withdrawal">{tr!(footer_withdrawal)}</a>
                    </p>
                }})}
                {(!o.documents.is_empty()).then(|| view! {
                    <h2>{tr!(invoices)}</h2>
                    <ul class="documents" data-testid="documents">
                        {o.documents.iter().map(|d| {
                            // The print view is the server's own page: it opens beside
                            // the order, with this page's token for a guest.
                            let href = format!("/api/orders/{}/documents/{}?token={}", number.get_value(), d.number, token.get_value());
                            let (doc_number, issued) = (d.number.clone(), d.issued_on.clone());
                            let label = match d.kind {
                                aisle_domain::invoice::DocumentKind::Invoice => tr!(invoice_number).into_any(),
                                aisle_domain::invoice::DocumentKind::CreditNote => tr!(credit_note_number).into_any(),
                            };
                            view! {
                                <li><a href=href target="_blank" rel="noopener" data-testid="document-link">{label}" "{doc_number}</a>" · "{move || day(&issued)}</li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </section>

            <section class="panel no-print" aria-labelledby="actions-h" data-testid="order-actions">
                // The heading and words follow the order's state: nothing here offers a
                // change the order no longer allows.
                <h2 id="actions-h">{move || actions_heading(status)}</h2>
                <p data-testid="order-next">{move || actions_text(status)}</p>
                {can(OrderAction::Cancel).then(|| view! {
                    {move || if confirming.get() {
                        view! {
                            <div class="confirm" role="group" aria-labelledby="confirm-cancel-q" data-testid="confirm-cancel">
                                <p id="confirm-cancel-q"><strong>{move || fill(tr!(cancel_confirm_question)(), &[("number", &number.get_value())])}</strong></p>
                                <button type="button" class="danger" on:click=move |_| {
                                    confirming.set(false);
                                    send(fill(tr_now!(cancel_order_label), &[("number", &number.get_value())]), Step::Cancel);
                                }>{tr!(cancel_confirm_yes)}</button>
                                " "
                                <button type="button" on:click=move |_| confirming.set(false)>{tr!(cancel_confirm_no)}</button>
                            </div>
                        }.into_any()
                    } else {
                        view! { <button type="button" on:click=move |_| confirming.set(true)>{tr!(action_cancel)}</button> }.into_any()
                    }}
                })}
                {can(OrderAction::RequestReturn).then(|| view! { <RequestReturn send number/> })}
                <p>
                    <button type="button" class="link-button" data-testid="order-help"
                        on:click=move |_| crate::features::support::state::use_support().show(crate::features::support::state::Tab::Chat)>{tr!(order_questions)}</button>
                </p>
            </section>
            {rateable.then(|| view! { <crate::features::reviews::write::RateItems o=o.clone() token=token.get_value()/> })}
            {move || offer_account.get().then(|| view! { <super::save_details::SaveDetails number=number.get_value() token=token.get_value()/> })}
        </article>
    }
}

#[component]
fn ChangeQuantities(
    o: Order,
    send: impl Fn(String, Step) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = StoredValue::new(o.number.clone());
    let quantities: Vec<((i64, Option<i64>), String, RwSignal<String>)> = o
        .items
        .iter()
        .map(|i| ((i.product_id, i.variant.as_ref().map(|v| v.id)), aisle_domain::cart::line_name(&i.name, i.variant.as_ref()), RwSignal::new(i.quantity.to_string())))
        .collect();
    let quantities = StoredValue::new(quantities);
    let open = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let items = quantities.with_value(|q| {
            q.iter()
                .map(|((product_id, variant_id), _, v)| SetQuantity { product_id: *product_id, variant_id: *variant_id, quantity: v.get_untracked().trim().parse().unwrap_or(-1) })
                .collect()
        });
        send(fill(tr_now!(change_quantities_label), &[("number", &number.get_value())]), Step::Items(ChangeItems { items }));
    };
    view! {
        {move || if open.get() {
            view! {
                <form novalidate on:submit=submit class="change-items no-print">
                    {quantities.with_value(|q| q.iter().map(|((product, variant), name, v)| {
                        let v = *v;
                        let id = match variant {
                            Some(variant) => format!("{product}-{variant}"),
                            None => product.to_string(),
                        };
                        view! {
                            <div class="field">
                                <label for=format!("oq-{id}")>{let (zero, name) = (tr!(zero_removes), name.clone()); move || fill(zero(), &[("name", &name)])}</label>
                                <input id=format!("oq-{id}") type="number" inputmode="numeric" min="0" max="99" bind:value=v/>
                            </div>
                        }
                    }).collect_view())}
                    <button type="submit" class="primary">{tr!(save_quantities)}</button>
                </form>
            }.into_any()
        } else {
            view! { <button type="button" class="no-print" on:click=move |_| open.set(true)>{tr!(action_change_items)}</button> }.into_any()
        }}
    }
}

#[component]
fn ChangeAddress(
    o: Order,
    send: impl Fn(String, Step) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = StoredValue::new(o.number.clone());
    let form = AddressForm::new();
    form.set(&o.address);
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The same rules the server applies, checked here so a mistake shows beside
        // its field (and is caught offline too, before it waits in the outbox).
        let address = match form.get().validate() {
            Ok(a) => a,
            Err(e) => {
                error.set(Some(ApiError { field: Some(e.field.to_string()), ..ApiError::plain(400, crate::platform::lang::field_error(&e)) }));
                return;
            }
        };
        error.set(None);
        send(fill(tr_now!(change_address_label), &[("number", &number.get_value())]), Step::Address(address));
    };
    view! {
        {move || if open.get() {
            view! {
                <form on:submit=submit class="no-print" novalidate>
                    <FormError error fields=ADDRESS_FIELDS/>
                    <AddressFields form error/>
                    <button type="submit" class="primary">{tr!(save_new_address)}</button>
                </form>
            }.into_any()
        } else {
            view! { <button type="button" class="no-print" on:click=move |_| open.set(true)>{tr!(action_change_address)}</button> }.into_any()
        }}
    }
}

#[component]
fn RequestReturn(
    send: impl Fn(String, Step) + Copy + Send + Sync + 'static,
    number: StoredValue<String>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(fill(tr_now!(request_return_label), &[("number", &number.get_value())]), Step::Return(ReturnRequest { reason: reason.get_untracked() }));
    };
    view! {
        <form novalidate on:submit=submit class="return-form">
            <div class="field">
                <label for="return-reason">{tr!(why_return)}</label>
                <textarea id="return-reason" maxlength="500" bind:value=reason></textarea>
            </div>
            <button type="submit">{tr!(action_request_return)}</button>
        </form>
    }
}

/// The heading over what the shopper may still do, by the order's state (tracked).
fn actions_heading(status: OrderStatus) -> &'static str {
    use crate::i18n::{t_string, use_i18n};
    let i18n = use_i18n();
    match status {
        OrderStatus::Placed => t_string!(i18n, change_your_mind),
        OrderStatus::Packed | OrderStatus::Shipped | OrderStatus::OutForDelivery => t_string!(i18n, on_its_way_heading),
        OrderStatus::Delivered => t_string!(i18n, not_right_heading),
        OrderStatus::Cancelled => t_string!(i18n, cancelled_heading),
        OrderStatus::ReturnRequested | OrderStatus::Returned => t_string!(i18n, return_heading),
    }
}

/// What the order's state allows, in a sentence (tracked).
fn actions_text(status: OrderStatus) -> &'static str {
    use crate::i18n::{t_string, use_i18n};
    let i18n = use_i18n();
    match status {
        OrderStatus::Placed => t_string!(i18n, next_placed),
        OrderStatus::Packed => t_string!(i18n, next_packed),
        OrderStatus::Shipped | OrderStatus::OutForDelivery => t_string!(i18n, next_shipped),
        OrderStatus::Delivered => t_string!(i18n, next_delivered),
        OrderStatus::Cancelled => t_string!(i18n, next_cancelled),
        OrderStatus::ReturnRequested => t_string!(i18n, next_return_requested),
        OrderStatus::Returned => t_string!(i18n, next_returned),
    }
}
