//! The back office through HTTP on a real database (SQLite, and PostgreSQL when configured):
//! who may open it (anonymous, a customer, destek, yonetici), the yonetici's second factor,
//! the order status graph with every step out of order refused, the shopper told of each
//! step, and the audit log that records every change and cannot itself be changed.

mod support;

use app::backend::staff::{self, totp};
use app::backend::testing::fresh_databases;
use app::backend::{time, AppState, Db};
use app::model::staff::StaffRole;
use axum::http::{header, StatusCode};
use axum::Router;
use leptos::config::get_configuration;
use support::html::texts;
use support::shopper::{location, number_in, pay_on_test_page, variant_with_stock, Shopper};
use support::staff::{cookie_named, staff_session, PASSWORD};
use support::{body_text, get, get_with_cookie, post_form};

const IP: &str = "198.51.100.60";

fn shop(db: Db) -> (Router, AppState) {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments("https://www.lesminoria.com".into(), false);
    (server::router::build(state.clone()), state)
}

/// A paid card order of a first-time guest: held for staff.
async fn held_order(router: &Router, db: &Db, ip: &str) -> String {
    let variant = variant_with_stock(db, 50).await;
    let shopper = Shopper::start(router, ip, &format!("1|{variant}x1")).await;
    let documents = shopper.up_to_review("kart").await;
    let payment_page = location(&shopper.confirm(&documents).await);
    let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
    number_in(&location(&get(router, &result).await))
}

async fn order_state(db: &Db, number: &str) -> (String, String, Option<String>) {
    sqlx::query_as("SELECT status, payment_status, fulfilment FROM orders WHERE number = $1")
        .bind(number)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_staff_with_the_role_see_the_back_office_and_everyone_else_a_404() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let number = held_order(&router, db, IP).await;
        let pages = [
            "/yonetim".to_string(),
            "/yonetim/siparisler".to_string(),
            format!("/yonetim/siparis/{number}"),
            "/yonetim/mesajlar".to_string(),
            "/yonetim/kvkk".to_string(),
            "/yonetim/izinler".to_string(),
            "/yonetim/e-postalar".to_string(),
        ];

        // The login page is there for anyone, never kept.
        let response = get(&router, "/yonetim/giris").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");

        // Nobody, a made-up session, a customer's session: the 404 any unknown address gets.
        let unknown = body_text(get(&router, "/yonetim-yok").await).await;
        let customer = "lm_oturum=aaaaaaaaaaaaaaaaaaaaaa";
        for cookie in ["", "lm_yonetim=bbbbbbbbbbbbbbbbbbbbbb", customer] {
            for path in &pages {
                let response = get_with_cookie(&router, path, cookie).await;
                assert_eq!(
                    response.status(),
                    StatusCode::NOT_FOUND,
                    "{path} with {cookie:?}"
                );
                let html = body_text(response).await;
                assert_eq!(texts(&html, "h1"), texts(&unknown, "h1"), "{path}");
            }
            let response = post_form(
                &router,
                &format!("/yonetim/siparis/{number}"),
                &[("islem", "hazirla")],
                IP,
                Some(cookie).filter(|c| !c.is_empty()),
                &[],
            )
            .await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND);
        }

        // Destek and yonetici see every page, never cached.
        let destek =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let yonetici = staff_session(
            &router,
            db,
            "yonetici@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        for cookie in [&destek, &yonetici] {
            for path in &pages {
                let response = get_with_cookie(&router, path, cookie).await;
                assert_eq!(response.status(), StatusCode::OK, "{path}");
                assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
            }
        }
        let html = body_text(get_with_cookie(&router, "/yonetim/siparisler", &destek).await).await;
        assert!(html.contains(&number), "the list shows the held order");
        let html = body_text(
            get_with_cookie(&router, "/yonetim/siparisler?durum=cancelled", &destek).await,
        )
        .await;
        assert!(!html.contains(&number), "filtered out");
        assert_eq!(
            texts(&html, ".staff-empty"),
            ["Bu süzgeçle eşleşen sipariş yok."],
            "an empty list says so"
        );

        // A visitor's cookie choice is found in the ledger by their visitor id.
        let chosen = post_form(
            &router,
            "/cerez-tercihi",
            &[("secim", "red"), ("dil", "tr")],
            "203.0.113.30",
            None,
            &[],
        )
        .await;
        assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
        let visitor: String =
            sqlx::query_scalar("SELECT visitor_id FROM consent_ledger ORDER BY id DESC LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let html = body_text(
            get_with_cookie(&router, &format!("/yonetim/izinler?ara={visitor}"), &destek).await,
        )
        .await;
        assert_eq!(texts(&html, ".staff-cookies code"), [visitor]);
        // The outbox lists the order's confirmation owed to the shopper.
        let html =
            body_text(get_with_cookie(&router, "/yonetim/e-postalar?durum=pending", &destek).await)
                .await;
        assert!(!texts(&html, ".staff-outbox tbody tr").is_empty(), "{html}");
        // The first page counts the held order.
        let html = body_text(get_with_cookie(&router, "/yonetim", &destek).await).await;
        assert!(
            texts(&html, ".staff-tile")
                .iter()
                .any(|tile| tile.starts_with("Onay bekleyen siparişler") && tile.ends_with('1')),
            "{html}"
        );

        let chart = support::html::attributes(&html, "svg.staff-chart", "aria-label").join("");
        assert_eq!(chart.matches(": 0").count(), 13, "{chart}");
        assert!(
            chart.ends_with(": 1"),
            "today's order is today's bar: {chart}"
        );

        // Logging out ends the session on the server: the cookie opens nothing after.
        let response = post_form(&router, "/yonetim/cikis", &[], IP, Some(&destek), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = get_with_cookie(&router, "/yonetim", &destek).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yonetici_needs_the_code_and_each_code_works_once() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let email = "kurucu@lesminoria.com";
        let created = staff::create(db, email, "Kurucu", StaffRole::Yonetici, PASSWORD)
            .await
            .unwrap();
        let secret = created
            .totp_secret
            .expect("a yonetici gets a second factor");
        let log_in = |code: String| {
            let router = router.clone();
            async move {
                post_form(
                    &router,
                    "/yonetim/giris",
                    &[("eposta", email), ("sifre", PASSWORD), ("kod", &code)],
                    IP,
                    None,
                    &[],
                )
                .await
            }
        };
        let response = log_in(String::new()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(cookie_named(&response, "lm_yonetim").is_none_or(|c| c.ends_with('=')));
        assert!(body_text(response).await.contains("6 haneli kodu"));
        let now = time::now_seconds();
        let wrong = format!(
            "{:06}",
            (totp::code_at(&secret, now).parse::<u32>().unwrap() + 1) % 1_000_000
        );
        assert_eq!(log_in(wrong).await.status(), StatusCode::UNAUTHORIZED);
        let code = totp::code_at(&secret, now);
        let response = log_in(code.clone()).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(cookie_named(&response, "lm_yonetim").is_some());
        assert_eq!(
            log_in(code).await.status(),
            StatusCode::UNAUTHORIZED,
            "a code works once"
        );
        // Every attempt is in the audit log, with the IP.
        let attempts: Vec<(String, String)> =
            sqlx::query_as("SELECT action, ip FROM staff_audit_log WHERE target = $1 ORDER BY id")
                .bind(format!("staff-login:{email}"))
                .fetch_all(db.pool())
                .await
                .unwrap();
        let actions: Vec<&str> = attempts.iter().map(|(action, _)| action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "staff.login_code_needed",
                "staff.login_wrong_code",
                "staff.login",
                "staff.login_wrong_code"
            ]
        );
        assert!(attempts.iter().all(|(_, ip)| ip == IP));
        // No default account, no weak password.
        assert!(staff::create(
            db,
            "ikinci@lesminoria.com",
            "X",
            StaffRole::Destek,
            "123456"
        )
        .await
        .is_err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_move_only_along_the_graph_and_every_step_is_audited_and_told() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let number = held_order(&router, db, IP).await;
        let cookie =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let path = format!("/yonetim/siparis/{number}");
        let act = |form: Vec<(&'static str, &'static str)>| {
            let (router, path, cookie) = (router.clone(), path.clone(), cookie.clone());
            async move { post_form(&router, &path, &form, IP, Some(&cookie), &[]).await }
        };

        // Out of order while on hold: nothing moves.
        for illegal in ["hazirla", "teslim", "havale", "bilinmeyen"] {
            let response = act(vec![("islem", illegal)]).await;
            assert_eq!(response.status(), StatusCode::CONFLICT, "{illegal}");
            assert!(body_text(response).await.contains("yapılamaz") || illegal == "havale");
        }
        assert_eq!(
            order_state(db, &number).await,
            ("on_hold".into(), "paid".into(), None)
        );

        // Approved with the checks done, recorded with who and when.
        let response = act(vec![
            ("islem", "onayla"),
            ("kontrol", "telefon"),
            ("kontrol", "adres"),
            ("not", "Müşteri aradı"),
        ])
        .await;
        assert_eq!(location(&response), format!("{path}?durum=onaylandi"));
        assert_eq!(order_state(db, &number).await.0, "confirmed");
        let response = act(vec![("islem", "onayla")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "approved once");

        // Shipped needs a carrier and a tracking number, and comes after preparing.
        assert_eq!(
            act(vec![
                ("islem", "kargola"),
                ("kargo", "Aras"),
                ("takip", "1")
            ])
            .await
            .status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            act(vec![("islem", "hazirla")]).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            act(vec![("islem", "teslim")]).await.status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            act(vec![("islem", "kargola"), ("kargo", "Aras Kargo")])
                .await
                .status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            act(vec![
                ("islem", "kargola"),
                ("kargo", "Aras Kargo"),
                ("takip", "AR123456789")
            ])
            .await
            .status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            act(vec![("islem", "hazirla")]).await.status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            act(vec![("islem", "teslim")]).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            act(vec![("islem", "teslim")]).await.status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            order_state(db, &number).await,
            (
                "confirmed".into(),
                "paid".into(),
                Some("teslim_edildi".into())
            )
        );

        // Each step is in the audit log with who did it, and the shopper was told of each.
        let audit: Vec<(String, Option<i64>, String)> = sqlx::query_as(
            "SELECT action, staff_id, details FROM staff_audit_log WHERE target = $1 ORDER BY id",
        )
        .bind(format!("order:{number}"))
        .fetch_all(db.pool())
        .await
        .unwrap();
        let actions: Vec<&str> = audit.iter().map(|(action, _, _)| action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "order.release",
                "order.hazirlaniyor",
                "order.kargoda",
                "order.delivered"
            ]
        );
        assert!(audit.iter().all(|(_, staff, _)| staff.is_some()));
        assert!(audit[0].2.contains("telefon, adres") && audit[0].2.contains("Müşteri aradı"));
        let updates: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox_emails m JOIN orders o ON o.id = m.order_id \
             WHERE o.number = $1 AND m.kind = 'order_update'",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(updates, 4);

        // The audit log cannot be changed or emptied, whatever asks.
        assert!(sqlx::query("UPDATE staff_audit_log SET details = 'x'")
            .execute(db.pool())
            .await
            .is_err());
        assert!(sqlx::query("DELETE FROM staff_audit_log")
            .execute(db.pool())
            .await
            .is_err());
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_audit_log")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert!(rows >= 5);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_gives_the_goods_back_and_the_money_to_the_card_once() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let number = held_order(&router, db, IP).await;
        let variant: i64 = sqlx::query_scalar(
            "SELECT l.variant_id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let stock_before = support::shopper::stock_of(db, variant).await;
        let cookie =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let path = format!("/yonetim/siparis/{number}");
        let cancel = |reason: &'static str| {
            let (router, path, cookie) = (router.clone(), path.clone(), cookie.clone());
            async move {
                post_form(
                    &router,
                    &path,
                    &[("islem", "iptal"), ("neden", reason)],
                    IP,
                    Some(&cookie),
                    &[],
                )
                .await
            }
        };

        // A reason is needed.
        assert_eq!(cancel("").await.status(), StatusCode::CONFLICT);
        assert_eq!(order_state(db, &number).await.0, "on_hold");

        let response = cancel("Stokta hasarlı çıktı").await;
        assert_eq!(location(&response), format!("{path}?durum=iptal"));
        assert_eq!(
            order_state(db, &number).await,
            ("cancelled".into(), "refunded".into(), None)
        );
        assert_eq!(
            support::shopper::stock_of(db, variant).await,
            stock_before + 1
        );
        let (paid, refunded): (i64, i64) = sqlx::query_as(
            "SELECT s.paid_kurus, s.refunded_kurus FROM sandbox_payments s \
             JOIN orders o ON o.provider_payment_id = s.payment_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(refunded, paid, "everything paid went back to the card");

        // Once: a second cancel changes nothing, at the provider or in stock.
        assert_eq!(cancel("tekrar").await.status(), StatusCode::CONFLICT);
        assert_eq!(
            support::shopper::stock_of(db, variant).await,
            stock_before + 1
        );
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM staff_audit_log WHERE target = $1 ORDER BY id")
                .bind(format!("order:{number}"))
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(actions, ["order.cancel"]);

        // The shopper's page says it was cancelled.
        let html = body_text(
            get(
                &router,
                &format!(
                    "/siparis/{number}?erisim={}",
                    app::backend::order_link::sign(
                        &state.order_link_secret,
                        &number,
                        time::now_seconds() + 60
                    )
                ),
            )
            .await,
        )
        .await;
        assert!(html.contains("Bu sipariş iptal edildi"), "{html}");

        // A shipped order cannot be cancelled any more (it comes back by cayma).
        let other = held_order(&router, db, "198.51.100.61").await;
        let other_path = format!("/yonetim/siparis/{other}");
        for step in [
            vec![("islem", "onayla")],
            vec![("islem", "hazirla")],
            vec![
                ("islem", "kargola"),
                ("kargo", "Aras Kargo"),
                ("takip", "AR1"),
            ],
        ] {
            let response = post_form(&router, &other_path, &step, IP, Some(&cookie), &[]).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
        }
        let response = post_form(
            &router,
            &other_path,
            &[("islem", "iptal"), ("neden", "geç")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(order_state(db, &other).await.0, "confirmed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_answer_messages_and_kvkk_applications_by_e_mail_and_keep_the_thread() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let cookie =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;

        // A complaint through the contact form reaches the inbox, new first.
        let sent = post_form(
            &router,
            "/iletisim",
            &support::good_contact_form(),
            "203.0.113.9",
            None,
            &[],
        )
        .await;
        let reference = location(&sent).split("ref=").nth(1).unwrap().to_string();
        let inbox =
            body_text(get_with_cookie(&router, "/yonetim/mesajlar?durum=yeni", &cookie).await)
                .await;
        assert!(inbox.contains(&reference), "{inbox}");
        let path = format!("/yonetim/mesaj/{reference}");
        let response = post_form(
            &router,
            &path,
            &[("islem", "yanit"), ("yanit", " ")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let response = post_form(
            &router,
            &path,
            &[
                ("islem", "yanit"),
                ("yanit", "Siparişiniz yarın kargoda olacak."),
            ],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(location(&response), format!("{path}?durum=yanitlandi"));
        let page = body_text(get_with_cookie(&router, &path, &cookie).await).await;
        assert_eq!(
            texts(&page, ".staff-reply p"),
            ["Siparişiniz yarın kargoda olacak."]
        );
        let (recipient, body): (String, String) = sqlx::query_as(
            "SELECT recipient, body_text FROM outbox_emails WHERE kind = 'contact_reply'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        let sender = support::good_contact_form()
            .into_iter()
            .find(|(name, _)| *name == "eposta")
            .unwrap()
            .1;
        assert_eq!(recipient, sender);
        assert!(body.contains("Siparişiniz yarın kargoda olacak."), "{body}");
        let response = post_form(
            &router,
            &path,
            &[("islem", "durum"), ("durum", "kapandi")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let status: String =
            sqlx::query_scalar("SELECT status FROM contact_messages WHERE reference = $1")
                .bind(&reference)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(status, "kapandi");

        // A member's KVKK application: on the desk with its due date, answered once, by e-mail.
        let email = "basvuru@example.com";
        let registration = [
            ("ad", "Ayşe Yılmaz"),
            ("eposta", email),
            ("sifre", PASSWORD),
        ];
        post_form(&router, "/uye-ol", &registration, "203.0.113.10", None, &[]).await;
        let customer: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
            .bind(email)
            .fetch_one(db.pool())
            .await
            .unwrap();
        let application = app::model::kvkk::Application {
            right: app::model::kvkk::KvkkRight::Information,
            details: "Hangi verilerimi işliyorsunuz?".into(),
        };
        let origin = app::backend::RequestOrigin {
            ip: "203.0.113.10".into(),
            user_agent: "test".into(),
        };
        let kvkk_reference =
            app::backend::accounts::kvkk::apply(db, customer, &application, &origin)
                .await
                .unwrap();
        let desk = body_text(get_with_cookie(&router, "/yonetim/kvkk", &cookie).await).await;
        assert!(desk.contains(&kvkk_reference));
        let path = format!("/yonetim/kvkk-basvuru/{kvkk_reference}");
        let answer = [
            ("islem", "yanit"),
            (
                "yanit",
                "Yalnızca sipariş ve iletişim verilerinizi işliyoruz.",
            ),
        ];
        let response = post_form(&router, &path, &answer, IP, Some(&cookie), &[]).await;
        assert_eq!(location(&response), format!("{path}?durum=yanitlandi"));
        let response = post_form(&router, &path, &answer, IP, Some(&cookie), &[]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "answered once");
        let (status, stored): (String, Option<String>) =
            sqlx::query_as("SELECT status, answer FROM kvkk_applications WHERE reference = $1")
                .bind(&kvkk_reference)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(status, "yanitlandi");
        assert_eq!(
            stored.as_deref(),
            Some("Yalnızca sipariş ve iletişim verilerinizi işliyoruz.")
        );
        let mails: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox_emails WHERE kind = 'kvkk_answer' AND recipient = $1",
        )
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(mails, 1);
        let audited: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM staff_audit_log WHERE target LIKE 'message:%' OR target LIKE 'kvkk:%' ORDER BY id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, ["message.reply", "message.status", "kvkk.answer"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yonetici_changes_a_price_and_the_shop_shows_it_at_once_and_destek_cannot() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        app::backend::demo::seed_if_empty(db).await.unwrap();
        let slug = "keten-gomlek-elbise";
        let (variant, sku): (i64, String) = sqlx::query_as(
            "SELECT v.id, v.sku FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.slug = $1 ORDER BY v.position, v.id LIMIT 1",
        )
        .bind(slug)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let ids: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT v.id, v.stock FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1",
        )
        .bind(slug)
        .fetch_all(db.pool())
        .await
        .unwrap();
        let page_before = body_text(get(&router, &format!("/urun/{slug}")).await).await;
        assert!(!page_before.contains("4.321,50"));

        let path = format!("/yonetim/urun/{slug}");
        let destek =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        assert_eq!(
            get_with_cookie(&router, &path, &destek).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get_with_cookie(&router, "/yonetim/urunler", &destek)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );

        let yonetici = staff_session(
            &router,
            db,
            "kurucu@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        let page = body_text(get_with_cookie(&router, &path, &yonetici).await).await;
        assert!(page.contains(&sku));
        let form = |price: &str, compare: &str| {
            let mut form: Vec<(String, String)> = vec![
                ("ad".into(), "Keten Gömlek Elbise".into()),
                ("ad_en".into(), "Linen Shirt Dress".into()),
                ("yayinda".into(), "1".into()),
                ("cayma".into(), String::new()),
            ];
            for (id, seen) in &ids {
                form.push(("varyant".into(), id.to_string()));
                let (p, c) = if *id == variant {
                    (price, compare)
                } else {
                    (price, "")
                };
                form.push((format!("fiyat-{id}"), p.to_string()));
                form.push((format!("liste-{id}"), c.to_string()));
                form.push((format!("stok-{id}"), "7".to_string()));
                form.push((format!("stok-goruldu-{id}"), seen.to_string()));
            }
            form
        };
        let post = |form: Vec<(String, String)>, cookie: String| {
            let router = router.clone();
            let path = path.clone();
            async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                post_form(&router, &path, &pairs, IP, Some(&cookie), &[]).await
            }
        };
        // Destek cannot change the catalogue; a list price below the price is refused.
        assert_eq!(
            post(form("4.321,50", ""), destek.clone()).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            post(form("4.321,50", "4.000,00"), yonetici.clone())
                .await
                .status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            post(form("dört bin", ""), yonetici.clone()).await.status(),
            StatusCode::CONFLICT
        );
        let price: i64 = sqlx::query_scalar("SELECT price_kurus FROM variants WHERE id = $1")
            .bind(variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_ne!(price, 432_150, "nothing changed");

        // An order takes a piece while the form is open: the save keeps it.
        sqlx::query("UPDATE variants SET stock = stock - 1 WHERE id = $1")
            .bind(variant)
            .execute(db.pool())
            .await
            .unwrap();
        let response = post(form("4.321,50", "5.000,00"), yonetici.clone()).await;
        assert_eq!(location(&response), format!("{path}?durum=kaydedildi"));
        let stock: i64 = sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
            .bind(variant)
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stock, 6, "7 as typed, less the piece ordered meanwhile");
        // The process that saved it shows it on its next page (no waiting out the version check).
        let page_after = body_text(get(&router, &format!("/urun/{slug}")).await).await;
        assert!(page_after.contains("4.321,50"), "the new price shows");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_audit_log WHERE action = 'product.save' AND target = $1",
        )
        .bind(format!("product:{slug}"))
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yonetici_manages_the_team_and_a_closed_account_opens_nothing() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let yonetici = staff_session(
            &router,
            db,
            "kurucu@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        let destek =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        assert_eq!(
            get_with_cookie(&router, "/yonetim/ekip", &destek)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let post = |form: Vec<(&'static str, String)>, cookie: String| {
            let router = router.clone();
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post_form(&router, "/yonetim/ekip", &pairs, IP, Some(&cookie), &[]).await
            }
        };
        let add = |email: &str, role: &str, password: &str| {
            vec![
                ("islem", "ekle".to_string()),
                ("ad", "Yeni Kişi".to_string()),
                ("eposta", email.to_string()),
                ("rol", role.to_string()),
                ("sifre", password.to_string()),
            ]
        };
        assert_eq!(
            post(
                add("yeni@lesminoria.com", "destek", "123456"),
                destek.clone()
            )
            .await
            .status(),
            StatusCode::NOT_FOUND,
            "destek cannot add staff"
        );
        assert_eq!(
            post(
                add("yeni@lesminoria.com", "destek", "123456"),
                yonetici.clone()
            )
            .await
            .status(),
            StatusCode::CONFLICT,
            "a weak password"
        );
        let response = post(
            add("yeni@lesminoria.com", "destek", PASSWORD),
            yonetici.clone(),
        )
        .await;
        assert_eq!(location(&response), "/yonetim/ekip?durum=eklendi");
        // A new yonetici's secret is shown once, on the answer itself.
        let response = post(
            add("ikinci@lesminoria.com", "yonetici", PASSWORD),
            yonetici.clone(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let html = body_text(response).await;
        let secret: Option<String> = sqlx::query_scalar(
            "SELECT totp_secret FROM staff WHERE email = 'ikinci@lesminoria.com'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(texts(&html, ".staff-secret code").contains(&secret.unwrap()));
        let again = body_text(get_with_cookie(&router, "/yonetim/ekip", &yonetici).await).await;
        assert!(
            texts(&again, ".staff-secret").is_empty(),
            "never shown again"
        );

        // Made yonetici, a session that never gave a code opens nothing any more.
        let response = post_form(
            &router,
            "/yonetim/giris",
            &[("eposta", "yeni@lesminoria.com"), ("sifre", PASSWORD)],
            "198.51.100.71",
            None,
            &[],
        )
        .await;
        let yeni = cookie_named(&response, "lm_yonetim").unwrap();
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &yeni).await.status(),
            StatusCode::OK
        );
        let yeni_id: i64 =
            sqlx::query_scalar("SELECT id FROM staff WHERE email = 'yeni@lesminoria.com'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let promote = vec![
            ("islem", "rol".to_string()),
            ("id", yeni_id.to_string()),
            ("rol", "yonetici".to_string()),
        ];
        let response = post(promote, yonetici.clone()).await;
        assert_eq!(response.status(), StatusCode::OK, "the new secret is shown");
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &yeni).await.status(),
            StatusCode::NOT_FOUND
        );

        // Closing destek's account ends their session at once; nobody closes their own.
        let destek_id: i64 =
            sqlx::query_scalar("SELECT id FROM staff WHERE email = 'destek@lesminoria.com'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let own_id: i64 =
            sqlx::query_scalar("SELECT id FROM staff WHERE email = 'kurucu@lesminoria.com'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let close = |id: i64| vec![("islem", "kapat".to_string()), ("id", id.to_string())];
        assert_eq!(
            post(close(own_id), yonetici.clone()).await.status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &destek).await.status(),
            StatusCode::OK
        );
        let response = post(close(destek_id), yonetici.clone()).await;
        assert_eq!(location(&response), "/yonetim/ekip?durum=kapatildi");
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &destek).await.status(),
            StatusCode::NOT_FOUND
        );
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM staff_audit_log WHERE action LIKE 'staff.%' AND action NOT LIKE 'staff.login%' ORDER BY id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "staff.create",
                "staff.create",
                "staff.create",
                "staff.create",
                "staff.role",
                "staff.disable"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_the_provider_refuses_waits_on_the_first_page_for_a_person() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let number = held_order(&router, db, IP).await;
        // The payment was already given back at the provider (by hand, in its panel): the
        // provider now refuses any refund of it.
        sqlx::query(
            "UPDATE sandbox_payments SET refunded_kurus = paid_kurus WHERE payment_id = \
             (SELECT provider_payment_id FROM orders WHERE number = $1)",
        )
        .bind(&number)
        .execute(db.pool())
        .await
        .unwrap();
        let cookie =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let path = format!("/yonetim/siparis/{number}");
        let response = post_form(
            &router,
            &path,
            &[("islem", "iptal"), ("neden", "müşteri istedi")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            format!("{path}?durum=iptal-iade-bekliyor")
        );
        assert_eq!(
            order_state(db, &number).await,
            ("cancelled".into(), "paid".into(), None)
        );

        let home = body_text(get_with_cookie(&router, "/yonetim", &cookie).await).await;
        let waiting = texts(&home, ".staff-alert li").join(" ");
        assert!(
            waiting.contains(&number) && waiting.contains("refunds above the amount paid"),
            "{home}"
        );
        // Staff may ask again; it is refused again and still waits.
        let refund: i64 = sqlx::query_scalar("SELECT id FROM order_refunds")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let response = post_form(
            &router,
            &path,
            &[("islem", "iade_tekrar"), ("talep", &refund.to_string())],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let home = body_text(get_with_cookie(&router, "/yonetim", &cookie).await).await;
        assert!(texts(&home, ".staff-alert li").join(" ").contains(&number));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yonetici_adds_a_category_a_product_and_its_variant_and_the_shop_sells_it() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        app::backend::demo::seed_if_empty(db).await.unwrap();
        let destek =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let yonetici = staff_session(
            &router,
            db,
            "yonetici@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        let parent: i64 =
            sqlx::query_scalar("SELECT id FROM categories WHERE parent_id IS NULL ORDER BY id")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let parent = parent.to_string();
        let category = vec![
            ("islem", "kategori"),
            ("kategori_adi", "Keten Koleksiyonu"),
            ("kategori_adi_en", "Linen collection"),
            ("ust_kategori", parent.as_str()),
            ("tanitim", "Yazın serinliği."),
        ];
        // Destek may not add to the catalogue.
        let response = post_form(
            &router,
            "/yonetim/urunler",
            &category,
            IP,
            Some(&destek),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = post_form(
            &router,
            "/yonetim/urunler",
            &category,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/yonetim/urunler?durum=kategori");
        let category_id: i64 =
            sqlx::query_scalar("SELECT id FROM categories WHERE slug = 'keten-koleksiyonu'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let category_id = category_id.to_string();
        // The same address word again: refused beside its field, the typing kept.
        let response = post_form(
            &router,
            "/yonetim/urunler",
            &category,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let html = body_text(response).await;
        assert_eq!(
            support::html::attributes(&html, "#yeni-kategori input[name=kategori_adi]", "value"),
            ["Keten Koleksiyonu"]
        );

        // A product with problems comes back with them beside its fields.
        let mut product = vec![
            ("islem", "urun"),
            ("ad", "Keten Yazlık Gömlek"),
            ("ad_en", "Linen summer shirt"),
            ("kategori", category_id.as_str()),
            ("aciklama", "Hafif, nefes alan keten."),
            ("aciklama_en", ""),
            ("kdv", "10"),
        ];
        let response = post_form(
            &router,
            "/yonetim/urunler",
            &product,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert_eq!(
            texts(&html, "#yeni-urun .field__error"),
            ["Bu alanı doldurun."]
        );
        product[5] = ("aciklama_en", "Light, breathable linen.");
        let response = post_form(
            &router,
            "/yonetim/urunler",
            &product,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/yonetim/urun/keten-yazlik-gomlek?durum=urun"
        );
        // Unpublished: not in the shop, and it cannot be published without a variant.
        assert_eq!(
            get(&router, "/urun/keten-yazlik-gomlek").await.status(),
            StatusCode::NOT_FOUND
        );
        let publish = vec![
            ("ad", "Keten Yazlık Gömlek"),
            ("ad_en", "Linen summer shirt"),
            ("yayinda", "1"),
        ];
        let response = post_form(
            &router,
            "/yonetim/urun/keten-yazlik-gomlek",
            &publish,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert!(body_text(response)
            .await
            .contains("Varyantı olmayan ürün yayına alınamaz"));

        let variant = vec![
            ("islem", "varyant"),
            ("sku", "lm900-m-ekru"),
            ("beden", "M"),
            ("renk", "Ekru"),
            ("renk_en", "Ecru"),
            ("renk_kodu", "#F3EBDD"),
            ("yeni_fiyat", "1.499,90"),
            ("yeni_liste", ""),
            ("yeni_stok", "7"),
        ];
        let mut wrong = variant.clone();
        wrong[5] = ("renk_kodu", "ekru");
        let response = post_form(
            &router,
            "/yonetim/urun/keten-yazlik-gomlek",
            &wrong,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert_eq!(
            support::html::attributes(&html, "#yeni-varyant input[name=beden]", "value"),
            ["M"]
        );
        let response = post_form(
            &router,
            "/yonetim/urun/keten-yazlik-gomlek",
            &variant,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(
            location(&response),
            "/yonetim/urun/keten-yazlik-gomlek?durum=varyant"
        );
        let response = post_form(
            &router,
            "/yonetim/urun/keten-yazlik-gomlek",
            &variant,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::CONFLICT,
            "a stock code is one variant's"
        );
        let response = post_form(
            &router,
            "/yonetim/urun/keten-yazlik-gomlek",
            &publish,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);

        // In the shop at once: its page, its category's listing, search, the sitemap.
        let html = body_text(get(&router, "/urun/keten-yazlik-gomlek").await).await;
        assert_eq!(texts(&html, "h1"), ["Keten Yazlık Gömlek"]);
        assert!(texts(&html, ".product__price .price__now").contains(&"1.499,90 TL".to_string()));
        let listing = body_text(get(&router, "/kategori/keten-koleksiyonu").await).await;
        assert!(listing.contains("/urun/keten-yazlik-gomlek"), "{listing}");
        let found = body_text(get(&router, "/arama?q=keten+gomlek").await).await;
        assert!(found.contains("/urun/keten-yazlik-gomlek"));
        let sitemap = body_text(get(&router, "/sitemap.xml").await).await;
        assert!(sitemap.contains("/urun/keten-yazlik-gomlek"));
        let audited: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM staff_audit_log WHERE action IN \
             ('category.create', 'product.create', 'variant.create') ORDER BY id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            audited,
            ["category.create", "product.create", "variant.create"]
        );
    }
}

/// A multipart form with one file (`gorsel`) and the descriptions, as a browser sends it.
fn multipart(file: &[u8], alt: &str) -> (String, Vec<u8>) {
    let boundary = "----lesminoria-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n{alt}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"gorsel\"; filename=\"foto.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    router: &Router,
    path: &str,
    cookie: &str,
    file: &[u8],
) -> axum::response::Response {
    use tower::ServiceExt;
    let (content_type, body) = multipart(file, "Ön yüz");
    let request = axum::http::Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::COOKIE, cookie)
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [198, 51, 100, 60],
            40_000,
        ))))
        .body(axum::body::Body::from(body))
        .unwrap();
    router.clone().oneshot(request).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploaded_image_is_checked_fitted_to_the_shop_stored_once_and_served_to_all() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        app::backend::demo::seed_if_empty(db).await.unwrap();
        let slug: String =
            sqlx::query_scalar("SELECT slug FROM products WHERE published = 1 ORDER BY id LIMIT 1")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let path = format!("/yonetim/urun/{slug}/gorsel");
        let destek =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;
        let yonetici = staff_session(
            &router,
            db,
            "yonetici@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        let photo = app::backend::testing::png(1_600, 2_000);

        assert_eq!(
            upload(&router, &path, &destek, &photo).await.status(),
            StatusCode::NOT_FOUND
        );
        // Not an image, whatever its name says; and more than 8 MB.
        let response = upload(&router, &path, &yonetici, b"<svg onload=alert(1)>").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert!(html.contains("JPEG, PNG veya WebP görseli değil"), "{html}");
        let response = upload(&router, &path, &yonetici, &vec![0xFF; 9 * 1024 * 1024]).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM image_files")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 0);

        let response = upload(&router, &path, &yonetici, &photo).await;
        assert_eq!(
            location(&response),
            format!("/yonetim/urun/{slug}?durum=gorsel")
        );
        let (src, width, height): (String, i64, i64) = sqlx::query_as(
            "SELECT i.path, f.width, f.height FROM product_images i \
             JOIN image_files f ON i.path = '/gorsel/' || f.sha256 || '.jpg' \
             JOIN products p ON p.id = i.product_id WHERE p.slug = $1",
        )
        .bind(&slug)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!((width, height), (1_200, 1_500), "fitted to the shop's size");
        // The same photo again is stored once.
        upload(&router, &path, &yonetici, &photo).await;
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM image_files")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 1);

        // Anyone gets it, as a JPEG kept for a year; the product page shows it.
        let response = get(&router, &src).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "image/jpeg");
        assert!(response.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let bytes = body_text_bytes(response).await;
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
        let html = body_text(get(&router, &format!("/urun/{slug}")).await).await;
        assert!(
            support::html::attributes(&html, ".product img", "src").contains(&src),
            "{src}"
        );
        assert!(
            support::html::attributes(&html, ".product img", "alt").contains(&"Ön yüz".to_string())
        );
        assert_eq!(
            get(
                &router,
                "/gorsel/0000000000000000000000000000000000000000000000000000000000000000.jpg"
            )
            .await
            .status(),
            StatusCode::NOT_FOUND
        );
    }
}

async fn body_text_bytes(response: axum::response::Response) -> Vec<u8> {
    use http_body_util::BodyExt;
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

/// Puts `table`'s row `id` in the state a card refund is left in when it was asked of the
/// provider and the answer was lost (a timeout): claimed, with the lost answer written down.
async fn leave_unanswered(db: &Db, table: &str, started: &str, error: &str, id: i64) {
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query(&format!(
        "UPDATE {table} SET {started} = $1, {error} = 'no answer: timed out' WHERE id = $2"
    ))
    .bind(time::now_seconds())
    .bind(id)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_whose_answer_was_lost_is_settled_by_what_the_provider_s_panel_shows() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let cookie =
            staff_session(&router, db, "destek@lesminoria.com", StaffRole::Destek, IP).await;

        // A cancelled card order whose refund was asked and never answered.
        let number = held_order(&router, db, IP).await;
        let path = format!("/yonetim/siparis/{number}");
        let response = post_form(
            &router,
            &path,
            &[("islem", "iptal"), ("neden", "müşteri istedi")],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let refund: i64 = sqlx::query_scalar("SELECT id FROM order_refunds")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE order_refunds SET refunded_at = NULL WHERE id = $1")
            .bind(refund)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("UPDATE orders SET payment_status = 'paid' WHERE number = $1")
            .bind(&number)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        leave_unanswered(db, "order_refunds", "started_at", "error", refund).await;
        let post = |action: &'static str| {
            let (router, path, cookie) = (router.clone(), path.clone(), cookie.clone());
            async move {
                post_form(
                    &router,
                    &path,
                    &[("islem", action), ("talep", &refund.to_string())],
                    IP,
                    Some(&cookie),
                    &[],
                )
                .await
            }
        };

        // Being asked right now (claimed a moment ago, no answer written yet): not settled by
        // hand, it may still come back.
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE order_refunds SET error = NULL WHERE id = $1")
            .bind(refund)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            post("iade_kontrol_oldu").await.status(),
            StatusCode::CONFLICT
        );
        leave_unanswered(db, "order_refunds", "started_at", "error", refund).await;

        // The page offers the two answers, and asking again is refused: it might go twice.
        let html = body_text(get_with_cookie(&router, &path, &cookie).await).await;
        let buttons = texts(&html, ".staff-refund button").join(" | ");
        assert!(
            buttons.contains("Panelde iade görünüyor") && buttons.contains("Panelde iade yok"),
            "{buttons}"
        );
        assert_eq!(post("iade_tekrar").await.status(), StatusCode::CONFLICT);

        // Not in the panel: the claim is let go, and it may be asked again.
        let response = post("iade_kontrol_olmadi").await;
        assert_eq!(location(&response), format!("{path}?durum=iade-yeniden"));
        let row: (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT started_at, refunded_at FROM order_refunds WHERE id = $1")
                .bind(refund)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(row, (None, None));

        // Asked again and lost again; this time the panel shows it: recorded, once.
        leave_unanswered(db, "order_refunds", "started_at", "error", refund).await;
        let response = post("iade_kontrol_oldu").await;
        assert_eq!(location(&response), format!("{path}?durum=iade"));
        assert_eq!(
            order_state(db, &number).await,
            ("cancelled".into(), "refunded".into(), None)
        );
        assert_eq!(
            post("iade_kontrol_oldu").await.status(),
            StatusCode::CONFLICT
        );
        let checked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_audit_log WHERE action = 'order.refund_checked' \
             AND staff_id IS NOT NULL",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(checked, 2);
        let home = body_text(get_with_cookie(&router, "/yonetim", &cookie).await).await;
        assert!(!texts(&home, ".staff-alert li").join(" ").contains(&number));

        // The same for a cayma refund: the shopper is told once it is recorded.
        let number = held_order(&router, db, "203.0.113.61").await;
        let line: i64 = sqlx::query_scalar(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let form = app::model::cayma::CaymaForm {
            lines: vec![(line, 1)],
            reason: String::new(),
            account: None,
        };
        let origin = app::backend::RequestOrigin {
            ip: "203.0.113.61".into(),
            user_agent: "test".into(),
        };
        app::backend::orders::cayma::request_cayma(
            db,
            &app::backend::invoices::BuiltInInvoices,
            &number,
            &form,
            app::model::Locale::Tr,
            &origin,
        )
        .await
        .unwrap();
        let request: i64 = sqlx::query_scalar("SELECT id FROM cayma_requests")
            .fetch_one(db.pool())
            .await
            .unwrap();
        leave_unanswered(
            db,
            "cayma_requests",
            "refund_started_at",
            "refund_error",
            request,
        )
        .await;
        let path = format!("/yonetim/siparis/{number}");
        let response = post_form(
            &router,
            &path,
            &[
                ("islem", "cayma_kontrol_oldu"),
                ("talep", &request.to_string()),
            ],
            IP,
            Some(&cookie),
            &[],
        )
        .await;
        assert_eq!(location(&response), format!("{path}?durum=iade"));
        let refunded: Option<i64> =
            sqlx::query_scalar("SELECT refunded_at FROM cayma_requests WHERE id = $1")
                .bind(request)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert!(refunded.is_some());
        let told: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox_emails WHERE kind = 'cayma_refunded'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(told, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_change_their_password_and_their_other_sessions_end() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let email = "destek@lesminoria.com";
        let first = staff_session(&router, db, email, StaffRole::Destek, IP).await;
        let response = post_form(
            &router,
            "/yonetim/giris",
            &[("eposta", email), ("sifre", PASSWORD)],
            "198.51.100.70",
            None,
            &[],
        )
        .await;
        let second = cookie_named(&response, "lm_yonetim").unwrap();
        let change = |current: &'static str, new: &'static str| {
            let (router, cookie) = (router.clone(), first.clone());
            async move {
                post_form(
                    &router,
                    "/yonetim/sifre",
                    &[("sifre", current), ("yeni_sifre", new)],
                    IP,
                    Some(&cookie),
                    &[],
                )
                .await
            }
        };
        assert_eq!(
            change("yanlış şifre", "gece mavisi kadife perde")
                .await
                .status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            change(PASSWORD, "123456").await.status(),
            StatusCode::CONFLICT
        );
        let response = change(PASSWORD, "gece mavisi kadife perde").await;
        assert_eq!(location(&response), "/yonetim/sifre?durum=sifre");
        let renewed = cookie_named(&response, "lm_yonetim").unwrap_or(first.clone());
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &renewed)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &second).await.status(),
            StatusCode::NOT_FOUND,
            "the other session ended"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yonetici_who_lost_the_phone_gets_in_with_a_recovery_code_once_and_renews_the_app() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let email = "kayip@lesminoria.com";
        let created = staff::create(db, email, "Kayıp Telefon", StaffRole::Yonetici, PASSWORD)
            .await
            .unwrap();
        let codes = created.recovery_codes;
        assert_eq!(codes.len(), 10);
        let log_in = |code: String, ip: &'static str| {
            let router = router.clone();
            async move {
                post_form(
                    &router,
                    "/yonetim/giris",
                    &[("eposta", email), ("sifre", PASSWORD), ("kod", &code)],
                    ip,
                    None,
                    &[],
                )
                .await
            }
        };
        // Typed in lower case with a space: it is the code, once.
        let typed = codes[0].to_lowercase().replace('-', " ");
        let response = log_in(typed.clone(), IP).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = cookie_named(&response, "lm_yonetim").unwrap();
        assert_eq!(
            log_in(typed, IP).await.status(),
            StatusCode::UNAUTHORIZED,
            "a recovery code works once"
        );
        let other = cookie_named(
            &log_in(codes[1].clone(), "198.51.100.71").await,
            "lm_yonetim",
        )
        .unwrap();

        // The page offers the renewal; the password is asked again.
        let page = body_text(get_with_cookie(&router, "/yonetim/sifre", &cookie).await).await;
        assert!(
            page.contains("Yeni anahtar ve kurtarma kodları oluştur"),
            "{page}"
        );
        let renew = |password: &'static str| {
            let (router, cookie) = (router.clone(), cookie.clone());
            async move {
                post_form(
                    &router,
                    "/yonetim/sifre",
                    &[("islem", "ikinci_adim"), ("sifre", password)],
                    IP,
                    Some(&cookie),
                    &[],
                )
                .await
            }
        };
        assert_eq!(renew("yanlış").await.status(), StatusCode::CONFLICT);
        let response = renew(PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        let renewed = cookie_named(&response, "lm_yonetim").unwrap_or(cookie.clone());
        let page = body_text(response).await;
        let secret = texts(&page, "[data-totp-secret]").remove(0);
        let new_codes = texts(&page, ".staff-recovery-codes li");
        assert_eq!(new_codes.len(), 10);
        assert!(new_codes.iter().all(|code| !codes.contains(code)));
        // This session goes on; the other ends; the old codes are gone; the new ones and the
        // new key work.
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &renewed)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &other).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            log_in(codes[2].clone(), "198.51.100.72").await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(new_codes[0].clone(), "198.51.100.73").await.status(),
            StatusCode::SEE_OTHER
        );
        let code = totp::code_at(&secret, time::now_seconds());
        assert_eq!(
            log_in(code, "198.51.100.74").await.status(),
            StatusCode::SEE_OTHER
        );

        // A colleague resets it when the codes are lost too: new ones, shown to them once,
        // and every session of the account ends. Destek cannot.
        let colleague =
            staff_session(&router, db, "ekip@lesminoria.com", StaffRole::Yonetici, IP).await;
        let destek =
            staff_session(&router, db, "yardim@lesminoria.com", StaffRole::Destek, IP).await;
        let id = created.id.to_string();
        let reset = [("islem", "ikinci_adim"), ("id", id.as_str())];
        let response = post_form(&router, "/yonetim/ekip", &reset, IP, Some(&destek), &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let response = post_form(&router, "/yonetim/ekip", &reset, IP, Some(&colleague), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = body_text(response).await;
        assert_eq!(texts(&page, ".staff-recovery-codes li").len(), 10);
        assert!(page.contains(email), "{page}");
        assert_eq!(
            get_with_cookie(&router, "/yonetim", &renewed)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM staff_audit_log WHERE target = $1 ORDER BY id")
                .bind(format!("staff:{}", created.id))
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert!(actions.ends_with(&[
            "staff.second_factor_renew".to_string(),
            "staff.second_factor_reset".to_string()
        ]));
        let logins: Vec<String> =
            sqlx::query_scalar("SELECT action FROM staff_audit_log WHERE target = $1 ORDER BY id")
                .bind(format!("staff-login:{email}"))
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            logins[..2],
            ["staff.login_recovery_code", "staff.login_wrong_code"]
        );
    }
}
