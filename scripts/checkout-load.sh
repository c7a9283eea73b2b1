#!/usr/bin/env bash
# Checkout under load and faults (issue 13), against a release server of its own on a fresh
# SQLite database: 200 shoppers for the last 10 pieces, 20 clicks of one confirmation, one
# webhook 20 times at once, kill -9 during a stream of checkouts and a restart, and orders per
# second with each step's latency at 16 concurrent shoppers. Prints each figure; exits 1 when
# an outcome is wrong.
#   scripts/checkout-load.sh            full size
#   scripts/checkout-load.sh --small    small counts
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if [ ! -x target/release/server ]; then scripts/build.sh; fi
source scripts/env.sh
source scripts/release-server.sh
export RUST_LOG=error
# The script signs webhooks as the provider would.
export LESMINORIA_SANDBOX_SECRET="load-test-sandbox-secret-0123456789"
start_release_server
export SERVER_PID SERVER_DIR
python3 scripts/checkout_load.py "$@"
