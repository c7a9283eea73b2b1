//! The back office's catalogue (a yonetici's): find a product, change its names, whether it
//! is on sale, its cayma exemption and each variant's price, compare-at price and stock. The
//! storefront shows the change within a second.

use leptos::prelude::*;

use crate::components::form::FormNotice;
use crate::i18n::{text, text_with};
use crate::model::cayma::CaymaExemption;
use crate::model::staff::{StaffProduct, StaffProducts, StaffView};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::admin::{from_request, StaffNav, StaffNotice};
use crate::pages::not_found::NotFound;

/// A price as the form shows it: `1299,90`.
fn typed(money: crate::model::Money) -> String {
    format!("{},{:02}", money.0 / 100, money.0 % 100)
}

#[component]
pub fn ProductsPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(products)) =
        (from_request::<StaffView>(), from_request::<StaffProducts>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text(locale, "staff.products");
    let rows = products
        .rows
        .iter()
        .map(|row| {
            let href = locale.path(&Page::StaffProduct(row.slug.clone()));
            view! {
                <tr>
                    <td><a href=href>{row.name.clone()}</a><br/><small>{row.slug.clone()}</small></td>
                    <td>{if row.published { text(locale, "staff.published") } else { text(locale, "staff.unpublished") }}</td>
                    <td class="num">{row.variants}</td>
                    <td class="num">{row.stock}</td>
                    <td class="num">{row.lowest_price.format(locale)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            <form class="staff-filter" method="get" action=locale.path(&Page::StaffProducts)>
                <label>{text(locale, "staff.filter_product")}<input name="ara" value=products.search.clone()/></label>
                <button type="submit" class="button">{text(locale, "staff.filter")}</button>
            </form>
            <table class="member-orders">
                <thead><tr>
                    <th scope="col">{text(locale, "order.item")}</th>
                    <th scope="col">{text(locale, "account.order_status")}</th>
                    <th scope="col" class="num">{text(locale, "staff.variants")}</th>
                    <th scope="col" class="num">{text(locale, "staff.stock")}</th>
                    <th scope="col" class="num">{text(locale, "staff.price")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
    .into_any()
}

#[component]
pub fn ProductPage(locale: Locale) -> impl IntoView {
    let (Some(staff), Some(product)) =
        (from_request::<StaffView>(), from_request::<StaffProduct>())
    else {
        return view! { <NotFound/> }.into_any();
    };
    let title = text_with(locale, "staff.product_title", &[("name", &product.name_tr)]);
    let refused = use_context::<StaffNotice>().map(|notice| text(locale, notice.0));
    let exemptions = [
        None,
        Some(CaymaExemption::Personalised),
        Some(CaymaExemption::Hygiene),
    ]
    .into_iter()
    .map(|choice| {
        let (value, label) = match choice {
            None => ("", text(locale, "staff.cayma_none")),
            Some(exemption) => (exemption.code(), text(locale, exemption.label_key())),
        };
        view! { <option value=value selected=product.cayma_exempt == choice>{label}</option> }
    })
    .collect_view();
    let variants = product
        .variants
        .iter()
        .map(|variant| {
            let id = variant.id;
            view! {
                <tr>
                    <td>{format!("{} / {} · {}", variant.colour, variant.size, variant.sku)}
                        <input type="hidden" name="varyant" value=id.to_string()/></td>
                    <td><input name=format!("fiyat-{id}") value=typed(variant.price) inputmode="decimal" size="9"
                        aria-label=text_with(locale, "staff.price_of", &[("sku", &variant.sku)])/></td>
                    <td><input name=format!("liste-{id}") value=variant.compare_at.map(typed).unwrap_or_default() inputmode="decimal" size="9"
                        aria-label=text_with(locale, "staff.compare_at_of", &[("sku", &variant.sku)])/></td>
                    <td><input name=format!("stok-{id}") value=variant.stock.to_string() inputmode="numeric" size="5"
                        aria-label=text_with(locale, "staff.stock_of", &[("sku", &variant.sku)])/>
                        <input type="hidden" name=format!("stok-goruldu-{id}") value=variant.stock.to_string()/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account staff">
            <h1>{title}</h1>
            <StaffNav locale staff/>
            {state_notice(locale, "staff")}
            <FormNotice message=refused/>
            <p><a href=locale.path(&Page::Product(product.slug.clone()))>{text(locale, "staff.see_on_shop")}</a></p>
            <form method="post" action=locale.path(&Page::StaffProduct(product.slug.clone())) class="account-form">
                <label for="urun-ad">{text(locale, "staff.name_tr")}</label>
                <input id="urun-ad" name="ad" value=product.name_tr.clone() required maxlength="200"/>
                <label for="urun-ad-en">{text(locale, "staff.name_en")}</label>
                <input id="urun-ad-en" name="ad_en" value=product.name_en.clone() required maxlength="200"/>
                <label><input type="checkbox" name="yayinda" value="1" checked=product.published/>" "{text(locale, "staff.published")}</label>
                <label for="urun-cayma">{text(locale, "cayma.section")}</label>
                <select id="urun-cayma" name="cayma">{exemptions}</select>
                <table class="order__lines">
                    <thead><tr>
                        <th scope="col">{text(locale, "staff.variants")}</th>
                        <th scope="col">{text(locale, "staff.price")}</th>
                        <th scope="col">{text(locale, "staff.compare_at")}</th>
                        <th scope="col">{text(locale, "staff.stock")}</th>
                    </tr></thead>
                    <tbody>{variants}</tbody>
                </table>
                <button type="submit" class="button">{text(locale, "staff.save")}</button>
            </form>
        </article>
    }
    .into_any()
}
