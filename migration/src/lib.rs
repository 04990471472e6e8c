//! Schema migrations. One file per change; a landed migration is never edited.
pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000002_search_walk_index;
mod m20261127_000003_own_nameservers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_search_walk_index::Migration),
            Box::new(m20261127_000003_own_nameservers::Migration),
        ]
    }
}
