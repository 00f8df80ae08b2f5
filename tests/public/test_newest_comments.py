"""
The newest page of a bill's comments takes in the comments that arrive
(consultation.arrivals) instead of listing the bill again after each; where
what arrived cannot be told for sure, it lists the bill again. Either way it
shows what a page listed from the database shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import arrivals, imports
from consultation import services as consultation_services
from consultation.models import Comment
from npc.public import keeping

from .conftest import add_comments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(kept_pages):
    # Every reader that finds a part out of date makes it (none served stale).
    kept_pages.NPC_PUBLIC_REBUILD_SECONDS = 0


def _url(site) -> str:
    return f"/bills/{site['bill'].slug}/comments/"


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [q["sql"] for q in queries]


def _enter(site, staff, text: str, *, consultation=None, on=None) -> Comment:
    """A comment entered by staff, and what its entry does once it commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return consultation_services.enter_comment(
            by=staff,
            consultation=consultation or site["online"],
            text=text,
            submitted_on=on or timezone.localdate(),
        )


def _listed(page: str) -> list[int]:
    """The comments the page lists, in order (not the duplicates folded)."""
    return [
        int(pk) for pk in re.findall(r'<li class="comment" id="comment-(\d+)"', page)
    ]


def _pager(page: str) -> list[str]:
    return re.findall(r'href="\?((?:before|after)=[^"]+)"', page)


def _from_the_database(client, url: str) -> str:
    """The page as listed from the database, with nothing kept."""
    cache.clear()
    return _get(client, url)[0]


def _lists_the_bill(queries: list[str]) -> bool:
    """Whether a page's comments were listed: newest first, a page and one more."""
    return any(
        'FROM "consultation_comment"' in sql
        and "DESC" in sql
        and sql.endswith("LIMIT 21")
        for sql in queries
    )


def test_a_comment_entered_is_listed_first_without_listing_the_bill_again(
    client, site, staff
):
    add_comments(site["meeting_at_a"], 30, start=100)
    url = _url(site)
    before, _ = _get(client, url)
    new = _enter(site, staff, "建议明确电梯应急演练的频次（新到）。")
    page, queries = _get(client, url)
    assert _listed(page)[0] == new.pk
    assert "建议明确电梯应急演练的频次（新到）。" in page
    assert not _lists_the_bill(queries)
    assert _listed(page) == [new.pk, *_listed(before)[:19]]
    assert _pager(page) == _pager(listed := _from_the_database(client, url))
    assert _listed(page) == _listed(listed)


def test_comments_entered_with_earlier_dates_take_their_places_by_date(
    client, site, staff
):
    add_comments(site["meeting_at_a"], 30, start=100)
    url = _url(site)
    _get(client, url)
    shown = Comment.objects.filter(pk__in=_listed(_get(client, url)[0]))
    oldest_shown = min(c.submitted_on for c in shown)
    within = _enter(site, staff, "建议（在第一页之内）。", on=oldest_shown)
    long_ago = _enter(site, staff, "建议（早于第一页）。", on=dt.date(2023, 1, 2))
    page, queries = _get(client, url)
    assert not _lists_the_bill(queries)
    listed = _from_the_database(client, url)
    assert _listed(page) == _listed(listed)
    assert within.pk in _listed(page)
    assert long_ago.pk not in _listed(page)
    assert _pager(page) == _pager(listed)


def test_a_comment_the_public_may_not_read_is_not_taken_in(client, site, staff):
    unpublished = consultation_services.record_consultation(
        by=staff,
        bill=site["bill"],
        version=site["draft"],
        channel=site["online"].channel,
        title="尚未公开的征求意见",
        opens_on=site["online"].opens_on,
        closes_on=site["online"].closes_on,
        is_published=False,
    )
    url = _url(site)
    before, _ = _get(client, url)
    _enter(site, staff, "不公开的意见（不应列出）。", consultation=unpublished)
    page, queries = _get(client, url)
    assert "不公开的意见（不应列出）。" not in page
    assert _listed(page) == _listed(before)
    assert not _lists_the_bill(queries)


def test_a_comment_rolled_back_is_never_listed(client, site, staff):
    url = _url(site)
    before, _ = _get(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        consultation_services.enter_comment(
            by=staff,
            consultation=site["online"],
            text="撤回的意见（回滚）。",
            submitted_on=timezone.localdate(),
        )
        raise RuntimeError("the request failed after the entry")
    page, _ = _get(client, url)
    assert "撤回的意见（回滚）。" not in page
    assert _listed(page) == _listed(before)


def test_the_bill_is_listed_again_when_its_count_of_arrivals_is_lost(
    client, site, staff
):
    url = _url(site)
    _get(client, url)
    cache.delete(arrivals.number_key(site["bill"].pk))
    first = _enter(site, staff, "计数丢失后的第一条意见。")
    page, queries = _get(client, url)
    assert _listed(page)[0] == first.pk
    assert _lists_the_bill(queries)  # the count started again elsewhere
    second = _enter(site, staff, "计数丢失后的第二条意见。")
    page, queries = _get(client, url)
    assert _listed(page)[:2] == [second.pk, first.pk]
    assert not _lists_the_bill(queries)


def test_the_bill_is_listed_again_when_an_arrival_is_not_kept(client, site, staff):
    url = _url(site)
    _get(client, url)
    new = _enter(site, staff, "记录已被逐出的意见。")
    now = arrivals.number(site["bill"].pk)
    cache.delete(arrivals.arrival_key(site["bill"].pk, now))
    cache.delete(arrivals.last_key(site["bill"].pk))  # and its copy
    page, queries = _get(client, url)
    assert _listed(page)[0] == new.pk
    assert _lists_the_bill(queries)


def test_an_arrival_is_taken_in_from_the_copy_of_the_last_only_for_its_number(
    client, site, staff
):
    """
    The copy of the bill's last arrival, read along with the count, stands
    for that arrival alone: a copy of another number (two writers that wrote
    theirs out of order) is not taken for it.
    """
    url = _url(site)
    bill = site["bill"].pk
    _get(client, url)
    first = _enter(site, staff, "第一条先到的意见。")
    copy_of_first = cache.get(arrivals.last_key(bill))
    assert copy_of_first[0] == arrivals.number(bill)
    page, queries = _get(client, url)
    assert _listed(page)[0] == first.pk and not _lists_the_bill(queries)
    second = _enter(site, staff, "第二条后到的意见。")
    cache.set(arrivals.last_key(bill), copy_of_first)  # overwritten by the first
    page, queries = _get(client, url)
    assert _listed(page)[:2] == [second.pk, first.pk]
    assert not _lists_the_bill(queries)  # taken in from its own record
    third = _enter(site, staff, "第三条意见，其记录已被逐出。")
    cache.delete(arrivals.arrival_key(bill, arrivals.number(bill)))
    cache.set(arrivals.last_key(bill), copy_of_first)
    page, queries = _get(client, url)
    assert _listed(page)[:3] == [third.pk, second.pk, first.pk]
    assert _lists_the_bill(queries)  # neither its record nor its copy


def test_an_arrival_that_cannot_be_read_fails_nothing_and_is_listed(
    client, site, staff, monkeypatch
):
    """Numbering a comment after its commit fails: the entry stands, the page lists it."""
    url = _url(site)
    _get(client, url)

    def unreadable(*args, **kwargs):
        raise ConnectionError("the database went away after the commit")

    monkeypatch.setattr(arrivals, "records", unreadable)
    new = _enter(site, staff, "编号时读取失败的意见。")
    assert Comment.objects.filter(pk=new.pk).exists()
    page, queries = _get(client, url)
    assert _listed(page)[0] == new.pk
    assert _lists_the_bill(queries)


def test_the_bill_is_listed_again_after_more_arrivals_than_a_reader_takes_in(
    client, site, staff, monkeypatch
):
    monkeypatch.setattr(arrivals, "TAKEN_AT_MOST", 2)
    url = _url(site)
    _get(client, url)
    entered = [_enter(site, staff, f"连续到达的意见（{n}）。") for n in range(2)]
    page, queries = _get(client, url)
    assert _listed(page)[:2] == [c.pk for c in reversed(entered)]
    assert not _lists_the_bill(queries)
    entered += [_enter(site, staff, f"连续到达的意见（{n}）。") for n in range(2, 5)]
    page, queries = _get(client, url)
    assert _lists_the_bill(queries)  # three since the page was kept again
    assert _listed(page)[:5] == [c.pk for c in reversed(entered)]


def test_an_import_has_the_bill_listed_again(client, site, staff):
    url = _url(site)
    _get(client, url)
    meeting = site["meeting_at_a"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(imports.HEADERS)
    day = meeting.held_on.isoformat()
    writer.writerow(["导入的意见（批量到达）。", "", "", "", "居民", "", day, ""])
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultation_services.start_import(
            by=staff,
            consultation=meeting,
            uploaded_file=SimpleUploadedFile("意见.csv", out.getvalue().encode()),
        )
    assert Comment.objects.filter(text="导入的意见（批量到达）。").exists()
    page, queries = _get(client, url)
    assert _lists_the_bill(queries)
    assert _listed(page) == _listed(_from_the_database(client, url))


def test_a_comment_committed_while_the_bill_is_listed_is_taken_in_after(
    client, site, staff, monkeypatch
):
    """
    A reader lists the bill, a comment commits before the reader keeps what
    it listed (without the comment): the next reader still shows it.
    """
    url = _url(site)
    listed_before_it = {}
    newest = keeping.newest_comments

    def listing_while_it_commits(keys, listed, **kwargs):
        def listed_then_committed():
            rows = listed()
            listed_before_it["new"] = _enter(site, staff, "列出时提交的意见。")
            return rows

        return newest(keys, listed_then_committed, **kwargs)

    monkeypatch.setattr(keeping, "newest_comments", listing_while_it_commits)
    page, _ = _get(client, url)
    assert "列出时提交的意见。" not in page
    monkeypatch.setattr(keeping, "newest_comments", newest)
    page, queries = _get(client, url)
    assert _listed(page)[0] == listed_before_it["new"].pk
    assert not _lists_the_bill(queries)


@pytest.mark.redis
def test_arrivals_are_counted_by_the_shared_cache(client, site, staff):
    """On Redis, as in production: each arrival its own number, and taken in."""
    broker = os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0]
    shared = {
        "default": {
            "BACKEND": "npc.core.cache.ResilientRedisCache",
            "LOCATION": f"{broker}/12",
            "KEY_PREFIX": f"arrivals-{os.getpid()}",
        }
    }
    with override_settings(CACHES=shared):
        cache.clear()
        url = _url(site)
        _get(client, url)
        start = arrivals.number(site["bill"].pk)
        entered = [_enter(site, staff, f"共享缓存中的意见（{n}）。") for n in range(3)]
        assert arrivals.number(site["bill"].pk) == start + 3
        page, queries = _get(client, url)
        assert _listed(page)[:3] == [c.pk for c in reversed(entered)]
        assert not _lists_the_bill(queries)
        cache.clear()


def test_with_public_pages_not_kept_the_bill_is_listed_at_each_request(
    client, site, staff, kept_pages
):
    kept_pages.NPC_PUBLIC_CACHE_SECONDS = 0
    url = _url(site)
    _get(client, url)
    new = _enter(site, staff, "不缓存时的意见。")
    for _ in range(2):
        page, queries = _get(client, url)
        assert _lists_the_bill(queries)
        assert _listed(page)[0] == new.pk
