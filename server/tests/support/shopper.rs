//! A guest going through checkout, for the checkout, durability and fault tests.

use app::backend::{demo, Db};
use axum::http::{header, StatusCode};
use axum::Router;

use super::html::attributes;
use super::{body_text, get_with_cookie, post_form};

/// A variant of the demo catalogue that is for sale, with its stock set to `stock`.
pub async fn variant_with_stock(db: &Db, stock: i64) -> i64 {
    demo::seed_if_empty(db).await.unwrap();
    let id: i64 = sqlx::query_scalar(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.published = 1 ORDER BY v.price_kurus DESC, v.id LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    set_stock(db, id, stock).await;
    id
}

pub async fn set_stock(db: &Db, variant: i64, stock: i64) {
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("UPDATE variants SET stock = $1 WHERE id = $2")
        .bind(stock)
        .bind(variant)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

pub async fn stock_of(db: &Db, variant: i64) -> i64 {
    sqlx::query_scalar("SELECT stock FROM variants WHERE id = $1")
        .bind(variant)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

pub fn location(response: &axum::response::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// One guest in one browser: their IP and their checkout cookie.
pub struct Shopper {
    pub router: Router,
    pub ip: String,
    pub cookie: String,
}

pub const DETAILS: &[(&str, &str)] = &[
    ("adim", "bilgiler"),
    ("eposta", "ayse@example.com"),
    ("telefon", "0532 123 45 67"),
    ("ad", "Ayşe"),
    ("soyad", "Yılmaz"),
    ("il", "34"),
    ("ilce", "Kadıköy"),
    ("adres", "Caferağa Mah. Moda Cad. No: 10 D: 3"),
    ("posta_kodu", "34710"),
    ("fatura_adresi", "teslimat"),
    ("fatura_tipi", "bireysel"),
];

impl Shopper {
    /// "Ödemeye geç" with `items` (the cart's `encode_items` text).
    pub async fn start(router: &Router, ip: &str, items: &str) -> Shopper {
        let response = post_form(router, "/odeme/basla", &[("sepet", items)], ip, None, &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/odeme");
        let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        assert!(
            set_cookie.contains("Secure"),
            "the shop is served over https: {set_cookie}"
        );
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        Shopper {
            router: router.clone(),
            ip: ip.to_string(),
            cookie,
        }
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> axum::response::Response {
        post_form(&self.router, path, form, &self.ip, Some(&self.cookie), &[]).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = get_with_cookie(&self.router, path, &self.cookie).await;
        (response.status(), body_text(response).await)
    }

    /// Details and methods done; the review's documents hash.
    pub async fn up_to_review(&self, payment: &str) -> String {
        let response = self.post("/odeme", DETAILS).await;
        assert_eq!(location(&response), "/odeme?adim=odeme-yontemi");
        let response = self
            .post(
                "/odeme",
                &[
                    ("adim", "odeme-yontemi"),
                    ("kargo", "standart"),
                    ("odeme", payment),
                ],
            )
            .await;
        assert_eq!(location(&response), "/odeme?adim=onay");
        let (status, html) = self.get("/odeme?adim=onay").await;
        assert_eq!(status, StatusCode::OK);
        attributes(&html, "input[name=belgeler]", "value").remove(0)
    }

    /// Confirms the review: where the shop sends the browser.
    pub async fn confirm(&self, documents: &str) -> axum::response::Response {
        self.post(
            "/odeme",
            &[("adim", "onay"), ("belgeler", documents), ("onay", "1")],
        )
        .await
    }
}

/// The path of an absolute URL on the shop's origin.
pub fn path_of(url: &str) -> String {
    url.strip_prefix(super::ORIGIN).unwrap_or(url).to_string()
}

/// Pays on the sandbox's card page with `card`; the shop's result address it sends back to.
pub async fn pay_on_test_page(shopper: &Shopper, payment_page: &str, card: &str) -> String {
    let page = path_of(payment_page);
    let (status, html) = shopper.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("TEST ÖDEME SAYFASI"));
    let response = shopper
        .post(
            &page,
            &[
                ("kart", card),
                ("ay", "12"),
                ("yil", "2030"),
                ("cvc", "123"),
                ("taksit", "1"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{card}");
    path_of(&location(&response))
}

pub async fn order_row(db: &Db, number: &str) -> (String, String, Option<String>, i64) {
    sqlx::query_as(
        "SELECT status, payment_status, hold_reason, stock_held FROM orders WHERE number = $1",
    )
    .bind(number)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

pub fn number_in(address: &str) -> String {
    let rest = address.strip_prefix("/siparis/").expect(address);
    rest.split('?').next().unwrap().to_string()
}
