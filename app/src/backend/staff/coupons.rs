//! Discount codes as a yonetici creates and changes them. Each change writes its audit row in
//! its own transaction. A code keeps its spelling once created (orders name it); everything
//! else may change, but a limit never falls below the uses already taken.

use super::super::{time, Db, WriteTx};
use super::audit::{self, Actor};
use crate::model::coupon::{CouponChanges, CouponDesk};

/// Why a code was not saved.
#[derive(Debug, thiserror::Error)]
pub enum CouponSaveRefusal {
    #[error("another code is spelt the same")]
    Taken,
    #[error("the limit is below the uses already taken")]
    LimitBelowUses,
    #[error("no such code")]
    NotFound,
    #[error("a category named does not exist")]
    UnknownCategory,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn desk(db: &Db, editing: Option<&str>) -> Result<CouponDesk, sqlx::Error> {
    let rules = crate::backend::coupons::all(db).await?;
    let categories = super::catalogue::categories(db).await?;
    let editing = editing.and_then(|code| rules.iter().find(|rule| rule.code == code).cloned());
    Ok(CouponDesk {
        rules,
        categories,
        editing,
    })
}

/// Creates a code; its spelling.
pub async fn create(
    db: &Db,
    changes: &CouponChanges,
    by: &Actor,
) -> Result<String, CouponSaveRefusal> {
    let mut tx = db.begin_write().await?;
    let now = time::iso_utc(time::now_seconds());
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO coupons (code, description, kind, amount, min_basket_kurus, starts_at, \
         ends_at, usage_limit, per_customer_limit, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(&changes.code)
    .bind(&changes.description)
    .bind(changes.kind.code())
    .bind(changes.amount)
    .bind(changes.min_basket.0)
    .bind(changes.starts_at)
    .bind(changes.ends_at)
    .bind(changes.usage_limit)
    .bind(changes.per_customer_limit)
    .bind(i64::from(changes.active))
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Err(CouponSaveRefusal::Taken);
    };
    set_categories(&mut tx, CategoryLinks::Coupon, id, &changes.category_ids).await?;
    audit::record(
        &mut tx,
        by,
        "coupon.create",
        &format!("coupon:{}", changes.code),
        &describe(changes),
    )
    .await?;
    tx.commit().await?;
    Ok(changes.code.clone())
}

/// Changes the code `code` (its spelling stays).
pub async fn update(
    db: &Db,
    code: &str,
    changes: &CouponChanges,
    by: &Actor,
) -> Result<(), CouponSaveRefusal> {
    let mut tx = db.begin_write().await?;
    let used: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, used_count FROM coupons WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, used)) = used else {
        tx.rollback().await?;
        return Err(CouponSaveRefusal::NotFound);
    };
    // Checked in the statement too: a use taken meanwhile is counted.
    let done = sqlx::query(
        "UPDATE coupons SET description = $1, kind = $2, amount = $3, min_basket_kurus = $4, \
         starts_at = $5, ends_at = $6, usage_limit = $7, per_customer_limit = $8, active = $9, \
         updated_at = $10 WHERE id = $11 AND ($7 IS NULL OR used_count <= $7)",
    )
    .bind(&changes.description)
    .bind(changes.kind.code())
    .bind(changes.amount)
    .bind(changes.min_basket.0)
    .bind(changes.starts_at)
    .bind(changes.ends_at)
    .bind(changes.usage_limit)
    .bind(changes.per_customer_limit)
    .bind(i64::from(changes.active))
    .bind(time::iso_utc(time::now_seconds()))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(CouponSaveRefusal::LimitBelowUses);
    }
    set_categories(&mut tx, CategoryLinks::Coupon, id, &changes.category_ids).await?;
    audit::record(
        &mut tx,
        by,
        "coupon.update",
        &format!("coupon:{code}"),
        &format!("{}; {used} used before", describe(changes)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Which rules' categories: a discount code's or a campaign's.
#[derive(Clone, Copy)]
pub(super) enum CategoryLinks {
    Coupon,
    Campaign,
}

/// Replaces the categories rule `id` applies to (none: every product).
pub(super) async fn set_categories(
    tx: &mut WriteTx,
    links: CategoryLinks,
    id: i64,
    category_ids: &[i64],
) -> Result<(), CouponSaveRefusal> {
    // Two fixed names, never input.
    let (table, owner) = match links {
        CategoryLinks::Coupon => ("coupon_categories", "coupon_id"),
        CategoryLinks::Campaign => ("campaign_categories", "campaign_id"),
    };
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner} = $1"))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for category in category_ids {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM categories WHERE id = $1")
            .bind(category)
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_none() {
            return Err(CouponSaveRefusal::UnknownCategory);
        }
        sqlx::query(&format!(
            "INSERT INTO {table} ({owner}, category_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        ))
        .bind(id)
        .bind(category)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The audit log's words for a code's rules.
fn describe(changes: &CouponChanges) -> String {
    format!(
        "{} {}; min {} kuruş; {:?}–{:?}; limit {:?}, per shopper {:?}; categories {:?}; {}",
        changes.kind.code(),
        changes.amount,
        changes.min_basket.0,
        changes.starts_at,
        changes.ends_at,
        changes.usage_limit,
        changes.per_customer_limit,
        changes.category_ids,
        if changes.active { "active" } else { "stopped" }
    )
}
