//! /settings/products: the software catalogue. Products (slug, name, update term, hosts per
//! licence) with their public signing key, and their releases, newest first.
use super::api::{add_release, list_products, save_product};
use super::model::*;
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use crate::ui::messages::FieldMessage;
use crate::ui::save::{SaveResult, use_save_result};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CataloguePage() -> impl IntoView {
    view! {
        <crate::auth::guard::Guard permission=crate::auth::Permission::SettingsProducts>
            <Catalogue />
        </crate::auth::guard::Guard>
    }
}

#[component]
fn Catalogue() -> impl IntoView {
    let products = Resource::new(|| (), |_| list_products());
    let refresh = Callback::new(move |_: ()| products.refetch());
    view! {
        <Title text=t("nav.products") />
        <h1 class="page-title">{t("nav.products")}</h1>
        <p class="lead">{t("catalogue.lead")}</p>
        <noscript><p class="notice">{t("editor.needs_js")}</p></noscript>
        <details class="compose">
            <summary class="button">{t("catalogue.new_product")}</summary>
            <ProductForm start=ProductInput::default() on_saved=refresh />
        </details>
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="empty">{t("catalogue.empty")}</p> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|p| view! { <ProductCard product=p on_saved=refresh /> }).collect_view().into_any(),
                    Err(e) => crate::ui::errors::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductCard(product: ProductRow, on_saved: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let id = product.input.id.unwrap_or_default();
    let editing = RwSignal::new(false);
    let start = product.input.clone();
    view! {
        <section class="panel product-card" data-product=product.input.slug.clone() aria-labelledby=format!("product-{id}")>
            <h2 id=format!("product-{id}")>
                {product.input.name.clone()} " "
                <span class="muted">{product.input.slug.clone()}</span>
                {(!product.input.active).then(|| view! { " " <span class="badge">{t("catalogue.inactive")}</span> })}
            </h2>
            <p class="muted">
                {translate_with(locale, "catalogue.summary", &[
                    ("term", &product.input.update_term_months.to_string()),
                    ("hosts", &product.input.max_bindings.to_string()),
                    ("licences", &format::count(product.licences, locale)),
                ])}
            </p>
            <p>{t("catalogue.public_key")} " " <code class="public-key">{product.public_key.clone()}</code></p>
            <button type="button" class="link" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {t("catalogue.edit")}<span class="visually-hidden">" " {product.input.name.clone()}</span>
            </button>
            <Show when=move || editing.get()>
                <ProductForm start=start.clone() on_saved />
            </Show>
            <h3>{t("catalogue.releases")}</h3>
            {if product.releases.is_empty() {
                view! { <p class="empty">{t("catalogue.no_releases")}</p> }.into_any()
            } else {
                view! {
                    <ul class="releases">
                        {product.releases.iter().map(|r| view! {
                            <li data-release=r.version.clone()>
                                <strong>{r.version.clone()}</strong> " · " {format::date(&r.released_on, locale)}
                                {(!r.notes.is_empty()).then(|| view! { <span class="muted">" · " {r.notes.clone()}</span> })}
                                " · " <a href=format!("/settings/products/releases/{}", r.id)>{t("catalogue.who_gets")}<span class="visually-hidden">" " {r.version.clone()}</span></a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ReleaseForm product_id=id on_saved />
        </section>
    }
}

#[component]
fn ProductForm(start: ProductInput, on_saved: Callback<()>) -> impl IntoView {
    let key = start.id;
    let draft = RwSignal::new(start);
    let save = Action::new(move |p: &ProductInput| save_product(p.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "catalogue.conflict", None, on_saved);
    // Copy, so every field's closure can own one.
    let id = move |f: &str| match key {
        Some(k) => format!("product-{k}-{f}"),
        None => format!("product-new-{f}"),
    };
    let text = move |f: &'static str,
                     get: fn(&ProductInput) -> String,
                     set: fn(&mut ProductInput, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id(f)>{t(&format!("catalogue.{f}"))}</label>
                <input id=id(f) type=kind prop:value=move || draft.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, v)); } />
                <FieldMessage errors field=f />
            </div>
        }
    };
    view! {
        <form class="editor product-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                {text("slug", |d| d.slug.clone(), |d, v| d.slug = v, "text")}
                {text("name", |d| d.name.clone(), |d, v| d.name = v, "text")}
                {text("update_term_months", |d| d.update_term_months.to_string(), |d, v| d.update_term_months = v.trim().parse().unwrap_or(0), "number")}
                {text("max_bindings", |d| d.max_bindings.to_string(), |d, v| d.max_bindings = v.trim().parse().unwrap_or(0), "number")}
            </div>
            <div class="toggle">
                <input id=id("active") type="checkbox" role="switch" prop:checked=move || draft.with(|d| d.active)
                    on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.active = v); } />
                <label for=id("active")>{t("catalogue.active")}</label>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t("editor.save")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}

#[component]
fn ReleaseForm(product_id: i32, on_saved: Callback<()>) -> impl IntoView {
    let draft = RwSignal::new(ReleaseInput::default());
    let save = Action::new(move |r: &ReleaseInput| add_release(product_id, r.clone()));
    let SaveResult { errors, notice } = use_save_result(save, "catalogue.conflict", None, on_saved);
    // Entered: on to who gets it.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/settings/products/releases/{id}"), Default::default());
        }
    });
    let id = move |f: &str| format!("release-{product_id}-{f}");
    view! {
        <form class="editor release-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(draft.get_untracked()); }>
            <div class="grid">
                <div class="field">
                    <label for=id("version")>{t("catalogue.release_version")}</label>
                    <input id=id("version") type="text" prop:value=move || draft.with(|d| d.version.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.version = v); } />
                    <FieldMessage errors field="version" />
                </div>
                <div class="field">
                    <label for=id("date")>{t("catalogue.released_on")}</label>
                    <input id=id("date") type="date" prop:value=move || draft.with(|d| d.released_on.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.released_on = v); } />
                    <FieldMessage errors field="released_on" />
                </div>
                <div class="field">
                    <label for=id("notes")>{t("catalogue.release_notes")}</label>
                    <input id=id("notes") type="text" prop:value=move || draft.with(|d| d.notes.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.notes = v); } />
                    <FieldMessage errors field="notes" />
                </div>
            </div>
            <div class="editor-actions">
                <button type="submit" class="button">{t("catalogue.add_release")}</button>
                <span class="editor-notice" role="status">{move || notice.get()}</span>
            </div>
        </form>
    }
}
