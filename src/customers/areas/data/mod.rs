//! Daten: the customer's master data, settings and locks.
pub mod actions;
pub mod editor;
#[cfg(feature = "ssr")]
pub mod server;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::customers::model::{CustomerDetail, CustomerProfile, FormMeta};
use editor::{CustomerEditor, EditorMode};
use leptos::prelude::*;

/// The Daten panel of a profile.
#[component]
pub fn DataPanel(
    detail: CustomerDetail,
    meta: FormMeta,
    on_saved: Callback<CustomerProfile>,
    read_only: bool,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <CustomerEditor mode=EditorMode::Edit(Box::new(detail)) meta on_saved read_only />
        </section>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "data",
    label_key: "area.data",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::CustomersView,
    edit: Permission::CustomersEdit,
    actions: actions::ACTIONS,
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["data"],
    entities: &[EntityLabels {
        entity: "customer",
        change: |_, field, _| super::history::field_label(field),
        value: |_, _, _| None,
    }],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let PanelCtx { detail, meta, on_saved, read_only, .. } = ctx;
    view! { <DataPanel detail meta on_saved read_only /> }.into_any()
}
