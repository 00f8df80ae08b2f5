"""
Public pages are made of parts kept under the version of what they show
(npc.core.parts): a comment makes the next reader render the bill page's figures
and nothing else, another bill's pages not at all, the city's figures at most
once a period; while one reader makes a part or page again, the others get the
previous copy instead of all making it.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import selectors as consultation_selectors
from consultation import services as consultation_services
from consultation.models import Channel, Comment, Decision, LiaisonPoint
from consultation.services._common import shown_changed
from legislation import selectors as bill_selectors
from npc.core import parts
from npc.core.cache import move_on
from npc.public import keeping, views
from tests.factories import BillFactory

from .conftest import add_comments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(kept_pages):
    kept_pages.NPC_PUBLIC_STATS_SECONDS = 5
    kept_pages.NPC_PUBLIC_REBUILD_SECONDS = 10


class Spy:
    """Count the calls of a selector the views call, and let them through."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        self.calls = 0
        self.during = None  # called inside the first call, if set
        real = getattr(module, name)

        def spy(*args, **kwargs):
            self.calls += 1
            if self.during is not None:
                during, self.during = self.during, None
                during()
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [q["sql"] for q in queries]


def _comment(site, staff, text: str = "建议明确测试设备的年检周期。") -> None:
    """A comment entered, and what its entry does once it commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultation_services.enter_comment(
            by=staff, consultation=site["online"], text=text
        )


def _unpublished_consultation(site, staff):
    """A meeting on the bill recorded but not published."""
    return consultation_services.record_consultation(
        by=staff,
        bill=site["bill"],
        version=site["draft"],
        channel=Channel.LIAISON_POINT,
        point=site["point"],
        title="尚未公开的座谈会",
        held_on=site["meeting_at_a"].held_on,
        is_published=False,
    )


def _outcome(page: str, pk: int) -> str:
    """The card of comment ``pk`` on a comments page, up to its outcome's end."""
    return page.split(f'id="comment-{pk}"', 1)[1].split("</div>", 1)[0]


def _public_count(bill) -> int:
    return Comment.objects.filter(bill=bill, consultation__is_published=True).count()


def test_a_comment_makes_the_bill_page_read_its_figures_and_nothing_else(
    client, site, staff, monkeypatch
):
    url = site["bill"].get_absolute_url()
    _get(client, url)
    timeline = Spy(monkeypatch, bill_selectors, "timeline")
    outline = Spy(monkeypatch, bill_selectors, "text_outline")
    outcomes = Spy(monkeypatch, consultation_selectors, "comment_figures")
    _comment(site, staff)
    page, queries = _get(client, url)
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page
    assert (timeline.calls, outline.calls, outcomes.calls) == (0, 0, 1)
    read = " ".join(queries)
    for table in ("billevent", "document", "paragraph"):
        assert f"legislation_{table}" not in read
    assert "第三条" in page  # the kept text is still there


class CacheCalls:
    """
    Record the calls a request makes to the cache, by method (those the
    backend makes of its own methods, as a memory cache's get_many of get, not).
    """

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        self.depth = 0
        backend = caches["default"]
        for name in ("get", "get_many", "set", "set_many", "add", "delete"):
            real = getattr(backend, name)

            def counted(*args, _name=name, _real=real, **kwargs):
                if not self.depth:
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _real(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(backend, name, counted)

        def write_many(ops) -> None:
            # What a Redis cache sends in one round trip (npc.core.cache.write):
            # a memory cache has no such call; counted as one.
            self.calls.append("write_many")
            self.depth += 1
            try:
                for key, value, timeout in ops:
                    if value is None:
                        backend.delete(key)
                    else:
                        backend.set(key, value, timeout)
            finally:
                self.depth -= 1

        monkeypatch.setattr(backend, "write_many", write_many, raising=False)

    @property
    def reads(self) -> list[str]:
        return [c for c in self.calls if c in ("get", "get_many")]

    @property
    def writes(self) -> list[str]:
        return [c for c in self.calls if c not in ("get", "get_many")]


def test_a_bill_page_made_again_after_a_comment_reads_the_cache_twice(
    client, site, staff, monkeypatch, settings
):
    """
    The bill's key and version, the kept page and the bill are read in one
    round trip; its counts versions and the parts of the page in a second:
    each read is a round trip, paid on every comment. Then the figures and
    the page are kept, written together when the page is done: one round
    trip (no lock held with no stale copy given).
    """
    settings.NPC_PUBLIC_REBUILD_SECONDS = 0
    url = site["bill"].get_absolute_url()
    _get(client, url)
    _comment(site, staff)
    calls = CacheCalls(monkeypatch)
    page, queries = _get(client, url)
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page
    assert "第三条" in page  # the kept text
    assert calls.reads == ["get_many", "get_many"]
    assert calls.writes == ["write_many"]
    assert len(queries) == 1  # the figures


def test_a_comments_page_after_a_comment_it_does_not_list_reads_no_item(
    client, site, staff, monkeypatch, settings
):
    """
    A comment the list does not show (one in a consultation not published)
    makes the comments page again, but its kept items come with the newest
    page: the kept page and the bill, then their versions with what arrived
    (the bill's last arrival, read along with its count): two round trips,
    as before a comment, and no item read.
    """
    settings.NPC_PUBLIC_REBUILD_SECONDS = 0
    url = f"/bills/{site['bill'].slug}/comments/"
    unpublished = _unpublished_consultation(site, staff)
    before, _ = _get(client, url)
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultation_services.enter_comment(
            by=staff, consultation=unpublished, text="未公开的座谈会上的意见。"
        )
    calls = CacheCalls(monkeypatch)
    drawn = Spy(monkeypatch, consultation_selectors, "public_comments_by_id")
    page, _ = _get(client, url)
    assert "未公开的座谈会上的意见。" not in page
    assert _listed(page) == _listed(before)
    assert calls.reads == ["get_many", "get_many"]
    assert drawn.calls == 0  # no item drawn


def test_a_comments_page_made_again_after_a_comment_reads_the_cache_three_times(
    client, site, staff, monkeypatch, settings
):
    """
    As the bill page, with its figures, its kept newest page and what arrived
    last read along with the versions; then the item of the comment taken in
    (the others are kept with that page): three round trips. The new
    comment's item, the newest page with it taken in and the page are kept,
    in one write when the page is done. (The figures are summed: a sum read
    in the transaction that entered the comment cannot tell what it counted,
    and is not kept; tests/public/test_kept_figures.py follows them across
    transactions.)
    """
    settings.NPC_PUBLIC_REBUILD_SECONDS = 0
    url = f"/bills/{site['bill'].slug}/comments/"
    _get(client, url)
    _comment(site, staff, "建议明确测试设备年检的费用由谁承担。")
    calls = CacheCalls(monkeypatch)
    drawn = Spy(monkeypatch, consultation_selectors, "public_comments_by_id")
    page, _ = _get(client, url)
    assert "建议明确测试设备年检的费用由谁承担。" in page
    assert calls.reads == ["get_many", "get_many", "get_many"]
    assert calls.writes == ["write_many"]
    assert drawn.calls == 1  # the new comment's item, alone


def test_the_statistics_page_reads_its_versions_once_with_the_kept_page(
    client, site, monkeypatch, settings
):
    """
    The city's pages read the bills' version once, with the kept page and
    the years they may show, then their parts: two round trips for a page not
    kept yet, one write, and no query.
    """
    settings.NPC_PUBLIC_REBUILD_SECONDS = 0
    # Both requests within one period of the city's figures (5 s here): a
    # new period would count them again, whatever the clock says between.
    monkeypatch.setattr(parts.time, "time", lambda: 1_000_002.0)
    _get(client, "/stats/")
    calls = CacheCalls(monkeypatch)
    _, queries = _get(client, "/stats/?from=elsewhere")
    assert calls.reads == ["get_many", "get_many"]
    assert calls.writes == ["write_many"]
    assert queries == []


def test_the_table_of_consultations_is_made_again_when_what_it_shows_changes_not_with_a_comment(
    client, site, staff, monkeypatch
):
    url = site["bill"].get_absolute_url()
    _get(client, url)
    # Each row with a liaison point links to it: the table is drawn if called.
    drawn = Spy(monkeypatch, LiaisonPoint, "get_absolute_url")
    _comment(site, staff)
    page, _ = _get(client, url)
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page
    assert drawn.calls == 0
    meeting = site["meeting_at_a"]
    consultation_services.update_consultation(
        consultation=meeting, by=staff, expected_revision=None, participants=43
    )
    page, _ = _get(client, url)
    assert drawn.calls > 0
    assert '<td class="num">43</td>' in page


def test_comments_arriving_leave_the_changes_they_brought_kept_and_a_decision_does_not(
    client, site, staff, monkeypatch
):
    """
    What the bill page shows of decisions (the changes comments brought) and
    of consultations is kept under the settled version: new comments leave it,
    a decision moves it.
    """
    url = site["bill"].get_absolute_url()
    _get(client, url)
    changes = Spy(monkeypatch, consultation_selectors, "changes_from_comments")
    held = Spy(monkeypatch, consultation_selectors, "public_consultations")
    submissions = Spy(monkeypatch, consultation_selectors, "public_submissions")
    for n in range(3):
        _comment(site, staff, f"建议明确测试设备的年检周期（第{n}条）。")
        page, queries = _get(client, url)
        assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page
        assert len(queries) == 1  # the figures' tally
    assert (changes.calls, held.calls, submissions.calls) == (0, 0, 0)
    comment = Comment.objects.filter(consultation=site["meeting_at_a"]).first()
    consultation_services.decide_comment(
        comment=comment,
        status=Decision.ADOPTED,
        by=staff,
        articles=[site["revised"].articles.get(number=3)],
    )
    page, _ = _get(client, url)
    assert (changes.calls, held.calls, submissions.calls) == (1, 1, 1)
    assert "草案修改稿第三条：1条意见" in page


def test_the_bill_pages_figures_are_the_comment_lists_counted_a_lighter_way(
    site, staff
):
    bill = site["bill"]
    # Comments in a consultation not (or no longer) public count on neither.
    withdrawn = _unpublished_consultation(site, staff)
    add_comments(withdrawn, 7, start=500)
    add_comments(site["meeting_at_a"], 40, start=100)
    outcomes = consultation_selectors.comment_outcomes(bill=bill)
    with CaptureQueriesContext(connection) as queries:
        figures = consultation_selectors.comment_figures(bill=bill)
    assert figures == {k: v for k, v in outcomes.items() if k != "by_article"}
    assert figures["total"] == _public_count(bill)
    # The counts by status and consultation, and the public submissions.
    assert len(queries) == 2
    assert "legislation_article" not in " ".join(q["sql"] for q in queries)


def test_the_changes_comments_brought_are_ranked_in_one_query_however_many(
    client, site, staff
):
    bill, revised = site["bill"], site["revised"]
    third, fourth = (revised.articles.get(number=n) for n in (3, 4))
    comments = list(
        Comment.objects.filter(bill=bill, consultation=site["meeting_at_a"]).order_by(
            "pk"
        )[:5]
    )

    def adopt(comment, article):
        consultation_services.decide_comment(
            comment=comment, status=Decision.ADOPTED, by=staff, articles=[article]
        )

    adopt(comments[1], fourth)
    for comment in (comments[4], comments[2], comments[3]):
        adopt(comment, third)
    with CaptureQueriesContext(connection) as queries:
        changes = consultation_selectors.changes_from_comments(bill_id=bill.pk)
    assert len(queries) == 1
    assert [(c.article.pk, c.count) for c in changes] == [(third.pk, 3), (fourth.pk, 1)]
    # The example is the earliest comment taken up into the article.
    comments[2].refresh_from_db()
    assert changes[0].example == comments[2].text
    page, _ = _get(client, bill.get_absolute_url())
    assert "草案修改稿第三条：3条意见" in page
    assert "草案修改稿第四条：1条意见" in page


def test_a_comment_on_one_bill_leaves_another_bills_pages_kept(
    client, site, staff, monkeypatch
):
    other = BillFactory(title="长治市另一条例", slug="another-regulation")
    pages = [other.get_absolute_url(), f"/bills/{other.slug}/comments/"]
    first = {url: _get(client, url)[0] for url in pages}
    figures = Spy(monkeypatch, consultation_selectors, "comment_figures")
    outcomes = Spy(monkeypatch, consultation_selectors, "comment_outcomes")
    _comment(site, staff)
    for url in pages:
        again, queries = _get(client, url)
        assert again == first[url]
        assert queries == [], url
    assert (figures.calls, outcomes.calls) == (0, 0)
    # …while the bill commented on shows the comment at once.
    page, _ = _get(client, site["bill"].get_absolute_url())
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page


def test_while_one_reader_makes_the_page_again_the_others_get_the_previous_copy(
    client, site, staff, monkeypatch
):
    url = site["bill"].get_absolute_url()
    before, _ = _get(client, url)
    _comment(site, staff)
    outcomes = Spy(monkeypatch, consultation_selectors, "comment_figures")
    served = {}

    def another_reader():
        request = RequestFactory().get(url)
        request.user = AnonymousUser()
        response = views.BillDetailView.as_view()(request, slug=site["bill"].slug)
        served["page"] = response.content.decode()

    # The first reader after the comment makes the figures again; a second one
    # arriving meanwhile is served the page as it was, and makes nothing.
    outcomes.during = another_reader
    after, _ = _get(client, url)
    assert outcomes.calls == 1
    assert served["page"] == before
    assert after != before
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in after


def test_a_stale_part_is_made_by_one_reader_while_the_others_get_the_old_copy():
    made = []

    def make(value):
        made.append(value)
        return value

    assert parts.part(["figures"], lambda: make("old"), version=1) == "old"
    seen = []

    def rebuild():
        # Another reader asks while this one holds the part's lock.
        seen.append(parts.part(["figures"], lambda: make("other"), version=2))
        return make("new")

    assert parts.part(["figures"], rebuild, version=2) == "new"
    assert seen == ["old"]
    assert made == ["old", "new"]
    assert parts.part(["figures"], lambda: make("again"), version=2) == "new"


def test_with_no_copy_a_reader_waits_for_the_one_making_it(monkeypatch):
    monkeypatch.setattr(parts, "WAIT_SECONDS", 0.05)
    made = []

    def rebuild():
        # Nothing kept yet: a reader who comes meanwhile waits, then makes it
        # itself as the holder has not finished within the wait.
        made.append(parts.part(["text"], lambda: "waited", version=1))
        return "held"

    assert parts.part(["text"], rebuild, version=1) == "held"
    assert made == ["waited"]


def test_a_part_made_under_an_error_is_not_kept():
    assert parts.part(["page"], lambda: "error", version=1, keep=lambda v: False)
    assert parts.part(["page"], lambda: "good", version=1) == "good"


def test_a_part_kept_before_the_cache_came_back_is_made_again_under_any_version():
    """
    A version read just before the cache came back may still match a part
    kept before the outage, which may miss changes made during it: once the
    epoch moved on, that copy is made again, whatever the version.
    """
    assert parts.part(["text"], lambda: "before", version=1) == "before"
    assert parts.part(["text"], lambda: "again", version=1) == "before"
    move_on(parts.EPOCH_KEY)  # the cache came back
    assert parts.part(["text"], lambda: "after", version=1) == "after"


def test_the_city_figures_are_counted_at_most_once_a_period(
    client, site, staff, monkeypatch
):
    now = [1_000_000.0]
    monkeypatch.setattr(parts.time, "time", lambda: now[0])
    stats = Spy(monkeypatch, consultation_selectors, "comment_stats")
    first, _ = _get(client, "/stats/")
    home, _ = _get(client, "/")
    counted = stats.calls
    for n in range(3):
        _comment(site, staff, f"第{n}条意见，统计页面不必每次重算。")
        now[0] += 1
        assert _get(client, "/stats/")[0] == first
        assert _get(client, "/")[0] == home
    assert stats.calls == counted
    now[0] += 5  # the period is over: counted once more, for every reader
    _get(client, "/stats/")
    _get(client, "/stats/")
    assert stats.calls == counted + 1


def test_the_city_figures_in_a_bills_api_statistics_wait_for_the_period(
    client, site, staff, monkeypatch
):
    """
    A bill's API statistics follow its comments at once; the city's figures
    beside them (the headline, the points) are those of the statistics page,
    counted again at most once a period however many comments arrive.
    """
    now = [1_000_000.0]
    monkeypatch.setattr(parts.time, "time", lambda: now[0])
    year = timezone.localdate().year  # the year the comments are made in
    url = f"/api/v1/stats/?bill={site['bill'].slug}&year={year}"
    points = Spy(monkeypatch, consultation_selectors, "point_stats")
    headline = Spy(monkeypatch, consultation_selectors, "headline_numbers")
    total = client.get(url).json()["comments"]["total"]
    for n in range(3):
        _comment(site, staff, f"第{n}条意见，全市数字不必每次重算。")
        now[0] += 1
        assert client.get(url).json()["comments"]["total"] == total + n + 1
    assert (points.calls, headline.calls) == (1, 1)
    now[0] += 5  # the period is over: the next answer counts them again
    _comment(site, staff, "又一条意见。")
    client.get(url)
    assert (points.calls, headline.calls) == (2, 2)


@pytest.mark.parametrize(
    "page", ["/bills/{slug}/", "/bills/{slug}/comments/", "/stats/"]
)
def test_a_page_runs_as_many_queries_kept_made_and_after_a_comment_with_more_comments(
    client, site, staff, monkeypatch, page
):
    url = page.format(slug=site["bill"].slug)
    now = [1_000_000.0]
    monkeypatch.setattr(parts.time, "time", lambda: now[0])

    def counts() -> tuple[int, int, int]:
        cache.clear()
        made = len(_get(client, url)[1])
        kept = len(_get(client, url)[1])
        _comment(site, staff)
        now[0] += 6  # past the city's period of 5 s too, within the pages' 60 s
        after = len(_get(client, url)[1])
        return made, kept, after

    small = counts()
    add_comments(site["meeting_at_a"], 400, start=100)
    add_comments(site["online"], 300, start=1000)
    large = counts()
    assert large == small
    assert small[1] == 0
    assert small == BUDGETS[page]


# Queries of a page: made from nothing, kept, made again after a comment.
BUDGETS = {
    # After a comment: the figures' tally only (the consultations, the public
    # submissions and the changes comments brought stay kept).
    "/bills/{slug}/": (10, 0, 1),
    # The articles' counts and the public submissions are kept under the
    # settled version: not after a comment. After one: the tally, the new
    # comment's duplicates (none), and the new comment alone, whose item is the
    # only one drawn; the newest page takes it in (consultation.arrivals).
    "/bills/{slug}/comments/": (8, 0, 3),
    # The city's figures, counted again once the period is over.
    "/stats/": (17, 0, 17),
}


def test_a_comment_on_one_bill_leaves_the_api_reads_of_another_bill_kept(
    client, site, staff
):
    other = BillFactory(title="长治市另一条例", slug="another-regulation")
    reads = [
        f"/api/v1/comments/?bill={other.slug}",
        f"/api/v1/stats/?bill={other.slug}",
    ]
    first = {url: _get(client, url)[0] for url in reads}
    ours = f"/api/v1/comments/?bill={site['bill'].slug}"
    _get(client, ours)
    text = "建议对测试设备的年检作出规定（接口）。"
    _comment(site, staff, text)
    for url in reads:
        again, queries = _get(client, url)
        assert (again, queries) == (first[url], []), url
    assert text in _get(client, ours)[0]


def test_a_part_under_a_version_is_made_again_within_the_kept_pages_lifetime(
    client, site, monkeypatch
):
    # A change that moves no version (or moves it in another process's memory,
    # with no shared cache) must still show within NPC_PUBLIC_CACHE_SECONDS.
    url = site["bill"].get_absolute_url()
    now = [1_000_000.0]
    monkeypatch.setattr(parts.time, "time", lambda: now[0])
    _get(client, url)
    timeline = Spy(monkeypatch, bill_selectors, "timeline")
    outline = Spy(monkeypatch, bill_selectors, "text_outline")
    now[0] += 59
    _get(client, url)
    assert timeline.calls == 0  # still fresh
    now[0] += 2  # 61 s after the parts were made
    _get(client, url)
    assert timeline.calls == 1  # made again, once
    assert outline.calls == 0  # a version's text never changes


def test_the_kept_shell_of_a_bill_page_is_never_a_signed_in_readers_page(
    client, site, staff
):
    """
    An anonymous reader's bill page is a kept shell with the figures filled
    in; a signed-in reader's is rendered whole (its header names them), and
    never kept for the others.
    """
    url = site["bill"].get_absolute_url()
    client.force_login(staff)
    signed_in, _ = _get(client, url)
    assert staff.get_username() in signed_in
    client.logout()
    _get(client, url)
    _comment(site, staff)  # a new whole page, from the kept shell
    page, queries = _get(client, url)
    assert staff.get_username() not in page and "csrfmiddlewaretoken" not in page
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in page
    assert page.count('id="consultation-heading"') == 1
    assert "<!-- bill-figures -->" not in page
    assert len(queries) == 1
    # Signed in again: the whole page, with the same figures.
    client.force_login(staff)
    again, _ = _get(client, url)
    assert staff.get_username() in again
    assert f"共收到意见建议 {_public_count(site['bill'])} 条" in again


def test_a_kept_comment_card_is_drawn_again_when_what_it_shows_changes(
    client, site, staff, monkeypatch
):
    """
    The comments page keeps each comment's item of the list (its card and
    the duplicates folded under it); a new comment leaves the others' kept, a
    decision or a renamed point draws that one again, and a search draws its
    cards with the words marked.
    """
    url = f"/bills/{site['bill'].slug}/comments/"
    _get(client, url)
    drawn = Spy(monkeypatch, keeping, "render_to_string")
    _comment(site, staff, "建议明确测试设备的年检周期（新）。")
    page, _ = _get(client, url)
    assert drawn.calls == 1  # the new comment's item only
    assert "建议明确测试设备的年检周期（新）。" in page
    listed = [int(pk) for pk in re.findall(r'id="comment-(\d+)"', page)]
    comment = Comment.objects.filter(pk__in=listed, status=Decision.PENDING).first()
    consultation_services.decide_comment(
        comment=comment,
        status=Decision.NOT_ADOPTED,
        reason="already_in_draft",
        explanation="草案第三条已有规定（卡片测试）。",
        by=staff,
    )
    page, _ = _get(client, url)
    assert "草案第三条已有规定（卡片测试）。" in page
    point = site["point"]
    assert point.name in page
    LiaisonPoint.objects.filter(pk=point.pk).update(name="改名后的联系点（卡片测试）")
    shown_changed([site["bill"].pk])
    page, _ = _get(client, url)
    assert "改名后的联系点（卡片测试）" in page
    searched, _ = _get(client, url + "?q=年检")
    assert "<mark>年检</mark>" in searched


def test_a_decision_on_a_comment_redraws_the_cards_of_its_folded_duplicates(
    client, site, staff
):
    """
    A folded duplicate's card says what was decided on the comment it repeats:
    a decision on that comment (not on the duplicate) draws it again.
    """
    url = f"/bills/{site['bill'].slug}/comments/"
    for text in (
        "建议增设电梯应急呼叫装置（折叠）。",
        "同上，建议增设应急呼叫装置（折叠）。",
    ):
        _comment(site, staff, text)
    kept, repeat = Comment.objects.filter(text__contains="（折叠）").order_by("pk")
    consultation_services.decide_comment(
        comment=repeat, status=Decision.DUPLICATE, duplicate_of=kept, by=staff
    )
    page, _ = _get(client, url)
    assert "与另一条意见相同，已合并研究</p>" in _outcome(page, repeat.pk)
    consultation_services.decide_comment(
        comment=kept,
        status=Decision.NOT_ADOPTED,
        reason="already_in_draft",
        explanation="草案已有规定（折叠测试）。",
        by=staff,
    )
    page, _ = _get(client, url)
    assert "与另一条意见相同，已合并研究：未采纳" in _outcome(page, repeat.pk)


def _pending(bill) -> int:
    return Comment.objects.filter(
        bill=bill, consultation__is_published=True, status=Decision.PENDING
    ).count()


def test_the_kept_shell_of_a_comments_page_takes_the_new_list_and_figures(
    client, site, staff, monkeypatch
):
    """
    An anonymous reader's comments page is a kept shell with its list, the
    counts of the outcomes to choose from and the figures beside it drawn at
    each request: a comment arriving leaves the shell kept and shows in all
    three. Each choice of filters has a shell of its own; a signed-in reader's
    page is rendered whole, and never kept for the others.
    """
    url = f"/bills/{site['bill'].slug}/comments/"
    bill = site["bill"]
    _get(client, url)
    _get(client, url + "?status=pending")
    drawn = Spy(monkeypatch, keeping, "render_to_string")
    _comment(site, staff, "建议明确测试设备的检验机构（外壳）。")
    page, _ = _get(client, url)
    assert drawn.calls == 1  # the new comment's item; the shell is kept
    assert "建议明确测试设备的检验机构（外壳）。" in page
    assert f">待研究（{_pending(bill)}）</option>" in page
    assert f"共 {_public_count(bill)} 条" in page
    assert "<!-- hole:" not in page
    assert "显示全部意见" not in page  # the unfiltered page's own shell
    filtered, _ = _get(client, url + "?status=pending")
    assert "显示全部意见" in filtered
    assert f'<option value="pending" selected>待研究（{_pending(bill)}）' in filtered
    assert "建议明确测试设备的检验机构（外壳）。" in filtered
    client.force_login(staff)
    signed_in, _ = _get(client, url)
    assert staff.get_username() in signed_in
    client.logout()
    again, _ = _get(client, url)
    assert staff.get_username() not in again
    assert "csrfmiddlewaretoken" not in again


def test_a_later_page_of_comments_reads_its_keys_alone_after_a_comment(
    client, site, staff
):
    """
    A comment arriving lists a page of older comments again, and nothing else
    of it is read: its items, with the duplicates folded under them, are kept
    (comments arrive undecided: none is anyone's duplicate yet).
    """
    add_comments(site["meeting_at_a"], 30, start=100)
    url = f"/bills/{site['bill'].slug}/comments/"
    first, _ = _get(client, url)
    older = url + "?" + re.search(r'href="\?(after=[^"]+)"', first)[1]
    listed = [
        int(pk) for pk in re.findall(r'id="comment-(\d+)"', _get(client, older)[0])
    ]
    kept, repeat = Comment.objects.filter(pk__in=listed).order_by("pk")[:2]
    consultation_services.decide_comment(
        comment=repeat, status=Decision.DUPLICATE, duplicate_of=kept, by=staff
    )
    page, _ = _get(client, older)
    assert "与另一条意见相同" in _folded(page, kept.pk)
    assert f'class="comment duplicate" id="comment-{repeat.pk}"' in page
    _comment(site, staff, "建议明确测试设备的报废标准（新）。")
    again, queries = _get(client, older)
    assert _listed(again) == _listed(page)
    # The outcome counts and the page's keys.
    assert len(queries) == 2, queries


def test_a_duplicate_withheld_leaves_the_comments_it_was_folded_under(
    client, site, staff
):
    """
    The duplicates folded under a comment are kept with it: a
    duplicate withheld by moderation leaves it at once, and one published
    joins it.
    """
    bill = site["bill"]
    kept = Comment.objects.filter(bill=bill, consultation__is_published=True).first()
    repeat = consultation_services.submit_public_comment(
        bill=bill,
        text="与上一条相同的意见（折叠后审核）。",
        article_number=3,
        contributor_name="",
        contributor_contact="",
        consent=True,
    )
    consultation_services.moderate_comments(by=staff, comments=[repeat], publish=True)
    consultation_services.decide_comment(
        comment=repeat, status=Decision.DUPLICATE, duplicate_of=kept, by=staff
    )
    url = f"/bills/{bill.slug}/comments/"
    page, _ = _get(client, url)
    assert "与上一条相同的意见（折叠后审核）。" in _folded(page, kept.pk)
    consultation_services.moderate_comments(
        by=staff, comments=[repeat], publish=False, reason="advertising"
    )
    page, _ = _get(client, url)
    assert "与上一条相同的意见（折叠后审核）。" not in page
    consultation_services.moderate_comments(by=staff, comments=[repeat], publish=True)
    page, _ = _get(client, url)
    assert "与上一条相同的意见（折叠后审核）。" in _folded(page, kept.pk)


def _folded(page: str, pk: int) -> str:
    """The duplicates folded under comment ``pk`` on a comments page."""
    return page.split(f'id="comment-{pk}"', 1)[1].split("</details>", 1)[0]


def _listed(page: str) -> str:
    """The list of a comments page, with its pager."""
    return page.split('id="comments-order"', 1)[1].split("<aside", 1)[0]


def test_each_language_keeps_a_comments_page_shell_of_its_own(client, site, staff):
    """The shell and its holes are drawn in the page's language, each kept apart."""
    slug = site["bill"].slug
    _get(client, f"/bills/{slug}/comments/")
    _get(client, f"/en/bills/{slug}/comments/")
    _comment(site, staff, "建议明确测试设备的维保记录（双语）。")
    chinese, _ = _get(client, f"/bills/{slug}/comments/")
    english, _ = _get(client, f"/en/bills/{slug}/comments/")
    assert '<html lang="zh-hans">' in chinese and "筛选意见" in chinese
    assert f">待研究（{_pending(site['bill'])}）</option>" in chinese
    assert '<html lang="en">' in english and "筛选意见" not in english
    assert f">Pending ({_pending(site['bill'])})</option>" in english
    for page in (chinese, english):
        assert "建议明确测试设备的维保记录（双语）。" in page
