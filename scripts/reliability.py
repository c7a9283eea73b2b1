#!/usr/bin/env python3
"""The reliability suite (issues 13 and 16): checkout under load and faults, against the release
servers scripts/reliability.sh started, on SQLite (one server) or on PostgreSQL (two servers on
one database). Each shopper is a client of its own loopback address (127.x.y.z), with its own
checkout cookie, going through the real forms; with several servers, each request goes to one
of them at random, so a checkout hops between processes as it would behind a load balancer.

  start     (several servers) all started at once on an empty database: all came up (a
            migration or the demo load run twice would have failed one), every migration is
            applied and the demo catalogue is there once
  race      N shoppers confirm at once for a variant with 10 in stock: exactly 10 orders,
            stock 0, the rest told it sold out (409)
  retries   20 parallel confirmations of one review, spread over the servers: one order
  webhook   one paid card payment's webhook 20 times at once: one state change
  kill      kill -9 of a server during a stream of checkouts: every order a client saw
            acknowledged is there, and no checkout made two; with two servers the other keeps taking orders
            meanwhile; after a restart and the reservations' end, no goods leaked; on SQLite
            the file passes integrity_check
  postgres  (PostgreSQL) the database stopped as a crash would and started again during a
            stream of checkouts and page views: while it is down every answer is a clean
            503 with the Turkish page (no 500), the servers' pools come back by themselves,
            and no acknowledged order is lost
  rate      S shoppers checking out without pause (orders per second the servers sustain),
            then S who pause 0.3 s between steps as fast people do (pauses drawn between 0.15
            and 0.45 s, so that shoppers do not post in step); each step's latency as this
            client saw it, and as the server measured it in Server-Timing: the load generator
            shares the server's two cores, so its clock also counts waiting for a processor;
            the budget, 20 ms p99 per step, is checked against the server's
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

SERVERS = [address for address in os.environ.get("SERVERS", os.environ.get("LEPTOS_SITE_ADDR", "")).split(",") if address]
PIDS = [int(pid) for pid in os.environ.get("SERVER_PIDS", os.environ.get("SERVER_PID", "")).split(",") if pid]
DATABASE_URL = os.environ.get("SERVER_DATABASE_URL", os.environ.get("DATABASE_URL", ""))
POSTGRES = DATABASE_URL.startswith("postgres")
DB_FILE = None if POSTGRES else DATABASE_URL.removeprefix("sqlite://").split("?")[0]
SECRET = os.environ["LESMINORIA_SANDBOX_SECRET"]
SERVER_DIR = os.environ["SERVER_DIR"]

failures = []
# Every 500 any request of any probe got, and every other 5xx without the shop's Turkish page
# (method, path, status): answers the shop must never give, whatever fails under it; streams
# that swallow their errors still record these.
server_errors = []
# Servers this script started again after a kill: stopped however the script ends.
restarted = []
lock = threading.Lock()
next_address = [0]
# Servers a test killed on purpose: requests go to the others until it is back.
down = set()


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def address():
    with lock:
        next_address[0] += 1
        n = next_address[0]
    return f"127.{10 + n // 60000}.{(n // 250) % 240 + 1}.{n % 250 + 2}"


def pick_server():
    alive = [i for i in range(len(SERVERS)) if i not in down]
    return random.choice(alive or list(range(len(SERVERS))))


def literal(value):
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def sql(query, *args):
    """Rows of `query` (`?` placeholders, filled with this script's own values)."""
    if not POSTGRES:
        with sqlite3.connect(DB_FILE, timeout=10) as db:
            rows = db.execute(query, args).fetchall()
            db.commit()
            return rows
    parts = query.split("?")
    text = parts[0] + "".join(literal(arg) + part for arg, part in zip(args, parts[1:]))
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", DATABASE_URL, "-c", text],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(int(v) if re.fullmatch(r"-?\d+", v) else v for v in line.split("\t"))
            for line in out.splitlines() if line]


DETAILS = {
    "adim": "bilgiler",
    "eposta": "yuk@example.com",
    "telefon": "05321234567",
    "ad": "Yük",
    "soyad": "Testi",
    "il": "34",
    "ilce": "Kadıköy",
    "adres": "Caferağa Mah. Moda Cad. No: 10 D: 3",
    "posta_kodu": "34710",
    "fatura_adresi": "teslimat",
    "fatura_tipi": "bireysel",
}


class Shopper:
    def __init__(self, timings=None, think=0.0):
        self.source = address()
        self.cookie = ""
        self.checkout = ""
        self.timings = timings
        self.think = think
        self.last_server = None

    def request(self, method, path, form=None, step=None, headers=None, server=None):
        server = pick_server() if server is None else server
        self.last_server = server
        host, port = SERVERS[server].rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=30, source_address=(self.source, 0))
        body = urllib.parse.urlencode(form) if form is not None else None
        sent = {"Origin": f"http://{SERVERS[server]}", "Cookie": self.cookie}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        if self.think:
            # People do not move in step: each pause is drawn around the mean, so that 16
            # shoppers do not all post at the same instant, pause after pause.
            time.sleep(random.uniform(0.5, 1.5) * self.think)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            took = time.monotonic() - started
            # 503 (the database away) and 502 (the payment provider could not start a payment)
            # are the shop's own answers, with its page; a 500, or any 5xx without that page,
            # is a fault.
            if response.status == 500 or (response.status > 500 and not turkish_page(text)):
                with lock:
                    server_errors.append((method, path, response.status))
            if self.timings is not None and step:
                # The server's own time for the answer (server/src/server_timing.rs): this
                # script shares the two cores with the server, so its clock also counts the
                # time the server's answer waited for this client to be scheduled.
                server = re.search(r"dur=([0-9.]+)", response.getheader("Server-Timing") or "")
                with lock:
                    self.timings.setdefault(step, []).append(took)
                    if server:
                        self.timings.setdefault(f"{step}@server", []).append(float(server.group(1)) / 1000)
            set_cookie = response.getheader("Set-Cookie")
            # The checkout's cookie; a finished checkout's is cleared (empty), which a browser
            # would drop: the checkout id stays known to the script.
            if set_cookie and set_cookie.startswith("lm_odeme=") and not set_cookie.startswith("lm_odeme=;"):
                self.cookie = set_cookie.split(";")[0]
                self.checkout = self.cookie.split("=", 1)[1]
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def up_to_review(self, variant, payment="havale"):
        status, location, _ = self.request("POST", "/odeme/basla", {"sepet": f"1|{variant}x1"}, "start")
        assert status == 303 and self.cookie, (status, location)
        status, location, _ = self.request("POST", "/odeme", DETAILS, "details")
        assert status == 303, status
        status, _, _ = self.request("POST", "/odeme", {"adim": "odeme-yontemi", "kargo": "standart", "odeme": payment}, "methods")
        assert status == 303, status
        status, _, page = self.request("GET", "/odeme?adim=onay", None, "review")
        assert status == 200, status
        return re.search(r'name="belgeler" value="([0-9a-f]{64})"', page).group(1)

    def confirm(self, documents):
        return self.request("POST", "/odeme", {"adim": "onay", "belgeler": documents, "onay": "1"}, "confirm")


def variant_for_load(stock):
    variant = sql(
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.published = 1 "
        "ORDER BY v.id LIMIT 1"
    )[0][0]
    sql("UPDATE variants SET stock = ? WHERE id = ?", stock, variant)
    time.sleep(1.2)  # the server sees a catalogue change within a second
    return variant


def run_all(functions, concurrency):
    results = [None] * len(functions)
    start = threading.Barrier(min(concurrency, len(functions)))

    def worker(indexes):
        try:
            start.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        for i in indexes:
            try:
                results[i] = functions[i]()
            except Exception as error:  # noqa: BLE001 - a failed request is a result
                results[i] = error

    threads = [threading.Thread(target=worker, args=(range(k, len(functions), concurrency),)) for k in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def probe_started_together():
    """The servers were started at the same moment on an empty database and all came up: a
    migration run by two of them would have failed one (its tables already there) and a second
    demo load would have met the first's addresses. Every migration is recorded as applied and
    the demo catalogue is there, once."""
    print(f"\n== start: {len(SERVERS)} servers started at the same moment on an empty database", flush=True)
    folder = os.path.join("server", "migrations", "postgres" if POSTGRES else "sqlite")
    expected = len([name for name in os.listdir(folder) if name.endswith(".sql")])
    applied, distinct = sql("SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations WHERE success")[0]
    products = sql("SELECT COUNT(*) FROM products")[0][0]
    print(f"  migrations applied: {applied} ({distinct} distinct) of {expected}; products: {products}")
    check(applied == distinct == expected, "every server came up and every migration is applied")
    check(products == 67, "the demo catalogue was loaded once (67 products)")


def probe_race(shoppers):
    print(f"\n== race: {shoppers} shoppers confirm at once for the last 10 pieces", flush=True)
    variant = variant_for_load(10)
    ready = run_all([lambda: (lambda s: (s, s.up_to_review(variant)))(Shopper()) for _ in range(shoppers)], 16)
    bad = [r for r in ready if isinstance(r, Exception)]
    check(not bad, f"{shoppers} shoppers reached the review ({len(bad)} failed: {bad[:1]})")
    ready = [r for r in ready if not isinstance(r, Exception)]
    started = time.monotonic()
    answers = run_all([lambda s=s, d=d: s.confirm(d)[0] for s, d in ready], len(ready))
    took = time.monotonic() - started
    placed = sum(1 for a in answers if a == 303)
    sold_out = sum(1 for a in answers if a == 409)
    other = [a for a in answers if a not in (303, 409)]
    stock = sql("SELECT stock FROM variants WHERE id = ?", variant)[0][0]
    orders = sql("SELECT COUNT(*) FROM order_lines WHERE variant_id = ?", variant)[0][0]
    print(f"  {placed} placed, {sold_out} told sold out, {len(other)} other, in {took:.2f} s; stock {stock}; orders {orders}")
    check(placed == 10 and orders == 10 and stock == 0, "exactly 10 orders, stock 0")
    check(sold_out == len(ready) - 10 and not other, f"the other {len(ready) - 10} told it sold out (409)")


def probe_retries():
    print("\n== retries: 20 parallel confirmations of one review", flush=True)
    variant = variant_for_load(1000)
    shopper = Shopper()
    documents = shopper.up_to_review(variant, "kapida")
    answers = run_all([lambda: shopper.confirm(documents)[1] for _ in range(20)], 20)
    numbers = {re.search(r"LM-\d{4}-\d{6}", a).group(0) for a in answers if isinstance(a, str) and "LM-" in a}
    orders = sql("SELECT COUNT(*) FROM orders WHERE checkout_id = ?", shopper.checkout)[0][0]
    print(f"  {len(answers)} answers naming {len(numbers)} order(s); {orders} order row(s)")
    check(len(numbers) == 1 and orders == 1, "one order")


def probe_webhook():
    print("\n== webhook: one paid payment's webhook 20 times at once", flush=True)
    variant = variant_for_load(1000)
    shopper = Shopper()
    documents = shopper.up_to_review(variant, "kart")
    status, page_url, _ = shopper.confirm(documents)
    page = urllib.parse.urlparse(page_url).path
    status, result, _ = shopper.request("POST", page, {"kart": "5528790000000008", "ay": "12", "yil": "2030", "cvc": "123", "taksit": "1"})
    token = urllib.parse.parse_qs(urllib.parse.urlparse(result).query)["token"][0]
    # Text, whatever the digits look like to the database client.
    number, payment_id = map(str, sql("SELECT conversation_id, payment_id FROM sandbox_payments WHERE token = ?", token)[0])
    event, status_text = "CHECKOUT_FORM_AUTH", "SUCCESS"
    signature = hmac.new(SECRET.encode(), (SECRET + event + payment_id + token + number + status_text).encode(), hashlib.sha256).hexdigest()
    body = json.dumps({"paymentConversationId": number, "merchantId": 1, "token": token, "status": status_text,
                       "iyziReferenceCode": "ref", "iyziEventType": event, "iyziEventTime": 1, "iyziPaymentId": payment_id})

    def send():
        host, port = SERVERS[pick_server()].rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/odeme/bildirim", body=body, headers={"Content-Type": "application/json", "X-IYZ-SIGNATURE-V3": signature})
        response = connection.getresponse()
        response.read()
        return response.status

    answers = run_all([send for _ in range(20)], 20)
    changes = sql("SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.number = ? AND e.note = 'paid by card'", number)[0][0]
    print(f"  answers {sorted(set(answers))}; state changes: {changes}")
    check(all(a == 200 for a in answers), "every webhook answered OK")
    check(changes == 1, "one state change")


def healthy(server, timeout=2):
    host, port = SERVERS[server].rsplit(":", 1)
    try:
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def restart_server(server):
    """Starts server `server` again on its address (after a kill); its process."""
    log = open(os.path.join(SERVER_DIR, f"server-{server}-restarted.log"), "a")
    env = dict(os.environ, LEPTOS_SITE_ADDR=SERVERS[server], DATABASE_URL=DATABASE_URL)
    child = subprocess.Popen(["target/release/server"], stdout=log, stderr=log, env=env)
    restarted.append(child)
    for _ in range(150):
        if healthy(server):
            PIDS[server] = child.pid
            down.discard(server)
            return child
        time.sleep(0.2)
    raise SystemExit("the server did not come back")


def checkout_stream(variant, acknowledged, stop, per_server=None, card_share=2):
    """Shoppers checking out until `stop`: every order number a client saw acknowledged is
    added to `acknowledged` (and counted per server that answered the confirmation)."""

    def stream(card):
        while not stop.is_set():
            try:
                shopper = Shopper()
                documents = shopper.up_to_review(variant, "kart" if card else "havale")
                status, location, _ = shopper.confirm(documents)
                if status == 303 and "/siparis/" in location:
                    with lock:
                        acknowledged.append(re.search(r"LM-\d{4}-\d{6}", location).group(0))
                        if per_server is not None:
                            per_server.append((time.monotonic(), shopper.last_server))
            except Exception:  # noqa: BLE001 - servers and the database fail under it on purpose
                time.sleep(0.05)

    return [threading.Thread(target=stream, args=(k % card_share == 0,)) for k in range(8)]


def lost_and_doubled(acknowledged, first_id):
    """Acknowledged orders not in the database, and orders made twice: a number told to two
    clients, or a checkout (each client of a stream confirms its own once) that holds more
    than one order among those made since order `first_id`."""
    found = {number for (number,) in sql("SELECT number FROM orders")}
    missing = [n for n in acknowledged if n not in found]
    told_twice = sorted({n for n in acknowledged if acknowledged.count(n) > 1})
    placed_twice = sql("SELECT checkout_id FROM orders WHERE id > ? GROUP BY checkout_id HAVING COUNT(*) > 1", first_id)
    return missing, told_twice + placed_twice


def probe_kill(seconds):
    victim = len(SERVERS) - 1
    others = "; the other keeps taking orders" if len(SERVERS) > 1 else ""
    print(f"\n== kill: kill -9 of server {victim} during {seconds} s of checkouts{others}, then a restart", flush=True)
    variant = variant_for_load(100000)
    initial = 100000
    # Orders of the earlier probes hold goods of the same variant; only this probe's count.
    first_id = sql("SELECT COALESCE(MAX(id), 0) FROM orders")[0][0]
    acknowledged, per_server = [], []
    stop = threading.Event()
    threads = checkout_stream(variant, acknowledged, stop, per_server)
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    killed_at = time.monotonic()
    os.kill(PIDS[victim], signal.SIGKILL)
    down.add(victim)
    if len(SERVERS) > 1:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    after = [server for at, server in per_server if at > killed_at + 0.5]
    print(f"  {len(acknowledged)} havale orders acknowledged; after the kill, {len(after)} by the other server(s)")
    if len(SERVERS) > 1:
        check(len(after) > 0 and victim not in after, "the other server kept taking orders")
    # The reservations of unpaid card orders end (as if their 35 minutes passed while the
    # server was down); the restarted server's release job runs at once.
    sql("UPDATE orders SET reserved_until = 1 WHERE status = 'awaiting_payment'")
    if DB_FILE:
        # Before anything opens it again: the file as kill -9 left it.
        (integrity,) = sqlite3.connect(DB_FILE).execute("PRAGMA integrity_check").fetchone()
        print(f"  integrity_check right after the kill: {integrity}")
        check(integrity == "ok", "the SQLite file is whole after kill -9")
    restart_server(victim)
    # The release job runs as a server starts (and every half minute): it first asks the
    # payment provider about each unpaid card order, then gives the goods back.
    waited = time.monotonic()
    while time.monotonic() - waited < 30 and sql("SELECT COUNT(*) FROM orders WHERE status = 'awaiting_payment' AND stock_held = 1")[0][0]:
        time.sleep(0.2)
    print(f"  ended reservations released {time.monotonic() - waited:.1f} s after the restart")
    missing, twice = lost_and_doubled(acknowledged, first_id)
    held = sql("SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.variant_id = ? AND o.stock_held = 1 AND o.id > ?", variant, first_id)[0][0]
    waiting = sql("SELECT COUNT(*) FROM orders WHERE status = 'awaiting_payment' AND stock_held = 1")[0][0]
    stock = sql("SELECT stock FROM variants WHERE id = ?", variant)[0][0]
    print(f"  after the restart: {len(missing)} acknowledged missing, {len(twice)} twice; stock {stock} + held {held} = {stock + held} of {initial}; unpaid still holding: {waiting}")
    check(acknowledged and not missing, "every acknowledged order is there")
    check(not twice, "none twice")
    check(stock + held == initial and waiting == 0, "no goods leaked: stock plus what orders hold is the starting stock")


def turkish_page(body):
    """The shop's own page in Turkish, with nothing of the server's insides."""
    return 'lang="tr"' in body and "Les Minoria" in body and not re.search(
        r"sqlx|pool timed out|panicked|communicating with database|os error", body, re.I)


def probe_postgres(down_seconds):
    print(f"\n== postgres: the database down for {down_seconds} s (immediate stop, as a crash) during checkouts and page views", flush=True)
    variant = variant_for_load(100000)
    first_id = sql("SELECT COALESCE(MAX(id), 0) FROM orders")[0][0]
    acknowledged = []
    stop = threading.Event()
    threads = checkout_stream(variant, acknowledged, stop)
    answers = []  # (when sent, status, body) of page views and of form posts while it runs

    def viewer(path, form):
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status, _, body = Shopper().request("POST" if form else "GET", path(), form)
                with lock:
                    answers.append((sent, status, body))
            except Exception as error:  # noqa: BLE001 - recorded
                with lock:
                    answers.append((sent, f"error {error}", ""))
            time.sleep(0.02)

    # A search is answered from the catalogue in memory, the database or not; starting a
    # checkout writes a row (a new shopper each time, within the per-visitor limits).
    search = lambda: "/arama?q=" + random.choice("abcdefgh") + str(random.randint(0, 10**6))  # noqa: E731
    start = lambda: "/odeme/basla"  # noqa: E731
    threads += [threading.Thread(target=viewer, args=(search, None)) for _ in range(2)]
    threads += [threading.Thread(target=viewer, args=(start, {"sepet": f"1|{variant}x1"})) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    stopped_at = time.monotonic()
    subprocess.run(["bash", "-c", f"source scripts/cluster.sh && restart_postgres {down_seconds}"], check=True,
                   env=dict(os.environ))
    started_at = time.monotonic()
    # How long until every server answers a page that needs the database again.
    recovered = None
    while time.monotonic() - started_at < 30:
        oks = []
        for server in range(len(SERVERS)):
            try:
                status, _, _ = Shopper().request("POST", "/odeme/basla", {"sepet": f"1|{variant}x1"}, server=server)
                oks.append(status == 303)
            except Exception:  # noqa: BLE001
                oks.append(False)
        if all(oks):
            recovered = time.monotonic() - started_at
            break
        time.sleep(0.1)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join()
    # Sent while it was down: answered from memory, or after waiting for a connection (3 s at
    # most) either when it came back or with the 503 page.
    during = [(status, body) for at, status, body in answers if stopped_at <= at < started_at]
    statuses = {}
    for status, _ in during:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    unclean = [(status, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:160]) for status, body in during
               if status not in (200, 303, 503) or (status == 503 and not turkish_page(body))]
    if unclean:
        print(f"  not clean: {unclean[:2]}")
    failed_500 = [status for _, status, _ in answers if status == 500] + server_errors
    print(f"  while down: {len(during)} answers, statuses {statuses}; after the start, every server answered in {recovered if recovered is None else round(recovered, 2)} s")
    check(during and not unclean and "503" in statuses, "while it is down, what needs the database is a clean 503 with the Turkish page (pages from memory still 200)")
    check(not failed_500, "no 500 at any moment")
    check(recovered is not None, "the servers' pools came back by themselves")
    missing, twice = lost_and_doubled(acknowledged, first_id)
    print(f"  {len(acknowledged)} orders acknowledged in all: {len(missing)} missing, {len(twice)} twice")
    check(acknowledged and not missing and not twice, "every acknowledged order is there, once")


def probe_rate(seconds, shoppers, think=0.0, quiet=False):
    """Orders per second `shoppers` sustain for `seconds`, and each step's timings."""
    pause = f", pausing {think / 2:.2f}–{think * 1.5:.2f} s ({think} s on average) before each step" if think else ", without pause"
    if not quiet:
        print(f"\n== rate: {shoppers} shoppers checking out for {seconds} s{pause}", flush=True)
    variant = variant_for_load(1_000_000)
    timings = {}
    placed = [0]
    stop = threading.Event()

    def shopper_loop():
        while not stop.is_set():
            shopper = Shopper(timings, think)
            documents = shopper.up_to_review(variant, "havale")
            status, _, _ = shopper.confirm(documents)
            if status == 303:
                with lock:
                    placed[0] += 1

    threads = [threading.Thread(target=shopper_loop) for _ in range(shoppers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    if quiet:
        return placed[0] / took, timings
    print(f"  {placed[0]} orders in {took:.1f} s: {placed[0] / took:.1f} orders/s")
    print("  step      requests   as this client saw it       on the server (Server-Timing)")
    for step in ["start", "details", "methods", "review", "confirm"]:
        seen = sorted(timings.get(step, []))
        server = sorted(timings.get(f"{step}@server", []))
        if not seen:
            continue
        p = lambda values, q: values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")  # noqa: E731
        budget = "" if not think else ("  (budget 20 ms p99: " + ("within" if p(server, 0.99) <= 20 else "OVER") + ")")
        print(f"  {step:8} {len(seen):9}   p50 {p(seen, 0.50):5.1f}  p99 {p(seen, 0.99):5.1f} ms"
              f"   p50 {p(server, 0.50):5.1f}  p99 {p(server, 0.99):5.1f} ms{budget}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    where = "PostgreSQL" if POSTGRES else "SQLite"
    print(f"reliability suite: {len(SERVERS)} server(s) on {where}", flush=True)
    if len(SERVERS) > 1:
        probe_started_together()
    probe_race(40 if args.small else 1000)
    probe_retries()
    probe_webhook()
    try:
        probe_kill(2 if args.small else 5)
        if POSTGRES:
            # Longer than a request waits for a connection (3 s), so some are answered 503.
            probe_postgres(5 if args.small else 10)
        for shoppers in ([16] if args.small else [16, 64]):
            probe_rate(5 if args.small else 20, shoppers)
        # A minute at full size: some 650 requests per step, so that p99 is not one request.
        probe_rate(5 if args.small else 60, 16, think=0.3)
    finally:
        for child in restarted:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    print(f"\n== faults: {len(server_errors)} answers 500 (or another 5xx without the shop's page) over every probe {server_errors[:3]}")
    check(not server_errors, "no request of any probe was answered 500, nor another 5xx without the shop's page")
    if failures:
        print(f"\n{len(failures)} check(s) failed")
        sys.exit(1)
    print("\nall reliability checks held")


if __name__ == "__main__":
    main()
