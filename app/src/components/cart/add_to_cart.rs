use leptos::prelude::*;

use crate::client::island::{island_root, Root};

/// "Sepete ekle" around the product page's variant form and its (empty, hidden) mini-cart
/// panel. Without JavaScript (or before the WASM has arrived) the form is a plain GET to the
/// cart page, which adds the chosen variant once it is live. Live, it adds in place: the header
/// count changes at once, and the server's answer (rendered HTML) fills the mini-cart with what
/// was added; if the server refuses (sold out meanwhile, no longer for sale) the cart is rolled
/// back and its reason shown in the form's `.buy__message`. The form carries its words
/// (`data-choose-first`), the radios their price (`data-price`), so the island needs no props.
#[island]
pub fn AddToCart(children: Children) -> impl IntoView {
    let root = Root::new();
    #[cfg(feature = "hydrate")]
    crate::client::island::when_live(move || browser::start(root));
    island_root("buy-island", root, children)
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, Event, KeyboardEvent};

    use crate::client::cart::use_cart;
    use crate::client::cart_view_request::{request, CartViewKind};
    use crate::client::dom::{closest_to_event, find, focus, toggle_attribute};
    use crate::client::island::{after_paint, element, listen, spawn, Root};
    use crate::model::Money;
    use crate::wire::cart_view::{CHOOSE_FIRST, CLOSE_BUTTON_SELECTOR, PRICE, VARIANT};
    use crate::wire::state::LIVE;

    pub fn start(root: Root) {
        let Some(root) = element(root) else { return };
        let (Some(form), Some(panel)) = (find(&root, "form"), find(&root, ".mini-cart")) else {
            return;
        };
        // Our message replaces the browser's own "please select" bubble once we are live.
        form.set_attribute("novalidate", "").ok();
        toggle_attribute(&root, LIVE, true);
        listen(&form, "submit", {
            let (form, panel) = (form.clone(), panel.clone());
            move |ev: Event| {
                ev.prevent_default();
                add_chosen(&form, &panel);
            }
        });
        listen(&panel, "click", {
            let (root, panel) = (root.clone(), panel.clone());
            move |ev: Event| {
                if closest_to_event(&ev, CLOSE_BUTTON_SELECTOR).is_some() {
                    close(&root, &panel);
                }
            }
        });
        listen(&panel, "keydown", {
            let panel = panel.clone();
            move |ev: Event| {
                if ev.unchecked_ref::<KeyboardEvent>().key() == "Escape" {
                    ev.prevent_default();
                    close(&root, &panel);
                }
            }
        });
    }

    /// Hides the mini-cart and gives focus back to the button that opened it.
    fn close(root: &Element, panel: &Element) {
        panel.set_attribute("hidden", "").ok();
        focus(find(root, "button[type=submit]"));
    }

    fn add_chosen(form: &Element, panel: &Element) {
        let message = find(form, ".buy__message");
        let say = move |text: Option<String>, as_html: bool| {
            if let Some(message) = &message {
                match (text, as_html) {
                    (Some(html), true) => message.set_inner_html(&html),
                    (text, _) => message.set_text_content(text.as_deref()),
                }
            }
        };
        let chosen = find(form, &format!("input[name={VARIANT}]:checked"));
        let variant = chosen
            .as_ref()
            .and_then(|input| input.get_attribute("value")?.parse::<i64>().ok());
        let Some(variant) = variant else {
            say(form.get_attribute(CHOOSE_FIRST), false);
            return;
        };
        say(None, false);
        let seen = chosen
            .and_then(|input| input.get_attribute(PRICE)?.parse::<i64>().ok())
            .map(Money);
        let cart = use_cart();
        let before = cart.add(variant, seen);
        let asked = cart.items.get_untracked();
        let panel = panel.clone();
        spawn(async move {
            // Without an answer the line stays: the cart page and checkout price it again.
            let Some(answer) = request(CartViewKind::Added(variant), &asked).await else {
                return;
            };
            if answer.refused {
                cart.set_items(before);
                panel.set_attribute("hidden", "").ok();
                say(Some(answer.html), true);
            } else {
                cart.apply_corrections(&asked, answer.items);
                panel.set_inner_html(&answer.html);
                panel.remove_attribute("hidden").ok();
                after_paint(move || focus(Some(panel)));
            }
        });
    }
}
