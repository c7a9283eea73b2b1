//! The audit log: who on staff did what to which record, when and from which IP, written in
//! the transaction of the change itself (a change without its row cannot commit). The table
//! refuses updates and deletes (triggers in both dialects), and no code path offers either.

use super::super::{time, WriteTx};

/// Records `action` on `target` (`order:LM-2026-000123`, `staff:3`) by `staff` (none for the
/// command line), with `details` for the reader.
pub async fn record(
    tx: &mut WriteTx,
    staff: Option<i64>,
    action: &str,
    target: &str,
    details: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
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
