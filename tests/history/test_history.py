"""
Every change to a domain record is kept: who, when, through which surface, the
old and the new value; staff read it on the record's page, the public never.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse

from consultation import selectors as consultation_selectors
from consultation import services as consultation_services
from consultation.models import Comment, Contributor, LiaisonPoint
from legislation import selectors as legislation_selectors
from legislation import services as legislation_services
from legislation.models import Document
from npc.core import roles
from tests.api.conftest import client_for
from tests.consultation.test_imports import GOOD_ROWS, csv_bytes

pytestmark = pytest.mark.django_db


# --- driving the forms as a browser would ---------------------------------------


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, Model):
        return value.pk
    return value


def _form_values(form: Any) -> dict[str, Any]:
    data = {}
    for name in form.fields:
        value = _value(form[name].value())
        if value != "":
            data[form.add_prefix(name)] = value
    return data


def page_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What a staff page's form sends back unchanged, with ``changes``."""
    return {**_form_values(response.context["form"]), **changes}


def admin_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What an admin change form sends back unchanged, inlines included."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return {**data, **changes}


def admin_url(obj: Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def admin_edit(client: Any, obj: Model, **changes: Any) -> None:
    url = admin_url(obj)
    response = client.post(url, admin_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def page_edit(client: Any, url: str, **changes: Any) -> None:
    response = client.post(url, page_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["form"].errors


# --- the changes, one per record and surface ------------------------------------


@pytest.fixture
def world(bill, draft, consultation_a, staff, administrator, clerk_a, meetings):
    comment = consultation_services.enter_comment(
        by=clerk_a,
        consultation=consultation_a,
        text="建议明确测试单位的检查频次。",
        contributor_name="王测试",
        contributor_contact="13912345678",
    )
    document = legislation_services.add_document(
        bill=bill, kind="other", title="说明", on=dt.date(2024, 2, 1), by=staff,
        text="正文",
    )  # fmt: skip
    return {
        "bill": bill,
        "version": draft,
        "meeting": meetings[0],
        "consultation": consultation_a,
        "comment": comment,
        "document": document,
        "point": consultation_a.point,
        "staff": staff,
        "administrator": administrator,
        "clerk": clerk_a,
    }


@dataclass
class Case:
    record: str
    surface: str
    who: str  # the world's user that acts
    change: Callable[[Any, dict], None]  # (client, world)
    target: Callable[[dict], Model]  # the record whose history grows
    field: str
    new: Any


def _bill_page(client, w):
    page_edit(client, reverse("staff:bill-edit", args=[w["bill"].slug]),
              summary="新的简介")  # fmt: skip


def _bill_api(client, w):
    response = client.patch(
        f"/api/v1/bills/{w['bill'].slug}/", {"summary": "新的简介"}, format="json"
    )
    assert response.status_code == 200, response.content


def _bill_admin(client, w):
    w["bill"].refresh_from_db()
    admin_edit(client, w["bill"], summary="新的简介",
               expected_version=w["bill"].version)  # fmt: skip


def _version_page(client, w):
    w["bill"].refresh_from_db()
    url = reverse("staff:version-publish", args=[w["bill"].slug, 1])
    response = client.post(url, {"version": w["bill"].version, "publish": ""})
    assert response.status_code == 302


def _version_api(client, w):
    response = client.patch(
        f"/api/v1/bills/{w['bill'].slug}/versions/1/",
        {"is_published": False},
        format="json",
    )
    assert response.status_code == 200, response.content


def _version_admin(client, w):
    changelist = reverse("admin:legislation_draftversion_changelist")
    response = client.post(
        changelist, {"action": "unpublish", "_selected_action": [w["version"].pk]}
    )
    assert response.status_code == 302


def _document_admin(client, w):
    admin_edit(client, w["document"], title="新的标题")


def _document_page(client, w):
    w["bill"].refresh_from_db()
    url = reverse("staff:bill-document", args=[w["bill"].slug])
    response = client.post(url, {
        "version": w["bill"].version, "kind": "other", "title": "新的标题",
        "on": "2024-02-02", "text": "正文", "is_published": "on",
    })  # fmt: skip
    assert response.status_code == 302


def _meeting_page(client, w):
    page_edit(client, reverse("staff:meeting-edit", args=[w["meeting"].pk]),
              place="市人大常委会会议室")  # fmt: skip


def _meeting_api(client, w):
    response = client.patch(
        f"/api/v1/meetings/{w['meeting'].pk}/", {"place": "市人大常委会会议室"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content


def _meeting_admin(client, w):
    admin_edit(client, w["meeting"], place="市人大常委会会议室")


def _consultation_page(client, w):
    page_edit(client, reverse("staff:consultation-edit", args=[w["consultation"].pk]),
              place="社区活动室")  # fmt: skip


def _consultation_api(client, w):
    response = client.patch(
        f"/api/v1/consultations/{w['consultation'].pk}/", {"place": "社区活动室"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content


def _consultation_admin(client, w):
    admin_edit(client, w["consultation"], place="社区活动室")


def _point_api(client, w):
    response = client.patch(
        f"/api/v1/liaison-points/{w['point'].pk}/", {"address": "英雄南路1号"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content


def _point_admin(client, w):
    admin_edit(client, w["point"], address="英雄南路1号")


def _comment_page(client, w):
    page_edit(client, reverse("staff:comment-edit", args=[w["comment"].pk]),
              summary="检查频次")  # fmt: skip


def _comment_api(client, w):
    response = client.patch(
        f"/api/v1/comments/{w['comment'].pk}/", {"summary": "检查频次"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content


def _comment_admin(client, w):
    admin_edit(client, w["comment"], summary="检查频次")


def _contributor_page(client, w):
    page_edit(client, reverse("staff:comment-edit", args=[w["comment"].pk]),
              contributor_contact="13800000000")  # fmt: skip


def _contributor_api(client, w):
    response = client.patch(
        f"/api/v1/comments/{w['comment'].pk}/",
        {"contributor": {"contact": "13800000000"}},
        format="json",
    )
    assert response.status_code == 200, response.content


def _decision_page(client, w):
    comment = Comment.objects.get(pk=w["comment"].pk)
    response = client.post(
        reverse("staff:comment-detail", args=[comment.pk]),
        {"comment": f"{comment.pk}:{comment.revision}", "status": "adopted",
         "explanation": "采纳。"},
    )  # fmt: skip
    assert response.status_code == 302


def _decision_api(client, w):
    response = client.post(
        f"/api/v1/comments/{w['comment'].pk}/decision/",
        {"status": "adopted", "explanation": "采纳。"},
        format="json",
    )
    assert response.status_code == 200, response.content


def _decision_admin(client, w):
    response = client.post(
        reverse("admin:consultation_comment_changelist"),
        {"action": "decide", "_selected_action": [w["comment"].pk],
         "status": "adopted", "explanation": "采纳。"},
    )  # fmt: skip
    assert response.status_code == 302


def _role_admin(client, w):
    clerk = w["clerk"]
    staff_group = Group.objects.get(name=roles.LEGISLATIVE_STAFF)
    joined = clerk.date_joined
    admin_edit(
        client,
        clerk,
        groups=[staff_group.pk],
        date_joined_0=joined.date().isoformat(),
        date_joined_1=joined.time().isoformat(timespec="seconds"),
    )


def _comment(w):
    return Comment.objects.get(pk=w["comment"].pk)


def _document(w):
    return Document.objects.filter(bill=w["bill"]).order_by("-pk").first()


CASES = [
    Case("bill", "page", "staff", _bill_page, lambda w: w["bill"], "summary", "新的简介"),
    Case("bill", "api", "staff", _bill_api, lambda w: w["bill"], "summary", "新的简介"),
    Case("bill", "admin", "administrator", _bill_admin, lambda w: w["bill"], "summary", "新的简介"),
    Case("version", "page", "staff", _version_page, lambda w: w["version"], "is_published", False),
    Case("version", "api", "staff", _version_api, lambda w: w["version"], "is_published", False),
    Case("version", "admin", "administrator", _version_admin, lambda w: w["version"], "is_published", False),
    Case("document", "page", "staff", _document_page, _document, "title", "新的标题"),
    Case("document", "admin", "administrator", _document_admin, _document, "title", "新的标题"),
    Case("meeting", "page", "staff", _meeting_page, lambda w: w["meeting"], "place", "市人大常委会会议室"),
    Case("meeting", "api", "staff", _meeting_api, lambda w: w["meeting"], "place", "市人大常委会会议室"),
    Case("meeting", "admin", "administrator", _meeting_admin, lambda w: w["meeting"], "place", "市人大常委会会议室"),
    Case("consultation", "page", "staff", _consultation_page, lambda w: w["consultation"], "place", "社区活动室"),
    Case("consultation", "api", "staff", _consultation_api, lambda w: w["consultation"], "place", "社区活动室"),
    Case("consultation", "admin", "administrator", _consultation_admin, lambda w: w["consultation"], "place", "社区活动室"),
    Case("point", "api", "administrator", _point_api, lambda w: w["point"], "address", "英雄南路1号"),
    Case("point", "admin", "administrator", _point_admin, lambda w: w["point"], "address", "英雄南路1号"),
    Case("comment", "page", "clerk", _comment_page, _comment, "summary", "检查频次"),
    Case("comment", "api", "clerk", _comment_api, _comment, "summary", "检查频次"),
    Case("comment", "admin", "administrator", _comment_admin, _comment, "summary", "检查频次"),
    Case("contributor", "page", "clerk", _contributor_page, lambda w: Contributor.objects.get(comment=w["comment"]), "contact", "13800000000"),
    Case("contributor", "api", "staff", _contributor_api, lambda w: Contributor.objects.get(comment=w["comment"]), "contact", "13800000000"),
    Case("decision", "page", "staff", _decision_page, _comment, "status", "adopted"),
    Case("decision", "api", "staff", _decision_api, _comment, "status", "adopted"),
    Case("decision", "admin", "administrator", _decision_admin, _comment, "status", "adopted"),
    Case("user roles", "admin", "administrator", _role_admin, lambda w: w["clerk"], "groups", None),
]  # fmt: skip


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.record} via {c.surface}" for c in CASES]
)
def test_a_change_through_each_surface_is_kept_with_who_and_the_old_value(
    client, world, case
):
    actor = world[case.who]
    target = case.target(world)
    before = (target.pk, target.history.count())
    if case.surface == "api":
        acting = client_for(actor)
    else:
        client.force_login(actor)
        acting = client

    case.change(acting, world)

    target = case.target(world)
    rows = list(target.history.order_by("history_date", "history_id"))
    # More rows than before; or, for a record created, its creation.
    assert len(rows) > (before[1] if target.pk == before[0] else 0)
    latest = rows[-1]
    assert latest.history_surface == case.surface
    assert latest.history_user_id == actor.pk
    if case.field == "groups":
        groups = {g.group.name for g in latest.groups.all()}
        assert groups == {roles.LEGISLATIVE_STAFF}
        return
    assert getattr(latest, case.field) == case.new
    if latest.history_type == "~":
        assert getattr(rows[-2], case.field) != case.new


def test_a_change_made_by_a_command_is_kept_as_such(world, staff):
    meeting = world["meeting"]
    meeting.place = "会议中心"
    meeting.save()

    latest = meeting.history.latest()
    assert latest.history_surface == "command"
    assert latest.history_user is None


# --- what staff read ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "url"),
    [
        (_bill_api, lambda w: reverse("staff:bill-detail", args=[w["bill"].slug])),
        (_version_admin, lambda w: reverse("staff:version-detail", args=[w["bill"].slug, 1])),
        (_meeting_api, lambda w: reverse("staff:meeting-edit", args=[w["meeting"].pk])),
        (_consultation_api, lambda w: reverse("staff:consultation-detail", args=[w["consultation"].pk])),
        (_comment_api, lambda w: reverse("staff:comment-detail", args=[w["comment"].pk])),
        (_point_api, lambda w: reverse("staff:point-changes", args=[w["point"].pk])),
    ],
    ids=["bill", "version", "meeting", "consultation", "comment", "point"],
)  # fmt: skip
def test_the_record_page_lists_its_changes_old_and_new(
    client, world, staff, change, url
):
    if change is _version_admin:
        actor = world["administrator"]
        client.force_login(actor)
        change(client, world)
        surface = "途径：管理后台"
    elif change is _point_api:
        actor = world["administrator"]
        change(client_for(actor), world)
        surface = "途径：API"
    else:
        actor = staff
        change(client_for(staff), world)
        surface = "途径：API"
    client.force_login(staff)

    page = client.get(url(world)).content.decode()

    assert "修改记录" in page
    assert surface in page
    assert f"{actor.username} · {surface}" in page


def test_the_bill_page_shows_the_old_and_the_new_summary(client, world, staff):
    bill = world["bill"]
    client.force_login(staff)
    _bill_page(client, world)

    page = client.get(reverse("staff:bill-detail", args=[bill.slug])).content.decode()

    assert "途径：工作页面" in page
    assert "<strong>简介</strong>：<del>—</del> → <ins>新的简介</ins>" in page


def test_a_stage_change_is_in_the_bill_history_with_its_labels(world, staff):
    bill = world["bill"]
    legislation_services.start_drafting(bill=bill, by=staff, on=dt.date(2024, 1, 25))

    entries = legislation_selectors.bill_changes(bill)

    changes = [(c.label, c.old, c.new) for c in entries[0].changes]
    assert ("阶段", "立项", "起草") in changes
    assert entries[0].surface == "命令或后台任务"


# --- personal data in the history ----------------------------------------------


def test_a_contributors_old_contact_is_shown_to_those_who_may_see_it(
    client, world, staff
):
    _contributor_api(client_for(staff), world)
    client.force_login(staff)

    page = client.get(
        reverse("staff:comment-detail", args=[world["comment"].pk])
    ).content.decode()

    assert "<del>13912345678</del> → <ins>13800000000</ins>" in page


def test_a_contributors_data_in_history_is_hidden_from_those_who_may_not(
    world, staff, clerk_b
):
    _contributor_api(client_for(staff), world)
    comment = world["comment"]

    entries = consultation_selectors.comment_changes(comment, clerk_b)

    shown = [(c.label, c.old, c.new) for e in entries for c in e.changes]
    assert ("联系方式", "——", "——") in shown
    text = repr(entries)
    assert "13912345678" not in text and "13800000000" not in text
    assert "王测试" not in text


def test_a_clerk_who_left_the_point_no_longer_reads_the_history(
    client, world, staff, clerk_a
):
    _contributor_api(client_for(staff), world)
    world["point"].clerks.remove(clerk_a)
    client.force_login(clerk_a)

    response = client.get(reverse("staff:comment-detail", args=[world["comment"].pk]))

    assert response.status_code in (403, 404)


# --- the public ------------------------------------------------------------------


def test_the_public_never_sees_history_or_who_made_a_comment(client, world, staff):
    _contributor_api(client_for(staff), world)
    _bill_api(client_for(staff), world)
    bill = world["bill"]

    pages = [
        client.get(bill.get_absolute_url()),
        client.get(reverse("public:bill-comments", args=[bill.slug])),
        client.get(f"/api/v1/comments/{world['comment'].pk}/"),
        client.get(f"/api/v1/bills/{bill.slug}/"),
    ]

    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert "修改记录" not in body and "history" not in body
        for secret in ("王测试", "13912345678", "13800000000"):
            assert secret not in body
    assert client.get(
        f"/api/v1/comments/{world['comment'].pk}/revisions/"
    ).status_code in (401, 403)


def test_a_login_writes_no_history_of_the_user(client, world, staff):
    before = User.history.filter(id=staff.pk).count()

    client.post(reverse("login"), {"username": "staff", "password": "x"})
    client.force_login(staff)

    assert User.history.filter(id=staff.pk).count() == before


def test_a_bulk_decision_writes_one_history_row_per_comment(world, staff):
    consultation = world["consultation"]
    more = [
        consultation_services.enter_comment(
            by=staff, consultation=consultation, text=f"意见{i}"
        )
        for i in range(3)
    ]

    consultation_services.decide_comments(
        comments=[c.pk for c in more], status="for_reference", by=staff,
        explanation="参考。",
    )  # fmt: skip

    for comment in more:
        latest = comment.history.latest()
        assert (latest.status, latest.history_user_id) == ("for_reference", staff.pk)


def test_a_deleted_point_leaves_its_history(world):
    point = LiaisonPoint.objects.create(
        name="新联系点", district="luzhou", host_kind="community"
    )
    pk = point.pk
    point.delete()

    kinds = LiaisonPoint.history.filter(id=pk).order_by("history_date")
    assert list(kinds.values_list("history_type", flat=True)) == ["+", "-"]


def test_a_clerk_added_to_a_point_is_in_its_history_and_the_admins(
    client, world, administrator, clerk_b
):
    point = world["point"]
    client.force_login(administrator)
    admin_edit(client, point, clerks=[world["clerk"].pk, clerk_b.pk])

    page = client.get(reverse("staff:point-changes", args=[point.pk])).content.decode()
    history = client.get(
        reverse("admin:consultation_liaisonpoint_history", args=[point.pk])
    ).content.decode()

    assert (
        "<strong>联络员</strong>：<del>clerk</del> → <ins>clerk、clerk2</ins>" in page
    )
    assert "管理后台" in history


# --- imports ------------------------------------------------------------------------


def test_an_imported_comment_was_created_by_its_batch(
    client, consultation_a, clerk_a, staff, django_capture_on_commit_callbacks
):
    """The loader writes a file's comments in bulk, with no history row each."""
    with django_capture_on_commit_callbacks(execute=True):
        batch = consultation_services.start_import(
            by=clerk_a,
            consultation=consultation_a,
            uploaded_file=SimpleUploadedFile("意见.csv", csv_bytes(GOOD_ROWS)),
        )
    batch.refresh_from_db()
    assert batch.status == "done"
    comment = Comment.objects.filter(import_batch=batch).order_by("import_row")[0]
    assert not comment.history.exists()
    client.force_login(staff)

    page = client.get(reverse("staff:comment-detail", args=[comment.pk]))

    body = page.content.decode()
    assert "途径：批量导入" in body
    assert f"意见.csv 第{comment.import_row}行" in body
    assert "clerk · 途径：批量导入" in body


def test_the_admin_lists_a_users_role_changes(client, world, administrator):
    client.force_login(administrator)
    _role_admin(client, world)

    history = client.get(
        reverse("admin:auth_user_history", args=[world["clerk"].pk])
    ).content.decode()

    assert "管理后台" in history and "admin" in history
