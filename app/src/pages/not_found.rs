use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The page for any address the shop does not know. On the server it also sets the status to
/// 404, so search engines drop the address instead of indexing an error page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Sayfa bulunamadı"/>
        <Meta name="robots" content="noindex"/>
        <section class="not-found">
            <p class="not-found__code">"404"</p>
            <h1>"Aradığınız sayfa bulunamadı"</h1>
            <p>"Bağlantı eskimiş ya da adres yanlış yazılmış olabilir."</p>
            <p><a class="button" href="/">"Ana sayfaya dön"</a></p>
        </section>
    }
}
