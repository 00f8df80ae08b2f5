"""
Reads of the legislation side, each shaped for one page or endpoint.

Every selector runs a fixed number of queries, whatever the size of the bill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Model, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from npc.core.roles import is_legislative_staff

from . import comparison
from .acts import next_acts as next_acts  # the staff pages ask here
from .models import (
    FINAL,
    MAIN_LINE,
    READINGS,
    Article,
    Bill,
    BillEvent,
    Chapter,
    Document,
    DraftVersion,
    EventKind,
    Meeting,
    Paragraph,
    Section,
    Stage,
    Vote,
    reading_number,
)
from .numerals import article_label


def visible_bills(user: Model | AnonymousUser) -> QuerySet[Bill]:
    """Return the bills ``user`` may read: all for staff, published ones for others."""
    if is_legislative_staff(user):
        return Bill.objects.all()
    return Bill.objects.published()


def visible_versions(user: Model | AnonymousUser, bill: Bill) -> QuerySet[DraftVersion]:
    """Return the versions of ``bill`` that ``user`` may read, oldest first."""
    versions = bill.versions.order_by("number")
    if is_legislative_staff(user):
        return versions
    return versions.filter(is_published=True)


def timeline(bill: Bill, *, public: bool) -> QuerySet[BillEvent]:
    """
    Return the bill's events, oldest first, with what each row shows.

    The public timeline leaves out internal bookkeeping and the arrival of draft
    versions that are not published (their titles are not public yet).
    """
    if public:
        events = _public_events().filter(bill=bill).select_related("corrects")
    else:
        events = bill.events.select_related(
            "meeting", "version", "recorded_by", "corrects"
        )
    return events.order_by("on", "recorded_at", "pk")


def version_text(version: DraftVersion) -> DraftVersion:
    """
    Load a version's whole structure in five queries: chapters, sections, articles,
    paragraphs and items (as ``prefetched`` attributes of the given version,
    which is returned; it is not read again).
    """
    prefetch_related_objects(
        [version],
        Prefetch("chapters", queryset=Chapter.objects.order_by("position")),
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch(
            "articles",
            queryset=Article.objects.order_by("position").prefetch_related(
                Prefetch(
                    "paragraphs",
                    queryset=Paragraph.objects.order_by("position").prefetch_related(
                        "items"
                    ),
                )
            ),
        ),
    )
    return version


@dataclass
class OutlineNode:
    """A chapter or section heading followed by its articles, for rendering."""

    chapter: Chapter | None
    section: Section | None
    articles: list[Article]


def outline(version: DraftVersion) -> list[OutlineNode]:
    """Group a loaded version's articles under their chapter and section headings."""
    return _outline(
        version.articles.all(),
        chapters={c.pk: c for c in version.chapters.all()},
        sections={s.pk: s for s in version.sections.all()},
    )


def text_outline(version: DraftVersion) -> list[OutlineNode]:
    """
    The :func:`outline` of a version's text as read, in three queries: articles
    with their chapter and section, paragraphs, items. The headings are those
    of the articles (a heading with no article under it shows nothing anyway).
    """
    articles = list(
        version.articles.select_related("chapter", "section")
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.order_by("position").prefetch_related(
                    "items"
                ),
            )
        )
    )
    return _outline(
        articles,
        chapters={a.chapter_id: a.chapter for a in articles if a.chapter_id},
        sections={a.section_id: a.section for a in articles if a.section_id},
    )


def _outline(
    articles: Iterable[Article],
    *,
    chapters: dict[int, Chapter],
    sections: dict[int, Section],
) -> list[OutlineNode]:
    nodes: list[OutlineNode] = []
    for article in articles:
        chapter = chapters.get(article.chapter_id)
        section = sections.get(article.section_id)
        if not nodes or (nodes[-1].chapter, nodes[-1].section) != (chapter, section):
            nodes.append(OutlineNode(chapter=chapter, section=section, articles=[]))
        nodes[-1].articles.append(article)
    return nodes


def _sides(version: DraftVersion) -> tuple[list[comparison.Side], dict[int, int]]:
    rows = list(
        version.articles.order_by("position").values_list(
            "pk", "number", "text", "lineage_id"
        )
    )
    sides = [
        comparison.Side(key=pk, number=n, text=text, label=article_label(n))
        for pk, n, text, _ in rows
    ]
    return sides, {pk: lineage for pk, _, _, lineage in rows}


def compare_versions(*, old: DraftVersion, new: DraftVersion) -> list[comparison.Row]:
    """
    Build the comparison table (修改对照表) from ``old`` to ``new``.

    Articles are paired by lineage — the content alignment made when each version
    was added, as corrected by staff — so any two versions of a bill compare, not
    only neighbours. Two queries.
    """
    old_sides, old_lineage = _sides(old)
    new_sides, new_lineage = _sides(new)
    by_lineage = {lineage: pk for pk, lineage in old_lineage.items()}
    pairs = {
        pk: by_lineage[lineage]
        for pk, lineage in new_lineage.items()
        if lineage in by_lineage
    }
    return comparison.compare(old_sides, new_sides, pairs)


class NoSuchVersion(LookupError):
    """
    A version asked for is not one of the bill's that the reader may see, or
    its number is not a number. ``versions`` are those they may see.
    """

    def __init__(self, versions: list[DraftVersion]) -> None:
        super().__init__("no such version")
        self.versions = versions


@dataclass(frozen=True)
class VersionComparison:
    """Two versions of a bill compared article by article (修改对照表)."""

    versions: list[DraftVersion]  # all the reader may see, oldest first
    old: DraftVersion
    new: DraftVersion
    rows: list[comparison.Row]

    @property
    def summary(self) -> dict[str, int]:
        return comparison_summary(self.rows)


def version_comparison(
    *,
    bill: Bill,
    user: Model | AnonymousUser,
    old: int | str | None = None,
    new: int | str | None = None,
) -> VersionComparison:
    """
    Compare two versions of ``bill`` that ``user`` may read, by number.

    The one rule for the public page, the staff page and the API: ``new``
    defaults to the latest version; ``old`` to the version before ``new`` (to
    ``new`` itself when it is the first). Unpublished versions exist for staff
    only. A number may come as given in a query string: empty or None is left
    out, anything else must be the number of a version ``user`` may read, or
    NoSuchVersion is raised. Three queries.
    """
    versions = list(visible_versions(user, bill).defer("source_text"))
    by_number = {version.number: version for version in versions}
    new_number = _version_number(new, versions)
    if new_number is None and versions:
        new_number = versions[-1].number
    if new_number not in by_number:
        raise NoSuchVersion(versions)
    old_number = _version_number(old, versions)
    if old_number is None:
        earlier = [v.number for v in versions if v.number < new_number]
        old_number = earlier[-1] if earlier else new_number
    if old_number not in by_number:
        raise NoSuchVersion(versions)
    older, newer = by_number[old_number], by_number[new_number]
    return VersionComparison(
        versions=versions,
        old=older,
        new=newer,
        rows=compare_versions(old=older, new=newer),
    )


def _version_number(
    value: int | str | None, versions: list[DraftVersion]
) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    raise NoSuchVersion(versions)


# --- The status of a bill in plain words (public bill page, lists, feeds) -----


@dataclass(frozen=True)
class ProgressStep:
    """One stage of a bill's progress bar: ``done``, ``current`` or ``todo``."""

    stage: Stage
    state: str

    @property
    def label(self) -> str:
        return str(self.stage.label)


@dataclass(frozen=True)
class KeyDate:
    """A date that applies to a bill (the vote, approval, promulgation, …)."""

    label: str
    on: dt.date
    detail: str = ""
    upcoming: bool = False


@dataclass(frozen=True)
class BillStatus:
    """Where a bill stands: the stage, a sentence saying so, steps and dates."""

    stage: Stage
    sentence: str
    on: dt.date | None
    meeting: Meeting | None
    steps: list[ProgressStep]
    dates: list[KeyDate]


_READING_SENTENCES = {
    Stage.FIRST_READING: (
        _("一审中：已于%(date)s在%(meeting)s进行第一次审议"),
        _("一审中：已于%(date)s进行第一次审议"),
    ),
    Stage.SECOND_READING: (
        _("二审中：已于%(date)s在%(meeting)s进行第二次审议"),
        _("二审中：已于%(date)s进行第二次审议"),
    ),
    Stage.THIRD_READING: (
        _("三审中：已于%(date)s在%(meeting)s进行第三次审议"),
        _("三审中：已于%(date)s进行第三次审议"),
    ),
}
_OFF_THE_MAIN_LINE = frozenset(
    {Stage.REJECTED, Stage.NOT_APPROVED, Stage.WITHDRAWN, Stage.TERMINATED}
)


def _stage_sentence(bill: Bill, event: BillEvent | None) -> str:
    """Say in one sentence where ``bill`` stands, from the event that put it there."""
    stage = Stage(bill.stage)
    if stage == Stage.PLANNED:
        return _("立项：已列入%(year)s年度立法计划") % {"year": bill.plan_year}
    if stage == Stage.IN_FORCE and bill.effective_on:
        return _("已施行：%(date)s起施行") % {"date": date_format(bill.effective_on)}
    if event is None:
        return str(stage.label)
    values = {
        "date": date_format(event.on),
        "meeting": event.meeting.short_name if event.meeting else "",
        "sponsor": bill.get_sponsor_display(),
        "body": bill.drafting_body,
        "effective": date_format(bill.effective_on) if bill.effective_on else "",
    }
    if stage in _READING_SENTENCES:
        with_meeting, without = _READING_SENTENCES[stage]
        return (with_meeting if event.meeting else without) % values
    if stage == Stage.DRAFTING:
        if bill.drafting_body:
            return _("起草中：已于%(date)s启动起草，起草单位为%(body)s") % values
        return _("起草中：已于%(date)s启动起草") % values
    if stage in (Stage.PASSED, Stage.REJECTED) and event.meeting:
        message = {
            Stage.PASSED: _("已表决通过：已于%(date)s经%(meeting)s表决通过"),
            Stage.REJECTED: _("表决未通过：%(date)s在%(meeting)s表决未获通过"),
        }[stage]
        return message % values
    if stage == Stage.PROMULGATED and bill.effective_on:
        return _("已公布：已于%(date)s公布，自%(effective)s起施行") % values
    messages = {
        Stage.SUBMITTED: _("已提请审议：%(sponsor)s已于%(date)s提请市人大常委会审议"),
        Stage.PASSED: _("已表决通过：已于%(date)s表决通过"),
        Stage.REJECTED: _("表决未通过：%(date)s表决未获通过"),
        Stage.APPROVAL_REQUESTED: _("报请批准中：已于%(date)s报请省人大常委会批准"),
        Stage.APPROVED: _("已获批准：已于%(date)s经省人大常委会批准，待公布"),
        Stage.NOT_APPROVED: _("未获批准：省人大常委会已于%(date)s决定不予批准"),
        Stage.PROMULGATED: _("已公布：已于%(date)s公布"),
        Stage.IN_FORCE: _("已施行：%(date)s起施行"),
        Stage.WITHDRAWN: _("已撤回：提案人已于%(date)s撤回"),
        Stage.TERMINATED: _("已终止审议：已于%(date)s终止审议"),
    }
    return messages[stage] % values


def _progress(bill: Bill, event: BillEvent | None) -> list[ProgressStep]:
    """
    Lay the bill's stages along the main line, with the readings it plans.

    A bill that left the main line (rejected, not approved, withdrawn,
    terminated) shows the stages it passed through and then where it ended.
    """
    stage = Stage(bill.stage)
    readings = max(bill.planned_readings, reading_number(stage))
    line = [s for s in MAIN_LINE if s not in READINGS or reading_number(s) <= readings]
    if stage in _OFF_THE_MAIN_LINE:
        left_from = Stage(event.from_stage) if event and event.from_stage else None
        passed = line[: line.index(left_from) + 1] if left_from in line else []
        return [ProgressStep(s, "done") for s in passed] + [
            ProgressStep(stage, "current")
        ]
    at = line.index(stage)
    return [
        ProgressStep(s, "done" if i < at else "current" if i == at else "todo")
        for i, s in enumerate(line)
    ]


def _key_dates(bill: Bill, events: list[BillEvent], today: dt.date) -> list[KeyDate]:
    """List the dates that apply: readings, the vote, approval, promulgation, force."""
    dates: list[KeyDate] = []
    labels = {
        Stage.SUBMITTED: _("提请审议"),
        Stage.FIRST_READING: _("第一次审议"),
        Stage.SECOND_READING: _("第二次审议"),
        Stage.THIRD_READING: _("第三次审议"),
        Stage.PASSED: _("表决通过"),
        Stage.REJECTED: _("表决未通过"),
        Stage.APPROVAL_REQUESTED: _("报请批准"),
        Stage.APPROVED: _("省人大常委会批准"),
        Stage.NOT_APPROVED: _("省人大常委会不予批准"),
        Stage.PROMULGATED: _("公布"),
    }
    for event in events:
        if not event.changes_stage or event.to_stage not in labels:
            continue
        detail = event.meeting.short_name if event.meeting else ""
        if event.to_stage == Stage.PROMULGATED and bill.announcement_number:
            detail = bill.announcement_number
        dates.append(KeyDate(str(labels[event.to_stage]), event.on, detail))
    if bill.effective_on and bill.stage in (Stage.PROMULGATED, Stage.IN_FORCE):
        dates.append(
            KeyDate(
                str(_("施行")), bill.effective_on, upcoming=bill.effective_on > today
            )
        )
    return dates


def bill_status(
    bill: Bill,
    events: Sequence[BillEvent] | None = None,
    *,
    today: dt.date | None = None,
) -> BillStatus:
    """
    Say where ``bill`` stands, in words, as a progress bar and as key dates.

    ``events`` is the bill's public timeline, oldest first, as ``timeline``
    returns it (pass it when the page has it already: no query then; else one).
    The sentence names the date and meeting of the event that brought the bill
    to its stage, e.g. 二审中：已于2024年8月28日在市十五届人大常委会第二十一次会议
    进行第二次审议. Dates are formatted for the active language.
    """
    if events is None:
        events = timeline(bill, public=True)
    events = list(events)
    arrival = next(
        (e for e in reversed(events) if e.changes_stage and e.to_stage == bill.stage),
        None,
    )
    return BillStatus(
        stage=Stage(bill.stage),
        sentence=str(_stage_sentence(bill, arrival)),
        on=arrival.on if arrival else None,
        meeting=arrival.meeting if arrival else None,
        steps=_progress(bill, arrival),
        dates=_key_dates(bill, events, today or timezone.localdate()),
    )


# --- Public lists --------------------------------------------------------------


def _public_events() -> QuerySet[BillEvent]:
    return (
        BillEvent.objects.public()
        .exclude(kind=EventKind.VERSION_ADDED, version__is_published=False)
        .select_related("meeting", "version")
    )


def with_public_timeline(bills: QuerySet[Bill]) -> QuerySet[Bill]:
    """
    Prefetch each bill's public timeline into ``public_events`` (one query for
    all), so that ``bill_status(bill, bill.public_events)`` runs none.
    """
    return bills.prefetch_related(
        Prefetch(
            "events",
            queryset=_public_events().order_by("on", "recorded_at", "pk"),
            to_attr="public_events",
        )
    )


def bills_in_progress() -> QuerySet[Bill]:
    """Published bills on their way (not in a final stage), most recent plan first."""
    return with_public_timeline(
        Bill.objects.published()
        .exclude(stage__in=FINAL)
        .order_by("-plan_year", "title", "pk")
    )


def public_bill_list() -> QuerySet[Bill]:
    """Published bills for the public list, newest plan year first."""
    return Bill.objects.published().order_by("-plan_year", "title", "pk")


def upcoming_meetings(*, today: dt.date | None = None, limit: int = 3) -> list[Meeting]:
    """Return the next Standing Committee meetings from ``today`` on, soonest first."""
    today = today or timezone.localdate()
    return list(Meeting.objects.filter(date__gte=today).order_by("date")[:limit])


def recent_meetings(*, today: dt.date | None = None, limit: int = 3) -> list[Meeting]:
    """Return the last meetings before ``today``, latest first."""
    today = today or timezone.localdate()
    return list(Meeting.objects.filter(date__lt=today).order_by("-date")[:limit])


def public_documents(bill: Bill) -> QuerySet[Document]:
    """Return the bill's published documents, oldest first."""
    return (
        bill.documents.filter(is_published=True)
        .select_related("meeting")
        .order_by("date", "pk")
    )


def public_events(*, bill: Bill | None = None, limit: int = 50) -> QuerySet[BillEvent]:
    """
    Return the latest public events of published bills (of one bill if given),
    newest first, for feeds.
    """
    events = _public_events().filter(bill__is_published=True).select_related("bill")
    if bill is not None:
        events = events.filter(bill=bill)
    return events.order_by("-on", "-recorded_at", "-pk")[:limit]


# --- Staff pages: what may be done next, and the workspace's lists ---------------


def stage_counts() -> dict[str, int]:
    """Count all bills by stage, for the staff home page. One query."""
    rows = Bill.objects.order_by().values_list("stage").annotate(n=Count("pk"))
    return dict(rows)


def staff_bills() -> QuerySet[Bill]:
    """All bills for the staff list, newest plan year first."""
    return Bill.objects.order_by("-plan_year", "title", "pk")


def bill_documents(bill: Bill) -> QuerySet[Document]:
    """Return all the bill's documents, published or not, oldest first."""
    return bill.documents.select_related("meeting", "version").order_by("date", "pk")


def bill_votes(bill: Bill) -> QuerySet[Vote]:
    """Return the votes on the bill with their meetings, oldest first."""
    return bill.votes.select_related("meeting", "recorded_by").order_by(
        "meeting__date", "pk"
    )


def visible_documents(user: Model | AnonymousUser, bill: Bill) -> QuerySet[Document]:
    """
    Return the documents of ``bill`` that ``user`` may read, oldest first: all for
    staff, published ones for others (the bill itself must be visible to them).
    """
    if is_legislative_staff(user):
        return bill_documents(bill)
    return public_documents(bill).select_related("version")


def version_alignment(version: DraftVersion) -> QuerySet[Article]:
    """
    Return the articles of ``version`` with the article of the previous version
    each continues (``predecessor``, with its version), in order. One query.
    """
    return version.articles.select_related("predecessor__version").order_by("position")


def comparison_summary(rows: Sequence[comparison.Row]) -> dict[str, int]:
    """Count the rows of a comparison table by status, with a ``total``."""
    counts = dict.fromkeys(
        (
            comparison.UNCHANGED,
            comparison.CHANGED,
            comparison.ADDED,
            comparison.DELETED,
            comparison.RENUMBERED,
        ),
        0,
    )
    for row in rows:
        counts[row.status] += 1
    counts["total"] = len(rows)
    return counts


def meeting_years() -> list[int]:
    """Return the years in which the Standing Committee met, latest first."""
    return sorted({d.year for d in Meeting.objects.dates("date", "year")}, reverse=True)


def regulations_passed_years() -> list[int]:
    """Return the years in which a published bill was passed, latest first."""
    return sorted(
        {
            d.year
            for d in BillEvent.objects.filter(
                kind=EventKind.VOTE, to_stage=Stage.PASSED, bill__is_published=True
            ).dates("on", "year")
        },
        reverse=True,
    )


def meetings_in_year(year: int) -> int:
    """Count the Standing Committee's meetings held in ``year``."""
    return Meeting.objects.filter(date__year=year).count()
