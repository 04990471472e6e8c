use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherCustomer {
    pub id: i32,
    pub number: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRow {
    pub ip: String,
    /// login | order | api
    pub source: String,
    pub first_seen: String,
    pub last_seen: String,
    pub count: i64,
    /// Other customers seen on the same address.
    pub others: Vec<OtherCustomer>,
}
