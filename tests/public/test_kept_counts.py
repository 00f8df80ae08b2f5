"""
A bill's summed comment counts are kept under the version of its counts: read
again only after a change, and then at once; the comment list resolves a bill's
slug to its id first.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient

from consultation import counters, selectors, tasks
from consultation import services as consultation_services
from consultation.models import Comment, CommentCount

from .conftest import add_comments

pytestmark = pytest.mark.django_db


def _count(client, url: str, *, cached: bool = False) -> int:
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@override_settings(NPC_COUNTS_CACHE_SECONDS=60)
def test_bill_outcomes_are_kept_until_a_comment_changes_them(site, staff):
    bill = site["bill"]
    before = selectors.comment_outcomes(bill=bill)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.comment_outcomes(bill=bill)
    assert again == before
    assert len(queries) == 0

    consultation_services.enter_comment(
        by=staff, consultation=site["online"], text="建议增加测试经费保障。"
    )

    after = selectors.comment_outcomes(bill=bill)
    assert after["total"] == before["total"] + 1
    pending = {row["key"]: row["count"] for row in after["by_status"]}["pending"]
    assert pending == {r["key"]: r["count"] for r in before["by_status"]}["pending"] + 1


@override_settings(NPC_COUNTS_CACHE_SECONDS=60)
def test_a_recount_moves_every_bills_counts_on(site):
    bill = site["bill"]
    before = selectors.comment_outcomes(bill=bill)
    version = counters.version(bill.pk)
    counters.recount()
    assert counters.version(bill.pk) != version
    assert selectors.comment_outcomes(bill=bill) == before


def test_bill_outcomes_sum_as_the_comments_count(site):
    bill = site["bill"]
    add_comments(site["meeting_at_a"], 40, start=100)
    outcomes = selectors.comment_outcomes(bill=bill)
    public = Comment.objects.filter(bill=bill, consultation__is_published=True)
    assert outcomes["total"] == public.count()
    for row in outcomes["by_status"]:
        assert row["count"] == public.filter(status=row["key"]).count()
    for row in outcomes["by_article"]:
        assert row["count"] == public.filter(article_id=row["key"]).count()


def test_bill_page_reads_its_consultations_once_and_its_text_in_three_queries(
    client, site
):
    slug = site["bill"].slug
    client.get("/")
    small = _count(client, f"/bills/{slug}/")
    add_comments(site["meeting_at_a"], 200, start=100)
    assert _count(client, f"/bills/{slug}/") == small
    # bill with its versions, timeline, documents, text (3), outcomes, public
    # submissions by moderation state, consultations, the changes comments brought
    assert small == 10


def test_bill_page_keeps_the_html_of_a_versions_text(client, site, settings):
    settings.NPC_PUBLIC_PARTS_SECONDS = 3600
    url = f"/bills/{site['bill'].slug}/"
    client.get("/")
    first = client.get(url)
    # Every part, the text's (three queries) among them, comes from the cache.
    assert _count(client, url, cached=True) == 0
    again = client.get(url)

    def law(response) -> str:
        html = response.content.decode()
        return html[html.index('<div class="law">') : html.index('id="versions"')]

    assert law(again) == law(first)
    assert "第三条" in law(again)


def test_comment_list_filters_by_the_bills_slug(site):
    api_client = APIClient()
    slug = site["bill"].slug
    listed = api_client.get("/api/v1/comments/", {"bill": slug}).json()
    ids = {row["id"] for row in listed["results"]}
    expected = set(
        Comment.objects.filter(
            bill=site["bill"], consultation__is_published=True
        ).values_list("pk", flat=True)[:50]
    )
    assert ids and ids <= expected
    unknown = api_client.get("/api/v1/comments/", {"bill": "no-such-bill"}).json()
    assert unknown["results"] == []


def test_point_and_headline_statistics_sum_the_kept_counts_not_the_comments(site):
    add_comments(site["meeting_at_a"], 30, start=100)
    with CaptureQueriesContext(connection) as queries:
        points = selectors.point_stats(year=2024)
        numbers = selectors.headline_numbers(2024)
    assert not [q for q in queries if '"consultation_comment"' in q["sql"]]
    public = Comment.objects.filter(
        bill__is_published=True,
        consultation__is_published=True,
        submitted_on__year=2024,
    )
    assert numbers["comments"] == public.count()
    by_point = {p.point.pk: p.comments for p in points}
    assert by_point[site["point"].pk] == public.filter(point=site["point"]).count()


@override_settings(NPC_COUNTS_CACHE_SECONDS=60)
def test_city_and_bill_statistics_are_kept_until_a_comment_changes_them(site, staff):
    bill = site["bill"]
    city, of_bill = selectors.comment_stats(), selectors.comment_stats(bill=bill)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.comment_stats() == city
        assert selectors.comment_stats(bill=bill) == of_bill
    assert len(queries) == 0

    consultation_services.enter_comment(
        by=staff, consultation=site["online"], text="建议明确测试机构的资质。"
    )

    assert selectors.comment_stats()["total"] == city["total"] + 1
    assert selectors.comment_stats(bill=bill)["total"] == of_bill["total"] + 1


def test_the_nightly_fold_keeps_every_count_in_fewer_rows(site, staff, settings):
    for text in ("建议一。", "建议二。", "建议三。"):
        consultation_services.enter_comment(
            by=staff, consultation=site["online"], text=text
        )
    before = selectors.comment_stats(bill=site["bill"])
    rows = CommentCount.objects.count()

    tasks.compact_comment_counts()

    assert CommentCount.objects.count() < rows
    assert selectors.comment_stats(bill=site["bill"]) == before
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "consultation.tasks.compact_comment_counts" in scheduled
