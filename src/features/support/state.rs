//! Reaching a person from any page: the support widget's shared state (open or shut,
//! which tab), the shopper's live chat, and the FAQ kept on the device so it reads
//! offline.

use super::api;
use crate::{
    features::{account::session::Shop, support::chat::{Chat, Mode}},
    platform::{http::ApiError, store},
};
use aisle_domain::support::Faq;
use leptos::{prelude::*, task::spawn_local};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Chat,
    CallMe,
    Message,
    Feedback,
    Faq,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Chat, Tab::CallMe, Tab::Message, Tab::Feedback, Tab::Faq];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Chat => "Chat",
            Tab::CallMe => "Call me",
            Tab::Message => "Message us",
            Tab::Feedback => "Feedback",
            Tab::Faq => "FAQ",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Chat => "chat",
            Tab::CallMe => "call-me",
            Tab::Message => "message",
            Tab::Feedback => "feedback",
            Tab::Faq => "faq",
        }
    }
}

const FAQ_KEY: &str = "faq";

#[derive(Clone, Copy)]
pub struct Support {
    pub open: RwSignal<bool>,
    pub tab: RwSignal<Tab>,
    pub chat: Chat,
    /// The FAQ: the device's copy at once, then the shop's when it answers.
    pub faq: RwSignal<Option<Faq>>,
    pub faq_error: RwSignal<Option<ApiError>>,
    faq_requested: StoredValue<bool>,
}

pub fn use_support() -> Support {
    expect_context::<Support>()
}

impl Support {
    /// The widget's state. A different shopper (sign-in, sign-out) means a different
    /// chat: it reconnects so the server sees who it is now, and shows nothing of the
    /// last one's. The FAQ is fetched a little after the page is up, so it reads
    /// offline later.
    pub fn start(shop: Shop) -> Support {
        let support = Support {
            open: RwSignal::new(false),
            tab: RwSignal::new(Tab::Chat),
            chat: Chat::new(Mode::Shopper),
            faq: RwSignal::new(None),
            faq_error: RwSignal::new(None),
            faq_requested: StoredValue::new(false),
        };
        // A shopper who chatted on this device keeps their connection (and unread
        // badge) from the start; everyone else connects when they first open the chat.
        if store::existing_support_token().is_some() {
            spawn_local(start_chat(support.chat));
        }
        let who = Memo::new(move |_| shop.session.with(|s| s.as_ref().map(|s| s.customer.as_ref().map(|c| c.id))));
        Effect::new(move |before: Option<Option<Option<i64>>>| {
            let now = who.get();
            if let (Some(Some(was)), Some(is)) = (before, now) {
                if was != is && support.chat.is_started() {
                    spawn_local(reset_chat(support.chat));
                }
            }
            now
        });
        let faq_later = leptos::wasm_bindgen::closure::Closure::once_into_js(move || support.load_faq());
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(leptos::wasm_bindgen::JsCast::unchecked_ref(&faq_later), 3_000);
        support
    }

    /// Opens the widget on a tab.
    pub fn show(self, tab: Tab) {
        self.tab.set(tab);
        self.open.set(true);
        if tab == Tab::Chat {
            spawn_local(start_chat(self.chat));
        }
        if matches!(tab, Tab::Faq | Tab::Message) {
            self.load_faq();
        }
    }

    /// Loads the FAQ once per page load: the device's copy first (offline it is all
    /// there is), then the shop's, which replaces it on the device.
    pub fn load_faq(self) {
        if self.faq_requested.get_value() {
            return;
        }
        self.faq_requested.set_value(true);
        spawn_local(async move {
            if let Ok(Some(faq)) = store::get_meta::<Faq>(FAQ_KEY).await {
                self.faq.set(Some(faq));
            }
            match api::faq().await {
                Ok(faq) => {
                    let _ = store::set_meta(FAQ_KEY, &faq).await;
                    self.faq_error.set(None);
                    self.faq.set(Some(faq));
                }
                Err(e) => {
                    if self.faq.with_untracked(Option::is_none) {
                        self.faq_error.set(Some(e));
                    }
                    // Ask again next time the FAQ is opened.
                    self.faq_requested.set_value(false);
                }
            }
        });
    }
}

// The chat's connection and what it reads off the socket are needed only by a shopper
// who chats, so in the split build (feature `split`) they are a wasm part of their own,
// fetched when the chat starts (or once the page is idle, with the help panel).

#[cfg_attr(feature = "split", leptos::lazy)]
async fn start_chat(chat: Chat) {
    chat.start()
}

#[cfg_attr(feature = "split", leptos::lazy)]
async fn reset_chat(chat: Chat) {
    chat.reset()
}
