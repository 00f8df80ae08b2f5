"""
Anonymous reads of the comment list, search and statistics are kept whole
(npc.core.responsecache) under the versions of what they show: a repeat costs no
query, a comment entered or decided or a bill withdrawn shows at once (in the
city's statistics within their period, as on the statistics page), and nobody
signed in gets a kept response or leaves one behind.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation import services
from legislation import services as legislation_services
from tests.api.conftest import client_for
from tests.consultation.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db

SLUG = "test-regulation"  # the bill fixture's


@pytest.fixture(autouse=True)
def kept(settings):
    settings.NPC_PUBLIC_CACHE_SECONDS = 60
    settings.NPC_COUNTS_CACHE_SECONDS = 60


@pytest.fixture
def comments(consultation_a, consultation_b, staff, draft):
    made = [
        services.enter_comment(
            by=staff,
            consultation=consultation,
            text=f"建议明确测试单位的检查频次{n}。",
            article=draft.articles.get(number=4) if n % 2 else None,
            contributor_name="王保密",
            contributor_contact="13912345678",
        )
        for n, consultation in enumerate([consultation_a, consultation_b] * 2)
    ]
    services.decide_comment(
        explanation="已在修改稿中吸收。", comment=made[0], status="adopted", by=staff
    )
    return made


def _urls(comments) -> list[str]:  # noqa: ANN001
    point = comments[0].point_id
    article = comments[1].article_id
    return [
        f"/api/v1/comments/?bill={SLUG}&status=adopted",
        f"/api/v1/comments/?bill={SLUG}&point={point}",
        f"/api/v1/comments/?article={article}",
        "/api/v1/comments/",
        "/api/v1/comments/?q=检查频次",
        f"/api/v1/stats/?bill={SLUG}&year=2024",
        "/api/v1/stats/?year=2024",
    ]


def _get(client, url: str):  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response, len(captured.captured_queries)


def test_an_anonymous_repeat_is_served_without_a_query(anon, comments):
    for url in _urls(comments):
        first, first_queries = _get(anon, url)
        again, queries = _get(anon, url)
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"]
        assert (first_queries > 0, queries) == (True, 0), url


def _ids(client, url: str) -> list[int]:  # noqa: ANN001
    return [row["id"] for row in _get(client, url)[0].json()["results"]]


def _total(client, url: str) -> int:  # noqa: ANN001
    return _get(client, url)[0].json()["comments"]["total"]


def test_a_comment_entered_shows_at_once_in_lists_and_the_bills_statistics(
    anon, comments, consultation_a, staff, monkeypatch, settings
):
    """
    The lists and the bill's statistics show a new comment at once; the
    city's statistics, as on the statistics page, within
    NPC_PUBLIC_STATS_SECONDS, however many comments arrive meanwhile.
    """
    now = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    lists = ["/api/v1/comments/", f"/api/v1/comments/?bill={SLUG}"]
    bill_stats, city_stats = (
        f"/api/v1/stats/?bill={SLUG}&year=2024",
        "/api/v1/stats/?year=2024",
    )
    before = {url: _ids(anon, url) for url in lists}
    totals = {url: _total(anon, url) for url in (bill_stats, city_stats)}
    new = services.enter_comment(
        by=staff, consultation=consultation_a, text="新的意见：检查频次"
    )
    for url in lists:
        assert _ids(anon, url) == [new.pk, *before[url]], url
    assert _total(anon, bill_stats) == totals[bill_stats] + 1
    assert new.pk in _ids(anon, "/api/v1/comments/?q=检查频次")
    assert _total(anon, city_stats) == totals[city_stats]  # within the period
    now[0] += settings.NPC_PUBLIC_STATS_SECONDS
    assert _total(anon, city_stats) == totals[city_stats] + 1


def test_a_decision_shows_at_once_in_lists_and_statistics(anon, comments, staff):
    adopted = f"/api/v1/comments/?bill={SLUG}&status=adopted"
    stats = f"/api/v1/stats/?bill={SLUG}&year=2024"
    assert _ids(anon, adopted) == [comments[0].pk]
    assert _get(anon, stats)[0].json()["comments"]["adopted"] == 1
    services.decide_comment(
        explanation="已在修改稿中吸收。",
        comment=comments[3],
        status="adopted",
        by=staff,
    )
    assert _ids(anon, adopted) == [comments[3].pk, comments[0].pk]
    assert _get(anon, stats)[0].json()["comments"]["adopted"] == 2
    row = _get(anon, "/api/v1/comments/")[0].json()["results"][0]
    assert (row["id"], row["status"]) == (comments[3].pk, "adopted")


def test_a_bills_totals_follow_each_comment_and_their_spread_each_decision(
    anon, comments, consultation_a, staff
):
    """
    A bill's statistics give its totals at once; how they spread over
    channels, points, kinds and articles is summed again after a decision (and
    otherwise within NPC_COUNTS_CACHE_SECONDS while comments arrive).
    """
    url = f"/api/v1/stats/?bill={SLUG}&year=2024"

    def read() -> tuple[int, int]:
        figures = _get(anon, url)[0].json()["comments"]
        return figures["total"], sum(r["count"] for r in figures["by_channel"])

    total, spread = read()
    assert spread == total
    new = services.enter_comment(
        by=staff, consultation=consultation_a, text="又一条意见：检查频次"
    )
    assert read()[0] == total + 1
    services.decide_comment(
        comment=new, status="adopted", explanation="已吸收。", by=staff
    )
    assert read() == (total + 1, total + 1)


def test_an_explanation_that_moves_no_count_shows_at_once(anon, comments, staff):
    url = f"/api/v1/comments/?bill={SLUG}&status=adopted"
    assert (
        _get(anon, url)[0].json()["results"][0]["explanation"] == "已在修改稿中吸收。"
    )
    services.decide_comment(
        comment=comments[0], status="adopted", explanation="已采纳", by=staff
    )
    assert _get(anon, url)[0].json()["results"][0]["explanation"] == "已采纳"


def test_a_bill_withdrawn_from_publication_leaves_the_lists_at_once(
    anon, comments, bill, staff
):
    url = f"/api/v1/comments/?bill={SLUG}"
    assert len(_ids(anon, url)) == len(comments)
    assert len(_ids(anon, "/api/v1/comments/")) == len(comments)
    legislation_services.update_bill(
        bill=bill, by=staff, expected_version=None, is_published=False
    )
    assert _ids(anon, url) == []
    assert _ids(anon, "/api/v1/comments/") == []


@pytest.mark.parametrize("signed_in", ["token", "session"])
def test_signed_in_readers_neither_get_nor_leave_a_kept_response(
    anon, comments, staff, signed_in
):
    if signed_in == "token":
        reader = client_for(staff)
    else:
        reader = client_for(None)
        reader.force_login(staff)
    url = "/api/v1/comments/"
    # Staff first: what they read (receipts, contributors) is not kept ...
    own, queries = _get(reader, url)
    assert own.json()["results"][0]["receipt"] is not None
    public, _ = _get(anon, url)
    assert all(row["receipt"] is None for row in public.json()["results"])
    assert_no_personal_data(public.content.decode())
    # ... and the kept public list is not what staff get afterwards.
    again, again_queries = _get(reader, url)
    assert again.json()["results"][0]["contributor"]["name"] == "王保密"
    assert again_queries == queries


def test_an_entered_comment_changes_no_kept_response_of_staff(
    comments, staff, consultation_a
):
    reader = client_for(staff)
    before = _ids(reader, "/api/v1/comments/")
    new = services.enter_comment(by=staff, consultation=consultation_a, text="又一条")
    assert _ids(reader, "/api/v1/comments/") == [new.pk, *before]


def test_the_browsable_api_page_is_never_kept(anon, comments):
    # Its HTML carries the reader's CSRF token.
    url = "/api/v1/comments/"
    first = anon.get(url, HTTP_ACCEPT="text/html")
    assert first.status_code == 200
    assert first["Cache-Control"] == "private"
    _, queries = _get(anon, url + "?format=api")
    assert queries > 0
    with CaptureQueriesContext(connection) as captured:
        anon.get(url, HTTP_ACCEPT="text/html")
    assert len(captured.captured_queries) > 0


def test_receipts_are_never_kept(anon, comments):
    url = f"/api/v1/receipts/{comments[0].receipt}/"
    _get(anon, url)
    _, queries = _get(anon, url)
    assert queries == 1
