//! The integration tests, one binary: services and HTTP against real SQLite and PostgreSQL.
//! Each database test runs twice, as `<test>::sqlite` and `<test>::postgres` (see `db_test!`).
#[macro_use]
mod common;

mod areas;
mod authorization;
mod bad_input;
mod billing_run;
mod billing_settings;
mod contacts;
mod custom_fields;
mod customer_service;
mod domain_customer;
mod domain_registrar;
mod domains;
mod einvoice;
mod epp_wire;
mod erasure;
mod files;
mod first_start;
mod hardening;
mod history;
mod impersonation;
mod invoice_pdf;
mod invoices;
mod live;
mod mail;
mod mariadb;
mod merge;
mod money_triggers;
mod notes;
mod portal;
mod powerdns;
mod products;
mod projects;
mod provisioning;
mod records;
mod registrar_settings;
mod report_pdf;
mod reseller;
mod security;
mod server_http;
mod staff;
mod timeline;
mod translations;
mod two_factor;
mod write_path;
