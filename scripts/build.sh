#!/usr/bin/env bash
# The release build: cargo-leptos builds the server and the WASM, then the JS, WASM and CSS are
# compressed once here at the highest levels (brotli -q 11, gzip -9), so the server sends the
# .br/.gz files as they are instead of compressing each response at a lower level.
# Expects the tools on PATH (source scripts/setup.sh first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Content-hashed file names, cached for a year by browsers (release builds only: see hash-files
# in Cargo.toml). cargo-leptos writes the hashes to target/release/hash.txt for the server.
LEPTOS_HASH_FILES=true cargo leptos build --release

pkg="target/site/pkg"

# The checkout page's own WASM (app/src/bundle.rs says why), built the way cargo-leptos 0.3.10
# builds the shop's: cargo for wasm32 with the wasm-release profile into target/front (sharing
# its compiled dependencies), wasm-bindgen --target=web, wasm-opt -Oz with the same features,
# then content-hashed names (MD5, URL-safe base64, as cargo-leptos) listed in
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
content_hash() { openssl dgst -md5 -binary "$1" | base64 | tr '+/' '-_' | tr -d '='; }
js_hash="$(content_hash "$bindgen_dir/$checkout_name.js")"
wasm_hash="$(content_hash "$bindgen_dir/$checkout_name.wasm")"
rm -f "$pkg/$checkout_name".*
cp "$bindgen_dir/$checkout_name.js" "$pkg/$checkout_name.$js_hash.js"
cp "$bindgen_dir/$checkout_name.wasm" "$pkg/$checkout_name.$wasm_hash.wasm"
printf 'js: %s\nwasm: %s\n' "$js_hash" "$wasm_hash" >target/release/hash-checkout.txt

rm -f "$pkg"/*.br "$pkg"/*.gz
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  brotli --force --quality=11 --output="$file.br" "$file"
  gzip --force --best --keep "$file"
done
