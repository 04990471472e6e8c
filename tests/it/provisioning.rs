//! Provisioning jobs on SQLite and PostgreSQL with a module written for the test: transient
//! errors retried with backoff, permanent ones failing the job (and the warnings row naming it),
//! one open job per hosting, a worker that lost its lease fenced off, a killed attempt's steps
//! not run twice, and no secret in any log.
use crate::common::{self, TestDb};
use chrono::{Duration, Utc};
use clientdesk::customers::areas::history::service::list as history;
use clientdesk::customers::areas::products::hosting::{add, find, for_portal, list, log, request};
use clientdesk::customers::areas::products::hosting_model::*;
use clientdesk::customers::areas::products::hosting_run::{Ran, RunOpts, run_one};
use clientdesk::customers::service::{Actor, profile, seed::seed_customers};
use clientdesk::db::entities::provisioning_job;
use clientdesk::error::AppError;
use clientdesk::provisioning::job::{HOSTINGS, finish, record_step};
use clientdesk::provisioning::{Account, JobCtx, Modules, ProvError, Provisioner, Remote, ServerConf};
use sea_orm::EntityTrait;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Answers each remote call from its plan (Ok when the plan is empty) and counts the remote
/// effects that happened.
#[derive(Default)]
struct Fake {
    plan: Mutex<VecDeque<Result<(), ProvError>>>,
    effects: AtomicUsize,
}

impl Fake {
    fn plan(&self, results: Vec<Result<(), ProvError>>) {
        *self.plan.lock().unwrap() = results.into();
    }

    async fn remote(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        j.step("remote", || async {
            let next = self.plan.lock().unwrap().pop_front().unwrap_or(Ok(()));
            // A module that puts the password into its error: the log must not show it.
            let next = next.map_err(|e| match e {
                ProvError::Transient(m) => ProvError::Transient(format!("{m} (password {})", a.password)),
                other => other,
            });
            if next.is_ok() {
                self.effects.fetch_add(1, Ordering::SeqCst);
            }
            next
        })
        .await
    }
}

#[async_trait::async_trait]
impl Provisioner for Fake {
    fn module(&self) -> &'static str {
        "fake"
    }
    async fn test_connection(&self, _s: &ServerConf) -> Result<String, ProvError> {
        Ok("fake".into())
    }
    async fn create(&self, j: &JobCtx, a: &Account) -> Result<String, ProvError> {
        self.remote(j, a).await?;
        Ok(format!("fake:{}", a.username))
    }
    async fn suspend(&self, j: &JobCtx, a: &Account, _reason: &str) -> Result<(), ProvError> {
        self.remote(j, a).await
    }
    async fn unsuspend(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        self.remote(j, a).await
    }
    async fn terminate(&self, j: &JobCtx, a: &Account) -> Result<(), ProvError> {
        self.remote(j, a).await
    }
    async fn status(&self, _j: &JobCtx, _a: &Account) -> Result<Remote, ProvError> {
        Ok(Remote::Active)
    }
}

fn key_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Validation(e)) => e[0].key.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn at(minutes: i64) -> RunOpts {
    RunOpts { now: Some(Utc::now() + Duration::minutes(minutes)), ..Default::default() }
}

async fn setup(t: &TestDb, auto: bool) -> (Arc<Fake>, Modules, i32) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 7).await.unwrap();
    let package = common::hosting::package(&t.db, "fake", "", 0, r#"{"prefix":"web"}"#, auto).await;
    let fake = Arc::new(Fake::default());
    let modules = Modules::standard().with(fake.clone());
    (fake, modules, package)
}

fn input(package: i32) -> HostingInput {
    HostingInput { package_id: package, contract_date: "2026-12-01".into(), ..Default::default() }
}

async fn status_of(t: &TestDb, id: i32) -> (HostingStatus, i64) {
    let h = find(&t.db, 1, id).await.unwrap();
    (HostingStatus::parse(&h.status).unwrap(), h.version)
}

async fn transient_errors_are_retried_and_permanent_ones_fail(t: TestDb) {
    let (fake, modules, package) = setup(&t, false).await;
    let staff = Actor::Staff(1);
    let ctx = t.ctx();
    assert_eq!(
        key_of(add(&ctx, staff, 1, &HostingInput { package_id: 999, ..input(package) }).await),
        "hosting.package_unknown"
    );
    assert_eq!(
        key_of(add(&ctx, staff, 1, &HostingInput { domain: "-x-.de".into(), ..input(package) }).await),
        "hosting.domain_invalid"
    );
    let id = add(&ctx, staff, 1, &input(package)).await.unwrap();
    let row = find(&t.db, 1, id).await.unwrap();
    assert_eq!((row.username.clone(), row.status.as_str()), (format!("web{id}"), "pending"), "{}", t.backend);
    assert!(
        run_one(&ctx, &modules, &RunOpts::default()).await.unwrap().is_none(),
        "nothing queued without auto-provisioning"
    );

    // Another customer's hosting is not found; a stale version is a conflict.
    assert!(matches!(
        request(&ctx, staff, 2, (id, 1), HostingRequest::Provision, "").await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        request(&ctx, staff, 1, (id, 0), HostingRequest::Provision, "").await,
        Err(AppError::Conflict { current_version: 1 })
    ));
    fake.plan(vec![Err(ProvError::Transient("busy".into())), Err(ProvError::Transient("busy".into()))]);
    request(&ctx, staff, 1, (id, 1), HostingRequest::Provision, "").await.unwrap();
    let (status, version) = status_of(&t, id).await;
    assert_eq!(status, HostingStatus::Provisioning);
    // While the job is open nothing else is asked of the hosting.
    assert_eq!(
        key_of(request(&ctx, staff, 1, (id, version), HostingRequest::Terminate, "").await),
        "hosting.busy"
    );

    let first = run_one(&ctx, &modules, &RunOpts::default()).await.unwrap().unwrap();
    assert!(matches!(first, Ran::Job { status: JobStatus::Queued, .. }), "{first:?}");
    assert!(
        run_one(&ctx, &modules, &RunOpts::default()).await.unwrap().is_none(),
        "not due before the backoff"
    );
    assert!(matches!(
        run_one(&ctx, &modules, &at(2)).await.unwrap(),
        Some(Ran::Job { status: JobStatus::Queued, .. })
    ));
    assert!(matches!(
        run_one(&ctx, &modules, &at(10)).await.unwrap(),
        Some(Ran::Job { status: JobStatus::Done, .. })
    ));
    assert_eq!(fake.effects.load(Ordering::SeqCst), 1);
    let page = list(&t.db, 1, 1).await.unwrap();
    let row = &page.rows[0];
    assert_eq!(
        (row.status, row.external_ref.as_str()),
        (HostingStatus::Active, format!("fake:web{id}").as_str())
    );
    assert_eq!(
        row.last_job.as_ref().map(|j| (j.action, j.status, j.attempts)),
        Some((JobAction::Create, JobStatus::Done, 3))
    );

    // The password went into an error: the log has it masked, never in clear.
    let password = clientdesk::auth::secrets::open(&find(&t.db, 1, id).await.unwrap().secret).unwrap();
    let lines = log(&t.db, 1, id, 1).await.unwrap();
    assert!(
        lines.rows.iter().any(|l| l.level == "error" && l.message.contains("busy (password ••••)")),
        "{:?}",
        lines.rows
    );
    assert!(lines.rows.iter().all(|l| !l.message.contains(&password)));
    let jobs = provisioning_job::Entity::find().all(&t.db).await.unwrap();
    assert!(jobs.iter().all(|j| !j.last_error.contains(&password)));

    // Suspend needs a reason; a permanent error fails the job, the hosting stays active and
    // the warnings row names it; a retry then suspends it.
    let (_, version) = status_of(&t, id).await;
    assert_eq!(
        key_of(request(&ctx, staff, 1, (id, version), HostingRequest::Suspend, " ").await),
        "hosting.reason_required"
    );
    fake.plan(vec![Err(ProvError::Permanent("refused".into()))]);
    request(&ctx, staff, 1, (id, version), HostingRequest::Suspend, "Zahlungsverzug").await.unwrap();
    assert!(matches!(
        run_one(&ctx, &modules, &RunOpts::default()).await.unwrap(),
        Some(Ran::Job { status: JobStatus::Failed, .. })
    ));
    let (status, version) = status_of(&t, id).await;
    assert_eq!(status, HostingStatus::Active);
    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(
        warnings.iter().any(|w| w.key == "warning.provisioning_failed" && w.args[0].1 == format!("web{id}")),
        "{warnings:?}"
    );
    assert_eq!(
        key_of(request(&ctx, staff, 1, (id, version), HostingRequest::Unsuspend, "").await),
        "hosting.not_now"
    );
    request(&ctx, staff, 1, (id, version), HostingRequest::Retry, "").await.unwrap();
    run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    let row = &list(&t.db, 1, 1).await.unwrap().rows[0];
    assert_eq!((row.status, row.suspend_reason.as_str()), (HostingStatus::Suspended, "Zahlungsverzug"));
    assert!(row.suspended_at.is_some());
    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(warnings.iter().all(|w| w.key != "warning.provisioning_failed"));
    assert!(warnings.iter().any(|w| w.key == "warning.hosting_suspended"));
    // The customer sees why and since when in the self-service area; nobody else sees it.
    let portal = for_portal(&t.db, 1, 1).await.unwrap();
    let shown = &portal.rows[0];
    assert_eq!(
        (shown.status, shown.reason.as_str(), shown.since.is_some()),
        (HostingStatus::Suspended, "Zahlungsverzug", true)
    );
    assert!(for_portal(&t.db, 2, 1).await.unwrap().rows.is_empty());

    // The Verlauf holds every status change, by the system where the server's answer made it.
    let changes: Vec<(String, String, String)> = history(&t.db, 1, "", 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "hosting")
        .map(|c| (c.field, c.new_value, c.actor_kind))
        .collect();
    assert_eq!(
        changes,
        [
            ("suspend_reason".to_string(), "Zahlungsverzug".to_string(), "system".to_string()),
            ("status".into(), "suspended".into(), "system".into()),
            ("status".into(), "active".into(), "system".into()),
            ("status".into(), "provisioning".into(), "staff".into()),
            ("status".into(), "pending".into(), "staff".into()),
        ],
        "{}",
        t.backend
    );
    t.finish().await;
}
db_test!(transient_errors_are_retried_and_permanent_ones_fail);

async fn a_worker_that_lost_its_lease_is_fenced_and_steps_run_once(t: TestDb) {
    let (fake, modules, package) = setup(&t, true).await;
    let ctx = t.ctx();
    let id = add(&ctx, Actor::Staff(1), 1, &input(package)).await.unwrap();
    assert_eq!(
        status_of(&t, id).await.0,
        HostingStatus::Provisioning,
        "queued at once with auto-provisioning"
    );

    // The first attempt does the remote step and dies before it reports.
    let killed = RunOpts { stop_after_step: Some("remote".into()), ..Default::default() };
    let first = run_one(&ctx, &modules, &killed).await.unwrap().unwrap();
    let Ran::Stopped { id: job } = first else { panic!("{first:?}") };
    assert!(run_one(&ctx, &modules, &RunOpts::default()).await.unwrap().is_none(), "its lease still holds");
    // After the lease another worker takes it over: the recorded step is skipped.
    let second = run_one(&ctx, &modules, &at(6)).await.unwrap().unwrap();
    assert!(matches!(second, Ran::Job { status: JobStatus::Done, .. }), "{second:?}");
    assert_eq!(fake.effects.load(Ordering::SeqCst), 1, "the remote step ran once, {}", t.backend);
    assert!(log(&t.db, 1, id, 1).await.unwrap().rows.iter().any(|l| l.message.contains("skipped")));
    // The first worker comes back: its writes name attempt 1 and change nothing.
    assert!(!record_step(&t.db, &HOSTINGS, job, 1, "remote,other").await.unwrap());
    let take = clientdesk::provisioning::job::Take { id: job, attempt: 1 };
    assert!(!finish(&t.db, &HOSTINGS, take, JobStatus::Failed, "late").await.unwrap());
    let row = provisioning_job::Entity::find_by_id(job).one(&t.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.attempts, row.steps_done.as_str()), ("done", 2, "remote"));
    assert_eq!(status_of(&t, id).await.0, HostingStatus::Active);

    // A job whose workers keep dying fails as interrupted once its attempts are used up.
    let (_, version) = status_of(&t, id).await;
    request(&ctx, Actor::Staff(1), 1, (id, version), HostingRequest::Suspend, "Missbrauch").await.unwrap();
    let killed = RunOpts { stop_after_step: Some("nothing".into()), ..Default::default() };
    fake.plan(vec![Err(ProvError::Stopped); 5]);
    for minute in [0, 6, 12, 18, 24] {
        let ran = run_one(&ctx, &modules, &RunOpts { now: at(minute).now, ..killed.clone() }).await.unwrap();
        assert!(matches!(ran, Some(Ran::Stopped { .. })), "{minute}: {ran:?}");
    }
    let sixth = run_one(&ctx, &modules, &at(30)).await.unwrap();
    assert!(
        matches!(sixth, Some(Ran::Job { status: JobStatus::Failed, .. })),
        "the sixth take fails it: {sixth:?}"
    );
    let last = &list(&t.db, 1, 1).await.unwrap().rows[0];
    let job = last.last_job.as_ref().unwrap();
    assert_eq!((job.status, job.last_error.starts_with("interrupted")), (JobStatus::Failed, true));
    assert_eq!(last.status, HostingStatus::Active, "a failed suspension leaves it as it was");
    t.finish().await;
}
db_test!(a_worker_that_lost_its_lease_is_fenced_and_steps_run_once);

async fn a_hosting_never_set_up_ends_without_a_job(t: TestDb) {
    let (_fake, modules, package) = setup(&t, false).await;
    let ctx = t.ctx();
    // A Unicode domain in any case is kept as its A-label.
    let idn = HostingInput { domain: " MÜLLER.de. ".into(), ..input(package) };
    let id = add(&ctx, Actor::Staff(1), 1, &idn).await.unwrap();
    assert_eq!(find(&t.db, 1, id).await.unwrap().domain, "xn--mller-kva.de");
    request(&ctx, Actor::Staff(1), 1, (id, 1), HostingRequest::Terminate, "").await.unwrap();
    let row = &list(&t.db, 1, 1).await.unwrap().rows[0];
    assert_eq!((row.status, row.last_job.is_none()), (HostingStatus::Terminated, true), "{}", t.backend);
    assert!(run_one(&ctx, &modules, &RunOpts::default()).await.unwrap().is_none());
    assert_eq!(
        key_of(request(&ctx, Actor::Staff(1), 1, (id, 2), HostingRequest::Provision, "").await),
        "hosting.not_now"
    );
    t.finish().await;
}
db_test!(a_hosting_never_set_up_ends_without_a_job);

/// Lets a create finish only once two creates run at the same time (or gives up after 3 s:
/// sooner than the worker's 5 s look-round, so only the wake-up can bring the second slot).
struct Gate(tokio::sync::Barrier);

#[async_trait::async_trait]
impl Provisioner for Gate {
    fn module(&self) -> &'static str {
        "gate"
    }
    async fn test_connection(&self, _s: &ServerConf) -> Result<String, ProvError> {
        Ok("gate".into())
    }
    async fn create(&self, _j: &JobCtx, a: &Account) -> Result<String, ProvError> {
        match tokio::time::timeout(std::time::Duration::from_secs(3), self.0.wait()).await {
            Ok(_) => Ok(format!("gate:{}", a.username)),
            Err(_) => Err(ProvError::Permanent("ran alone".into())),
        }
    }
    async fn suspend(&self, _j: &JobCtx, _a: &Account, _reason: &str) -> Result<(), ProvError> {
        Ok(())
    }
    async fn unsuspend(&self, _j: &JobCtx, _a: &Account) -> Result<(), ProvError> {
        Ok(())
    }
    async fn terminate(&self, _j: &JobCtx, _a: &Account) -> Result<(), ProvError> {
        Ok(())
    }
    async fn status(&self, _j: &JobCtx, _a: &Account) -> Result<Remote, ProvError> {
        Ok(Remote::Active)
    }
}

/// The worker runs two jobs at once: two hostings whose module waits for the other both
/// become active (with one slot each would wait alone and fail).
async fn the_worker_runs_two_jobs_at_once(t: TestDb) {
    common::server::add_staff(&t.db).await;
    seed_customers(&t.db, 2, 7).await.unwrap();
    let package = common::hosting::package(&t.db, "gate", "", 0, r#"{"prefix":"g"}"#, true).await;
    let modules = Modules::standard().with(Arc::new(Gate(tokio::sync::Barrier::new(2))));
    let ctx = t.ctx();
    // Both loops look, find nothing and wait; then two jobs come with one wake-up.
    let wake = Arc::new(tokio::sync::Notify::new());
    let worker =
        clientdesk::customers::areas::products::hosting_run::spawn(ctx.clone(), wake.clone(), modules, 2);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let first = add(&ctx, Actor::Staff(1), 1, &input(package)).await.unwrap();
    let second = add(&ctx, Actor::Staff(1), 2, &input(package)).await.unwrap();
    wake.notify_one();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let statuses = loop {
        let a = HostingStatus::parse(&find(&t.db, 1, first).await.unwrap().status).unwrap();
        let b = HostingStatus::parse(&find(&t.db, 2, second).await.unwrap().status).unwrap();
        let open = |s| matches!(s, HostingStatus::Pending | HostingStatus::Provisioning);
        if !(open(a) || open(b)) || std::time::Instant::now() > deadline {
            break (a, b);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    worker.abort();
    assert_eq!(statuses, (HostingStatus::Active, HostingStatus::Active), "{}", t.backend);
    t.finish().await;
}
db_test!(the_worker_runs_two_jobs_at_once);

/// Reconciliation: a check asks the server how the account stands and records its answer; where
/// it differs from ours, the warnings row says so. A check changes nothing else and is not a
/// failed provisioning; hostings on the manual module cannot be checked.
async fn a_check_records_what_the_server_reports_and_a_difference_warns(t: TestDb) {
    let (_fake, modules, package) = setup(&t, true).await;
    let ctx = t.ctx();
    let staff = Actor::Staff(1);
    let id = add(&ctx, staff, 1, &input(package)).await.unwrap();
    run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    let version = |t: &TestDb| {
        let db = t.db.clone();
        async move { find(&db, 1, id).await.unwrap().version }
    };
    // Active here, active there: recorded, no warning.
    request(&ctx, staff, 1, (id, version(&t).await), HostingRequest::Check, "").await.unwrap();
    let ran = run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    assert!(matches!(ran, Some(Ran::Job { status: JobStatus::Done, .. })), "{ran:?}");
    let h = find(&t.db, 1, id).await.unwrap();
    assert_eq!((h.status.as_str(), h.remote_state.as_str()), ("active", "active"));
    assert!(h.checked_at.is_some());
    let row = &list(&t.db, 1, 1).await.unwrap().rows[0];
    assert_eq!(row.remote_state, "active");
    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(warnings.iter().all(|w| !w.key.starts_with("warning.hosting_remote")), "{warnings:?}");

    // Suspended here, but the (test) server still reports the account active.
    request(&ctx, staff, 1, (id, version(&t).await), HostingRequest::Suspend, "Zahlungsverzug")
        .await
        .unwrap();
    run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    request(&ctx, staff, 1, (id, version(&t).await), HostingRequest::Check, "").await.unwrap();
    run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    let h = find(&t.db, 1, id).await.unwrap();
    assert_eq!((h.status.as_str(), h.remote_state.as_str()), ("suspended", "active"), "{}", t.backend);
    let warnings = profile(&t.db, 1).await.unwrap().warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.key == "warning.hosting_remote_active" && w.args[0].1 == format!("web{id}")),
        "{warnings:?}"
    );
    assert!(warnings.iter().all(|w| w.key != "warning.provisioning_failed"));
    // The Verlauf holds the status changes only, not the checks.
    let changes = history(&t.db, 1, "", 50).await.unwrap();
    assert!(changes.iter().all(|c| c.field != "remote_state"));

    // The daily job queues one check per hosting and day, none for the manual module.
    let today = chrono::Utc::now().date_naive();
    let queue_checks = clientdesk::customers::areas::products::hosting::queue_checks;
    assert_eq!(queue_checks(&t.db, today).await.unwrap(), 1, "{}", t.backend);
    assert_eq!(queue_checks(&t.db, today).await.unwrap(), 0, "once a day");
    let ran = run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    assert!(matches!(ran, Some(Ran::Job { status: JobStatus::Done, .. })), "{ran:?}");
    assert_eq!(queue_checks(&t.db, today).await.unwrap(), 0, "already checked today");

    // The manual module cannot report: refused with a message.
    let manual = common::hosting::package(&t.db, "manual", "", 0, "{}", true).await;
    let other = add(&ctx, staff, 1, &input(manual)).await.unwrap();
    run_one(&ctx, &modules, &RunOpts::default()).await.unwrap();
    let v = find(&t.db, 1, other).await.unwrap().version;
    assert_eq!(
        key_of(request(&ctx, staff, 1, (other, v), HostingRequest::Check, "").await),
        "hosting.check_unsupported"
    );
    t.finish().await;
}
db_test!(a_check_records_what_the_server_reports_and_a_difference_warns);

/// The settings pages' fields: each module setting is read into the stored JSON (other keys
/// kept, emptied ones removed), and a wrong one is named with its line; nothing is saved then.
async fn module_settings_are_read_from_their_fields(t: TestDb) {
    use clientdesk::catalogue::server_model::{PackageInput, ServerInput};
    use clientdesk::catalogue::servers::{save_package, save_server};
    use clientdesk::db::entities::{hosting_package, server};
    let fields = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let mut input = ServerInput {
        name: "DNS 1".into(),
        module: "powerdns".into(),
        host: "127.0.0.1".into(),
        port: 8081,
        settings: r#"{"custom": true, "server_id": "old"}"#.into(),
        fields: fields(&[
            ("prefix", "dns"),
            ("server_id", ""),
            ("nameservers", "NS1.example.net.\nns2.example.net\nnicht gültig"),
        ]),
        active: true,
        ..Default::default()
    };
    let wrong = save_server(&t.db, &input).await.unwrap_err();
    let AppError::Validation(errors) = wrong else { panic!("{wrong:?}") };
    assert_eq!(
        (errors[0].field.as_str(), errors[0].key.as_str()),
        ("settings.nameservers", "servers.setting_host_invalid")
    );
    assert_eq!(errors[0].args, vec![("line".to_string(), "3".to_string())]);
    assert!(server::Entity::find().all(&t.db).await.unwrap().is_empty(), "nothing saved");

    input.fields =
        fields(&[("prefix", "dns"), ("server_id", ""), ("nameservers", "NS1.example.net.\nns2.example.net")]);
    let id = save_server(&t.db, &input).await.unwrap();
    let row = server::Entity::find_by_id(id).one(&t.db).await.unwrap().unwrap();
    let stored: serde_json::Value = serde_json::from_str(&row.settings).unwrap();
    assert_eq!(
        stored,
        serde_json::json!({"custom": true, "prefix": "dns", "nameservers": ["ns1.example.net", "ns2.example.net"]}),
        "{}",
        t.backend
    );

    let mut package = PackageInput {
        name: "DNS S".into(),
        server_id: id,
        settings: "{}".into(),
        fields: fields(&[("records", "@ 3600 A 192.0.2.10\nwww 30 CNAME @")]),
        active: true,
        ..Default::default()
    };
    let AppError::Validation(errors) = save_package(&t.db, &package).await.unwrap_err() else { panic!() };
    assert_eq!(
        (errors[0].field.as_str(), errors[0].args[0].1.as_str()),
        ("settings.records", "2"),
        "a TTL of 30 s"
    );
    package.fields = fields(&[("records", "@ 3600 A 192.0.2.10\nwww 300 CNAME @")]);
    let pid = save_package(&t.db, &package).await.unwrap();
    let row = hosting_package::Entity::find_by_id(pid).one(&t.db).await.unwrap().unwrap();
    let stored: serde_json::Value = serde_json::from_str(&row.settings).unwrap();
    assert_eq!(
        stored["records"][1],
        serde_json::json!({"name": "www", "ttl": 300, "type": "CNAME", "content": "@"})
    );
    t.finish().await;
}
db_test!(module_settings_are_read_from_their_fields);
