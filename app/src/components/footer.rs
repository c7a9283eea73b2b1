use leptos::prelude::*;

use crate::i18n::text;
use crate::model::{brand::CONTACT_EMAIL, Locale, Page};

/// The legal pages every Turkish e-commerce site must link from each page.
const LEGAL_PAGES: [(Page, &str); 5] = [
    (Page::Privacy, "legal.privacy"),
    (Page::Kvkk, "legal.kvkk"),
    (Page::DistanceSales, "legal.distance_sales"),
    (Page::Returns, "legal.returns"),
    (Page::Contact, "legal.contact"),
];

#[component]
pub fn SiteFooter(locale: Locale) -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <section class="site-footer__contact" aria-labelledby="footer-contact">
                    // Capitals in the markup: text-transform in Turkish would dot the I.
                    <h2 id="footer-contact" class="site-footer__heading">"LES MINORIA"</h2>
                    <p>
                        {text(locale, "footer.questions")}
                        <a href=format!("mailto:{CONTACT_EMAIL}")>{CONTACT_EMAIL}</a>
                    </p>
                </section>
                <nav class="site-footer__legal" aria-label=text(locale, "footer.legal")>
                    <ul>
                        {LEGAL_PAGES
                            .iter()
                            .map(|(page, key)| view! { <li><a href=locale.path(page)>{text(locale, key)}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
            <p class="site-footer__copy">"© 2026 Les Minoria"</p>
        </footer>
    }
}
