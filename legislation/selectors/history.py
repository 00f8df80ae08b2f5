"""What changed in a bill, its documents, a version's metadata or a meeting: "修改记录"."""

from __future__ import annotations

from npc.core.history import Entry, changes

from ..models import Bill, Document, DraftVersion, Meeting

# The most recent changes a page shows; the admin's history has them all.
LIMIT = 200

# Counters and stamps that change with every save: not a change anyone made.
BILL_SKIP = ("version", "updated_by", "created_at", "created_by")


def bill_changes(bill: Bill) -> list[Entry]:
    """The changes of ``bill``'s fields and of its documents, newest first."""
    rows = [
        *bill.history.select_related("history_user")[:LIMIT],
        *Document.history.filter(bill_id=bill.pk).select_related("history_user")[
            :LIMIT
        ],
    ]
    return changes(
        rows,
        skip=(*BILL_SKIP, "bill"),
        label=lambda row: (
            str(row.instance_type._meta.verbose_name)
            + ("" if row.instance_type is Bill else f"：{row.title}")
        ),
    )[:LIMIT]


def version_changes(version: DraftVersion) -> list[Entry]:
    """The changes of a version's metadata (its text is never rewritten)."""
    rows = version.history.select_related("history_user")[:LIMIT]
    return changes(rows, skip=("bill", "created_by", "created_at"))


def meeting_changes(meeting: Meeting) -> list[Entry]:
    return changes(meeting.history.select_related("history_user")[:LIMIT])
