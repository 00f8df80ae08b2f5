"""
The timeline beside the stages: events recorded for other parts, their
visibility, and corrections.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ..acts import EVENT_FOR_STAGE
from ..errors import TransitionNotAllowed
from ..models import Bill, BillEvent, DraftVersion, EventKind, Meeting
from ._common import User, _bills_changed, _lock, _require_staff, _touch


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

    For the other parts of the site (the consultation side) recording what
    they did on a bill's timeline: they have checked who may do it, under their
    own rules (a clerk records a consultation at their point), so ``by`` is not
    asked to be legislative staff here.
    """
    if kind in EVENT_FOR_STAGE.values() or kind in (EventKind.PLANNED,):
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
    bill: Bill | None = None,
) -> BillEvent:
    """
    Correct a timeline entry by appending a correction; the entry itself stays.

    ``bill``, when given, is the bill the caller means; an event of another bill
    is a programming error (TypeError).
    """
    _require_staff(by)
    if bill is not None and event.bill_id != bill.pk:
        raise TypeError("A correction takes an event of the same bill.")
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
