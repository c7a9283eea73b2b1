# The environment the release server runs with (sourced by serve.sh, test.sh and bench scripts):
# the files cargo-leptos built under target/site, with hashed names (scripts/build.sh; the
# hashes are in target/release/hash.txt, next to the binary).
export LEPTOS_OUTPUT_NAME="lesminoria"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_PKG_DIR="${LEPTOS_SITE_PKG_DIR:-pkg}"
export LEPTOS_ENV="${LEPTOS_ENV:-PROD}"
# A demo shop: an empty database gets the demo catalogue (a production one never does unasked).
export LESMINORIA_DEMO_CATALOGUE="${LESMINORIA_DEMO_CATALOGUE:-1}"
export LEPTOS_HASH_FILES="true"
