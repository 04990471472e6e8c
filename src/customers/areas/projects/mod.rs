//! Projekte: work done for the customer with staff member, due date, status and fee; open a
//! project for its tasks (done flags, order) and the time spent on it. Overdue projects show in
//! the warnings row.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, EntityLabels, PanelCtx, Placement};
use crate::auth::Permission;
use crate::i18n::{Locale, t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::choice::choice_select;
use crate::ui::errors::error_view;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{DataTable, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::*;

/// "1:30 h" for 90 minutes.
fn hours(minutes: i64) -> String {
    format!("{}:{:02} h", minutes / 60, minutes % 60)
}

#[component]
pub fn ProjectsPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u32)));
    let open = Memo::new(move |_| query.with(|q| q.get("project").and_then(|p| p.parse::<i32>().ok())));
    let projects = Resource::new(
        move || (customer_id, page.get(), Live::tick_of(AREA.live)),
        |(id, page, _)| customer_projects(id, page),
    );
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => projects.refetch(),
    });
    view! {
        <Panel title_key="area.projects">
            <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Ok(p) => {
                            let staff = p.staff.clone();
                            let today = p.today.clone();
                            view! {
                                {(!read_only).then(|| view! {
                                    <details class="compose">
                                        <summary class="button">{t("projects.new")}</summary>
                                        <ProjectForm customer_id start=ProjectInput::default() staff=staff.clone() on_saved=changed />
                                    </details>
                                })}
                                {move || open.get().map(|project| view! {
                                    <ProjectView customer_id project read_only staff=staff.clone() today=today.clone() on_saved=changed />
                                })}
                                <ProjectTable page=p customer_id locale />
                            }.into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn ProjectTable(page: ProjectPage, customer_id: i32, locale: Locale) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">{t("projects.empty")}</p> }.into_any();
    }
    let ProjectPage { rows, page: current, pages, .. } = page;
    view! {
        <DataTable class="project-table" heads=&["projects.name", "projects.staff", "projects.due_on", "projects.status", "projects.tasks", "projects.time", "projects.fee"]>
            {rows.into_iter().map(|r| {
                let id = r.input.id.unwrap_or_default();
                view! {
                    <tr data-project=r.input.name.clone()>
                        <td><a href=format!("/customers/{customer_id}/projects?project={id}")>{r.input.name.clone()}</a></td>
                        <td>{r.staff_name.clone().unwrap_or_default()}</td>
                        <td>
                            {if r.input.due_on.is_empty() { String::new() } else { format::date(&r.input.due_on, locale) }}
                            {r.overdue.then(|| view! { " " <span class="badge warning">{t("projects.overdue")}</span> })}
                        </td>
                        <td>{t(&format!("projects.status.{}", r.input.status.as_str()))}</td>
                        <td>{format!("{} / {}", r.tasks_done, r.tasks_total)}</td>
                        <td>{hours(r.minutes)}</td>
                        <td>{if r.input.fee.is_empty() { String::new() } else { format!("{} €", r.input.fee) }}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
        <crate::ui::pager::Pager page=current pages link=move |p| format!("/customers/{customer_id}/projects?page={p}") />
    }
    .into_any()
}

#[component]
fn ProjectView(
    customer_id: i32,
    project: i32,
    read_only: bool,
    staff: Vec<(i32, String)>,
    today: String,
    on_saved: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let toggle =
        Action::new(move |(task, done): &(i32, bool)| set_project_task_done(customer_id, *task, *done));
    let shift = Action::new(move |(task, up): &(i32, bool)| move_project_task(customer_id, *task, *up));
    let remove = Action::new(move |entry: &i32| remove_project_time(customer_id, *entry));
    let detail = Resource::new(
        move || {
            (
                project,
                Live::tick_of(AREA.live),
                toggle.version().get(),
                shift.version().get(),
                remove.version().get(),
            )
        },
        move |_| project_detail(customer_id, project),
    );
    let refresh = Callback::new(move |_: ()| {
        detail.refetch();
        on_saved.run(());
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || {
                let staff = staff.clone();
                let today = today.clone();
                Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let count = d.tasks.len();
                        let minutes: i64 = d.time.iter().map(|e| i64::from(e.minutes)).sum();
                        view! {
                            <section class="project-view" aria-labelledby="project-title">
                                <h3 id="project-title">{d.row.input.name.clone()}</h3>
                                <p class="muted">
                                    {t(&format!("projects.status.{}", d.row.input.status.as_str()))}
                                    {d.row.overdue.then(|| view! { " · " <span class="badge warning">{t("projects.overdue")}</span> })}
                                </p>
                                {(!d.row.input.description.is_empty()).then(|| view! { <p class="note-body">{d.row.input.description.clone()}</p> })}
                                {(!read_only).then(|| view! {
                                    <details class="compose">
                                        <summary class="link">{t("projects.edit")}</summary>
                                        <ProjectForm customer_id start=d.row.input.clone() staff=staff.clone() on_saved=refresh />
                                    </details>
                                })}
                                <h4>{t("projects.tasks")}</h4>
                                {if d.tasks.is_empty() { Some(view! { <p class="empty">{t("projects.no_tasks")}</p> }) } else { None }}
                                <ol class="tasks">
                                    {d.tasks.into_iter().enumerate().map(|(i, task)| {
                                        let id = task.id;
                                        let done = task.done;
                                        view! {
                                            <li data-task=task.title.clone() class:done=done>
                                                <input id=format!("task-{id}") type="checkbox" prop:checked=done disabled=read_only
                                                    on:change=move |ev| { toggle.dispatch((id, event_target_checked(&ev))); } />
                                                <label for=format!("task-{id}")>{task.title.clone()}</label>
                                                {(!read_only).then(|| view! {
                                                    <button type="button" class="link" disabled=i == 0 on:click=move |_| { shift.dispatch((id, true)); }>
                                                        {t("projects.up")}<span class="visually-hidden">" " {task.title.clone()}</span>
                                                    </button>
                                                    <button type="button" class="link" disabled=i + 1 == count on:click=move |_| { shift.dispatch((id, false)); }>
                                                        {t("projects.down")}<span class="visually-hidden">" " {task.title.clone()}</span>
                                                    </button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                                {(!read_only).then(|| view! { <TaskForm customer_id project on_saved=refresh /> })}
                                <h4>{t("projects.time")} " · " {hours(minutes)}</h4>
                                {if d.time.is_empty() {
                                    view! { <p class="empty">{t("projects.no_time")}</p> }.into_any()
                                } else {
                                    view! {
                                        <DataTable class="time-table" heads=&["projects.worked_on", "projects.by", "projects.minutes", "projects.note", "~projects.actions"]>
                                            {d.time.into_iter().map(|e| {
                                                let id = e.id;
                                                view! {
                                                    <tr>
                                                        <td>{format::date(&e.worked_on, locale)}</td>
                                                        <td>{e.staff_name.clone()}</td>
                                                        <td>{hours(i64::from(e.minutes))}</td>
                                                        <td>{e.note.clone()}</td>
                                                        <td>
                                                            {(!read_only && !e.billed).then(|| view! {
                                                                <button type="button" class="link" on:click=move |_| { remove.dispatch(id); }>{t("projects.remove_time")}</button>
                                                            })}
                                                            {e.billed.then(|| view! { <span class="badge">{t("projects.billed")}</span> })}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </DataTable>
                                    }.into_any()
                                }}
                                {(!read_only).then(|| view! { <TimeForm customer_id project today=today.clone() on_saved=refresh /> })}
                            </section>
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}}
        </Transition>
    }
}

#[component]
fn ProjectForm(
    customer_id: i32,
    start: ProjectInput,
    staff: Vec<(i32, String)>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let key = start.id;
    let draft = RwSignal::new(start);
    let save = Action::new(move |p: &ProjectInput| save_project(customer_id, p.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "projects.conflict", None, on_saved);
    let id = move |f: &str| match key {
        Some(k) => format!("project-{k}-{f}"),
        None => format!("project-new-{f}"),
    };
    let text = move |f: &'static str,
                     get: fn(&ProjectInput) -> String,
                     set: fn(&mut ProjectInput, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(&format!("projects.{f}"))}</label>
                <input id=id(f) type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class="editor project-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("name", |d| d.name.clone(), |d, v| d.name = v, "text")}
                <div class="field">
                    <label for=id("staff")>{t("projects.staff")}</label>
                    <select id=id("staff") on:change=move |ev| { let v = event_target_value(&ev).parse().ok(); draft.update(|d| d.staff_id = v); }>
                        <option value="" selected=move || draft.with(|d| d.staff_id.is_none())>{t("projects.nobody")}</option>
                        {staff.into_iter().map(|(sid, name)| view! {
                            <option value=sid.to_string() selected=move || draft.with(|d| d.staff_id == Some(sid))>{name}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage errors field="staff_id" />
                </div>
                {text("due_on", |d| d.due_on.clone(), |d, v| d.due_on = v, "date")}
                {choice_select(id("status"), "projects.status", "projects.status", move || draft.with(|d| d.status), move |v| draft.update(|d| d.status = v))}
                {text("fee", |d| d.fee.clone(), |d, v| d.fee = v, "text")}
            </div>
            <div class="field">
                <label for=id("description")>{t("projects.description")}</label>
                <textarea id=id("description") rows="3" prop:value=move || draft.with(|d| d.description.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.description = v); }></textarea>
                <FieldMessage errors field="description" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn TaskForm(customer_id: i32, project: i32, on_saved: Callback<()>) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let add = Action::new(move |t: &String| add_project_task(customer_id, project, t.clone()));
    let SaveResult { errors, notice } = use_save_result(add, "projects.conflict", None, on_saved);
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            title.set(String::new());
        }
    });
    view! {
        <form class="editor task-form" novalidate on:submit=move |ev| { ev.prevent_default(); add.dispatch(title.get_untracked()); }>
            <div class="field">
                <label for=format!("task-new-{project}")>{t("projects.new_task")}</label>
                <input id=format!("task-new-{project}") type="text" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <FieldMessage errors field="title" />
            </div>
            <div class="editor-actions">
                <button type="submit" class="button">{t("projects.add_task")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn TimeForm(customer_id: i32, project: i32, today: String, on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(TimeInput { worked_on: today, minutes: 0, note: String::new() });
    let add = Action::new(move |e: &TimeInput| add_project_time(customer_id, project, e.clone()));
    let SaveResult { errors, notice } = use_save_result(add, "projects.conflict", None, on_saved);
    let id = move |f: &str| format!("time-{project}-{f}");
    view! {
        <form class="editor time-form" novalidate on:submit=move |ev| { ev.prevent_default(); add.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for=id("day")>{t("projects.worked_on")}</label>
                    <input id=id("day") type="date" prop:value=move || draft.with(|d| d.worked_on.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.worked_on = v); } />
                    <FieldMessage errors field="worked_on" />
                </div>
                <div class="field">
                    <label for=id("minutes")>{t("projects.minutes")}</label>
                    <input id=id("minutes") type="number" min="1" max="1440" prop:value=move || draft.with(|d| if d.minutes == 0 { String::new() } else { d.minutes.to_string() })
                        on:input=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); draft.update(|d| d.minutes = v); } />
                    <FieldMessage errors field="minutes" />
                </div>
                <div class="field">
                    <label for=id("note")>{t("projects.note")}</label>
                    <input id=id("note") type="text" prop:value=move || draft.with(|d| d.note.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.note = v); } />
                    <FieldMessage errors field="note" />
                </div>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button">{t("projects.add_time")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "projects",
    label_key: "area.projects",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::ProjectsView,
    edit: Permission::ProjectsEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["projects"],
    entities: &[EntityLabels {
        entity: "project",
        change: |locale, field, subject| {
            let whose = translate_with(locale, "history.project", &[("name", subject.unwrap_or(""))]);
            format!("{whose} · {}", crate::i18n::translate(locale, &format!("projects.{field}")))
        },
        value: |locale, field, value| match field {
            "status" => Some(crate::i18n::translate(locale, &format!("projects.status.{value}"))),
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
    view! { <ProjectsPanel customer_id read_only /> }.into_any()
}
