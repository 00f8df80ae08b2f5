"""
The demo's current online comment period: on the 2025 parking bill, open today,
with comments from the public in each moderation state (and one decided, with
feedback), made through the same services as the site's form and staff's queue.

Idempotent: a second run on the same day writes nothing; on a later day it moves
the period's dates so that it is open again (the demo always has one to try).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from legislation.models import Bill, DraftVersion

from .. import services
from ..models import Channel, Comment, Consultation, Decision, Reason, WithheldReason

BILL_SLUG = "parking-regulation"
TITLE = "《长治市停车管理条例（草案）》网上公开征求意见（演示数据）"
PLACE = "本平台“在线提出意见”（演示数据）"

# (article number or None, text, what staff did: publish / withhold reason / None)
COMMENTS: tuple[tuple[int | None, str, str | None], ...] = (
    (
        12,
        "建议在老旧小区周边增设夜间共享停车泊位，允许机关事业单位停车场夜间向居民开放。（演示数据）",
        "publish",
    ),
    (
        3,
        "建议明确住宅小区配建停车位优先出租给本小区业主，租金标准应公开。（演示数据）",
        "publish",
    ),
    (
        None,
        "总体赞成制定本条例，希望对充电桩车位的管理也作出规定。（演示数据）",
        "publish",
    ),
    (
        12,
        "道路停车泊位收费时段建议与学校上下学时间错开，方便接送学生。（演示数据）",
        None,
    ),
    (
        5,
        "建议规定停车场经营者在入口处公示收费标准和剩余车位数。（演示数据）",
        None,
    ),
    (
        None,
        "专业代办停车场备案手续，价格优惠，欢迎来电咨询。（演示数据）",
        WithheldReason.ADVERTISING,
    ),
)


def _version(bill: Bill) -> DraftVersion:
    return bill.versions.filter(is_published=True).order_by("-number").first()


@transaction.atomic
def seed_public_comments(*, today: dt.date | None = None) -> Consultation | None:
    """Open (or keep open) the demo online period and add its public comments once."""
    today = today or timezone.localdate()
    bill = Bill.objects.filter(slug=BILL_SLUG).first()
    if bill is None or _version(bill) is None:
        return None
    staff = get_user_model().objects.get(username="staff")
    days = max(settings.NPC_MIN_COMMENT_PERIOD_DAYS, 30)
    opens_on = today - dt.timedelta(days=10)
    closes_on = opens_on + dt.timedelta(days=days)
    period = Consultation.objects.filter(bill=bill, title=TITLE).first()
    if period is None:
        period = services.record_consultation(
            by=staff,
            bill=bill,
            version=_version(bill),
            channel=Channel.ONLINE,
            title=TITLE,
            opens_on=opens_on,
            closes_on=closes_on,
            place=PLACE,
        )
    elif period.closes_on < today or period.opens_on > today:
        Consultation.objects.filter(pk=period.pk).update(
            opens_on=opens_on, closes_on=closes_on
        )
    if Comment.objects.filter(consultation=period, from_public=True).exists():
        return period
    made: list[tuple[Comment, str | None]] = []
    for number, text, moderation in COMMENTS:
        comment = services.submit_public_comment(
            bill=bill, text=text, article_number=number, on=today
        )
        made.append((comment, moderation))
    for comment, moderation in made:
        if moderation == "publish":
            services.moderate_comments(by=staff, comments=[comment], publish=True)
        elif moderation:
            services.moderate_comments(
                by=staff, comments=[comment], publish=False, reason=moderation
            )
    # The first published comment decided, and its author told on the website.
    first = made[0][0]
    services.decide_comment(
        comment=first,
        status=Decision.PARTIALLY_ADOPTED,
        reason=Reason.IMPLEMENTATION,
        explanation="夜间共享停车已在第十二条第二款作出原则规定，具体办法由市人民政府制定。（演示数据）",
        by=staff,
    )
    services.record_feedback(
        by=staff,
        comments=[first],
        channel="website",
        given_on=today,
        text="已在网站公布处理结果。（演示数据）",
    )
    return period
