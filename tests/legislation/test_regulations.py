"""Regulations: born at promulgation, amended twice, the text in force on a day."""

import datetime as dt

import pytest
from django.urls import reverse

from legislation import services
from legislation.errors import InvalidDraft
from legislation.models import Bill, Regulation, Stage
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory
from tests.legislation.lifecycle import Clock, walk_to

pytestmark = pytest.mark.django_db

FIRST_AMENDMENT = DRAFT_TEXT.replace(
    "第二条 本市行政区域内的测试活动，适用本条例。",
    "第二条 本市行政区域内的测试活动，适用本条例。\n"
    "第二条之一 测试活动应当遵循安全第一、预防为主的原则。",
).replace("（草案）", "（修正）")
SECOND_AMENDMENT = FIRST_AMENDMENT.replace(
    "市人民政府应当加强对测试工作的领导。",
    "市人民政府应当加强对测试工作的领导，将测试工作纳入国民经济和社会发展规划。",
)


def amendment(regulation, staff, text, clock):
    bill = BillFactory(kind=Bill.Kind.AMENDMENT)
    services.name_regulation(bill=bill, regulation=regulation, by=staff)
    bill.refresh_from_db()
    services.add_draft_version(
        bill=bill,
        text=text,
        title="修正案",
        kind="promulgated",
        on=clock.date(),
        by=staff,
        is_published=True,
    )
    bill.refresh_from_db()
    return walk_to(bill, Stage.IN_FORCE, clock, staff)


@pytest.fixture
def amended_twice(bill, staff):
    clock = Clock()
    walk_to(bill, Stage.PROMULGATED, clock, staff)
    regulation = Regulation.objects.get(bill=bill)
    first = amendment(regulation, staff, FIRST_AMENDMENT, clock)
    second = amendment(regulation, staff, SECOND_AMENDMENT, clock)
    return regulation, first, second, clock


def texts_on(client, regulation, day):
    url = reverse("public:law-detail", kwargs={"slug": regulation.slug})
    return client.get(url, {"on": day.isoformat()})


def test_a_regulation_is_born_at_promulgation_with_its_text(bill, staff):
    clock = Clock()
    walk_to(bill, Stage.PROMULGATED, clock, staff)

    regulation = Regulation.objects.get(bill=bill)
    text = regulation.texts.get()
    bill.refresh_from_db()
    assert (text.version, text.announcement_number) == (bill.versions.last(), "第1号")
    assert text.effective_on == bill.effective_on
    assert text.promulgated_on is not None


def test_the_text_in_force_before_between_and_after_two_amendments(
    client, amended_twice
):
    regulation, _, second, _ = amended_twice
    texts = list(regulation.texts.order_by("effective_on"))
    assert len(texts) == 3
    before = texts[0].effective_on - dt.timedelta(days=1)
    between = texts[1].effective_on + dt.timedelta(days=1)
    after = texts[2].effective_on

    assert texts_on(client, regulation, before).context["text"] is None
    page = texts_on(client, regulation, between)
    assert page.context["text"] == texts[1]
    assert "第二条之一" in page.content.decode()
    third = [a for a in page.context["articles"] if a.article.label == "第三条"]
    assert "纳入国民经济和社会发展规划" not in third[0].article.text
    after_page = texts_on(client, regulation, after)
    third = [a for a in after_page.context["articles"] if a.article.label == "第三条"]
    assert "纳入国民经济和社会发展规划" in third[0].article.text
    assert f'href="/bills/{second.slug}/"' in after_page.content.decode()

    api = client.get(f"/api/v1/laws/{regulation.slug}/", {"on": between.isoformat()})
    body = api.json()
    assert body["status"] == "amended"
    assert body["text"]["effective_on"] == texts[1].effective_on.isoformat()
    assert [a["label"] for a in body["articles"]][:3] == [
        "第一条",
        "第二条",
        "第二条之一",
    ]
    assert (
        client.get(f"/api/v1/laws/{regulation.slug}/", {"on": "bad"}).status_code == 400
    )


def test_each_article_keeps_its_history_across_texts(client, amended_twice):
    regulation, _, _, _ = amended_twice
    response = client.get(f"/api/v1/laws/{regulation.slug}/")
    articles = {a["label"]: a for a in response.json()["articles"]}

    third = articles["第三条"]["history"]
    assert len(third) == 3
    assert "纳入国民经济" not in third[1]["text"]
    assert "纳入国民经济" in third[2]["text"]
    assert len(articles["第二条之一"]["history"]) == 2


def test_the_list_shows_regulations_by_year_and_status(client, amended_twice):
    regulation, _, _, _ = amended_twice
    page = client.get(reverse("public:law-list"))
    assert regulation.title in page.content.decode()
    assert [row.status for row in page.context["rows"]] == ["amended"]
    empty = client.get(reverse("public:law-list"), {"status": "repealed"})
    assert empty.context["rows"] == []
    listing = client.get("/api/v1/laws/").json()
    assert listing["results"][0]["slug"] == regulation.slug


def test_a_repeal_bill_ends_the_regulation(client, amended_twice, staff):
    regulation, _, _, clock = amended_twice
    repeal = BillFactory(kind=Bill.Kind.REPEAL)
    services.name_regulation(bill=repeal, regulation=regulation, by=staff)
    walk_to(repeal, Stage.IN_FORCE, clock, staff)
    regulation.refresh_from_db()
    assert regulation.repealed_on is not None
    later = regulation.repealed_on + dt.timedelta(days=1)
    assert texts_on(client, regulation, later).context["status"] == "repealed"


def test_only_changing_bills_name_a_regulation(amended_twice, staff):
    regulation, _, _, _ = amended_twice
    with pytest.raises(InvalidDraft):
        services.name_regulation(bill=BillFactory(), regulation=regulation, by=staff)
