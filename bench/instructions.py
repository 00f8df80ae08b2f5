"""
Instructions per request, counted by valgrind: ``python -m bench.instructions``.

On a machine shared with others, requests/s and even CPU time move with the
neighbours: within one ``bench.live`` run the baseline has ranged from 287 to
786 r/s. The instructions a process executes for a request do not: valgrind's
callgrind counts them, the same count for the same code and data, however busy
the machine is. So this measures each page's every-request-a-miss beside the
baseline as ``bench.live``'s in-process rows do (Django's test client, each
request after a comment arrived on the bill: ``bench.live._arrive``), and
reports the instructions of one request and the baseline's as a multiple of
them, the ratio ``bench.live`` reports in requests/s.

What it counts is this process alone: the app's work and what it does to ask
the database and the cache (the stand-in's numbering of an arrival included),
not PostgreSQL's, Redis's, the kernel's or an HTTP server's. Each page runs in
a process of its own under ``valgrind --tool=callgrind``, about a minute and a
half each, two at a time; the count runs from the first call of ``getppid``
after a warm-up to the first of ``getpgrp`` (the process makes neither
otherwise), so that starting Django is not counted; what is done once a
period is left out (:data:`SLOWED`).

``DATABASE_URL=… python -m bench.instructions [--requests 20] [--out F]``
(``CACHE_URL`` a Redis database of its own, as for the other benchmarks:
it is emptied first).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import run

WARM_UP = 15
BASELINE = "baseline"
STATS = "/stats/"
# Under valgrind a request takes some fifty times as long: what the app does
# once a period (the city's figures every NPC_PUBLIC_STATS_SECONDS, the counts
# by article every NPC_COUNTS_CACHE_SECONDS, a database connection opened
# again after DATABASE_CONN_MAX_AGE), which thousands of requests share when
# served, would fall on a few of the twenty counted, or on none, by chance.
# Longer periods leave it out of every count alike. And no reader is given a
# previous copy while another makes a part again (as bench.live's rows).
SLOWED = {
    "NPC_PUBLIC_REBUILD_SECONDS": "0",
    "DATABASE_CONN_MAX_AGE": "3600",
    "NPC_PUBLIC_STATS_SECONDS": "3600",
    "NPC_COUNTS_CACHE_SECONDS": "3600",
    "NPC_PUBLIC_CACHE_SECONDS": "3600",
}


def _urls(slug: str) -> dict[str, str]:
    return {
        BASELINE: "/bench/fortunes/",
        "bill page": f"/bills/{slug}/",
        "comments page": f"/bills/{slug}/comments/",
        # The city's page is kept under a period, not the counts: a new URL
        # each request, as bench.live's row.
        "statistics page": STATS,
        "statistics (API, the bill)": f"/api/v1/stats/?bill={slug}",
    }


def child(url: str, requests: int, bill_id: int | None) -> None:
    """Request ``url`` ``requests`` times between the two markers."""
    run._setup("bench.settings")
    from django.test import Client

    from bench.live import _arrive

    client = Client(HTTP_HOST="127.0.0.1")

    def one(n: int) -> None:
        if bill_id is not None:
            _arrive(bill_id)
        response = client.get(f"{url}?n={n}" if url == STATS else url)
        assert response.status_code == 200, url

    for n in range(WARM_UP):
        one(n)
    os.getppid()  # counting starts
    for n in range(WARM_UP, WARM_UP + requests):
        one(n)
    os.getpgrp()  # counting stops: the counts are written out


def _count(url: str, requests: int, bill_id: int | None) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--zero-before=getppid",
            "--dump-before=getpgrp", f"--callgrind-out-file={out}",
            sys.executable, "-m", "bench.instructions",
            "--child", url, "--requests", str(requests),
            *(["--bill", str(bill_id)] if bill_id is not None else []),
        ]  # fmt: skip
        subprocess.run(
            command,
            cwd=run.ROOT,
            env={**run._env("bench.settings"), **SLOWED},
            check=True,
            capture_output=True,
        )
        # The dump at the second marker: what the requests executed.
        dumped = (out.parent / (out.name + ".1")).read_text()
    return int(re.search(r"^summary: (\d+)$", dumped, re.MULTILINE).group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--child")
    parser.add_argument("--bill", type=int)
    parser.add_argument("--out", default=str(run.ROOT / "bench" / "instructions.json"))
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.requests, args.bill)
        return
    run._setup("bench.settings")
    from django.core.cache import cache

    from legislation.models import Bill

    slug = run.targets()["urls"]["bill page"].split("/")[2]
    bill_id = Bill.objects.get(slug=slug).pk
    # From an empty cache (CACHE_URL is the benchmark's own): what earlier
    # runs left there (a long run of arrivals, parts of other pages) moved
    # the count of the same code by up to a sixth.
    cache.clear()
    urls = _urls(slug)
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(
            zip(
                urls,
                pool.map(
                    lambda name: _count(
                        urls[name],
                        args.requests,
                        None if urls[name] in (urls[BASELINE], STATS) else bill_id,
                    ),
                    urls,
                ),
                strict=True,
            )
        )
    base = counts[BASELINE] / args.requests
    results = {}
    for name, total in counts.items():
        each = total / args.requests
        results[name] = {"instructions": round(each), "ratio": round(base / each, 3)}
        label = name if name == BASELINE else f"{name}, every request a miss"
        print(
            f"{label:48} {each / 1e6:6.1f} M instructions a request, "
            f"×{base / each:.2f} the baseline",
            flush=True,
        )
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
