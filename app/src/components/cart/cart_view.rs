use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

use super::{texts::CartText, CartTexts};
use crate::client::cart::{use_cart, CartStore, StoreNotice};
use crate::model::cart::{PricedCart, PricedLine};
use crate::model::text::fill;
use crate::model::Page;

/// The cart page's content. The server renders a "loading" line (and a `<noscript>` note
/// beside it); in the browser the island reads the cart, asks the server to price it, and
/// renders lines, corrections and totals, re-pricing after every change (here or in another tab).
#[island]
pub fn CartView(texts: CartTexts) -> impl IntoView {
    let cart = use_cart();
    let live = RwSignal::new(false);
    let offline = RwSignal::new(false);
    let texts = StoredValue::new(texts);
    let locale = texts.with_value(|t| t.locale());

    Effect::new({
        let cart = cart.clone();
        move || {
            add_variant_from_address(&cart);
            live.set(true);
        }
    });
    // Re-price whenever the items differ from what the server last priced.
    Effect::new({
        let cart = cart.clone();
        move || {
            let items = cart.items.get();
            let up_to_date = cart
                .priced
                .with_untracked(|p| p.as_ref().is_some_and(|p| p.items() == items));
            if up_to_date {
                return;
            }
            let cart = cart.clone();
            leptos::task::spawn_local(async move {
                match crate::api::cart::price_cart(locale, items.clone()).await {
                    Ok(priced) => {
                        offline.set(false);
                        cart.apply_pricing(&items, priced);
                    }
                    Err(_) => offline.set(true),
                }
            });
        }
    });

    let body = {
        let cart = cart.clone();
        move || {
            // Either, not AnyView: type-erased views cost the WASM several kilobytes each.
            if !live.get() {
                return Either::Left(
                    view! { <p class="cart__loading">{texts.with_value(|t| t.get(CartText::Loading))}</p> },
                );
            }
            let empty = cart.items.with(Vec::is_empty);
            let priced = cart.priced.get();
            let t = texts.get_value();
            Either::Right(view! {
                {cart.notice.get().map(|StoreNotice::UnreadableCartDropped| view! {
                    <p class="notice" role="status">{t.get(CartText::Unreadable)}</p>
                })}
                {offline.get().then(|| view! { <p class="notice notice--warning" role="status">{t.get(CartText::Offline)}</p> })}
                <Corrections priced=priced.clone() texts=t.clone()/>
                {match (empty, priced) {
                    (true, _) => EitherOf3::A(view! {
                        <div class="cart__empty">
                            <p>{t.get(CartText::Empty)}</p>
                            <p><a class="button" href=locale.path(&Page::Home)>{t.get(CartText::Start)}</a></p>
                        </div>
                    }),
                    (false, Some(priced)) => EitherOf3::B(view! { <Lines priced cart=cart.clone() texts=t/> }),
                    (false, None) => EitherOf3::C(view! { <p class="cart__loading">{t.get(CartText::Loading)}</p> }),
                }}
            })
        }
    };
    view! { <div class="cart" data-live=move || live.get().then_some("true")>{body}</div> }
}

/// What the server changed in the cart, in plain sentences.
#[component]
fn Corrections(priced: Option<PricedCart>, texts: CartTexts) -> impl IntoView {
    let corrections = priced.map(|p| p.corrections).unwrap_or_default();
    (!corrections.is_empty()).then(|| {
        view! {
            <div class="notice notice--warning cart__changes" role="status">
                <p class="cart__changes-title">{texts.get(CartText::Changes)}</p>
                <ul>
                    {corrections.iter().map(|c| view! { <li>{texts.describe(c)}</li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn Lines(priced: PricedCart, cart: CartStore, texts: CartTexts) -> impl IntoView {
    let locale = texts.locale();
    let totals = priced.totals;
    let free_shipping = match totals.missing_for_free_shipping {
        Some(missing) => fill(
            &texts.get(CartText::FreeShippingMissing),
            &[("amount", &missing.format(locale))],
        ),
        None => texts.get(CartText::FreeShippingReached),
    };
    let shipping = if totals.shipping.kurus() == 0 {
        texts.get(CartText::ShippingFree)
    } else {
        totals.shipping.format(locale)
    };
    view! {
        <div class="cart__layout">
            <ul class="cart__lines" aria-label=texts.get(CartText::Items)>
                {priced
                    .lines
                    .into_iter()
                    .map(|line| view! { <Line line cart=cart.clone() texts=texts.clone()/> })
                    .collect_view()}
            </ul>
            <section class="cart__summary" aria-labelledby="cart-summary">
                <h2 id="cart-summary">{texts.get(CartText::Summary)}</h2>
                <dl>
                    <div><dt>{texts.get(CartText::Subtotal)}</dt><dd data-total="subtotal">{totals.subtotal.format(locale)}</dd></div>
                    <div><dt>{texts.get(CartText::Shipping)}</dt><dd data-total="shipping">{shipping}</dd></div>
                    <div class="cart__grand"><dt>{texts.get(CartText::Total)}</dt><dd data-total="total">{totals.total.format(locale)}</dd></div>
                    <div class="cart__kdv"><dt>{texts.get(CartText::Kdv)}</dt><dd data-total="kdv">{totals.kdv.format(locale)}</dd></div>
                </dl>
                <p class="cart__free-shipping">{free_shipping}</p>
                <button type="button" class="button button--wide" disabled=true aria-describedby="checkout-soon">
                    {texts.get(CartText::Checkout)}
                </button>
                <p id="checkout-soon" class="cart__soon">{texts.get(CartText::CheckoutSoon)}</p>
            </section>
        </div>
    }
}

#[component]
fn Line(line: PricedLine, cart: CartStore, texts: CartTexts) -> impl IntoView {
    let locale = texts.locale();
    let id = line.variant_id;
    let quantity = line.quantity;
    // One handler per button, each with its own handle on the store.
    let change_to = move |to: i64| {
        let cart = cart.clone();
        move |_| cart.set_quantity(id, to)
    };
    let href = locale.path(&Page::Product(line.product_slug.clone()));
    view! {
        <li class="cart-line" data-variant=id.to_string()>
            <img class="cart-line__image" src=line.image.src.clone() alt="" width="90" height="120"/>
            <div class="cart-line__info">
                <a class="cart-line__name" href=href>{line.name.clone()}</a>
                <p class="cart-line__variant">{format!("{} / {}", line.colour, line.size)}</p>
                <p class="cart-line__unit">{line.unit_price.format(locale)}</p>
            </div>
            <div class="cart-line__quantity" role="group" aria-label=format!("{}: {}", texts.get(CartText::Quantity), line.name)>
                <button type="button" class="stepper" aria-label=texts.get(CartText::Decrease) on:click=change_to(quantity - 1)>"−"</button>
                <output class="cart-line__count" aria-live="polite">{quantity}</output>
                <button
                    type="button"
                    class="stepper"
                    aria-label=texts.get(CartText::Increase)
                    disabled={quantity >= line.max_quantity}
                    on:click=change_to(quantity + 1)
                >"+"</button>
            </div>
            <p class="cart-line__total">
                <span class="visually-hidden">{texts.get(CartText::LineTotal)} " "</span>
                {line.total().format(locale)}
            </p>
            <button type="button" class="link-button cart-line__remove" on:click=change_to(0)>
                {texts.get(CartText::Remove)}
            </button>
        </li>
    }
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
            let mut items = cart.items.get_untracked();
            match items.iter_mut().find(|item| item.variant_id == id) {
                Some(item) => item.quantity += 1,
                None => items.push(crate::model::cart::CartItem {
                    variant_id: id,
                    quantity: 1,
                    seen_price: None,
                }),
            }
            cart.set_items(items);
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
