//! Verlauf: every change of the customer's master data, settings, locks and custom fields,
//! field by field (old → new), when and by whom; filter by who; undo a change (which appends a
//! reversing change and refuses when the field changed again since).
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement, TimelineKind};
use crate::auth::Permission;
use crate::customers::areas::registry;
use crate::customers::model::CustomerProfile;
use crate::error::AppError;
use crate::i18n::{Locale, has_key, t, translate, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::format;
use crate::ui::panel::{ListView, Panel};
use api::{customer_history, undo_change};
use leptos::prelude::*;
use model::{ChangeRow, WHO};

/// A customer field's label: its translation, or the key of a custom field.
pub fn field_label(field: &str) -> String {
    match field.strip_prefix("custom.") {
        Some(key) => key.to_string(),
        None => t(&format!("field.{field}")),
    }
}

/// What changed, as the Verlauf names it: the field, and whose, as the area owning `entity`
/// reads it (`subject` is the record's name where the entity has several per customer).
pub fn change_label(locale: Locale, entity: &str, field: &str, subject: Option<&str>) -> String {
    match registry::entity_labels(entity) {
        Some(labels) => (labels.change)(locale, field, subject),
        None => format!("{entity} · {field}"),
    }
}

/// A label key's text, or the value as stored where there is none.
pub fn label_or_value(locale: Locale, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}.{value}");
    if has_key(locale, &key) { translate(locale, &key) } else { value.to_string() }
}

/// A stored value as people read it: switches as yes/no, empty as a dash, an entity's own
/// readings (a contact's lists of kinds and rights), choices by their labels; anything else as
/// stored.
fn value_text(locale: Locale, entity: &str, field: &str, value: &str) -> String {
    match value {
        "" => "–".into(),
        "true" => translate(locale, "history.yes"),
        "false" => translate(locale, "history.no"),
        v => registry::entity_labels(entity)
            .and_then(|labels| (labels.value)(locale, field, v))
            .unwrap_or_else(|| label_or_value(locale, &format!("choice.{field}"), v)),
    }
}

#[component]
pub fn HistoryPanel(customer_id: i32, read_only: bool, on_saved: Callback<CustomerProfile>) -> impl IntoView {
    let who = RwSignal::new(String::new());
    let changes = Resource::new(
        move || (customer_id, who.get(), Live::tick_of(AREA.live)),
        |(id, who, _)| customer_history(id, who),
    );
    let notice = RwSignal::new(None::<(&'static str, String)>);
    let undo = Action::new(move |change: &i32| undo_change(customer_id, *change));
    let live = use_context::<Live>();
    Effect::new(move |_| match undo.value().get() {
        Some(Ok(profile)) => {
            notice.set(Some(("ok", t("history.undone"))));
            on_saved.run(profile);
            if !Live::streaming(live) {
                changes.refetch();
            }
        }
        Some(Err(AppError::Validation(errs))) => {
            let key = errs.first().map(|e| e.key.clone()).unwrap_or_default();
            notice.set(Some(("error", t(&key))));
        }
        Some(Err(e)) => notice.set(Some(("error", t(e.message_key())))),
        None => {}
    });
    view! {
        <Panel title_key="area.history">
            <div class="field inline">
                <label for="history-who">{t("history.who")}</label>
                <select id="history-who" on:change=move |ev| who.set(event_target_value(&ev))>
                    {WHO.iter().map(|w| view! {
                        <option value=*w selected=move || who.get() == *w>{t(&format!("history.who.{}", if w.is_empty() { "all" } else { w }))}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="editor-notice" role="status">
                {move || notice.get().map(|(kind, text)| view! { <span class=format!("notice-{kind}")>{text}</span> })}
            </p>
            <ListView resource=changes empty_key="history.empty" rows=move |rows| view! { <ChangeTable rows read_only undo /> }.into_any() />
        </Panel>
    }
}

#[component]
fn ChangeTable(
    rows: Vec<ChangeRow>,
    read_only: bool,
    undo: Action<i32, Result<CustomerProfile, AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-wrap">
            <table class="data-table history-table">
                <thead>
                    <tr>
                        <th scope="col">{t("log.at")}</th>
                        <th scope="col">{t("history.field")}</th>
                        <th scope="col">{t("history.change")}</th>
                        <th scope="col">{t("log.by")}</th>
                        <th scope="col"><span class="visually-hidden">{t("settings.fields.actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|c| {
                        let id = c.id;
                        let by = match (&c.on_behalf_of, c.actor_kind.as_str()) {
                            (Some(staff), _) => translate_with(locale, "log.by_impersonation", &[("staff", staff)]),
                            (None, "system") => t("log.by_system"),
                            _ => c.actor_name.clone(),
                        };
                        let label = change_label(locale, &c.entity, &c.field, c.subject.as_deref());
                        view! {
                            <tr data-change=c.id data-field=c.field.clone()>
                                <td>{format::date_time(&c.at, locale)}</td>
                                <td>{label.clone()}</td>
                                <td>
                                    <span class="old-value">{value_text(locale, &c.entity, &c.field, &c.old_value)}</span>
                                    " → "
                                    <span class="new-value">{value_text(locale, &c.entity, &c.field, &c.new_value)}</span>
                                    {c.reverts.map(|r| view! { <div class="muted">{translate_with(locale, "history.reverts", &[("id", &r.to_string())])}</div> })}
                                    {c.reverted_by.map(|r| view! { <div class="muted">{translate_with(locale, "history.reverted_by", &[("id", &r.to_string())])}</div> })}
                                </td>
                                <td>{by}</td>
                                <td>
                                    // A merge is recorded, not undone field by field.
                                    {(!read_only && c.reverted_by.is_none() && c.field != "merged").then(|| view! {
                                        <button type="button" class="link" on:click=move |_| { undo.dispatch(id); }>
                                            {t("history.undo")} <span class="visually-hidden">" " {label}</span>
                                        </button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "history",
    label_key: "area.history",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::HistoryView,
    edit: Permission::HistoryUndo,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["data", "contacts", "history"],
    entities: &[],
    timeline: Some(TimelineKind {
        kind: "change",
        // Changes enter the timeline as "entity.field".
        title: |item| {
            let (entity, field) = item.title.split_once('.').unwrap_or(("customer", &item.title));
            change_label(use_locale(), entity, field, None)
        },
        detail: |item| item.detail.clone(),
    }),
    #[cfg(feature = "ssr")]
    server: service::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let PanelCtx { read_only, on_saved, .. } = ctx;
    view! { <HistoryPanel customer_id read_only on_saved /> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::value_text;
    use crate::i18n::{Locale, translate};

    #[test]
    fn an_entity_no_area_claims_reads_as_stored() {
        assert_eq!(super::change_label(Locale::De, "product", "status", None), "product · status");
        assert_eq!(value_text(Locale::De, "product", "licence_key", "AB-CD"), "AB-CD");
    }

    #[test]
    fn values_read_as_their_labels() {
        let de = Locale::De;
        assert_eq!(value_text(de, "contact", "cc", "invoices,dunning"), "Rechnungen, Mahnungen");
        assert_eq!(value_text(de, "contact", "rights", "data"), "Stammdaten");
        assert_eq!(value_text(de, "customer", "status", "inactive"), translate(de, "choice.status.inactive"));
        assert_eq!(value_text(de, "contact", "salutation", "ms"), "Frau");
        assert_eq!(value_text(de, "customer", "city", "Köln"), "Köln");
        assert_eq!(
            value_text(Locale::En, "customer", "newsletter", "true"),
            translate(Locale::En, "history.yes")
        );
        assert_eq!(value_text(de, "customer", "city", ""), "–");
    }
}
