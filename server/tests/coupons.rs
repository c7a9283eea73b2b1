//! Campaigns and discount codes through HTTP on a real database (SQLite, and PostgreSQL when
//! configured). A campaign set by a yonetici reprices the shop for its days (and the job that
//! watches the clock reloads the catalogue when one starts). A discount code: a yonetici creates one, a shopper enters it in the cart or at checkout and sees the total and
//! its KDV fall, the order keeps the discount per line; a code that does not apply says why and
//! keeps what was typed; the last use of a code goes to exactly one of the orders confirmed at
//! the same moment; a cancelled order gives its use back; cayma refunds what was paid.

mod support;

use app::backend::staff::{audit::Actor, coupons as staff_coupons};
use app::backend::testing::fresh_databases;
use app::backend::{time, AppState, Db, RequestOrigin};
use app::model::cayma::CaymaForm;
use app::model::coupon::{CouponChanges, DiscountKind};
use app::model::staff::StaffRole;
use app::model::{Locale, Money};
use axum::http::{header, StatusCode};
use axum::Router;
use leptos::config::get_configuration;
use support::html::{attributes, texts};
use support::shopper::{
    location, number_in, pay_on_test_page, variant_with_stock, Shopper, DETAILS,
};
use support::staff::staff_session;
use support::{body_text, get, get_with_cookie, post_form};

const IP: &str = "198.51.100.80";

fn shop(db: Db) -> (Router, AppState) {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments("https://www.lesminoria.com".into(), false);
    (server::router::build(state.clone()), state)
}

fn code(code: &str, kind: DiscountKind, amount: i64) -> CouponChanges {
    CouponChanges {
        code: code.into(),
        description: String::new(),
        kind,
        amount,
        min_basket: Money::ZERO,
        starts_at: None,
        ends_at: None,
        usage_limit: None,
        per_customer_limit: None,
        active: true,
        category_ids: Vec::new(),
    }
}

async fn create(db: &Db, changes: CouponChanges) {
    staff_coupons::create(db, &changes, &Actor::shop("test"))
        .await
        .unwrap();
}

async fn price_of(db: &Db, variant: i64) -> i64 {
    sqlx::query_scalar("SELECT price_kurus FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// The used count of a code, and its uses not given back.
async fn uses(db: &Db, code: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT used_count, CAST((SELECT COUNT(*) FROM coupon_redemptions r \
         WHERE r.coupon_id = c.id AND r.released_at IS NULL) AS BIGINT) FROM coupons c \
         WHERE code = $1",
    )
    .bind(code)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

/// A shopper at the review with `coupon` typed in the cart, paying by `payment`.
async fn shopper_with_code(
    router: &Router,
    ip: &str,
    items: &str,
    coupon: &str,
    payment: &str,
) -> (Shopper, String) {
    let response = post_form(
        router,
        "/odeme/basla",
        &[("sepet", items), ("kod", coupon)],
        ip,
        None,
        &[],
    )
    .await;
    assert_eq!(location(&response), "/odeme");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let shopper = Shopper {
        router: router.clone(),
        ip: ip.to_string(),
        cookie,
    };
    let documents = shopper.up_to_review(payment).await;
    (shopper, documents)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_from_the_back_office_lowers_the_total_and_its_kdv_and_the_order_keeps_it() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let variant = variant_with_stock(db, 50).await;
        let unit = price_of(db, variant).await;

        // Destek may not see or make codes; a yonetici may.
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
        let response = get_with_cookie(&router, "/yonetim/kampanyalar", &destek).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let form = [
            ("kod", "yaz-10"),
            ("aciklama", "Yaz kampanyası"),
            ("tur", "yuzde"),
            ("deger", "10"),
            ("etkin", "1"),
        ];
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &form,
            IP,
            Some(&destek),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);

        // A refused form comes back with what was typed and the problem beside its field.
        let mut wrong = form.to_vec();
        wrong[3] = ("deger", "150");
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &wrong,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert_eq!(attributes(&html, "input[name=deger]", "value"), ["150"]);
        assert_eq!(attributes(&html, "input[name=kod]", "value"), ["yaz-10"]);
        assert!(
            texts(&html, ".field__error")
                .iter()
                .any(|message| message.contains("1 ile 100")),
            "{html}"
        );
        assert_eq!(uses_count(db).await, 0, "nothing was saved");

        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &form,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/yonetim/kampanyalar?durum=eklendi");
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_audit_log WHERE action = 'coupon.create' \
             AND target = 'coupon:YAZ-10' AND staff_id IS NOT NULL",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);
        // The same spelling twice is refused.
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &form,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let html =
            body_text(get_with_cookie(&router, "/yonetim/kampanyalar", &yonetici).await).await;
        assert!(
            texts(&html, "td strong").contains(&"YAZ-10".to_string()),
            "{html}"
        );

        // Typed in the cart, in lower case: the checkout's summary shows it applied.
        let (shopper, documents) = shopper_with_code(
            &router,
            "203.0.113.81",
            &format!("1|{variant}x2"),
            "yaz-10",
            "havale",
        )
        .await;
        let discount = (2 * unit * 10 + 50) / 100;
        let (_, review) = shopper.get("/odeme?adim=onay").await;
        assert_eq!(
            texts(&review, "[data-toplamlar] [data-total=discount]"),
            [format!("−{}", Money(discount).format(Locale::Tr))]
        );
        let goods = 2 * unit - discount;
        let policy = app::model::checkout::methods::CheckoutPolicy::default();
        let shipping = if 2 * unit >= policy.shipping.free_from.0 {
            0
        } else {
            policy.shipping.fee.0
        };
        assert_eq!(
            texts(&review, "[data-toplamlar] [data-total=total]"),
            [Money(goods + shipping).format(Locale::Tr)]
        );
        // The KDV is on what is charged: the goods' rate on the goods after the discount.
        let rate: i64 = sqlx::query_scalar(
            "SELECT p.kdv_rate FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE v.id = $1",
        )
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(
            texts(&review, "[data-toplamlar] .totals__kdv dd")
                .contains(&Money(goods).kdv_share(rate).format(Locale::Tr)),
            "{review}"
        );
        assert!(
            review.contains("YAZ-10 indirim kodu ile"),
            "the documents name the discount"
        );

        let response = shopper.confirm(&documents).await;
        let number = number_in(&location(&response));
        let (total, stored_discount, stored_code): (i64, i64, Option<String>) = sqlx::query_as(
            "SELECT total_kurus, discount_kurus, coupon_code FROM orders WHERE number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            (total, stored_discount, stored_code.as_deref()),
            (goods + shipping, discount, Some("YAZ-10"))
        );
        let per_line: i64 = sqlx::query_scalar(
            "SELECT CAST(SUM(l.discount_kurus) AS BIGINT) FROM order_lines l \
             JOIN orders o ON o.id = l.order_id WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(per_line, discount);
        assert_eq!(uses(db, "YAZ-10").await, (1, 1));
        // The order's page (through its link) shows the discount.
        let order_page = body_text(get(&router, &location(&response)).await).await;
        assert_eq!(
            texts(&order_page, "[data-total=discount]"),
            [format!("−{}", Money(discount).format(Locale::Tr))]
        );
    }
}

async fn uses_count(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM coupons")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_that_does_not_apply_says_why_beside_what_was_typed() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let variant = variant_with_stock(db, 50).await;
        let unit = price_of(db, variant).await;
        let (own_category, other_category): (i64, i64) = sqlx::query_as(
            "SELECT p.category_id, (SELECT c.id FROM categories c WHERE c.id <> p.category_id \
             AND c.id NOT IN (SELECT parent_id FROM categories WHERE parent_id IS NOT NULL) \
             ORDER BY c.id LIMIT 1) FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE v.id = $1",
        )
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let now = time::now_seconds();
        let mut large = code("BUYUK-SEPET", DiscountKind::Amount, 10_000);
        large.min_basket = Money(unit * 10);
        create(db, large).await;
        let mut elsewhere = code("BASKA-KATEGORI", DiscountKind::Percent, 20);
        elsewhere.category_ids = vec![other_category];
        create(db, elsewhere).await;
        let mut here = code("BU-KATEGORI", DiscountKind::Percent, 20);
        here.category_ids = vec![own_category];
        create(db, here).await;
        let mut ended = code("GECEN-YIL", DiscountKind::Percent, 20);
        ended.ends_at = Some(now - 60);
        create(db, ended).await;
        let mut later = code("GELECEK", DiscountKind::Percent, 20);
        later.starts_at = Some(now + 3_600);
        create(db, later).await;

        let shopper = Shopper::start(&router, "203.0.113.82", &format!("1|{variant}x1")).await;
        let cases = [
            ("yok-boyle-kod", "bulamadık"),
            ("büyük sepet", "bulamadık"),
            ("buyuk-sepet", &Money(unit * 10).format(Locale::Tr)[..]),
            ("baska-kategori", "kategorilerde değil"),
            ("gecen-yil", "süresi doldu"),
            ("gelecek", "henüz geçerli değil"),
        ];
        for (typed, says) in cases {
            let response = shopper
                .post("/odeme/indirim", &[("adim", "bilgiler"), ("kod", typed)])
                .await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{typed}"
            );
            let html = body_text(response).await;
            assert_eq!(
                attributes(&html, ".checkout__coupon input[name=kod]", "value"),
                [typed],
                "what was typed stays"
            );
            let errors = texts(&html, ".checkout__coupon .field__error");
            assert!(
                errors.len() == 1 && errors[0].contains(says),
                "{typed}: {errors:?}"
            );
            assert!(texts(&html, "[data-total=discount]").is_empty(), "{typed}");
            // The step shown is the one the shopper was on, with its form.
            assert_eq!(texts(&html, "[aria-current=step]").len(), 1);
        }

        // A code for the product's own category applies, and can be taken off again.
        let response = shopper
            .post(
                "/odeme/indirim",
                &[("adim", "bilgiler"), ("kod", "bu-kategori")],
            )
            .await;
        assert_eq!(location(&response), "/odeme?adim=bilgiler");
        let (_, html) = shopper.get("/odeme?adim=bilgiler").await;
        assert_eq!(
            texts(&html, "[data-toplamlar] [data-total=discount]"),
            [format!(
                "−{}",
                Money((unit * 20 + 50) / 100).format(Locale::Tr)
            )]
        );
        let response = shopper
            .post("/odeme/indirim", &[("adim", "bilgiler"), ("kaldir", "1")])
            .await;
        assert_eq!(location(&response), "/odeme?adim=bilgiler");
        let (_, html) = shopper.get("/odeme?adim=bilgiler").await;
        assert!(texts(&html, "[data-total=discount]").is_empty());
        assert_eq!(
            attributes(&html, ".checkout__coupon input[name=kod]", "value"),
            [""]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_uses_of_a_code_go_to_exactly_as_many_orders_as_it_allows() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let variant = variant_with_stock(db, 100).await;
        let mut limited = code("ILK-UC", DiscountKind::Amount, 5_000);
        limited.usage_limit = Some(3);
        create(db, limited).await;

        // Eight shoppers reach the review with the code applied, then all confirm at once.
        let mut ready = Vec::new();
        for n in 0..8 {
            ready.push(
                shopper_with_code(
                    &router,
                    &format!("203.0.113.{}", 100 + n),
                    &format!("1|{variant}x1"),
                    "ilk-uc",
                    "havale",
                )
                .await,
            );
        }
        let confirmations: Vec<_> = ready
            .into_iter()
            .map(|(shopper, documents)| {
                tokio::spawn(async move { shopper.confirm(&documents).await.status() })
            })
            .collect();
        let mut placed = 0;
        for confirmation in confirmations {
            match confirmation.await.unwrap() {
                StatusCode::SEE_OTHER => placed += 1,
                // The code went to others first: the review comes back with the new total.
                StatusCode::CONFLICT => {}
                other => panic!("unexpected answer {other}"),
            }
        }
        assert_eq!(placed, 3);
        assert_eq!(uses(db, "ILK-UC").await, (3, 3));
        let orders: (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(discount_kurus), 0) AS BIGINT) FROM orders",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            orders,
            (3, 15_000),
            "nothing placed without the shopper seeing it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_s_own_limit_counts_their_orders_and_a_cancelled_one_gives_its_use_back() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let variant = variant_with_stock(db, 100).await;
        let mut once = code("HOSGELDIN", DiscountKind::Percent, 15);
        once.per_customer_limit = Some(1);
        create(db, once).await;
        let (shopper, documents) = shopper_with_code(
            &router,
            "203.0.113.90",
            &format!("1|{variant}x1"),
            "hosgeldin",
            "havale",
        )
        .await;
        let number = number_in(&location(&shopper.confirm(&documents).await));
        assert_eq!(uses(db, "HOSGELDIN").await, (1, 1));

        // The same e-mail again (another browser, written in capitals): refused, and why.
        let (again, _) = shopper_with_code(
            &router,
            "203.0.113.91",
            &format!("1|{variant}x1"),
            "hosgeldin",
            "havale",
        )
        .await;
        let mut details = DETAILS.to_vec();
        details[1] = ("eposta", "AYSE@example.com");
        again.post("/odeme", &details).await;
        let (_, html) = again.get("/odeme?adim=onay").await;
        assert!(
            texts(&html, ".checkout__coupon .field__error")
                .iter()
                .any(|error| error.contains("kullanabileceğiniz kadar")),
            "{html}"
        );
        assert!(texts(&html, "[data-total=discount]").is_empty());

        // Staff cancel the first order: its use comes back, and the shopper may use it again.
        let by = Actor::shop("test");
        let cancelled = app::backend::orders::cancel::cancel_by_staff(
            db,
            state.payments.as_ref(),
            state.invoices.as_ref(),
            &number,
            "müşteri vazgeçti",
            &by,
        )
        .await
        .unwrap();
        assert!(matches!(
            cancelled,
            app::backend::orders::cancel::Cancelled::Done
        ));
        assert_eq!(uses(db, "HOSGELDIN").await, (0, 0));
        let (_, html) = again.get("/odeme?adim=onay").await;
        assert_eq!(
            texts(&html, "[data-toplamlar] [data-total=discount]").len(),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cayma_gives_back_what_was_paid_for_the_pieces_after_their_discount() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let dear = variant_with_stock(db, 50).await;
        let (other, dear_category): (i64, i64) = sqlx::query_as(
            "SELECT v.id, d.category_id FROM variants v JOIN products p ON p.id = v.product_id \
             JOIN products d ON d.id = (SELECT product_id FROM variants WHERE id = $1) \
             WHERE p.published = 1 AND p.category_id <> d.category_id ORDER BY v.id LIMIT 1",
        )
        .bind(dear)
        .fetch_one(db.pool())
        .await
        .unwrap();
        support::shopper::set_stock(db, other, 50).await;
        // 1,00 TL off the dear line only: three pieces that do not divide it evenly.
        let mut one_lira = code("BIRLIRA", DiscountKind::Amount, 100);
        one_lira.category_ids = vec![dear_category];
        create(db, one_lira).await;
        let (shopper, documents) = shopper_with_code(
            &router,
            "203.0.113.95",
            &format!("1|{dear}x3,{other}x1"),
            "birlira",
            "kart",
        )
        .await;
        let payment_page = location(&shopper.confirm(&documents).await);
        let result = pay_on_test_page(&shopper, &payment_page, "5528790000000008").await;
        let number = number_in(&location(&get(&router, &result).await));
        let (line, unit, discount): (i64, i64, i64) = sqlx::query_as(
            "SELECT l.id, l.unit_price_kurus, l.discount_kurus FROM order_lines l \
             JOIN orders o ON o.id = l.order_id WHERE o.number = $1 AND l.variant_id = $2",
        )
        .bind(&number)
        .bind(dear)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(discount, 100);
        let origin = RequestOrigin {
            ip: "203.0.113.95".into(),
            user_agent: "test".into(),
        };
        // The three pieces one at a time; the other line is kept, so no request is the last.
        let one_piece = CaymaForm {
            lines: vec![(line, 1)],
            reason: String::new(),
            account: None,
        };
        for _ in 0..3 {
            app::backend::orders::cayma::request_cayma(
                db,
                &app::backend::invoices::BuiltInInvoices,
                &number,
                &one_piece,
                Locale::Tr,
                &origin,
            )
            .await
            .unwrap();
        }
        let refunds: Vec<i64> = sqlx::query_scalar(
            "SELECT c.refund_kurus FROM cayma_requests c JOIN orders o ON o.id = c.order_id \
             WHERE o.number = $1 ORDER BY c.id",
        )
        .bind(&number)
        .fetch_all(db.pool())
        .await
        .unwrap();
        // Each piece: its price less its part of the discount, rounded for the shopper...
        assert_eq!(refunds[0], unit - discount / 3);
        // ...and the three together exactly what was paid for the line, not a kuruş more.
        assert_eq!(refunds.iter().sum::<i64>(), 3 * unit - discount);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_card_payment_does_not_bring_back_a_use_another_order_took() {
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, state) = shop(db.clone());
        let variant = variant_with_stock(db, 50).await;
        let mut once = code("TEK-KULLANIM", DiscountKind::Amount, 5_000);
        once.usage_limit = Some(1);
        create(db, once).await;
        // A card order takes the one use, then its reservation ends unpaid: the use comes back.
        let (late, documents) = shopper_with_code(
            &router,
            "203.0.113.130",
            &format!("1|{variant}x1"),
            "tek-kullanim",
            "kart",
        )
        .await;
        let payment_page = location(&late.confirm(&documents).await);
        let number: String = sqlx::query_scalar("SELECT number FROM orders")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(uses(db, "TEK-KULLANIM").await, (1, 1));
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("UPDATE orders SET reserved_until = 1 WHERE number = $1")
            .bind(&number)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app::backend::orders::release_expired(db, time::now_seconds())
            .await
            .unwrap();
        assert_eq!(uses(db, "TEK-KULLANIM").await, (0, 0));
        // Another shopper uses it.
        let (other, documents) = shopper_with_code(
            &router,
            "203.0.113.131",
            &format!("1|{variant}x1"),
            "tek-kullanim",
            "havale",
        )
        .await;
        assert_eq!(
            other.confirm(&documents).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(uses(db, "TEK-KULLANIM").await, (1, 1));
        // The first shopper pays on the page still open: the payment is given back, the
        // order stays cancelled, and the code was used once.
        let result = pay_on_test_page(&late, &payment_page, "5528790000000008").await;
        let _ = get(&router, &result).await;
        let (status, payment, stock_held): (String, String, i64) = sqlx::query_as(
            "SELECT status, payment_status, stock_held FROM orders WHERE number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(status, "cancelled");
        assert_ne!(payment, "paid");
        assert_eq!(stock_held, 0, "its goods stay on sale");
        assert_eq!(uses(db, "TEK-KULLANIM").await, (1, 1));
        let _ = &state;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_reprices_its_categories_on_its_days_and_the_order_is_charged_so() {
    use app::backend::catalogue::campaigns::bump_at_boundaries;
    use app::model::campaign::CampaignChanges;
    use app::model::date::istanbul_form_date;
    for test in fresh_databases().await {
        let db = &test.db;
        let (router, _) = shop(db.clone());
        let variant = variant_with_stock(db, 50).await;
        let (unit, slug, top_category): (i64, String, i64) = sqlx::query_as(
            "SELECT v.price_kurus, p.slug, COALESCE(c.parent_id, c.id) FROM variants v \
             JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id \
             WHERE v.id = $1",
        )
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let product_page = format!("/urun/{slug}");
        // The product page shows its cheapest variant's price.
        let lowest: i64 = sqlx::query_scalar(
            "SELECT MIN(price_kurus) FROM variants WHERE product_id = \
             (SELECT product_id FROM variants WHERE id = $1)",
        )
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap();
        let shown = |html: &str| texts(html, ".product__price .price__now");
        let yonetici = staff_session(
            &router,
            db,
            "kampanya@lesminoria.com",
            StaffRole::Yonetici,
            IP,
        )
        .await;
        let today = istanbul_form_date(time::now_seconds());
        let next_week = istanbul_form_date(time::now_seconds() + 7 * 86_400);
        let top = top_category.to_string();
        let mut form = vec![
            ("form", "kampanya"),
            ("kampanya_adi", "Kış indirimi"),
            ("yuzde", "95"),
            ("baslangic", today.as_str()),
            ("bitis", next_week.as_str()),
            ("kategori", top.as_str()),
            ("etkin", "1"),
        ];
        // Refused beside its field, what was typed kept; nothing changes in the shop.
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &form,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = body_text(response).await;
        assert_eq!(attributes(&html, "input[name=yuzde]", "value"), ["95"]);
        assert_eq!(
            attributes(
                &html,
                "#kampanya-formu input[name=kategori][checked]",
                "value"
            ),
            [top.as_str()]
        );
        form[2] = ("yuzde", "20");
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &form,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(location(&response), "/yonetim/kampanyalar?durum=kampanya");

        // The shop shows the sale price with the own price struck, at once.
        let sale = (unit * 80 + 50) / 100;
        let html = body_text(get(&router, &product_page).await).await;
        assert_eq!(
            shown(&html),
            [Money((lowest * 80 + 50) / 100).format(Locale::Tr)]
        );
        assert_eq!(
            texts(&html, ".product__price .price__was").len(),
            1,
            "the own price struck through"
        );
        // The cart and the order charge it.
        let shopper = Shopper::start(&router, "203.0.113.120", &format!("1|{variant}x1")).await;
        let documents = shopper.up_to_review("havale").await;
        let number = number_in(&location(&shopper.confirm(&documents).await));
        let charged: i64 = sqlx::query_scalar(
            "SELECT l.unit_price_kurus FROM order_lines l JOIN orders o ON o.id = l.order_id \
             WHERE o.number = $1",
        )
        .bind(&number)
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(charged, sale);
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_audit_log WHERE action = 'campaign.create'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(audited, 1);

        // Stopped: the shop's own prices are back.
        let id: i64 = sqlx::query_scalar("SELECT id FROM campaigns")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let id_text = id.to_string();
        let mut stopped: Vec<(&str, &str)> = form
            .iter()
            .filter(|(k, _)| *k != "etkin")
            .copied()
            .collect();
        stopped.push(("id", &id_text));
        let response = post_form(
            &router,
            "/yonetim/kampanyalar",
            &stopped,
            IP,
            Some(&yonetici),
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let html = body_text(get(&router, &product_page).await).await;
        assert_eq!(
            shown(&html),
            [Money(lowest).format(Locale::Tr)],
            "no sale any more"
        );

        // One that starts in a few seconds: the job sees it start and the shop reloads. (Five:
        // the page before the start is read within them, even on a busy machine.)
        let now = time::now_seconds();
        let soon = CampaignChanges {
            name: "Gece yarısı".into(),
            percent: 10,
            starts_at: now + 5,
            ends_at: now + 3_600,
            active: true,
            category_ids: Vec::new(),
        };
        app::backend::staff::campaigns::save(db, None, &soon, &Actor::shop("test"))
            .await
            .unwrap();
        assert!(
            !bump_at_boundaries(db).await.unwrap(),
            "nothing started or ended"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let html = body_text(get(&router, &product_page).await).await;
        assert_eq!(shown(&html), [Money(lowest).format(Locale::Tr)], "not yet");
        while time::now_seconds() <= now + 5 {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(bump_at_boundaries(db).await.unwrap(), "it started");
        assert!(!bump_at_boundaries(db).await.unwrap(), "once");
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let html = body_text(get(&router, &product_page).await).await;
        assert_eq!(
            shown(&html),
            [Money((lowest * 90 + 50) / 100).format(Locale::Tr)]
        );
    }
}
