//! The frame every profile panel shares: its heading, and a server list shown with "loading",
//! its error, an empty text or its rows. Forms stay hand-written in their areas.
use crate::error::AppError;
use crate::i18n::t;
use crate::ui::errors::error_view;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// A panel: the area's name as its heading, then the content.
#[component]
pub fn Panel(title_key: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="panel-title">
            <h2 id="panel-title">{t(title_key)}</h2>
            {children()}
        </section>
    }
}

/// A list from the server: "loading" until the first answer, then its rows, `empty_key`'s text
/// when there are none, or the error. A refetch keeps the rows shown until the new ones arrive.
#[component]
pub fn ListView<T, F>(
    resource: Resource<Result<Vec<T>, AppError>>,
    empty_key: &'static str,
    rows: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(Vec<T>) -> AnyView + Clone + Send + Sync + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || {
                let rows = rows.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t(empty_key)}</p> }.into_any(),
                        Ok(list) => rows(list),
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Transition>
    }
}

/// A table of rows: `heads` are the column headings' translation keys (a key starting with `~`
/// is read by screen readers only, e.g. an actions column), `children` the `<tr>` rows. A wide
/// table scrolls sideways, so its frame takes the keyboard focus (arrow keys scroll it).
#[component]
pub fn DataTable(class: &'static str, heads: &'static [&'static str], children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0">
            <table class=format!("data-table {class}")>
                <thead>
                    <tr>
                        {heads
                            .iter()
                            .map(|key| match key.strip_prefix('~') {
                                Some(hidden) => view! { <th scope="col"><span class="visually-hidden">{t(hidden)}</span></th> }.into_any(),
                                None => view! { <th scope="col">{t(key)}</th> }.into_any(),
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
