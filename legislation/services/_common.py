"""
The plumbing every legislation service shares: the bill's row lock and version,
and the cache counter that tells the public pages a bill changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..errors import ConcurrentUpdate
from ..models import Bill, EventKind, Stage

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
