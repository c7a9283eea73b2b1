//! The cart's islands: the count in the header, "Sepete ekle" with its mini-cart on the product
//! page, and the cart page. They share the browser's cart store (`client::cart`). What they show
//! beyond a number is rendered on the server ([`views`]) and swapped in as HTML, so the words,
//! the money formatting and the markup stay out of the WASM every phone downloads.

mod add_to_cart;
mod cart_view;
mod count;
// Rendered on the server only: the islands receive it as HTML.
#[cfg(feature = "ssr")]
pub mod views;

pub use add_to_cart::AddToCart;
pub use cart_view::CartView;
pub use count::CartCount;
