"""The comment-groups API: listing a bill's groups, deciding and changing a group."""

import pytest
from django.test import TestCase

from consultation import services
from consultation.grouping.models import CommentGroup, CommentSignature
from consultation.models import Comment, DecisionRecord

BASE = (
    "建议明确电梯维护保养单位每半个月至少对电梯进行一次清洁、润滑、调整和检查，"
    "并如实填写维保记录。"
)
OTHER = "建议设立老旧电梯更新改造专项资金，对使用超过十五年的住宅电梯给予财政补贴。"


def enter(consultation, by, text):
    # Grouped once the entry commits (the test's transaction never does).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.enter_comment(by=by, consultation=consultation, text=text)


@pytest.fixture
def copies(consultation_a, consultation_b, staff):
    texts = [BASE, "各位领导好！" + BASE, BASE + "望采纳，谢谢。", OTHER]
    where = [consultation_a, consultation_b, consultation_a, consultation_b]
    return [enter(c, staff, t) for c, t in zip(where, texts, strict=True)]


def url(bill, *rest) -> str:
    tail = "".join(f"{part}/" for part in rest)
    return f"/api/v1/bills/{bill.slug}/comment-groups/{tail}"


def group_of(comment) -> CommentGroup:
    return CommentSignature.objects.get(comment=comment).group


def test_staff_list_a_bills_groups_largest_first_with_figures(
    staff_api, bill, copies, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = staff_api.get(url(bill))
    assert response.status_code == 200, response.content
    data = response.json()
    sizes = [g["size"] for g in data["results"]]
    assert sizes == [3, 1]
    first = data["results"][0]
    assert first["representative"] == copies[0].pk
    assert first["text"] == BASE
    assert first["facets"]["pending"] == 3
    assert len(first["facets"]["points"]) == 2
    assert data["figures"]["comments"] == 4
    assert data["figures"]["groups"] == 2
    assert data["figures"]["repeated"] == 1
    assert "contributor" not in str(data)
    only_repeated = staff_api.get(url(bill), {"min_size": 2}).json()
    assert [g["size"] for g in only_repeated["results"]] == [3]


@pytest.mark.parametrize("role", ["anonymous", "clerk_a"])
def test_groups_are_for_those_who_decide_only(clients, bill, copies, role):
    group = group_of(copies[0])
    assert clients[role].get(url(bill)).status_code in (401, 403)
    response = clients[role].post(
        url(bill, group.pk, "decision"),
        {"status": "adopted", "revision": group.revision},
        format="json",
    )
    assert response.status_code in (401, 403)
    assert not DecisionRecord.objects.exists()


def test_deciding_a_group_writes_a_decision_record_for_every_comment(
    staff_api, bill, copies, staff
):
    group = group_of(copies[0])
    detail = staff_api.get(url(bill, group.pk)).json()
    assert [m["id"] for m in detail["members"]] == [c.pk for c in copies[:3]]
    response = staff_api.post(
        url(bill, group.pk, "decision"),
        {
            "status": "partially_adopted",
            "reason": "balanced",
            "explanation": "已综合平衡。",
            "revision": detail["revision"],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 3
    records = {
        r.comment_id: (r.status, r.duplicate_of_id, r.decided_by_id)
        for r in DecisionRecord.objects.all()
    }
    assert records == {
        copies[0].pk: ("partially_adopted", None, staff.pk),
        copies[1].pk: ("duplicate", copies[0].pk, staff.pk),
        copies[2].pk: ("duplicate", copies[0].pk, staff.pk),
    }


def test_a_stale_group_is_refused_with_409_and_nothing_written(
    staff_api, bill, copies, consultation_b, staff
):
    group = group_of(copies[0])
    seen = group.revision
    enter(consultation_b, staff, "您好，" + BASE)
    response = staff_api.post(
        url(bill, group.pk, "decision"),
        {"status": "adopted", "revision": seen},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_group"
    assert not DecisionRecord.objects.exists()
    # Decided meanwhile, one at a time: also stale.
    fresh = group_of(copies[0]).revision
    services.decide_comment(comment=copies[1], status="for_reference", by=staff)
    response = staff_api.post(
        url(bill, group.pk, "decision"),
        {"status": "adopted", "revision": fresh},
        format="json",
    )
    assert response.status_code == 409
    assert Comment.objects.get(pk=copies[0].pk).status == "pending"


def test_a_group_decided_duplicate_or_without_a_needed_reason_is_400(
    staff_api, bill, copies
):
    group = group_of(copies[0])
    for body in (
        {"status": "duplicate", "revision": group.revision},
        {"status": "not_adopted", "revision": group.revision},
    ):
        response = staff_api.post(url(bill, group.pk, "decision"), body, format="json")
        assert response.status_code == 400, response.content
    assert not DecisionRecord.objects.exists()


def test_remove_move_and_merge_through_the_api(staff_api, bill, copies):
    group, lone = group_of(copies[0]), group_of(copies[3])
    removed = staff_api.post(
        url(bill, group.pk, "remove"),
        {"comment": copies[2].pk, "revision": group.revision},
        format="json",
    )
    assert removed.status_code == 200, removed.content
    alone = removed.json()
    assert (alone["representative"], alone["size"]) == (copies[2].pk, 1)
    group.refresh_from_db()
    moved = staff_api.post(
        url(bill, group.pk, "move"),
        {"comment": copies[1].pk, "to": lone.pk, "revision": group.revision},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["size"] == 2
    lone.refresh_from_db()
    merged = staff_api.post(
        url(bill, lone.pk, "merge"),
        {"to": alone["id"], "revision": lone.revision},
        format="json",
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["size"] == 3
    stale = staff_api.post(
        url(bill, group.pk, "remove"),
        {"comment": copies[0].pk, "revision": 1},
        format="json",
    )
    assert stale.status_code in (400, 409)
