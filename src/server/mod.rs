//! The HTTP server: configuration, state, middleware, routes, start and shutdown.
pub mod middleware;
pub mod router;
pub mod sse;

use crate::db;
use crate::web::anyhow_lite;
use crate::web::config::Config;
use crate::web::state::AppState;
use std::net::SocketAddr;

/// Connect, migrate, seed demo data into an empty database, and serve until Ctrl+C / SIGTERM.
pub async fn serve(config: Config) -> anyhow_lite::Result<()> {
    crate::auth::secrets::init(&config.data_dir)?;
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let sealed = crate::auth::secrets::seal_stored(&db).await?;
    if sealed > 0 {
        println!("Encrypted {sealed} stored two-factor secrets.");
    }
    if let Some(message) = first_start(&db, &config).await? {
        println!("{message}");
    }
    let state = AppState::new(db, config.clone())?;
    let mailer = crate::mail::sender::Mailer::from_settings(
        config.smtp_url.as_deref(),
        &config.data_dir,
        &config.mail_from,
    )?
    .with_store(state.store.clone());
    let sender = mailer.spawn(state.db.clone(), state.mail_wakeup.clone(), state.live.clone());
    let retention = crate::customers::areas::erase::retention::spawn(state.db.clone());
    let provisioning = crate::customers::areas::products::hosting_run::spawn(
        state.ctx(""),
        state.jobs_wakeup.clone(),
        crate::provisioning::Modules::standard(),
        crate::customers::areas::products::hosting_run::SLOTS,
    );
    let registrars = crate::customers::areas::domains::jobs::spawn(
        state.ctx(""),
        state.jobs_wakeup.clone(),
        crate::provisioning::registrar::Registrars::standard(),
    );
    let cleanup =
        crate::storage::cleanup::spawn(state.db.clone(), state.store.clone(), state.cleanup_wakeup.clone());
    let billing = crate::billing::run::spawn(state.ctx("billing"));
    let archive = crate::documents::invoice_archive::spawn(
        state.ctx("billing"),
        state.store.clone(),
        std::sync::Arc::new(tokio::sync::Notify::new()),
    );
    let live = state.live.clone();
    let app = router::app_router(state);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    println!("clientdesk listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open live streams would keep the server waiting.
            live.close();
        })
        .await?;
    sender.abort();
    retention.abort();
    provisioning.abort();
    registrars.abort();
    cleanup.abort();
    billing.abort();
    archive.abort();
    Ok(())
}

/// On a database without staff: with demo data switched on, seed it and return the demo login;
/// otherwise return how to add the first staff member. `None` once staff exist.
pub async fn first_start(db: &db::Db, config: &Config) -> crate::error::AppResult<Option<String>> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    if crate::db::entities::staff::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    if !config.demo {
        return Ok(Some(
            "No staff account yet. Add the first one with\n  clientdesk staff add --email <address> --name <name> --password <password>\n(or start with --demo for demo data)."
                .into(),
        ));
    }
    let store = crate::storage::Store::configured(config.storage.as_deref(), &config.data_dir)?;
    Ok(crate::demo::seed_if_empty(db, &config.base_url, Some(&store))
        .await?
        .map(|(email, password)| format!("Demo staff login: {email}  password: {password}")))
}

/// Start the server on an already bound listener in the background (tests, benchmarks).
pub fn spawn_on(listener: tokio::net::TcpListener, state: AppState) -> tokio::task::JoinHandle<()> {
    let app = router::app_router(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
