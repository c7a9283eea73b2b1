#!/usr/bin/env bash
# The hardening probes (issue 12) against a release server of its own on a fresh database: slow
# and idle connections, oversized heads, cache busting, a flood of cookie choices, a locked
# database, a deleted database. Prints each figure; exits 1 when a bound does not hold.
#   scripts/probe.sh           full size (about two minutes)
#   scripts/probe.sh --small   small counts (the test command runs this)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if [ ! -x target/release/server ]; then scripts/build.sh; fi
source scripts/env.sh
source scripts/release-server.sh
export RUST_LOG=error
# A short header deadline, so the slow-connection probe ends soon; the default is 10 s.
export LESMINORIA_HEADER_TIMEOUT_SECONDS=3
start_release_server
export SERVER_PID
python3 scripts/probe.py "$@"
