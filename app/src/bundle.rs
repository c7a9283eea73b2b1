//! Which WASM a page loads. Every page loads the shop's bundle (`frontend`: the cart, the menu,
//! the cookie banner…), whose size every phone pays for (60 kB brotli on a product page). The
//! checkout page loads a bundle of its own instead (`frontend-checkout`: the same islands plus
//! the checkout's, `components::checkout_flow`), built by `scripts/build.sh` next to the first.
//!
//! Why not cargo-leptos's `--split`: it costs every page about 2.2 kB for its loader, more than
//! the product page's headroom (the notes on issue 11). Two bundles cost other pages nothing;
//! a shopper downloads the checkout's once, when they start paying.

use leptos::config::LeptosOptions;

use crate::model::{Locale, Page};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Bundle {
    #[default]
    Shop,
    Checkout,
}

/// The checkout bundle's files are the shop's name with this suffix (`lesminoria-checkout.js`).
pub const CHECKOUT_SUFFIX: &str = "-checkout";
/// Where `scripts/build.sh` writes the checkout bundle's content hashes, beside cargo-leptos's
/// `hash.txt` (next to the server binary), in the same `js: …` / `wasm: …` lines.
pub const CHECKOUT_HASH_FILE: &str = "hash-checkout.txt";

impl Bundle {
    pub const ALL: [Bundle; 2] = [Bundle::Shop, Bundle::Checkout];

    /// The bundle of the page at `path`.
    pub fn for_path(path: &str) -> Self {
        let checkout = Locale::ALL
            .into_iter()
            .any(|locale| locale.path(&Page::Checkout) == path);
        if checkout {
            Bundle::Checkout
        } else {
            Bundle::Shop
        }
    }

    /// The options `HydrationScripts` names this bundle's files from. Where the checkout
    /// bundle was not built (`cargo leptos watch` builds only the shop's), the checkout page
    /// loads the shop's bundle: its steps then work as plain forms, as without JavaScript.
    pub fn options(self, options: &LeptosOptions) -> LeptosOptions {
        let mut options = options.clone();
        if self == Bundle::Checkout && checkout_bundle_built(&options) {
            options.output_name = format!("{}{CHECKOUT_SUFFIX}", options.output_name).into();
            options.hash_file = CHECKOUT_HASH_FILE.into();
        }
        options
    }
}

/// Whether the checkout bundle's files are there, looked up once per process. With hashed
/// names, the files its hash file names must exist too: `cargo leptos build` alone clears the
/// package folder of them (`scripts/build.sh` builds both bundles).
fn checkout_bundle_built(options: &LeptosOptions) -> bool {
    static BUILT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *BUILT.get_or_init(|| {
        let pkg = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
        let name = format!("{}{CHECKOUT_SUFFIX}", options.output_name);
        if !options.hash_files {
            return pkg.join(format!("{name}.js")).exists();
        }
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(CHECKOUT_HASH_FILE)))
            .and_then(|file| std::fs::read_to_string(file).ok());
        hashes.is_some_and(|hashes| hashed_files_exist(&hashes, &pkg, &name))
    })
}

/// Whether the `js` and `wasm` files a hash file (`js: …` / `wasm: …` lines) names are in `pkg`.
fn hashed_files_exist(hashes: &str, pkg: &std::path::Path, name: &str) -> bool {
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (file, hash) = line.split_once(':')?;
            (file.trim() == kind).then(|| hash.trim().to_string())
        })
    };
    ["js", "wasm"].into_iter().all(|kind| {
        hash_of(kind).is_some_and(|hash| pkg.join(format!("{name}.{hash}.{kind}")).exists())
    })
}

/// The bundle of the page being rendered on the server (the shop's outside a request).
#[cfg(feature = "ssr")]
pub fn of_request() -> Bundle {
    leptos::prelude::use_context::<http::request::Parts>()
        .map_or(Bundle::Shop, |parts| Bundle::for_path(parts.uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_file_counts_only_when_the_files_it_names_are_there() {
        let pkg = std::env::temp_dir().join(format!("bundle-test-{}", std::process::id()));
        std::fs::create_dir_all(&pkg).unwrap();
        let hashes = "js: AAA\nwasm: BBB\n";
        assert!(!hashed_files_exist(hashes, &pkg, "shop-checkout"));
        std::fs::write(pkg.join("shop-checkout.AAA.js"), "").unwrap();
        assert!(
            !hashed_files_exist(hashes, &pkg, "shop-checkout"),
            "the WASM is missing"
        );
        std::fs::write(pkg.join("shop-checkout.BBB.wasm"), "").unwrap();
        assert!(hashed_files_exist(hashes, &pkg, "shop-checkout"));
        assert!(!hashed_files_exist("js: AAA\n", &pkg, "shop-checkout"));
        std::fs::remove_dir_all(&pkg).unwrap();
    }

    #[test]
    fn only_the_checkout_page_loads_the_checkout_bundle() {
        assert_eq!(Bundle::for_path("/odeme"), Bundle::Checkout);
        assert_eq!(Bundle::for_path("/en/checkout"), Bundle::Checkout);
        for other in [
            "/",
            "/sepet",
            "/odeme/sonuc",
            "/urun/x",
            "/siparis/LM-2026-000001",
        ] {
            assert_eq!(Bundle::for_path(other), Bundle::Shop, "{other}");
        }
    }
}
