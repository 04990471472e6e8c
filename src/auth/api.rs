//! Server functions about the current user.
use super::StaffIdentity;
use crate::error::AppError;
use leptos::prelude::*;

/// The logged-in staff member (for the top bar).
#[server(endpoint = "current_staff", output = crate::codec::Json)]
pub async fn current_staff() -> Result<StaffIdentity, AppError> {
    super::require_staff()
}
