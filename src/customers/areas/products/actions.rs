//! The Produkte area's actions under the sidebar: lock or release licence transfers, switch the
//! update service on or off.
use super::api::{set_licence_transfers_locked, set_update_service};
use crate::auth::Permission;
use crate::customers::areas::def::AreaAction;
use crate::customers::areas::switch::{Flag, Switch};
use crate::customers::model::{CustomerDetail, CustomerForm};
use crate::error::AppError;
use leptos::prelude::*;

pub const ACTIONS: &[AreaAction] = &[
    AreaAction { id: "licence_transfers", permission: Permission::ProductsEdit, view: transfers },
    AreaAction { id: "update_service", permission: Permission::ProductsEdit, view: update_service },
];

fn transfers(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=Which::Transfers /> }.into_any()
}

fn update_service(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=Which::Updates /> }.into_any()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Transfers,
    Updates,
}

impl Flag for Which {
    fn is_on(self, form: &CustomerForm) -> bool {
        match self {
            Which::Transfers => form.licence_transfer_locked,
            Which::Updates => form.update_service,
        }
    }

    fn key(self, on: bool) -> &'static str {
        match (self, on) {
            (Which::Transfers, true) => "action.transfers_release",
            (Which::Transfers, false) => "action.transfers_lock",
            (Which::Updates, true) => "action.updates_off",
            (Which::Updates, false) => "action.updates_on",
        }
    }

    async fn set(self, customer_id: i32, version: i64, on: bool) -> Result<(), AppError> {
        match self {
            Which::Transfers => set_licence_transfers_locked(customer_id, version, on).await,
            Which::Updates => set_update_service(customer_id, version, on).await,
        }
    }
}
