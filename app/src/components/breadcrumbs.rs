use leptos::prelude::*;
use serde_json::json;

use super::{seo::site_url, JsonLd};
use crate::i18n::text;
use crate::model::{catalogue::Crumb, Locale, Page};

/// The trail from the home page to the current page, visible and as BreadcrumbList JSON-LD.
/// `current` is the page's own name (a product), shown last without a link.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>, current: Option<String>, locale: Locale) -> impl IntoView {
    let base = site_url();
    let mut items: Vec<(String, Option<String>)> =
        vec![(text(locale, "nav.home"), Some(locale.path(&Page::Home)))];
    let last_crumb = crumbs.len().saturating_sub(1);
    for (i, crumb) in crumbs.into_iter().enumerate() {
        let is_current = current.is_none() && i == last_crumb;
        let href = locale.path(&Page::Category(crumb.slug));
        items.push((crumb.name, (!is_current).then_some(href)));
    }
    if let Some(name) = current {
        items.push((name, None));
    }
    let structured = json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items.iter().enumerate().map(|(i, (name, href))| {
            let mut item = json!({"@type": "ListItem", "position": i + 1, "name": name});
            if let Some(href) = href {
                item["item"] = json!(format!("{base}{href}"));
            }
            item
        }).collect::<Vec<_>>(),
    });
    view! {
        <nav class="breadcrumbs" aria-label=text(locale, "breadcrumbs.label")>
            <ol>
                {items
                    .into_iter()
                    .map(|(name, href)| match href {
                        Some(href) => view! { <li><a href=href>{name}</a></li> }.into_any(),
                        None => view! { <li aria-current="page">{name}</li> }.into_any(),
                    })
                    .collect_view()}
            </ol>
        </nav>
        <JsonLd data=structured/>
    }
}
