use leptos::prelude::*;
use leptos_meta::Title;

use crate::model::brand::CONTACT_EMAIL;

/// The legal pages linked from every footer. Their full texts (the privacy notice, KVKK
/// aydınlatma metni, distance-sales contract template, returns) arrive with the legal-pages issue;
/// until then each page says so and gives the contact address the notice promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegalPageKind {
    Privacy,
    Kvkk,
    DistanceSales,
    Returns,
    Contact,
}

impl LegalPageKind {
    pub fn title(self) -> &'static str {
        match self {
            Self::Privacy => "Gizlilik ve Çerez Politikası",
            Self::Kvkk => "KVKK Aydınlatma Metni",
            Self::DistanceSales => "Mesafeli Satış Sözleşmesi",
            Self::Returns => "İade ve Cayma",
            Self::Contact => "İletişim",
        }
    }
}

#[component]
pub fn LegalPage(kind: LegalPageKind) -> impl IntoView {
    let title = kind.title();
    view! {
        <Title text=title/>
        <article class="prose">
            <h1>{title}</h1>
            <p>"Bu metnin tamamı çok yakında burada yayımlanacak."</p>
            <p>
                "Sorularınız için bize "
                <a href=format!("mailto:{CONTACT_EMAIL}")>{CONTACT_EMAIL}</a>
                " adresinden ulaşabilirsiniz."
            </p>
        </article>
    }
}
