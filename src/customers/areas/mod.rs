//! The registry of profile areas. An area appears in the sidebar once it is built; its slug
//! is its URL segment (`/customers/{id}/{slug}`).
pub mod data;

/// One profile area: its URL slug, the translation key of its name, and its actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    pub slug: &'static str,
    pub label_key: &'static str,
}

pub const AREAS: &[Area] = &[Area { slug: "data", label_key: "area.data" }];

pub fn find(slug: &str) -> Option<&'static Area> {
    AREAS.iter().find(|a| a.slug == slug)
}

/// The panel of an area.
pub fn panel(
    slug: &str,
    detail: super::model::CustomerDetail,
    meta: super::model::FormMeta,
    on_saved: leptos::prelude::Callback<super::model::CustomerProfile>,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    match slug {
        "data" => view! { <data::DataPanel detail meta on_saved /> }.into_any(),
        _ => view! { <crate::app::NotFound /> }.into_any(),
    }
}
