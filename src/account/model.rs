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

/// Whose security settings a form changes: the server functions that change them. The staff
/// account implements it here, the portal for the logged-in customer (so this module needs
/// nothing of the portal).
pub trait OwnSecurity: Copy + Send + Sync + 'static {
    fn change_password(
        &self,
        current: String,
        new: String,
    ) -> impl Future<Output = Result<(), crate::error::AppError>> + Send;
    fn start_totp(
        &self,
        password: String,
    ) -> impl Future<Output = Result<EnrolmentView, crate::error::AppError>> + Send;
    fn confirm_totp(
        &self,
        code: String,
    ) -> impl Future<Output = Result<Vec<String>, crate::error::AppError>> + Send;
    fn disable_totp(
        &self,
        password: String,
    ) -> impl Future<Output = Result<(), crate::error::AppError>> + Send;
}

/// What the enrolment step shows: scan the QR code or type the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub qr_svg: String,
}
