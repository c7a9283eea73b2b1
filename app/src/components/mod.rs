//! Reusable pieces of the page: header with "LES MENÜ" and "Alışveriş Sepetim", footer, product
//! cards, prices, breadcrumbs and the tags search engines read.

mod breadcrumbs;
pub mod cart;
pub mod checkout_flow;
pub mod cookie_banner;
mod footer;
pub mod form;
mod header;
mod installments;
mod menu_drawer;
mod price;
mod product_card;
pub mod recently_viewed;
pub mod seo;

pub use breadcrumbs::Breadcrumbs;
pub use cookie_banner::{CookieBanner, CookieChoiceForm};
pub use footer::SiteFooter;
pub use header::SiteHeader;
#[cfg(feature = "ssr")]
pub use installments::installment_rows;
pub use installments::{installments_now, InstallmentTable};
pub use menu_drawer::MenuDrawer;
pub use price::Price;
pub use product_card::{ProductCardView, ProductGrid};
pub use seo::{JsonLd, PageMeta};
