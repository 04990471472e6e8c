//! Provisioning: the modules that create, suspend, unsuspend and terminate accounts on real
//! servers, the registrar modules that register, transfer, renew and delete domains, and the job
//! machinery that runs them exactly once per step. The hosting and domain areas (in customers)
//! own the hostings and domains and run the jobs; this module knows no customer.
#[cfg(feature = "ssr")]
pub mod epp_registrar;
pub mod fields;
#[cfg(feature = "ssr")]
pub mod job;
#[cfg(feature = "ssr")]
pub mod manual;
#[cfg(feature = "ssr")]
pub mod mariadb;
#[cfg(feature = "ssr")]
mod module;
#[cfg(feature = "ssr")]
pub mod powerdns;
#[cfg(feature = "ssr")]
pub mod redact;
#[cfg(feature = "ssr")]
pub mod registrar;

#[cfg(feature = "ssr")]
pub use module::*;

crate::choice! {
    /// What a job does remotely.
    pub enum JobAction default Create {
        Create = "create", Suspend = "suspend", Unsuspend = "unsuspend", Terminate = "terminate",
        // Ask the server how the account stands (reconciliation); changes nothing remotely.
        Check = "check"
    }
}

crate::choice! {
    /// Where a job stands; one job per hosting is queued or running at a time.
    pub enum JobStatus default Queued {
        Queued = "queued", Running = "running", Done = "done", Failed = "failed", Cancelled = "cancelled"
    }
}
