//! KVKK m.11 from Hesabım on a real database (SQLite, and PostgreSQL when configured): the
//! download covers every personal column the schema has, gives the member's own rows and no one
//! else's, and an application gets a reference and a due date 30 days ahead.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use app::backend::accounts::kvkk::{Holding, COVERAGE};
use app::backend::testing::fresh_databases;
use app::backend::{Db, Dialect};
use axum::http::{header, StatusCode};
use support::shopper::location;
use support::{body_text, get_with_cookie, post_form, router_for};

const PASSWORD: &str = "mavi deniz kıyısında sabah";

/// Every table of the live schema with its columns (migrations' own table aside).
async fn schema(db: &Db) -> BTreeMap<String, BTreeSet<String>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'"
        }
        Dialect::Postgres => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
    let mut tables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, column) in rows {
        tables.entry(table).or_default().insert(column);
    }
    tables
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_covers_every_personal_column_of_the_schema() {
    for test in fresh_databases().await {
        let tables = schema(&test.db).await;
        let covered: BTreeSet<&str> = COVERAGE.iter().map(Holding::table).collect();
        for (table, columns) in &tables {
            assert!(
                covered.contains(table.as_str()),
                "table {table} ({}) is not in kvkk::COVERAGE: say whether it holds personal data",
                test.label
            );
            let Some(Holding::Personal {
                exported, withheld, ..
            }) = COVERAGE.iter().find(|holding| holding.table() == table)
            else {
                continue;
            };
            let classified: BTreeSet<String> = exported
                .iter()
                .copied()
                .chain(withheld.iter().map(|(column, _)| *column))
                .map(str::to_string)
                .collect();
            assert_eq!(&classified, columns, "columns of {table} ({})", test.label);
        }
        for table in covered {
            assert!(
                tables.contains_key(table),
                "{table} is covered but not in the schema"
            );
        }
    }
}

async fn member(router: &axum::Router, db: &Db, email: &str, ip: &str) -> String {
    let form = [
        ("ad", "Ayşe Yılmaz"),
        ("eposta", email),
        ("telefon", "0532 123 45 67"),
        ("sifre", PASSWORD),
        ("izin_eposta", "1"),
    ];
    post_form(router, "/uye-ol", &form, ip, None, &[]).await;
    sqlx::query("UPDATE customers SET email_verified_at = '2026-12-01T00:00:00Z' WHERE email = $1")
        .bind(email)
        .execute(db.pool())
        .await
        .unwrap();
    let response = post_form(
        router,
        "/giris",
        &[("eposta", email), ("sifre", PASSWORD)],
        ip,
        None,
        &[],
    )
    .await;
    assert_eq!(location(&response), "/hesabim");
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .find_map(|value| value.to_str().ok().filter(|v| v.starts_with("lm_oturum=")))
        .unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_downloads_their_own_data_and_applies_with_a_reference() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let ayse = member(&router, db, "ayse@example.com", "203.0.113.70").await;
        let other = member(&router, db, "baska@example.com", "203.0.113.71").await;
        let address = [
            ("islem", "kaydet"),
            ("adres_id", ""),
            ("baslik", "Ev"),
            ("ad", "Ayşe"),
            ("soyad", "Yılmaz"),
            ("il", "34"),
            ("ilce", "Kadıköy"),
            ("adres", "Moda Cad. No 5 D 3"),
            ("posta_kodu", "34710"),
        ];
        post_form(
            &router,
            "/hesabim/adreslerim",
            &address,
            "203.0.113.70",
            Some(&ayse),
            &[],
        )
        .await;
        let contact = [
            ("konu", "soru"),
            ("ad", "Ayşe Yılmaz"),
            ("eposta", "ayse@example.com"),
            ("mesaj", "Beden tablosu nerede?"),
        ];
        post_form(&router, "/iletisim", &contact, "203.0.113.70", None, &[]).await;

        // An application: a problem beside its field, then a reference and a due date.
        let response = post_form(
            &router,
            "/hesabim/kisisel-verilerim",
            &[("hak", "silme"), ("aciklama", "kısa")],
            "203.0.113.70",
            Some(&ayse),
            &[],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            test.label
        );
        let form = [
            ("hak", "duzeltme"),
            ("aciklama", "Eski telefon numaram siparişlerimde görünüyor."),
        ];
        let response = post_form(
            &router,
            "/hesabim/kisisel-verilerim",
            &form,
            "203.0.113.70",
            Some(&ayse),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/hesabim/kisisel-verilerim?durum=alindi"
        );
        let (reference, created, due): (String, String, String) =
            sqlx::query_as("SELECT reference, created_at, due_at FROM kvkk_applications")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert!(reference.starts_with("KVKK-"), "{reference}");
        // Due 30 days after it was made, to the second: the same instant 30 × 86 400 s later.
        let now = app::backend::time::now_seconds();
        let made = (now - 120..=now)
            .find(|&seconds| app::backend::time::iso_utc(seconds) == created)
            .expect("made within the last two minutes");
        assert_eq!(due, app::backend::time::iso_utc(made + 30 * 24 * 60 * 60));
        let page =
            body_text(get_with_cookie(&router, "/hesabim/kisisel-verilerim", &ayse).await).await;
        assert!(page.contains(&reference) && page.contains("Alındı"));
        // Another member sees nothing of it.
        let page =
            body_text(get_with_cookie(&router, "/hesabim/kisisel-verilerim", &other).await).await;
        assert!(!page.contains(&reference));

        // The download: the member's own rows in every table they have rows in, no one else's.
        let response = get_with_cookie(&router, "/hesabim/kisisel-verilerim/indir", &ayse).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let json: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        let tables = &json["tablolar"];
        assert_eq!(tables["customers"][0]["email"], "ayse@example.com");
        assert!(tables["customers"][0].get("password_hash").is_none());
        assert_eq!(
            tables["customer_addresses"][0]["line"],
            "Moda Cad. No 5 D 3"
        );
        assert_eq!(tables["login_events"][0]["ip"], "203.0.113.70");
        assert_eq!(tables["marketing_consents"][0]["channel"], "eposta");
        assert_eq!(
            tables["kvkk_applications"][0]["reference"],
            reference.as_str()
        );
        assert_eq!(
            tables["contact_messages"][0]["message"],
            "Beden tablosu nerede?"
        );
        assert_eq!(tables["outbox_emails"][0]["kind"], "account_verify");
        let text = json.to_string();
        assert!(
            !text.contains("baska@example.com"),
            "another member's data is not in it"
        );
        assert!(!text.contains("$argon2id$"), "no password hash");
        // Without a session there is nothing to download.
        let response = support::get(&router, "/hesabim/kisisel-verilerim/indir").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ending_a_membership_leaves_no_personal_data_on_the_persons_rows() {
    use support::shopper::{number_in, variant_with_stock, Shopper};
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let ip = "203.0.113.70";
        let session = member(&router, db, "ayse@example.com", ip).await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM customers")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let address = [
            ("islem", "kaydet"),
            ("adres_id", ""),
            ("baslik", "Ev"),
            ("ad", "Ayşe"),
            ("soyad", "Yılmaz"),
            ("il", "34"),
            ("ilce", "Kadıköy"),
            ("adres", "Moda Cad. No 5 D 3"),
            ("posta_kodu", "34710"),
        ];
        post_form(
            &router,
            "/hesabim/adreslerim",
            &address,
            ip,
            Some(&session),
            &[],
        )
        .await;
        let contact = [
            ("konu", "soru"),
            ("ad", "Ayşe Yılmaz"),
            ("eposta", "ayse@example.com"),
            ("mesaj", "Beden tablosu nerede?"),
        ];
        post_form(&router, "/iletisim", &contact, ip, None, &[]).await;
        let form = [
            ("hak", "silme"),
            ("aciklama", "Lütfen tüm verilerimi silin."),
        ];
        post_form(
            &router,
            "/hesabim/kisisel-verilerim",
            &form,
            ip,
            Some(&session),
            &[],
        )
        .await;
        let items = format!("1|{}x1", variant_with_stock(db, 5).await);
        let mut shopper = Shopper::start(&router, ip, &items).await;
        shopper.cookie = format!("{}; {session}", shopper.cookie);
        let documents = shopper.up_to_review("havale").await;
        let number = number_in(&location(&shopper.confirm(&documents).await));

        // The password confirms it.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "kapat"), ("sifre_onay", "yanlış şifre burada")],
            ip,
            Some(&session),
            &[],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            test.label
        );
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "kapat"), ("sifre_onay", PASSWORD)],
            ip,
            Some(&session),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/giris?durum=kapatildi");

        // The notice is delivered (as the mail task would), after which the address is gone too.
        let now = app::backend::time::now_seconds();
        for message in app::backend::mail::due(db, now).await.unwrap() {
            app::backend::mail::record_attempt(db, &message, Ok(()))
                .await
                .unwrap();
        }
        // And İYS learns of the withdrawal, after which its notifications keep no recipient.
        let gateway = app::backend::accounts::iys::RecordingIys;
        let delivered = app::backend::accounts::iys::deliver(db, &gateway)
            .await
            .unwrap();
        assert_eq!(delivered, 2, "the consent and its withdrawal");
        // Nothing the shop holds about the person still names them: no address, name, phone or
        // IP in any table the export reads for them.
        let export = app::backend::accounts::kvkk::export(db, id, "")
            .await
            .unwrap();
        let text = export["tablolar"].to_string();
        for personal in [
            "ayse@example.com",
            "Ayşe Yılmaz",
            "+905321234567",
            "Moda Cad.",
            ip,
            "Testzilla",
        ] {
            assert!(
                !text.contains(personal),
                "{personal} is still held ({}): {text}",
                test.label
            );
        }
        let closed: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT email, closed_at FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(closed.0, None);
        assert!(closed.1.is_some());
        // The consent given is withdrawn, its proof kept without contact details.
        let ledger: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT granted, recipient FROM marketing_consents WHERE customer_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(ledger, [(1, None), (0, None)]);
        // The order is kept, as the law requires, detached from the account.
        let order: (Option<i64>, String) =
            sqlx::query_as("SELECT customer_id, email FROM orders WHERE number = $1")
                .bind(&number)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(order, (None, "ayse@example.com".to_string()));
        let kinds: Vec<String> =
            sqlx::query_scalar("SELECT kind FROM outbox_emails WHERE customer_id = $1")
                .bind(id)
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert!(kinds.contains(&"account_closed".to_string()), "{kinds:?}");

        // The session ended; the account cannot log in; the address may register again.
        let response = get_with_cookie(&router, "/hesabim", &session).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = post_form(
            &router,
            "/giris",
            &[("eposta", "ayse@example.com"), ("sifre", PASSWORD)],
            ip,
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        member(&router, db, "ayse@example.com", ip).await;
    }
}
