use serde::{Deserialize, Serialize};

/// A live self-service session of the customer (or of staff acting as the customer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// The session's key (a hash of the cookie token, useless as a cookie itself).
    pub id: String,
    pub login_email: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Set when a staff member acts as the customer in this session.
    pub impersonated_by: Option<String>,
}
