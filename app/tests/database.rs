//! The database layer on a real SQLite file, and on PostgreSQL when TEST_POSTGRES_URL is set.

use app::backend::{testing::fresh_databases, Dialect};
use sqlx::Row;

#[tokio::test]
async fn migrations_create_the_schema_on_every_database() {
    for test in fresh_databases().await {
        let created: String = sqlx::query_scalar("SELECT value FROM shop_meta WHERE key = $1")
            .bind("schema_created_at")
            .fetch_one(test.db.pool())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", test.label));
        assert!(created.starts_with("20"), "{}: {created}", test.label);

        // Running the migrations again (a second server process starting) changes nothing.
        test.db.migrate().await.expect("second migration run");
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shop_meta")
            .fetch_one(test.db.pool())
            .await
            .unwrap();
        assert_eq!(rows, 1, "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test]
async fn queries_are_written_once_for_both_dialects() {
    for test in fresh_databases().await {
        // `$1` placeholders, ON CONFLICT and RETURNING: the portable subset DESIGN.md names.
        let upsert = "INSERT INTO shop_meta (key, value) VALUES ($1, $2) \
                      ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value";
        for value in ["eski", "yeni"] {
            let returned: String = sqlx::query_scalar(upsert)
                .bind("deneme")
                .bind(value)
                .fetch_one(test.db.pool())
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", test.label));
            assert_eq!(returned, value, "{}", test.label);
        }
        let row = sqlx::query("SELECT key, value FROM shop_meta WHERE key = $1")
            .bind("deneme")
            .fetch_one(test.db.pool())
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("value"), "yeni", "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let databases = fresh_databases().await;
    let sqlite = databases
        .iter()
        .find(|test| test.db.dialect() == Dialect::Sqlite)
        .expect("SQLite is always tested");
    let mut connection = sqlite.db.pool().acquire().await.unwrap();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(journal.to_lowercase(), "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(busy_timeout, 5000);
    drop(connection);
    for test in databases {
        test.finish().await;
    }
}
