use leptos::{html, prelude::*};

use crate::client::cart::{use_cart, CartStore, StoreNotice};
use crate::client::cart_view_request::{request, CartViewKind};
use crate::client::dom::closest_to_event;
use crate::model::cart::CartItem;

/// The cart page's content. The server renders the frame: a "loading" line and the notices
/// this island may raise (`data-notice`, hidden by CSS until the island's attributes show
/// them). Live, the island sends the cart to the server and shows the HTML it answers (lines,
/// corrections, totals), again after every change here or in another tab; the steppers and
/// "Kaldır" in that HTML are `data-action="adet"` buttons handled here.
#[island]
pub fn CartView(children: Children) -> impl IntoView {
    let cart = use_cart();
    let shown = RwSignal::new(String::new());
    let ready = RwSignal::new(false);
    let offline = RwSignal::new(false);
    // The items the HTML on screen was rendered for (after the server's corrections).
    let rendered_for = StoredValue::new(None::<Vec<CartItem>>);

    Effect::new({
        let cart = cart.clone();
        move || add_variant_from_address(&cart)
    });
    Effect::new({
        let cart = cart.clone();
        move || {
            let items = cart.items.get();
            if rendered_for.with_value(|shown| shown.as_ref() == Some(&items)) {
                return;
            }
            let cart = cart.clone();
            leptos::task::spawn_local(async move {
                let answer = request(CartViewKind::Page, &items).await;
                ready.set(true);
                let Some(answer) = answer else {
                    offline.set(true);
                    return;
                };
                offline.set(false);
                rendered_for.set_value(Some(answer.items.clone()));
                cart.apply_corrections(&items, answer.items);
                shown.set(answer.html);
            });
        }
    });

    let on_click = {
        let cart = cart.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some((variant, change)) = quantity_button(&ev) else {
                return;
            };
            let current = cart.items.with_untracked(|items| {
                items
                    .iter()
                    .find(|item| item.variant_id == variant)
                    .map_or(0, |item| item.quantity)
            });
            // "sil" removes the line; otherwise the change is relative to what the cart holds.
            let quantity = change.map_or(0, |step| current + step);
            cart.set_quantity(variant, quantity);
        }
    };
    let unreadable = {
        let cart = cart.clone();
        move || cart.notice.get() == Some(StoreNotice::UnreadableCartDropped)
    };
    let body = NodeRef::<html::Div>::new();
    view! {
        <div
            class="cart"
            data-ready=move || ready.get().then_some("true")
            data-offline=move || offline.get().then_some("true")
            data-unreadable=move || unreadable().then_some("true")
        >
            {children()}
            <div class="cart__body" node_ref=body inner_html=move || shown.get() on:click=on_click></div>
        </div>
    }
}

/// The variant and change (`None`: remove) of a clicked `data-action="adet"` button.
fn quantity_button(ev: &leptos::ev::MouseEvent) -> Option<(i64, Option<i64>)> {
    let button = closest_to_event(ev, "[data-action=adet]")?;
    let variant = button.get_attribute("data-variant")?.parse::<i64>().ok()?;
    let change = button.get_attribute("data-change")?;
    Some((variant, change.parse::<i64>().ok()))
}

/// `/sepet?varyant=ID` is where "Sepete ekle" lands when it was pressed before the page's
/// scripts ran: add that variant once, then drop the parameter so a reload does not add again.
fn add_variant_from_address(cart: &CartStore) {
    #[cfg(feature = "hydrate")]
    {
        let window = leptos::prelude::window();
        let location = window.location();
        let search = location.search().unwrap_or_default();
        let variant = search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == "varyant")
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
    #[cfg(not(feature = "hydrate"))]
    let _ = cart;
}
