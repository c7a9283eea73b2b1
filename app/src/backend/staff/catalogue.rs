//! The catalogue as staff change it: names, publishing, the cayma exemption, and each
//! variant's price, compare-at price and stock, in one transaction with its audit row. The
//! catalogue's triggers bump its version, so the storefront, the sitemap and the page cache
//! show the change within a second (`VERSION_CHECK_INTERVAL`).

use super::super::{time, Db};
use super::audit::{self, Actor};
use crate::model::catalogue_forms::{NewCategory, NewProduct, NewVariant};
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
        categories: categories(db).await?,
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

/// Every category: (id, Turkish name, parent), parents each followed by their children.
pub async fn categories(db: &Db) -> Result<Vec<(i64, String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name_tr, parent_id FROM categories ORDER BY COALESCE(parent_id, id), \
         parent_id IS NOT NULL, position, id",
    )
    .fetch_all(db.pool())
    .await
}

/// Why something new was not added to the catalogue.
#[derive(Debug, thiserror::Error)]
pub enum AddRefusal {
    /// The address word (or the stock code) is another's.
    #[error("taken by another")]
    Taken,
    /// The category or product named does not exist (or is a child: categories are two deep).
    #[error("no such category or product")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Adds a product, unpublished until staff publish it with its variants; its address word.
pub async fn create_product(
    db: &Db,
    product: &NewProduct,
    by: &Actor,
) -> Result<String, AddRefusal> {
    let mut tx = db.begin_write().await?;
    // Its category's names (and its parent's) go into the search text, as the demo's do.
    let names: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT c.name_tr, c.name_en, p.name_tr, p.name_en FROM categories c \
         LEFT JOIN categories p ON p.id = c.parent_id WHERE c.id = $1",
    )
    .bind(product.category_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name_tr, name_en, parent_tr, parent_en)) = names else {
        tx.rollback().await?;
        return Err(AddRefusal::NotFound);
    };
    let category_names: Vec<&str> = [
        Some(name_tr.as_str()),
        Some(name_en.as_str()),
        parent_tr.as_deref(),
        parent_en.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let search = crate::backend::catalogue::views::search_text(
        [&product.name[0], &product.name[1]],
        [&product.description[0], &product.description[1]],
        &category_names,
    );
    let now = time::iso_utc(time::now_seconds());
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO products (category_id, slug, name_tr, name_en, description_tr, \
         description_en, material_tr, material_en, care_tr, care_en, kdv_rate, published, \
         featured, search_text, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         $8, $9, $10, $11, 0, 0, $12, $13, $13) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(product.category_id)
    .bind(&product.slug)
    .bind(&product.name[0])
    .bind(&product.name[1])
    .bind(&product.description[0])
    .bind(&product.description[1])
    .bind(&product.material[0])
    .bind(&product.material[1])
    .bind(&product.care[0])
    .bind(&product.care[1])
    .bind(product.kdv_rate)
    .bind(&search)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        tx.rollback().await?;
        return Err(AddRefusal::Taken);
    }
    audit::record(
        &mut tx,
        by,
        "product.create",
        &format!("product:{}", product.slug),
        &format!("{} (KDV %{})", product.name[0], product.kdv_rate),
    )
    .await?;
    tx.commit().await?;
    Ok(product.slug.clone())
}

/// Adds a variant to product `slug`, after its others.
pub async fn add_variant(
    db: &Db,
    slug: &str,
    variant: &NewVariant,
    by: &Actor,
) -> Result<(), AddRefusal> {
    let mut tx = db.begin_write().await?;
    let product: Option<i64> = sqlx::query_scalar("SELECT id FROM products WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(product) = product else {
        tx.rollback().await?;
        return Err(AddRefusal::NotFound);
    };
    let inserted = sqlx::query(
        "INSERT INTO variants (product_id, sku, size, colour_tr, colour_en, colour_hex, \
         price_kurus, compare_at_kurus, stock, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, (SELECT COALESCE(MAX(position), -1) + 1 FROM variants WHERE product_id = $1)) \
         ON CONFLICT (sku) DO NOTHING",
    )
    .bind(product)
    .bind(&variant.sku)
    .bind(&variant.size)
    .bind(&variant.colour[0])
    .bind(&variant.colour[1])
    .bind(&variant.hex)
    .bind(variant.price.0)
    .bind(variant.compare_at.map(|money| money.0))
    .bind(variant.stock)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(AddRefusal::Taken);
    }
    audit::record(
        &mut tx,
        by,
        "variant.create",
        &format!("product:{slug}"),
        &format!(
            "{} {} / {}: {} kuruş, stock {}",
            variant.sku, variant.colour[0], variant.size, variant.price.0, variant.stock
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a category, top-level or under a top-level one, after its siblings.
pub async fn create_category(
    db: &Db,
    category: &NewCategory,
    by: &Actor,
) -> Result<(), AddRefusal> {
    let mut tx = db.begin_write().await?;
    if let Some(parent) = category.parent_id {
        // "LES MENÜ" is two levels deep: a parent must itself be top-level.
        let top: Option<i64> =
            sqlx::query_scalar("SELECT id FROM categories WHERE id = $1 AND parent_id IS NULL")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?;
        if top.is_none() {
            tx.rollback().await?;
            return Err(AddRefusal::NotFound);
        }
    }
    let inserted = sqlx::query(
        "INSERT INTO categories (parent_id, slug, name_tr, name_en, intro_tr, intro_en, \
         position, updated_at) VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), \
         -1) + 1 FROM categories WHERE parent_id IS NOT DISTINCT FROM $1), $7) \
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(category.parent_id)
    .bind(&category.slug)
    .bind(&category.name[0])
    .bind(&category.name[1])
    .bind(&category.intro[0])
    .bind(&category.intro[1])
    .bind(time::iso_utc(time::now_seconds()))
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() != 1 {
        tx.rollback().await?;
        return Err(AddRefusal::Taken);
    }
    audit::record(
        &mut tx,
        by,
        "category.create",
        &format!("category:{}", category.slug),
        &category.name[0],
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    let images: Vec<(String, String)> = sqlx::query_as(
        "SELECT path, alt_tr FROM product_images WHERE product_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(StaffProduct {
        images,
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
    /// Published with nothing to sell: a product goes on sale with at least one variant.
    #[error("the product has no variant")]
    NoVariants,
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
    if changes.published {
        let variants: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM variants WHERE product_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if variants == 0 {
            tx.rollback().await?;
            return Err(ProductRefusal::NoVariants);
        }
    }
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
