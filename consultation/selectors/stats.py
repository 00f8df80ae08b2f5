"""Statistics, headline numbers and outcomes, summed from the kept counts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
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

from legislation.models import Bill, BillEvent, DraftVersion, EventKind, Stage
from legislation.numerals import article_label
from legislation.selectors import (
    meeting_years,
    meetings_in_year,
    public_bill_list,
    regulations_passed_years,
    with_public_timeline,
)
from npc.core.parts import part
from npc.core.snapshots import Snapshot, rows_with_snapshot

from .. import counters
from ..models import (
    ADOPTING,
    Channel,
    Comment,
    CommentCount,
    CommentTally,
    Consultation,
    Contributor,
    Decision,
    LiaisonPoint,
    Moderation,
)
from ._common import STATS_YEARS_PART, adoption_rate, city_versions

# --- statistics ----------------------------------------------------------------


def _public_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(is_published=True, bill__is_published=True)


def _consultation_year(year: int) -> Q:
    return Q(held_on__year=year) | Q(held_on__isnull=True, opens_on__year=year)


# Comments and their outcomes, summed over counter rows (CommentCount).
_SUMMED = {
    "count": Coalesce(Sum("delta"), 0),
    "adopted": Coalesce(Sum("delta", filter=Q(status__in=ADOPTING)), 0),
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
    decided. Six queries.

    Returns ``{"total", "decided", "adopted", "partially_adopted", "adoption_rate",
    "by_status", "by_channel", "by_point", "by_article", "by_kind",
    "public_submissions"}`` (online comments by the public, by moderation
    state, and those entered by staff: one query more); the groups
    are lists of ``{"key", "label", "count", "adoption_rate"}`` (by_article and
    by_point labels: article label / point name; key None for none).

    Sums the kept counts (:mod:`consultation.counters`), never counts comments,
    and keeps the sums under the version of those counts until they change (a
    renamed point shows its new name within NPC_COUNTS_CACHE_SECONDS). For one
    bill's public comments, the statuses (and the totals) follow every comment;
    how they spread over channels, points, kinds and articles (thousands of
    count rows on a busy bill) is kept under the bill's settled version, so
    that while comments arrive it is summed again at most every
    NPC_COUNTS_CACHE_SECONDS (and at once after a decision).
    """
    name = f"stats:{get_language()}:{year}:{public}"
    if bill is None or not public:
        return counters.cached(
            counters.ANY if bill is None else bill.pk,
            name,
            lambda: _comment_stats(bill=bill, year=year, public=public),
        )
    spread = counters.settled_cached(
        bill.pk, name, lambda: _comment_stats(bill=bill, year=year, public=public)
    )
    statuses = counters.cached(
        bill.pk,
        f"{name}:statuses",
        lambda: _statuses(_counts(bill=bill, year=year, public=public)),
    )
    return {**spread, **_outcome_figures(statuses)}


def _counts(*, bill: Bill | None, year: int | None, public: bool) -> QuerySet:
    comments = _public_counts() if public else CommentCount.objects.all()
    if bill is not None:
        comments = comments.filter(bill=bill)
    if year is not None:
        comments = comments.filter(year=year)
    return comments


def _statuses(comments: QuerySet) -> dict[str, int]:
    return dict(comments.order_by().values_list("status").annotate(count=Sum("delta")))


def _comment_stats(*, bill: Bill | None, year: int | None, public: bool) -> dict:
    comments = _counts(bill=bill, year=year, public=public)
    figures = _outcome_figures(_statuses(comments))
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
        **figures,
        "by_channel": by_channel,
        "by_point": by_point,
        "by_article": by_article,
        "by_kind": by_kind,
        "public_submissions": _public_submissions(
            bill=bill,
            year=year,
            online=next(
                (r["count"] for r in by_channel if r["key"] == Channel.ONLINE), 0
            ),
        ),
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


def stats_years() -> tuple[int, list[int]]:
    """
    Return the year statistics show by default, and the years they may show
    (latest first): by default the latest year in which a regulation was
    passed, the last year of complete legislative work, as the annual report
    counts it; else the latest year the Standing Committee met; else this year.
    The statistics page and the API share it.
    """
    passed = regulations_passed_years()
    years = sorted(set(meeting_years()) | set(passed), reverse=True) or [
        timezone.localdate().year
    ]
    return (passed[0] if passed else years[0]), years


def kept_stats_years() -> tuple[int, list[int]]:
    """
    :func:`stats_years`, kept under the city's versions (:func:`city_versions`)
    as the pages that show it are: two queries saved on every page made again,
    and as fresh as they are (a vote or a meeting moves the bills' version).
    """
    return part(STATS_YEARS_PART, stats_years, version=city_versions())


def headline_numbers(year: int) -> dict[str, Any]:
    """
    Return the year's numbers of the report's "数说" that concern legislation.

    ``liaison_points`` (active), ``symposia`` (consultations of the symposium
    channel held that year), ``consultations``, ``comments`` (made that year),
    ``regulations`` (bills passed by a vote that year), ``adoption_rate``,
    ``meetings`` (of the Standing Committee, held that year). Five queries;
    published records only.
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
        "meetings": meetings_in_year(year),
    }


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


def _public_submissions(
    *, bill: Bill | None = None, year: int | None = None, online: int = 0
) -> dict[str, int]:
    """
    Count the comments the public submitted online (in published consultations
    on published bills) by moderation state: ``{"received", "pending",
    "published", "withheld", "online_by_staff"}``; the last is ``online``
    (all comments through the online channel) less those. One query, on the
    partial index of public submissions.
    """
    comments = Comment.objects.filter(
        from_public=True, bill__is_published=True, consultation__is_published=True
    )
    if bill is not None:
        comments = comments.filter(bill=bill)
    if year is not None:
        comments = comments.filter(submitted_on__year=year)
    states = dict(
        comments.order_by().values_list("moderation").annotate(count=Count("pk"))
    )
    received = sum(states.values())
    return {
        "received": received,
        "pending": states.get(Moderation.PENDING, 0),
        "published": states.get(Moderation.PUBLISHED, 0),
        "withheld": states.get(Moderation.WITHHELD, 0),
        "online_by_staff": max(online - received, 0),
    }


def comment_outcomes(
    *,
    bill: Bill,
    submissions: Callable[[], dict[str, int]] | None = None,
    statuses: dict[str, int] | None = None,
) -> dict[str, Any]:
    """
    Count a bill's public comments by status and by article: what the bill's
    comment list shows (the outcome chart, the filters of the list).

    A lighter :func:`comment_stats` for pages read often on large bills: the
    statuses summed from the counts' tally (:func:`outcome_tally`), or as
    ``statuses`` gives them (a page that keeps them, npc.public.keeping);
    the articles (a row per article and status of the kept counts, thousands
    on a busy bill) under the settled version, so that comments arriving make
    them be summed again at most every NPC_COUNTS_CACHE_SECONDS. Both are kept
    as parts (:func:`outcomes_parts`). Returns ``{"total", "decided",
    "adopted", "partially_adopted", "adoption_rate", "by_status",
    "by_article", "public_submissions"}``, shaped as comment_stats's (the
    last: :func:`_public_submissions`, one query more, or what
    ``submissions()`` returns, as for :func:`comment_figures`).
    """
    if statuses is None:
        figures = counters.cached(
            bill.pk,
            _outcomes_name(),
            lambda: comment_figures(bill=bill, submissions=submissions),
        )
    else:
        figures = comment_figures(bill=bill, submissions=submissions, statuses=statuses)
    # Kept apart, not copied into the figures kept after every comment: a
    # row per article, hundreds on a busy bill.
    return {
        **figures,
        "by_article": counters.settled_cached(
            bill.pk, _BY_ARTICLE, lambda: _by_article(bill)
        ),
    }


# What comment_outcomes keeps its figures under (consultation.counters).
_BY_ARTICLE = "outcomes-by-article"


def _outcomes_name() -> str:
    return f"outcomes:{get_language()}"  # the statuses' labels are translated


def outcomes_parts(bill_id: int) -> list[tuple]:
    """
    What :func:`comment_outcomes` keeps a bill's counts by article under (and,
    given no ``statuses``, its figures), as parts (:mod:`npc.core.parts`)
    that a page which gives the statuses may read along with its versions.
    """
    return counters.kept_parts(bill_id, _BY_ARTICLE)


@functools.lru_cache(maxsize=4096)
def _article_label(number: int) -> str:
    # A label depends on the number alone: spelt once per process, not once
    # per article and status on every count.
    return article_label(number)


@dataclass(frozen=True)
class Tally:
    """A bill's public comments by status, and the snapshot they were read in."""

    statuses: dict[str, int]
    snapshot: Snapshot | None


def outcome_tally(*, bill: Bill | int) -> Tally:
    """
    Sum the public comments of a published bill by status (those gathered in
    its published consultations, whatever their moderation: what its outcome
    figures count) from the counts' tally (:class:`CommentTally`, a row per
    consultation and status, however many articles, kinds and comments). One
    query, which on PostgreSQL also says which transactions it saw
    (:mod:`npc.core.snapshots`): what a page that keeps the sums takes in of
    the comments entered after needs to count each once.
    """
    rows = (
        CommentTally.objects.filter(
            bill=bill, bill__is_published=True, consultation__is_published=True
        )
        .order_by()
        .values_list("status")
        .annotate(count=Sum("delta"))
    )
    found, snapshot = rows_with_snapshot(rows)
    return Tally(dict(found), snapshot)


def _by_article(bill: Bill) -> list[dict[str, Any]]:
    rows = (
        _public_counts()
        .filter(bill=bill, article__isnull=False)
        .order_by()
        .values_list("article_id", "article__number", "article__version_id")
        .annotate(count=Sum("delta"))
    )
    return sorted(
        (
            {
                "key": article_id,
                "label": _article_label(number),
                "number": number,
                "version_id": version_id,
                "count": count,
            }
            for article_id, number, version_id, count in rows
            if count > 0
        ),
        key=lambda r: (r["version_id"], r["number"]),
    )


def comment_figures(
    *,
    bill: Bill,
    submissions: Callable[[], dict[str, int]] | None = None,
    statuses: dict[str, int] | None = None,
) -> dict[str, Any]:
    """
    The outcome figures of a published bill's page: :func:`comment_outcomes`
    without ``by_article``, which the page does not show, from ``statuses``
    (a page that keeps them: npc.public.keeping.outcome_statuses) or else
    summed (:func:`outcome_tally`); then the public submissions
    (:func:`public_submissions`), or what ``submissions()`` returns (the page
    keeps them apart: comments submitted online wait for moderation and move
    no version). No query, one or two.
    """
    if statuses is None:
        statuses = outcome_tally(bill=bill).statuses
    return {
        **_outcome_figures(statuses),
        "public_submissions": (
            submissions or (lambda: public_submissions(bill=bill))
        )(),
    }


def public_submissions(*, bill: Bill) -> dict[str, int]:
    """A published bill's comments submitted online by the public, by state."""
    return _public_submissions(bill=bill)


def _outcome_figures(statuses: dict[str, int]) -> dict[str, Any]:
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
    }
