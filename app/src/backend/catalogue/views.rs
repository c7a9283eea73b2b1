//! The catalogue pages' data, computed from a [`Snapshot`] in the visitor's language. Pure
//! functions: no I/O, unit-tested against a small hand-made snapshot.

use std::collections::HashSet;

use super::snapshot::{Category, Product, Snapshot};
use crate::model::catalogue::{
    CategoryLink, Crumb, Facet, Listing, ListingQuery, ProductCard, ProductDetail, Sort,
    StockState, VariantView,
};
use crate::model::{text::fold, Locale};

/// Search queries longer than this are cut: nobody types more, and it bounds the work.
pub const MAX_SEARCH_CHARS: usize = 100;
const HOME_FEATURED: usize = 8;
const HOME_NEWEST: usize = 8;
const RELATED: usize = 4;
const SEARCH_LIMIT: usize = 48;

/// "LES MENÜ": top-level categories with their children.
pub fn navigation(snapshot: &Snapshot, locale: Locale) -> Vec<CategoryLink> {
    snapshot
        .categories
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|parent| CategoryLink {
            slug: parent.slug.clone(),
            name: parent.name.get(locale).to_string(),
            children: snapshot
                .children(parent.id)
                .map(|child| link(child, locale))
                .collect(),
        })
        .collect()
}

fn link(category: &Category, locale: Locale) -> CategoryLink {
    CategoryLink {
        slug: category.slug.clone(),
        name: category.name.get(locale).to_string(),
        children: Vec::new(),
    }
}

pub fn card(snapshot: &Snapshot, product: &Product, locale: Locale) -> ProductCard {
    let (price, compare_at) = product.lowest_price();
    let mut swatches: Vec<String> = Vec::new();
    for variant in &product.variants {
        if !swatches.contains(&variant.colour_hex) {
            swatches.push(variant.colour_hex.clone());
        }
    }
    ProductCard {
        slug: product.slug.clone(),
        name: product.name.get(locale).to_string(),
        category: snapshot
            .category_by_id(product.category_id)
            .map(|c| c.name.get(locale).to_string())
            .unwrap_or_default(),
        price,
        compare_at,
        image: product.cover_image(locale),
        in_stock: product.in_stock(),
        swatches,
    }
}

/// The home page's featured and newest products.
pub fn home(snapshot: &Snapshot, locale: Locale) -> (Vec<ProductCard>, Vec<ProductCard>) {
    let featured = snapshot
        .published()
        .filter(|p| p.featured)
        .take(HOME_FEATURED)
        .map(|p| card(snapshot, p, locale))
        .collect();
    let newest = snapshot
        .published()
        .take(HOME_NEWEST)
        .map(|p| card(snapshot, p, locale))
        .collect();
    (featured, newest)
}

fn breadcrumbs(snapshot: &Snapshot, category: &Category, locale: Locale) -> Vec<Crumb> {
    let mut trail = vec![Crumb {
        name: category.name.get(locale).to_string(),
        slug: category.slug.clone(),
    }];
    if let Some(parent) = category
        .parent_id
        .and_then(|id| snapshot.category_by_id(id))
    {
        trail.insert(
            0,
            Crumb {
                name: parent.name.get(locale).to_string(),
                slug: parent.slug.clone(),
            },
        );
    }
    trail
}

/// Sizes in the order shoppers expect, whatever order they were entered in.
fn size_rank(size: &str) -> (u8, i64) {
    match size {
        "XXS" => (0, 0),
        "XS" => (0, 1),
        "S" => (0, 2),
        "M" => (0, 3),
        "L" => (0, 4),
        "XL" => (0, 5),
        "XXL" => (0, 6),
        other => match other.parse::<i64>() {
            Ok(n) => (1, n),
            Err(_) => (2, 0),
        },
    }
}

/// One page of a category (its own products and its children's), filtered and sorted.
/// `None` when the category does not exist.
pub fn listing(
    snapshot: &Snapshot,
    slug: &str,
    query: &ListingQuery,
    locale: Locale,
) -> Option<Listing> {
    let category = snapshot.category(slug)?;
    let mut scope: HashSet<i64> = snapshot.children(category.id).map(|c| c.id).collect();
    scope.insert(category.id);
    let in_scope: Vec<&Product> = snapshot
        .published()
        .filter(|p| scope.contains(&p.category_id))
        .collect();

    // Facets list every size and colour of the category, so a choice can always be undone.
    let mut sizes: Vec<String> = Vec::new();
    let mut colours: Vec<(String, String, String)> = Vec::new();
    for variant in in_scope.iter().flat_map(|p| &p.variants) {
        if !sizes.contains(&variant.size) {
            sizes.push(variant.size.clone());
        }
        if !colours.iter().any(|(key, _, _)| key == &variant.colour_key) {
            colours.push((
                variant.colour_key.clone(),
                variant.colour.get(locale).to_string(),
                variant.colour_hex.clone(),
            ));
        }
    }
    sizes.sort_by_key(|s| size_rank(s));
    colours.sort_by(|a, b| a.1.cmp(&b.1));

    let mut matching: Vec<&Product> = in_scope
        .into_iter()
        .filter(|product| {
            product.variants.iter().any(|v| {
                (query.sizes.is_empty() || query.sizes.contains(&v.size))
                    && (query.colours.is_empty() || query.colours.contains(&v.colour_key))
                    && (!query.in_stock_only || v.stock > 0)
                    && query.min_price.is_none_or(|min| v.price >= min)
                    && query.max_price.is_none_or(|max| v.price <= max)
            })
        })
        .collect();
    match query.sort {
        Sort::Newest => {} // the snapshot is ordered newest first
        Sort::PriceAscending => matching.sort_by_key(|p| (p.lowest_price().0, p.id)),
        Sort::PriceDescending => {
            matching.sort_by_key(|p| (std::cmp::Reverse(p.lowest_price().0), p.id))
        }
    }

    let total = matching.len();
    let pages = total.div_ceil(ListingQuery::PAGE_SIZE).max(1) as u32;
    let page = query.page.clamp(1, pages);
    let products = matching
        .into_iter()
        .skip((page as usize - 1) * ListingQuery::PAGE_SIZE)
        .take(ListingQuery::PAGE_SIZE)
        .map(|p| card(snapshot, p, locale))
        .collect();

    Some(Listing {
        name: category.name.get(locale).to_string(),
        intro: category.intro.get(locale).to_string(),
        slug: category.slug.clone(),
        breadcrumbs: breadcrumbs(snapshot, category, locale),
        children: snapshot
            .children(category.id)
            .map(|c| link(c, locale))
            .collect(),
        products,
        total,
        page,
        pages,
        sizes: sizes
            .into_iter()
            .map(|size| Facet {
                selected: query.sizes.contains(&size),
                label: size.clone(),
                key: size,
                hex: None,
            })
            .collect(),
        colours: colours
            .into_iter()
            .map(|(key, label, hex)| Facet {
                selected: query.colours.contains(&key),
                key,
                label,
                hex: Some(hex),
            })
            .collect(),
        query: ListingQuery {
            page,
            ..query.clone()
        },
    })
}

/// A published product with its variants, images and a few related products.
pub fn product(snapshot: &Snapshot, slug: &str, locale: Locale) -> Option<ProductDetail> {
    let product = snapshot.product(slug)?;
    let category = snapshot.category_by_id(product.category_id)?;
    Some(ProductDetail {
        slug: product.slug.clone(),
        name: product.name.get(locale).to_string(),
        description: product.description.get(locale).to_string(),
        material: product.material.get(locale).to_string(),
        care: product.care.get(locale).to_string(),
        kdv_rate: product.kdv_rate,
        cayma_exempt: product.cayma_exempt,
        breadcrumbs: breadcrumbs(snapshot, category, locale),
        images: product
            .images
            .iter()
            .map(|image| image.view(locale))
            .collect(),
        variants: product
            .variants
            .iter()
            .map(|v| VariantView {
                id: v.id,
                sku: v.sku.clone(),
                size: v.size.clone(),
                colour: v.colour.get(locale).to_string(),
                colour_hex: v.colour_hex.clone(),
                price: v.price,
                compare_at: v.compare_at,
                stock: StockState::from_stock(v.stock),
            })
            .collect(),
        related: snapshot
            .published()
            .filter(|p| p.category_id == product.category_id && p.id != product.id)
            .take(RELATED)
            .map(|p| card(snapshot, p, locale))
            .collect(),
    })
}

/// Products whose name, category or description contain every word of `query`, insensitive
/// to case and Turkish letters. The query is folded to letters, digits and spaces, so quotes,
/// `%` or SQL never mean anything here.
pub fn search(snapshot: &Snapshot, query: &str, locale: Locale) -> Vec<ProductCard> {
    let cut: String = query.chars().take(MAX_SEARCH_CHARS).collect();
    let folded = fold(&cut);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Products whose name matches come before those that match by category or description.
    let mut matches: Vec<(bool, &Product)> = snapshot
        .published()
        .filter(|p| words.iter().all(|word| p.search_text.contains(word)))
        .map(|p| {
            let name = fold(&format!("{} {}", p.name.tr, p.name.en));
            (!words.iter().all(|word| name.contains(word)), p)
        })
        .collect();
    matches.sort_by_key(|(by_name_last, _)| *by_name_last);
    matches
        .into_iter()
        .take(SEARCH_LIMIT)
        .map(|(_, p)| card(snapshot, p, locale))
        .collect()
}

/// The text search looks in: both languages' names and descriptions and the category names.
pub fn search_text(
    product_names: [&str; 2],
    descriptions: [&str; 2],
    categories: &[&str],
) -> String {
    let mut text = String::new();
    for part in product_names
        .iter()
        .chain(descriptions.iter())
        .chain(categories.iter())
    {
        text.push_str(&fold(part));
        text.push(' ');
    }
    text
}
