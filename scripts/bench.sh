#!/usr/bin/env bash
# Measures how fast the release server answers the catalogue pages (not a test: it prints
# figures). Serves a release build on a fresh SQLite database with the demo catalogue, warms up,
# then drives each page with oha at 16 connections for 10 s and prints requests/s, p50 and p99,
# once uncompressed (Accept-Encoding: identity) and once as browsers ask (br, compressed per
# response because each page carries its own CSP nonce).
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

pages=(
  "home|/"
  "category (24 products)|/kategori/kadin"
  "product|/urun/keten-gomlek-elbise"
)
printf '%-24s %-9s %10s %9s %9s %10s\n' "page" "encoding" "req/s" "p50 ms" "p99 ms" "bytes"
for encoding in identity br; do
for entry in "${pages[@]}"; do
  name="${entry%%|*}"
  path="${entry#*|}"
  url="http://$LEPTOS_SITE_ADDR$path"
  bytes=$(curl -fsS -H "Accept-Encoding: $encoding" "$url" | wc -c)
  oha --no-tui -z 2s -c "$connections" -H "Accept-Encoding: $encoding" "$url" >/dev/null # warm-up
  oha --no-tui --output-format json -z "${duration}s" -c "$connections" \
    -H "Accept-Encoding: $encoding" "$url" >"$SERVER_DIR/result.json"
  python3 - "$name" "$encoding" "$bytes" "$SERVER_DIR/result.json" <<'PY'
import json, sys
name, encoding, size, path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
result = json.load(open(path))
summary, latency = result["summary"], result["latencyPercentiles"]
codes = result.get("statusCodeDistribution", {})
bad = {code: n for code, n in codes.items() if code != "200"}
print(f"{name:<24} {encoding:<9} {summary['requestsPerSec']:>10.0f} {latency['p50'] * 1000:>9.2f} "
      f"{latency['p99'] * 1000:>9.2f} {size:>10}" + (f"  non-200: {bad}" if bad else ""))
PY
done
done
