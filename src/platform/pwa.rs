//! The installable, offline side of the app: registers the service worker, tells the
//! shopper when a new version is ready (and switches to it on one click), and tracks
//! whether the browser is online.

use leptos::{
    prelude::*,
    wasm_bindgen::{closure::Closure, JsCast},
    web_sys,
};

#[derive(Clone, Copy)]
pub struct Pwa {
    pub online: RwSignal<bool>,
    /// A new build is installed and waiting for the shopper's go-ahead.
    pub update_ready: RwSignal<bool>,
    /// What features do when the connection comes back (see [`Pwa::on_back_online`]).
    back_online: StoredValue<Vec<Callback<()>>>,
}

pub fn use_pwa() -> Pwa {
    expect_context::<Pwa>()
}

impl Pwa {
    pub fn start() -> Pwa {
        let online = RwSignal::new(window().navigator().on_line());
        let pwa = Pwa { online, update_ready: RwSignal::new(false), back_online: StoredValue::new(Vec::new()) };
        for (event, value) in [("online", true), ("offline", false)] {
            let cb = Closure::<dyn Fn()>::new(move || {
                let was = online.get_untracked();
                online.set(value);
                if value && !was {
                    for listener in pwa.back_online.get_value() {
                        listener.run(());
                    }
                }
            });
            let _ = window().add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
            // Lives as long as the page.
            cb.forget();
        }
        register_service_worker(pwa);
        pwa
    }

    /// `listener` runs each time the connection comes back: how a feature catches up
    /// (renew the session, send what waits, sync the catalogue).
    pub fn on_back_online(self, listener: Callback<()>) {
        self.back_online.update_value(|l| l.push(listener));
    }

    /// Shows the update banner; once is enough (redrawing it could swallow a click).
    fn offer_update(self) {
        if !self.update_ready.get_untracked() {
            self.update_ready.set(true);
        }
    }

    /// Activates the waiting version; the page reloads into it once it has taken over.
    pub fn apply_update(self) {
        leptos::task::spawn_local(async move {
            let container = window().navigator().service_worker();
            let reload = Closure::<dyn Fn()>::new(|| {
                let _ = window().location().reload();
            });
            container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
            reload.forget();
            let Ok(ready) = container.ready() else { return };
            let Ok(reg) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
            let reg: web_sys::ServiceWorkerRegistration = reg.unchecked_into();
            if reg.waiting().is_none() {
                let _ = window().location().reload();
                return;
            }
            // Chromium activates the new version only once the old one has no fetch
            // under way, and a fetch made at that moment can leave it waiting for good.
            // Asking again each second is harmless; if it still has not taken over, a
            // reload lets it, since the old page is then gone.
            for _ in 0..ACTIVATE_ASKS {
                if let Some(waiting) = reg.waiting() {
                    let _ = waiting.post_message(&"skip-waiting".into());
                }
                super::sleep(1_000).await;
            }
            let _ = window().location().reload();
        });
    }
}

/// How many times (a second apart) the page asks the new version to take over before
/// it reloads anyway.
const ACTIVATE_ASKS: u32 = 8;

fn register_service_worker(pwa: Pwa) {
    let navigator = window().navigator();
    // Browsers without service workers (or an insecure origin) simply run online-only.
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    leptos::task::spawn_local(async move {
        let container = window().navigator().service_worker();
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(container.register("/sw.js")).await else { return };
        let reg: web_sys::ServiceWorkerRegistration = reg.unchecked_into();
        watch_for_update(&reg, pwa);
        let reg2 = reg.clone();
        let on_update = Closure::<dyn Fn()>::new(move || watch_for_update(&reg2, pwa));
        reg.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
        // A long-open tab, or a visit whose update check raced the registration,
        // still learns of the new build.
        if let Ok(checked) = reg.update() {
            let _ = wasm_bindgen_futures::JsFuture::from(checked).await;
            watch_for_update(&reg, pwa);
        }
    });
}

/// Flags the update when a new worker is waiting, or will be once it has installed.
/// The very first install replaces nothing, so it asks nothing.
fn watch_for_update(reg: &web_sys::ServiceWorkerRegistration, pwa: Pwa) {
    let has_controller = || window().navigator().service_worker().controller().is_some();
    if reg.waiting().is_some() && has_controller() {
        pwa.offer_update();
        return;
    }
    if let Some(installing) = reg.installing() {
        let worker = installing.clone();
        let on_state = Closure::<dyn Fn()>::new(move || {
            if worker.state() == web_sys::ServiceWorkerState::Installed && window().navigator().service_worker().controller().is_some() {
                pwa.offer_update();
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    }
}

/// "A new version is available" with a one-click switch, and the offline notice.
#[component]
pub fn PwaBanners() -> impl IntoView {
    let pwa = use_pwa();
    view! {
        {move || pwa.update_ready.get().then(|| view! {
            <div class="update-banner" role="status" data-testid="update-banner">
                {crate::tr!(update_available)}" "
                <button type="button" class="primary" on:click=move |_| pwa.apply_update()>{crate::tr!(reload)}</button>
            </div>
        })}
        {move || (!pwa.online.get()).then(|| view! {
            <div class="offline-banner" role="status" data-testid="offline">
                {crate::tr!(offline_banner)}
            </div>
        })}
    }
}
