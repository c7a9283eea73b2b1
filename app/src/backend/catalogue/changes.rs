//! Hearing at once of catalogue changes that other processes commit. On PostgreSQL the
//! trigger that bumps the catalogue version also sends a notification on [`CHANNEL`]; the
//! database delivers it to every listening process when the change commits, and each process
//! then reads the version again on its next page instead of waiting out the version-check
//! interval. Notifications are a shortcut, never the only way: a process that misses one (its
//! listening connection was lost) still sees the change within the interval.

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::CatalogueCache;

/// The notification channel the catalogue-version trigger sends on.
pub const CHANNEL: &str = "catalogue_changed";

/// How long to wait before connecting again when the listening connection cannot be made.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);

/// Listens for catalogue changes for as long as the process runs, reconnecting by itself.
pub async fn listen(database_url: String, cache: CatalogueCache) {
    loop {
        match PgListener::connect(&database_url).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "could not listen for catalogue changes");
                } else {
                    // Whatever changed while nobody listened.
                    cache.changed();
                    hear(&mut listener, &cache).await;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "could not connect to listen for catalogue changes");
            }
        }
        tokio::time::sleep(RECONNECT_PAUSE).await;
    }
}

/// Passes each notification on to the cache until the listener cannot reconnect.
async fn hear(listener: &mut PgListener, cache: &CatalogueCache) {
    loop {
        match listener.try_recv().await {
            Ok(Some(_)) => cache.changed(),
            // The connection was lost, and with it any notification sent meanwhile; the
            // listener reconnects on the next call.
            Ok(None) => cache.changed(),
            Err(error) => {
                tracing::warn!(%error, "stopped hearing of catalogue changes; connecting again");
                return;
            }
        }
    }
}
