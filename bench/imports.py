"""
Import benchmark: ``python -m bench.imports --rows 100000 500000 1000000``.

Writes a CSV of N rows (the template's columns, demo texts) and runs it through
the real import path (services.start_import + run_import: every row checked,
all written in one transaction), reporting time, rows/s, the import's phases
(as run_import logs them), the process's resident memory before the import, its
peak during it (VmHWM, reset just before it) and what stays after it; then a raw COPY of the same rows for comparison, rolled
back. Each size runs in a fresh process. ``--tracemalloc`` also traces Python's
allocations for the peak of Python objects: it slows Python down three to four
times, so its times are not the import's. DATABASE_URL: the bench database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_csv(path: Path, rows: int) -> None:
    from consultation import imports
    from consultation.demo import corpus

    rng = random.Random(rows)
    texts = [t for ts in corpus.COMMENT_TEMPLATES.values() for t in ts]
    kinds = ["居民", "人大代表", "律师", "企业"]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(imports.HEADERS)
        for _ in range(rows):
            text = "".join(rng.choice(texts) for _ in range(rng.choice((1, 2, 3))))
            writer.writerow(
                [text, "", corpus.fake_name(rng), corpus.fake_mobile(rng),
                 rng.choice(kinds), "", "2024-09-10", ""]
            )  # fmt: skip


def _reset_peak_rss() -> None:
    """Start the process's peak RSS afresh (Linux), so setup does not count."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _rss_kb() -> int:
    """The process's resident memory now (VmRSS, Linux), else 0."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _peak_rss_kb() -> int:
    """The process's peak RSS since _reset_peak_rss (VmHWM), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _backend_pid(connection) -> int:
    """The process id of the server backend of Django's connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of process ``pid`` (Linux, same machine), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(rows: int, *, trace: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import UploadedFile
    from django.db import connection, transaction
    from django.test import override_settings
    from django.utils import timezone

    from consultation import services
    from consultation.models import Consultation
    from npc.celery import app as celery_app

    path = Path(tempfile.gettempdir()) / f"bench-import-{rows}.csv"
    if not path.exists():
        write_csv(path, rows)
    staff = get_user_model().objects.get(username="staff")
    consultation = Consultation.objects.filter(channel="online").order_by("pk").first()
    # Its bill may have been voted since the demo was seeded, which closes it:
    # staff reopen it, as they would to add late comments.
    if not services.is_accepting(consultation):
        services.reopen_consultation(
            consultation=consultation,
            by=staff,
            reason="基准测试：导入补充意见。",
            until=timezone.localdate() + dt.timedelta(days=30),
        )
    size = path.stat().st_size
    # Uploaded from disk, as a large upload is: the file is never in memory.
    with (
        override_settings(
            NPC_IMPORT_MAX_BYTES=size + 1, CELERY_TASK_ALWAYS_EAGER=False
        ),
        path.open("rb") as data,
    ):
        batch = services.start_import(
            by=staff,
            consultation=consultation,
            uploaded_file=UploadedFile(data, name=path.name, size=size),
        )
    phases: dict[str, float] = {}

    class Phases(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            phases.update(getattr(record, "phases", {}))

    log = logging.getLogger("consultation.services")
    log.addHandler(Phases())
    log.setLevel(logging.INFO)
    rss_before = _rss_kb()
    _reset_peak_rss()
    if trace:
        tracemalloc.start()
    backend = _backend_pid(connection)
    db_cpu, py_cpu = _cpu_seconds(backend), _own_cpu_seconds()
    started = time.monotonic()
    # The import only: its comments are grouped by a task of their own once it
    # commits (queued here, not run in process), timed apart with --group.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        batch = services.run_import(batch_id=batch.pk)
    finally:
        celery_app.conf.task_always_eager = eager
    seconds = time.monotonic() - started
    db_cpu = None if db_cpu is None else _cpu_seconds(backend) - db_cpu
    py_cpu = _own_cpu_seconds() - py_cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    tracemalloc.stop()
    # The import's own peak: the comparison and the clean-up below come after.
    maxrss = _peak_rss_kb()
    # What the import leaves behind in a worker that goes on running: Python
    # keeps freed memory for reuse, but nothing should grow for good.
    import gc

    gc.collect()
    rss_after = _rss_kb()
    assert batch.status == "done", batch.errors[:3]
    # Raw COPY of the same rows, for comparison; rolled back.
    with transaction.atomic():
        raw = connection.connection
        t0 = time.monotonic()
        with raw.cursor() as cur, path.open(encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            cur.execute(
                "CREATE TEMPORARY TABLE copy_rows (text text, a text, name text, contact text, kind text, aff text, day text, summary text)"
            )
            with cur.copy("COPY copy_rows FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
        copy_seconds = time.monotonic() - t0
        transaction.set_rollback(True)
    # Leave the bench database as it was: plain DELETEs (Django's delete() would
    # load every imported comment to cascade). Only contributors point at them.
    with transaction.atomic(), connection.cursor() as cur:
        # Their near-duplicate groups (grouped after the import, in process
        # here): sizes given back, the groups they lead and their keys gone.
        cur.execute(
            "UPDATE consultation_commentgroup g SET size = g.size - m.n FROM "
            "(SELECT s.group_id, count(*) AS n FROM consultation_commentsignature s "
            "JOIN consultation_comment c ON c.id = s.comment_id "
            "WHERE c.import_batch_id = %s GROUP BY s.group_id) m "
            "WHERE g.id = m.group_id",
            [batch.pk],
        )
        cur.execute(
            "DELETE FROM consultation_commentsignature WHERE comment_id IN "
            "(SELECT id FROM consultation_comment WHERE import_batch_id = %s)",
            [batch.pk],
        )
        led = (
            "SELECT g.id FROM consultation_commentgroup g JOIN consultation_comment c "
            "ON c.id = g.representative_id WHERE c.import_batch_id = %s"
        )
        cur.execute(
            f"DELETE FROM consultation_commentsignature WHERE group_id IN ({led})",
            [batch.pk],
        )
        cur.execute(
            f"DELETE FROM consultation_groupkey WHERE group_id IN ({led})", [batch.pk]
        )
        cur.execute(
            f"DELETE FROM consultation_commentgroup WHERE id IN ({led})", [batch.pk]
        )
        cur.execute(
            "DELETE FROM consultation_contributor WHERE comment_id IN "
            "(SELECT id FROM consultation_comment WHERE import_batch_id = %s)",
            [batch.pk],
        )
        cur.execute(
            "DELETE FROM consultation_comment WHERE import_batch_id = %s", [batch.pk]
        )
    # The batch and its stored copy of the file, too.
    batch.file.delete(save=False)
    batch.delete()
    from consultation import counters

    counters.recount([consultation.pk])
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "tracemalloc_peak_mb": None if peak is None else round(peak / 2**20, 1),
        "file_mb": round(size / 2**20, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        "maxrss_mb": round(maxrss / 1024, 1),
        "rss_after_mb": round(rss_after / 1024, 1),
        "raw_copy_seconds": round(copy_seconds, 1),
        # CPU time, which a busy machine stretches less than the wall clock:
        # the import's database backend (when the server runs here) and this
        # process (checking, segmenting, formatting: all its threads).
        "db_backend_cpu_s": None if db_cpu is None else round(db_cpu, 1),
        "python_cpu_s": round(py_cpu, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "phases_s": {name: round(value, 1) for name, value in phases.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[100_000, 500_000, 1_000_000]
    )
    parser.add_argument("--one", type=int)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, trace=args.tracemalloc)))
        return
    for rows in args.rows:
        out = subprocess.run(
            [sys.executable, "-m", "bench.imports", "--one", str(rows),
             *(["--tracemalloc"] if args.tracemalloc else [])],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        print(
            out.stdout.strip().splitlines()[-1]
            if out.returncode == 0
            else out.stderr[-2000:],
            flush=True,
        )


if __name__ == "__main__":
    main()
