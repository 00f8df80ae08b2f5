"""Grouping and group decisions at the same moment, on PostgreSQL where rows lock."""

import pytest
from django.db import transaction

from consultation import services
from consultation import tasks as grouping_tasks
from consultation.grouping import decisions
from consultation.grouping.models import CommentGroup, CommentSignature
from consultation.grouping.services import StaleGroup, lock_bills
from consultation.models import Comment, DecisionRecord
from tests.consultation.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE = (
    "建议明确电梯维护保养单位每半个月至少对电梯进行一次清洁、润滑、调整和检查，"
    "并如实填写维保记录。"
)


def test_two_copies_entered_at_once_make_one_group(consultation_a, staff):
    results = run_together(
        *[
            (
                lambda t=t: services.enter_comment(
                    by=staff, consultation=consultation_a, text=t
                )
            )
            for t in (BASE, "您好，" + BASE, BASE + "谢谢！")
        ]
    )
    assert all(isinstance(r, Comment) for r in results), results
    # Entry never waits for another's grouping: a copy entered while its bill
    # was being grouped is left to the minute's sweep, which groups it with the
    # others.
    grouping_tasks.group_ungrouped_comments()
    assert CommentGroup.objects.count() == 1
    assert CommentGroup.objects.get().size == 3
    assert CommentSignature.objects.count() == 3


def test_a_group_decision_and_a_single_decision_at_once_do_not_deadlock(
    consultation_a, staff
):
    copies = [
        services.enter_comment(by=staff, consultation=consultation_a, text=t)
        for t in (BASE, "您好，" + BASE, BASE + "谢谢！")
    ]
    group = CommentSignature.objects.get(comment=copies[0]).group
    results = run_together(
        lambda: decisions.decide_group(
            group=group,
            status="adopted",
            by=staff,
            elsewhere="在实施细则中吸收。",
            expected_revision=group.revision,
        ),
        lambda: services.decide_comment(
            comment=copies[2], status="for_reference", by=staff
        ),
    )
    single = results[1]
    assert isinstance(single, Comment), results
    if isinstance(results[0], StaleGroup):
        # The single decision came first: the group decision saw it and wrote nothing.
        assert DecisionRecord.objects.count() == 1
    else:
        # The group decision came first; the single one followed it.
        assert isinstance(results[0], list), results
        assert DecisionRecord.objects.count() == 4


def test_a_comment_entered_while_its_bill_is_being_grouped_waits_for_the_sweep(
    consultation_a, staff
):
    """Entry does not wait for the grouping lock; the sweep groups the comment."""
    with transaction.atomic():
        # Another writer grouping the bill, its transaction still open.
        lock_bills([consultation_a.bill_id])
        other = run_together(
            lambda: services.enter_comment(
                by=staff, consultation=consultation_a, text=BASE
            )
        )[0]
        assert isinstance(other, Comment), other
        assert not CommentSignature.objects.filter(comment=other).exists()
    assert grouping_tasks.group_ungrouped_comments() == 1
    assert CommentSignature.objects.filter(comment=other).exists()
