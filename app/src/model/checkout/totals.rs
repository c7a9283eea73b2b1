//! What an order costs: goods, less a discount code's share, delivery and the payment method's
//! fee, all including KDV, and the KDV they contain per rate (on what is charged). KDV is rounded once per rate over that rate's gross amount
//! (as an invoice prints it), not per line, so the KDV lines add up to what the invoice shows.

use serde::{Deserialize, Serialize};

use super::methods::{
    CheckoutMethods, CheckoutPolicy, PaymentMethod, ShippingMethod, SERVICE_KDV_RATE,
};
use crate::model::cart::PricedLine;
use crate::model::coupon::Discount;
use crate::model::Money;

/// The KDV at one rate: the gross amount taxed at it and the KDV it contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdvLine {
    pub rate: i64,
    pub gross: Money,
    pub kdv: Money,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTotals {
    pub item_count: i64,
    /// The goods at their prices, before any discount.
    pub subtotal: Money,
    /// What the discount code takes off the goods (zero without one).
    pub discount: Money,
    /// The code applied, when one is.
    pub coupon_code: Option<String>,
    pub shipping: Money,
    pub payment_fee: Money,
    /// Per rate, lowest rate first.
    pub kdv_lines: Vec<KdvLine>,
    pub kdv: Money,
    pub total: Money,
}

/// The KDV of KDV-inclusive amounts, each at its rate: summed per rate, then rounded once per
/// rate, lowest rate first; delivery and the payment method's fee at the services' rate.
pub fn kdv_per_rate(
    goods: impl IntoIterator<Item = (i64, Money)>,
    shipping: Money,
    payment_fee: Money,
) -> Vec<KdvLine> {
    let mut gross_by_rate: Vec<(i64, i64)> = Vec::new();
    let services = [
        (SERVICE_KDV_RATE, shipping),
        (SERVICE_KDV_RATE, payment_fee),
    ];
    for (rate, amount) in goods.into_iter().chain(services) {
        if amount == Money::ZERO {
            continue;
        }
        match gross_by_rate.iter_mut().find(|(r, _)| *r == rate) {
            Some((_, gross)) => *gross += amount.0,
            None => gross_by_rate.push((rate, amount.0)),
        }
    }
    gross_by_rate.sort();
    gross_by_rate
        .into_iter()
        .map(|(rate, gross)| KdvLine {
            rate,
            gross: Money(gross),
            kdv: Money(gross).kdv_share(rate),
        })
        .collect()
}

impl OrderTotals {
    pub fn of(
        lines: &[PricedLine],
        discount: Option<&Discount>,
        methods: CheckoutMethods,
        policy: &CheckoutPolicy,
    ) -> Self {
        Self::choosing(
            lines,
            discount,
            methods.shipping,
            Some(methods.payment),
            policy,
        )
    }

    /// The totals while the methods are being chosen: the payment method may not be chosen yet
    /// (then it adds no fee). The checkout page shows these as the shopper picks.
    ///
    /// The free-delivery threshold is read on the goods before a discount: a code never makes
    /// the total higher than it was without it (as charging delivery again would).
    pub fn choosing(
        lines: &[PricedLine],
        discount: Option<&Discount>,
        shipping: ShippingMethod,
        payment: Option<PaymentMethod>,
        policy: &CheckoutPolicy,
    ) -> Self {
        let subtotal = Money(lines.iter().map(|line| line.total().0).sum());
        let off = discount.map_or(Money::ZERO, |discount| discount.total);
        let shipping = shipping.fee(policy, subtotal);
        let payment_fee = payment.map_or(Money::ZERO, |payment| payment.fee(policy));
        let kdv_lines = kdv_per_rate(
            lines.iter().enumerate().map(|(index, line)| {
                let share = discount.map_or(Money::ZERO, |discount| discount.line(index));
                (line.kdv_rate, Money(line.total().0 - share.0))
            }),
            shipping,
            payment_fee,
        );
        Self {
            item_count: lines.iter().map(|line| line.quantity).sum(),
            subtotal,
            discount: off,
            coupon_code: discount.map(|discount| discount.code.clone()),
            shipping,
            payment_fee,
            kdv: Money(kdv_lines.iter().map(|line| line.kdv.0).sum()),
            kdv_lines,
            total: Money(subtotal.0 - off.0 + shipping.0 + payment_fee.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalogue::Image;

    fn line(unit_price: i64, quantity: i64, kdv_rate: i64) -> PricedLine {
        PricedLine {
            variant_id: unit_price,
            product_slug: String::new(),
            name: String::new(),
            colour: String::new(),
            size: String::new(),
            image: Image {
                src: String::new(),
                alt: String::new(),
            },
            unit_price: Money(unit_price),
            compare_at: None,
            kdv_rate,
            quantity,
            max_quantity: 10,
        }
    }

    #[test]
    fn kdv_is_rounded_once_per_rate_and_fees_are_taxed_at_twenty() {
        let policy = CheckoutPolicy::default();
        let methods = CheckoutMethods {
            shipping: ShippingMethod::Standard,
            payment: PaymentMethod::CashOnDelivery,
        };
        // Two lines at 10 % whose KDV rounds differently per line than together.
        let lines = [line(1_005, 1, 10), line(1_005, 1, 10), line(64_990, 1, 20)];
        let totals = OrderTotals::of(&lines, None, methods, &policy);
        assert_eq!(totals.subtotal, Money(67_000));
        assert_eq!(totals.shipping, Money(7_990));
        assert_eq!(totals.payment_fee, Money(4_990));
        assert_eq!(totals.total, Money(67_000 + 7_990 + 4_990));
        assert_eq!(
            totals.kdv_lines,
            [
                // 2010 × 10 / 110 = 182.7 → 183 (per line it would be 91 + 91 = 182)
                KdvLine {
                    rate: 10,
                    gross: Money(2_010),
                    kdv: Money(183)
                },
                // (64990 + 7990 + 4990) × 20 / 120 = 12995
                KdvLine {
                    rate: 20,
                    gross: Money(77_970),
                    kdv: Money(12_995)
                },
            ]
        );
        assert_eq!(totals.kdv, Money(183 + 12_995));
        assert_eq!(totals.item_count, 3);
    }

    #[test]
    fn a_card_order_over_the_threshold_pays_goods_only() {
        let policy = CheckoutPolicy::default();
        let methods = CheckoutMethods {
            shipping: ShippingMethod::Standard,
            payment: PaymentMethod::Card,
        };
        let totals = OrderTotals::of(&[line(150_000, 1, 20)], None, methods, &policy);
        assert_eq!(totals.total, Money(150_000));
        assert_eq!(totals.kdv_lines.len(), 1);
    }

    #[test]
    fn before_a_payment_method_is_chosen_no_fee_is_added() {
        let policy = CheckoutPolicy::default();
        let lines = [line(50_000, 1, 20)];
        let express = OrderTotals::choosing(&lines, None, ShippingMethod::Express, None, &policy);
        assert_eq!(express.payment_fee, Money::ZERO);
        assert_eq!(express.total, Money(50_000 + 14_990));
        let cash = OrderTotals::choosing(
            &lines,
            None,
            ShippingMethod::Express,
            Some(PaymentMethod::CashOnDelivery),
            &policy,
        );
        assert_eq!(cash.total, Money(50_000 + 14_990 + 4_990));
    }

    #[test]
    fn a_discount_lowers_each_rate_s_kdv_by_its_share_and_never_brings_delivery_back() {
        let policy = CheckoutPolicy::default();
        let methods = CheckoutMethods {
            shipping: ShippingMethod::Standard,
            payment: PaymentMethod::Card,
        };
        let threshold = policy.shipping.free_from.0;
        // Goods just over the free-delivery threshold at 10 % and 20 %.
        let lines = [line(threshold / 2 + 100, 1, 10), line(threshold / 2, 1, 20)];
        let undiscounted = OrderTotals::of(&lines, None, methods, &policy);
        assert_eq!(undiscounted.shipping, Money::ZERO);
        let discount = Discount {
            code: "YAZ-10".into(),
            total: Money(2_000),
            per_line: vec![Money(1_500), Money(500)],
        };
        let totals = OrderTotals::of(&lines, Some(&discount), methods, &policy);
        assert_eq!(totals.discount, Money(2_000));
        assert_eq!(totals.coupon_code.as_deref(), Some("YAZ-10"));
        // Below the threshold once discounted, and delivery stays free: the code only lowers.
        assert_eq!(totals.shipping, Money::ZERO);
        assert_eq!(totals.total, Money(undiscounted.total.0 - 2_000));
        let ten = totals
            .kdv_lines
            .iter()
            .find(|line| line.rate == 10)
            .unwrap();
        assert_eq!(ten.gross, Money(threshold / 2 + 100 - 1_500));
        assert_eq!(ten.kdv, Money(threshold / 2 + 100 - 1_500).kdv_share(10));
        let total_gross: i64 = totals.kdv_lines.iter().map(|line| line.gross.0).sum();
        assert_eq!(Money(total_gross), totals.total);
    }
}
