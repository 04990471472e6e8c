//! The HTTP server: configuration, state, middleware, routes, start and shutdown.
pub mod config;
pub mod cookies;
pub mod middleware;
pub mod respond;
pub mod router;
pub mod state;

use crate::db;
use config::Config;
use state::AppState;
use std::net::SocketAddr;

/// Connect, migrate, seed demo data into an empty database, and serve until Ctrl+C / SIGTERM.
pub async fn serve(config: Config) -> anyhow_lite::Result<()> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    if let Some(login) = crate::demo::seed_if_empty(&db, &config.base_url).await? {
        println!("Demo staff login: {}  password: {}", login.0, login.1);
    }
    let state = AppState::new(db, config.clone())?;
    let mailer = crate::mail::sender::Mailer::from_settings(
        config.smtp_url.as_deref(),
        &config.data_dir,
        &config.mail_from,
    )?;
    let sender = mailer.spawn(state.db.clone(), state.mail_wakeup.clone(), state.live.clone());
    let retention = crate::records::retention::spawn(state.db.clone());
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
    Ok(())
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

/// A boxed error for the binary's top level; the services use `AppError`.
pub mod anyhow_lite {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}
