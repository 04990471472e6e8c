//! What a staff member may do: permissions per area (view, edit) and per dangerous action, and
//! the built-in roles made of them. Operator-defined roles store their permissions by key.
use serde::{Deserialize, Serialize};

/// One permission. The key is what the database stores; never rename a key once it has landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Permission {
    /// The customer list and every profile's header and Daten panel.
    CustomersView,
    /// Edit master data, create customers, regenerate API keys.
    CustomersEdit,
    /// The Log area: the customer's events with IP addresses and devices.
    LogView,
    /// The E-Mails area: every mail to the customer, as sent.
    EmailsView,
    /// Write a mail to the customer, resend one.
    EmailsSend,
    /// The Verlauf: every change of master data, field by field.
    HistoryView,
    /// Undo a change (appends a reversing change).
    HistoryUndo,
    /// The Notizen area.
    NotesView,
    /// Write and edit notes.
    NotesEdit,
    /// The IP-Adressen area, with other customers on the same addresses.
    IpsView,
    /// The customer's self-service sessions.
    SessionsView,
    /// End the customer's self-service sessions.
    SessionsEdit,
    /// "Als Kunde einloggen".
    Impersonate,
    /// Act as a customer who uses two-factor login without their second factor.
    ImpersonateBypass2fa,
    /// "Neues Passwort zusenden": mail the customer a reset link.
    SendPassword,
    /// Define custom fields.
    SettingsFields,
    /// Staff members, roles, and ending anyone's sessions.
    ManageStaff,
    /// "Datenauskunft": everything stored about a customer, as a download.
    DataReport,
    /// "Kunden zusammenführen": move a duplicate's data into this customer.
    CustomersMerge,
    /// "Kunde löschen": erase a customer (retention-aware; the record is anonymised).
    CustomersErase,
    /// Delete an account that never had business data outright.
    CustomersHardDelete,
    /// See data blocked for a retention duty after an erasure (accounting).
    RetainedView,
    /// The Art. 15 texts of the data report.
    SettingsTexts,
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
        Permission::ALL.into_iter().filter(|p| p.builtin_roles().contains(&self)).collect()
    }
}

impl Permission {
    pub const ALL: [Permission; 23] = [
        Permission::CustomersView,
        Permission::CustomersEdit,
        Permission::LogView,
        Permission::EmailsView,
        Permission::EmailsSend,
        Permission::HistoryView,
        Permission::HistoryUndo,
        Permission::NotesView,
        Permission::NotesEdit,
        Permission::IpsView,
        Permission::SessionsView,
        Permission::SessionsEdit,
        Permission::SettingsFields,
        Permission::SendPassword,
        Permission::Impersonate,
        Permission::ImpersonateBypass2fa,
        Permission::DataReport,
        Permission::CustomersMerge,
        Permission::CustomersErase,
        Permission::CustomersHardDelete,
        Permission::RetainedView,
        Permission::SettingsTexts,
        Permission::ManageStaff,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Permission::CustomersView => "customers.view",
            Permission::CustomersEdit => "customers.edit",
            Permission::LogView => "log.view",
            Permission::EmailsView => "emails.view",
            Permission::EmailsSend => "emails.send",
            Permission::HistoryView => "history.view",
            Permission::HistoryUndo => "history.undo",
            Permission::NotesView => "notes.view",
            Permission::NotesEdit => "notes.edit",
            Permission::IpsView => "ips.view",
            Permission::SessionsView => "sessions.view",
            Permission::SessionsEdit => "sessions.edit",
            Permission::Impersonate => "customers.impersonate",
            Permission::ImpersonateBypass2fa => "customers.impersonate_2fa",
            Permission::SendPassword => "customers.send_password",
            Permission::SettingsFields => "settings.fields",
            Permission::ManageStaff => "staff.manage",
            Permission::DataReport => "customers.data_report",
            Permission::CustomersMerge => "customers.merge",
            Permission::CustomersErase => "customers.erase",
            Permission::CustomersHardDelete => "customers.hard_delete",
            Permission::RetainedView => "records.retained",
            Permission::SettingsTexts => "settings.report_texts",
        }
    }

    pub fn from_key(key: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.key() == key)
    }

    /// Translation key of its name in the role editor.
    pub fn label_key(self) -> String {
        format!("perm.{}", self.key())
    }

    /// Dangerous actions are listed apart in the role editor.
    pub fn is_dangerous(self) -> bool {
        matches!(
            self,
            Permission::ManageStaff
                | Permission::SendPassword
                | Permission::Impersonate
                | Permission::ImpersonateBypass2fa
                | Permission::DataReport
                | Permission::CustomersMerge
                | Permission::CustomersErase
                | Permission::CustomersHardDelete
        )
    }

    /// Which built-in roles hold this permission (the administrator holds all).
    pub fn builtin_roles(self) -> &'static [BuiltinRole] {
        use BuiltinRole::*;
        match self {
            Permission::CustomersView
            | Permission::LogView
            | Permission::EmailsView
            | Permission::IpsView
            | Permission::SessionsView
            | Permission::HistoryView
            | Permission::NotesView => &[Administrator, Support, Accounting, ReadOnly],
            Permission::CustomersEdit | Permission::EmailsSend | Permission::NotesEdit => {
                &[Administrator, Support, Accounting]
            }
            Permission::SendPassword
            | Permission::SessionsEdit
            | Permission::Impersonate
            | Permission::HistoryUndo
            | Permission::DataReport
            | Permission::CustomersMerge
            | Permission::CustomersErase => &[Administrator, Support],
            Permission::RetainedView => &[Administrator, Accounting],
            Permission::ImpersonateBypass2fa | Permission::CustomersHardDelete => &[Administrator],
            Permission::SettingsFields | Permission::SettingsTexts | Permission::ManageStaff => {
                &[Administrator]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_the_administrator_holds_everything() {
        for p in Permission::ALL {
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
                Permission::SessionsView
            ]
        );
        for r in BuiltinRole::ALL {
            assert_eq!(BuiltinRole::from_key(r.key()), Some(r));
        }
    }
}
