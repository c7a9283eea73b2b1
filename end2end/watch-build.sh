#!/usr/bin/env bash
# `cargo leptos end-to-end` runs this (from end2end/) once it serves the development build: the
# Playwright suite against that server, with JavaScript on and off. The tests change the database
# the server uses (stock, prices, consent ledger, contact messages), so point it at a scratch
# file and start from an empty one:
#
#   rm -f target/e2e.db* && DATABASE_URL=sqlite://target/e2e.db cargo leptos end-to-end
#
# scripts/test.sh runs the same suite against the release build on a fresh database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
database_url="${DATABASE_URL:-sqlite://data/lesminoria.db}"
case "$database_url" in
  sqlite://*) ;;
  *) echo "end-to-end: the browser tests read the server's SQLite file; DATABASE_URL is $database_url" >&2; exit 2 ;;
esac
file="${database_url#sqlite://}"
# The server resolves a relative path from the workspace root, where cargo-leptos starts it.
case "$file" in /*) ;; *) file="$(cd .. && pwd)/$file" ;; esac
export E2E_DATABASE_FILE="$file"
export BASE_URL="http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
[ -d node_modules ] || npm ci --silent --no-audit --no-fund
exec npx playwright test
