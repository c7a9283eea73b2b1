use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{text, use_locale};
use crate::model::Page;

/// The page for any address the shop does not know, and for unknown category and product
/// slugs. On the server it also sets the status to 404, so search engines drop the address.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    view! {
        <Title text=text(locale, "notfound.title")/>
        <Meta name="robots" content="noindex"/>
        <section class="not-found">
            <p class="not-found__code">"404"</p>
            <h1>{text(locale, "notfound.heading")}</h1>
            <p>{text(locale, "notfound.text")}</p>
            <p><a class="button" href=locale.path(&Page::Home)>{text(locale, "notfound.back")}</a></p>
        </section>
    }
}
