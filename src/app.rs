//! The document shell, the router and the frame every staff page shares.
use crate::customers::custom_fields::view::CustomFieldsPage;
use crate::customers::{list::CustomerListPage, new::NewCustomerPage, profile::ProfilePage};
use crate::i18n::{Locale, t};
use crate::ui::topbar::TopBar;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The locale of this page: from the request on the server, from `<html lang>` in the browser.
fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Locale>().copied())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::from_code(&l))
            .unwrap_or_default()
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_locale().code();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(page_locale());
    // Tests wait for this before clicking: a click before hydration would be lost.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/clientdesk.css" />
        <Title text="clientdesk" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=crate::auth::view::LoginPage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=StaffFrame ssr=SsrMode::Async>
                    <Route path=path!("") view=|| view! { <Redirect path="/customers" /> } />
                    <Route path=path!("customers") view=CustomerListPage />
                    <Route path=path!("customers/new") view=NewCustomerPage />
                    <Route
                        path=path!("customers/:id")
                        view=|| {
                            let params = leptos_router::hooks::use_params_map();
                            let id = params.read_untracked().get("id").unwrap_or_default();
                            view! { <Redirect path=format!("/customers/{id}/data") /> }
                        }
                    />
                    <Route path=path!("customers/:id/:area") view=ProfilePage />
                    <Route path=path!("settings/custom-fields") view=CustomFieldsPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Top bar and content area of every staff page.
#[component]
fn StaffFrame() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{t("nav.skip")}</a>
        <TopBar />
        <main id="main" class="main">
            <Outlet />
        </main>
    }
}

/// 404: unknown page, customer or area.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t("notfound.title") />
        <section class="notfound">
            <h1>{t("notfound.title")}</h1>
            <p>{t("notfound.text")}</p>
            <a href="/customers" class="button">{t("notfound.back")}</a>
        </section>
    }
}
