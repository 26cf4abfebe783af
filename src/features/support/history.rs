//! `/account/support` (every conversation, message and call-back request the shopper
//! has with the shop) and `/support/tickets/:id` (one message thread, to read the
//! shop's answer and reply). Guests see theirs too: they are tied to this browser's
//! support token.

use super::api;
use crate::{
    features::support::widget::Bubble,
    platform::{http::ApiError, lang::{fill, time}, store},
    tr,
    tr_now,
    ui::{feedback::{ErrorPanel, Loading}, form::{FormError, TextArea}, title::set_title},
};
use aisle_domain::support::{Author, Callback, Conversation, Ticket};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MySupportView() -> impl IntoView {
    set_title(tr_now!(footer_conversations));
    let mine = LocalResource::new(|| async move { api::my_support(store::existing_support_token().as_deref()).await });
    view! {
        <section class="my-support">
            <h1>{tr!(footer_conversations)}</h1>
            <crate::features::support::help::ContactChoices lead=false/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                        Ok(m) => view! {
                            <section class="panel" aria-labelledby="cb-h" data-testid="my-callbacks">
                                <h2 id="cb-h">{tr!(call_requests)}</h2>
                                {if m.callbacks.is_empty() { view! { <p>{tr!(none_yet)}</p> }.into_any() } else {
                                    view! { <ul>{m.callbacks.into_iter().map(|c| view! { <CallbackLine c/> }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <section class="panel" aria-labelledby="tk-h" data-testid="my-tickets">
                                <h2 id="tk-h">{tr!(messages)}</h2>
                                {if m.tickets.is_empty() { view! { <p>{tr!(none_yet)}</p> }.into_any() } else {
                                    view! { <ul>{m.tickets.into_iter().map(|t| { let created = t.created_at.clone(); view! {
                                        <li data-testid="my-ticket">
                                            <a href=format!("/support/tickets/{}", t.id)>{format!("{} — {}", t.number, t.subject)}</a>
                                            " " <span class=format!("status ticket-{}", t.status.as_str())>{crate::platform::lang::ticket_status(t.status)}</span>
                                            " · " {move || time(&created)}
                                        </li>
                                    }}).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <section class="panel" aria-labelledby="ch-h" data-testid="my-chats">
                                <h2 id="ch-h">{tr!(chats)}</h2>
                                {if m.conversations.is_empty() { view! { <p>{tr!(none_yet)}</p> }.into_any() } else {
                                    m.conversations.into_iter().map(|c| view! { <ChatHistory c/> }).collect_view().into_any()
                                }}
                            </section>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CallbackLine(c: Callback) -> impl IntoView {
    let (scheduled_for, status, expected) = (c.scheduled_for.clone(), c.status, c.expected.clone());
    let (will_call, done, expected_at) = (tr!(we_will_call), tr!(done), tr!(expected));
    // `expected` is the server's own wording, shown as it comes.
    let when = move || match (&scheduled_for, status.as_str()) {
        (Some(at), "scheduled") => fill(will_call(), &[("time", &time(at))]),
        (_, "done") => done().to_string(),
        _ => fill(expected_at(), &[("when", &expected)]),
    };
    view! {
        <li data-testid="my-callback">
            <strong>{c.topic}</strong> " — " {c.phone} " "
            <span class=format!("status callback-{}", c.status.as_str()) data-testid="callback-status">{crate::platform::lang::callback_status(c.status)}</span>
            " · " {when}
        </li>
    }
}

#[component]
fn ChatHistory(c: Conversation) -> impl IntoView {
    view! {
        <details class="chat-history">
            <summary>{let (chat_of, started, n) = (tr!(chat_of), c.started_at.clone(), c.messages.len()); move || fill(chat_of(), &[("time", &time(&started)), ("n", &n)])}</summary>
            <ol class="chat-log">
                {c.messages.into_iter().map(|m| {
                    let mine = m.author == Author::Customer;
                    let who = if mine { tr_now!(you).to_string() } else { m.author_name };
                    view! { <Bubble mine author=m.author who body=m.body at=m.at/> }
                }).collect_view()}
            </ol>
        </details>
    }
}

#[component]
pub fn TicketView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let ticket = RwSignal::new(None::<Result<Ticket, ApiError>>);
    // A link from a ticket e-mail carries `?token=`: it opens the thread here, signed
    // in or not, and lets a guest answer.
    let link = StoredValue::new(query.read_untracked().get("token"));
    Effect::new(move |_| {
        let id = params.read().get("id").and_then(|s| s.parse::<i64>().ok());
        spawn_local(async move {
            let got = match id {
                Some(id) => api::ticket(id, store::existing_support_token().as_deref(), link.get_value().as_deref()).await,
                None => Err(ApiError::plain(404, tr_now!(no_such_message))),
            };
            ticket.set(Some(got));
        });
    });
    move || match ticket.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! {
            <section class="narrow">
                <h1>{tr!(message_not_found)}</h1>
                <p>{tr!(message_not_found_text)}</p>
                <p><a href="/account/support">{tr!(footer_conversations)}</a></p>
            </section>
        }.into_any(),
        Some(Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
        Some(Ok(t)) => view! { <TicketThread t set=ticket link=link.get_value()/> }.into_any(),
    }
}

#[component]
fn TicketThread(t: Ticket, set: RwSignal<Option<Result<Ticket, ApiError>>>, link: Option<String>) -> impl IntoView {
    let link = StoredValue::new(link);
    set_title(&format!("{} {}", t.number, t.subject));
    let reply = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let id = t.id;
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = reply.get_untracked();
        spawn_local(async move {
            match api::ticket_reply(id, store::existing_support_token().as_deref(), link.get_value().as_deref(), &body).await {
                Ok(t) => {
                    error.set(None);
                    set.set(Some(Ok(t)));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <article class="ticket" data-testid="ticket">
            <p><a href="/account/support">{tr!(back_to_conversations)}</a></p>
            <h1>{format!("{} — {}", t.number, t.subject)}</h1>
            <p>
                <span class=format!("status ticket-{}", t.status.as_str()) data-testid="ticket-status">{crate::platform::lang::ticket_status(t.status)}</span>
                {let (sent, created) = (tr!(sent_at), t.created_at.clone()); move || fill(sent(), &[("time", &time(&created))])}
                {t.order_number.clone().map(|n| view! { {tr!(about_order)} <a href=format!("/orders/{n}")>{n.clone()}</a> })}
            </p>
            <ol class="ticket-thread" data-testid="ticket-thread">
                {t.messages.into_iter().map(|m| {
                    let mine = m.author == Author::Customer;
                    let who = if mine { tr_now!(you).to_string() } else { m.author_name };
                    view! { <Bubble mine author=m.author who body=m.body at=m.at/> }
                }).collect_view()}
            </ol>
            <form novalidate on:submit=send data-testid="ticket-reply-form">
                <TextArea form="reply" label=tr!(your_reply) name="body" value=reply error/>
                <FormError error fields=&["body"]/>
                <button type="submit">{tr!(send_reply)}</button>
            </form>
        </article>
    }
}

