use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub name: String,
    pub email: String,
    pub role_name: String,
    pub totp_enabled: bool,
    /// An administrator requires two-factor login of all staff.
    pub totp_required: bool,
    pub recovery_codes_left: u32,
}

/// Whose security settings a form changes: the staff member's own or the portal customer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal {
    Staff,
    Customer,
}

/// What the enrolment step shows: scan the QR code or type the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub qr_svg: String,
}
