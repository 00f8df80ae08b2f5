"""
Reads that more than one surface makes answer alike on every surface: the
public site, the staff site and the API ask one selector or one rule.
"""

import csv
import datetime as dt
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
from legislation import services
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db


# --- The comparison of two versions ---------------------------------------------


def _add_version(bill, staff, number: int, text: str, *, published: bool = True):
    return services.add_draft_version(
        bill=bill,
        text=text,
        title=f"第{number}稿",
        kind="revised",
        on=dt.date(2024, 1, 20) + dt.timedelta(days=30 * number),
        by=staff,
        is_published=published,
    )


@pytest.fixture
def three_versions(bill, staff):
    """Versions 1 to 3 of the bill, all published, each changing one article."""
    second = DRAFT_TEXT.replace("保障人身", "保障公众人身")
    _add_version(bill, staff, 2, second)
    _add_version(bill, staff, 3, second.replace("（二）定期检查；", "（二）每月检查；"))
    bill.refresh_from_db()
    return bill


def _rows(rows) -> list[tuple]:
    return [
        (
            row.status,
            row.old.number if row.old else None,
            row.new.number if row.new else None,
        )
        for row in rows
    ]


def _api_rows(rows: list[dict]) -> list[tuple]:
    return [
        (
            row["status"],
            row["old"]["number"] if row["old"] else None,
            row["new"]["number"] if row["new"] else None,
        )
        for row in rows
    ]


def _public_page(bill, query: str):
    cache.clear()  # the public page is kept: ask it afresh
    response = Client().get(f"/bills/{bill.slug}/compare/{query}")
    if response.status_code != 200:
        return response.status_code, None
    context = response.context
    pair = (context["old"].number, context["new"].number)
    return 200, (pair, _rows(context["rows"]))


def _staff_page(bill, staff, query: str):
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("staff:bill-compare", args=[bill.slug]) + query)
    assert response.status_code == 200
    context = response.context
    if context.get("rows") is None:
        assert context["form"].errors  # the staff page says what is wrong
        return "refused", None
    pair = (context["old"].number, context["new"].number)
    return 200, (pair, _rows(context["rows"]))


def _api(bill, user, query: str):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    response = client.get(f"/api/v1/bills/{bill.slug}/compare/{query}")
    if response.status_code != 200:
        return response.status_code, None
    body = response.json()
    pair = (body["old"]["number"], body["new"]["number"])
    return 200, (pair, _api_rows(body["rows"]))


@pytest.mark.parametrize(
    ("query", "pair"),
    [
        ("?to=2", (1, 2)),  # the staff page compared 2 with itself here
        ("?from=1", (1, 3)),
        ("", (2, 3)),
        ("?to=1", (1, 1)),
        ("?from=1&to=3", (1, 3)),
    ],
)
def test_every_surface_compares_the_same_pair_with_the_same_rows(
    three_versions, staff, query, pair
):
    bill = three_versions
    answers = {
        "public page": _public_page(bill, query),
        "staff page": _staff_page(bill, staff, query),
        "public API": _api(bill, None, query),
        "staff API": _api(bill, staff, query),
    }
    seen = {surface: answer[1][0] for surface, answer in answers.items()}
    assert seen == dict.fromkeys(answers, pair)
    rows = {tuple(answer[1][1]) for answer in answers.values()}
    assert len(rows) == 1, answers


@pytest.mark.parametrize(
    ("query", "api_status"),
    [
        ("?to=9", 404),  # no such version: nothing to compare
        ("?from=9", 404),
        ("?from=1&to=9", 404),
        ("?to=abc", 400),  # not a version number at all
        ("?from=-1", 400),
    ],
)
def test_every_surface_refuses_a_version_that_is_not_there(
    three_versions, staff, query, api_status
):
    bill = three_versions
    assert _public_page(bill, query) == (404, None)
    assert _staff_page(bill, staff, query) == ("refused", None)
    assert _api(bill, None, query) == (api_status, None)
    assert _api(bill, staff, query) == (api_status, None)


def test_unpublished_versions_are_compared_for_staff_only(three_versions, staff):
    bill = three_versions
    _add_version(bill, staff, 4, DRAFT_TEXT, published=False)
    # By default the public compares the latest two they may read; staff the
    # latest two of all.
    assert _public_page(bill, "")[1][0] == _api(bill, None, "")[1][0] == (2, 3)
    assert _staff_page(bill, staff, "")[1][0] == _api(bill, staff, "")[1][0] == (3, 4)
    # Naming the unpublished one finds nothing for the public.
    assert _public_page(bill, "?to=4") == (404, None)
    assert _api(bill, None, "?to=4") == (404, None)
    assert _staff_page(bill, staff, "?to=4")[1][0] == (3, 4)
    assert _api(bill, staff, "?to=4")[1][0] == (3, 4)


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
