//! The customer's SEPA mandate on file, on the self-service invoices page: its reference, the
//! day signed and the account, masked (the full IBAN is for staff).
use crate::codec::Json;
use crate::error::AppError;
use crate::i18n::{t, use_locale};
use crate::ui::format;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateOnFile {
    pub reference: String,
    pub signed_on: String,
    /// Masked: country, check digits and the last four.
    pub iban: String,
}

#[server(endpoint = "portal_mandate", input = Json, output = Json)]
pub async fn portal_mandate() -> Result<Option<MandateOnFile>, AppError> {
    let me = super::require_right(crate::customers::areas::contacts::model::PortalRight::Invoices)?;
    let db = &crate::web::state::app_state()?.db;
    let mandates = crate::billing::sepa::mandates::list(db, me.customer_id).await?;
    Ok(mandates.into_iter().find(|m| m.state == "active").map(|m| MandateOnFile {
        reference: m.reference,
        signed_on: m.signed_on,
        iban: crate::billing::sepa::model::masked(&m.iban),
    }))
}

#[component]
pub fn PortalMandatePanel() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| portal_mandate());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().flatten().map(|m| view! {
                    <section class="panel" aria-labelledby="mandate-title">
                        <h2 id="mandate-title">{t("sepa.mandate")}</h2>
                        <dl class="facts" data-mandate=m.reference.clone()>
                            <dt>{t("sepa.reference")}</dt><dd>{m.reference.clone()}</dd>
                            <dt>{t("sepa.signed_on")}</dt><dd>{format::date(&m.signed_on, locale)}</dd>
                            <dt>{t("sepa.iban")}</dt><dd>{m.iban.clone()}</dd>
                        </dl>
                        <p class="muted">{t("portal.mandate_hint")}</p>
                    </section>
                })
            })}
        </Transition>
    }
}
