//! Hosting as the panel and the self-service area see it.
pub use crate::provisioning::{JobAction, JobStatus};
use serde::{Deserialize, Serialize};

crate::choice! {
    /// Where a hosting stands. `provisioning` while its create job runs; `failed` when the create
    /// failed for good (retry or terminate it).
    pub enum HostingStatus default Pending {
        Pending = "pending", Provisioning = "provisioning", Active = "active",
        Suspended = "suspended", Terminated = "terminated", Failed = "failed"
    }
}

crate::choice! {
    /// What staff ask of a hosting; each becomes a job (terminating one never created does not).
    pub enum HostingRequest default Provision {
        Provision = "provision", Suspend = "suspend", Unsuspend = "unsuspend",
        Terminate = "terminate", Retry = "retry", Check = "check"
    }
}

impl HostingRequest {
    /// Whether staff may ask this of a hosting in `status` whose latest job is `last_job`.
    pub fn allowed(self, status: HostingStatus, last_job: Option<JobStatus>) -> bool {
        let open = matches!(last_job, Some(JobStatus::Queued | JobStatus::Running));
        if open {
            return false;
        }
        match self {
            HostingRequest::Provision => status == HostingStatus::Pending,
            HostingRequest::Suspend => status == HostingStatus::Active,
            HostingRequest::Unsuspend => status == HostingStatus::Suspended,
            HostingRequest::Terminate => status != HostingStatus::Terminated,
            HostingRequest::Retry => {
                last_job == Some(JobStatus::Failed) && status != HostingStatus::Terminated
            }
            HostingRequest::Check => matches!(status, HostingStatus::Active | HostingStatus::Suspended),
        }
    }
}

/// A new hosting as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostingInput {
    pub package_id: i32,
    /// Required where the package's module serves a domain (DNS); else empty.
    pub domain: String,
    /// `YYYY-MM-DD`.
    pub contract_date: String,
    pub billing_cycle: super::model::BillingCycle,
}

/// A hosting's latest job, shown beside its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: i32,
    pub action: JobAction,
    pub status: JobStatus,
    pub attempts: i32,
    /// Redacted.
    pub last_error: String,
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// One hosting in the Produkte panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostingRow {
    pub id: i32,
    pub version: i64,
    pub package: String,
    pub server: String,
    pub module: String,
    pub username: String,
    pub domain: String,
    pub status: HostingStatus,
    pub suspend_reason: String,
    pub suspended_at: Option<String>,
    pub terminated_at: Option<String>,
    pub external_ref: String,
    pub contract_date: String,
    pub billing_cycle: super::model::BillingCycle,
    pub last_job: Option<JobRow>,
    /// What the server reported at the last check ('' before any), and when (RFC 3339).
    #[serde(default)]
    pub remote_state: String,
    #[serde(default)]
    pub checked_at: Option<String>,
}

/// One page of a customer's hostings, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostingPage {
    pub rows: Vec<HostingRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// A line of a hosting's provisioning log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    pub at: String,
    pub job_id: i32,
    pub action: JobAction,
    pub attempt: i32,
    pub step: String,
    pub level: String,
    pub message: String,
}

/// One page of a hosting's log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}

/// A package the hosting form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageChoice {
    pub id: i32,
    pub name: String,
    pub needs_domain: bool,
}

/// What the hosting form offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostingChoices {
    pub packages: Vec<PackageChoice>,
    /// `YYYY-MM-DD` in Germany.
    pub today: String,
}

/// Hostings per page in the panel, log lines per page.
pub const HOSTING_PAGE: u64 = 50;
pub const LOG_PAGE: u64 = 50;

/// A hosting as the customer sees it in the self-service area: what, where it stands, why and
/// since when; no server, job or secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalHosting {
    pub package: String,
    /// The domain, or the account name where there is none.
    pub name: String,
    pub status: HostingStatus,
    pub since: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalHostingPage {
    pub rows: Vec<PortalHosting>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}
