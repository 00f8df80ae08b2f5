"""
Every consultation page and action, as every role: exactly the allowed set.

The roles are anonymous, the clerk of point A, the clerk of point B, legislative
staff and an administrator; the records are point A's and point B's. Each row of
:data:`CASES` gives the status each role gets; an action's effect on the
database must happen exactly when it is allowed. No response to a clerk carries
the name or contact of a contributor at another point, and no response to a
user without a role carries anyone's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation import services
from consultation.models import (
    Channel,
    Comment,
    Consultation,
    Decision,
    DecisionRecord,
    Feedback,
    ImportBatch,
)
from npc.core import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "clerk_a", "clerk_b", "staff", "administrator")
LOGIN = "login"  # anonymous: redirected to the login page, nothing done

A_PERSON = ("欧阳明德", "13911112222")
B_PERSON = ("司马丙丁", "13933334444")


@dataclass
class World:
    bill: Any
    draft: Any
    consultation_a: Consultation
    consultation_b: Consultation
    comment_a: Comment
    decided_a: Comment
    comment_b: Comment
    batch_a: ImportBatch


@pytest.fixture
def world(staff, bill, draft, consultation_a, consultation_b) -> World:
    def enter(consultation, person, text):
        return services.enter_comment(
            by=staff,
            consultation=consultation,
            text=text,
            contributor_name=person[0],
            contributor_contact=person[1],
        )

    comment_a = enter(consultation_a, A_PERSON, "建议明确维保费用的来源。")
    decided_a = enter(consultation_a, A_PERSON, "建议增加巡查频次。")
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=decided_a,
        status=Decision.ADOPTED,
        by=staff,
    )
    comment_b = enter(consultation_b, B_PERSON, "建议设立专项资金。")
    batch_a = ImportBatch.objects.create(
        consultation=consultation_a,
        original_name="意见.csv",
        status=ImportBatch.Status.DONE,
        created_by=staff,
    )
    return World(
        bill=bill,
        draft=draft,
        consultation_a=consultation_a,
        consultation_b=consultation_b,
        comment_a=comment_a,
        decided_a=Comment.objects.get(pk=decided_a.pk),
        comment_b=comment_b,
        batch_a=batch_a,
    )


def _fresh(comment: Comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def _pick(comment: Comment) -> str:
    fresh = _fresh(comment)
    return f"{fresh.pk}:{fresh.revision}"


def _consultation_form(w: World, point_id: int | None, **changes: Any) -> dict:
    data = {
        "version": w.draft.pk,
        "channel": Channel.LIAISON_POINT,
        "point": point_id,
        "title": "意见征询会",
        "held_on": "2024-09-20",
        "participants": "10",
        "is_published": "on",
    }
    data.update(changes)
    return data


def _comment_form(comment: Comment, **changes: Any) -> dict:
    fresh = _fresh(comment)
    data = {
        "text": fresh.text,
        "summary": "",
        "article": "",
        "submitted_on": fresh.submitted_on.isoformat(),
        "contributor_name": fresh.contributor.name,
        "contributor_contact": fresh.contributor.contact,
        "contributor_kind": fresh.contributor.kind,
        "contributor_affiliation": "",
        "revision": fresh.revision,
        "reason": "录入错误",
    }
    data.update(changes)
    return data


@dataclass
class Case:
    """One page or action, the status each role gets, and what an allowed act does."""

    name: str
    url: Callable[[World], str]
    expect: tuple  # statuses for ROLES, in order
    method: str = "get"
    data: Callable[[World], dict] | None = None
    effect: Callable[[World], Any] | None = field(default=None)

    def __str__(self) -> str:
        return self.name


def staff_url(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(f"staff:{name}", args=[arg(w) for arg in args])


def A(w):  # noqa: N802 - reads as "point A's consultation"
    return w.consultation_a.pk


def B(w):  # noqa: N802
    return w.consultation_b.pk


def slug(w):
    return w.bill.slug


OK, MOVED = 200, 302
ALL = (LOGIN, OK, OK, OK, OK)
ONLY_A = (LOGIN, OK, 404, OK, OK)
ONLY_STAFF = (LOGIN, 403, 403, OK, OK)

CASES = [
    # Pages.
    Case("points overview", staff_url("consultation-points"), ALL),
    Case("consultation list", staff_url("consultation-list"), ALL),
    Case("record consultation form", staff_url("consultation-create"), ALL),
    Case("consultation A", staff_url("consultation-detail", A), ONLY_A),
    Case(
        "consultation B",
        staff_url("consultation-detail", B),
        (LOGIN, 404, OK, OK, OK),
    ),
    Case("edit consultation A form", staff_url("consultation-edit", A), ONLY_A),
    Case("fast entry A", staff_url("comment-entry", A), ONLY_A),
    Case("import form A", staff_url("import-create", A), ONLY_A),
    Case(
        "import template", lambda w: reverse("staff:import-template", args=["csv"]), ALL
    ),
    Case("import batch A", staff_url("import-detail", lambda w: w.batch_a.pk), ONLY_A),
    Case(
        "import progress A",
        staff_url("import-progress", lambda w: w.batch_a.pk),
        ONLY_A,
    ),
    Case("comment A", staff_url("comment-detail", lambda w: w.comment_a.pk), ONLY_A),
    Case(
        "edit pending comment A form",
        staff_url("comment-edit", lambda w: w.comment_a.pk),
        ONLY_A,
    ),
    Case(
        "edit decided comment A form",
        staff_url("comment-edit", lambda w: w.decided_a.pk),
        (LOGIN, 403, 404, OK, OK),
    ),
    Case(
        "feedback form for comment A",
        lambda w: reverse("staff:feedback-create") + f"?comment={w.comment_a.pk}",
        ALL,  # clerk B gets the form with nothing selected
    ),
    Case("triage board", staff_url("bill-comments", slug), ONLY_STAFF),
    Case(
        "staff export",
        lambda w: (
            reverse("staff:bill-comments-export", args=[w.bill.slug])
            + "?fmt=csv&personal=1"
        ),
        ONLY_STAFF,
    ),
    Case(
        "public export",
        lambda w: (
            reverse("staff:bill-comments-export", args=[w.bill.slug])
            + "?fmt=xlsx&personal=0"
        ),
        ONLY_STAFF,
    ),
    # Actions.
    Case(
        "record consultation at point A",
        staff_url("consultation-create"),
        (LOGIN, MOVED, OK, MOVED, MOVED),  # clerk B: point A is not offered
        method="post",
        data=lambda w: _consultation_form(w, w.consultation_a.point_id),
        effect=lambda w: Consultation.objects.count(),
    ),
    Case(
        "record consultation at no point",
        staff_url("consultation-create"),
        (LOGIN, OK, OK, MOVED, MOVED),  # clerks: the service refuses
        method="post",
        data=lambda w: _consultation_form(w, "", channel=Channel.SYMPOSIUM),
        effect=lambda w: Consultation.objects.count(),
    ),
    Case(
        "edit consultation A",
        staff_url("consultation-edit", A),
        (LOGIN, MOVED, 404, MOVED, MOVED),
        method="post",
        data=lambda w: _consultation_form(
            w,
            w.consultation_a.point_id,
            title="新名称",
            revision=Consultation.objects.get(pk=w.consultation_a.pk).revision,
        ),
        effect=lambda w: Consultation.objects.get(pk=w.consultation_a.pk).title,
    ),
    Case(
        "enter comment at A",
        staff_url("comment-entry", A),
        (LOGIN, MOVED, 404, MOVED, MOVED),
        method="post",
        data=lambda w: {"text": "新的意见。", "contributor_kind": "resident"},
        effect=lambda w: Comment.objects.count(),
    ),
    Case(
        "import into A",
        staff_url("import-create", A),
        (LOGIN, MOVED, 404, MOVED, MOVED),
        method="post",
        data=lambda w: {
            "file": SimpleUploadedFile("意见.csv", "意见内容\r\n一条意见\r\n".encode())
        },
        effect=lambda w: ImportBatch.objects.count(),
    ),
    Case(
        "edit pending comment A",
        staff_url("comment-edit", lambda w: w.comment_a.pk),
        (LOGIN, MOVED, 404, MOVED, MOVED),
        method="post",
        data=lambda w: _comment_form(w.comment_a, text="改正后的意见。"),
        effect=lambda w: _fresh(w.comment_a).text,
    ),
    Case(
        "edit decided comment A",
        staff_url("comment-edit", lambda w: w.decided_a.pk),
        (LOGIN, 403, 404, MOVED, MOVED),
        method="post",
        data=lambda w: _comment_form(w.decided_a, text="改正后的意见。"),
        effect=lambda w: _fresh(w.decided_a).text,
    ),
    Case(
        "decide comment A on its page",
        staff_url("comment-detail", lambda w: w.comment_a.pk),
        (LOGIN, 403, 403, MOVED, MOVED),
        method="post",
        data=lambda w: {
            "comment": _pick(w.comment_a),
            "status": Decision.ADOPTED,
            "explanation": "已吸收。",
        },
        effect=lambda w: DecisionRecord.objects.count(),
    ),
    Case(
        "decide comments on the board",
        staff_url("bill-comments", slug),
        (LOGIN, 403, 403, MOVED, MOVED),
        method="post",
        data=lambda w: {
            "comment": [_pick(w.comment_a), _pick(w.comment_b)],
            "status": Decision.FOR_REFERENCE,
        },
        effect=lambda w: DecisionRecord.objects.count(),
    ),
    Case(
        "feedback on comment A",
        staff_url("feedback-create"),
        (LOGIN, MOVED, OK, MOVED, MOVED),  # clerk B: comment A is not there
        method="post",
        data=lambda w: {
            "comment": [str(w.comment_a.pk)],
            "channel": "phone",
            "given_on": dt.date(2024, 11, 1).isoformat(),
        },
        effect=lambda w: Feedback.objects.count(),
    ),
    Case(
        "feedback on comment B",
        staff_url("feedback-create"),
        (LOGIN, OK, MOVED, MOVED, MOVED),
        method="post",
        data=lambda w: {
            "comment": [str(w.comment_b.pk)],
            "channel": "phone",
            "given_on": dt.date(2024, 11, 1).isoformat(),
        },
        effect=lambda w: Feedback.objects.count(),
    ),
]

MATRIX = [
    pytest.param(case, role, expected, id=f"{case.name}-{role}")
    for case in CASES
    for role, expected in zip(ROLES, case.expect, strict=True)
]


def _assert_no_personal_data_of_others(role: str, content: str) -> None:
    others = {
        "anonymous": A_PERSON + B_PERSON,
        "clerk_a": B_PERSON,
        "clerk_b": A_PERSON,
    }.get(role, ())
    leaked = [value for value in others if value in content]
    assert not leaked, f"{role} was shown {leaked}"


@pytest.mark.parametrize(("case", "role", "expected"), MATRIX)
def test_every_page_and_action_for_every_role(
    request, client, world, case, role, expected
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = case.effect(world) if case.effect else None
    url = case.url(world)

    if case.method == "post":
        response = client.post(url, case.data(world))
    else:
        response = client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content.decode()[:500]
    if case.effect is not None:
        changed = case.effect(world) != before
        assert changed == (expected == MOVED), "written" if changed else "not written"
    if response.get("Content-Type", "").startswith(("text/", "application/json")):
        _assert_no_personal_data_of_others(role, response.content.decode("utf-8-sig"))


def test_a_user_without_a_role_is_refused_every_page(client, world):
    nobody = UserFactory(username="nobody")
    nobody.save()  # the factory saves the password only with a role
    client.force_login(nobody)
    for case in CASES:
        url = case.url(world)
        before = case.effect(world) if case.effect else None
        if case.method == "post":
            response = client.post(url, case.data(world))
        else:
            response = client.get(url)
        assert response.status_code == 403, case.name
        if case.effect is not None:
            assert case.effect(world) == before, case.name
        _assert_no_personal_data_of_others("anonymous", response.content.decode())


def test_a_clerk_without_a_point_is_refused_every_page(client, world):
    clerk = UserFactory(username="clerk-without-point", role=roles.LIAISON_CLERK)
    client.force_login(clerk)
    for case in CASES:
        response = (
            client.post(case.url(world), case.data(world))
            if case.method == "post"
            else client.get(case.url(world))
        )
        assert response.status_code == 403, case.name


def test_lists_show_a_clerk_only_their_points_records(client, clerk_a, world):
    client.force_login(clerk_a)
    consultations = client.get(reverse("staff:consultation-list"))
    assert [c.pk for c in consultations.context["consultations"]] == [
        world.consultation_a.pk
    ]
    feedback = client.get(
        reverse("staff:feedback-create"),
        {"comment": [world.comment_a.pk, world.comment_b.pk]},
    )
    assert [c.pk for c in feedback.context["comments"]] == [world.comment_a.pk]
    detail = client.get(
        reverse("staff:consultation-detail", args=[world.consultation_a.pk])
    )
    assert {c.pk for c in detail.context["comments"]} == {
        world.comment_a.pk,
        world.decided_a.pk,
    }
    assert A_PERSON[0] in detail.content.decode()
