//! Schema migrations. One file per change; a landed migration is never edited.
pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000002_search_walk_index;
mod m20261127_000003_own_nameservers;
mod m20261127_000004_roles;
mod m20261127_000005_login_attempts;
mod m20261127_000006_two_factor;
mod m20261127_000007_portal_and_mail;
mod m20261127_000008_portal_two_factor;
mod m20261127_000009_changes;
mod m20261127_000010_notes;
mod m20261127_000011_contacts;
mod m20261127_000012_customer_aliases;
mod m20261127_000013_erasure;
mod m20261204_000014_mail_secrets;
mod m20261204_000015_session_parent_mail_lease;
mod m20261204_000016_audit_log;
mod m20261211_000017_catalogue_licences;
mod m20261211_000018_licence_transfers;
mod m20261211_000019_licence_bindings;
mod m20261211_000020_projects;
mod m20261218_000021_hosting_provisioning;
mod m20261225_000022_customer_files;
mod m20270101_000023_tlds;
mod m20270108_000024_domains;
mod m20270115_000025_customer_domain_prices;
mod m20270122_000026_domain_jobs;
mod m20270129_000027_nameserver_glue;
mod m20270205_000028_domain_search;
mod m20270212_000029_billing;
mod m20270219_000030_einvoices;
mod m20270226_000031_quotes;
mod m20270305_000032_dunning;
mod m20270312_000033_bank_import;
mod m20270319_000034_sepa;
mod m20270326_000035_sepa_again;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_search_walk_index::Migration),
            Box::new(m20261127_000003_own_nameservers::Migration),
            Box::new(m20261127_000004_roles::Migration),
            Box::new(m20261127_000005_login_attempts::Migration),
            Box::new(m20261127_000006_two_factor::Migration),
            Box::new(m20261127_000007_portal_and_mail::Migration),
            Box::new(m20261127_000008_portal_two_factor::Migration),
            Box::new(m20261127_000009_changes::Migration),
            Box::new(m20261127_000010_notes::Migration),
            Box::new(m20261127_000011_contacts::Migration),
            Box::new(m20261127_000012_customer_aliases::Migration),
            Box::new(m20261127_000013_erasure::Migration),
            Box::new(m20261204_000014_mail_secrets::Migration),
            Box::new(m20261204_000015_session_parent_mail_lease::Migration),
            Box::new(m20261204_000016_audit_log::Migration),
            Box::new(m20261211_000017_catalogue_licences::Migration),
            Box::new(m20261211_000018_licence_transfers::Migration),
            Box::new(m20261211_000019_licence_bindings::Migration),
            Box::new(m20261211_000020_projects::Migration),
            Box::new(m20261218_000021_hosting_provisioning::Migration),
            Box::new(m20261225_000022_customer_files::Migration),
            Box::new(m20270101_000023_tlds::Migration),
            Box::new(m20270108_000024_domains::Migration),
            Box::new(m20270115_000025_customer_domain_prices::Migration),
            Box::new(m20270122_000026_domain_jobs::Migration),
            Box::new(m20270129_000027_nameserver_glue::Migration),
            Box::new(m20270205_000028_domain_search::Migration),
            Box::new(m20270212_000029_billing::Migration),
            Box::new(m20270219_000030_einvoices::Migration),
            Box::new(m20270226_000031_quotes::Migration),
            Box::new(m20270305_000032_dunning::Migration),
            Box::new(m20270312_000033_bank_import::Migration),
            Box::new(m20270319_000034_sepa::Migration),
            Box::new(m20270326_000035_sepa_again::Migration),
        ]
    }
}
