//! `/staff/support`: the agent console. On the left, the live queue of chats,
//! call-back requests and messages, oldest first, with how long each has waited. On
//! the right, everything about the chosen customer on one screen: profile, orders
//! (with cancel and refund), chats (answered live), messages, call-backs, feedback,
//! ratings and recent activity. Staff accounts only; while the console is open the
//! agent counts as online, and shoppers are told someone is there.

use super::api;
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_web::chat::{Chat, Mode};
use aisle_domain::{
    order::{OrderAction, OrderStatus},
    support::{
        Author,
        Callback,
        CallbackStatus,
        ChatMessage,
        Conversation,
        ConversationStatus,
        CustomerView,
        Queue,
        QueueKind,
        Ticket,
        TicketStatus,
    },
};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn AgentView() -> impl IntoView {
    set_title(tr_now!(agent_console));
    view! { <Console/> }
}

/// One chat message, the agent's own on the right.
#[component]
fn Bubble(mine: bool, author: Author, who: String, body: String, at: String) -> impl IntoView {
    view! {
        <li class=if mine { "chat-msg mine" } else { "chat-msg theirs" } data-author=match author { Author::Customer => "customer", Author::Agent => "agent" }>
            <span class="chat-who">{who}</span>
            <p class="chat-text">{body}</p>
            <time class="chat-time" datetime=at.clone()>{crate::platform::lang::time(&at)}</time>
        </li>
    }
}

fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn unix_of(ts: &str) -> i64 {
    (js_sys::Date::parse(ts) / 1000.0) as i64
}

#[component]
fn Console() -> impl IntoView {
    let chat = Chat::new(Mode::Agent);
    chat.visible.set(true);
    chat.start();
    on_cleanup(move || chat.stop());
    let queue = RwSignal::new(None::<Result<Queue, ApiError>>);
    let selected = RwSignal::new(None::<String>);
    // Waiting times move on even when nothing else happens.
    let tick = RwSignal::new(0u32);
    let reload = move || spawn_local(async move { queue.set(Some(api::staff_queue().await)) });
    Effect::new(move |_| {
        chat.queue_changed.track();
        reload();
    });
    let ticker = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || tick.update(|n| *n += 1));
    if let Ok(handle) = window().set_interval_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(ticker.as_ref()), 30_000) {
        on_cleanup(move || window().clear_interval_with_handle(handle));
    }
    ticker.forget();
    view! {
        <h1>{tr!(agent_console)}</h1>
        <p class="muted" data-testid="agent-connection">
            {
                let (connected, connecting) = (tr!(agent_connected), tr!(agent_connecting));
                move || if chat.connected.get() { connected() } else { connecting() }
            }
        </p>
        <div class="console">
            <section class="queue panel" aria-labelledby="queue-h">
                <h2 id="queue-h">{tr!(agent_waiting)}</h2>
                {move || {
                    tick.track();
                    match queue.get() {
                        None => view! { <Loading/> }.into_any(),
                        Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                        Some(Ok(q)) if q.items.is_empty() => view! { <p data-testid="queue-empty">{tr!(agent_nobody_waiting)}</p> }.into_any(),
                        Some(Ok(q)) => view! {
                            <ul class="queue-list" data-testid="queue">
                                {q.items.into_iter().map(|item| {
                                    let key = item.customer_key.clone();
                                    let current = key.clone();
                                    // `data-kind` stays a code; the label is in the agent's language.
                                    let (code, kind) = match item.kind {
                                        QueueKind::Chat => ("chat", tr_now!(agent_kind_chat)),
                                        QueueKind::Callback => ("callback", tr_now!(agent_kind_callback)),
                                        QueueKind::Ticket => ("ticket", tr_now!(agent_kind_message)),
                                    };
                                    let waited = fill(tr_now!(agent_waited), &[("time", &crate::platform::lang::wait(now_unix() - unix_of(&item.waiting_since)))]);
                                    view! {
                                        <li data-testid="queue-item" data-kind=code>
                                            <button type="button" class="queue-entry"
                                                aria-pressed=move || (selected.get().as_deref() == Some(current.as_str())).to_string()
                                                on:click=move |_| selected.set(Some(key.clone()))>
                                                <strong>{kind}</strong> " · " {item.customer_name} <br/>
                                                <span class="summary">{item.summary}</span> <br/>
                                                <span class="wait">{waited}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                }}
            </section>
            <section class="customer-view" aria-live="polite">
                {move || match selected.get() {
                    None => view! { <p class="muted">{tr!(agent_choose)}</p> }.into_any(),
                    Some(key) => view! { <CustomerPanel key chat/> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn CustomerPanel(key: String, chat: Chat) -> impl IntoView {
    let key = StoredValue::new(key);
    let data = RwSignal::new(None::<Result<CustomerView, ApiError>>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || {
        let key = key.get_value();
        spawn_local(async move { data.set(Some(api::staff_customer(&key).await)) })
    };
    // New call-backs or messages from this customer appear without a reload; the
    // sections are keyed, so what is being typed in a reply box stays put.
    Effect::new(move |_| {
        chat.queue_changed.track();
        reload();
    });
    let act = move |result: Result<(), ApiError>| match result {
        Ok(()) => {
            error.set(None);
            reload();
        }
        Err(e) => error.set(Some(e)),
    };
    let view_of = move || data.with(|d| d.as_ref().and_then(|r| r.as_ref().ok()).cloned());
    view! {
        {move || match data.with(|d| d.as_ref().map(|r| r.as_ref().err().cloned())) {
            None => Some(view! { <Loading/> }.into_any()),
            Some(Some(e)) => Some(view! { <p role="alert">{e.message}</p> }.into_any()),
            Some(None) => None,
        }}
        <p class="form-error" role="alert">{move || error.get().map(|e| e.message)}</p>
        <Show when=move || data.with(|d| matches!(d, Some(Ok(_))))>
            <article class="customer" data-testid="customer-view">
                {move || view_of().map(|v| view! {
                    <header class="panel">
                        <h2 data-testid="customer-name">{v.name.clone()}</h2>
                        <p>
                            {if v.customer.is_some() { tr_now!(agent_has_account) } else { tr_now!(agent_guest) }}
                            {v.email.clone().map(|e| view! { " · " <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                            {v.phone.clone().map(|p| view! { " · " <a href=format!("tel:{p}")>{p.clone()}</a> })}
                        </p>
                    </header>
                })}
                <section class="panel" aria-labelledby="cv-orders" data-testid="customer-orders">
                    <h3 id="cv-orders">{tr!(agent_orders)}</h3>
                    <For each=move || view_of().map(|v| v.orders).unwrap_or_default()
                        key=|o| (o.id, o.status)
                        let:o>
                        <OrderLine o act/>
                    </For>
                    {move || view_of().is_some_and(|v| v.orders.is_empty()).then(|| view! { <p>{tr!(agent_no_orders)}</p> })}
                </section>
                <section class="panel" aria-labelledby="cv-chats" data-testid="customer-chats">
                    <h3 id="cv-chats">{tr!(chats)}</h3>
                    <For each=move || view_of().map(|v| v.conversations).unwrap_or_default()
                        key=|c| (c.id, c.status)
                        let:c>
                        <ChatThread c chat act/>
                    </For>
                    {move || view_of().is_some_and(|v| v.conversations.is_empty()).then(|| view! { <p>{tr!(agent_no_chats)}</p> })}
                </section>
                <section class="panel" aria-labelledby="cv-tickets" data-testid="customer-tickets">
                    <h3 id="cv-tickets">{tr!(messages)}</h3>
                    <For each=move || view_of().map(|v| v.tickets).unwrap_or_default()
                        key=|t| (t.id, t.status, t.messages.len())
                        let:t>
                        <TicketItem t act/>
                    </For>
                    {move || view_of().is_some_and(|v| v.tickets.is_empty()).then(|| view! { <p>{tr!(agent_no_messages)}</p> })}
                </section>
                <section class="panel" aria-labelledby="cv-calls" data-testid="customer-callbacks">
                    <h3 id="cv-calls">{tr!(agent_callbacks)}</h3>
                    <For each=move || view_of().map(|v| v.callbacks).unwrap_or_default()
                        key=|c| (c.id, c.status, c.scheduled_for.clone())
                        let:c>
                        <CallbackItem c act/>
                    </For>
                    {move || view_of().is_some_and(|v| v.callbacks.is_empty()).then(|| view! { <p>{tr!(agent_no_callbacks)}</p> })}
                </section>
                {move || view_of().map(|v| view! {
                    <section class="panel" aria-labelledby="cv-feedback" data-testid="customer-feedback">
                        <h3 id="cv-feedback">{tr!(agent_feedback)}</h3>
                        <ul>
                            {v.feedback.into_iter().map(|f| view! {
                                <li><strong>{if f.kind.as_str() == "complaint" { tr_now!(complaint) } else { tr_now!(compliment) }}</strong>
                                    " · " {crate::platform::lang::day(&f.created_at)} " — " {f.body}</li>
                            }).collect_view()}
                            {v.ratings.into_iter().map(|r| view! {
                                <li>{fill(tr_now!(agent_rating), &[("stars", &r.rating), ("product", &r.product_name), ("order", &r.order_number)])}
                                    {(!r.comment.is_empty()).then(|| format!(" — {}", r.comment))}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="panel" aria-labelledby="cv-activity" data-testid="customer-activity">
                        <h3 id="cv-activity">{tr!(agent_activity)}</h3>
                        <ol class="activity">
                            {v.activity.into_iter().map(|a| view! { <li><time datetime=a.at.clone()>{crate::platform::lang::time(&a.at)}</time> " " {a.text}</li> }).collect_view()}
                        </ol>
                    </section>
                })}
            </article>
        </Show>
    }
}

#[component]
fn OrderLine(o: aisle_domain::order::OrderSummary, act: impl Fn(Result<(), ApiError>) + Copy + 'static + Send + Sync) -> impl IntoView {
    let number = StoredValue::new(o.number.clone());
    // Both steps e-mail the customer and cannot be taken back: ask first.
    let step = move |action: OrderAction| {
        let question = match action {
            OrderAction::Cancel => tr_now!(agent_confirm_cancel),
            _ => tr_now!(agent_confirm_refund),
        };
        if !window().confirm_with_message(&fill(question, &[("n", &number.get_value())])).unwrap_or(false) {
            return;
        }
        spawn_local(async move { act(crate::features::fulfilment::api::staff_step(&number.get_value(), action, None, &crate::features::fulfilment::queue::new_key()).await.map(|_| ())) });
    };
    let can_cancel = o.status.apply(OrderAction::Cancel).is_ok();
    let can_refund = o.status == OrderStatus::ReturnRequested;
    view! {
        <div class="order-line" data-testid="customer-order" data-order=o.number.clone()>
            <a href=format!("/orders/{}", o.number)>{o.number.clone()}</a>
            " · " {crate::platform::lang::day(&o.placed_at)} " · " {crate::platform::lang::money(o.total)} " · "
            <span class=format!("status status-{}", o.status.as_str())>{crate::platform::lang::order_status(o.status)}</span>
            {can_cancel.then(|| view! { " " <button type="button" class="small" on:click=move |_| step(OrderAction::Cancel)>{tr!(agent_cancel_order)}</button> })}
            {can_refund.then(|| view! { " " <button type="button" class="small" on:click=move |_| step(OrderAction::CompleteReturn)>{tr!(agent_refund)}</button> })}
        </div>
    }
}

/// A chat, answered live: stored messages from the customer view plus everything the
/// console's socket has received since it opened.
#[component]
fn ChatThread(c: Conversation, chat: Chat, act: impl Fn(Result<(), ApiError>) + Copy + 'static + Send + Sync) -> impl IntoView {
    let id = c.id;
    let earlier = StoredValue::new(c.messages);
    let open = c.status == ConversationStatus::Open;
    let messages = Memo::new(move |_| {
        let mut all: Vec<ChatMessage> = earlier.get_value();
        chat.messages.with(|live| {
            for m in live.iter().filter(|m| m.conversation_id == id) {
                if !all.iter().any(|x| x.id == m.id) {
                    all.push(m.clone());
                }
            }
        });
        all.sort_by_key(|m| m.id);
        all
    });
    let draft = RwSignal::new(String::new());
    let send = move || {
        let body = draft.get_untracked();
        if !body.trim().is_empty() {
            chat.send(Some(id), body);
            draft.set(String::new());
        }
    };
    view! {
        <div class="chat agent-chat" data-testid="agent-chat" data-conversation=id.to_string()>
            <ol class="chat-log">
                {move || messages.get().into_iter().map(|m| view! {
                    <Bubble mine=m.author == Author::Agent author=m.author who=m.author_name body=m.body at=m.at/>
                }).collect_view()}
                {move || chat.pending.get().into_iter().filter(|p| p.conversation_id == Some(id)).map(|p| view! {
                    <li class="chat-msg mine pending"><p class="chat-text">{p.body}</p><span class="chat-time">{tr!(sending)}</span></li>
                }).collect_view()}
            </ol>
            <p class="typing" data-testid="customer-typing" aria-live="polite">{
                let typing = tr!(agent_customer_typing);
                move || chat.is_typing(Some(id)).then(&typing)
            }</p>
            <p class="form-error" role="alert">{move || chat.error.get()}</p>
            {if open {
                view! {
                    <form novalidate class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                        <label for=format!("agent-reply-{id}") class="visually-hidden">{tr!(agent_reply)}</label>
                        <textarea id=format!("agent-reply-{id}") rows="2" maxlength="2000" data-testid="agent-chat-input"
                            prop:value=move || draft.get()
                            on:input=move |ev| { draft.set(event_target_value(&ev)); chat.typing(Some(id)); }></textarea>
                        <button type="submit" data-testid="agent-chat-send">{tr!(send)}</button>
                        " "
                        <button type="button" class="small" on:click=move |_| spawn_local(async move { act(api::staff_conversation_close(id).await.map(|_| ())) })>{tr!(agent_close_chat)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="muted">{tr!(agent_chat_closed)}</p> }.into_any()
            }}
        </div>
    }
}

#[component]
fn TicketItem(t: Ticket, act: impl Fn(Result<(), ApiError>) + Copy + 'static + Send + Sync) -> impl IntoView {
    let id = t.id;
    let reply = RwSignal::new(String::new());
    let closed = t.status == TicketStatus::Closed;
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = reply.get_untracked();
        spawn_local(async move { act(api::staff_ticket_reply(id, &body).await.map(|_| ())) });
    };
    view! {
        <div class="ticket-item" data-testid="agent-ticket" data-ticket=id.to_string()>
            <p><strong>{format!("{} — {}", t.number, t.subject)}</strong> " "
                <span class=format!("status ticket-{}", t.status.as_str()) data-testid="agent-ticket-status">{crate::platform::lang::ticket_status(t.status)}</span>
                {t.order_number.clone().map(|n| fill(tr_now!(agent_order_ref), &[("number", &n)]))}</p>
            <ol class="ticket-thread">
                {t.messages.into_iter().map(|m| view! {
                    <Bubble mine=m.author == Author::Agent author=m.author who=m.author_name body=m.body at=m.at/>
                }).collect_view()}
            </ol>
            <form novalidate on:submit=send>
                <label for=format!("ticket-reply-{id}")>{tr!(agent_ticket_reply)}</label>
                <textarea id=format!("ticket-reply-{id}") rows="3" maxlength="2000" data-testid="agent-ticket-reply"
                    prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                <button type="submit" data-testid="agent-ticket-send">{tr!(agent_send_reply)}</button>
                {(!closed).then(|| view! {
                    " " <button type="button" class="small" data-testid="agent-ticket-close"
                        on:click=move |_| spawn_local(async move { act(api::staff_ticket_close(id).await.map(|_| ())) })>{tr!(close)}</button>
                })}
            </form>
        </div>
    }
}

#[component]
fn CallbackItem(c: Callback, act: impl Fn(Result<(), ApiError>) + Copy + 'static + Send + Sync) -> impl IntoView {
    let id = c.id;
    let at = RwSignal::new(c.scheduled_for.clone().map(|s| s.chars().take(16).collect()).unwrap_or_default());
    let note = RwSignal::new(String::new());
    let open = c.status != CallbackStatus::Done;
    view! {
        <div class="callback-item" data-testid="agent-callback" data-callback=id.to_string()>
            <p>
                <strong>{c.topic.clone()}</strong> " · " <a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a>
                " · " {crate::platform::lang::window_label(c.window)} " · "
                <span class=format!("status callback-{}", c.status.as_str()) data-testid="agent-callback-status">{crate::platform::lang::callback_status(c.status)}</span>
                {c.scheduled_for.clone().map(|s| fill(tr_now!(agent_call_for), &[("time", &crate::platform::lang::time(&s))]))}
                {c.order_number.clone().map(|n| fill(tr_now!(agent_order_ref), &[("number", &n)]))}
            </p>
            <p class="muted">{fill(tr_now!(agent_asked), &[("asked", &crate::platform::lang::time(&c.created_at)), ("expected", &c.expected)])}</p>
            {c.note.clone().map(|n| view! { <p>{fill(tr_now!(agent_note_text), &[("note", &n)])}</p> })}
            {open.then(|| view! {
                <div class="callback-actions">
                    <label for=format!("cb-at-{id}")>{tr!(agent_call_at)}</label>
                    <input id=format!("cb-at-{id}") type="datetime-local" data-testid="agent-callback-at"
                        prop:value=move || at.get() on:input=move |ev| at.set(event_target_value(&ev))/>
                    <button type="button" class="small" data-testid="agent-callback-schedule"
                        on:click=move |_| { let when = at.get_untracked(); spawn_local(async move { act(api::staff_callback_schedule(id, &when).await.map(|_| ())) }) }>{tr!(agent_schedule)}</button>
                    <label for=format!("cb-note-{id}")>{tr!(agent_note)}</label>
                    <input id=format!("cb-note-{id}") type="text" maxlength="500" data-testid="agent-callback-note"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    <button type="button" class="small" data-testid="agent-callback-done"
                        on:click=move |_| { let n = note.get_untracked(); spawn_local(async move { act(api::staff_callback_done(id, &n).await.map(|_| ())) }) }>{tr!(agent_mark_done)}</button>
                </div>
            })}
        </div>
    }
}
