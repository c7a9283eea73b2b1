#!/usr/bin/env bash
# Measures what a first visit to a product page downloads, images aside (not a test: it prints
# figures; test.sh checks the same budget), before and after a cookie choice. See page-weight.sh
# for what is counted.
#   scripts/size.sh [product path]     (default /urun/keten-gomlek-elbise)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
path="${1:-/urun/keten-gomlek-elbise}"

scripts/build.sh >/dev/null 2>&1 || scripts/build.sh
source scripts/env.sh
source scripts/release-server.sh
source scripts/page-weight.sh
export RUST_LOG=warn
start_release_server
echo "== a first visit, before any cookie choice (the banner is shown)"
page_weight "$path"
# A real choice, as the banner's form posts it, so the cookie is one the server wrote.
cookie="$(curl -fsS -o /dev/null -D - -X POST -H "Origin: http://$LEPTOS_SITE_ADDR" \
  --data 'secim=red&dil=tr' "http://$LEPTOS_SITE_ADDR/cerez-tercihi" |
  sed -n 's/^set-cookie: \([^;]*\).*/\1/Ip')"
echo
echo "== a visit after a cookie choice ($cookie)"
PAGE_WEIGHT_COOKIE="$cookie" page_weight "$path"
