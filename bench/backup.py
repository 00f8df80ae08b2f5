"""
Backup benchmark: ``python -m bench.backup``.

pg_dump (custom format) of the bench database, pg_restore into a fresh
database, then row counts and an md5 of each table's rows (their md5s, sorted)
compared between the two. DATABASE_URL names the source.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import urllib.parse

TABLES = [
    "consultation_comment",
    "consultation_contributor",
    "consultation_decisionrecord",
    "consultation_commentcount",
    "consultation_consultation",
    "legislation_article",
]


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def main() -> None:
    source = os.environ["DATABASE_URL"]
    parts = urllib.parse.urlsplit(source)
    target_name = parts.path.lstrip("/") + "_restored"
    target = urllib.parse.urlunsplit(parts._replace(path="/" + target_name))
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    dump = os.path.join(tempfile.gettempdir(), f"{target_name}.dump")
    t0 = time.monotonic()
    subprocess.run(["pg_dump", "-Fc", "-f", dump, source], check=True)
    dumped = time.monotonic() - t0
    psql(admin, f"DROP DATABASE IF EXISTS {target_name}")
    psql(admin, f"CREATE DATABASE {target_name}")
    t0 = time.monotonic()
    subprocess.run(["pg_restore", "-j", "2", "-d", target, dump], check=True)
    restored = time.monotonic() - t0
    print(f"pg_dump {dumped:.1f}s ({os.path.getsize(dump) / 2**20:.0f} MB), "
          f"pg_restore {restored:.1f}s")  # fmt: skip
    ok = True
    for table in TABLES:
        sql = (
            f"SELECT count(*), md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) "
            f"FROM {table} t"
        )
        a, b = psql(source, sql), psql(target, sql)
        ok &= a == b
        print(
            f"{table:32} {a.split('|')[0]:>9} rows  {'same' if a == b else 'DIFFERENT'}"
        )
    print("all tables identical" if ok else "MISMATCH")
    os.unlink(dump)
    psql(admin, f"DROP DATABASE {target_name}")


if __name__ == "__main__":
    main()
