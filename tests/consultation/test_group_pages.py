"""The triage board by group: list, one group, deciding and changing it."""

import pytest
from django.test import TestCase
from django.urls import reverse

from consultation import services
from consultation.grouping.models import CommentSignature
from consultation.models import Comment, DecisionRecord

BASE = (
    "建议明确电梯维护保养单位每半个月至少对电梯进行一次清洁、润滑、调整和检查，"
    "并如实填写维保记录。"
)


@pytest.fixture
def copies(consultation_a, consultation_b, staff):
    # Grouped once each entry commits (the test's transaction never does).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return [
            services.enter_comment(by=staff, consultation=c, text=t)
            for c, t in [
                (consultation_a, BASE),
                (consultation_b, "各位领导好！" + BASE),
                (consultation_a, BASE + "谢谢！"),
            ]
        ]


def group_of(comment):
    return CommentSignature.objects.get(comment=comment).group


def test_staff_see_the_groups_and_open_one(client, staff, bill, copies):
    client.force_login(staff)
    board = client.get(reverse("staff:bill-comments", kwargs={"slug": bill.slug}))
    groups_url = reverse("staff:comment-groups", kwargs={"slug": bill.slug})
    assert groups_url in board.content.decode()
    page = client.get(groups_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert BASE[:20] in html
    assert "3 条意见，归为 1 组" in html
    group = group_of(copies[0])
    detail = client.get(
        reverse("staff:comment-group", kwargs={"slug": bill.slug, "pk": group.pk})
    )
    assert detail.status_code == 200
    assert copies[2].receipt in detail.content.decode()


def test_clerks_may_not_open_the_group_board(client, clerk_a, bill, copies):
    client.force_login(clerk_a)
    url = reverse("staff:comment-groups", kwargs={"slug": bill.slug})
    assert client.get(url).status_code == 403
    group = group_of(copies[0])
    detail = reverse("staff:comment-group", kwargs={"slug": bill.slug, "pk": group.pk})
    response = client.post(
        detail,
        {
            "action": "decide",
            "status": "adopted",
            "elsewhere": "在实施细则中吸收。",
            "revision": group.revision,
        },
    )
    assert response.status_code == 403
    assert not DecisionRecord.objects.exists()


def test_deciding_a_group_from_its_page_and_a_stale_page_conflicting(
    client, staff, bill, copies
):
    client.force_login(staff)
    group = group_of(copies[0])
    url = reverse("staff:comment-group", kwargs={"slug": bill.slug, "pk": group.pk})
    seen = group.revision
    services.decide_comment(comment=copies[1], status="for_reference", by=staff)
    stale = client.post(
        url,
        {
            "action": "decide",
            "status": "adopted",
            "elsewhere": "在实施细则中吸收。",
            "revision": seen,
        },
    )
    assert stale.status_code == 409
    assert "请刷新后重试" in stale.content.decode()
    assert Comment.objects.get(pk=copies[0].pk).status == "pending"
    fresh = group_of(copies[0]).revision
    done = client.post(
        url,
        {
            "action": "decide",
            "status": "adopted",
            "elsewhere": "在实施细则中吸收。",
            "revision": fresh,
        },
    )
    assert done.status_code == 302
    statuses = dict(
        Comment.objects.filter(pk__in=[c.pk for c in copies]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        copies[0].pk: "adopted",
        copies[1].pk: "duplicate",
        copies[2].pk: "duplicate",
    }
    assert DecisionRecord.objects.filter(comment__in=copies).count() == 4


def test_taking_a_comment_out_from_the_page(client, staff, bill, copies):
    client.force_login(staff)
    group = group_of(copies[0])
    url = reverse("staff:comment-group", kwargs={"slug": bill.slug, "pk": group.pk})
    response = client.post(
        url, {"action": "remove", "comment": copies[2].pk, "revision": group.revision}
    )
    assert response.status_code == 302
    assert group_of(copies[2]).size == 1
    assert group_of(copies[0]).size == 2
