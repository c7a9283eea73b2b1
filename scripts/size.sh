#!/usr/bin/env bash
# Measures what a first visit to a product page downloads, images aside (not a test: it prints
# figures; test.sh checks the same budget). See page-weight.sh for what is counted.
#   scripts/size.sh [product path]     (default /urun/keten-gomlek-elbise)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
path="${1:-/urun/keten-gomlek-elbise}"

scripts/build.sh >/dev/null 2>&1 || scripts/build.sh
source scripts/env.sh
source scripts/release-server.sh
source scripts/page-weight.sh
export RUST_LOG=warn
start_release_server
page_weight "$path"
