"""
Anonymous readers get kept public pages (npc.core.responsecache): a second visit
runs at most a query or two, a change shows at once where the page is keyed by
the version it moves, and nothing personal or per-reader is ever kept.
"""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from consultation import services as consultation_services
from consultation.models import Channel, Comment, Decision
from legislation import services
from legislation.models import Meeting
from npc.public.middleware import ChineseFirstLocaleMiddleware
from tests.consultation.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.NPC_PUBLIC_CACHE_SECONDS = 60
    settings.NPC_COUNTS_CACHE_SECONDS = 60
    settings.NPC_PUBLIC_STATS_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _pages(site) -> list[str]:
    slug = site["bill"].slug
    return [
        "/",
        "/bills/",
        "/bills/?stage=second_reading",
        f"/bills/{slug}/",
        f"/bills/{slug}/?version=1",
        f"/bills/{slug}/compare/",
        f"/bills/{slug}/comments/",
        f"/bills/{slug}/comments/?status=adopted",
        "/liaison-points/",
        f"/liaison-points/{site['point'].pk}/",
        "/stats/",
    ]


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def test_a_second_anonymous_visit_gets_the_kept_page_without_a_query(
    client, site, monkeypatch
):
    # Within one period of the city's figures (a new one counts them again).
    monkeypatch.setattr(time, "time", lambda: 1_000_100.0)
    for url in _pages(site):
        first, _ = _get(client, url)
        again, queries = _get(client, url)
        assert again == first, url
        assert queries == 0, url


def test_the_bill_page_is_read_in_ten_queries_then_kept(client, site):
    url = site["bill"].get_absolute_url()
    assert _get(client, url)[1] <= 10
    assert _get(client, url)[1] == 0


def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, site):
    for url in _pages(site):
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert not response.cookies, url


def test_the_bill_page_links_to_the_follow_form_instead_of_holding_it(client, site):
    page = client.get(site["bill"].get_absolute_url()).content.decode()
    assert f'href="/bills/{site["bill"].slug}/follow/"' in page
    assert 'name="email"' not in page
    form = client.get(f"/bills/{site['bill'].slug}/follow/").content.decode()
    assert 'name="email"' in form and "csrfmiddlewaretoken" in form


def test_a_reading_recorded_shows_on_the_bill_page_at_once(client, site, staff):
    bill = site["bill"]
    services.change_planned_readings(
        bill=bill, planned_readings=3, by=staff, expected_version=None
    )
    url = bill.get_absolute_url()
    before, _ = _get(client, url)
    _get(client, url)
    assert "2024年10月30日" not in before
    services.record_reading(bill=bill, meeting=Meeting.objects.get(number=22), by=staff)
    after, _ = _get(client, url)
    assert "2024年10月30日" in after


def test_a_change_of_a_bill_shows_on_the_lists_at_once(client, site, staff):
    bill = site["bill"]
    for url in ("/", "/bills/"):
        assert "测试管理条例（修订）" not in _get(client, url)[0]
    services.update_bill(
        bill=bill, by=staff, expected_version=None, title="长治市测试管理条例（修订）"
    )
    for url in ("/", "/bills/"):
        assert "测试管理条例（修订）" in _get(client, url)[0], url


def test_a_consultation_opened_shows_on_the_home_page_at_once(client, site, staff):
    today = timezone.localdate()
    closes = date_format(today + dt.timedelta(days=30), "DATE_FORMAT")
    assert closes not in _get(client, "/")[0]
    consultation_services.record_consultation(
        by=staff,
        bill=site["bill"],
        version=site["revised"],
        channel=Channel.ONLINE,
        title="测试条例第二轮网上征求意见",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    assert closes in _get(client, "/")[0]


def test_a_comment_entered_shows_on_the_bill_and_comments_pages_at_once(
    client, site, staff
):
    bill = site["bill"]
    for url in (bill.get_absolute_url(), f"/bills/{bill.slug}/comments/"):
        _get(client, url)
    text = "建议对测试设备的年检作出规定，缓存页面应当立即更新。"
    consultation_services.enter_comment(
        by=staff, consultation=site["online"], text=text
    )
    comments, _ = _get(client, f"/bills/{bill.slug}/comments/")
    assert text in comments
    page, _ = _get(client, bill.get_absolute_url())
    public = Comment.objects.filter(bill=bill, consultation__is_published=True)
    assert f"共收到意见建议 {public.count()} 条" in page


def test_a_decision_shows_on_the_bill_and_comments_pages_at_once(client, site, staff):
    bill = site["bill"]
    url = f"/bills/{bill.slug}/comments/"
    _get(client, url)
    public = Comment.objects.filter(bill=bill, consultation__is_published=True)
    decided = public.exclude(status=Decision.PENDING).count()
    assert f"已研究处理 {decided} 条" in _get(client, bill.get_absolute_url())[0]
    comment = (
        Comment.objects.filter(bill=bill, status=Decision.PENDING)
        .order_by("-pk")
        .first()
    )
    explanation = "经研究，已在草案修改稿第三条中吸收该意见。"
    consultation_services.decide_comment(
        comment=comment, status=Decision.ADOPTED, by=staff, explanation=explanation
    )
    page, _ = _get(client, url)
    assert explanation in page
    assert f"已研究处理 {decided + 1} 条" in _get(client, bill.get_absolute_url())[0]


def test_a_new_explanation_alone_shows_at_once(client, site, staff):
    """A decision that moves no count still moves the page's version on."""
    bill = site["bill"]
    comment = Comment.objects.filter(bill=bill, status=Decision.ADOPTED).latest("pk")
    url = f"/bills/{bill.slug}/comments/"
    _get(client, url)
    consultation_services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
        explanation="说明改写后的新文字。",
    )
    assert "说明改写后的新文字。" in _get(client, url)[0]


def test_a_consultation_opened_or_unpublished_shows_on_the_bill_page_at_once(
    client, site, staff
):
    bill = site["bill"]
    url = bill.get_absolute_url()
    assert "共 2 次征求意见活动" in _get(client, url)[0]
    consultation = consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=site["revised"],
        channel=Channel.LIAISON_POINT,
        point=site["point"],
        title="测试条例修改稿座谈会",
        held_on=dt.date(2024, 9, 1),
    )
    opened, _ = _get(client, url)
    assert "测试条例修改稿座谈会" in opened and "共 3 次征求意见活动" in opened
    consultation_services.update_consultation(
        consultation=consultation, by=staff, expected_revision=None, is_published=False
    )
    assert "共 2 次征求意见活动" in _get(client, url)[0]


def test_a_signed_in_staff_member_never_gets_or_leaves_a_kept_page(client, site, staff):
    url = site["bill"].get_absolute_url()
    anonymous, _ = _get(client, url)
    client.force_login(staff)
    signed_in, queries = _get(client, url)
    assert "工作台" in signed_in and "工作台" not in anonymous
    assert queries > 2
    client.logout()
    cache.clear()
    client.force_login(staff)
    _get(client, url)
    client.logout()
    assert "工作台" not in _get(client, url)[0]


def test_english_and_chinese_pages_are_kept_apart(client, site):
    url = site["bill"].get_absolute_url()
    chinese, _ = _get(client, url)
    english, _ = _get(client, "/en" + url)
    assert '<html lang="en">' in english and "Key dates" in english
    assert '<html lang="en">' in _get(client, "/en" + url)[0]
    assert _get(client, url)[0] == chinese


def test_kept_pages_show_no_personal_data(client, site):
    pages = []
    for url in _pages(site):
        pages += [_get(client, url)[0], _get(client, url)[0]]
    assert_no_personal_data("\n".join(pages))


# --- the language switch: plain links ---------------------------------------------


def test_the_switch_is_a_pair_of_links_to_the_same_page(client, site):
    page = client.get("/bills/?stage=second_reading").content.decode()
    assert 'href="/en/bills/?stage=second_reading"' in page
    assert 'href="/bills/?stage=second_reading"' in page


def test_the_switch_never_sends_the_reader_off_the_site():
    request = RequestFactory().get("/", {"lang": "en"})
    request.path = request.path_info = "//elsewhere.example/"
    response = ChineseFirstLocaleMiddleware(lambda request: None).process_request(
        request
    )
    assert response["Location"] == "/"


def test_the_kept_pages_are_still_served_while_the_public_submits(client, site, staff):
    bill_page = site["bill"].get_absolute_url()
    comments_page = f"/bills/{site['bill'].slug}/comments/"
    first, _ = _get(client, bill_page)
    _get(client, comments_page)
    comment = consultation_services.submit_public_comment(
        bill=site["bill"], text="等待审核的公众意见。"
    )
    for url in (bill_page, comments_page):
        again, queries = _get(client, url)
        assert queries == 0, url
    assert again.count("等待审核的公众意见") == 0
    # Publishing it shows at once.
    consultation_services.moderate_comments(by=staff, comments=[comment], publish=True)
    shown, queries = _get(client, comments_page)
    assert queries > 0
    assert "等待审核的公众意见" in shown
