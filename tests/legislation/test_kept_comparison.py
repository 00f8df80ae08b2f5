"""
A comparison table is kept per pair of versions: a repeated request, on any
surface, compares nothing and answers the same; a new version, or an alignment
corrected by staff, gives the right table.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache

from legislation import comparison, kept_tables, services
from legislation.models import KeptComparison
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db

REVISED = DRAFT_TEXT.replace("定期检查", "每季度至少检查一次")
THIRD = REVISED.replace("建立管理制度", "建立健全管理制度")


def _add(bill, staff, text, number):
    services.add_draft_version(
        bill=bill,
        text=text,
        title=f"第{number}稿",
        kind="revised",
        on=dt.date(2024, 2 + number, 1),
        by=staff,
        is_published=True,
    )
    bill.refresh_from_db()


@pytest.fixture
def spy():
    """Count the comparisons actually computed, whatever surface asks."""
    with mock.patch.object(comparison, "compare", wraps=comparison.compare) as spy:
        yield spy


def _api(client, bill, **query):
    cache.clear()  # no page or response cache may answer for the kept table
    response = client.get(f"/api/v1/bills/{bill.slug}/compare/", query)
    assert response.status_code == 200
    return response.json()


def test_a_repeated_comparison_computes_nothing_and_answers_the_same(
    client, staff, bill, spy
):
    _add(bill, staff, REVISED, 2)
    first = _api(client, bill, **{"from": 1, "to": 2})
    assert spy.call_count == 1
    again = _api(client, bill, **{"from": 1, "to": 2})
    assert spy.call_count == 1
    assert again == first
    # The public page, the staff page and the documents read the same table.
    cache.clear()
    page = client.get(f"/bills/{bill.slug}/compare/", {"from": 1, "to": 2})
    assert "每季度至少检查一次" in page.content.decode()
    client.force_login(staff)
    client.get(f"/staff/bills/{bill.slug}/compare/", {"from": 1, "to": 2})
    client.get(
        f"/api/v1/bills/{bill.slug}/compare/",
        {"from": 1, "to": 2, "format": "docx"},
    )
    assert spy.call_count == 1
    assert KeptComparison.objects.count() == 1


def test_a_new_version_is_compared_and_the_earlier_pair_still_kept(
    client, staff, bill, spy
):
    _add(bill, staff, REVISED, 2)
    _api(client, bill)  # the latest two: 1 → 2
    _add(bill, staff, THIRD, 3)
    latest = _api(client, bill)
    assert (latest["old"]["number"], latest["new"]["number"]) == (2, 3)
    changed = [row for row in latest["rows"] if row["status"] == "changed"]
    assert len(changed) == 1 and "建立健全管理制度" in changed[0]["new"]["text"]
    assert spy.call_count == 2
    earlier = _api(client, bill, **{"from": 1, "to": 2})
    assert spy.call_count == 2  # kept from the first request
    assert [row["status"] for row in earlier["rows"]].count("changed") == 1
    assert KeptComparison.objects.count() == 2


def test_a_corrected_alignment_is_compared_again(client, staff, bill, spy):
    _add(bill, staff, REVISED, 2)
    before = _api(client, bill, **{"from": 1, "to": 2})
    assert "added" not in {row["status"] for row in before["rows"]}
    # Staff say article 4 of the revised draft is new, not the old article 4.
    article = bill.versions.get(number=2).articles.get(number=4)
    services.correct_alignment(article=article, predecessor=None, by=staff)
    after = _api(client, bill, **{"from": 1, "to": 2})
    assert spy.call_count == 2
    statuses = [row["status"] for row in after["rows"]]
    assert statuses.count("added") == 1 and statuses.count("deleted") == 1
    assert KeptComparison.objects.count() == 1  # replaced, not added
    assert _api(client, bill, **{"from": 1, "to": 2}) == after
    assert spy.call_count == 2


def test_kept_rows_read_back_equal_to_the_computed_ones():
    def side(key, number, text):
        return comparison.Side(key=key, number=number, text=text, label=f"第{number}条")

    old = [
        side(1, 1, "为了规范测试工作，制定本条例。"),
        side(2, 2, "测试单位应当建立管理制度，定期检查，并公开检查结果。" * 3),
        side(3, 3, "删去的条文。"),
    ]
    new = [
        side(11, 1, "为了规范测试工作，根据有关法律，制定本条例。"),
        side(12, 2, "测试单位应当建立管理制度，定期检查，并公开检查结果。" * 2),
        side(13, 3, "| 项目 | 标准 |\n| 初检 | 100 |"),
    ]
    rows = comparison.compare(old, new)
    kept = kept_tables.rows_from_data(kept_tables.rows_to_data(rows))
    assert kept == rows
    assert {row.status for row in rows} >= {"changed", "added", "deleted"}
