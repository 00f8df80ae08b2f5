"""
Errors the consultation side raises; each has a stable ``code`` for the API.

Pages show ``message``; the API answers ``{"code": …, "detail": …}`` with the
class's HTTP status (see :mod:`npc.core.errors`).
"""

from rest_framework import status

from npc.core.errors import ConcurrentUpdate, DomainError, NotPermitted

__all__ = [
    "ConcurrentUpdate",
    "CommentingClosed",
    "ArticlesNotFound",
    "CommentsNotFound",
    "ConsultationClosed",
    "ConsultationFrozen",
    "DomainError",
    "ImportRejected",
    "InvalidComment",
    "InvalidConsultation",
    "InvalidDecision",
    "InvalidDocument",
    "InvalidFeedback",
    "InvalidReopening",
    "InvalidTextLink",
    "NotPermitted",
]


class InvalidConsultation(DomainError):
    """The consultation's bill, version, channel, point or dates do not fit."""

    code = "invalid_consultation"


class ConsultationFrozen(DomainError):
    """A consultation with comments keeps its bill, version, channel and point."""

    code = "consultation_frozen"
    http_status = status.HTTP_409_CONFLICT


class CommentingClosed(DomainError):
    """No online comment period of the bill is open today."""

    code = "commenting_closed"
    http_status = status.HTTP_409_CONFLICT


class ConsultationClosed(DomainError):
    """
    The consultation has closed (its end date, or with none the vote on its bill,
    has passed) and staff have not reopened it: no comment enters it.
    """

    code = "consultation_closed"
    http_status = status.HTTP_409_CONFLICT


class InvalidReopening(DomainError):
    """A reopening without a reason, or until a day already past."""

    code = "invalid_reopening"


class InvalidComment(DomainError):
    """The comment's text, article or contributor details do not fit."""

    code = "invalid_comment"


class InvalidDecision(DomainError):
    """The decision lacks a reason or explanation, or a duplicate points wrongly."""

    code = "invalid_decision"


class InvalidFeedback(DomainError):
    """The feedback covers no comment, or comes from an impossible date."""

    code = "invalid_feedback"


class ArticlesNotFound(DomainError):
    """Articles chosen by id do not exist: not found, not malformed."""

    code = "article_not_found"
    http_status = status.HTTP_404_NOT_FOUND


class CommentsNotFound(DomainError):
    """Comments chosen by id do not exist (any more): not found, not malformed."""

    code = "comment_not_found"
    http_status = status.HTTP_404_NOT_FOUND


class ImportRejected(DomainError):
    """The uploaded file cannot be imported at all (type, size, empty)."""

    code = "import_rejected"


class InvalidTextLink(DomainError):
    """
    An adoption names a place in the text that cannot be: a version dated before
    the comment or not later than the one commented on, another bill's article,
    a link for a comment not adopted, or no place and no word why.
    """

    code = "invalid_text_link"


class InvalidDocument(DomainError):
    """A document asked for in a kind or format that does not exist."""

    code = "invalid_document"
