"""
A public page through a shared caching proxy: ``python -m bench.proxy``.

Starts the app as ``bench.run`` does (gunicorn ``-k gthread -w 2 --threads 4``,
bench.settings, debug off, loopback; its access log kept to count what reaches
it) and Debian's nginx with ``proxy_cache`` in front (the configuration of
``tests.proxy.nginx``: the app's ``Cache-Control`` decides, ``s-maxage`` =
NPC_SHARED_CACHE_SECONDS). Then, for each page, in interleaved rounds: the
baseline (``/bench/fortunes/`` on the app), the page through the proxy, the page
straight from the app. Reports the medians, each as a multiple of the baseline
measured beside it, and the share of the proxied requests that reached the app.

DATABASE_URL: a database made by bench.generate (any size; the proxy's hits do
not depend on it). Results go to ``bench/results-proxy.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.run import ROOT, _serve_env, _setup, _wrk_command, _wrk_result, targets
from tests.proxy.nginx import CachingProxy
from tests.tasks.processes import free_port


def serve_logged(port: int, access_log: Path) -> subprocess.Popen:
    """gunicorn as bench.run.serve starts it, with its access log in a file."""
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "npc.wsgi:application",
            "-k", "gthread", "-w", "2", "--threads", "4",
            "-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
            "--error-logfile", "-", "--log-level", "warning",
        ],
        cwd=ROOT, env=_serve_env("bench.settings", cache_on=True),
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/fortunes/")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def run_wrk(url: str, *, seconds: int, clients: int) -> dict:
    """wrk on ``url``: requests/s, p50, p95, errors, and the number of requests."""
    command, lua = _wrk_command(url, seconds=seconds, clients=clients, script=None)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(lua).unlink()
    result = _wrk_result(url, out)
    result["requests"] = int(re.search(r"BENCH (\d+)", out).group(1))
    return result


def app_requests(access_log: Path, path: str) -> int:
    text = access_log.read_text() if access_log.exists() else ""
    return text.count(f'"GET {path} HTTP')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--nginx-workers", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-proxy.json"))
    args = parser.parse_args(argv)
    _setup()
    info = targets()
    pages = {
        "bill page": info["urls"]["bill page"],
        "comments page": info["urls"]["comments page, first"],
        "API bill list": "/api/v1/bills/",
    }
    work = Path(tempfile.mkdtemp(prefix="bench-proxy-"))
    access_log = work / "app-access.log"
    app_port = free_port()
    app = serve_logged(app_port, access_log)
    proxy = CachingProxy(
        work / "nginx", app_port, workers=args.nginx_workers, log=False
    ).start()
    app_base, proxy_base = f"http://127.0.0.1:{app_port}", proxy.url
    baseline_url = app_base + "/bench/fortunes/"
    results: dict = {"comments": info["total"], "clients": args.clients, "pages": {}}

    def measure(url: str) -> dict:
        return run_wrk(url, seconds=args.seconds, clients=args.clients)

    try:
        measure(baseline_url)  # warm up
        for name, path in pages.items():
            measure(proxy_base + path)
            measure(app_base + path)
            bases, proxied, direct = [], [], []
            reached = sent = 0
            for _ in range(args.rounds):
                bases.append(measure(baseline_url))
                before = app_requests(access_log, path)
                proxied.append(measure(proxy_base + path))
                reached += app_requests(access_log, path) - before
                sent += proxied[-1]["requests"]
                direct.append(measure(app_base + path))

            def med(runs: list[dict]) -> dict:
                return {
                    k: statistics.median(r[k] for r in runs)
                    for k in ("rps", "p50", "p95")
                }

            base, via, own = med(bases), med(proxied), med(direct)
            row = {
                "path": path,
                "baseline": base,
                "through proxy": via,
                "straight from the app": own,
                "ratio_rps_proxy": round(via["rps"] / base["rps"], 1),
                "ratio_rps_app": round(own["rps"] / base["rps"], 2),
                "proxied_requests": sent,
                "reached_app": reached,
                "share_reaching_app": reached / sent if sent else None,
                "errors": sum(r["errors"] for r in proxied),
            }
            results["pages"][name] = row
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
            print(
                f"{name:14} proxy {via['rps']:8.0f} r/s ×{row['ratio_rps_proxy']:<6} "
                f"p95 {via['p95']:5.1f} ms | app {own['rps']:6.0f} r/s "
                f"×{row['ratio_rps_app']:<5} | base {base['rps']:.0f} r/s | "
                f"reached app {reached}/{sent} "
                f"({100 * reached / max(sent, 1):.3f}%) err {row['errors']}",
                flush=True,
            )
    finally:
        proxy.stop()
        app.terminate()
        app.wait()


if __name__ == "__main__":
    main()
