//! Automatic campaigns in the database: the ones running now (the snapshot applies them to the
//! variants' prices as it loads), every one for the back office, and the job that bumps the
//! catalogue version when a campaign starts or ends, so every page of every process, the page
//! cache and the cart show the new prices at that moment (within the job's half minute).

use std::collections::HashMap;

use super::snapshot::{Category, Product};
use crate::backend::{Db, Dialect};
use crate::model::campaign::{on_sale, CampaignRule};
use crate::model::catalogue::within;

/// id, name, percent, starts_at, ends_at, active.
type CampaignRow = (i64, String, i64, i64, i64, i64);

async fn rules(db: &Db, only_running_at: Option<i64>) -> Result<Vec<CampaignRule>, sqlx::Error> {
    let rows: Vec<CampaignRow> = match only_running_at {
        Some(now) => {
            sqlx::query_as(
                "SELECT id, name, percent, starts_at, ends_at, active FROM campaigns \
                 WHERE active = 1 AND starts_at <= $1 AND ends_at > $1 ORDER BY id",
            )
            .bind(now)
            .fetch_all(db.pool())
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT id, name, percent, starts_at, ends_at, active FROM campaigns \
                 ORDER BY starts_at DESC, id DESC",
            )
            .fetch_all(db.pool())
            .await?
        }
    };
    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, category_id FROM campaign_categories ORDER BY category_id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, percent, starts_at, ends_at, active)| CampaignRule {
                id,
                name,
                percent,
                starts_at,
                ends_at,
                active: active == 1,
                category_ids: links
                    .iter()
                    .filter(|(campaign, _)| *campaign == id)
                    .map(|(_, category)| *category)
                    .collect(),
            },
        )
        .collect())
}

/// Now by the database's clock. Every process decides which campaigns run, and the job decides
/// when one started, by this one clock: a process whose own clock ran ahead or behind would
/// otherwise cache the prices of before a start that another had already announced.
pub async fn database_now(db: &Db) -> Result<i64, sqlx::Error> {
    let sql = match db.dialect() {
        Dialect::Postgres => "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)",
        Dialect::Sqlite => "SELECT CAST(strftime('%s', 'now') AS INTEGER)",
    };
    sqlx::query_scalar(sql).fetch_one(db.pool()).await
}

/// The campaigns running at `now`.
pub async fn running(db: &Db, now: i64) -> Result<Vec<CampaignRule>, sqlx::Error> {
    rules(db, Some(now)).await
}

/// Every campaign, the latest first.
pub async fn all(db: &Db) -> Result<Vec<CampaignRule>, sqlx::Error> {
    rules(db, None).await
}

/// Puts `campaigns` on the variants of `products`: a product in (or below) a campaign's
/// categories sells for the deepest cut of those that cover it.
pub fn apply(categories: &[Category], products: &mut [Product], campaigns: &[CampaignRule]) {
    if campaigns.is_empty() {
        return;
    }
    let parents: HashMap<i64, Option<i64>> = categories
        .iter()
        .map(|category| (category.id, category.parent_id))
        .collect();
    let covers = |campaign: &CampaignRule, category: i64| {
        campaign.category_ids.is_empty()
            || within(category, &campaign.category_ids, |id| {
                parents.get(&id).copied().flatten()
            })
    };
    for product in products {
        let percent = campaigns
            .iter()
            .filter(|campaign| covers(campaign, product.category_id))
            .map(|campaign| campaign.percent)
            .max();
        let Some(percent) = percent else { continue };
        for variant in &mut product.variants {
            (variant.price, variant.compare_at) = on_sale(variant.price, percent);
        }
    }
}

/// Bumps the catalogue version if a campaign started or ended since the job last looked (by the
/// database's clock), so that snapshots reload with the prices of now; whether it did. Several
/// processes may run it: the clock moves with a conditional update, so one of them does each
/// bump, and never backwards.
pub async fn bump_at_boundaries(db: &Db) -> Result<bool, sqlx::Error> {
    let now = database_now(db).await?;
    let mut tx = db.begin_write().await?;
    let seen: Option<String> =
        sqlx::query_scalar("SELECT value FROM shop_meta WHERE key = 'campaign_clock'")
            .fetch_optional(&mut *tx)
            .await?;
    let Some(seen) = seen else {
        tx.rollback().await?;
        return Ok(false);
    };
    let since: i64 = seen.parse().unwrap_or(0);
    if now <= since {
        tx.rollback().await?;
        return Ok(false);
    }
    let crossed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM campaigns WHERE active = 1 AND \
         ((starts_at > $1 AND starts_at <= $2) OR (ends_at > $1 AND ends_at <= $2))",
    )
    .bind(since)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let moved =
        sqlx::query("UPDATE shop_meta SET value = $1 WHERE key = 'campaign_clock' AND value = $2")
            .bind(now.to_string())
            .bind(&seen)
            .execute(&mut *tx)
            .await?;
    let bump = moved.rows_affected() == 1 && crossed > 0;
    if bump {
        sqlx::query(&format!(
            "UPDATE shop_meta SET value = CAST(CAST(value AS {int}) + 1 AS TEXT) \
             WHERE key = 'catalogue_version'",
            int = match db.dialect() {
                crate::backend::Dialect::Postgres => "BIGINT",
                crate::backend::Dialect::Sqlite => "INTEGER",
            }
        ))
        .execute(&mut *tx)
        .await?;
        // The version is bumped here, not by a catalogue table's trigger: every process is
        // told as the trigger would (at the commit), so the new prices show at once everywhere.
        if db.dialect() == crate::backend::Dialect::Postgres {
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(super::changes::CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(bump)
}
