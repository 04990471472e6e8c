use serde::{Deserialize, Serialize};

/// One field of one change, as the Verlauf shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub id: i32,
    /// What changed: customer (master data) or contact.
    pub entity: String,
    /// The changed record's name when it is not the customer itself (a contact's name).
    pub subject: Option<String>,
    /// RFC 3339.
    pub at: String,
    /// A form field name (`custom.<key>` for custom fields).
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    /// staff | customer | contact | system
    pub actor_kind: String,
    pub actor_name: String,
    /// Staff acting as the customer.
    pub on_behalf_of: Option<String>,
    /// The change this one undid.
    pub reverts: Option<i32>,
    /// The change that undid this one.
    pub reverted_by: Option<i32>,
}

/// Who made the changes to show: everyone, or one kind of actor.
pub const WHO: &[&str] = &["", "staff", "customer", "contact", "system"];
