//! Asking the server for a view of the cart. The server prices the items (`backend::cart`) and
//! answers with HTML it rendered (the cart page's lines and totals, or the mini-cart) plus the
//! corrected items in a header. Rendering on the server keeps the cart's views, their words and
//! the money formatting out of the WASM every phone downloads; the browser only swaps HTML.

use crate::model::cart::CartItem;
use crate::model::Locale;

/// The address of the cart view (server/src/cart_view.rs).
pub const ENDPOINT: &str = "/api/sepet/gorunum";
/// The corrected items, in `encode_items` form.
pub const ITEMS_HEADER: &str = "x-sepet";
/// `reddedildi` when the variant being added cannot be bought (`eklendi` otherwise).
pub const OUTCOME_HEADER: &str = "x-sepet-durum";
pub const REFUSED: &str = "reddedildi";
pub const ADDED: &str = "eklendi";

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
        CartViewKind::Page => format!("?dil={}&gorunum=sayfa", locale.code()),
        CartViewKind::Added(id) => format!("?dil={}&gorunum=ekle&varyant={id}", locale.code()),
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

    /// The page's language, from `<html lang>`.
    pub fn page_locale() -> Locale {
        let lang = leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"));
        crate::i18n::locale_of_path(if lang.as_deref() == Some("en") {
            "/en"
        } else {
            "/"
        })
    }

    /// Posts the items; `None` when the server could not be reached or did not answer properly.
    pub async fn request(
        kind: CartViewKind,
        locale: Locale,
        items: &[CartItem],
    ) -> Option<CartViewAnswer> {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        use leptos::web_sys::{Request, RequestInit, Response};
        use wasm_bindgen_futures::JsFuture;

        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&crate::model::cart::encode_items(items)));
        let url = format!("{ENDPOINT}{}", query(kind, locale));
        let request = Request::new_with_str_and_init(&url, &init).ok()?;
        request
            .headers()
            .set("content-type", "text/plain;charset=utf-8")
            .ok()?;
        let response: Response =
            JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        if !response.ok() {
            return None;
        }
        let headers = response.headers();
        let items = crate::model::cart::decode_items(&headers.get(ITEMS_HEADER).ok()??)?;
        let refused = headers.get(OUTCOME_HEADER).ok()?.as_deref() == Some(REFUSED);
        let html = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        Some(CartViewAnswer {
            html,
            items,
            refused,
        })
    }
}
