//! The Produkte area's actions under the sidebar: lock or release licence transfers, switch the
//! update service on or off. Each asks first; its label follows the customer's current state
//! (after this action, a colleague's change or a save in Daten).
use super::api::{set_licence_transfers_locked, set_update_service};
use crate::auth::Permission;
use crate::customers::areas::data::actions::refusal;
use crate::customers::areas::def::{AreaAction, ShownProfile};
use crate::customers::model::{CustomerDetail, CustomerForm};
use crate::i18n::t;
use crate::ui::confirm::ConfirmAction;
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

impl Which {
    fn is_on(self, form: &CustomerForm) -> bool {
        match self {
            Which::Transfers => form.licence_transfer_locked,
            Which::Updates => form.update_service,
        }
    }

    /// The action that switches from `on`.
    fn key(self, on: bool) -> &'static str {
        match (self, on) {
            (Which::Transfers, true) => "action.transfers_release",
            (Which::Transfers, false) => "action.transfers_lock",
            (Which::Updates, true) => "action.updates_off",
            (Which::Updates, false) => "action.updates_on",
        }
    }
}

#[component]
fn Switch(detail: CustomerDetail, which: Which) -> impl IntoView {
    let customer_id = detail.id;
    let first = (detail.version, which.is_on(&detail.form));
    let shown = use_context::<ShownProfile>();
    // (version, on) as the header shows them now.
    let state =
        move || shown.map(|s| s.0.with(|p| (p.detail.version, which.is_on(&p.detail.form)))).unwrap_or(first);
    let on = Memo::new(move |_| state().1);
    let act = Action::new(move |_: &()| {
        let (version, on) = state();
        async move {
            match which {
                Which::Transfers => set_licence_transfers_locked(customer_id, version, !on).await,
                Which::Updates => set_update_service(customer_id, version, !on).await,
            }
        }
    });
    let result = move || {
        act.value().get().map(|r| match r {
            Ok(()) => view! { <p class="action-result" role="status">{t("editor.saved")}</p> }.into_any(),
            Err(e) => refusal(e),
        })
    };
    move || {
        view! {
            <ConfirmAction key=which.key(on.get()) on_confirm=Callback::new(move |_| { act.dispatch(()); })>
                {result}
            </ConfirmAction>
        }
    }
}
