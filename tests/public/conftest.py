"""
A small public site: one bill in its second reading with three drafts (the last
unpublished), documents, consultations (one comment period open today) and
comments with their contributors, plus an unpublished bill that must stay hidden.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultation import counters
from consultation import services as consultation_services
from consultation.models import Channel, Comment, Contributor, Decision, Reason
from legislation import services
from legislation.models import Bill, Meeting
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory

REVISED_TEXT = (
    DRAFT_TEXT.replace("（草案）", "（草案修改稿）")
    .replace(
        "第三条 市人民政府应当加强对测试工作的领导。",
        "第三条 市、县（区）人民政府应当加强对测试工作的领导，所需经费列入预算。",
    )
    .replace(
        "第五条 本条例自2025年3月1日起施行。",
        "第五条 测试单位应当公开测试结果。\n第六条 本条例自2025年3月1日起施行。",
    )
)
SECRET_TITLE = "长治市测试管理条例（内部讨论稿）"
HIDDEN_BILL_TITLE = "长治市未公开的条例"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Public statistics and receipt counters live in the cache: start afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kept_pages(settings):
    """Public pages and their parts kept, as in production; the settings."""
    settings.NPC_PUBLIC_CACHE_SECONDS = 60
    settings.NPC_PUBLIC_PARTS_SECONDS = 3600
    settings.NPC_COUNTS_CACHE_SECONDS = 60
    return settings


def add_comments(consultation, count: int, *, start: int = 0) -> None:
    """Add ``count`` comments with contributors in bulk, a spread of outcomes."""
    articles = list(consultation.version.articles.order_by("position"))
    statuses = [
        (Decision.PENDING, "", ""),
        (Decision.ADOPTED, "", "已在修改稿中吸收。"),
        (Decision.NOT_ADOPTED, Reason.HIGHER_LAW_PROVIDES, "上位法已有规定。"),
        (Decision.PARTIALLY_ADOPTED, Reason.BALANCED, "部分吸收。"),
        (Decision.FOR_REFERENCE, "", "留作实施中参考。"),
    ]
    now = timezone.now()
    comments = Comment.objects.bulk_create(
        [
            Comment(
                consultation=consultation,
                bill_id=consultation.bill_id,
                point_id=consultation.point_id,
                article=articles[n % len(articles)] if n % 3 else None,
                text=f"建议进一步明确测试资金的来源（公开意见{n}）。",
                submitted_on=consultation.held_on or consultation.opens_on,
                status=statuses[n % len(statuses)][0],
                reason=statuses[n % len(statuses)][1],
                explanation=statuses[n % len(statuses)][2],
                decided_at=now if n % len(statuses) else None,
            )
            for n in range(start, start + count)
        ]
    )
    Contributor.objects.bulk_create(
        [
            Contributor(
                comment=comment,
                name=f"隐名氏{n}",
                contact=f"1390000{n:04d}",
                affiliation=f"保密单位{n}",
            )
            for n, comment in enumerate(comments, start=start)
        ]
    )
    counters.recount([consultation.pk])  # bulk inserts bypass the kept counts


@pytest.fixture
def site(db, bill, draft, staff, point_a, point_b):
    """The bill of tests.conftest in its second reading, with everything around it."""
    return build_site(bill=bill, draft=draft, staff=staff, point_a=point_a)


def build_site(*, bill, draft, staff, point_a) -> dict:
    """Build the small public site around ``bill`` (see the module's docstring)."""
    first = Meeting.objects.create(
        term=15, number=19, date=dt.date(2024, 6, 26), members=45
    )
    second = Meeting.objects.create(
        term=15, number=21, date=dt.date(2024, 8, 28), members=45
    )
    Meeting.objects.create(term=15, number=22, date=dt.date(2024, 10, 30), members=45)
    bill.drafting_body = "市测试管理局"
    bill.save(update_fields=["drafting_body"])
    services.start_drafting(bill=bill, on=dt.date(2024, 2, 1), by=staff)
    services.submit_bill(bill=bill, on=dt.date(2024, 6, 1), by=staff)
    services.record_reading(bill=bill, meeting=first, version=draft, by=staff)
    services.add_document(
        bill=bill,
        kind="drafting_explanation",
        title="关于《长治市测试管理条例（草案）》的说明",
        on=first.date,
        meeting=first,
        text="起草说明的正文。",
        by=staff,
    )
    revised = services.add_draft_version(
        bill=bill,
        text=REVISED_TEXT,
        title="长治市测试管理条例（草案修改稿）",
        kind="revised",
        on=dt.date(2024, 8, 20),
        by=staff,
        is_published=True,
    )
    services.record_reading(bill=bill, meeting=second, version=revised, by=staff)
    services.add_draft_version(
        bill=bill,
        text=REVISED_TEXT.replace("（草案修改稿）", "（内部讨论稿）"),
        title=SECRET_TITLE,
        kind="for_vote",
        on=dt.date(2024, 9, 20),
        by=staff,
        is_published=False,
    )
    meeting_at_a = consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=draft,
        channel=Channel.LIAISON_POINT,
        point=point_a,
        title="立法意见征询座谈会",
        held_on=dt.date(2024, 7, 10),
        participants=15,
    )
    today = timezone.localdate()
    online = consultation_services.record_consultation(
        by=staff,
        bill=bill,
        version=revised,
        channel=Channel.ONLINE,
        title="网上公开征求意见",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=25),
    )
    add_comments(meeting_at_a, 15)
    add_comments(online, 5, start=15)
    hidden = BillFactory(
        title=HIDDEN_BILL_TITLE, slug="hidden-bill", is_published=False
    )
    bill.refresh_from_db()
    return {
        "bill": bill,
        "draft": draft,
        "revised": revised,
        "meeting_at_a": meeting_at_a,
        "online": online,
        "hidden": hidden,
        "point": point_a,
    }


@pytest.fixture
def hidden_bill(site) -> Bill:
    return site["hidden"]
