//! "Kunden zusammenführen": likely duplicates, a preview of what moves and which fields differ
//! (staff choose per field), then one transaction moves everything into this customer.
pub mod api;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement};
use crate::auth::Permission;
use crate::customers::areas::data::actions::refusal;
use crate::customers::areas::history::field_label;
use crate::error::AppError;
use crate::i18n::{t, translate_with, use_locale};
use crate::records::model::{MergeChoice, MergePreview};
use crate::ui::errors::error_view;
use api::{merge_candidates, merge_customers, preview_merge};
use leptos::prelude::*;

#[component]
pub fn MergePanel(customer_id: i32) -> impl IntoView {
    let candidates = Resource::new(move || customer_id, merge_candidates);
    let number = RwSignal::new(String::new());
    let preview = Action::new(move |n: &String| preview_merge(customer_id, n.clone()));
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h2 id="panel-title">{t("area.merge")}</h2>
            <p class="lead">{t("merge.lead")}</p>
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match candidates.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t("merge.no_candidates")}</p> }.into_any(),
                        Ok(list) => view! {
                            <h3>{t("merge.candidates")}</h3>
                            <ul class="merge-candidates">
                                {list.into_iter().map(|c| {
                                    let n = c.number.clone();
                                    view! {
                                        <li data-candidate=c.number.clone()>
                                            <strong>{c.number.clone()}</strong> " " {c.name.clone()}
                                            <span class="muted">" · " {c.reasons.iter().map(|r| t(&format!("merge.reason.{r}"))).collect::<Vec<_>>().join(", ")}</span>
                                            " "
                                            <button type="button" class="link" on:click=move |_| { number.set(n.clone()); preview.dispatch(n.clone()); }>{t("merge.choose")}</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
            <form class="editor" novalidate on:submit=move |ev| { ev.prevent_default(); preview.dispatch(number.get_untracked()); }>
                <div class="field inline">
                    <label for="merge-number">{t("merge.duplicate_number")}</label>
                    <input id="merge-number" type="text" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
                    <button type="submit" class="button">{t("merge.preview")}</button>
                </div>
            </form>
            {move || preview.value().get().map(|r| match r {
                Ok(p) => view! { <MergeForm customer_id preview=p /> }.into_any(),
                Err(e) => refusal(e),
            })}
        </section>
    }
}

#[component]
fn MergeForm(customer_id: i32, preview: MergePreview) -> impl IntoView {
    let locale = use_locale();
    let take = RwSignal::new(Vec::<String>::new());
    let asking = RwSignal::new(false);
    let choice = MergeChoice {
        keep_id: customer_id,
        keep_version: preview.keep_version,
        duplicate_id: preview.duplicate_id,
        duplicate_version: preview.duplicate_version,
        take_from_duplicate: Vec::new(),
    };
    let merge = Action::new(move |c: &MergeChoice| merge_customers(c.clone()));
    let duplicate = preview.duplicate_number.clone();
    view! {
        <div class="merge-preview">
            <h3>{translate_with(locale, "merge.moves", &[("duplicate", &preview.duplicate_number), ("keep", &preview.keep_number)])}</h3>
            {if preview.moves.is_empty() {
                view! { <p class="muted">{t("merge.nothing_moves")}</p> }.into_any()
            } else {
                view! {
                    <ul class="merge-moves">
                        {preview.moves.iter().map(|(area, table, n)| view! {
                            <li data-table=table.clone()>{t(&format!("area.{area}"))} " · " <code>{table.clone()}</code> ": " {*n}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{t("merge.differing")}</h3>
            {if preview.differing.is_empty() {
                view! { <p class="muted">{t("merge.no_differences")}</p> }.into_any()
            } else {
                view! {
                    <table class="data-table merge-fields">
                        <thead><tr>
                            <th scope="col">{t("history.field")}</th>
                            <th scope="col">{preview.keep_number.clone()}</th>
                            <th scope="col">{preview.duplicate_number.clone()}</th>
                        </tr></thead>
                        <tbody>
                            {preview.differing.iter().map(|d| {
                                let field = d.field.clone();
                                let (f1, f2) = (field.clone(), field.clone());
                                let name = format!("merge-{field}");
                                view! {
                                    <tr data-field=field.clone()>
                                        <td>{field_label(&field)}</td>
                                        <td><label><input type="radio" name=name.clone() checked on:change=move |_| take.update(|t| t.retain(|x| *x != f1)) /> " " {d.keep.clone()}</label></td>
                                        <td><label><input type="radio" name=name on:change=move |_| take.update(|t| if !t.contains(&f2) { t.push(f2.clone()) }) /> " " {d.duplicate.clone()}</label></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <button type="button" class="button primary" on:click=move |_| asking.set(true)>{t("merge.do")}</button>
            <Show when=move || asking.get()>
                <div class="confirm" role="group" aria-label=t("merge.do")>
                    <p>{translate_with(locale, "merge.confirm", &[("duplicate", &duplicate)])}</p>
                    <button type="button" class="button primary" disabled=move || merge.pending().get() on:click={
                        let choice = choice.clone();
                        move |_| {
                            asking.set(false);
                            merge.dispatch(MergeChoice { take_from_duplicate: take.get_untracked(), ..choice.clone() });
                        }
                    }>{t("merge.confirm_do")}</button>
                    <button type="button" class="button quiet" on:click=move |_| asking.set(false)>{t("common.cancel")}</button>
                </div>
            </Show>
            <crate::ui::progress::RunProgress run="merge" running=merge.pending() />
            {move || merge.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice-ok" role="status">{t("merge.done")}</p> }.into_any(),
                Err(AppError::Conflict { .. }) => view! { <p class="field-error" role="alert">{t("merge.conflict")}</p> }.into_any(),
                Err(e) => refusal(e),
            })}
        </div>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "merge",
    label_key: "area.merge",
    placement: Placement::Page,
    shown_for: None,
    view: Permission::CustomersMerge,
    edit: Permission::CustomersMerge,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &[],
    entities: &[],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: crate::customers::areas::server::AreaServer::NONE,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    view! { <MergePanel customer_id /> }.into_any()
}
