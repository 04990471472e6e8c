//! clientdesk: the customer management of a billing and CRM system.
//! The library holds the UI shared by server rendering and the hydrated WASM bundle, plus
//! (feature `ssr`) the server, services and database code.
#![recursion_limit = "256"]

pub mod account;
pub mod app;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod catalogue;
pub mod choice;
pub mod codec;
pub mod customers;
pub mod documents;
pub mod domains;
pub mod error;
pub mod events;
pub mod i18n;
pub mod live;
pub mod mail;
pub mod money;
pub mod portal;
pub mod provisioning;
pub mod records;
pub mod settings;
pub mod staff;
pub mod text;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod licensing;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod web;
#[cfg(feature = "ssr")]
pub mod write;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The texts of the page's language, the open page's and the open area's code are chunks of
    // their own: load them together first, so hydration finds them.
    wasm_bindgen_futures::spawn_local(async {
        let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        futures::join!(
            i18n::load(app::page_locale()),
            app::pages::preload_for_path(&path),
            customers::areas::registry::preload_for_path(&path),
        );
        leptos::mount::hydrate_body(app::App);
    });
}
