use leptos::prelude::*;

use super::Price;
use crate::i18n::text;
use crate::model::{catalogue::ProductCard, Locale, Page};

#[component]
pub fn ProductCardView(card: ProductCard, locale: Locale) -> impl IntoView {
    let href = locale.path(&Page::Product(card.slug.clone()));
    let badge = if !card.in_stock {
        Some(("badge badge--muted", text(locale, "card.sold_out")))
    } else if card.compare_at.is_some_and(|was| was > card.price) {
        Some(("badge", text(locale, "card.discount")))
    } else {
        None
    };
    view! {
        <li class="card">
            <a class="card__link" href=href>
                <span class="card__media">
                    <img
                        src=card.image.src
                        alt=card.image.alt
                        width="600"
                        height="800"
                        loading="lazy"
                        decoding="async"
                    />
                    {badge.map(|(class, label)| view! { <span class=class>{label}</span> })}
                </span>
                <span class="card__category">{card.category}</span>
                <span class="card__name">{card.name}</span>
                <Price price=card.price compare_at=card.compare_at locale=locale/>
            </a>
            <span class="card__swatches" aria-hidden="true">
                {card
                    .swatches
                    .into_iter()
                    .map(|hex| view! { <span class="swatch"><svg viewBox="0 0 10 10" width="10" height="10"><circle cx="5" cy="5" r="5" fill=hex/></svg></span> })
                    .collect_view()}
            </span>
        </li>
    }
}

/// A grid of product cards.
#[component]
pub fn ProductGrid(
    products: Vec<crate::model::catalogue::ProductCard>,
    locale: Locale,
) -> impl IntoView {
    view! {
        <ul class="grid">
            {products
                .into_iter()
                .map(|card| view! { <ProductCardView card locale/> })
                .collect_view()}
        </ul>
    }
}
