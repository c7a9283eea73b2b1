use leptos::prelude::*;
use leptos_meta::Title;

/// "Alışveriş Sepetim". The cart itself lives in the browser and arrives with the cart issue;
/// until then this page tells the truth: nothing can be in it yet.
#[component]
pub fn CartPage() -> impl IntoView {
    view! {
        <Title text="Alışveriş Sepetim"/>
        <section class="prose">
            <h1>"Alışveriş Sepetim"</h1>
            <p>"Sepetiniz şu anda boş."</p>
            <p><a href="/">"Alışverişe başlayın"</a></p>
        </section>
    }
}
