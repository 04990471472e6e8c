//! The one ordered list of profile areas. A new area adds its `AREA` here (and its `pub mod`
//! beside the others); the sidebar, the panels, the actions, the Verlauf, the timeline, the
//! warnings, the figures and the records registry all follow from this list.
use super::def::{AreaDef, EntityLabels, Placement, TimelineKind};
use super::*;
use crate::auth::StaffIdentity;

pub const AREAS: &[AreaDef] = &[
    data::AREA,
    contacts::AREA,
    products::AREA,
    domains::AREA,
    billing::AREA,
    invoices::AREA,
    quotes::AREA,
    transactions::AREA,
    projects::AREA,
    files::AREA,
    reseller::AREA,
    timeline::AREA,
    history::AREA,
    notes::AREA,
    log::AREA,
    ips::AREA,
    sessions::AREA,
    emails::AREA,
    merge::AREA,
    erase::AREA,
];

/// The sidebar's areas this staff member may see, in order.
pub fn visible(staff: &StaffIdentity) -> impl Iterator<Item = &'static AreaDef> + '_ {
    AREAS.iter().filter(|a| a.placement == Placement::Sidebar && a.visible_to(staff))
}

/// Load the chunk of the area a profile URL (`/customers/{id}/{slug}`) opens; other paths load
/// nothing.
#[cfg(feature = "hydrate")]
pub async fn preload_for_path(path: &str) {
    let mut parts = path.trim_matches('/').split('/');
    if let (Some("customers"), Some(_), Some(slug)) = (parts.next(), parts.next(), parts.next())
        && let Some(area) = AREAS.iter().find(|a| a.slug == slug)
    {
        (area.preload)().await;
    }
}

/// The area (or action page) behind a URL slug, if this staff member may see it.
pub fn find(slug: &str, staff: &StaffIdentity) -> Option<&'static AreaDef> {
    AREAS.iter().find(|a| a.slug == slug && a.visible_to(staff))
}

/// How the Verlauf reads changes of `entity`; `None` for an entity no area claims.
pub fn entity_labels(entity: &str) -> Option<&'static EntityLabels> {
    AREAS.iter().flat_map(|a| a.entities.iter()).find(|e| e.entity == entity)
}

/// The Zeitleiste's kinds, each with the area that holds it.
pub fn timeline_kinds() -> impl Iterator<Item = (&'static AreaDef, &'static TimelineKind)> {
    AREAS.iter().filter_map(|a| a.timeline.as_ref().map(|k| (a, k)))
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::AREAS;
    use crate::customers::areas::def::AreaDef;
    use crate::customers::areas::server::HistoryEntity;
    use crate::records::registry::CustomerRecords;

    /// Every area's records, in area order (the records registry, merge and erasure walk it).
    pub fn records() -> impl Iterator<Item = &'static dyn CustomerRecords> {
        AREAS.iter().flat_map(|a| a.server.records.iter().copied())
    }

    /// `records()` collected: each area definition lists its own (the schema test fails while a
    /// table with a customer column is claimed by none).
    pub fn all_records() -> Vec<&'static dyn CustomerRecords> {
        records().collect()
    }

    /// Every Verlauf entity with the area that owns it, in area order.
    fn owned_entities() -> impl Iterator<Item = (&'static AreaDef, &'static dyn HistoryEntity)> {
        AREAS.iter().flat_map(|a| a.server.entities.iter().map(move |e| (a, *e)))
    }

    /// The area that owns Verlauf entity `entity`, with its undo; `None` when no area claims it.
    pub fn history_entity(entity: &str) -> Option<(&'static AreaDef, &'static dyn HistoryEntity)> {
        owned_entities().find(|(_, e)| e.entity() == entity)
    }

    /// Every Verlauf entity, in area order.
    pub fn history_entities() -> impl Iterator<Item = &'static dyn HistoryEntity> {
        owned_entities().map(|(_, e)| e)
    }
}

#[cfg(test)]
mod tests {
    use super::AREAS;
    use std::collections::BTreeSet;

    /// An area folder that is not in `AREAS` would compile and never show: every folder here is
    /// an area and must be listed.
    #[test]
    fn every_area_folder_is_in_the_list() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/customers/areas");
        let listed = include_str!("registry.rs");
        let mut folders = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                assert!(
                    listed.contains(&format!("    {name}::AREA,\n")),
                    "area folder {name} is not in AREAS"
                );
                folders += 1;
            }
        }
        assert_eq!(folders, AREAS.len(), "one folder per area");
    }

    #[test]
    fn slugs_and_action_ids_are_unique() {
        let slugs: BTreeSet<_> = AREAS.iter().map(|a| a.slug).collect();
        assert_eq!(slugs.len(), AREAS.len(), "two areas share a slug");
        let actions: Vec<_> = AREAS.iter().flat_map(|a| a.actions.iter().map(|x| x.id)).collect();
        assert_eq!(actions.iter().collect::<BTreeSet<_>>().len(), actions.len(), "two actions share an id");
        for a in AREAS {
            for listened in a.live {
                assert!(
                    *listened == crate::live::client::EVERYTHING || slugs.contains(listened),
                    "{} listens to an unknown area {listened}",
                    a.slug
                );
            }
        }
        let kinds: Vec<_> = AREAS.iter().filter_map(|a| a.timeline.map(|k| k.kind)).collect();
        assert_eq!(kinds.iter().collect::<BTreeSet<_>>().len(), kinds.len(), "two timeline kinds alike");
    }

    /// The browser's half and the server's half of each area describe the same things.
    #[cfg(feature = "ssr")]
    #[test]
    fn each_area_has_both_halves_of_what_it_declares() {
        for a in AREAS {
            assert_eq!(
                a.timeline.is_some(),
                a.server.timeline.is_some(),
                "{}: a timeline kind needs its source on the server, and the other way round",
                a.slug
            );
            let shown: BTreeSet<_> = a.entities.iter().map(|e| e.entity).collect();
            let undone: BTreeSet<_> = a.server.entities.iter().map(|e| e.entity()).collect();
            assert_eq!(shown, undone, "{}: every Verlauf entity needs its labels and its undo", a.slug);
        }
        let entities: Vec<_> = super::history_entities().map(|e| e.entity()).collect();
        assert_eq!(
            entities.iter().collect::<BTreeSet<_>>().len(),
            entities.len(),
            "two areas own one entity"
        );
    }
}
