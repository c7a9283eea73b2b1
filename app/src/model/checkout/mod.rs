//! The checkout as both sides hold it: the steps a guest goes through at `/odeme`, what each
//! step accepts, the shipping and payment methods with their fees, and the order's totals with
//! KDV per rate. Everything here is plain and unit-tested; the server recomputes every figure
//! from the database (`backend::checkout`) and never believes one the browser sends.

pub mod details;
pub mod methods;
pub mod order;
pub mod page;
pub mod totals;

pub use details::{Address, CheckoutDetails, DetailsDraft, DetailsField, InvoiceParty};
pub use methods::{CheckoutMethods, MethodsDraft, MethodsField, PaymentMethod, ShippingMethod};
pub use order::{
    HoldReason, InvoiceReturnView, LineCancellationView, OrderLineView, OrderStatus, OrderView,
    PaymentStatus,
};
pub use totals::{KdvLine, OrderTotals};

/// The steps of `/odeme`, in order. A step is reached through the query parameter
/// [`STEP_QUERY`]; without one the page shows the first step not yet done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckoutStep {
    /// Contact, delivery address and invoice.
    Details,
    /// Shipping and payment method.
    Methods,
    /// The legal texts, the summary and "Siparişi onayla ve öde".
    Review,
}

/// The query parameter naming a step: `/odeme?adim=odeme-yontemi`.
pub const STEP_QUERY: &str = "adim";

impl CheckoutStep {
    pub const ALL: [CheckoutStep; 3] = [Self::Details, Self::Methods, Self::Review];

    /// The step's word in the address and in the posted form's `adim` field.
    pub fn code(self) -> &'static str {
        match self {
            Self::Details => "bilgiler",
            Self::Methods => "odeme-yontemi",
            Self::Review => "onay",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.code() == code)
    }

    /// The key of its title among the interface strings.
    pub fn title_key(self) -> &'static str {
        match self {
            Self::Details => "checkout.step.details",
            Self::Methods => "checkout.step.methods",
            Self::Review => "checkout.step.review",
        }
    }

    /// The step a shopper may see given what is done: a later step than the first one not yet
    /// done is not shown (its figures would rest on missing answers).
    pub fn allowed(self, details_done: bool, methods_done: bool) -> Self {
        let first_open = if !details_done {
            Self::Details
        } else if !methods_done {
            Self::Methods
        } else {
            Self::Review
        };
        self.min(first_open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_step_waits_for_the_earlier_ones() {
        use CheckoutStep::*;
        assert_eq!(Review.allowed(false, false), Details);
        assert_eq!(Review.allowed(true, false), Methods);
        assert_eq!(Review.allowed(true, true), Review);
        assert_eq!(
            Details.allowed(true, true),
            Details,
            "going back is always allowed"
        );
        for step in CheckoutStep::ALL {
            assert_eq!(CheckoutStep::from_code(step.code()), Some(step));
        }
    }
}

/// The review step's form: the "okudum, onaylıyorum" box and the documents' hash the shopper
/// read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewDraft {
    pub accept: String,
    pub documents: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewField {
    Accept,
    Documents,
}

impl crate::model::form::FormField for ReviewField {
    const ALL: &'static [Self] = &[Self::Accept, Self::Documents];

    fn name(self) -> &'static str {
        match self {
            Self::Accept => crate::wire::checkout::ACCEPT,
            Self::Documents => crate::wire::checkout::DOCUMENTS,
        }
    }

    fn max_chars(self) -> usize {
        64
    }
}

impl crate::model::form::Draft for ReviewDraft {
    type Field = ReviewField;
    /// The documents' hash the shopper confirmed.
    type Accepted = String;

    fn slot(&mut self, field: ReviewField) -> &mut String {
        match field {
            ReviewField::Accept => &mut self.accept,
            ReviewField::Documents => &mut self.documents,
        }
    }

    fn value(&self, field: ReviewField) -> &str {
        match field {
            ReviewField::Accept => &self.accept,
            ReviewField::Documents => &self.documents,
        }
    }

    fn validate(&self) -> Result<String, Vec<crate::model::form::FieldProblem<ReviewField>>> {
        if self.accept != "1" {
            return Err(vec![crate::model::form::FieldProblem {
                field: ReviewField::Accept,
                message_key: "checkout.error.accept",
            }]);
        }
        Ok(self.documents.clone())
    }
}
