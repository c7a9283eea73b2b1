use leptos::{html, prelude::*};

use crate::client::cart::use_cart;
use crate::client::cart_view_request::{request, CartViewKind};
use crate::client::dom::closest_to_event;
use crate::model::Money;

/// "Sepete ekle" around the product page's variant form (its children). Without JavaScript (or
/// before the WASM has arrived) the form is a plain GET to the cart page, which adds the chosen
/// variant once it is live. Live, it adds in place: the header count changes at once, and the
/// server's answer (rendered HTML) fills a mini-cart with what was added; if the server refuses
/// (sold out meanwhile, no longer for sale) the cart is rolled back and its reason shown in the
/// form's `.buy__message`. The form carries its words (`data-choose-first`), the radios their
/// price (`data-price`), so the island needs no props.
#[island]
pub fn AddToCart(children: Children) -> impl IntoView {
    let cart = use_cart();
    let live = RwSignal::new(false);
    let open = RwSignal::new(false);
    let panel_html = RwSignal::new(String::new());
    let root = NodeRef::<html::Div>::new();
    let panel = NodeRef::<html::Div>::new();

    // Our message replaces the browser's own "please select" bubble once we are live.
    Effect::new(move || {
        if let Some(form) = root
            .get()
            .and_then(|r| r.query_selector("form").ok().flatten())
        {
            let _ = form.set_attribute("novalidate", "");
        }
        live.set(true);
    });

    let focus = move |on_panel: bool| {
        request_animation_frame(move || {
            use leptos::wasm_bindgen::JsCast;
            let target: Option<leptos::web_sys::HtmlElement> = if on_panel {
                panel.get().map(|p| p.unchecked_into())
            } else {
                root.get()
                    .and_then(|r| r.query_selector("button[type=submit]").ok().flatten())
                    .and_then(|b| b.dyn_into().ok())
            };
            if let Some(target) = target {
                let _ = target.focus();
            }
        });
    };
    let close = move || {
        open.set(false);
        focus(false);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = root
            .get()
            .and_then(|r| r.query_selector("form").ok().flatten())
        else {
            return;
        };
        let message = form.query_selector(".buy__message").ok().flatten();
        let say = move |text: Option<String>, as_html: bool| {
            if let Some(message) = &message {
                match (text, as_html) {
                    (Some(html), true) => message.set_inner_html(&html),
                    (text, _) => message.set_text_content(text.as_deref()),
                }
            }
        };
        let chosen = form
            .query_selector("input[name=varyant]:checked")
            .ok()
            .flatten();
        let variant = chosen
            .as_ref()
            .and_then(|input| input.get_attribute("value")?.parse::<i64>().ok());
        let Some(variant) = variant else {
            say(form.get_attribute("data-choose-first"), false);
            return;
        };
        say(None, false);
        let seen = chosen
            .and_then(|input| input.get_attribute("data-price")?.parse::<i64>().ok())
            .map(Money);
        let before = cart.add(variant, seen);
        let asked = cart.items.get_untracked();
        let cart = cart.clone();
        leptos::task::spawn_local(async move {
            // Without an answer the line stays: the cart page and checkout price it again.
            let Some(answer) = request(CartViewKind::Added(variant), &asked).await else {
                return;
            };
            if answer.refused {
                cart.set_items(before);
                open.set(false);
                say(Some(answer.html), true);
            } else {
                cart.apply_corrections(&asked, answer.items);
                panel_html.set(answer.html);
                open.set(true);
                focus(true);
            }
        });
    };

    let on_panel_click = move |ev: leptos::ev::MouseEvent| {
        if closest_to_event(&ev, "[data-action=kapat]").is_some() {
            close();
        }
    };
    let on_panel_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };

    view! {
        <div class="buy-island" node_ref=root on:submit=on_submit data-live=move || live.get().then_some("true")>
            {children()}
            <div
                class="mini-cart"
                role="dialog"
                aria-labelledby="mini-cart-title"
                tabindex="-1"
                node_ref=panel
                hidden=move || !open.get()
                inner_html=move || panel_html.get()
                on:click=on_panel_click
                on:keydown=on_panel_key
            ></div>
        </div>
    }
}
