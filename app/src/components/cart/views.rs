//! The cart as HTML, rendered on the server for the islands to swap in: the cart page's lines,
//! corrections and totals, and the mini-cart after "Sepete ekle". Buttons carry `data-action`
//! attributes the islands act on (relative changes, so quick clicks add up before the next
//! render arrives); everything else is plain markup.

use leptos::prelude::*;

use crate::i18n::{text, text_with};
use crate::model::cart::{Correction, CorrectionKind, PricedCart, PricedLine};
use crate::model::{Locale, Page};
use crate::wire::cart_view::{
    ACTION, ACTION_CLOSE, ACTION_QUANTITY, CHANGE, CHANGE_REMOVE, LINE_VARIANT,
};
use leptos::attr::custom::custom_attribute;

/// The hooks of a button that changes a line's quantity by `change` (or removes it).
fn quantity_button(variant: &str, change: &'static str) -> impl leptos::attr::Attribute {
    (
        custom_attribute(ACTION, ACTION_QUANTITY),
        custom_attribute(LINE_VARIANT, variant.to_string()),
        custom_attribute(CHANGE, change),
    )
}

/// A correction the server made, as a sentence for the shopper.
pub fn describe(correction: &Correction, locale: Locale) -> String {
    let name = correction.name.as_deref().unwrap_or_default();
    match correction.kind {
        CorrectionKind::PriceChanged { from, to } => text_with(
            locale,
            "cart.fix_price_changed",
            &[
                ("name", name),
                ("from", &from.format(locale)),
                ("to", &to.format(locale)),
            ],
        ),
        CorrectionKind::ReducedToStock { available, .. } => text_with(
            locale,
            "cart.fix_reduced_to_stock",
            &[("name", name), ("count", &available.to_string())],
        ),
        CorrectionKind::ReducedToLimit { limit, .. } => text_with(
            locale,
            "cart.fix_reduced_to_limit",
            &[("name", name), ("count", &limit.to_string())],
        ),
        CorrectionKind::SoldOut => text_with(locale, "cart.fix_sold_out", &[("name", name)]),
        CorrectionKind::Unavailable => text(locale, "cart.fix_unavailable"),
    }
}

/// Renders a view outside any page (its own reactive owner).
fn render<V: IntoView + 'static>(view: impl FnOnce() -> V) -> String {
    Owner::new().with(|| view().into_view().to_html())
}

/// The cart page's content for `priced`.
pub fn page_html(priced: &PricedCart, locale: Locale) -> String {
    let priced = priced.clone();
    render(move || view! { <CartContents priced locale/> })
}

/// What "Sepete ekle" shows after adding `variant_id`: the mini-cart, or (`true`) the reason
/// the server refused it.
pub fn added_html(priced: &PricedCart, variant_id: i64, locale: Locale) -> (String, bool) {
    let about_it = priced
        .corrections
        .iter()
        .find(|c| c.variant_id == variant_id);
    if let Some(refusal) = about_it.filter(|c| {
        matches!(
            c.kind,
            CorrectionKind::SoldOut | CorrectionKind::Unavailable
        )
    }) {
        let reason = describe(refusal, locale);
        return (render(move || view! { <span>{reason}</span> }), true);
    }
    let note = about_it.map(|c| describe(c, locale));
    let line = priced
        .lines
        .iter()
        .find(|l| l.variant_id == variant_id)
        .cloned();
    (
        render(move || view! { <MiniCart line note locale/> }),
        false,
    )
}

#[component]
fn MiniCart(line: Option<PricedLine>, note: Option<String>, locale: Locale) -> impl IntoView {
    view! {
        <p id="mini-cart-title" class="mini-cart__title">{text(locale, "cart.added")}</p>
        {line.map(|line| view! {
            <div class="mini-cart__line">
                <img src=line.image.src.clone() alt="" width="60" height="80"/>
                <div>
                    <p class="mini-cart__name">{line.name.clone()}</p>
                    <p class="mini-cart__variant">{format!("{} / {}", line.colour, line.size)}</p>
                    <p class="mini-cart__price">{line.unit_price.format(locale)}</p>
                </div>
            </div>
        })}
        {note.map(|note| view! { <p class="mini-cart__note" role="status">{note}</p> })}
        <div class="mini-cart__actions">
            <a class="button" href=locale.path(&Page::Cart)>{text(locale, "cart.go_to_cart")}</a>
            <button type="button" class="button button--ghost" {..custom_attribute(ACTION, ACTION_CLOSE)}>
                {text(locale, "cart.continue")}
            </button>
        </div>
    }
}

#[component]
fn CartContents(priced: PricedCart, locale: Locale) -> impl IntoView {
    let corrections: Vec<String> = priced
        .corrections
        .iter()
        .map(|c| describe(c, locale))
        .collect();
    let empty = priced.lines.is_empty();
    view! {
        {(!corrections.is_empty()).then(|| view! {
            <div class="notice notice--warning cart__changes" role="status">
                <p class="cart__changes-title">{text(locale, "cart.changes")}</p>
                <ul>{corrections.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            </div>
        })}
        {if empty {
            view! {
                <div class="cart__empty">
                    <p>{text(locale, "cart.empty")}</p>
                    <p><a class="button" href=locale.path(&Page::Home)>{text(locale, "cart.start")}</a></p>
                </div>
            }
            .into_any()
        } else {
            view! { <Lines priced locale/> }.into_any()
        }}
    }
}

#[component]
fn Lines(priced: PricedCart, locale: Locale) -> impl IntoView {
    let totals = priced.totals;
    let items = priced.items();
    let free_shipping = match totals.missing_for_free_shipping {
        Some(missing) => text_with(
            locale,
            "cart.free_shipping_missing",
            &[("amount", &missing.format(locale))],
        ),
        None => text(locale, "cart.free_shipping_reached"),
    };
    let shipping = if totals.shipping.kurus() == 0 {
        text(locale, "cart.shipping_free")
    } else {
        totals.shipping.format(locale)
    };
    view! {
        <div class="cart__layout">
            <ul class="cart__lines" aria-label=text(locale, "cart.items")>
                {priced.lines.into_iter().map(|line| view! { <Line line locale/> }).collect_view()}
            </ul>
            <section class="cart__summary" aria-labelledby="cart-summary">
                <h2 id="cart-summary">{text(locale, "cart.summary")}</h2>
                <dl>
                    <div><dt>{text(locale, "cart.subtotal")}</dt><dd data-total="subtotal">{totals.subtotal.format(locale)}</dd></div>
                    <div><dt>{text(locale, "cart.shipping")}</dt><dd data-total="shipping">{shipping}</dd></div>
                    <div class="cart__grand"><dt>{text(locale, "cart.total")}</dt><dd data-total="total">{totals.total.format(locale)}</dd></div>
                    <div class="cart__kdv"><dt>{text(locale, "cart.kdv")}</dt><dd data-total="kdv">{totals.kdv.format(locale)}</dd></div>
                </dl>
                <p class="cart__free-shipping">{free_shipping}</p>
                // The items as the server just priced them: checkout starts from exactly these.
                <form method="post" action=crate::wire::checkout::start_path(locale) class="cart__checkout">
                    <input type="hidden" name=crate::wire::checkout::ITEMS value=crate::model::cart::encode_items(&items)/>
                    // Checked at checkout, whose summary applies it or says why not.
                    <div class="field cart__coupon">
                        <label for="sepet-kod">{text(locale, "coupon.label")}</label>
                        <input id="sepet-kod" name=crate::wire::checkout::COUPON_CODE type="text" autocomplete="off"
                            autocapitalize="characters" spellcheck="false" maxlength=crate::model::coupon::MAX_CODE_CHARS/>
                    </div>
                    <button type="submit" class="button button--wide">{text(locale, "cart.checkout")}</button>
                </form>
            </section>
        </div>
    }
}

#[component]
fn Line(line: PricedLine, locale: Locale) -> impl IntoView {
    let id = line.variant_id.to_string();
    let quantity = line.quantity;
    let at_most = quantity >= line.max_quantity;
    let href = locale.path(&Page::Product(line.product_slug.clone()));
    view! {
        <li class="cart-line" {..custom_attribute(LINE_VARIANT, id.clone())}>
            <img class="cart-line__image" src=line.image.src.clone() alt="" width="90" height="120"/>
            <div class="cart-line__info">
                <a class="cart-line__name" href=href>{line.name.clone()}</a>
                <p class="cart-line__variant">{format!("{} / {}", line.colour, line.size)}</p>
                <p class="cart-line__unit">{line.unit_price.format(locale)}</p>
            </div>
            <div class="cart-line__quantity" role="group" aria-label=format!("{}: {}", text(locale, "cart.quantity"), line.name)>
                <button type="button" class="stepper" aria-label=text(locale, "cart.decrease")
                    {..quantity_button(&id, "-1")}>"−"</button>
                <output class="cart-line__count">{quantity}</output>
                <button type="button" class="stepper" aria-label=text(locale, "cart.increase") disabled={at_most}
                    {..quantity_button(&id, "1")}>"+"</button>
            </div>
            <p class="cart-line__total">
                <span class="visually-hidden">{text(locale, "cart.line_total")} " "</span>
                {line.total().format(locale)}
            </p>
            <button type="button" class="link-button cart-line__remove"
                {..quantity_button(&id, CHANGE_REMOVE)}>
                {text(locale, "cart.remove")}
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cart::{CartTotals, ShippingPolicy};
    use crate::model::{catalogue::Image, Money};

    fn line() -> PricedLine {
        PricedLine {
            variant_id: 7,
            product_slug: "keten-gomlek-elbise".into(),
            name: "Keten Gömlek Elbise".into(),
            colour: "Ekru".into(),
            size: "M".into(),
            image: Image {
                src: "/img/urun/x.svg".into(),
                alt: String::new(),
            },
            unit_price: Money(289_990),
            compare_at: None,
            kdv_rate: 10,
            quantity: 2,
            max_quantity: 2,
        }
    }

    #[test]
    fn corrections_read_as_sentences_in_both_languages() {
        let correction = Correction {
            variant_id: 1,
            name: Some("Keten Gömlek Elbise (Ekru / M)".into()),
            kind: CorrectionKind::PriceChanged {
                from: Money(289_990),
                to: Money(259_990),
            },
        };
        assert_eq!(
            describe(&correction, Locale::Tr),
            "Keten Gömlek Elbise (Ekru / M): fiyatı 2.899,90 TL iken 2.599,90 TL oldu."
        );
        assert_eq!(
            describe(&correction, Locale::En),
            "Keten Gömlek Elbise (Ekru / M): the price changed from TRY 2,899.90 to TRY 2,599.90."
        );
    }

    #[test]
    fn the_page_shows_lines_totals_and_steppers_that_stop_at_stock() {
        let lines = vec![line()];
        let priced = PricedCart {
            totals: CartTotals::of(&lines, ShippingPolicy::default()),
            lines,
            corrections: Vec::new(),
        };
        let html = page_html(&priced, Locale::Tr);
        assert!(html.contains("Keten Gömlek Elbise"), "{html}");
        assert!(
            html.contains(r#"data-total="subtotal">5.799,80 TL"#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-variant="7" data-change="-1""#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-variant="7" data-change="sil""#),
            "{html}"
        );
        // Two of two in stock: "+" is disabled.
        assert!(
            html.contains(r#"disabled data-action="adet" data-variant="7" data-change="1""#),
            "{html}"
        );
        let empty = page_html(&PricedCart::default(), Locale::En);
        assert!(empty.contains("Your cart is empty."), "{empty}");
    }

    #[test]
    fn a_refused_addition_says_why_and_escapes_names() {
        let priced = PricedCart {
            corrections: vec![Correction {
                variant_id: 9,
                name: Some("<b>Elbise</b>".into()),
                kind: CorrectionKind::SoldOut,
            }],
            ..PricedCart::default()
        };
        let (html, refused) = added_html(&priced, 9, Locale::Tr);
        assert!(refused);
        assert!(html.contains("&lt;b&gt;Elbise&lt;/b&gt; tükendi"), "{html}");
        let lines = vec![line()];
        let priced = PricedCart {
            lines,
            ..PricedCart::default()
        };
        let (html, refused) = added_html(&priced, 7, Locale::Tr);
        assert!(!refused);
        assert!(html.contains("Sepete eklendi"), "{html}");
        assert!(html.contains("Ekru / M"), "{html}");
        assert!(html.contains(r#"href="/sepet""#), "{html}");
    }
}
