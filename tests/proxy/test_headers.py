"""
What the app tells a shared cache in front (npc.core.httpcache): public pages and
public API reads are shareable for a few seconds, with an ETag answered by 304;
nothing signed-in, personal or per-reader is ever marked shareable.
"""

import pytest
from django.conf import settings as django_settings

from consultation import services as consultation_services
from consultation.models import Comment
from legislation import services
from legislation.models import Meeting
from npc.accounts.services import issue_token

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:  # noqa: ANN001
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d}


def _vary(response) -> set[str]:  # noqa: ANN001
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v}


def _public_urls(site) -> list[str]:
    slug = site["bill"].slug
    return [
        "/",
        "/en/",
        "/bills/?stage=second_reading",
        f"/bills/{slug}/",
        f"/en/bills/{slug}/comments/",
        "/stats/",
        "/calendar.ics",
        "/api/v1/bills/",
        f"/api/v1/bills/{slug}/?lang=en",
        "/api/v1/stats/",
    ]


def test_public_reads_are_shareable_for_a_few_seconds(client, site):
    for url in _public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response) == {
            "public",
            "max-age=0",
            "s-maxage=10",
            "stale-while-revalidate=30",
            "stale-if-error=86400",
        }, url
        assert response["ETag"], url
        assert not response.cookies, url


def test_shared_responses_vary_on_no_cookie_and_no_browser_language(client, site):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "x" * 32
    for url in _public_urls(site):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert not _vary(response) & {"cookie", "accept-language"}, url
        assert "public" in _directives(response), url


def test_an_unchanged_page_is_answered_304_and_a_changed_one_200(client, site, staff):
    url = f"/bills/{site['bill'].slug}/"
    first = client.get(url)
    tag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag and "s-maxage=10" in again["Cache-Control"]
    assert client.head(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    services.change_planned_readings(
        bill=site["bill"], planned_readings=3, by=staff, expected_version=None
    )
    services.record_reading(
        bill=site["bill"], meeting=Meeting.objects.get(number=22), by=staff
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag


def test_a_comment_published_changes_the_comments_pages_tag(client, site, staff):
    url = f"/bills/{site['bill'].slug}/comments/"
    tag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    comment = consultation_services.submit_public_comment(
        bill=site["bill"], text="请对测试设备的年检周期作出规定。"
    )
    consultation_services.moderate_comments(by=staff, comments=[comment], publish=True)
    response = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert "请对测试设备的年检周期作出规定。" in response.content.decode()


def test_an_api_record_keeps_its_version_as_its_tag(client, site):
    bill = site["bill"]
    response = client.get(f"/api/v1/bills/{bill.slug}/")
    assert response["ETag"] == f'"{bill.version}"'
    again = client.get(
        f"/api/v1/bills/{bill.slug}/", HTTP_IF_NONE_MATCH=f'"{bill.version}"'
    )
    assert again.status_code == 304


def test_signed_in_readers_get_private_answers_never_304_from_a_public_tag(
    client, site, staff
):
    url = f"/bills/{site['bill'].slug}/"
    tag = client.get(url)["ETag"]
    client.force_login(staff)
    response = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)
    assert "public" not in _directives(response)


def test_token_holders_get_private_answers(client, site, staff):
    _, key = issue_token(user=staff)
    response = client.get("/api/v1/bills/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_a_request_with_a_session_cookie_is_never_shared(client, site):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get("/bills/")
    assert "public" not in _directives(response)
    assert {"private", "no-store"} <= _directives(response)


def test_personal_and_per_reader_pages_are_private(client, site):
    slug = site["bill"].slug
    receipt = Comment.objects.filter(bill=site["bill"]).first().receipt
    for url in (
        "/receipt/",  # a form: its CSRF token is the reader's
        f"/bills/{slug}/follow/",
        f"/api/v1/receipts/{receipt}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives(response), url
        assert "public" not in _directives(response), url


def test_errors_redirects_and_writes_are_never_shared(client, site):
    missing = client.get("/bills/no-such-bill/")
    assert missing.status_code == 404
    assert {"private", "no-store"} <= _directives(missing)
    switch = client.get("/bills/", {"lang": "en"})
    assert switch.status_code == 302 and "public" not in _directives(switch)
    posted = client.post("/receipt/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert "public" not in _directives(posted)


def test_the_browsable_api_stays_private(client, site):
    response = client.get("/api/v1/bills/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "private" in _directives(response)
    assert "public" not in _directives(response)


def test_no_shared_lifetime_still_answers_304(client, site, settings):
    settings.NPC_SHARED_CACHE_SECONDS = 0
    response = client.get("/bills/")
    assert _directives(response) == {"no-cache"}
    assert client.get("/bills/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
