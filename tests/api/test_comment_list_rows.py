"""
The comment list reads plain rows and represents them itself: every row must
read exactly as the comment's own page (GET /comments/<id>/) reads it, for every
role, with and without article, point, decision, duplicate and contributor.
"""

import datetime as dt

import pytest

from consultation import services
from consultation.models import Channel
from consultation.services import record_consultation
from tests.consultation.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def comments(consultation_a, consultation_b, draft, staff):
    online = record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.ONLINE,
        title="网上征求意见",
        opens_on=draft.date,
        # Still open: a closed period takes no comment.
        closes_on=dt.date.today() + dt.timedelta(days=40),
    )
    first = services.enter_comment(
        by=staff,
        consultation=consultation_a,
        text="建议明确测试单位的检查频次。",
        summary="检查频次",
        article=draft.articles.get(number=4),
        contributor_name="王保密",
        contributor_contact="13912345678",
        contributor_affiliation="某单位",
        contributor_kind="deputy",
    )
    second = services.enter_comment(
        by=staff, consultation=consultation_b, text="建议增加公众监督。"
    )
    third = services.enter_comment(
        by=staff, consultation=online, text="建议明确测试单位的检查频次。"
    )
    services.decide_comment(
        comment=first,
        status="not_adopted",
        reason="other",
        explanation="另有规定",
        by=staff,
    )
    services.decide_comment(
        comment=third, status="duplicate", duplicate_of=first, by=staff
    )
    return [first, second, third]


@pytest.mark.parametrize("role", ["anonymous", "clerk_a", "clerk_b", "staff"])
def test_every_list_row_reads_as_the_comments_own_page(clients, comments, role):
    client = clients[role]
    response = client.get("/api/v1/comments/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == sorted((c.pk for c in comments), reverse=True)
    for row in rows:
        detail = client.get(f"/api/v1/comments/{row['id']}/")
        assert detail.status_code == 200
        # The comment's own page adds where it went into the text.
        own = detail.json()
        assert own.pop("adopted_into") == []
        assert row == own
    if role == "anonymous":
        assert_no_personal_data(response.content.decode())


def test_a_clerk_reads_who_made_their_points_comments_only(clients, comments):
    rows = {
        row["id"]: row
        for row in clients["clerk_a"].get("/api/v1/comments/").json()["results"]
    }
    first, second, third = comments
    assert rows[first.pk]["contributor"]["name"] == "王保密"
    assert rows[first.pk]["receipt"] == first.receipt
    assert rows[third.pk]["receipt"] is None  # online: no point
    assert second.pk not in rows or rows[second.pk]["receipt"] is None
