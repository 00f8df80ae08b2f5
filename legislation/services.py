"""
Every write to the legislation side that carries a rule or a side effect.

Each service is keyword-only, runs in one transaction, locks the bill it changes
and appends the change to the bill's timeline. ``_move_bill`` is the only code that
writes ``Bill.stage``; stages that imply a record (a reading, a vote) are reached
only through the service that creates that record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import comparison, parsing, selectors, tasks
from .errors import (
    ConcurrentUpdate,
    DraftNumberingProblems,
    InvalidDraft,
    MeetingOutOfOrder,
    TransitionNotAllowed,
)
from .models import (
    READINGS,
    Article,
    ArticleLineage,
    Bill,
    BillEvent,
    Chapter,
    Document,
    DraftVersion,
    EventKind,
    Item,
    Meeting,
    Paragraph,
    Section,
    Stage,
    Vote,
    reading_number,
    vote_carries,
)

User = AbstractBaseUser

# Which timeline event records the arrival in each stage.
_EVENT_FOR_STAGE: dict[Stage, EventKind] = {
    Stage.DRAFTING: EventKind.DRAFTING_STARTED,
    Stage.SUBMITTED: EventKind.SUBMITTED,
    Stage.FIRST_READING: EventKind.READING,
    Stage.SECOND_READING: EventKind.READING,
    Stage.THIRD_READING: EventKind.READING,
    Stage.PASSED: EventKind.VOTE,
    Stage.REJECTED: EventKind.VOTE,
    Stage.APPROVAL_REQUESTED: EventKind.APPROVAL_REQUESTED,
    Stage.APPROVED: EventKind.APPROVAL_DECIDED,
    Stage.NOT_APPROVED: EventKind.APPROVAL_DECIDED,
    Stage.PROMULGATED: EventKind.PROMULGATED,
    Stage.IN_FORCE: EventKind.IN_FORCE,
    Stage.WITHDRAWN: EventKind.WITHDRAWN,
    Stage.TERMINATED: EventKind.TERMINATED,
}

# Bill fields staff may edit directly; everything else moves through services.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "slug",
        "kind",
        "sponsor",
        "sponsor_detail",
        "drafting_body",
        "committee",
        "plan_year",
        "summary",
        "is_published",
    }
)


# --- bills -------------------------------------------------------------------


def _lock(bill: Bill, expected_version: int | None) -> Bill:
    """Lock ``bill``'s row and refuse if it changed since the caller read it."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentUpdate(
            _(
                "该法规案已被他人修改（当前版本 %(current)s，您提交的是版本 %(yours)s），"
                "请刷新后重试。"
            )
            % {"current": locked.version, "yours": expected_version}
        )
    return locked


def _touch(bill: Bill, by: User | None, fields: Iterable[str] = ()) -> None:
    """Save ``fields`` of a locked bill and bump its version."""
    bill.version = F("version") + 1
    bill.updated_by = by
    bill.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    bill.refresh_from_db(fields=["version"])
    _bills_changed()


# A counter in the cache that every change made here moves on, now and once it
# commits (a reader in between keeps what it read under the in-between value):
# the public pages keep what they show of bills under it, and so know of a
# change without asking the database (npc.public.views).
BILLS_VERSION_KEY = "legislation:bills-version"


def _bills_changed() -> None:
    def bump() -> None:
        cache.add(BILLS_VERSION_KEY, 0, None)
        try:
            cache.incr(BILLS_VERSION_KEY)
        except ValueError:  # evicted in between
            cache.set(BILLS_VERSION_KEY, 1, None)

    bump()
    transaction.on_commit(bump)


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:180] or "bill"
    slug, n = base, 2
    while Bill.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_bill(
    *,
    title: str,
    plan_year: int,
    by: User | None,
    on: dt.date | None = None,
    planned_readings: int = 2,
    **fields: Any,
) -> Bill:
    """Create a bill listed in the year's legislative plan (stage ``planned``)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if not 1 <= planned_readings <= 3:
        raise InvalidDraft(_("计划审议次数应为一至三次。"))
    slug = fields.pop("slug", "") or _unique_slug(title)
    bill = Bill(
        slug=slug,
        title=title,
        plan_year=plan_year,
        planned_readings=planned_readings,
        created_by=by,
        updated_by=by,
        **fields,
    )
    bill.full_clean()
    bill.save()
    _bills_changed()
    BillEvent.objects.create(
        bill=bill,
        kind=EventKind.PLANNED,
        on=on or dt.date(plan_year, 1, 1),
        to_stage=Stage.PLANNED,
        recorded_by=by,
    )
    return bill


@transaction.atomic
def update_bill(
    *, bill: Bill, by: User | None, expected_version: int | None, **changes: Any
) -> Bill:
    """
    Change a bill's details (not its stage) and note the change on its timeline.

    Raises ConcurrentUpdate when someone else changed the bill since
    ``expected_version`` was read.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = _lock(bill, expected_version)
    changed = [
        name for name, value in changes.items() if getattr(locked, name) != value
    ]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean()
    _touch(locked, by, changed)
    labels = "、".join(str(Bill._meta.get_field(n).verbose_name) for n in changed)
    BillEvent.objects.create(
        bill=locked,
        kind=EventKind.DETAILS_CHANGED,
        on=dt.date.today(),
        note=_("修改了：%(fields)s") % {"fields": labels},
        recorded_by=by,
    )
    return locked


@transaction.atomic
def change_planned_readings(
    *,
    bill: Bill,
    planned_readings: int,
    by: User | None,
    expected_version: int | None,
    note: str = "",
) -> Bill:
    """
    Change how many readings a bill will have (e.g. a third for a contested bill).

    Only before the vote, and never below the readings already held.
    """
    locked = _lock(bill, expected_version)
    if not 1 <= planned_readings <= 3:
        raise TransitionNotAllowed(_("计划审议次数应为一至三次。"))
    if not selectors.can_change_planned_readings(locked):
        raise TransitionNotAllowed(_("表决后不能再调整审议次数。"))
    if planned_readings < reading_number(locked.stage):
        raise TransitionNotAllowed(
            _("已审议%(held)s次，计划审议次数不能少于已审议次数。")
            % {"held": reading_number(locked.stage)}
        )
    previous = locked.planned_readings
    locked.planned_readings = planned_readings
    _touch(locked, by, ["planned_readings"])
    BillEvent.objects.create(
        bill=locked,
        kind=EventKind.PLAN_CHANGED,
        on=dt.date.today(),
        note=note
        or _("计划审议次数由%(old)s次调整为%(new)s次。")
        % {"old": previous, "new": planned_readings},
        recorded_by=by,
    )
    return locked


# The events that put a bill before a meeting. A document or a consultation tied to
# a meeting (the revision report read at the next one, say) does not.
_DELIBERATIONS = (EventKind.READING, EventKind.VOTE, EventKind.VOTE_DEFERRED)


def _last_meeting_date(bill: Bill) -> dt.date | None:
    """Return the date of the last meeting that read, voted or deferred the bill."""
    last = (
        BillEvent.objects.filter(
            bill=bill, meeting__isnull=False, kind__in=_DELIBERATIONS
        )
        .order_by("-meeting__date")
        .values_list("meeting__date", flat=True)
        .first()
    )
    return last


def _last_stage_date(bill: Bill) -> dt.date | None:
    return (
        BillEvent.objects.filter(bill=bill)
        .exclude(to_stage="")
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )


def _move_bill(
    *,
    bill: Bill,
    to: Stage,
    by: User | None,
    on: dt.date,
    expected_version: int | None = None,
    meeting: Meeting | None = None,
    version: DraftVersion | None = None,
    note: str = "",
) -> tuple[Bill, BillEvent]:
    """
    Change the stage of ``bill`` and append the change to its timeline.

    The only code that writes Bill.stage. Must run inside a transaction (every
    caller is atomic); the row is locked so that two people pressing the same
    button cannot both win.
    """
    locked = _lock(bill, expected_version)
    if not locked.can_move_to(to):
        allowed = "、".join(str(s.label) for s in sorted(locked.next_stages)) or _("无")
        raise TransitionNotAllowed(
            _(
                "处于“%(current)s”阶段的法规案不能进入“%(target)s”阶段（可进入：%(allowed)s）。"
            )
            % {
                "current": locked.get_stage_display(),
                "target": Stage(to).label,
                "allowed": allowed,
            }
        )
    last = _last_stage_date(locked)
    if last and on < last:
        raise MeetingOutOfOrder(
            _("日期 %(on)s 早于上一阶段的日期 %(last)s。") % {"on": on, "last": last}
        )
    event = BillEvent.objects.create(
        bill=locked,
        kind=_EVENT_FOR_STAGE[to],
        on=on,
        from_stage=locked.stage,
        to_stage=to,
        meeting=meeting,
        version=version,
        note=note,
        recorded_by=by,
    )
    locked.stage = to
    _touch(locked, by, ["stage"])
    tasks.notify_followers.delay_on_commit(event.pk)
    return locked, event


@transaction.atomic
def start_drafting(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that drafting started."""
    return _move_bill(
        bill=bill,
        to=Stage.DRAFTING,
        by=by,
        on=on,
        note=note,
        expected_version=expected_version,
    )[1]


@transaction.atomic
def submit_bill(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the sponsor submitted the bill to the Standing Committee."""
    return _move_bill(
        bill=bill,
        to=Stage.SUBMITTED,
        by=by,
        on=on,
        note=note,
        expected_version=expected_version,
    )[1]


@transaction.atomic
def record_reading(
    *,
    bill: Bill,
    meeting: Meeting,
    by: User | None,
    version: DraftVersion | None = None,
    note: str = "",
    reading: Stage | None = None,
    expected_version: int | None = None,
) -> BillEvent:
    """
    Record a reading of ``bill`` at ``meeting``; the bill enters the next reading.

    A reading happens at a meeting later than the previous reading's. ``reading``,
    when given, is the reading the caller means to record; another is refused.
    """
    locked = _lock(bill, expected_version)
    target = (
        READINGS[reading_number(locked.stage)]
        if locked.stage in (Stage.SUBMITTED, Stage.FIRST_READING, Stage.SECOND_READING)
        else None
    )
    if (
        target is None
        or not locked.can_move_to(target)
        or reading not in (None, target)
    ):
        raise TransitionNotAllowed(
            _("处于“%(current)s”阶段、计划审议%(planned)s次的法规案不能再进行审议。")
            % {
                "current": locked.get_stage_display(),
                "planned": locked.planned_readings,
            }
        )
    previous = _last_meeting_date(locked)
    if previous and meeting.date <= previous:
        raise MeetingOutOfOrder(
            _("审议须在上一次审议（%(previous)s）之后的会议上进行。")
            % {"previous": previous}
        )
    if version is not None and version.bill_id != locked.pk:
        raise InvalidDraft(_("所选草案文本不属于本法规案。"))
    return _move_bill(
        bill=locked,
        to=target,
        by=by,
        on=meeting.date,
        meeting=meeting,
        version=version,
        note=note,
    )[1]


@transaction.atomic
def record_vote(
    *,
    bill: Bill,
    meeting: Meeting,
    yes: int,
    no: int,
    abstain: int,
    by: User | None,
    version: DraftVersion | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Vote:
    """
    Record the vote on ``bill`` and pass or reject it accordingly.

    A vote follows the last planned reading, at the same meeting or a later one.
    It passes only with more than half of ALL the meeting's members voting yes.
    """
    locked = _lock(bill, expected_version)
    if not locked.can_move_to(Stage.PASSED):
        raise TransitionNotAllowed(
            _("处于“%(current)s”阶段的法规案不能付表决（计划审议%(planned)s次）。")
            % {
                "current": locked.get_stage_display(),
                "planned": locked.planned_readings,
            }
        )
    if min(yes, no, abstain) < 0 or yes + no + abstain > meeting.members:
        raise TransitionNotAllowed(
            _(
                "赞成、反对、弃权票数之和（%(total)s）不能超过组成人员总数%(members)s人。"
            )
            % {"total": yes + no + abstain, "members": meeting.members}
        )
    previous = _last_meeting_date(locked)
    if previous and meeting.date < previous:
        raise MeetingOutOfOrder(
            _("表决不能早于最后一次审议（%(previous)s）。") % {"previous": previous}
        )
    carried = vote_carries(yes=yes, members=meeting.members)
    if not note:
        note = _(
            "应到%(members)s人，赞成%(yes)s票，反对%(no)s票，弃权%(abstain)s票。"
        ) % {
            "members": meeting.members,
            "yes": yes,
            "no": no,
            "abstain": abstain,
        }
    event = _move_bill(
        bill=locked,
        to=Stage.PASSED if carried else Stage.REJECTED,
        by=by,
        on=meeting.date,
        meeting=meeting,
        version=version,
        note=note,
    )[1]
    return Vote.objects.create(
        bill=locked,
        meeting=meeting,
        members=meeting.members,
        yes=yes,
        no=no,
        abstain=abstain,
        event=event,
        recorded_by=by,
    )


@transaction.atomic
def defer_vote(
    *,
    bill: Bill,
    meeting: Meeting,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the meeting decided not to put the bill to the vote yet."""
    locked = _lock(bill, expected_version)
    if not selectors.can_defer_vote(locked):
        raise TransitionNotAllowed(
            _("只有已完成计划审议、可以付表决的法规案才能暂不付表决。")
        )
    event = BillEvent.objects.create(
        bill=locked,
        kind=EventKind.VOTE_DEFERRED,
        on=meeting.date,
        meeting=meeting,
        note=note,
        recorded_by=by,
    )
    _touch(locked, by)
    return event


@transaction.atomic
def record_unified_review(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    note: str = "",
    version: DraftVersion | None = None,
    expected_version: int | None = None,
) -> BillEvent:
    """Record the legislative affairs committee's unified review (统一审议)."""
    locked = _lock(bill, expected_version)
    if not selectors.can_record_unified_review(locked):
        raise TransitionNotAllowed(_("统一审议只能在常委会审议期间进行。"))
    event = BillEvent.objects.create(
        bill=locked,
        kind=EventKind.UNIFIED_REVIEW,
        on=on,
        version=version,
        note=note,
        recorded_by=by,
    )
    _touch(locked, by)
    return event


@transaction.atomic
def request_approval(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the passed regulation was sent to the province for approval."""
    return _move_bill(
        bill=bill,
        to=Stage.APPROVAL_REQUESTED,
        by=by,
        on=on,
        note=note,
        expected_version=expected_version,
    )[1]


@transaction.atomic
def record_approval(
    *,
    bill: Bill,
    approved: bool,
    on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record the provincial Standing Committee's decision on approval."""
    return _move_bill(
        bill=bill,
        to=Stage.APPROVED if approved else Stage.NOT_APPROVED,
        by=by,
        on=on,
        note=note,
        expected_version=expected_version,
    )[1]


@transaction.atomic
def promulgate(
    *,
    bill: Bill,
    on: dt.date,
    announcement_number: str,
    effective_on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record the announcement (公告) that publishes the regulation."""
    if not announcement_number.strip():
        raise TransitionNotAllowed(_("公布须填写公告编号。"))
    if effective_on < on:
        raise TransitionNotAllowed(_("施行日期不能早于公布日期。"))
    locked, event = _move_bill(
        bill=bill,
        to=Stage.PROMULGATED,
        by=by,
        on=on,
        note=note
        or _("公告%(number)s，自%(date)s起施行。")
        % {"number": announcement_number, "date": effective_on},
        expected_version=expected_version,
    )
    locked.announcement_number = announcement_number.strip()
    locked.effective_on = effective_on
    _touch(locked, by, ["announcement_number", "effective_on"])
    return event


@transaction.atomic
def enter_into_force(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the regulation is in force; not before its effective date."""
    current = Bill.objects.get(pk=bill.pk)
    if current.effective_on and on < current.effective_on:
        raise TransitionNotAllowed(
            _("施行日期为%(date)s，尚未到达。") % {"date": current.effective_on}
        )
    return _move_bill(
        bill=bill, to=Stage.IN_FORCE, by=by, on=on, expected_version=expected_version
    )[1]


@transaction.atomic
def withdraw_bill(
    *,
    bill: Bill,
    on: dt.date,
    reason: str,
    by: User | None,
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the sponsor withdrew the bill; possible until the vote."""
    if not reason.strip():
        raise TransitionNotAllowed(_("撤回须说明理由。"))
    return _move_bill(
        bill=bill,
        to=Stage.WITHDRAWN,
        by=by,
        on=on,
        note=reason.strip(),
        expected_version=expected_version,
    )[1]


@transaction.atomic
def terminate_bill(
    *,
    bill: Bill,
    on: dt.date,
    reason: str,
    by: User | None,
    expected_version: int | None = None,
) -> BillEvent:
    """Record that deliberation ended (e.g. shelved for two years, 立法法 art. 45)."""
    if not reason.strip():
        raise TransitionNotAllowed(_("终止审议须说明理由。"))
    return _move_bill(
        bill=bill,
        to=Stage.TERMINATED,
        by=by,
        on=on,
        note=reason.strip(),
        expected_version=expected_version,
    )[1]


@transaction.atomic
def record_filing(
    *,
    bill: Bill,
    on: dt.date,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the regulation was sent for filing (备案), after promulgation."""
    locked = _lock(bill, expected_version)
    if not selectors.can_record_filing(locked):
        raise TransitionNotAllowed(_("公布后才能报送备案，且只报送一次。"))
    event = BillEvent.objects.create(
        bill=locked, kind=EventKind.FILED, on=on, note=note, recorded_by=by
    )
    _touch(locked, by)
    return event


@transaction.atomic
def record_event(
    *,
    bill: Bill,
    kind: EventKind,
    on: dt.date,
    by: User | None,
    note: str = "",
    meeting: Meeting | None = None,
    version: DraftVersion | None = None,
    is_public: bool = True,
) -> BillEvent:
    """
    Append an event that does not change the stage (a consultation opened, a
    document published). Stage-changing kinds are refused: use their services.
    ``is_public`` False keeps it off the public timeline (see
    :func:`show_event`).
    """
    if kind in _EVENT_FOR_STAGE.values() or kind in (EventKind.PLANNED,):
        raise TransitionNotAllowed(_("该事项会改变法规案阶段，请使用相应的操作。"))
    _bills_changed()
    return BillEvent.objects.create(
        bill=bill,
        kind=kind,
        on=on,
        note=note,
        meeting=meeting,
        version=version,
        recorded_by=by,
        is_public=is_public,
    )


def show_event(event_id: int, *, public: bool) -> None:
    """
    Show an event on the public timeline, or take it off, as what it records is
    published or unpublished (a consultation). The entry itself stays.
    """
    if (
        BillEvent.objects.filter(pk=event_id)
        .exclude(is_public=public)
        .update(is_public=public)
    ):
        _bills_changed()


@transaction.atomic
def correct_event(
    *,
    event: BillEvent,
    note: str,
    by: User | None,
    expected_version: int | None = None,
) -> BillEvent:
    """Correct a timeline entry by appending a correction; the entry itself stays."""
    if not note.strip():
        raise TransitionNotAllowed(_("更正须说明更正内容。"))
    locked = _lock(event.bill, expected_version)
    correction = BillEvent.objects.create(
        bill=locked,
        kind=EventKind.CORRECTION,
        on=dt.date.today(),
        corrects=event,
        note=note.strip(),
        recorded_by=by,
    )
    _touch(locked, by)
    return correction


# --- meetings and documents ----------------------------------------------------


@transaction.atomic
def add_document(
    *,
    bill: Bill,
    kind: str,
    title: str,
    on: dt.date,
    by: User | None,
    text: str = "",
    file: Any = None,
    meeting: Meeting | None = None,
    version: DraftVersion | None = None,
    is_published: bool = True,
    expected_version: int | None = None,
) -> Document:
    """Attach a document to a bill; a published one also goes on the timeline."""
    locked = _lock(bill, expected_version)
    document = Document(
        bill=locked,
        kind=kind,
        title=title,
        date=on,
        text=text,
        meeting=meeting,
        version=version,
        stage=locked.stage,
        is_published=is_published,
        created_by=by,
    )
    if file is not None:
        document.file = file
    document.full_clean()
    document.save()
    if is_published:
        BillEvent.objects.create(
            bill=locked,
            kind=EventKind.DOCUMENT_PUBLISHED,
            on=on,
            meeting=meeting,
            version=version,
            note=title,
            recorded_by=by,
        )
    _touch(locked, by)
    return document


# --- draft versions ------------------------------------------------------------


def preview_draft(*, text: str) -> parsing.ParsedDraft:
    """Parse a draft for staff to check before saving; raises InvalidDraft."""
    try:
        parsed = parsing.parse_draft(text)
    except parsing.DraftFormatError as exc:
        raise InvalidDraft(str(exc)) from exc
    if not parsed.articles:
        raise InvalidDraft(_("没有识别出任何条文（应以“第一条”等开头）。"))
    return parsed


def _sides(articles: Iterable[Article]) -> list[comparison.Side]:
    return [comparison.Side(key=a.pk, number=a.number, text=a.text) for a in articles]


@transaction.atomic
def add_draft_version(
    *,
    bill: Bill,
    text: str,
    title: str,
    kind: str,
    on: dt.date,
    by: User | None,
    confirm_numbering: bool = False,
    is_published: bool = False,
    expected_version: int | None = None,
) -> DraftVersion:
    """
    Parse ``text`` and store it as the bill's next version.

    Broken numbering is refused (DraftNumberingProblems, with each problem) unless
    staff confirm it. The new articles are aligned with the previous version's by
    content, so each inherits its lineage; unmatched articles start a new lineage.
    """
    parsed = preview_draft(text=text)
    if parsed.problems and not confirm_numbering:
        raise DraftNumberingProblems(
            _("文本编号有%(count)s处问题，请核对，确认无误后再保存。")
            % {"count": len(parsed.problems)},
            details=[p.message for p in parsed.problems],
        )
    locked = _lock(bill, expected_version)
    previous = locked.versions.order_by("-number").first()
    version = DraftVersion.objects.create(
        bill=locked,
        number=(previous.number + 1) if previous else 1,
        kind=kind,
        title=title,
        date=on,
        preamble=parsed.preamble,
        source_text=text,
        numbering_confirmed=bool(parsed.problems),
        is_published=is_published,
        created_by=by,
    )
    _store_structure(version, parsed)
    if previous is not None:
        _align_with(version, previous)
    event = BillEvent.objects.create(
        bill=locked,
        kind=EventKind.VERSION_ADDED,
        on=on,
        version=version,
        note=title,
        recorded_by=by,
    )
    _touch(locked, by)
    if is_published:
        tasks.notify_followers.delay_on_commit(event.pk)
    return version


def _store_structure(version: DraftVersion, parsed: parsing.ParsedDraft) -> None:
    chapters: dict[int, Chapter] = {}
    for position, division in enumerate(parsed.chapters):
        chapters[division.number] = Chapter.objects.create(
            version=version,
            number=division.number,
            title=division.title,
            position=position,
        )
    sections: dict[tuple[int | None, int], Section] = {}
    for position, division in enumerate(parsed.sections):
        sections[(division.chapter, division.number)] = Section.objects.create(
            version=version,
            chapter=chapters.get(division.chapter),
            number=division.number,
            title=division.title,
            position=position,
        )
    lineages = ArticleLineage.objects.bulk_create(
        [ArticleLineage(bill_id=version.bill_id) for _ in parsed.articles]
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                version=version,
                number=parsed_article.number,
                heading=parsed_article.heading,
                chapter=chapters.get(parsed_article.chapter),
                section=sections.get((parsed_article.chapter, parsed_article.section)),
                position=position,
                text=parsed_article.text,
                lineage=lineage,
            )
            for position, (parsed_article, lineage) in enumerate(
                zip(parsed.articles, lineages, strict=True)
            )
        ]
    )
    paragraphs = Paragraph.objects.bulk_create(
        [
            Paragraph(article=article, position=position, text=paragraph.text)
            for article, parsed_article in zip(articles, parsed.articles, strict=True)
            for position, paragraph in enumerate(parsed_article.paragraphs)
        ]
    )
    flat = [p for a in parsed.articles for p in a.paragraphs]
    Item.objects.bulk_create(
        [
            Item(paragraph=paragraph, number=item.number, text=item.text)
            for paragraph, parsed_paragraph in zip(paragraphs, flat, strict=True)
            for item in parsed_paragraph.items
        ]
    )


def _align_with(version: DraftVersion, previous: DraftVersion) -> None:
    """Give each article of ``version`` the lineage of its match in ``previous``."""
    old = list(previous.articles.all())
    new = list(version.articles.all())
    pairs = comparison.align(_sides(old), _sides(new))
    by_pk = {a.pk: a for a in old}
    orphaned: list[int] = []
    changed: list[Article] = []
    for article in new:
        match = by_pk.get(pairs.get(article.pk))
        if match is None:
            continue
        orphaned.append(article.lineage_id)
        article.lineage_id = match.lineage_id
        article.predecessor = match
        article.similarity = comparison.similarity(match.text, article.text)
        changed.append(article)
    Article.objects.bulk_update(changed, ["lineage", "predecessor", "similarity"])
    ArticleLineage.objects.filter(pk__in=orphaned).delete()


@transaction.atomic
def correct_alignment(
    *,
    article: Article,
    predecessor: Article | None,
    by: User | None,
    expected_version: int | None = None,
) -> Article:
    """
    Say by hand which article of the previous version ``article`` continues
    (or that it is new). Its lineage, and that of its successors, follows.
    The bill's version moves on, so a stale alignment form is refused.
    """
    locked = _lock(article.version.bill, expected_version)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if predecessor is not None:
        if predecessor.version.bill_id != article.version.bill_id or (
            predecessor.version.number >= article.version.number
        ):
            raise InvalidDraft(_("对应条文须为本法规案较早文本中的条文。"))
        taken = Article.objects.filter(
            version=article.version, lineage_id=predecessor.lineage_id
        ).exclude(pk=article.pk)
        if taken.exists():
            # The article that held this lineage becomes a new article.
            for other in taken:
                _relineage(
                    other, ArticleLineage.objects.create(bill_id=other.version.bill_id)
                )
                other.predecessor = None
                other.aligned_by_hand = True
                other.save(update_fields=["predecessor", "aligned_by_hand"])
        lineage = predecessor.lineage
        similarity = comparison.similarity(predecessor.text, article.text)
    else:
        lineage = ArticleLineage.objects.create(bill_id=article.version.bill_id)
        similarity = None
    _relineage(article, lineage)
    article.predecessor = predecessor
    article.similarity = similarity
    article.aligned_by_hand = True
    article.save(update_fields=["predecessor", "similarity", "aligned_by_hand"])
    _touch(locked, by)
    return article


def _relineage(article: Article, lineage: ArticleLineage) -> None:
    """Move ``article`` and the chain of its successors to ``lineage``."""
    chain = [article]
    while chain:
        current = chain.pop()
        Article.objects.filter(pk=current.pk).update(lineage=lineage)
        chain.extend(current.successors.all())
    ArticleLineage.objects.filter(
        bill_id=article.version.bill_id, articles__isnull=True
    ).delete()


@transaction.atomic
def publish_version(
    *,
    version: DraftVersion,
    by: User | None,
    publish: bool = True,
    expected_version: int | None = None,
) -> DraftVersion:
    """Publish (or unpublish) a draft version on the public site."""
    locked = _lock(version.bill, expected_version)
    version.is_published = publish
    version.save(update_fields=["is_published"])
    _touch(locked, by)
    arrival = version.events.filter(kind=EventKind.VERSION_ADDED).order_by("pk").first()
    if publish and arrival is not None:
        # Followers hear of it once, however often it is unpublished and published.
        tasks.notify_followers.delay_on_commit(arrival.pk)
    return version


@transaction.atomic
def advance_bill(
    *,
    bill: Bill,
    to: str,
    by: User | None,
    on: dt.date | None = None,
    meeting: Meeting | None = None,
    version: DraftVersion | None = None,
    note: str = "",
    announcement_number: str = "",
    effective_on: dt.date | None = None,
    expected_version: int | None = None,
) -> BillEvent:
    """
    Move ``bill`` to stage ``to`` through the service that owns that stage.

    One entry point for pages and the API. A reading needs a meeting; the vote has
    its own service (``record_vote``), since its counts decide the stage.
    """
    target = Stage(to)
    common = {"by": by, "expected_version": expected_version}
    if target in READINGS:
        if meeting is None:
            raise TransitionNotAllowed(_("审议须选择常委会会议。"))
        return record_reading(
            bill=bill,
            meeting=meeting,
            version=version,
            note=note,
            reading=target,
            **common,
        )
    if target in (Stage.PASSED, Stage.REJECTED):
        raise TransitionNotAllowed(_("表决结果由表决票数决定，请录入表决。"))
    if on is None:
        raise TransitionNotAllowed(_("请填写日期。"))
    if target == Stage.DRAFTING:
        return start_drafting(bill=bill, on=on, note=note, **common)
    if target == Stage.SUBMITTED:
        return submit_bill(bill=bill, on=on, note=note, **common)
    if target == Stage.APPROVAL_REQUESTED:
        return request_approval(bill=bill, on=on, note=note, **common)
    if target in (Stage.APPROVED, Stage.NOT_APPROVED):
        return record_approval(
            bill=bill, approved=target == Stage.APPROVED, on=on, note=note, **common
        )
    if target == Stage.PROMULGATED:
        if effective_on is None:
            raise TransitionNotAllowed(_("公布须填写施行日期。"))
        return promulgate(
            bill=bill,
            on=on,
            announcement_number=announcement_number,
            effective_on=effective_on,
            note=note,
            **common,
        )
    if target == Stage.IN_FORCE:
        return enter_into_force(bill=bill, on=on, **common)
    if target == Stage.WITHDRAWN:
        return withdraw_bill(bill=bill, on=on, reason=note, **common)
    if target == Stage.TERMINATED:
        return terminate_bill(bill=bill, on=on, reason=note, **common)
    raise TransitionNotAllowed(  # PLANNED: a bill is planned once, when created
        _("法规案不能回到“%(target)s”阶段。") % {"target": target.label}
    )


# The acts on a bill that change no stage, named as ``selectors.next_acts`` names
# them, with a correction of a timeline entry (always possible, so not listed there).
SIDE_ACTS = ("unified_review", "defer_vote", "filing", "planned_readings", "correction")


@transaction.atomic
def record_act(
    *,
    bill: Bill,
    act: str,
    by: User | None,
    expected_version: int | None = None,
    **payload: Any,
) -> BillEvent:
    """
    Record on ``bill`` an act that changes no stage, through the service that owns
    it, and return its timeline event.

    One entry point for pages and the API, as ``advance_bill`` is for stage moves.
    The payload of each act is its service's: ``unified_review`` (on, version,
    note), ``defer_vote`` (meeting, note), ``filing`` (on, note),
    ``planned_readings`` (planned_readings, note), ``correction`` (event, note).
    Whether the act is possible now is for that service to say.
    """
    common = {"bill": bill, "by": by, "expected_version": expected_version}
    note = payload.pop("note", "")
    if act == "unified_review":
        return record_unified_review(note=note, **common, **payload)
    if act == "defer_vote":
        return defer_vote(note=note, **common, **payload)
    if act == "filing":
        return record_filing(note=note, **common, **payload)
    if act == "planned_readings":
        locked = change_planned_readings(note=note, **common, **payload)
        # The event the service has just appended, under the bill's row lock.
        return locked.events.filter(kind=EventKind.PLAN_CHANGED).latest("pk")
    if act == "correction":
        event = payload.pop("event")
        if event.bill_id != bill.pk or payload:
            raise TypeError("A correction takes an event of the same bill and a note.")
        return correct_event(
            event=event, note=note, by=by, expected_version=expected_version
        )
    raise ValueError(f"Unknown act: {act!r}")
