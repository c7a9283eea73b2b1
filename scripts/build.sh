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

# The checkout page's own WASM, next to the shop's (scripts/build-checkout-bundle.sh says how).
scripts/build-checkout-bundle.sh

rm -f "$pkg"/*.br "$pkg"/*.gz
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  brotli --force --quality=11 --output="$file.br" "$file"
  gzip --force --best --keep "$file"
done
