//! Cargo tracks the Rust sources of this crate by itself; the interface strings (read by
//! rust-i18n's macro) and the legal texts are inputs too, so a change to them must rebuild it.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=content");
}
