//! The database handle. One pool of `sqlx::Any` connections serves SQLite (the embedded default)
//! and PostgreSQL (several server processes on one database) with the same queries: portable SQL
//! with `$1` placeholders, money and timestamps as integers or ISO text. Only the migrations
//! differ per dialect (`server/migrations/{sqlite,postgres}`).

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    time::Duration,
};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::{MigrateError, Migrator},
    AnyPool, Executor,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../server/migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../server/migrations/postgres");

/// Run on every new SQLite connection. WAL lets readers work while one writer commits;
/// `synchronous = FULL` makes a commit durable before we acknowledge it (an acknowledged order
/// must survive a crash); the busy timeout makes a writer wait for the lock instead of failing.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON;";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(DbError::UnsupportedUrl(scheme.to_string()))
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Self::Sqlite => &SQLITE_MIGRATIONS,
            Self::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// Why the database could not be opened; each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL must start with sqlite: (a file, e.g. sqlite://data/lesminoria.db) or \
         postgres:// (a server); it starts with {0:?}"
    )]
    UnsupportedUrl(String),
    #[error(
        "the SQLite data folder {path} cannot be created or written ({source}); make it \
         writable or point DATABASE_URL at another file"
    )]
    DataFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("DATABASE_URL {url} could not be understood: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot open the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("the database migrations failed: {0}")]
    Migrate(#[from] MigrateError),
}

/// A pool of connections and the dialect behind it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

impl Db {
    /// Opens a pool for `url`. For SQLite the file and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_url(url)?;
        let url = match dialect {
            Dialect::Sqlite => prepare_sqlite_url(url)?,
            Dialect::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|error| DbError::InvalidUrl {
            url: redact_password(&url),
            reason: error.to_string(),
        })?;
        let pool = AnyPoolOptions::new()
            .max_connections(match dialect {
                Dialect::Sqlite => 8,
                Dialect::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        connection.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|source| DbError::Connect {
                url: redact_password(&url),
                source,
            })?;
        Ok(Self { pool, dialect })
    }

    /// Brings the schema up to date. Safe to run from several processes at once: sqlx takes an
    /// advisory lock on PostgreSQL, and SQLite serialises writers.
    pub async fn migrate(&self) -> Result<(), DbError> {
        self.dialect.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// One round trip to the database, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        self.pool.execute("SELECT 1").await.map(|_| ())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Waits for checked-out connections to come back, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the folder of a SQLite file, checks that it is writable (an unwritable folder
/// otherwise surfaces later as an obscure "unable to open database file"), and asks SQLite to
/// create the file when it does not exist yet.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(url.to_string());
    }
    let folder = match Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    ensure_writable_folder(&folder).map_err(|source| DbError::DataFolder {
        path: folder.clone(),
        source,
    })?;
    let has_mode = query.split('&').any(|pair| pair.starts_with("mode="));
    Ok(match (has_mode, query.is_empty()) {
        (true, _) => url.to_string(),
        (false, true) => format!("sqlite://{path}?mode=rwc"),
        (false, false) => format!("sqlite://{path}?{query}&mode=rwc"),
    })
}

fn ensure_writable_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let probe = folder.join(format!(".write-check-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// Database URLs may carry a password; never print it.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_both_dialects_and_refuses_others() {
        assert_eq!(
            Dialect::of_url("sqlite://data/x.db").unwrap(),
            Dialect::Sqlite
        );
        assert_eq!(Dialect::of_url("sqlite:x.db").unwrap(), Dialect::Sqlite);
        assert_eq!(
            Dialect::of_url("postgres://h/db").unwrap(),
            Dialect::Postgres
        );
        assert_eq!(
            Dialect::of_url("postgresql://h/db").unwrap(),
            Dialect::Postgres
        );
        let error = Dialect::of_url("mysql://h/db").unwrap_err();
        assert!(error.to_string().contains("\"mysql\""), "{error}");
    }

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact_password("postgres://shop:s3cret@db.internal/shop"),
            "postgres://shop:***@db.internal/shop"
        );
        assert_eq!(redact_password("postgres://db/shop"), "postgres://db/shop");
        assert_eq!(redact_password("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn sqlite_url_creates_its_folder_and_asks_for_file_creation() {
        let dir = std::env::temp_dir().join(format!("lm-db-url-{}", std::process::id()));
        let file = dir.join("nested").join("shop.db");
        let url = prepare_sqlite_url(&format!("sqlite://{}", file.display())).unwrap();
        assert!(dir.join("nested").is_dir());
        assert_eq!(url, format!("sqlite://{}?mode=rwc", file.display()));
        let with_query = prepare_sqlite_url(&format!("sqlite://{}?cache=shared", file.display()));
        assert!(with_query.unwrap().ends_with("?cache=shared&mode=rwc"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_unwritable_data_folder_is_reported_with_its_path() {
        // A regular file cannot be a folder: creating "file/child" fails for root too.
        let blocker = std::env::temp_dir().join(format!("lm-db-blocker-{}", std::process::id()));
        std::fs::write(&blocker, b"").unwrap();
        let url = format!("sqlite://{}/shop.db", blocker.display());
        let error = prepare_sqlite_url(&url).unwrap_err();
        assert!(matches!(error, DbError::DataFolder { .. }));
        assert!(
            error.to_string().contains(&blocker.display().to_string()),
            "{error}"
        );
        std::fs::remove_file(blocker).unwrap();
    }
}
