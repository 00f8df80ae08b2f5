"""Atom feeds of bills' public events: all bills, and one bill."""

import datetime as dt
from xml.etree import ElementTree

import pytest

from legislation.models import BillEvent, EventKind

from .conftest import HIDDEN_BILL_TITLE, SECRET_TITLE

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_the_feed_of_all_bills_lists_public_events_newest_first(client, site):
    titles = _entries(client.get("/feeds/events/"))
    assert titles and all(t.startswith(site["bill"].title) for t in titles)
    assert f"{site['bill'].title}：第二次审议" in titles
    assert titles.index(f"{site['bill'].title}：第二次审议") < titles.index(
        f"{site['bill'].title}：第一次审议"
    )


def test_feeds_leave_out_unpublished_bills_drafts_and_internal_events(
    client, site, hidden_bill
):
    BillEvent.objects.create(
        bill=hidden_bill, kind=EventKind.SUBMITTED, on=dt.date(2024, 9, 1)
    )
    BillEvent.objects.create(
        bill=site["bill"],
        kind=EventKind.DETAILS_CHANGED,
        on=dt.date(2024, 9, 2),
        note="内部记录：修改了起草单位",
    )
    for url in ("/feeds/events/", site["bill"].get_absolute_url() + "feed/"):
        body = client.get(url).content.decode()
        assert HIDDEN_BILL_TITLE not in body
        assert SECRET_TITLE not in body
        assert "内部记录" not in body


def test_a_bill_feed_has_only_that_bills_events(client, site):
    titles = _entries(client.get(site["bill"].get_absolute_url() + "feed/"))
    assert (
        len(titles)
        == site["bill"]
        .events.public()
        .exclude(kind=EventKind.VERSION_ADDED, version__is_published=False)
        .count()
    )


def test_the_feed_of_an_unpublished_bill_is_not_found(client, hidden_bill):
    assert client.get(f"/bills/{hidden_bill.slug}/feed/").status_code == 404


def test_feed_entries_link_to_the_event_on_the_bill_page(client, site):
    feed = ElementTree.fromstring(client.get("/feeds/events/").content)
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert any(f"/bills/{site['bill'].slug}/#event-" in href for href in links)
