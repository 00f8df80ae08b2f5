"""
Recording a vote shows how many comments on the bill are still undecided and
requires deciding them or a reason, which the public then reads on them instead
of "being studied" (comments page, receipt page, public API).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from consultation import services
from legislation import services as legislation_services
from legislation.errors import UndecidedComments
from legislation.models import Stage, Vote
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

REASON = "意见送达较晚，未及逐条研究，已在统一审议中综合考虑。"
NOTE = f"表决前未逐条研究：{REASON}"


@pytest.fixture
def ready(bill, staff, meetings):
    """The bill after its last planned reading, ready for the vote."""
    legislation_services.start_drafting(bill=bill, on=dt.date(2024, 1, 22), by=staff)
    legislation_services.submit_bill(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    for meeting in meetings[: bill.planned_readings]:
        legislation_services.record_reading(bill=bill, meeting=meeting, by=staff)
    bill.refresh_from_db()
    return bill


@pytest.fixture
def comments(ready, consultation_a, staff):
    """Three comments: one decided, two still pending."""
    made = [
        services.enter_comment(by=staff, consultation=consultation_a, text=text)
        for text in ("建议明确检查频次。", "建议加强宣传。", "建议设立投诉电话。")
    ]
    services.decide_comment(
        comment=made[0], status="adopted", explanation="已吸收。", by=staff
    )
    return made


def _vote_body(meetings, **extra):
    return {"meeting": meetings[-1].pk, "yes": 40, "no": 0, "abstain": 1, **extra}


# --- the service and the API --------------------------------------------------


def test_the_api_refuses_a_vote_over_undecided_comments_without_a_reason(
    ready, comments, staff, meetings
):
    response = client_for(staff).post(
        f"/api/v1/bills/{ready.slug}/votes/", _vote_body(meetings), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "undecided_comments"
    assert "尚有2条意见未研究处理" in response.json()["detail"]
    ready.refresh_from_db()
    assert ready.stage == Stage.SECOND_READING and not Vote.objects.exists()


def test_the_api_records_the_vote_with_the_reason_and_the_count(
    ready, comments, staff, meetings
):
    response = client_for(staff).post(
        f"/api/v1/bills/{ready.slug}/votes/",
        _vote_body(meetings, undecided_reason=f"  {REASON} "),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["undecided_comments"] == 2 and body["undecided_reason"] == REASON
    vote = Vote.objects.get()
    assert (vote.undecided_comments, vote.undecided_reason) == (2, REASON)


def test_a_vote_with_every_comment_decided_needs_no_reason(
    ready, comments, staff, meetings
):
    services.decide_comments(
        comments=comments[1:], status="for_reference", explanation="参考。", by=staff
    )
    vote = legislation_services.record_vote(
        bill=ready, meeting=meetings[-1], yes=40, no=0, abstain=0, by=staff
    )
    assert (vote.undecided_comments, vote.undecided_reason) == (0, "")


def test_a_blank_reason_is_no_reason(ready, comments, staff, meetings):
    with pytest.raises(UndecidedComments):
        legislation_services.record_vote(
            bill=ready,
            meeting=meetings[-1],
            yes=40,
            no=0,
            abstain=0,
            by=staff,
            undecided_reason="   ",
        )


def test_the_preview_counts_the_undecided_comments(ready, comments, staff, meetings):
    result = legislation_services.preview_vote(
        bill=ready, meeting=meetings[-1], yes=40, no=0, abstain=0, by=staff
    )
    assert result.undecided == 2 and result.carried


# --- the page -----------------------------------------------------------------


def _page_data(bill, meetings, **extra):
    bill.refresh_from_db()
    return {"version": bill.version, **_vote_body(meetings), **extra}


def test_the_vote_page_preview_shows_the_undecided_count_and_a_link_to_them(
    client, ready, comments, staff, meetings
):
    client.force_login(staff)
    url = reverse("staff:bill-vote", kwargs={"slug": ready.slug})
    page = client.post(url, _page_data(ready, meetings, preview="1")).content.decode()
    assert "该法规案尚有2条意见未研究处理" in page
    assert reverse("staff:bill-comments", args=[ready.slug]) + "?status=pending" in page
    assert 'name="undecided_reason"' in page


def test_the_vote_page_refuses_to_confirm_without_a_reason_then_records_with_one(
    client, ready, comments, staff, meetings
):
    client.force_login(staff)
    url = reverse("staff:bill-vote", kwargs={"slug": ready.slug})
    refused = client.post(url, _page_data(ready, meetings, confirm="1"))
    assert "尚有2条意见未研究处理" in refused.content.decode()
    assert not Vote.objects.exists()
    done = client.post(
        url, _page_data(ready, meetings, confirm="1", undecided_reason=REASON)
    )
    assert done.status_code == 302
    assert Vote.objects.get().undecided_reason == REASON


# --- what the public reads ----------------------------------------------------


@pytest.fixture
def voted(ready, comments, staff, meetings):
    legislation_services.record_vote(
        bill=ready,
        meeting=meetings[-1],
        yes=40,
        no=0,
        abstain=0,
        by=staff,
        undecided_reason=REASON,
    )
    return comments


def _outcome(page: str, pk: int) -> str:
    found = re.search(
        rf'id="comment-{pk}">.*?class="comment-outcome.*?</div>', page, re.S
    )
    assert found, pk
    return found.group(0)


def test_the_comments_page_shows_the_reason_on_the_undecided_comments(
    client, ready, voted
):
    page = client.get(reverse("public:bill-comments", args=[ready.slug])).text
    decided, *pending = voted
    assert NOTE not in _outcome(page, decided.pk)
    for comment in pending:
        assert NOTE in _outcome(page, comment.pk)


def test_the_receipt_page_reads_the_reason_instead_of_being_studied(
    client, ready, voted
):
    response = client.post(reverse("public:receipt"), {"code": voted[1].receipt})
    page = response.content.decode()
    assert NOTE in page and "正在研究中" not in page
    other = client.post(reverse("public:receipt"), {"code": voted[0].receipt})
    assert NOTE not in other.content.decode()


def test_the_public_api_carries_the_reason_on_the_undecided_comments(ready, voted):
    anon = client_for(None)
    receipt = anon.get(f"/api/v1/receipts/{voted[1].receipt}/").json()
    assert receipt["undecided_note"] == NOTE
    assert anon.get(f"/api/v1/receipts/{voted[0].receipt}/").json()[
        "undecided_note"
    ] == ("")
    rows = {
        row["id"]: row["undecided_note"]
        for row in anon.get("/api/v1/comments/").json()["results"]
    }
    assert rows == {voted[0].pk: "", voted[1].pk: NOTE, voted[2].pk: NOTE}
    detail = anon.get(f"/api/v1/comments/{voted[2].pk}/").json()
    assert detail["undecided_note"] == NOTE


def test_before_the_vote_a_pending_comment_is_still_being_studied(
    client, ready, comments
):
    response = client.post(reverse("public:receipt"), {"code": comments[1].receipt})
    page = response.content.decode()
    assert "正在研究中" in page and "表决前未逐条研究" not in page
