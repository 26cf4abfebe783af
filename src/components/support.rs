//! The support widget on every page: a "Help" button (with a badge for unread chat
//! replies) opening a panel with live chat, a call-me request, the contact form,
//! feedback and the FAQ. The FAQ and chat history load when the panel is opened, not
//! with the page.
//!
//! Requests, messages and feedback go through the outbox: offline they are kept on the
//! device and sent once when the connection returns.

use crate::{
    api::ApiError,
    components::form::{Field, FormError, TextArea},
    outbox::{use_outbox, Kind, Outcome},
    pwa::use_pwa,
    shop::use_shop,
    store,
    support::{use_support, Support, Tab},
};
use aisle_domain::{
    order::format_time,
    support::{Author, CallWindow, Callback, Faq, FaqArticle, Feedback, NewCallback, NewFeedback, NewTicket, Ticket, MAX_MESSAGE_CHARS},
};
use leptos::{ev::KeyboardEvent, prelude::*, task::spawn_local};

#[component]
pub fn SupportWidget() -> impl IntoView {
    let support = use_support();
    let unread = support.chat.unread;
    // Messages arriving while the chat is on screen are read.
    Effect::new(move |_| {
        let visible = support.open.get() && support.tab.get() == Tab::Chat;
        support.chat.visible.set(visible);
        if visible {
            unread.set(0);
        }
    });
    let close = move || {
        support.open.set(false);
        focus("help-button");
    };
    // Opening the panel moves focus into it, so keyboard and screen-reader users land
    // where the help is; closing returns them to the button.
    Effect::new(move |was_open: Option<bool>| {
        let open = support.open.get();
        if open && was_open != Some(true) {
            let tab = support.tab.get_untracked();
            request_animation_frame(move || focus(&format!("tab-{}", tab.id())));
        }
        open
    });
    view! {
        <div class="support">
            <button type="button" class="support-button" id="help-button" data-testid="help-button"
                aria-expanded=move || support.open.get().to_string() aria-controls="support-panel"
                on:click=move |_| if support.open.get_untracked() { close() } else { support.show(support.tab.get_untracked()) }>
                "Help"
                {move || (unread.get() > 0).then(|| view! {
                    <span class="badge" data-testid="chat-unread" aria-label=format!("{} unread", unread.get())>{unread.get()}</span>
                })}
            </button>
            <Show when=move || support.open.get()>
                <section id="support-panel" class="support-panel" role="dialog" aria-label="Help and contact" data-testid="support-panel"
                    on:keydown=move |ev: KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <header class="support-head">
                        <h2>"How can we help?"</h2>
                        <button type="button" class="link-button" on:click=move |_| close() aria-label="Close help">"Close"</button>
                    </header>
                    <div class="support-tabs" role="tablist">
                        {Tab::ALL.into_iter().map(|t| view! {
                            <button type="button" role="tab" id=format!("tab-{}", t.id()) data-testid=format!("tab-{}", t.id())
                                aria-selected=move || (support.tab.get() == t).to_string()
                                on:click=move |_| support.show(t)>{t.label()}</button>
                        }).collect_view()}
                    </div>
                    <div class="support-body" role="tabpanel" aria-labelledby=move || format!("tab-{}", support.tab.get().id())>
                        {move || match support.tab.get() {
                            Tab::Chat => view! { <ChatPane/> }.into_any(),
                            Tab::CallMe => view! { <CallMeForm/> }.into_any(),
                            Tab::Message => view! { <ContactForm/> }.into_any(),
                            Tab::Feedback => view! { <FeedbackForm/> }.into_any(),
                            Tab::Faq => view! { <FaqPane/> }.into_any(),
                        }}
                    </div>
                </section>
            </Show>
        </div>
    }
}

fn focus(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// One message of a chat or a message thread: who wrote it, its text (plain text,
/// escaped by Leptos, never markup) and when. `mine` puts it on the reader's side.
#[component]
pub fn Bubble(mine: bool, author: Author, who: String, body: String, at: String) -> impl IntoView {
    view! {
        <li class=if mine { "chat-msg mine" } else { "chat-msg theirs" } data-author=match author { Author::Customer => "customer", Author::Agent => "agent" }>
            <span class="chat-who">{who}</span>
            <p class="chat-text">{body}</p>
            <time class="chat-time" datetime=at.clone()>{format_time(&at)}</time>
        </li>
    }
}

/// The shopper's side of the live chat.
#[component]
fn ChatPane() -> impl IntoView {
    let Support { chat, .. } = use_support();
    let pwa = use_pwa();
    let draft = RwSignal::new(String::new());
    let send = move || {
        let body = draft.get_untracked();
        if body.trim().is_empty() {
            return;
        }
        chat.send(None, body);
        draft.set(String::new());
    };
    view! {
        <div class="chat" data-testid="chat">
            <p class="availability" data-testid="chat-availability" role="status">
                {move || match chat.availability.get() {
                    Some(a) => format!("{} · Opening hours: {}", a.message, a.hours),
                    None if !pwa.online.get() => "You're offline — write anyway, and your message goes when you're back.".to_string(),
                    None => "Connecting…".to_string(),
                }}
            </p>
            <ol class="chat-log" aria-live="polite" data-testid="chat-log">
                {move || chat.messages.get().into_iter().map(|m| {
                    let mine = m.author == Author::Customer;
                    let who = if mine { "You".to_string() } else { m.author_name };
                    view! { <Bubble mine author=m.author who body=m.body at=m.at/> }
                }).collect_view()}
                {move || chat.pending.get().into_iter().map(|p| view! {
                    <li class="chat-msg mine pending" data-testid="chat-pending">
                        <span class="chat-who">"You"</span>
                        <p class="chat-text">{p.body}</p>
                        <span class="chat-time">{move || if chat.connected.get() { "Sending…" } else { "Waiting for the connection…" }}</span>
                    </li>
                }).collect_view()}
            </ol>
            {move || chat.messages.with(Vec::is_empty).then(|| view! {
                <p class="hint">"Ask us anything — about a product, your order, a return. A person answers."</p>
            })}
            <p class="typing" data-testid="agent-typing" aria-live="polite">
                {move || chat.is_typing(None).then_some("An agent is typing…")}
            </p>
            <p class="form-error" role="alert">{move || chat.error.get()}</p>
            <form class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                <label for="chat-input" class="visually-hidden">"Your message"</label>
                <textarea id="chat-input" rows="2" maxlength=MAX_MESSAGE_CHARS.to_string() placeholder="Write a message"
                    data-testid="chat-input"
                    prop:value=move || draft.get()
                    on:input=move |ev| { draft.set(event_target_value(&ev)); chat.typing(None); }
                    on:keydown=move |ev: KeyboardEvent| if ev.key() == "Enter" && !ev.shift_key() { ev.prevent_default(); send(); }>
                </textarea>
                <button type="submit" data-testid="chat-send">"Send"</button>
            </form>
            <p class="hint"><a href="/account/support">"Your conversations with us"</a></p>
        </div>
    }
}

/// What became of a request the widget sent, in a sentence for the shopper.
fn outcome_error(outcome: &Outcome) -> Option<ApiError> {
    match outcome {
        Outcome::Refused(e) => Some(e.clone()),
        _ => None,
    }
}

const QUEUED: &str = "You're offline: this is saved on your device and will be sent once, as soon as you're back online.";

#[component]
fn CallMeForm() -> impl IntoView {
    let shop = use_shop();
    let outbox = use_outbox();
    let customer = shop.customer();
    let name = RwSignal::new(customer.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let phone = RwSignal::new(customer.as_ref().and_then(|c| c.phone.clone()).unwrap_or_default());
    let window = RwSignal::new("asap".to_string());
    let topic = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = NewCallback {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            window: window.get_untracked(),
            topic: topic.get_untracked(),
            order_number: Some(order.get_untracked()).filter(|o| !o.trim().is_empty()),
            support_token: Some(store::support_token()),
        };
        busy.set(true);
        spawn_local(async move {
            let label = "Call-back request".to_string();
            let outcome = outbox.submit(Kind::Support, label, "POST", "/api/support/callbacks".into(), &req, None).await;
            busy.set(false);
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => match serde_json::from_value::<Callback>(v) {
                    Ok(cb) => done.set(Some(format!("Thank you. We'll call you on {} {}.", cb.phone, cb.expected))),
                    Err(_) => done.set(Some("Thank you. We'll call you back.".into())),
                },
                Outcome::Queued => done.set(Some(QUEUED.into())),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(text) => view! {
                <div class="confirmation" role="status" data-testid="callback-confirmation">
                    <p>{text}</p>
                    <p><a href="/account/support">"See your requests"</a></p>
                    <button type="button" on:click=move |_| done.set(None)>"Ask for another call"</button>
                </div>
            }.into_any(),
            None => view! {
                <form class="support-form" on:submit=submit data-testid="callback-form">
                    <p class="hint">"Leave your number and a person calls you back."</p>
                    <Field form="cb" label="Your name" name="name" value=name error autocomplete="name"/>
                    <Field form="cb" label="Phone number" name="phone" value=phone error kind="tel" autocomplete="tel" inputmode="tel"/>
                    <div class="field">
                        <label for="cb-window">"When suits you"</label>
                        <select id="cb-window" name="window" on:change=move |ev| window.set(event_target_value(&ev))>
                            {CallWindow::ALL.into_iter().map(|w| view! {
                                <option value=w.as_str() selected=move || window.get() == w.as_str()>{w.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Field form="cb" label="What is it about?" name="topic" value=topic error/>
                    <Field form="cb" label="Order number" name="order_number" value=order error required=false/>
                    <FormError error fields=&["name", "phone", "window", "topic", "order_number"]/>
                    <button type="submit" disabled=move || busy.get()>"Call me back"</button>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
fn ContactForm() -> impl IntoView {
    let shop = use_shop();
    let outbox = use_outbox();
    let support = use_support();
    let customer = shop.customer();
    let name = RwSignal::new(customer.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let email = RwSignal::new(customer.as_ref().map(|c| c.email.clone()).unwrap_or_default());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<(String, Option<String>)>);
    let busy = RwSignal::new(false);
    // FAQ answers that may already answer the question being typed.
    let suggestions = Memo::new(move |_| {
        let text = format!("{} {}", subject.get(), body.get());
        support.faq.with(|faq| faq.as_ref().map(|f| f.suggest(&text, 3).into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = NewTicket {
            name: name.get_untracked(),
            email: email.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
            order_number: Some(order.get_untracked()).filter(|o| !o.trim().is_empty()),
            support_token: Some(store::support_token()),
        };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Message \u{201c}{}\u{201d}", req.subject.trim());
            let outcome = outbox.submit(Kind::Support, label, "POST", "/api/support/tickets".into(), &req, None).await;
            busy.set(false);
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => match serde_json::from_value::<Ticket>(v) {
                    Ok(t) => done.set(Some((
                        format!("Thank you — we have your message ({}). A copy is on its way to {}. We answer within one working day.", t.number, t.email),
                        Some(format!("/support/tickets/{}", t.id)),
                    ))),
                    Err(_) => done.set(Some(("Thank you — we have your message.".into(), None))),
                },
                Outcome::Queued => done.set(Some((QUEUED.into(), None))),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some((text, link)) => view! {
                <div class="confirmation" role="status" data-testid="ticket-confirmation">
                    <p>{text}</p>
                    {link.map(|href| view! { <p><a href=href data-testid="ticket-link">"Read or add to your message"</a></p> })}
                    <button type="button" on:click=move |_| { subject.set(String::new()); body.set(String::new()); done.set(None); }>"Write another"</button>
                </div>
            }.into_any(),
            None => view! {
                <form class="support-form" on:submit=submit data-testid="ticket-form">
                    <Field form="contact" label="Your name" name="name" value=name error autocomplete="name"/>
                    <Field form="contact" label="E-mail" name="email" value=email error kind="email" autocomplete="email" inputmode="email"/>
                    <Field form="contact" label="Subject" name="subject" value=subject error/>
                    <TextArea form="contact" label="Your message" name="body" value=body error/>
                    {move || {
                        let list = suggestions.get();
                        (!list.is_empty()).then(|| view! {
                            <div class="faq-suggestions" data-testid="faq-suggestions" aria-live="polite">
                                <p>"These answers may help:"</p>
                                <ul>{list.into_iter().map(|a| view! { <li><a href=format!("/help/{}", a.slug)>{a.question}</a></li> }).collect_view()}</ul>
                            </div>
                        })
                    }}
                    <Field form="contact" label="Order number" name="order_number" value=order error required=false/>
                    <FormError error fields=&["name", "email", "subject", "body", "order_number"]/>
                    <button type="submit" disabled=move || busy.get()>"Send message"</button>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
fn FeedbackForm() -> impl IntoView {
    let shop = use_shop();
    let outbox = use_outbox();
    let signed_in = shop.customer().is_some();
    let kind = RwSignal::new("compliment".to_string());
    let body = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = NewFeedback {
            kind: kind.get_untracked(),
            body: body.get_untracked(),
            order_number: Some(order.get_untracked()).filter(|o| !o.trim().is_empty()),
            email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
            support_token: Some(store::support_token()),
        };
        spawn_local(async move {
            let outcome = outbox.submit(Kind::Support, "Feedback".into(), "POST", "/api/support/feedback".into(), &req, None).await;
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => {
                    let complaint = serde_json::from_value::<Feedback>(v).is_ok_and(|f| f.kind.as_str() == "complaint");
                    done.set(Some(if complaint {
                        "Thank you for telling us, and we're sorry. A person reads every complaint and will put it right.".into()
                    } else {
                        "Thank you — we'll pass it on to the team.".into()
                    }))
                }
                Outcome::Queued => done.set(Some(QUEUED.into())),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(text) => view! { <p class="confirmation" role="status" data-testid="feedback-confirmation">{text}</p> }.into_any(),
            None => view! {
                <form class="support-form" on:submit=submit data-testid="feedback-form">
                    <fieldset class="field">
                        <legend>"Is it a compliment or a complaint?"</legend>
                        <label class="choice"><input type="radio" name="fb-kind" value="compliment" checked=true on:change=move |_| kind.set("compliment".into())/>" Compliment"</label>
                        <label class="choice"><input type="radio" name="fb-kind" value="complaint" on:change=move |_| kind.set("complaint".into())/>" Complaint"</label>
                    </fieldset>
                    <TextArea form="fb" label="Tell us" name="body" value=body error/>
                    <Field form="fb" label="Order number" name="order_number" value=order error required=false/>
                    {(!signed_in).then(|| view! {
                        <Field form="fb" label="E-mail, if you'd like an answer" name="email" value=email error kind="email" autocomplete="email" inputmode="email" required=false/>
                    })}
                    <FormError error fields=&["kind", "body", "order_number", "email"]/>
                    <button type="submit">"Send feedback"</button>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
fn FaqPane() -> impl IntoView {
    let support = use_support();
    let query = RwSignal::new(String::new());
    view! {
        <div class="faq-pane" data-testid="faq-pane">
            <label for="faq-q">"Search our answers"</label>
            <input id="faq-q" type="search" autocomplete="off" data-testid="faq-search" prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
            {move || match (support.faq.get(), support.faq_error.get()) {
                (Some(faq), _) => view! { <FaqResults faq query/> }.into_any(),
                (None, Some(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                (None, None) => view! { <p role="status">"Loading…"</p> }.into_any(),
            }}
            <p><a href="/help">"All questions and answers"</a></p>
        </div>
    }
}

#[component]
fn FaqResults(faq: Faq, query: RwSignal<String>) -> impl IntoView {
    let faq = StoredValue::new(faq);
    move || {
        let q = query.get();
        let list: Vec<FaqArticle> = if q.trim().is_empty() {
            faq.with_value(|f| f.categories.iter().filter_map(|c| c.articles.first().cloned()).collect())
        } else {
            faq.with_value(|f| f.search(&q, 6).into_iter().cloned().collect())
        };
        if list.is_empty() {
            return view! { <p data-testid="faq-none">"No answer matches that. Try other words, or ask us in the chat."</p> }.into_any();
        }
        view! {
            <ul class="faq-results" data-testid="faq-results">
                {list.into_iter().map(|a| view! {
                    <li>
                        <details>
                            <summary>{a.question.clone()}</summary>
                            <FaqAnswer article=a/>
                        </details>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any()
    }
}

/// An answer's paragraphs and the "was this helpful?" question.
#[component]
pub fn FaqAnswer(article: FaqArticle) -> impl IntoView {
    let outbox = use_outbox();
    let voted = RwSignal::new(None::<bool>);
    let id = article.id;
    let vote = move |helpful: bool| {
        voted.set(Some(helpful));
        spawn_local(async move {
            let body = aisle_domain::support::FaqVote { helpful };
            let _ = outbox.submit(Kind::Support, "FAQ vote".into(), "POST", format!("/api/faq/{id}/votes"), &body, None).await;
        });
    };
    view! {
        <div class="faq-answer">
            {article.answer.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            <div class="faq-vote" data-testid="faq-vote">
                {move || match voted.get() {
                    Some(true) => view! { <p role="status">"Thanks — glad it helped."</p> }.into_any(),
                    Some(false) => view! { <p role="status">"Thanks — we'll improve it. Ask us in the chat if you still need help."</p> }.into_any(),
                    None => view! {
                        <span>"Was this helpful?"</span>
                        " "
                        <button type="button" class="small" on:click=move |_| vote(true)>"Yes"</button>
                        " "
                        <button type="button" class="small" on:click=move |_| vote(false)>"No"</button>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}
