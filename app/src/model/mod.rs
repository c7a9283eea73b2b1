//! Plain types both the server and the browser hold: serde, no I/O, unit-tested.

pub mod account;
pub mod address;
pub mod brand;
pub mod campaign;
pub mod cart;
pub mod catalogue;
pub mod catalogue_forms;
pub mod cayma;
pub mod checkout;
pub mod consent;
pub mod contact;
pub mod coupon;
pub mod date;
pub mod form;
pub mod kvkk;
pub mod legal;
pub mod locale;
pub mod money;
pub mod order_number;
pub mod phone;
pub mod route;
pub mod staff;
pub mod tax_id;
pub mod text;

pub use locale::{Locale, Page};
pub use money::Money;
