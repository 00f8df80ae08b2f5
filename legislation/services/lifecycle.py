"""
The stage machine: every move of a bill along its lifecycle, and the acts beside it.

``_move_bill`` is the only code that writes ``Bill.stage``; stages that imply a
record (a reading, a vote) are reached only through the service that creates it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import selectors, tasks
from ..errors import InvalidDraft, MeetingOutOfOrder, TransitionNotAllowed
from ..models import (
    READINGS,
    Bill,
    BillEvent,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
    Vote,
    reading_number,
    vote_carries,
)
from ._common import _EVENT_FOR_STAGE, User, _lock, _touch
from .bills import change_planned_readings
from .timeline import correct_event

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
