"""Lists of comments and consultations, for the pages, the triage board and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext

from legislation.models import Bill
from legislation.numerals import article_label
from npc.core.paging import records
from npc.core.roles import is_clerk, is_legislative_staff

from .. import access
from ..models import (
    PUBLICLY_VISIBLE,
    Comment,
    Consultation,
    Decision,
    ImportBatch,
    LiaisonPoint,
    Moderation,
)
from ._common import User, adoption_rate, vote_undecided_reason
from .stats import _SUMMED, _kept, _public_consultations, _public_counts

# --- lists ---------------------------------------------------------------------


def comment_list(user: User, *, bill: Bill | None = None) -> QuerySet[Comment]:
    """
    Return the comments ``user`` may see, newest first, shaped for a list.

    Joins consultation, version, point and article; the contributor too (the
    comments a user may see at all are those whose personal data they may see).
    """
    comments = access.visible_comments(user)
    if bill is not None:
        comments = comments.filter(bill=bill)
    return comments.select_related(
        "bill", "consultation__version", "point", "article", "contributor"
    ).order_by("-pk")


def public_comments(*, bill: Bill) -> QuerySet[Comment]:
    """
    Return the comments on a published bill for the public (by id; the page
    orders them by date).

    Only comments the public may read (:meth:`CommentQuerySet.publicly_visible`:
    published after moderation, in published consultations); joins what a
    public list shows and never the contributor. Not the search words, nor the
    whole text of the draft each row was made on: a page of 20 comments would
    read its draft 20 times.
    """
    return _as_shown(Comment.objects.publicly_visible().filter(bill=bill))


def public_comment_keys(*, bill: Bill | int) -> QuerySet[Comment]:
    """
    :func:`public_comments` as the plain rows, for a page that reads a few of
    their columns (:func:`npc.core.paging.records`) and draws them from what
    it keeps: nothing joined or annotated to build and throw away. ``bill``
    may be its id (a writer that has only that, consultation.arrivals).
    """
    return Comment.objects.publicly_visible().filter(bill=bill).order_by("pk")


def public_comments_by_id(ids: list[int]) -> dict[int, Comment]:
    """
    The comments ``ids``, found among :func:`public_comments` by the caller
    (a page's keys), with what a public list shows of them: one lookup by
    primary key, for :func:`npc.core.paging.dated_keyset_page`'s ``load``.
    """
    return _as_shown(Comment.objects.all()).in_bulk(ids)


def _as_shown(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return (
        comments.select_related(
            "consultation__version", "point", "article", "duplicate_of"
        )
        .defer(
            "search_text",
            "consultation__version__source_text",
            "consultation__version__preamble",
            "article__search_text",
            "duplicate_of__search_text",
        )
        .annotate(vote_undecided_reason=vote_undecided_reason())
        .order_by("pk")
    )


def without_folded_duplicates(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """
    Leave out of public ``comments`` the duplicates shown under the comment they
    repeat (:func:`public_duplicates`): those whose kept comment is public too.
    """
    return comments.exclude(
        status=Decision.DUPLICATE, duplicate_of__consultation__is_published=True
    )


def public_duplicates(
    *, bill: Bill, of: Iterable[int], columns: Sequence[str] | None = None
) -> dict[int, list[Any]]:
    """
    Return the public duplicates of the comments ``of`` on ``bill``, by the id
    of the comment each repeats, oldest first. One query. With ``columns``,
    records of those columns (:func:`npc.core.paging.records`) instead of
    comments.
    """
    found: dict[int, list[Any]] = {}
    shown = public_comments if columns is None else public_comment_keys
    rows = (
        shown(bill=bill)
        .filter(status=Decision.DUPLICATE, duplicate_of__in=list(of))
        .order_by("submitted_on", "pk")
    )
    if columns is not None:
        rows = records(rows, ("duplicate_of_id", *columns))
    for comment in rows:
        found.setdefault(comment.duplicate_of_id, []).append(comment)
    return found


def public_consultations(*, bill: Bill | None = None) -> QuerySet[Consultation]:
    """
    Return published consultations on published bills, newest first, with
    their version and point. Without the versions' text: a bill page reads (and
    keeps) its consultations again after every comment, and each row would
    carry the whole text of its draft.
    """
    if bill is None:
        consultations = Consultation.objects.select_related("bill")
    else:  # each row gets ``bill`` itself, not a copy joined to every row
        consultations = bill.consultations.all()
    return (
        consultations.filter(is_published=True, bill__is_published=True)
        .select_related("version", "point")
        .defer("version__source_text", "version__preamble")
        .order_by("-held_on", "-opens_on", "-pk")
    )


def moderation_queue(
    *, state: str = "pending", bill_id: int | None = None
) -> QuerySet[Comment]:
    """
    Return the comments the public made online in moderation ``state``, oldest
    first, for staff (the contributor joined: staff may see it). One query, on
    the partial index of public submissions.
    """
    comments = Comment.objects.filter(from_public=True, moderation=state)
    if bill_id is not None:
        comments = comments.filter(bill_id=bill_id)
    return comments.select_related(
        "bill", "article", "contributor", "moderated_by"
    ).order_by("pk")


def moderation_counts() -> dict[str, int]:
    """Count the public's online comments by moderation state (one query)."""
    counts = dict(
        Comment.objects.filter(from_public=True)
        .order_by()
        .values_list("moderation")
        .annotate(count=Count("pk"))
    )
    return {value: counts.get(value, 0) for value in Moderation.values}


def consultation_list(user: User) -> QuerySet[Consultation]:
    """
    Return the consultations ``user`` may manage, newest first, with counts.

    ``comment_count`` sums each row's kept counts: a page of ten consultations
    reads their counter rows only, never the comments themselves.
    """
    return (
        access.visible_consultations(user)
        .select_related("bill", "version", "point")
        .annotate(comment_count=_kept("count"))
        .order_by("-held_on", "-opens_on", "-pk")
    )


def comment_history(comment: Comment) -> QuerySet:
    """Return a comment's decisions, oldest first, with who decided."""
    return comment.decisions.select_related("decided_by", "duplicate_of").order_by(
        "decided_at", "pk"
    )


# --- triage --------------------------------------------------------------------


def triage_counts(comments: QuerySet[Comment]) -> dict[str, list[dict[str, Any]]]:
    """
    Count ``comments`` by article, by point and by status, for the triage board.

    ``by_article``: ``{"article_id", "number", "label", "version_id", "count"}``
    in version and article order, comments on no article last (``article_id``
    None); ``by_point``: ``{"point_id", "name", "count"}`` by count; ``by_status``:
    ``{"status", "label", "count"}`` for every decision, in their order. Three
    queries.
    """
    articles = (
        comments.order_by()
        .values("article_id", "article__number", "article__version_id")
        .annotate(count=Count("pk"))
    )
    by_article = sorted(
        (
            {
                "article_id": row["article_id"],
                "number": row["article__number"],
                "label": article_label(row["article__number"])
                if row["article_id"]
                else gettext("未针对具体条文"),
                "version_id": row["article__version_id"],
                "count": row["count"],
            }
            for row in articles
        ),
        key=lambda r: (
            r["article_id"] is None,
            r["version_id"] or 0,
            r["number"] or 0,
        ),
    )
    points = (
        comments.order_by()
        .values("point_id", "point__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "point__name")
    )
    by_point = [
        {"point_id": r["point_id"], "name": r["point__name"] or "", "count": r["count"]}
        for r in points
    ]
    counts = dict(comments.order_by().values_list("status").annotate(count=Count("pk")))
    by_status = [
        {"status": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in Decision.choices
    ]
    return {"by_article": by_article, "by_point": by_point, "by_status": by_status}


# --- public pages ------------------------------------------------------------


def open_comment_periods(
    *, bill: Bill | None = None, today: dt.date | None = None
) -> QuerySet[Consultation]:
    """
    Return the published comment periods open on ``today`` (default: today),
    closing soonest first: consultations with an opening and a closing date
    around today, on published bills.
    """
    today = today or timezone.localdate()
    periods = _public_consultations().filter(opens_on__lte=today, closes_on__gte=today)
    if bill is not None:
        periods = periods.filter(bill=bill)
    return periods.select_related("bill", "version").order_by("closes_on", "pk")


def comment_periods_from(day: dt.date) -> QuerySet[Consultation]:
    """
    Return the published comment periods still open on ``day`` or opening
    later, soonest first (the calendar feed): consultations with an opening and
    a closing date, on published bills.
    """
    return (
        _public_consultations()
        .filter(opens_on__isnull=False, closes_on__gte=day)
        .select_related("bill")
        .order_by("opens_on", "pk")
    )


def open_among(
    consultations: Iterable[Consultation], *, today: dt.date | None = None
) -> list[Consultation]:
    """
    The comment periods open on ``today`` among already loaded public
    consultations, closing soonest first: :func:`open_comment_periods` without
    a query, for a page that lists the consultations anyway.
    """
    today = today or timezone.localdate()
    return sorted(
        (
            c
            for c in consultations
            if c.opens_on and c.closes_on and c.opens_on <= today <= c.closes_on
        ),
        key=lambda c: (c.closes_on, c.pk),
    )


def point_consultations(point: LiaisonPoint) -> QuerySet[Consultation]:
    """
    Return the published consultations held at ``point``, newest first, each
    with ``comment_count``, ``adopted_count`` and ``decided_count``. One query,
    summing each consultation's kept counts (a point may hold tens of thousands
    of comments; they are never counted here).
    """
    return (
        _public_consultations()
        .filter(point=point)
        .select_related("bill", "version")
        .annotate(
            comment_count=_kept("count"),
            adopted_count=_kept("adopted"),
            decided_count=_kept("decided"),
        )
        .order_by("-held_on", "-opens_on", "-pk")
    )


def comments_by_bill(*, year: int | None = None) -> list[dict[str, Any]]:
    """
    Count public comments per bill (made in ``year`` if given), most first, with
    each bill's adoption rate: ``{"key": slug, "label": title, "count",
    "adoption_rate"}``. One query, summing the kept counts.
    """
    counts = _public_counts()
    if year is not None:
        counts = counts.filter(year=year)
    rows = (
        counts.order_by()
        .values("bill__slug", "bill__title")
        .annotate(**_SUMMED)
        .filter(count__gt=0)
        .order_by("-count", "bill__title")
    )
    return [
        {
            "key": r["bill__slug"],
            "label": r["bill__title"],
            "count": r["count"],
            "adoption_rate": adoption_rate(r["adopted"], r["decided"]),
        }
        for r in rows
    ]


# --- the API ---------------------------------------------------------------------


def api_comments(user: User) -> QuerySet[Comment]:
    """
    Return the comments ``user`` may read through the API, newest first: those
    the public may read (:meth:`CommentQuerySet.publicly_visible`) for everyone, and
    those the user manages (staff all, a clerk their points') besides.

    Joins what a row shows, the contributor too for internal users; whether a
    row shows it is :func:`access.can_see_personal_data`'s to say. One query.
    """
    related = ["bill", "consultation__version", "point", "article"]
    if is_legislative_staff(user):
        comments = Comment.objects.all()
    else:
        public = PUBLICLY_VISIBLE
        points = access.points_for(user).values("pk")
        comments = Comment.objects.filter(public | Q(point__in=points))
    if is_clerk(user) or is_legislative_staff(user):
        related.append("contributor")
    return (
        comments.select_related(*related)
        .annotate(vote_undecided_reason=vote_undecided_reason())
        .order_by("-pk")
    )


# What a row of the API's comment list shows, read in its one query.
_ROW_COLUMNS = (
    "id",
    "bill_id",
    "consultation_id",
    "point_id",
    "article_id",
    "text",
    "corrected",
    "summary",
    "submitted_on",
    "status",
    "reason",
    "explanation",
    "duplicate_of_id",
    "decided_at",
    "revision",
    "created_at",
    "vote_undecided_reason",
)
_ROW_RELATED = {
    "bill_slug": F("bill__slug"),
    "version_number": F("consultation__version__number"),
    "channel": F("consultation__channel"),
    "point_name": F("point__name"),
    "article_number": F("article__number"),
}
# Who made it: read only for readers who may see some of it.
_ROW_PERSONAL = {
    "contributor_id": F("contributor__pk"),
    "contributor_name": F("contributor__name"),
    "contributor_contact": F("contributor__contact"),
    "contributor_affiliation": F("contributor__affiliation"),
    "contributor_kind": F("contributor__kind"),
}


def api_comment_rows(
    comments: QuerySet[Comment], *, personal: bool
) -> QuerySet[dict[str, Any]]:
    """
    Return ``comments`` (from :func:`api_comments`, filtered) as plain rows of
    what the API's list shows, in one query: no model instances, no related
    objects. ``personal`` adds the receipt code and the contributor's columns,
    for readers who may see them on some rows (whether a row shows them is
    :func:`access.can_see_personal_data`'s to say).
    """
    columns = [*_ROW_COLUMNS, "receipt_code"] if personal else list(_ROW_COLUMNS)
    related = {**_ROW_RELATED, **(_ROW_PERSONAL if personal else {})}
    return comments.values(*columns, **related)


def api_consultations(user: User) -> QuerySet[Consultation]:
    """
    Return the consultations ``user`` may read through the API, newest first:
    published ones on published bills, and those the user manages besides.
    """
    if is_legislative_staff(user):
        consultations = Consultation.objects.all()
    else:
        public = Q(is_published=True, bill__is_published=True)
        points = access.points_for(user).values("pk")
        consultations = Consultation.objects.filter(public | Q(point__in=points))
    return consultations.select_related("bill", "version", "point").order_by(
        "-held_on", "-opens_on", "-pk"
    )


def api_imports(user: User) -> QuerySet[ImportBatch]:
    """Return the import batches of the consultations ``user`` manages, newest first."""
    return ImportBatch.objects.filter(
        consultation__in=access.visible_consultations(user).values("pk")
    ).order_by("-created_at", "-pk")
