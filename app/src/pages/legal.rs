use leptos::prelude::*;

use crate::components::PageMeta;
use crate::i18n::text;
use crate::model::{brand::CONTACT_EMAIL, Locale, Page};

/// The legal pages linked from every footer. Their full texts (the privacy notice, KVKK
/// aydınlatma metni, distance-sales contract template, returns) arrive with the legal-pages
/// issue; until then each page says so and gives the contact address the notice promises.
#[component]
pub fn LegalPage(page: Page, locale: Locale) -> impl IntoView {
    let key = match page {
        Page::Privacy => "legal.privacy",
        Page::Kvkk => "legal.kvkk",
        Page::DistanceSales => "legal.distance_sales",
        Page::Returns => "legal.returns",
        _ => "legal.contact",
    };
    let title = text(locale, key);
    view! {
        <PageMeta locale page title=title.clone() description=title.clone()/>
        <article class="prose">
            <h1>{title}</h1>
            <p>{text(locale, "legal.coming")}</p>
            <p>
                {text(locale, "legal.write_to_us")}
                <a href=format!("mailto:{CONTACT_EMAIL}")>{CONTACT_EMAIL}</a>
            </p>
        </article>
    }
}
