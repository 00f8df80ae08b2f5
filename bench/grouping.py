"""
Grouping benchmark: ``python -m bench.grouping [--new 300]``.

On the bench database (``python -m bench.generate --comments 1000000``):

1. From scratch: every bill's near-duplicate groups rebuilt
   (``grouping.services.regroup_bill``), in one process: time, comments per
   second, groups made, and the process's peak resident memory (VmHWM, reset
   just before).
2. One new comment at that size: ``--new`` comments are written (copies of
   random existing comments, some edited, some with a sentence of their own, as
   a campaign's copies and fresh opinions arrive), then each is grouped alone,
   ``group_comments(comment_ids=[pk])``, timed one by one: p50, p95, max.
   Beside it, in the same run, the baseline: writing one comment row
   (``Comment.objects.bulk_create([one])``). The new comments are written
   inside one transaction rolled back at the end (each grouping a savepoint),
   so the bench database is left as it was; a commit's flush is not timed.

DATABASE_URL: the bench database. The machine is shared: the numbers are what
this run measured, with the load it had.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

from bench.memory import reset_peak_rss, status_kb


def from_scratch() -> dict:
    from django.db.models import Count

    from consultation.grouping.models import CommentGroup
    from consultation.grouping.services import regroup_bill
    from consultation.models import Comment

    bills = list(
        Comment.objects.values("bill_id")
        .annotate(n=Count("pk"))
        .order_by("bill_id")
        .values_list("bill_id", "n")
    )
    total = sum(n for _b, n in bills)
    rss_before = status_kb("VmRSS:")
    reset_peak_rss()
    started = time.monotonic()
    per_bill = {}
    for bill_id, n in bills:
        t0 = time.monotonic()
        groups = regroup_bill(bill_id=bill_id)
        per_bill[bill_id] = {
            "comments": n,
            "groups": groups,
            "seconds": round(time.monotonic() - t0, 1),
        }
    seconds = time.monotonic() - started
    return {
        "comments": total,
        "seconds": round(seconds, 1),
        "comments_per_s": round(total / seconds),
        "groups": CommentGroup.objects.count(),
        "groups_of_two_or_more": CommentGroup.objects.filter(size__gte=2).count(),
        "largest_group": CommentGroup.objects.order_by("-size")
        .values_list("size", flat=True)
        .first(),
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_mb": round(status_kb("VmHWM:") / 1024, 1),
        "per_bill": per_bill,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def one_at_a_time(n: int, seed: int = 18) -> dict:
    from django.db import connection, transaction

    from consultation.grouping.services import group_comments
    from consultation.models import Comment

    rng = random.Random(seed)
    top = Comment.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample = list(
        Comment.objects.filter(
            pk__in=[rng.randint(1, top) for _ in range(n * 2)]
        ).values("consultation_id", "bill_id", "point_id", "article_id", "text")[:n]
    )
    edits = [
        lambda t: t,
        lambda t: "各位领导好！" + t,
        lambda t: t.replace("，", " ") + "谢谢！",
        lambda t: (
            f"我是第{rng.randint(1, 10**6)}号居民，另外建议{rng.randint(2, 99)}日内答复。"
            + t[: len(t) // 3]
        ),
    ]
    grouping: list[float] = []
    baseline: list[float] = []
    with transaction.atomic():
        for row in sample:
            comment = Comment(
                **{**row, "text": rng.choice(edits)(row["text"])},
                submitted_on="2024-09-10",
            )
            t0 = time.perf_counter()
            with transaction.atomic():
                Comment.objects.bulk_create([comment])
            baseline.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            group_comments(comment_ids=[comment.pk])
            grouping.append((time.perf_counter() - t0) * 1000)
        transaction.set_rollback(True)
    connection.close()

    def summary(values: list[float]) -> dict:
        return {
            "p50_ms": round(statistics.median(values), 2),
            "p95_ms": round(_pct(values, 0.95), 2),
            "max_ms": round(max(values), 2),
        }

    group_summary = summary(grouping)
    base_summary = summary(baseline)
    return {
        "comments": len(sample),
        "group_one_comment": group_summary,
        "baseline_insert_one_comment": base_summary,
        "p95_ratio_to_baseline": round(
            group_summary["p95_ms"] / base_summary["p95_ms"], 1
        ),
    }


def board_page() -> dict:
    """The first page of the largest bill's groups, as the board reads it."""
    from django.db.models import Count

    from consultation.grouping import selectors
    from consultation.models import Comment
    from legislation.models import Bill

    bill_id = (
        Comment.objects.values("bill_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("bill_id", flat=True)
        .first()
    )
    bill = Bill.objects.get(pk=bill_id)
    timings = {}
    t0 = time.perf_counter()
    page = list(selectors.bill_groups(bill)[:30])
    selectors.group_facets(page)
    timings["groups_page_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    t0 = time.perf_counter()
    selectors.group_figures(bill)
    timings["figures_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    t0 = time.perf_counter()
    selectors.same_point_suggestions(bill)
    timings["same_point_suggestions_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new", type=int, default=300)
    parser.add_argument("--skip-scratch", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = {}
    if not args.skip_scratch:
        result["from_scratch"] = from_scratch()
    result["board"] = board_page()
    result["one_new_comment"] = one_at_a_time(args.new)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
