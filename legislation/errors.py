"""Errors the legislative process raises; each has a stable code for the API."""

from rest_framework import status

from npc.core.errors import ConcurrentUpdate, DomainError, NotPermitted

__all__ = [
    "ConcurrentUpdate",
    "DomainError",
    "DraftNumberingProblems",
    "InvalidDraft",
    "MeetingOutOfOrder",
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


class UndecidedComments(DomainError):
    """
    Comments on the bill are still undecided at its vote: decide them first, or
    give the reason they were not, which the public then reads on them.
    """

    code = "undecided_comments"
    http_status = status.HTTP_409_CONFLICT
