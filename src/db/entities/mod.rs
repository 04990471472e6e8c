//! sea-orm entities, one file per table.
pub mod change;
pub mod custom_field_def;
pub mod custom_field_value;
pub mod customer;
pub mod customer_group;
pub mod customer_ip;
pub mod event;
pub mod login_attempt;
pub mod mail_outbox;
pub mod password_reset;
pub mod portal_login;
pub mod role;
pub mod role_permission;
pub mod session;
pub mod setting;
pub mod staff;
