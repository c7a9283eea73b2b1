//! "Son baktığınız ürünler" on the product page: a personalisation feature, so it exists only
//! with İşlevsel consent. The list of product addresses lives in the browser (localStorage,
//! `RECENTLY_VIEWED_STORAGE_KEY`); the server renders the cards for it
//! (`GET /api/son-bakilanlar`, server/src/recently_viewed.rs), so the product page itself stays
//! the same for everyone and cacheable. Without consent nothing is read, written or shown, and
//! a list kept from an earlier consent is deleted.

use leptos::prelude::*;

use crate::client::island::{island_root, Root};

/// How many products the list remembers (the current one included).
pub const REMEMBERED: usize = 9;

/// The product slugs of a stored list, newest first, after visiting `current`: `current`
/// moves to the front, duplicates and malformed entries go, at most [`REMEMBERED`] stay.
pub fn remember(stored: &str, current: &str) -> Vec<String> {
    let mut slugs = vec![current.to_string()];
    for slug in stored.split(',') {
        if slugs.len() >= REMEMBERED {
            break;
        }
        if is_slug(slug) && !slugs.iter().any(|s| s == slug) {
            slugs.push(slug.to_string());
        }
    }
    slugs
}

/// A product address word: lowercase letters, digits and hyphens.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 120
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Its children are the section's frame (a heading and an empty list, hidden); the product
/// page's slug is on that `<section>` as `data-urun`.
#[island]
pub fn RecentlyViewed(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    {
        let consent = crate::client::consent::use_consent();
        crate::client::island::react(move || {
            let allowed = consent.with(|state| state.choice().functional);
            browser::show(root, allowed);
        });
    }
    island_root("recently-viewed-island", root, children)
}

#[cfg(feature = "hydrate")]
mod browser {
    use gloo_storage::{LocalStorage, Storage};

    use super::remember;
    use crate::client::dom::{find, toggle_attribute};
    use crate::client::fetch::{page_locale, send};
    use crate::client::island::{element, spawn, Root};
    use crate::model::consent::RECENTLY_VIEWED_STORAGE_KEY;
    use crate::wire::recently_viewed::{ENDPOINT, LIST_SELECTOR, PRODUCT, PRODUCTS};
    use crate::wire::{state::LIVE, LOCALE};

    pub fn show(root: Root, allowed: bool) {
        let Some(root) = element(root) else { return };
        // For tests and styles: the island has applied the consent state.
        toggle_attribute(&root, LIVE, true);
        let Some(section) = find(&root, "section") else {
            return;
        };
        if !allowed {
            section.set_attribute("hidden", "").ok();
            LocalStorage::delete(RECENTLY_VIEWED_STORAGE_KEY);
            return;
        }
        let Some(current) = section.get_attribute(PRODUCT) else {
            return;
        };
        let stored = LocalStorage::raw()
            .get_item(RECENTLY_VIEWED_STORAGE_KEY)
            .ok()
            .flatten()
            .unwrap_or_default();
        let slugs = remember(&stored, &current);
        let _ = LocalStorage::raw().set_item(RECENTLY_VIEWED_STORAGE_KEY, &slugs.join(","));
        let others = slugs[1..].join(",");
        if others.is_empty() {
            return;
        }
        let url = format!(
            "{ENDPOINT}?{LOCALE}={}&{PRODUCTS}={others}",
            page_locale().code()
        );
        spawn(async move {
            let Some(answer) = send("GET", &url, None, &[]).await.filter(|a| a.ok) else {
                return;
            };
            if answer.body.trim().is_empty() {
                return;
            }
            if let Some(list) = find(&section, LIST_SELECTOR) {
                list.set_inner_html(&answer.body);
                section.remove_attribute("hidden").ok();
            }
        });
    }
}

/// The cards of the recently viewed products, as the island inserts them (server only).
#[cfg(feature = "ssr")]
pub fn cards_html(
    cards: Vec<crate::model::catalogue::ProductCard>,
    locale: crate::model::Locale,
) -> String {
    use crate::components::ProductCardView;
    Owner::new().with(|| {
        cards
            .into_iter()
            .map(|card| view! { <ProductCardView card locale/> })
            .collect_view()
            .to_html()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_product_goes_first_once_and_the_list_is_bounded() {
        assert_eq!(remember("", "a"), vec!["a"]);
        assert_eq!(remember("b,a,c", "a"), vec!["a", "b", "c"]);
        assert_eq!(remember("b,<x>,B,,c", "a"), vec!["a", "b", "c"]);
        let long: Vec<String> = (0..30).map(|i| format!("p{i}")).collect();
        assert_eq!(remember(&long.join(","), "a").len(), REMEMBERED);
    }
}
