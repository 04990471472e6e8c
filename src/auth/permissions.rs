//! What a staff member may do: permissions per area (view, edit) and per dangerous action, and
//! the built-in roles made of them. Operator-defined roles store their permissions by key.
use serde::{Deserialize, Serialize};

/// Declares the permissions in one list: each line gives the variant, its stored key, whether it
/// is a dangerous action (listed apart in the role editor) and the built-in roles that hold it.
/// `ALL`, `key()`, `is_dangerous()` and `builtin_roles()` are generated from it, so a new
/// permission cannot be left out of any of them.
macro_rules! permissions {
    ($($(#[$doc:meta])* $variant:ident = $key:literal, $danger:ident, [$($role:ident),*];)*) => {
        /// One permission. The key is what the database stores; never rename a key once it has
        /// landed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission {
            $($(#[$doc])* $variant,)*
        }

        impl Permission {
            pub const ALL: &[Permission] = &[$(Permission::$variant),*];

            pub fn key(self) -> &'static str {
                match self {
                    $(Permission::$variant => $key,)*
                }
            }

            /// Dangerous actions are listed apart in the role editor.
            pub fn is_dangerous(self) -> bool {
                match self {
                    $(Permission::$variant => permissions!(@danger $danger),)*
                }
            }

            /// Which built-in roles hold this permission (the administrator holds all).
            pub fn builtin_roles(self) -> &'static [BuiltinRole] {
                match self {
                    $(Permission::$variant => &[BuiltinRole::Administrator $(, BuiltinRole::$role)*],)*
                }
            }
        }
    };
    (@danger dangerous) => { true };
    (@danger plain) => { false };
}

permissions! {
    /// The customer list and every profile's header and Daten panel.
    CustomersView = "customers.view", plain, [Support, Accounting, ReadOnly];
    /// Edit master data, create customers, regenerate API keys.
    CustomersEdit = "customers.edit", plain, [Support, Accounting];
    /// The Log area: the customer's events with IP addresses and devices.
    LogView = "log.view", plain, [Support, Accounting, ReadOnly];
    /// The E-Mails area: every mail to the customer, as sent.
    EmailsView = "emails.view", plain, [Support, Accounting, ReadOnly];
    /// Write a mail to the customer, resend one.
    EmailsSend = "emails.send", plain, [Support, Accounting];
    /// The Verlauf: every change of master data, field by field.
    HistoryView = "history.view", plain, [Support, Accounting, ReadOnly];
    /// Undo a change (appends a reversing change).
    HistoryUndo = "history.undo", plain, [Support];
    /// The Notizen area.
    NotesView = "notes.view", plain, [Support, Accounting, ReadOnly];
    /// Write and edit notes.
    NotesEdit = "notes.edit", plain, [Support, Accounting];
    /// The IP-Adressen area, with other customers on the same addresses.
    IpsView = "ips.view", plain, [Support, Accounting, ReadOnly];
    /// The customer's self-service sessions.
    SessionsView = "sessions.view", plain, [Support, Accounting, ReadOnly];
    /// End the customer's self-service sessions.
    SessionsEdit = "sessions.edit", plain, [Support];
    /// The Produkte area: licences and hosting of a customer.
    ProductsView = "products.view", plain, [Support, Accounting, ReadOnly];
    /// Add and edit a customer's licences and hosting.
    ProductsEdit = "products.edit", plain, [Support, Accounting];
    /// Provision, suspend, unsuspend and terminate hostings on their servers.
    ProductsProvision = "products.provision", dangerous, [Support];
    /// The Projekte area: projects, tasks and time spent.
    ProjectsView = "projects.view", plain, [Support, Accounting, ReadOnly];
    /// Add and edit projects, tasks and time entries.
    ProjectsEdit = "projects.edit", plain, [Support, Accounting];
    /// The Dateien area: the customer's files; download them.
    FilesView = "files.view", plain, [Support, Accounting, ReadOnly];
    /// Upload files, release them to the customer, set their expiry, delete them.
    FilesEdit = "files.edit", plain, [Support, Accounting];
    /// The Domains area: the customer's domains.
    DomainsView = "domains.view", plain, [Support, Accounting, ReadOnly];
    /// Order domains for the customer.
    DomainsEdit = "domains.edit", plain, [Support, Accounting];
    /// "Preise bearbeiten": the customer's own domain prices.
    DomainsPrices = "domains.prices", plain, [Accounting];
    /// Reading a domain's auth code (logged; the code moves the domain away).
    DomainsAuthcode = "domains.authcode", dangerous, [Support];
    /// Ask the registrar to renew, sync, delete or retry a domain (costs money, ends domains).
    DomainsRegistrar = "domains.registrar", dangerous, [Support];
    /// The money areas: recurring items, invoices, the credit account.
    BillingView = "billing.view", plain, [Support, Accounting, ReadOnly];
    /// Recurring and planned items, draft invoices.
    BillingEdit = "billing.edit", plain, [Accounting];
    /// Finalise an invoice: it gets its number and can never change again.
    InvoicesFinalise = "invoices.finalise", plain, [Accounting];
    /// Cancel a final invoice by a cancellation invoice.
    InvoicesCancel = "invoices.cancel", dangerous, [Accounting];
    /// Book payments, credits and debits; pay invoices from credit.
    PaymentsBook = "payments.book", plain, [Accounting];
    /// Reverse a ledger entry by a counter-entry.
    LedgerReverse = "ledger.reverse", dangerous, [Accounting];
    /// The Reseller area: a reseller's end customers.
    ResellerView = "reseller.view", plain, [Support, Accounting, ReadOnly];
    /// Remove an end customer from its reseller.
    ResellerEdit = "reseller.edit", plain, [Support];
    /// The product catalogue: software products, releases, signing keys.
    SettingsProducts = "settings.products", plain, [];
    /// Servers of the provisioning modules, with their admin credentials.
    SettingsServers = "settings.servers", dangerous, [];
    /// Registrars of the registrar modules, with their credentials.
    SettingsRegistrars = "settings.registrars", dangerous, [];
    /// The TLD price list: endings, periods and list prices.
    SettingsDomains = "settings.domains", plain, [];
    /// The seller's data on invoices, the number series and the VAT rates.
    SettingsBilling = "settings.billing", plain, [Accounting];
    /// Define custom fields.
    SettingsFields = "settings.fields", plain, [];
    /// "Neues Passwort zusenden": mail the customer a reset link.
    SendPassword = "customers.send_password", dangerous, [Support];
    /// "Als Kunde einloggen".
    Impersonate = "customers.impersonate", dangerous, [Support];
    /// Act as a customer who uses two-factor login without their second factor.
    ImpersonateBypass2fa = "customers.impersonate_2fa", dangerous, [];
    /// "Datenauskunft": everything stored about a customer, as a download.
    DataReport = "customers.data_report", dangerous, [Support];
    /// "Kunden zusammenführen": move a duplicate's data into this customer.
    CustomersMerge = "customers.merge", dangerous, [Support];
    /// "Kunde löschen": erase a customer (retention-aware; the record is anonymised).
    CustomersErase = "customers.erase", dangerous, [Support];
    /// Delete an account that never had business data outright.
    CustomersHardDelete = "customers.hard_delete", dangerous, [];
    /// See data blocked for a retention duty after an erasure (accounting).
    RetainedView = "records.retained", plain, [Accounting];
    /// The Art. 15 texts of the data report.
    SettingsTexts = "settings.report_texts", plain, [];
    /// Staff members, roles, and ending anyone's sessions.
    ManageStaff = "staff.manage", dangerous, [];
    /// The staff audit log at /settings/audit: every privileged act, who, when, from where.
    AuditView = "audit.view", plain, [];
}

/// The built-in roles. Their permissions are defined here, not in the database, so a new
/// permission cannot be forgotten by them: each permission states which of them hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BuiltinRole {
    Administrator,
    Support,
    Accounting,
    ReadOnly,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 4] =
        [BuiltinRole::Administrator, BuiltinRole::Support, BuiltinRole::Accounting, BuiltinRole::ReadOnly];

    pub fn key(self) -> &'static str {
        match self {
            BuiltinRole::Administrator => "administrator",
            BuiltinRole::Support => "support",
            BuiltinRole::Accounting => "accounting",
            BuiltinRole::ReadOnly => "readonly",
        }
    }

    pub fn from_key(key: &str) -> Option<BuiltinRole> {
        BuiltinRole::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL.iter().copied().filter(|p| p.builtin_roles().contains(&self)).collect()
    }
}

impl Permission {
    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.iter().copied().find(|p| p.key() == key)
    }

    /// Translation key of its name in the role editor.
    pub fn label_key(self) -> String {
        format!("perm.{}", self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_the_administrator_holds_everything() {
        for &p in Permission::ALL {
            assert_eq!(Permission::from_key(p.key()), Some(p));
        }
        assert_eq!(BuiltinRole::Administrator.permissions(), Permission::ALL.to_vec());
        assert_eq!(
            BuiltinRole::ReadOnly.permissions(),
            vec![
                Permission::CustomersView,
                Permission::LogView,
                Permission::EmailsView,
                Permission::HistoryView,
                Permission::NotesView,
                Permission::IpsView,
                Permission::SessionsView,
                Permission::ProductsView,
                Permission::ProjectsView,
                Permission::FilesView,
                Permission::DomainsView,
                Permission::BillingView,
                Permission::ResellerView
            ]
        );
        for r in BuiltinRole::ALL {
            assert_eq!(BuiltinRole::from_key(r.key()), Some(r));
        }
    }
}
