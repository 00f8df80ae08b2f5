"""
No contributor's name or phone number on any public page or feed, on the full
demo data (seeded once for the module, rolled back at its end).
"""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from consultation.models import Comment, Contributor, LiaisonPoint
from legislation.models import Bill, Regulation
from tests.consultation.privacy import assert_no_personal_data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once inside a transaction that is rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", allow_production=True, verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _public_urls() -> list[str]:
    urls = [
        "/",
        "/bills/",
        "/liaison-points/",
        "/stats/",
        "/receipt/",
        "/feeds/events/",
        "/laws/",
        "/bills/?q=电梯",
    ]
    urls += [
        f"/laws/{slug}/" for slug in Regulation.objects.values_list("slug", flat=True)
    ]
    for bill in Bill.objects.filter(is_published=True):
        base = f"/bills/{bill.slug}/"
        urls += [base, base + "compare/", base + "comments/", base + "feed/"]
        urls += [base + "comments/?status=not_adopted"]
        if bill.versions.filter(is_published=True, number=1).exists():
            urls.append(base + "?version=1")
    urls += [
        f"/liaison-points/{pk}/"
        for pk in LiaisonPoint.objects.values_list("pk", flat=True)
    ]
    return urls


def _all_comment_pages(client, slug: str) -> list[str]:
    """Every page of a bill's comments, following the "older" links."""
    url = f"/bills/{slug}/comments/"
    pages = [client.get(url).content.decode()]
    while match := re.search(r'href="\?after=([\d-]+_\d+)"', pages[-1]):
        pages.append(client.get(f"{url}?after={match.group(1)}").content.decode())
    return pages


def test_the_demo_has_contributors_whose_data_could_leak(demo, db):
    assert Contributor.objects.exclude(name="").count() > 1000
    assert Contributor.objects.exclude(contact="").count() > 1000


def test_no_public_page_or_feed_shows_a_contributor_name_or_phone(demo, db, client):
    pages = []
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    assert_no_personal_data("\n".join(pages))


def test_no_page_of_comments_shows_personal_data(demo, db, client):
    slug = Bill.objects.get(title="长治市电梯安全管理条例").slug
    pages = _all_comment_pages(client, slug)
    assert len(pages) > 10
    assert_no_personal_data("\n".join(pages))


def test_a_receipt_shows_no_personal_data(demo, db, client):
    cache.clear()
    for comment in Comment.objects.select_related("contributor").order_by("pk")[:20]:
        response = client.post("/receipt/", {"code": comment.receipt_code})
        page = response.content.decode()
        assert comment.text in page
        assert_no_personal_data(page)
    cache.clear()


def test_the_demo_pages_show_the_real_numbers(demo, db, client):
    home = client.get("/").content.decode()
    stats = client.get("/stats/").content.decode()
    for page in (home, stats):
        assert re.search(r">32<span", page)  # liaison points
        assert re.search(r">11<span", page)  # symposia
        comments = int(
            re.search(r">(\d+)<span class=\"figure-unit\">条", page).group(1)
        )
        assert comments >= 2150
    elevator = Bill.objects.get(title="长治市电梯安全管理条例")
    page = client.get(elevator.get_absolute_url()).content.decode()
    assert "2024年10月30日" in page
    assert "市十五届人大常委会第二十二次会议" in page
    assert "表决通过" in page
    points = client.get("/liaison-points/").content.decode()
    assert "全市设有 32 个基层立法联系点" in points
