"""
Open-data benchmark: ``python -m bench.opendata [--limit N ...]``.

On the bench database (``python -m bench.generate --comments N``), builds the
nightly open-data files (``consultation.opendata.build.build_open_data``) into a
temporary folder on disk (FileSystemStorage, as in production), in one process,
and reports the time, each file's size and records, the queries run and the
process's peak resident memory (VmHWM, reset just before the build, and the
resident memory before it). ``--limit`` builds the comment files of the first
N public comments only (by primary key), in fresh processes one after the
other, so the peak can be compared across sizes: flat memory means the same
peak at 20,000 and at 1,000,000 comments.

DATABASE_URL: the bench database. The machine is shared: the times are what
this run measured, with the load it had.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench.memory import reset_peak_rss, status_kb


def one(limit: int | None) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from consultation.models import Comment
    from consultation.opendata import comments
    from consultation.opendata.build import build_open_data

    if limit is not None:
        last = (
            Comment.objects.publicly_visible()
            .order_by("pk")
            .values_list("pk", flat=True)[limit - 1 : limit]
            .first()
        )
        visible = Comment.objects.publicly_visible

        def capped():  # noqa: ANN202
            return visible().filter(pk__lte=last)

        comments.Comment.objects.publicly_visible = capped  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as media:
        storages = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
        with override_settings(MEDIA_ROOT=media, STORAGES=storages):
            rss_before = status_kb("VmRSS:")
            reset_peak_rss()
            started = time.perf_counter()
            connection.force_debug_cursor = True
            with CaptureQueriesContext(connection) as queries:
                manifest = build_open_data()
            seconds = time.perf_counter() - started
    return {
        "limit": limit,
        "seconds": round(seconds, 1),
        "queries": len(queries),
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_mb": round(status_kb("VmHWM:") / 1024, 1),
        "files": {
            f.name: {"bytes": f.size, "records": f.records} for f in manifest.files
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, nargs="*", default=None)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one or None)))
        return
    results = []
    for limit in args.limit or [0]:
        # A fresh process per size: the peak of one does not hide in another's.
        output = subprocess.run(
            [sys.executable, "-m", "bench.opendata", "--one", str(limit)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(result, ensure_ascii=False))
        results.append(result)


if __name__ == "__main__":
    main()
