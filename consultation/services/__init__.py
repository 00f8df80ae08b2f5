"""
Every write on the consultation side that carries a rule or a side effect.

Each service is keyword-only and typed, takes the acting user as ``by``, checks
that ``by`` may do the act (:mod:`consultation.access`) and refuses with
:class:`~consultation.errors.NotPermitted` otherwise, runs in one transaction
and locks the rows it changes. Comments and consultations carry a ``revision``:
a writer that read an older one gets :class:`ConcurrentUpdate` and nothing is
written. Decisions are appended to :class:`DecisionRecord`, never overwritten.

One module per concept: :mod:`.consultations`, :mod:`.closing` (when a
consultation accepts comments: ``ensure_accepting``), :mod:`.comments`,
:mod:`.decisions` (and feedback), :mod:`.imports` and :mod:`.public` (comments
made by the public online, and their moderation). Call them through this
package (``services.enter_comment(...)``).
"""

from ..models import ADOPTING
from .closing import (
    Closing,
    closing_of,
    ensure_accepting,
    is_accepting,
    move_comment,
    reopen_consultation,
)
from .comments import (
    COMMENT_FIELDS,
    CONTRIBUTOR_FIELDS,
    MAX_TEXT_LENGTH,
    edit_comment,
    enter_comment,
)
from .consultations import (
    CONSULTATION_FIELDS,
    FROZEN_WITH_COMMENTS,
    open_online_period,
    record_consultation,
    update_consultation,
)
from .decisions import decide_comment, decide_comments, record_feedback
from .documents import build_document, request_document
from .imports import IMPORT_TYPES, abandon_import, run_import, start_import
from .links import link_comments
from .public import moderate_comments, submit_public_comment

__all__ = [
    "ADOPTING",
    "Closing",
    "COMMENT_FIELDS",
    "CONSULTATION_FIELDS",
    "CONTRIBUTOR_FIELDS",
    "FROZEN_WITH_COMMENTS",
    "IMPORT_TYPES",
    "MAX_TEXT_LENGTH",
    "abandon_import",
    "closing_of",
    "ensure_accepting",
    "is_accepting",
    "move_comment",
    "reopen_consultation",
    "build_document",
    "decide_comment",
    "decide_comments",
    "edit_comment",
    "link_comments",
    "enter_comment",
    "moderate_comments",
    "open_online_period",
    "record_consultation",
    "record_feedback",
    "request_document",
    "run_import",
    "start_import",
    "submit_public_comment",
    "update_consultation",
]
