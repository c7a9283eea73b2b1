//! Automatic campaigns: from a first day to a last day (in Türkiye), the products of some
//! categories (or all) sell for a percentage less, their own price shown struck through. The
//! catalogue snapshot applies them, so every page, the cart and the order charge the same.

use serde::{Deserialize, Serialize};

use super::form::{Draft, FieldProblem, FormField};
use super::Money;

/// The deepest cut a campaign may make (the database refuses more).
pub const MAX_PERCENT: i64 = 90;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRule {
    pub id: i64,
    pub name: String,
    pub percent: i64,
    /// Unix seconds: the first second it runs, and the first second it no longer does.
    pub starts_at: i64,
    pub ends_at: i64,
    pub active: bool,
    /// Empty: every product.
    pub category_ids: Vec<i64>,
}

impl CampaignRule {
    pub fn runs_at(&self, now: i64) -> bool {
        self.active && self.starts_at <= now && now < self.ends_at
    }
}

/// `price` less `percent`, rounded half up to the kuruş.
pub fn sale_price(price: Money, percent: i64) -> Money {
    Money((price.0 * (100 - percent.clamp(0, 100)) + 50) / 100)
}

/// A variant's price and compare-at price while a campaign of `percent` runs on it: the sale
/// price, with its own current price struck through. Never an older, higher list price: the
/// reduction shown is the one the campaign makes (Haksız Ticari Uygulamalar Yönetmeliği: the
/// price before a reduction is the one the goods were sold at).
pub fn on_sale(price: Money, percent: i64) -> (Money, Option<Money>) {
    (sale_price(price, percent), Some(price))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampaignField {
    Name,
    Percent,
    Starts,
    Ends,
    Active,
}

impl FormField for CampaignField {
    const ALL: &'static [Self] = &[
        Self::Name,
        Self::Percent,
        Self::Starts,
        Self::Ends,
        Self::Active,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Name => "kampanya_adi",
            Self::Percent => "yuzde",
            Self::Starts => "baslangic",
            Self::Ends => "bitis",
            Self::Active => "etkin",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            Self::Name => 120,
            _ => 20,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignDraft {
    pub name: String,
    pub percent: String,
    pub starts: String,
    pub ends: String,
    pub active: String,
    pub category_ids: Vec<i64>,
}

/// A campaign as staff set it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignChanges {
    pub name: String,
    pub percent: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub active: bool,
    pub category_ids: Vec<i64>,
}

impl CampaignDraft {
    pub fn of(rule: &CampaignRule) -> Self {
        use super::date::istanbul_form_date;
        Self {
            name: rule.name.clone(),
            percent: rule.percent.to_string(),
            starts: istanbul_form_date(rule.starts_at),
            ends: istanbul_form_date(rule.ends_at - 1),
            active: if rule.active { "1" } else { "" }.to_string(),
            category_ids: rule.category_ids.clone(),
        }
    }
}

impl Draft for CampaignDraft {
    type Field = CampaignField;
    type Accepted = CampaignChanges;

    fn slot(&mut self, field: CampaignField) -> &mut String {
        match field {
            CampaignField::Name => &mut self.name,
            CampaignField::Percent => &mut self.percent,
            CampaignField::Starts => &mut self.starts,
            CampaignField::Ends => &mut self.ends,
            CampaignField::Active => &mut self.active,
        }
    }

    fn value(&self, field: CampaignField) -> &str {
        match field {
            CampaignField::Name => &self.name,
            CampaignField::Percent => &self.percent,
            CampaignField::Starts => &self.starts,
            CampaignField::Ends => &self.ends,
            CampaignField::Active => &self.active,
        }
    }

    fn validate(&self) -> Result<CampaignChanges, Vec<FieldProblem<CampaignField>>> {
        use super::date::day_range;
        let mut problems = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            problems.push(FieldProblem {
                field: CampaignField::Name,
                message_key: "staff.campaign.error.name",
            });
        }
        let percent = self
            .percent
            .trim()
            .trim_start_matches('%')
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PERCENT).contains(n));
        if percent.is_none() {
            problems.push(FieldProblem {
                field: CampaignField::Percent,
                message_key: "staff.campaign.error.percent",
            });
        }
        let (starts_at, ends_at) = day_range(
            (&self.starts, CampaignField::Starts),
            (&self.ends, CampaignField::Ends),
            false,
            &mut problems,
        );
        match (percent, starts_at, ends_at) {
            (Some(percent), Some(starts_at), Some(ends_at)) if problems.is_empty() => {
                Ok(CampaignChanges {
                    name,
                    percent,
                    starts_at,
                    ends_at,
                    active: self.active == "1",
                    category_ids: self.category_ids.clone(),
                })
            }
            _ => Err(problems),
        }
    }
}

/// The back office's campaign desk: every campaign, and the one `?kampanya=` opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDesk {
    pub rules: Vec<CampaignRule>,
    pub editing: Option<CampaignRule>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sale_price_is_rounded_half_up_and_the_own_price_is_struck() {
        assert_eq!(sale_price(Money(99_990), 20), Money(79_992));
        assert_eq!(sale_price(Money(1_005), 50), Money(503));
        assert_eq!(
            on_sale(Money(100_000), 25),
            (Money(75_000), Some(Money(100_000)))
        );
    }

    #[test]
    fn a_campaign_runs_from_its_first_second_to_before_its_end() {
        let rule = CampaignRule {
            id: 1,
            name: "Kış".into(),
            percent: 20,
            starts_at: 100,
            ends_at: 200,
            active: true,
            category_ids: Vec::new(),
        };
        assert!(!rule.runs_at(99));
        assert!(rule.runs_at(100));
        assert!(!rule.runs_at(200));
        assert!(!CampaignRule {
            active: false,
            ..rule
        }
        .runs_at(150));
    }

    #[test]
    fn the_form_needs_a_name_a_percentage_and_both_days() {
        let draft = CampaignDraft {
            name: "Yılbaşı".into(),
            percent: "20".into(),
            starts: "2026-12-24".into(),
            ends: "2026-12-31".into(),
            active: "1".into(),
            category_ids: vec![2],
        };
        let changes = draft.validate().unwrap();
        assert_eq!(changes.starts_at, 1_798_059_600);
        assert_eq!(changes.ends_at, 1_798_750_800);
        let rule = CampaignRule {
            id: 1,
            name: changes.name.clone(),
            percent: 20,
            starts_at: changes.starts_at,
            ends_at: changes.ends_at,
            active: true,
            category_ids: vec![2],
        };
        assert_eq!(CampaignDraft::of(&rule), draft);
        let fields: Vec<_> = CampaignDraft {
            percent: "95".into(),
            ends: "2026-12-24".into(),
            ..CampaignDraft::default()
        }
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|problem| problem.field)
        .collect();
        assert_eq!(
            fields,
            [
                CampaignField::Name,
                CampaignField::Percent,
                CampaignField::Starts
            ]
        );
    }
}
