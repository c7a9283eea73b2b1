//! Configuration from the environment, with defaults that serve a shop on a fresh machine.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::connections::ConnectionLimits;
use app::model::{brand::SellerIdentity, cart::ShippingPolicy, Money};
use leptos::config::{get_configuration, LeptosOptions};

/// Where the embedded SQLite database lives unless `DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/lesminoria.db";

#[derive(Clone, Debug)]
pub struct Config {
    /// Site address, site root and package folder, environment (`LEPTOS_*` variables).
    pub leptos_options: LeptosOptions,
    /// `sqlite://…` (default) or `postgres://…`.
    pub database_url: String,
    /// The public origin (`https://www.lesminoria.com`) for canonical URLs and the sitemap;
    /// `None` means the listening address.
    pub public_url: Option<String>,
    /// Delivery fee (`LESMINORIA_SHIPPING_FEE`, lira) and the subtotal from which delivery is
    /// free (`LESMINORIA_FREE_SHIPPING_FROM`, lira).
    pub shipping: ShippingPolicy,
    /// The seller's legal identity (`LESMINORIA_SELLER_TRADE_NAME`, `_MERSIS`, `_ADDRESS`,
    /// `_PHONE`, `_KEP`, `_EMAIL`); each unset one keeps the demo shop's value.
    pub seller: SellerIdentity,
    /// Proxies whose `X-Forwarded-For` is believed (`LESMINORIA_TRUSTED_PROXIES`, comma-separated
    /// IPs). Empty: the socket's address is the visitor's.
    pub trusted_proxies: Vec<IpAddr>,
    /// Header deadline, head size and connection counts (`LESMINORIA_HEADER_TIMEOUT_SECONDS`,
    /// `LESMINORIA_MAX_CONNECTIONS`, `LESMINORIA_MAX_CONNECTIONS_PER_CLIENT`); see
    /// `connections.rs` for why each default is what it is.
    pub connection_limits: ConnectionLimits,
    /// `LEPTOS_ENV=PROD`: a database that was never set up is an error, not a fresh start.
    pub production: bool,
    /// The key that signs guests' order links (`LESMINORIA_ORDER_LINK_SECRET`); when unset, one
    /// is made once and kept in the database.
    pub order_link_secret: Option<String>,
    /// The SMTP relay for order e-mails (`LESMINORIA_SMTP_URL`, `smtp://host:port`).
    pub smtp_url: Option<String>,
    /// Load the demo catalogue into an empty catalogue (`LESMINORIA_DEMO_CATALOGUE=1`; by
    /// default only outside production, so a shop whose data went missing never comes back up
    /// selling the demo's dresses).
    pub demo_catalogue: bool,
    /// Whether the embedded sandbox provider sends its webhooks to this shop
    /// (`LESMINORIA_SANDBOX_WEBHOOKS=0` turns them off, to see the shop without them).
    pub sandbox_webhooks: bool,
    /// Allow a production start on a database that was never set up
    /// (`LESMINORIA_CREATE_DATABASE=1`, once, for a new shop).
    pub create_database: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{name} is {value:?}, which is not a socket address; use host:port, e.g. 127.0.0.1:3000"
    )]
    BadAddress { name: &'static str, value: String },
    #[error("LESMINORIA_PUBLIC_URL is {0:?}; it must start with https:// (or http://), e.g. https://www.lesminoria.com")]
    BadPublicUrl(String),
    #[error("{name} is {value:?}, which is not an amount in lira; write it like 79,90 or 1500")]
    BadAmount { name: &'static str, value: String },
    #[error("LESMINORIA_TRUSTED_PROXIES has {0:?}, which is not an IP address; list proxies as comma-separated IPs, e.g. 10.0.0.2,10.0.0.3")]
    BadProxy(String),
    #[error("{name} is {value:?}; it must be a whole number from 1 to {max}")]
    BadLimit {
        name: &'static str,
        value: String,
        max: u64,
    },
    #[error("{name} is {value:?}; write 1 (yes) or 0 (no)")]
    BadSwitch { name: &'static str, value: String },
    #[error("LESMINORIA_SELLER_MERSIS is {0:?}; a MERSİS number has 16 digits")]
    BadMersis(String),
    #[error("the LEPTOS_* settings are invalid: {0}; see the configuration table in README.md")]
    Leptos(String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        // Checked here first so that a typo gets a message naming the variable, rather than
        // Leptos's generic parse error.
        if let Ok(value) = std::env::var("LEPTOS_SITE_ADDR") {
            if value.parse::<SocketAddr>().is_err() {
                return Err(ConfigError::BadAddress {
                    name: "LEPTOS_SITE_ADDR",
                    value,
                });
            }
        }
        let leptos_options = get_configuration(None)
            .map_err(|error| ConfigError::Leptos(error.to_string()))?
            .leptos_options;
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let public_url = std::env::var("LESMINORIA_PUBLIC_URL")
            .ok()
            .map(|url| url.trim().trim_end_matches('/').to_string())
            .filter(|url| !url.is_empty());
        if let Some(url) = &public_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::BadPublicUrl(url.clone()));
            }
        }
        let defaults = ShippingPolicy::default();
        let shipping = ShippingPolicy {
            fee: amount_from_env("LESMINORIA_SHIPPING_FEE", defaults.fee)?,
            free_from: amount_from_env("LESMINORIA_FREE_SHIPPING_FROM", defaults.free_from)?,
        };
        let seller = seller_from_env()?;
        let trusted_proxies = match std::env::var("LESMINORIA_TRUSTED_PROXIES") {
            Ok(list) => list
                .split(',')
                .map(str::trim)
                .filter(|ip| !ip.is_empty())
                .map(|ip| {
                    ip.parse()
                        .map_err(|_| ConfigError::BadProxy(ip.to_string()))
                })
                .collect::<Result<_, _>>()?,
            Err(_) => Vec::new(),
        };
        let defaults = ConnectionLimits::default();
        let connection_limits = ConnectionLimits {
            header_timeout: Duration::from_secs(limit_from_env(
                "LESMINORIA_HEADER_TIMEOUT_SECONDS",
                defaults.header_timeout.as_secs(),
                300,
            )?),
            max_connections: limit_from_env(
                "LESMINORIA_MAX_CONNECTIONS",
                defaults.max_connections as u64,
                1_000_000,
            )? as usize,
            max_per_client: limit_from_env(
                "LESMINORIA_MAX_CONNECTIONS_PER_CLIENT",
                defaults.max_per_client as u64,
                1_000_000,
            )? as usize,
            ..defaults
        };
        let production = leptos_options.env == leptos::config::Env::PROD;
        let demo_catalogue = switch_from_env("LESMINORIA_DEMO_CATALOGUE")?.unwrap_or(!production);
        let create_database = switch_from_env("LESMINORIA_CREATE_DATABASE")?.unwrap_or(false);
        let sandbox_webhooks = switch_from_env("LESMINORIA_SANDBOX_WEBHOOKS")?.unwrap_or(true);
        Ok(Self {
            leptos_options,
            database_url,
            public_url,
            shipping,
            seller,
            trusted_proxies,
            connection_limits,
            production,
            smtp_url: std::env::var("LESMINORIA_SMTP_URL")
                .ok()
                .filter(|url| !url.is_empty()),
            order_link_secret: std::env::var("LESMINORIA_ORDER_LINK_SECRET")
                .ok()
                .filter(|secret| secret.len() >= 32),
            demo_catalogue,
            sandbox_webhooks,
            create_database,
        })
    }
}

fn seller_from_env() -> Result<SellerIdentity, ConfigError> {
    let defaults = SellerIdentity::default();
    let text = |name: &str, default: String| {
        std::env::var(name)
            .ok()
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty())
            .unwrap_or(default)
    };
    let seller = SellerIdentity {
        trade_name: text("LESMINORIA_SELLER_TRADE_NAME", defaults.trade_name),
        mersis: text("LESMINORIA_SELLER_MERSIS", defaults.mersis),
        address: text("LESMINORIA_SELLER_ADDRESS", defaults.address),
        phone: text("LESMINORIA_SELLER_PHONE", defaults.phone),
        kep: text("LESMINORIA_SELLER_KEP", defaults.kep),
        email: text("LESMINORIA_SELLER_EMAIL", defaults.email),
        bank_name: text("LESMINORIA_SELLER_BANK", defaults.bank_name),
        iban: text("LESMINORIA_SELLER_IBAN", defaults.iban),
    };
    if seller.mersis.len() != 16 || !seller.mersis.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::BadMersis(seller.mersis));
    }
    Ok(seller)
}

/// `1`/`true`/`yes` or `0`/`false`/`no`; `None` when unset.
fn switch_from_env(name: &'static str) -> Result<Option<bool>, ConfigError> {
    match std::env::var(name) {
        Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "1" | "true" | "yes" => Ok(Some(true)),
            "0" | "false" | "no" => Ok(Some(false)),
            _ => Err(ConfigError::BadSwitch { name, value }),
        },
        Err(_) => Ok(None),
    }
}

fn limit_from_env(name: &'static str, default: u64, max: u64) -> Result<u64, ConfigError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .ok()
            .filter(|limit| (1..=max).contains(limit))
            .ok_or(ConfigError::BadLimit { name, value, max }),
        _ => Ok(default),
    }
}

fn amount_from_env(name: &'static str, default: Money) -> Result<Money, ConfigError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => {
            Money::parse_lira(&value).ok_or(ConfigError::BadAmount { name, value })
        }
        _ => Ok(default),
    }
}
