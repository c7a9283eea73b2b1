//! The catalogue through HTTP, on the demo catalogue in a real database (SQLite always,
//! PostgreSQL when TEST_POSTGRES_URL is set): pages, filters, search, SEO, both languages.

mod support;

use std::time::Duration;

use app::backend::catalogue::snapshot::VERSION_CHECK_INTERVAL;
use app::backend::catalogue::{changes, CatalogueCache};
use app::backend::demo;
use app::backend::testing::{self, fresh_databases};
use axum::http::StatusCode;
use support::html::{attributes, texts};
use support::{body_text, get, page, router_for, router_with};

const OK: StatusCode = StatusCode::OK;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;

/// Names of the products on a listing page, in order.
fn card_names(html: &str) -> Vec<String> {
    texts(html, ".card__name")
}

/// The `href` of every `<link>` with `attribute` (`rel="canonical"`, `hreflang="en"`).
fn link_hrefs(html: &str, attribute: &str) -> Vec<String> {
    attributes(html, &format!("link[{attribute}]"), "href")
}

/// The prices of the cards, in kuruş (`1.299,90 TL` is 129990).
fn prices(html: &str) -> Vec<i64> {
    texts(html, ".price__now")
        .iter()
        .map(|price| {
            let digits = price.trim_end_matches(" TL").replace(['.', ','], "");
            digits
                .parse::<i64>()
                .unwrap_or_else(|_| panic!("{price:?}"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_catalogue_loads_once_and_never_over_existing_data() {
    for test in fresh_databases().await {
        assert!(
            demo::seed_if_empty(&test.db).await.unwrap(),
            "{}",
            test.label
        );
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM products")
                .fetch_one(test.db.pool())
                .await
                .unwrap()
        };
        let products = count().await;
        assert!(products >= 60, "{}: {products}", test.label);
        sqlx::query(
            "UPDATE products SET name_tr = 'Elle değiştirilmiş' WHERE slug = 'keten-gomlek-elbise'",
        )
        .execute(test.db.pool())
        .await
        .unwrap();
        assert!(!demo::seed_if_empty(&test.db).await.unwrap());
        assert_eq!(count().await, products);
        let name: String =
            sqlx::query_scalar("SELECT name_tr FROM products WHERE slug = 'keten-gomlek-elbise'")
                .fetch_one(test.db.pool())
                .await
                .unwrap();
        assert_eq!(
            name, "Elle değiştirilmiş",
            "{}: kept, not overwritten",
            test.label
        );

        demo::reload(&test.db).await.unwrap();
        assert_eq!(count().await, products);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_category_and_product_pages_are_complete_html() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());

        let home = page(&router, "/", OK).await;
        assert!(
            home.contains("Öne çıkanlar") && home.contains("Yeni gelenler"),
            "{}",
            test.label
        );
        assert!(home.contains(r#"href="/kategori/kadin""#));
        assert!(home.contains(r#""@type":"Organization""#));
        assert!(card_names(&home).len() >= 8);

        let listing = page(&router, "/kategori/kadin", OK).await;
        assert!(
            listing.contains("<title>Kadın | Les Minoria</title>"),
            "{listing}"
        );
        assert_eq!(card_names(&listing).len(), 24, "first page holds 24");
        assert!(listing.contains(r#"rel="next" href="/kategori/kadin?sayfa=2""#));
        assert!(listing.contains(r#""@type":"BreadcrumbList""#));
        let second = page(&router, "/kategori/kadin?sayfa=2", OK).await;
        assert!(!card_names(&second).is_empty());
        assert_eq!(
            link_hrefs(&second, r#"rel="canonical""#),
            ["https://www.lesminoria.com/kategori/kadin?sayfa=2"]
        );

        let product = page(&router, "/urun/keten-gomlek-elbise", OK).await;
        assert!(product.contains("<h1 class=\"product__name\">Keten Gömlek Elbise</h1>"));
        assert!(product.contains("KDV dahil"));
        assert!(product.contains(r#""@type":"Product""#));
        assert!(product.contains(r#""priceCurrency":"TRY""#));
        assert_eq!(
            link_hrefs(&product, r#"hreflang="en""#),
            ["https://www.lesminoria.com/en/product/keten-gomlek-elbise"]
        );
        assert_eq!(
            link_hrefs(&product, r#"hreflang="tr""#),
            ["https://www.lesminoria.com/urun/keten-gomlek-elbise"]
        );
        assert!(
            product.contains(r#"<meta property="og:type" content="product""#)
                || product.contains(r#"<meta content="product" property="og:type""#),
            "{product}"
        );
        assert!(product.contains("Sepete ekle"));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_unpublished_slugs_are_404() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        for path in [
            "/urun/boyle-bir-urun-yok",
            "/kategori/boyle-bir-kategori-yok",
            "/urun/sambre-gomlek",
            "/en/product/sambre-gomlek",
        ] {
            let html = page(&router, path, NOT_FOUND).await;
            assert!(html.contains("404"), "{path}");
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_sorting_and_nonsense_parameters() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());

        let ascending =
            prices(&page(&router, "/kategori/kadin-elbise?sirala=fiyat-artan", OK).await);
        assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
        let descending =
            prices(&page(&router, "/kategori/kadin-elbise?sirala=fiyat-azalan", OK).await);
        assert!(
            descending.windows(2).all(|w| w[0] >= w[1]),
            "{descending:?}"
        );

        let all = card_names(&page(&router, "/kategori/kadin-elbise", OK).await);
        let cheap = card_names(&page(&router, "/kategori/kadin-elbise?max=2000", OK).await);
        assert!(cheap.len() < all.len(), "{cheap:?} vs {all:?}");
        let in_stock = card_names(&page(&router, "/kategori/kadin-elbise?stok=1", OK).await);
        assert!(
            !in_stock.contains(&"Askılı Poplin Yazlık Elbise".to_string()),
            "sold out is filtered"
        );
        assert!(
            all.iter().any(|n| n.contains("Poplin")),
            "sold out is listed without the filter"
        );

        for nonsense in [
            "/kategori/kadin?sayfa=-5",
            "/kategori/kadin?sayfa=999999999999",
            "/kategori/kadin?beden=XXXL&renk=mor-otesi",
            "/kategori/kadin?min=99999999999999999999&max=-3",
            "/kategori/kadin?sirala=%27%3B%20DROP%20TABLE%20products",
        ] {
            page(&router, nonsense, OK).await;
        }
        let clamped = page(&router, "/kategori/kadin?sayfa=999", OK).await;
        assert!(clamped.contains("Sayfa 2 / 2"), "page clamped to the last");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_ignores_case_and_turkish_letters_and_survives_abuse() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let gomlek = card_names(&page(&router, "/arama?q=gomlek", OK).await);
        assert!(gomlek.iter().any(|n| n.contains("Gömlek")), "{gomlek:?}");
        let ipek = card_names(&page(&router, "/arama?q=%C4%B0PEK", OK).await);
        assert!(ipek.iter().any(|n| n.contains("İpek")), "{ipek:?}");
        let by_category = card_names(&page(&router, "/arama?q=canta", OK).await);
        assert!(
            by_category.len() >= 5,
            "category names match: {by_category:?}"
        );

        let none = page(
            &router,
            "/arama?q=%27%3B%20DROP%20TABLE%20products%3B%20--",
            OK,
        )
        .await;
        assert!(none.contains("eşleşen ürün bulamadık"), "{none}");
        assert!(
            none.contains(r#"href="/kategori/aksesuar""#),
            "suggests categories"
        );
        // A long search is cut to what the box takes; an address longer than any the shop makes
        // is refused with the shop's page (hostile_input.rs).
        let long = format!("/arama?q={}", "a".repeat(7_000));
        page(&router, &long, OK).await;
        let too_long = format!("/arama?q={}", "a".repeat(10_000));
        page(&router, &too_long, StatusCode::URI_TOO_LONG).await;
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_mirrors_every_page() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let home = page(&router, "/en", OK).await;
        assert!(home.contains(r#"<html lang="en""#), "{home}");
        assert!(home.contains("New in"));
        let product = page(&router, "/en/product/keten-gomlek-elbise", OK).await;
        assert!(product.contains("Linen Shirt Dress"));
        assert!(product.contains("TRY "), "prices in English style");
        let listing = page(&router, "/en/category/kadin?sirala=fiyat-artan", OK).await;
        assert!(listing.contains("Price: low to high"));
        let search = page(&router, "/en/search?q=silk", OK).await;
        assert!(
            !card_names(&search).is_empty(),
            "English words find products"
        );
        for path in ["/en/cart", "/en/contact", "/en/privacy-and-cookie-policy"] {
            page(&router, path, OK).await;
        }
        test.finish().await;
    }
}

/// Processes ask the database for the catalogue version at most once per interval; a change
/// made anywhere shows in every process once the interval has passed.
async fn after_the_version_check_interval() {
    tokio::time::sleep(VERSION_CHECK_INTERVAL + Duration::from_millis(50)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalogue_change_shows_in_every_process_within_the_version_check_interval() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        // Two servers on one database, as two processes would be.
        let router = router_for(test.db.clone());
        let other = router_for(test.db.clone());
        let before = page(&router, "/urun/keten-gomlek-elbise", OK).await;
        assert!(!before.contains("12.345,00 TL"));
        page(&other, "/urun/keten-gomlek-elbise", OK).await;
        reprice_the_linen_dress(&test.db).await;
        after_the_version_check_interval().await;
        for server in [&router, &other] {
            let after = page(server, "/urun/keten-gomlek-elbise", OK).await;
            assert!(after.contains("12.345,00 TL"), "{}", test.label);
        }
        sqlx::query("UPDATE products SET published = 0 WHERE slug = 'keten-gomlek-elbise'")
            .execute(test.db.pool())
            .await
            .unwrap();
        after_the_version_check_interval().await;
        page(&router, "/urun/keten-gomlek-elbise", NOT_FOUND).await;
        page(&other, "/urun/keten-gomlek-elbise", NOT_FOUND).await;
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_page_is_answered_without_the_database() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let path = "/urun/keten-gomlek-elbise";
        let first = get(&router, path).await;
        assert_eq!(
            first.headers()["x-sayfa-onbellegi"],
            "miss",
            "{}",
            test.label
        );
        let rendered = body_text(first).await;
        // With the database gone, the page is still answered from the cache: a hit reads
        // nothing from the database.
        test.db.close().await;
        let hit = get(&router, path).await;
        assert_eq!(hit.status(), OK, "{}", test.label);
        assert_eq!(hit.headers()["x-sayfa-onbellegi"], "hit");
        assert_eq!(body_text(hit).await, rendered);
        // Once the interval has passed the version is read again; while the database cannot
        // answer, the page known last is served (a slow or lost database must not take the
        // shop's pages down; prices are checked against the database when a cart is priced).
        after_the_version_check_interval().await;
        let stale = get(&router, path).await;
        assert_eq!(stale.status(), OK, "{}", test.label);
        assert_eq!(body_text(stale).await, rendered);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sitemap_and_robots() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let robots = page(&router, "/robots.txt", OK).await;
        assert!(robots.contains("Sitemap: https://www.lesminoria.com/sitemap.xml"));
        let sitemap = page(&router, "/sitemap.xml", OK).await;
        assert!(sitemap.contains("<loc>https://www.lesminoria.com/urun/keten-gomlek-elbise</loc>"));
        assert!(sitemap.contains("<loc>https://www.lesminoria.com/en/category/kadin</loc>"));
        assert!(sitemap.contains("<lastmod>20"));
        assert!(!sitemap.contains("sambre-gomlek"), "drafts are not listed");
        let urls = sitemap.matches("<url>").count();
        assert!(urls >= 2 * (65 + 15), "{urls}");
        test.finish().await;
    }
}

/// A catalogue change at a busy moment is loaded once by the process, not once per request in
/// flight (at 10,000 products a load takes about a second: every request loading its own took
/// the process away for seconds), and every request gets the new catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalogue_change_at_a_busy_moment_is_loaded_once() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let cache = CatalogueCache::default();
        let first = cache.get(&test.db).await.unwrap();
        assert_eq!(cache.loads(), 1, "{}", test.label);
        sqlx::query("UPDATE variants SET price_kurus = price_kurus + 100")
            .execute(test.db.pool())
            .await
            .unwrap();
        let asking: Vec<_> = (0..32)
            .map(|_| {
                let cache = cache.clone();
                let db = test.db.clone();
                tokio::spawn(async move { cache.get(&db).await.unwrap().version })
            })
            .collect();
        for request in asking {
            assert!(request.await.unwrap() > first.version, "{}", test.label);
        }
        assert_eq!(cache.loads(), 2, "{}", test.label);

        // Pages too: once the interval has passed, one of them loads and the others wait for it.
        sqlx::query("UPDATE variants SET price_kurus = price_kurus + 100")
            .execute(test.db.pool())
            .await
            .unwrap();
        let changed = app::backend::catalogue::snapshot::current_version(&test.db)
            .await
            .unwrap();
        after_the_version_check_interval().await;
        let pages: Vec<_> = (0..32)
            .map(|_| {
                let cache = cache.clone();
                let db = test.db.clone();
                tokio::spawn(async move { cache.get_recent(&db).await.unwrap().version })
            })
            .collect();
        for page in pages {
            assert_eq!(page.await.unwrap(), changed, "{}", test.label);
        }
        assert_eq!(cache.loads(), 3, "{}", test.label);
        test.finish().await;
    }
}

/// A router on the demo catalogue in `db`, and the catalogue cache its pages read.
async fn demo_router_and_cache(db: &app::backend::Db) -> (axum::Router, CatalogueCache) {
    demo::seed_if_empty(db).await.unwrap();
    let mut cache = None;
    let router = router_with(db.clone(), |state| cache = Some(state.catalogue.clone()));
    (router, cache.unwrap())
}

/// Prices the linen dress at 12.345,00 TL, committed on a connection of its own (as another
/// process or a script would).
async fn reprice_the_linen_dress(db: &app::backend::Db) {
    sqlx::query(
        "UPDATE variants SET price_kurus = 1234500, compare_at_kurus = NULL \
         WHERE product_id = (SELECT id FROM products WHERE slug = 'keten-gomlek-elbise')",
    )
    .execute(db.pool())
    .await
    .unwrap();
}

/// On PostgreSQL a catalogue change committed anywhere (another process, a script) shows on
/// a listening process's next page at once, not after the version-check interval: the
/// database notifies every listener at the commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_a_change_committed_elsewhere_shows_on_the_next_page() {
    let Some(admin_url) = testing::postgres_url() else {
        eprintln!("PostgreSQL skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let test = testing::fresh_postgres(&admin_url).await;
    let (router, cache) = demo_router_and_cache(&test.db).await;
    let listener = tokio::spawn(changes::listen(test.url.clone(), cache));
    // Time to connect and start listening.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let path = "/urun/keten-gomlek-elbise";
    // The version is read now; without a notification it would stand for a second.
    assert!(!page(&router, path, OK).await.contains("12.345,00 TL"));
    reprice_the_linen_dress(&test.db).await;
    let committed = std::time::Instant::now();
    while !page(&router, path, OK).await.contains("12.345,00 TL") {
        assert!(
            committed.elapsed() < VERSION_CHECK_INTERVAL / 2,
            "the change did not show within half the version-check interval"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    listener.abort();
    test.finish().await;
}

/// A page answered from the snapshot held while the new one loads is not kept under the new
/// version: once the load is done, the next request shows the change. (Kept, the old page
/// would be served until the catalogue changed again.) PostgreSQL only: there a lock held by
/// another transaction can stall the load at will.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_answered_during_a_slow_load_is_not_kept_as_the_new_version() {
    let Some(admin_url) = testing::postgres_url() else {
        eprintln!("PostgreSQL skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let test = testing::fresh_postgres(&admin_url).await;
    let (router, cache) = demo_router_and_cache(&test.db).await;
    let path = "/urun/keten-gomlek-elbise";
    assert!(!page(&router, path, OK).await.contains("12.345,00 TL"));
    reprice_the_linen_dress(&test.db).await;
    let loads_before = cache.loads();
    // The load of the new version waits behind this lock for as long as the test holds it.
    let mut blocker = test.db.pool().begin().await.unwrap();
    sqlx::query("LOCK TABLE products IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    cache.changed();
    // Within the page's patience the load cannot finish: the page is the one held.
    let during = page(&router, path, OK).await;
    assert!(
        !during.contains("12.345,00 TL"),
        "the load finished under the lock"
    );
    blocker.rollback().await.unwrap();
    let released = std::time::Instant::now();
    while cache.loads() == loads_before {
        assert!(
            released.elapsed() < Duration::from_secs(5),
            "the load never ended"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        page(&router, path, OK).await.contains("12.345,00 TL"),
        "the page answered during the load was kept as the new version's"
    );
    test.finish().await;
}
