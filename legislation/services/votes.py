"""
The vote: what a tally decides against the meeting's members, its preview, and
its record (which passes or rejects the bill).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import MeetingOutOfOrder, TransitionNotAllowed
from ..models import (
    Bill,
    DraftVersion,
    Meeting,
    Stage,
    Vote,
    vote_carries,
    votes_needed,
)
from ._common import User, _check_version, _lock, _lock_meeting, _require_staff
from .lifecycle import _last_meeting_date, _move_bill


@dataclass(frozen=True)
class VoteResult:
    """What a tally decides against the meeting's members."""

    members: int
    yes: int
    no: int
    abstain: int

    @property
    def carried(self) -> bool:
        return vote_carries(yes=self.yes, members=self.members)

    @property
    def needed(self) -> int:
        return votes_needed(self.members)

    @property
    def not_voting(self) -> int:
        return self.members - self.yes - self.no - self.abstain


def _tally(
    bill: Bill, *, meeting: Meeting, yes: int, no: int, abstain: int
) -> VoteResult:
    """
    Refuse a vote that ``bill`` or the tally does not allow, and return what the
    tally decides: more than half of ALL the meeting's members voting yes passes.

    Reads only: ``record_vote`` records what it returns, ``preview_vote`` shows it.
    """
    if not bill.can_move_to(Stage.PASSED):
        raise TransitionNotAllowed(
            _("处于“%(current)s”阶段的法规案不能付表决（计划审议%(planned)s次）。")
            % {
                "current": bill.get_stage_display(),
                "planned": bill.planned_readings,
            }
        )
    if min(yes, no, abstain) < 0 or yes + no + abstain > meeting.members:
        raise TransitionNotAllowed(
            _(
                "赞成、反对、弃权票数之和（%(total)s）不能超过组成人员总数%(members)s人。"
            )
            % {"total": yes + no + abstain, "members": meeting.members}
        )
    previous = _last_meeting_date(bill)
    if previous and meeting.date < previous:
        raise MeetingOutOfOrder(
            _("表决不能早于最后一次审议（%(previous)s）。") % {"previous": previous}
        )
    return VoteResult(members=meeting.members, yes=yes, no=no, abstain=abstain)


def preview_vote(
    *,
    bill: Bill,
    meeting: Meeting,
    yes: int,
    no: int,
    abstain: int,
    by: User | None,
    expected_version: int | None = None,
) -> VoteResult:
    """
    Say what recording this vote would decide, refusing exactly what
    ``record_vote`` would refuse (who, the bill's version and stage, the meeting's
    order, the counts). Writes nothing and moves no cache version.
    """
    _require_staff(by)
    current = Bill.objects.get(pk=bill.pk)
    _check_version(current, expected_version)
    return _tally(current, meeting=meeting, yes=yes, no=no, abstain=abstain)


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
    _require_staff(by)
    meeting = _lock_meeting(meeting)  # its date and members as they are now
    locked = _lock(bill, expected_version)
    carried = _tally(locked, meeting=meeting, yes=yes, no=no, abstain=abstain).carried
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
