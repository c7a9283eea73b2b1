use leptos::prelude::*;

use crate::model::brand::CONTACT_EMAIL;

/// The legal pages every Turkish e-commerce site must link from each page.
const LEGAL_LINKS: [(&str, &str); 5] = [
    (
        "/gizlilik-ve-cerez-politikasi",
        "Gizlilik ve Çerez Politikası",
    ),
    ("/kvkk-aydinlatma-metni", "KVKK Aydınlatma Metni"),
    ("/mesafeli-satis-sozlesmesi", "Mesafeli Satış Sözleşmesi"),
    ("/iade-ve-cayma", "İade ve Cayma"),
    ("/iletisim", "İletişim"),
];

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <section class="site-footer__contact" aria-labelledby="footer-contact">
                    <h2 id="footer-contact" class="site-footer__heading">"LES MINORIA"</h2>
                    <p>
                        "Soru, öneri ve şikayetleriniz için: "
                        <a href=format!("mailto:{CONTACT_EMAIL}")>{CONTACT_EMAIL}</a>
                    </p>
                </section>
                <nav class="site-footer__legal" aria-label="Yasal bilgiler">
                    <ul>
                        {LEGAL_LINKS
                            .iter()
                            .map(|(href, label)| view! { <li><a href=*href>{*label}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
            <p class="site-footer__copy">"© 2026 Les Minoria"</p>
        </footer>
    }
}
