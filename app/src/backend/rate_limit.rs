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

/// The answer to one hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit until the window ends, this many seconds from now (at least one).
    Refused {
        retry_after_seconds: i64,
    },
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
    /// A refusal already known for one of `checks`, without asking the database.
    pub fn known_refusal(&self, checks: &Checks<'_>) -> Option<Verdict> {
        let now = time::now_seconds();
        let refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        checks.iter().find_map(|(limit, subject)| {
            let window_end = *refused.get(&bucket(limit, subject))?;
            (window_end > now).then(|| Verdict::Refused {
                retry_after_seconds: window_end - now,
            })
        })
    }

    /// Counts one hit against each of `checks` in `tx`; refused by the first that is over its
    /// limit. The caller commits `tx` with the row the hits allow, or rolls it back.
    pub async fn hit(&self, tx: &mut WriteTx, checks: &Checks<'_>) -> Result<Verdict, sqlx::Error> {
        if let Some(refusal) = self.known_refusal(checks) {
            return Ok(refusal);
        }
        let now = time::now_seconds();
        for (limit, subject) in checks {
            let window_end = (now.div_euclid(limit.window_seconds) + 1) * limit.window_seconds;
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
                return Ok(Verdict::Refused {
                    retry_after_seconds: (window_end - now).max(1),
                });
            }
        }
        Ok(Verdict::Allowed)
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

/// The subject for a per-IP limit: an IPv4 address as it is, an IPv6 address as its /64 (a
/// household or a phone is given a whole /64 and can use any address in it).
pub fn ip_group(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V4(v4)) => v4.to_string(),
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
