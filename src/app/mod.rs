//! The document shell, the router and the frame every staff page shares.
pub mod pages;
mod topbar;

use crate::auth::CurrentStaff;
use crate::auth::api::current_staff;
use crate::customers::profile::ProfilePage;
use crate::i18n::{Locale, t};
use crate::ui::errors::NotFound;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};
use pages::{Page, Portal, SignIn, Staff};
use topbar::TopBar;

/// The locale of this page: from the request on the server, from `<html lang>` in the browser.
pub fn page_locale() -> Locale {
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

/// The Content Security Policy of a page: scripts only from us or carrying this response's
/// nonce (Leptos puts it on its inline hydration scripts), WebAssembly allowed, nothing framed.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        && let Ok(value) = http::HeaderValue::from_str(&crate::web::respond::page_policy(&nonce))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
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
                <Route path=path!("/login") view=|| SignIn::Login.show() ssr=SsrMode::Async />
                <Route path=path!("/login/2fa") view=|| SignIn::Login2fa.show() ssr=SsrMode::Async />
                <Route path=path!("/portal/login") view=|| SignIn::PortalLogin.show() ssr=SsrMode::Async />
                <Route path=path!("/portal/forgot") view=|| SignIn::PortalForgot.show() ssr=SsrMode::Async />
                <Route path=path!("/portal/login/2fa") view=|| SignIn::PortalLogin2fa.show() ssr=SsrMode::Async />
                <Route path=path!("/portal/reset") view=|| SignIn::PortalReset.show() ssr=SsrMode::Async />
                <ParentRoute path=path!("/portal") view=crate::portal::view::PortalFrame ssr=SsrMode::Async>
                    <Route path=path!("") view=|| Portal::Home.show() />
                    <Route path=path!("data") view=|| Portal::Data.show() />
                    <Route path=path!("products") view=|| Portal::Products.show() />
                    <Route path=path!("invoices") view=|| Portal::Invoices.show() />
                    <Route path=path!("quotes") view=|| Portal::Quotes.show() />
                    <Route path=path!("files") view=|| Portal::Files.show() />
                    <Route path=path!("domains") view=|| Portal::Domains.show() />
                    <Route path=path!("reseller") view=|| Portal::Reseller.show() />
                    <Route path=path!("security") view=|| Portal::Security.show() />
                </ParentRoute>
                <ParentRoute path=path!("") view=StaffFrame ssr=SsrMode::Async>
                    <Route path=path!("") view=|| view! { <Redirect path="/customers" /> } />
                    <Route path=path!("customers") view=|| Staff::Customers.show() />
                    <Route path=path!("customers/new") view=|| Staff::NewCustomer.show() />
                    <Route
                        path=path!("customers/:id")
                        view=|| {
                            let params = leptos_router::hooks::use_params_map();
                            let id = params.read_untracked().get("id").unwrap_or_default();
                            view! { <Redirect path=format!("/customers/{id}/data") /> }
                        }
                    />
                    <Route path=path!("customers/:id/:area") view=ProfilePage />
                    <ParentRoute path=path!("settings") view=crate::settings::SettingsFrame>
                        <Route path=path!("") view=crate::settings::SettingsIndex />
                        <Route path=path!("custom-fields") view=|| Staff::CustomFields.show() />
                        <Route path=path!("products") view=|| Staff::Catalogue.show() />
                        <Route path=path!("products/releases/:id") view=|| Staff::Release.show() />
                        <Route path=path!("servers") view=|| Staff::Servers.show() />
                        <Route path=path!("domains") view=|| Staff::Tlds.show() />
                        <Route path=path!("registrars") view=|| Staff::Registrars.show() />
                        <Route path=path!("billing") view=|| Staff::BillingSettings.show() />
                        <Route path=path!("dunning") view=|| Staff::DunningSettings.show() />
                        <Route path=path!("bank") view=|| Staff::Bank.show() />
                        <Route path=path!("bank/:id") view=|| Staff::BankImport.show() />
                        <Route path=path!("staff") view=|| Staff::StaffMembers.show() />
                        <Route path=path!("report-texts") view=|| Staff::ReportTexts.show() />
                        <Route path=path!("roles") view=|| Staff::Roles.show() />
                        <Route path=path!("audit") view=|| Staff::Audit.show() />
                    </ParentRoute>
                    <Route path=path!("account") view=|| Staff::Account.show() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Top bar and content area of every staff page.
#[component]
fn StaffFrame() -> impl IntoView {
    provide_context(CurrentStaff(Resource::new(|| (), |_| current_staff())));
    view! {
        <a class="skip-link" href="#main">{t("nav.skip")}</a>
        <TopBar />
        <main id="main" class="main">
            <Outlet />
        </main>
    }
}
