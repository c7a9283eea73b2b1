//! The back office's desk: the contact inbox (statuses, replies kept with the thread and sent
//! by e-mail) and the KVKK applications (overdue first, an answer recorded and sent). Each
//! change is one transaction with its audit row and its e-mail in the outbox; the e-mail is
//! composed by the caller (pages render, the backend does not), as membership's are.

use super::super::mail::enqueue_composed;
use super::super::{time, Db};
use super::audit::{self, Actor};
use crate::model::kvkk::KvkkRight;
use crate::model::staff::{Inbox, InboxMessage, KvkkCase, KvkkDesk, MESSAGE_STATUSES};
use crate::pages::order_mail::Composed;

type MessageRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

/// Contact messages with `status` (all when empty), new and unanswered first, newest first.
pub async fn inbox(db: &Db, status: &str) -> Result<Inbox, sqlx::Error> {
    let status = if MESSAGE_STATUSES.contains(&status) {
        status
    } else {
        ""
    };
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, reference, topic, name, email, order_number, message, status, created_at \
         FROM contact_messages WHERE $1 = '' OR status = $1 \
         ORDER BY CASE status WHEN 'yeni' THEN 0 WHEN 'inceleniyor' THEN 1 ELSE 2 END, id DESC \
         LIMIT 200",
    )
    .bind(status)
    .fetch_all(db.pool())
    .await?;
    Ok(Inbox {
        status: status.to_string(),
        messages: rows.into_iter().map(message_of).collect(),
    })
}

fn message_of(
    (id, reference, topic, name, email, order_number, message, status, created_at): MessageRow,
) -> InboxMessage {
    InboxMessage {
        id,
        reference,
        topic,
        name,
        email,
        order_number,
        message,
        status,
        created_at,
        replies: Vec::new(),
    }
}

/// The message `reference` with its replies.
pub async fn message(db: &Db, reference: &str) -> Result<Option<InboxMessage>, sqlx::Error> {
    let row: Option<MessageRow> = sqlx::query_as(
        "SELECT id, reference, topic, name, email, order_number, message, status, created_at \
         FROM contact_messages WHERE reference = $1",
    )
    .bind(reference)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut message = message_of(row);
    message.replies = sqlx::query_as(
        "SELECT r.created_at, COALESCE(s.name, ''), r.body FROM contact_replies r \
         LEFT JOIN staff s ON s.id = r.staff_id WHERE r.message_id = $1 ORDER BY r.id",
    )
    .bind(message.id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(message))
}

/// Moves message `reference` to `status`; `false` for an unknown message or status.
pub async fn set_message_status(
    db: &Db,
    reference: &str,
    status: &str,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    if !MESSAGE_STATUSES.contains(&status) {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE contact_messages SET status = $1 WHERE reference = $2")
        .bind(status)
        .bind(reference)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    audit::record(
        &mut tx,
        by,
        "message.status",
        &format!("message:{reference}"),
        status,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Replies `body` to message `reference`: kept with the thread, sent as `mail`, the message
/// marked answered. `false` for an unknown message.
pub async fn reply(
    db: &Db,
    reference: &str,
    body: &str,
    mail: &Composed,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    let found: Option<(i64, String, String)> = sqlx::query_as(
        "UPDATE contact_messages SET status = 'yanitlandi' WHERE reference = $1 \
         RETURNING id, email, locale",
    )
    .bind(reference)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, email, locale)) = found else {
        tx.rollback().await?;
        return Ok(false);
    };
    sqlx::query(
        "INSERT INTO contact_replies (message_id, staff_id, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(by.staff)
    .bind(body)
    .bind(time::iso_utc(now))
    .execute(&mut *tx)
    .await?;
    enqueue_composed(&mut tx, None, "contact_reply", &email, &locale, mail).await?;
    audit::record(
        &mut tx,
        by,
        "message.reply",
        &format!("message:{reference}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

type CaseRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

const CASE_COLUMNS: &str = "a.id, a.reference, a.right_code, a.details, c.email, a.status, \
     a.created_at, a.due_at, a.answer, a.answered_at FROM kvkk_applications a \
     LEFT JOIN customers c ON c.id = a.customer_id";

fn case_of(row: CaseRow, now: &str) -> Option<KvkkCase> {
    let (id, reference, right, details, email, status, created_at, due_at, answer, answered_at) =
        row;
    Some(KvkkCase {
        id,
        reference,
        right: KvkkRight::from_code(&right)?,
        details,
        email,
        overdue: status != "yanitlandi" && due_at.as_str() < now,
        status,
        created_at,
        due_at,
        answer,
        answered_at,
    })
}

/// Every KVKK application: unanswered first, by due date (the overdue ones lead).
pub async fn kvkk_desk(db: &Db) -> Result<KvkkDesk, sqlx::Error> {
    let now = time::iso_utc(time::now_seconds());
    let rows: Vec<CaseRow> = sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} ORDER BY CASE WHEN a.status = 'yanitlandi' THEN 1 ELSE 0 END, \
         a.due_at, a.id LIMIT 500"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(KvkkDesk {
        cases: rows
            .into_iter()
            .filter_map(|row| case_of(row, &now))
            .collect(),
    })
}

/// Application `reference`.
pub async fn kvkk_case(db: &Db, reference: &str) -> Result<Option<KvkkCase>, sqlx::Error> {
    let now = time::iso_utc(time::now_seconds());
    let row: Option<CaseRow> =
        sqlx::query_as(&format!("SELECT {CASE_COLUMNS} WHERE a.reference = $1"))
            .bind(reference)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|row| case_of(row, &now)))
}

/// Records `answer` to application `reference` and sends it as `mail` (when the applicant
/// still has an address with us); `false` for an unknown or already answered application.
pub async fn answer_kvkk(
    db: &Db,
    reference: &str,
    answer: &str,
    mail: &Composed,
    by: &Actor,
) -> Result<bool, sqlx::Error> {
    let now = time::iso_utc(time::now_seconds());
    let mut tx = db.begin_write().await?;
    let found: Option<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "UPDATE kvkk_applications SET status = 'yanitlandi', answer = $1, answered_at = $2 \
         WHERE reference = $3 AND status <> 'yanitlandi' RETURNING id, \
         (SELECT email FROM customers WHERE id = customer_id), \
         (SELECT locale FROM customers WHERE id = customer_id)",
    )
    .bind(answer)
    .bind(&now)
    .bind(reference)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((_, email, locale)) = found else {
        tx.rollback().await?;
        return Ok(false);
    };
    if let Some(email) = email {
        enqueue_composed(
            &mut tx,
            None,
            "kvkk_answer",
            &email,
            locale.as_deref().unwrap_or("tr"),
            mail,
        )
        .await?;
    }
    audit::record(&mut tx, by, "kvkk.answer", &format!("kvkk:{reference}"), "").await?;
    tx.commit().await?;
    Ok(true)
}
