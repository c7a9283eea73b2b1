//! Limits on the forms that write. Each limit counts hits per subject (an IP group, a visitor)
//! in fixed windows, in the database: the counter is raised and read in one statement, so fifty
//! parallel posts see fifty different counts (a count taken first and a row written after let 8
//! of 50 through a limit of 5), and every server process shares the same counts. Windows are
//! fixed, so across the end of one and the start of the next a subject can make up to twice
//! `max_hits` in a window's length.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use super::{time, Db, WriteTx};

/// How many hits one subject may make per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Part of the counter's key: which form and which subject (`contact-ip`).
    pub name: &'static str,
    pub max_hits: i64,
    pub window_seconds: i64,
}

/// What a form that writes gets from its limits.
pub enum Admission {
    /// Within every limit: the write transaction the hits were counted in. The form adds its
    /// row and commits; dropped instead, it takes the hits with it.
    Allowed(WriteTx),
    /// Over a limit until its window ends, this many seconds from now (at least one).
    Refused { retry_after_seconds: i64 },
}

/// The limits a form checks, each with its subject (`(PER_IP_LIMIT, "203.0.113.7")`).
pub type Checks<'a> = [(Limit, &'a str)];

/// Counts hits inside the form's own write transaction, so that a hit and the row it allows are
/// kept or lost together (a message the database could not take costs no quota), and remembers
/// in memory which subjects are over their limit until their window ends, so that a flood is
/// refused without touching the database. Cheap to share; one per process.
#[derive(Debug, Default)]
pub struct Limiter {
    /// Bucket (`name:subject`) → the end of the window it is refused in.
    refused: Mutex<HashMap<String, i64>>,
}

/// At most this many refusals are remembered; past it, the expired ones go, then all.
const REMEMBERED_REFUSALS: usize = 10_000;

impl Limiter {
    /// Begins the form's write transaction and counts one hit against each of `checks` in it,
    /// or says how long the form must wait: from memory when a refusal is already known,
    /// without touching the database.
    pub async fn begin_write(
        &self,
        db: &Db,
        checks: &Checks<'_>,
    ) -> Result<Admission, sqlx::Error> {
        if let Some(retry_after_seconds) = self.known_refusal(checks) {
            return Ok(Admission::Refused {
                retry_after_seconds,
            });
        }
        let mut tx = db.begin_write().await?;
        match self.hit(&mut tx, checks).await? {
            None => Ok(Admission::Allowed(tx)),
            Some(retry_after_seconds) => {
                // Nothing to keep; should the rollback fail, the connection is closed (WriteTx).
                let _ = tx.rollback().await;
                Ok(Admission::Refused {
                    retry_after_seconds,
                })
            }
        }
    }

    /// Seconds until one of `checks` is no longer at its limit, without counting a hit: for
    /// limits on failures (a wrong password), which are counted only once they happened
    /// ([`Limiter::count_failure`]) but must stop the next attempt before it is tried.
    pub async fn at_limit(&self, db: &Db, checks: &Checks<'_>) -> Result<Option<i64>, sqlx::Error> {
        if let Some(retry_after_seconds) = self.known_refusal(checks) {
            return Ok(Some(retry_after_seconds));
        }
        let now = time::now_seconds();
        for (limit, subject) in checks {
            let window_end = window_end(limit, now);
            let hits: Option<i64> = sqlx::query_scalar(
                "SELECT hits FROM rate_limits WHERE bucket = $1 AND window_end = $2",
            )
            .bind(bucket(limit, subject))
            .bind(window_end)
            .fetch_optional(db.pool())
            .await?;
            if hits.unwrap_or(0) >= limit.max_hits {
                self.remember(bucket(limit, subject), window_end, now);
                return Ok(Some((window_end - now).max(1)));
            }
        }
        Ok(None)
    }

    /// Counts a failure against each of `checks` in `tx` (see [`Limiter::at_limit`]).
    pub async fn count_failure(
        &self,
        tx: &mut WriteTx,
        checks: &Checks<'_>,
    ) -> Result<(), sqlx::Error> {
        self.hit(tx, checks).await.map(|_| ())
    }

    /// Seconds until a refusal already known for one of `checks` ends.
    fn known_refusal(&self, checks: &Checks<'_>) -> Option<i64> {
        let now = time::now_seconds();
        let refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        checks.iter().find_map(|(limit, subject)| {
            let window_end = *refused.get(&bucket(limit, subject))?;
            (window_end > now).then_some(window_end - now)
        })
    }

    /// Counts one hit against each of `checks` in `tx`; the seconds to wait when one of them is
    /// over its limit (the first that is), `None` when all are within.
    async fn hit(&self, tx: &mut WriteTx, checks: &Checks<'_>) -> Result<Option<i64>, sqlx::Error> {
        let now = time::now_seconds();
        for (limit, subject) in checks {
            let window_end = window_end(limit, now);
            let bucket = bucket(limit, subject);
            // fetch_all steps the statement to its end, so an error it meets is returned.
            let hits: Vec<i64> = sqlx::query_scalar(
                "INSERT INTO rate_limits (bucket, window_end, hits) VALUES ($1, $2, 1) \
                 ON CONFLICT (bucket, window_end) DO UPDATE SET hits = rate_limits.hits + 1 \
                 RETURNING hits",
            )
            .bind(&bucket)
            .bind(window_end)
            .fetch_all(&mut **tx)
            .await?;
            if hits.first().copied().unwrap_or(i64::MAX) > limit.max_hits {
                self.remember(bucket, window_end, now);
                return Ok(Some((window_end - now).max(1)));
            }
        }
        Ok(None)
    }

    fn remember(&self, bucket: String, window_end: i64, now: i64) {
        let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        if refused.len() >= REMEMBERED_REFUSALS {
            refused.retain(|_, end| *end > now);
            if refused.len() >= REMEMBERED_REFUSALS {
                refused.clear();
            }
        }
        refused.insert(bucket, window_end);
    }
}

/// The end of the window `now` falls in.
fn window_end(limit: &Limit, now: i64) -> i64 {
    (now.div_euclid(limit.window_seconds) + 1) * limit.window_seconds
}

fn bucket(limit: &Limit, subject: &str) -> String {
    format!("{}:{subject}", limit.name)
}

/// Forgets the windows that have ended; run now and then (the server does every few minutes).
pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
    // A write like any other: on SQLite it takes its turn instead of holding the lock while a
    // form's write waits.
    let mut tx = db.begin_write().await?;
    let result = sqlx::query("DELETE FROM rate_limits WHERE window_end <= $1")
        .bind(time::now_seconds())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(result.rows_affected())
}

/// One client, for counting what it does: an IPv4 address, or the /64 network of an IPv6 one (a
/// household or a phone is given a whole /64 and can use any address in it). The connection
/// caps count by it, and the form limits by its text (`203.0.113.7`, `2001:db8:1:2::/64`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientGroup {
    V4(u32),
    V6Prefix(u64),
}

impl ClientGroup {
    pub fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self::V4(u32::from(v4)),
            IpAddr::V6(v6) => Self::V6Prefix((u128::from(v6) >> 64) as u64),
        }
    }
}

impl std::fmt::Display for ClientGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Self::V4(address) => write!(f, "{}", std::net::Ipv4Addr::from(address)),
            Self::V6Prefix(prefix) => {
                let segment = |n: u32| (prefix >> (48 - 16 * n)) & 0xffff;
                let (a, b, c, d) = (segment(0), segment(1), segment(2), segment(3));
                write!(f, "{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        }
    }
}

/// The subject for a per-IP limit: the [`ClientGroup`] of `ip` as text (anything that is not an
/// IP address stands for itself).
pub fn ip_group(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(ip) => ClientGroup::of(ip).to_string(),
        Err(_) => ip.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_are_grouped_by_their_64() {
        assert_eq!(ip_group("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            ip_group("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(ip_group("203.0.113.7"), "203.0.113.7");
        assert_eq!(ip_group("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
