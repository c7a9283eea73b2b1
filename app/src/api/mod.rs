//! Server functions (`#[server]`), one module per area. They stay thin: check who is asking,
//! then call into `backend`.

pub mod cart;
pub mod catalogue;
