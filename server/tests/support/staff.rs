//! A member of staff logged in, for the back-office tests.

use app::backend::staff::{self, totp};
use app::backend::{time, Db};
use app::model::staff::StaffRole;
use axum::http::{header, StatusCode};
use axum::Router;

use super::shopper::location;
use super::{body_text, post_form};

pub const PASSWORD: &str = "lacivert kadife perde";

/// The value (`name=…`) of the cookie `name` that `response` sets, if it sets it.
pub fn cookie_named(response: &axum::response::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(|value| value.split(';').next().unwrap().to_string())
}

/// A member of staff with `role`, logged in from `ip` (with the TOTP code a yonetici needs):
/// their session cookie.
pub async fn staff_session(
    router: &Router,
    db: &Db,
    email: &str,
    role: StaffRole,
    ip: &str,
) -> String {
    let created = staff::create(db, email, "Deniz Kaya", role, PASSWORD)
        .await
        .unwrap();
    let code = created
        .totp_secret
        .map(|secret| totp::code_at(&secret, time::now_seconds()))
        .unwrap_or_default();
    let response = post_form(
        router,
        "/yonetim/giris",
        &[("eposta", email), ("sifre", PASSWORD), ("kod", &code)],
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
    assert_eq!(location(&response), "/yonetim");
    cookie_named(&response, "lm_yonetim").expect("a staff session cookie")
}
