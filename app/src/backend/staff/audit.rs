//! The audit log: who on staff did what to which record, when and from which IP, written in
//! the transaction of the change itself (a change without its row cannot commit). The table
//! refuses updates and deletes (triggers in both dialects), and no code path offers either.

use super::super::{time, WriteTx};

/// Who makes a change: a member of staff from an address, or the shop itself (a background
/// job, the command line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub staff: Option<i64>,
    /// The staff's IP, or what the shop was doing (`job`, `command line`).
    pub ip: String,
}

impl Actor {
    pub fn staff(id: i64, ip: &str) -> Self {
        Self {
            staff: Some(id),
            ip: ip.to_string(),
        }
    }

    pub fn shop(doing: &str) -> Self {
        Self {
            staff: None,
            ip: doing.to_string(),
        }
    }
}

/// Records `action` on `target` (`order:LM-2026-000123`, `staff:3`) by `by`, with `details`
/// for the reader.
pub async fn record(
    tx: &mut WriteTx,
    by: &Actor,
    action: &str,
    target: &str,
    details: &str,
) -> Result<(), sqlx::Error> {
    let (staff, ip) = (by.staff, by.ip.as_str());
    sqlx::query(
        "INSERT INTO staff_audit_log (staff_id, action, target, details, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(staff)
    .bind(action)
    .bind(target)
    .bind(details)
    .bind(ip)
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One row of the log, newest first when listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub staff: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub ip: String,
}

/// The newest `limit` entries, of `target` when given.
pub async fn recent(
    db: &super::super::Db,
    target: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, String, String, String, String)> = sqlx::query_as(
        "SELECT a.created_at, s.name, a.action, a.target, a.details, a.ip \
         FROM staff_audit_log a LEFT JOIN staff s ON s.id = a.staff_id \
         WHERE $1 = '' OR a.target = $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(target.unwrap_or(""))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, staff, action, target, details, ip)| AuditEntry {
            at,
            staff,
            action,
            target,
            details,
            ip,
        })
        .collect())
}
