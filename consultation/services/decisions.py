"""
Decide on comments, and record the feedback given to their contributors.

Decisions are appended to :class:`~consultation.models.DecisionRecord`, never
overwritten; one feedback may answer many comments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.models import Article
from npc.core.history import bulk_history

from .. import access, counters, mailing
from ..errors import (
    CommentsNotFound,
    ConcurrentUpdate,
    InvalidDecision,
    InvalidFeedback,
    InvalidTextLink,
    NotPermitted,
)
from ..grouping.services import members_decided
from ..models import (
    ADOPTING,
    NEEDS_REASON,
    AdoptionLink,
    Comment,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
    LiaisonPoint,
    Reason,
)
from ._common import count_key, shown_changed
from .links import check_places, write_places


def _check_decision(
    *, status: str, reason: str, explanation: str, duplicate_of: Comment | None
) -> None:
    if status not in Decision.values:
        raise InvalidDecision(_("处理结果无效。"))
    if reason and reason not in Reason.values:
        raise InvalidDecision(_("理由无效。"))
    if status in NEEDS_REASON and not reason:
        raise InvalidDecision(
            _("“%(status)s”须选择理由。") % {"status": Decision(status).label}
        )
    if reason and status not in NEEDS_REASON:
        raise InvalidDecision(
            _("“%(status)s”不需要选择理由。") % {"status": Decision(status).label}
        )
    if reason == Reason.OTHER and not explanation:
        raise InvalidDecision(_("理由为“其他”的，须填写说明。"))
    if status == Decision.DUPLICATE and duplicate_of is None:
        raise InvalidDecision(_("标为重复意见的，须指明所重复的意见。"))
    if status != Decision.DUPLICATE and duplicate_of is not None:
        raise InvalidDecision(_("只有重复意见才指向另一条意见。"))
    if status == Decision.PENDING and explanation:
        raise InvalidDecision(_("待研究的意见不需要说明。"))


@transaction.atomic
def decide_comments(
    *,
    comments: Iterable[Comment] | Iterable[int],
    status: str,
    by: Any,
    reason: str = "",
    explanation: str = "",
    duplicate_of: Comment | None = None,
    expected_revisions: Mapping[int, int] | None = None,
    articles: Iterable[Article] | Iterable[int] | None = None,
    elsewhere: str = "",
) -> list[Comment]:
    """
    Decide on many comments in one step, with one reason and explanation.

    An adopted or partially adopted comment names where it was taken up:
    ``articles`` of a later version of its bill, or ``elsewhere`` what was done
    instead of changing the text (see :mod:`.links` for the rules). Given,
    they replace the comments' places; left out, the places a comment already
    has stay, and a comment without one needs an explanation saying why.
    Another decision clears the places.

    Staff and administrators only. ``not_adopted`` and ``partially_adopted``
    need a reason (and no other decision takes one); reason ``other`` needs an
    explanation; ``duplicate`` needs ``duplicate_of``: a comment on the same
    bill, not itself a duplicate and not in the set, while no comment that
    others point at may become a duplicate. Deciding ``pending`` reopens.

    Rows are locked in primary-key order (two bulk decisions cannot deadlock);
    if any comment's revision differs from ``expected_revisions`` nothing is
    written. Each comment gets a DecisionRecord and its revision bumped.
    Returns the comments in primary-key order.

    Raises NotPermitted, InvalidDecision or ConcurrentUpdate.
    """
    if not access.can_decide(by):
        raise NotPermitted(_("只有立法工作人员可以处理意见。"))
    explanation = (explanation or "").strip()
    reason = reason or ""
    _check_decision(
        status=status, reason=reason, explanation=explanation, duplicate_of=duplicate_of
    )
    elsewhere = (elsewhere or "").strip()
    articles = None if articles is None else list(articles)
    if (articles or elsewhere) and status not in ADOPTING:
        raise InvalidTextLink(_("只有采纳或部分采纳的意见才指明写入的条文。"))
    ids = sorted({getattr(c, "pk", c) for c in comments})
    if not ids:
        raise InvalidDecision(_("请选择要处理的意见。"))
    if duplicate_of is not None and duplicate_of.pk in ids:
        raise InvalidDecision(_("被重复的意见不能同时标为重复意见。"))
    lock_ids = sorted({*ids, duplicate_of.pk} if duplicate_of is not None else ids)
    rows = {
        c.pk: c
        for c in Comment.objects.select_for_update()
        .filter(pk__in=lock_ids)
        .order_by("pk")
    }
    missing = [pk for pk in lock_ids if pk not in rows]
    if missing:
        raise CommentsNotFound(_("部分意见不存在或已被删除。"))
    locked = [rows[pk] for pk in ids]
    stale = [
        c
        for c in locked
        if expected_revisions is not None
        and c.pk in expected_revisions
        and expected_revisions[c.pk] != c.revision
    ]
    if stale:
        raise ConcurrentUpdate(
            _("%(count)d条意见已被他人处理或修改（如 %(code)s），请刷新后重试。")
            % {"count": len(stale), "code": stale[0].receipt}
        )
    if duplicate_of is not None:
        kept = rows[duplicate_of.pk]
        if kept.status == Decision.DUPLICATE:
            raise InvalidDecision(_("被重复的意见本身是重复意见，请指向最初的意见。"))
        if any(c.bill_id != kept.bill_id for c in locked):
            raise InvalidDecision(_("重复意见须与被重复的意见属于同一法规案。"))
    if status == Decision.DUPLICATE:
        pointed_at = set(
            Comment.objects.filter(duplicate_of__in=ids).values_list(
                "duplicate_of", flat=True
            )
        )
        if pointed_at:
            code = rows[min(pointed_at)].receipt
            raise InvalidDecision(
                _("意见 %(code)s 已有其他意见与其重复，不能再标为重复意见。")
                % {"code": code}
            )
    if status in ADOPTING:
        places = check_places(
            comments=locked,
            articles=articles,
            elsewhere=elsewhere,
            explanation=explanation,
        )
    kinds = dict(
        Contributor.objects.filter(comment__in=ids).values_list("comment_id", "kind")
    )
    old_keys = [
        count_key(c, kinds.get(c.pk, Contributor.Kind.RESIDENT)) for c in locked
    ]
    now = timezone.now()
    decided = status != Decision.PENDING
    for c in locked:
        c.status = status
        c.reason = reason
        c.explanation = explanation
        c.duplicate_of = duplicate_of
        c.decided_by = by if decided else None
        c.decided_at = now if decided else None
        c.revision += 1
    # One UPDATE and one INSERT of history rows per batch, as before.
    bulk_history(
        locked,
        Comment,
        [
            "status",
            "reason",
            "explanation",
            "duplicate_of",
            "decided_by",
            "decided_at",
            "revision",
            "updated_at",
        ],
        by=by,
    )
    counters.move(
        old_keys,
        [count_key(c, kinds.get(c.pk, Contributor.Kind.RESIDENT)) for c in locked],
    )
    shown_changed({c.bill_id for c in locked})  # e.g. a new explanation only
    members_decided(ids)  # a group decision prepared before is stale now
    records = DecisionRecord.objects.bulk_create(
        [
            DecisionRecord(
                comment=c,
                status=status,
                reason=reason,
                explanation=explanation,
                duplicate_of=duplicate_of,
                decided_by=by,
                decided_at=now,
            )
            for c in locked
        ],
        batch_size=1000,
    )
    if status != Decision.PENDING:
        mailing.decided(records)
    if status not in ADOPTING:
        AdoptionLink.objects.filter(comment__in=ids).delete()
    elif places is not None:
        write_places(comments=locked, places=places, by=by)
    return locked


def decide_comment(
    *,
    comment: Comment,
    status: str,
    by: Any,
    reason: str = "",
    explanation: str = "",
    duplicate_of: Comment | None = None,
    expected_revision: int | None = None,
    articles: Iterable[Article] | Iterable[int] | None = None,
    elsewhere: str = "",
) -> Comment:
    """Decide on one comment; see :func:`decide_comments` for the rules."""
    [decided] = decide_comments(
        comments=[comment],
        status=status,
        by=by,
        reason=reason,
        explanation=explanation,
        duplicate_of=duplicate_of,
        expected_revisions=None
        if expected_revision is None
        else {comment.pk: expected_revision},
        articles=articles,
        elsewhere=elsewhere,
    )
    return decided


# --- feedback ------------------------------------------------------------------


@transaction.atomic
def record_feedback(
    *,
    by: Any,
    comments: Iterable[Comment] | Iterable[int],
    channel: str,
    given_on: dt.date,
    text: str = "",
    point: LiaisonPoint | None = None,
) -> Feedback:
    """
    Record that the contributors of ``comments`` (or their point) were told.

    One feedback may cover many comments. Staff record for any comment, a clerk
    only for their points' comments and through one of their points. A clerk's
    feedback names the comments' point when all share one. ``given_on`` may not
    lie in the future, nor before the latest of the comments was made.

    Raises NotPermitted or InvalidFeedback.
    """
    ids = sorted({getattr(c, "pk", c) for c in comments})
    if not ids:
        raise InvalidFeedback(_("请选择要反馈的意见。"))
    rows = list(
        Comment.objects.filter(pk__in=ids).only("pk", "point_id", "submitted_on")
    )
    if len(rows) != len(ids):
        raise CommentsNotFound(_("部分意见不存在或已被删除。"))
    if not access.can_record_feedback(by, rows):
        raise NotPermitted(_("您只能为本联系点的意见记录反馈。"))
    if channel not in Feedback.Channel.values:
        raise InvalidFeedback(_("反馈方式无效。"))
    if given_on > timezone.localdate():
        raise InvalidFeedback(_("反馈日期不能晚于今天。"))
    latest = max(c.submitted_on for c in rows)
    if given_on < latest:
        # Nobody is told the outcome of a comment before making it.
        raise InvalidFeedback(
            _("反馈日期不能早于所反馈意见的提出日期（%(day)s）。")
            % {"day": latest.isoformat()}
        )
    if point is not None and not access.can_record_consultation(by, point):
        raise NotPermitted(_("您只能通过本人负责的联系点反馈。"))
    if point is None:
        shared = {c.point_id for c in rows}
        if len(shared) == 1 and None not in shared and not access.can_decide(by):
            point = LiaisonPoint.objects.get(pk=shared.pop())
    feedback = Feedback.objects.create(
        channel=channel,
        given_on=given_on,
        text=(text or "").strip(),
        point=point,
        recorded_by=by,
    )
    feedback.comments.add(*ids)
    mailing.feedback_recorded(feedback, ids)
    return feedback
