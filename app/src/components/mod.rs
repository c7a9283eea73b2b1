//! Reusable pieces of the page: the header with "LES MENÜ" and "Alışveriş Sepetim", the footer.

mod footer;
mod header;
mod menu_drawer;

pub use footer::SiteFooter;
pub use header::SiteHeader;
pub use menu_drawer::MenuDrawer;
