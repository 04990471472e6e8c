//! The billing switches as sidebar actions: "Positions-Gruppierung deaktivieren" under
//! Abrechnung, "Mahnungen deaktivieren" under Rechnungen. Each asks first and is in the Verlauf.
use super::api::set_billing_flag;
use super::model::BillingFlag;
use crate::auth::Permission;
use crate::customers::areas::def::AreaAction;
use crate::customers::areas::switch::{Flag, Switch};
use crate::customers::model::{CustomerDetail, CustomerForm};
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

pub const GROUPING: AreaAction =
    AreaAction { id: "grouping", permission: Permission::BillingEdit, view: grouping };
pub const DUNNING: AreaAction =
    AreaAction { id: "dunning", permission: Permission::BillingEdit, view: dunning };

fn grouping(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=BillingFlag::GroupingOff /> }.into_any()
}

fn dunning(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=BillingFlag::DunningOff /> }.into_any()
}

impl Flag for BillingFlag {
    fn is_on(self, form: &CustomerForm) -> bool {
        match self {
            BillingFlag::GroupingOff => form.grouping_off,
            BillingFlag::DunningOff => form.dunning_off,
        }
    }

    fn key(self, on: bool) -> &'static str {
        match (self, on) {
            (BillingFlag::GroupingOff, true) => "action.grouping_on",
            (BillingFlag::GroupingOff, false) => "action.grouping_off",
            (BillingFlag::DunningOff, true) => "action.dunning_on",
            (BillingFlag::DunningOff, false) => "action.dunning_off",
        }
    }

    fn set(
        self,
        customer_id: i32,
        version: i64,
        on: bool,
    ) -> impl Future<Output = Result<(), AppError>> + Send + 'static {
        set_billing_flag(customer_id, version, self, on)
    }
}
