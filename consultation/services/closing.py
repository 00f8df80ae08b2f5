"""
When a consultation accepts comments, reopening one that has closed, and
moving a comment from one consultation into another.

A consultation closes after its end date (``closes_on``), or, with none (a
meeting at a point, a symposium), once its bill has been voted on: the text is
then settled, and a comment entered later would neither be studied nor be
explained. Staff may reopen a closed consultation until a day, with a reason
that is kept. The one rule, :func:`ensure_accepting`, is asked by every way a
comment enters a consultation: entry (page and API), import, a move, and the
public's online comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.models import Vote

from .. import access, counters
from ..errors import (
    ConcurrentUpdate,
    ConsultationClosed,
    InvalidComment,
    InvalidReopening,
    NotPermitted,
)
from ..models import Comment, Consultation, ConsultationReopening, Contributor
from ._common import count_key, shown_changed


@dataclass(frozen=True)
class Closing:
    """When a consultation closes, and whether and until when it was reopened."""

    # The last day comments are accepted by the consultation's own dates, or
    # None while it has no end date and its bill no vote.
    closes_on: dt.date | None
    # The day of the vote that closed a consultation without an end date.
    voted_on: dt.date | None
    # The latest reopening, if any.
    reopening: ConsultationReopening | None

    def accepts_on(self, day: dt.date) -> bool:
        if self.reopening is not None and day <= self.reopening.until:
            return True
        if self.voted_on is not None:
            return day < self.voted_on
        return self.closes_on is None or day <= self.closes_on

    def describe(self, day: dt.date) -> str:
        """Say in words whether comments are accepted on ``day``, and until when."""
        if self.reopening is not None and day <= self.reopening.until:
            return _("已重新开放，至%(until)s") % {
                "until": self.reopening.until.isoformat()
            }
        if self.accepts_on(day):
            if self.closes_on is not None:
                return _("开放中，至%(until)s截止") % {
                    "until": self.closes_on.isoformat()
                }
            return _("开放中，至法规案表决时结束")
        if self.voted_on is not None:
            return _("已结束：法规案已于%(day)s表决") % {
                "day": self.voted_on.isoformat()
            }
        return _("已于%(day)s截止") % {"day": self.closes_on.isoformat()}


def closing_of(consultation: Consultation) -> Closing:
    """Say when ``consultation`` closes and whether it was reopened (two queries)."""
    voted_on = None
    if consultation.closes_on is None:
        voted_on = (
            Vote.objects.filter(bill_id=consultation.bill_id)
            .order_by("meeting__date")
            .values_list("meeting__date", flat=True)
            .first()
        )
    reopening = (
        ConsultationReopening.objects.filter(consultation_id=consultation.pk)
        .select_related("reopened_by")
        .order_by("-reopened_at", "-pk")
        .first()
    )
    return Closing(
        closes_on=consultation.closes_on, voted_on=voted_on, reopening=reopening
    )


def with_closing(consultations: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """
    Annotate ``consultations`` with what :func:`closing_of` reads in two more
    queries (the vote's day, the latest reopening's day), for a writer that
    must know, in the query that fetches the consultation, whether it accepts
    comments: read :func:`annotated_closing` from each row.
    """
    return consultations.annotate(
        closing_voted_on=Subquery(
            Vote.objects.filter(bill_id=OuterRef("bill_id"))
            .order_by("meeting__date")
            .values("meeting__date")[:1]
        ),
        closing_reopened_until=Subquery(
            ConsultationReopening.objects.filter(consultation_id=OuterRef("pk"))
            .order_by("-reopened_at", "-pk")
            .values("until")[:1]
        ),
    )


def annotated_closing(consultation: Consultation) -> Closing:
    """
    The :class:`Closing` of a consultation read through :func:`with_closing`,
    as :func:`closing_of` would find it (the reopening carries only its day).
    """
    until = consultation.closing_reopened_until
    return Closing(
        closes_on=consultation.closes_on,
        voted_on=consultation.closing_voted_on
        if consultation.closes_on is None
        else None,
        reopening=(
            None
            if until is None
            else ConsultationReopening(consultation_id=consultation.pk, until=until)
        ),
    )


def is_accepting(consultation: Consultation, *, on: dt.date | None = None) -> bool:
    """Say whether ``consultation`` accepts comments on ``on`` (today by default)."""
    return closing_of(consultation).accepts_on(on or timezone.localdate())


def ensure_accepting(
    consultation: Consultation,
    *,
    on: dt.date | None = None,
    state: Closing | None = None,
) -> None:
    """
    Refuse with ConsultationClosed unless ``consultation`` accepts comments on
    ``on`` (today by default): up to and including its end date; without one,
    until the vote on its bill; or, reopened by staff, until the reopening's day.
    ``state`` is its closing when already read (:func:`annotated_closing`).
    """
    day = on or timezone.localdate()
    state = state or closing_of(consultation)
    if state.accepts_on(day):
        return
    if state.voted_on is not None:
        when = _("该法规案已于%(date)s表决，本次征求意见已经结束") % {
            "date": state.voted_on.isoformat()
        }
    else:
        when = _("本次征求意见已于%(date)s截止") % {"date": state.closes_on.isoformat()}
    raise ConsultationClosed(
        _(
            "%(when)s，不能再录入、导入或移入意见。确需补充的，"
            "请立法工作人员说明理由后重新开放。"
        )
        % {"when": when}
    )


@transaction.atomic
def reopen_consultation(
    *, consultation: Consultation, by: Any, reason: str, until: dt.date
) -> ConsultationReopening:
    """
    Open a consultation to comments again until ``until`` (inclusive), for a
    reason that is recorded with who reopened it and when.

    Legislative staff only. The reason must be given; ``until`` must not be
    past. Reopening an open consultation is allowed (it extends it).

    Raises NotPermitted or InvalidReopening.
    """
    if not access.can_decide(by):
        raise NotPermitted(_("只有立法工作人员可以重新开放征求意见。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReopening(_("请说明重新开放的理由。"))
    if until < timezone.localdate():
        raise InvalidReopening(_("开放截止日期不能早于今天。"))
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    reopening = ConsultationReopening.objects.create(
        consultation=locked, until=until, reason=reason, reopened_by=by
    )
    Consultation.objects.filter(pk=locked.pk).update(revision=F("revision") + 1)
    shown_changed([locked.bill_id])
    return reopening


@transaction.atomic
def move_comment(
    *, comment: Comment, to: Consultation, by: Any, expected_revision: int | None
) -> Comment:
    """
    Move a comment recorded under the wrong consultation into ``to``, another
    consultation on the same bill that accepts comments today.

    Who may correct the comment and enter comments into ``to`` may move it. Its
    article must belong to ``to``'s draft version. Point and counts follow.

    Raises NotPermitted, ConcurrentUpdate, InvalidComment or ConsultationClosed.
    """
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=comment.pk)
    )
    if not access.can_edit_comment(by, locked) or not access.can_enter_comment(by, to):
        raise NotPermitted(_("您不能把该意见移入这次征求意见活动。"))
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate(
            _("意见 %(code)s 已被他人修改，请刷新后重试。") % {"code": locked.receipt}
        )
    if to.pk == locked.consultation_id:
        return locked
    if to.bill_id != locked.bill_id:
        raise InvalidComment(_("意见只能移入同一法规案的其他征求意见活动。"))
    if locked.article_id is not None and locked.article.version_id != to.version_id:
        raise InvalidComment(
            _("该意见针对的条文不属于目标活动的草案文本，请先更正针对条文。")
        )
    ensure_accepting(to)
    kind = (
        Contributor.objects.filter(comment=locked)
        .values_list("kind", flat=True)
        .first()
        or Contributor.Kind.RESIDENT
    )
    old_key = count_key(locked, kind)
    locked.consultation = to
    locked.point_id = to.point_id
    counters.move([old_key], [count_key(locked, kind)])
    locked.revision = F("revision") + 1
    locked.save(update_fields=["consultation", "point", "revision", "updated_at"])
    shown_changed([locked.bill_id])
    locked.refresh_from_db(fields=["revision"])
    return locked
