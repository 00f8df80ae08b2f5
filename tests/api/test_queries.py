"""
List endpoints run a fixed number of SQL queries, whatever the page size and the
amount of data: each is measured on little data with small pages, then on ten
times the data with large pages, for the public, a clerk and staff.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation import services as consultation_services
from consultation.models import ImportBatch
from legislation import services
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory, LiaisonPointFactory, MeetingFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "bills/",
    "bills/?q=测试+管理",
    "bills/{slug}/events/",
    "bills/{slug}/versions/",
    "bills/{slug}/votes/",
    "bills/{slug}/versions/1/",
    "bills/{slug}/compare/",
    "meetings/",
    "liaison-points/",
    "consultations/",
    "comments/",
    "imports/",
    "stats/?year=2024",
    "open-data/bills.json",
    "open-data/bills.csv",
]


class Data:
    """Grows every kind of record the lists show, by ``n`` at a time."""

    def __init__(self, staff, bill, consultation_a, consultation_b) -> None:  # noqa: ANN001
        self.staff = staff
        self.bill = bill
        self.consultations = [consultation_a, consultation_b]
        self.day = dt.date(2024, 1, 1)
        self.versions = 1

    def grow(self, n: int) -> None:
        for _ in range(n):
            self.day += dt.timedelta(days=1)
            other = BillFactory()
            services.start_drafting(bill=other, on=self.day, by=self.staff)
            MeetingFactory()
            LiaisonPointFactory()
            services.record_event(
                bill=self.bill, kind="document_published", on=self.day, by=self.staff
            )
            for consultation in self.consultations:
                comment = consultation_services.enter_comment(
                    by=self.staff,
                    consultation=consultation,
                    text=f"意见{self.day}",
                    article=consultation.version.articles.first(),
                    contributor_name="吴保密",
                    contributor_contact="13100001111",
                )
                consultation_services.decide_comment(
                    comment=comment, status="adopted", by=self.staff, explanation="是"
                )
            ImportBatch.objects.create(
                consultation=self.consultations[0], original_name="a.csv", file="a.csv"
            )
        # Versions and votes grow too, within what the lifecycle allows.
        for _ in range(max(1, n // 5)):
            self.versions += 1
            services.add_draft_version(
                bill=self.bill,
                text=DRAFT_TEXT.replace("测试", f"测试{self.versions}"),
                title=f"第{self.versions}稿",
                kind="revised",
                on=dt.date(2024, 12, 1),
                by=self.staff,
                is_published=True,
            )


def _queries(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["anonymous", "clerk_a", "staff"])
def test_list_endpoints_cost_the_same_queries_at_any_size(
    role, clients, staff, bill, consultation_a, consultation_b
):
    client = clients[role]
    data = Data(staff, bill, consultation_a, consultation_b)
    data.grow(3)
    urls = [
        "/api/v1/" + u.format(slug=bill.slug)
        for u in LISTS
        if not (role == "anonymous" and u == "imports/")  # internal
    ]

    def measure(page_size: int) -> dict[str, int]:
        # Made from nothing each time: the city's figures in the statistics are
        # kept for a period, whatever the data grew by.
        cache.clear()
        return {
            url: _queries(
                client, url + ("&" if "?" in url else "?") + f"page_size={page_size}"
            )
            for url in urls
        }

    small = measure(2)
    data.grow(30)
    large = measure(100)
    assert large == small
    # And the counts are small: auth and roles, then a few per endpoint (the
    # statistics, a dozen aggregates, the most).
    assert max(small.values()) <= 15, small
