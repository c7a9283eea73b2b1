//! Sessions kept in the database through tower-sessions' store interface, on a real SQLite file
//! and on PostgreSQL when TEST_POSTGRES_URL is set.

use std::collections::HashMap;

use app::backend::sessions::DbSessionStore;
use app::backend::testing::fresh_databases;
use time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, SessionStore};

fn record(id: Id, member: &str, lives: Duration) -> Record {
    let mut data = HashMap::new();
    data.insert("uye".to_string(), serde_json::json!(member));
    Record {
        id,
        data,
        // Whole seconds: the store keeps Unix seconds.
        expiry_date: OffsetDateTime::from_unix_timestamp(
            (OffsetDateTime::now_utc() + lives).unix_timestamp(),
        )
        .unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_kept_found_changed_and_ended_in_the_database() {
    for test in fresh_databases().await {
        let store = DbSessionStore::new(test.db.clone());
        let mut first = record(Id::default(), "ayse", Duration::hours(1));
        store.create(&mut first).await.unwrap();
        assert_eq!(
            store.load(&first.id).await.unwrap(),
            Some(first.clone()),
            "{}",
            test.label
        );

        // A second session created with the same id (a forged cookie) gets another one.
        let mut clash = record(first.id, "mallory", Duration::hours(1));
        store.create(&mut clash).await.unwrap();
        assert_ne!(clash.id, first.id, "{}", test.label);
        assert_eq!(
            store.load(&first.id).await.unwrap().unwrap().data["uye"],
            "ayse"
        );

        // Saved again with other data, it is replaced; another store (another server process)
        // on the same database sees it.
        let changed = record(first.id, "ayşe yılmaz", Duration::hours(2));
        store.save(&changed).await.unwrap();
        let other_process = DbSessionStore::new(test.db.clone());
        assert_eq!(other_process.load(&first.id).await.unwrap(), Some(changed));

        // Logged out: gone for every process.
        store.delete(&first.id).await.unwrap();
        assert_eq!(other_process.load(&first.id).await.unwrap(), None);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_never_loaded_and_is_deleted() {
    for test in fresh_databases().await {
        let store = DbSessionStore::new(test.db.clone());
        let mut ended = record(Id::default(), "eski", Duration::seconds(-5));
        store.create(&mut ended).await.unwrap();
        let mut current = record(Id::default(), "yeni", Duration::hours(1));
        store.create(&mut current).await.unwrap();
        assert_eq!(store.load(&ended.id).await.unwrap(), None, "{}", test.label);

        store.delete_expired().await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(test.db.pool())
            .await
            .unwrap();
        assert_eq!(left, 1, "{}", test.label);
        assert!(store.load(&current.id).await.unwrap().is_some());
        test.finish().await;
    }
}
