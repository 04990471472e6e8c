//! The registry of profile areas. An area appears in the sidebar once it is built; its slug
//! is its URL segment (`/customers/{id}/{slug}`); its actions are listed under the sidebar
//! while it is selected.
pub mod contacts;
pub mod data;
pub mod emails;
pub mod erase;
pub mod history;
pub mod ips;
pub mod log;
pub mod merge;
pub mod notes;
pub mod sessions;
pub mod timeline;

use super::model::{CustomerDetail, CustomerProfile, FormMeta};
use crate::auth::{Permission, StaffIdentity};
use leptos::prelude::*;

/// One profile area: its URL slug, the translation key of its name, who may see and who may
/// change it, and its actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    pub slug: &'static str,
    pub label_key: &'static str,
    pub view: Permission,
    pub edit: Permission,
    pub actions: &'static [AreaAction],
}

/// An action listed under the sidebar, shown only to staff whose role allows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaAction {
    pub id: &'static str,
    pub permission: Permission,
}

pub const AREAS: &[Area] = &[
    Area {
        slug: "data",
        label_key: "area.data",
        view: Permission::CustomersView,
        edit: Permission::CustomersEdit,
        actions: &[
            AreaAction { id: data::actions::IMPERSONATE, permission: Permission::Impersonate },
            AreaAction { id: data::actions::SEND_PASSWORD, permission: Permission::SendPassword },
            AreaAction { id: data::actions::REGENERATE_API_KEY, permission: Permission::CustomersEdit },
            AreaAction { id: data::actions::VCARD, permission: Permission::CustomersView },
            AreaAction { id: data::actions::DATA_REPORT, permission: Permission::DataReport },
            AreaAction { id: data::actions::MERGE, permission: Permission::CustomersMerge },
            AreaAction { id: data::actions::ERASE, permission: Permission::CustomersErase },
        ],
    },
    Area {
        slug: "contacts",
        label_key: "area.contacts",
        view: Permission::CustomersView,
        edit: Permission::CustomersEdit,
        actions: &[],
    },
    Area {
        slug: "timeline",
        label_key: "area.timeline",
        view: Permission::CustomersView,
        edit: Permission::CustomersView,
        actions: &[],
    },
    Area {
        slug: "history",
        label_key: "area.history",
        view: Permission::HistoryView,
        edit: Permission::HistoryUndo,
        actions: &[],
    },
    Area {
        slug: "notes",
        label_key: "area.notes",
        view: Permission::NotesView,
        edit: Permission::NotesEdit,
        actions: &[],
    },
    Area {
        slug: "log",
        label_key: "area.log",
        view: Permission::LogView,
        edit: Permission::LogView,
        actions: &[],
    },
    Area {
        slug: "ips",
        label_key: "area.ips",
        view: Permission::IpsView,
        edit: Permission::IpsView,
        actions: &[],
    },
    Area {
        slug: "sessions",
        label_key: "area.sessions",
        view: Permission::SessionsView,
        edit: Permission::SessionsEdit,
        actions: &[],
    },
    Area {
        slug: "emails",
        label_key: "area.emails",
        view: Permission::EmailsView,
        edit: Permission::EmailsSend,
        actions: &[],
    },
];

/// Pages of actions: reachable from their action and by URL, not listed in the sidebar.
pub const PAGES: &[Area] = &[
    Area {
        slug: "merge",
        label_key: "area.merge",
        view: Permission::CustomersMerge,
        edit: Permission::CustomersMerge,
        actions: &[],
    },
    Area {
        slug: "erase",
        label_key: "area.erase",
        view: Permission::CustomersErase,
        edit: Permission::CustomersErase,
        actions: &[],
    },
];

/// The areas this staff member may see, in sidebar order.
pub fn visible(staff: &StaffIdentity) -> impl Iterator<Item = &'static Area> + '_ {
    AREAS.iter().filter(|a| staff.can(a.view))
}

/// The area behind a URL slug, if this staff member may see it.
pub fn find(slug: &str, staff: &StaffIdentity) -> Option<&'static Area> {
    visible(staff).chain(PAGES.iter().filter(|a| staff.can(a.view))).find(|a| a.slug == slug)
}

/// The panel of an area.
pub fn panel(
    area: &Area,
    detail: CustomerDetail,
    meta: FormMeta,
    on_saved: Callback<CustomerProfile>,
    staff: &StaffIdentity,
) -> AnyView {
    // An erased customer's remaining record cannot change any more.
    let read_only = !staff.can(area.edit) || detail.erased_at.is_some();
    let customer_id = detail.id;
    match area.slug {
        "data" => view! { <data::DataPanel detail meta on_saved read_only /> }.into_any(),
        "contacts" => view! { <contacts::ContactsPanel customer_id read_only /> }.into_any(),
        "merge" => view! { <merge::MergePanel customer_id /> }.into_any(),
        "erase" => {
            let may_hard_delete = staff.can(Permission::CustomersHardDelete);
            view! { <erase::ErasePanel customer_id may_hard_delete /> }.into_any()
        }
        "log" => view! { <log::LogPanel customer_id /> }.into_any(),
        "notes" => view! { <notes::NotesPanel customer_id read_only /> }.into_any(),
        "timeline" => view! { <timeline::TimelinePanel customer_id /> }.into_any(),
        "history" => view! { <history::HistoryPanel customer_id read_only on_saved /> }.into_any(),
        "ips" => view! { <ips::IpsPanel customer_id /> }.into_any(),
        "sessions" => view! { <sessions::SessionsPanel customer_id read_only /> }.into_any(),
        "emails" => view! { <emails::EmailsPanel customer_id read_only /> }.into_any(),
        _ => view! { <crate::app::NotFound /> }.into_any(),
    }
}

/// One action of the selected area, as shown under the sidebar.
pub fn action(id: &str, detail: &CustomerDetail) -> AnyView {
    match id {
        data::actions::IMPERSONATE => {
            view! { <data::actions::Impersonate customer_id=detail.id /> }.into_any()
        }
        data::actions::SEND_PASSWORD => {
            view! { <data::actions::SendPassword customer_id=detail.id /> }.into_any()
        }
        data::actions::VCARD => view! {
            <li><a href=format!("/documents/customers/{}/vcard", detail.id) download>{crate::i18n::t("action.vcard")}</a></li>
        }
        .into_any(),
        data::actions::MERGE => view! {
            <li><a href=format!("/customers/{}/merge", detail.id)>{crate::i18n::t("area.merge")}</a></li>
        }
        .into_any(),
        data::actions::ERASE => view! {
            <li><a href=format!("/customers/{}/erase", detail.id)>{crate::i18n::t("area.erase")}</a></li>
        }
        .into_any(),
        data::actions::DATA_REPORT => view! {
            <li class="data-report">
                {crate::i18n::t("action.data_report")} ": "
                <a href=format!("/documents/customers/{}/report.pdf", detail.id) download>"PDF"</a> " · "
                <a href=format!("/documents/customers/{}/report.json", detail.id) download>"JSON"</a> " · "
                <a href=format!("/documents/customers/{}/report.zip", detail.id) download>"ZIP"</a>
                <crate::ui::progress::RunProgress run="report" />
            </li>
        }
        .into_any(),
        data::actions::REGENERATE_API_KEY => {
            view! { <data::actions::RegenerateApiKey customer_id=detail.id /> }.into_any()
        }
        _ => ().into_any(),
    }
}
