use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <Meta
            name="description"
            content="Les Minoria: kadın ve erkek giyim, aksesuar. Türkiye'de tasarlandı, özenle üretildi."
        />
        <section class="hero">
            <p class="hero__eyebrow">"Yeni sezon"</p>
            <h1 class="hero__title">"Les Minoria"</h1>
            <p class="hero__lead">
                "Sade kesimler, doğal kumaşlar ve uzun ömürlü parçalar. İstanbul'da tasarlandı."
            </p>
        </section>
    }
}
