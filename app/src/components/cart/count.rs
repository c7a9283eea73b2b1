use leptos::prelude::*;

use crate::client::island::{island_root, Root};

/// The number next to "Alışveriş Sepetim". The server cannot know it: it renders the empty,
/// space-reserving badge (the child marked `data-cart-count`), and the browser fills it once
/// the island is live, and again whenever the cart changes, in this tab or another. The
/// island's view stays what the server rendered, so hydration never disagrees; the number is
/// written into the DOM afterwards.
#[island]
pub fn CartCount(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    {
        use crate::client::dom::{find, toggle_attribute};
        use crate::client::island::{element, react};
        use crate::wire::{cart_view::COUNT_SELECTOR, state::LIVE};
        let cart = crate::client::cart::use_cart();
        react(move || {
            let count = cart.count();
            let badge = element(root).and_then(|root| find(&root, COUNT_SELECTOR));
            if let Some(badge) = badge {
                toggle_attribute(&badge, LIVE, true);
                let text = (count > 0).then(|| count.to_string());
                badge.set_text_content(text.as_deref());
            }
        });
    }
    island_root("cart-link__badge", root, children)
}
