//! The back office's forms that add to the catalogue (a yonetici's): a new product, a variant of
//! one, a new category. Each is a plain form on the form kit: a refused one comes back with what
//! was typed and each problem beside its field.

use super::form::{Draft, FieldProblem, FormField};
use super::staff::parse_price;
use super::text::slugify;
use super::Money;

/// The KDV rates a product may carry (Türkiye: 1, 10 and 20 per cent; clothing is 10 or 20).
pub const KDV_RATES: [i64; 3] = [20, 10, 1];

/// A form's field set from one table of (field, posted name, most characters).
macro_rules! form_fields {
    ($name:ident { $($variant:ident => ($field:literal, $max:literal)),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl FormField for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $field),+
                }
            }

            fn max_chars(self) -> usize {
                match self {
                    $(Self::$variant => $max),+
                }
            }
        }
    };
}

/// A form's draft: one `String` per field, read and written by field.
macro_rules! form_draft {
    ($draft:ident, $field:ident { $($variant:ident => $slot:ident),+ $(,)? }) => {
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $draft {
            $(pub $slot: String),+
        }

        impl $draft {
            fn slot_of(&mut self, field: $field) -> &mut String {
                match field {
                    $($field::$variant => &mut self.$slot),+
                }
            }

            fn value_of(&self, field: $field) -> &str {
                match field {
                    $($field::$variant => &self.$slot),+
                }
            }
        }
    };
}

form_fields!(ProductField {
    Name => ("ad", 200),
    NameEn => ("ad_en", 200),
    Slug => ("kisa_ad", 120),
    Category => ("kategori", 20),
    Description => ("aciklama", 4000),
    DescriptionEn => ("aciklama_en", 4000),
    Material => ("malzeme", 300),
    MaterialEn => ("malzeme_en", 300),
    Care => ("bakim", 600),
    CareEn => ("bakim_en", 600),
    Kdv => ("kdv", 4),
});

form_draft!(ProductDraft, ProductField {
    Name => name,
    NameEn => name_en,
    Slug => slug,
    Category => category,
    Description => description,
    DescriptionEn => description_en,
    Material => material,
    MaterialEn => material_en,
    Care => care,
    CareEn => care_en,
    Kdv => kdv,
});

/// A new product as checked. It starts unpublished: it has no variant to sell yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProduct {
    pub slug: String,
    pub category_id: i64,
    pub name: [String; 2],
    pub description: [String; 2],
    pub material: [String; 2],
    pub care: [String; 2],
    pub kdv_rate: i64,
}

fn required<F: Copy>(problems: &mut Vec<FieldProblem<F>>, field: F, typed: &str) -> String {
    let text = typed.trim().to_string();
    if text.is_empty() {
        problems.push(FieldProblem {
            field,
            message_key: "staff.catalogue.error.required",
        });
    }
    text
}

/// The address word of a new product or category: as typed, or made from its Turkish name.
fn slug_from<F: Copy>(
    problems: &mut Vec<FieldProblem<F>>,
    field: F,
    typed: &str,
    name: &str,
) -> String {
    let slug = slugify(if typed.trim().is_empty() { name } else { typed });
    if slug.is_empty() && !name.trim().is_empty() {
        problems.push(FieldProblem {
            field,
            message_key: "staff.catalogue.error.slug",
        });
    }
    slug
}

impl Draft for ProductDraft {
    type Field = ProductField;
    type Accepted = NewProduct;

    fn slot(&mut self, field: ProductField) -> &mut String {
        self.slot_of(field)
    }

    fn value(&self, field: ProductField) -> &str {
        self.value_of(field)
    }

    fn validate(&self) -> Result<NewProduct, Vec<FieldProblem<ProductField>>> {
        use ProductField as F;
        let mut problems = Vec::new();
        let name = required(&mut problems, F::Name, &self.name);
        let name_en = required(&mut problems, F::NameEn, &self.name_en);
        let slug = slug_from(&mut problems, F::Slug, &self.slug, &name);
        let category_id = self.category.trim().parse::<i64>().ok();
        if category_id.is_none() {
            problems.push(FieldProblem {
                field: F::Category,
                message_key: "staff.catalogue.error.category",
            });
        }
        let description = required(&mut problems, F::Description, &self.description);
        let description_en = required(&mut problems, F::DescriptionEn, &self.description_en);
        let kdv_rate = self
            .kdv
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|rate| KDV_RATES.contains(rate));
        if kdv_rate.is_none() {
            problems.push(FieldProblem {
                field: F::Kdv,
                message_key: "staff.catalogue.error.kdv",
            });
        }
        match (category_id, kdv_rate) {
            (Some(category_id), Some(kdv_rate)) if problems.is_empty() => Ok(NewProduct {
                slug,
                category_id,
                name: [name, name_en],
                description: [description, description_en],
                material: [
                    self.material.trim().to_string(),
                    self.material_en.trim().to_string(),
                ],
                care: [
                    self.care.trim().to_string(),
                    self.care_en.trim().to_string(),
                ],
                kdv_rate,
            }),
            _ => Err(problems),
        }
    }
}

form_fields!(VariantField {
    Sku => ("sku", 40),
    Size => ("beden", 20),
    Colour => ("renk", 60),
    ColourEn => ("renk_en", 60),
    Hex => ("renk_kodu", 7),
    Price => ("yeni_fiyat", 20),
    CompareAt => ("yeni_liste", 20),
    Stock => ("yeni_stok", 10),
});

form_draft!(VariantDraft, VariantField {
    Sku => sku,
    Size => size,
    Colour => colour,
    ColourEn => colour_en,
    Hex => hex,
    Price => price,
    CompareAt => compare_at,
    Stock => stock,
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVariant {
    pub sku: String,
    pub size: String,
    pub colour: [String; 2],
    pub hex: String,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: i64,
}

impl Draft for VariantDraft {
    type Field = VariantField;
    type Accepted = NewVariant;

    fn slot(&mut self, field: VariantField) -> &mut String {
        self.slot_of(field)
    }

    fn value(&self, field: VariantField) -> &str {
        self.value_of(field)
    }

    fn validate(&self) -> Result<NewVariant, Vec<FieldProblem<VariantField>>> {
        use VariantField as F;
        let mut problems = Vec::new();
        let sku = self.sku.trim().to_uppercase();
        if sku.is_empty()
            || !sku
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        {
            problems.push(FieldProblem {
                field: F::Sku,
                message_key: "staff.catalogue.error.sku",
            });
        }
        let size = required(&mut problems, F::Size, &self.size);
        let colour = required(&mut problems, F::Colour, &self.colour);
        let colour_en = required(&mut problems, F::ColourEn, &self.colour_en);
        let hex = self.hex.trim().to_lowercase();
        let hex_ok = hex.len() == 7
            && hex.starts_with('#')
            && hex[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !hex_ok {
            problems.push(FieldProblem {
                field: F::Hex,
                message_key: "staff.catalogue.error.hex",
            });
        }
        let price = parse_price(&self.price).filter(|price| price.0 > 0);
        if price.is_none() {
            problems.push(FieldProblem {
                field: F::Price,
                message_key: "staff.coupon.error.price",
            });
        }
        let compare_at = match self.compare_at.trim() {
            "" => Ok(None),
            typed => parse_price(typed).map(Some).ok_or(()),
        };
        match (&compare_at, price) {
            (Err(()), _) => problems.push(FieldProblem {
                field: F::CompareAt,
                message_key: "staff.coupon.error.price",
            }),
            (Ok(Some(compare_at)), Some(price)) if *compare_at <= price => {
                problems.push(FieldProblem {
                    field: F::CompareAt,
                    message_key: "staff.refused.compare_at",
                })
            }
            _ => {}
        }
        let stock = self
            .stock
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|stock| (0..=1_000_000).contains(stock));
        if stock.is_none() {
            problems.push(FieldProblem {
                field: F::Stock,
                message_key: "staff.catalogue.error.stock",
            });
        }
        match (price, compare_at, stock) {
            (Some(price), Ok(compare_at), Some(stock)) if problems.is_empty() => Ok(NewVariant {
                sku,
                size,
                colour: [colour, colour_en],
                hex,
                price,
                compare_at,
                stock,
            }),
            _ => Err(problems),
        }
    }
}

form_fields!(CategoryField {
    Name => ("kategori_adi", 120),
    NameEn => ("kategori_adi_en", 120),
    Slug => ("kategori_kisa_ad", 120),
    Parent => ("ust_kategori", 20),
    Intro => ("tanitim", 1000),
    IntroEn => ("tanitim_en", 1000),
});

form_draft!(CategoryDraft, CategoryField {
    Name => name,
    NameEn => name_en,
    Slug => slug,
    Parent => parent,
    Intro => intro,
    IntroEn => intro_en,
});

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCategory {
    pub slug: String,
    pub parent_id: Option<i64>,
    pub name: [String; 2],
    pub intro: [String; 2],
}

impl Draft for CategoryDraft {
    type Field = CategoryField;
    type Accepted = NewCategory;

    fn slot(&mut self, field: CategoryField) -> &mut String {
        self.slot_of(field)
    }

    fn value(&self, field: CategoryField) -> &str {
        self.value_of(field)
    }

    fn validate(&self) -> Result<NewCategory, Vec<FieldProblem<CategoryField>>> {
        use CategoryField as F;
        let mut problems = Vec::new();
        let name = required(&mut problems, F::Name, &self.name);
        let name_en = required(&mut problems, F::NameEn, &self.name_en);
        let slug = slug_from(&mut problems, F::Slug, &self.slug, &name);
        let parent_id = match self.parent.trim() {
            "" => Ok(None),
            typed => typed.parse::<i64>().map(Some).map_err(|_| ()),
        };
        if parent_id.is_err() {
            problems.push(FieldProblem {
                field: F::Parent,
                message_key: "staff.catalogue.error.category",
            });
        }
        match parent_id {
            Ok(parent_id) if problems.is_empty() => Ok(NewCategory {
                slug,
                parent_id,
                name: [name, name_en],
                intro: [
                    self.intro.trim().to_string(),
                    self.intro_en.trim().to_string(),
                ],
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_s_address_word_comes_from_its_name_unless_typed() {
        let draft = ProductDraft {
            name: "Keten Yazlık Gömlek".into(),
            name_en: "Linen summer shirt".into(),
            category: "3".into(),
            description: "Hafif keten.".into(),
            description_en: "Light linen.".into(),
            kdv: "10".into(),
            ..ProductDraft::default()
        };
        let product = draft.validate().unwrap();
        assert_eq!(product.slug, "keten-yazlik-gomlek");
        assert_eq!(product.kdv_rate, 10);
        let fields: Vec<_> = ProductDraft {
            kdv: "18".into(),
            ..ProductDraft::default()
        }
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|problem| problem.field)
        .collect();
        assert_eq!(
            fields,
            [
                ProductField::Name,
                ProductField::NameEn,
                ProductField::Category,
                ProductField::Description,
                ProductField::DescriptionEn,
                ProductField::Kdv
            ]
        );
    }

    #[test]
    fn a_variant_needs_a_code_a_colour_a_price_and_a_list_price_above_it() {
        let good = VariantDraft {
            sku: "lm900-s-mavi".into(),
            size: "S".into(),
            colour: "Mavi".into(),
            colour_en: "Blue".into(),
            hex: "#1E3A8A".into(),
            price: "1.299,90".into(),
            compare_at: "1.599,90".into(),
            stock: "12".into(),
        };
        let variant = good.validate().unwrap();
        assert_eq!(variant.sku, "LM900-S-MAVI");
        assert_eq!(variant.hex, "#1e3a8a");
        assert_eq!(variant.compare_at, Some(Money(159_990)));
        let fields: Vec<_> = VariantDraft {
            sku: "LM 900".into(),
            hex: "mavi".into(),
            compare_at: "999".into(),
            stock: "-1".into(),
            ..good
        }
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|problem| problem.field)
        .collect();
        assert_eq!(
            fields,
            [
                VariantField::Sku,
                VariantField::Hex,
                VariantField::CompareAt,
                VariantField::Stock
            ]
        );
    }
}
