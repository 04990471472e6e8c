//! /settings/dunning (Mahnwesen): the four dunning levels, the dated base rate of § 247 BGB, a
//! dunning run started by hand, and the letters waiting to be printed.
pub mod api;
mod base_rates_view;
mod letters_view;
mod levels_view;
pub mod model;

#[cfg(feature = "ssr")]
pub mod base_rates;
#[cfg(feature = "ssr")]
pub mod letters;
#[cfg(feature = "ssr")]
pub mod service;

use crate::customers::areas::data::actions::refusal;
use crate::i18n::{t, translate_with, use_locale};
use api::run_dunning;
use base_rates_view::BaseRatesPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use letters_view::LettersPanel;
use levels_view::LevelsPanel;

#[component]
pub fn DunningSettingsPage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsBilling>
            <DunningSettingsView />
        </crate::auth::guard::Guard>
    }
}

/// The page numbers of the two paged lists, from the URL (`?rates=2&letters=3`).
#[derive(Clone, Copy)]
pub struct Pages {
    pub rates: Memo<u32>,
    pub letters: Memo<u32>,
}

impl Pages {
    fn from_query() -> Pages {
        let query = use_query_map();
        let page = move |name: &'static str| {
            Memo::new(move |_| query.with(|q| q.get(name).and_then(|p| p.parse().ok()).unwrap_or(1u32)))
        };
        Pages { rates: page("rates"), letters: page("letters") }
    }

    /// The page's URL with the lists at these pages.
    fn link(rates: u32, letters: u32) -> String {
        format!("/settings/dunning?rates={rates}&letters={letters}")
    }
}

#[component]
fn DunningSettingsView() -> impl IntoView {
    let pages = Pages::from_query();
    // Bumped after a run: new letters may wait to be printed.
    let letters_stale = RwSignal::new(0u32);
    view! {
        <Title text=t("nav.dunning_settings") />
        <h1 class="page-title">{t("nav.dunning_settings")}</h1>
        <p class="lead">{t("settings.dunning.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <LevelsPanel />
        <RunPanel on_done=Callback::new(move |_| letters_stale.update(|n| *n += 1)) />
        <BaseRatesPanel pages />
        <LettersPanel pages stale=letters_stale />
    }
}

/// "Mahnlauf jetzt starten": what the scheduled run would send today, at once.
#[component]
fn RunPanel(on_done: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let run = Action::new(move |_: &()| run_dunning());
    Effect::new(move |_| {
        if let Some(Ok(_)) = run.value().get() {
            on_done.run(());
        }
    });
    let result = move || {
        if run.pending().get() {
            return None;
        }
        run.value().get().map(|r| match r {
            Ok(o) => {
                let n = |v: u64| crate::ui::format::count(v, locale);
                let text = translate_with(
                    locale,
                    "settings.dunning.run_done",
                    &[
                        ("notices", &n(o.notices)),
                        ("fees", &n(o.fee_documents)),
                        ("skipped", &n(o.skipped_off)),
                        ("customers", &n(o.customers)),
                    ],
                );
                view! { <p class="notice-ok">{text}</p> }.into_any()
            }
            Err(e) => refusal(e),
        })
    };
    view! {
        <section class="panel" aria-labelledby="dunning-run-title">
            <h2 id="dunning-run-title">{t("settings.dunning.run_title")}</h2>
            <p class="muted">{t("settings.dunning.run_hint")}</p>
            <div class="editor-actions">
                <button type="button" class="button primary" disabled=move || run.pending().get()
                    on:click=move |_| { run.dispatch(()); }>
                    {t("settings.dunning.run")}
                </button>
            </div>
            <div class="action-result" role="status">
                {move || run.pending().get().then(|| view! { <p>{t("settings.dunning.running")}</p> })}
                {result}
            </div>
        </section>
    }
}
