//! The legal pages linked from every footer: Gizlilik ve Çerez Politikası (with the table of
//! what the shop keeps in the browser), KVKK Aydınlatma Metni, the Mesafeli Satış Sözleşmesi
//! and Ön Bilgilendirme Formu templates, İade ve Cayma; and the "Çerez tercihleri" page. Their
//! texts live in `app/content/legal/` (see `model::legal`); the seller's identity comes from
//! configuration.

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::model::route::SAVED_QUERY;
use crate::wire::consent;

use crate::components::cookie_banner::consent_state_of_request;
use crate::components::{CookieChoiceForm, PageMeta};
use crate::i18n::text;
use crate::model::brand::SellerIdentity;
use crate::model::consent::{StorageKind, BROWSER_STORAGE};
use crate::model::legal::{parse, Block, Inline, LegalDocument, ListStyle};
use crate::model::{Locale, Page};

/// The seller's identity for the page being rendered (configuration, through the app state).
pub fn use_seller() -> SellerIdentity {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::backend::AppState>()
            .map(|state| state.seller)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        SellerIdentity::default()
    }
}

#[component]
pub fn LegalPage(document: LegalDocument, locale: Locale) -> impl IntoView {
    let page = match document {
        LegalDocument::Privacy => Page::Privacy,
        LegalDocument::Kvkk => Page::Kvkk,
        LegalDocument::DistanceSales => Page::DistanceSales,
        LegalDocument::PreContract => Page::PreContract,
        LegalDocument::Returns => Page::Returns,
    };
    let title = text(locale, document.title_key());
    let is_template = matches!(
        document,
        LegalDocument::DistanceSales | LegalDocument::PreContract
    );
    let seller = use_seller();
    view! {
        <PageMeta locale page title=title.clone() description=title.clone()/>
        <article class="prose legal">
            <h1>{title}</h1>
            {(locale == Locale::En).then(|| view! { <p class="legal__note">{text(locale, "legal.turkish_governs")}</p> })}
            {is_template.then(|| view! { <p class="legal__note">{text(locale, "legal.template_note")}</p> })}
            <LegalText source=document.source(locale) seller locale/>
            {(document == LegalDocument::Privacy).then(|| view! { <StorageTable locale/> })}
        </article>
    }
}

/// A legal text as headings, paragraphs and lists.
#[component]
fn LegalText(source: &'static str, seller: SellerIdentity, locale: Locale) -> impl IntoView {
    parse(source)
        .into_iter()
        .map(|block| match block {
            Block::Heading(inlines) => {
                view! { <h2>{inline_view(inlines, &seller, locale)}</h2> }.into_any()
            }
            Block::Paragraph(inlines) => {
                view! { <p>{inline_view(inlines, &seller, locale)}</p> }.into_any()
            }
            Block::List { style, items } => {
                let items = items
                    .into_iter()
                    .map(|item| view! { <li>{inline_view(item, &seller, locale)}</li> })
                    .collect_view();
                match style {
                    ListStyle::Bullets => view! { <ul>{items}</ul> }.into_any(),
                    ListStyle::Numbers => view! { <ol>{items}</ol> }.into_any(),
                    ListStyle::Letters => view! { <ol type="a">{items}</ol> }.into_any(),
                }
            }
        })
        .collect_view()
}

fn inline_view(inlines: Vec<Inline>, seller: &SellerIdentity, locale: Locale) -> impl IntoView {
    inlines
        .into_iter()
        .map(|inline| match inline {
            Inline::Text(text) => text.into_any(),
            Inline::Strong(text) => view! { <strong>{text}</strong> }.into_any(),
            Inline::Placeholder { key, label } => {
                let seller_field = key
                    .strip_prefix("satici.")
                    .and_then(|field| seller.field(field))
                    .map(str::to_string);
                match seller_field {
                    Some(value) => value.into_any(),
                    // Filled per order by the checkout; until then the label says what goes here.
                    None => view! {
                        <span class="placeholder" title=text(locale, "legal.to_be_filled")>
                            "[" {label.unwrap_or(key)} "]"
                        </span>
                    }
                    .into_any(),
                }
            }
        })
        .collect_view()
}

/// Everything the shop keeps in the browser, from the same list the code uses.
#[component]
fn StorageTable(locale: Locale) -> impl IntoView {
    let rows = BROWSER_STORAGE
        .into_iter()
        .map(|entry| {
            let kind = match entry.kind {
                StorageKind::Cookie => "storage.cookie",
                StorageKind::LocalStorage => "storage.local",
            };
            view! {
                <tr>
                    <td><code>{entry.name}</code></td>
                    <td>{text(locale, kind)}</td>
                    <td>{text(locale, &format!("consent.{}", entry.category.field()))}</td>
                    <td>{text(locale, entry.purpose_key)}</td>
                    <td>{text(locale, entry.lifetime_key)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="cerezler">{text(locale, "legal.cookies_heading")}</h2>
        <p>{text(locale, "legal.cookies_intro")}</p>
        <div class="table-scroll">
            <table class="storage-table">
                <thead>
                    <tr>
                        <th scope="col">{text(locale, "legal.cookies_name")}</th>
                        <th scope="col">{text(locale, "legal.cookies_kind")}</th>
                        <th scope="col">{text(locale, "legal.cookies_category")}</th>
                        <th scope="col">{text(locale, "legal.cookies_purpose")}</th>
                        <th scope="col">{text(locale, "legal.cookies_lifetime")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p>
            {text(locale, "legal.cookies_change")}
            <a href=locale.path(&Page::CookiePreferences) {..custom_attribute(consent::OPEN_PREFERENCES, "")}>
                {text(locale, "legal.cookie_preferences")}
            </a>
        </p>
    }
}

/// The seller's identity block (İletişim and the footer).
#[component]
pub fn SellerBlock(seller: SellerIdentity, locale: Locale) -> impl IntoView {
    let rows = [
        ("legal.seller_trade_name", seller.trade_name.clone()),
        ("legal.seller_mersis", seller.mersis.clone()),
        ("legal.seller_address", seller.address.clone()),
        ("legal.seller_phone", seller.phone.clone()),
    ];
    view! {
        <dl class="seller">
            {rows
                .into_iter()
                .map(|(key, value)| view! { <div><dt>{text(locale, key)}</dt><dd>{value}</dd></div> })
                .collect_view()}
            <div>
                <dt>{text(locale, "legal.seller_kep")}</dt>
                <dd>{seller.kep.clone()}</dd>
            </div>
            <div>
                <dt>{text(locale, "legal.seller_email")}</dt>
                <dd><a href=format!("mailto:{}", seller.email)>{seller.email.clone()}</a></dd>
            </div>
        </dl>
    }
}

/// "Çerez tercihleri" as a page: the footer link's target without JavaScript, and a place to
/// see the current choice.
#[component]
pub fn CookiePreferencesPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "legal.cookie_preferences");
    let state = consent_state_of_request();
    let saved = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get(SAVED_QUERY).is_some());
    let return_to = format!("{}?{SAVED_QUERY}=1", locale.path(&Page::CookiePreferences));
    view! {
        <PageMeta locale page=Page::CookiePreferences title=title.clone() description=text(locale, "consent.page_intro")/>
        // A visitor's own setting: nothing for the index.
        <leptos_meta::Meta name="robots" content="noindex"/>
        <article class="prose">
            <h1>{title}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{text(locale, "consent.saved")}</p> })}
            <p>{text(locale, "consent.page_intro")}</p>
            <CookieChoiceForm locale state return_to preferences_open=true/>
        </article>
    }
}
