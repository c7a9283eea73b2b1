//! What the catalogue pages show, already in the visitor's language. Built on the server from
//! the catalogue snapshot (`backend::catalogue`).

use serde::{Deserialize, Serialize};

use super::Money;

/// A category in "LES MENÜ": a top-level category with its children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
    pub children: Vec<CategoryLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Site-absolute path under `/img/`.
    pub src: String,
    pub alt: String,
}

/// A product in a grid: home, listings, search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub category: String,
    /// The lowest price among the product's variants.
    pub price: Money,
    /// The compare-at price that goes with `price`, when it is discounted.
    pub compare_at: Option<Money>,
    pub image: Image,
    pub in_stock: bool,
    /// Colour swatches (hex) of the product's variants.
    pub swatches: Vec<String>,
}

/// A step in the breadcrumb trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    pub name: String,
    pub slug: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockState {
    InStock,
    /// Few left: the number is shown so shoppers can decide.
    Low(i64),
    OutOfStock,
}

impl StockState {
    pub const LOW_THRESHOLD: i64 = 3;

    pub fn from_stock(stock: i64) -> Self {
        match stock {
            s if s <= 0 => Self::OutOfStock,
            s if s <= Self::LOW_THRESHOLD => Self::Low(s),
            _ => Self::InStock,
        }
    }

    pub fn available(self) -> bool {
        !matches!(self, Self::OutOfStock)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    pub size: String,
    pub colour: String,
    pub colour_hex: String,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: StockState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub material: String,
    pub care: String,
    pub kdv_rate: i64,
    /// Why it cannot be withdrawn from (m.15), said before it is bought (m.5/1-h).
    pub cayma_exempt: Option<crate::model::cayma::CaymaExemption>,
    /// Top-level category first, the product's own category last.
    pub breadcrumbs: Vec<Crumb>,
    pub images: Vec<Image>,
    pub variants: Vec<VariantView>,
    pub related: Vec<ProductCard>,
}

impl ProductDetail {
    /// The lowest price and its compare-at price, shown before a variant is chosen.
    pub fn from_price(&self) -> (Money, Option<Money>) {
        self.variants
            .iter()
            .min_by_key(|v| v.price)
            .map(|v| (v.price, v.compare_at))
            .unwrap_or((Money::ZERO, None))
    }

    pub fn any_available(&self) -> bool {
        self.variants.iter().any(|v| v.stock.available())
    }
}

/// How a listing is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    PriceAscending,
    PriceDescending,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::PriceAscending, Sort::PriceDescending];

    /// The value in the query string (same in both languages).
    pub fn key(self) -> &'static str {
        match self {
            Self::Newest => "yeni",
            Self::PriceAscending => "fiyat-artan",
            Self::PriceDescending => "fiyat-azalan",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.key() == key)
    }
}

/// The filters, sort and page of a category listing, as they travel in the query string.
/// Parsing never fails: nonsense is dropped or clamped, so any URL renders a page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingQuery {
    pub sizes: Vec<String>,
    /// Colour keys: folded Turkish colour names (`siyah`, `ekru`), the same in both languages.
    pub colours: Vec<String>,
    pub min_price: Option<Money>,
    pub max_price: Option<Money>,
    pub in_stock_only: bool,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

impl ListingQuery {
    pub const PAGE_SIZE: usize = 24;
    /// Above any price the shop will ever ask; larger numbers are clamped to it.
    pub const MAX_PRICE_TL: i64 = 1_000_000;
    const MAX_VALUES: usize = 20;
    const MAX_PAGE: u32 = 10_000;

    /// Reads `beden`, `renk`, `min`, `max`, `stok`, `sirala`, `sayfa` from query pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self {
            page: 1,
            ..Self::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() || value.len() > 64 {
                continue;
            }
            match key {
                "beden"
                    if query.sizes.len() < Self::MAX_VALUES
                        && !query.sizes.iter().any(|s| s == value) =>
                {
                    query.sizes.push(value.to_string());
                }
                "renk" if query.colours.len() < Self::MAX_VALUES => {
                    let colour = super::text::slugify(value);
                    if !colour.is_empty() && !query.colours.contains(&colour) {
                        query.colours.push(colour);
                    }
                }
                "min" => query.min_price = parse_lira(value),
                "max" => query.max_price = parse_lira(value),
                "stok" => query.in_stock_only = matches!(value, "1" | "evet" | "on" | "true"),
                "sirala" => query.sort = Sort::from_key(value).unwrap_or_default(),
                "sayfa" => query.page = value.parse::<u32>().unwrap_or(1).clamp(1, Self::MAX_PAGE),
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (query.min_price, query.max_price) {
            if min > max {
                query.min_price = Some(max);
                query.max_price = Some(min);
            }
        }
        query
    }

    /// The query string for this listing (without `?`), page and all; parameters in a fixed
    /// order so each listing has one canonical address.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for size in &self.sizes {
            pairs.push(("beden", size.clone()));
        }
        for colour in &self.colours {
            pairs.push(("renk", colour.clone()));
        }
        if let Some(min) = self.min_price {
            pairs.push(("min", (min.kurus() / 100).to_string()));
        }
        if let Some(max) = self.max_price {
            pairs.push(("max", (max.kurus() / 100).to_string()));
        }
        if self.in_stock_only {
            pairs.push(("stok", "1".into()));
        }
        if self.sort != Sort::Newest {
            pairs.push(("sirala", self.sort.key().into()));
        }
        if self.page > 1 {
            pairs.push(("sayfa", self.page.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same listing on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    pub fn has_filters(&self) -> bool {
        !self.sizes.is_empty()
            || !self.colours.is_empty()
            || self.min_price.is_some()
            || self.max_price.is_some()
            || self.in_stock_only
    }
}

/// Whole lira from a form field, read Turkish style: "1500", "1.500" (thousands grouping) and
/// "1500,90" are all 1500 TL. Anything but digits is ignored; huge numbers are clamped.
fn parse_lira(value: &str) -> Option<Money> {
    let integer_part = value.split(',').next().unwrap_or_default();
    let groups: Vec<&str> = integer_part.split('.').collect();
    let digits = if groups.len() > 1 && groups[1..].iter().all(|group| group.len() == 3) {
        groups.concat()
    } else {
        groups[0].to_string()
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let lira = if digits.len() > 12 {
        ListingQuery::MAX_PRICE_TL
    } else {
        digits.parse::<i64>().ok()?.min(ListingQuery::MAX_PRICE_TL)
    };
    Some(Money(lira * 100))
}

/// Percent-encodes a query value (letters, digits and `-_.~` stay as they are).
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// A filter choice with how many products it would show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub key: String,
    pub label: String,
    /// Colour swatch, for colours.
    pub hex: Option<String>,
    pub selected: bool,
}

/// One page of a category listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub name: String,
    pub intro: String,
    pub slug: String,
    pub breadcrumbs: Vec<Crumb>,
    /// Sub-categories to narrow down to (for a top-level category).
    pub children: Vec<CategoryLink>,
    pub products: Vec<ProductCard>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    pub sizes: Vec<Facet>,
    pub colours: Vec<Facet>,
    pub query: ListingQuery,
}

/// Whether category `category_id` is one of `targets` or below one of them, following
/// `parent_of` up the tree: a discount code's or a campaign's categories cover their children.
pub fn within(category_id: i64, targets: &[i64], parent_of: impl Fn(i64) -> Option<i64>) -> bool {
    let mut next = Some(category_id);
    // The tree is shallow; the bound only guards against a cycle no form can make.
    for _ in 0..16 {
        let Some(id) = next else {
            return false;
        };
        if targets.contains(&id) {
            return true;
        }
        next = parent_of(id);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonsense_parameters_are_dropped_or_clamped() {
        let query = ListingQuery::from_pairs([
            ("sayfa", "-4"),
            ("beden", "M"),
            ("beden", "M"),
            ("renk", "Siyah"),
            ("min", "99999999999999999999"),
            ("max", "abc"),
            ("sirala", "'; DROP TABLE products; --"),
            ("bilinmeyen", "x"),
        ]);
        assert_eq!(query.page, 1);
        assert_eq!(query.sizes, vec!["M"]);
        assert_eq!(query.colours, vec!["siyah"]);
        assert_eq!(
            query.min_price,
            Some(Money(ListingQuery::MAX_PRICE_TL * 100))
        );
        assert_eq!(query.max_price, None);
        assert_eq!(query.sort, Sort::Newest);
        let huge_page = ListingQuery::from_pairs([("sayfa", "99999999999")]);
        assert_eq!(huge_page.page, 1);
        let far_page = ListingQuery::from_pairs([("sayfa", "50000")]);
        assert_eq!(far_page.page, 10_000);
    }

    #[test]
    fn prices_read_turkish_style_and_swap_when_reversed() {
        let query = ListingQuery::from_pairs([("min", "2.500"), ("max", "1500,90")]);
        assert_eq!(query.min_price, Some(Money(150_000)));
        assert_eq!(query.max_price, Some(Money(250_000)));
    }

    #[test]
    fn query_string_round_trips_in_a_fixed_order() {
        let query = ListingQuery::from_pairs([
            ("sayfa", "2"),
            ("sirala", "fiyat-artan"),
            ("renk", "ekru"),
            ("beden", "38"),
            ("stok", "1"),
        ]);
        let encoded = query.to_query_string();
        assert_eq!(
            encoded,
            "beden=38&renk=ekru&stok=1&sirala=fiyat-artan&sayfa=2"
        );
        let pairs: Vec<(&str, &str)> = encoded
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        assert_eq!(ListingQuery::from_pairs(pairs), query);
        assert_eq!(ListingQuery::from_pairs([]).to_query_string(), "");
        // The page cache passes only the declared parameters on to the page.
        let priced = ListingQuery::from_pairs([("min", "100"), ("max", "900")]);
        let every_key = format!("{encoded}&{}", priced.to_query_string());
        for (key, _) in every_key.split('&').filter_map(|pair| pair.split_once('=')) {
            assert!(crate::model::route::LISTING_QUERY.contains(&key), "{key}");
        }
    }

    #[test]
    fn stock_states() {
        assert_eq!(StockState::from_stock(0), StockState::OutOfStock);
        assert_eq!(StockState::from_stock(-1), StockState::OutOfStock);
        assert_eq!(StockState::from_stock(2), StockState::Low(2));
        assert_eq!(StockState::from_stock(12), StockState::InStock);
    }
}
