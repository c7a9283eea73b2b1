use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use crate::components::{PageMeta, ProductGrid};
use crate::i18n::{text, text_with};
use crate::model::{Locale, Page};
use crate::pages::data::search_now;

/// `/arama?q=`: results, or an empty state that offers the categories.
#[component]
pub fn SearchPage(locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let q = query.with_untracked(|q| q.get(crate::model::route::SEARCH_QUERY).unwrap_or_default());
    let results = search_now(locale, &q);
    view! {
        {results.map(|results| {
                    let title = if results.query.is_empty() {
                        text(locale, "search.title")
                    } else {
                        format!("{}: {}", text(locale, "search.title"), results.query)
                    };
                    let count = results.products.len().to_string();
                    view! {
                        <PageMeta locale page=Page::Search title=title.clone() description=title/>
                        // Result pages are for people, not for the index.
                        <Meta name="robots" content="noindex, follow"/>
                        <h1>{text(locale, "search.title")}</h1>
                        <form class="search-form search-form--page" action=locale.path(&Page::Search) method="get" role="search">
                            <label class="visually-hidden" for="search-page-q">{text(locale, "search.label")}</label>
                            <input id="search-page-q" type="search" name=crate::model::route::SEARCH_QUERY maxlength="100" value=results.query.clone()/>
                            <button type="submit" class="button">{text(locale, "search.button")}</button>
                        </form>
                        {if results.query.is_empty() {
                            view! { <p>{text(locale, "search.empty_query")}</p> }.into_any()
                        } else if results.products.is_empty() {
                            view! {
                                <div class="empty-state">
                                    <p>{text_with(locale, "search.none", &[("query", &results.query)])}</p>
                                    <p>{text(locale, "search.try_categories")}</p>
                                    <ul class="chips">
                                        {results.suggestions.into_iter().flat_map(|parent| {
                                            std::iter::once((parent.slug, parent.name)).chain(parent.children.into_iter().map(|c| (c.slug, c.name)))
                                        }).map(|(slug, name)| view! {
                                            <li><a class="chip" href=locale.path(&Page::Category(slug))>{name}</a></li>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <p class="result-count">{text_with(locale, "search.results_for", &[("query", &results.query), ("count", &count)])}</p>
                                <ProductGrid products=results.products locale/>
                            }.into_any()
                        }}
                    }
        })}
    }
}
