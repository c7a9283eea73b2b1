use leptos::prelude::*;

use super::MenuDrawer;

/// The top bar on every page: "LES MENÜ", the brand, and "Alışveriş Sepetim".
///
/// Only the menu toggle is an island; the rest is plain server HTML.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <MenuDrawer>
                    <ul class="main-nav__list">
                        <li><a href="/">"Ana sayfa"</a></li>
                        <li><a href="/sepet">"Alışveriş Sepetim"</a></li>
                        <li><a href="/iade-ve-cayma">"İade ve cayma"</a></li>
                        <li><a href="/iletisim">"İletişim"</a></li>
                    </ul>
                </MenuDrawer>
                <a class="brand" href="/" aria-label="Les Minoria ana sayfa">"LES MINORIA"</a>
                <a class="cart-link" href="/sepet">
                    <span class="cart-link__label">"Alışveriş Sepetim"</span>
                    // The count lives in the browser (the cart issue fills it after hydration);
                    // the server reserves its space so nothing shifts when it appears.
                    <span class="cart-link__count" data-cart-count=""></span>
                </a>
            </div>
        </header>
    }
}
