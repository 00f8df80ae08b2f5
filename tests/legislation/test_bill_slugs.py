"""A bill created without a slug gets an ASCII one: its URL stays readable."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from legislation import services
from legislation.models import Bill

pytestmark = pytest.mark.django_db

ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def test_a_chinese_title_gets_the_plan_year_and_its_sequence(staff):
    first = services.create_bill(title="长治市物业管理条例", plan_year=2026, by=staff)
    second = services.create_bill(title="长治市养犬管理条例", plan_year=2026, by=staff)
    other_year = services.create_bill(title="长治市停车条例", plan_year=2027, by=staff)
    assert (first.slug, second.slug, other_year.slug) == (
        "2026-01",
        "2026-02",
        "2027-01",
    )


def test_latin_words_of_a_title_make_the_slug(staff):
    bill = services.create_bill(
        title="长治市 5G 基站建设条例", plan_year=2026, by=staff
    )
    assert bill.slug == "5g"


def test_a_sequence_number_taken_is_skipped(staff):
    services.create_bill(title="甲", plan_year=2026, by=staff, slug="2026-02")
    services.create_bill(title="乙", plan_year=2026, by=staff)
    taken = set(Bill.objects.values_list("slug", flat=True))
    assert taken == {"2026-02", "2026-03"}


def test_the_staff_form_without_a_slug_makes_an_ascii_url(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("staff:bill-create"),
        {
            "title": "长治市城市绿化条例",
            "kind": "new",
            "sponsor": "government",
            "plan_year": 2026,
            "planned_readings": 2,
            "slug": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bill = Bill.objects.get(title="长治市城市绿化条例")
    assert ASCII_SLUG.fullmatch(bill.slug) and bill.slug.isascii()
    assert response["Location"] == bill.get_staff_url()
