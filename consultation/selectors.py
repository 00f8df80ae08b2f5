"""
Reads of the consultation side, each shaped for one page or endpoint.

Every selector runs a fixed number of queries whatever the number of comments:
lists join their related rows, statistics aggregate in the database. Public
reads never touch :class:`Contributor` rows other than to count them by kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext

from legislation import services as legislation_services
from legislation.models import Article, Bill, BillEvent, DraftVersion, EventKind, Stage
from legislation.numerals import article_label
from legislation.selectors import public_bill_list, with_public_timeline
from npc.core.roles import is_clerk, is_legislative_staff

from . import access, counters
from .models import (
    Channel,
    Comment,
    CommentCount,
    Consultation,
    Contributor,
    Decision,
    ImportBatch,
    LiaisonPoint,
    Reason,
    format_receipt_code,
    normalise_receipt_code,
)

User = Model | AnonymousUser

ADOPTED = (Decision.ADOPTED, Decision.PARTIALLY_ADOPTED)


def public_versions(*_args: Any, **_kwargs: Any) -> tuple:
    """
    Return the versions of what public pages and public API reads show, for
    keeping them whole (:mod:`npc.core.responsecache`): the bills' version (moved by
    every legislation service: bills, timelines, versions), the city's comment
    counts version (moved by every comment entered, corrected or decided and
    every change of a consultation), and today (open periods, key dates, the
    default year). From the cache alone, no query: reading a bill's own
    ``version`` took half of a kept answer's time; the price is that a change of
    one bill's comments renders the other bills' pages once more. What moves
    none of them (a liaison point renamed) shows within NPC_PUBLIC_CACHE_SECONDS.
    Takes and ignores a view's arguments.
    """
    return (
        cache.get(legislation_services.BILLS_VERSION_KEY, 0),
        counters.version(counters.ANY),
        timezone.localdate().isoformat(),
    )


def adoption_rate(adopted: int, decided: int) -> float | None:
    """Return (adopted + partially adopted) / decided, or None when none decided."""
    return round(adopted / decided, 4) if decided else None


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
    Return the comments on a published bill for the public, oldest first.

    Only comments gathered in published consultations; joins what a public list
    shows and never the contributor.
    """
    return (
        Comment.objects.filter(
            bill=bill, bill__is_published=True, consultation__is_published=True
        )
        .select_related("consultation__version", "point", "article", "duplicate_of")
        .order_by("pk")
    )


def public_consultations(*, bill: Bill | None = None) -> QuerySet[Consultation]:
    """Return published consultations on published bills, newest first."""
    consultations = Consultation.objects.filter(
        is_published=True, bill__is_published=True
    )
    if bill is not None:
        consultations = consultations.filter(bill=bill)
    return consultations.select_related("bill", "version", "point").order_by(
        "-held_on", "-opens_on", "-pk"
    )


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
    submitted_on: dt.date
    status: str
    status_label: str
    reason_label: str
    explanation: str
    decided_on: dt.date | None
    channel_label: str


_RECEIPT_SQL = f"""
    SELECT c.receipt_code, c.text, c.submitted_on, c.status, c.reason,
           c.explanation, c.decided_at, b.title, b.slug, k.channel, v.title,
           a.number
    FROM {Comment._meta.db_table} c
    JOIN {Bill._meta.db_table} b ON b.id = c.bill_id
    JOIN {Consultation._meta.db_table} k ON k.id = c.consultation_id
    JOIN {DraftVersion._meta.db_table} v ON v.id = k.version_id
    LEFT JOIN {Article._meta.db_table} a ON a.id = c.article_id
    WHERE c.receipt_code = %s AND b.is_published = %s AND k.is_published = %s
"""


def receipt_lookup(code: str) -> ReceiptView | None:
    """
    Find the comment with receipt ``code`` (as typed: any case, with dashes).

    Returns None for an unknown code, and for a comment on an unpublished bill
    or in an unpublished consultation. One query, in plain SQL: a look-up is
    a few milliseconds, and building the ORM's four-table query took half.
    """
    normal = normalise_receipt_code(code or "")
    if not normal or len(normal) > 32:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_RECEIPT_SQL, [normal, True, True])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        receipt_code, text, submitted_on, status, reason, explanation,
        decided_at, bill_title, bill_slug, channel, version_title, article,
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
        submitted_on=_date(submitted_on),
        status=status,
        status_label=str(Decision(status).label),
        reason_label=str(Reason(reason).label) if reason else "",
        explanation=explanation,
        decided_on=decided_on,
        channel_label=str(Channel(channel).label),
    )


def _aware(value: dt.datetime | str) -> dt.datetime:
    """A timestamp as read by a plain cursor (SQLite gives it naive, in UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- statistics ----------------------------------------------------------------


def _public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(is_published=True, bill__is_published=True)


def _consultation_year(year: int) -> Q:
    return Q(held_on__year=year) | Q(held_on__isnull=True, opens_on__year=year)


# Comments and their outcomes, summed over counter rows (CommentCount).
_SUMMED = {
    "count": Coalesce(Sum("delta"), 0),
    "adopted": Coalesce(Sum("delta", filter=Q(status__in=ADOPTED)), 0),
    "decided": Coalesce(Sum("delta", filter=~Q(status=Decision.PENDING)), 0),
}


def _kept(name: str) -> Coalesce:
    """A consultation's kept count ``name`` (of :data:`_SUMMED`), as a subquery."""
    rows = (
        CommentCount.objects.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(total=_SUMMED[name])
        .values("total")
    )
    return Coalesce(Subquery(rows), 0)


def _public_counts() -> QuerySet[CommentCount]:
    return CommentCount.objects.filter(
        bill__is_published=True, consultation__is_published=True
    )


def _grouped(
    counts: QuerySet[CommentCount], field: str, labels: dict | None = None
) -> list[dict[str, Any]]:
    rows = (
        counts.order_by()
        .values(field)
        .annotate(**_SUMMED)
        .filter(count__gt=0)
        .order_by("-count", field)
    )
    return [
        {
            "key": row[field],
            "label": str(labels.get(row[field], row[field] or ""))
            if labels is not None
            else row[field],
            "count": row["count"],
            "adoption_rate": adoption_rate(row["adopted"], row["decided"]),
        }
        for row in rows
    ]


def comment_stats(
    *, bill: Bill | None = None, year: int | None = None, public: bool = True
) -> dict[str, Any]:
    """
    Count comments by status, channel, point, article and contributor kind.

    Per bill and/or per year (the year the comment was made). ``public`` (the
    default) counts only comments in published consultations on published
    bills. Each group carries its adoption rate: (adopted + partially adopted) /
    decided. Five queries.

    Returns ``{"total", "decided", "adopted", "partially_adopted", "adoption_rate",
    "by_status", "by_channel", "by_point", "by_article", "by_kind"}``; the groups
    are lists of ``{"key", "label", "count", "adoption_rate"}`` (by_article and
    by_point labels: article label / point name; key None for none).

    Sums the kept counts (:mod:`consultation.counters`), never counts comments,
    and keeps the sums under the version of those counts until they change (a
    renamed point shows its new name within NPC_COUNTS_CACHE_SECONDS).
    """
    return counters.cached(
        counters.ANY if bill is None else bill.pk,
        f"stats:{get_language()}:{year}:{public}",
        lambda: _comment_stats(bill=bill, year=year, public=public),
    )


def _comment_stats(*, bill: Bill | None, year: int | None, public: bool) -> dict:
    comments = _public_counts() if public else CommentCount.objects.all()
    if bill is not None:
        comments = comments.filter(bill=bill)
    if year is not None:
        comments = comments.filter(year=year)
    statuses = dict(
        comments.order_by().values_list("status").annotate(count=Sum("delta"))
    )
    total = sum(statuses.values())
    decided = total - statuses.get(Decision.PENDING, 0)
    adopted = statuses.get(Decision.ADOPTED, 0)
    partially = statuses.get(Decision.PARTIALLY_ADOPTED, 0)
    by_status = [
        {"key": value, "label": str(label), "count": statuses.get(value, 0)}
        for value, label in Decision.choices
    ]
    by_channel = _grouped(comments, "consultation__channel", dict(Channel.choices))
    by_kind = _grouped(comments, "kind", dict(Contributor.Kind.choices))
    points = (
        comments.order_by()
        .values("consultation__point_id", "consultation__point__name")
        .annotate(**_SUMMED)
        .filter(count__gt=0)
        .order_by("-count", "consultation__point__name")
    )
    by_point = [
        {
            "key": r["consultation__point_id"],
            "label": r["consultation__point__name"] or "",
            "count": r["count"],
            "adoption_rate": adoption_rate(r["adopted"], r["decided"]),
        }
        for r in points
    ]
    articles = (
        comments.order_by()
        .values("article_id", "article__number", "article__version_id", "bill_id")
        .annotate(**_SUMMED)
        .filter(count__gt=0)
    )
    by_article = sorted(
        (
            {
                "key": r["article_id"],
                "label": article_label(r["article__number"])
                if r["article_id"]
                else gettext("未针对具体条文"),
                "number": r["article__number"],
                "version_id": r["article__version_id"],
                "bill_id": r["bill_id"],
                "count": r["count"],
                "adoption_rate": adoption_rate(r["adopted"], r["decided"]),
            }
            for r in articles
        ),
        key=lambda r: (
            r["key"] is None,
            r["bill_id"],
            r["version_id"] or 0,
            r["number"] or 0,
        ),
    )
    return {
        "total": total,
        "decided": decided,
        "adopted": adopted,
        "partially_adopted": partially,
        "adoption_rate": adoption_rate(adopted + partially, decided),
        "by_status": by_status,
        "by_channel": by_channel,
        "by_point": by_point,
        "by_article": by_article,
        "by_kind": by_kind,
    }


@dataclass(frozen=True)
class PointStats:
    point: LiaisonPoint
    consultations: int
    participants: int
    comments: int
    adopted: int
    decided: int

    @property
    def adoption_rate(self) -> float | None:
        return adoption_rate(self.adopted, self.decided)


def point_stats(*, year: int | None = None, public: bool = True) -> list[PointStats]:
    """
    Return, for every active liaison point in district and name order, its
    consultations, participants, comments and adoption rate. Three queries.
    """
    consultations = _public_consultations() if public else Consultation.objects.all()
    comments = _public_counts() if public else CommentCount.objects.all()
    if year is not None:
        consultations = consultations.filter(_consultation_year(year))
        comments = comments.filter(year=year)
    meetings = {
        r["point_id"]: r
        for r in consultations.filter(point__isnull=False)
        .order_by()
        .values("point_id")
        .annotate(count=Count("pk"), people=Coalesce(Sum("participants"), 0))
    }
    opinions = {
        r["point_id"]: r
        for r in comments.filter(consultation__point__isnull=False)
        .order_by()
        .values(point_id=F("consultation__point_id"))
        .annotate(**_SUMMED)
    }
    result = []
    for point in LiaisonPoint.objects.filter(is_active=True).order_by(
        "district", "name"
    ):
        m = meetings.get(point.pk, {})
        o = opinions.get(point.pk, {})
        result.append(
            PointStats(
                point=point,
                consultations=m.get("count", 0),
                participants=m.get("people", 0),
                comments=o.get("count", 0),
                adopted=o.get("adopted", 0),
                decided=o.get("decided", 0),
            )
        )
    return result


def headline_numbers(year: int) -> dict[str, Any]:
    """
    Return the year's numbers of the report's "数说" that concern legislation.

    ``liaison_points`` (active), ``symposia`` (consultations of the symposium
    channel held that year), ``consultations``, ``comments`` (made that year),
    ``regulations`` (bills passed by a vote that year), ``adoption_rate``. Four
    queries; published records only.
    """
    consultations = _public_consultations().filter(_consultation_year(year))
    counts = consultations.aggregate(
        total=Count("pk"),
        symposia=Count("pk", filter=Q(channel=Channel.SYMPOSIUM)),
    )
    outcome = (
        _public_counts().filter(year=year).aggregate(total=_SUMMED["count"], **_SUMMED)
    )
    regulations = (
        BillEvent.objects.filter(
            kind=EventKind.VOTE,
            to_stage=Stage.PASSED,
            on__year=year,
            bill__is_published=True,
        )
        .values("bill_id")
        .distinct()
        .count()
    )
    return {
        "year": year,
        "liaison_points": LiaisonPoint.objects.filter(is_active=True).count(),
        "symposia": counts["symposia"],
        "consultations": counts["total"],
        "comments": outcome["total"],
        "regulations": regulations,
        "adoption_rate": adoption_rate(outcome["adopted"], outcome["decided"]),
    }


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
    gathered in published consultations on published bills for everyone, and
    those the user manages (staff all, a clerk their points') besides.

    Joins what a row shows, the contributor too for internal users; whether a
    row shows it is :func:`access.can_see_personal_data`'s to say. One query.
    """
    related = ["bill", "consultation__version", "point", "article"]
    if is_legislative_staff(user):
        comments = Comment.objects.all()
    else:
        public = Q(bill__is_published=True, consultation__is_published=True)
        points = access.points_for(user).values("pk")
        comments = Comment.objects.filter(public | Q(point__in=points))
    if is_clerk(user) or is_legislative_staff(user):
        related.append("contributor")
    return comments.select_related(*related).order_by("-pk")


# What a row of the API's comment list shows, read in its one query.
_ROW_COLUMNS = (
    "id",
    "bill_id",
    "consultation_id",
    "point_id",
    "article_id",
    "text",
    "summary",
    "submitted_on",
    "status",
    "reason",
    "explanation",
    "duplicate_of_id",
    "decided_at",
    "revision",
    "created_at",
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


def open_data_bills() -> list[tuple[Bill, dict[str, int]]]:
    """
    Return every published bill, with its public timeline (``public_events``) and
    published versions (``public_versions``) prefetched, and its published
    comments counted by outcome (``{status: count}``, summed from the kept
    counts). Four queries.
    """
    bills = list(
        with_public_timeline(public_bill_list()).prefetch_related(
            Prefetch(
                "versions",
                queryset=DraftVersion.objects.filter(is_published=True).order_by(
                    "number"
                ),
                to_attr="public_versions",
            )
        )
    )
    counts: dict[int, dict[str, int]] = {}
    rows = (
        _public_counts()
        .order_by()
        .values_list("bill_id", "status")
        .annotate(count=Sum("delta"))
    )
    for bill_id, status, count in rows:
        counts.setdefault(bill_id, {})[status] = count
    return [(bill, counts.get(bill.pk, {})) for bill in bills]


def comment_outcomes(*, bill: Bill) -> dict[str, Any]:
    """
    Count a bill's public comments by status and by article: what the bill's
    public pages show (the outcome chart, the filters of its comment list).

    A lighter :func:`comment_stats` for pages read often on large bills. One
    query, summing the kept counts (:mod:`consultation.counters`) by status and
    article, kept under the version of the bill's counts until they change.
    Returns ``{"total", "decided", "adopted", "partially_adopted",
    "adoption_rate", "by_status", "by_article"}``, shaped as comment_stats's.
    """
    return counters.cached(
        bill.pk, f"outcomes:{get_language()}", lambda: _comment_outcomes(bill)
    )


def _comment_outcomes(bill: Bill) -> dict[str, Any]:
    rows = (
        _public_counts()
        .filter(bill=bill)
        .order_by()
        .values("status", "article_id", "article__number", "article__version_id")
        .annotate(count=Sum("delta"))
    )
    statuses: dict[str, int] = {}
    articles: dict[int, dict[str, Any]] = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + r["count"]
        if r["article_id"] is None:
            continue
        article = articles.setdefault(
            r["article_id"],
            {
                "key": r["article_id"],
                "label": article_label(r["article__number"]),
                "number": r["article__number"],
                "version_id": r["article__version_id"],
                "count": 0,
            },
        )
        article["count"] += r["count"]
    total = sum(statuses.values())
    decided = total - statuses.get(Decision.PENDING, 0)
    adopted = statuses.get(Decision.ADOPTED, 0)
    partially = statuses.get(Decision.PARTIALLY_ADOPTED, 0)
    return {
        "total": total,
        "decided": decided,
        "adopted": adopted,
        "partially_adopted": partially,
        "adoption_rate": adoption_rate(adopted + partially, decided),
        "by_status": [
            {"key": value, "label": str(label), "count": statuses.get(value, 0)}
            for value, label in Decision.choices
        ],
        "by_article": sorted(
            (a for a in articles.values() if a["count"] > 0),
            key=lambda r: (r["version_id"], r["number"]),
        ),
    }
