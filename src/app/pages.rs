//! The pages other than the profile, in three chunks of the client: signing in, the staff
//! pages, the portal. The router shows a page through its group's `#[lazy]` function, and
//! `preload_for_path` loads the chunk of the page a URL opens before hydration. A few larger
//! chunks load and compress better than one per page (each page would share code with many
//! others, and every such share becomes a file of its own). The profile stays in the main
//! module; its areas are chunks of their own.
use crate::ui::lazy::{self, LazyView};
use leptos::prelude::*;

/// The pages before a login (staff and portal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignIn {
    Login,
    Login2fa,
    PortalLogin,
    PortalLogin2fa,
    PortalForgot,
    PortalReset,
}

/// The staff pages other than the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staff {
    Customers,
    NewCustomer,
    Account,
    CustomFields,
    Catalogue,
    Release,
    Servers,
    Tlds,
    Registrars,
    BillingSettings,
    DunningSettings,
    Bank,
    BankImport,
    ReportTexts,
    StaffMembers,
    Roles,
    Audit,
}

/// The customer's pages in the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Portal {
    Home,
    Data,
    Products,
    Invoices,
    Quotes,
    Files,
    Domains,
    Reseller,
    Security,
}

#[leptos::lazy]
fn sign_in_page(page: SignIn) -> AnyView {
    use crate::auth::view::{LoginPage, SecondFactorPage};
    use crate::portal::view::{ForgotPage, PortalLoginPage, PortalSecondFactorPage, ResetPage};
    match page {
        SignIn::Login => view! { <LoginPage /> }.into_any(),
        SignIn::Login2fa => view! { <SecondFactorPage /> }.into_any(),
        SignIn::PortalLogin => view! { <PortalLoginPage /> }.into_any(),
        SignIn::PortalLogin2fa => view! { <PortalSecondFactorPage /> }.into_any(),
        SignIn::PortalForgot => view! { <ForgotPage /> }.into_any(),
        SignIn::PortalReset => view! { <ResetPage /> }.into_any(),
    }
}

#[leptos::lazy]
fn staff_page(page: Staff) -> AnyView {
    use crate::customers::{list::CustomerListPage, new::NewCustomerPage};
    use crate::staff::{roles_view::RolesPage, view::StaffPage};
    match page {
        Staff::Customers => view! { <CustomerListPage /> }.into_any(),
        Staff::NewCustomer => view! { <NewCustomerPage /> }.into_any(),
        Staff::Account => view! { <crate::account::view::AccountPage /> }.into_any(),
        Staff::CustomFields => {
            view! { <crate::customers::custom_fields::view::CustomFieldsPage /> }.into_any()
        }
        Staff::Catalogue => view! { <crate::catalogue::view::CataloguePage /> }.into_any(),
        Staff::Release => view! { <crate::catalogue::release_view::ReleasePage /> }.into_any(),
        Staff::Servers => view! { <crate::catalogue::servers_view::ServersPage /> }.into_any(),
        Staff::Tlds => view! { <crate::catalogue::tlds_view::TldsPage /> }.into_any(),
        Staff::Registrars => view! { <crate::catalogue::registrars_view::RegistrarsPage /> }.into_any(),
        Staff::BillingSettings => view! { <crate::settings::billing::BillingSettingsPage /> }.into_any(),
        Staff::DunningSettings => view! { <crate::settings::dunning::DunningSettingsPage /> }.into_any(),
        Staff::Bank => view! { <crate::settings::bank::BankPage /> }.into_any(),
        Staff::BankImport => view! { <crate::settings::bank::BankImportPage /> }.into_any(),
        Staff::ReportTexts => view! { <crate::customers::report_texts::ReportTextsPage /> }.into_any(),
        Staff::StaffMembers => view! { <StaffPage /> }.into_any(),
        Staff::Roles => view! { <RolesPage /> }.into_any(),
        Staff::Audit => view! { <crate::staff::audit_view::AuditPage /> }.into_any(),
    }
}

#[leptos::lazy]
fn portal_page(page: Portal) -> AnyView {
    use crate::portal::view::{PortalDashboard, PortalDataPage, PortalSecurityPage};
    match page {
        Portal::Home => view! { <PortalDashboard /> }.into_any(),
        Portal::Data => view! { <PortalDataPage /> }.into_any(),
        Portal::Products => view! { <crate::portal::products::PortalProductsPage /> }.into_any(),
        Portal::Invoices => view! { <crate::portal::invoices::PortalInvoicesPage /> }.into_any(),
        Portal::Quotes => view! { <crate::portal::quotes::PortalQuotesPage /> }.into_any(),
        Portal::Files => view! { <crate::portal::files::PortalFilesPage /> }.into_any(),
        Portal::Domains => view! { <crate::portal::domains::PortalDomainsPage /> }.into_any(),
        Portal::Reseller => view! { <crate::portal::reseller::PortalResellerPage /> }.into_any(),
        Portal::Security => view! { <PortalSecurityPage /> }.into_any(),
    }
}

/// A page, once its group's code is there.
pub trait Page: Copy + Send + 'static {
    fn view(self) -> LazyView;

    fn show(self) -> impl IntoView {
        lazy::show(self.view())
    }
}

impl Page for SignIn {
    fn view(self) -> LazyView {
        lazy::boxed(sign_in_page(self))
    }
}

impl Page for Staff {
    fn view(self) -> LazyView {
        lazy::boxed(staff_page(self))
    }
}

impl Page for Portal {
    fn view(self) -> LazyView {
        lazy::boxed(portal_page(self))
    }
}

/// Which group's chunk a browser path needs, if any (the router's paths, as pathnames).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    SignIn,
    Staff,
    Portal,
}

pub fn group_for_path(path: &str) -> Option<Group> {
    match path.trim_end_matches('/') {
        "/login" | "/login/2fa" | "/portal/login" | "/portal/login/2fa" | "/portal/forgot"
        | "/portal/reset" => Some(Group::SignIn),
        "" | "/customers" | "/customers/new" | "/account" => Some(Group::Staff),
        p if p.starts_with("/settings/") => Some(Group::Staff),
        "/portal" | "/portal/data" | "/portal/products" | "/portal/invoices" | "/portal/quotes"
        | "/portal/files" | "/portal/domains" | "/portal/reseller" | "/portal/security" => {
            Some(Group::Portal)
        }
        _ => None,
    }
}

/// Load the chunk of the page a URL opens; other paths load nothing.
#[cfg(feature = "hydrate")]
pub async fn preload_for_path(path: &str) {
    match group_for_path(path) {
        Some(Group::SignIn) => __preload_sign_in_page().await,
        Some(Group::Staff) => __preload_staff_page().await,
        Some(Group::Portal) => __preload_portal_page().await,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{Group, group_for_path};

    #[test]
    fn each_lazy_page_path_names_its_group() {
        assert_eq!(group_for_path("/login"), Some(Group::SignIn));
        assert_eq!(group_for_path("/portal/reset"), Some(Group::SignIn));
        assert_eq!(group_for_path("/customers/"), Some(Group::Staff));
        assert_eq!(group_for_path("/settings/roles"), Some(Group::Staff));
        assert_eq!(group_for_path("/settings/dunning"), Some(Group::Staff));
        assert_eq!(group_for_path("/settings/bank/7"), Some(Group::Staff));
        assert_eq!(group_for_path("/portal"), Some(Group::Portal));
        assert_eq!(group_for_path("/portal/invoices"), Some(Group::Portal));
        assert_eq!(group_for_path("/customers/7/data"), None, "a profile loads its area's chunk");
        assert_eq!(group_for_path("/settings"), None);
    }
}
