use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::json;

use crate::components::cart::AddToCart;
use crate::components::recently_viewed::RecentlyViewed;
use crate::components::{seo::site_url, Breadcrumbs, JsonLd, PageMeta, Price, ProductGrid};
use crate::i18n::{text, text_with};
use crate::model::catalogue::{ProductDetail, StockState, VariantView};
use crate::model::{Locale, Page};
use crate::pages::data::product_now;
use crate::pages::not_found::NotFound;
use crate::wire::{cart_view, recently_viewed};
use leptos::attr::custom::custom_attribute;

/// `/urun/{slug}`: gallery, variant choice, price with KDV, stock, details.
#[component]
pub fn ProductPage(locale: Locale) -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    match product_now(locale, &slug) {
        Some(product) => view! { <ProductView product locale/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

fn structured_data(product: &ProductDetail, locale: Locale) -> serde_json::Value {
    let base = site_url();
    let url = format!(
        "{base}{}",
        locale.path(&Page::Product(product.slug.clone()))
    );
    let offers: Vec<serde_json::Value> = product
        .variants
        .iter()
        .map(|variant| {
            json!({
                "@type": "Offer",
                "sku": variant.sku,
                "name": format!("{} – {} / {}", product.name, variant.colour, variant.size),
                "price": variant.price.decimal(),
                "priceCurrency": "TRY",
                "availability": if variant.stock.available() {
                    "https://schema.org/InStock"
                } else {
                    "https://schema.org/OutOfStock"
                },
                "itemCondition": "https://schema.org/NewCondition",
                "url": url,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": product.description,
        "image": product.images.iter().map(|i| format!("{base}{}", i.src)).collect::<Vec<_>>(),
        "material": product.material,
        "brand": {"@type": "Brand", "name": "Les Minoria"},
        "url": url,
        "offers": offers,
    })
}

#[component]
fn ProductView(product: ProductDetail, locale: Locale) -> impl IntoView {
    let (price, compare_at) = product.from_price();
    let structured = structured_data(&product, locale);
    let any_available = product.any_available();
    let image = product.images.first().map(|i| i.src.clone());
    // Variants grouped by colour, in the order they were entered.
    let mut colours: Vec<(String, String, Vec<VariantView>)> = Vec::new();
    for variant in product.variants.iter().cloned() {
        match colours
            .iter_mut()
            .find(|(name, _, _)| *name == variant.colour)
        {
            Some((_, _, group)) => group.push(variant),
            None => colours.push((
                variant.colour.clone(),
                variant.colour_hex.clone(),
                vec![variant],
            )),
        }
    }
    let description = product.description.clone();
    view! {
        <PageMeta
            locale
            page=Page::Product(product.slug.clone())
            title=product.name.clone()
            description=description
            image=image.unwrap_or_default()
            og_type="product"
        />
        <JsonLd data=structured/>
        <Breadcrumbs crumbs=product.breadcrumbs.clone() current=Some(product.name.clone()) locale/>
        <article class="product">
            <section class="gallery">
                // Scrolls sideways on phones: focusable so keyboard users can scroll it too.
                <ul class="gallery__track" tabindex="0" aria-label=text(locale, "product.gallery")>
                    {product.images.iter().enumerate().map(|(i, image)| view! {
                        <li class="gallery__item">
                            <img
                                src=image.src.clone()
                                alt=image.alt.clone()
                                width="600"
                                height="800"
                                loading=if i == 0 { "eager" } else { "lazy" }
                                fetchpriority=if i == 0 { "high" } else { "auto" }
                            />
                        </li>
                    }).collect_view()}
                </ul>
            </section>
            <div class="product__info">
                <h1 class="product__name">{product.name.clone()}</h1>
                <p class="product__price">
                    <Price price compare_at locale/>
                    " "
                    <span class="product__kdv">{text(locale, "product.kdv_included")}</span>
                </p>
                <crate::components::InstallmentTable rows=crate::components::installments_now(price) locale/>
                <AddToCart>
                <form class="buy" action=locale.path(&Page::Cart) method="get" {..custom_attribute(cart_view::CHOOSE_FIRST, text(locale, "cart.choose_first"))}>
                    <fieldset class="buy__variants">
                        <legend>{text(locale, "product.choose")}</legend>
                        {colours.into_iter().map(|(colour, hex, variants)| view! {
                            <div class="buy__colour">
                                <p class="buy__colour-name">
                                    <svg class="option__swatch" viewBox="0 0 10 10" width="14" height="14" aria-hidden="true">
                                        <circle cx="5" cy="5" r="4.5" fill=hex stroke="#999" stroke-width="0.5"/>
                                    </svg>
                                    {colour.clone()}
                                </p>
                                <div class="buy__sizes">
                                    {variants.into_iter().map(|variant| {
                                        let id = format!("varyant-{}", variant.id);
                                        let available = variant.stock.available();
                                        let state = stock_label(variant.stock, locale);
                                        let label = format!("{} / {} – {}", colour, variant.size, state);
                                        view! {
                                            <input
                                                class="size-option__input"
                                                type="radio"
                                                name=cart_view::VARIANT
                                                id=id.clone()
                                                value=variant.id.to_string()
                                                disabled=!available
                                                required=true
                                                aria-label={label}
                                                {..custom_attribute(cart_view::PRICE, variant.price.kurus().to_string())}
                                            />
                                            <label class="size-option" class:size-option--out=!available for=id title=state.clone()>
                                                {variant.size}
                                            </label>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        }).collect_view()}
                    </fieldset>
                    {if any_available {
                        view! { <button type="submit" class="button button--wide">{text(locale, "product.add_to_cart")}</button> }.into_any()
                    } else {
                        view! {
                            <p class="stock stock--out">{text(locale, "product.all_sold_out")}</p>
                            <button type="submit" class="button button--wide" disabled=true>{text(locale, "product.add_to_cart")}</button>
                        }.into_any()
                    }}
                    <p class="buy__message" role="alert"></p>
                </form>
                // Filled by the island with what the server renders after an addition.
                <div class="mini-cart" role="dialog" aria-labelledby="mini-cart-title" tabindex="-1" hidden=true></div>
                </AddToCart>
                <section class="product__details">
                    <h2>{text(locale, "product.description")}</h2>
                    <p>{product.description.clone()}</p>
                    <h2>{text(locale, "product.material")}</h2>
                    <p>{product.material.clone()}</p>
                    <h2>{text(locale, "product.care")}</h2>
                    <p>{product.care.clone()}</p>
                    {product.cayma_exempt.map(|exemption| view! {
                        <p class="product__cayma-exempt"><strong>{text(locale, exemption.label_key())}</strong></p>
                    })}
                    <p class="product__kdv-rate">{text_with(locale, "product.kdv_rate", &[("rate", &product.kdv_rate.to_string())])}</p>
                </section>
            </div>
        </article>
        // Filled in the browser, and only with İşlevsel consent.
        <RecentlyViewed>
            <section class="section recently-viewed" aria-labelledby="recently-viewed" hidden {..custom_attribute(recently_viewed::PRODUCT, product.slug.clone())}>
                <h2 id="recently-viewed" class="section__title">{text(locale, "recent.title")}</h2>
                <ul class="grid" {..custom_attribute(recently_viewed::LIST, "")}></ul>
            </section>
        </RecentlyViewed>
        {(!product.related.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="related">
                <h2 id="related" class="section__title">{text(locale, "product.related")}</h2>
                <ProductGrid products=product.related locale/>
            </section>
        })}
    }
}

fn stock_label(stock: StockState, locale: Locale) -> String {
    match stock {
        StockState::InStock => text(locale, "product.in_stock"),
        StockState::Low(count) => text_with(
            locale,
            "product.low_stock",
            &[("count", &count.to_string())],
        ),
        StockState::OutOfStock => text(locale, "product.out_of_stock"),
    }
}
