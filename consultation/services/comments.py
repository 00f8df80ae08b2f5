"""
Enter comments and correct them.

A comment is kept as its contributor gave it, with who made it (a
:class:`~consultation.models.Contributor`) and a receipt code to hand them;
the decision on it is :mod:`consultation.services.decisions`' concern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.models import Article

from .. import access, arrivals, counters, imports, search
from ..errors import ConcurrentUpdate, InvalidComment, NotPermitted
from ..grouping.services import group_after_commit, text_changed
from ..models import (
    Comment,
    CommentRevision,
    Consultation,
    Contributor,
    new_receipt_code,
)
from ..writing import RECEIPT_ATTEMPTS, share_lock
from . import closing
from ._common import count_key, shown_changed

MAX_TEXT_LENGTH = imports.MAX_TEXT_LENGTH
T = TypeVar("T")


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if imports.is_blank(text):
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
    if day is not None and (problem := imports.date_problem(day, timezone.localdate())):
        raise InvalidComment(problem)


def _default_date(consultation: Consultation) -> dt.date:
    """The date a comment was made when nobody said: the meeting, or today."""
    if consultation.held_on:
        return consultation.held_on
    today = timezone.localdate()
    if consultation.opens_on and consultation.closes_on:
        return min(max(today, consultation.opens_on), consultation.closes_on)
    return today


class _ReceiptTaken(Exception):
    """A fresh comment's random receipt code was taken: the write starts again."""


def _insert_comment(comment: Comment) -> None:
    """
    Insert a new comment (and its history row). The one unique column a fresh
    row can collide on is its random receipt code: a collision raises
    _ReceiptTaken, which :func:`_with_fresh_receipt` answers by starting over.
    """
    try:
        comment.save()
    except IntegrityError as exc:
        raise _ReceiptTaken from exc


def _with_fresh_receipt(write: Callable[[str | None], T]) -> T:
    """
    Return ``write(code)``, run in a transaction of its own (a savepoint inside
    the caller's), and again from the start with a fresh ``code`` if the
    receipt code it stored was taken; ``code`` is None the first time (the
    model's own draw).

    The retry takes the whole write rather than a savepoint around the insert:
    a collision comes about once in hundreds of millions of comments, while a
    savepoint costs every comment two more round trips to the database.
    """
    code = None
    for attempt in range(RECEIPT_ATTEMPTS):
        try:
            with transaction.atomic():
                return write(code)
        except _ReceiptTaken as taken:
            if attempt == RECEIPT_ATTEMPTS - 1:
                raise taken.__cause__ from None
            code = new_receipt_code()
    raise AssertionError("unreachable")


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
    to its contributor. Staff enter anywhere, a clerk at their own points; only
    while the consultation accepts comments (:func:`closing.ensure_accepting`).

    Raises NotPermitted, ConsultationClosed or InvalidComment.
    """
    return _with_fresh_receipt(
        lambda code: _enter_comment(
            receipt_code=code,
            by=by,
            consultation=consultation,
            text=text,
            submitted_on=submitted_on,
            article=article,
            summary=summary,
            person={
                "contributor_name": contributor_name,
                "contributor_contact": contributor_contact,
                "contributor_kind": contributor_kind,
                "contributor_affiliation": contributor_affiliation,
            },
        )
    )


def _enter_comment(
    *,
    receipt_code: str | None,
    by: Any,
    consultation: Consultation,
    text: str,
    submitted_on: dt.date | None,
    article: Article | None,
    summary: str,
    person: dict[str, str],
) -> Comment:
    share_lock(consultation)
    # Read with its closing in the one query (the vote's and the reopening's
    # days as columns), not in two more.
    locked = closing.with_closing(Consultation.objects.select_related("bill")).get(
        pk=consultation.pk
    )
    if not access.can_enter_comment(by, locked):
        raise NotPermitted(_("您不能为该征求意见活动录入意见。"))
    closing.ensure_accepting(locked, state=closing.annotated_closing(locked))
    text = _clean_text(text)
    _check_article(article, locked)
    _check_date(submitted_on)
    person = _check_contributor(person)
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
    if receipt_code:
        comment.receipt_code = receipt_code
    comment.search_text = search.search_words(comment.text, comment.summary)
    _insert_comment(comment)
    Contributor.objects.create(comment=comment, **person)
    entered_in = counters.add([(count_key(comment, person["kind"]), 1)], arrivals=True)
    # On top of the bill's public list without listing it again.
    arrivals.arrived(comment.bill_id, comment.pk, entered_in)
    # Into its near-duplicate group once the entry commits, out of its
    # transaction (and, with a worker, out of the request).
    group_after_commit(comment_ids=[comment.pk])
    return comment


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


def _correct_text(comment: Comment, text: str, *, reason: str, by: Any) -> bool:
    """
    Keep the text as first recorded and append ``text`` as a correction.

    Returns whether the text changed. The first correction also writes the
    original wording (number 1, by whoever entered the comment, when); the
    comment's ``text`` is the latest wording and ``corrected`` is set.
    """
    if text == comment.text:
        return False
    reason = (reason or "").strip()
    if not reason:
        raise InvalidComment(_("更正意见原文须说明理由（原文会保留）。"))
    last = comment.revisions.order_by("-number").values_list("number", flat=True)
    number = last.first()
    if number is None:
        CommentRevision.objects.create(
            comment=comment,
            number=1,
            text=comment.text,
            recorded_by_id=comment.created_by_id,
            recorded_at=comment.created_at,
        )
        number = 1
    CommentRevision.objects.create(
        comment=comment,
        number=number + 1,
        text=text,
        reason=reason,
        recorded_by=by if by.is_authenticated else None,
        recorded_at=timezone.now(),
    )
    comment.text = text
    comment.corrected = True
    comment._change_reason = reason  # the history row carries it too
    return True


@transaction.atomic
def edit_comment(
    *,
    comment: Comment,
    by: Any,
    expected_revision: int | None,
    reason: str = "",
    **changes: Any,
) -> Comment:
    """
    Correct a comment's text, summary, article, date or contributor details.

    Staff may edit any comment; a clerk only their points' comments, and only
    while pending. The decision is not edited here (see :func:`decide_comments`).
    The text as first recorded is kept: a new text is a correction, which needs
    a ``reason`` and is appended to the comment's revisions.

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
        old_key = count_key(locked, kind or Contributor.Kind.RESIDENT)
    if "text" in changes and _correct_text(
        locked, _clean_text(changes["text"]), reason=reason, by=by
    ):
        fields.extend(["text", "corrected"])
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
        new_key = count_key(locked, person.get("kind", old_key[3]))
        counters.move([old_key], [new_key])
    locked.revision = F("revision") + 1
    locked.save(update_fields=[*fields, "revision", "updated_at"])
    shown_changed([locked.bill_id])
    locked.refresh_from_db(fields=["revision"])
    if "text" in fields:
        text_changed(comment_id=locked.pk)
    return locked
