"""
Load the demo, scaled up, into PostgreSQL: ``python -m bench.generate --comments 1000000``.

The bills, versions, articles, liaison points and consultations are the demo's
(seed_demo, through the services); the comments come from the demo's own
generator (consultation.demo.seed.generate_comments: statuses, reasons,
duplicates, contributors), lengthened to 30–300 characters with more sentences
of the demo corpus, and are written with COPY: comments, contributors and
decision records, with the search words the services compute and the kept
counts rebuilt from them. So the data is what the app itself would have
written, a million rows in a few minutes.

DATABASE_URL names the database (e.g. postgres://postgres@127.0.0.1/npc_bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


EXTRA_SENTENCES = (0, 0, 1, 1, 1, 2, 2, 3, 4, 6)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    _setup()
    generate(args.comments, seed=args.seed)


def generate(n_comments: int, *, seed: int = 7, log=print) -> int:  # noqa: ANN001
    """Add ``n_comments`` comments to the demo; return how many were written."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from consultation import counters, search
    from consultation.demo import corpus
    from consultation.demo import seed as demo
    from consultation.models import Comment, Decision

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # The benchmark's database is not production, but its settings run with
    # debug off; the demo accounts are then left without a usable password (the
    # benchmark signs in with tokens).
    call_command("seed_demo", allow_production=True, verbosity=0)
    log(f"demo seeded in {time.monotonic() - started:.1f}s")
    rng = random.Random(seed)
    staff = get_user_model().objects.get(username="staff")
    bills = demo.demo_bills()
    points = {p.name: p for p in demo.LiaisonPoint.objects.all()}
    plans = demo.plan_consultations(random.Random(demo.SEED), bills, points)
    demo.seed_consultations(plans, bills, points, staff)
    articles = {
        plan.version.pk: list(
            plan.version.articles.order_by("position").values_list("pk", "number")
        )
        for plan in plans
    }
    sentences = [t for ts in corpus.COMMENT_TEMPLATES.values() for t in ts] + [
        t for t in corpus.GENERIC_TEMPLATES if "{n}" not in t
    ]
    rows = demo.generate_comments(rng, plans, n_comments, articles)

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randrange(9, 18), rng.randrange(60)))
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM consultation_comment")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM consultation_decisionrecord")
        next_record = cursor.fetchone()[0] + 1
    ids: dict[str, int] = {}
    now = timezone.now()
    written = 0
    t0 = time.monotonic()
    with transaction.atomic():
        raw = connection.connection  # psycopg 3
        with raw.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {search.INDEX}")
            comments_sql = (
                "COPY consultation_comment (id, consultation_id, bill_id, point_id, "
                "article_id, text, summary, submitted_on, receipt_code, status, "
                "reason, explanation, duplicate_of_id, decided_by_id, decided_at, "
                "revision, search_text, created_by_id, created_at, updated_at) "
                "FROM STDIN"
            )
            people, records = [], []
            with cur.copy(comments_sql) as copy:
                for row in rows:
                    text = row.text
                    if row.status != Decision.DUPLICATE:
                        extra = rng.choice(EXTRA_SENTENCES)
                        text += "".join(rng.choice(sentences) for _ in range(extra))
                        text = text[:300]
                    pk = next_id
                    next_id += 1
                    ids[row.receipt_code] = pk
                    decided_at = at(row.decided_on) if row.decided_on else None
                    plan = row.plan
                    copy.write_row(
                        (
                            pk,
                            plan.consultation.pk,
                            plan.consultation.bill_id,
                            plan.consultation.point_id,
                            row.article_id,
                            text,
                            "",
                            row.submitted_on,
                            row.receipt_code,
                            row.status,
                            row.reason,
                            row.explanation,
                            ids.get(row.duplicate_of) if row.duplicate_of else None,
                            staff.pk if decided_at else None,
                            decided_at,
                            1 + bool(row.decided_on) + bool(row.revised_from),
                            search.search_words(text),
                            staff.pk,
                            now,
                            now,
                        )
                    )
                    people.append(
                        (pk, row.name, row.contact, row.affiliation, row.kind)
                    )
                    if decided_at:
                        if row.revised_from:
                            records.append(
                                (
                                    pk,
                                    *row.revised_from,
                                    None,
                                    staff.pk,
                                    decided_at - dt.timedelta(days=7),
                                )
                            )
                        records.append(
                            (
                                pk,
                                row.status,
                                row.reason,
                                row.explanation,
                                ids.get(row.duplicate_of) if row.duplicate_of else None,
                                staff.pk,
                                decided_at,
                            )
                        )
                    written += 1
                    if written % 100_000 == 0:
                        log(f"  {written:,} comments ({time.monotonic() - t0:.0f}s)")
            log(f"comments copied in {time.monotonic() - t0:.1f}s")
            with cur.copy(
                "COPY consultation_contributor (comment_id, name, contact, "
                "affiliation, kind) FROM STDIN"
            ) as copy:
                for person in people:
                    copy.write_row(person)
            del people
            with cur.copy(
                "COPY consultation_decisionrecord (id, comment_id, status, reason, "
                "explanation, duplicate_of_id, decided_by_id, decided_at) FROM STDIN"
            ) as copy:
                for record in records:
                    copy.write_row((next_record, *record))
                    next_record += 1
            del records
            log(f"contributors and decisions copied at {time.monotonic() - t0:.1f}s")
            # Django's foreign keys are deferred: check them now, before indexing.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            log(f"foreign keys checked at {time.monotonic() - t0:.1f}s")
            for table in ("consultation_comment", "consultation_decisionrecord"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            counters.recount()
            log(f"counts rebuilt at {time.monotonic() - t0:.1f}s")
            cur.execute(
                f"CREATE INDEX {search.INDEX} ON consultation_comment "
                f"USING gin ({search.WORDS_SQL})"
            )
            log(f"search index built at {time.monotonic() - t0:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(
        f"{written:,} comments written in {time.monotonic() - started:.0f}s "
        f"({Comment.objects.count():,} in the database)"
    )
    return written


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
