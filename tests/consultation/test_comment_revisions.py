"""
A comment is kept as it was given: a correction of its text is a new wording
with its reason; staff read the original and every correction, the public the
current text marked corrected.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from consultation import services
from consultation.errors import InvalidComment
from consultation.models import Comment, CommentRevision
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

ORIGINAL = "建议明确测试单位的检查频次。"
CORRECTED = "建议明确测试单位每年的检查频次。"


@pytest.fixture
def anon():
    cache.clear()  # throttle counters
    yield client_for(None)
    cache.clear()


@pytest.fixture
def comment(consultation_a, clerk_a):
    return services.enter_comment(
        by=clerk_a,
        consultation=consultation_a,
        text=ORIGINAL,
        contributor_name="王测试",
        contributor_contact="13912345678",
    )


def correct(comment: Comment, by, text: str = CORRECTED, reason: str = "录入漏字"):  # noqa: ANN001
    return services.edit_comment(
        comment=comment, by=by, expected_revision=None, text=text, reason=reason
    )


def test_entering_a_comment_writes_no_revision_row(comment):
    assert not CommentRevision.objects.filter(comment=comment).exists()
    assert comment.corrected is False


def test_a_correction_keeps_the_original_and_records_why(comment, clerk_a, staff):
    correct(comment, clerk_a)
    correct(comment, staff, text=CORRECTED + "（补充）", reason="核对原始记录")

    rows = list(comment.revisions.order_by("number"))
    assert [(r.number, r.text, r.reason) for r in rows] == [
        (1, ORIGINAL, ""),
        (2, CORRECTED, "录入漏字"),
        (3, CORRECTED + "（补充）", "核对原始记录"),
    ]
    assert rows[0].recorded_by == clerk_a and rows[0].recorded_at == comment.created_at
    assert rows[2].recorded_by == staff
    comment.refresh_from_db()
    assert comment.text == CORRECTED + "（补充）" and comment.corrected


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_without_a_reason_is_refused_and_changes_nothing(
    comment, clerk_a, reason
):
    with pytest.raises(InvalidComment):
        correct(comment, clerk_a, reason=reason)

    comment.refresh_from_db()
    assert (comment.text, comment.corrected, comment.revision) == (ORIGINAL, False, 1)
    assert not comment.revisions.exists()


def test_the_same_text_sent_again_is_no_correction(comment, clerk_a):
    services.edit_comment(
        comment=comment, by=clerk_a, expected_revision=None, text=ORIGINAL,
        summary="频次",
    )  # fmt: skip

    comment.refresh_from_db()
    assert not comment.corrected and not comment.revisions.exists()


def test_the_history_row_of_a_correction_carries_its_reason(comment, clerk_a):
    correct(comment, clerk_a)

    latest = comment.history.latest()
    assert (latest.text, latest.history_change_reason) == (CORRECTED, "录入漏字")


# --- the surfaces ---------------------------------------------------------------


def test_a_correction_on_the_page_needs_a_reason(client, comment, clerk_a):
    client.force_login(clerk_a)
    url = reverse("staff:comment-edit", args=[comment.pk])
    data = {**client.get(url).context["form"].initial, "article": "", "text": CORRECTED}

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "更正意见原文须说明理由" in refused.content.decode()
    assert client.post(url, {**data, "reason": "录入漏字"}).status_code == 302

    comment.refresh_from_db()
    assert comment.text == CORRECTED
    assert comment.revisions.count() == 2


def test_staff_read_the_original_and_every_correction_on_the_page(
    client, comment, clerk_a, staff
):
    correct(comment, clerk_a)
    client.force_login(staff)

    page = client.get(reverse("staff:comment-detail", args=[comment.pk]))

    body = page.content.decode()
    assert "首次记录的原文" in body and ORIGINAL in body
    assert "第1次更正" in body and "更正理由：录入漏字" in body
    assert "已更正" in body


def test_a_correction_through_the_api_needs_a_reason(comment, clerk_a):
    api = client_for(clerk_a)
    url = f"/api/v1/comments/{comment.pk}/"

    refused = api.patch(url, {"text": CORRECTED}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_comment"
    done = api.patch(url, {"text": CORRECTED, "reason": "录入漏字"}, format="json")

    assert done.status_code == 200, done.content
    assert (done.json()["text"], done.json()["corrected"]) == (CORRECTED, True)


def test_staff_read_the_revisions_through_the_api(comment, clerk_a, staff):
    correct(comment, clerk_a)

    response = client_for(staff).get(f"/api/v1/comments/{comment.pk}/revisions/")

    assert response.status_code == 200
    assert [(r["number"], r["text"], r["reason"]) for r in response.json()] == [
        (1, ORIGINAL, ""),
        (2, CORRECTED, "录入漏字"),
    ]
    assert response.json()[0]["recorded_by"] == "clerk"


def test_a_clerk_of_another_point_cannot_read_the_revisions(comment, clerk_a, clerk_b):
    correct(comment, clerk_a)

    response = client_for(clerk_b).get(f"/api/v1/comments/{comment.pk}/revisions/")

    assert response.status_code in (403, 404)


def test_a_correction_in_the_admin_needs_a_reason_and_keeps_the_original(
    client, comment, administrator
):
    client.force_login(administrator)
    url = reverse("admin:consultation_comment_change", args=[comment.pk])
    form = client.get(url).context["adminform"].form
    data = {
        "text": CORRECTED,
        "summary": form["summary"].value(),
        "contributor-TOTAL_FORMS": 1,
        "contributor-INITIAL_FORMS": 1,
        "contributor-0-comment": comment.pk,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
        "decisions-TOTAL_FORMS": 0,
        "decisions-INITIAL_FORMS": 0,
    }

    client.post(url, data)
    comment.refresh_from_db()
    assert comment.text == ORIGINAL

    client.post(url, {**data, "correction_reason": "录入漏字"})
    comment.refresh_from_db()
    assert comment.text == CORRECTED
    assert comment.revisions.get(number=1).text == ORIGINAL
    assert comment.history.latest().history_surface == "admin"


# --- the public -------------------------------------------------------------------


def test_the_public_reads_the_current_text_marked_corrected(client, comment, clerk_a):
    correct(comment, clerk_a)

    page = client.get(
        reverse("public:bill-comments", args=[comment.bill.slug])
    ).content.decode()

    assert CORRECTED in page and ORIGINAL not in page
    assert "已更正" in page
    assert "录入漏字" not in page


def test_an_uncorrected_comment_is_not_marked(client, comment):
    page = client.get(
        reverse("public:bill-comments", args=[comment.bill.slug])
    ).content.decode()

    assert ORIGINAL in page and "已更正" not in page


def test_the_public_api_gives_the_current_text_and_the_flag_only(
    anon, comment, clerk_a
):
    correct(comment, clerk_a)

    one = anon.get(f"/api/v1/comments/{comment.pk}/").json()
    listed = anon.get("/api/v1/comments/").json()["results"]
    revisions = anon.get(f"/api/v1/comments/{comment.pk}/revisions/")

    assert (one["text"], one["corrected"]) == (CORRECTED, True)
    assert [(r["text"], r["corrected"]) for r in listed] == [(CORRECTED, True)]
    assert revisions.status_code in (401, 403)
    assert ORIGINAL not in str(one) + str(listed)


def test_the_receipt_tells_the_contributor_the_text_was_corrected(
    anon, client, comment, clerk_a
):
    correct(comment, clerk_a)

    body = anon.get(f"/api/v1/receipts/{comment.receipt_code}/").json()
    page = client.post(reverse("public:receipt"), {"code": comment.receipt_code})

    assert (body["text"], body["corrected"]) == (CORRECTED, True)
    assert "已更正" in page.content.decode()
