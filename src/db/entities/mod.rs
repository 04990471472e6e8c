//! sea-orm entities, one file per table.
pub mod custom_field_def;
pub mod custom_field_value;
pub mod customer;
pub mod customer_group;
pub mod session;
pub mod staff;
