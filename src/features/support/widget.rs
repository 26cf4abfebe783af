//! The support widget on every page: a "Help" button (with a badge for unread chat
//! replies) opening a panel with live chat, a call-me request, the contact form,
//! feedback and the FAQ. The FAQ and chat history load when the panel is opened, not
//! with the page.
//!
//! Requests, messages and feedback go through the outbox: offline they are kept on the
//! device and sent once when the connection returns.

use crate::{
    features::{account::session::use_shop, support::state::{use_support, Support, Tab}},
    platform::{
        http::ApiError,
        lang::{fill, time},
        outbox::{use_outbox, Outcome},
        pwa::use_pwa,
        store,
    },
    tr,
    tr_now,
    ui::form::{Field, FormError, TextArea},
};
use aisle_domain::{
    change::Change,
    support::{
        Author,
        CallWindow,
        Callback,
        Faq,
        FaqArticle,
        Feedback,
        MAX_MESSAGE_CHARS,
        NewCallback,
        NewFeedback,
        NewTicket,
        Ticket,
    },
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
    // With the `split` feature the panel's code is fetched once the page is idle.
    #[cfg(feature = "split")]
    crate::platform::idle::when_idle(__preload_support_panel);
    view! {
        <div class="support">
            <button type="button" class="support-button" id="help-button" data-testid="help-button"
                aria-expanded=move || support.open.get().to_string() aria-controls="support-panel"
                on:click=move |_| if support.open.get_untracked() { close() } else { support.show(support.tab.get_untracked()) }>
                {tr!(help)}
                {move || (unread.get() > 0).then(|| view! {
                    <span class="badge" data-testid="chat-unread" aria-label={let unread_label = tr!(unread); move || fill(unread_label(), &[("n", &unread.get())])}>{unread.get()}</span>
                })}
            </button>
            <Show when=move || support.open.get()>
                {panel()}
            </Show>
        </div>
    }
}

/// The panel, drawn while it is open. With the `split` feature its code is a wasm file
/// of its own, fetched once the page is idle or when the shopper opens the panel,
/// whichever comes first; the button (and its unread badge) is always there.
#[cfg(not(feature = "split"))]
fn panel() -> impl IntoView {
    view! { <SupportPanel/> }
}

#[cfg(feature = "split")]
fn panel() -> impl IntoView {
    view! { <Suspense fallback=|| ()>{Suspend::new(async move { support_panel().await })}</Suspense> }
}

#[cfg(feature = "split")]
#[leptos::lazy]
fn support_panel() -> AnyView {
    view! { <SupportPanel/> }.into_any()
}

/// The panel: chat, call-me, message, feedback and FAQ tabs. Opening it moves focus
/// into it, so keyboard and screen-reader users land where the help is; closing returns
/// them to the button.
#[component]
fn SupportPanel() -> impl IntoView {
    let support = use_support();
    let close = move || {
        support.open.set(false);
        focus("help-button");
    };
    let tab = support.tab.get_untracked();
    request_animation_frame(move || focus(&format!("tab-{}", tab.id())));
    view! {
        <section id="support-panel" class="support-panel" role="dialog" aria-label=tr!(help_and_contact) data-testid="support-panel"
            on:keydown=move |ev: KeyboardEvent| if ev.key() == "Escape" { close() }>
            <header class="support-head">
                <h2>{tr!(how_can_we_help)}</h2>
                <button type="button" class="link-button" on:click=move |_| close() aria-label=tr!(close_help)>{tr!(close)}</button>
            </header>
            <div class="support-tabs" role="tablist">
                {Tab::ALL.into_iter().map(|t| view! {
                    <button type="button" role="tab" id=format!("tab-{}", t.id()) data-testid=format!("tab-{}", t.id())
                        aria-selected=move || (support.tab.get() == t).to_string()
                        on:click=move |_| support.show(t)>{tab_label(t)}</button>
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
            <time class="chat-time" datetime=at.clone()>{let shown = at.clone(); move || time(&shown)}</time>
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
                {let (hours, offline, connecting) = (tr!(opening_hours), tr!(chat_offline), tr!(connecting));
                move || match chat.availability.get() {
                    // Written here in the shopper's language, from the server's facts.
                    Some(a) => {
                        let lang = crate::platform::lang::lang();
                        let now = (js_sys::Date::now() / 1000.0) as i64;
                        fill(hours(), &[("message", &a.message_in(lang, now)), ("hours", &a.hours_in(lang))])
                    }
                    None if !pwa.online.get() => offline().to_string(),
                    None => connecting().to_string(),
                }}
            </p>
            <ol class="chat-log" aria-live="polite" data-testid="chat-log">
                {move || chat.messages.get().into_iter().map(|m| {
                    let mine = m.author == Author::Customer;
                    let who = if mine { tr_now!(you).to_string() } else { m.author_name };
                    view! { <Bubble mine author=m.author who body=m.body at=m.at/> }
                }).collect_view()}
                {move || chat.pending.get().into_iter().map(|p| view! {
                    <li class="chat-msg mine pending" data-testid="chat-pending">
                        <span class="chat-who">{tr!(you)}</span>
                        <p class="chat-text">{p.body}</p>
                        <span class="chat-time">{let (sending, waiting) = (tr!(sending), tr!(waiting_connection)); move || if chat.connected.get() { sending() } else { waiting() }}</span>
                    </li>
                }).collect_view()}
            </ol>
            {move || chat.messages.with(Vec::is_empty).then(|| view! {
                <p class="hint">{tr!(chat_hint)}</p>
            })}
            <p class="typing" data-testid="agent-typing" aria-live="polite">
                {let typing = tr!(agent_typing); move || chat.is_typing(None).then(typing)}
            </p>
            <p class="form-error" role="alert">{move || chat.error.get()}</p>
{move || if chat.availability.with(|a| a.as_ref().is_some_and(|a| !a.agents_online)) {
                // Nobody is there to answer: the message becomes one we answer by
                // e-mail, so a guest is asked for the address before anything is promised.
                view! { <AwayMessage/> }.into_any()
            } else {
                view! {
                        <form novalidate class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                <label for="chat-input" class="visually-hidden">{tr!(your_message)}</label>
                <textarea id="chat-input" rows="2" maxlength=MAX_MESSAGE_CHARS.to_string() placeholder=tr!(write_a_message)
                    data-testid="chat-input"
                    prop:value=move || draft.get()
                    on:input=move |ev| { draft.set(event_target_value(&ev)); chat.typing(None); }
                    on:keydown=move |ev: KeyboardEvent| if ev.key() == "Enter" && !ev.shift_key() { ev.prevent_default(); send(); }>
                </textarea>
                <button type="submit" data-testid="chat-send">{tr!(send)}</button>
            </form>
                }.into_any()
            }}
            <p class="hint"><a href="/account/support">{tr!(footer_conversations)}</a>" · "<a href="/find-order">{tr!(footer_find_order)}</a></p>
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

fn queued() -> String {
    tr_now!(queued_support).to_string()
}

/// A tab's name in the current language (tracked).
fn tab_label(tab: Tab) -> impl Fn() -> &'static str {
    let i18n = crate::i18n::use_i18n();
    move || match tab {
        Tab::Chat => crate::i18n::t_string!(i18n, tab_chat),
        Tab::CallMe => crate::i18n::t_string!(i18n, tab_call_me),
        Tab::Message => crate::i18n::t_string!(i18n, tab_message),
        Tab::Feedback => crate::i18n::t_string!(i18n, tab_feedback),
        Tab::Faq => crate::i18n::t_string!(i18n, tab_faq),
    }
}


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
    // A guest may give an address for the confirmation; an account's is known.
    let email = RwSignal::new(String::new());
    let signed_in = customer.is_some();
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = NewCallback {
            email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            window: window.get_untracked(),
            topic: topic.get_untracked(),
            order_number: Some(order.get_untracked()).filter(|o| !o.trim().is_empty()),
            support_token: Some(store::support_token()),
        };
        busy.set(true);
        spawn_local(async move {
            let label = tr_now!(callback_label).to_string();
            let outcome = outbox.submit(label, Change::RequestCallback { request: req.clone() }, None).await;
            busy.set(false);
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => match serde_json::from_value::<Callback>(v) {
                    Ok(cb) => done.set(Some(fill(tr_now!(callback_thanks), &[("phone", &cb.phone), ("expected", &cb.expected)]))),
                    Err(_) => done.set(Some(tr_now!(callback_thanks_short).into())),
                },
                Outcome::Queued => done.set(Some(queued())),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(text) => view! {
                <div class="confirmation" role="status" data-testid="callback-confirmation">
                    <p>{text}</p>
                    <p><a href="/account/support">{tr!(see_your_requests)}</a></p>
                    <button type="button" on:click=move |_| done.set(None)>{tr!(another_call)}</button>
                </div>
            }.into_any(),
            None => view! {
                <form novalidate class="support-form" on:submit=submit data-testid="callback-form">
                    <p class="hint">{tr!(callback_hint)}</p>
                    <Field form="cb" label=tr!(your_name) name="name" value=name error autocomplete="name"/>
                    <Field form="cb" label=tr!(phone_number) name="phone" value=phone error kind="tel" autocomplete="tel" inputmode="tel"/>
                    <div class="field">
                        <label for="cb-window">{tr!(when_suits_you)}</label>
                        <select id="cb-window" name="window" on:change=move |ev| window.set(event_target_value(&ev))>
                            {CallWindow::ALL.into_iter().map(|w| view! {
                                <option value=w.as_str() selected=move || window.get() == w.as_str()>{crate::platform::lang::window_label(w)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Field form="cb" label=tr!(what_about) name="topic" value=topic error/>
                    <Field form="cb" label=tr!(order_number_field) name="order_number" value=order error required=false/>
                    {(!signed_in).then(|| view! {
                        <Field form="cb" label=tr!(callback_email) name="email" value=email error kind="email" autocomplete="email" required=false/>
                    })}
                    <FormError error fields=&["name", "phone", "window", "topic", "order_number", "email"]/>
                    <button type="submit" disabled=move || busy.get()>{tr!(call_me_back)}</button>
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
            let label = fill(tr_now!(message_label), &[("subject", &req.subject.trim())]);
            let outcome = outbox.submit(label, Change::SendMessage { ticket: req.clone() }, None).await;
            busy.set(false);
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => match serde_json::from_value::<Ticket>(v) {
                    Ok(t) => done.set(Some((
                        fill(tr_now!(message_thanks), &[("number", &t.number), ("email", &t.email)]),
                        Some(format!("/support/tickets/{}", t.id)),
                    ))),
                    Err(_) => done.set(Some((tr_now!(message_thanks_short).into(), None))),
                },
                Outcome::Queued => done.set(Some((queued(), None))),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some((text, link)) => view! {
                <div class="confirmation" role="status" data-testid="ticket-confirmation">
                    <p>{text}</p>
                    {link.map(|href| view! { <p><a href=href data-testid="ticket-link">{tr!(read_or_add)}</a></p> })}
                    <button type="button" on:click=move |_| { subject.set(String::new()); body.set(String::new()); done.set(None); }>{tr!(write_another)}</button>
                </div>
            }.into_any(),
            None => view! {
                <form novalidate class="support-form" on:submit=submit data-testid="ticket-form">
                    <Field form="contact" label=tr!(your_name) name="name" value=name error autocomplete="name"/>
                    <Field form="contact" label=tr!(email) name="email" value=email error kind="email" autocomplete="email" inputmode="email"/>
                    <Field form="contact" label=tr!(subject) name="subject" value=subject error/>
                    <TextArea form="contact" label=tr!(your_message) name="body" value=body error/>
                    {move || {
                        let list = suggestions.get();
                        (!list.is_empty()).then(|| view! {
                            <div class="faq-suggestions" data-testid="faq-suggestions" aria-live="polite">
                                <p>{tr!(answers_may_help)}</p>
                                <ul>{list.into_iter().map(|a| view! { <li><a href=format!("/help/{}", a.slug)>{a.question}</a></li> }).collect_view()}</ul>
                            </div>
                        })
                    }}
                    <Field form="contact" label=tr!(order_number_field) name="order_number" value=order error required=false/>
                    <FormError error fields=&["name", "email", "subject", "body", "order_number"]/>
                    <button type="submit" disabled=move || busy.get()>{tr!(send_message)}</button>
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
            let outcome = outbox.submit(tr_now!(feedback_label).into(), Change::SendFeedback { feedback: req.clone() }, None).await;
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => {
                    let complaint = serde_json::from_value::<Feedback>(v).is_ok_and(|f| f.kind.as_str() == "complaint");
                    done.set(Some(if complaint {
                        tr_now!(complaint_thanks).into()
                    } else {
                        tr_now!(compliment_thanks).into()
                    }))
                }
                Outcome::Queued => done.set(Some(queued())),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(text) => view! { <p class="confirmation" role="status" data-testid="feedback-confirmation">{text}</p> }.into_any(),
            None => view! {
                <form novalidate class="support-form" on:submit=submit data-testid="feedback-form">
                    <fieldset class="field">
                        <legend>{tr!(compliment_or_complaint)}</legend>
                        <label class="choice"><input type="radio" name="fb-kind" value="compliment" checked=true on:change=move |_| kind.set("compliment".into())/>" "{tr!(compliment)}</label>
                        <label class="choice"><input type="radio" name="fb-kind" value="complaint" on:change=move |_| kind.set("complaint".into())/>" "{tr!(complaint)}</label>
                    </fieldset>
                    <TextArea form="fb" label=tr!(tell_us) name="body" value=body error/>
                    <Field form="fb" label=tr!(order_number_field) name="order_number" value=order error required=false/>
                    {(!signed_in).then(|| view! {
                        <Field form="fb" label=tr!(email_if_answer) name="email" value=email error kind="email" autocomplete="email" inputmode="email" required=false/>
                    })}
                    <FormError error fields=&["kind", "body", "order_number", "email"]/>
                    <button type="submit">{tr!(send_feedback)}</button>
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
            <label for="faq-q">{tr!(search_answers)}</label>
            <input id="faq-q" type="search" autocomplete="off" data-testid="faq-search" prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
            {move || match (support.faq.get(), support.faq_error.get()) {
                (Some(faq), _) => view! { <FaqResults faq query/> }.into_any(),
                (None, Some(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
                (None, None) => view! { <p role="status">{tr!(loading)}</p> }.into_any(),
            }}
            <p><a href="/help">{tr!(all_answers)}</a></p>
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
            return view! { <p data-testid="faq-none">{tr!(faq_none)}</p> }.into_any();
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
            let _ = outbox.submit(tr_now!(faq_vote_label).into(), Change::VoteOnAnswer { article_id: id, vote: body }, None).await;
        });
    };
    view! {
        <div class="faq-answer">
            {article.answer.split("\n\n").map(|p| view! { <p>{p.to_string()}</p> }).collect_view()}
            <div class="faq-vote" data-testid="faq-vote">
                {move || match voted.get() {
                    Some(true) => view! { <p role="status">{tr!(glad_it_helped)}</p> }.into_any(),
                    Some(false) => view! { <p role="status">{tr!(will_improve)}</p> }.into_any(),
                    None => view! {
                        <span>{tr!(was_helpful)}</span>
                        " "
                        <button type="button" class="small" on:click=move |_| vote(true)>{tr!(yes)}</button>
                        " "
                        <button type="button" class="small" on:click=move |_| vote(false)>{tr!(no)}</button>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

/// The chat out of hours: what the shopper writes goes to us as a message we answer by
/// e-mail (a ticket, with a link back to its thread), with the address it goes to.
#[component]
fn AwayMessage() -> impl IntoView {
    let shop = use_shop();
    let outbox = use_outbox();
    let customer = shop.customer();
    let signed_in = customer.is_some();
    let name = RwSignal::new(customer.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let email = RwSignal::new(customer.as_ref().map(|c| c.email.clone()).unwrap_or_default());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = NewTicket {
            name: name.get_untracked(),
            email: email.get_untracked(),
            subject: tr_now!(chat_away_subject).to_string(),
            body: body.get_untracked(),
            order_number: None,
            support_token: Some(store::support_token()),
        };
        busy.set(true);
        spawn_local(async move {
            let label = fill(tr_now!(message_label), &[("subject", &req.subject)]);
            let outcome = outbox.submit(label, Change::SendMessage { ticket: req.clone() }, None).await;
            busy.set(false);
            error.set(outcome_error(&outcome));
            match outcome {
                Outcome::Sent(v) => match serde_json::from_value::<Ticket>(v) {
                    Ok(t) => done.set(Some(fill(tr_now!(chat_away_sent), &[("email", &t.email), ("number", &t.number)]))),
                    Err(_) => done.set(Some(tr_now!(message_thanks_short).into())),
                },
                Outcome::Queued => done.set(Some(queued())),
                Outcome::Refused(_) => {}
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(text) => view! { <p class="confirmation" role="status" data-testid="chat-away-sent">{text}</p> }.into_any(),
            None => view! {
                <form novalidate class="support-form" on:submit=submit data-testid="chat-away-form">
                    <p class="hint">{tr!(chat_away_hint)}</p>
                    {(!signed_in).then(|| view! {
                        <Field form="away" label=tr!(your_name) name="name" value=name error autocomplete="name"/>
                        <Field form="away" label=tr!(chat_away_email) name="email" value=email error kind="email" autocomplete="email" inputmode="email"/>
                    })}
                    <TextArea form="away" label=tr!(your_message) name="body" value=body error maxlength=MAX_MESSAGE_CHARS/>
                    <FormError error fields=&["name", "email", "body"]/>
                    <button type="submit" disabled=move || busy.get()>{tr!(send)}</button>
                </form>
            }.into_any(),
        }}
    }
}
