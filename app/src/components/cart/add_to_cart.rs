use leptos::{html, prelude::*};
use serde::{Deserialize, Serialize};

use super::{texts::CartText, CartTexts};
use crate::client::cart::use_cart;
use crate::model::cart::CorrectionKind;
use crate::model::{catalogue::Image, Money};

/// What the mini-cart shows about the product being added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddToCartProduct {
    pub name: String,
    pub image: Image,
    pub variants: Vec<AddToCartVariant>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddToCartVariant {
    pub id: i64,
    pub colour: String,
    pub size: String,
    pub price: Money,
}

/// "Sepete ekle": the product page's variant form. Without JavaScript (or before the WASM has
/// arrived) it is a plain GET form to the cart page, which adds the chosen variant once it is
/// live. Live, it adds in place: the header count changes at once, a mini-cart shows what was
/// added, and the server's pricing follows; if the server refuses (sold out meanwhile, no
/// longer for sale) the cart is rolled back and the reason shown next to the button.
#[island]
pub fn AddToCart(
    product: AddToCartProduct,
    texts: CartTexts,
    cart_path: String,
    children: Children,
) -> impl IntoView {
    let cart = use_cart();
    let live = RwSignal::new(false);
    Effect::new(move || live.set(true));
    let message = RwSignal::new(None::<String>);
    // The variant just added, and what the server said about it (a reduced quantity).
    let added = RwSignal::new(None::<AddToCartVariant>);
    let added_note = RwSignal::new(None::<String>);
    let form_ref = NodeRef::<html::Form>::new();
    let panel_ref = NodeRef::<html::Div>::new();
    let locale = texts.locale();
    let texts = StoredValue::new(texts);
    let variants = StoredValue::new(product.variants);

    let focus_after_paint = move |on_panel: bool| {
        request_animation_frame(move || {
            use leptos::wasm_bindgen::JsCast;
            let target: Option<leptos::web_sys::HtmlElement> = if on_panel {
                panel_ref.get().map(|panel| panel.unchecked_into())
            } else {
                form_ref
                    .get()
                    .and_then(|form| form.query_selector("button[type=submit]").ok().flatten())
                    .and_then(|button| button.dyn_into().ok())
            };
            if let Some(target) = target {
                let _ = target.focus();
            }
        });
    };
    let close = move || {
        added.set(None);
        focus_after_paint(false);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = form_ref
            .get()
            .and_then(|form| {
                form.query_selector("input[name=varyant]:checked")
                    .ok()
                    .flatten()
            })
            .and_then(|input| input.get_attribute("value"))
            .and_then(|value| value.parse::<i64>().ok())
            .and_then(|id| variants.with_value(|all| all.iter().find(|v| v.id == id).cloned()));
        let Some(variant) = chosen else {
            message.set(Some(texts.with_value(|t| t.get(CartText::ChooseFirst))));
            return;
        };
        message.set(None);
        added_note.set(None);
        let before = cart.add(variant.id, variant.price);
        added.set(Some(variant.clone()));
        focus_after_paint(true);

        let cart = cart.clone();
        let asked = cart.items.get_untracked();
        leptos::task::spawn_local(async move {
            // Without an answer the line stays: the cart page and checkout price it again.
            let Ok(priced) = crate::api::cart::price_cart(locale, asked.clone()).await else {
                return;
            };
            let about_this = priced
                .corrections
                .iter()
                .find(|c| c.variant_id == variant.id)
                .cloned();
            match about_this {
                Some(c)
                    if matches!(
                        c.kind,
                        CorrectionKind::SoldOut | CorrectionKind::Unavailable
                    ) =>
                {
                    cart.set_items(before);
                    added.set(None);
                    message.set(Some(texts.with_value(|t| t.describe(&c))));
                }
                other => {
                    added_note.set(other.map(|c| texts.with_value(|t| t.describe(&c))));
                    cart.apply_pricing(&asked, priced);
                }
            }
        });
    };

    let on_panel_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };

    let t = texts.get_value();
    let image = product.image;
    let name = product.name;
    view! {
        <form
            class="buy"
            action=cart_path.clone()
            method="get"
            node_ref=form_ref
            on:submit=on_submit
            novalidate=move || live.get()
            data-live=move || live.get().then_some("true")
        >
            {children()}
            <p class="buy__message" role="alert">{move || message.get()}</p>
        </form>
        <div
            class="mini-cart"
            role="dialog"
            aria-labelledby="mini-cart-title"
            tabindex="-1"
            node_ref=panel_ref
            hidden=move || added.with(Option::is_none)
            on:keydown=on_panel_key
        >
            <p id="mini-cart-title" class="mini-cart__title">{t.get(CartText::Added)}</p>
            <div class="mini-cart__line">
                <img src=image.src alt="" width="60" height="80"/>
                <div>
                    <p class="mini-cart__name">{name}</p>
                    <p class="mini-cart__variant">
                        {move || added.get().map(|v| format!("{} / {}", v.colour, v.size))}
                    </p>
                    <p class="mini-cart__price">
                        {move || added.get().map(|v| v.price.format(locale))}
                    </p>
                    <p class="mini-cart__note" role="status">{move || added_note.get()}</p>
                </div>
            </div>
            <div class="mini-cart__actions">
                <a class="button" href=cart_path>{t.get(CartText::GoToCart)}</a>
                <button type="button" class="button button--ghost" on:click=move |_| close()>
                    {t.get(CartText::ContinueShopping)}
                </button>
            </div>
        </div>
    }
}
