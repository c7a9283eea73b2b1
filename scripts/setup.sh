#!/usr/bin/env bash
# Installs what building and testing the shop needs, skipping whatever is already there at the
# right version. Sourced by scripts/serve.sh and scripts/test.sh; safe to run on its own.
#
#   rust target wasm32-unknown-unknown   rustup
#   wasm-bindgen CLI (= crate version)   cargo install   (~5 min, once)
#   cargo-leptos                         cargo install   (~18 min, once)
#   wasm-opt (binaryen), terser          npm, into .tools/ (git-ignored)
#   chromium, brotli, sqlite3            apt (Debian)
#   Playwright                           npm, into end2end/node_modules
#
# cargo-leptos would otherwise download wasm-bindgen and wasm-opt itself, which this network
# refuses; finding them on PATH first stops it from trying.
#
# Sourced (`source scripts/setup.sh` in a developer's shell, or by the other scripts), it changes
# nothing in the shell but PATH: the installs run in a subshell with their own strict options,
# so a later failing command does not close the developer's terminal.

LESMINORIA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$LESMINORIA_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

(
set -euo pipefail
ROOT="$LESMINORIA_ROOT"
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132.0.0"
TERSER_VERSION="5.51.4"
# The CLI must match the crate exactly; read the pin from Cargo.toml so there is one source.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/Cargo.toml")"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lock file names a crate version this registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 18 minutes, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --force
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) into .tools/"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "binaryen@$BINARYEN_VERSION"
fi

if [ "$(terser --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
  say "installing terser $TERSER_VERSION into .tools/ (minifies the checkout bundle's JS)"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "terser@$TERSER_VERSION"
fi

missing_packages=()
[ -x /usr/bin/chromium ] || missing_packages+=(chromium)
command -v brotli >/dev/null || missing_packages+=(brotli)
command -v sqlite3 >/dev/null || missing_packages+=(sqlite3)
if [ "${#missing_packages[@]}" -gt 0 ]; then
  say "installing ${missing_packages[*]} with apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}"
fi

# Playwright and its test runner, from end2end/package-lock.json. Reinstalled only when the lock
# file changed since the last install.
if [ ! -f "$ROOT/end2end/node_modules/.package-lock.json" ] ||
  [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
  say "installing the browser-test packages (npm ci)"
  (cd "$ROOT/end2end" && npm ci --silent --no-audit --no-fund)
fi
) || {
  printf '\033[1msetup:\033[0m failed; see the lines above\n' >&2
  # `return` when sourced, `exit` when run.
  return 1 2>/dev/null || exit 1
}
