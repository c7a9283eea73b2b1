//! What a failing disk or database does to the writes a visitor is told about: nothing is
//! acknowledged that was not stored (a full filesystem, a deleted SQLite file), the health check
//! says so, and a locked table does not take the cached pages down with it.

mod support;

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use app::backend::consent::{self, ConsentRecord};
use app::backend::{contact, demo, testing, Db, RequestOrigin};
use app::model::consent::{ConsentAction, ConsentChoice};
use app::model::contact::{ContactMessage, ContactTopic};
use app::model::Locale;
use axum::http::StatusCode;
use sqlx::Executor;

use support::{body_text, get, good_contact_form, post_form, router_for};

/// A tmpfs of `size` mounted on a fresh folder (root only; tests are skipped, loudly, without
/// it), unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            // CI (.ci/run) can mount one and says so: there a failed mount is a failure, never
            // a silent pass.
            assert!(
                std::env::var_os("LESMINORIA_REQUIRE_TMPFS").is_none(),
                "could not mount a tmpfs, and LESMINORIA_REQUIRE_TMPFS is set"
            );
            eprintln!("SKIPPED: mounting a small tmpfs needs root with CAP_SYS_ADMIN");
            return None;
        }
        Some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the filesystem is full; returns it so it can be removed.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.sync_all();
        // The last partial chunk too.
        while file.write_all(&[0u8; 512]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// A new visitor's choice, as the ledger keeps it.
fn ledger_entry(action: ConsentAction) -> ConsentRecord {
    ConsentRecord {
        visitor_id: consent::new_visitor_id(),
        customer_id: None,
        action,
        choice: action.choice(ConsentChoice::NONE),
        policy_version: app::model::consent::COOKIE_POLICY_VERSION.to_string(),
        locale: Locale::Tr,
    }
}

fn consent_choice(n: usize) -> Vec<(&'static str, &'static str)> {
    vec![
        ("secim", if n.is_multiple_of(2) { "red" } else { "kabul" }),
        ("dil", "tr"),
        ("geri", "/"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_nothing_is_acknowledged_that_was_not_stored() {
    let Some(disk) = SmallDisk::mount("3m") else {
        return;
    };
    let url = format!("sqlite://{}", disk.path().join("shop.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    demo::seed_if_empty(&db).await.unwrap();
    let router = router_for(db.clone());

    // Before: a choice and a message are stored and acknowledged.
    let before = post_form(
        &router,
        "/cerez-tercihi",
        &consent_choice(0),
        "203.0.113.1",
        None,
        &[],
    )
    .await;
    assert_eq!(before.status(), StatusCode::SEE_OTHER);
    let filler = disk.fill();

    // Every write path, several times (SQLite may still find room in pages it already has).
    let (mut acknowledged_choices, mut refused_choices) = (0, 0);
    let (mut acknowledged_messages, mut refused_messages) = (0, 0);
    let long_message = "Kargom ne zaman gelir? ".repeat(150);
    for n in 1..=20 {
        let ip = format!("203.0.113.{}", n + 1);
        let response = post_form(
            &router,
            "/cerez-tercihi",
            &consent_choice(n),
            &ip,
            None,
            &[],
        )
        .await;
        if response.status() == StatusCode::SEE_OTHER {
            assert!(response.headers().contains_key("set-cookie"));
            acknowledged_choices += 1;
        } else {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert!(
                !response.headers().contains_key("set-cookie"),
                "no cookie for an unkept choice"
            );
            refused_choices += 1;
        }
        let mut form = good_contact_form();
        form.retain(|(name, _)| *name != "mesaj");
        form.push(("mesaj", &long_message));
        let response = post_form(&router, "/iletisim", &form, &ip, None, &[]).await;
        if response.status() == StatusCode::SEE_OTHER {
            acknowledged_messages += 1;
        } else {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            let page = body_text(response).await;
            assert!(
                page.contains("Kargom ne zaman gelir?"),
                "what was typed is kept"
            );
            refused_messages += 1;
        }
    }
    assert!(
        refused_choices > 0,
        "the disk never filled for a cookie choice"
    );
    assert!(refused_messages > 0, "the disk never filled for a message");

    // The ledger and the inbox themselves, without the rate limit's write in front of them:
    // a row is reported stored only when its commit went through.
    let origin = RequestOrigin::new("203.0.113.77".into(), "Testzilla/1.0");
    let entry = ledger_entry(ConsentAction::RejectAll);
    let message = ContactMessage {
        topic: ContactTopic::Question,
        name: "Ayşe Yılmaz".into(),
        email: "ayse@example.com".into(),
        order_number: None,
        message: long_message.clone(),
    };
    let mut failed_directly = 0;
    for _ in 0..10 {
        let choice = async {
            let mut tx = db.begin_write().await?;
            consent::record(&mut tx, &entry, &origin).await?;
            tx.commit().await
        };
        match choice.await {
            Ok(()) => acknowledged_choices += 1,
            Err(_) => failed_directly += 1,
        }
        let kept = async {
            let mut tx = db.begin_write().await?;
            contact::store(&mut tx, &message, Locale::Tr, &origin).await?;
            tx.commit().await
        };
        match kept.await {
            Ok(()) => acknowledged_messages += 1,
            Err(_) => failed_directly += 1,
        }
    }
    assert!(
        failed_directly > 0,
        "the disk never filled for a direct write"
    );

    // Room again: exactly what was acknowledged is there, and the shop writes again.
    std::fs::remove_file(filler).unwrap();
    assert_eq!(count(&db, "consent_ledger").await, 1 + acknowledged_choices);
    assert_eq!(count(&db, "contact_messages").await, acknowledged_messages);
    let after = post_form(
        &router,
        "/cerez-tercihi",
        &consent_choice(1),
        "203.0.113.99",
        None,
        &[],
    )
    .await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_sqlite_file_fails_health_and_every_write() {
    let test = testing::fresh_sqlite().await;
    demo::seed_if_empty(&test.db).await.unwrap();
    let router = router_for(test.db.clone());
    assert_eq!(get(&router, "/healthz").await.status(), StatusCode::OK);
    let file = app::backend::db::sqlite_path_of_url(&test.url).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }

    assert_eq!(
        get(&router, "/healthz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let choice = post_form(
        &router,
        "/cerez-tercihi",
        &consent_choice(0),
        "203.0.113.5",
        None,
        &[],
    )
    .await;
    assert_eq!(choice.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(!choice.headers().contains_key("set-cookie"));
    let message = post_form(
        &router,
        "/iletisim",
        &good_contact_form(),
        "203.0.113.5",
        None,
        &[],
    )
    .await;
    assert_eq!(message.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(body_text(message)
        .await
        .contains("Siparişim ne zaman kargoya verilir?"));
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_postgresql_schema_fails_health() {
    let Some(admin_url) = testing::postgres_url() else {
        eprintln!("PostgreSQL skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let test = testing::fresh_postgres(&admin_url).await;
    let router = router_for(test.db.clone());
    assert_eq!(get(&router, "/healthz").await.status(), StatusCode::OK);
    let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(test.db.pool())
        .await
        .unwrap();
    test.db
        .pool()
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
    assert_eq!(
        get(&router, "/healthz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_locked_table_does_not_take_the_cached_pages_down() {
    let Some(admin_url) = testing::postgres_url() else {
        eprintln!("PostgreSQL skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let test = testing::fresh_postgres(&admin_url).await;
    demo::seed_if_empty(&test.db).await.unwrap();
    let router = router_for(test.db.clone());
    for _ in 0..2 {
        assert_eq!(get(&router, "/").await.status(), StatusCode::OK);
    }

    // Someone holds the catalogue's and the ledger's tables (a long migration, a stuck script).
    let locker = Db::connect(&test.url).await.unwrap();
    let mut lock = locker.pool().begin().await.unwrap();
    lock.execute("LOCK TABLE shop_meta, consent_ledger, rate_limits IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    // Past the interval after which the catalogue version is read again.
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let mut slowest = Duration::ZERO;
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        let started = Instant::now();
        let response = get(&router, "/").await;
        assert_eq!(response.status(), StatusCode::OK);
        slowest = slowest.max(started.elapsed());
    }
    assert!(
        slowest < Duration::from_secs(1),
        "a cached page took {slowest:?}"
    );

    // A write meets the lock and is refused in seconds, not held.
    let started = Instant::now();
    let choice = post_form(
        &router,
        "/cerez-tercihi",
        &consent_choice(0),
        "203.0.113.7",
        None,
        &[],
    )
    .await;
    assert_eq!(choice.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    lock.rollback().await.unwrap();
    locker.close().await;
    let choice = post_form(
        &router,
        "/cerez-tercihi",
        &consent_choice(0),
        "203.0.113.7",
        None,
        &[],
    )
    .await;
    assert_eq!(choice.status(), StatusCode::SEE_OTHER);
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_abandoned_midway_leaves_no_lock_and_no_row() {
    for test in testing::fresh_databases().await {
        let origin = RequestOrigin::new("203.0.113.8".into(), "Testzilla/1.0");
        let entry = ledger_entry(ConsentAction::AcceptAll);
        // A request that went away after its insert, before its commit (a dropped future).
        let mut abandoned = test.db.begin_write().await.unwrap();
        consent::record(&mut abandoned, &entry, &origin)
            .await
            .unwrap();
        drop(abandoned);
        // The next write neither waits for a lock nor finds the abandoned row.
        let started = Instant::now();
        let mut tx = test.db.begin_write().await.unwrap();
        consent::record(&mut tx, &entry, &origin).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{}: {:?}",
            test.label,
            started.elapsed()
        );
        assert_eq!(count(&test.db, "consent_ledger").await, 1, "{}", test.label);
        // A request dropped at an await: in the middle of its statement, of its COMMIT.
        let mut cut = test.db.begin_write().await.unwrap();
        let _ =
            tokio::time::timeout(Duration::ZERO, consent::record(&mut cut, &entry, &origin)).await;
        drop(cut);
        let mut cut = test.db.begin_write().await.unwrap();
        consent::record(&mut cut, &entry, &origin).await.unwrap();
        let _ = tokio::time::timeout(Duration::ZERO, cut.commit()).await;
        let started = Instant::now();
        let mut tx = test.db.begin_write().await.unwrap();
        consent::record(&mut tx, &entry, &origin).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{}: {:?}",
            test.label,
            started.elapsed()
        );
        // The cut COMMIT may or may not have gone through; the statement cut before it did not.
        let rows = count(&test.db, "consent_ledger").await;
        assert!(rows == 2 || rows == 3, "{}: {rows}", test.label);
        let before = rows;
        // A write cancelled while it waits for its turn takes nothing with it either.
        let holder = test.db.begin_write().await.unwrap();
        let waiting = tokio::time::timeout(Duration::from_millis(100), test.db.begin_write()).await;
        if test.db.dialect() == app::backend::Dialect::Sqlite {
            assert!(waiting.is_err(), "SQLite writers take turns");
        }
        drop(waiting);
        holder.rollback().await.unwrap();
        let mut tx = test.db.begin_write().await.unwrap();
        consent::record(&mut tx, &entry, &origin).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            count(&test.db, "consent_ledger").await,
            before + 1,
            "{}",
            test.label
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_no_order_is_acknowledged_that_was_not_stored() {
    use support::shopper::{location, stock_of, variant_with_stock, Shopper};
    let Some(disk) = SmallDisk::mount("3m") else {
        return;
    };
    let url = format!("sqlite://{}", disk.path().join("shop.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let variant = variant_with_stock(&db, 100).await;
    let router = router_for(db.clone());
    // Shoppers with their details and methods kept, ready to confirm.
    let mut ready = Vec::new();
    for n in 0..30 {
        let shopper = Shopper::start(
            &router,
            &format!("198.51.100.{n}"),
            &format!("1|{variant}x1"),
        )
        .await;
        let documents = shopper.up_to_review("havale").await;
        ready.push((shopper, documents));
    }
    let filler = disk.fill();
    let (mut acknowledged, mut refused) = (Vec::new(), 0);
    for (shopper, documents) in &ready {
        let response = shopper.confirm(documents).await;
        match response.status() {
            StatusCode::SEE_OTHER => acknowledged.push(location(&response)),
            status => {
                assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
                let page = body_text(response).await;
                assert!(
                    page.contains("kaydedemiyoruz") || page.contains("Kaydedemiyoruz"),
                    "{page}"
                );
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the disk never filled for an order");

    // Room again: exactly the acknowledged orders exist, with their goods taken, and the
    // refused shoppers can confirm now.
    std::fs::remove_file(filler).unwrap();
    let orders = count(&db, "orders").await;
    assert_eq!(orders, acknowledged.len() as i64);
    assert_eq!(stock_of(&db, variant).await, 100 - orders);
    for address in &acknowledged {
        let number = address
            .strip_prefix("/siparis/")
            .unwrap()
            .split('?')
            .next()
            .unwrap();
        let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE number = $1")
            .bind(number)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(found, 1, "{number} was acknowledged");
    }
    let (shopper, documents) = ready.last().unwrap();
    assert_eq!(
        shopper.confirm(documents).await.status(),
        StatusCode::SEE_OTHER
    );
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_no_member_is_told_registered_or_logged_in_unless_stored() {
    use support::shopper::location;
    let Some(disk) = SmallDisk::mount("3m") else {
        return;
    };
    let url = format!("sqlite://{}", disk.path().join("shop.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let router = router_for(db.clone());
    let password = "mavi deniz kıyısında sabah";
    let registration = |email: String| {
        vec![
            ("ad".to_string(), "Ayşe Yılmaz".to_string()),
            ("eposta".to_string(), email),
            ("sifre".to_string(), password.to_string()),
        ]
    };
    let post = |path: &'static str, form: Vec<(String, String)>, ip: String| {
        let router = router.clone();
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_form(&router, path, &form, &ip, None, &[]).await
        }
    };
    // A confirmed member to log in while the disk is full.
    let response = post(
        "/uye-ol",
        registration("uye@example.com".into()),
        "203.0.113.1".into(),
    )
    .await;
    assert_eq!(location(&response), "/uye-ol?durum=gonderildi");
    sqlx::query("UPDATE customers SET email_verified_at = '2026-12-01T00:00:00Z'")
        .execute(db.pool())
        .await
        .unwrap();
    let filler = disk.fill();

    let mut acknowledged = Vec::new();
    let (mut refused, mut logins_refused, mut logins) = (0, 0, 0);
    for n in 0..20 {
        let ip = format!("203.0.113.{}", n + 10);
        let email = format!("yeni{n}@example.com");
        let response = post("/uye-ol", registration(email.clone()), ip.clone()).await;
        if response.status() == StatusCode::SEE_OTHER {
            acknowledged.push(email);
        } else {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            let page = body_text(response).await;
            assert!(page.contains(&email), "what was typed is kept");
            assert!(!page.contains(password), "but never the password");
            refused += 1;
        }
        let login = vec![
            ("eposta".to_string(), "uye@example.com".to_string()),
            ("sifre".to_string(), password.to_string()),
        ];
        let response = post("/giris", login, ip).await;
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|value| value.to_str().unwrap_or_default().starts_with("lm_oturum="));
        if response.status() == StatusCode::SEE_OTHER {
            assert!(cookie, "a login is acknowledged with its session");
            logins += 1;
        } else {
            assert!(response.status().is_server_error(), "{}", response.status());
            assert!(!cookie, "no session cookie for a session that was not kept");
            logins_refused += 1;
        }
    }
    assert!(refused > 0, "the disk never filled for a registration");
    assert!(logins_refused > 0, "the disk never filled for a login");

    std::fs::remove_file(filler).unwrap();
    // Exactly the acknowledged registrations are members, each with its confirmation e-mail;
    // each acknowledged login has its session.
    let members: Vec<String> =
        sqlx::query_scalar("SELECT email FROM customers WHERE email LIKE 'yeni%' ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(members, acknowledged);
    let mails: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox_emails WHERE kind = 'account_verify' AND recipient LIKE 'yeni%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(mails, acknowledged.len() as i64);
    assert_eq!(count(&db, "sessions").await, logins);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_no_cayma_is_acknowledged_that_was_not_stored() {
    use support::shopper::{location, number_in, variant_with_stock, Shopper};
    let Some(disk) = SmallDisk::mount("8m") else {
        return;
    };
    let url = format!("sqlite://{}", disk.path().join("shop.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let variant = variant_with_stock(&db, 100).await;
    let router = router_for(db.clone());
    // Kapıda ödeme orders, open to cayma at once; their refund goes to an IBAN.
    let mut forms = Vec::new();
    for n in 0..12 {
        let shopper =
            Shopper::start(&router, &format!("198.51.{n}.7"), &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kapida").await;
        let response = shopper.confirm(&documents).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "order {n}");
        let address = location(&response);
        let number = number_in(&address);
        let token = address
            .split("erisim=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let line: i64 = sqlx::query_scalar(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        forms.push((
            format!("/cayma/{number}?erisim={token}"),
            format!("adet-{line}"),
        ));
    }
    let filler = disk.fill();
    let (mut acknowledged, mut refused) = (0, Vec::new());
    for (path, field) in &forms {
        let response = post_form(
            &router,
            path,
            &[
                (field.as_str(), "1"),
                ("iban", "TR330006100519786457841326"),
                ("hesap_sahibi", "Ayşe Yılmaz"),
            ],
            "198.51.100.99",
            None,
            &[],
        )
        .await;
        match response.status() {
            StatusCode::SEE_OTHER => acknowledged += 1,
            status => {
                assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
                let page = body_text(response).await;
                assert!(page.contains("kaydedilemedi"), "{page}");
                refused.push((path, field));
            }
        }
    }
    assert!(!refused.is_empty(), "the disk never filled for a cayma");

    // Room again: exactly the acknowledged notices exist, each with its acknowledgement
    // e-mail, and a refused one can be sent again.
    std::fs::remove_file(filler).unwrap();
    assert_eq!(count(&db, "cayma_requests").await, acknowledged);
    let mails: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox_emails WHERE kind = 'cayma_received'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!(mails, acknowledged);
    let (path, field) = refused[0];
    let response = post_form(
        &router,
        path,
        &[
            (field.as_str(), "1"),
            ("iban", "TR330006100519786457841326"),
            ("hesap_sahibi", "Ayşe Yılmaz"),
        ],
        "198.51.100.99",
        None,
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    db.close().await;
}
