//! The catalogue as staff change it: names, publishing, the cayma exemption, and each
//! variant's price, compare-at price and stock, in one transaction with its audit row. The
//! catalogue's triggers bump its version, so the storefront, the sitemap and the page cache
//! show the change within a second (`VERSION_CHECK_INTERVAL`).

use super::super::{time, Db};
use super::audit::{self, Actor};
use crate::model::cayma::CaymaExemption;
use crate::model::staff::{
    ProductChanges, StaffProduct, StaffProductRow, StaffProducts, StaffVariant,
};
use crate::model::Money;

/// Products whose name or slug contains `search` (all when empty), by name.
pub async fn products(db: &Db, search: &str) -> Result<StaffProducts, sqlx::Error> {
    let pattern = format!("%{}%", search.to_lowercase());
    let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.slug, p.name_tr, p.published, COUNT(v.id), \
         CAST(COALESCE(SUM(v.stock), 0) AS BIGINT), CAST(COALESCE(MIN(v.price_kurus), 0) AS BIGINT) \
         FROM products p LEFT JOIN variants v ON v.product_id = p.id \
         WHERE $1 = '%%' OR LOWER(p.name_tr) LIKE $1 OR p.slug LIKE $1 \
         GROUP BY p.id, p.slug, p.name_tr, p.published ORDER BY p.name_tr LIMIT 300",
    )
    .bind(&pattern)
    .fetch_all(db.pool())
    .await?;
    Ok(StaffProducts {
        search: search.to_string(),
        rows: rows
            .into_iter()
            .map(
                |(slug, name, published, variants, stock, lowest)| StaffProductRow {
                    slug,
                    name,
                    published: published == 1,
                    variants,
                    stock,
                    lowest_price: Money(lowest),
                },
            )
            .collect(),
    })
}

/// id, sku, size, colour, price, compare-at price, stock.
type VariantRow = (i64, String, String, String, i64, Option<i64>, i64);

/// Product `slug` as staff edit it.
pub async fn product(db: &Db, slug: &str) -> Result<Option<StaffProduct>, sqlx::Error> {
    let row: Option<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, slug, name_tr, name_en, published, cayma_exempt FROM products WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, slug, name_tr, name_en, published, exempt)) = row else {
        return Ok(None);
    };
    let variants: Vec<VariantRow> = sqlx::query_as(
        "SELECT id, sku, size, colour_tr, price_kurus, compare_at_kurus, stock FROM variants \
         WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(StaffProduct {
        id,
        slug,
        name_tr,
        name_en,
        published: published == 1,
        cayma_exempt: exempt.as_deref().and_then(CaymaExemption::from_code),
        variants: variants
            .into_iter()
            .map(
                |(id, sku, size, colour, price, compare_at, stock)| StaffVariant {
                    id,
                    sku,
                    size,
                    colour,
                    price: Money(price),
                    compare_at: compare_at.map(Money),
                    stock,
                },
            )
            .collect(),
    }))
}

/// Why a product's changes were not taken.
#[derive(Debug, thiserror::Error)]
pub enum ProductRefusal {
    #[error("no such product")]
    NotFound,
    /// A compare-at price must be above the price (the catalogue's own rule).
    #[error("a compare-at price is not above its price")]
    CompareAt,
    #[error("a variant is not this product's")]
    ForeignVariant,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Applies `changes` to product `slug`.
pub async fn save_product(
    db: &Db,
    slug: &str,
    changes: &ProductChanges,
    by: &Actor,
) -> Result<(), ProductRefusal> {
    if changes.variants.iter().any(|variant| {
        variant
            .compare_at
            .is_some_and(|compare| compare.0 <= variant.price.0)
    }) {
        return Err(ProductRefusal::CompareAt);
    }
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "UPDATE products SET name_tr = $1, name_en = $2, published = $3, cayma_exempt = $4, \
         updated_at = $5 WHERE slug = $6 RETURNING id",
    )
    .bind(&changes.name_tr)
    .bind(&changes.name_en)
    .bind(i64::from(changes.published))
    .bind(changes.cayma_exempt.map(|exemption| exemption.code()))
    .bind(time::iso_utc(time::now_seconds()))
    .bind(slug)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Err(ProductRefusal::NotFound);
    };
    let mut details = Vec::new();
    for variant in &changes.variants {
        let moved = variant.stock - variant.seen_stock;
        let done = sqlx::query(
            "UPDATE variants SET price_kurus = $1, compare_at_kurus = $2, stock = stock + $3 \
             WHERE id = $4 AND product_id = $5 AND stock + $3 >= 0",
        )
        .bind(variant.price.0)
        .bind(variant.compare_at.map(|money| money.0))
        .bind(moved)
        .bind(variant.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            // Not this product's, or orders took more than the change gives back.
            return Err(ProductRefusal::ForeignVariant);
        }
        details.push(format!(
            "{}: {} / {} / stock {moved:+}",
            variant.id,
            variant.price.0,
            variant
                .compare_at
                .map_or("-".to_string(), |money| money.0.to_string())
        ));
    }
    audit::record(
        &mut tx,
        by,
        "product.save",
        &format!("product:{slug}"),
        &format!("published={}; {}", changes.published, details.join("; ")),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
