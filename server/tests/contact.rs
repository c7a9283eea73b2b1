//! The contact form and the legal pages through HTTP, on a real database: a message is stored
//! with IP and time and confirmed with its reference; a bad one comes back with each problem
//! next to its field and everything typed kept; too many from one IP are refused plainly.

mod support;

use app::backend::{contact::PER_IP_LIMIT, testing::fresh_databases, Db};
use app::model::brand::SellerIdentity;
use axum::http::{header, StatusCode};
use support::html::{attributes, texts};
use support::{body_text, good_contact_form, page, post_form, router_for, router_with};

async fn stored(db: &Db) -> Vec<(String, String, String, Option<String>, String, String)> {
    sqlx::query_as(
        "SELECT reference, topic, name, order_number, ip, created_at FROM contact_messages ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_is_stored_with_ip_and_time_and_confirmed_by_reference() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let response = post_form(
            &router,
            "/iletisim",
            &good_contact_form(),
            "203.0.113.50",
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", test.label);
        let location = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let reference = location
            .strip_prefix("/iletisim/gonderildi?ref=")
            .expect(&location)
            .to_string();
        let rows = stored(&test.db).await;
        assert_eq!(rows.len(), 1);
        let (stored_ref, topic, name, order, ip, created_at) = &rows[0];
        assert_eq!(stored_ref, &reference);
        assert_eq!((topic.as_str(), name.as_str()), ("siparis", "Ayşe Yılmaz"));
        assert_eq!(order.as_deref(), Some("LM-1042"));
        assert_eq!(ip, "203.0.113.50");
        assert!(
            created_at.starts_with("20") && created_at.ends_with('Z'),
            "{created_at}"
        );

        let html = page(&router, &location, StatusCode::OK).await;
        assert!(html.contains("Mesajınız alındı"));
        assert!(html.contains(&reference));
        // A made-up reference confirms nothing.
        page(
            &router,
            "/iletisim/gonderildi?ref=ILT-00000000",
            StatusCode::NOT_FOUND,
        )
        .await;
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problems_are_shown_next_to_their_fields_and_what_was_typed_is_kept() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let form = [
            ("konu", ""),
            ("ad", "<script>alert(1)</script>"),
            ("eposta", "ayse@"),
            ("siparis", ""),
            ("mesaj", "<b>x&y"),
        ];
        let response = post_form(&router, "/iletisim", &form, "203.0.113.51", None, &[]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        for message in [
            "Lütfen bir konu seçin.",
            "Lütfen geçerli bir e-posta adresi yazın",
            "Mesajınız en az 10 karakter olmalı.",
        ] {
            assert!(html.contains(message), "{message}");
        }
        // Typed text comes back, escaped, never as markup.
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains(r#"value="ayse@""#));
        assert!(
            html.contains("&lt;b&gt;x&amp;y</textarea>"),
            "kept, escaped"
        );
        // A message cannot end its own text area and inject markup.
        let breakout = [
            ("konu", "soru"),
            ("ad", "Ayşe"),
            ("eposta", "a@b"),
            ("mesaj", "</textarea><i>ok"),
        ];
        let html =
            body_text(post_form(&router, "/iletisim", &breakout, "203.0.113.51", None, &[]).await)
                .await;
        assert!(html.contains("&lt;/textarea&gt;&lt;i&gt;ok</textarea>"));
        assert!(!html.contains("<i>ok"));
        // The problem is beside its field and tied to it for screen readers.
        let email = "#iletisim-eposta";
        assert_eq!(attributes(&html, email, "aria-invalid"), ["true"]);
        assert_eq!(
            attributes(&html, email, "aria-describedby"),
            ["eposta-hata"]
        );
        assert!(texts(&html, "#eposta-hata")[0].starts_with("Lütfen geçerli bir e-posta"));
        assert!(attributes(&html, "#iletisim-ad", "aria-invalid").is_empty());
        assert!(stored(&test.db).await.is_empty(), "{}", test.label);

        // In English under /en.
        let response = post_form(&router, "/en/contact", &form, "203.0.113.51", None, &[]).await;
        let html = body_text(response).await;
        assert!(html.contains("Please choose a subject."));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_messages_from_one_ip_are_refused_plainly() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let form = good_contact_form();
        let send = || post_form(&router, "/iletisim", &form, "198.51.100.20", None, &[]);
        for _ in 0..PER_IP_LIMIT.max_hits {
            assert_eq!(send().await.status(), StatusCode::SEE_OTHER);
        }
        let response = send().await;
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            test.label
        );
        let retry_after: i64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&retry_after), "{retry_after}");
        let html = body_text(response).await;
        assert!(html.contains("Lütfen bir saat sonra tekrar deneyin"));
        assert!(
            html.contains("Siparişim ne zaman kargoya verilir?"),
            "what was typed is kept"
        );
        // Another visitor is not held back.
        let response = post_form(
            &router,
            "/iletisim",
            &good_contact_form(),
            "198.51.100.21",
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            stored(&test.db).await.len() as i64,
            PER_IP_LIMIT.max_hits + 1
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_limit_holds_when_fifty_messages_arrive_at_once() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let form = good_contact_form();
        let posts = (0..50).map(|_| {
            let router = router.clone();
            let form = form.clone();
            tokio::spawn(async move {
                post_form(&router, "/iletisim", &form, "198.51.100.30", None, &[])
                    .await
                    .status()
            })
        });
        let mut accepted = 0;
        for post in posts.collect::<Vec<_>>() {
            match post.await.unwrap() {
                StatusCode::SEE_OTHER => accepted += 1,
                StatusCode::TOO_MANY_REQUESTS => {}
                other => panic!("{}: unexpected {other}", test.label),
            }
        }
        assert_eq!(accepted, PER_IP_LIMIT.max_hits, "{}", test.label);
        assert_eq!(
            stored(&test.db).await.len() as i64,
            PER_IP_LIMIT.max_hits,
            "{}",
            test.label
        );
        // An IPv6 sender cannot escape by changing the address inside its /64.
        let v6 = |n: u32| format!("2001:db8:7:7::{n:x}");
        for n in 0..PER_IP_LIMIT.max_hits as u32 {
            let status = post_form(&router, "/iletisim", &form, &v6(n + 1), None, &[])
                .await
                .status();
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
        let status = post_form(&router, "/iletisim", &form, &v6(999), None, &[])
            .await
            .status();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_pages_have_real_structure_and_the_configured_seller() {
    for test in fresh_databases().await {
        let seller = SellerIdentity {
            trade_name: "Örnek Moda Anonim Şirketi".into(),
            mersis: "9876543210000017".into(),
            address: "Test Sokak 5, Beşiktaş / İstanbul".into(),
            phone: "+90 212 555 00 00".into(),
            kep: "ornek@hs02.kep.tr".into(),
            email: "hello@lesminoria.com".into(),
            bank_name: "Test Bankası".into(),
            iban: "TR00 0000 0000 0000 0000 0000 00".into(),
        };
        let router = router_with(test.db.clone(), |state| state.seller = seller.clone());

        eprintln!("PEEK privacy");
        let privacy = page(&router, "/gizlilik-ve-cerez-politikasi", StatusCode::OK).await;
        assert!(
            privacy.matches("<h2").count() >= 8,
            "the notice's sections and the cookie table"
        );
        assert!(privacy.contains("<h2>Kredi Kartı Güvenliği"));
        assert_eq!(
            privacy.matches("<ol><li>").count() + privacy.matches("<ol type=\"a\"><li>").count(),
            2
        );
        for stored_name in ["lm_cerez", "lesminoria.sepet", "lesminoria.son-bakilanlar"] {
            assert!(
                privacy.contains(&format!("<code>{stored_name}</code>")),
                "{stored_name}"
            );
        }
        // The old "continuing means accepting" banner text is not part of the policy.
        assert!(!privacy.contains("Hizmetlerimizi kullanmaya devam etmeniz"));

        eprintln!("PEEK contact");
        let contact = page(&router, "/iletisim", StatusCode::OK).await;
        eprintln!("PEEK contact done");
        for value in [
            &seller.trade_name,
            &seller.mersis,
            &seller.address,
            &seller.phone,
            &seller.kep,
        ] {
            assert!(contact.contains(value.as_str()), "{value} on İletişim");
        }
        let home = page(&router, "/", StatusCode::OK).await;
        assert!(home.contains(&seller.kep), "the seller in the footer");
        assert!(home.contains("Çerez tercihleri"));

        let contract = page(&router, "/mesafeli-satis-sozlesmesi", StatusCode::OK).await;
        assert!(contract.contains(&seller.trade_name));
        assert!(
            contract.contains(r#"class="placeholder""#),
            "order fields wait for the checkout"
        );
        for path in [
            "/kvkk-aydinlatma-metni",
            "/on-bilgilendirme-formu",
            "/iade-ve-cayma",
            "/cerez-tercihleri",
            "/en/privacy-and-cookie-policy",
            "/en/pre-contractual-information",
            "/en/contact",
            "/en/cookie-preferences",
        ] {
            eprintln!("PEEK {path}");
            let html = page(&router, path, StatusCode::OK).await;
            assert!(html.contains("<h1>"), "{path}");
        }
        let english = page(&router, "/en/returns-and-withdrawal", StatusCode::OK).await;
        assert!(english.contains("the Turkish text governs"));
        test.finish().await;
    }
}
