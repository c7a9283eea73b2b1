//! The demo catalogue (`catalogue.json` beside this file; images in `public/img/urun/`, drawn
//! by `scripts/demo-images.py`). Loaded into an empty database on first start, never over
//! existing data; `server reload-demo` replaces the catalogue with it on purpose.

use serde::Deserialize;
use sqlx::{Any, Transaction};

use crate::backend::catalogue::views::search_text;
use crate::backend::time::{iso_utc, now_seconds};
use crate::backend::Db;
use crate::model::text::{lowercase_tr, slugify};

const CATALOGUE_JSON: &str = include_str!("catalogue.json");

#[derive(Deserialize)]
struct DemoCatalogue {
    categories: Vec<DemoCategory>,
    products: Vec<DemoProduct>,
}

#[derive(Deserialize)]
struct DemoCategory {
    slug: String,
    name_tr: String,
    name_en: String,
    intro_tr: String,
    intro_en: String,
    #[serde(default)]
    children: Vec<DemoCategory>,
}

#[derive(Deserialize)]
struct DemoColour {
    tr: String,
    en: String,
    hex: String,
}

#[derive(Deserialize)]
struct DemoProduct {
    slug: String,
    category: String,
    name_tr: String,
    name_en: String,
    description_tr: String,
    description_en: String,
    material_tr: String,
    material_en: String,
    care_tr: String,
    care_en: String,
    kdv_rate: i64,
    price_kurus: i64,
    compare_at_kurus: Option<i64>,
    featured: bool,
    published: bool,
    sold_out: bool,
    days_ago: i64,
    sizes: Vec<String>,
    colours: Vec<DemoColour>,
}

/// Loads the demo catalogue when the shop has no categories and no products yet.
/// Returns whether it loaded anything.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    if !catalogue_is_empty(db).await? {
        return Ok(false);
    }
    let mut tx = db.pool().begin().await?;
    match insert_catalogue(&mut tx).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(true)
        }
        // Another server process seeded the same empty database at the same moment: its
        // catalogue stands, ours is rolled back.
        Err(_) if !catalogue_is_empty(db).await? => Ok(false),
        Err(error) => Err(error),
    }
}

/// Replaces the whole catalogue with the demo one, in one transaction.
pub async fn reload(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    for table in ["product_images", "variants", "products"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    // Codes and campaigns limited to the old categories would apply to everything once their
    // limits went: they are switched off, for staff to look at again.
    for statement in [
        "UPDATE coupons SET active = 0 WHERE id IN (SELECT coupon_id FROM coupon_categories)",
        "UPDATE campaigns SET active = 0 WHERE id IN (SELECT campaign_id FROM campaign_categories)",
        "DELETE FROM coupon_categories",
        "DELETE FROM campaign_categories",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    // Children before parents (the tree's foreign key restricts deletes).
    sqlx::query("DELETE FROM categories WHERE parent_id IS NOT NULL")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM categories")
        .execute(&mut *tx)
        .await?;
    insert_catalogue(&mut tx).await?;
    tx.commit().await
}

async fn catalogue_is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM categories) + (SELECT COUNT(*) FROM products)",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(count == 0)
}

async fn insert_catalogue(tx: &mut Transaction<'static, Any>) -> Result<(), sqlx::Error> {
    let catalogue: DemoCatalogue =
        serde_json::from_str(CATALOGUE_JSON).expect("catalogue.json is checked by a unit test");
    let now = now_seconds();
    let stamp = iso_utc(now);

    // slug → (id, [name_tr, name_en] of the category and its parent)
    let mut categories: Vec<(String, i64, Vec<String>)> = Vec::new();
    for (position, parent) in catalogue.categories.iter().enumerate() {
        let parent_id = insert_category(tx, parent, None, position as i64, &stamp).await?;
        categories.push((
            parent.slug.clone(),
            parent_id,
            vec![parent.name_tr.clone(), parent.name_en.clone()],
        ));
        for (child_position, child) in parent.children.iter().enumerate() {
            let id =
                insert_category(tx, child, Some(parent_id), child_position as i64, &stamp).await?;
            categories.push((
                child.slug.clone(),
                id,
                vec![
                    child.name_tr.clone(),
                    child.name_en.clone(),
                    parent.name_tr.clone(),
                    parent.name_en.clone(),
                ],
            ));
        }
    }

    for (index, product) in catalogue.products.iter().enumerate() {
        let (_, category_id, category_names) = categories
            .iter()
            .find(|(slug, _, _)| slug == &product.category)
            .expect("every demo product names a demo category");
        let created = iso_utc(now - product.days_ago * 86_400 - index as i64);
        let names: Vec<&str> = category_names.iter().map(String::as_str).collect();
        let search = search_text(
            [&product.name_tr, &product.name_en],
            [&product.description_tr, &product.description_en],
            &names,
        );
        let product_id: i64 = sqlx::query_scalar(
            "INSERT INTO products (category_id, slug, name_tr, name_en, description_tr, \
             description_en, material_tr, material_en, care_tr, care_en, kdv_rate, published, \
             featured, search_text, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(*category_id)
        .bind(&product.slug)
        .bind(&product.name_tr)
        .bind(&product.name_en)
        .bind(&product.description_tr)
        .bind(&product.description_en)
        .bind(&product.material_tr)
        .bind(&product.material_en)
        .bind(&product.care_tr)
        .bind(&product.care_en)
        .bind(product.kdv_rate)
        .bind(i64::from(product.published))
        .bind(i64::from(product.featured))
        .bind(&search)
        .bind(&created)
        .bind(&created)
        .fetch_one(&mut **tx)
        .await?;

        let mut position = 0_i64;
        for colour in &product.colours {
            for size in &product.sizes {
                let sku = format!(
                    "LM{:03}-{}-{}",
                    index + 1,
                    slugify(size).to_uppercase(),
                    slugify(&colour.tr).to_uppercase()
                );
                let stock = if product.sold_out {
                    0
                } else {
                    demo_stock(&sku)
                };
                sqlx::query(
                    "INSERT INTO variants (product_id, sku, size, colour_tr, colour_en, \
                     colour_hex, price_kurus, compare_at_kurus, stock, position) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(product_id)
                .bind(&sku)
                .bind(size)
                .bind(&colour.tr)
                .bind(&colour.en)
                .bind(&colour.hex)
                .bind(product.price_kurus)
                .bind(product.compare_at_kurus)
                .bind(stock)
                .bind(position)
                .execute(&mut **tx)
                .await?;
                position += 1;
            }
        }

        for (position, (suffix, alt_tr, alt_en)) in image_views(product).into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO product_images (product_id, path, alt_tr, alt_en, position) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(product_id)
            .bind(format!("/img/urun/{}-{suffix}.svg", product.slug))
            .bind(alt_tr)
            .bind(alt_en)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn insert_category(
    tx: &mut Transaction<'static, Any>,
    category: &DemoCategory,
    parent_id: Option<i64>,
    position: i64,
    stamp: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO categories (parent_id, slug, name_tr, name_en, intro_tr, intro_en, \
         position, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(parent_id)
    .bind(&category.slug)
    .bind(&category.name_tr)
    .bind(&category.name_en)
    .bind(&category.intro_tr)
    .bind(&category.intro_en)
    .bind(position)
    .bind(stamp)
    .fetch_one(&mut **tx)
    .await
}

/// The pictures `scripts/demo-images.py` draws for a product: front, detail, and the second
/// colour when there is one.
fn image_views(product: &DemoProduct) -> Vec<(u8, String, String)> {
    let mut views = vec![
        (
            1,
            format!("{}, önden görünüm", product.name_tr),
            format!("{}, front view", product.name_en),
        ),
        (
            2,
            format!("{}, kumaş ve dikiş detayı", product.name_tr),
            format!("{}, fabric and stitching detail", product.name_en),
        ),
    ];
    if let Some(second) = product.colours.get(1) {
        views.push((
            3,
            format!("{}, {} renk", product.name_tr, lowercase_tr(&second.tr)),
            format!("{} in {}", product.name_en, second.en.to_lowercase()),
        ));
    }
    views
}

/// A believable, repeatable stock figure per SKU: mostly a handful, about one in seven sold out.
fn demo_stock(sku: &str) -> i64 {
    // FNV-1a: stable across runs and platforms, unlike std's randomised hasher.
    let hash = sku.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    if hash % 7 == 0 {
        0
    } else {
        (hash % 14) as i64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalogue_is_complete() {
        let catalogue: DemoCatalogue = serde_json::from_str(CATALOGUE_JSON).unwrap();
        let leaves: Vec<&DemoCategory> = catalogue
            .categories
            .iter()
            .flat_map(|c| &c.children)
            .collect();
        assert!(catalogue.categories.len() + leaves.len() >= 6);
        assert!(catalogue.products.len() >= 60);
        for product in &catalogue.products {
            assert!(
                leaves.iter().any(|c| c.slug == product.category),
                "{}",
                product.slug
            );
            assert!(!product.sizes.is_empty() && !product.colours.is_empty());
            assert!(product
                .compare_at_kurus
                .is_none_or(|c| c > product.price_kurus));
            assert_eq!(
                slugify(&product.slug),
                product.slug.replace('-', " ").replace(' ', "-")
            );
        }
        assert!(catalogue.products.iter().any(|p| p.sold_out));
        assert!(catalogue
            .products
            .iter()
            .any(|p| p.compare_at_kurus.is_some()));
    }

    #[test]
    fn demo_stock_is_repeatable_and_sometimes_zero() {
        assert_eq!(demo_stock("LM001-M-SIYAH"), demo_stock("LM001-M-SIYAH"));
        let stocks: Vec<i64> = (0..100)
            .map(|i| demo_stock(&format!("LM{i:03}-M-EKRU")))
            .collect();
        assert!(stocks.contains(&0));
        assert!(stocks.iter().all(|&s| (0..=14).contains(&s)));
    }
}
