use leptos::prelude::*;

use crate::i18n::text;
use crate::model::{Locale, Money};

/// A price, with the compare-at price struck through when it is discounted.
#[component]
pub fn Price(price: Money, compare_at: Option<Money>, locale: Locale) -> impl IntoView {
    let discounted = compare_at.filter(|was| *was > price);
    view! {
        <span class="price" class:price--sale=discounted.is_some()>
            <span class="price__now">{price.format(locale)}</span>
            {discounted.map(|was| view! {
                " "
                <s class="price__was">
                    <span class="visually-hidden">{text(locale, "product.was")} " "</span>
                    {was.format(locale)}
                </s>
            })}
        </span>
    }
}
