"""
Every write to the legislation side that carries a rule or a side effect.

Each service is keyword-only, runs in one transaction, locks the bill it changes
and appends the change to the bill's timeline. The modules hold one concept each:
``bills`` (a bill's details, planned readings and documents), ``lifecycle`` (the
stage machine and the acts beside it), ``votes`` (the tally, its preview and
its record), ``timeline`` (events recorded for other
parts, their visibility, corrections), ``versions`` (draft texts and their
articles), ``meetings`` (meetings on record, their corrections and attendance). Callers import from here.
"""

from ..acts import SIDE_ACTS
from ..errors import (
    ConcurrentUpdate,
    DraftNumberingProblems,
    InvalidDraft,
    MeetingOutOfOrder,
    TransitionNotAllowed,
)
from ._common import BILLS_VERSION_KEY
from .bills import (
    DOCUMENT_FIELDS,
    EDITABLE_FIELDS,
    add_document,
    change_planned_readings,
    create_bill,
    update_bill,
    update_document,
)
from .lifecycle import (
    advance_bill,
    defer_vote,
    enter_into_force,
    promulgate,
    record_act,
    record_approval,
    record_filing,
    record_reading,
    record_unified_review,
    request_approval,
    start_drafting,
    submit_bill,
    terminate_bill,
    withdraw_bill,
)
from .meetings import (
    MEETING_FIELDS,
    correct_meeting,
    create_meeting,
    largest_tally,
    on_record,
    record_attendance,
    update_meeting,
)
from .regulations import name_regulation, record_earlier_regulation
from .timeline import correct_event, record_event, show_event
from .versions import (
    add_draft_version,
    correct_alignment,
    preview_draft,
    publish_version,
)
from .votes import (
    VoteResult,
    preview_vote,
    record_vote,
    register_undecided_counter,
    undecided_comments,
)

__all__ = [
    "name_regulation",
    "record_earlier_regulation",
    "BILLS_VERSION_KEY",
    "MEETING_FIELDS",
    "DOCUMENT_FIELDS",
    "EDITABLE_FIELDS",
    "SIDE_ACTS",
    "ConcurrentUpdate",
    "DraftNumberingProblems",
    "InvalidDraft",
    "MeetingOutOfOrder",
    "TransitionNotAllowed",
    "VoteResult",
    "add_document",
    "add_draft_version",
    "advance_bill",
    "change_planned_readings",
    "correct_alignment",
    "correct_event",
    "correct_meeting",
    "create_meeting",
    "create_bill",
    "defer_vote",
    "enter_into_force",
    "largest_tally",
    "on_record",
    "preview_draft",
    "preview_vote",
    "promulgate",
    "publish_version",
    "record_act",
    "record_approval",
    "record_attendance",
    "record_event",
    "record_filing",
    "record_reading",
    "record_unified_review",
    "record_vote",
    "register_undecided_counter",
    "request_approval",
    "show_event",
    "start_drafting",
    "submit_bill",
    "terminate_bill",
    "update_bill",
    "update_document",
    "update_meeting",
    "undecided_comments",
    "withdraw_bill",
]
