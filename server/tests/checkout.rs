//! Checkout through HTTP on a real database (SQLite, and PostgreSQL when configured): a guest
//! goes from the cart to a paid order with the sandbox provider; a declined card keeps the
//! checkout; havale/EFT and kapıda ödeme orders wait for staff; stock is never oversold, an
//! attempt never doubles, a payment result never settles twice; an ended reservation gives its
//! goods back; order pages open only with their signed link; no card number is ever stored.

mod support;

/// Staff acting from the back office.
fn staff() -> app::backend::staff::audit::Actor {
    app::backend::staff::audit::Actor::shop("test")
}

use std::sync::Arc;

use app::backend::orders;
use app::backend::testing::fresh_databases;
use axum::http::{header, StatusCode};
use support::html::{attributes, texts};
use support::shopper::{
    location, number_in, order_row, path_of, pay_on_test_page, stock_of, variant_with_stock,
    Shopper, DETAILS,
};
use support::{body_text, get_with_cookie, router_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_pays_by_card_and_a_first_order_waits_for_staff() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 5).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.10", &format!("1|{variant}x2")).await;

        // The first step, with problems: each beside its field, everything typed kept.
        let (status, html) = shopper.get("/odeme").await;
        assert_eq!(status, StatusCode::OK, "{}", test.label);
        assert_eq!(
            attributes(&html, ".checkout__step input[name=adim]", "value"),
            ["bilgiler"]
        );
        let mut bad: Vec<(&str, &str)> = DETAILS.to_vec();
        bad[1] = ("eposta", "ayse@");
        bad[6] = ("ilce", "Çankaya");
        let response = shopper.post("/odeme", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert_eq!(texts(&html, ".field__error").len(), 2, "{html}");
        assert_eq!(attributes(&html, "input[name=eposta]", "value"), ["ayse@"]);
        assert_eq!(attributes(&html, "input[name=ad]", "value"), ["Ayşe"]);

        let documents = shopper.up_to_review("kart").await;
        // Going back shows what was accepted.
        let (_, html) = shopper.get("/odeme?adim=bilgiler").await;
        assert_eq!(
            attributes(&html, "input[name=telefon]", "value"),
            ["+905321234567"]
        );
        // The review shows the documents filled in from this order.
        let (_, html) = shopper.get("/odeme?adim=onay").await;
        let documents_text = texts(&html, "[data-document]").join(" ");
        assert!(documents_text.contains("Ayşe Yılmaz"), "{documents_text}");
        assert!(documents_text.contains("Kadıköy / İstanbul"));
        assert!(texts(&html, "button[type=submit]").contains(&"Siparişi onayla ve öde".to_string()));

        // Not ticking the box places nothing.
        let response = shopper
            .post("/odeme", &[("adim", "onay"), ("belgeler", &documents)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(stock_of(&db, variant).await, 5);

        let response = shopper.confirm(&documents).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let payment_page = location(&response);
        assert!(
            payment_page.starts_with("https://www.lesminoria.com/test-odeme/"),
            "{payment_page}"
        );
        assert_eq!(
            stock_of(&db, variant).await,
            3,
            "reserved when the payment starts"
        );

        let result = pay_on_test_page(&shopper, &payment_page, "5528 7900 0000 0008").await;
        assert!(result.starts_with("/odeme/sonuc?token="), "{result}");
        let response = get_with_cookie(&router, &result, "").await;
        let order_address = location(&response);
        let number = number_in(&order_address);
        assert!(
            app::model::order_number::parse(&number).is_some(),
            "{number}"
        );
        let (status, payment_status, hold, stock_held) = order_row(&db, &number).await;
        assert_eq!(
            (status.as_str(), payment_status.as_str()),
            ("on_hold", "paid")
        );
        assert_eq!(hold.as_deref(), Some("first_order"));
        assert_eq!(stock_held, 1);
        assert_eq!(stock_of(&db, variant).await, 3);

        let (status, html) = shopper.get(&order_address).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Onay bekliyor"), "{html}");
        assert!(html.contains("İlk siparişiniz"));

        // The browser's return again (a reload): nothing changes twice.
        let events_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_events")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let again = get_with_cookie(&router, &result, "").await;
        assert_eq!(number_in(&location(&again)), number);
        let events_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_events")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(events_before, events_after);

        // The documents stored are the ones shown, with their SHA-256.
        let stored: Vec<(String, String)> = sqlx::query_as(
            "SELECT html, sha256 FROM order_documents d JOIN orders o ON o.id = d.order_id \
             WHERE o.number = $1 ORDER BY kind",
        )
        .bind(&number)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(stored.len(), 2);
        for (html, sha) in &stored {
            assert_eq!(&app::backend::checkout::documents::sha256(html), sha);
        }
        assert_eq!(
            // By kind: mesafeli_satis, then on_bilgilendirme.
            app::backend::checkout::documents::sha256_of(&stored[1].0, &stored[0].0),
            documents
        );

        // Staff release it (the back office's button), and a later order of the same customer
        // is not held as a first order.
        assert!(orders::release_staff_hold(
            &db,
            &app::backend::invoices::BuiltInInvoices,
            &number,
            "verified by phone",
            &staff()
        )
        .await
        .unwrap());
        assert_eq!(order_row(&db, &number).await.0, "confirmed");

        // Confirmed, the order has its invoice, linked from the order with the same link.
        let (_, html) = shopper.get(&order_address).await;
        let invoice_link = attributes(&html, "a[href^='/fatura/']", "href");
        assert_eq!(invoice_link.len(), 1, "{html}");
        let (status, invoice) = shopper.get(&invoice_link[0]).await;
        assert_eq!(status, StatusCode::OK);
        let year = &number[3..7];
        assert!(
            invoice.contains(&format!("Fatura LMA{year}000000001")),
            "{invoice}"
        );
        let total = texts(&invoice, ".totals__grand dd");
        let order_total = texts(&html, "[data-total=total]");
        assert_eq!(total, order_total);
        assert!(invoice.contains("Hesaplanan KDV %"), "KDV per rate");
        let (status, _) = shopper.get(&format!("/fatura/{number}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "no invoice without the link");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_keeps_the_checkout_and_another_card_pays_the_same_order() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 2).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.11", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        let result = pay_on_test_page(&shopper, &payment_page, "4111111111111129").await;
        let response = get_with_cookie(&router, &result, "").await;
        assert_eq!(location(&response), "/odeme?adim=onay", "{}", test.label);
        let (_, html) = shopper.get("/odeme?adim=onay").await;
        assert!(html.contains("Ödemeniz alınamadı"), "{html}");
        assert!(html.contains("10051"));
        assert_eq!(
            stock_of(&db, variant).await,
            1,
            "still held for the shopper"
        );

        // Confirming again resumes the same order with a new payment page.
        let second_page = location(&shopper.confirm(&documents).await);
        assert_ne!(second_page, payment_page);
        let result = pay_on_test_page(&shopper, &second_page, "5890040000000016").await;
        let number = number_in(&location(&get_with_cookie(&router, &result, "").await));
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(orders, 1);
        assert_eq!(order_row(&db, &number).await.1, "paid");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_and_cash_on_delivery_orders_wait_for_staff_with_their_reason() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 4).await;
        let router = router_for(db.clone());
        for (payment, reason, words) in [
            (
                "havale",
                "bank_transfer",
                "TR33 0006 1005 1978 6457 8413 26",
            ),
            ("kapida", "cash_on_delivery", "kuryeye"),
        ] {
            let shopper = Shopper::start(&router, "203.0.113.12", &format!("1|{variant}x1")).await;
            let documents = shopper.up_to_review(payment).await;
            let response = shopper.confirm(&documents).await;
            let address = location(&response);
            let number = number_in(&address);
            let (status, payment_status, hold, _) = order_row(&db, &number).await;
            assert_eq!(status, "on_hold", "{}", test.label);
            assert_eq!(hold.as_deref(), Some(reason));
            assert_ne!(payment_status, "paid");
            let (code, html) = shopper.get(&address).await;
            assert_eq!(code, StatusCode::OK);
            assert!(
                html.contains("Onay bekliyor") && html.contains(words),
                "{html}"
            );
            // The first view tells the cart store its cart became this order; a reload of the
            // same address later (a new cart since) does not empty the cart again.
            assert!(address.contains("yeni=1"), "{address}");
            assert_eq!(
                attributes(&html, "[data-siparis-verildi]", "class").len(),
                1
            );
            let (code, again) = shopper.get(&address).await;
            assert_eq!(code, StatusCode::OK);
            assert!(again.contains("Onay bekliyor"));
            assert!(
                attributes(&again, "[data-siparis-verildi]", "class").is_empty(),
                "{}",
                test.label
            );
        }
        assert_eq!(stock_of(&db, variant).await, 2);

        // A havale order is released only once its transfer was recorded.
        let number: String =
            sqlx::query_scalar("SELECT number FROM orders WHERE payment_method = 'havale'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let invoices = app::backend::invoices::BuiltInInvoices;
        assert!(
            !orders::release_staff_hold(&db, &invoices, &number, "too early", &staff())
                .await
                .unwrap()
        );
        assert!(orders::record_transfer_received(&db, &number, &staff())
            .await
            .unwrap());
        assert!(
            !orders::record_transfer_received(&db, &number, &staff())
                .await
                .unwrap(),
            "once"
        );
        assert!(
            orders::release_staff_hold(&db, &invoices, &number, "transfer seen", &staff())
                .await
                .unwrap()
        );
        assert_eq!(order_row(&db, &number).await.1, "paid");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_shoppers_for_the_last_pieces_get_exactly_that_many_orders() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 3).await;
        let router = router_for(db.clone());
        let mut shoppers = Vec::new();
        for i in 0..12 {
            let shopper = Shopper::start(
                &router,
                &format!("198.51.100.{i}"),
                &format!("1|{variant}x1"),
            )
            .await;
            let documents = shopper.up_to_review("havale").await;
            shoppers.push((shopper, documents));
        }
        let tasks: Vec<_> = shoppers
            .into_iter()
            .map(|(shopper, documents)| {
                tokio::spawn(async move { shopper.confirm(&documents).await.status() })
            })
            .collect();
        let mut placed = 0;
        let mut sold_out = 0;
        for task in tasks {
            match task.await.unwrap() {
                StatusCode::SEE_OTHER => placed += 1,
                StatusCode::CONFLICT => sold_out += 1,
                other => panic!("{other} ({})", test.label),
            }
        }
        assert_eq!((placed, sold_out), (3, 9), "{}", test.label);
        assert_eq!(stock_of(&db, variant).await, 0);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clicks_of_one_confirmation_place_one_order() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 5).await;
        let router = router_for(db.clone());
        let shopper =
            Arc::new(Shopper::start(&router, "203.0.113.13", &format!("1|{variant}x1")).await);
        let documents = shopper.up_to_review("kapida").await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (shopper, documents) = (shopper.clone(), documents.clone());
                tokio::spawn(async move { location(&shopper.confirm(&documents).await) })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(number_in(&task.await.unwrap()));
        }
        numbers.dedup();
        assert_eq!(numbers.len(), 1, "{}: {numbers:?}", test.label);
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(orders, 1);
        assert_eq!(stock_of(&db, variant).await, 4);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_payment_result_settles_once_however_often_it_arrives() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 5).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.14", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (router, result) = (router.clone(), result.clone());
                tokio::spawn(async move { get_with_cookie(&router, &result, "").await.status() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), StatusCode::SEE_OTHER, "{}", test.label);
        }
        let paid_events: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM order_events WHERE note = 'paid by card'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(paid_events, 1);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ended_reservation_gives_the_goods_back_and_a_late_payment_takes_them_again() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 1).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.15", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        assert_eq!(stock_of(&db, variant).await, 0);

        // Nothing is due yet; after the reservation's end, the job gives the piece back.
        let now = app::backend::time::now_seconds();
        assert_eq!(orders::release_expired(&db, now).await.unwrap(), 0);
        assert_eq!(
            orders::release_expired(&db, now + 3600).await.unwrap(),
            1,
            "{}",
            test.label
        );
        assert_eq!(stock_of(&db, variant).await, 1);
        let number: String = sqlx::query_scalar("SELECT number FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(order_row(&db, &number).await.0, "cancelled");
        assert_eq!(
            orders::release_expired(&db, now + 3600).await.unwrap(),
            0,
            "once"
        );

        // The card page was still open and the payment went through: the piece is still
        // there, so the order takes it again and is paid.
        let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        get_with_cookie(&router, &result, "").await;
        let (status, payment_status, _, stock_held) = order_row(&db, &number).await;
        assert_eq!(
            (status.as_str(), payment_status.as_str(), stock_held),
            ("on_hold", "paid", 1)
        );
        assert_eq!(stock_of(&db, variant).await, 0);
        test.finish().await;
    }
}

/// The shopper paid and closed the tab; the webhook never came. Before the reservation's end
/// gives the goods back, the shop asks the provider, finds the payment and keeps the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_nobody_reported_is_found_before_its_goods_are_released() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 1).await;
        let mut state = app::backend::AppState::new(
            leptos::config::get_configuration(None)
                .unwrap()
                .leptos_options,
            db.clone(),
        );
        state.configure_payments("https://www.lesminoria.com".into(), false);
        let router = server::router::build(state.clone());
        let shopper = Shopper::start(&router, "203.0.113.16", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        // Paid on the provider's page; the browser never comes back.
        pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        let number: String = sqlx::query_scalar("SELECT number FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(order_row(&db, &number).await.1, "pending", "{}", test.label);

        let later = app::backend::time::now_seconds() + 3600;
        let ask_provider = || {
            orders::settle_unanswered_payments(
                &db,
                state.payments.as_ref(),
                state.invoices.as_ref(),
                later,
            )
        };
        assert_eq!(ask_provider().await.unwrap(), 1, "{}", test.label);
        assert_eq!(orders::release_expired(&db, later).await.unwrap(), 0);
        let (status, payment_status, _, stock_held) = order_row(&db, &number).await;
        assert_eq!(
            (status.as_str(), payment_status.as_str(), stock_held),
            ("on_hold", "paid", 1),
            "{}",
            test.label
        );
        assert_eq!(stock_of(&db, variant).await, 0);
        // Asked once: the next pass finds nothing unanswered.
        assert_eq!(ask_provider().await.unwrap(), 0);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_opens_only_with_its_signed_link() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 2).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.16", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("havale").await;
        let address = location(&shopper.confirm(&documents).await);
        let number = number_in(&address);
        let (status, _) = shopper.get(&address).await;
        assert_eq!(status, StatusCode::OK, "{}", test.label);
        let response = get_with_cookie(&router, &address, "").await;
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        for guess in [
            format!("/siparis/{number}"),
            format!("/siparis/{number}?erisim=AAAA"),
            address.replace(&number, "LM-2026-999999"),
        ] {
            let (status, _) = shopper.get(&guess).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{guess}");
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_card_number_reaches_the_database() {
    let test = app::backend::testing::fresh_sqlite().await;
    let db = test.db.clone();
    let variant = variant_with_stock(&db, 5).await;
    let router = router_for(db.clone());
    // A Luhn-valid canary no test card uses (a decline as an unknown card), then a real test card.
    for card in ["4000 1234 5678 9010", "4000990000000004"] {
        let shopper = Shopper::start(&router, "203.0.113.17", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = path_of(&location(&shopper.confirm(&documents).await));
        let response = shopper
            .post(
                &payment_page,
                &[
                    ("kart", card),
                    ("ay", "12"),
                    ("yil", "30"),
                    ("cvc", "987"),
                    ("taksit", "3"),
                ],
            )
            .await;
        let html = body_text(response).await;
        assert!(!html.contains(card) && !html.contains(&card.replace(' ', "")));
    }
    let path = db.sqlite_path().unwrap().to_path_buf();
    db.close().await;
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
        bytes.extend(wal);
    }
    for canary in ["4000123456789010", "4000990000000004"] {
        assert!(
            !bytes
                .windows(canary.len())
                .any(|window| window == canary.as_bytes()),
            "{canary} is in the database file"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_payment_page_does_not_exist_in_production() {
    let test = app::backend::testing::fresh_sqlite().await;
    let db = test.db.clone();
    let variant = variant_with_stock(&db, 5).await;
    let router = support::router_with(db.clone(), |state| {
        state.configure_payments("https://www.lesminoria.com".into(), true)
    });
    let shopper = Shopper::start(&router, "203.0.113.18", &format!("1|{variant}x1")).await;
    let documents = shopper.up_to_review("kart").await;
    let response = shopper.confirm(&documents).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let token: Option<String> = sqlx::query_scalar("SELECT token FROM sandbox_payments LIMIT 1")
        .fetch_optional(db.pool())
        .await
        .unwrap();
    assert_eq!(token, None);
    let (status, _) = shopper
        .get("/test-odeme/0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_and_the_browser_settle_one_payment_once_and_forgeries_are_refused() {
    use axum::body::Body;
    use tower::ServiceExt;
    const SECRET: &str = "sandbox-webhook-test-secret";
    // The sandbox reads its secret from here, as the load scripts set it.
    std::env::set_var("LESMINORIA_SANDBOX_SECRET", SECRET);
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 5).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.19", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        let token = result.rsplit('=').next().unwrap().to_string();
        let number: String = sqlx::query_scalar("SELECT number FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let payment_id: String =
            sqlx::query_scalar("SELECT payment_id FROM sandbox_payments WHERE token = $1")
                .bind(&token)
                .fetch_one(db.pool())
                .await
                .unwrap();
        let webhook = |signature: String| {
            let body = serde_json::json!({
                "paymentConversationId": number,
                "merchantId": 1,
                "token": token,
                "status": "SUCCESS",
                "iyziReferenceCode": "ref",
                "iyziEventType": "CHECKOUT_FORM_AUTH",
                "iyziEventTime": 1,
                "iyziPaymentId": payment_id,
            });
            // A server-to-server call: no Origin, no cookie.
            axum::http::Request::post("/odeme/bildirim")
                .header("content-type", "application/json")
                .header("x-iyz-signature-v3", signature)
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let signature = app::backend::payment::signature::iyzico_webhook_signature(
            SECRET,
            "CHECKOUT_FORM_AUTH",
            &payment_id,
            &token,
            &number,
            "SUCCESS",
        );
        let forged = router
            .clone()
            .oneshot(webhook("00".repeat(32)))
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::BAD_REQUEST, "{}", test.label);
        assert_eq!(order_row(&db, &number).await.1, "pending");

        // Ten webhooks and ten browser returns at once.
        let mut tasks = Vec::new();
        for n in 0..20 {
            let (router, request, result) =
                (router.clone(), webhook(signature.clone()), result.clone());
            tasks.push(tokio::spawn(async move {
                if n % 2 == 0 {
                    router.oneshot(request).await.unwrap().status()
                } else {
                    get_with_cookie(&router, &result, "").await.status()
                }
            }));
        }
        for task in tasks {
            let status = task.await.unwrap();
            assert!(
                status == StatusCode::OK || status == StatusCode::SEE_OTHER,
                "{status}"
            );
        }
        let paid_events: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM order_events WHERE note = 'paid by card'")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(paid_events, 1);
        // Nothing was taken for a second payment and given back: the one payment stands.
        let outcomes: Vec<String> = sqlx::query_scalar("SELECT outcome FROM payment_attempts")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(outcomes, ["success"]);
        let at_provider: String = sqlx::query_scalar("SELECT status FROM sandbox_payments")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(at_provider, "success");
        let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_emails")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(mails, 1, "one confirmation e-mail");
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_english_checkout_speaks_english_and_keeps_its_addresses() {
    let test = app::backend::testing::fresh_sqlite().await;
    let db = test.db.clone();
    let variant = variant_with_stock(&db, 5).await;
    let router = router_for(db.clone());
    let response = support::post_form(
        &router,
        "/en/checkout/start",
        &[("sepet", &format!("1|{variant}x1"))],
        "203.0.113.20",
        None,
        &[],
    )
    .await;
    assert_eq!(location(&response), "/en/checkout");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut bad: Vec<(&str, &str)> = DETAILS.to_vec();
    bad[2] = ("telefon", "0212 123 45 67");
    let response = support::post_form(
        &router,
        "/en/checkout",
        &bad,
        "203.0.113.20",
        Some(&cookie),
        &[],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body_text(response).await;
    assert!(html.contains("Enter a Turkish mobile number"), "{html}");
    assert!(html.contains("Please correct the marked fields"));
    let response = support::post_form(
        &router,
        "/en/checkout",
        DETAILS,
        "203.0.113.20",
        Some(&cookie),
        &[],
    )
    .await;
    assert_eq!(location(&response), "/en/checkout?adim=odeme-yontemi");
    let response = get_with_cookie(&router, "/en/checkout?adim=odeme-yontemi", &cookie).await;
    let html = body_text(response).await;
    assert!(
        html.contains("Cash on delivery") && html.contains("Instalment options"),
        "{html}"
    );
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_payment_for_goods_partly_sold_takes_nothing_and_is_given_back() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let first = variant_with_stock(&db, 3).await;
        let second: i64 =
            sqlx::query_scalar("SELECT id FROM variants WHERE id > $1 ORDER BY id LIMIT 1")
                .bind(first)
                .fetch_one(db.pool())
                .await
                .unwrap();
        support::shopper::set_stock(&db, second, 1).await;
        let router = router_for(db.clone());
        let shopper =
            Shopper::start(&router, "203.0.113.21", &format!("1|{first}x1,{second}x1")).await;
        let documents = shopper.up_to_review("kart").await;
        let payment_page = location(&shopper.confirm(&documents).await);
        assert_eq!(
            (stock_of(&db, first).await, stock_of(&db, second).await),
            (2, 0)
        );
        let now = app::backend::time::now_seconds();
        orders::release_expired(&db, now + 3600).await.unwrap();
        assert_eq!(
            (stock_of(&db, first).await, stock_of(&db, second).await),
            (3, 1)
        );
        // The second piece sells to someone else meanwhile.
        support::shopper::set_stock(&db, second, 0).await;

        let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        let response = get_with_cookie(&router, &result, "").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", test.label);
        let number: String = sqlx::query_scalar("SELECT number FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let (status, _, _, stock_held) = order_row(&db, &number).await;
        assert_eq!((status.as_str(), stock_held), ("cancelled", 0));
        assert_eq!(
            stock_of(&db, first).await,
            3,
            "the first line's piece was not kept"
        );
        let outcome: String = sqlx::query_scalar("SELECT outcome FROM payment_attempts")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(outcome, "given_back");
        let cancelled: String = sqlx::query_scalar("SELECT status FROM sandbox_payments")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(
            cancelled, "failure",
            "the payment was cancelled at the provider"
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_order_cannot_be_held_forever_nor_orders_placed_without_end() {
    let test = app::backend::testing::fresh_sqlite().await;
    let db = test.db.clone();
    let variant = variant_with_stock(&db, 500).await;
    let router = router_for(db.clone());

    // Each new payment page extends the reservation, so an order starts at most five.
    let shopper = Shopper::start(&router, "203.0.113.40", &format!("1|{variant}x1")).await;
    let documents = shopper.up_to_review("kart").await;
    for attempt in 1..=app::backend::orders::MAX_PAYMENT_ATTEMPTS {
        let response = shopper.confirm(&documents).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "attempt {attempt}"
        );
    }
    let response = shopper.confirm(&documents).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(body_text(response)
        .await
        .contains("çok sayıda ödeme denendi"));

    // One address places at most PLACE_LIMIT orders an hour; the next is told to wait and
    // keeps its checkout.
    let limit = app::backend::checkout::PLACE_LIMIT.max_hits;
    for n in 1..=limit {
        let shopper = Shopper::start(&router, "203.0.113.41", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("kapida").await;
        assert_eq!(
            shopper.confirm(&documents).await.status(),
            StatusCode::SEE_OTHER,
            "order {n}"
        );
    }
    let orders_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let shopper = Shopper::start(&router, "203.0.113.41", &format!("1|{variant}x1")).await;
    let documents = shopper.up_to_review("kapida").await;
    let response = shopper.confirm(&documents).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    let orders_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(orders_after, orders_before, "nothing placed");
    test.finish().await;
}

/// What the checkout island works from: on the methods step, the server's totals for every
/// choice the step offers (the island shows them as the shopper picks, computing no money), the
/// same figures the review then shows; and the districts of a province, for its suggestions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_island_shows_the_server_s_own_totals_and_districts() {
    let test = app::backend::testing::fresh_sqlite().await;
    let db = test.db.clone();
    let variant = variant_with_stock(&db, 5).await;
    let router = router_for(db.clone());
    let shopper = Shopper::start(&router, "203.0.113.40", &format!("1|{variant}x1")).await;
    let response = shopper.post("/odeme", DETAILS).await;
    assert_eq!(location(&response), "/odeme?adim=odeme-yontemi");
    let (_, html) = shopper.get("/odeme?adim=odeme-yontemi").await;
    let key = "data-toplam-secimi";
    let choices = attributes(&html, &format!("template[{key}]"), key);
    assert_eq!(
        choices,
        [
            "standart:",
            "standart:kart",
            "standart:havale",
            "standart:kapida",
            "hizli:",
            "hizli:kart",
            "hizli:havale",
            "hizli:kapida",
        ]
    );
    // A template's content is not part of the document (nor of what an HTML parser selects
    // in): read it as the browser's `template.innerHTML` gives it to the island.
    let total_of = |html: &str, choice: &str| {
        let open = format!("<template {key}=\"{choice}\">");
        let start = html
            .find(&open)
            .map(|at| at + open.len())
            .unwrap_or(html.len());
        let end = html[start..]
            .find("</template>")
            .map_or(start, |at| start + at);
        texts(&html[start..end], "[data-total=total]")
    };
    let shown_while_choosing = total_of(&html, "hizli:kapida");
    assert_eq!(shown_while_choosing.len(), 1, "{html}");
    assert_ne!(shown_while_choosing, total_of(&html, "standart:kart"));

    let response = shopper
        .post(
            "/odeme",
            &[
                ("adim", "odeme-yontemi"),
                ("kargo", "hizli"),
                ("odeme", "kapida"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/odeme?adim=onay");
    let (_, review) = shopper.get("/odeme?adim=onay").await;
    assert_eq!(
        texts(&review, "[data-toplamlar] [data-total=total]"),
        shown_while_choosing,
        "the review asks for what the methods step showed"
    );
    assert!(
        attributes(&review, "template[data-toplam-secimi]", key).is_empty(),
        "only the methods step carries the choices"
    );

    let response = support::get(&router, "/odeme/ilceler?il=35").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let districts: Vec<String> = serde_json::from_str(&body_text(response).await).unwrap();
    assert!(
        districts.contains(&"Karşıyaka".to_string()),
        "{districts:?}"
    );
    assert!(!districts.contains(&"Kadıköy".to_string()));
    for unknown in [
        "/odeme/ilceler?il=99",
        "/odeme/ilceler",
        "/odeme/ilceler?il=%27",
    ] {
        let response = support::get(&router, unknown).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{unknown}");
    }
    test.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_again_after_a_change_cancels_the_unpaid_order_and_holds_the_goods_once() {
    for test in fresh_databases().await {
        let db = test.db.clone();
        let variant = variant_with_stock(&db, 5).await;
        let router = router_for(db.clone());
        let shopper = Shopper::start(&router, "203.0.113.30", &format!("1|{variant}x2")).await;
        let documents = shopper.up_to_review("kart").await;
        let first = shopper.confirm(&documents).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER, "{}", test.label);
        assert_eq!(stock_of(&db, variant).await, 3);

        // Back on the payment page's way: another delivery, confirmed again.
        let response = shopper
            .post(
                "/odeme",
                &[
                    ("adim", "odeme-yontemi"),
                    ("kargo", "hizli"),
                    ("odeme", "kart"),
                ],
            )
            .await;
        assert_eq!(location(&response), "/odeme?adim=onay");
        let (_, html) = shopper.get("/odeme?adim=onay").await;
        let changed = attributes(&html, "input[name=belgeler]", "value").remove(0);
        assert_ne!(changed, documents, "the documents name the new delivery");
        let second = shopper.confirm(&changed).await;
        assert_eq!(second.status(), StatusCode::SEE_OTHER);

        // The first order gave its goods back in the transaction that took the second's: the
        // two pieces are held once.
        let orders: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT status, cancel_reason FROM orders ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            orders,
            [
                (
                    "cancelled".to_string(),
                    Some("superseded by a later confirmation".to_string())
                ),
                ("awaiting_payment".to_string(), None)
            ]
        );
        assert_eq!(stock_of(&db, variant).await, 3);
    }
}
