//! Everything with a side effect: the database, and later payment providers, mail, sessions and
//! jobs. Compiled into the server only; it never renders.

pub mod cart;
pub mod catalogue;
pub mod db;
pub mod demo;
pub mod state;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod time;

pub use db::{Db, DbError, Dialect};
pub use state::AppState;
