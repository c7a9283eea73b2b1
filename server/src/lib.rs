//! The shop's HTTP server: configuration, database start-up, middleware, the router and
//! graceful shutdown. Pages and server functions live in the `app` crate.

pub mod cart_view;
pub mod client_ip;
pub mod config;
pub mod consent_form;
pub mod contact_form;
pub mod crawlers;
pub mod error_pages;
pub mod forms;
pub mod health;
pub mod origin_check;
pub mod page_cache;
pub mod pages;
pub mod query;
pub mod recently_viewed;
pub mod router;
pub mod security_headers;
pub mod shutdown;
pub mod static_assets;

use std::net::SocketAddr;

use app::backend::{AppState, Db, DbError};
use axum::serve::ListenerExt;
pub use config::{Config, ConfigError};
use tracing_subscriber::EnvFilter;

/// Everything that can stop the shop from starting, each with a message that says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(
        "cannot listen on {addr}: {source}; stop whatever uses it or set LEPTOS_SITE_ADDR to \
         another address"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the demo catalogue could not be loaded: {0}")]
    DemoCatalogue(sqlx::Error),
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Logs go to stderr; `RUST_LOG` chooses how much (default: info for the shop, warn for the rest).
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,server=info,app=info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Opens and migrates the database, then serves until a shutdown signal; in-flight requests
/// finish before the pool closes.
pub async fn run(config: Result<Config, ConfigError>) -> Result<(), StartupError> {
    let config = config?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if app::backend::demo::seed_if_empty(&db)
        .await
        .map_err(StartupError::DemoCatalogue)?
    {
        tracing::info!("the database was empty: loaded the demo catalogue");
    }
    tracing::info!(
        database = %app::backend::db::redact_password(&config.database_url),
        "database ready"
    );

    let addr = config.leptos_options.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Bind { addr, source })?;

    let mut state = AppState::new(config.leptos_options, db.clone());
    if let Some(public_url) = config.public_url {
        state.public_url = public_url;
    }
    state.shipping = config.shipping;
    state.seller = config.seller;
    state.trusted_proxies = config.trusted_proxies;
    let app = router::build(state);
    tracing::info!("serving the shop at http://{addr}");
    // Without TCP_NODELAY, the end of a response on a kept-alive connection waits for the
    // client's delayed ACK (Nagle's algorithm): about 40 ms for every static file after the
    // first on a connection, which every phone's first visit pays.
    let listener = listener.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY on a connection");
        }
    });
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown::signal())
    .await;

    db.close().await;
    tracing::info!("stopped");
    served.map_err(StartupError::Serve)
}

/// `server reload-demo`: replaces the catalogue with the demo catalogue, then exits.
pub async fn reload_demo(config: Result<Config, ConfigError>) -> Result<(), StartupError> {
    let config = config?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    app::backend::demo::reload(&db)
        .await
        .map_err(StartupError::DemoCatalogue)?;
    db.close().await;
    tracing::info!("the demo catalogue was reloaded");
    Ok(())
}
