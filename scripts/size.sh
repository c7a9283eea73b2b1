#!/usr/bin/env bash
# Measures what a first visit to a product page downloads, images aside (not a test: it prints
# figures): the HTML as served (brotli), and the CSS, JS and WASM the page references, raw and
# brotli (the .br files build.sh made and the server sends). Budget (issue 4): JS + WASM
# <= 60 kB brotli, everything <= 100 kB brotli.
#   scripts/size.sh [product path]     (default /urun/keten-gomlek-elbise)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
path="${1:-/urun/keten-gomlek-elbise}"

scripts/build.sh >/dev/null 2>&1 || scripts/build.sh
source scripts/env.sh
source scripts/release-server.sh
export RUST_LOG=warn
start_release_server

url="http://$LEPTOS_SITE_ADDR$path"
curl -fsS "$url" -o "$SERVER_DIR/page.html"
curl -fsS -H "Accept-Encoding: br" "$url" -o "$SERVER_DIR/page.html.br"
python3 - "$SERVER_DIR" "$LEPTOS_SITE_ROOT" <<'PY'
import os, re, sys
size_dir, site_root = sys.argv[1], sys.argv[2]
html = open(os.path.join(size_dir, "page.html"), encoding="utf-8").read()
rows = [("HTML", "page", os.path.getsize(os.path.join(size_dir, "page.html")),
         os.path.getsize(os.path.join(size_dir, "page.html.br")))]
for href in sorted(set(re.findall(r'(?:href|src)="(/pkg/[^"]+)"', html))):
    file = os.path.join(site_root, href.lstrip("/"))
    kind = {"css": "CSS", "js": "JS", "wasm": "WASM"}.get(href.rsplit(".", 1)[-1], "other")
    rows.append((kind, os.path.basename(href), os.path.getsize(file), os.path.getsize(file + ".br")))
print(f"{'kind':<6} {'file':<44} {'raw B':>9} {'brotli B':>9}")
for kind, name, raw, br in rows:
    print(f"{kind:<6} {name:<44} {raw:>9,} {br:>9,}")
code = sum(br for kind, _, _, br in rows if kind in ("JS", "WASM"))
total = sum(br for *_, br in rows)
print(f"JS + WASM, brotli: {code / 1000:.1f} kB (budget 60 kB: {'within' if code <= 60_000 else 'OVER'})")
print(f"everything, brotli: {total / 1000:.1f} kB (budget 100 kB: {'within' if total <= 100_000 else 'OVER'})")
PY
