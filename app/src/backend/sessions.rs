//! Sessions in the database, for tower-sessions (DESIGN.md: sessions never live in a process's
//! memory, so any server process serves any request). tower-sessions' own SQL stores need a
//! pool of one dialect; the shop's pool serves SQLite and PostgreSQL with the same queries
//! (`sqlx::Any`), so this store is written once for both, on the shop's write transactions.
//!
//! A session's data is kept as JSON with its expiry in Unix seconds; an expired session is
//! never loaded, and [`ExpiredDeletion::delete_expired`] removes them (the server runs it now
//! and then). A new session never takes an id in use: [`SessionStore::create`] draws another.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::{time as clock, Db};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Writes `record`, doing `on_conflict` when its id is taken; whether a row was written.
    async fn write(
        &self,
        record: &Record,
        on_conflict: &'static str,
    ) -> session_store::Result<bool> {
        let data = encode(record)?;
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        let written = sqlx::query(&format!(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) {on_conflict}"
        ))
        .bind(record.id.to_string())
        .bind(&data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(written.rows_affected() == 1)
    }
}

fn backend(error: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data)
        .map_err(|error| session_store::Error::Encode(error.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            if self.write(record, "DO NOTHING").await? {
                return Ok(());
            }
            // Taken (one chance in 2^128, or a forged cookie's id): draw another.
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(
            record,
            "DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .await
        .map(|_| ())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(clock::now_seconds())
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|error| session_store::Error::Decode(error.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(clock::now_seconds())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }
}
