//! What an order costs: goods, delivery and the payment method's fee, all including KDV, and
//! the KDV they contain per rate. KDV is rounded once per rate over that rate's gross amount
//! (as an invoice prints it), not per line, so the KDV lines add up to what the invoice shows.

use serde::{Deserialize, Serialize};

use super::methods::{
    CheckoutMethods, CheckoutPolicy, PaymentMethod, ShippingMethod, SERVICE_KDV_RATE,
};
use crate::model::cart::PricedLine;
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
    pub subtotal: Money,
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
    pub fn of(lines: &[PricedLine], methods: CheckoutMethods, policy: &CheckoutPolicy) -> Self {
        Self::choosing(lines, methods.shipping, Some(methods.payment), policy)
    }

    /// The totals while the methods are being chosen: the payment method may not be chosen yet
    /// (then it adds no fee). The checkout page shows these as the shopper picks.
    pub fn choosing(
        lines: &[PricedLine],
        shipping: ShippingMethod,
        payment: Option<PaymentMethod>,
        policy: &CheckoutPolicy,
    ) -> Self {
        let subtotal = Money(lines.iter().map(|line| line.total().0).sum());
        let shipping = shipping.fee(policy, subtotal);
        let payment_fee = payment.map_or(Money::ZERO, |payment| payment.fee(policy));
        let kdv_lines = kdv_per_rate(
            lines.iter().map(|line| (line.kdv_rate, line.total())),
            shipping,
            payment_fee,
        );
        Self {
            item_count: lines.iter().map(|line| line.quantity).sum(),
            subtotal,
            shipping,
            payment_fee,
            kdv: Money(kdv_lines.iter().map(|line| line.kdv.0).sum()),
            kdv_lines,
            total: Money(subtotal.0 + shipping.0 + payment_fee.0),
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
        let totals = OrderTotals::of(&lines, methods, &policy);
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
        let totals = OrderTotals::of(&[line(150_000, 1, 20)], methods, &policy);
        assert_eq!(totals.total, Money(150_000));
        assert_eq!(totals.kdv_lines.len(), 1);
    }

    #[test]
    fn before_a_payment_method_is_chosen_no_fee_is_added() {
        let policy = CheckoutPolicy::default();
        let lines = [line(50_000, 1, 20)];
        let express = OrderTotals::choosing(&lines, ShippingMethod::Express, None, &policy);
        assert_eq!(express.payment_fee, Money::ZERO);
        assert_eq!(express.total, Money(50_000 + 14_990));
        let cash = OrderTotals::choosing(
            &lines,
            ShippingMethod::Express,
            Some(PaymentMethod::CashOnDelivery),
            &policy,
        );
        assert_eq!(cash.total, Money(50_000 + 14_990 + 4_990));
    }
}
