"""
What taking one comment costs, and that the work moved out of it still happens.

A public submission and a staff entry write the comment, its contributor, their
history rows and the count in one short transaction; the comment is put into its
near-duplicate group by a task once that transaction commits. The query budgets
below are the whole request's, and do not grow with the bill's comments.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from consultation import tasks
from consultation.grouping.models import CommentGroup, CommentSignature
from consultation.models import Comment, CommentCount, CommentTally, Contributor
from npc.core.history import Surface
from tests.factories import CommentFactory

API = "/api/v1/bills/test-regulation/public-comments/"
TEXT = "建议在老旧小区周边增设夜间共享停车泊位，并明确收费标准和管理责任。"


@pytest.fixture(autouse=True)
def _warm(db):
    # Content types are read once per process and kept: not the submission's cost.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(Comment, Contributor)


def _submit(client, **data):
    return client.post(API, {"text": TEXT, **data}, content_type="application/json")


def _writes(queries) -> list[str]:
    """The tables written, in order."""
    return [
        table
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE", "WITH"))
        for table in re.findall(
            r'(?:INSERT INTO|UPDATE|DELETE FROM) "?(\w+)"?', q["sql"]
        )
    ]


def _counts() -> int:
    """
    The statements that append the counts and their tally: one on PostgreSQL
    (the tally's rows come from those the counts' insert returns), two on SQLite.
    """
    return 1 if connection.vendor == "postgresql" else 2


def test_a_public_submission_is_nine_queries_whatever_the_bills_comments(
    client, site, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # The bill, the period with its closing and article (one query), the
    # comment, the contributor, their two history rows, the count; a savepoint
    # here stands for the transaction (the test's own is around it).
    with django_capture_on_commit_callbacks() as queued:
        with django_assert_num_queries(8 + _counts()):
            assert _submit(client, article=3).status_code == 201
        CommentFactory.create_batch(30, consultation=site["online"])
        with django_assert_num_queries(8 + _counts()):
            assert _submit(client).status_code == 201
    # Grouping is not among them: it waits for the commit.
    assert len(queued) >= 2
    assert not CommentSignature.objects.filter(comment__from_public=True).exists()


def test_a_public_submission_reads_nothing_once_its_bill_and_period_are_kept(
    client, site, settings, django_assert_num_queries
):
    # What it reads before writing is kept under the versions that move with
    # every change of it (tests/public/test_submission_sees_changes.py): the
    # first reads the bill and the period, the next read neither.
    settings.NPC_COUNTS_CACHE_SECONDS = 60
    CommentFactory.create_batch(30, consultation=site["online"])
    cache.clear()
    with django_assert_num_queries(8 + _counts()):
        assert _submit(client, article=3).status_code == 201
    with django_assert_num_queries(6 + _counts()):
        assert _submit(client, article=3).status_code == 201
    with django_assert_num_queries(6 + _counts()):
        assert _submit(client, article=3).status_code == 201


def test_a_public_submission_writes_only_its_own_rows(client, site):
    with CaptureQueriesContext(connection) as ctx:
        assert _submit(client, article=3).status_code == 201
    assert _writes(ctx.captured_queries) == [
        "consultation_comment",
        "consultation_historicalcomment",
        "consultation_contributor",
        "consultation_historicalcontributor",
        "consultation_commentcount",
        "consultation_commenttally",
    ]
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    # Neither the draft's text nor the grouping lock is read or taken.
    assert "source_text" not in sql
    assert "advisory" not in sql


def test_the_cheaper_submission_keeps_its_receipt_history_and_count(client, site):
    before = CommentCount.objects.filter(consultation=site["online"]).count()
    response = _submit(
        client, article=3, name="王测试", contact="13800001111", consent=True
    )
    assert response.status_code == 201
    comment = Comment.objects.get(from_public=True)
    assert response.json()["receipt_code"] == comment.receipt
    assert response.json()["article"] == 3
    assert comment.article.number == 3
    assert comment.moderation == "pending"
    assert comment.contributor.name == "王测试"
    created = comment.history.get()
    assert (created.history_type, created.history_surface) == ("+", Surface.API)
    assert created.history_user_id is None
    assert Contributor.history.filter(comment_id=comment.pk).count() == 1
    row = CommentCount.objects.filter(consultation=site["online"]).order_by("pk").last()
    assert (
        CommentCount.objects.filter(consultation=site["online"]).count() == before + 1
    )
    assert (row.article_id, row.status, row.delta) == (comment.article_id, "pending", 1)
    tally = CommentTally.objects.filter(consultation=site["online"]).latest("pk")
    assert (tally.status, tally.delta) == ("pending", 1)


def test_a_submitted_comment_is_grouped_once_its_submission_commits(
    client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client, article=3).status_code == 201
    first = Comment.objects.get(from_public=True)
    group = CommentSignature.objects.get(comment=first).group
    assert group.representative_id == first.pk
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client, text="各位领导好！" + TEXT + "谢谢！").status_code == 201
    copy = Comment.objects.filter(from_public=True).latest("pk")
    assert CommentSignature.objects.get(comment=copy).group_id == group.pk
    group.refresh_from_db()
    assert group.size == 2


def test_a_comment_whose_grouping_was_lost_is_grouped_by_the_sweep(
    client, site, django_capture_on_commit_callbacks
):
    # The task never ran (a broker that lost it, a worker killed): the
    # every-minute sweep still groups the comment.
    with django_capture_on_commit_callbacks(execute=False):
        assert _submit(client).status_code == 201
    comment = Comment.objects.get(from_public=True)
    assert not CommentSignature.objects.filter(comment=comment).exists()
    assert tasks.group_ungrouped_comments() >= 1
    assert CommentSignature.objects.filter(comment=comment).exists()


def test_the_grouping_task_is_idempotent(
    client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(client).status_code == 201
    comment = Comment.objects.get(from_public=True)
    groups = CommentGroup.objects.count()
    assert tasks.group_new_comments([comment.pk]) == 0
    assert CommentGroup.objects.count() == groups
    assert CommentSignature.objects.filter(comment=comment).count() == 1


@pytest.mark.django_db(transaction=True)
def test_after_a_real_commit_the_comment_is_in_its_group(site):
    # No test transaction around it: the submission commits, and the task
    # queued on commit runs (in process, as without a broker).
    response = _submit(APIClient(), article=3)
    assert response.status_code == 201
    comment = Comment.objects.get(from_public=True)
    assert comment.receipt == response.json()["receipt_code"]
    assert CommentSignature.objects.filter(comment=comment).exists()


def test_a_taken_receipt_code_starts_the_submission_over_leaving_nothing_behind(
    client, site, monkeypatch
):
    taken = CommentFactory(consultation=site["online"]).receipt_code
    field = Comment._meta.get_field("receipt_code")
    monkeypatch.setattr(field, "_get_default", lambda: taken)
    counts = CommentCount.objects.count()
    assert _submit(client).status_code == 201
    comment = Comment.objects.get(from_public=True)
    assert comment.receipt_code != taken
    assert Contributor.objects.filter(comment__from_public=True).count() == 1
    assert Comment.history.filter(from_public=True).count() == 1
    assert CommentCount.objects.count() == counts + 1


def test_a_staff_entry_is_eleven_queries(
    site, staff, django_assert_num_queries, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(staff)
    consultation = site["online"]
    with django_capture_on_commit_callbacks() as queued:
        # The consultation (input), its share lock, it again with its closing
        # (one query), the five rows (the counts' with their tally), the
        # answer's row; and the savepoint
        # standing for the transaction. (The user's roles were read before.)
        # SQLite, one writer at a time, takes no share lock.
        lock = 1 if connection.vendor == "postgresql" else 0
        with django_assert_num_queries(9 + lock + _counts()):
            response = api.post(
                "/api/v1/comments/",
                {"consultation": consultation.pk, "text": TEXT},
                format="json",
            )
        assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["id"])
    assert not CommentSignature.objects.filter(comment=comment).exists()
    for callback in queued:
        callback()
    assert CommentSignature.objects.filter(comment=comment).exists()


def test_the_first_task_of_a_burst_groups_the_burst_and_the_rest_find_theirs_done(
    client, site, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # Comments come faster than the worker groups them: their tasks wait.
    with django_capture_on_commit_callbacks(execute=False):
        for n in range(3):
            assert _submit(client, text=f"{TEXT}第{n}条。").status_code == 201
    ids = sorted(Comment.objects.filter(from_public=True).values_list("pk", flat=True))
    assert tasks.group_new_comments([ids[0]]) == 3
    assert CommentSignature.objects.filter(comment_id__in=ids).count() == 3
    with django_assert_num_queries(1):
        assert tasks.group_new_comments([ids[2]]) == 0
