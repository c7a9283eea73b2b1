#!/usr/bin/env bash
# The reliability suite (issues 13 and 16; scripts/reliability.py says what each probe does and
# prints): shoppers racing for the last pieces, one confirmation clicked 20 times, one webhook 20
# times, kill -9 during a stream of checkouts and a restart, orders per second with each step's
# latency; on PostgreSQL also the database crashing and coming back under load. Prints each
# figure; exits 1 when an outcome is wrong.
#   scripts/reliability.sh                      SQLite, one server, full size
#   scripts/reliability.sh --postgres           two servers on one PostgreSQL of the script's
#                                               own (this machine's PostgreSQL binaries), full size
#   ... --small                                 small counts (the test command's)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
postgres=0
args=()
for arg in "$@"; do
  case "$arg" in
    --postgres) postgres=1 ;;
    *) args+=("$arg") ;;
  esac
done
source scripts/setup.sh
if [ ! -x target/release/server ]; then scripts/build.sh; fi
source scripts/env.sh
source scripts/cluster.sh
export RUST_LOG=error
# The script signs webhooks as the provider would.
export LESMINORIA_SANDBOX_SECRET="load-test-sandbox-secret-0123456789"
if [ "$postgres" = 1 ]; then
  start_postgres_cluster
  start_servers 2 "$PG_URL"
else
  database_dir="$(mktemp -d)"
  _cluster_cleanup+=("rm -rf '$database_dir'")
  start_servers 1 "sqlite://$database_dir/shop.db"
fi
python3 scripts/reliability.py "${args[@]}"
