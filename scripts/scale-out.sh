#!/usr/bin/env bash
# Serves the shop as it runs when one machine is not enough (issue 16): N release servers
# (default 2) on one PostgreSQL, each on its own port, all started at once (the migrations and
# the demo catalogue happen once). The database is DATABASE_URL when it names a PostgreSQL
# (e.g. postgres://postgres@127.0.0.1:5432/test), otherwise a fresh PostgreSQL of the script's
# own in a temporary folder. Put a reverse proxy in front of the ports (README, "Running
# several servers"). Ctrl-C stops everything.
#   scripts/scale-out.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count="${1:-2}"
source scripts/setup.sh
scripts/build.sh
source scripts/env.sh
source scripts/cluster.sh
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  url="$DATABASE_URL"
else
  start_postgres_cluster
  url="$PG_URL"
fi
started=$SECONDS
start_servers "$count" "$url"
echo "$count servers on $(sed -E 's#//([^:@/]*):[^@]*@#//\1:***@#' <<<"$url"), ready in $((SECONDS - started)) s:"
for address in ${SERVERS//,/ }; do echo "  http://$address"; done
echo "logs: $SERVER_DIR; Ctrl-C stops"
trap 'exit 0' INT TERM
while true; do sleep 1; done
