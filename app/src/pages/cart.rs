use leptos::prelude::*;
use leptos_meta::Meta;

use crate::components::{cart::CartView, PageMeta};
use crate::i18n::text;
use crate::model::{Locale, Page};

/// "Alışveriş Sepetim". The cart lives in the browser, so the server renders the frame and the
/// island fills it; without JavaScript the page says how the cart is kept (`.no-js-note`, hidden
/// from the first paint wherever scripts run).
#[component]
pub fn CartPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "cart.title");
    view! {
        <PageMeta locale page=Page::Cart title=title.clone() description=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <section class="cart-page">
            <h1>{title}</h1>
            <div class="no-js-note">
                <p class="notice">{text(locale, "cart.needs_js")}</p>
                <p><a href=locale.path(&Page::Home)>{text(locale, "cart.start")}</a></p>
            </div>
            <CartView>
                <p class="cart__loading">{text(locale, "cart.loading")}</p>
                <p class="notice" role="status" data-notice="unreadable">{text(locale, "cart.unreadable")}</p>
                <p class="notice notice--warning" role="status" data-notice="offline">{text(locale, "cart.offline")}</p>
                // The lines, corrections and totals the server renders for the browser's cart.
                <div class="cart__body"></div>
            </CartView>
        </section>
    }
}
