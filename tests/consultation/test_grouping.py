"""Near-duplicate groups: kept as comments are stored, changed and decided by staff."""

import pytest
from django.core.management import call_command
from django.test import TestCase

from consultation import services
from consultation.errors import InvalidDecision, NotPermitted
from consultation.grouping import decisions, quality, signatures
from consultation.grouping.models import CommentGroup, CommentSignature
from consultation.grouping.services import (
    InvalidGrouping,
    StaleGroup,
    group_ungrouped,
    regroup_bill,
)
from consultation.models import Comment, Decision, DecisionRecord
from tests.factories import BillFactory, CommentFactory, ConsultationFactory

BASE = (
    "建议明确电梯维护保养单位每半个月至少对电梯进行一次清洁、润滑、调整和检查，"
    "并如实填写维保记录。"
)
COPIES = [
    BASE,
    "各位领导好！" + BASE + "谢谢！",
    BASE.replace("，", " ").replace("建议", "希望"),
]
OTHER = (
    "电梯维保费用应当由全体业主按照专有部分面积比例分摊，单独列支，"
    "不宜全部包含在物业费里，否则物业企业没有积极性。"
)


def enter(consultation, by, text):
    # Grouped once the entry commits (the test's transaction never does).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.enter_comment(by=by, consultation=consultation, text=text)


def group_of(comment) -> CommentGroup:
    return CommentSignature.objects.get(comment=comment).group


@pytest.fixture
def campaign(consultation_a, consultation_b, staff):
    """Three copies of one text over two points, and one other comment."""
    copies = [
        enter(consultation_a, staff, COPIES[0]),
        enter(consultation_b, staff, COPIES[1]),
        enter(consultation_a, staff, COPIES[2]),
    ]
    other = enter(consultation_b, staff, OTHER)
    return copies, other


def test_copies_entered_at_different_points_join_the_first_ones_group(campaign):
    copies, other = campaign
    group = group_of(copies[0])
    assert group.representative_id == copies[0].pk
    assert {group_of(c).pk for c in copies} == {group.pk}
    assert group.size == 3
    assert group_of(other).pk != group.pk
    assert group_of(other).size == 1


def test_a_comment_on_another_bill_never_joins(campaign, draft):
    bill = BillFactory()
    elsewhere = ConsultationFactory(bill=bill, version=draft)
    copy = CommentFactory(consultation=elsewhere, text=COPIES[0])
    assert group_ungrouped() == 1
    assert group_of(copy).bill_id == bill.pk
    assert group_of(copy).size == 1


def test_comments_written_in_bulk_are_grouped_afterwards_set_based(
    consultation_a, staff, django_assert_max_num_queries
):
    rows = [
        CommentFactory(consultation=consultation_a, text=t) for t in [*COPIES, OTHER]
    ]
    CommentSignature.objects.all().delete()
    CommentGroup.objects.all().delete()
    # A fixed number of queries, whatever the number of comments.
    with django_assert_max_num_queries(14):
        assert group_ungrouped() == 4
    assert CommentGroup.objects.count() == 2
    assert group_of(rows[0]).size == 3


def test_regrouping_from_scratch_gives_the_groups_entry_gave(campaign):
    copies, other = campaign
    before = {c.pk: group_of(c).representative_id for c in [*copies, other]}
    bill_id = copies[0].bill_id
    assert regroup_bill(bill_id=bill_id) == 2
    after = {c.pk: group_of(c).representative_id for c in [*copies, other]}
    assert after == before
    assert sorted(CommentGroup.objects.values_list("size", flat=True)) == [1, 3]


def test_a_corrected_text_leaves_its_group_when_it_no_longer_resembles_it(
    campaign, staff
):
    copies, other = campaign
    services.edit_comment(
        comment=copies[2],
        by=staff,
        expected_revision=None,
        text=OTHER + "同意。",
        reason="录入时抄错了意见。",
    )
    assert group_of(copies[2]).pk == group_of(other).pk
    assert group_of(copies[0]).size == 2
    assert group_of(other).size == 2


def test_deciding_a_group_decides_the_representative_and_marks_the_rest(
    campaign, staff
):
    copies, _other = campaign
    group = group_of(copies[0])
    decided = decisions.decide_group(
        group=group,
        status=Decision.NOT_ADOPTED,
        reason="implementation",
        explanation="属于实施层面",
        by=staff,
        expected_revision=group.revision,
    )
    assert [c.pk for c in decided] == [c.pk for c in copies]
    rep, *rest = (Comment.objects.get(pk=c.pk) for c in copies)
    assert (rep.status, rep.reason) == (Decision.NOT_ADOPTED, "implementation")
    for c in rest:
        assert (c.status, c.duplicate_of_id) == (Decision.DUPLICATE, rep.pk)
    # The decision trail of every comment decided through the group.
    records = DecisionRecord.objects.filter(comment__in=copies).order_by("comment_id")
    assert [(r.comment_id, r.status, r.decided_by_id) for r in records] == [
        (rep.pk, Decision.NOT_ADOPTED, staff.pk),
        *[(c.pk, Decision.DUPLICATE, staff.pk) for c in rest],
    ]


def test_a_group_with_a_hand_marked_duplicate_inside_is_decided_whole(campaign, staff):
    copies, _other = campaign
    services.decide_comment(
        comment=copies[1],
        status=Decision.DUPLICATE,
        duplicate_of=copies[2],
        by=staff,
    )
    group = group_of(copies[0])
    decisions.decide_group(
        group=group,
        status=Decision.ADOPTED,
        by=staff,
        elsewhere="在实施细则中吸收。",
        expected_revision=group.revision,
    )
    statuses = dict(
        Comment.objects.filter(pk__in=[c.pk for c in copies]).values_list(
            "pk", "duplicate_of"
        )
    )
    assert statuses == {
        copies[0].pk: None,
        copies[1].pk: copies[0].pk,
        copies[2].pk: copies[0].pk,
    }


def test_a_group_cannot_be_decided_a_duplicate(campaign, staff):
    group = group_of(campaign[0][0])
    with pytest.raises(InvalidDecision):
        decisions.decide_group(
            group=group, status=Decision.DUPLICATE, by=staff, expected_revision=None
        )


def test_a_comment_added_meanwhile_makes_the_group_stale(
    campaign, consultation_b, staff
):
    copies, _other = campaign
    group = group_of(copies[0])
    seen = group.revision
    enter(consultation_b, staff, "您好，" + BASE)
    with pytest.raises(StaleGroup):
        decisions.decide_group(
            group=group, status=Decision.ADOPTED, by=staff, expected_revision=seen
        )
    assert not DecisionRecord.objects.exists()
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_a_comment_decided_meanwhile_makes_the_group_stale(campaign, staff):
    copies, _other = campaign
    group = group_of(copies[0])
    seen = group.revision
    services.decide_comment(comment=copies[2], status=Decision.FOR_REFERENCE, by=staff)
    with pytest.raises(StaleGroup):
        decisions.decide_group(
            group=group, status=Decision.ADOPTED, by=staff, expected_revision=seen
        )
    assert DecisionRecord.objects.count() == 1


@pytest.mark.parametrize("who", ["clerk_a", "anonymous"])
def test_only_those_who_decide_may_decide_or_change_a_group(campaign, who, request):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    copies, other = campaign
    group = group_of(copies[0])
    with pytest.raises(NotPermitted):
        decisions.decide_group(
            group=group, status=Decision.ADOPTED, by=user, expected_revision=None
        )
    with pytest.raises(NotPermitted):
        decisions.remove_from_group(
            group=group, comment=copies[1], by=user, expected_revision=None
        )
    with pytest.raises(NotPermitted):
        decisions.merge_groups(
            group=group_of(other), into=group, by=user, expected_revisions={}
        )
    assert group_of(copies[1]).pk == group.pk


def test_removing_the_representative_hands_the_group_to_the_next(campaign, staff):
    copies, _other = campaign
    group = group_of(copies[0])
    alone = decisions.remove_from_group(
        group=group, comment=copies[0], by=staff, expected_revision=group.revision
    )
    group.refresh_from_db()
    assert (group.representative_id, group.size) == (copies[1].pk, 2)
    assert (alone.representative_id, alone.size) == (copies[0].pk, 1)
    # New comments find the group through its new representative's keys.
    sig = bytes(CommentSignature.objects.get(comment=copies[1]).signature)
    assert set(group.keys.values_list("key", flat=True)) == set(
        signatures.band_keys(sig, group.bill_id)
    )


def test_moving_and_merging_keep_sizes_and_refuse_another_bill(campaign, staff):
    copies, other = campaign
    group, lone = group_of(copies[0]), group_of(other)
    decisions.move_to_group(
        group=group,
        comment=copies[2],
        to=lone,
        by=staff,
        expected_revisions={group.pk: group.revision},
    )
    group.refresh_from_db()
    lone.refresh_from_db()
    assert (group.size, lone.size) == (2, 2)
    merged = decisions.merge_groups(
        group=lone, into=group, by=staff, expected_revisions={lone.pk: lone.revision}
    )
    assert merged.size == 4
    assert not CommentGroup.objects.filter(pk=lone.pk).exists()
    with pytest.raises(InvalidGrouping):
        decisions.remove_from_group(
            group=merged, comment=9_999_999, by=staff, expected_revision=None
        )


def test_the_labelled_set_meets_the_quality_thresholds(capsys):
    scores = quality.evaluate(quality.load())
    assert scores["near_duplicate"].precision >= 0.95
    assert scores["near_duplicate"].recall >= 0.9
    assert scores["same_point"].precision >= 0.8
    call_command("grouping_quality")
    out = capsys.readouterr().out
    assert "near_duplicate: precision" in out
    assert "same_point: precision" in out


def test_the_command_groups_bulk_written_comments_and_rebuilds(consultation_a, capsys):
    for text in [*COPIES, OTHER]:
        CommentFactory(consultation=consultation_a, text=text)
    CommentSignature.objects.all().delete()
    CommentGroup.objects.all().delete()
    call_command("group_comments")
    assert "4 comments grouped" in capsys.readouterr().out
    assert sorted(CommentGroup.objects.values_list("size", flat=True)) == [1, 3]
    call_command("group_comments", "--from-scratch", "--bill", consultation_a.bill.slug)
    assert "2 groups" in capsys.readouterr().out
    assert sorted(CommentGroup.objects.values_list("size", flat=True)) == [1, 3]
