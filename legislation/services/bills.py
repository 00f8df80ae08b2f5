"""
Bills and their documents: listing a bill, its details, its planned readings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..acts import ACTS
from ..errors import InvalidDraft, TransitionNotAllowed
from ..models import (
    BILL_EDITABLE_FIELDS,
    Bill,
    BillEvent,
    Document,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
    reading_number,
)
from ._common import User, _bills_changed, _lock, _require_staff, _touch

EDITABLE_FIELDS = frozenset(BILL_EDITABLE_FIELDS)


def _unique_slug(title: str, plan_year: int) -> str:
    """
    An ASCII slug for a bill given none: the Latin words of its title, if any,
    else its plan year and sequence in that year (``2026-03``). A Chinese title
    would make a percent-encoded URL, and romanising it (pinyin) needs a
    dictionary the project does not carry; year and sequence stay short,
    readable aloud and true when the title changes.
    """
    words = slugify(title)[:150].strip("-")
    if words and not words.isdigit():
        slug, n = words, 2
        while Bill.objects.filter(slug=slug).exists():
            slug, n = f"{words}-{n}", n + 1
        return slug
    n = Bill.objects.filter(slug__startswith=f"{plan_year}-").count() + 1
    while Bill.objects.filter(slug=f"{plan_year}-{n:02d}").exists():
        n += 1
    return f"{plan_year}-{n:02d}"


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
    _require_staff(by)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if not 1 <= planned_readings <= 3:
        raise InvalidDraft(_("计划审议次数应为一至三次。"))
    slug = fields.pop("slug", "") or _unique_slug(title, plan_year)
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
    *,
    bill: Bill,
    by: User | None,
    expected_version: int | None,
    planned_readings: int | None = None,
    **changes: Any,
) -> Bill:
    """
    Change a bill's details (not its stage) and note the change on its timeline.

    ``planned_readings``, when given and different, changes under the same lock
    and with the same rules as :func:`change_planned_readings`, so that a form
    changing both saves both or neither. Raises NotPermitted, TransitionNotAllowed
    (the readings), ConcurrentUpdate when someone else changed the bill since
    ``expected_version`` was read.
    """
    _require_staff(by)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = _lock(bill, expected_version)
    if planned_readings is not None and planned_readings != locked.planned_readings:
        _plan_readings(locked, planned_readings=planned_readings, by=by)
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
    _require_staff(by)
    locked = _lock(bill, expected_version)
    _plan_readings(locked, planned_readings=planned_readings, by=by, note=note)
    return locked


def _plan_readings(
    locked: Bill, *, planned_readings: int, by: User | None, note: str = ""
) -> None:
    """Change the readings planned of a locked bill and note it on the timeline."""
    if not 1 <= planned_readings <= 3:
        raise TransitionNotAllowed(_("计划审议次数应为一至三次。"))
    if not ACTS["planned_readings"].possible(locked):
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
    _require_staff(by)
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


# What may be put right in an attached document; its bill, kind and stage stay.
DOCUMENT_FIELDS = frozenset(
    {"title", "date", "text", "file", "meeting", "version", "is_published"}
)


@transaction.atomic
def update_document(
    *,
    document: Document,
    by: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Document:
    """
    Put right an attached document (its wording, date, file, publication).

    Goes on the timeline as add_document does: publishing it now is a published
    document; any other change is noted for staff. The bill's version moves on,
    so the public pages show the change. Raises NotPermitted, ConcurrentUpdate.
    """
    _require_staff(by)
    unknown = set(changes) - DOCUMENT_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    locked = _lock(document.bill, expected_version)
    current = Document.objects.select_for_update().get(pk=document.pk)
    changed = [
        name for name, value in changes.items() if getattr(current, name) != value
    ]
    if not changed:
        return current
    was_published = current.is_published
    for name in changed:
        setattr(current, name, changes[name])
    current.full_clean()
    current.save(update_fields=changed)
    if current.is_published and not was_published:
        kind, note = EventKind.DOCUMENT_PUBLISHED, current.title
    else:
        labels = "、".join(
            str(Document._meta.get_field(n).verbose_name) for n in changed
        )
        kind = EventKind.DETAILS_CHANGED
        note = _("修改了文件“%(title)s”：%(fields)s") % {
            "title": current.title,
            "fields": labels,
        }
    BillEvent.objects.create(
        bill=locked,
        kind=kind,
        on=current.date if kind == EventKind.DOCUMENT_PUBLISHED else dt.date.today(),
        meeting=current.meeting,
        version=current.version,
        note=note,
        recorded_by=by,
    )
    _touch(locked, by)
    return current
