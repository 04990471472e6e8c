//! Who is asking: staff login, sessions and the identity of a request.
pub mod api;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod service;
pub mod view;

use serde::{Deserialize, Serialize};

/// The logged-in staff member of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIdentity {
    pub id: i32,
    pub name: String,
    pub email: String,
}

/// The identity of the current request, or `Unauthenticated`. Server functions start here.
#[cfg(feature = "ssr")]
pub fn require_staff() -> crate::error::AppResult<StaffIdentity> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<StaffIdentity>().cloned())
        .ok_or(crate::error::AppError::Unauthenticated)
}
