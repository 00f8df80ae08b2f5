"""
Comments made by the public online, and their moderation.

A member of the public comments on a bill while one of its online periods is
open (:func:`~.consultations.open_online_period`); the comment is kept as given,
who made it goes to :class:`~consultation.models.Contributor` as for hand
entry, and it gets its receipt code at once. It stays off every public surface
until staff publish it; staff may withhold it instead, with a reason. A withheld
comment is still received, counted and decided.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation.models import Article, Bill
from legislation.services import BILLS_VERSION_KEY

from .. import access, counters, mailing, search
from ..errors import CommentsNotFound, InvalidComment, NotPermitted
from ..grouping.services import group_after_commit
from ..models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    Moderation,
    WithheldReason,
)
from . import closing
from ._common import count_key, shown_changed
from .comments import (
    _check_contributor,
    _clean_text,
    _insert_comment,
    _with_fresh_receipt,
)
from .consultations import open_online_period

# A link is what a reader's software would make clickable.
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
T = TypeVar("T")


def _check_links(text: str) -> None:
    links = len(_LINK.findall(text))
    limit = settings.NPC_PUBLIC_COMMENT_MAX_LINKS
    if links > limit:
        raise InvalidComment(
            _("意见内容最多可包含%(max)d个网址（现有%(count)d个）。")
            % {"max": limit, "count": links}
        )


def _check_contact(contact: str) -> str:
    """Return the address to mail, or "" for a mobile number; refuse anything else."""
    if not contact:
        return ""
    digits = re.sub(r"[\s-]", "", contact)
    if _MOBILE.match(digits):
        return ""
    try:
        validate_email(contact)
    except ValidationError as exc:
        raise InvalidComment(_("联系方式请填写手机号码或电子邮箱。")) from exc
    return contact.lower()


def commentable_bill(slug: str) -> Bill | None:
    """
    Return the published bill ``slug`` as a submission needs it (its id and
    slug only), or None.

    Kept in the cache under the bills' version, which every change of a bill
    (its slug, its publication) moves on: a submission reads no bill row.
    """
    found = _kept(
        f"public-comment:bill:{slug}:{_bills_version()}",
        lambda: (
            Bill.objects.published()
            .filter(slug=slug)
            .values_list("pk", flat=True)
            .first()
            or 0
        ),
    )
    return Bill(pk=found, slug=slug, is_published=True) if found else None


def _open_period(
    *, bill: Bill, on: dt.date, article_number: int | None
) -> tuple[Consultation, int | None]:
    """
    Return the online period of ``bill`` open on ``on``, as
    :func:`~.consultations.open_online_period` finds it, and the id of its
    draft's article ``article_number`` (None when not asked or not there).

    The started periods, with what the one closing rule reads of each
    (:func:`.closing.with_closing`) and the article, are kept in the cache
    (:func:`_started_periods`); the rule itself is applied here to what was
    kept, :func:`.closing.annotated_closing`. When no period is open,
    ``open_online_period`` says why.
    """
    # In the model's column order, as a row from the database would be.
    names = [
        f.attname
        for f in Consultation._meta.concrete_fields
        if f.attname in _PERIOD_FIELDS
    ]
    for row in _started_periods(bill_id=bill.pk, on=on, article_number=article_number):
        period = Consultation.from_db("default", names, [row[name] for name in names])
        period.closing_voted_on = row["closing_voted_on"]
        period.closing_reopened_until = row["closing_reopened_until"]
        if closing.annotated_closing(period).accepts_on(on):
            return period, row["found_article_id"]
    period = open_online_period(bill=bill, on=on)  # raises CommentingClosed
    article_id = None
    if article_number is not None:
        article_id = (
            period.version.articles.filter(number=article_number)
            .values_list("pk", flat=True)
            .first()
        )
    return period, article_id


def _started_periods(
    *, bill_id: int, on: dt.date, article_number: int | None
) -> list[dict[str, Any]]:
    """
    The published online periods of the published bill ``bill_id`` opened by
    ``on``, the one closing last first, each with its own columns (not its
    draft's text), the inputs of the closing rule and the id of its draft's
    article ``article_number``: one query, kept in the cache.

    The key holds all that can change them: the bills' version (a bill
    unpublished, a vote, a meeting's date corrected), the bill's counts
    version (a consultation recorded, edited, unpublished, closed early or
    reopened: :func:`._common.shown_changed`), the day (the periods opened by
    it; an end date passing is the rule's, applied to what is kept) and the
    article asked for (a version's articles never change).
    """
    key = "public-comment:periods:{}:{}:{}:{}:{}".format(
        bill_id,
        _bills_version(),
        counters.version(bill_id),
        on.isoformat(),
        "" if article_number is None else article_number,
    )

    def read() -> list[dict[str, Any]]:
        periods = closing.with_closing(
            Consultation.objects.filter(
                bill_id=bill_id,
                bill__is_published=True,
                is_published=True,
                channel=Channel.ONLINE,
                opens_on__isnull=False,
                opens_on__lte=on,
            )
        )
        found_article: Any = Value(None, output_field=IntegerField())
        if article_number is not None:
            found_article = Subquery(
                Article.objects.filter(
                    version_id=OuterRef("version_id"), number=article_number
                )
                .order_by("position")
                .values("pk")[:1]
            )
        periods = periods.annotate(found_article_id=found_article)
        return list(
            periods.order_by(F("closes_on").desc(nulls_first=True), "-pk").values(
                *_PERIOD_FIELDS,
                "closing_voted_on",
                "closing_reopened_until",
                "found_article_id",
            )
        )

    return _kept(key, read)


# What a submission reads of its period: the counts' key, the receipt, the mail.
_PERIOD_FIELDS = (
    "id",
    "bill_id",
    "version_id",
    "point_id",
    "channel",
    "opens_on",
    "closes_on",
    "held_on",
)


def _bills_version() -> int:
    return cache.get(BILLS_VERSION_KEY) or 0


_MISSING = object()


def _kept(key: str, read: Callable[[], T]) -> T:
    """
    Return what is kept under ``key``, or ``read()`` kept there. The keys hold
    versions that move on with every change; NPC_COUNTS_CACHE_SECONDS bounds
    how long a process whose cache missed a move (a local memory cache) may use
    what it kept. A cache that does not answer is a miss: the database is read.
    """
    seconds = settings.NPC_COUNTS_CACHE_SECONDS
    if not seconds:
        return read()
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = read()
        cache.set(key, found, seconds)
    return found


def submit_public_comment(
    *,
    bill: Bill,
    text: str,
    article_number: int | None = None,
    contributor_name: str = "",
    contributor_contact: str = "",
    contributor_kind: str = "",
    consent: bool = False,
    on: dt.date | None = None,
) -> Comment:
    """
    Take a comment from a member of the public on ``bill``, during an online
    period open today.

    The text has the limits of hand entry, and at most
    NPC_PUBLIC_COMMENT_MAX_LINKS links; ``article_number`` must be an article of
    the period's draft. Name and contact are optional, and kept only with
    ``consent``; a contact is a mobile number or an email address; an address
    gets a confirmation mail, and once confirmed the receipt and the outcome.
    The comment belongs to no liaison point and waits for moderation; it is
    put into its near-duplicate group after commit.

    Raises CommentingClosed or InvalidComment; nothing is written then.
    """
    return _with_fresh_receipt(
        lambda code: _submit(
            receipt_code=code,
            bill=bill,
            text=text,
            article_number=article_number,
            person={
                "contributor_name": contributor_name,
                "contributor_contact": contributor_contact,
                "contributor_kind": contributor_kind,
            },
            consent=consent,
            on=on or timezone.localdate(),
        )
    )


def _submit(
    *,
    receipt_code: str | None,
    bill: Bill,
    text: str,
    article_number: int | None,
    person: dict[str, str],
    consent: bool,
    on: dt.date,
) -> Comment:
    period, article_id = _open_period(bill=bill, on=on, article_number=article_number)
    text = _clean_text(text)
    _check_links(text)
    if article_number is not None and article_id is None:
        raise InvalidComment(_("所选条文不属于本次征求意见的草案文本。"))
    person = _check_contributor(person)
    if (person["name"] or person["contact"]) and not consent:
        raise InvalidComment(
            _("填写姓名或联系方式的，须同意我们按说明保存和使用这些个人信息。")
        )
    email = _check_contact(person["contact"])
    comment = Comment(
        consultation=period,
        bill_id=period.bill_id,
        point_id=None,
        article_id=article_id,
        text=text,
        submitted_on=on,
        from_public=True,
        moderation=Moderation.PENDING,
    )
    if receipt_code:
        comment.receipt_code = receipt_code
    comment.search_text = search.search_words(comment.text, "")
    _insert_comment(comment)
    Contributor.objects.create(comment=comment, **person)
    # Quietly: a comment waiting for moderation changes nothing the public
    # reads but the number received, which may lag the kept pages by a minute;
    # so the kept pages go on being served while the public submits (a burst
    # of submissions would otherwise have every page rendered afresh after each).
    # Publishing or withholding it moves the versions on at once.
    counters.add([(count_key(comment, person["kind"]), 1)], quiet=True)
    # Into its near-duplicate group after commit, as a comment entered by hand.
    group_after_commit(comment_ids=[comment.pk])
    if email:
        mailing.start(comment=comment, email=email)
    return comment


def _lock_public(ids: list[int]) -> list[Comment]:
    locked = list(
        Comment.objects.select_for_update()
        .filter(pk__in=ids, from_public=True)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise CommentsNotFound(_("部分意见不存在，或不是公众在线提交的意见。"))
    return locked


@transaction.atomic
def moderate_comments(
    *,
    by: Any,
    comments: Iterable[Comment] | Iterable[int],
    publish: bool,
    reason: str = "",
) -> list[Comment]:
    """
    Publish the public comments ``comments``, or withhold them with ``reason``
    (a :class:`WithheldReason`). Legislative staff only. A comment may be moved
    either way again later; the decision on it is untouched. The public pages
    show the change at once.

    Raises NotPermitted, CommentsNotFound or InvalidComment.
    """
    if not access.can_decide(by):
        raise NotPermitted(_("只有立法工作人员可以审核公众意见。"))
    ids = sorted({getattr(c, "pk", c) for c in comments})
    if not ids:
        raise InvalidComment(_("请选择要审核的意见。"))
    if publish and reason:
        raise InvalidComment(_("公开的意见不需要选择理由。"))
    if not publish and reason not in WithheldReason.values:
        raise InvalidComment(_("不予公开的，须选择理由。"))
    locked = _lock_public(ids)
    now = timezone.now()
    for comment in locked:
        comment.moderation = Moderation.PUBLISHED if publish else Moderation.WITHHELD
        comment.withheld_reason = "" if publish else reason
        comment.moderated_by = by
        comment.moderated_at = now
    Comment.objects.bulk_update(
        locked,
        ["moderation", "withheld_reason", "moderated_by", "moderated_at"],
        batch_size=1000,
    )
    shown_changed({c.bill_id for c in locked})
    return locked
