"""
Reads that more than one surface makes answer alike on every surface: the
public site, the staff site and the API ask one selector or one rule.
"""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from consultation import exports
from consultation import services as consultation_services
from consultation.models import Comment

pytestmark = pytest.mark.django_db


# --- Whether a reader may see who made a comment ----------------------------------

NAMES = {"a": "张甲联系人", "b": "李乙联系人"}

# Who sees the personal data of a comment made at point A, at point B (DESIGN §2).
SEES = {
    "anonymous": (False, False),
    "clerk_a": (True, False),
    "clerk_b": (False, True),
    "staff": (True, True),
    "administrator": (True, True),
}


@pytest.fixture
def made(consultation_a, consultation_b, staff):
    return {
        point: consultation_services.enter_comment(
            by=staff,
            consultation=consultation,
            text="建议明确资金来源。",
            contributor_name=NAMES[point],
            contributor_contact="13800001111",
        )
        for point, consultation in (("a", consultation_a), ("b", consultation_b))
    }


def _reader(request, who: str):
    return AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)


def _staff_page_shows(reader, comment) -> bool:
    client = Client()
    if reader.is_authenticated:
        client.force_login(reader)
    response = client.get(reverse("staff:comment-detail", args=[comment.pk]))
    if response.status_code != 200:  # not theirs to read at all
        return False
    return NAMES["a"] in response.text or NAMES["b"] in response.text


def _api_shows(reader, comment) -> tuple[bool, bool]:
    client = APIClient()
    if reader.is_authenticated:
        client.force_authenticate(reader)
    listed = client.get("/api/v1/comments/", {"page_size": 100}).json()["results"]
    row = next((row for row in listed if row["id"] == comment.pk), None)
    detail = client.get(f"/api/v1/comments/{comment.pk}/")
    return (
        row is not None and row["contributor"] is not None,
        detail.status_code == 200 and detail.json()["contributor"] is not None,
    )


def _export_shows(reader, comment) -> bool:
    data = exports.export_comments(
        Comment.objects.filter(pk=comment.pk), fmt="csv", reader=reader
    )
    header, row = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return row[header.index("提出人姓名")] != ""


@pytest.mark.parametrize("who", list(SEES))
def test_every_surface_shows_personal_data_to_the_same_readers(request, made, who):
    reader = _reader(request, who)
    for point, sees in zip(("a", "b"), SEES[who], strict=True):
        comment = made[point]
        list_row, detail = _api_shows(reader, comment)
        answers = {
            "staff page": _staff_page_shows(reader, comment),
            "API list": list_row,
            "API detail": detail,
            "export": _export_shows(reader, comment),
        }
        assert answers == dict.fromkeys(answers, sees), (who, point)


@pytest.mark.parametrize("who", list(SEES))
def test_the_public_site_and_the_public_export_never_show_personal_data(
    request, made, bill, who
):
    reader = _reader(request, who)
    client = Client()
    if reader.is_authenticated:
        client.force_login(reader)
    cache.clear()
    page = client.get(f"/bills/{bill.slug}/comments/").content.decode()
    export = exports.export_comments(Comment.objects.all(), fmt="csv").decode(
        "utf-8-sig"
    )
    assert "建议明确资金来源" in page and "建议明确资金来源" in export
    for name in NAMES.values():
        assert name not in page and name not in export
