#!/usr/bin/env bash
# Measures how fast the release server answers (not a test: it prints figures). Serves a release
# build on a fresh SQLite database with the demo catalogue, warms up, then drives each address
# with oha at 16 connections for 10 s and prints requests/s, p50 and p99:
#   - public pages from the page cache (hits), uncompressed and as browsers ask
#     (Accept-Encoding: gzip, deflate, br, zstd);
#   - the product page with a random query parameter it does not read (still a hit: unknown
#     parameters are dropped before the cache key is made);
#   - searches for random words: every request a miss, rendered;
#   - /robots.txt, the cheapest answer, as the yardstick for the ratios printed at the end;
#   - static files on kept-alive connections (what a phone's first visit fetches).
#   scripts/bench.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if ! command -v oha >/dev/null; then
  echo "bench: installing oha (a few minutes, once)"
  cargo install oha --locked
fi
duration="${1:-10}"
connections="${2:-16}"

scripts/build.sh >/dev/null 2>&1 || scripts/build.sh
source scripts/env.sh
source scripts/release-server.sh
export RUST_LOG=warn
start_release_server

# name|encoding|url (a pattern when it starts with "~": oha draws each request's URL from it, with
# dots literal, see oha --rand-regex-url)
base="http://$LEPTOS_SITE_ADDR"
runs=(
  "robots.txt|identity|$base/robots.txt"
  "home (hit)|identity|$base/"
  "category (hit)|identity|$base/kategori/kadin"
  "product (hit)|identity|$base/urun/keten-gomlek-elbise"
  "home (hit)|browser|$base/"
  "category (hit)|browser|$base/kategori/kadin"
  "product (hit)|browser|$base/urun/keten-gomlek-elbise"
  "product ?x=random|browser|~$base/urun/keten-gomlek-elbise\\?utm_source=[a-z]{12}"
  "search random (miss)|browser|~$base/arama\\?q=[a-z]{12}"
  "favicon.svg|browser|$base/favicon.svg"
  "stylesheet|browser|$base/pkg/$(ls target/site/pkg | grep -E '\.css$' | head -n 1)"
)
printf '%-24s %-9s %10s %9s %9s\n' "address" "encoding" "req/s" "p50 ms" "p99 ms"
for entry in "${runs[@]}"; do
  IFS='|' read -r name encoding url <<<"$entry"
  # "browser": what Chromium and Firefox send.
  header="$encoding"
  [ "$encoding" = browser ] && header="gzip, deflate, br, zstd"
  target=(-H "Accept-Encoding: $header")
  if [[ "$url" == "~"* ]]; then
    target+=(--rand-regex-url "${url#\~}")
  else
    target+=("$url")
  fi
  oha --no-tui -z 2s -c "$connections" "${target[@]}" >/dev/null # warm-up
  oha --no-tui --output-format json -z "${duration}s" -c "$connections" "${target[@]}" \
    >"$SERVER_DIR/result.json"
  python3 - "$name" "$encoding" "$SERVER_DIR/result.json" "$SERVER_DIR/rates" <<'PY'
import json, sys
name, encoding, path, rates = sys.argv[1:5]
result = json.load(open(path))
summary, latency = result["summary"], result["latencyPercentiles"]
codes = result.get("statusCodeDistribution", {})
bad = {code: n for code, n in codes.items() if code != "200"}
print(f"{name:<24} {encoding:<9} {summary['requestsPerSec']:>10.0f} {latency['p50'] * 1000:>9.2f} "
      f"{latency['p99'] * 1000:>9.2f}" + (f"  non-200: {bad}" if bad else ""))
with open(rates, "a") as out:
    out.write(f"{name}|{encoding}|{summary['requestsPerSec']}\n")
PY
done
python3 - "$SERVER_DIR/rates" <<'PY'
import sys
rates = {}
for line in open(sys.argv[1]):
    name, encoding, rate = line.strip().split("|")
    rates[(name, encoding)] = float(rate)
robots = rates[("robots.txt", "identity")]
hit = rates[("product (hit)", "browser")]
print(f"\nproduct page hit / robots.txt: {rates[('product (hit)', 'identity')] / robots:.2f}x (identity), {hit / robots:.2f}x (as browsers ask)")
print(f"random unknown parameter / hit: {rates[('product ?x=random', 'browser')] / hit:.2f}x")
print(f"search miss / product hit: {rates[('search random (miss)', 'browser')] / hit:.2f}x")
PY
