//! Notizen: notes with priority, assigned staff member, visibility in the self-service area and
//! a pin that puts them into the warnings row; every edit keeps the previous version.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use super::def::{AreaDef, PanelCtx, Placement, TimelineKind};
use crate::auth::Permission;
use crate::i18n::{t, translate_with, use_locale};
use crate::live::client::Live;
use crate::ui::choice::choice_select;
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::panel::{ListView, Panel};
use crate::ui::save::{SaveResult, use_save_result};
use api::{customer_notes, save_note};
use leptos::prelude::*;
use model::*;

#[component]
pub fn NotesPanel(customer_id: i32, read_only: bool) -> impl IntoView {
    let notes = Resource::new(move || (customer_id, Live::tick_of(AREA.live)), |(id, _)| customer_notes(id));
    // A save refreshes the notes and the profile header (a pinned note joins the warnings row).
    let live = use_context::<Live>();
    let changed = Callback::new(move |_: ()| match live {
        Some(live) => live.saved_here(AREA.slug),
        None => notes.refetch(),
    });
    view! {
        <Panel title_key="area.notes">
            {(!read_only).then(|| view! {
                <details class="compose">
                    <summary class="button">{t("notes.new")}</summary>
                    <NoteForm customer_id start=NoteInput::default() on_saved=changed />
                </details>
            })}
            <ListView resource=notes empty_key="notes.empty" rows=move |rows| rows.into_iter().map(|n| view! { <NoteCard note=n customer_id read_only on_saved=changed /> }).collect_view().into_any() />
        </Panel>
    }
}

#[component]
fn NoteCard(note: NoteRow, customer_id: i32, read_only: bool, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let editing = RwSignal::new(false);
    let input = note.input.clone();
    view! {
        <article class=format!("note priority-{}", note.input.priority.as_str()) data-note=note.input.title.clone()>
            <header>
                <strong>{note.input.title.clone()}</strong>
                {note.input.pinned.then(|| view! { <span class="badge">{t("notes.pinned")}</span> })}
                <span class="badge">{t(&format!("notes.priority.{}", note.input.priority.as_str()))}</span>
                {(note.input.visibility != Visibility::Hidden).then(|| view! { <span class="badge">{t("notes.visible")} " · " {t(&format!("notes.visibility.{}", note.input.visibility.as_str()))}</span> })}
            </header>
            <p class="note-body">{note.input.body.clone()}</p>
            <p class="muted">
                {translate_with(locale, "notes.written", &[("name", &note.updated_by), ("at", &format::date_time(&note.updated_at, locale))])}
                {note.assigned_name.clone().map(|n| view! { " · " {t("notes.assigned")} " " {n} })}
            </p>
            {(!note.versions.is_empty()).then(|| view! {
                <details class="note-versions">
                    <summary>{translate_with(locale, "notes.versions", &[("count", &note.versions.len().to_string())])}</summary>
                    <ul>
                        {note.versions.iter().map(|v| view! {
                            <li>
                                <span class="muted">"v" {v.version} " · " {v.edited_by.clone()} " · " {format::date_time(&v.edited_at, locale)}</span>
                                <strong>" " {v.title.clone()}</strong>
                                <p class="note-body">{v.body.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {(!read_only).then(|| view! {
                <button type="button" class="link" on:click=move |_| editing.update(|e| *e = !*e)>{t("notes.edit")}</button>
                <Show when=move || editing.get()>
                    <NoteForm customer_id start=input.clone() on_saved />
                </Show>
            })}
        </article>
    }
}

#[component]
fn NoteForm(customer_id: i32, start: NoteInput, on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(start);
    let save = Action::new(move |n: &NoteInput| save_note(customer_id, n.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "notes.conflict", None, on_saved);
    let key = draft.with_untracked(|d| d.id.map(|i| i.to_string()).unwrap_or_else(|| "new".into()));
    let id = move |f: &str| format!("note-{key}-{f}");
    view! {
        <form class="editor note-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="field">
                <label for=id("title")>{t("notes.title")}</label>
                <input id=id("title") type="text" prop:value=move || draft.with(|d| d.title.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.title = v); } />
                <FieldMessage errors field="title" />
            </div>
            <div class="field">
                <label for=id("body")>{t("notes.body")}</label>
                <textarea id=id("body") rows="4" prop:value=move || draft.with(|d| d.body.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.body = v); }></textarea>
            </div>
            <div class="grid">
                {choice_select(id("priority"), "notes.priority", "notes.priority", move || draft.with(|d| d.priority), move |v| draft.update(|d| d.priority = v))}
                {choice_select(id("visibility"), "notes.visibility", "notes.visibility", move || draft.with(|d| d.visibility), move |v| draft.update(|d| d.visibility = v))}
            </div>
            <div class="toggle">
                <input id=id("pinned") type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.pinned)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.pinned = v); } />
                <label for=id("pinned")>{t("notes.pin")}</label>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

pub const AREA: AreaDef = AreaDef {
    slug: "notes",
    label_key: "area.notes",
    placement: Placement::Sidebar,
    shown_for: None,
    view: Permission::NotesView,
    edit: Permission::NotesEdit,
    actions: &[],
    panel: |ctx| super::def::boxed(panel(ctx)),
    #[cfg(feature = "hydrate")]
    preload: || Box::pin(__preload_panel()),
    live: &["notes"],
    entities: &[],
    timeline: Some(TimelineKind {
        kind: "note",
        title: |item| item.title.clone(),
        detail: |item| item.detail.clone(),
    }),
    #[cfg(feature = "ssr")]
    server: service::SERVER,
};

#[leptos::lazy]
fn panel(ctx: PanelCtx) -> AnyView {
    let customer_id = ctx.customer_id();
    let read_only = ctx.read_only;
    view! { <NotesPanel customer_id read_only /> }.into_any()
}
