//! The database handle. One pool of `sqlx::Any` connections serves SQLite (the embedded default)
//! and PostgreSQL (several server processes on one database) with the same queries: portable SQL
//! with `$1` placeholders, money and timestamps as integers or ISO text. Only the migrations
//! differ per dialect (`server/migrations/{sqlite,postgres}`).

use std::{
    path::{Path, PathBuf},
    str::FromStr,
    sync::Arc,
    time::Duration,
};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::{MigrateError, Migrator},
    pool::PoolConnection,
    Any, AnyConnection, AnyPool, Executor,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../server/migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../server/migrations/postgres");

/// Run on every new SQLite connection. WAL lets readers work while one writer commits;
/// `synchronous = FULL` makes a commit durable before we acknowledge it (an acknowledged order
/// must survive a crash); the busy timeout makes a writer wait for the lock instead of failing.
/// The WAL is copied back into the database by [`checkpoint_sqlite`] off the writers' path;
/// the automatic checkpoint (which runs inside a commit, while every other writer waits for
/// its turn) stays only as a backstop at 10,000 pages.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; \
     PRAGMA wal_autocheckpoint = 10000; \
     PRAGMA foreign_keys = ON;";

/// How often [`checkpoint_sqlite`] copies the WAL back into the database file.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// Copies the SQLite WAL back into the database file every [`CHECKPOINT_INTERVAL`], on a
/// connection of the pool that holds no writer's turn. SQLite's own checkpoint runs in the
/// commit that crosses its threshold, with that writer's turn held: the file's copy and its
/// fsync (tens of milliseconds on a slow disk) then stalled every writer behind it, the p99 of
/// every checkout step. A passive checkpoint never waits for readers or writers, and what it
/// cannot copy yet is copied on a later pass. On PostgreSQL, nothing to do.
pub async fn checkpoint_sqlite(db: Db) {
    if db.dialect() != Dialect::Sqlite {
        return;
    }
    let mut every = tokio::time::interval(CHECKPOINT_INTERVAL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(db.pool())
            .await
        {
            tracing::warn!(%error, "the SQLite WAL could not be checkpointed; tried again in a second");
        }
    }
}

/// Run on every new PostgreSQL connection. A statement waits at most 2 s for a lock and runs at
/// most 10 s; a transaction left idle is ended after 15 s. Without these, a table locked for 40 s
/// held all 16 connections with hung writes and every page answered 503 until it was released;
/// now such writes fail in 2 s with the shop's "try again" answer and give their connection back.
const POSTGRES_SETTINGS: &str = "SET lock_timeout = '2s'; \
     SET statement_timeout = '10s'; \
     SET idle_in_transaction_session_timeout = '15s';";

/// How long a request waits for a free connection before it is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

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
    /// The SQLite file as it was opened. Connections keep a deleted or replaced file open and go
    /// on reading and writing it, so every write and the health check first make sure the path
    /// still leads to the same file: writes to a deleted file were acknowledged and lost.
    sqlite_file: Option<Arc<FileIdentity>>,
    /// SQLite's queue of writers (one turn at a time); none on PostgreSQL, which has row locks.
    writers: Option<Arc<tokio::sync::Semaphore>>,
}

/// How long a write waits for its turn on SQLite before the visitor is told to try again: the
/// same as SQLite's own busy timeout.
const WRITE_QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

/// A file's path and its device and inode numbers when it was opened.
#[derive(Debug)]
struct FileIdentity {
    path: PathBuf,
    device_and_inode: (u64, u64),
}

impl FileIdentity {
    fn of(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            path: path.to_path_buf(),
            device_and_inode: device_and_inode(path)?,
        })
    }

    /// Fails when the path no longer leads to the file that was opened.
    fn check(&self) -> Result<(), sqlx::Error> {
        if device_and_inode(&self.path).is_ok_and(|now| now == self.device_and_inode) {
            return Ok(());
        }
        Err(sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "the SQLite file {} was deleted or replaced while the shop ran",
                self.path.display()
            ),
        )))
    }
}

#[cfg(unix)]
fn device_and_inode(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path)?;
    Ok((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn device_and_inode(path: &Path) -> std::io::Result<(u64, u64)> {
    std::fs::metadata(path).map(|_| (0, 0))
}

impl Db {
    /// Opens a pool for `url`. For SQLite the file and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_url(url)?;
        let (url, sqlite_path) = match dialect {
            Dialect::Sqlite => prepare_sqlite_url(url)?,
            Dialect::Postgres => (url.to_string(), None),
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
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |connection, _meta| {
                Box::pin(async move {
                    connection
                        .execute(match dialect {
                            Dialect::Sqlite => SQLITE_PRAGMAS,
                            Dialect::Postgres => POSTGRES_SETTINGS,
                        })
                        .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|source| DbError::Connect {
                url: redact_password(&url),
                source,
            })?;
        // The pool opened (and, if missing, created) the file: remember which one it is.
        let sqlite_file = match sqlite_path {
            Some(path) => Some(Arc::new(FileIdentity::of(&path).map_err(|source| {
                DbError::DataFolder {
                    path: path.clone(),
                    source,
                }
            })?)),
            None => None,
        };
        Ok(Self {
            pool,
            dialect,
            sqlite_file,
            writers: (dialect == Dialect::Sqlite).then(|| Arc::new(tokio::sync::Semaphore::new(1))),
        })
    }

    /// Whether the schema has never been created here: no migration has run (a new SQLite
    /// file, an empty PostgreSQL database, or one whose schema was dropped).
    pub async fn is_uninitialised(&self) -> Result<bool, sqlx::Error> {
        let query = match self.dialect {
            Dialect::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Dialect::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let tables: i64 = sqlx::query_scalar(query).fetch_one(&self.pool).await?;
        Ok(tables == 0)
    }

    /// The SQLite file this pool writes to, if it is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.sqlite_file.as_deref().map(|file| file.path.as_path())
    }

    /// Fails when the SQLite file was deleted or replaced since it was opened.
    fn check_file(&self) -> Result<(), sqlx::Error> {
        match &self.sqlite_file {
            Some(file) => file.check(),
            None => Ok(()),
        }
    }

    /// A transaction for a write. Every write that is acknowledged to a visitor runs in one and
    /// awaits [`WriteTx::commit`] before answering: a `RETURNING` row read outside a transaction
    /// can arrive before a commit that then fails (a full disk), and the failure was lost.
    /// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so two writers queue on
    /// the busy timeout instead of one failing when it upgrades a read.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        self.check_file()?;
        // SQLite has one writer at a time: the others wait here, holding no connection, so that
        // a queue of writers cannot take the connections pages and cart prices need.
        let turn = match &self.writers {
            Some(queue) => Some(
                tokio::time::timeout(WRITE_QUEUE_TIMEOUT, queue.clone().acquire_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?
                    .map_err(|_| sqlx::Error::PoolClosed)?,
            ),
            None => None,
        };
        let mut tx = WriteTx {
            connection: Some(self.pool.acquire().await?),
            file: self.sqlite_file.clone(),
            turn,
        };
        // From here on, a future dropped mid-way (the visitor went away, a timeout) drops `tx`,
        // which closes the connection whatever state its transaction is in.
        let begin = match self.dialect {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        };
        if let Err(error) = tx.connection().execute(begin).await {
            // No transaction was opened: the connection can serve others.
            tx.release();
            return Err(error);
        }
        Ok(tx)
    }

    /// Brings the schema up to date. Safe to run from several processes at once: sqlx takes an
    /// advisory lock on PostgreSQL, and SQLite serialises writers.
    /// On PostgreSQL the migrations run on a connection of their own without the request
    /// timeouts (`POSTGRES_SETTINGS`): waiting for another process's migration lock, or a long
    /// migration, is expected at start-up. The connection is closed afterwards.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let mut connection = self.pool.acquire().await.map_err(MigrateError::from)?;
        if self.dialect == Dialect::Postgres {
            connection
                .execute(
                    "SET lock_timeout = 0; SET statement_timeout = 0; \
                     SET idle_in_transaction_session_timeout = 0;",
                )
                .await
                .map_err(MigrateError::from)?;
        }
        let result = self.dialect.migrator().run(&mut *connection).await;
        if self.dialect == Dialect::Postgres {
            // Its timeouts are off: it must not serve requests.
            drop(connection.detach());
        }
        result?;
        Ok(())
    }

    /// Reads a real table, for the health check: `SELECT 1` passed with the schema dropped,
    /// and a deleted SQLite file still answers through the connections that hold it open.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        self.check_file()?;
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM categories LIMIT 1) AS one",
        )
        .fetch_one(&self.pool)
        .await
        .map(|_| ())
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

/// The file a `sqlite:` URL names, if it names one (not `:memory:`, not another scheme).
pub fn sqlite_path_of_url(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// An open write transaction on a connection of its own (see [`Db::begin_write`]). Dereferences
/// to the connection, for queries. sqlx's own transaction was not enough: when its `COMMIT`
/// failed (a full disk), the connection went back to the pool still inside the transaction and
/// holding SQLite's write lock, and every later write waited for it and failed, space or not.
pub struct WriteTx {
    /// Present while the transaction may be open; taken out only once it is known to be over.
    connection: Option<PoolConnection<Any>>,
    file: Option<Arc<FileIdentity>>,
    /// SQLite's write turn, given back when the transaction ends.
    turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl WriteTx {
    fn connection(&mut self) -> &mut AnyConnection {
        self.connection.as_mut().expect("an open transaction")
    }

    /// The transaction is over: its connection goes back to the pool.
    fn release(&mut self) {
        drop(self.connection.take());
    }

    /// Commits; when that fails, the transaction is rolled back (or, failing that, its
    /// connection closed) so that nothing keeps the lock, and the error is returned. The SQLite
    /// file is checked once more first: a write into a deleted file would be lost.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        if let Some(file) = &self.file {
            file.check()?;
        }
        match self.connection().execute("COMMIT").await {
            Ok(_) => {
                self.release();
                Ok(())
            }
            Err(error) => {
                if self.connection().execute("ROLLBACK").await.is_ok() {
                    self.release();
                }
                Err(error)
            }
        }
    }

    /// Ends the transaction without keeping anything (a refusal decided inside it).
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        self.connection().execute("ROLLBACK").await?;
        self.release();
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.connection.as_ref().expect("an open transaction")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.connection()
    }
}

impl Drop for WriteTx {
    /// Not known to be over (a statement failed, the commit and the rollback failed, or the
    /// request was dropped while a statement ran): the connection is closed rather than
    /// returned inside an open transaction; closing rolls it back.
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        let turn = self.turn.take();
        match tokio::runtime::Handle::try_current() {
            // The write turn is given back only once the connection is closed (a statement it
            // was running finishes first), so the next writer does not meet its lock.
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _ = tokio::time::timeout(WRITE_QUEUE_TIMEOUT, connection.close()).await;
                    drop(turn);
                });
            }
            Err(_) => drop(connection.detach()),
        }
    }
}

/// Creates the folder of a SQLite file, checks that it is writable (an unwritable folder
/// otherwise surfaces later as an obscure "unable to open database file"), and asks SQLite to
/// create the file when it does not exist yet.
fn prepare_sqlite_url(url: &str) -> Result<(String, Option<PathBuf>), DbError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok((url.to_string(), None));
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
    let url = match (has_mode, query.is_empty()) {
        (true, _) => url.to_string(),
        (false, true) => format!("sqlite://{path}?mode=rwc"),
        (false, false) => format!("sqlite://{path}?{query}&mode=rwc"),
    };
    Ok((url, Some(PathBuf::from(path))))
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
        let (url, path) = prepare_sqlite_url(&format!("sqlite://{}", file.display())).unwrap();
        assert!(dir.join("nested").is_dir());
        assert_eq!(url, format!("sqlite://{}?mode=rwc", file.display()));
        assert_eq!(path.as_deref(), Some(file.as_path()));
        let with_query = prepare_sqlite_url(&format!("sqlite://{}?cache=shared", file.display()));
        assert!(with_query.unwrap().0.ends_with("?cache=shared&mode=rwc"));
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
