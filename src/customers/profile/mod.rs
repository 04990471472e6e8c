//! The profile shell at /customers/{id}/{area}: header, critical warnings, the sidebar built
//! from the area registry with the selected area's actions, and the area's panel.
mod header;

use crate::auth::CurrentStaff;
use crate::customers::api::{customer_form_meta, get_customer, profile_viewers};
use crate::customers::areas::{self, PanelCtx};
use crate::customers::model::{AreaFigure, FigureKind};
use crate::error::AppError;
use crate::i18n::t;
use crate::i18n::{Locale, use_locale};
use crate::ui::errors::{NotFound, error_view};
use crate::ui::format;
use header::{ProfileHeader, WarningsRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let area = move || params.read().get("area").unwrap_or_default();
    let customer = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_customer(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let meta = Resource::new(|| (), |_| customer_form_meta());
    // The header as last shown (after saves and live changes): opening another area in the
    // browser starts from it, not from the profile as the page first loaded it.
    let latest: RwSignal<Option<crate::customers::model::CustomerProfile>> = RwSignal::new(None);
    let me = expect_context::<CurrentStaff>().0;
    let locale = use_locale();
    // A message handed over by a form handler (e.g. why "Als Kunde einloggen" was refused).
    let query = leptos_router::hooks::use_query_map();
    let notice = move || {
        query.read().get("notice").filter(|k| k.starts_with("impersonate.") || k.starts_with("error.")).map(
            |key| {
                view! { <p class="banner error" role="alert">{t(&key)}</p> }
            },
        )
    };

    view! {
        {notice}
        <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            // The area is read outside the async block, so switching areas in the browser
            // (client-side navigation) renders the new panel.
            {move || { let area_slug = area(); Suspend::new(async move {
                let (result, meta, me) = (customer.await, meta.await, me.await);
                let me = match me {
                    Ok(me) => me,
                    Err(e) => return error_view(e),
                };
                match (result, meta, areas::find(&area_slug, &me)) {
                    (Ok(profile), Ok(meta), Some(selected)) => {
                        let profile = latest
                            .get_untracked()
                            .filter(|l| l.detail.id == profile.detail.id)
                            .unwrap_or(profile);
                        let detail = profile.detail.clone();
                        let id = detail.id;
                        // The header follows saves without reloading the panel.
                        let shown = RwSignal::new(profile);
                        Effect::new(move |_| latest.set(Some(shown.get())));
                        // Actions that show the customer's current state read it from here.
                        provide_context(crate::customers::areas::def::ShownProfile(shown));
                        let actions: Vec<_> = selected
                            .actions
                            .iter()
                            .filter(|a| me.can(a.permission))
                            .map(|a| (a.view)(&detail))
                            .collect();
                        let has_actions = !actions.is_empty();
                        // A fixed title: leptos_meta keeps it beyond this view, whose signals end
                        // when another area is opened.
                        let title = format!("{} · {}", detail.number, detail.display_name);
                        // A save answers without figures: the shown ones stay until the next read.
                        let on_saved = Callback::new(move |mut p: crate::customers::model::CustomerProfile| {
                            shown.update(|s| {
                                if p.figures.is_empty() {
                                    p.figures = std::mem::take(&mut s.figures);
                                }
                                *s = p;
                            })
                        });
                        // Changes by others arrive live: the header and warnings refetch, the
                        // panels refetch on the same tick (an open form only warns).
                        let live = crate::live::client::use_customer_live(id);
                        provide_context(live);
                        let viewers = Resource::new(
                            move || (live.resync.get(), live.presence.get()),
                            move |_| profile_viewers(id),
                        );
                        Effect::new(move |_| {
                            if live.tick.get() > 0 {
                                leptos::task::spawn_local(async move {
                                    if let Ok(p) = get_customer(id).await {
                                        shown.set(p);
                                    }
                                });
                            }
                        });
                        let detail_for_sidebar = detail.clone();
                        let panel = (selected.panel)(PanelCtx {
                            // An erased customer's remaining record cannot change any more.
                            read_only: !me.can(selected.edit) || detail.erased_at.is_some(),
                            detail,
                            meta,
                            staff: me.clone(),
                            on_saved,
                        })
                        .await;
                        view! {
                            <Title text=title />
                            {move || view! { <ProfileHeader detail=shown.get().detail /> }}
                            {move || view! { <WarningsRow warnings=shown.get().warnings /> }}
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let names = viewers.await.unwrap_or_default();
                                    (!names.is_empty()).then(|| view! {
                                        <p class="viewers" role="status">{t("live.also_open")} " " {names.join(", ")}</p>
                                    })
                                })}
                            </Transition>
                            <div class="profile" data-live=move || if live.connected.get() { "on" } else { "off" }>
                                <nav class="sidebar" aria-label=t("profile.areas")>
                                    <ul>
                                        {areas::visible(&me).filter(|a| a.shown_for(&detail_for_sidebar)).map(|a| {
                                            let current = a.slug == selected.slug;
                                            let slug = a.slug;
                                            let figure = move || shown.with(|p| p.figures.iter().find(|f| f.area == slug).and_then(|f| figure_text(f, locale).map(|text| (text, f.value < 0))));
                                            view! {
                                                <li>
                                                    <a href=format!("/customers/{id}/{slug}") class:active=current
                                                        aria-current=if current { "page" } else { "false" }>
                                                        {t(a.label_key)}
                                                        {move || figure().map(|(text, negative)| view! { " " <span class="figure" class:negative=negative data-figure=slug>{text}</span> })}
                                                    </a>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    {has_actions.then(|| view! {
                                        <div class="area-actions">
                                            <h2>{t("profile.actions")}</h2>
                                            <ul>{actions}</ul>
                                        </div>
                                    })}
                                </nav>
                                <div class="panel-area">{panel}</div>
                            </div>
                        }.into_any()
                    }
                    (Err(e), _, _) | (_, Err(e), _) => error_view(e),
                    (_, _, None) => view! { <NotFound /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// A sidebar figure as shown beside the area's name; a count of zero shows nothing.
fn figure_text(f: &AreaFigure, locale: Locale) -> Option<String> {
    match f.kind {
        FigureKind::Count if f.value == 0 => None,
        FigureKind::Count => Some(format::count(f.value as u64, locale)),
        FigureKind::Cents => Some(format::cents(f.value, locale)),
        FigureKind::Percent => Some(format!("{} %", f.value)),
    }
}
