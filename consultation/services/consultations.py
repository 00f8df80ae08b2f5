"""
Record consultations and change their details.

A consultation is one round of asking for comments on a draft version of a
bill: a meeting at a liaison point, a hearing, an online comment period. Each
is put on its bill's timeline when recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation import services as legislation_services
from legislation import tasks as legislation_tasks
from legislation.models import Bill, DraftVersion, EventKind

from .. import access
from ..errors import (
    CommentingClosed,
    ConcurrentUpdate,
    ConsultationFrozen,
    InvalidConsultation,
    NotPermitted,
)
from ..models import Channel, Consultation, LiaisonPoint
from . import closing
from ._common import shown_changed

# Fields update_consultation may change; the first four only while no comment
# belongs to the consultation (comments copy bill and point, and point at
# articles of the version).
CONSULTATION_FIELDS = frozenset(
    {
        "bill",
        "version",
        "channel",
        "point",
        "title",
        "held_on",
        "opens_on",
        "closes_on",
        "place",
        "participants",
        "summary",
        "is_published",
    }
)
FROZEN_WITH_COMMENTS = frozenset({"bill", "version", "channel", "point"})


def _check_consultation(c: Consultation) -> None:
    """Refuse a consultation whose parts do not fit together."""
    if c.version.bill_id != c.bill.pk:
        raise InvalidConsultation(_("所选草案文本不属于该法规案。"))
    if c.channel not in Channel.values:
        raise InvalidConsultation(_("征求意见渠道无效。"))
    if c.channel == Channel.LIAISON_POINT and c.point is None:
        raise InvalidConsultation(_("通过基层立法联系点征求意见，须选择联系点。"))
    if not c.title.strip():
        raise InvalidConsultation(_("请填写名称。"))
    if c.held_on is None and (c.opens_on is None or c.closes_on is None):
        raise InvalidConsultation(_("请填写举行日期，或者开始和截止日期。"))
    if (c.opens_on is None) != (c.closes_on is None):
        raise InvalidConsultation(_("开始日期和截止日期须同时填写。"))
    if c.opens_on and c.closes_on:
        if c.closes_on < c.opens_on:
            raise InvalidConsultation(_("截止日期不能早于开始日期。"))
        minimum = settings.NPC_MIN_COMMENT_PERIOD_DAYS
        # Both the first and the last day count.
        if (
            c.channel == Channel.ONLINE
            and (c.closes_on - c.opens_on).days + 1 < minimum
        ):
            raise InvalidConsultation(
                _("网上公开征求意见的期限不得少于%(days)d日。") % {"days": minimum}
            )
    if c.participants < 0:
        raise InvalidConsultation(_("参加人数不能为负数。"))


@transaction.atomic
def record_consultation(
    *,
    by: Any,
    bill: Bill,
    version: DraftVersion,
    channel: str,
    title: str,
    point: LiaisonPoint | None = None,
    held_on: dt.date | None = None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    place: str = "",
    participants: int = 0,
    summary: str = "",
    is_published: bool = True,
) -> Consultation:
    """
    Record a consultation on ``version`` of ``bill`` through ``channel``.

    Clerks record only at their own points; consultations at no point are for
    staff. ``version`` must belong to ``bill``; a meeting has ``held_on``, a
    period ``opens_on`` and ``closes_on`` (an online period at least
    NPC_MIN_COMMENT_PERIOD_DAYS long). Appends a CONSULTATION_OPENED event, dated
    the meeting or the opening, to the bill's timeline.

    Raises NotPermitted or InvalidConsultation.
    """
    if not access.can_record_consultation(by, point):
        raise NotPermitted(_("您不能在该联系点记录征求意见活动。"))
    consultation = Consultation(
        bill=bill,
        version=version,
        channel=channel,
        point=point,
        title=title.strip(),
        held_on=held_on,
        opens_on=opens_on,
        closes_on=closes_on,
        place=place.strip(),
        participants=participants,
        summary=summary.strip(),
        is_published=is_published,
        created_by=by if by.is_authenticated else None,
    )
    _check_consultation(consultation)
    consultation.save()
    shown_changed([bill.pk])
    event = _record_opened(consultation)
    if consultation.channel == Channel.ONLINE and consultation.is_published:
        # A comment period the public can join: tell the bill's followers.
        legislation_tasks.notify_followers.delay_on_commit(
            event.pk, period=[opens_on.isoformat(), closes_on.isoformat()]
        )
    return consultation


@transaction.atomic
def update_consultation(
    *,
    consultation: Consultation,
    by: Any,
    expected_revision: int | None,
    **changes: Any,
) -> Consultation:
    """
    Change a consultation's details.

    Bill, version, channel and point are frozen once the consultation has
    comments. A clerk changes only their own points' consultations, and cannot
    move one to a point that is not theirs.

    Raises NotPermitted, ConcurrentUpdate (``expected_revision`` is stale),
    ConsultationFrozen or InvalidConsultation.
    """
    unknown = set(changes) - CONSULTATION_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("bill", "version", "point")
        .get(pk=consultation.pk)
    )
    if not access.can_edit_consultation(by, locked):
        raise NotPermitted(_("您不能修改该征求意见活动。"))
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate(_("该征求意见活动已被他人修改，请刷新后重试。"))
    changed = {
        name: value for name, value in changes.items() if _differs(locked, name, value)
    }
    if not changed:
        return locked
    if set(changed) & FROZEN_WITH_COMMENTS and locked.comments.exists():
        raise ConsultationFrozen(
            _("该活动已有意见，不能再更改法规案、草案文本、渠道或联系点。")
        )
    if "point" in changed and not access.can_record_consultation(by, changed["point"]):
        raise NotPermitted(_("您不能在该联系点记录征求意见活动。"))
    shown_on = {locked.bill_id}  # and the new bill, if it moves
    for name, value in changed.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_consultation(locked)
    locked.revision = F("revision") + 1
    locked.save(update_fields=[*changed, "revision", "updated_at"])
    if "bill" in changed:
        # Moved to another bill: off the old bill's timeline, onto the new one's.
        if locked.opened_event_id:
            legislation_services.show_event(locked.opened_event_id, public=False)
        _record_opened(locked)
    elif "is_published" in changed and locked.opened_event_id:
        legislation_services.show_event(
            locked.opened_event_id, public=locked.is_published
        )
    shown_changed({*shown_on, locked.bill_id})
    locked.refresh_from_db(fields=["revision"])
    return locked


def _record_opened(consultation: Consultation) -> Any:
    """Put the consultation on its bill's timeline (public while it is published)."""
    event = legislation_services.record_event(
        bill=consultation.bill,
        kind=EventKind.CONSULTATION_OPENED,
        on=consultation.held_on or consultation.opens_on,
        by=consultation.created_by,
        note=consultation.title,
        version=consultation.version,
        is_public=consultation.is_published,
    )
    consultation.opened_event = event
    consultation.save(update_fields=["opened_event"])
    return event


def _differs(obj: Any, name: str, value: Any) -> bool:
    current = getattr(obj, name)
    if hasattr(value, "pk") or hasattr(current, "pk"):
        return getattr(current, "pk", None) != getattr(value, "pk", None)
    return current != value


def open_online_period(*, bill: Bill, on: dt.date | None = None) -> Consultation:
    """
    Return the online comment period of ``bill`` that is open on ``on`` (default:
    today): a published consultation of the published bill through the online
    channel that has opened and still accepts comments by the one closing rule
    (:func:`.closing.ensure_accepting`: its end date, the vote without one, or a
    reopening by staff); the one closing last if several are.

    Raises CommentingClosed, saying when the next period opens or when the last
    one closed.
    """
    on = on or timezone.localdate()
    periods = Consultation.objects.filter(
        bill=bill,
        bill__is_published=True,
        is_published=True,
        channel=Channel.ONLINE,
        opens_on__isnull=False,
    )
    started = (
        periods.filter(opens_on__lte=on)
        .select_related("bill", "version")
        .order_by(F("closes_on").desc(nulls_first=True), "-pk")
    )
    for period in started:
        if closing.is_accepting(period, on=on):
            return period
    upcoming = periods.filter(opens_on__gt=on).order_by("opens_on").first()
    if upcoming is not None:
        raise CommentingClosed(
            _("该法规案目前不在网上公开征求意见期间，下一次征求意见将于%(day)s开始。")
            % {"day": upcoming.opens_on.isoformat()}
        )
    last = periods.filter(closes_on__lt=on).order_by("-closes_on").first()
    if last is not None:
        raise CommentingClosed(
            _("该法规案的网上公开征求意见已于%(day)s截止。")
            % {"day": last.closes_on.isoformat()}
        )
    raise CommentingClosed(_("该法规案目前没有网上公开征求意见。"))
