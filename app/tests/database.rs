//! The database layer on a real SQLite file, and on PostgreSQL when TEST_POSTGRES_URL is set.

use app::backend::{testing::fresh_databases, Dialect};
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_create_the_schema_on_every_database() {
    for test in fresh_databases().await {
        let created: String = sqlx::query_scalar("SELECT value FROM shop_meta WHERE key = $1")
            .bind("schema_created_at")
            .fetch_one(test.db.pool())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", test.label));
        assert!(created.starts_with("20"), "{}: {created}", test.label);

        // Running the migrations again (a second server process starting) changes nothing.
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM shop_meta")
                .fetch_one(test.db.pool())
                .await
                .unwrap()
        };
        let before = count().await;
        test.db.migrate().await.expect("second migration run");
        assert_eq!(count().await, before, "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_are_written_once_for_both_dialects() {
    for test in fresh_databases().await {
        // `$1` placeholders, ON CONFLICT and RETURNING: the portable subset DESIGN.md names.
        let upsert = "INSERT INTO shop_meta (key, value) VALUES ($1, $2) \
                      ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value";
        for value in ["eski", "yeni"] {
            let returned: String = sqlx::query_scalar(upsert)
                .bind("deneme")
                .bind(value)
                .fetch_one(test.db.pool())
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", test.label));
            assert_eq!(returned, value, "{}", test.label);
        }
        let row = sqlx::query("SELECT key, value FROM shop_meta WHERE key = $1")
            .bind("deneme")
            .fetch_one(test.db.pool())
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>("value"), "yeni", "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    let databases = fresh_databases().await;
    let sqlite = databases
        .iter()
        .find(|test| test.db.dialect() == Dialect::Sqlite)
        .expect("SQLite is always tested");
    let mut connection = sqlite.db.pool().acquire().await.unwrap();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(journal.to_lowercase(), "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let busy_timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *connection)
        .await
        .unwrap();
    assert_eq!(busy_timeout, 5000);
    drop(connection);
    for test in databases {
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_schema_refuses_impossible_data() {
    for test in fresh_databases().await {
        let pool = test.db.pool();
        let category: i64 = sqlx::query_scalar(
            "INSERT INTO categories (slug, name_tr, name_en, updated_at) \
             VALUES ('kadin', 'Kadın', 'Women', '2026-11-25T00:00:00Z') RETURNING id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        let insert_product = |slug: &'static str| {
            sqlx::query(
                "INSERT INTO products (category_id, slug, name_tr, name_en, description_tr, \
                 description_en, material_tr, material_en, care_tr, care_en, kdv_rate, \
                 search_text, created_at, updated_at) \
                 VALUES ($1, $2, 'Ad', 'Name', '', '', '', '', '', '', 10, '', 't', 't')",
            )
            .bind(category)
            .bind(slug)
            .execute(pool)
        };
        insert_product("elbise").await.unwrap();
        assert!(
            insert_product("elbise").await.is_err(),
            "{}: duplicate slug",
            test.label
        );
        let product: i64 = sqlx::query_scalar("SELECT id FROM products WHERE slug = 'elbise'")
            .fetch_one(pool)
            .await
            .unwrap();
        let insert_variant =
            |sku: &'static str, price: i64, compare_at: Option<i64>, stock: i64| {
                sqlx::query(
                "INSERT INTO variants (product_id, sku, size, colour_tr, colour_en, colour_hex, \
                 price_kurus, compare_at_kurus, stock) VALUES ($1, $2, 'M', 'Siyah', 'Black', \
                 '#000000', $3, $4, $5)",
            )
            .bind(product)
            .bind(sku)
            .bind(price)
            .bind(compare_at)
            .bind(stock)
            .execute(pool)
            };
        insert_variant("LM-1", 10_000, Some(15_000), 3)
            .await
            .unwrap();
        let label = test.label;
        assert!(
            insert_variant("LM-1", 10_000, None, 3).await.is_err(),
            "{label}: duplicate SKU"
        );
        assert!(
            insert_variant("LM-2", -1, None, 3).await.is_err(),
            "{label}: negative price"
        );
        assert!(
            insert_variant("LM-3", 10_000, None, -1).await.is_err(),
            "{label}: negative stock"
        );
        assert!(
            insert_variant("LM-4", 10_000, Some(9_000), 1)
                .await
                .is_err(),
            "{label}: compare-at below the price"
        );
        let conditional_take =
            sqlx::query("UPDATE variants SET stock = stock - $1 WHERE sku = $2 AND stock >= $1")
                .bind(5_i64)
                .bind("LM-1")
                .execute(pool)
                .await
                .unwrap();
        assert_eq!(
            conditional_take.rows_affected(),
            0,
            "{label}: cannot take more than stock"
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_catalogue_write_bumps_the_version() {
    use app::backend::catalogue::snapshot::current_version;
    for test in fresh_databases().await {
        let before = current_version(&test.db).await.unwrap();
        sqlx::query(
            "INSERT INTO categories (slug, name_tr, name_en, updated_at) \
             VALUES ('erkek', 'Erkek', 'Men', 't')",
        )
        .execute(test.db.pool())
        .await
        .unwrap();
        let after_insert = current_version(&test.db).await.unwrap();
        assert!(after_insert > before, "{}", test.label);
        sqlx::query("UPDATE categories SET name_en = 'Menswear'")
            .execute(test.db.pool())
            .await
            .unwrap();
        assert!(
            current_version(&test.db).await.unwrap() > after_insert,
            "{}",
            test.label
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_moves_bump_the_catalogue_only_when_a_page_would_show_them() {
    for test in fresh_databases().await {
        let db = &test.db;
        app::backend::demo::seed_if_empty(db).await.unwrap();
        let variant: i64 = sqlx::query_scalar("SELECT id FROM variants ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let version = || async {
            sqlx::query_scalar::<_, String>(
                "SELECT value FROM shop_meta WHERE key = 'catalogue_version'",
            )
            .fetch_one(db.pool())
            .await
            .unwrap()
        };
        let change = |sql: &'static str| async move {
            let mut tx = db.begin_write().await.unwrap();
            sqlx::query(sql)
                .bind(variant)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        };
        change("UPDATE variants SET stock = 50 WHERE id = $1").await;
        let at_50 = version().await;
        change("UPDATE variants SET stock = 49 WHERE id = $1").await;
        change("UPDATE variants SET stock = 11 WHERE id = $1").await;
        change("UPDATE variants SET stock = 10 WHERE id = $1").await;
        assert_eq!(
            version().await,
            at_50,
            "{}: from 10 up nobody sees a difference",
            test.label
        );
        change("UPDATE variants SET stock = 9 WHERE id = $1").await;
        let at_9 = version().await;
        assert_ne!(at_9, at_50, "{}: the cart's cap moved", test.label);
        change("UPDATE variants SET price_kurus = price_kurus + 100 WHERE id = $1").await;
        assert_ne!(
            version().await,
            at_9,
            "{}: a price change is a catalogue change",
            test.label
        );
        test.finish().await;
    }
}
