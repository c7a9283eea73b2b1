use leptos::prelude::*;
use serde_json::json;

use crate::components::{seo::site_url, JsonLd, PageMeta, ProductGrid};
use crate::i18n::text;
use crate::model::{brand::CONTACT_EMAIL, Locale, Page};
use crate::pages::data::home_now;

#[component]
pub fn HomePage(locale: Locale) -> impl IntoView {
    let data = home_now(locale);
    let base = site_url();
    let organization = json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Les Minoria",
        "url": format!("{base}/"),
        "logo": format!("{base}/favicon.svg"),
        "email": CONTACT_EMAIL,
    });
    view! {
        <PageMeta
            locale
            page=Page::Home
            title="Les Minoria"
            description=text(locale, "home.description")
        />
        <JsonLd data=organization/>
        <section class="hero">
            <p class="hero__eyebrow">{text(locale, "home.eyebrow")}</p>
            <h1 class="hero__title">"Les Minoria"</h1>
            <p class="hero__lead">{text(locale, "home.lead")}</p>
        </section>
        {data.map(|data| view! {
                    <section class="section" aria-labelledby="home-categories">
                        <h2 id="home-categories" class="section__title">{text(locale, "home.categories")}</h2>
                        <ul class="category-tiles">
                            {data.categories.into_iter().map(|category| {
                                let href = locale.path(&Page::Category(category.slug.clone()));
                                view! {
                                    <li><a class="category-tile" href=href>
                                        <span class="category-tile__name">{category.name}</span>
                                        <span class="category-tile__children">
                                            {category.children.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(" · ")}
                                        </span>
                                    </a></li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="section" aria-labelledby="home-featured">
                        <h2 id="home-featured" class="section__title">{text(locale, "home.featured")}</h2>
                        <ProductGrid products=data.featured locale/>
                    </section>
                    <section class="section" aria-labelledby="home-newest">
                        <h2 id="home-newest" class="section__title">{text(locale, "home.newest")}</h2>
                        <ProductGrid products=data.newest locale/>
                    </section>
        })}
    }
}
