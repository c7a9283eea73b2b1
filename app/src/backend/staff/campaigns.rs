//! Automatic campaigns as a yonetici creates and changes them, each change with its audit row
//! in its own transaction. Writing a campaign bumps the catalogue version (a trigger): the
//! storefront shows it at once when it runs now, and from its first day otherwise.

use super::super::{time, Db};
use super::audit::{self, Actor};
use super::coupons::{set_categories, CategoryLinks, CouponSaveRefusal};
use crate::model::campaign::{CampaignChanges, CampaignDesk};

pub async fn desk(db: &Db, editing: Option<i64>) -> Result<CampaignDesk, sqlx::Error> {
    let rules = crate::backend::catalogue::campaigns::all(db).await?;
    let editing = editing.and_then(|id| rules.iter().find(|rule| rule.id == id).cloned());
    Ok(CampaignDesk { rules, editing })
}

/// Creates a campaign (`id` none) or changes campaign `id`.
pub async fn save(
    db: &Db,
    id: Option<i64>,
    changes: &CampaignChanges,
    by: &Actor,
) -> Result<i64, CouponSaveRefusal> {
    let mut tx = db.begin_write().await?;
    let now = time::iso_utc(time::now_seconds());
    let saved: Option<i64> =
        match id {
            None => sqlx::query_scalar(
                "INSERT INTO campaigns (name, percent, starts_at, ends_at, active, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(&changes.name)
            .bind(changes.percent)
            .bind(changes.starts_at)
            .bind(changes.ends_at)
            .bind(i64::from(changes.active))
            .bind(&now)
            .fetch_optional(&mut *tx)
            .await?,
            Some(id) => {
                sqlx::query_scalar(
                    "UPDATE campaigns SET name = $1, percent = $2, starts_at = $3, ends_at = $4, \
                 active = $5, updated_at = $6 WHERE id = $7 RETURNING id",
                )
                .bind(&changes.name)
                .bind(changes.percent)
                .bind(changes.starts_at)
                .bind(changes.ends_at)
                .bind(i64::from(changes.active))
                .bind(&now)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            }
        };
    let Some(saved) = saved else {
        tx.rollback().await?;
        return Err(CouponSaveRefusal::NotFound);
    };
    set_categories(
        &mut tx,
        CategoryLinks::Campaign,
        saved,
        &changes.category_ids,
    )
    .await?;
    audit::record(
        &mut tx,
        by,
        if id.is_some() {
            "campaign.update"
        } else {
            "campaign.create"
        },
        &format!("campaign:{saved}"),
        &format!(
            "{}: %{} {}–{}; categories {:?}; {}",
            changes.name,
            changes.percent,
            changes.starts_at,
            changes.ends_at,
            changes.category_ids,
            if changes.active { "active" } else { "stopped" }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
