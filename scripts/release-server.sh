# Sourced by test.sh, bench.sh and size.sh (after env.sh): `start_release_server` runs the
# release build on a fresh temporary SQLite database (so it loads the demo catalogue), on a free
# port, and waits until /healthz answers. The server is stopped and its folder removed when the
# calling script exits. Sets LEPTOS_SITE_ADDR, DATABASE_URL, SERVER_DIR and SERVER_PID.
start_release_server() {
  SERVER_DIR="$(mktemp -d)"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export LEPTOS_SITE_ADDR="127.0.0.1:$port"
  export DATABASE_URL="sqlite://$SERVER_DIR/shop.db"
  target/release/server >"$SERVER_DIR/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$SERVER_DIR"' EXIT
  for _ in $(seq 1 150); do
    if curl -fsS "http://$LEPTOS_SITE_ADDR/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  cat "$SERVER_DIR/server.log" >&2
  echo "the release server did not start" >&2
  return 1
}
