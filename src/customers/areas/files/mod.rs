//! Dateien: files kept for the customer. Upload several at once (a plain form, so it works
//! without JavaScript), each with "customer may download" and an optional expiry that staff
//! change at any time; download; delete. Released files appear in the self-service area.
pub mod api;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::*;

#[component]
pub fn FilesPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let uploaded = Memo::new(move |_| query.with(|q| q.get("uploaded").and_then(|p| p.parse::<u32>().ok())));
    // What a row's form did without JavaScript (the handler redirects here with it).
    let done = Memo::new(move |_| {
        query.with(|q| match q.get("done").as_deref() {
            Some("saved") => Some("files.done_saved"),
            Some("sent") => Some("files.sent"),
            Some("deleted") => Some("files.done_deleted"),
            _ => None,
        })
    });
    let remove = Action::new(move |file: &i32| delete_customer_file(customer_id, *file));
    let send = Action::new(move |file: &i32| send_customer_file(customer_id, *file));
    let files = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live), remove.version().get()),
        |(id, page, _, _)| customer_files(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => files.refetch(),
    });
    view! {
        <Panel title_key="area.files">
            {move || uploaded.get().map(|n| view! {
                <p class="notice" role="status">{translate_with(locale, "files.uploaded_notice", &[("count", &n.to_string())])}</p>
            })}
            {move || done.get().map(|key| view! { <p class="notice" role="status">{t(key)}</p> })}
            {move || remove.value().get().and_then(|r| r.err()).map(error_view)}
            {move || send.value().get().map(|r| match r {
                Ok(_) => view! { <p class="notice" role="status">{t("files.sent")}</p> }.into_any(),
                Err(e) => crate::customers::areas::data::actions::refusal(e),
            })}
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match files.await {
                        Ok(p) => view! {
                            {(!read_only).then(|| view! { <UploadForm customer_id limits=p.limits today=p.today.clone() /> })}
                            <FileTable page=p customer_id read_only locale remove send on_saved=changed />
                        }.into_any(),
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

/// A plain multipart form: the browser streams the files, the server answers with the panel.
/// The flags come before the files, so the server knows them when the first file arrives.
#[component]
fn UploadForm(customer_id: i32, limits: UploadLimits, today: String) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="compose" open>
            <summary class="button">{t("files.upload")}</summary>
            <form class="editor upload-form" method="post" action=format!("/files/customers/{customer_id}") enctype="multipart/form-data">
                <div class="grid">
                    <div class="field checkbox">
                        <input id="upload-may-download" type="checkbox" name="may_download" />
                        <label for="upload-may-download">{t("files.may_download")}</label>
                    </div>
                    <div class="field">
                        <label for="upload-expires">{t("files.expires_on")}</label>
                        <input id="upload-expires" type="date" name="expires_on" min=today />
                    </div>
                </div>
                <div class="field">
                    <label for="upload-files">{t("files.choose")}</label>
                    <input id="upload-files" type="file" name="file" multiple required aria-describedby="upload-limits" />
                    <p id="upload-limits" class="hint">
                        {translate_with(locale, "files.limits", &[("mb", &limits.max_mb.to_string()), ("files", &limits.max_files.to_string())])}
                    </p>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button primary">{t("files.upload_submit")}</button>
                </div>
            </form>
        </details>
    }
}

#[component]
fn FileTable(
    page: FilePage,
    customer_id: i32,
    read_only: bool,
    locale: Locale,
    remove: Action<i32, Result<(), crate::error::AppError>>,
    send: Action<i32, Result<i32, crate::error::AppError>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("files.empty")}</p> }.into_any();
    }
    let FilePage { rows, page: current, pages, today, .. } = page;
    view! {
        <DataTable class="file-table" heads=&["files.name", "files.size", "files.uploaded", "files.may_download", "files.expires_on", "~files.actions"]>
            {rows.into_iter().map(|f| {
                let id = f.id;
                let expired = !f.expires_on.is_empty() && f.expires_on < today;
                let name = f.name.clone();
                let label = f.name.clone();
                view! {
                    <tr data-file=f.name.clone()>
                        <td>
                            <a href=format!("/files/customers/{customer_id}/{id}") download=name rel="external">{f.name.clone()}</a>
                            <br /><span class="muted">{f.content_type.split(';').next().unwrap_or_default().to_string()}</span>
                        </td>
                        <td>{format::size(f.size, locale)}</td>
                        <td>{format::date_time(&f.uploaded_at, locale)} <br /><span class="muted">{f.uploaded_by.clone()}</span></td>
                        <td>{if f.customer_may_download { t("files.released") } else { t("files.not_released") }}</td>
                        <td>
                            {if f.expires_on.is_empty() { t("files.no_expiry") } else { format::date(&f.expires_on, locale) }}
                            {expired.then(|| view! { " " <span class="badge warning">{t("files.expired")}</span> })}
                        </td>
                        <td>
                            {(!read_only).then(|| {
                                let action = format!("/files/customers/{customer_id}/{id}/change");
                                view! {
                                <details class="row-actions">
                                    <summary class="link">{t("files.change")}<span class="visually-hidden">" " {label.clone()}</span></summary>
                                    <FlagsForm customer_id file=f.clone() today=today.clone() page=current on_saved />
                                    // Plain forms: without JavaScript the browser posts them to the
                                    // change route; with it they run as actions in place.
                                    <form method="post" action=action.clone() class="inline-form"
                                        on:submit=move |ev| { ev.prevent_default(); send.dispatch(id); }>
                                        <input type="hidden" name="do" value="send" />
                                        <input type="hidden" name="page" value=current />
                                        <button type="submit" class="button">
                                            {t("files.send")}<span class="visually-hidden">" " {label.clone()}</span>
                                        </button>
                                    </form>
                                    // Deleting takes a second click: the first one opens the question.
                                    <details class="confirm-delete">
                                        <summary class="button danger">
                                            {t("files.delete")}<span class="visually-hidden">" " {label.clone()}</span>
                                        </summary>
                                        <form method="post" action=action class="inline-form"
                                            on:submit=move |ev| { ev.prevent_default(); remove.dispatch(id); }>
                                            <input type="hidden" name="do" value="delete" />
                                            <input type="hidden" name="page" value=current />
                                            <button type="submit" class="button danger">
                                                {t("files.delete_confirm")}<span class="visually-hidden">" " {label.clone()}</span>
                                            </button>
                                        </form>
                                    </details>
                                </details>
                            }})}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/files?page={p}") />
    }
    .into_any()
}

#[component]
fn FlagsForm(
    customer_id: i32,
    file: FileRow,
    today: String,
    page: u32,
    on_saved: Callback<()>,
) -> impl IntoView {
    let id = file.id;
    let draft = RwSignal::new(FileFlags {
        customer_may_download: file.customer_may_download,
        expires_on: file.expires_on.clone(),
        version: file.version,
    });
    let save = Action::new(move |f: &FileFlags| save_file_flags(customer_id, id, f.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "files.conflict", None, on_saved);
    view! {
        <form class="editor flags-form" method="post" action=format!("/files/customers/{customer_id}/{id}/change") novalidate
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <input type="hidden" name="do" value="flags" />
            <input type="hidden" name="version" value=file.version />
            <input type="hidden" name="page" value=page />
            <div class="field checkbox">
                <input id=format!("file-{id}-may") type="checkbox" name="may_download" checked=file.customer_may_download
                    prop:checked=move || draft.with(|d| d.customer_may_download)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.customer_may_download = v); } />
                <label for=format!("file-{id}-may")>{t("files.may_download")}</label>
            </div>
            <div class="field">
                <label for=format!("file-{id}-expires")>{t("files.expires_on")}</label>
                <input id=format!("file-{id}-expires") type="date" name="expires_on" min=today value=file.expires_on.clone() prop:value=move || draft.with(|d| d.expires_on.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.expires_on = v); } />
                <FieldMessage errors field="expires_on" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "files",
    label_key: "area.files",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::FilesView,
    edit: Permission::FilesEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["files"],
    entities: &[EntityLabels {
        entity: "file",
        change: |locale, field, subject| {
            let whose = translate_with(locale, "history.file", &[("name", subject.unwrap_or(""))]);
            format!("{whose} · {}", crate::i18n::translate(locale, &format!("files.{field}")))
        },
        value: |locale, field, value| match (field, value) {
            ("customer_may_download", "true") => Some(crate::i18n::translate(locale, "files.released")),
            ("customer_may_download", _) => Some(crate::i18n::translate(locale, "files.not_released")),
            ("expires_on", "") => Some(crate::i18n::translate(locale, "files.no_expiry")),
            ("expires_on", day) => Some(format::date(day, locale)),
            _ => None,
        },
    }],
    timeline: None,
    #[cfg(feature = "ssr")]
    server: server::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <FilesPanel customer_id read_only /> }.into_any()
}
