#!/usr/bin/env bash
# Builds the checkout page's own WASM bundle (app/src/bundle.rs says why there are two) into
# target/site/pkg, after `cargo leptos build --release` made the shop's. scripts/build.sh runs it;
# alone, it rebuilds only this bundle (and compresses it, as build.sh compresses the rest).
# Expects the tools on PATH (source scripts/setup.sh first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pkg="target/site/pkg"

# The checkout page's own WASM (app/src/bundle.rs says why), built the way cargo-leptos 0.3.10
# builds the shop's: cargo for wasm32 with the wasm-release profile into target/front (sharing
# its compiled dependencies), wasm-bindgen --target=web, wasm-opt -Oz with the same features,
# its JS minified (terser, as cargo-leptos minifies the shop's with swc), then content-hashed
# names (MD5, URL-safe base64, as cargo-leptos) listed in
# target/release/hash-checkout.txt, which the server reads like cargo-leptos's hash.txt.
checkout_name="lesminoria-checkout"
bindgen_dir="target/front/checkout-bindgen"
cargo build --package=frontend-checkout --lib --target-dir=target/front \
  --target=wasm32-unknown-unknown --profile=wasm-release
rm -rf "$bindgen_dir" && mkdir -p "$bindgen_dir"
wasm-bindgen --target=web --no-typescript --out-name="$checkout_name" --out-dir="$bindgen_dir" \
  target/front/wasm32-unknown-unknown/wasm-release/frontend_checkout.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$bindgen_dir/${checkout_name}_bg.wasm" -o "$bindgen_dir/$checkout_name.wasm"
terser "$bindgen_dir/$checkout_name.js" --module --compress --mangle \
  --output "$bindgen_dir/$checkout_name.min.js"
mv "$bindgen_dir/$checkout_name.min.js" "$bindgen_dir/$checkout_name.js"
content_hash() { openssl dgst -md5 -binary "$1" | base64 | tr '+/' '-_' | tr -d '='; }
js_hash="$(content_hash "$bindgen_dir/$checkout_name.js")"
wasm_hash="$(content_hash "$bindgen_dir/$checkout_name.wasm")"
rm -f "$pkg/$checkout_name".*
cp "$bindgen_dir/$checkout_name.js" "$pkg/$checkout_name.$js_hash.js"
cp "$bindgen_dir/$checkout_name.wasm" "$pkg/$checkout_name.$wasm_hash.wasm"
printf 'js: %s\nwasm: %s\n' "$js_hash" "$wasm_hash" >target/release/hash-checkout.txt
for file in "$pkg/$checkout_name.$js_hash.js" "$pkg/$checkout_name.$wasm_hash.wasm"; do
  brotli --force --quality=11 --output="$file.br" "$file"
  gzip --force --best --keep "$file"
done
