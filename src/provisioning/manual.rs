//! The manual module: staff set the account up by hand; the system keeps the states and dates.
//! Every action succeeds at once and says so in the job's log.
use super::{Account, JobCtx, ProvError, Provisioner, Remote, ServerConf};

pub struct Manual;

#[async_trait::async_trait]
impl Provisioner for Manual {
    fn module(&self) -> &'static str {
        "manual"
    }

    async fn test_connection(&self, _server: &ServerConf) -> Result<String, ProvError> {
        Ok("manual: nothing to connect to".into())
    }

    async fn create(&self, j: &JobCtx, a: &Account) -> Result<String, ProvError> {
        j.log("create", "recorded; the account is set up by hand").await;
        Ok(a.username.clone())
    }

    async fn suspend(&self, j: &JobCtx, _a: &Account, _reason: &str) -> Result<(), ProvError> {
        j.log("suspend", "recorded; the account is suspended by hand").await;
        Ok(())
    }

    async fn unsuspend(&self, j: &JobCtx, _a: &Account) -> Result<(), ProvError> {
        j.log("unsuspend", "recorded; the account is unsuspended by hand").await;
        Ok(())
    }

    async fn terminate(&self, j: &JobCtx, _a: &Account) -> Result<(), ProvError> {
        j.log("terminate", "recorded; the account is removed by hand").await;
        Ok(())
    }

    async fn status(&self, _j: &JobCtx, _a: &Account) -> Result<Remote, ProvError> {
        Err(ProvError::Unsupported)
    }
}
