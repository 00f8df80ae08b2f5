"""Two people deciding at once, on PostgreSQL, where rows really lock."""

import threading

import pytest
from django.db import connection

from consultation import services
from consultation.errors import ConcurrentUpdate
from consultation.models import Comment, Decision, DecisionRecord
from npc.core import roles
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    # Groups come from a data migration: restore them after each flush.
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls):
    """Run ``calls`` in threads started at the same instant; return results/errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def two_staff(db):
    return (
        UserFactory(username="staff-a", role=roles.LEGISLATIVE_STAFF),
        UserFactory(username="staff-b", role=roles.LEGISLATIVE_STAFF),
    )


def test_two_staff_deciding_one_comment_at_once_one_wins_one_conflicts(
    consultation_a, staff, two_staff
):
    comment = services.enter_comment(by=staff, consultation=consultation_a, text="意见")
    first, second = two_staff
    results = run_together(
        lambda: services.decide_comment(
            explanation="已在修改稿中吸收。",
            comment=comment,
            status=Decision.ADOPTED,
            by=first,
            expected_revision=1,
        ),
        lambda: services.decide_comment(
            comment=comment,
            status=Decision.NOT_ADOPTED,
            reason="not_mature",
            by=second,
            expected_revision=1,
        ),
    )
    winners = [r for r in results if isinstance(r, Comment)]
    conflicts = [r for r in results if isinstance(r, ConcurrentUpdate)]
    assert (len(winners), len(conflicts)) == (1, 1), results
    comment.refresh_from_db()
    assert comment.status == winners[0].status
    assert comment.revision == 2
    [record] = DecisionRecord.objects.filter(comment=comment)
    assert (record.status, record.decided_by_id) == (
        comment.status,
        comment.decided_by_id,
    )


def test_bulk_decisions_over_the_same_comments_in_any_order_do_not_deadlock(
    consultation_a, staff, two_staff
):
    comments = [
        services.enter_comment(by=staff, consultation=consultation_a, text=f"意见{i}")
        for i in range(40)
    ]
    first, second = two_staff
    results = run_together(
        lambda: services.decide_comments(
            comments=comments, status=Decision.FOR_REFERENCE, by=first
        ),
        lambda: services.decide_comments(
            comments=list(reversed(comments)), status=Decision.OUT_OF_SCOPE, by=second
        ),
    )
    assert all(isinstance(r, list) for r in results), results
    # Both went through, one after the other: nothing lost from the history.
    assert DecisionRecord.objects.count() == 80
    final = set(Comment.objects.values_list("status", flat=True))
    assert len(final) == 1
    assert set(Comment.objects.values_list("revision", flat=True)) == {3}


def test_a_comment_entered_while_its_consultation_changes_point_keeps_them_apart(
    consultation_a, staff, two_staff, point_b
):
    first, second = two_staff
    results = run_together(
        lambda: services.enter_comment(
            by=first, consultation=consultation_a, text="并发录入的意见"
        ),
        lambda: services.update_consultation(
            consultation=consultation_a,
            by=second,
            expected_revision=None,
            point=point_b,
        ),
    )
    consultation_a.refresh_from_db()
    comments = list(Comment.objects.filter(consultation=consultation_a))
    # Either the comment came first and froze the point, or the point moved first
    # and the comment copied the new one: never a comment on a stale point.
    assert len(comments) == 1
    assert comments[0].point_id == consultation_a.point_id, results
