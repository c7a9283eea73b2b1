//! The shop's HTTP server: configuration, database start-up, middleware, the router and
//! graceful shutdown. Pages and server functions live in the `app` crate.

pub mod account_forms;
pub mod account_lists;
pub mod account_page;
pub mod cart_view;
pub mod cayma_form;
pub mod checkout_form;
pub mod checkout_page;
pub mod client_ip;
pub mod config;
pub mod connections;
pub mod consent_form;
pub mod contact_form;
pub mod crawlers;
pub mod error_pages;
pub mod forms;
pub mod health;
pub mod image_upload;
pub mod mail_task;
pub mod origin_check;
pub mod page_cache;
pub mod pages;
pub mod query;
pub mod recently_viewed;
pub mod router;
pub mod sandbox_page;
pub mod sandbox_webhooks;
pub mod security_headers;
pub mod server_timing;
pub mod shutdown;
pub mod staff_forms;
pub mod staff_guard;
pub mod static_assets;

use std::net::SocketAddr;

use app::backend::{AppState, Db, DbError};
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
    #[error(
        "the database at {0} has never been set up (a missing SQLite file, an empty or dropped \
         PostgreSQL schema), and LEPTOS_ENV is PROD: restore the shop's database or point \
         DATABASE_URL at it; for a new shop, start once with LESMINORIA_CREATE_DATABASE=1"
    )]
    MissingDatabase(String),
    #[error("the demo catalogue could not be loaded: {0}")]
    DemoCatalogue(sqlx::Error),
    #[error("{0}")]
    Mail(String),
    #[error("the key for order links could not be read or kept: {0}")]
    Secret(sqlx::Error),
    #[error("{0}")]
    Usage(String),
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
    let new_sqlite_file =
        app::backend::db::sqlite_path_of_url(&config.database_url).filter(|path| !path.exists());
    let db = Db::connect(&config.database_url).await?;
    let uninitialised = db.is_uninitialised().await.map_err(|source| {
        StartupError::Database(DbError::Connect {
            url: app::backend::db::redact_password(&config.database_url),
            source,
        })
    })?;
    if uninitialised && config.production && !config.create_database && !config.demo_catalogue {
        // The SQLite file the pool just created goes again, so the next start meets the same
        // missing file; nothing that was there before is touched.
        db.close().await;
        if let Some(path) = new_sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        return Err(StartupError::MissingDatabase(
            app::backend::db::redact_password(&config.database_url),
        ));
    }
    db.migrate().await?;
    if config.demo_catalogue
        && app::backend::demo::seed_if_empty(&db)
            .await
            .map_err(StartupError::DemoCatalogue)?
    {
        tracing::info!("the catalogue was empty: loaded the demo catalogue");
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
    match config.public_url {
        Some(public_url) => state.public_url = public_url,
        None if addr.ip().is_unspecified() => tracing::warn!(
            "LEPTOS_SITE_ADDR listens on every address but LESMINORIA_PUBLIC_URL is not set: \
             forms are accepted only from localhost; set LESMINORIA_PUBLIC_URL to the address \
             shoppers use"
        ),
        None => {}
    }
    // The embedded sandbox takes test cards only: a production shop refuses it (its page does
    // not exist there); a demo shop, even one built for release, keeps it.
    let real_shop = config.production && !config.demo_catalogue;
    if !real_shop {
        tracing::warn!("card payments go to the embedded TEST provider (/test-odeme)");
    }
    let public_url = state.public_url.clone();
    state.configure_payments(public_url, real_shop);
    state.order_link_secret = std::sync::Arc::new(
        app::backend::order_link::shop_secret(&db, config.order_link_secret.as_deref())
            .await
            .map_err(StartupError::Secret)?,
    );
    state.shipping = config.shipping;
    state.checkout.shipping = config.shipping;
    if let Some(url) = &config.smtp_url {
        let from = format!("Les Minoria <{}>", config.seller.email);
        state.smtp =
            Some(app::backend::mail::SmtpSender::new(url, &from).map_err(StartupError::Mail)?);
    } else {
        tracing::warn!("LESMINORIA_SMTP_URL is not set: order e-mails wait in the outbox table");
    }
    state.seller = config.seller;
    state.trusted_proxies = config.trusted_proxies.clone();
    if db.dialect() == app::backend::db::Dialect::Postgres {
        tokio::spawn(app::backend::catalogue::changes::listen(
            config.database_url.clone(),
            state.catalogue.clone(),
        ));
    }
    tokio::spawn(mail_task::run(state.clone()));
    tokio::spawn(release_ended_reservations(state.clone()));
    if let (Some(bank), true) = (state.sandbox_bank.clone(), config.sandbox_webhooks) {
        // To this process's own listening address (loopback when it listens on all of them).
        let mut shop = listener.local_addr().unwrap_or(addr);
        if shop.ip().is_unspecified() {
            shop.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        tokio::spawn(sandbox_webhooks::run(bank, shop));
    }
    let app = router::build(state);
    tokio::spawn(forget_ended_rate_windows(db.clone()));
    tokio::spawn(app::backend::db::checkpoint_sqlite(db.clone()));
    tracing::info!("serving the shop at http://{addr}");
    connections::serve(
        listener,
        app,
        connections::fit_to_file_limit(config.connection_limits),
        config.trusted_proxies,
        shutdown::signal(),
    )
    .await;

    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Every few minutes, drops the rate-limit counters whose windows have ended (they hold IPs, kept
/// no longer than the limit needs them) and the sessions that have expired.
async fn forget_ended_rate_windows(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5 * 60));
    loop {
        every.tick().await;
        if let Err(error) = app::backend::rate_limit::prune(&db).await {
            tracing::warn!(%error, "could not forget ended rate-limit windows");
        }
        // Members' sessions past their expiry are never loaded; this removes them.
        let sessions = app::backend::sessions::DbSessionStore::new(db.clone());
        if let Err(error) =
            tower_sessions::session_store::ExpiredDeletion::delete_expired(&sessions).await
        {
            tracing::warn!(%error, "could not delete expired sessions");
        }
    }
}

/// Gives back the goods of unpaid orders whose reservation ended (a card page left, a transfer
/// that never came), every half minute; card payments nobody reported are asked about first;
/// campaigns that started or ended reload the catalogue; cayma refunds close to their legal due
/// date are made.
async fn release_ended_reservations(state: AppState) {
    let db = state.db.clone();
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        every.tick().await;
        let now = app::backend::time::now_seconds();
        // Pass after pass while the backlog shrinks (after an outage it clears now, not a batch
        // every half minute); at most 40 passes (20,000 orders) per tick, so the campaign and
        // cayma work below is never starved.
        let mut left = app::backend::orders::expired_count(&db, now).await.ok();
        for _ in 0..40 {
            if left == Some(0) {
                break;
            }
            let asked = app::backend::orders::settle_unanswered_payments(
                &db,
                state.payments.as_ref(),
                state.invoices.as_ref(),
                now,
            )
            .await;
            let released = app::backend::orders::release_expired(&db, now).await;
            match asked {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "unreported card payments were asked about"),
                Err(ref error) => tracing::warn!(%error, "could not ask about unreported payments"),
            }
            match released {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "unpaid orders released their goods"),
                Err(ref error) => tracing::warn!(%error, "could not release ended reservations"),
            }
            let now_left = app::backend::orders::expired_count(&db, now).await.ok();
            let shrank = matches!((left, now_left), (Some(before), Some(after)) if after < before);
            if !shrank {
                break;
            }
            left = now_left;
        }
        // A campaign that started or ended changes the prices every page shows.
        match app::backend::catalogue::campaigns::bump_at_boundaries(&db).await {
            Ok(true) => {
                tracing::info!("a campaign started or ended: the catalogue reloads");
                state.catalogue.changed();
            }
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "could not look for campaigns starting or ending"),
        }
        // The legal 14 days of a cayma refund are never missed, whatever staff do.
        match app::backend::orders::cayma::refund_before_deadline(&db, state.payments.as_ref(), now)
            .await
        {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "cayma refunds near their due date were made"),
            Err(error) => tracing::warn!(%error, "could not make the cayma refunds due"),
        }
    }
}

/// `server create-staff --email E --name N --role yonetici|destek`: adds a member of staff,
/// with the password read from the first line of standard input (never an argument, which
/// other users of the machine could read, and never a default). For a yonetici it prints the
/// TOTP secret to put in an authenticator app: the back office asks for its code at login.
pub async fn create_staff(
    config: Result<Config, ConfigError>,
    args: Vec<String>,
) -> Result<(), StartupError> {
    let usage = || {
        StartupError::Usage(
            "create-staff --email E --name \"Ad Soyad\" --role yonetici|destek, with the password on standard input".into(),
        )
    };
    let value = |flag: &str| {
        args.iter()
            .position(|arg| arg == flag)
            .and_then(|at| args.get(at + 1))
            .cloned()
    };
    let (Some(email), Some(name), Some(role)) =
        (value("--email"), value("--name"), value("--role"))
    else {
        return Err(usage());
    };
    let role = app::model::staff::StaffRole::from_code(&role).ok_or_else(usage)?;
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|_| usage())?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    let config = config?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let created = app::backend::staff::create(&db, &email, &name, role, &password)
        .await
        .map_err(|error| StartupError::Usage(error.to_string()))?;
    db.close().await;
    println!("staff {} created ({})", created.id, role.code());
    if let Some(secret) = created.totp_secret {
        println!("second factor (TOTP) secret: {secret}");
        println!(
            "for an authenticator app: {}",
            app::backend::staff::totp::provisioning_uri(&secret, &email.trim().to_lowercase())
        );
        println!(
            "recovery codes (each logs in once without the app; keep them safe): {}",
            created.recovery_codes.join(" ")
        );
    }
    Ok(())
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
