//! The cart's islands: the count in the header, "Sepete ekle" with its mini-cart on the product
//! page, and the cart page. They share the browser's cart store (`client::cart`), and receive
//! the words they show as a prop ([`CartTexts`]) so the string tables stay out of the WASM.

mod add_to_cart;
mod cart_view;
mod count;
mod texts;

pub use add_to_cart::{AddToCart, AddToCartProduct, AddToCartVariant};
pub use cart_view::CartView;
pub use count::CartCount;
pub use texts::CartTexts;
