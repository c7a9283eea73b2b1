//! One module per page or page group. Pages render; they never touch SQL.

pub mod account;
pub mod account_mail;
pub mod addresses;
pub mod admin;
pub mod admin_catalogue;
pub mod admin_coupons;
pub mod admin_desk;
pub mod admin_records;
pub mod admin_team;
pub mod cart;
pub mod category;
pub mod cayma;
pub mod checkout;
pub mod contact;
pub mod data;
pub mod home;
pub mod invoice;
pub mod legal;
pub mod member_orders;
pub mod not_found;
pub mod order;
pub mod order_mail;
pub mod personal_data;
pub mod product;
pub mod search;
