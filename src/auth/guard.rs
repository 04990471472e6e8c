//! Pages that need a permission show "forbidden" (HTTP 403) to staff whose role lacks it. The
//! server functions behind the page check again; this only keeps the page honest.
use crate::auth::CurrentStaff;
use crate::auth::Permission;
use crate::i18n::t;
use crate::ui::errors::{Forbidden, error_view};
use leptos::prelude::*;

#[component]
pub fn Guard(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let me = expect_context::<CurrentStaff>().0;
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(me) if me.can(permission) => children.with_value(|c| c()).into_any(),
                    Ok(_) => view! { <Forbidden /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
