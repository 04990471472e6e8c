//! Einstellungen: one home for the operator's settings at /settings, with its own sidebar.
//! A settings page lists itself in `PAGES`; the top bar shows one link to here for staff who
//! may open any of them.
pub mod bank;
pub mod billing;
pub mod dunning;

use crate::auth::{CurrentStaff, Permission, StaffIdentity};
use crate::i18n::t;
use crate::ui::errors::{Forbidden, error_view};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

/// One settings page: its path below /settings, the key of its name, who may open it.
pub struct SettingsPage {
    pub path: &'static str,
    pub label_key: &'static str,
    pub permission: Permission,
}

/// The settings pages in sidebar order.
pub const PAGES: &[SettingsPage] = &[
    SettingsPage {
        path: "custom-fields",
        label_key: "nav.custom_fields",
        permission: Permission::SettingsFields,
    },
    SettingsPage { path: "products", label_key: "nav.products", permission: Permission::SettingsProducts },
    SettingsPage { path: "servers", label_key: "nav.servers", permission: Permission::SettingsServers },
    SettingsPage { path: "domains", label_key: "nav.tlds", permission: Permission::SettingsDomains },
    SettingsPage {
        path: "registrars",
        label_key: "nav.registrars",
        permission: Permission::SettingsRegistrars,
    },
    SettingsPage {
        path: "billing",
        label_key: "nav.billing_settings",
        permission: Permission::SettingsBilling,
    },
    SettingsPage {
        path: "dunning",
        label_key: "nav.dunning_settings",
        permission: Permission::SettingsBilling,
    },
    SettingsPage { path: "bank", label_key: "nav.bank", permission: Permission::PaymentsBook },
    SettingsPage {
        path: "report-texts",
        label_key: "nav.report_texts",
        permission: Permission::SettingsTexts,
    },
    SettingsPage { path: "staff", label_key: "nav.staff", permission: Permission::ManageStaff },
    SettingsPage { path: "roles", label_key: "nav.roles", permission: Permission::ManageStaff },
    SettingsPage { path: "audit", label_key: "nav.audit", permission: Permission::AuditView },
];

/// The settings pages this staff member may open.
pub fn visible(me: &StaffIdentity) -> impl Iterator<Item = &'static SettingsPage> + '_ {
    PAGES.iter().filter(|p| me.can(p.permission))
}

/// The frame of every settings page: the settings sidebar beside the page.
#[component]
pub fn SettingsFrame() -> impl IntoView {
    let me = expect_context::<CurrentStaff>().0;
    let location = use_location();
    view! {
        <div class="profile settings-home">
            <nav class="sidebar" aria-label=t("nav.settings")>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let me = me.await.ok()?;
                        Some(view! {
                            <ul>
                                {visible(&me).map(|p| {
                                    let href = format!("/settings/{}", p.path);
                                    let current = {
                                        let href = href.clone();
                                        move || location.pathname.get() == href
                                    };
                                    view! {
                                        <li>
                                            <a href=href.clone() class:active=current.clone()
                                                aria-current=move || if current() { "page" } else { "false" }>
                                                {t(p.label_key)}
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </Suspense>
            </nav>
            <div class="panel-area">
                <Outlet />
            </div>
        </div>
    }
}

/// /settings itself: the first page this staff member may open.
#[component]
pub fn SettingsIndex() -> impl IntoView {
    let me = expect_context::<CurrentStaff>().0;
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) => match visible(&me).next() {
                        Some(first) => view! { <Redirect path=format!("/settings/{}", first.path) /> }.into_any(),
                        None => view! { <Forbidden /> }.into_any(),
                    },
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
