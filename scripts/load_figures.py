#!/usr/bin/env python3
"""Load figures of one set-up (issue 16), against the servers scripts/load-figures.sh started
(SERVERS, SERVER_PIDS): with 16 and then 64 concurrent clients, spread evenly over the servers,

  cached     a product page from the page cache, as browsers ask (brotli)
  uncached   a category listing with a random price range (every request a miss: filtered,
             sorted and rendered) and a search for a random word (a miss, the whole catalogue
             searched)
  checkout   shoppers going through checkout without pause (scripts/reliability.py's rate)

each with requests per second, p50 and p99 as oha (the load generator, sharing the machine's two
cores with the servers) saw them, and the servers' resident memory at rest and at its highest
under load. Appends one line per figure to the results file (set-up|figure|value) and prints it.

  scripts/load_figures.py SETUP RESULTS SECONDS [--catalogue]

With --catalogue only the listing and search misses are measured, at 16 clients (the
catalogue-size figures).
"""

import json
import os
import subprocess
import sys
import threading
import time

SETUP, RESULTS, SECONDS = sys.argv[1], sys.argv[2], int(sys.argv[3])
CATALOGUE_ONLY = "--catalogue" in sys.argv
SERVERS = os.environ["SERVERS"].split(",")
PIDS = [int(pid) for pid in os.environ["SERVER_PIDS"].split(",")]


def record(figure, value, shown):
    with open(RESULTS, "a") as out:
        out.write(f"{SETUP}|{figure}|{value}\n")
    if shown:
        print(f"  {figure:<34} {shown}", flush=True)


def rss_mb():
    total = 0
    for pid in PIDS:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def oha(path, clients, seconds, regex=False):
    """Runs oha against every server at once, `clients` in all; (requests/s, p50 ms, p99 ms,
    non-200 answers)."""
    per_server = max(1, clients // len(SERVERS))
    runs = []
    for server in SERVERS:
        target = ["--rand-regex-url", f"http://{server}{path}"] if regex else [f"http://{server}{path}"]
        runs.append(subprocess.Popen(
            ["oha", "--no-tui", "--output-format", "json", "-z", f"{seconds}s", "-c", str(per_server),
             "-H", "Accept-Encoding: gzip, deflate, br, zstd", *target],
            stdout=subprocess.PIPE, text=True))
    results = [json.loads(run.communicate()[0]) for run in runs]
    rate = sum(r["summary"]["requestsPerSec"] for r in results)
    p50 = max(r["latencyPercentiles"]["p50"] for r in results) * 1000
    p99 = max(r["latencyPercentiles"]["p99"] for r in results) * 1000
    bad = sum(n for r in results for code, n in r.get("statusCodeDistribution", {}).items() if code != "200")
    return rate, p50, p99, bad


class PeakMemory:
    def __enter__(self):
        self.peak = rss_mb()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample)
        self.thread.start()
        return self

    def sample(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.1)

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()


def pages(name, path, clients, regex=False, memory=None):
    rate, p50, p99, bad = oha(path, clients, SECONDS, regex)
    record(f"{name} c{clients} req/s", round(rate), f"{rate:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms" + (f"   {bad} not 200" if bad else ""))
    record(f"{name} c{clients} p50 ms", round(p50, 1), "")
    record(f"{name} c{clients} p99 ms", round(p99, 1), "")


LISTING = r"/kategori/kadin\?min=[1-9][0-9]{1,2}&max=[1-9][0-9]{3,4}"
SEARCH = r"/arama\?q=[a-z]{12}"
PRODUCT = "/urun/keten-gomlek-elbise"


def main():
    print(f"\n== {SETUP}: {len(SERVERS)} server(s)", flush=True)
    # Warm-up: the snapshot, the page cache, the connection pools.
    oha(PRODUCT, 8, 2)
    oha(SEARCH, 8, 2, regex=True)
    record("memory at rest MB", round(rss_mb()), f"{rss_mb():8.0f} MB resident (all servers)")
    if CATALOGUE_ONLY:
        pages("listing miss", LISTING, 16, regex=True)
        pages("search miss", SEARCH, 16, regex=True)
        return
    with PeakMemory() as memory:
        for clients in (16, 64):
            pages("product page (cached)", PRODUCT, clients)
            pages("listing miss", LISTING, clients, regex=True)
            pages("search miss", SEARCH, clients, regex=True)
    record("memory under load MB", round(memory.peak), f"{memory.peak:8.0f} MB at most under load")
    sys.argv = ["reliability.py"]
    sys.path.insert(0, os.path.dirname(__file__))
    import reliability  # noqa: PLC0415 - shares the shopper and its pacing

    for clients in (16, 64):
        rate, timings = reliability.probe_rate(SECONDS, clients, quiet=True)
        confirm = sorted(timings.get("confirm", []))
        p = lambda q: confirm[min(len(confirm) - 1, int(q * len(confirm)))] * 1000 if confirm else float("nan")  # noqa: E731
        record(f"checkout c{clients} orders/s", round(rate, 1), f"{rate:8.1f} orders/s   confirm p50 {p(0.5):6.1f} ms   p99 {p(0.99):6.1f} ms")
        record(f"checkout c{clients} confirm p50 ms", round(p(0.5), 1), "")
        record(f"checkout c{clients} confirm p99 ms", round(p(0.99), 1), "")


main()
