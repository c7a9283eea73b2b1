#!/usr/bin/env bash
# Sets everything up and runs every check the shop has, in order, stopping at the first failure:
#   1. cargo fmt --check
#   2. clippy -D warnings: the server build (ssr) and the browser builds (hydrate, wasm32: the
#      shop's bundle and the checkout's)
#   3. the Rust tests, per package so that features do not unify (SQLite always; PostgreSQL
#      too when TEST_POSTGRES_URL names a server, as .ci/run does)
#   4. the release build with cargo-leptos
#   5. the page-weight budgets of a product page (JS + WASM <= 60 kB brotli, issue 4) and of the
#      checkout with its own bundle (<= 90 kB in all, issue 13)
#   6. Playwright in Debian's Chromium against the release server on a fresh temporary
#      database, with JavaScript on and off
#   7. the hardening probes at small counts (scripts/probe.sh: slow connections, cache busting,
#      a flood of cookie choices, a locked and a deleted database), on a server of their own
#   8. the reliability suite at small counts (scripts/reliability.sh: the last pieces raced for,
#      repeated clicks and webhooks, kill -9 and a restart, orders per second) on SQLite with
#      one server, and, when TEST_POSTGRES_URL says PostgreSQL is here, on two servers sharing
#      one PostgreSQL of the suite's own, which it also crashes and restarts under load
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

started=$SECONDS
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1/8 cargo fmt --check"
cargo fmt --all --check

step "2/8 clippy (server build, then browser build)"
cargo clippy -p app --all-targets --features ssr,test-support -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend-checkout --target wasm32-unknown-unknown -- -D warnings

step "3/8 Rust tests"
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  echo "database tests: SQLite and PostgreSQL ($TEST_POSTGRES_URL)"
else
  echo "database tests: SQLite only; PostgreSQL skipped (TEST_POSTGRES_URL is not set)"
fi
cargo test -p app --features ssr,test-support
# In parallel, as the server itself renders: pages no longer await resources while rendering
# (server/src/page_data.rs), which is what used to leave a test unfinished now and then.
cargo test -p server

step "4/8 release build (cargo leptos build --release, precompressed assets)"
scripts/build.sh

source scripts/env.sh
source scripts/release-server.sh
source scripts/page-weight.sh
# The browser tests play many visitors from one machine: each says who it is in X-Forwarded-For
# (end2end/tests/fixtures.ts), believed only from this loopback address, as from a proxy.
export LESMINORIA_TRUSTED_PROXIES=127.0.0.1
start_release_server

step "5/8 page weight of a product page and of checkout (brotli, images aside)"
page_weight /urun/keten-gomlek-elbise --check
! grep -q 'lesminoria-checkout' "$SERVER_DIR/page.html" || { echo "a product page loads the checkout's bundle" >&2; exit 1; }
# The checkout's details step (the longest form), for a checkout started as the cart page does.
checkout_variant="$(sqlite3 "$SERVER_DIR/shop.db" "SELECT id FROM variants WHERE stock > 0 ORDER BY id LIMIT 1")"
PAGE_WEIGHT_COOKIE="$(curl -fsS -o /dev/null -D - -H "Origin: http://$LEPTOS_SITE_ADDR" \
  --data-urlencode "sepet=1|${checkout_variant}x1" "http://$LEPTOS_SITE_ADDR/odeme/basla" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(lm_odeme=[0-9a-f]*\).*/\1/p')" page_weight /odeme --check 90000 90000
# The checkout page loads its own bundle (the product page's was checked above not to).
grep -q 'lesminoria-checkout\.' "$SERVER_DIR/page.html" || { echo "the checkout page does not load its bundle" >&2; exit 1; }

step "6/8 browser tests (Playwright, Chromium, JavaScript on and off)"
# The cart tests change prices and stock in this database (with Debian's sqlite3) to see how the
# shop reacts.
export E2E_DATABASE_FILE="$SERVER_DIR/shop.db"

if ! (cd end2end && BASE_URL="http://$LEPTOS_SITE_ADDR" npx playwright test); then
  echo "--- server log ---"
  tail -n 50 "$SERVER_DIR/server.log"
  exit 1
fi

# The card numbers the browser tests typed on the sandbox's card page never reach the logs or
# the database (the privacy notice: card numbers are never stored).
for card in 4000990000000004 4111111111111129 5528790000000008; do
  spaced="$(sed -E 's/(....)/\1 ?/g' <<<"$card")"
  if grep -aEq "$card|$spaced" "$SERVER_DIR/server.log" "$SERVER_DIR"/shop.db*; then
    echo "card number $card found in the server's log or database" >&2
    exit 1
  fi
done
echo "card numbers typed in the browser tests: in neither the server log nor the database"

step "7/8 hardening probes (small counts; scripts/probe.sh for full size)"
# A server of its own: the last probe deletes its database.
bash scripts/probe.sh --small

step "8/8 reliability suite (small counts; scripts/reliability.sh [--postgres] for full size)"
bash scripts/reliability.sh --small
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  bash scripts/reliability.sh --small --postgres
else
  echo "PostgreSQL reliability suite skipped (TEST_POSTGRES_URL is not set)"
fi

printf '\n\033[1mall checks passed in %d s\033[0m\n' "$((SECONDS - started))"
