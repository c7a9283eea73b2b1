# Sourced by the scale-out scripts (after env.sh): a PostgreSQL of the script's own and several
# release servers on one database, as a shop that outgrew one machine runs (issue 16).
#
# start_postgres_cluster   a fresh PostgreSQL cluster (this machine's PostgreSQL binaries) in a
#                          temporary folder on a free port, with a database `shop`, so that a
#                          script may stop and restart it without touching anyone else's
#                          database. Sets PG_DIR, PG_PORT, PG_URL; stopped and removed on exit.
# restart_postgres [down]  stops it as a crash would (immediate: no checkpoint, clients cut
#                          off), keeps it down `down` seconds (default 2) and starts it again.
# start_servers N URL      N release servers on database URL, all started at the same moment
#                          (migrations and the demo catalogue must then happen once), each on a
#                          free port. Sets SERVERS (host:port,…), SERVER_PIDS (pid,…) and
#                          SERVER_DIR; stopped on exit.

# Empty on a machine without PostgreSQL (SQLite runs need none): never a failure here.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
_cluster_cleanup=()
_cluster_exit() {
  local command
  for command in "${_cluster_cleanup[@]}"; do eval "$command" || true; done
}
trap _cluster_exit EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user when the script
# runs as root (as CI does), to the caller otherwise.
_as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres_cluster() {
  [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  PG_DIR="$(mktemp -d)"
  PG_PORT="$(free_port)"
  _cluster_cleanup+=("_as_pg_owner '$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m immediate stop >/dev/null 2>&1; rm -rf '$PG_DIR'")
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  _as_pg_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  _pg_start
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE shop" >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/shop"
  export PG_DIR PG_PORT PG_URL PG_BIN
}

_pg_start() {
  _as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}

restart_postgres() {
  _as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null
  sleep "${1:-2}"
  _pg_start
}

start_servers() {
  local count="$1" url="$2" i port pids=() addresses=()
  SERVER_DIR="$(mktemp -d)"
  _cluster_cleanup=("_stop_servers" "${_cluster_cleanup[@]}")
  for i in $(seq 0 $((count - 1))); do
    port="$(free_port)"
    addresses+=("127.0.0.1:$port")
    LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="$url" \
      target/release/server >"$SERVER_DIR/server-$i.log" 2>&1 &
    pids+=("$!")
    # Out of the job table: a test kills servers on purpose, and bash would report each.
    disown
  done
  SERVERS="$(IFS=,; echo "${addresses[*]}")"
  SERVER_PIDS="$(IFS=,; echo "${pids[*]}")"
  SERVER_DATABASE_URL="$url"
  export SERVERS SERVER_PIDS SERVER_DIR SERVER_DATABASE_URL
  for i in $(seq 0 $((count - 1))); do _wait_healthy "$i" || return 1; done
}

_wait_healthy() {
  local address pid
  address="$(cut -d, -f$(($1 + 1)) <<<"$SERVERS")"
  pid="$(cut -d, -f$(($1 + 1)) <<<"$SERVER_PIDS")"
  for _ in $(seq 1 150); do
    if curl -fsS "http://$address/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  cat "$SERVER_DIR/server-$1.log" >&2
  echo "server $1 ($address) did not start" >&2
  return 1
}

_stop_servers() {
  local pid
  for pid in ${SERVER_PIDS//,/ }; do kill "$pid" 2>/dev/null || true; done
  # Graceful shutdown lets requests finish (at most ten seconds).
  for _ in $(seq 1 150); do
    local running=0
    for pid in ${SERVER_PIDS//,/ }; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" = 0 ] && break
    sleep 0.1
  done
  # One still running after fifteen seconds is stuck: stopped for good. The list is emptied,
  # so that the exit's cleanup never signals numbers another process may have taken since.
  for pid in ${SERVER_PIDS//,/ }; do kill -9 "$pid" 2>/dev/null || true; done
  SERVER_PIDS=""
  rm -rf "$SERVER_DIR"
}
