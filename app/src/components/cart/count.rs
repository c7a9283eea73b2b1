use leptos::prelude::*;

use crate::client::cart::use_cart;

/// The number next to "Alışveriş Sepetim". The server cannot know it: it renders the empty,
/// space-reserving badge, and the browser fills it once the island is live (the first render
/// in the browser matches the server's, so hydration never disagrees).
#[island]
pub fn CartCount() -> impl IntoView {
    let cart = use_cart();
    let live = RwSignal::new(false);
    Effect::new(move || live.set(true));
    let count = move || {
        let count = cart.count();
        (live.get() && count > 0).then(|| count.to_string())
    };
    view! {
        <span class="cart-link__count" data-cart-count="" data-live=move || live.get().then_some("true")>
            {count}
        </span>
    }
}
