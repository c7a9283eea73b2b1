//! Fresh, migrated databases for tests: a SQLite file in a temporary folder always, and a
//! PostgreSQL schema of its own when `TEST_POSTGRES_URL` names a server. Every database test runs
//! its body once per database returned by [`fresh_databases`].

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::Executor;

use super::Db;

/// The variable that names a PostgreSQL server for the tests (`.ci/run` sets it).
pub const POSTGRES_VAR: &str = "TEST_POSTGRES_URL";

/// Schemas left behind by a test that panicked are dropped by a later run after this long.
const STALE_SCHEMA_AGE: Duration = Duration::from_secs(3600);

pub struct TestDb {
    pub db: Db,
    /// The URL that opens this very database (for tests that start the server binary).
    pub url: String,
    /// "sqlite" or "postgres", for assertion messages.
    pub label: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl TestDb {
    /// Closes the pool and removes the database (the folder, or the schema).
    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::Sqlite(dir) => drop(dir),
            Cleanup::Postgres { admin_url, schema } => {
                let admin = Db::connect(&admin_url)
                    .await
                    .expect("connect to PostgreSQL");
                admin
                    .pool()
                    .execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str())
                    .await
                    .expect("drop test schema");
                admin.close().await;
            }
        }
    }
}

/// SQLite, plus PostgreSQL when [`POSTGRES_VAR`] is set.
pub async fn fresh_databases() -> Vec<TestDb> {
    let mut databases = vec![fresh_sqlite().await];
    if let Some(url) = postgres_url() {
        databases.push(fresh_postgres(&url).await);
    }
    databases
}

pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_VAR)
        .ok()
        .filter(|url| !url.is_empty())
}

pub async fn fresh_sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    let db = Db::connect(&url).await.expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    TestDb {
        db,
        url,
        label: "sqlite",
        cleanup: Cleanup::Sqlite(dir),
    }
}

pub async fn fresh_postgres(admin_url: &str) -> TestDb {
    let admin = Db::connect(admin_url).await.expect("connect to PostgreSQL");
    drop_stale_schemas(&admin).await;
    let schema = unique_schema_name();
    admin
        .pool()
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .expect("create test schema");
    admin.close().await;

    let url = with_search_path(admin_url, &schema);
    let db = Db::connect(&url).await.expect("connect to the test schema");
    db.migrate().await.expect("migrate PostgreSQL");
    TestDb {
        db,
        url,
        label: "postgres",
        cleanup: Cleanup::Postgres {
            admin_url: admin_url.to_string(),
            schema,
        },
    }
}

/// `lm_t_<unix seconds>_<pid>_<counter>`: unique across parallel tests and processes, and old
/// ones can be recognised by their age.
fn unique_schema_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("lm_t_{seconds}_{}_{n}", std::process::id())
}

/// Every connection of the pool starts in the test's schema (libpq's `options` parameter).
fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

async fn drop_stale_schemas(admin: &Db) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'lm_t_%'")
            .fetch_all(admin.pool())
            .await
            .unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    for name in names {
        let created = name
            .split('_')
            .nth(2)
            .and_then(|seconds| seconds.parse::<u64>().ok());
        if created.is_some_and(|created| now.saturating_sub(created) > STALE_SCHEMA_AGE.as_secs()) {
            let _ = admin
                .pool()
                .execute(format!("DROP SCHEMA IF EXISTS {name} CASCADE").as_str())
                .await;
        }
    }
}

/// A PNG of `width` × `height` pixels of one colour, as a photo editor would save it: for the
/// upload tests.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([30, 58, 138]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a PNG is written to memory");
    bytes
}
