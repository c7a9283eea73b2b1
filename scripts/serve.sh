#!/usr/bin/env bash
# Sets everything up, builds the release shop and serves it at http://127.0.0.1:3000 on the
# embedded SQLite database (data/lesminoria.db, created on first start).
# LEPTOS_SITE_ADDR and DATABASE_URL override the defaults (see README.md). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
source scripts/env.sh

scripts/build.sh
# exec: the server itself receives Ctrl-C / SIGTERM and shuts down gracefully.
exec target/release/server
