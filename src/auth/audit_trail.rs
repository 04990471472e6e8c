//! How server functions record a privileged act of the staff member asking in the audit log
//! (crate::audit): with their name and the client's address.
use super::StaffIdentity;
use crate::audit::service::{Act, Who};
use crate::error::AppError;

/// The staff member of the current server-function request, as the audit log names them.
pub fn who(staff: &StaffIdentity) -> Who {
    Who::staff(staff.id, &staff.name, crate::web::client_ip::current().map(|ip| ip.to_string()))
}

/// Record an act of the current request's staff member.
pub async fn record(staff: &StaffIdentity, act: Act) -> Result<(), AppError> {
    let db = crate::web::state::app_state()?.db;
    crate::audit::service::record(&db, &who(staff), act).await
}
