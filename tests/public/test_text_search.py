"""Bills found by the words of their articles; the comments page's keyword box."""

import datetime as dt

import pytest

from legislation import services
from tests.factories import BillFactory, CommentFactory, ConsultationFactory

pytestmark = pytest.mark.django_db

ELEVATOR = """长治市电梯安全条例（草案）

第一条 为了加强电梯安全管理，制定本条例。
第二条 发生电梯困人故障的，使用单位应当立即组织救援。
第三条 电梯维护保养单位应当在接到困人报告后三十分钟内到达现场。
"""


@pytest.fixture
def elevator(staff):
    bill = BillFactory(title="长治市电梯安全条例", slug="elevator")
    services.add_draft_version(
        bill=bill,
        text=ELEVATOR,
        title="长治市电梯安全条例（草案）",
        kind="draft",
        on=dt.date(2024, 4, 1),
        by=staff,
        is_published=True,
    )
    return bill


def test_the_api_finds_bills_by_the_words_of_their_articles(client, elevator, bill):
    found = client.get("/api/v1/bills/", {"q": "困人"}).json()["results"]
    assert [b["slug"] for b in found] == ["elevator"]
    both = client.get("/api/v1/bills/", {"q": "困人 三十分钟"}).json()["results"]
    assert [b["slug"] for b in both] == ["elevator"]
    none = client.get("/api/v1/bills/", {"q": "困人 停车场"}).json()["results"]
    assert none == []


def test_unpublished_texts_are_not_searched(client, elevator, staff):
    elevator.refresh_from_db()
    services.add_draft_version(
        bill=elevator,
        text=ELEVATOR.replace("三十分钟", "十五分钟"),
        title="修改稿",
        kind="revised",
        on=dt.date(2024, 5, 1),
        by=staff,
        is_published=False,
    )
    assert client.get("/api/v1/bills/", {"q": "十五分钟"}).json()["results"] == []


def test_the_bill_list_shows_the_matching_articles_highlighted(client, elevator):
    page = client.get("/bills/", {"q": "困人"}).content.decode()
    assert 'href="/bills/elevator/#article-2">第二条</a>' in page
    assert "发生电梯<mark>困人</mark>故障的" in page
    assert 'href="/bills/elevator/#article-1"' not in page


def test_the_comments_page_has_a_keyword_box_and_marks_the_words(client, bill, draft):
    consultation = ConsultationFactory(bill=bill, version=draft, is_published=True)
    CommentFactory(consultation=consultation, text="建议缩短电梯困人后的救援时间。")
    CommentFactory(consultation=consultation, text="建议增加停车位。")

    page = client.get(f"/bills/{bill.slug}/comments/", {"q": "困人"})
    html = page.content.decode()

    assert 'name="q"' in html
    assert 'value="困人"' in html
    assert "电梯<mark>困人</mark>后的救援时间" in html
    assert "停车位" not in html.split('id="comments-heading"')[1]


def test_highlighting_escapes_the_text(client, bill, draft):
    consultation = ConsultationFactory(bill=bill, version=draft, is_published=True)
    CommentFactory(consultation=consultation, text="<b>困人</b>时如何处理？")
    html = client.get(f"/bills/{bill.slug}/comments/", {"q": "困人"}).content.decode()
    assert "&lt;b&gt;<mark>困人</mark>&lt;/b&gt;" in html


def test_a_match_in_an_older_version_links_to_that_version(client, elevator, staff):
    elevator.refresh_from_db()
    services.add_draft_version(
        bill=elevator,
        text=ELEVATOR.replace("困人", "被困"),
        title="修改稿",
        kind="revised",
        on=dt.date(2024, 5, 1),
        by=staff,
        is_published=True,
    )
    page = client.get("/bills/", {"q": "困人"}).content.decode()
    assert 'href="/bills/elevator/?version=1#article-2">第二条</a>' in page
    latest = client.get("/bills/", {"q": "被困"}).content.decode()
    assert 'href="/bills/elevator/#article-2">第二条</a>' in latest


def test_the_articles_holding_the_most_words_come_first(client, elevator):
    page = client.get("/bills/", {"q": "困人 三十分钟"}).content.decode()
    results = page.split('id="results-heading"')[1]
    assert results.index("#article-3") < results.index("#article-2")
    assert "<mark>三十分钟</mark>" in results


def test_words_and_markup_are_escaped_where_they_are_shown(client, staff):
    bill = BillFactory(title="长治市标记条例", slug="markup")
    services.add_draft_version(
        bill=bill,
        text="长治市标记条例（草案）\n\n第一条 网页中的<script>alert(1)</script>不得执行。\n",
        title="草案",
        kind="draft",
        on=dt.date(2024, 4, 1),
        by=staff,
        is_published=True,
    )
    html = client.get("/bills/", {"q": "<script>"}).content.decode()
    assert "<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;"' in html


# Regulations: found by the words of their text in force.

REGULATION = """长治市电梯安全条例

第一条 为了加强电梯安全管理，制定本条例。
第二条 发生电梯困人故障的，使用单位应当立即组织救援。
"""


@pytest.fixture
def regulations(staff):
    from legislation.services import regulations as laws

    elevator = laws.record_earlier_regulation(
        title="长治市电梯安全条例",
        slug="elevator-law",
        text=REGULATION,
        announcement_number="第5号",
        promulgated_on=dt.date(2020, 1, 1),
        effective_on=dt.date(2020, 3, 1),
        by=staff,
    )
    water = laws.record_earlier_regulation(
        title="长治市饮用水水源地保护条例",
        slug="water-law",
        text="长治市饮用水水源地保护条例\n\n第一条 为了保护饮用水水源，制定本条例。\n",
        announcement_number="第6号",
        promulgated_on=dt.date(2021, 1, 1),
        effective_on=dt.date(2021, 3, 1),
        by=staff,
    )
    return elevator, water


def test_regulations_are_found_by_the_words_of_their_text_in_force(client, regulations):
    page = client.get("/laws/", {"q": "困人"})
    html = page.content.decode()
    assert [row.regulation.slug for row in page.context["rows"]] == ["elevator-law"]
    assert 'href="/laws/elevator-law/#article-2">第二条</a>' in html
    assert "发生电梯<mark>困人</mark>故障的" in html
    assert 'name="q"' in html and 'value="困人"' in html

    by_title = client.get("/laws/", {"q": "水源地"}).context["rows"]
    assert [row.regulation.slug for row in by_title] == ["water-law"]
    both = client.get("/laws/", {"q": "困人 水源"}).context["rows"]
    assert both == []


def test_a_regulation_is_searched_in_the_text_in_force_on_the_day(
    client, regulations, staff
):
    from tests.legislation.lifecycle import Clock, walk_to

    elevator, _ = regulations
    amendment = BillFactory(kind="amendment", slug="elevator-amendment")
    services.name_regulation(bill=amendment, regulation=elevator, by=staff)
    amendment.refresh_from_db()
    services.add_draft_version(
        bill=amendment,
        text=REGULATION.replace("困人", "被困"),
        title="修正案",
        kind="promulgated",
        on=dt.date(2024, 1, 1),
        by=staff,
        is_published=True,
    )
    amendment.refresh_from_db()
    walk_to(amendment, "in_force", Clock(), staff)

    assert client.get("/laws/", {"q": "困人"}).context["rows"] == []
    today = client.get("/laws/", {"q": "被困"}).content.decode()
    assert 'href="/laws/elevator-law/#article-2"' in today
    earlier = client.get("/laws/", {"q": "困人", "on": "2022-01-01"})
    assert [r.regulation.slug for r in earlier.context["rows"]] == ["elevator-law"]
    assert (
        'href="/laws/elevator-law/?on=2022-01-01#article-2"' in earlier.content.decode()
    )
    # Before it was in force, it has no text to search.
    before = client.get("/laws/", {"q": "困人", "on": "2019-01-01"})
    assert before.context["rows"] == []


def test_the_staff_comment_board_marks_the_words_searched(client, staff, bill, draft):
    consultation = ConsultationFactory(bill=bill, version=draft, is_published=True)
    CommentFactory(
        consultation=consultation, text="<i>电梯</i>困人后应当在三十分钟内救援。"
    )
    CommentFactory(consultation=consultation, text="建议增加停车位。")
    client.force_login(staff)
    board = f"/staff/bills/{bill.slug}/comments/"

    html = client.get(board, {"q": "困人"}).content.decode()

    assert "&lt;i&gt;电梯&lt;/i&gt;<mark>困人</mark>后应当" in html
    assert "停车位" not in html
    assert "<mark>" not in client.get(board).content.decode()
