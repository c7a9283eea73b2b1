//! Each page's policy, as its row in `app::model::route::ROUTES` declares it: public pages are
//! shared through the page cache and say so; private pages are rendered for every request,
//! never reach a second visitor and are answered `no-store`.

mod support;

use app::backend::{demo, testing::fresh_databases};
use app::model::route::{Caching, ROUTES};
use app::model::Locale;
use axum::http::{header, StatusCode};
use support::{body_text, get, get_with_cookie, good_contact_form, post_form, router_for};

const CACHE_STATUS: &str = "x-sayfa-onbellegi";

/// A real address for a row: its words with a slug that exists in the demo catalogue.
fn example_address(route: &app::model::route::PageRoute, locale: Locale) -> String {
    let slug = route.param.map(|_| match route.page {
        app::model::Page::Category(_) => "kadin",
        _ => "keten-gomlek-elbise",
    });
    route.path(locale, slug)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_answers_with_the_cache_policy_its_route_declares() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        for route in &ROUTES {
            for locale in Locale::ALL {
                let address = example_address(route, locale);
                for attempt in ["first", "second"] {
                    let response = get(&router, &address).await;
                    let cache_control = response.headers().get(header::CACHE_CONTROL).cloned();
                    let cache_status = response.headers().get(CACHE_STATUS).cloned();
                    match route.caching {
                        Caching::Public { .. } => {
                            assert_eq!(response.status(), StatusCode::OK, "{address}");
                            assert_eq!(
                                cache_control.unwrap(),
                                "public, no-cache",
                                "{address} ({attempt})"
                            );
                            let expected = if attempt == "first" { "miss" } else { "hit" };
                            assert_eq!(cache_status.unwrap(), expected, "{address}");
                        }
                        Caching::Private | Caching::Staff { role: None } => {
                            assert_eq!(cache_control.unwrap(), "no-store", "{address}");
                            assert!(cache_status.is_none(), "{address} passed the cache");
                        }
                        // The back office is not there for a visitor without a staff session.
                        Caching::Staff { role: Some(_) } => {
                            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{address}");
                            assert_eq!(cache_control.unwrap(), "no-store", "{address}");
                            assert!(cache_status.is_none(), "{address} passed the cache");
                        }
                    }
                }
            }
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_page_is_never_served_to_a_second_visitor() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let sent = post_form(
            &router,
            "/iletisim",
            &good_contact_form(),
            "203.0.113.7",
            None,
            &[],
        )
        .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{}", test.label);
        let confirmation = sent.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let reference = confirmation.split("ref=").nth(1).unwrap().to_string();

        // The sender sees the reference, with and without a cookie.
        let consent = "lm_cerez=2026-11-26:100:0123456789abcdef0123456789abcdef";
        let first = get(&router, &confirmation).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()[header::CACHE_CONTROL], "no-store");
        let shown = format!(r#"<strong class="reference">{reference}</strong>"#);
        assert!(body_text(first).await.contains(&shown));
        let with_cookie = get_with_cookie(&router, &confirmation, consent).await;
        assert!(body_text(with_cookie).await.contains(&shown));

        // Once the message is gone, a second visitor of the same address (a forwarded link,
        // a shared computer) gets the page as it is now, not the sender's copy.
        sqlx::query("DELETE FROM contact_messages WHERE reference = $1")
            .bind(&reference)
            .execute(test.db.pool())
            .await
            .unwrap();
        let second = get(&router, &confirmation).await;
        assert_eq!(second.status(), StatusCode::NOT_FOUND, "{}", test.label);
        assert!(!body_text(second).await.contains(&shown));
        let second = get_with_cookie(&router, &confirmation, consent).await;
        assert_eq!(second.status(), StatusCode::NOT_FOUND);
        assert!(!body_text(second).await.contains(&shown));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_a_page_does_not_read_neither_change_it_nor_make_new_entries() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        let first = get(&router, "/kategori/kadin?beden=M&utm_source=bulten").await;
        assert_eq!(first.headers()[CACHE_STATUS], "miss", "{}", test.label);
        let first = body_text(first).await;
        assert!(!first.contains("utm_source"), "dropped before rendering");
        for tracking in ["utm_source=reklam", "fbclid=abc", "gclid=1&utm_medium=x"] {
            let again = get(&router, &format!("/kategori/kadin?beden=M&{tracking}")).await;
            assert_eq!(again.headers()[CACHE_STATUS], "hit", "{tracking}");
            assert_eq!(body_text(again).await, first);
        }
        // What the page reads still makes a page of its own.
        let other = get(&router, "/kategori/kadin?beden=L").await;
        assert_eq!(other.headers()[CACHE_STATUS], "miss");
        // A member's session (or any other cookie) gets the same shared page.
        let member = get_with_cookie(&router, "/kategori/kadin?beden=M", "oturum=abc").await;
        assert_eq!(member.headers()[CACHE_STATUS], "hit");
        assert_eq!(body_text(member).await, first);
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_with_a_trailing_slash_leads_to_the_page_and_its_policy() {
    for test in fresh_databases().await {
        demo::seed_if_empty(&test.db).await.unwrap();
        let router = router_for(test.db.clone());
        for (address, page) in [
            ("/urun/keten-gomlek-elbise/", "/urun/keten-gomlek-elbise"),
            (
                "/iletisim/gonderildi/?ref=ILT-1",
                "/iletisim/gonderildi?ref=ILT-1",
            ),
        ] {
            let response = get(&router, address).await;
            assert_eq!(
                response.status(),
                StatusCode::PERMANENT_REDIRECT,
                "{address}"
            );
            assert_eq!(response.headers()[header::LOCATION], page, "{}", test.label);
        }
        test.finish().await;
    }
}
