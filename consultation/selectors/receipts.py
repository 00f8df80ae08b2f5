"""Look a comment up by its receipt code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router
from django.utils import timezone

from legislation.models import Article, Bill, DraftVersion, Vote
from legislation.numerals import article_label

from ..models import (
    Channel,
    Comment,
    Consultation,
    Decision,
    Feedback,
    Moderation,
    Reason,
    WithheldReason,
    format_receipt_code,
    normalise_receipt_code,
)
from ._common import undecided_note
from .links import comment_places

# --- receipts ------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptView:
    """What anyone holding a receipt code may learn: no personal data."""

    code: str
    bill_title: str
    bill_slug: str
    version_title: str
    article_label: str
    text: str
    corrected: bool
    submitted_on: dt.date
    status: str
    status_label: str
    reason_label: str
    explanation: str
    decided_on: dt.date | None
    channel_label: str
    # Public submissions: whether the public may read it yet, and why not.
    from_public: bool = False
    moderation: str = Moderation.PUBLISHED
    moderation_label: str = ""
    withheld_reason_label: str = ""
    # How the contributor (or their point) was told: (channel label, day). Not
    # the feedback's words: one feedback answers a point's many comments.
    feedback: tuple[tuple[str, dt.date], ...] = ()
    # A pending comment's bill voted on with a reason for leaving it undecided.
    undecided_note: str = ""
    # Not shown by the API's receipt: the row behind it, for the page's extras.
    comment_id: int = 0


_FEEDBACK_LINKS = Feedback.comments.through._meta.db_table
_RECEIPT_SQL = f"""
    SELECT c.id, c.receipt_code, c.text, c.corrected, c.submitted_on, c.status, c.reason,
           c.explanation, c.decided_at, b.title, b.slug, k.channel, v.title,
           a.number, c.from_public, c.moderation, c.withheld_reason,
           (SELECT vt.undecided_reason FROM {Vote._meta.db_table} vt
            WHERE vt.bill_id = c.bill_id AND vt.undecided_reason <> ''
            ORDER BY vt.id DESC LIMIT 1),
           f.channel, f.given_on
    FROM {Comment._meta.db_table} c
    JOIN {Bill._meta.db_table} b ON b.id = c.bill_id
    JOIN {Consultation._meta.db_table} k ON k.id = c.consultation_id
    JOIN {DraftVersion._meta.db_table} v ON v.id = k.version_id
    LEFT JOIN {Article._meta.db_table} a ON a.id = c.article_id
    LEFT JOIN {_FEEDBACK_LINKS} fc ON fc.comment_id = c.id
    LEFT JOIN {Feedback._meta.db_table} f ON f.id = fc.feedback_id
    WHERE c.receipt_code = %s AND b.is_published = %s AND k.is_published = %s
    ORDER BY f.given_on, f.id
"""


def receipt_lookup(code: str) -> ReceiptView | None:
    """
    Find the comment with receipt ``code`` (as typed: any case, with dashes).

    Returns None for an unknown code, and for a comment on an unpublished bill
    or in an unpublished consultation. The holder of the code sees the comment
    whatever its moderation, with its state, and the feedback recorded on it.
    One query, in plain SQL (a row per feedback): a look-up is a few
    milliseconds, and building the ORM's four-table query took half.
    """
    normal = normalise_receipt_code(code or "")
    if not normal or len(normal) > 32:
        return None
    # Plain SQL bypasses the routers: ask them where comments are read from
    # (the read replica for an anonymous public read, npc.core.replica).
    with connections[router.db_for_read(Comment)].cursor() as cursor:
        cursor.execute(_RECEIPT_SQL, [normal, True, True])
        rows = cursor.fetchall()
    if not rows:
        return None
    row = rows[0]
    (
        comment_id, receipt_code, text, corrected, submitted_on, status, reason, explanation,
        decided_at, bill_title, bill_slug, channel, version_title, article,
        from_public, moderation, withheld_reason, vote_reason, *_feedback,
    ) = row  # fmt: skip
    decided_on = None
    if status != Decision.PENDING and decided_at:
        decided_on = timezone.localdate(_aware(decided_at))
    return ReceiptView(
        code=format_receipt_code(receipt_code),
        bill_title=bill_title,
        bill_slug=bill_slug,
        version_title=version_title,
        article_label=article_label(article) if article else "",
        text=text,
        corrected=bool(corrected),
        submitted_on=_date(submitted_on),
        status=status,
        status_label=str(Decision(status).label),
        reason_label=str(Reason(reason).label) if reason else "",
        explanation=explanation,
        decided_on=decided_on,
        channel_label=str(Channel(channel).label),
        from_public=bool(from_public),
        moderation=moderation,
        moderation_label=str(Moderation(moderation).label),
        withheld_reason_label=str(WithheldReason(withheld_reason).label)
        if withheld_reason
        else "",
        # One row per feedback (or one row with none), oldest first.
        feedback=tuple(
            (str(Feedback.Channel(r[-2]).label), _date(r[-1]))
            for r in rows
            if r[-2] is not None
        ),
        undecided_note=undecided_note(status, vote_reason),
        comment_id=comment_id,
    )


def receipt_extras(receipt: ReceiptView) -> dict:
    """
    What the receipt page adds for the contributor: where their comment went
    into the text (old and new article side by side). Nothing personal.
    """
    places = comment_places([receipt.comment_id], public=True).get(
        receipt.comment_id, []
    )
    return {"places": places}


def _aware(value: dt.datetime | str) -> dt.datetime:
    """A timestamp as read by a plain cursor (SQLite gives it naive, in UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
