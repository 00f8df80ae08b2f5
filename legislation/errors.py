"""Errors the legislative process raises; each has a stable code for the API."""

from rest_framework import status

from npc.core.errors import ConcurrentUpdate, DomainError, NotPermitted

__all__ = [
    "ConcurrentUpdate",
    "DomainError",
    "DraftNumberingProblems",
    "InvalidAttendance",
    "InvalidCorrection",
    "InvalidDraft",
    "MeetingNumberTaken",
    "MeetingOnRecord",
    "MeetingOutOfOrder",
    "MembersBelowTally",
    "NotPermitted",
    "TransitionNotAllowed",
    "UndecidedComments",
]


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    http_status = status.HTTP_409_CONFLICT


class MeetingOutOfOrder(DomainError):
    code = "meeting_out_of_order"


class InvalidDraft(DomainError):
    code = "invalid_draft"


class DraftNumberingProblems(DomainError):
    """The draft's numbering is broken; staff must confirm to save it anyway."""

    code = "draft_numbering_problems"


class MeetingOnRecord(DomainError):
    """
    The meeting carries the record (a reading, review or vote refers to it): its
    date and number change only through a correction with a reason.
    """

    code = "meeting_on_record"
    http_status = status.HTTP_409_CONFLICT


class MembersBelowTally(DomainError):
    """Fewer members (or members present) than a vote recorded at the meeting counted."""

    code = "members_below_tally"
    http_status = status.HTTP_409_CONFLICT


class MeetingNumberTaken(DomainError):
    """Another meeting of the term has the number."""

    code = "conflict"
    http_status = status.HTTP_409_CONFLICT


class InvalidAttendance(DomainError):
    code = "invalid_attendance"


class InvalidCorrection(DomainError):
    """A correction without a reason, or one that changes nothing."""

    code = "invalid_correction"


class UndecidedComments(DomainError):
    """
    Comments on the bill are still undecided at its vote: decide them first, or
    give the reason they were not, which the public then reads on them.
    """

    code = "undecided_comments"
    http_status = status.HTTP_409_CONFLICT
