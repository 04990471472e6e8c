//! Who did something: the one answer the Verlauf, the Log and the timeline share.

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A staff member in the staff interface.
    Staff(i32),
    /// The customer in the self-service area (by portal login id), or a staff member acting
    /// as the customer (`by_staff`).
    Customer { login_id: i32, by_staff: Option<i32> },
    /// A contact of the customer with an own portal login (by login id).
    Contact { login_id: i32 },
    /// The system itself (jobs, automatic steps).
    System,
}

impl Actor {
    /// The staff member acting, when one is (for `created_by` / `updated_by`).
    pub fn staff_id(self) -> Option<i32> {
        match self {
            Actor::Staff(id) => Some(id),
            _ => None,
        }
    }

    /// As stored: the kind, the id of that kind, and the staff member acting as the customer.
    pub fn columns(self) -> (&'static str, Option<i32>, Option<i32>) {
        match self {
            Actor::Staff(id) => ("staff", Some(id), None),
            Actor::Customer { login_id, by_staff } => ("customer", Some(login_id), by_staff),
            Actor::Contact { login_id } => ("contact", Some(login_id), None),
            Actor::System => ("system", None, None),
        }
    }
}
