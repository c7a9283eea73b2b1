use leptos::prelude::*;

use crate::components::PageMeta;
use crate::i18n::text;
use crate::model::{Locale, Page};

/// "Alışveriş Sepetim". The cart itself lives in the browser and arrives with the cart issue;
/// until then this page tells the truth: nothing can be in it yet.
#[component]
pub fn CartPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "cart.title");
    view! {
        <PageMeta locale page=Page::Cart title=title.clone() description=title.clone()/>
        <section class="prose">
            <h1>{title}</h1>
            <p>{text(locale, "cart.empty")}</p>
            <p><a href=locale.path(&Page::Home)>{text(locale, "cart.start")}</a></p>
        </section>
    }
}
