"""
Every write on the consultation side that carries a rule or a side effect.

Each service is keyword-only and typed, takes the acting user as ``by``, checks
that ``by`` may do the act (:mod:`consultation.access`) and refuses with
:class:`~consultation.errors.NotPermitted` otherwise, runs in one transaction
and locks the rows it changes. Comments and consultations carry a ``revision``:
a writer that read an older one gets :class:`ConcurrentUpdate` and nothing is
written. Decisions are appended to :class:`DecisionRecord`, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legislation import services as legislation_services
from legislation import tasks as legislation_tasks
from legislation.models import Article, Bill, DraftVersion, EventKind

from . import access, counters, imports, search
from .errors import (
    ConcurrentUpdate,
    ConsultationFrozen,
    ImportRejected,
    InvalidComment,
    InvalidConsultation,
    InvalidDecision,
    InvalidFeedback,
    NotPermitted,
)
from .models import (
    NEEDS_REASON,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Channel,
    Comment,
    Consultation,
    Contributor,
    Decision,
    DecisionRecord,
    Feedback,
    ImportBatch,
    LiaisonPoint,
    Reason,
    new_receipt_code,
)

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = imports.MAX_TEXT_LENGTH
RECEIPT_ATTEMPTS = 5
IMPORT_CHUNK = 5000  # rows checked and staged between two loads


# --- consultations -----------------------------------------------------------

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


def _shown_changed(bill_ids: Iterable[int]) -> None:
    """
    Move the bills' counts versions on (:func:`counters.version`), now and on
    commit: besides the counts, the public pages keep what they show of a bill's
    consultations and comments under that version, and the public counts leave
    out unpublished consultations. For the changes that move no count.
    """
    counters._bump(bill_ids)


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
    _shown_changed([bill.pk])
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
    _shown_changed({*shown_on, locked.bill_id})
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


# --- comments ------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidComment(_("意见内容不能为空。"))
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidComment(
            _("意见内容不能超过%(max)d字（现为%(length)d字）。")
            % {"max": MAX_TEXT_LENGTH, "length": len(text)}
        )
    return text


def _check_contributor(fields: Mapping[str, str]) -> dict[str, str]:
    """Strip and check contributor fields given as contributor_<name>."""
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        field = name.removeprefix("contributor_")
        value = (value or "").strip()
        if field == "kind":
            value = value or Contributor.Kind.RESIDENT
            if value not in Contributor.Kind.values:
                raise InvalidComment(_("提出人身份无效。"))
        else:
            limit = Contributor._meta.get_field(field).max_length
            if len(value) > limit:
                raise InvalidComment(
                    _("%(field)s不能超过%(max)d个字符。")
                    % {
                        "field": Contributor._meta.get_field(field).verbose_name,
                        "max": limit,
                    }
                )
        cleaned[field] = value
    return cleaned


def _check_article(article: Article | None, consultation: Consultation) -> None:
    if article is not None and article.version_id != consultation.version_id:
        raise InvalidComment(_("所选条文不属于本次征求意见的草案文本。"))


def _check_date(day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidComment(_("提出日期不能晚于今天。"))


def _default_date(consultation: Consultation) -> dt.date:
    """The date a comment was made when nobody said: the meeting, or today."""
    if consultation.held_on:
        return consultation.held_on
    today = timezone.localdate()
    if consultation.opens_on and consultation.closes_on:
        return min(max(today, consultation.opens_on), consultation.closes_on)
    return today


@transaction.atomic
def enter_comment(
    *,
    by: Any,
    consultation: Consultation,
    text: str,
    submitted_on: dt.date | None = None,
    article: Article | None = None,
    summary: str = "",
    contributor_name: str = "",
    contributor_contact: str = "",
    contributor_kind: str = "resident",
    contributor_affiliation: str = "",
) -> Comment:
    """
    Enter one comment made in ``consultation``, with who made it.

    The text is kept as given (stripped; not empty; at most 5,000 characters);
    ``article`` must belong to the consultation's version. Bill and point are
    copied from the consultation. The comment gets a fresh receipt code to hand
    to its contributor. Staff enter anywhere, a clerk at their own points.

    Raises NotPermitted or InvalidComment.
    """
    _share_lock(consultation)
    locked = Consultation.objects.select_related("bill").get(pk=consultation.pk)
    if not access.can_enter_comment(by, locked):
        raise NotPermitted(_("您不能为该征求意见活动录入意见。"))
    text = _clean_text(text)
    _check_article(article, locked)
    _check_date(submitted_on)
    person = _check_contributor(
        {
            "contributor_name": contributor_name,
            "contributor_contact": contributor_contact,
            "contributor_kind": contributor_kind,
            "contributor_affiliation": contributor_affiliation,
        }
    )
    comment = Comment(
        consultation=locked,
        bill_id=locked.bill_id,
        point_id=locked.point_id,
        article=article,
        text=text,
        summary=(summary or "").strip(),
        submitted_on=submitted_on or _default_date(locked),
        created_by=by if by.is_authenticated else None,
    )
    comment.search_text = search.search_words(comment.text, comment.summary)
    for attempt in range(RECEIPT_ATTEMPTS):
        try:
            with transaction.atomic():
                comment.save()
            break
        except IntegrityError:
            # The one unique column a fresh row can collide on is its random
            # receipt code: draw another.
            if attempt == RECEIPT_ATTEMPTS - 1:
                raise
            comment.pk = None
            comment.receipt_code = new_receipt_code()
    Contributor.objects.create(comment=comment, **person)
    counters.add([(_count_key(comment, person["kind"]), 1)])
    return comment


def _share_lock(consultation: Consultation) -> None:
    """
    Hold the consultation as it is until the transaction ends, shared: a change
    of it (update_consultation locks it for update) waits for the comments being
    entered in it, and they wait for the change, but entries do not wait for
    one another. SQLite writes one transaction at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Consultation._meta.db_table} WHERE id = %s FOR SHARE",
            [consultation.pk],
        )


def _count_key(comment: Comment, kind: str) -> counters.Key:
    return counters.key(
        consultation_id=comment.consultation_id,
        bill_id=comment.bill_id,
        article_id=comment.article_id,
        kind=kind,
        status=comment.status,
        submitted_on=comment.submitted_on,
    )


COMMENT_FIELDS = frozenset({"text", "summary", "article", "submitted_on"})
CONTRIBUTOR_FIELDS = frozenset(
    {
        "contributor_name",
        "contributor_contact",
        "contributor_kind",
        "contributor_affiliation",
    }
)


def _lock_comment(comment: Comment, expected_revision: int | None) -> Comment:
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=comment.pk)
    )
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate(
            _("意见 %(code)s 已被他人修改，请刷新后重试。") % {"code": locked.receipt}
        )
    return locked


@transaction.atomic
def edit_comment(
    *, comment: Comment, by: Any, expected_revision: int | None, **changes: Any
) -> Comment:
    """
    Correct a comment's text, summary, article, date or contributor details.

    Staff may edit any comment; a clerk only their points' comments, and only
    while pending. The decision is not edited here (see :func:`decide_comments`).

    Raises NotPermitted, ConcurrentUpdate or InvalidComment.
    """
    unknown = set(changes) - COMMENT_FIELDS - CONTRIBUTOR_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = _lock_comment(comment, None)
    if not access.can_edit_comment(by, locked):
        raise NotPermitted(_("您不能修改该意见。"))
    if expected_revision is not None and locked.revision != expected_revision:
        raise ConcurrentUpdate(
            _("意见 %(code)s 已被他人修改，请刷新后重试。") % {"code": locked.receipt}
        )
    fields: list[str] = []
    counted = {"article", "submitted_on", "contributor_kind"} & set(changes)
    old_key = None
    if counted:
        kind = (
            Contributor.objects.filter(comment=locked)
            .values_list("kind", flat=True)
            .first()
        )
        old_key = _count_key(locked, kind or Contributor.Kind.RESIDENT)
    if "text" in changes:
        locked.text = _clean_text(changes["text"])
        fields.append("text")
    if "summary" in changes:
        locked.summary = (changes["summary"] or "").strip()
        fields.append("summary")
    if "text" in changes or "summary" in changes:
        locked.search_text = search.search_words(locked.text, locked.summary)
        fields.append("search_text")
    if "article" in changes:
        _check_article(changes["article"], locked.consultation)
        locked.article = changes["article"]
        fields.append("article")
    if "submitted_on" in changes:
        _check_date(changes["submitted_on"])
        locked.submitted_on = changes["submitted_on"] or _default_date(
            locked.consultation
        )
        fields.append("submitted_on")
    person = _check_contributor(
        {k: v for k, v in changes.items() if k in CONTRIBUTOR_FIELDS}
    )
    if person:
        Contributor.objects.update_or_create(comment=locked, defaults=person)
    if old_key is not None:
        new_key = _count_key(locked, person.get("kind", old_key[3]))
        counters.move([old_key], [new_key])
    locked.revision = F("revision") + 1
    locked.save(update_fields=[*fields, "revision", "updated_at"])
    _shown_changed([locked.bill_id])
    locked.refresh_from_db(fields=["revision"])
    return locked


# --- decisions -----------------------------------------------------------------


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
) -> list[Comment]:
    """
    Decide on many comments in one step, with one reason and explanation.

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
        raise InvalidDecision(_("部分意见不存在或已被删除。"))
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
    kinds = dict(
        Contributor.objects.filter(comment__in=ids).values_list("comment_id", "kind")
    )
    old_keys = [
        _count_key(c, kinds.get(c.pk, Contributor.Kind.RESIDENT)) for c in locked
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
    Comment.objects.bulk_update(
        locked,
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
        batch_size=1000,
    )
    counters.move(
        old_keys,
        [_count_key(c, kinds.get(c.pk, Contributor.Kind.RESIDENT)) for c in locked],
    )
    _shown_changed({c.bill_id for c in locked})  # e.g. a new explanation only
    DecisionRecord.objects.bulk_create(
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
    lie in the future.

    Raises NotPermitted or InvalidFeedback.
    """
    ids = sorted({getattr(c, "pk", c) for c in comments})
    if not ids:
        raise InvalidFeedback(_("请选择要反馈的意见。"))
    rows = list(Comment.objects.filter(pk__in=ids).only("pk", "point_id"))
    if len(rows) != len(ids):
        raise InvalidFeedback(_("部分意见不存在或已被删除。"))
    if not access.can_record_feedback(by, rows):
        raise NotPermitted(_("您只能为本联系点的意见记录反馈。"))
    if channel not in Feedback.Channel.values:
        raise InvalidFeedback(_("反馈方式无效。"))
    if given_on > timezone.localdate():
        raise InvalidFeedback(_("反馈日期不能晚于今天。"))
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
    return feedback


# --- imports -------------------------------------------------------------------

IMPORT_TYPES = (".csv", ".xlsx")


@transaction.atomic
def start_import(
    *, by: Any, consultation: Consultation, uploaded_file: UploadedFile
) -> ImportBatch:
    """
    Accept a CSV or XLSX file of comments for ``consultation`` and queue it.

    The file is stored with a new batch (status pending); after commit the task
    :func:`consultation.tasks.process_import` runs :func:`run_import` on it (in
    process when no broker is configured). Files larger than
    NPC_IMPORT_MAX_BYTES, empty files and other types are refused.

    Raises NotPermitted or ImportRejected.
    """
    if not access.can_enter_comment(by, consultation):
        raise NotPermitted(_("您不能为该征求意见活动导入意见。"))
    name = os.path.basename(uploaded_file.name or "")
    if not name.lower().endswith(IMPORT_TYPES):
        raise ImportRejected(_("只能导入 CSV 或 XLSX 文件。"))
    if not uploaded_file.size:
        raise ImportRejected(_("文件是空的。"))
    limit = settings.NPC_IMPORT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ImportRejected(
            _("文件过大（上限 %(mb)d MB），请拆分后分批导入。")
            % {"mb": limit // (1024 * 1024)}
        )
    batch = ImportBatch(
        consultation=consultation,
        original_name=name[:255],
        created_by=by,
    )
    batch.file.save(name, uploaded_file, save=False)
    batch.save()
    from . import tasks  # the task module imports this one

    tasks.process_import.delay_on_commit(batch.pk)
    return batch


def _progress(batch_id: int, done: int, total: int | None = None) -> None:
    """Publish progress at once, outside the import's own transaction if any."""
    values: dict[str, int] = {"processed_rows": done}
    if total is not None:
        values["total_rows"] = total
    ImportBatch.objects.filter(pk=batch_id).update(**values)


def _claim(batch_id: int) -> ImportBatch | None:
    """Mark the batch running, or return None if it is already finished."""
    with transaction.atomic():
        batch = (
            # Lock the batch row only: PostgreSQL refuses FOR UPDATE on the
            # nullable side of the outer join to created_by.
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("consultation", "created_by")
            .get(pk=batch_id)
        )
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return None
        batch.status = ImportBatch.Status.RUNNING
        batch.processed_rows = 0
        batch.save(update_fields=["status", "processed_rows"])
        return batch


def _fail(batch: ImportBatch, errors: Sequence[dict], error_count: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED,
        errors=list(errors),
        error_count=error_count,
        finished_at=timezone.now(),
    )


class _VersionChanged(Exception):
    """The consultation moved to another draft version while rows were checked."""


class _Invalid(Exception):
    """Some rows of the file are wrong: nothing of it is written."""

    def __init__(self, validator: imports.Validator) -> None:
        super().__init__("invalid rows")
        self.validator = validator


def run_import(*, batch_id: int) -> ImportBatch:
    """
    Check every row of an import batch once, and write all of them or none.

    One pass reads and checks each row (:mod:`consultation.imports`),
    publishing progress as it goes, and stages the clean rows, with their
    search words and receipt codes, in a temporary table of the connection
    (COPY on PostgreSQL); INSERT … SELECT statements move them into comments,
    contributors and counts, in ONE transaction. Any error fails the batch with
    the spreadsheet's row numbers and column names, and nothing is written.
    Memory stays flat: Python holds a few chunks of rows at a time.

    On PostgreSQL the transaction is open from the start and each chunk is
    written while a thread checks the next one, so the database works while
    Python checks (progress is then published on a connection of its own).
    Elsewhere the whole file is checked and staged first, then written.

    Idempotent: a finished batch is returned as it is; a rerun after a crash
    writes each row once (rows already written for the batch are skipped; the
    (import_batch, import_row) constraint backs this up).
    """
    batch = _claim(batch_id)
    if batch is None:
        return ImportBatch.objects.get(pk=batch_id)
    if not access.can_enter_comment(batch.created_by, batch.consultation):
        _fail(
            batch,
            [
                {
                    "row": None,
                    "column": "",
                    "message": _("您不能为该征求意见活动导入意见。"),
                }
            ],
            1,
        )
        return ImportBatch.objects.get(pk=batch_id)
    started = time.monotonic()
    phases: dict[str, float] = {}
    with batch.file.open("rb") as data:
        total = imports.estimate_rows(batch.original_name, data)
    _progress(batch.pk, 0, total)
    write = _check_and_write if connection.vendor == "postgresql" else _check_then_write
    try:
        rows = write(batch, phases)
    except imports.ImportFileError as exc:
        _fail(batch, [exc.as_error()], 1)
        return ImportBatch.objects.get(pk=batch_id)
    except _Invalid as exc:
        _fail(batch, exc.validator.errors, exc.validator.error_count)
        _progress(batch.pk, exc.validator.rows_read)
        return ImportBatch.objects.get(pk=batch_id)
    except _VersionChanged:
        message = _(
            "导入期间该征求意见活动的草案版本已更改，未写入任何意见，请重新上传。"
        )
        _fail(batch, [{"row": None, "column": "", "message": message}], 1)
        return ImportBatch.objects.get(pk=batch_id)
    finally:
        _drop_staging()
    phases["total"] = time.monotonic() - started
    logger.info(
        "import batch %s: %s rows in %.1f s",
        batch_id,
        rows,
        phases["total"],
        extra={"phases": phases},
    )
    return ImportBatch.objects.get(pk=batch_id)


def _finish(batch_id: int, created: int, rows: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.DONE,
        created_count=created,
        processed_rows=rows,
        total_rows=rows,
        errors=[],
        error_count=0,
        finished_at=timezone.now(),
    )


def _check_then_write(batch: ImportBatch, phases: dict[str, float]) -> int:
    """
    Check and stage every row, then write them in one transaction; return the
    number of rows read. Raises _Invalid, _VersionChanged or ImportFileError.
    """
    mark = time.monotonic()
    consultation = batch.consultation
    validator = imports.Validator(consultation)
    _create_staging()
    staged = 0
    with batch.file.open("rb") as data:
        rows = validator.iter_clean(
            imports.read_rows(batch.original_name, data),
            progress=lambda done: _progress(batch.pk, done),
        )
        for values in _staged_values(validator, rows):
            _load(values)
            staged += len(values)
    validator.finish()
    if validator.errors:
        raise _Invalid(validator)
    _progress(batch.pk, validator.rows_read, validator.rows_read)
    phases["check_and_stage"] = time.monotonic() - mark
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == ImportBatch.Status.DONE:
            return locked.processed_rows
        # Keep the consultation's bill, version and point still while
        # writing; comments entered meanwhile need not wait.
        _share_lock(consultation)
        current = Consultation.objects.get(pk=consultation.pk)
        if current.version_id != consultation.version_id:
            # The rows were checked against the articles of another version.
            raise _VersionChanged
        mark = time.monotonic()
        created = _write_staged(locked, current, staged, phases)
        _finish(batch.pk, created, validator.rows_read)
        phases["write"] = time.monotonic() - mark
        mark = time.monotonic()
    phases["commit"] = time.monotonic() - mark  # deferred foreign-key checks
    return validator.rows_read


# pg_advisory_xact_lock(IMPORT_LOCK, batch id): one writer per batch at a time.
IMPORT_LOCK = 7


def _check_and_write(batch: ImportBatch, phases: dict[str, float]) -> int:
    """
    Check the rows in a thread and write each checked chunk at once, all in
    one transaction (PostgreSQL); return the number of rows read. Raises
    _Invalid or ImportFileError, after rolling back.
    """
    mark = time.monotonic()
    publish = _ProgressPublisher(batch.pk)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Not the batch's row lock: progress goes to that row meanwhile.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, batch.pk]
                )
            locked = ImportBatch.objects.get(pk=batch.pk)
            if locked.status == ImportBatch.Status.DONE:
                return locked.processed_rows
            # Keep the consultation's bill, version and point still from the
            # first row checked to the commit; comments entered meanwhile need
            # not wait.
            _share_lock(batch.consultation)
            consultation = Consultation.objects.get(pk=batch.consultation_id)
            validator = imports.Validator(consultation)
            already = set(
                Comment.objects.filter(import_batch_id=batch.pk).values_list(
                    "import_row", flat=True
                )
            )
            _create_staging()
            counts: Counter[tuple[int | None, str, int]] = Counter()
            chunks = closing(_checked_in_thread(batch, validator, publish))
            with chunks, connection.cursor() as cursor:
                for chunk in chunks.thing:
                    values = [v for v in chunk if v[0] not in already]
                    if not values:
                        continue
                    _load(values)
                    _insert_staged(cursor, locked, consultation, len(values))
                    cursor.execute(f"TRUNCATE {STAGING}")
                    counts.update((v[1], v[11], v[3]) for v in values)
            validator.finish()
            if validator.errors:
                raise _Invalid(validator)
            phases["check_and_write"] = time.monotonic() - mark
            _add_counts(consultation, counts)
            _finish(batch.pk, len(already) + counts.total(), validator.rows_read)
            mark = time.monotonic()
        phases["commit"] = time.monotonic() - mark  # deferred foreign-key checks
    finally:
        publish.close()
    return validator.rows_read


class _ProgressPublisher:
    """
    Publish an import's progress on a connection of its own, at once: the
    import's own transaction shows nothing until it commits.
    """

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.last: int | None = None
        self.connection = connection.copy()

    def __call__(self, done: int) -> None:
        if done == self.last:
            return
        self.last = done
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportBatch._meta.db_table} SET processed_rows = %s "
                "WHERE id = %s",
                [done, self.batch_id],
            )

    def close(self) -> None:
        self.connection.close()


_END = object()


def _checked_in_thread(
    batch: ImportBatch,
    validator: imports.Validator,
    publish: Callable[[int], None],
) -> Iterator[list[tuple]]:
    """
    Yield the staged values of the file's clean rows a chunk at a time, read,
    checked and segmented by a thread of their own (no database there), a
    chunk or two ahead of the caller. Publish progress as the thread goes.
    Once an error is found, rows are only checked. Raises what the thread
    raised (ImportFileError).
    """
    chunks: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = [0]
    language = translation.get_language()

    def put(item: Any) -> None:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def check() -> None:
        try:
            with translation.override(language), batch.file.open("rb") as data:
                rows = validator.iter_clean(
                    imports.read_rows(batch.original_name, data),
                    progress=lambda n: done.__setitem__(0, n),
                )
                for values in _staged_values(validator, rows):
                    put(values)
                    if stop.is_set():
                        return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            put(exc)

    thread = threading.Thread(target=check, name=f"import-{batch.pk}", daemon=True)
    thread.start()
    try:
        while True:
            try:
                item = chunks.get(timeout=1)
            except queue.Empty:
                publish(done[0])
                continue
            publish(done[0])
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


# The clean rows of the import in progress, in a temporary table of the
# connection (PostgreSQL: of the session, kept in its own memory and files).
STAGING = "consultation_import_staging"
_STAGED_COLUMNS = (
    "import_row",
    "article_id",
    "submitted_on",
    "year",
    "text",
    "summary",
    "search_text",
    "receipt_code",
    "name",
    "contact",
    "affiliation",
    "kind",
)


def _create_staging() -> None:
    """
    Create the empty staging table. On PostgreSQL each staged row draws its
    comment's id from the comments' own sequence, so contributors are written
    without joining the comments back.
    """
    _drop_staging()
    id_column = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id')", [Comment._meta.db_table]
            )
            (sequence,) = cursor.fetchone()
        id_column = f"id bigint NOT NULL DEFAULT nextval('{sequence}'::regclass), "
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} ({id_column}"
            "import_row integer NOT NULL, article_id bigint, submitted_on date "
            "NOT NULL, year integer NOT NULL, text text NOT NULL, summary text "
            "NOT NULL, search_text text NOT NULL, receipt_code varchar(12) NOT "
            "NULL, name varchar(100) NOT NULL, contact varchar(100) NOT NULL, "
            "affiliation varchar(200) NOT NULL, kind varchar(20) NOT NULL)"
        )


def _drop_staging() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    except DatabaseError:
        # The connection is gone, and its temporary table with it.
        logger.warning("could not drop the import staging table", exc_info=True)


def _staged_values(
    validator: imports.Validator, rows: Iterable[imports.CleanRow]
) -> Iterator[list[tuple]]:
    """
    Yield the clean ``rows`` as values of the staging table (search words and
    a receipt code added), a chunk at a time. Once ``validator`` has found an
    error, rows are only checked: the file will not be written.
    """
    codes = _receipt_codes()
    adapt = connection.ops.adapt_datefield_value
    for chunk in _chunks(rows):
        if validator.error_count:
            continue
        yield [
            (
                row.row,
                row.article_id,
                adapt(row.submitted_on),
                row.submitted_on.year,
                row.text,
                row.summary,
                search.search_words(row.text, row.summary),
                next(codes),
                row.name,
                row.contact,
                row.affiliation,
                row.kind,
            )
            for row in chunk
        ]


def _load(values: list[tuple]) -> None:
    columns = ", ".join(_STAGED_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(_STAGED_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {STAGING} ({columns}) VALUES ({marks})", values
            )


def _chunks(rows: Iterable[imports.CleanRow]) -> Iterator[list[imports.CleanRow]]:
    it = iter(rows)
    while chunk := list(islice(it, IMPORT_CHUNK)):
        yield chunk


def _receipt_codes() -> Iterator[str]:
    """
    Yield fresh receipt codes drawn as :func:`~consultation.models.new_receipt_code`
    draws them (each character uniform over the alphabet, from the system's
    secure random source), many at once: a million codes take a fraction of a
    second instead of several.
    """
    size = len(RECEIPT_ALPHABET)
    usable = 256 - 256 % size  # bytes above would favour the first characters
    table = bytes(ord(RECEIPT_ALPHABET[b % size]) for b in range(256))
    rejected = bytes(range(usable, 256))
    while True:
        chars = secrets.token_bytes(RECEIPT_LENGTH * 4096).translate(table, rejected)
        for i in range(0, len(chars) - RECEIPT_LENGTH + 1, RECEIPT_LENGTH):
            yield chars[i : i + RECEIPT_LENGTH].decode("ascii")


def _write_staged(
    batch: ImportBatch,
    consultation: Consultation,
    staged: int,
    phases: dict[str, float],
) -> int:
    """
    Insert the staged rows: comments, then their contributors, then the counts.
    Rows already written for ``batch`` (by an earlier run) are left out. Return
    the number of the batch's comments.
    """
    batch_id = batch.pk
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        already = Comment.objects.filter(import_batch_id=batch_id).count()
        if already:
            cursor.execute(
                f"DELETE FROM {STAGING} WHERE import_row IN (SELECT import_row "
                f"FROM {table} WHERE import_batch_id = %s)",
                [batch_id],
            )
            staged -= cursor.rowcount
        mark = time.monotonic()
        _insert_staged(cursor, batch, consultation, staged)
        phases["insert"] = time.monotonic() - mark
        cursor.execute(
            f"SELECT article_id, kind, year, COUNT(*) FROM {STAGING} "
            "GROUP BY article_id, kind, year"
        )
        counts = {(a, k, y): n for a, k, y, n in cursor.fetchall()}
    _add_counts(consultation, counts)
    return already + staged


def _add_counts(
    consultation: Consultation, counts: Mapping[tuple[int | None, str, int], int]
) -> None:
    """Count new pending comments of ``consultation``: (article, kind, year) → n."""
    counters.add(
        Counter(
            {
                counters.key(
                    consultation_id=consultation.pk,
                    bill_id=consultation.bill_id,
                    article_id=article_id,
                    kind=kind,
                    status=Decision.PENDING.value,
                    submitted_on=dt.date(year, 1, 1),
                ): n
                for (article_id, kind, year), n in counts.items()
            }
        )
    )


def _insert_staged(
    cursor: Any, batch: ImportBatch, consultation: Consultation, staged: int
) -> None:
    """
    Insert the ``staged`` rows of the staging table as comments, and their
    contributors. A receipt code drawn twice (about one chance in a million
    per million rows, or taken meanwhile by a comment entered by hand) is
    skipped by the insert; the rows it held back get new codes and go again.
    """
    inserted = _insert_comments(cursor, batch, consultation, only_missing=False)
    attempts = 1
    while inserted < staged:
        if attempts == RECEIPT_ATTEMPTS:
            raise IntegrityError("receipt codes kept colliding")
        attempts += 1
        _redraw_receipt_codes(cursor, batch.pk)
        inserted += _insert_comments(cursor, batch, consultation, only_missing=True)
    _insert_contributors(cursor, batch.pk)


def _insert_comments(
    cursor: Any, batch: ImportBatch, consultation: Consultation, *, only_missing: bool
) -> int:
    """
    Insert the staged rows as comments, skipping rows whose receipt code is
    taken (or, with ``only_missing``, rows already inserted); return how many.
    """
    table = Comment._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pg = connection.vendor == "postgresql"
    where = "WHERE true"  # SQLite needs a WHERE before ON CONFLICT
    params: list[Any] = [
        consultation.pk,
        consultation.bill_id,
        consultation.point_id,
        Decision.PENDING.value,
        batch.pk,
        batch.created_by_id,
        now,
        now,
    ]
    if only_missing:
        where = (
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} c WHERE c.import_batch_id = "
            "%s AND c.import_row = s.import_row)"
        )
        params.append(batch.pk)
    cursor.execute(
        # One statement: the inserting query is visible as such to anyone
        # watching the database.
        f'INSERT INTO "{table}" ({"id, " if pg else ""}consultation_id, bill_id, '
        "point_id, article_id, text, summary, submitted_on, receipt_code, status, "
        "reason, explanation, revision, import_batch_id, import_row, search_text, "
        "created_by_id, created_at, updated_at) "
        f"SELECT {'s.id, ' if pg else ''}%s, %s, %s, s.article_id, s.text, "
        "s.summary, s.submitted_on, s.receipt_code, %s, '', '', 1, %s, "
        "s.import_row, s.search_text, %s, %s, %s "
        f"FROM {STAGING} s {where} "
        "ON CONFLICT (receipt_code) DO NOTHING",
        params,
    )
    return cursor.rowcount


def _redraw_receipt_codes(cursor: Any, batch_id: int) -> None:
    """Give new receipt codes to the staged rows not inserted yet."""
    cursor.execute(
        f"SELECT s.import_row FROM {STAGING} s WHERE NOT EXISTS (SELECT 1 FROM "
        f"{Comment._meta.db_table} c WHERE c.import_batch_id = %s "
        "AND c.import_row = s.import_row) ORDER BY s.import_row",
        [batch_id],
    )
    codes = _receipt_codes()
    cursor.executemany(
        f"UPDATE {STAGING} SET receipt_code = %s WHERE import_row = %s",
        [(next(codes), row) for (row,) in cursor.fetchall()],
    )


def _insert_contributors(cursor: Any, batch_id: int) -> None:
    """Insert the contributors of the staged rows' comments."""
    columns = "comment_id, name, contact, affiliation, kind"
    values = "s.name, s.contact, s.affiliation, s.kind"
    if connection.vendor == "postgresql":
        source = f"SELECT s.id, {values} FROM {STAGING} s"
        params: list[Any] = []
    else:
        source = (
            f"SELECT c.id, {values} FROM {STAGING} s JOIN "
            f"{Comment._meta.db_table} c ON c.import_batch_id = %s "
            "AND c.import_row = s.import_row"
        )
        params = [batch_id]
    cursor.execute(
        f"INSERT INTO {Contributor._meta.db_table} ({columns}) {source}", params
    )


def abandon_import(*, batch_id: int) -> ImportBatch:
    """
    Give up on a batch whose task failed for good (retries spent, or an error
    no retry can mend): mark it failed, unless it was written, so the clerk sees
    an outcome instead of endless progress. Its write transaction rolled back,
    so nothing of it is in the database.
    """
    ImportBatch.objects.filter(pk=batch_id).exclude(
        status=ImportBatch.Status.DONE
    ).update(
        status=ImportBatch.Status.FAILED,
        errors=[
            {
                "row": None,
                "column": "",
                "message": _("导入过程中出错，未写入任何意见，请重新上传。"),
            }
        ],
        error_count=1,
        finished_at=timezone.now(),
    )
    return ImportBatch.objects.get(pk=batch_id)
