"""
Bills and their documents: listing a bill, its details, its planned readings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import selectors
from ..errors import InvalidDraft, TransitionNotAllowed
from ..models import (
    Bill,
    BillEvent,
    Document,
    DraftVersion,
    EventKind,
    Meeting,
    Stage,
    reading_number,
)
from ._common import User, _bills_changed, _lock, _touch

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
