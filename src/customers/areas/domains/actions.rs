//! The Domains area's switches under the sidebar: "Kontakt-Verwaltung aktivieren" (own Tech-C and
//! Zone-C handles in the self-service area), "API aktivieren" (domains through the customer API)
//! and "Authcode-Abfrage deaktivieren" (the self-service area shows no auth code, e.g. while
//! invoices are open).
use super::api::set_domain_flag;
use super::model::DomainFlag;
use crate::auth::Permission;
use crate::customers::areas::def::AreaAction;
use crate::customers::areas::switch::{Flag, Switch};
use crate::customers::model::{CustomerDetail, CustomerForm};
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

pub const ACTIONS: &[AreaAction] = &[
    AreaAction { id: "domain_contacts", permission: Permission::DomainsEdit, view: contacts },
    AreaAction { id: "domain_api", permission: Permission::DomainsEdit, view: api },
    AreaAction { id: "authcode_lock", permission: Permission::DomainsEdit, view: authcode },
];

fn contacts(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=DomainFlag::Contacts /> }.into_any()
}

fn api(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=DomainFlag::Api /> }.into_any()
}

fn authcode(c: &CustomerDetail) -> AnyView {
    view! { <Switch detail=c.clone() which=DomainFlag::AuthcodeLocked /> }.into_any()
}

impl Flag for DomainFlag {
    fn is_on(self, form: &CustomerForm) -> bool {
        match self {
            DomainFlag::Contacts => form.domain_contacts_enabled,
            DomainFlag::Api => form.domain_api_enabled,
            DomainFlag::AuthcodeLocked => form.authcode_locked,
        }
    }

    fn key(self, on: bool) -> &'static str {
        match (self, on) {
            (DomainFlag::Contacts, true) => "action.domain_contacts_off",
            (DomainFlag::Contacts, false) => "action.domain_contacts_on",
            (DomainFlag::Api, true) => "action.domain_api_off",
            (DomainFlag::Api, false) => "action.domain_api_on",
            (DomainFlag::AuthcodeLocked, true) => "action.authcode_unlock",
            (DomainFlag::AuthcodeLocked, false) => "action.authcode_lock",
        }
    }

    fn set(
        self,
        customer_id: i32,
        version: i64,
        on: bool,
    ) -> impl Future<Output = Result<(), AppError>> + Send + 'static {
        set_domain_flag(customer_id, version, self, on)
    }
}
