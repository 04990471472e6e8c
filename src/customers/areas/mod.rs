//! The registry of profile areas. An area appears in the sidebar once it is built; its slug
//! is its URL segment (`/customers/{id}/{slug}`); its actions are listed under the sidebar
//! while it is selected.
pub mod data;

use super::model::{CustomerDetail, CustomerProfile, FormMeta};
use leptos::prelude::*;

/// One profile area: its URL slug, the translation key of its name, and its actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    pub slug: &'static str,
    pub label_key: &'static str,
    pub actions: &'static [&'static str],
}

pub const AREAS: &[Area] =
    &[Area { slug: "data", label_key: "area.data", actions: &[data::actions::REGENERATE_API_KEY] }];

pub fn find(slug: &str) -> Option<&'static Area> {
    AREAS.iter().find(|a| a.slug == slug)
}

/// The panel of an area.
pub fn panel(
    slug: &str,
    detail: CustomerDetail,
    meta: FormMeta,
    on_saved: Callback<CustomerProfile>,
) -> AnyView {
    match slug {
        "data" => view! { <data::DataPanel detail meta on_saved /> }.into_any(),
        _ => view! { <crate::app::NotFound /> }.into_any(),
    }
}

/// One action of the selected area, as shown under the sidebar.
pub fn action(id: &str, detail: &CustomerDetail) -> AnyView {
    match id {
        data::actions::REGENERATE_API_KEY => {
            view! { <data::actions::RegenerateApiKey customer_id=detail.id /> }.into_any()
        }
        _ => ().into_any(),
    }
}
