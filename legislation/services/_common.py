"""
The plumbing every legislation service shares: who may act, the bill's row lock
and version, and the cache counter that tells the public pages a bill changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from npc.core import replica

from ..acts import may_record
from ..errors import ConcurrentUpdate, NotPermitted
from ..models import Bill, Meeting

User = AbstractBaseUser


def _require_staff(by: User | None) -> None:
    """
    Refuse a user who may not change bills or record acts on them (``may_record``
    in :mod:`legislation.acts`): every service asks it of ``by`` first.
    """
    if not may_record(by):
        raise NotPermitted(_("只有立法工作人员可以修改法规案或记录其进程。"))


def _lock(bill: Bill, expected_version: int | None) -> Bill:
    """Lock ``bill``'s row and refuse if it changed since the caller read it."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    _check_version(locked, expected_version)
    return locked


def _check_version(current: Bill, expected_version: int | None) -> None:
    """Refuse if ``current`` is no longer at the version the caller read."""
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentUpdate(
            _(
                "该法规案已被他人修改（当前版本 %(current)s，您提交的是版本 %(yours)s），"
                "请刷新后重试。"
            )
            % {"current": current.version, "yours": expected_version}
        )


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
# change without asking the database (npc.public.keeping).
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
    # Once more when the read replica, if any, has replayed the change.
    transaction.on_commit(lambda: replica.once_replayed(BILLS_VERSION_KEY, bump))


def _lock_meeting(meeting: Meeting, expected_version: int | None = None) -> Meeting:
    """
    Lock ``meeting``'s row and return it as it is now; refuse if it changed since
    the caller read it. Whatever records something at a meeting locks it first
    (before any bill), so that a correction of its date cannot pass in between.
    """
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentUpdate(
            _(
                "该会议已被他人修改（当前版本 %(current)s，您提交的是版本 %(yours)s），"
                "请刷新后重试。"
            )
            % {"current": locked.version, "yours": expected_version}
        )
    return locked
