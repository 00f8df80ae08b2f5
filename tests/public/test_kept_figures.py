"""
A bill's outcome figures take in the comments that arrive instead of being
summed again after each (npc.public.keeping.outcome_statuses), and count each
comment once, whenever it committed: followed across real commits, as the
public reads them, on PostgreSQL (whose snapshots tell what a sum counted).
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import arrivals
from consultation import services as consultation_services
from consultation.models import Comment, Decision, Reason

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _kept(kept_pages):
    # Every reader that finds a part out of date makes it (none served stale).
    kept_pages.NPC_PUBLIC_REBUILD_SECONDS = 0


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [q["sql"] for q in queries]


def _enter(site, staff, text: str) -> Comment:
    """A comment entered by staff, committed (and numbered) as in a request."""
    return consultation_services.enter_comment(
        by=staff,
        consultation=site["online"],
        text=text,
        submitted_on=timezone.localdate(),
    )


def _public_count(bill) -> int:
    return Comment.objects.filter(bill=bill, consultation__is_published=True).count()


def _totals(page: str) -> list[int]:
    """The totals a page's figures give (the comments page: its aside)."""
    return [int(n) for n in re.findall(r"共(?:收到意见建议)? (\d+) 条", page)]


def _pending(page: str) -> int:
    """How many comments the page's outcome chart counts as awaiting study."""
    return int(re.search(r'待研究</th>\s*<td class="num">(\d+)</td>', page)[1])


def _public_pending(bill) -> int:
    return Comment.objects.filter(
        bill=bill, consultation__is_published=True, status=Decision.PENDING
    ).count()


def _sums(queries: list[str]) -> bool:
    return any("consultation_commenttally" in sql for sql in queries)


@pytest.mark.parametrize("page", ["bill", "comments"])
def test_a_comment_entered_is_counted_without_summing_again(client, site, staff, page):
    bill = site["bill"]
    url = bill.get_absolute_url() + ("comments/" if page == "comments" else "")
    before, queries = _get(client, url)
    assert _totals(before) == [_public_count(bill)]
    assert _sums(queries)
    for n in range(3):
        _enter(site, staff, f"第{n + 1}条新到的意见，计入处理情况。")
        after, queries = _get(client, url)
        assert _totals(after) == [_public_count(bill)]
        assert _pending(after) == _public_pending(bill)
        assert not _sums(queries)


def test_a_comment_committed_while_the_figures_are_summed_is_counted_once(
    client, site, staff, monkeypatch
):
    """
    The comment commits, a reader sums the figures with it and keeps them,
    and only then is the comment numbered: taken in after, it must not be
    counted twice. (Its numbering held back until after the sum.)
    """
    bill = site["bill"]
    url = f"/bills/{bill.slug}/comments/"
    _get(client, url)
    held_back = []
    keep = arrivals._keep
    monkeypatch.setattr(arrivals, "_keep", lambda *args: held_back.append(args))
    late = _enter(site, staff, "提交后稍晚才编号的意见。")
    cache.clear()  # the kept figures evicted: the next reader sums them
    summed, queries = _get(client, url)
    assert _sums(queries)
    assert _totals(summed) == [_public_count(bill)]
    monkeypatch.setattr(arrivals, "_keep", keep)
    keep(*held_back.pop())  # numbered after the sum that counted it
    page, queries = _get(client, url)
    assert not _sums(queries)
    assert f'id="comment-{late.pk}"' in page
    assert _totals(page) == [_public_count(bill)]
    # And a comment entered after the sum is counted, once.
    _enter(site, staff, "求和之后提交的意见。")
    page, queries = _get(client, url)
    assert not _sums(queries)
    assert _totals(page) == [_public_count(bill)]


def test_a_decision_has_the_figures_summed_again(client, site, staff):
    bill = site["bill"]
    url = f"/bills/{bill.slug}/comments/"
    _get(client, url)
    new = _enter(site, staff, "将不予采纳的意见。")
    _get(client, url)
    consultation_services.decide_comment(
        by=staff,
        comment=new,
        status=Decision.NOT_ADOPTED,
        reason=Reason.HIGHER_LAW_PROVIDES,
        explanation="上位法已有规定。",
    )
    page, queries = _get(client, url)
    assert _sums(queries)
    assert _totals(page) == [_public_count(bill)]
