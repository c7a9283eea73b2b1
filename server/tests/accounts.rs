//! Membership through HTTP on a real database (SQLite, and PostgreSQL when configured): register,
//! confirm by the e-mailed link, log in and out, sessions and their cookie, a new password by
//! link, Hesabım's forms, the limits on failed logins, and that nobody can tell from the
//! answers whether an address is a member's.

mod support;

use app::backend::accounts::LOGIN_FAILURES_PER_ACCOUNT;
use app::backend::testing::fresh_databases;
use app::backend::Db;
use axum::http::{header, StatusCode};
use axum::Router;
use support::shopper::location;
use support::{body_text, get_with_cookie, post_form, router_for};

const PASSWORD: &str = "mavi deniz kıyısında sabah";
const IP: &str = "203.0.113.80";

fn registration(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("ad", "Ayşe Yılmaz"),
        ("eposta", email),
        ("telefon", "0532 123 45 67"),
        ("sifre", PASSWORD),
        ("izin_eposta", "1"),
    ]
}

/// The path and query of the link in the newest e-mail of `kind` to `email`.
async fn link_in_mail(db: &Db, email: &str, kind: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox_emails WHERE recipient = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .bind(kind)
    .fetch_one(db.pool())
    .await
    .unwrap_or_else(|_| panic!("no {kind} e-mail to {email}"));
    let start =
        body.find("https://www.lesminoria.com/").expect(&body) + "https://www.lesminoria.com".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn mails(db: &Db, email: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM outbox_emails WHERE recipient = $1 ORDER BY id")
        .bind(email)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// The members' session cookie a response sets (`lm_oturum=…`), with its attributes.
fn session_cookie(response: &axum::response::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("lm_oturum="))
        .map(str::to_string)
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// Registers `email` and follows the confirmation link.
async fn member(router: &Router, db: &Db, email: &str) {
    let response = post_form(router, "/uye-ol", &registration(email), IP, None, &[]).await;
    assert_eq!(location(&response), "/uye-ol?durum=gonderildi");
    let link = link_in_mail(db, email, "account_verify").await;
    let response = support::get(router, &link).await;
    assert_eq!(location(&response), "/giris?durum=dogrulandi");
}

/// Logs in; the session cookie (`lm_oturum=…`).
async fn log_in(router: &Router, email: &str, password: &str, ip: &str) -> String {
    let response = post_form(
        router,
        "/giris",
        &[("eposta", email), ("sifre", password)],
        ip,
        None,
        &[],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        body_text(response).await
    );
    assert_eq!(location(&response), "/hesabim");
    pair(&session_cookie(&response).expect("a session cookie"))
}

/// Hesabım with `cookie`: its HTML, or `None` when sent to log in.
async fn account_page(router: &Router, cookie: &str) -> Option<String> {
    let response = get_with_cookie(router, "/hesabim", cookie).await;
    if response.status() == StatusCode::SEE_OTHER {
        assert_eq!(location(&response), "/giris?durum=gerekli&sonra=/hesabim");
        return None;
    }
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    Some(body_text(response).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_registers_confirms_logs_in_and_out() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let email = "ayse@example.com";
        let response = post_form(
            &router,
            "/uye-ol",
            &registration("Ayse@Example.com"),
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/uye-ol?durum=gonderildi",
            "{}",
            test.label
        );
        let (hash, phone, marketing): (String, String, i64) = sqlx::query_as(
            "SELECT password_hash, phone, marketing_email FROM customers WHERE email = $1",
        )
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert_eq!((phone.as_str(), marketing), ("+905321234567", 1));

        // Not yet confirmed: the right password is refused, with a new link on its way.
        let response = post_form(
            &router,
            "/giris",
            &[("eposta", email), ("sifre", PASSWORD)],
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(session_cookie(&response).is_none());
        assert!(body_text(response)
            .await
            .contains("önce e-posta adresinizi doğrulamalısınız"));
        assert_eq!(mails(db, email).await, ["account_verify", "account_verify"]);

        let link = link_in_mail(db, email, "account_verify").await;
        assert!(link.starts_with("/uye-ol/dogrula?anahtar="), "{link}");
        assert_eq!(
            location(&support::get(&router, &link).await),
            "/giris?durum=dogrulandi"
        );
        // Used once only.
        assert_eq!(
            location(&support::get(&router, &link).await),
            "/giris?durum=gecersiz"
        );

        let response = post_form(
            &router,
            "/giris",
            &[("eposta", "AYSE@example.com"), ("sifre", PASSWORD)],
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(location(&response), "/hesabim");
        let set_cookie = session_cookie(&response).unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(set_cookie.contains(attribute), "{set_cookie}");
        }
        let cookie = pair(&set_cookie);
        let html = account_page(&router, &cookie).await.expect("logged in");
        assert!(html.contains("Ayşe Yılmaz") && html.contains(email));

        let (outcome, ip): (String, String) =
            sqlx::query_as("SELECT outcome, ip FROM login_events ORDER BY id DESC LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((outcome.as_str(), ip.as_str()), ("basarili", IP));

        // Logging out ends the session on the server: the old cookie opens nothing.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "cikis")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/giris?durum=cikis");
        assert!(account_page(&router, &cookie).await.is_none());
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(sessions, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_gets_a_new_session_id_and_hesabim_needs_one() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        member(&router, &test.db, "fixation@example.com").await;
        assert!(account_page(&router, "").await.is_none());
        // A session id planted before login (session fixation) is not the one logged in.
        let planted = "lm_oturum=AAAAAAAAAAAAAAAAAAAAAA";
        let response = post_form(
            &router,
            "/giris",
            &[
                ("eposta", "fixation@example.com"),
                ("sifre", PASSWORD),
                ("sonra", "//evil.example"),
            ],
            IP,
            Some(planted),
            &[],
        )
        .await;
        // An address elsewhere is not followed after login.
        assert_eq!(location(&response), "/hesabim", "{}", test.label);
        let cookie = pair(&session_cookie(&response).unwrap());
        assert_ne!(cookie, planted);
        assert!(account_page(&router, &cookie).await.is_some());
        assert!(account_page(&router, planted).await.is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_learns_from_the_answers_whether_an_address_is_a_members() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        member(&router, db, "taken@example.com").await;

        // Registering a taken address answers like a new one; its owner is told by e-mail.
        let response = post_form(
            &router,
            "/uye-ol",
            &registration("taken@example.com"),
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/uye-ol?durum=gonderildi",
            "{}",
            test.label
        );
        assert_eq!(
            mails(db, "taken@example.com").await,
            ["account_verify", "account_exists"]
        );
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(members, 1);

        // A wrong password and an unknown address: the same status and the same page.
        let mut answers = Vec::new();
        for email in ["taken@example.com", "nobody@example.com"] {
            let response = post_form(
                &router,
                "/giris",
                &[("eposta", email), ("sifre", "yanlış şifre burada")],
                "203.0.113.81",
                None,
                &[],
            )
            .await;
            let status = response.status();
            let html = body_text(response).await.replace(email, "ADDRESS");
            assert!(html.contains("E-posta adresi ya da şifre hatalı."));
            assert!(
                !html.contains("yanlış şifre burada"),
                "a password is never written back"
            );
            answers.push((status, html));
        }
        assert_eq!(answers[0], answers[1]);

        // "Şifremi unuttum": the same answer; only the member gets a link.
        for email in ["taken@example.com", "nobody@example.com"] {
            let response = post_form(
                &router,
                "/sifremi-unuttum",
                &[("eposta", email)],
                IP,
                None,
                &[],
            )
            .await;
            assert_eq!(location(&response), "/sifremi-unuttum?durum=gonderildi");
        }
        assert!(mails(db, "taken@example.com")
            .await
            .contains(&"password_reset".to_string()));
        assert!(mails(db, "nobody@example.com").await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_limited_per_account_even_with_the_right_password_after() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        member(&router, &test.db, "target@example.com").await;
        for attempt in 0..LOGIN_FAILURES_PER_ACCOUNT.max_hits {
            // From many addresses, as a botnet would: the account's own limit holds.
            let ip = format!("198.51.100.{}", attempt + 1);
            let response = post_form(
                &router,
                "/giris",
                &[
                    ("eposta", "target@example.com"),
                    ("sifre", "tahmin edilen şifre"),
                ],
                &ip,
                None,
                &[],
            )
            .await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                test.label
            );
        }
        let response = post_form(
            &router,
            "/giris",
            &[("eposta", "target@example.com"), ("sifre", PASSWORD)],
            "198.51.100.200",
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        assert!(session_cookie(&response).is_none());
        let failures: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM login_events WHERE outcome = 'hatali_sifre'")
                .fetch_one(test.db.pool())
                .await
                .unwrap();
        assert_eq!(failures, LOGIN_FAILURES_PER_ACCOUNT.max_hits);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_ends_every_other_session() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let email = "iki@example.com";
        member(&router, db, email).await;
        let phone = log_in(&router, email, PASSWORD, IP).await;
        let laptop = log_in(&router, email, PASSWORD, "203.0.113.90").await;

        // Changed from the phone: the phone stays in, the laptop is out.
        let new_password = "sonbahar yaprakları sarı";
        let response = post_form(
            &router,
            "/hesabim",
            &[
                ("islem", "sifre"),
                ("mevcut_sifre", "yanlış şifre burada"),
                ("yeni_sifre", new_password),
            ],
            IP,
            Some(&phone),
            &[],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            test.label
        );
        assert!(body_text(response)
            .await
            .contains("Mevcut şifreniz hatalı."));
        let response = post_form(
            &router,
            "/hesabim",
            &[
                ("islem", "sifre"),
                ("mevcut_sifre", PASSWORD),
                ("yeni_sifre", "password1234"),
            ],
            IP,
            Some(&phone),
            &[],
        )
        .await;
        assert!(body_text(response).await.contains("Bu şifre çok yaygın"));
        let response = post_form(
            &router,
            "/hesabim",
            &[
                ("islem", "sifre"),
                ("mevcut_sifre", PASSWORD),
                ("yeni_sifre", new_password),
            ],
            IP,
            Some(&phone),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/hesabim?durum=sifre");
        let phone = session_cookie(&response).map(|c| pair(&c)).unwrap_or(phone);
        assert!(account_page(&router, &phone).await.is_some());
        assert!(account_page(&router, &laptop).await.is_none());
        assert!(mails(db, email)
            .await
            .contains(&"password_changed".to_string()));

        // A reset by link ends the phone's session too.
        post_form(
            &router,
            "/sifremi-unuttum",
            &[("eposta", email)],
            IP,
            None,
            &[],
        )
        .await;
        let link = link_in_mail(db, email, "password_reset").await;
        assert!(link.starts_with("/sifre-yenile?anahtar="), "{link}");
        let token = link.split("anahtar=").nth(1).unwrap().to_string();
        let page = body_text(support::get(&router, &link).await).await;
        assert!(
            page.contains("name=\"yeni_sifre\""),
            "a good link shows the form"
        );
        let response = post_form(
            &router,
            "/sifre-yenile",
            &[("anahtar", &token), ("yeni_sifre", "kısa")],
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let third = "kış gecesi sıcak çorba";
        let response = post_form(
            &router,
            "/sifre-yenile",
            &[("anahtar", &token), ("yeni_sifre", third)],
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(location(&response), "/giris?durum=yenilendi");
        assert!(account_page(&router, &phone).await.is_none());
        // The link is used up; the old password no longer opens the account, the new one does.
        let response = post_form(
            &router,
            "/sifre-yenile",
            &[("anahtar", &token), ("yeni_sifre", "bambaşka bir cümle")],
            IP,
            None,
            &[],
        )
        .await;
        assert!(body_text(response)
            .await
            .contains("Bu bağlantı artık geçerli değil"));
        let page = body_text(support::get(&router, &link).await).await;
        assert!(
            !page.contains("name=\"yeni_sifre\""),
            "a used link shows no form"
        );
        let response = post_form(
            &router,
            "/giris",
            &[("eposta", email), ("sifre", new_password)],
            IP,
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        log_in(&router, email, third, IP).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marketing_choices_are_ledgered_and_queued_for_iys() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let email = "izin@example.com";
        member(&router, db, email).await;
        let cookie = log_in(&router, email, PASSWORD, IP).await;
        // E-mail withdrawn, SMS given.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "tercihler"), ("izin_sms", "1")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/hesabim?durum=tercihler",
            "{}",
            test.label
        );
        let ledger: Vec<(String, i64, Option<String>, String, String)> = sqlx::query_as(
            "SELECT channel, granted, recipient, source, ip FROM marketing_consents ORDER BY id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            ledger,
            [
                (
                    "eposta".into(),
                    1,
                    Some(email.into()),
                    "uye-ol".into(),
                    IP.into()
                ),
                (
                    "eposta".into(),
                    0,
                    Some(email.into()),
                    "hesabim".into(),
                    IP.into()
                ),
                (
                    "sms".into(),
                    1,
                    Some("+905321234567".into()),
                    "hesabim".into(),
                    IP.into()
                ),
            ]
        );
        let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM iys_queue ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(payloads.len(), 3);
        let last: serde_json::Value = serde_json::from_str(&payloads[2]).unwrap();
        assert_eq!(last["type"], "MESAJ");
        assert_eq!(last["status"], "ONAY");
        assert_eq!(last["recipient"], "+905321234567");
        let response = get_with_cookie(&router, "/hesabim?durum=tercihler", &cookie).await;
        let html = body_text(response).await;
        assert!(html.contains("İletişim tercihleriniz kaydedildi."));
        // Shown as saved: e-mail unticked, SMS ticked.
        assert!(
            html.contains(r#"name="izin_sms" value="1" checked"#),
            "{html}"
        );
        assert!(!html.contains(r#"name="izin_eposta" value="1" checked"#));
        // The ledger is proof: its rows are never deleted.
        assert!(sqlx::query("DELETE FROM marketing_consents")
            .execute(db.pool())
            .await
            .is_err());
        assert!(sqlx::query("UPDATE marketing_consents SET granted = 1")
            .execute(db.pool())
            .await
            .is_err());

        // The profile: a bad phone comes back beside its field, a good one is kept.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "profil"), ("ad", "Ayşe Demir"), ("telefon", "12")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert!(
            html.contains("Ayşe Demir") && html.contains("Lütfen bir cep telefonu numarası yazın")
        );
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "profil"), ("ad", "Ayşe Demir"), ("telefon", "")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/hesabim?durum=profil");
        // Without a phone, SMS cannot be chosen.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "tercihler"), ("izin_sms", "1")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert!(body_text(response)
            .await
            .contains("SMS izni için önce profilinize bir cep telefonu ekleyin."));
    }
}

fn address_form<'a>(id: &'a str, title: &'a str, line: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("islem", "kaydet"),
        ("adres_id", id),
        ("baslik", title),
        ("ad", "Ayşe"),
        ("soyad", "Yılmaz"),
        ("il", "34"),
        ("ilce", "Kadıköy"),
        ("adres", line),
        ("posta_kodu", "34710"),
    ]
}

async fn address_rows(db: &Db) -> Vec<(i64, String, String, i64)> {
    sqlx::query_as(
        "SELECT customer_id, title, line, is_default FROM customer_addresses ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_book_is_its_members_alone() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        member(&router, db, "a@example.com").await;
        member(&router, db, "b@example.com").await;
        let a = log_in(&router, "a@example.com", PASSWORD, IP).await;
        let b = log_in(&router, "b@example.com", PASSWORD, IP).await;

        // A bad address comes back beside its fields, with what was typed.
        let mut bad = address_form("", "Ev", "kısa");
        bad.retain(|(name, _)| *name != "ilce");
        let response = post_form(&router, "/hesabim/adreslerim", &bad, IP, Some(&a), &[]).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            test.label
        );
        let html = body_text(response).await;
        assert!(html.contains("kısa") && html.contains(r#"aria-invalid="true""#));

        // The first address is the default; a second made default takes over.
        for (title, line, default) in [
            ("Ev", "Moda Cad. No 5 D 3", ""),
            ("İş", "Bağdat Cad. No 100", "1"),
        ] {
            let mut form = address_form("", title, line);
            form.push(("varsayilan", default));
            let response =
                post_form(&router, "/hesabim/adreslerim", &form, IP, Some(&a), &[]).await;
            assert_eq!(location(&response), "/hesabim/adreslerim?durum=kaydedildi");
        }
        let rows = address_rows(db).await;
        assert_eq!(
            rows.iter().map(|r| (r.1.as_str(), r.3)).collect::<Vec<_>>(),
            [("Ev", 0), ("İş", 1)]
        );
        let a_id =
            sqlx::query_scalar::<_, i64>("SELECT id FROM customer_addresses WHERE title = 'Ev'")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .to_string();

        // B can neither see, correct, make default nor delete A's address: every attempt gets
        // the same answer as an id that does not exist, and nothing changes.
        let page = body_text(
            get_with_cookie(&router, &format!("/hesabim/adreslerim?duzenle={a_id}"), &b).await,
        )
        .await;
        assert!(
            !page.contains("Moda Cad."),
            "another member's address is not shown"
        );
        for id in [a_id.as_str(), "999999"] {
            let mut answers = Vec::new();
            for form in [
                address_form(id, "Ele geçirildi", "Başka Sok. No 1 D 1"),
                vec![("islem", "varsayilan"), ("adres_id", id)],
                vec![("islem", "sil"), ("adres_id", id)],
            ] {
                let response =
                    post_form(&router, "/hesabim/adreslerim", &form, IP, Some(&b), &[]).await;
                let status = response.status();
                answers.push((
                    status,
                    body_text(response)
                        .await
                        .contains("Aradığınız kayıt bulunamadı."),
                ));
            }
            assert_eq!(answers, vec![(StatusCode::NOT_FOUND, true); 3], "id {id}");
        }
        assert_eq!(address_rows(db).await, rows);

        // A corrects and deletes its own; deleting the default hands it to the newest left.
        let response = post_form(
            &router,
            "/hesabim/adreslerim",
            &address_form(&a_id, "Ev", "Moda Cad. No 7 D 2"),
            IP,
            Some(&a),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/hesabim/adreslerim?durum=kaydedildi");
        let is_id =
            sqlx::query_scalar::<_, i64>("SELECT id FROM customer_addresses WHERE title = 'İş'")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .to_string();
        let response = post_form(
            &router,
            "/hesabim/adreslerim",
            &[("islem", "sil"), ("adres_id", &is_id)],
            IP,
            Some(&a),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/hesabim/adreslerim?durum=silindi");
        let rows = address_rows(db).await;
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].2.as_str(), rows[0].3), ("Moda Cad. No 7 D 2", 1));
        let page = body_text(get_with_cookie(&router, "/hesabim/adreslerim", &a).await).await;
        assert!(page.contains("Moda Cad. No 7 D 2") && page.contains("Varsayılan"));
        // Without a session, the book is not there.
        let response = support::get(&router, "/hesabim/adreslerim").await;
        assert_eq!(
            location(&response),
            "/giris?durum=gerekli&sonra=/hesabim/adreslerim"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_checkout_and_orders_are_theirs_alone() {
    use support::shopper::{number_in, variant_with_stock, Shopper};
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        let items = format!("1|{}x1", variant_with_stock(db, 20).await);
        // A guest order with the address before the account exists.
        let guest = Shopper::start(&router, "203.0.113.60", &items).await;
        let documents = guest.up_to_review("havale").await;
        let guest_order = number_in(&location(&guest.confirm(&documents).await));

        member(&router, db, "ayse@example.com").await;
        let session = log_in(&router, "ayse@example.com", PASSWORD, IP).await;
        let ayse: i64 =
            sqlx::query_scalar("SELECT id FROM customers WHERE email = 'ayse@example.com'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let form = address_form("", "Ev", "Moda Cad. No 5 D 3");
        post_form(
            &router,
            "/hesabim/adreslerim",
            &form,
            IP,
            Some(&session),
            &[],
        )
        .await;

        // The first step is filled from the account: contact and the default address.
        let mut shopper = Shopper::start(&router, IP, &items).await;
        shopper.cookie = format!("{}; {session}", shopper.cookie);
        let (_, html) = shopper.get("/odeme?adim=bilgiler").await;
        for value in [
            "ayse@example.com",
            "+905321234567",
            "Moda Cad. No 5 D 3",
            "34710",
        ] {
            assert!(
                html.contains(value),
                "{value} in the first step ({})",
                test.label
            );
        }
        // A card order placed while logged in is the member's, and the provider may keep the
        // card under the member's key.
        let documents = shopper.up_to_review("kart").await;
        let response = shopper.confirm(&documents).await;
        assert!(
            location(&response).contains("/test-odeme/"),
            "{}",
            location(&response)
        );
        let (number, customer): (String, Option<i64>) =
            sqlx::query_as("SELECT number, customer_id FROM orders ORDER BY id DESC LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(customer, Some(ayse));
        let key: Option<String> = sqlx::query_scalar("SELECT card_user_key FROM sandbox_payments")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(key, Some(format!("lm-uye-{ayse}")));

        // Siparişlerim: the member's order, with a link that opens it; the guest order is
        // offered to claim, then listed.
        let page =
            body_text(get_with_cookie(&router, "/hesabim/siparislerim", &session).await).await;
        assert!(page.contains(&number) && !page.contains(&guest_order));
        assert!(page.contains("1 siparişiniz var"));
        let link = support::html::attributes(&page, "table.member-orders a", "href").remove(0);
        let response = support::get(&router, &link.replace("&amp;", "&")).await;
        assert_eq!(response.status(), StatusCode::OK, "{link}");
        // The order's page: its history and the documents exactly as accepted.
        let order_page = body_text(response).await;
        assert!(order_page.contains("Sipariş geçmişi") && order_page.contains("Ödeme bekleniyor"));
        let (accepted,): (String,) = sqlx::query_as(
            "SELECT d.html FROM order_documents d JOIN orders o ON o.id = d.order_id \
             WHERE o.number = $1 AND d.kind = 'mesafeli_satis'",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(
            order_page.contains(&accepted),
            "the contract as accepted, unchanged"
        );
        let response = post_form(
            &router,
            "/hesabim/siparislerim",
            &[("islem", "sahiplen")],
            IP,
            Some(&session),
            &[],
        )
        .await;
        let status = response.status();
        assert_eq!(
            location(&response),
            "/hesabim/siparislerim?durum=eklendi",
            "{status} {}",
            body_text(response).await
        );
        let page =
            body_text(get_with_cookie(&router, "/hesabim/siparislerim", &session).await).await;
        assert!(page.contains(&number) && page.contains(&guest_order));

        // Another member sees none of them, and claiming takes nothing of Ayşe's.
        member(&router, db, "b@example.com").await;
        let other = log_in(&router, "b@example.com", PASSWORD, IP).await;
        post_form(
            &router,
            "/hesabim/siparislerim",
            &[("islem", "sahiplen")],
            IP,
            Some(&other),
            &[],
        )
        .await;
        let page = body_text(get_with_cookie(&router, "/hesabim/siparislerim", &other).await).await;
        assert!(!page.contains(&number) && !page.contains(&guest_order));
        assert!(page.contains("Henüz siparişiniz yok."));
        // Nor does another member's saved address fill their checkout.
        let ayse_address: i64 = sqlx::query_scalar("SELECT id FROM customer_addresses")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut theirs = Shopper::start(&router, "203.0.113.61", &items).await;
        theirs.cookie = format!("{}; {other}", theirs.cookie);
        let (_, html) = theirs
            .get(&format!("/odeme?adim=bilgiler&adres={ayse_address}"))
            .await;
        assert!(!html.contains("Moda Cad."));
        let owners: Vec<Option<i64>> =
            sqlx::query_scalar("SELECT customer_id FROM orders ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(owners, [Some(ayse), Some(ayse)]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_link_unsubscribes_in_one_click_without_logging_in() {
    use app::backend::accounts::unsubscribe;
    use app::model::account::Channel;
    use tower::ServiceExt;
    const SECRET: &[u8] = b"a shop secret of thirty-two bytes or so";
    for test in fresh_databases().await {
        let db = &test.db;
        let router = support::router_with(db.clone(), |state| {
            state.order_link_secret = std::sync::Arc::new(SECRET.to_vec());
        });
        member(&router, db, "abone@example.com").await;
        member(&router, db, "diger@example.com").await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        let query = unsubscribe::query(SECRET, ids[0], Channel::Email);
        let link = format!("/abonelik-iptali?{query}");

        // Following the link changes nothing by itself (mail scanners follow links).
        let page = body_text(support::get(&router, &link).await).await;
        assert!(page.contains("Aboneliğimi iptal et"), "{}", test.label);
        let marketing = |id: i64| async move {
            sqlx::query_scalar::<_, i64>("SELECT marketing_email FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap()
        };
        assert_eq!(marketing(ids[0]).await, 1);

        // Another member's id under this signature withdraws nothing.
        let forged = link.replace(&format!("uye={}", ids[0]), &format!("uye={}", ids[1]));
        let response = post_form(&router, &forged, &[], IP, None, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(marketing(ids[1]).await, 1);

        // The mail client's one-click POST, from its own servers: no Origin, no cookie.
        let request = axum::http::Request::post(&link)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("List-Unsubscribe=One-Click"))
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(location(&response).ends_with("&durum=iptal"));
        assert_eq!(marketing(ids[0]).await, 0);
        let source: String = sqlx::query_scalar(
            "SELECT source FROM marketing_consents WHERE customer_id = $1 AND granted = 0",
        )
        .bind(ids[0])
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(source, "abonelik-iptali");
        let page = body_text(support::get(&router, &location(&response)).await).await;
        assert!(page.contains("Aboneliğiniz iptal edildi."));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_card_is_a_consent_listed_and_deleted_only_by_its_member() {
    use support::shopper::{path_of, variant_with_stock, Shopper};
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        member(&router, db, "kart@example.com").await;
        member(&router, db, "baska@example.com").await;
        let session = log_in(&router, "kart@example.com", PASSWORD, IP).await;
        let other = log_in(&router, "baska@example.com", PASSWORD, IP).await;
        let items = format!("1|{}x1", variant_with_stock(db, 5).await);
        let mut shopper = Shopper::start(&router, IP, &items).await;
        shopper.cookie = format!("{}; {session}", shopper.cookie);
        let documents = shopper.up_to_review("kart").await;
        let payment_page = path_of(&location(&shopper.confirm(&documents).await));
        // The provider's page offers an unticked "Kartımı kaydet" to a member; ticked here.
        let (_, html) = shopper.get(&payment_page).await;
        assert!(
            html.contains(r#"name="kaydet" value="1">"#),
            "unticked ({})",
            test.label
        );
        let form = [
            ("kart", "5528790000000008"),
            ("ay", "12"),
            ("yil", "2030"),
            ("cvc", "123"),
            ("taksit", "1"),
            ("kaydet", "1"),
        ];
        let result = path_of(&location(&shopper.post(&payment_page, &form).await));
        shopper.get(&result).await;

        let ledger: Vec<(String, Option<String>, String)> =
            sqlx::query_as("SELECT action, last4, source FROM card_consents ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            ledger,
            [(
                "kaydet".to_string(),
                Some("0008".to_string()),
                "odeme".to_string()
            )]
        );
        let page =
            body_text(get_with_cookie(&router, "/hesabim/kayitli-kartlarim", &session).await).await;
        assert!(
            page.contains("•••• 0008") && page.contains("12/2030"),
            "{page}"
        );
        assert!(!page.contains("5528790000000008"));
        let token = support::html::attributes(&page, "input[name=kart]", "value").remove(0);

        // The next payment offers the kept card: no number, no CVC.
        let mut again = Shopper::start(&router, IP, &items).await;
        again.cookie = format!("{}; {session}", again.cookie);
        let documents = again.up_to_review("kart").await;
        let payment_page = path_of(&location(&again.confirm(&documents).await));
        let (_, html) = again.get(&payment_page).await;
        assert!(
            html.contains("•••• 0008") && html.contains("Kayıtlı kartla öde"),
            "{html}"
        );
        let kept_path = format!("{payment_page}/kayitli-kart");
        let response = again
            .post(&kept_path, &[("kart_anahtari", "baskasinin")])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let response = again.post(&kept_path, &[("kart_anahtari", &token)]).await;
        let result = path_of(&location(&response));
        again.get(&result).await;
        let paid: Vec<String> = sqlx::query_scalar("SELECT payment_status FROM orders ORDER BY id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(paid, ["paid", "paid"]);

        // Another member's delete of this card is the same 404 as a made-up token's.
        for (cookie, card) in [(&other, token.as_str()), (&session, "uydurma")] {
            let form = [("islem", "sil"), ("kart", card)];
            let response = post_form(
                &router,
                "/hesabim/kayitli-kartlarim",
                &form,
                IP,
                Some(cookie),
                &[],
            )
            .await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
        }
        let page =
            body_text(get_with_cookie(&router, "/hesabim/kayitli-kartlarim", &other).await).await;
        assert!(page.contains("Kayıtlı kartınız yok."));

        let form = [("islem", "sil"), ("kart", token.as_str())];
        let response = post_form(
            &router,
            "/hesabim/kayitli-kartlarim",
            &form,
            IP,
            Some(&session),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/hesabim/kayitli-kartlarim?durum=silindi"
        );
        let page =
            body_text(get_with_cookie(&router, "/hesabim/kayitli-kartlarim", &session).await).await;
        assert!(page.contains("Kayıtlı kartınız yok."));
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM card_consents ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(actions, ["kaydet", "sil"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_address_is_taken_only_once_it_is_confirmed() {
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        member(&router, db, "eski@example.com").await;
        member(&router, db, "dolu@example.com").await;
        let session = log_in(&router, "eski@example.com", PASSWORD, IP).await;
        let change = |email: &'static str, password: &'static str| {
            vec![
                ("islem", "eposta"),
                ("yeni_eposta", email),
                ("sifre_eposta", password),
            ]
        };
        let response = post_form(
            &router,
            "/hesabim",
            &change("yeni@example.com", "yanlış şifre burada"),
            IP,
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
        assert!(mails(db, "yeni@example.com").await.is_empty());

        // A taken address answers the same, and only its owner hears of it.
        for email in ["dolu@example.com", "yeni@example.com"] {
            let response = post_form(
                &router,
                "/hesabim",
                &change(email, PASSWORD),
                IP,
                Some(&session),
                &[],
            )
            .await;
            assert_eq!(location(&response), "/hesabim?durum=eposta");
        }
        assert_eq!(
            mails(db, "dolu@example.com").await,
            ["account_verify", "account_exists"]
        );
        // Until the link is followed, nothing changes.
        let page = account_page(&router, &session).await.unwrap();
        assert!(page.contains("eski@example.com"));
        let link = link_in_mail(db, "yeni@example.com", "email_change").await;
        assert!(
            link.starts_with("/hesabim/eposta-dogrula?anahtar="),
            "{link}"
        );
        assert_eq!(
            location(&support::get(&router, &link).await),
            "/giris?durum=eposta-degisti"
        );
        assert_eq!(
            location(&support::get(&router, &link).await),
            "/giris?durum=eposta-gecersiz"
        );
        let page = account_page(&router, &session).await.unwrap();
        assert!(page.contains("yeni@example.com") && !page.contains("eski@example.com"));
        log_in(&router, "yeni@example.com", PASSWORD, IP).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cart_follows_the_member_merged_at_login_and_kept_when_it_changes() {
    use support::shopper::{set_stock, variant_with_stock};
    for test in fresh_databases().await {
        let (router, db) = (router_for(test.db.clone()), &test.db);
        member(&router, db, "sepet@example.com").await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM customers")
            .fetch_one(db.pool())
            .await
            .unwrap();
        variant_with_stock(db, 5).await;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.published = 1 ORDER BY v.id LIMIT 3",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let (a, b, c) = (ids[0], ids[1], ids[2]);
        set_stock(db, a, 5).await;
        set_stock(db, b, 4).await;
        set_stock(db, c, 9).await;
        // Saved on another device: 2 of b, 1 of c (c sold out since).
        app::backend::accounts::carts::replace(
            db,
            id,
            &app::model::cart::decode_items(&format!("1|{b}x2,{c}x1")).unwrap(),
        )
        .await
        .unwrap();
        set_stock(db, c, 0).await;
        // This browser's cart: 1 of a, 3 of b.
        let browser = format!("1|{a}x1,{b}x3");
        let form = [
            ("eposta", "sepet@example.com"),
            ("sifre", PASSWORD),
            ("sepet", browser.as_str()),
        ];
        let response = post_form(&router, "/giris", &form, IP, None, &[]).await;
        assert_eq!(location(&response), "/hesabim", "{}", test.label);
        let cookie = pair(&session_cookie(&response).unwrap());
        // b summed and cut to its stock of 4; c dropped, none left.
        let merged = format!("1|{a}x1,{b}x4");
        let saved: String =
            sqlx::query_scalar("SELECT items FROM customer_carts WHERE customer_id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(saved, merged);
        // The first private page hands it to the browser, once; every private page says "a member".
        let page = account_page(&router, &cookie).await.unwrap();
        assert!(
            page.contains(&format!(r#"data-uye-sepeti="{merged}""#)),
            "{page}"
        );
        assert!(page.contains("data-uye"));
        let page = account_page(&router, &cookie).await.unwrap();
        assert!(!page.contains("data-uye-sepeti"));

        // The browser sends its changes; without a session it is told it is not a member's.
        let send = |cookie: Option<String>, body: String| {
            let router = router.clone();
            async move {
                use tower::ServiceExt;
                let mut request = axum::http::Request::post("/api/sepet/uye")
                    .header("origin", support::ORIGIN)
                    .header("content-type", "text/plain;charset=UTF-8");
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                let request = request.body(axum::body::Body::from(body)).unwrap();
                router.oneshot(request).await.unwrap().status()
            }
        };
        assert_eq!(
            send(Some(cookie.clone()), format!("1|{a}x2")).await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            send(None, format!("1|{b}x1")).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            send(Some(cookie.clone()), "bozuk".into()).await,
            StatusCode::BAD_REQUEST
        );
        let saved: String =
            sqlx::query_scalar("SELECT items FROM customer_carts WHERE customer_id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(saved, format!("1|{a}x2"));
        // Logging out tells the browser to forget the member and empty the cart.
        let response = post_form(
            &router,
            "/hesabim",
            &[("islem", "cikis")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        let page = body_text(support::get(&router, &location(&response)).await).await;
        assert!(page.contains("data-uye-cikti"));
    }
}
