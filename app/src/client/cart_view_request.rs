//! Asking the server for a view of the cart. The server prices the items (`backend::cart`) and
//! answers with HTML it rendered (the cart page's lines and totals, or the mini-cart) plus the
//! corrected items in a header. Rendering on the server keeps the cart's views, their words and
//! the money formatting out of the WASM every phone downloads; the browser only swaps HTML.

use crate::model::cart::CartItem;
use crate::model::Locale;

use crate::wire::cart_view::{VARIANT, VIEW, VIEW_ADDED, VIEW_PAGE};
use crate::wire::LOCALE;

/// Which view of the cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CartViewKind {
    /// Lines, corrections and totals for `/sepet`.
    Page,
    /// What "Sepete ekle" shows after adding this variant.
    Added(i64),
}

/// The query string of a request for `kind` in `locale`.
pub fn query(kind: CartViewKind, locale: Locale) -> String {
    match kind {
        CartViewKind::Page => format!("?{LOCALE}={}&{VIEW}={VIEW_PAGE}", locale.code()),
        CartViewKind::Added(id) => {
            format!(
                "?{LOCALE}={}&{VIEW}={VIEW_ADDED}&{VARIANT}={id}",
                locale.code()
            )
        }
    }
}

/// The server's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartViewAnswer {
    pub html: String,
    pub items: Vec<CartItem>,
    pub refused: bool,
}

/// Posts the items for a view in the page's language; `None` when the server could not be
/// reached or did not answer properly (and always on the server, which never asks).
pub async fn request(kind: CartViewKind, items: &[CartItem]) -> Option<CartViewAnswer> {
    #[cfg(feature = "hydrate")]
    {
        browser::request(kind, browser::page_locale(), items).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (kind, items);
        None
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::client::fetch::send;
    use crate::wire::cart_view::{ENDPOINT, ITEMS_HEADER, OUTCOME_HEADER, REFUSED};

    pub use crate::client::fetch::page_locale;

    /// Posts the items; `None` when the server could not be reached or did not answer properly.
    pub async fn request(
        kind: CartViewKind,
        locale: Locale,
        items: &[CartItem],
    ) -> Option<CartViewAnswer> {
        let url = format!("{ENDPOINT}{}", query(kind, locale));
        let body = crate::model::cart::encode_items(items);
        let answer = send(
            "POST",
            &url,
            Some(&body),
            &[("content-type", "text/plain;charset=utf-8")],
        )
        .await?;
        if !answer.ok {
            return None;
        }
        let items = crate::model::cart::decode_items(&answer.header(ITEMS_HEADER)?)?;
        let refused = answer.header(OUTCOME_HEADER).as_deref() == Some(REFUSED);
        Some(CartViewAnswer {
            html: answer.body,
            items,
            refused,
        })
    }
}
