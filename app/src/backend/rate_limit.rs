//! Limits on the forms that write. Each limit counts hits per subject (an IP group, a visitor)
//! in fixed windows, in the database: the counter is raised and read in one statement, so fifty
//! parallel posts see fifty different counts (a count taken first and a row written after let 8
//! of 50 through a limit of 5), and every server process shares the same counts.

use std::net::IpAddr;

use super::{time, Db};

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

/// Counts a hit by `subject` against `limit`, committed before the verdict is returned.
pub async fn hit(db: &Db, limit: &Limit, subject: &str) -> Result<Verdict, sqlx::Error> {
    let now = time::now_seconds();
    let window_end = (now.div_euclid(limit.window_seconds) + 1) * limit.window_seconds;
    let bucket = format!("{}:{subject}", limit.name);
    let mut tx = db.begin_write().await?;
    // fetch_all steps the statement to its end, so an error it meets is returned, not lost.
    let hits: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_end, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_end) DO UPDATE SET hits = rate_limits.hits + 1 \
         RETURNING hits",
    )
    .bind(&bucket)
    .bind(window_end)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let hits = hits.first().copied().unwrap_or(i64::MAX);
    Ok(if hits <= limit.max_hits {
        Verdict::Allowed
    } else {
        Verdict::Refused {
            retry_after_seconds: (window_end - now).max(1),
        }
    })
}

/// Counts a hit against each `(limit, subject)` in turn; refused by the first that refuses.
pub async fn hit_all(db: &Db, checks: &[(Limit, &str)]) -> Result<Verdict, sqlx::Error> {
    for (limit, subject) in checks {
        let verdict = hit(db, limit, subject).await?;
        if verdict != Verdict::Allowed {
            return Ok(verdict);
        }
    }
    Ok(Verdict::Allowed)
}

/// Forgets the windows that have ended; run now and then (the server does every few minutes).
pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM rate_limits WHERE window_end <= $1")
        .bind(time::now_seconds())
        .execute(db.pool())
        .await?;
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
