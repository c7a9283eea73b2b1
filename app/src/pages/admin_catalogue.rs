//! The back office's catalogue (a yonetici's): find a product, change its names, whether it
//! is on sale, its cayma exemption and each variant's price, compare-at price and stock; add a
//! product (unpublished until it has a variant), a variant, a category. The storefront shows
//! each change within a second.

use leptos::prelude::*;

use crate::components::form::{textarea_text, Field, FieldView, FormNotice, FormView};
use crate::i18n::{text, text_with};
use crate::model::catalogue_forms::{
    CategoryDraft, CategoryField, ProductDraft, ProductField, VariantDraft, VariantField, KDV_RATES,
};
use crate::model::cayma::CaymaExemption;
use crate::model::staff::{StaffProduct, StaffProducts, StaffView};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, PrivateMeta};
use crate::pages::admin::{empty_list, from_request, StaffNav, StaffNotice, ACTION};
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
    let empty = products.rows.is_empty();
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
            {state_notice(locale, "staff")}
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
            {empty_list(locale, empty, "staff.empty.products")}
            <NewProductForm categories=products.categories.clone() locale/>
            <NewCategoryForm categories=products.categories.clone() locale/>
        </article>
    }
    .into_any()
}

fn input(field: FieldView, kind: &'static str) -> impl IntoView {
    view! { <input id=field.id.clone() name=field.name type=kind value=field.value.clone() {..field.aria()}/> }
}

fn textarea(field: FieldView) -> impl IntoView {
    view! {
        <textarea id=field.id.clone() name=field.name rows="3" {..field.aria()}>{textarea_text(&field.value)}</textarea>
    }
}

/// A new product: names, category, texts and KDV rate. It is created unpublished and opens on
/// its own page, where its variants are added and it is published.
#[component]
fn NewProductForm(categories: Vec<(i64, String, Option<i64>)>, locale: Locale) -> impl IntoView {
    let form = FormView::<ProductDraft>::from_context(locale, "yeni-urun");
    let chosen = form.field(ProductField::Category).value;
    let kdv_now = form.field(ProductField::Kdv).value;
    let [name, name_en, slug, category, description, description_en, material, material_en, care, care_en, kdv] =
        [
            ProductField::Name,
            ProductField::NameEn,
            ProductField::Slug,
            ProductField::Category,
            ProductField::Description,
            ProductField::DescriptionEn,
            ProductField::Material,
            ProductField::MaterialEn,
            ProductField::Care,
            ProductField::CareEn,
            ProductField::Kdv,
        ]
        .map(|f| form.field(f));
    let options = categories
        .into_iter()
        .map(|(id, name, parent)| {
            let label = if parent.is_some() { format!("— {name}") } else { name };
            view! { <option value=id.to_string() selected=chosen == id.to_string()>{label}</option> }
        })
        .collect_view();
    let rates = KDV_RATES
        .into_iter()
        .map(|rate| view! { <option value=rate.to_string() selected=kdv_now == rate.to_string()>{format!("%{rate}")}</option> })
        .collect_view();
    view! {
        <section id="yeni-urun">
            <h2>{text(locale, "staff.catalogue.new_product")}</h2>
            <form method="post" action=locale.path(&Page::StaffProducts) class="account-form" novalidate>
                <input type="hidden" name=ACTION value="urun"/>
                <Field field=name.clone() label=text(locale, "staff.name_tr")>{input(name, "text")}</Field>
                <Field field=name_en.clone() label=text(locale, "staff.name_en")>{input(name_en, "text")}</Field>
                <Field field=slug.clone() label=text(locale, "staff.catalogue.slug")>{input(slug, "text")}</Field>
                <Field field=category.clone() label=text(locale, "staff.catalogue.category")>
                    <select id=category.id.clone() name=category.name {..category.aria()}>
                        <option value="">{text(locale, "staff.catalogue.choose")}</option>
                        {options}
                    </select>
                </Field>
                <Field field=description.clone() label=text(locale, "staff.catalogue.description")>{textarea(description)}</Field>
                <Field field=description_en.clone() label=text(locale, "staff.catalogue.description_en")>{textarea(description_en)}</Field>
                <Field field=material.clone() label=text(locale, "staff.catalogue.material")>{input(material, "text")}</Field>
                <Field field=material_en.clone() label=text(locale, "staff.catalogue.material_en")>{input(material_en, "text")}</Field>
                <Field field=care.clone() label=text(locale, "staff.catalogue.care")>{input(care, "text")}</Field>
                <Field field=care_en.clone() label=text(locale, "staff.catalogue.care_en")>{input(care_en, "text")}</Field>
                <Field field=kdv.clone() label=text(locale, "staff.catalogue.kdv")>
                    <select id=kdv.id.clone() name=kdv.name {..kdv.aria()}>{rates}</select>
                </Field>
                <button type="submit" class="button">{text(locale, "staff.catalogue.add_product")}</button>
            </form>
        </section>
    }
}

/// A new category: top-level, or under a top-level one ("LES MENÜ" is two levels deep).
#[component]
fn NewCategoryForm(categories: Vec<(i64, String, Option<i64>)>, locale: Locale) -> impl IntoView {
    let form = FormView::<CategoryDraft>::from_context(locale, "yeni-kategori");
    let chosen = form.field(CategoryField::Parent).value;
    let [name, name_en, slug, parent, intro, intro_en] = [
        CategoryField::Name,
        CategoryField::NameEn,
        CategoryField::Slug,
        CategoryField::Parent,
        CategoryField::Intro,
        CategoryField::IntroEn,
    ]
    .map(|f| form.field(f));
    let parents = categories
        .into_iter()
        .filter(|(_, _, parent)| parent.is_none())
        .map(|(id, name, _)| view! { <option value=id.to_string() selected=chosen == id.to_string()>{name}</option> })
        .collect_view();
    view! {
        <section id="yeni-kategori">
            <h2>{text(locale, "staff.catalogue.new_category")}</h2>
            <form method="post" action=locale.path(&Page::StaffProducts) class="account-form" novalidate>
                <input type="hidden" name=ACTION value="kategori"/>
                <Field field=name.clone() label=text(locale, "staff.catalogue.category_name")>{input(name, "text")}</Field>
                <Field field=name_en.clone() label=text(locale, "staff.catalogue.category_name_en")>{input(name_en, "text")}</Field>
                <Field field=slug.clone() label=text(locale, "staff.catalogue.slug")>{input(slug, "text")}</Field>
                <Field field=parent.clone() label=text(locale, "staff.catalogue.parent")>
                    <select id=parent.id.clone() name=parent.name {..parent.aria()}>
                        <option value="">{text(locale, "staff.catalogue.top_level")}</option>
                        {parents}
                    </select>
                </Field>
                <Field field=intro.clone() label=text(locale, "staff.catalogue.intro")>{textarea(intro)}</Field>
                <Field field=intro_en.clone() label=text(locale, "staff.catalogue.intro_en")>{textarea(intro_en)}</Field>
                <button type="submit" class="button">{text(locale, "staff.catalogue.add_category")}</button>
            </form>
        </section>
    }
}

/// A new variant of the product: its stock code, size, colour, price, list price and stock.
#[component]
fn NewVariantForm(slug: String, locale: Locale) -> impl IntoView {
    let form = FormView::<VariantDraft>::from_context(locale, "yeni-varyant");
    let [sku, size, colour, colour_en, hex, price, compare_at, stock] = [
        VariantField::Sku,
        VariantField::Size,
        VariantField::Colour,
        VariantField::ColourEn,
        VariantField::Hex,
        VariantField::Price,
        VariantField::CompareAt,
        VariantField::Stock,
    ]
    .map(|f| form.field(f));
    view! {
        <section id="yeni-varyant">
            <h2>{text(locale, "staff.catalogue.new_variant")}</h2>
            <form method="post" action=locale.path(&Page::StaffProduct(slug)) class="account-form" novalidate>
                <input type="hidden" name=ACTION value="varyant"/>
                <Field field=sku.clone() label=text(locale, "staff.catalogue.sku")>{input(sku, "text")}</Field>
                <Field field=size.clone() label=text(locale, "staff.catalogue.size")>{input(size, "text")}</Field>
                <Field field=colour.clone() label=text(locale, "staff.catalogue.colour")>{input(colour, "text")}</Field>
                <Field field=colour_en.clone() label=text(locale, "staff.catalogue.colour_en")>{input(colour_en, "text")}</Field>
                <Field field=hex.clone() label=text(locale, "staff.catalogue.hex")>{input(hex, "text")}</Field>
                <Field field=price.clone() label=text(locale, "staff.price")>{input(price, "text")}</Field>
                <Field field=compare_at.clone() label=text(locale, "staff.compare_at")>{input(compare_at, "text")}</Field>
                <Field field=stock.clone() label=text(locale, "staff.stock")>{input(stock, "number")}</Field>
                <button type="submit" class="button">{text(locale, "staff.catalogue.add_variant")}</button>
            </form>
        </section>
    }
}

/// The product's images, and a form to add one (JPEG, PNG or WebP up to 8 MB; the server
/// checks it, fits it to the shop's size and stores it).
#[component]
fn ProductImages(slug: String, images: Vec<(String, String)>, locale: Locale) -> impl IntoView {
    let shown = images
        .into_iter()
        .map(|(src, alt)| view! { <li><img src=src alt=alt width="120" height="160" loading="lazy"/></li> })
        .collect_view();
    let action = format!("{}/gorsel", locale.path(&Page::StaffProduct(slug)));
    view! {
        <section id="gorseller">
            <h2>{text(locale, "staff.image.title")}</h2>
            <ul class="staff-images">{shown}</ul>
            <form method="post" action=action enctype="multipart/form-data" class="account-form">
                <label for="gorsel-dosya">{text(locale, "staff.image.file")}</label>
                <input id="gorsel-dosya" type="file" name="gorsel" accept="image/jpeg,image/png,image/webp" required/>
                <label for="gorsel-alt">{text(locale, "staff.image.alt")}</label>
                <input id="gorsel-alt" name="alt" maxlength="200"/>
                <label for="gorsel-alt-en">{text(locale, "staff.image.alt_en")}</label>
                <input id="gorsel-alt-en" name="alt_en" maxlength="200"/>
                <button type="submit" class="button">{text(locale, "staff.image.upload")}</button>
            </form>
        </section>
    }
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
            <NewVariantForm slug=product.slug.clone() locale/>
            <ProductImages slug=product.slug.clone() images=product.images.clone() locale/>
        </article>
    }
    .into_any()
}
