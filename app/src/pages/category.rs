use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::{Breadcrumbs, PageMeta, ProductGrid};
use crate::i18n::{text, text_with};
use crate::model::catalogue::{Listing, ListingQuery, Sort};
use crate::model::{Locale, Page};
use crate::pages::data::listing_now;
use crate::pages::not_found::NotFound;

/// `/kategori/{slug}`: a category's products with filters, sorting and pages, all in the query
/// string. The filters are a plain GET form: they work without JavaScript and every state has
/// an address that can be shared and crawled.
#[component]
pub fn CategoryPage(locale: Locale) -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let query = use_query_map().with_untracked(|q| {
        let pairs: Vec<_> = q.clone().into_iter().collect();
        ListingQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_str())))
    });
    match listing_now(locale, &slug, &query) {
        Some(listing) => view! { <ListingView listing locale/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn ListingView(listing: Listing, locale: Locale) -> impl IntoView {
    let page = Page::Category(listing.slug.clone());
    let action = locale.path(&page);
    let title = if listing.page > 1 {
        format!(
            "{} – {}",
            listing.name,
            text_with(
                locale,
                "listing.page",
                &[
                    ("page", &listing.page.to_string()),
                    ("pages", &listing.pages.to_string())
                ]
            )
        )
    } else {
        listing.name.clone()
    };
    let description = if listing.intro.is_empty() {
        listing.name.clone()
    } else {
        listing.intro.clone()
    };
    let query = listing.query.clone();
    let count = text_with(
        locale,
        "listing.products",
        &[("count", &listing.total.to_string())],
    );
    let link_to = {
        let action = action.clone();
        move |q: &ListingQuery| {
            let qs = q.to_query_string();
            if qs.is_empty() {
                action.clone()
            } else {
                format!("{action}?{qs}")
            }
        }
    };
    let previous = (listing.page > 1).then(|| link_to(&query.with_page(listing.page - 1)));
    let next = (listing.page < listing.pages).then(|| link_to(&query.with_page(listing.page + 1)));
    let min_value = query
        .min_price
        .map(|m| (m.kurus() / 100).to_string())
        .unwrap_or_default();
    let max_value = query
        .max_price
        .map(|m| (m.kurus() / 100).to_string())
        .unwrap_or_default();
    let sort_labels = [
        (Sort::Newest, "listing.sort_newest"),
        (Sort::PriceAscending, "listing.sort_price_up"),
        (Sort::PriceDescending, "listing.sort_price_down"),
    ];
    view! {
        <PageMeta locale page title description query=query.with_page(listing.page).to_query_string()/>
        <Breadcrumbs crumbs=listing.breadcrumbs current=None locale/>
        <header class="listing-header">
            <h1>{listing.name.clone()}</h1>
            {(!listing.intro.is_empty()).then(|| view! { <p class="listing-header__intro">{listing.intro.clone()}</p> })}
            {(!listing.children.is_empty()).then(|| view! {
                <nav aria-label=text(locale, "listing.subcategories")>
                    <ul class="chips">
                        {listing.children.into_iter().map(|child| view! {
                            <li><a class="chip" href=locale.path(&Page::Category(child.slug))>{child.name}</a></li>
                        }).collect_view()}
                    </ul>
                </nav>
            })}
        </header>
        <div class="listing">
            <form class="filters" action=action.clone() method="get">
                <details class="filters__panel" open=query.has_filters()>
                    <summary class="filters__summary">{text(locale, "listing.filters")}</summary>
                    <fieldset class="filters__group">
                        <legend>{text(locale, "listing.size")}</legend>
                        {listing.sizes.into_iter().map(|facet| view! {
                            <label class="option">
                                <input type="checkbox" name="beden" value=facet.key checked=facet.selected/>
                                <span>{facet.label}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="filters__group">
                        <legend>{text(locale, "listing.colour")}</legend>
                        {listing.colours.into_iter().map(|facet| view! {
                            <label class="option">
                                <input type="checkbox" name="renk" value=facet.key checked=facet.selected/>
                                <svg class="option__swatch" viewBox="0 0 10 10" width="14" height="14" aria-hidden="true">
                                    <circle cx="5" cy="5" r="4.5" fill=facet.hex.unwrap_or_default() stroke="#999" stroke-width="0.5"/>
                                </svg>
                                <span>{facet.label}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="filters__group filters__price">
                        <legend>{text(locale, "listing.price")}</legend>
                        <label>
                            <span>{text(locale, "listing.min")}</span>
                            <input type="number" name="min" min="0" step="1" inputmode="numeric" value=min_value/>
                        </label>
                        <label>
                            <span>{text(locale, "listing.max")}</span>
                            <input type="number" name="max" min="0" step="1" inputmode="numeric" value=max_value/>
                        </label>
                    </fieldset>
                    <label class="option">
                        <input type="checkbox" name="stok" value="1" checked=query.in_stock_only/>
                        <span>{text(locale, "listing.in_stock")}</span>
                    </label>
                </details>
                <div class="filters__bar">
                    <label class="filters__sort">
                        <span>{text(locale, "listing.sort")}</span>
                        <select name="sirala">
                            {sort_labels.into_iter().map(|(sort, key)| view! {
                                <option value=sort.key() selected=query.sort == sort>{text(locale, key)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="button button--small">{text(locale, "listing.apply")}</button>
                    {query.has_filters().then(|| view! { <a class="filters__clear" href=action.clone()>{text(locale, "listing.clear")}</a> })}
                </div>
            </form>
            <p class="result-count" role="status">{count}</p>
            {if listing.products.is_empty() {
                view! { <p class="empty-state">{text(locale, "listing.empty")}</p> }.into_any()
            } else {
                view! { <ProductGrid products=listing.products locale/> }.into_any()
            }}
            {(listing.pages > 1).then(|| view! {
                <nav class="pagination" aria-label=text(locale, "listing.pagination")>
                    {previous.map(|href| view! { <a rel="prev" href=href>{text(locale, "listing.previous")}</a> })}
                    <span>{text_with(locale, "listing.page", &[("page", &listing.page.to_string()), ("pages", &listing.pages.to_string())])}</span>
                    {next.map(|href| view! { <a rel="next" href=href>{text(locale, "listing.next")}</a> })}
                </nav>
            })}
        </div>
    }
}
