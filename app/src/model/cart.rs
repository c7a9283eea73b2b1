//! The cart as both sides hold it. The browser keeps [`CartItem`]s (variant and quantity, and
//! the price the shopper last saw); the server answers with a [`PricedCart`] computed from the
//! database, with every correction it had to make. The browser's figures are never trusted:
//! `seen_price` only lets the server say "the price changed from … to …".

use serde::{Deserialize, Serialize};

use super::{catalogue::Image, Money};

/// At most this many of one variant in one order: a boutique's sane limit, and what keeps a
/// forged quantity from meaning anything.
pub const MAX_QUANTITY_PER_LINE: i64 = 10;
// The catalogue's triggers (server/migrations/*/20261201000004_stock_moves_quietly.sql) treat a
// stock move as a change only below 10: the cart's cap and the low-stock label live there.
const _: () = assert!(
    MAX_QUANTITY_PER_LINE == 10
        && super::catalogue::StockState::LOW_THRESHOLD < MAX_QUANTITY_PER_LINE
);
/// Lines beyond this are dropped (a forged payload, never a real cart).
pub const MAX_LINES: usize = 50;
/// KDV rate of the shipping fee (a service, at the standard rate).
pub const SHIPPING_KDV_RATE: i64 = 20;

/// One line as the browser stores and sends it. Quantities are signed on purpose: a forged
/// negative number must reach the server's correction, not fail to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartItem {
    pub variant_id: i64,
    pub quantity: i64,
    /// The unit price the shopper last saw for this line, if any.
    #[serde(default)]
    pub seen_price: Option<Money>,
}

/// The version written in front of [`encode_items`]'s text; a text of another version is not
/// read (a cart saved by an older shop is dropped with a notice, never misread).
pub const ITEMS_FORMAT_VERSION: &str = "1";

/// The cart's items as one short line of ASCII: `1|12x2@64990,13x1` (variant `x` quantity, and
/// `@` the price last seen, in kuruş). Written to localStorage and sent to the server as it is:
/// a format this small needs no JSON library in the browser's WASM.
pub fn encode_items(items: &[CartItem]) -> String {
    let mut text = format!("{ITEMS_FORMAT_VERSION}|");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("{}x{}", item.variant_id, item.quantity));
        if let Some(seen) = item.seen_price {
            text.push_str(&format!("@{}", seen.0));
        }
    }
    text
}

/// A member's cart after logging in: the browser's lines and the saved ones together, a
/// variant in both summed (at most [`MAX_QUANTITY_PER_LINE`]), the browser's lines first, at
/// most [`MAX_LINES`] lines. Stock is the server's to apply (`accounts::carts`).
pub fn merge_items(browser: &[CartItem], saved: &[CartItem]) -> Vec<CartItem> {
    let mut merged: Vec<CartItem> = Vec::new();
    for item in browser.iter().chain(saved) {
        if item.quantity <= 0 {
            continue;
        }
        let lines = merged.len();
        match merged
            .iter_mut()
            .find(|line| line.variant_id == item.variant_id)
        {
            Some(line) => {
                line.quantity = (line.quantity + item.quantity).min(MAX_QUANTITY_PER_LINE);
                line.seen_price = line.seen_price.or(item.seen_price);
            }
            None if lines < MAX_LINES => merged.push(CartItem {
                quantity: item.quantity.min(MAX_QUANTITY_PER_LINE),
                ..*item
            }),
            None => {}
        }
    }
    merged
}

/// Reads [`encode_items`]'s text; `None` for another version or anything malformed.
pub fn decode_items(text: &str) -> Option<Vec<CartItem>> {
    let list = text
        .trim()
        .strip_prefix(ITEMS_FORMAT_VERSION)?
        .strip_prefix('|')?;
    if list.is_empty() {
        return Some(Vec::new());
    }
    list.split(',')
        .map(|entry| {
            let (item, seen) = match entry.split_once('@') {
                Some((item, seen)) => (item, Some(Money(seen.parse().ok()?))),
                None => (entry, None),
            };
            let (variant_id, quantity) = item.split_once('x')?;
            Some(CartItem {
                variant_id: variant_id.parse().ok()?,
                quantity: quantity.parse().ok()?,
                seen_price: seen,
            })
        })
        .collect()
}

/// What the shop charges for delivery: a flat fee, free from a threshold (both including KDV).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingPolicy {
    pub fee: Money,
    pub free_from: Money,
}

impl Default for ShippingPolicy {
    fn default() -> Self {
        Self {
            fee: Money(7_990),
            free_from: Money(150_000),
        }
    }
}

/// A line the server priced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub variant_id: i64,
    pub product_slug: String,
    pub name: String,
    pub colour: String,
    pub size: String,
    pub image: Image,
    pub unit_price: Money,
    pub compare_at: Option<Money>,
    pub kdv_rate: i64,
    pub quantity: i64,
    /// The most this line may hold now: stock, capped at [`MAX_QUANTITY_PER_LINE`].
    pub max_quantity: i64,
}

impl PricedLine {
    pub fn total(&self) -> Money {
        Money(self.unit_price.0 * self.quantity)
    }

    pub fn kdv(&self) -> Money {
        self.total().kdv_share(self.kdv_rate)
    }
}

/// Something the server changed in the cart, to be shown to the shopper plainly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub variant_id: i64,
    /// The product's name and variant when the variant still exists.
    pub name: Option<String>,
    pub kind: CorrectionKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CorrectionKind {
    /// The unit price is not what the shopper last saw.
    PriceChanged { from: Money, to: Money },
    /// Fewer are in stock than were asked for: the line holds what there is.
    ReducedToStock { requested: i64, available: i64 },
    /// More than one line may hold: cut to the limit.
    ReducedToLimit { requested: i64, limit: i64 },
    /// Sold out: the line was removed.
    SoldOut,
    /// The variant no longer exists or is not for sale: the line was removed.
    Unavailable,
}

/// What the cart costs, all amounts including KDV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartTotals {
    pub item_count: i64,
    pub subtotal: Money,
    pub shipping: Money,
    /// The KDV contained in the total (products at their rates, shipping at 20 %).
    pub kdv: Money,
    pub total: Money,
    /// How much more would make shipping free; `None` once it is free (or the cart is empty).
    pub missing_for_free_shipping: Option<Money>,
}

impl CartTotals {
    pub fn of(lines: &[PricedLine], shipping: ShippingPolicy) -> Self {
        let item_count = lines.iter().map(|line| line.quantity).sum();
        let subtotal = Money(lines.iter().map(|line| line.total().0).sum());
        let lines_kdv: i64 = lines.iter().map(|line| line.kdv().0).sum();
        let (shipping_fee, missing) = if lines.is_empty() || subtotal >= shipping.free_from {
            (Money::ZERO, None)
        } else {
            (shipping.fee, Some(Money(shipping.free_from.0 - subtotal.0)))
        };
        Self {
            item_count,
            subtotal,
            shipping: shipping_fee,
            kdv: Money(lines_kdv + shipping_fee.kdv_share(SHIPPING_KDV_RATE).0),
            total: Money(subtotal.0 + shipping_fee.0),
            missing_for_free_shipping: missing,
        }
    }
}

/// The server's answer: the cart as it can be bought now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedCart {
    pub lines: Vec<PricedLine>,
    pub corrections: Vec<Correction>,
    pub totals: CartTotals,
}

impl PricedCart {
    /// The items the browser should keep after this answer: corrected quantities, and the
    /// prices it has now shown.
    pub fn items(&self) -> Vec<CartItem> {
        self.lines
            .iter()
            .map(|line| CartItem {
                variant_id: line.variant_id,
                quantity: line.quantity,
                seen_price: Some(line.unit_price),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_login_merges_the_browsers_cart_with_the_saved_one() {
        let item = |variant_id, quantity| CartItem {
            variant_id,
            quantity,
            seen_price: None,
        };
        let browser = [item(1, 2), item(2, 9)];
        let saved = [item(2, 3), item(3, 1), item(4, 0)];
        let merged = merge_items(&browser, &saved);
        assert_eq!(
            merged,
            [item(1, 2), item(2, MAX_QUANTITY_PER_LINE), item(3, 1)]
        );
        let many: Vec<CartItem> = (0..MAX_LINES as i64 + 5)
            .map(|v| item(v + 100, 1))
            .collect();
        assert_eq!(merge_items(&many, &browser).len(), MAX_LINES);
    }
    use super::*;

    fn line(variant_id: i64, unit_price: i64, quantity: i64, kdv_rate: i64) -> PricedLine {
        PricedLine {
            variant_id,
            product_slug: format!("urun-{variant_id}"),
            name: "Keten gömlek".into(),
            colour: "Ekru".into(),
            size: "M".into(),
            image: Image {
                src: "/img/urun/x.svg".into(),
                alt: String::new(),
            },
            unit_price: Money(unit_price),
            compare_at: None,
            kdv_rate,
            quantity,
            max_quantity: 10,
        }
    }

    const POLICY: ShippingPolicy = ShippingPolicy {
        fee: Money(7_990),
        free_from: Money(150_000),
    };

    #[test]
    fn totals_add_lines_in_kurus_and_charge_shipping_below_the_threshold() {
        let lines = [line(1, 64_990, 1, 10), line(2, 12_000, 2, 20)];
        let totals = CartTotals::of(&lines, POLICY);
        assert_eq!(totals.item_count, 3);
        assert_eq!(totals.subtotal, Money(88_990));
        assert_eq!(totals.shipping, Money(7_990));
        assert_eq!(totals.total, Money(96_980));
        assert_eq!(totals.missing_for_free_shipping, Some(Money(61_010)));
        // 649,90 at 10 % holds 59,08; 240,00 at 20 % holds 40,00; 79,90 at 20 % holds 13,32.
        assert_eq!(totals.kdv, Money(5_908 + 4_000 + 1_332));
    }

    #[test]
    fn shipping_is_free_from_the_threshold_exactly() {
        let at = CartTotals::of(&[line(1, 150_000, 1, 10)], POLICY);
        assert_eq!(at.shipping, Money::ZERO);
        assert_eq!(at.total, Money(150_000));
        assert_eq!(at.missing_for_free_shipping, None);
        let below = CartTotals::of(&[line(1, 149_999, 1, 10)], POLICY);
        assert_eq!(below.shipping, Money(7_990));
        assert_eq!(below.missing_for_free_shipping, Some(Money(1)));
    }

    #[test]
    fn an_empty_cart_costs_nothing_not_even_shipping() {
        let totals = CartTotals::of(&[], POLICY);
        assert_eq!(totals, CartTotals::default());
    }

    #[test]
    fn the_kdv_share_is_per_line_at_its_rate() {
        let one = line(1, 189_990, 1, 10);
        assert_eq!(one.kdv(), Money(17_272));
        let three = line(1, 11_000, 3, 10);
        assert_eq!(three.total(), Money(33_000));
        assert_eq!(three.kdv(), Money(3_000));
    }

    #[test]
    fn items_travel_as_one_short_line() {
        let items = vec![
            CartItem {
                variant_id: 12,
                quantity: 2,
                seen_price: Some(Money(64_990)),
            },
            CartItem {
                variant_id: 13,
                quantity: 1,
                seen_price: None,
            },
        ];
        let text = encode_items(&items);
        assert_eq!(text, "1|12x2@64990,13x1");
        assert_eq!(decode_items(&text), Some(items));
        assert_eq!(decode_items("1|"), Some(Vec::new()));
        // Forged numbers are read as numbers: the pricing corrects them.
        assert_eq!(decode_items("1|5x-3").map(|i| i[0].quantity), Some(-3));
    }

    #[test]
    fn other_versions_and_damaged_text_are_not_read() {
        for text in [
            "",
            "0|12x2",
            "2|12x2",
            r#"{"v":1,"items":[]}"#,
            "1|12",
            "1|12x",
            "1|x2",
            "1|12x2@",
            "1|12x2,",
            "1|bir x iki",
            "1|99999999999999999999x1",
        ] {
            assert_eq!(decode_items(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_browser_keeps_corrected_quantities_and_shown_prices() {
        let cart = PricedCart {
            lines: vec![line(7, 12_000, 2, 20)],
            corrections: Vec::new(),
            totals: CartTotals::default(),
        };
        assert_eq!(
            cart.items(),
            vec![CartItem {
                variant_id: 7,
                quantity: 2,
                seen_price: Some(Money(12_000)),
            }]
        );
    }
}
