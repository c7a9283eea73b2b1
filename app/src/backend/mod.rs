//! Everything with a side effect: the database, and later payment providers, mail, sessions and
//! jobs. Compiled into the server only; it never renders.

pub mod accounts;
pub mod cart;
pub mod catalogue;
pub mod checkout;
pub mod consent;
pub mod contact;
pub mod coupons;
pub mod db;
pub mod demo;
pub mod invoices;
pub mod mail;
pub mod order_link;
pub mod orders;
pub mod password;
pub mod payment;
pub mod rate_limit;
pub mod request_origin;
pub mod sessions;
pub mod staff;
pub mod state;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod time;

pub use db::{Db, DbError, Dialect, WriteTx};
pub use request_origin::{random_hex, RequestOrigin};
pub use state::AppState;

/// `bytes` as lower-case hexadecimal, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
