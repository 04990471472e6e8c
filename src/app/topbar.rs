//! The top bar: product name, navigation, the customer search ("/" focuses it), language and
//! the staff member with logout.
use crate::auth::CurrentStaff;
use crate::auth::Permission;
use crate::i18n::{Locale, t, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn TopBar() -> impl IntoView {
    let staff = expect_context::<CurrentStaff>().0;
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    // "/" anywhere outside a text field jumps to the search.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/"
            && !typing
            && !ev.ctrl_key()
            && !ev.meta_key()
            && let Some(input) = document()
                .get_element_by_id("global-search")
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok())
        {
            ev.prevent_default();
            let _ = input.focus();
        }
    });
    on_cleanup(move || handle.remove());
    let other = if use_locale() == Locale::De { Locale::En } else { Locale::De };
    view! {
        <header class="topbar">
            <a class="brand" href="/customers">"clientdesk"</a>
            <nav class="topnav" aria-label=t("nav.main")>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let me = staff.await.ok()?;
                        let links = [
                            ("/customers", "nav.customers", me.can(Permission::CustomersView)),
                            ("/customers/new", "nav.new_customer", me.can(Permission::CustomersEdit)),
                            // One home for every settings page this member may open.
                            ("/settings", "nav.settings", crate::settings::visible(&me).next().is_some()),
                        ];
                        Some(links.into_iter().filter(|(_, _, shown)| *shown).map(|(href, key, _)| {
                            view! { <a href=href>{t(key)}</a> }
                        }).collect_view())
                    })}
                </Suspense>
            </nav>
            <form class="topsearch" method="get" action="/customers" role="search">
                <label for="global-search" class="visually-hidden">{t("search.label")}</label>
                <input id="global-search" name="q" type="search" placeholder=t("search.placeholder") autocomplete="off" />
            </form>
            <form class="langswitch" method="post" action="/lang">
                <input type="hidden" name="lang" value=other.code() />
                <input type="hidden" name="back" value=back />
                <button type="submit" class="link" lang=other.code()>{t("nav.switch_language")}</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    staff.await.ok().map(|s| view! { <a class="staff-name" href="/account">{s.name}</a> })
                })}
            </Suspense>
            <form method="post" action="/auth/logout">
                <button type="submit" class="link">{t("nav.logout")}</button>
            </form>
        </header>
    }
}
