# Sourced by size.sh and test.sh, with the release server running (release-server.sh):
# `page_weight PATH [--check]` prints what a first visit to PATH downloads, images aside: the
# HTML as served (brotli), and the CSS, JS and WASM the page references, raw and brotli (the .br
# files build.sh made and the server sends). Budget (issue 4), brotli: JS + WASM <= 60 kB,
# everything <= 100 kB. A third argument sets another total and a fourth another JS + WASM budget,
# in bytes: the checkout page loads its own bundle (app/src/bundle.rs) and its budget is 90 kB
# in all (issue 13). With --check it returns 1 when a budget is exceeded.
page_weight() {
  local path="$1" check="${2:-}" total_budget="${3:-100000}" code_budget="${4:-60000}"
  local url="http://$LEPTOS_SITE_ADDR$path"
  # PAGE_WEIGHT_COOKIE: a Cookie header to send (a visitor who made a cookie choice).
  local cookie=(-H "Cookie: ${PAGE_WEIGHT_COOKIE:-}")
  curl -fsS "${cookie[@]}" "$url" -o "$SERVER_DIR/page.html"
  curl -fsS "${cookie[@]}" -H "Accept-Encoding: br" "$url" -o "$SERVER_DIR/page.html.br"
  python3 - "$SERVER_DIR" "$LEPTOS_SITE_ROOT" "$path" "$check" "$total_budget" "$code_budget" <<'PY'
import os, re, sys
size_dir, site_root, path, check, total_budget, code_budget = sys.argv[1:7]
total_budget, code_budget = int(total_budget), int(code_budget)
html = open(os.path.join(size_dir, "page.html"), encoding="utf-8").read()
rows = [("HTML", path, os.path.getsize(os.path.join(size_dir, "page.html")),
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
within = code <= code_budget and total <= total_budget
print(f"JS + WASM, brotli: {code / 1000:.1f} kB (budget {code_budget / 1000:.0f} kB: {'within' if code <= code_budget else 'OVER'})")
print(f"everything, brotli: {total / 1000:.1f} kB (budget {total_budget / 1000:.0f} kB: {'within' if total <= total_budget else 'OVER'})")
if check and not within:
    print("page weight over budget: see scripts/size.sh and app/src/client/island.rs for what counts")
    sys.exit(1)
PY
}
