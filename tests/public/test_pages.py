"""The public pages: what anyone can read without an account, and what stays hidden."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from consultation import services as consultation_services
from consultation.models import Comment, Decision, LiaisonPoint
from legislation import services
from legislation.models import BillEvent, Meeting, Stage

from .conftest import HIDDEN_BILL_TITLE, SECRET_TITLE, add_comments

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


# --- Home and the bill list ----------------------------------------------------


def test_home_shows_bills_in_progress_with_their_stage_and_the_year_in_numbers(
    client, site
):
    page = _text(client.get("/"))
    assert site["bill"].title in page
    assert (
        "二审中：已于2024年8月28日在市十五届人大常委会第二十一次会议进行第二次审议"
        in page
    )
    assert "2024年立法工作数说" in page
    assert "正在公开征求意见" in page  # the online period is open today
    assert HIDDEN_BILL_TITLE not in page


def test_bill_list_filters_by_stage_kind_and_year_and_searches(client, site):
    bill = site["bill"]
    assert bill.title in _text(client.get("/bills/"))
    assert bill.title in _text(client.get("/bills/?stage=second_reading"))
    assert bill.title not in _text(client.get("/bills/?stage=passed"))
    assert bill.title not in _text(client.get("/bills/?kind=repeal"))
    assert bill.title in _text(client.get("/bills/?year=2024&kind=new"))
    assert bill.title not in _text(client.get("/bills/?year=2023"))
    assert bill.title in _text(client.get("/bills/?q=测试 条例"))
    assert bill.title not in _text(client.get("/bills/?q=电梯"))


def test_bill_list_survives_nonsense_parameters(client, site):
    for query in ("?year=abc", "?stage=nonsense", "?page=999", "?page=x"):
        response = client.get("/bills/" + query)
        assert response.status_code == 200, query


def test_bill_list_never_shows_an_unpublished_bill(client, hidden_bill):
    page = _text(client.get("/bills/"))
    assert HIDDEN_BILL_TITLE not in page
    assert HIDDEN_BILL_TITLE not in _text(client.get("/bills/?q=未公开"))


# --- The bill's status page ------------------------------------------------------


def test_status_page_says_where_the_bill_stands_and_marks_the_current_step(
    client, site
):
    page = _text(client.get(site["bill"].get_absolute_url()))
    assert (
        "二审中：已于2024年8月28日在市十五届人大常委会第二十一次会议进行第二次审议"
        in page
    )
    current = re.findall(r'<li class="step-current" aria-current="step">([^<]+)', page)
    assert current == ["二审"]
    assert '<ol class="progress"' in page
    for field in ("制定", "市人民政府", "市测试管理局"):
        assert field in page


def test_status_page_shows_the_timeline_with_meetings_and_documents(client, site):
    page = _text(client.get(site["bill"].get_absolute_url()))
    assert "第一次审议" in page and "市十五届人大常委会第十九次会议" in page
    assert "关于《长治市测试管理条例（草案）》的说明" in page
    assert "起草说明的正文。" in page


def test_an_unpublished_consultation_stays_off_the_public_timeline(client, site, staff):
    from consultation import services as consultation_services
    from consultation.models import Channel

    bill = site["bill"]
    hearing = consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=site["revised"],
        channel=Channel.PUBLIC_HEARING,
        title="尚未公开的立法听证会",
        held_on=dt.date(2024, 8, 25),
        is_published=False,
    )
    url = bill.get_absolute_url()
    assert "尚未公开的立法听证会" not in _text(client.get(url))
    hearing = consultation_services.update_consultation(
        consultation=hearing, by=staff, expected_revision=None, is_published=True
    )
    assert "尚未公开的立法听证会" in _text(client.get(url))
    consultation_services.update_consultation(
        consultation=hearing, by=staff, expected_revision=None, is_published=False
    )
    assert "尚未公开的立法听证会" not in _text(client.get(url))
    staff_timeline = [e.note for e in BillEvent.objects.filter(bill=bill)]
    assert "尚未公开的立法听证会" in staff_timeline


def test_status_page_shows_the_current_published_text_with_article_anchors(
    client, site
):
    page = _text(client.get(site["bill"].get_absolute_url()))
    assert 'id="article-3"' in page and 'href="#article-3"' in page
    assert "所需经费列入预算" in page  # the revised (current published) text
    assert "（一）建立管理制度；" in page
    assert 'id="chapter-2"' in page


def test_an_older_published_version_can_be_read(client, site):
    page = _text(client.get(site["bill"].get_absolute_url() + "?version=1"))
    assert "市人民政府应当加强对测试工作的领导。" in page


def test_unpublished_versions_do_not_exist_for_the_public(client, site):
    url = site["bill"].get_absolute_url()
    page = _text(client.get(url))
    assert SECRET_TITLE not in page
    assert client.get(url + "?version=3").status_code == 404
    compare = site["bill"].get_absolute_url() + "compare/"
    assert client.get(compare + "?from=2&to=3").status_code == 404
    assert SECRET_TITLE not in _text(client.get(compare))


def test_status_page_shows_consultations_and_outcomes_as_numbers_and_a_chart(
    client, site
):
    page = _text(client.get(site["bill"].get_absolute_url()))
    assert "立法意见征询座谈会" in page and "网上公开征求意见" in page
    assert site["point"].name in page
    assert "共收到意见建议 20 条" in page
    assert 'class="donut"' in page and "<table" in page  # the chart and its table
    assert "还剩25天" in page  # the open comment period


def test_status_page_lists_the_dates_that_apply_once_passed(client, site, staff):
    bill = site["bill"]
    meeting = bill.events.filter(meeting__number=21).get().meeting
    later = type(meeting).objects.get(number=22)
    services.record_vote(
        bill=bill,
        meeting=later,
        yes=40,
        no=0,
        abstain=1,
        by=staff,
        undecided_reason="意见送达较晚，未及逐条研究。",
    )
    bill.refresh_from_db()
    page = _text(client.get(bill.get_absolute_url()))
    assert (
        "已表决通过：已于2024年10月30日经市十五届人大常委会第二十二次会议表决通过"
        in page
    )
    assert "重要日期" in page


@pytest.mark.parametrize(
    "suffix", ["", "compare/", "comments/", "feed/", "compare/?from=1&to=2"]
)
def test_an_unpublished_bill_does_not_exist_for_the_public(client, hidden_bill, suffix):
    url = f"/bills/{hidden_bill.slug}/{suffix}"
    assert client.get(url).status_code == 404


def test_an_unpublished_bill_is_hidden_even_from_staff_on_the_public_site(
    client, hidden_bill, staff
):
    client.force_login(staff)
    assert client.get(f"/bills/{hidden_bill.slug}/").status_code == 404


# --- Comparison ------------------------------------------------------------------


def test_comparison_defaults_to_previous_against_current_and_marks_changed_words(
    client, site
):
    page = _text(client.get(site["bill"].get_absolute_url() + "compare/"))
    assert "修改对照表" in page
    assert re.search(r"<ins>.*?所需经费列入预算", page, re.S)
    assert "<del>" in page or "删除" in page
    # Status in words, not only colour.
    for word in ("修改", "新增", "未修改"):
        assert word in page


def test_comparison_can_show_only_changed_articles(client, site):
    url = site["bill"].get_absolute_url() + "compare/?from=1&to=2"
    full = _text(client.get(url))
    changed = _text(client.get(url + "&changed=1"))
    assert full.count('class="row-unchanged"') > 0
    assert changed.count('class="row-unchanged"') == 0


def test_comparison_offers_a_phone_every_article_or_only_the_changed(client, site):
    url = site["bill"].get_absolute_url() + "compare/?from=1&to=2"
    page = _text(client.get(url))
    # The style sheet hides unchanged rows on a small screen unless all=1.
    assert '<table class="compare">' in page
    assert "条未修改的条文已收起" in page and "&amp;all=1" in page
    every = _text(client.get(url + "&all=1"))
    assert '<table class="compare show-all">' in every
    assert "只显示有变化的条文" in every


@pytest.mark.parametrize("query", ["?from=9&to=2", "?from=1&to=9", "?to=abc&from=1"])
def test_comparison_of_unknown_versions_is_not_found(client, site, query):
    url = site["bill"].get_absolute_url() + "compare/" + query
    assert client.get(url).status_code in (404, 200)
    if "abc" not in query:
        assert client.get(url).status_code == 404


# --- Comments -------------------------------------------------------------------


def test_comments_show_text_article_channel_status_reason_and_explanation(client, site):
    page = _text(client.get(site["bill"].get_absolute_url() + "comments/"))
    assert "建议进一步明确测试资金的来源" in page
    assert "网上公开征求意见" in page and "基层立法联系点" in page
    assert "上位法已有规定" in page and "已在修改稿中吸收。" in page
    assert "针对草案第" in page or "针对草案修改稿第" in page


def test_comments_filter_by_status_and_by_article(client, site):
    url = site["bill"].get_absolute_url() + "comments/"
    adopted = _text(client.get(url + "?status=adopted"))
    assert "已在修改稿中吸收。" in adopted
    assert (
        "上位法已有规定"
        not in adopted.split('id="comments-heading"')[1].split("<aside")[0]
    )
    article = site["draft"].articles.get(number=2)
    on_article = Comment.objects.filter(article=article).count()
    page = _text(client.get(url + f"?article={article.pk}"))
    assert page.count('class="comment"') == on_article > 0


def test_a_filter_the_form_refuses_lists_no_comment(client, site):
    """An outcome that is none, or an article that is no number: nothing listed."""
    url = site["bill"].get_absolute_url() + "comments/"
    assert _text(client.get(url)).count('class="comment"') > 0
    for asked in ("?status=nonsense", "?article=second"):
        page = _text(client.get(url + asked))
        assert page.count('class="comment"') == 0, asked
        assert "没有符合条件的意见。" in page


def test_the_article_filter_offers_each_article_commented_on_with_its_count(
    client, site
):
    """Each published article with public comments is a choice, with how many."""
    url = site["bill"].get_absolute_url() + "comments/"
    page = _text(client.get(url))
    article = site["draft"].articles.get(number=2)
    on_article = Comment.objects.filter(
        article=article, consultation__is_published=True, moderation="published"
    ).count()
    choice = re.search(rf'<option value="{article.pk}">([^<]*)</option>', page)
    assert choice is not None
    label = f"{site['draft'].get_kind_display()} {article.label}（{on_article}）"
    assert choice[1] == label
    assert '<option value="" selected>全部条文</option>' in page


def test_comments_are_paged_by_date_without_gaps_or_repeats(client, site):
    add_comments(site["meeting_at_a"], 30, start=100)
    # Recorded late, made early: the page orders by when a comment was made.
    late = Comment.objects.filter(bill=site["bill"]).order_by("-pk")[:5]
    Comment.objects.filter(pk__in=[c.pk for c in late]).update(
        submitted_on=dt.date(2024, 1, 2)
    )
    url = site["bill"].get_absolute_url() + "comments/"
    seen: list[str] = []
    page = _text(client.get(url))
    assert "按提出日期排列，最近提出的在前" in page
    pages = 0
    while True:
        pages += 1
        seen += re.findall(r'<li class="comment" id="comment-(\d+)"', page)
        older = re.search(r'href="\?(?:[^"]*&amp;)?after=([\d-]+_\d+)"', page)
        if not older:
            break
        page = _text(client.get(url + f"?after={older.group(1)}"))
    expected = [
        str(pk)
        for pk in Comment.objects.filter(bill=site["bill"])
        .order_by("-submitted_on", "-pk")
        .values_list("pk", flat=True)
    ]
    assert pages == 3
    assert seen == expected
    assert set(seen[-5:]) == {str(c.pk) for c in late}
    newer = re.search(r'href="\?(?:[^"]*&amp;)?before=([\d-]+_\d+)"', page)
    back = _text(client.get(url + f"?before={newer.group(1)}"))
    assert re.findall(r'<li class="comment" id="comment-(\d+)"', back) == seen[20:40]


def test_duplicates_are_folded_under_the_comment_they_repeat(client, site, staff):
    kept, repeat = Comment.objects.filter(bill=site["bill"]).order_by("pk")[:2]
    consultation_services.decide_comment(
        comment=repeat, status="duplicate", duplicate_of=kept, by=staff
    )
    url = site["bill"].get_absolute_url() + "comments/"
    page = _text(client.get(url))
    top = re.findall(r'<li class="comment" id="comment-(\d+)"', page)
    assert str(repeat.pk) not in top and str(kept.pk) in top
    folded = page.split(f'id="comment-{kept.pk}"', 1)[1].split("</details>", 1)[0]
    assert "另有1条相同的意见" in folded
    assert f'<li class="comment duplicate" id="comment-{repeat.pk}"' in folded
    # Asked for, duplicates are listed as they are.
    only = _text(client.get(url + "?status=duplicate"))
    assert re.findall(r'<li class="comment" id="comment-(\d+)"', only) == [
        str(repeat.pk)
    ]


def test_comment_pages_keep_the_filter_in_their_links(client, site):
    add_comments(site["meeting_at_a"], 200, start=100)
    page = _text(
        client.get(site["bill"].get_absolute_url() + "comments/?status=adopted")
    )
    assert re.search(r'href="\?status=adopted&amp;after=[\d-]+_\d+"', page)


def test_comments_show_no_personal_data(client, site):
    page = _text(client.get(site["bill"].get_absolute_url() + "comments/"))
    assert "隐名氏" not in page and "1390000" not in page and "保密单位" not in page


# --- Liaison points --------------------------------------------------------------


def test_liaison_points_are_listed_by_district_with_counts(client, site):
    page = _text(client.get("/liaison-points/"))
    assert "潞州区" in page and "上党区" in page
    assert site["point"].name in page
    assert "全市设有 2 个基层立法联系点" in page


def test_a_liaison_point_shows_its_consultations_comments_and_adoption_rate(
    client, site
):
    page = _text(client.get(site["point"].get_absolute_url()))
    assert "立法意见征询座谈会" in page
    assert ">15<" in page  # comments there
    assert "%" in page


def test_an_inactive_liaison_point_is_not_found(client, site):
    LiaisonPoint.objects.filter(pk=site["point"].pk).update(is_active=False)
    assert client.get(site["point"].get_absolute_url()).status_code == 404


# --- Statistics --------------------------------------------------------------------


def test_statistics_show_the_year_in_numbers_with_charts_and_tables(client, site):
    page = _text(client.get("/stats/"))
    assert "2024年数说立法" in page
    assert page.count('class="bar-table"') >= 4
    assert "<svg" in page and 'aria-hidden="true"' in page
    assert "cdn" not in page.lower()


def test_statistics_say_why_comments_by_channel_and_by_district_differ(
    client, site, staff
):
    # A symposium held at a point: counted by district, not as the point channel.
    symposium = consultation_services.record_consultation(
        by=staff,
        bill=site["bill"],
        version=site["meeting_at_a"].version,
        channel="symposium",
        point=site["point"],
        title="联系点座谈会",
        held_on=dt.date(2024, 9, 20),
    )
    add_comments(symposium, 4, start=500)
    page = _text(client.get("/stats/"))
    at_points = Comment.objects.filter(point__isnull=False).count()
    channel = Comment.objects.filter(consultation__channel="liaison_point").count()
    assert at_points == channel + 4
    assert (
        f"按区县统计的是在基层立法联系点收集的全部{at_points}条意见" in page
        and f"“基层立法联系点”（{channel}条）只计联系点意见征询会这一渠道" in page
    )


def test_the_statistics_page_and_the_api_default_to_the_same_year(client, site):
    # No regulation passed yet: the latest year with a meeting, for both,
    # whatever the calendar says.
    page = _text(client.get("/stats/"))
    assert "2024年数说立法" in page
    headline = client.get("/api/v1/stats/").json()["headline"]
    assert headline["year"] == 2024
    meetings = Meeting.objects.filter(date__year=2024).count()
    assert headline["meetings"] == meetings > 0


def test_statistics_of_a_year_without_records_is_not_found(client, site):
    assert client.get("/stats/?year=1999").status_code == 404
    assert client.get("/stats/?year=abc").status_code == 200


# --- Receipts ----------------------------------------------------------------------


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_receipt_shows_the_comment_and_its_outcome_and_no_personal_data(
    client, site, fresh_cache
):
    comment = Comment.objects.filter(status=Decision.NOT_ADOPTED).first()
    code = comment.receipt.lower()  # typed in lower case, with dashes
    page = _text(client.post("/receipt/", {"code": code}))
    assert comment.text in page
    assert "未采纳" in page and "上位法已有规定" in page
    assert site["bill"].title in page
    assert comment.contributor.name not in page
    assert comment.contributor.contact not in page


def test_an_unknown_receipt_says_not_found(client, site, fresh_cache):
    response = client.post("/receipt/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert response.status_code == 200
    assert "未找到" in _text(response)


def test_a_receipt_of_an_unpublished_bill_is_not_found(client, site, fresh_cache):
    comment = Comment.objects.first()
    site["bill"].__class__.objects.filter(pk=site["bill"].pk).update(is_published=False)
    page = _text(client.post("/receipt/", {"code": comment.receipt_code}))
    assert "未找到" in page and comment.text not in page


@override_settings(NPC_RECEIPT_MAX_MISSES=3, NPC_RECEIPT_SLOW_SECONDS=10)
def test_repeated_guessing_from_one_address_is_slowed_not_stopped(
    client, site, fresh_cache
):
    for n in range(3):
        assert client.post("/receipt/", {"code": f"ZZZZZZZZZZZ{n}"}).status_code == 200
    good = Comment.objects.first().receipt_code
    # Slowed: one look-up per ten seconds from this address, right or wrong.
    first = client.post("/receipt/", {"code": good})
    assert first.status_code == 200 and "查询结果" in _text(first)
    blocked = client.post("/receipt/", {"code": good})
    assert blocked.status_code == 429 and blocked["Retry-After"] == "10"
    assert "查询次数过多" in _text(blocked)
    other = client.post("/receipt/", {"code": good}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and "查询结果" in _text(other)


def test_the_receipt_form_uses_post_so_codes_stay_out_of_addresses(client, site):
    page = _text(client.get("/receipt/"))
    assert 'method="post"' in page and 'for="id_code"' in page


# --- Layout and accessibility basics -------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/bills/", "/liaison-points/", "/stats/", "/receipt/"]
)
def test_pages_have_landmarks_a_skip_link_and_no_inline_styles_or_scripts(
    client, site, url
):
    page = _text(client.get(url))
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert page.count("<h1") == 1
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page


def test_bill_page_has_a_single_h1_and_no_inline_styles(client, site):
    page = _text(client.get(site["bill"].get_absolute_url()))
    assert page.count("<h1") == 1
    assert "style=" not in page


def test_csp_header_is_strict(client, site):
    response = client.get("/")
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_a_bill_in_force_says_since_when(client, site, staff):
    from tests.factories import BillFactory
    from tests.legislation.lifecycle import Clock, walk_to

    bill = walk_to(BillFactory(title="长治市已施行条例"), Stage.IN_FORCE, Clock())
    page = _text(client.get(bill.get_absolute_url()))
    day = bill.effective_on
    assert f"已施行：{day.year}年{day.month}月{day.day}日起施行" in page
