use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::payment::sandbox::{Bank, SandboxProvider};
use super::payment::PaymentProvider;
use super::{catalogue::CatalogueCache, random_hex, Db};
use crate::model::brand::SellerIdentity;
use crate::model::cart::ShippingPolicy;
use crate::model::checkout::methods::CheckoutPolicy;
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
    /// Fees, limits and deadlines of checkout (configuration).
    pub checkout: CheckoutPolicy,
    /// The payment provider checkout talks to (the embedded sandbox unless configured).
    pub payments: Arc<dyn PaymentProvider>,
    /// The sandbox provider's own side, for its test page; `None` in production, where the
    /// test page does not exist.
    pub sandbox_bank: Option<Bank>,
    /// The key that signs guests' links to their orders (kept in the database, or configured).
    pub order_link_secret: Arc<Vec<u8>>,
    /// Who numbers and keeps invoices (the built-in provider unless an e-Arşiv one is set).
    pub invoices: Arc<dyn super::invoices::InvoiceProvider>,
    /// The SMTP relay order e-mails go through; without one they wait in the outbox.
    pub smtp: Option<super::mail::SmtpSender>,
    /// Where marketing consent changes are delivered (İYS); the built-in one records them.
    pub iys: Arc<dyn super::accounts::iys::IysGateway>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db) -> Self {
        let public_url = format!("http://{}", leptos_options.site_addr);
        let sandbox = SandboxProvider::new(db.clone(), random_hex(32), public_url.clone(), true);
        Self {
            checkout: CheckoutPolicy::default(),
            sandbox_bank: sandbox.bank().cloned(),
            payments: Arc::new(sandbox),
            order_link_secret: Arc::new(random_hex(32).into_bytes()),
            smtp: None,
            iys: Arc::new(super::accounts::iys::RecordingIys),
            invoices: Arc::new(super::invoices::BuiltInInvoices),
            public_url,
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

impl AppState {
    /// Sets the public address and, with it, the payment provider: the sandbox's page lives
    /// under the shop's own address, and is refused when `production` is set.
    pub fn configure_payments(&mut self, public_url: String, production: bool) {
        let sandbox = SandboxProvider::new(
            self.db.clone(),
            random_hex(32),
            public_url.clone(),
            !production,
        );
        self.sandbox_bank = sandbox.bank().cloned();
        self.payments = Arc::new(sandbox);
        self.public_url = public_url;
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
