use leptos::prelude::*;

use crate::client::island::{island_root, Root};

/// The cart page's content. The server renders the frame: a "loading" line, the notices this
/// island may raise (`data-notice`, hidden by CSS until the island's attributes on its root show
/// them) and an empty `.cart__body`. Live, the island sends the cart to the server and shows
/// the HTML it answers (lines, corrections, totals), again after every change here or in
/// another tab; the steppers and "Kaldır" in that HTML are `data-action="adet"` buttons handled
/// here.
#[island]
pub fn CartView(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    browser::start(root);
    island_root("cart", root, children)
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use leptos::web_sys::Event;

    use crate::client::cart::{use_cart, CartStore, StoreNotice};
    use crate::client::cart_view_request::{request, CartViewKind};
    use crate::client::dom::{closest_to_event, find, toggle_attribute};
    use crate::client::island::{element, listen, react, spawn, when_live, Root};
    use crate::model::cart::CartItem;
    use crate::wire::cart_view::{CHANGE, LINE_VARIANT, QUANTITY_BUTTON_SELECTOR, VARIANT};
    use crate::wire::state::{OFFLINE, READY, UNREADABLE};

    pub fn start(root: Root) {
        let cart = use_cart();
        when_live({
            let cart = cart.clone();
            move || {
                add_variant_from_address(&cart);
                let body = element(root).and_then(|root| find(&root, ".cart__body"));
                if let Some(body) = body {
                    listen(&body, "click", move |ev: Event| change_quantity(&cart, &ev));
                }
            }
        });
        react({
            let cart = cart.clone();
            move || {
                let unreadable = cart.notice.get() == Some(StoreNotice::UnreadableCartDropped);
                if let Some(root) = element(root) {
                    toggle_attribute(&root, UNREADABLE, unreadable);
                }
            }
        });
        // The items the HTML on screen was rendered for (after the server's corrections).
        let rendered_for: Rc<RefCell<Option<Vec<CartItem>>>> = Rc::default();
        react(move || {
            let items = cart.items.get();
            let Some(root) = element(root) else { return };
            if rendered_for.borrow().as_ref() == Some(&items) {
                return;
            }
            let (cart, rendered_for) = (cart.clone(), rendered_for.clone());
            spawn(async move {
                let answer = request(CartViewKind::Page, &items).await;
                toggle_attribute(&root, READY, true);
                toggle_attribute(&root, OFFLINE, answer.is_none());
                let Some(answer) = answer else { return };
                // The cart changed while this answer was on its way: a newer request is out,
                // and an older answer arriving after it must not replace what it shows.
                if cart.items.with_untracked(|now| now != &items) {
                    return;
                }
                *rendered_for.borrow_mut() = Some(answer.items.clone());
                cart.apply_corrections(&items, answer.items);
                if let Some(body) = find(&root, ".cart__body") {
                    body.set_inner_html(&answer.html);
                }
            });
        });
    }

    /// A click on a `data-action="adet"` button: `data-change` is the step (relative to what
    /// the cart holds, so quick clicks add up before the next render arrives), `sil` removes.
    fn change_quantity(cart: &CartStore, ev: &Event) {
        let Some(button) = closest_to_event(ev, QUANTITY_BUTTON_SELECTOR) else {
            return;
        };
        let variant = button.get_attribute(LINE_VARIANT);
        let Some(variant) = variant.and_then(|v| v.parse::<i64>().ok()) else {
            return;
        };
        let Some(change) = button.get_attribute(CHANGE) else {
            return;
        };
        let current = cart.items.with_untracked(|items| {
            items
                .iter()
                .find(|item| item.variant_id == variant)
                .map_or(0, |item| item.quantity)
        });
        let quantity = change.parse::<i64>().map_or(0, |step| current + step);
        cart.set_quantity(variant, quantity);
    }

    /// `/sepet?varyant=ID` is where "Sepete ekle" lands when it was pressed before the page's
    /// scripts ran: add that variant once, then drop the parameter so a reload does not add
    /// again.
    fn add_variant_from_address(cart: &CartStore) {
        let window = window();
        let location = window.location();
        let search = location.search().unwrap_or_default();
        let variant = search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == VARIANT)
            .and_then(|(_, value)| value.parse::<i64>().ok());
        if let Some(id) = variant {
            cart.add(id, None);
            let path = location.pathname().unwrap_or_default();
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(
                    &leptos::wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&path),
                );
            }
        }
    }
}
