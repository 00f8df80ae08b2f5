"""
The stage machine: every move of a bill along its lifecycle, and the acts beside it.

``_move_bill`` is the only code that writes ``Bill.stage``; stages that imply a
record (a reading, a vote) are reached only through the service that creates it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import tasks
from ..acts import ACT_FOR_STAGE, ACTS, EVENT_FOR_STAGE, SIDE_ACTS, Act
from ..errors import InvalidDraft, MeetingOutOfOrder, TransitionNotAllowed
from ..models import (
    READINGS,
    Bill,
    BillEvent,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
    reading_number,
)
from . import regulations
from ._common import User, _lock, _lock_meeting, _require_staff, _touch

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
        kind=EVENT_FOR_STAGE[to],
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
    _require_staff(by)
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
    _require_staff(by)
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
    _require_staff(by)
    meeting = _lock_meeting(meeting)  # its date as it is now
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
def defer_vote(
    *,
    bill: Bill,
    meeting: Meeting,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> BillEvent:
    """Record that the meeting decided not to put the bill to the vote yet."""
    _require_staff(by)
    meeting = _lock_meeting(meeting)  # its date as it is now
    locked = _lock(bill, expected_version)
    if not ACTS["defer_vote"].possible(locked):
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
    _require_staff(by)
    locked = _lock(bill, expected_version)
    if not ACTS["unified_review"].possible(locked):
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
    _require_staff(by)
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
    _require_staff(by)
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
    _require_staff(by)
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
    regulations.after_promulgation(locked)
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
    _require_staff(by)
    current = Bill.objects.get(pk=bill.pk)
    if current.effective_on and on < current.effective_on:
        raise TransitionNotAllowed(
            _("施行日期为%(date)s，尚未到达。") % {"date": current.effective_on}
        )
    locked, event = _move_bill(
        bill=bill, to=Stage.IN_FORCE, by=by, on=on, expected_version=expected_version
    )
    regulations.after_entry_into_force(locked, on)
    return event


def _end_bill(
    *,
    bill: Bill,
    to: Stage,
    on: dt.date,
    reason: str,
    missing: str,
    by: User | None,
    expected_version: int | None,
) -> BillEvent:
    """End the bill's road (withdrawal, termination), which needs a reason."""
    _require_staff(by)
    if not reason.strip():
        raise TransitionNotAllowed(missing)
    return _move_bill(
        bill=bill,
        to=to,
        by=by,
        on=on,
        note=reason.strip(),
        expected_version=expected_version,
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
    return _end_bill(
        bill=bill,
        to=Stage.WITHDRAWN,
        on=on,
        reason=reason,
        missing=_("撤回须说明理由。"),
        by=by,
        expected_version=expected_version,
    )


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
    return _end_bill(
        bill=bill,
        to=Stage.TERMINATED,
        on=on,
        reason=reason,
        missing=_("终止审议须说明理由。"),
        by=by,
        expected_version=expected_version,
    )


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
    _require_staff(by)
    locked = _lock(bill, expected_version)
    if not ACTS["filing"].possible(locked):
        raise TransitionNotAllowed(_("公布后才能报送备案，且只报送一次。"))
    event = BillEvent.objects.create(
        bill=locked, kind=EventKind.FILED, on=on, note=note, recorded_by=by
    )
    _touch(locked, by)
    return event


def _service(act: Act) -> Callable[..., Any]:
    """Return the service that records ``act`` (named in the act's row)."""
    from .. import services  # the package re-exports every service by name

    return getattr(services, act.service)


def _given(act: Act, inputs: dict[str, Any]) -> dict[str, Any]:
    """Refuse when an input the act needs is missing; return what its service takes."""
    for name, refusal in act.needs:
        if inputs.get(name) is None:
            raise TransitionNotAllowed(str(refusal))
    return {name: inputs[name] for name in act.inputs if name in inputs}


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

    One entry point for pages and the API; which service, and what it needs, is
    the act's row in :data:`legislation.acts.ACTS`. The vote has its own service
    (``record_vote``), since its counts decide the stage.
    """
    _require_staff(by)
    target = Stage(to)
    act = ACT_FOR_STAGE.get(target)
    if act is None:  # PLANNED: a bill is planned once, when created
        raise TransitionNotAllowed(
            _("法规案不能回到“%(target)s”阶段。") % {"target": target.label}
        )
    if act.name == "vote":
        raise TransitionNotAllowed(_("表决结果由表决票数决定，请录入表决。"))
    inputs = {
        "on": on,
        "meeting": meeting,
        "version": version,
        "note": note,
        "reason": note,
        "announcement_number": announcement_number,
        "effective_on": effective_on,
        "reading": target,
        "approved": target == Stage.APPROVED,
    }
    return _service(act)(
        bill=bill, by=by, expected_version=expected_version, **_given(act, inputs)
    )


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
    The payload of each act is what its row in :data:`legislation.acts.ACTS`
    lists as inputs. Whether the act is possible now is for that service to say.
    """
    _require_staff(by)
    if act not in SIDE_ACTS:
        raise ValueError(f"Unknown act: {act!r}")
    row = ACTS[act]
    payload.setdefault("note", "")
    if set(payload) - set(row.inputs):
        raise TypeError(f"{act} takes {row.inputs}, not {sorted(payload)}")
    result = _service(row)(
        bill=bill, by=by, expected_version=expected_version, **_given(row, payload)
    )
    if isinstance(result, BillEvent):
        return result
    # The event the service has just appended, under the bill's row lock.
    return bill.events.filter(kind=row.event).latest("pk")
