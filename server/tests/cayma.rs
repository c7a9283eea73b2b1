//! Cayma hakkı through HTTP on a real database (SQLite, and PostgreSQL when configured): a
//! notice per line from the order's signed link, acknowledged by e-mail in the same
//! transaction; the refund to the card through the sandbox provider, by hand and by the job
//! before the legal due date; everything back with the last line; transfer refunds that need
//! an IBAN; the exempt goods; the 14 days after delivery; and nobody without the order's link.

mod support;

/// Staff acting from the back office.
fn staff() -> app::backend::staff::audit::Actor {
    app::backend::staff::audit::Actor::shop("test")
}

use app::backend::orders::cayma::{self, RefundOutcome};
use app::backend::testing::fresh_databases;
use app::backend::{time, AppState, Db};
use axum::http::StatusCode;
use axum::Router;
use leptos::config::get_configuration;
use support::html::{attributes, texts};
use support::shopper::{location, number_in, pay_on_test_page, variant_with_stock, Shopper};
use support::{body_text, get, post_form};

const IP: &str = "198.51.100.40";
const DAY: i64 = 86_400;

fn shop(db: Db) -> (Router, AppState) {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments("https://www.lesminoria.com".into(), false);
    (server::router::build(state.clone()), state)
}

/// Two variants for sale with stock, of two products: the dearest and the next.
async fn two_variants(db: &Db) -> (i64, i64) {
    let first = variant_with_stock(db, 20).await;
    let second: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.published = 1 AND p.id <> (SELECT product_id FROM variants WHERE id = $1) \
         ORDER BY v.price_kurus DESC, v.id LIMIT 1",
    )
    .bind(first)
    .fetch_one(db.pool())
    .await
    .unwrap();
    support::shopper::set_stock(db, second, 20).await;
    (first, second)
}

/// A guest's order of `items` paid with `payment` (card: paid on the test page); its page's
/// address with the signed link.
async fn order(router: &Router, ip: &str, items: &str, payment: &str) -> String {
    let shopper = Shopper::start(router, ip, items).await;
    let documents = shopper.up_to_review(payment).await;
    let response = shopper.confirm(&documents).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let next = location(&response);
    let address = if payment == "kart" {
        let result = pay_on_test_page(&shopper, &next, "5528790000000008").await;
        location(&get(router, &result).await)
    } else {
        next
    };
    // Without the "just placed" mark: the address as the e-mail gives it.
    address.split("&yeni=").next().unwrap().to_string()
}

fn token_of(address: &str) -> String {
    address
        .split("erisim=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string()
}

fn cayma_address(order_address: &str) -> String {
    format!(
        "/cayma/{}?erisim={}",
        number_in(order_address),
        token_of(order_address)
    )
}

/// The order's lines: (id, unit price in kuruş, quantity), in order.
async fn lines(db: &Db, number: &str) -> Vec<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT l.id, l.unit_price_kurus, l.quantity FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE o.number = $1 ORDER BY l.id",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

async fn requests(db: &Db) -> Vec<(i64, String, i64, String)> {
    sqlx::query_as(
        "SELECT id, reference, refund_kurus, refund_method FROM cayma_requests ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}

async fn refunded_at_provider(db: &Db) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(refunded_kurus), 0) AS BIGINT) FROM sandbox_payments",
    )
    .fetch_one(db.pool())
    .await
    .unwrap()
}

async fn post(router: &Router, path: &str, form: &[(&str, &str)]) -> axum::response::Response {
    post_form(router, path, form, IP, None, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_withdraws_line_by_line_and_gets_everything_back_on_the_card() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let (a, b) = two_variants(db).await;
        let address = order(&router, IP, &format!("1|{a}x2,{b}x1"), "kart").await;
        let number = number_in(&address);
        let lines = lines(db, &number).await;
        let (line_a, price_a, _) = lines[0];
        let line_b = lines[1].0;

        // The order page offers the form, with the rule for an order not delivered yet.
        let html = body_text(get(&router, &address).await).await;
        assert!(html.contains("Cayma hakkı"), "{html}");
        let form_link = cayma_address(&address);
        assert_eq!(
            attributes(&html, ".order__cayma a.button", "href"),
            std::slice::from_ref(&form_link)
        );
        let page = body_text(get(&router, &form_link).await).await;
        assert!(page.contains("henüz teslim edilmedi"), "{page}");
        assert_eq!(
            attributes(&page, "select", "name"),
            [format!("adet-{line_a}"), format!("adet-{line_b}")]
        );

        // Choosing nothing is refused beside the lines, and nothing is recorded.
        let response = post(
            &router,
            &form_link,
            &[(&format!("adet-{line_a}"), "0"), ("gerekce", "Beden")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = body_text(response).await;
        assert!(page.contains("en az bir ürünün"), "{page}");
        assert_eq!(attributes(&page, "textarea[name=gerekce]", "id").len(), 1);
        assert!(page.contains("Beden"), "what was typed is kept");
        assert!(requests(db).await.is_empty());

        // One of the two pieces of the first line.
        let response = post(
            &router,
            &form_link,
            &[
                (&format!("adet-{line_a}"), "1"),
                ("gerekce", "Beden olmadı"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let back = location(&response);
        assert_eq!(
            back,
            format!(
                "/siparis/{number}?erisim={}&durum=cayma",
                token_of(&address)
            )
        );
        let reference = format!("{number}-C1");
        let stored: Vec<_> = requests(db)
            .await
            .into_iter()
            .map(|(_, r, k, m)| (r, k, m))
            .collect();
        assert_eq!(stored, [(reference.clone(), price_a, "kart".to_string())]);
        let html = body_text(get(&router, &back).await).await;
        assert!(
            html.contains(&format!("Cayma talebiniz alındı: {reference}")),
            "{html}"
        );
        let status = texts(&html, ".cayma__status").join(" ");
        assert!(status.contains("kartınıza iade edilecek"), "{status}");

        // Acknowledged by e-mail in the same transaction, composed by the mail task.
        server::mail_task::pass(&state).await.unwrap();
        let (kind, subject, body): (String, String, String) = sqlx::query_as(
            "SELECT kind, subject, body_text FROM outbox_emails WHERE cayma_request_id IS NOT NULL",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(kind, "cayma_received");
        assert!(subject.contains(&reference), "{subject}");
        assert!(
            body.contains("× 1") && body.contains("gün içinde"),
            "{body}"
        );

        // Two more of the first line than are left: the form was out of date.
        let response = post(&router, &form_link, &[(&format!("adet-{line_a}"), "2")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(requests(db).await.len(), 1);

        // Refunded by staff (the back office calls the same function): once, at the provider.
        let first = requests_first_id(db).await;
        let outcome = cayma::refund_cayma(db, state.payments.as_ref(), first, &staff())
            .await
            .unwrap();
        assert_eq!(outcome, RefundOutcome::Refunded);
        assert_eq!(
            cayma::refund_cayma(db, state.payments.as_ref(), first, &staff())
                .await
                .unwrap(),
            RefundOutcome::NotForProvider
        );
        assert_eq!(refunded_at_provider(db).await, price_a);
        let html = body_text(get(&router, &address).await).await;
        assert!(
            texts(&html, ".cayma__status")
                .join(" ")
                .contains("iade edildi"),
            "{html}"
        );

        // The piece comes back: staff check it and it is on sale again, once (only goods that
        // left can come back).
        assert!(!cayma::record_goods_received(db, first, "erken", &staff())
            .await
            .unwrap());
        on_its_way(db, &state, &number).await;
        let stock = support::shopper::stock_of(db, a).await;
        assert!(
            cayma::record_goods_received(db, first, "ambalaj sağlam", &staff())
                .await
                .unwrap()
        );
        assert!(!cayma::record_goods_received(db, first, "tekrar", &staff())
            .await
            .unwrap());
        assert_eq!(support::shopper::stock_of(db, a).await, stock + 1);
        let html = body_text(get(&router, &address).await).await;
        assert!(
            texts(&html, ".cayma__goods")
                .join(" ")
                .contains("elimize ulaştı"),
            "{html}"
        );

        // The rest of the order: everything paid comes back, delivery included.
        let response = post(
            &router,
            &form_link,
            &[
                (&format!("adet-{line_a}"), "1"),
                (&format!("adet-{line_b}"), "1"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let paid: i64 = sqlx::query_scalar(
            "SELECT COALESCE(paid_kurus, total_kurus) FROM orders WHERE number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let all = requests(db).await;
        assert_eq!(all[1].2, paid - price_a);
        // Nobody refunds it by hand: the job does, before the 14 days are over, and not before
        // it must.
        let now = time::now_seconds();
        assert_eq!(
            cayma::refund_before_deadline(db, state.payments.as_ref(), now)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            cayma::refund_before_deadline(db, state.payments.as_ref(), now + 12 * DAY + 60)
                .await
                .unwrap(),
            1
        );
        assert_eq!(refunded_at_provider(db).await, paid);
        let payment_status: String =
            sqlx::query_scalar("SELECT payment_status FROM orders WHERE number = $1")
                .bind(&number)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(payment_status, "refunded");
        server::mail_task::pass(&state).await.unwrap();
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM outbox_emails WHERE cayma_request_id IS NOT NULL AND subject IS NOT NULL ORDER BY id",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(
            kinds,
            [
                "cayma_received",
                "cayma_refunded",
                "cayma_received",
                "cayma_refunded"
            ]
        );

        // Nothing is left to withdraw: the page says so and a post is refused.
        let page = body_text(get(&router, &form_link).await).await;
        assert!(
            page.contains("şu anda cayma talebi oluşturulamıyor"),
            "{page}"
        );
        let response = post(&router, &form_link, &[(&format!("adet-{line_b}"), "1")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(requests(db).await.len(), 2);
    }
}

/// Released by staff, prepared and handed to the carrier: ready to be delivered.
async fn on_its_way(db: &Db, state: &AppState, number: &str) {
    use app::backend::orders::{fulfil, release_staff_hold};
    assert!(
        release_staff_hold(db, state.invoices.as_ref(), number, "doğrulandı", &staff())
            .await
            .unwrap()
    );
    assert!(fulfil::mark_preparing(db, number, &staff()).await.unwrap());
    assert!(
        fulfil::mark_shipped(db, number, "Yurtiçi Kargo", "123456789", &staff())
            .await
            .unwrap()
    );
}

async fn requests_first_id(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT MIN(id) FROM cayma_requests")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_orders_link_opens_its_cayma_and_the_law_bounds_it() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let (a, b) = two_variants(db).await;
        // The second product is made to order: exempt from cayma once ordered.
        sqlx::query("UPDATE products SET cayma_exempt = 'kisiye_ozel' WHERE id = (SELECT product_id FROM variants WHERE id = $1)")
            .bind(b)
            .execute(db.pool())
            .await
            .unwrap();
        // Said on the product's page before it is bought (m.5/1-h).
        let slug: String = sqlx::query_scalar(
            "SELECT p.slug FROM products p JOIN variants v ON v.product_id = p.id WHERE v.id = $1",
        )
        .bind(b)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let product_page = body_text(get(&router, &format!("/urun/{slug}")).await).await;
        assert_eq!(
            texts(&product_page, ".product__cayma-exempt"),
            ["Kişiye özel hazırlandığı için cayma hakkı yok (Yönetmelik m.15/1-b)"]
        );
        let mine = order(&router, IP, &format!("1|{a}x1,{b}x1"), "kart").await;
        let theirs = order(&router, "198.51.100.41", &format!("1|{a}x1"), "kart").await;
        let number = number_in(&mine);
        let lines = lines(db, &number).await;
        let (line_a, line_b) = (lines[0].0, lines[1].0);
        let quantity_a = format!("adet-{line_a}");

        // Another order's link, a tampered one, none: the answer a missing order gets.
        for path in [
            format!("/cayma/{number}?erisim={}", token_of(&theirs)),
            format!("/cayma/{number}?erisim={}x", token_of(&mine)),
            format!("/cayma/{number}"),
        ] {
            assert_eq!(
                get(&router, &path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
            let response = post(&router, &path, &[(&quantity_a, "1")]).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        }
        assert!(requests(db).await.is_empty());

        // The exempt line says why and cannot be named.
        let form_link = cayma_address(&mine);
        let page = body_text(get(&router, &form_link).await).await;
        assert!(page.contains("Kişiye özel hazırlandığı için"), "{page}");
        assert_eq!(
            attributes(&page, "select", "name"),
            std::slice::from_ref(&quantity_a)
        );
        let response = post(&router, &form_link, &[(&format!("adet-{line_b}"), "1")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert!(body_text(response).await.contains("cayma hakkı bulunmuyor"));

        // Delivered 15 days ago: the 14 days after it are over.
        on_its_way(db, &state, &number).await;
        let delivered = time::now_seconds() - 15 * DAY;
        assert!(cayma::record_delivery(db, &number, delivered, &staff())
            .await
            .unwrap());
        assert!(
            !cayma::record_delivery(db, &number, delivered, &staff())
                .await
                .unwrap(),
            "once"
        );
        let page = body_text(get(&router, &form_link).await).await;
        assert!(
            page.contains("şu anda cayma talebi oluşturulamıyor"),
            "{page}"
        );
        let response = post(&router, &form_link, &[(&quantity_a, "1")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert!(body_text(response).await.contains("Cayma süresi doldu"));

        // Delivered three days ago (as recorded for the other order): open, with the date.
        let other = number_in(&theirs);
        on_its_way(db, &state, &other).await;
        let delivered = time::now_seconds() - 3 * DAY;
        assert!(cayma::record_delivery(db, &other, delivered, &staff())
            .await
            .unwrap());
        let page = body_text(get(&router, &cayma_address(&theirs)).await).await;
        let deadline = app::model::date::istanbul_date(app::model::cayma::deadline(delivered));
        assert!(
            page.contains(&format!("{deadline} tarihi sonuna kadar")),
            "{page}"
        );
        assert!(requests(db).await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_refund_needs_a_good_iban_and_waits_for_staff() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let (a, _) = two_variants(db).await;
        let address = order(&router, IP, &format!("1|{a}x1"), "havale").await;
        let number = number_in(&address);
        assert!(
            app::backend::orders::record_transfer_received(db, &number, &staff())
                .await
                .unwrap()
        );
        let line = lines(db, &number).await[0].0;
        let quantity = format!("adet-{line}");
        let form_link = cayma_address(&address);
        let page = body_text(get(&router, &form_link).await).await;
        assert_eq!(
            attributes(&page, "input[name=iban]", "name").len(),
            1,
            "{page}"
        );

        let response = post(&router, &form_link, &[(&quantity, "1")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_text(response)
            .await
            .contains("IBAN'ı ve hesap sahibini"));
        let response = post(
            &router,
            &form_link,
            &[
                (&quantity, "1"),
                ("iban", "TR33 0006 1005 1978 6457 8413 27"),
                ("hesap_sahibi", "Ayşe Yılmaz"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = body_text(response).await;
        assert!(page.contains("Geçerli bir TR IBAN"), "{page}");
        assert_eq!(
            attributes(&page, "input[name=hesap_sahibi]", "value"),
            ["Ayşe Yılmaz"],
            "what was typed is kept"
        );
        assert!(requests(db).await.is_empty());

        let response = post(
            &router,
            &form_link,
            &[
                (&quantity, "1"),
                ("iban", "tr33 0006 1005 1978 6457 8413 26"),
                ("hesap_sahibi", "Ayşe Yılmaz"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let stored: (String, Option<String>) =
            sqlx::query_as("SELECT refund_method, iban FROM cayma_requests")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            stored,
            (
                "havale".to_string(),
                Some("TR330006100519786457841326".to_string())
            )
        );
        // Staff send a transfer; the card job leaves it alone.
        let later = time::now_seconds() + 13 * DAY;
        assert_eq!(
            cayma::refund_before_deadline(db, state.payments.as_ref(), later)
                .await
                .unwrap(),
            0
        );
        let html = body_text(get(&router, &address).await).await;
        assert!(
            texts(&html, ".cayma__status")
                .join(" ")
                .contains("bildirdiğiniz hesaba gönderilecek"),
            "{html}"
        );

        // Staff record the transfer they sent: the shopper reads it and is told by e-mail.
        let id = requests_first_id(db).await;
        assert!(cayma::record_transfer_refund(db, id, &staff())
            .await
            .unwrap());
        assert!(
            !cayma::record_transfer_refund(db, id, &staff())
                .await
                .unwrap(),
            "once"
        );
        let html = body_text(get(&router, &address).await).await;
        assert!(
            texts(&html, ".cayma__status")
                .join(" ")
                .contains("bildirdiğiniz hesaba gönderildi"),
            "{html}"
        );
        let kinds: Vec<String> = sqlx::query_scalar(
            "SELECT kind FROM outbox_emails WHERE cayma_request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(kinds, ["cayma_received", "cayma_refunded"]);
    }
}

/// A staff form posted to order `number`'s back-office page.
async fn staff_post(
    router: &Router,
    number: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> axum::response::Response {
    post_form(
        router,
        &format!("/yonetim/siparis/{number}"),
        form,
        IP,
        Some(cookie),
        &[],
    )
    .await
}

/// (variant, order line id, unit price) of each line of order `number`, by line.
async fn line_variants(db: &Db, number: &str) -> Vec<(i64, i64, i64)> {
    sqlx::query_as(
        "SELECT l.variant_id, l.id, l.unit_price_kurus FROM order_lines l \
         JOIN orders o ON o.id = l.order_id WHERE o.number = $1 ORDER BY l.id",
    )
    .bind(number)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_cancel_some_pieces_refund_them_document_them_and_the_rest_stays_whole() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let (a, b) = two_variants(db).await;
        let address = order(&router, IP, &format!("1|{a}x2,{b}x1"), "kart").await;
        let number = number_in(&address);
        let lines = line_variants(db, &number).await;
        let (variant_a, line_a, price_a) = *lines.iter().find(|line| line.0 == a).unwrap();
        let (variant_b, line_b, _) = *lines.iter().find(|line| line.0 == b).unwrap();
        let other = number_in(&order(&router, "198.51.100.44", &format!("1|{a}x1"), "kart").await);
        let other_line = line_variants(db, &other).await[0].1;
        let (stock_a, stock_b) = (
            support::shopper::stock_of(db, variant_a).await,
            support::shopper::stock_of(db, variant_b).await,
        );
        let cookie = support::staff::staff_session(
            &router,
            db,
            "destek@lesminoria.com",
            app::model::staff::StaffRole::Destek,
            IP,
        )
        .await;
        // Released (the invoice is issued) and being prepared: pieces may still come off.
        for step in ["onayla", "hazirla"] {
            let response = staff_post(&router, &number, &cookie, &[("islem", step)]).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
        }
        let page = body_text(get_staff(&router, &number, &cookie).await).await;
        assert_eq!(
            attributes(&page, ".staff-cancel-lines select", "name"),
            [
                format!("iptal-adet-{line_a}"),
                format!("iptal-adet-{line_b}")
            ]
        );

        // Nothing chosen, more than is left, or another order's line: refused, nothing moves.
        for form in [
            vec![(format!("iptal-adet-{line_a}"), "0")],
            vec![(format!("iptal-adet-{line_b}"), "2")],
            vec![(format!("iptal-adet-{other_line}"), "1")],
        ] {
            let mut form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            form.extend([("islem", "iptal_kalem"), ("neden", "Hasarlı")]);
            let response = staff_post(&router, &number, &cookie, &form).await;
            assert_eq!(response.status(), StatusCode::CONFLICT, "{form:?}");
        }
        let field = format!("iptal-adet-{line_a}");
        let no_reason = staff_post(
            &router,
            &number,
            &cookie,
            &[("islem", "iptal_kalem"), (&field, "1"), ("neden", "")],
        )
        .await;
        assert_eq!(no_reason.status(), StatusCode::CONFLICT);
        assert_eq!(refunded_at_provider(db).await, 0);
        assert_eq!(support::shopper::stock_of(db, variant_a).await, stock_a);

        // One of the two pieces of the first line.
        let response = staff_post(
            &router,
            &number,
            &cookie,
            &[
                ("islem", "iptal_kalem"),
                (&field, "1"),
                ("neden", "Depoda hasarlı çıktı"),
            ],
        )
        .await;
        assert_eq!(
            location(&response),
            format!("/yonetim/siparis/{number}?durum=kalem-iptal")
        );
        assert_eq!(
            support::shopper::order_row(db, &number).await.0,
            "confirmed",
            "the rest of the order goes on"
        );
        assert_eq!(support::shopper::stock_of(db, variant_a).await, stock_a + 1);
        assert_eq!(support::shopper::stock_of(db, variant_b).await, stock_b);
        assert_eq!(
            refunded_at_provider(db).await,
            price_a,
            "one piece went back to the card"
        );
        let returns: Vec<String> =
            sqlx::query_scalar("SELECT number FROM invoice_returns ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(returns.len(), 1);
        assert!(returns[0].starts_with("LMI"), "{returns:?}");

        // The shopper sees what came off, why, and what the order comes to; the invoice its
        // return; and an e-mail says so.
        let html = body_text(get(&router, &address).await).await;
        assert_eq!(
            attributes(&html, "[data-cancelled]", "data-cancelled"),
            ["1"],
            "{html}"
        );
        let section = texts(&html, ".order__cancellations").join(" ");
        assert!(section.contains("Depoda hasarlı çıktı"), "{section}");
        let invoice_address = address.replacen("/siparis/", "/fatura/", 1);
        let invoice = body_text(get(&router, &invoice_address).await).await;
        assert_eq!(
            attributes(&invoice, "[data-invoice-return]", "data-invoice-return"),
            returns
        );
        let returned = texts(&invoice, "[data-total=return]");
        assert_eq!(returned.len(), 1);
        assert!(
            returned[0].contains(&app::model::Money(price_a).format(app::model::Locale::Tr)),
            "{returned:?}"
        );
        server::mail_task::pass(&state).await.unwrap();
        let mails: Vec<String> = sqlx::query_scalar(
            "SELECT m.body_text FROM outbox_emails m JOIN orders o ON o.id = m.order_id \
             WHERE o.number = $1 AND m.kind = 'order_update' ORDER BY m.id",
        )
        .bind(&number)
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert!(
            mails
                .last()
                .is_some_and(|mail| mail.contains("Depoda hasarlı çıktı")),
            "{mails:?}"
        );

        // A cayma may name only what is left of the line.
        let too_many = post(
            &router,
            &cayma_address(&address),
            &[(&format!("adet-{line_a}"), "2"), ("gerekce", "")],
        )
        .await;
        assert_ne!(too_many.status(), StatusCode::SEE_OTHER);
        assert!(requests(db).await.is_empty());
        // The piece left may be withdrawn; the invoice gets its return with the notice.
        let withdrawn = post(
            &router,
            &cayma_address(&address),
            &[(&format!("adet-{line_a}"), "1"), ("gerekce", "")],
        )
        .await;
        assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
        let cayma_refund = requests(db).await[0].2;
        assert_eq!(cayma_refund, price_a);
        let reasons: Vec<String> =
            sqlx::query_scalar("SELECT reason FROM invoice_returns ORDER BY id")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(
            reasons,
            [
                "Depoda hasarlı çıktı".to_string(),
                format!("cayma {number}-C1")
            ]
        );

        // Cancelling the rest gives back exactly the rest: everything paid is back, once.
        let response = staff_post(
            &router,
            &number,
            &cookie,
            &[("islem", "iptal"), ("neden", "Müşteri vazgeçti")],
        )
        .await;
        assert_eq!(
            location(&response),
            format!("/yonetim/siparis/{number}?durum=iptal")
        );
        // The cancellation gives back all but what the cayma owes, and the order is refunded
        // once that too went back.
        let (status, payment, _, _) = support::shopper::order_row(db, &number).await;
        assert_eq!((status.as_str(), payment.as_str()), ("cancelled", "paid"));
        let total = total_of(db, &number).await;
        assert_eq!(refunded_at_provider(db).await, total - cayma_refund);
        let request = requests(db).await[0].0;
        cayma::refund_cayma(db, state.payments.as_ref(), request, &staff())
            .await
            .unwrap();
        let (_, payment, _, _) = support::shopper::order_row(db, &number).await;
        assert_eq!(payment, "refunded");
        let paid: i64 = sqlx::query_scalar(
            "SELECT s.paid_kurus FROM sandbox_payments s JOIN orders o \
             ON o.provider_payment_id = s.payment_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(paid, total);
        assert_eq!(refunded_at_provider(db).await, paid);
        // The withdrawn piece was never sent: the cancel puts it back on sale with the rest.
        assert_eq!(support::shopper::stock_of(db, variant_a).await, stock_a + 2);
        assert_eq!(support::shopper::stock_of(db, variant_b).await, stock_b + 1);
        let return_total: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(l.amount_kurus) AS BIGINT) FROM invoice_return_lines l \
             JOIN invoice_returns r ON r.id = l.return_id JOIN orders o ON o.id = r.order_id \
             WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            return_total, total,
            "the returns take back the whole invoice"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_piece_cancelled_from_a_kapida_order_is_not_collected_at_the_door() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _state) = shop(db.clone());
        // Two of the cheapest products: kapıda ödeme has a ceiling.
        app::backend::demo::seed_if_empty(db).await.unwrap();
        let cheapest: Vec<i64> = sqlx::query_scalar(
            "SELECT MIN(v.id) FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.published = 1 GROUP BY p.id ORDER BY MIN(v.price_kurus), p.id LIMIT 2",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        let (a, b) = (cheapest[0], cheapest[1]);
        for variant in [a, b] {
            support::shopper::set_stock(db, variant, 20).await;
        }
        let address = order(&router, IP, &format!("1|{a}x1,{b}x1"), "kapida").await;
        let number = number_in(&address);
        let lines = line_variants(db, &number).await;
        let (_, line_b, price_b) = *lines.iter().find(|line| line.0 == b).unwrap();
        let cookie = support::staff::staff_session(
            &router,
            db,
            "destek@lesminoria.com",
            app::model::staff::StaffRole::Destek,
            IP,
        )
        .await;
        let field = format!("iptal-adet-{line_b}");
        let response = staff_post(
            &router,
            &number,
            &cookie,
            &[
                ("islem", "iptal_kalem"),
                (&field, "1"),
                ("neden", "Tükendi"),
            ],
        )
        .await;
        assert_eq!(
            location(&response),
            format!("/yonetim/siparis/{number}?durum=kalem-iptal")
        );
        let refunds: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_refunds")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(refunds, 0, "nothing was paid, nothing is owed back");
        // Before the invoice: it never lists the piece.
        let total = total_of(db, &number).await;
        for step in [
            vec![("islem", "onayla")],
            vec![("islem", "hazirla")],
            vec![
                ("islem", "kargola"),
                ("kargo", "Aras Kargo"),
                ("takip", "AR9"),
            ],
            vec![("islem", "teslim")],
        ] {
            let response = staff_post(&router, &number, &cookie, &step).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{step:?}");
        }
        let paid: Option<i64> =
            sqlx::query_scalar("SELECT paid_kurus FROM orders WHERE number = $1")
                .bind(&number)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(
            paid,
            Some(total - price_b),
            "the courier collected the rest"
        );
        let invoice_address = address.replacen("/siparis/", "/fatura/", 1);
        let invoice = body_text(get(&router, &invoice_address).await).await;
        assert_eq!(
            texts(&invoice, "[data-total=total]"),
            [app::model::Money(total - price_b).format(app::model::Locale::Tr)]
        );
        assert!(attributes(&invoice, "[data-invoice-return]", "data-invoice-return").is_empty());
        let html = body_text(get(&router, &address).await).await;
        assert!(
            html.contains(&app::model::Money(total - price_b).format(app::model::Locale::Tr)),
            "the order page gives what it comes to now"
        );
    }
}

async fn total_of(db: &Db, number: &str) -> i64 {
    sqlx::query_scalar("SELECT total_kurus FROM orders WHERE number = $1")
        .bind(number)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn get_staff(router: &Router, number: &str, cookie: &str) -> axum::response::Response {
    support::get_with_cookie(router, &format!("/yonetim/siparis/{number}"), cookie).await
}
