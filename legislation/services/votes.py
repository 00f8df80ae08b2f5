"""
The vote: what a tally decides against the meeting's members, its preview, and
its record (which passes or rejects the bill).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import MeetingOutOfOrder, TransitionNotAllowed, UndecidedComments
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

# Who counts a bill's undecided comments: the consultation side registers its
# counter (consultation.apps), since this side imports nothing of it.
_undecided_counters: list[Callable[[Bill], int]] = []


def register_undecided_counter(counter: Callable[[Bill], int]) -> None:
    """Add ``counter``, which says how many comments on a bill are undecided."""
    if counter not in _undecided_counters:
        _undecided_counters.append(counter)


def undecided_comments(bill: Bill) -> int:
    """Return how many comments on ``bill`` are still undecided."""
    return sum(counter(bill) for counter in _undecided_counters)


@dataclass(frozen=True)
class VoteResult:
    """What a tally decides against the meeting's members."""

    members: int
    yes: int
    no: int
    abstain: int
    # Comments on the bill still undecided: recording the vote needs a reason.
    undecided: int = 0

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
    return VoteResult(
        members=meeting.members,
        yes=yes,
        no=no,
        abstain=abstain,
        undecided=undecided_comments(bill),
    )


def _check_undecided(result: VoteResult, reason: str) -> str:
    """Refuse a vote over undecided comments without a reason; return the reason."""
    reason = (reason or "").strip()
    if result.undecided and not reason:
        raise UndecidedComments(
            _(
                "该法规案尚有%(count)s条意见未研究处理。请先逐条研究处理，"
                "或者填写表决前未逐条研究的理由（将向公众公开）。"
            )
            % {"count": result.undecided}
        )
    return reason if result.undecided else ""


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
    order, the counts), and how many comments on the bill are undecided (whose
    recording then needs a reason). Writes nothing and moves no cache version.
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
    undecided_reason: str = "",
) -> Vote:
    """
    Record the vote on ``bill`` and pass or reject it accordingly.

    A vote follows the last planned reading, at the same meeting or a later one.
    It passes only with more than half of ALL the meeting's members voting yes.
    Comments on the bill still undecided need ``undecided_reason``, kept on the
    vote with their number: the public reads it on those comments.

    Raises NotPermitted, ConcurrentUpdate, TransitionNotAllowed,
    MeetingOutOfOrder or UndecidedComments.
    """
    _require_staff(by)
    meeting = _lock_meeting(meeting)  # its date and members as they are now
    locked = _lock(bill, expected_version)
    result = _tally(locked, meeting=meeting, yes=yes, no=no, abstain=abstain)
    undecided_reason = _check_undecided(result, undecided_reason)
    carried = result.carried
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
        undecided_comments=result.undecided,
        undecided_reason=undecided_reason,
    )
