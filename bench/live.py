"""
Pages read while comments flow: ``python -m bench.live``.

Beside the baseline (/bench/fortunes/, as bench.run), on the biggest bill:

- the bill page while comments arrive for that bill at ``--rate`` a second
  (a writer thread entering them through the staff API at a fixed pace), with
  wrk at 8 and at 32 clients: requests/s against the baseline, errors, the
  comments actually entered;
- every request a miss: the bill page and its comments page with each request
  moving the bill's counts version first and numbering an arrival on it
  (bench.middleware's X-Bench-Miss, as a comment arriving would), the API
  statistics of the bill likewise, and the city's statistics page at a new
  URL each time (its figures are counted at most every
  NPC_PUBLIC_STATS_SECONDS by design); served with
  NPC_PUBLIC_REBUILD_SECONDS=0, so that no reader is given the previous copy;
- in process: the time of a bill-page miss after a comment (the figures made
  again, the rest kept) and from an empty cache, and the queries of each page
  kept, made from nothing and after a comment, here and on
  BENCH_SMALL_DATABASE_URL (identical at 2,000 and 1,000,000 comments).

Uses bench.run's server, wrk and set-up; writes bench/live.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import run

# wrk: a header naming the bill, or a new query string each request.
LUA_MISS = """
wrk.headers["X-Bench-Miss"] = "{bill}"
"""
LUA_NEW_URL = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?n=" .. counter)
end
"""


def _pages(slug: str) -> dict[str, str]:
    return {
        "bill page": f"/bills/{slug}/",
        "comments page": f"/bills/{slug}/comments/",
        "statistics page": "/stats/",
        "statistics (API, the bill)": f"/api/v1/stats/?bill={slug}",
    }


def in_process(slug: str, bill_id: int, *, repeat: int = 20) -> dict:
    """
    Time and count, with Django's test client in this process: each page kept,
    made from an empty cache, and made again after a comment arrived (its
    bill's counts moved, an arrival numbered: :func:`_arrive`).
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for name, url in _pages(slug).items():
        # The city's page is kept under a period, not the counts: a new URL.
        new = (lambda n, url=url: f"{url}?n={n}") if url == "/stats/" else None
        cache.clear()
        queries = []  # counted at once: the next request empties Django's log
        for move in (False, False, True):
            if move:
                _arrive(bill_id)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(new(0) if new and move else url)
            assert response.status_code == 200, url
            queries.append(len(captured))
        times, cold = [], []
        for n in range(1, repeat + 1):
            _arrive(bill_id)
            start = time.perf_counter()
            client.get(new(n) if new else url)
            times.append((time.perf_counter() - start) * 1000)
        for _ in range(3):
            cache.clear()
            start = time.perf_counter()
            client.get(url)
            cold.append((time.perf_counter() - start) * 1000)
        result[name] = {
            "queries": queries,
            "miss_ms": round(statistics.median(times), 2),
            "cold_ms": round(statistics.median(cold), 2),
        }
    return result


def _arrive(bill_id: int) -> None:
    """What bench.middleware's X-Bench-Miss does: a comment arriving, without one."""
    from consultation import arrivals, counters

    counters.move_versions([bill_id])
    arrivals.arrived_unlisted(bill_id)


class Writer(threading.Thread):
    """
    Enter a comment through the staff API every 1/rate seconds until stopped,
    each from a pool of posters: a slow answer does not slow the pace.
    """

    def __init__(self, base: str, token: str, consultation: int, rate: float) -> None:
        super().__init__(daemon=True)
        self.url = base + "/api/v1/comments/"
        self.token = token
        self.consultation = consultation
        self.pause = 1 / rate
        self.stop = threading.Event()
        self.sent = 0
        self.entered = 0
        self.errors = 0
        self._lock = threading.Lock()

    def _post(self, n: int) -> None:
        body = json.dumps(
            {
                "consultation": self.consultation,
                "text": f"建议明确电梯维护保养单位的法律责任（{n}）。",
            }
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Token {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                ok = response.status == 201
        except OSError:
            ok = False
        with self._lock:
            self.entered += ok
            self.errors += not ok

    def run(self) -> None:
        due = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            while not self.stop.is_set():
                self.sent += 1
                pool.submit(self._post, self.sent)
                due += self.pause
                self.stop.wait(max(0.0, due - time.monotonic()))


def _median(rows: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in rows) for k in ("rps", "p50", "p95")}


def _rounds(url: str, baseline: str, args, *, clients: int, script=None) -> dict:
    run.wrk(url, seconds=1, clients=clients, script=script)  # warm up
    pages, bases = [], []
    for _ in range(args.rounds):
        bases.append(run.wrk(baseline, seconds=args.seconds, clients=clients))
        pages.append(run.wrk(url, seconds=args.seconds, clients=clients, script=script))
    med, bmed = _median(pages), _median(bases)
    return {
        "median": med,
        "baseline": bmed,
        "ratio_rps": round(med["rps"] / bmed["rps"], 2) if bmed["rps"] else None,
        "errors": sum(r["errors"] for r in pages),
    }


def _print(name: str, row: dict, extra: str = "") -> None:
    med, bmed = row["median"], row["baseline"]
    print(
        f"{name:44} {med['rps']:7.0f} r/s ×{row['ratio_rps']!s:<5} "
        f"p50 {med['p50']:6.1f} p95 {med['p95']:6.1f} ms "
        f"(base {bmed['rps']:.0f} r/s) err {row['errors']} {extra}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--counts-only", action="store_true")
    parser.add_argument(
        "--misses-only",
        action="store_true",
        help="only the every-request-a-miss rows (with their baselines)",
    )
    parser.add_argument("--out", default=str(run.ROOT / "bench" / "live.json"))
    args = parser.parse_args(argv)
    run._setup("bench.settings_live")
    from django.conf import settings

    from legislation.models import Bill

    settings.NPC_PUBLIC_REBUILD_SECONDS = 0
    if args.counts_only:
        from django.db.models import Sum

        from consultation.models import CommentCount

        top = (
            CommentCount.objects.values("bill_id", "bill__slug")
            .annotate(n=Sum("delta"))
            .order_by("-n")
            .first()
        )
        print(json.dumps(in_process(top["bill__slug"], top["bill_id"], repeat=1)))
        return
    info = run.targets()
    slug = info["urls"]["bill page"].split("/")[2]
    bill_id = Bill.objects.get(slug=slug).pk
    results: dict = {"comments": info["total"], "rows": {}}
    results["in_process"] = {} if args.misses_only else in_process(slug, bill_id)
    small = os.environ.get("BENCH_SMALL_DATABASE_URL")
    if small and not args.misses_only:
        out = subprocess.run(
            [sys.executable, "-m", "bench.live", "--counts-only"],
            env={**run._env("bench.settings_live"), "DATABASE_URL": small},
            cwd=run.ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        results["in_process_small"] = json.loads(out.strip().splitlines()[-1])
    for name, row in results["in_process"].items():
        small_row = results.get("in_process_small", {}).get(name, {})
        print(
            f"{name:44} in process: miss {row['miss_ms']} ms, from nothing "
            f"{row['cold_ms']} ms; queries made/kept/after a comment "
            f"{small_row.get('queries')} at the small size, {row['queries']} here",
            flush=True,
        )
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))

    live = run.serve("bench.settings_live", 8811)
    os.environ["NPC_PUBLIC_REBUILD_SECONDS"] = "0"
    try:
        missing = run.serve("bench.settings_live", 8812)
    finally:
        del os.environ["NPC_PUBLIC_REBUILD_SECONDS"]
    base, miss_base = "http://127.0.0.1:8811", "http://127.0.0.1:8812"
    worker = run.start_worker()  # with CELERY_BROKER_URL: grouping off the request
    try:
        run.wrk(base + "/bench/fortunes/", seconds=2, clients=8)
        baseline = base + "/bench/fortunes/"
        page = base + f"/bills/{slug}/"
        run.wrk(page, seconds=2, clients=32)  # every thread's connection opened
        for clients in () if args.misses_only else (8, 32):
            results["rows"][f"bill page, no writes, {clients} clients"] = row = _rounds(
                page, baseline, args, clients=clients
            )
            _print(f"bill page, no writes, {clients} clients", row)
            writer = Writer(base, info["token"], info["consultation"], args.rate)
            writer.start()
            started = time.monotonic()
            try:
                row = _rounds(page, baseline, args, clients=clients)
            finally:
                writer.stop.set()
                writer.join()
            row["comments_per_second"] = round(
                writer.entered / (time.monotonic() - started), 1
            )
            row["writer_errors"] = writer.errors
            name = f"bill page, {args.rate:g} comments/s, {clients} clients"
            results["rows"][name] = row
            _print(name, row, f"({row['comments_per_second']} comments/s entered)")
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
        for name, path in _pages(slug).items():
            if path == "/stats/":
                script = LUA_NEW_URL
            else:
                script = LUA_MISS.format(bill=bill_id)
            row = _rounds(
                miss_base + path, miss_base + "/bench/fortunes/", args,
                clients=8, script=script,
            )  # fmt: skip
            results["rows"][f"{name}, every request a miss"] = row
            _print(f"{name}, every request a miss", row)
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    finally:
        for proc in (live, missing, worker):
            if proc is not None:
                proc.terminate()
                proc.wait()
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
