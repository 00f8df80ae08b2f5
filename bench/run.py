"""
Measure the app against the limit of its own stack: ``python -m bench.run``.

Starts two gunicorns as in production (``-k gthread -w 2 --threads 4``, debug
off, on loopback): the app under bench.settings (production middleware, plus the
baseline page /bench/fortunes/) and the same under bench.settings_bare (no
middleware). For every endpoint, wrk runs once, then in three interleaved
rounds (baseline, endpoint, baseline, …); the medians are reported with their
ratio to the baseline measured beside them, then a run at 32 clients counts
errors. Query counts come from Django's test client on the big database and on
the small one (BENCH_SMALL_DATABASE_URL), with CaptureQueriesContext.

DATABASE_URL: the big database (bench.generate --comments 1000000);
BENCH_SMALL_DATABASE_URL: the same generator at 2,000 comments.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA_STATS = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %.3f %.3f %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
LUA_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token {token}"
wrk.body = [[{body}]]
"""
# A member of the public: no token, no cookie.
LUA_PUBLIC_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{body}]]
"""


def _env(settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.setdefault("DATABASE_CONN_MAX_AGE", "60")
    env["PYTHONPATH"] = str(ROOT)
    return env


def _serve_env(settings: str, *, cache_on: bool) -> dict[str, str]:
    env = _env(settings)
    if not cache_on:
        env["NPC_PUBLIC_CACHE_SECONDS"] = "0"
    return env


def _setup(settings: str = "bench.settings") -> None:
    os.environ.update(_env(settings))
    import django

    django.setup()


def targets() -> dict:
    """Create the baseline table and a token; find the URLs to measure."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from bench import views
    from consultation import services as consultation_services
    from consultation.demo import public as public_demo
    from consultation.models import Comment, CommentCount, Consultation
    from npc.accounts.services import issue_token

    views.create_table()
    top = (
        CommentCount.objects.values("bill_id", "bill__slug")
        .annotate(n=Sum("delta"))
        .order_by("-n")
        .first()
    )
    bill_id, slug = top["bill_id"], top["bill__slug"]
    counts = CommentCount.objects.filter(bill_id=bill_id)
    point = (
        counts.filter(consultation__point__isnull=False)
        .values("consultation__point_id")
        .annotate(n=Sum("delta"))
        .order_by("-n")
        .first()["consultation__point_id"]
    )
    article = (
        counts.filter(article__isnull=False)
        .values("article_id")
        .annotate(n=Sum("delta"))
        .order_by("-n")
        .first()["article_id"]
    )
    with connection.cursor() as cursor:
        total = top["n"]
        depth = min(500_000, max(total - 21, 0))
        cursor.execute(
            "SELECT id FROM consultation_comment WHERE bill_id = %s "
            "ORDER BY id DESC OFFSET %s LIMIT 1",
            [bill_id, depth],
        )
        deep = cursor.fetchone()[0]
    code = (
        Comment.objects.filter(bill_id=bill_id, consultation__is_published=True)
        .order_by("-pk")
        .values_list("receipt_code", flat=True)[1000]
    )
    consultation = Consultation.objects.filter(bill_id=bill_id).order_by("-pk").first()
    staff = get_user_model().objects.get(username="staff")
    # The biggest bill's consultations closed at its vote: the staff entry row
    # enters into one staff reopened, as they would to add late comments.
    if not consultation_services.is_accepting(consultation):
        consultation_services.reopen_consultation(
            consultation=consultation,
            by=staff,
            reason="基准测试：录入补充意见。",
            until=timezone.localdate() + dt.timedelta(days=30),
        )
    _, key = issue_token(user=staff)
    q = urllib.parse.quote
    return {
        "total": total,
        "depth": depth,
        "token": key,
        "consultation": consultation.pk,
        # The bill open for comments (the demo's online period, open today).
        "open_slug": public_demo.BILL_SLUG,
        "urls": {
            "bill page": f"/bills/{slug}/",
            "comments page, first": f"/bills/{slug}/comments/",
            f"comments page, {depth:,} deep": f"/bills/{slug}/comments/?after={deep}",
            "API list by status": f"/api/v1/comments/?bill={slug}&status=adopted",
            "API list by point": f"/api/v1/comments/?bill={slug}&point={point}",
            "API list by article": f"/api/v1/comments/?article={article}",
            "statistics": f"/api/v1/stats/?bill={slug}",
            "search, one word": f"/api/v1/comments/?q={q('电梯')}",
            "search, two words": f"/api/v1/comments/?q={q('电梯 安全')}",
            "search, 法律": f"/api/v1/comments/?q={q('法律')}",
            "bills by their articles' words": f"/api/v1/bills/?q={q('困人')}",
            "regulations by their text's words": f"/api/v1/laws/?q={q('保护')}",
            "receipt lookup": f"/api/v1/receipts/{code}/",
        },
    }


def query_counts(urls: dict[str, str]) -> dict[str, list[int]]:
    """
    Count the SQL queries of each URL (test client, this process's database):
    ``[first request, second request]``, the cache emptied before the first, so
    the first is a miss and the second a hit of the public response cache.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for name, url in urls.items():
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            counts.append(len(ctx.captured_queries))
        result[name] = counts
    return result


def _wrk_command(url: str, *, seconds: int, clients: int, script: str | None):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write((script or "") + LUA_STATS)
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-s", f.name, url]
    return command, f.name


def _wrk_result(url: str, out: str) -> dict:
    if "BENCH" not in out:
        raise RuntimeError(f"wrk {url}: {out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    _, n, p50, p95, errors = re.search(r"BENCH .*", out).group(0).split()
    return {"rps": rps, "p50": float(p50), "p95": float(p95), "errors": int(errors)}


def wrk(url: str, *, seconds: int, clients: int, script: str | None = None) -> dict:
    command, lua = _wrk_command(url, seconds=seconds, clients=clients, script=script)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(lua)
    return _wrk_result(url, out)


def wrk_beside(
    first: tuple[str, str | None],
    second: tuple[str, str | None],
    *,
    seconds: int,
    clients: int,
) -> tuple[dict, dict]:
    """Run two wrk loads at once (each with ``clients``); return both results."""
    runs = []
    for url, script in (first, second):
        command, lua = _wrk_command(
            url, seconds=seconds, clients=clients, script=script
        )
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        runs.append((url, proc, lua))
    results = []
    for url, proc, lua in runs:
        out, _ = proc.communicate()
        os.unlink(lua)
        results.append(_wrk_result(url, out))
    return results[0], results[1]


def serve(settings: str, port: int, *, cache_on: bool = True) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "npc.wsgi:application",
            "-k", "gthread", "-w", "2", "--threads", "4",
            "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
            "--error-logfile", "-", "--log-level", "warning",
        ],
        cwd=ROOT, env=_serve_env(settings, cache_on=cache_on),
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/fortunes/")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"gunicorn {settings} did not start")


def start_worker() -> subprocess.Popen | None:
    """
    With CELERY_BROKER_URL set, start one Celery worker beside the gunicorns,
    as in production (docker-compose's ``worker``): the work queued after a
    comment's commit (its grouping) runs there, not in the request. Without a
    broker, tasks run in process and no worker is started.
    """
    if not os.environ.get("CELERY_BROKER_URL"):
        return None
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "npc", "worker", "-c", "1",
         "--loglevel", "WARNING"],
        env=_env("bench.settings"), cwd=ROOT,
    )  # fmt: skip
    # Measure once it is up: starting (Django, the word dictionary) takes a
    # core for seconds, which the first rows would otherwise pay for.
    from npc.celery import app

    for _ in range(60):
        if app.control.ping(timeout=0.5):
            break
    return proc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="measure only these endpoints")
    parser.add_argument(
        "--cache",
        choices=("on", "off"),
        default="on",
        help="off: the app keeps no public response (every request a miss)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)
    _setup()
    info = targets()
    urls = info["urls"]
    counts_big = query_counts(urls)
    small = os.environ.get("BENCH_SMALL_DATABASE_URL")
    counts_small = {}
    if small:
        out = subprocess.run(
            [sys.executable, "-m", "bench.run_counts"],
            env={**_env("bench.settings"), "DATABASE_URL": small},
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        counts_small = json.loads(out)
    cache_on = args.cache == "on"
    app = serve("bench.settings", 8801, cache_on=cache_on)
    bare = serve("bench.settings_bare", 8802, cache_on=cache_on)
    worker = start_worker()
    base = "http://127.0.0.1:8801"
    results: dict = {"comments": info["total"], "cache": args.cache, "endpoints": {}}
    post_body = json.dumps(
        {
            "consultation": info["consultation"],
            "text": "建议明确电梯维护保养单位的法律责任。",
        },
        ensure_ascii=True,
    )
    post = LUA_POST.format(token=info["token"], body=post_body)
    public_post = LUA_PUBLIC_POST.format(
        body=json.dumps(
            {"text": "建议在老旧小区周边增设夜间共享停车泊位。", "article": 12},
            ensure_ascii=True,
        )
    )
    public_url = base + f"/api/v1/bills/{info['open_slug']}/public-comments/"
    try:
        for url in (base, "http://127.0.0.1:8802"):  # warm up both
            wrk(url + "/bench/fortunes/", seconds=2, clients=args.clients)
        baseline_url = base + "/bench/fortunes/"
        measured = {
            "baseline, no middleware": ("http://127.0.0.1:8802/bench/fortunes/", None),
            **{name: (base + path, None) for name, path in urls.items()},
            "comment entered (API)": (base + "/api/v1/comments/", post),
            "public comment submitted (API)": (public_url, public_post),
        }
        if args.only:
            measured = {k: v for k, v in measured.items() if k in args.only}
        for name, (url, script) in measured.items():
            wrk(url, seconds=1, clients=args.clients, script=script)  # warm up
            single = wrk(url, seconds=args.seconds, clients=args.clients, script=script)
            rounds, bases = [], []
            for _ in range(args.rounds):
                bases.append(
                    wrk(baseline_url, seconds=args.seconds, clients=args.clients)
                )
                rounds.append(
                    wrk(url, seconds=args.seconds, clients=args.clients, script=script)
                )
            med = {
                k: statistics.median(r[k] for r in rounds)
                for k in ("rps", "p50", "p95")
            }
            bmed = {
                k: statistics.median(r[k] for r in bases) for k in ("rps", "p50", "p95")
            }
            errors = sum(r["errors"] for r in rounds) + single["errors"]
            if script is None:
                errors32 = wrk(url, seconds=3, clients=32)["errors"]
            else:
                errors32 = None
            row = {
                "single": single,
                "median": med,
                "baseline": bmed,
                "ratio_rps": round(med["rps"] / bmed["rps"], 2),
                "ratio_p95": round(med["p95"] / bmed["p95"], 2),
                "errors": errors,
                "errors_at_32": errors32,
                "queries_big": counts_big.get(name),
                "queries_small": counts_small.get(name),
            }
            results["endpoints"][name] = row
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
            print(
                f"{name:32} {med['rps']:8.0f} r/s ×{row['ratio_rps']:<5} "
                f"p50 {med['p50']:6.1f} ms p95 {med['p95']:6.1f} ms "
                f"(base {bmed['rps']:.0f} r/s p95 {bmed['p95']:.1f}) "
                f"err {errors}/{errors32} "
                f"queries {row['queries_small']}/{row['queries_big']} (miss, hit)",
                flush=True,
            )
        beside = "bill page while the public submits"
        if not args.only or beside in args.only:
            results["endpoints"][beside] = _bill_page_beside_submissions(
                base + f"/bills/{info['open_slug']}/",
                (public_url, public_post),
                baseline_url,
                args,
            )
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    finally:
        for process in (app, bare, worker):
            if process is not None:
                process.terminate()
                process.wait()
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))


def _bill_page_beside_submissions(
    page: str, submissions: tuple[str, str], baseline_url: str, args
) -> dict:
    """
    The open bill's page (anonymous, kept whole between changes) read by
    ``args.clients`` clients while as many submit public comments, in rounds
    interleaved with the baseline alone: does the kept page go on being served,
    and at what rate, while each submission moves the counts version on?
    """
    wrk(page, seconds=1, clients=args.clients)  # warm up
    pages, posts, bases = [], [], []
    for _ in range(args.rounds):
        bases.append(wrk(baseline_url, seconds=args.seconds, clients=args.clients))
        read, posted = wrk_beside(
            (page, None), submissions, seconds=args.seconds, clients=args.clients
        )
        pages.append(read)
        posts.append(posted)
    med = {k: statistics.median(r[k] for r in pages) for k in ("rps", "p50", "p95")}
    pmed = {k: statistics.median(r[k] for r in posts) for k in ("rps", "p50", "p95")}
    bmed = {k: statistics.median(r[k] for r in bases) for k in ("rps", "p50", "p95")}
    row = {
        "median": med,
        "submissions_beside": pmed,
        "baseline": bmed,
        "ratio_rps": round(med["rps"] / bmed["rps"], 2),
        "ratio_p95": round(med["p95"] / bmed["p95"], 2),
        "errors": sum(r["errors"] for r in pages),
        "submission_errors": sum(r["errors"] for r in posts),
    }
    print(
        f"{'bill page while the public submits':32} {med['rps']:8.0f} r/s "
        f"×{row['ratio_rps']:<5} p95 {med['p95']:6.1f} ms, beside "
        f"{pmed['rps']:.0f} submissions/s p95 {pmed['p95']:.1f} ms "
        f"(base {bmed['rps']:.0f} r/s p95 {bmed['p95']:.1f}) "
        f"err {row['errors']}/{row['submission_errors']}",
        flush=True,
    )
    return row


if __name__ == "__main__":
    main()
