use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use super::{cart::CartCount, MenuDrawer};
use crate::i18n::text;
use crate::model::{catalogue::CategoryLink, Locale, Page};
use crate::pages::data::navigation_now;
use crate::wire::{cart_view, menu};

/// The top bar on every page: "LES MENÜ" with the categories and search, the brand, and
/// "Alışveriş Sepetim". The menu and the cart count are islands around server-rendered HTML.
#[component]
pub fn SiteHeader(locale: Locale) -> impl IntoView {
    let links = navigation_now(locale);
    let home = locale.path(&Page::Home);
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <MenuDrawer>
                    <a
                        href="#les-menu"
                        id="les-menu-toggle"
                        class="main-nav__toggle"
                        role="button"
                        aria-controls="les-menu"
                        aria-expanded="false"
                        {..custom_attribute(menu::TOGGLE, "")}
                    >
                        <span class="main-nav__icon" aria-hidden="true"></span>
                        "LES MENÜ"
                    </a>
                    <nav id="les-menu" class="main-nav__drawer" aria-label="LES MENÜ">
                        <form class="search-form" action=locale.path(&Page::Search) method="get" role="search">
                            <label class="visually-hidden" for="site-search">{text(locale, "search.label")}</label>
                            <input
                                id="site-search"
                                type="search"
                                name=crate::model::route::SEARCH_QUERY
                                maxlength="100"
                                placeholder=text(locale, "search.placeholder")
                            />
                            <button type="submit" class="button button--small">{text(locale, "search.button")}</button>
                        </form>
                        <CategoryMenu links locale/>
                        <ul class="main-nav__list main-nav__list--secondary">
                            <li><a href=locale.path(&Page::Cart)>{text(locale, "nav.cart")}</a></li>
                            <li><a href=locale.path(&Page::Account)>{text(locale, "nav.account")}</a></li>
                            <li><a href=locale.path(&Page::Contact)>{text(locale, "footer.contact")}</a></li>
                        </ul>
                        // Without JavaScript this link moves the target away, which closes the
                        // drawer; the island intercepts it to close in place and restore focus.
                        <a href="#les-menu-toggle" class="main-nav__close" {..custom_attribute(menu::CLOSE, "")}>
                            {text(locale, "nav.close")}
                        </a>
                    </nav>
                </MenuDrawer>
                <a class="brand" href=home aria-label=text(locale, "nav.brand_home")>"LES MINORIA"</a>
                <a class="cart-link" href=locale.path(&Page::Cart)>
                    <span class="cart-link__label">{text(locale, "nav.cart")}</span>
                    // The count lives in the browser; the server reserves its space so nothing
                    // shifts when it appears.
                    <CartCount><span class="cart-link__count" {..custom_attribute(cart_view::COUNT, "")}></span></CartCount>
                </a>
            </div>
        </header>
    }
}

/// Top-level categories, each with its children.
#[component]
fn CategoryMenu(links: Vec<CategoryLink>, locale: Locale) -> impl IntoView {
    view! {
        <ul class="main-nav__list">
            {links
                .into_iter()
                .map(|parent| {
                    let href = locale.path(&Page::Category(parent.slug.clone()));
                    view! {
                        <li class="main-nav__group">
                            <a class="main-nav__top" href=href>{parent.name}</a>
                            <ul class="main-nav__children">
                                {parent
                                    .children
                                    .into_iter()
                                    .map(|child| {
                                        let href = locale.path(&Page::Category(child.slug));
                                        view! { <li><a href=href>{child.name}</a></li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
