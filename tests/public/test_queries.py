"""
Every public page runs the same number of SQL queries with 20 comments as with
2,000: no query per comment, per article or per point.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import add_comments

pytestmark = pytest.mark.django_db


def _pages(site) -> list[str]:
    slug = site["bill"].slug
    return [
        "/",
        "/bills/",
        "/bills/?stage=second_reading&kind=new&year=2024&q=测试",
        f"/bills/{slug}/",
        f"/bills/{slug}/?version=1",
        f"/bills/{slug}/compare/",
        f"/bills/{slug}/compare/?from=1&to=2&changed=1",
        f"/bills/{slug}/comments/",
        f"/bills/{slug}/comments/?status=adopted",
        f"/bills/{slug}/comments/?article={site['draft'].articles.first().pk}",
        f"/bills/{slug}/comments/?after=2099-01-01_999999",
        f"/bills/{slug}/comments/?before=2000-01-01_1",
        "/liaison-points/",
        f"/liaison-points/{site['point'].pk}/",
        "/stats/",
        "/stats/?year=2024",
        "/receipt/",
        "/feeds/events/",
        f"/bills/{slug}/feed/",
    ]


def _count(client, url: str) -> int:
    cache.clear()  # count the statistics too, not the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_public_page_runs_as_many_queries_with_2000_comments_as_with_20(
    client, site
):
    pages = _pages(site)
    client.get("/")  # warm up: content types, sessions, caches
    # and the comparison tables, computed (and kept) on their first request
    client.get(f"/bills/{site['bill'].slug}/compare/?from=1&to=2")
    small = {url: _count(client, url) for url in pages}
    add_comments(site["meeting_at_a"], 1000, start=100)
    add_comments(site["online"], 980, start=2000)
    large = {url: _count(client, url) for url in pages}
    assert large == small


def test_city_statistics_are_counted_once_then_served_from_the_cache(client, site):
    first = _count(client, "/stats/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/stats/").status_code == 200
    assert len(queries) < first - 8


def test_the_receipt_lookup_runs_a_fixed_number_of_queries(client, site):
    from consultation.models import Comment

    code = Comment.objects.first().receipt_code
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/receipt/", {"code": code})
    assert response.status_code == 200
    assert len(queries) <= 3


# The bill page reads the public submissions by moderation state and the changes
# comments brought; the comments page its outcome figures by moderation state,
# the page's folded duplicates and where its adopted comments went, its
# statuses from the counts' tally and its articles from the counts (kept apart:
# comments arriving do not make them be summed again), and its page in two
# (the keys, then the rows by id: cheaper to plan than one); the statistics
# the public submissions.
@pytest.mark.parametrize(
    ("page", "most"),
    [("/", 13), ("/bills/", 3), ("bill", 10), ("comments", 8), ("/stats/", 17)],
)
def test_public_pages_stay_within_a_small_query_budget(client, site, page, most):
    slug = site["bill"].slug
    url = {"bill": f"/bills/{slug}/", "comments": f"/bills/{slug}/comments/"}.get(
        page, page
    )
    client.get("/")
    assert _count(client, url) <= most
