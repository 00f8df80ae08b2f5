"""
The public pages with a read replica and without: ``python -m bench.replica``.

Makes a private PostgreSQL primary and a streaming standby of it (the tests'
tests.replica.cluster: initdb, pg_basebackup -R, on free loopback ports), fills
the primary with bench.generate (``--comments``, 2,000 by default), and serves
the app twice as bench.run does (gunicorn gthread 2×4, bench.settings): once
with DATABASE_URL only, once with DATABASE_REPLICA_URL too. The public response
cache is off (every request a miss), so every request reads the database.
Each app connects as a database role of its own, so that the statements of one
are not counted for the other (a request still queued when wrk stops finishes
during the next run).

For every public endpoint of bench.run, wrk runs in interleaved rounds (without,
with, …); the medians are reported with their ratio. The servers count the
statements each one ran for the benchmark's database (pg_stat_statements,
loaded in the private cluster only): the primary's share of the statements of
the runs with the replica is what the replica took off the primary.

Both servers run on the same machine as the app and wrk, so the replica cannot
add capacity here: the ratio shows what the routing costs, and the share where
the reads went.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench import run
from tests.replica.cluster import Cluster, free_port

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "npc_bench_replica"
WITHOUT, WITH = "without replica", "with replica"
ROLES = {WITHOUT: "bench_without", WITH: "bench_with"}


def _statements(cluster: Cluster, port: int, role: str) -> int:
    """Return how many statements ``role`` ran on ``port``'s server."""
    return int(
        cluster.sql(
            port,
            "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid "
            "JOIN pg_roles r ON r.oid = s.userid "
            f"WHERE d.datname = '{DATABASE}' AND r.rolname = '{role}'",
        )
    )


def _reset(cluster: Cluster) -> None:
    for port in (cluster.primary_port, cluster.standby_port):
        cluster.sql(port, "SELECT pg_stat_statements_reset()")


def _serve(port: int, primary_url: str, replica_url: str | None):
    """Start bench.run's gunicorn, with DATABASE_REPLICA_URL or without."""
    saved = dict(os.environ)
    os.environ["DATABASE_URL"] = primary_url
    os.environ.pop("DATABASE_REPLICA_URL", None)
    if replica_url:
        os.environ["DATABASE_REPLICA_URL"] = replica_url
    try:
        return run.serve("bench.settings", port, cache_on=False)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="measure only these endpoints")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results_replica.json"))
    args = parser.parse_args(argv)
    # Not bench.run's Redis database: the kept counts and statistics of another
    # benchmark's data must not answer for this one's.
    os.environ.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/7")

    cluster = Cluster(extra_config="shared_preload_libraries = 'pg_stat_statements'\n")
    servers = []
    try:
        cluster.start()
        cluster.primary(f"CREATE DATABASE {DATABASE}")
        cluster.primary("CREATE EXTENSION pg_stat_statements")
        for role in ROLES.values():
            cluster.primary(f"CREATE ROLE {role} LOGIN SUPERUSER")
        primary_url = cluster.url(cluster.primary_port, DATABASE)
        os.environ["DATABASE_URL"] = primary_url
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--comments", str(args.comments)],
            env={**run._env("bench.settings"), "DATABASE_URL": primary_url},
            cwd=ROOT, check=True,
        )  # fmt: skip
        run._setup()
        urls = run.targets()["urls"]
        if args.only:
            urls = {k: v for k, v in urls.items() if k in args.only}
        cluster.wait_for_replay()
        # Free ports: a fixed one may be another benchmark's server, which
        # would answer for ours.
        ports = {WITHOUT: free_port(), WITH: free_port()}
        servers = [
            _serve(
                ports[WITHOUT],
                cluster.url(cluster.primary_port, DATABASE, ROLES[WITHOUT]),
                None,
            ),
            _serve(
                ports[WITH],
                cluster.url(cluster.primary_port, DATABASE, ROLES[WITH]),
                cluster.url(cluster.standby_port, DATABASE, ROLES[WITH]),
            ),
        ]
        bases = {label: f"http://127.0.0.1:{port}" for label, port in ports.items()}
        for base in bases.values():  # warm up both
            run.wrk(base + "/bench/fortunes/", seconds=2, clients=args.clients)
        results: dict = {"comments": args.comments, "endpoints": {}}
        for name, path in urls.items():
            rounds: dict[str, list[dict]] = {WITHOUT: [], WITH: []}
            statements = {WITHOUT: [0, 0], WITH: [0, 0]}
            for base in bases.values():
                run.wrk(base + path, seconds=1, clients=args.clients)  # warm up
            for _ in range(args.rounds):
                for label, base in bases.items():
                    _reset(cluster)
                    rounds[label].append(
                        run.wrk(base + path, seconds=args.seconds, clients=args.clients)
                    )
                    role = ROLES[label]
                    statements[label][0] += _statements(
                        cluster, cluster.primary_port, role
                    )
                    statements[label][1] += _statements(
                        cluster, cluster.standby_port, role
                    )
            med = {
                label: statistics.median(r["rps"] for r in rows)
                for label, rows in rounds.items()
            }
            primary, standby = statements[WITH]
            row = {
                "rps": med,
                "ratio_rps": round(med[WITH] / med[WITHOUT], 2)
                if med[WITHOUT]
                else None,
                "errors": sum(r["errors"] for rows in rounds.values() for r in rows),
                "statements": statements,
                "primary_share": round(primary / max(primary + standby, 1), 4),
            }
            results["endpoints"][name] = row
            Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
            print(
                f"{name:32} {med[WITHOUT]:7.0f} r/s without, {med[WITH]:7.0f} with "
                f"×{row['ratio_rps']} primary's share {row['primary_share']:.1%} "
                f"({primary}/{primary + standby} statements) err {row['errors']}",
                flush=True,
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        cluster.stop()


if __name__ == "__main__":
    main()
