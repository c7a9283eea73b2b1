use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::{catalogue::CatalogueCache, Db};
use crate::model::brand::SellerIdentity;
use crate::model::cart::ShippingPolicy;
use crate::model::consent::COOKIE_POLICY_VERSION;

/// What every request handler and server function can reach. leptos_axum provides it as
/// context to pages and server functions (`expect_context::<AppState>()`), and axum hands it to
/// plain handlers through `State`.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub catalogue: CatalogueCache,
    /// The shop's public origin for absolute URLs (canonical, sitemap, Open Graph), without a
    /// trailing slash.
    pub public_url: String,
    /// Delivery fee and free-shipping threshold (configuration).
    pub shipping: ShippingPolicy,
    /// The seller's legal identity (configuration), on İletişim, in the footer and contracts.
    pub seller: SellerIdentity,
    /// The cookie policy version choices must answer; a visitor whose choice names another
    /// version is asked again.
    pub cookie_policy_version: String,
    /// Proxies whose `X-Forwarded-For` names the visitor's IP (configuration); empty means the
    /// socket's peer is the visitor.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The forms' rate limits: counters in the database, refusals remembered here.
    pub limiter: std::sync::Arc<super::rate_limit::Limiter>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db) -> Self {
        Self {
            public_url: format!("http://{}", leptos_options.site_addr),
            catalogue: CatalogueCache::default(),
            shipping: ShippingPolicy::default(),
            seller: SellerIdentity::default(),
            cookie_policy_version: COOKIE_POLICY_VERSION.to_string(),
            trusted_proxies: Vec::new(),
            limiter: Default::default(),
            leptos_options,
            db,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
