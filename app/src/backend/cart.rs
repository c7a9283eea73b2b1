//! Pricing a cart the browser sends: every figure comes from the catalogue as of now (the
//! snapshot of the current `catalogue_version`), never from the request. Whatever the request
//! holds (unknown or duplicate ids, zero, negative or huge quantities, too many lines) becomes
//! a corrected cart plus a list of what was corrected; nothing in it can cause an error.

use std::collections::HashMap;

use crate::backend::{catalogue::Snapshot, AppState};
use crate::model::cart::{
    CartItem, CartTotals, Correction, CorrectionKind, PricedCart, PricedLine, ShippingPolicy,
    MAX_LINES, MAX_QUANTITY_PER_LINE,
};
use crate::model::Locale;

/// Prices `items` against the catalogue as of now, with the shop's shipping policy: what the
/// `price_cart` server function and the islands' cart view (server/src/cart_view.rs) both answer.
pub async fn price_now(
    state: &AppState,
    items: &[CartItem],
    locale: Locale,
) -> Result<PricedCart, sqlx::Error> {
    let snapshot = state.catalogue.get(&state.db).await?;
    Ok(price(&snapshot, items, locale, state.shipping))
}

pub fn price(
    snapshot: &Snapshot,
    items: &[CartItem],
    locale: Locale,
    shipping: ShippingPolicy,
) -> PricedCart {
    let mut lines: Vec<PricedLine> = Vec::new();
    let mut corrections = Vec::new();
    // Duplicates are merged: the quantities add up, the first seen price is kept.
    let mut merged: Vec<CartItem> = Vec::new();
    let mut position: HashMap<i64, usize> = HashMap::new();
    for item in items.iter().take(MAX_LINES * 4) {
        match position.get(&item.variant_id) {
            Some(&at) => {
                let quantity = &mut merged[at].quantity;
                *quantity = quantity.saturating_add(item.quantity.max(0));
            }
            None => {
                position.insert(item.variant_id, merged.len());
                merged.push(CartItem {
                    quantity: item.quantity.max(0),
                    ..*item
                });
            }
        }
    }

    for item in merged {
        if lines.len() == MAX_LINES {
            break;
        }
        if item.quantity == 0 {
            continue; // zero or negative: the shopper (or a forger) asked for none
        }
        let Some((product, variant)) = snapshot.variant(item.variant_id) else {
            corrections.push(Correction {
                variant_id: item.variant_id,
                name: None,
                kind: CorrectionKind::Unavailable,
            });
            continue;
        };
        let name = product.name.get(locale).to_string();
        let label = format!("{name} ({} / {})", variant.colour.get(locale), variant.size);
        let mut correct = |kind| {
            corrections.push(Correction {
                variant_id: variant.id,
                name: Some(label.clone()),
                kind,
            })
        };
        if variant.stock <= 0 {
            correct(CorrectionKind::SoldOut);
            continue;
        }
        let max_quantity = variant.stock.min(MAX_QUANTITY_PER_LINE);
        let mut quantity = item.quantity;
        if quantity > variant.stock && variant.stock < MAX_QUANTITY_PER_LINE {
            correct(CorrectionKind::ReducedToStock {
                requested: quantity,
                available: variant.stock,
            });
            quantity = variant.stock;
        } else if quantity > MAX_QUANTITY_PER_LINE {
            correct(CorrectionKind::ReducedToLimit {
                requested: quantity,
                limit: MAX_QUANTITY_PER_LINE,
            });
            quantity = MAX_QUANTITY_PER_LINE;
        }
        if let Some(seen) = item.seen_price.filter(|seen| *seen != variant.price) {
            correct(CorrectionKind::PriceChanged {
                from: seen,
                to: variant.price,
            });
        }
        let image = product.cover_image(locale);
        lines.push(PricedLine {
            variant_id: variant.id,
            product_slug: product.slug.clone(),
            name,
            colour: variant.colour.get(locale).to_string(),
            size: variant.size.clone(),
            image,
            unit_price: variant.price,
            compare_at: variant.compare_at,
            kdv_rate: product.kdv_rate,
            quantity,
            max_quantity,
        });
    }

    let totals = CartTotals::of(&lines, shipping);
    PricedCart {
        lines,
        corrections,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::catalogue::snapshot::{Category, ImageRow, Localised, Product, Variant};
    use crate::model::Money;

    fn localised(tr: &str, en: &str) -> Localised {
        Localised {
            tr: tr.into(),
            en: en.into(),
        }
    }

    fn variant(id: i64, size: &str, price: i64, stock: i64) -> Variant {
        Variant {
            id,
            sku: format!("SKU-{id}"),
            size: size.into(),
            colour: localised("Ekru", "Ecru"),
            colour_key: "ekru".into(),
            colour_hex: "#eee".into(),
            price: Money(price),
            compare_at: None,
            stock,
        }
    }

    fn product(id: i64, slug: &str, published: bool, variants: Vec<Variant>) -> Product {
        Product {
            id,
            category_id: 1,
            slug: slug.into(),
            name: localised("Keten gömlek", "Linen shirt"),
            description: localised("", ""),
            material: localised("", ""),
            care: localised("", ""),
            kdv_rate: 10,
            published,
            featured: false,
            cayma_exempt: None,
            search_text: String::new(),
            created_at: "2026-01-01".into(),
            updated_at: "2026-01-01".into(),
            variants,
            images: vec![ImageRow {
                path: format!("/img/urun/{slug}-1.svg"),
                alt: localised("ön", "front"),
            }],
        }
    }

    fn snapshot() -> Snapshot {
        let category = Category {
            id: 1,
            parent_id: None,
            slug: "kadin".into(),
            name: localised("Kadın", "Women"),
            intro: localised("", ""),
            updated_at: "2026-01-01".into(),
        };
        Snapshot::new(
            1,
            vec![category],
            vec![
                product(
                    1,
                    "keten-gomlek",
                    true,
                    vec![
                        variant(11, "S", 64_990, 20),
                        variant(12, "M", 64_990, 2),
                        variant(13, "L", 64_990, 0),
                    ],
                ),
                product(2, "taslak", false, vec![variant(21, "M", 10_000, 5)]),
            ],
        )
    }

    fn item(variant_id: i64, quantity: i64) -> CartItem {
        CartItem {
            variant_id,
            quantity,
            seen_price: None,
        }
    }

    fn kinds(cart: &PricedCart) -> Vec<(i64, CorrectionKind)> {
        cart.corrections
            .iter()
            .map(|c| (c.variant_id, c.kind))
            .collect()
    }

    fn price_of(items: &[CartItem]) -> PricedCart {
        price(&snapshot(), items, Locale::Tr, ShippingPolicy::default())
    }

    #[test]
    fn prices_come_from_the_catalogue_not_the_request() {
        let cart = price_of(&[CartItem {
            variant_id: 11,
            quantity: 2,
            seen_price: Some(Money(1)),
        }]);
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].unit_price, Money(64_990));
        assert_eq!(cart.totals.subtotal, Money(129_980));
        assert_eq!(
            kinds(&cart),
            vec![(
                11,
                CorrectionKind::PriceChanged {
                    from: Money(1),
                    to: Money(64_990)
                }
            )]
        );
        assert_eq!(cart.lines[0].name, "Keten gömlek");
        assert_eq!(cart.lines[0].colour, "Ekru");
    }

    #[test]
    fn an_unchanged_price_is_no_correction() {
        let cart = price_of(&[CartItem {
            variant_id: 11,
            quantity: 1,
            seen_price: Some(Money(64_990)),
        }]);
        assert!(cart.corrections.is_empty());
    }

    #[test]
    fn quantities_are_cut_to_stock_and_to_the_line_limit() {
        let cart = price_of(&[item(12, 5), item(11, 1_000_000)]);
        let quantities: Vec<_> = cart
            .lines
            .iter()
            .map(|l| (l.variant_id, l.quantity))
            .collect();
        assert_eq!(quantities, vec![(12, 2), (11, MAX_QUANTITY_PER_LINE)]);
        assert_eq!(cart.lines[0].max_quantity, 2);
        assert_eq!(
            kinds(&cart),
            vec![
                (
                    12,
                    CorrectionKind::ReducedToStock {
                        requested: 5,
                        available: 2
                    }
                ),
                (
                    11,
                    CorrectionKind::ReducedToLimit {
                        requested: 1_000_000,
                        limit: MAX_QUANTITY_PER_LINE
                    }
                ),
            ]
        );
    }

    #[test]
    fn sold_out_unknown_and_unpublished_variants_are_removed_with_a_reason() {
        let cart = price_of(&[item(13, 1), item(999, 1), item(21, 1), item(11, 1)]);
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(
            kinds(&cart),
            vec![
                (13, CorrectionKind::SoldOut),
                (999, CorrectionKind::Unavailable),
                (21, CorrectionKind::Unavailable),
            ]
        );
    }

    #[test]
    fn zero_and_negative_quantities_ask_for_nothing_and_duplicates_add_up() {
        let cart = price_of(&[item(11, 0), item(12, -5), item(11, 2), item(11, 3)]);
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].quantity, 5);
        assert!(cart.corrections.is_empty());
        let overflow = price_of(&[item(11, i64::MAX), item(11, i64::MAX)]);
        assert_eq!(overflow.lines[0].quantity, MAX_QUANTITY_PER_LINE);
    }

    #[test]
    fn a_flood_of_lines_is_cut() {
        let items: Vec<_> = (0..10_000).map(|i| item(11 + i % 2, 1)).collect();
        let cart = price_of(&items);
        assert_eq!(cart.lines.len(), 2);
        let unknown: Vec<_> = (1_000..2_000).map(|id| item(id, 1)).collect();
        let cart = price_of(&unknown);
        assert!(cart.lines.is_empty());
        assert!(cart.corrections.len() <= MAX_LINES * 4);
    }

    #[test]
    fn english_names_in_english() {
        let cart = price(
            &snapshot(),
            &[item(11, 1)],
            Locale::En,
            ShippingPolicy::default(),
        );
        assert_eq!(cart.lines[0].name, "Linen shirt");
        assert_eq!(cart.lines[0].colour, "Ecru");
    }
}
