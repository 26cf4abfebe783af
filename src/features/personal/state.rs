//! The shopper's privacy settings, shared through context, and what the home page
//! shows a returning shopper (their greeting and recommendations), kept on the device
//! so it still shows offline.

use super::api;
use crate::{
    features::{account::session::Shop, personal::activity},
    platform::{http::ApiError, store},
};
use aisle_domain::personal::{PrivacySettings, Recommendations, Welcome};
use leptos::{prelude::*, task::spawn_local};

const PRIVACY_KEY: &str = "privacy";
pub const WELCOME_KEY: &str = "welcome";
pub const RECOMMENDATIONS_KEY: &str = "recommendations";

#[derive(Clone, Copy)]
pub struct Personal {
    pub privacy: RwSignal<PrivacySettings>,
}

pub fn use_personal() -> Personal {
    expect_context::<Personal>()
}

impl Personal {
    pub fn start(shop: Shop) -> Personal {
        let personal = Personal { privacy: RwSignal::new(activity::guest_settings()) };
        let who = Memo::new(move |_| shop.session.with(|s| s.as_ref().map(|s| s.customer.as_ref().map(|c| c.id))));
        Effect::new(move |_| match who.get() {
            None => {}
            Some(None) => personal.privacy.set(activity::guest_settings()),
            Some(Some(_)) => spawn_local(async move {
                match api::privacy().await {
                    Ok(p) => {
                        let _ = store::set_meta(PRIVACY_KEY, &p).await;
                        personal.privacy.set(p);
                    }
                    // Offline: the settings last seen on this device.
                    Err(_) => {
                        if let Ok(Some(p)) = store::get_meta::<PrivacySettings>(PRIVACY_KEY).await {
                            personal.privacy.set(p);
                        }
                    }
                }
            }),
        });
        Effect::new(move |_| activity::set_enabled(personal.privacy.get()));
        personal
    }
}

/// The shop's answer when it can give one, else the device's copy of the last answer.
async fn with_device_copy<T>(key: &'static str, fetch: impl std::future::Future<Output = Result<T, ApiError>>) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    match fetch.await {
        Ok(v) => {
            let _ = store::set_meta(key, &v).await;
            Some(v)
        }
        Err(_) => store::get_meta::<T>(key).await.ok().flatten(),
    }
}

pub async fn welcome() -> Option<Welcome> {
    with_device_copy(WELCOME_KEY, api::welcome()).await
}

pub async fn recommendations() -> Option<Recommendations> {
    with_device_copy(RECOMMENDATIONS_KEY, api::recommendations()).await
}
