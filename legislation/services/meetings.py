"""
Meetings of the Standing Committee: the one home of the rules that keep a meeting
true to the record made at it.

A meeting that carries the record (a reading, review or vote, or any timeline
entry, refers to it) is frozen: its term, number and date change only through
:func:`correct_meeting`, which needs a reason, moves the timeline entries that
show its date and refuses a correction that would put a bill's readings out of
order. Its number of members never drops below a tally recorded at it. Pages,
the API and the admin all write meetings here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from npc.core.history import bulk_create_history

from ..errors import (
    InvalidAttendance,
    InvalidCorrection,
    MeetingNumberTaken,
    MeetingOnRecord,
    MeetingOutOfOrder,
    MembersBelowTally,
)
from ..models import (
    Attendance,
    Bill,
    BillEvent,
    CommitteeMember,
    EventKind,
    Meeting,
    MeetingCorrection,
    Vote,
)
from ._common import User, _bills_changed, _lock_meeting, _require_staff, _touch

# The fields a meeting is made of; the first three name it and date the record.
MEETING_FIELDS = ("term", "number", "date", "members", "place")
FROZEN_FIELDS = ("term", "number", "date")

# The entries that put a bill before a meeting (see lifecycle._DELIBERATIONS):
# a reading must come at a later meeting than every one before it; a vote or a
# deferral not at an earlier one.
_READINGS = (EventKind.READING,)
_DELIBERATIONS = (EventKind.READING, EventKind.VOTE, EventKind.VOTE_DEFERRED)


def on_record(meeting: Meeting) -> bool:
    """Say whether a timeline entry or a vote refers to ``meeting``."""
    return (
        BillEvent.objects.filter(meeting=meeting).exists()
        or Vote.objects.filter(meeting=meeting).exists()
    )


def largest_tally(meeting: Meeting) -> int:
    """Return the most votes cast (yes, no, abstain) in a vote at ``meeting``, or 0."""
    counted = Vote.objects.filter(meeting=meeting).aggregate(
        most=Max(F("yes") + F("no") + F("abstain"))
    )["most"]
    return counted or 0


def _check_members(meeting: Meeting, members: int) -> None:
    tally = largest_tally(meeting)
    if members < tally:
        raise MembersBelowTally(
            _(
                "该会议的表决已记录 %(tally)s 票，组成人员总数不能少于 %(tally)s"
                "（您填写的是 %(members)s）。"
            )
            % {"tally": tally, "members": members}
        )
    recorded = meeting.attendance.count()
    if members < recorded:
        raise MembersBelowTally(
            _("该会议已记录 %(count)s 名组成人员的出席情况，总数不能少于此数。")
            % {"count": recorded}
        )


def _check_number_free(meeting: Meeting, term: int, number: int) -> None:
    taken = Meeting.objects.filter(term=term, number=number).exclude(pk=meeting.pk)
    if taken.exists():
        raise MeetingNumberTaken(
            _("第%(term)s届第%(number)s次会议已经存在。")
            % {"term": term, "number": number}
        )


def _save(meeting: Meeting, fields: list[str]) -> Meeting:
    meeting.version = F("version") + 1
    meeting.save(update_fields=[*fields, "version"])
    meeting.refresh_from_db()
    # Bill pages show the meeting's name and date: they must show the change.
    _bills_changed()
    return meeting


@transaction.atomic
def create_meeting(
    *,
    by: User | None,
    term: int,
    number: int,
    date: dt.date,
    members: int,
    place: str = "",
) -> Meeting:
    """Add a meeting; another meeting of the term with the number is refused."""
    _require_staff(by)
    meeting = Meeting(term=term, number=number, date=date, members=members)
    meeting.place = place.strip()
    _check_number_free(meeting, term, number)
    meeting.full_clean()
    meeting.save()
    _bills_changed()
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    by: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Meeting:
    """
    Change a meeting's details (``MEETING_FIELDS``; only those that differ count).

    Refused (MeetingOnRecord, 409) when the meeting carries the record and its
    term, number or date would change: that is a correction
    (:func:`correct_meeting`). Refused (MembersBelowTally, 409) when its members
    would drop below a tally recorded at it. Nothing is written when refused.
    """
    _require_staff(by)
    if unknown := set(changes) - set(MEETING_FIELDS):
        raise TypeError(f"update_meeting does not change {sorted(unknown)}")
    locked = _lock_meeting(meeting, expected_version)
    if "place" in changes:
        changes["place"] = (changes["place"] or "").strip()
    changed = {k: v for k, v in changes.items() if getattr(locked, k) != v}
    frozen = [name for name in FROZEN_FIELDS if name in changed]
    if frozen and on_record(locked):
        labels = "、".join(
            str(Meeting._meta.get_field(name).verbose_name) for name in frozen
        )
        raise MeetingOnRecord(
            _(
                "%(meeting)s已有审议或表决记录，%(fields)s不能直接修改；"
                "确有错误的，请通过“更正会议”说明理由后更正。"
            )
            % {"meeting": locked.short_name, "fields": labels}
        )
    if "members" in changed:
        _check_members(locked, changed["members"])
    if "term" in changed or "number" in changed:
        _check_number_free(
            locked,
            changed.get("term", locked.term),
            changed.get("number", locked.number),
        )
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["version"], validate_unique=False)
    return _save(locked, list(changed))


def _check_timeline(bill: Bill, meeting: Meeting, old: dt.date, new: dt.date) -> None:
    """
    Refuse a new date for ``meeting`` that would break ``bill``'s timeline: each
    reading at a later meeting than every earlier reading, vote or deferral; no
    vote or deferral at an earlier meeting than those; no stage reached on an
    earlier day than the stage before it.
    """
    events = list(
        BillEvent.objects.filter(bill=bill)
        .select_related("meeting")
        .order_by("pk")
        .only("kind", "on", "to_stage", "from_stage", "meeting__date", "meeting_id")
    )
    latest_meeting: dt.date | None = None
    latest_stage: dt.date | None = None
    for event in events:
        on = new if event.meeting_id == meeting.pk and event.on == old else event.on
        if event.meeting_id and event.kind in _DELIBERATIONS:
            held = new if event.meeting_id == meeting.pk else event.meeting.date
            if latest_meeting is not None and (
                held < latest_meeting
                or (event.kind in _READINGS and held == latest_meeting)
            ):
                raise MeetingOutOfOrder(
                    _(
                        "更正后，《%(bill)s》在%(held)s的%(kind)s将不晚于此前"
                        "%(previous)s的审议，审议顺序不能颠倒，更正未保存。"
                    )
                    % {
                        "bill": bill.title,
                        "held": held,
                        "kind": event.get_kind_display(),
                        "previous": latest_meeting,
                    }
                )
            latest_meeting = max(held, latest_meeting or held)
        if event.to_stage and event.to_stage != event.from_stage:
            if latest_stage is not None and on < latest_stage:
                raise MeetingOutOfOrder(
                    _(
                        "更正后，《%(bill)s》的“%(kind)s”（%(on)s）将早于上一阶段的"
                        "日期 %(last)s，更正未保存。"
                    )
                    % {
                        "bill": bill.title,
                        "kind": event.get_kind_display(),
                        "on": on,
                        "last": latest_stage,
                    }
                )
            latest_stage = max(on, latest_stage or on)


@transaction.atomic
def correct_meeting(
    *,
    meeting: Meeting,
    reason: str,
    by: User | None,
    date: dt.date | None = None,
    number: int | None = None,
    expected_version: int | None = None,
) -> MeetingCorrection:
    """
    Correct the date or number of a meeting, with the reason, and keep the
    record consistent.

    The timeline entries that show the meeting's date move with it, and each
    bill concerned gets a correction entry saying what changed and why. A new
    date that would put a bill's readings out of order, or a stage before the
    one it follows, is refused (MeetingOutOfOrder); so is a number another
    meeting of the term has. Nothing is written when refused.
    """
    _require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidCorrection(_("更正会议须说明理由。"))
    locked = _lock_meeting(meeting, expected_version)
    new_date = date or locked.date
    new_number = number or locked.number
    if new_date == locked.date and new_number == locked.number:
        raise InvalidCorrection(_("更正后的日期和会次与现在相同，无需更正。"))
    if new_number != locked.number:
        _check_number_free(locked, locked.term, new_number)
    old_date, old_number = locked.date, locked.number
    bill_ids = sorted(
        set(BillEvent.objects.filter(meeting=locked).values_list("bill_id", flat=True))
        | set(Vote.objects.filter(meeting=locked).values_list("bill_id", flat=True))
    )
    # Bills after the meeting, in one order: the same as every service's.
    bills = list(
        Bill.objects.select_for_update().filter(pk__in=bill_ids).order_by("pk")
    )
    if new_date != old_date:
        for bill in bills:
            _check_timeline(bill, locked, old_date, new_date)
    correction = MeetingCorrection.objects.create(
        meeting=locked,
        old_date=old_date,
        new_date=new_date,
        old_number=old_number,
        new_number=new_number,
        reason=reason,
        corrected_by=by,
    )
    locked.date, locked.number = new_date, new_number
    _save(locked, ["date", "number"])
    what = _correction_note(locked, old_date, old_number, reason)
    for bill in bills:
        moved = BillEvent.objects.filter(bill=bill, meeting=locked, on=old_date)
        first = (
            moved.order_by("pk").first()
            or bill.events.filter(meeting=locked).order_by("pk").first()
        )
        moved.update(on=new_date)
        BillEvent.objects.create(
            bill=bill,
            kind=EventKind.CORRECTION,
            on=timezone.localdate(),
            meeting=locked,
            corrects=first,
            note=what,
            recorded_by=by,
        )
        _touch(bill, by)
    return correction


def _correction_note(
    meeting: Meeting, old_date: dt.date, old_number: int, reason: str
) -> str:
    parts = []
    if meeting.date != old_date:
        parts.append(
            _("会议日期由 %(old)s 更正为 %(new)s")
            % {"old": old_date, "new": meeting.date}
        )
    if meeting.number != old_number:
        parts.append(
            _("会次由第%(old)s次更正为第%(new)s次")
            % {"old": old_number, "new": meeting.number}
        )
    return _("%(meeting)s：%(what)s。理由：%(reason)s") % {
        "meeting": meeting.short_name,
        "what": "；".join(parts),
        "reason": reason,
    }


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    by: User | None,
    statuses: Mapping[int, str],
    expected_version: int | None = None,
) -> list[Attendance]:
    """
    Record who of the term's roster attended ``meeting``: ``statuses`` maps a
    member's id to an ``Attendance.Status``; members left out are not recorded.
    Replaces what was recorded before; an empty mapping clears it.

    Optional beside the numbers: a vote's tally still needs only the number, but
    once attendance is recorded it cannot show fewer present than a tally
    counted, nor more members than the meeting has.
    """
    _require_staff(by)
    locked = _lock_meeting(meeting, expected_version)
    valid = set(Attendance.Status.values)
    if bad := {s for s in statuses.values() if s not in valid}:
        raise InvalidAttendance(
            _("无效的出席情况：%(values)s。") % {"values": "、".join(sorted(bad))}
        )
    members = {
        m.pk: m
        for m in CommitteeMember.objects.filter(term=locked.term, pk__in=statuses)
    }
    if unknown := set(statuses) - set(members):
        raise InvalidAttendance(
            _("编号为 %(ids)s 的人员不是第%(term)s届常委会组成人员。")
            % {"ids": "、".join(map(str, sorted(unknown))), "term": locked.term}
        )
    if len(statuses) > locked.members:
        raise InvalidAttendance(
            _("记录了 %(count)s 人的出席情况，超过组成人员总数 %(members)s。")
            % {"count": len(statuses), "members": locked.members}
        )
    present = sum(1 for s in statuses.values() if s == Attendance.Status.PRESENT)
    tally = largest_tally(locked)
    if statuses and present < tally:
        raise MembersBelowTally(
            _(
                "该会议的表决已记录 %(tally)s 票，出席人数不能少于此数（现为 %(present)s）。"
            )
            % {"tally": tally, "present": present}
        )
    locked.attendance.all().delete()
    rows = bulk_create_history(
        [
            Attendance(meeting=locked, member=members[pk], status=status)
            for pk, status in statuses.items()
        ],
        Attendance,
        by=by,
    )
    _save(locked, [])
    return rows
