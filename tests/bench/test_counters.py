"""The kept comment counts stay exact through every write that changes them."""

import io
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Sum

from consultation import counters, imports, selectors, services
from consultation.models import (
    Comment,
    CommentCount,
    CommentTally,
    Contributor,
    Decision,
    Reason,
)

pytestmark = pytest.mark.django_db


def kept() -> dict:
    """The kept counts; their tally by consultation and status agrees with them."""
    rows = (
        CommentCount.objects.values(
            "consultation_id", "article_id", "kind", "status", "year"
        )
        .annotate(n=Sum("delta"))
        .order_by()
    )
    counts = {tuple(r.values())[:-1]: r["n"] for r in rows if r["n"]}
    folded = Counter()
    for (consultation, _article, _kind, status, _year), n in counts.items():
        folded[consultation, status] += n
    tallied = (
        CommentTally.objects.values("consultation_id", "status")
        .annotate(n=Sum("delta"))
        .order_by()
    )
    assert {(r["consultation_id"], r["status"]): r["n"] for r in tallied if r["n"]} == {
        key: n for key, n in folded.items() if n
    }
    return counts


def truth() -> dict:
    rows = (
        Comment.objects.values(
            "consultation_id",
            "article_id",
            "contributor__kind",
            "status",
            "submitted_on__year",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {tuple(r.values())[:-1]: r["n"] for r in rows}


def enter(consultation, by, text="建议明确电梯维护保养的责任主体。", **kw):
    return services.enter_comment(by=by, consultation=consultation, text=text, **kw)


def test_entered_comments_are_counted(consultation_a, staff):
    enter(consultation_a, staff)
    enter(consultation_a, staff, contributor_kind="deputy")
    assert kept() == truth()
    assert selectors.comment_stats(public=False)["total"] == 2


def test_decisions_single_bulk_duplicate_and_reopen_keep_counts_exact(
    consultation_a, staff
):
    a, b, c, d = (enter(consultation_a, staff, text=f"意见{i}号。") for i in range(4))
    services.decide_comment(
        explanation="已在修改稿中吸收。", comment=a, status=Decision.ADOPTED, by=staff
    )
    services.decide_comments(
        comments=[b, c],
        status=Decision.NOT_ADOPTED,
        reason=Reason.HIGHER_LAW_PROVIDES,
        by=staff,
    )
    services.decide_comment(
        comment=d, status=Decision.DUPLICATE, duplicate_of=a, by=staff
    )
    services.decide_comment(comment=b, status=Decision.PENDING, by=staff)
    assert kept() == truth()
    stats = selectors.comment_stats(public=False)
    assert (stats["total"], stats["decided"], stats["adopted"]) == (4, 3, 1)


def test_an_edit_moving_article_date_or_kind_moves_the_count(
    consultation_a, staff, draft
):
    article = draft.articles.order_by("position").first()
    comment = enter(consultation_a, staff)
    services.edit_comment(
        comment=comment,
        by=staff,
        expected_revision=None,
        article=article,
        contributor_kind="expert",
    )
    assert kept() == truth()
    assert Contributor.objects.get(comment=comment).kind == "expert"


def test_an_import_counts_its_rows_once_even_when_run_twice(consultation_a, staff):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(imports.HEADERS)
    for i in range(30):
        writer.writerow(
            [f"第{i}条意见：建议增加法律责任条款。", "", "", "", "", "", "", ""]
        )
    upload = SimpleUploadedFile("a.csv", out.getvalue().encode())
    batch = services.start_import(
        by=staff, consultation=consultation_a, uploaded_file=upload
    )
    services.run_import(batch_id=batch.pk)
    services.run_import(batch_id=batch.pk)
    assert Comment.objects.count() == 30
    assert kept() == truth()


def test_compact_and_recount_leave_the_same_totals(consultation_a, staff):
    comments = [enter(consultation_a, staff, text=f"意见{i}。") for i in range(5)]
    services.decide_comments(
        explanation="已在修改稿中吸收。",
        comments=comments[:3],
        status=Decision.ADOPTED,
        by=staff,
    )
    before = kept()
    counters.compact()
    assert kept() == before == truth()
    assert CommentCount.objects.filter(delta=0).count() == 0
    # The tally folded too: a row per consultation and status.
    assert CommentTally.objects.count() == len({(k[0], k[3]) for k in before})
    CommentCount.objects.all().delete()
    counters.recount()
    assert kept() == before
