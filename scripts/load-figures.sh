#!/usr/bin/env bash
# The shop's load figures (issue 16; not a test: it prints figures), each set-up on a fresh
# database with the demo catalogue:
#   - SQLite with one server, PostgreSQL with one server, PostgreSQL with two servers (on a
#     PostgreSQL of the script's own): start-up time (first start: migrations and the demo
#     catalogue; and a restart), memory at rest and under load, cached pages, listing and search
#     misses, and checkouts, at 16 and 64 concurrent clients (scripts/load_figures.py);
#   - SQLite with 100, 1,000 and 10,000 products: start-up, the catalogue's load time (as the
#     server logs it), memory at rest, listing and search misses at 16 clients.
# Writes every figure to target/load-figures.txt (set-up|figure|value) and prints them.
#   scripts/load-figures.sh [seconds per measurement, default 10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-10}"
source scripts/setup.sh
if ! command -v oha >/dev/null; then
  echo "load-figures: installing oha (a few minutes, once)"
  cargo install oha --locked
fi
scripts/build.sh >/dev/null 2>&1 || scripts/build.sh
source scripts/env.sh
source scripts/cluster.sh
export RUST_LOG=warn,app=info LESMINORIA_SANDBOX_SECRET="load-test-sandbox-secret-0123456789"
results="$PWD/target/load-figures.txt"
: >"$results"
now_ms() { date +%s%3N; }

# Starts COUNT servers on URL, twice (a first start, then a restart on the same database), and
# records both times; leaves the second start running.
timed_start() {
  local setup="$1" count="$2" url="$3" started
  started="$(now_ms)"
  start_servers "$count" "$url"
  echo "$setup|first start ms|$(( $(now_ms) - started ))" >>"$results"
  _stop_servers
  started="$(now_ms)"
  start_servers "$count" "$url"
  echo "$setup|restart ms|$(( $(now_ms) - started ))" >>"$results"
  printf '\n== %s: first start %s ms, restart %s ms (to /healthz answering)\n' "$setup" \
    "$(grep -F "$setup|first start" "$results" | cut -d'|' -f3)" \
    "$(grep -F "$setup|restart" "$results" | cut -d'|' -f3)"
}

sqlite_dir="$(mktemp -d)"
_cluster_cleanup+=("rm -rf '$sqlite_dir'")

timed_start "SQLite, 1 server" 1 "sqlite://$sqlite_dir/shop.db"
python3 scripts/load_figures.py "SQLite, 1 server" "$results" "$seconds"
_stop_servers

start_postgres_cluster
for database in one two; do
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE shop_$database" >/dev/null
done
timed_start "PostgreSQL, 1 server" 1 "postgres://postgres@127.0.0.1:$PG_PORT/shop_one"
python3 scripts/load_figures.py "PostgreSQL, 1 server" "$results" "$seconds"
_stop_servers
timed_start "PostgreSQL, 2 servers" 2 "postgres://postgres@127.0.0.1:$PG_PORT/shop_two"
python3 scripts/load_figures.py "PostgreSQL, 2 servers" "$results" "$seconds"
_stop_servers

for products in 100 1000 10000; do
  setup="SQLite, $products products"
  file="$sqlite_dir/catalogue-$products.db"
  start_servers 1 "sqlite://$file"
  _stop_servers
  python3 scripts/grow_catalogue.py "$file" "$products"
  timed_start "$setup" 1 "sqlite://$file"
  python3 scripts/load_figures.py "$setup" "$results" "$seconds" --catalogue
  # The catalogue's loads since the restart, as the server logged them: how many, the fastest
  # and the slowest (the first load at start-up runs alone; later ones share the cores with
  # the load of the measurement).
  loads="$(sed 's/\x1b\[[0-9;]*m//g' "$SERVER_DIR"/server-0.log | { grep -o 'took_ms=[0-9.]*' || true; } | cut -d= -f2 \
    | awk '{ printf "%.0f\n", $1 }' | sort -n)"
  count="$(printf '%s\n' "$loads" | grep -c . || true)"
  fastest="$(printf '%s\n' "$loads" | head -n 1)"
  slowest="$(printf '%s\n' "$loads" | tail -n 1)"
  echo "$setup|catalogue loads|$count" >>"$results"
  echo "$setup|catalogue load fastest ms|$fastest" >>"$results"
  echo "$setup|catalogue load slowest ms|$slowest" >>"$results"
  echo "  catalogue loads (snapshot)         $count, fastest $fastest ms, slowest $slowest ms"
  _stop_servers
done
echo
echo "all figures: $results"
