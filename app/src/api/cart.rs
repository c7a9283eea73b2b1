//! The cart's server function: the browser sends what it holds, the server answers with the
//! cart as it can be bought now (prices, stock and corrections from the database).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::cart::{CartItem, PricedCart};
use crate::model::Locale;

/// Prices the browser's cart. Anything in `items` is only a request: unknown, duplicate or
/// unpublished variants, impossible quantities and stale prices come back corrected, each
/// correction listed for the shopper to see.
#[server(prefix = "/api", endpoint = "sepet/fiyatla", input = Json)]
pub async fn price_cart(locale: Locale, items: Vec<CartItem>) -> Result<PricedCart, ServerFnError> {
    let state = expect_context::<crate::backend::AppState>();
    crate::backend::cart::price_now(&state, &items, locale)
        .await
        .map_err(|error| {
            tracing::error!(%error, "catalogue could not be loaded to price a cart");
            ServerFnError::new("catalogue unavailable")
        })
}
