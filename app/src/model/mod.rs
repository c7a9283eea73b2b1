//! Plain types both the server and the browser hold: serde, no I/O, unit-tested.
//! Money, products, cart lines, orders and consents arrive with their issues.

pub mod brand;
