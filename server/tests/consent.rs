//! The cookie choice through HTTP, as the browser makes it, on a real database (SQLite always,
//! PostgreSQL when TEST_POSTGRES_URL is set): each answer sets the right cookie and adds the
//! right ledger row; the ledger refuses changes; a new policy version asks again.

mod support;

use app::backend::{testing::fresh_databases, Db};
use app::model::consent::COOKIE_POLICY_VERSION;
use app::model::legal::LegalDocument;
use app::model::Locale;
use axum::http::{header, StatusCode};
use sha2::{Digest, Sha256};
use support::html::{attributes, first_has};
use support::{body_text, get, get_with_cookie, page, post_form, router_for, router_with};

const CHOICE: &str = "/cerez-tercihi";

#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct LedgerRow {
    visitor_id: String,
    action: String,
    functional: i64,
    analytics: i64,
    marketing: i64,
    policy_version: String,
    policy_sha256: String,
    locale: String,
    ip: String,
    user_agent: String,
}

async fn ledger(db: &Db) -> Vec<LedgerRow> {
    sqlx::query_as(
        "SELECT visitor_id, action, functional, analytics, marketing, policy_version, \
         policy_sha256, locale, ip, user_agent FROM consent_ledger ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// A form, the action and cookie bits it must produce, and the ledger's three flags.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str, (i64, i64, i64));

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `name=value` of the Set-Cookie header, and its attributes.
fn set_cookie(response: &axum::response::Response) -> (String, String) {
    let value = response.headers()[header::SET_COOKIE].to_str().unwrap();
    let (pair, attributes) = value.split_once(';').unwrap();
    (pair.to_string(), attributes.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_reject_and_preferences_each_set_their_cookie_and_ledger_row() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let cases: [Case; 4] = [
            (
                &[("secim", "kabul"), ("dil", "tr")],
                "kabul",
                "111",
                (1, 1, 1),
            ),
            // The switches do not count for "Reddet".
            (
                &[("secim", "red"), ("islevsel", "1"), ("dil", "tr")],
                "red",
                "000",
                (0, 0, 0),
            ),
            (
                &[("secim", "tercih"), ("islevsel", "1"), ("dil", "en")],
                "tercih",
                "100",
                (1, 0, 0),
            ),
            (
                &[("secim", "tercih"), ("analitik", "1"), ("pazarlama", "1")],
                "tercih",
                "011",
                (0, 1, 1),
            ),
        ];
        for (i, (form, action, bits, flags)) in cases.iter().enumerate() {
            let mut form = form.to_vec();
            form.push(("geri", "/urun/keten-gomlek-elbise?renk=bej"));
            let response = post_form(&router, CHOICE, &form, "203.0.113.9", None, &[]).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", test.label);
            assert_eq!(
                response.headers()[header::LOCATION],
                "/urun/keten-gomlek-elbise?renk=bej"
            );
            let (pair, attributes) = set_cookie(&response);
            let value = pair.strip_prefix("lm_cerez=").unwrap();
            let parts: Vec<&str> = value.split(':').collect();
            assert_eq!(parts[0], COOKIE_POLICY_VERSION);
            assert_eq!(parts[1], *bits);
            assert_eq!(parts[2].len(), 32);
            for attribute in [
                "Path=/",
                "Max-Age=31536000",
                "SameSite=Lax",
                "HttpOnly",
                "Secure",
            ] {
                assert!(
                    attributes.contains(attribute),
                    "{attribute} in {attributes}"
                );
            }

            let rows = ledger(&test.db).await;
            assert_eq!(rows.len(), i + 1, "{}", test.label);
            let row = rows.last().unwrap();
            let locale = if form.contains(&("dil", "en")) {
                Locale::En
            } else {
                Locale::Tr
            };
            assert_eq!(
                *row,
                LedgerRow {
                    visitor_id: parts[2].to_string(),
                    action: action.to_string(),
                    functional: flags.0,
                    analytics: flags.1,
                    marketing: flags.2,
                    policy_version: COOKIE_POLICY_VERSION.to_string(),
                    policy_sha256: sha256_hex(LegalDocument::Privacy.source(locale)),
                    locale: locale.code().to_string(),
                    ip: "203.0.113.9".to_string(),
                    user_agent: "Testzilla/1.0 (server test)".to_string(),
                },
                "{}",
                test.label
            );
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_keeps_their_id_and_the_ledger_only_grows() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        let first = post_form(
            &router,
            CHOICE,
            &[("secim", "kabul")],
            "198.51.100.4",
            None,
            &[],
        )
        .await;
        let (cookie, _) = set_cookie(&first);
        // Changing one's mind later, from the island (no redirect).
        let second = post_form(
            &router,
            CHOICE,
            &[("secim", "red")],
            "198.51.100.4",
            Some(&cookie),
            &[("x-ada", "1")],
        )
        .await;
        assert_eq!(second.status(), StatusCode::NO_CONTENT);
        assert_eq!(second.headers()["x-cerez"], "000");
        let rows = ledger(&test.db).await;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].visitor_id, rows[1].visitor_id, "{}", test.label);
        assert_eq!(
            (rows[0].action.as_str(), rows[1].action.as_str()),
            ("kabul", "red")
        );

        // Proof cannot be rewritten or removed, in either database.
        let update = sqlx::query("UPDATE consent_ledger SET functional = 1")
            .execute(test.db.pool())
            .await;
        assert!(update.is_err(), "{}: an update went through", test.label);
        let delete = sqlx::query("DELETE FROM consent_ledger")
            .execute(test.db.pool())
            .await;
        assert!(delete.is_err(), "{}: a delete went through", test.label);
        assert_eq!(ledger(&test.db).await.len(), 2);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_or_foreign_choices_are_refused_and_leave_no_trace() {
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        // An unknown button: 400, no cookie, no row.
        let response = post_form(
            &router,
            CHOICE,
            &[("secim", "hepsi")],
            "192.0.2.1",
            None,
            &[],
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(!response.headers().contains_key(header::SET_COOKIE));
        // Another site's page cannot choose for the visitor.
        let request = axum::http::Request::post(CHOICE)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "https://evil.example")
            .body(axum::body::Body::from("secim=kabul"))
            .unwrap();
        let response = tower::ServiceExt::oneshot(router.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        // A return address on another site is not followed.
        let response = post_form(
            &router,
            CHOICE,
            &[("secim", "red"), ("geri", "//evil.example/x")],
            "192.0.2.1",
            None,
            &[],
        )
        .await;
        assert_eq!(response.headers()[header::LOCATION], "/");
        assert_eq!(ledger(&test.db).await.len(), 1, "{}", test.label);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_choices_is_limited_per_ip_and_per_visitor() {
    use app::backend::consent::{PER_IP_LIMIT, PER_VISITOR_LIMIT};
    for test in fresh_databases().await {
        let router = router_for(test.db.clone());
        // One client without cookies, in parallel: each post would be a new visitor.
        let posts: Vec<_> = (0..PER_IP_LIMIT.max_hits + 40)
            .map(|_| {
                let router = router.clone();
                tokio::spawn(async move {
                    post_form(
                        &router,
                        CHOICE,
                        &[("secim", "red")],
                        "198.51.100.40",
                        None,
                        &[],
                    )
                    .await
                })
            })
            .collect();
        let mut accepted = 0;
        let mut refused = None;
        for post in posts {
            let response = post.await.unwrap();
            match response.status() {
                StatusCode::SEE_OTHER => accepted += 1,
                StatusCode::TOO_MANY_REQUESTS => refused = Some(response),
                other => panic!("{}: unexpected {other}", test.label),
            }
        }
        assert_eq!(accepted, PER_IP_LIMIT.max_hits, "{}", test.label);
        assert_eq!(ledger(&test.db).await.len() as i64, PER_IP_LIMIT.max_hits);
        let refused = refused.expect("some were refused");
        assert!(!refused.headers().contains_key(header::SET_COOKIE));
        let retry_after: i64 = refused.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=PER_IP_LIMIT.window_seconds).contains(&retry_after));
        assert!(body_text(refused)
            .await
            .contains("çok sayıda çerez tercihi"));

        // One visitor (same cookie) changing their mind from ever new addresses.
        let first = post_form(
            &router,
            CHOICE,
            &[("secim", "red")],
            "198.51.100.41",
            None,
            &[],
        )
        .await;
        let (cookie, _) = set_cookie(&first);
        let mut statuses = Vec::new();
        for n in 0..PER_VISITOR_LIMIT.max_hits + 2 {
            let ip = format!("198.51.101.{n}");
            let response = post_form(
                &router,
                CHOICE,
                &[("secim", "kabul")],
                &ip,
                Some(&cookie),
                &[],
            )
            .await;
            statuses.push(response.status().as_u16());
        }
        let accepted = statuses.iter().filter(|status| **status == 303).count() as i64;
        assert_eq!(accepted, PER_VISITOR_LIMIT.max_hits - 1, "{statuses:?}");
        assert_eq!(*statuses.last().unwrap(), 429);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_is_in_the_html_until_a_choice_and_a_new_policy_version_asks_again() {
    for test in fresh_databases().await {
        app::backend::demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let html = page(&router, "/urun/keten-gomlek-elbise", StatusCode::OK).await;
        assert_eq!(page_state(&html), "yok", "{}", test.label);
        assert!(!banner_hidden(&html), "shown before a choice");
        for button in [
            "Kabul ediyorum",
            "Reddet",
            "Tercihler",
            "İşlevsel",
            "Analitik",
            "Pazarlama",
        ] {
            assert!(html.contains(button), "{button}");
        }

        let chosen = post_form(
            &router,
            CHOICE,
            &[("secim", "tercih"), ("islevsel", "1")],
            "192.0.2.7",
            None,
            &[],
        )
        .await;
        let (cookie, _) = set_cookie(&chosen);
        let response = get_with_cookie(&router, "/urun/keten-gomlek-elbise", &cookie).await;
        let html = body_text(response).await;
        assert_eq!(page_state(&html), "100");
        assert!(banner_hidden(&html), "hidden after a choice");
        assert!(switch_on(&html, "islevsel"), "the switch shows the choice");
        assert!(!switch_on(&html, "analitik"));
        // The cache keeps the two apart: a visitor without a cookie still gets the banner.
        let html = page(&router, "/urun/keten-gomlek-elbise", StatusCode::OK).await;
        assert!(!banner_hidden(&html));

        // The policy changes: the same cookie no longer counts.
        let renewed = router_with(test.db.clone(), |state| {
            state.cookie_policy_version = "2027-01-01".into();
        });
        let html =
            body_text(get_with_cookie(&renewed, "/urun/keten-gomlek-elbise", &cookie).await).await;
        assert_eq!(page_state(&html), "yok", "{}", test.label);
        assert!(!banner_hidden(&html));
        // Choosing again under the new version records it and keeps the visitor.
        let again = post_form(
            &renewed,
            CHOICE,
            &[("secim", "red")],
            "192.0.2.7",
            Some(&cookie),
            &[],
        )
        .await;
        let (new_cookie, _) = set_cookie(&again);
        assert!(new_cookie.starts_with("lm_cerez=2027-01-01:000:"));
        let rows = ledger(&test.db).await;
        assert_eq!(rows[1].policy_version, "2027-01-01");
        assert_eq!(rows[0].visitor_id, rows[1].visitor_id);
        let _ = get(&router, "/").await;
        test.finish().await;
    }
}

/// The consent state the page carries for its islands (`<html data-cerez>`).
fn page_state(html: &str) -> String {
    attributes(html, "html", "data-cerez").concat()
}

/// Whether the banner is hidden.
fn banner_hidden(html: &str) -> bool {
    first_has(html, "#cerez-bildirimi", "hidden")
}

/// Whether the banner's switch for a category is on.
fn switch_on(html: &str, field: &str) -> bool {
    first_has(
        html,
        &format!("#cerez-bildirimi input[name={field}]"),
        "checked",
    )
}
