use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::i18n::text;
use crate::model::{Locale, Page};
use crate::pages::legal::use_seller;
use crate::wire::consent;

/// The legal pages every Turkish e-commerce site must link from each page.
const LEGAL_PAGES: [(Page, &str); 6] = [
    (Page::Privacy, "legal.privacy"),
    (Page::Kvkk, "legal.kvkk"),
    (Page::DistanceSales, "legal.distance_sales"),
    (Page::PreContract, "legal.pre_contract"),
    (Page::Returns, "legal.returns"),
    (Page::Contact, "legal.contact"),
];

/// The seller's identity (as the law asks every shop to show it), the legal pages, and
/// "Çerez tercihleri", which reopens the cookie banner (its own page without JavaScript).
#[component]
pub fn SiteFooter(locale: Locale) -> impl IntoView {
    let seller = use_seller();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <section class="site-footer__contact" aria-labelledby="footer-contact">
                    // Capitals in the markup: text-transform in Turkish would dot the I.
                    <h2 id="footer-contact" class="site-footer__heading">"LES MINORIA"</h2>
                    <p>
                        {text(locale, "footer.questions")}
                        <a href=format!("mailto:{}", seller.email)>{seller.email.clone()}</a>
                    </p>
                    <address class="site-footer__seller">
                        {seller.trade_name.clone()}<br/>
                        {seller.address.clone()}<br/>
                        {text(locale, "legal.seller_phone")} ": " {seller.phone.clone()}<br/>
                        {text(locale, "legal.seller_kep")} ": " {seller.kep.clone()}<br/>
                        {text(locale, "legal.seller_mersis")} ": " {seller.mersis.clone()}
                    </address>
                </section>
                <nav class="site-footer__legal" aria-label=text(locale, "footer.legal")>
                    <ul>
                        {LEGAL_PAGES
                            .iter()
                            .map(|(page, key)| view! { <li><a href=locale.path(page)>{text(locale, key)}</a></li> })
                            .collect_view()}
                        <li>
                            <a href=locale.path(&Page::CookiePreferences) {..custom_attribute(consent::OPEN_PREFERENCES, "")}>
                                {text(locale, "legal.cookie_preferences")}
                            </a>
                        </li>
                    </ul>
                </nav>
            </div>
            <p class="site-footer__copy">"© 2026 Les Minoria"</p>
        </footer>
    }
}
