"""The open-data export: every published bill, its story and its comments' fate."""

import csv
import datetime as dt
import io

import pytest

from consultation import services
from legislation import services as legislation_services
from tests.consultation.privacy import assert_no_personal_data
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(staff, bill, consultation_a, draft):
    """The bill with a drafting step, a hidden bill, and three decided comments."""
    legislation_services.start_drafting(bill=bill, on=dt.date(2024, 2, 1), by=staff)
    legislation_services.update_bill(
        bill=bill, by=staff, expected_version=None, summary="内部修改"
    )
    legislation_services.add_draft_version(
        bill=bill,
        text=draft.source_text.replace("保障人身", "保障公众人身"),
        title="未公开的修改稿",
        kind="revised",
        on=dt.date(2024, 3, 1),
        by=staff,
    )
    BillFactory(slug="hidden", title="未公开的条例", is_published=False)
    made = [
        services.enter_comment(
            by=staff,
            consultation=consultation_a,
            text=text,
            contributor_name="周保密",
            contributor_contact="13599998888",
        )
        for text in ("意见一", "意见二", "意见三")
    ]
    services.decide_comment(
        comment=made[0], status="adopted", by=staff, explanation="采纳。"
    )
    services.decide_comment(
        comment=made[1],
        status="not_adopted",
        reason="higher_law_provides",
        explanation="上位法已有规定。",
        by=staff,
    )
    return bill


def test_the_json_export_has_each_published_bill_with_its_story(anon, story):
    response = anon.get("/api/v1/open-data/bills.json")
    assert response.status_code == 200
    assert 'filename="bills.json"' in response["Content-Disposition"]
    body = response.json()
    assert [b["slug"] for b in body["bills"]] == [story.slug]
    bill = body["bills"][0]
    assert bill["stage"] == "drafting"
    kinds = [e["kind"] for e in bill["events"]]
    # Internal bookkeeping and the arrival of the unpublished draft stay out.
    assert sorted(kinds) == [
        "consultation_opened",
        "drafting_started",
        "planned",
        "version_added",
    ]
    assert [v["number"] for v in bill["versions"]] == [1]  # version 2 unpublished
    assert bill["comments"] == {
        "total": 3,
        "pending": 1,
        "adopted": 1,
        "partially_adopted": 0,
        "not_adopted": 1,
        "for_reference": 0,
        "out_of_scope": 0,
        "duplicate": 0,
    }
    assert_no_personal_data(response.content.decode())
    assert "未公开" not in response.content.decode()


def test_the_csv_export_has_one_row_per_bill_safe_for_spreadsheets(anon, story):
    BillFactory(slug="formula", title='=HYPERLINK("http://example.com")')
    response = anon.get("/api/v1/open-data/bills.csv", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_slug = {r["slug"]: r for r in rows}
    assert set(by_slug) == {story.slug, "formula"}
    assert by_slug["formula"]["title"].startswith("'=")
    row = by_slug[story.slug]
    assert (row["comments_total"], row["comments_adopted"]) == ("3", "1")
    assert "启动起草" in row["events"]
    assert_no_personal_data(text)
    assert "未公开" not in text


def test_the_export_costs_the_same_few_queries_for_many_bills(
    anon, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4) as small:
        anon.get("/api/v1/open-data/bills.json")
    for n in range(20):
        BillFactory(slug=f"more-{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        anon.get("/api/v1/open-data/bills.json")


def test_a_refused_csv_request_answers_in_json(client):
    response = client.get(
        "/api/v1/open-data/bills.csv", HTTP_AUTHORIZATION="Token not-a-token"
    )
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "authentication_failed"
