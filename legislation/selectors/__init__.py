"""
Reads of the legislation side, each shaped for one page or endpoint.

Every selector runs a fixed number of queries, whatever the size of the bill.

The modules hold one concept each: ``bills`` (lists of bills), ``events`` (a
bill's timeline and the feeds), ``status`` (where a bill stands, in words),
``meetings`` (meetings and votes), ``documents``, ``versions`` (a version's text
and outline), ``comparisons`` (two versions compared). Callers import from here.
"""

from ..acts import next_acts as next_acts  # the staff pages ask here
from .bills import (
    bills_in_progress,
    public_bill_list,
    regulations_passed_years,
    staff_bills,
    stage_counts,
    visible_bills,
)
from .comparisons import (
    NoSuchVersion,
    VersionComparison,
    compare_versions,
    comparison_summary,
    version_comparison,
)
from .documents import bill_documents, public_documents, visible_documents
from .events import public_events, timeline, with_public_timeline
from .history import bill_changes, meeting_changes, version_changes
from .meetings import (
    AgendaItem,
    bill_votes,
    meeting_agenda,
    meeting_agendas,
    meeting_attendance,
    meeting_corrections,
    meeting_list,
    meeting_terms,
    meeting_years,
    meetings_in_year,
    recent_meetings,
    term_roster,
    upcoming_meetings,
)
from .status import BillStatus, KeyDate, ProgressStep, bill_status
from .versions import (
    OutlineNode,
    outline,
    text_outline,
    version_alignment,
    version_text,
    visible_versions,
)

__all__ = [
    "AgendaItem",
    "bill_changes",
    "meeting_changes",
    "version_changes",
    "BillStatus",
    "KeyDate",
    "NoSuchVersion",
    "OutlineNode",
    "ProgressStep",
    "VersionComparison",
    "bill_documents",
    "bill_status",
    "bill_votes",
    "bills_in_progress",
    "compare_versions",
    "comparison_summary",
    "meeting_agenda",
    "meeting_agendas",
    "meeting_attendance",
    "meeting_corrections",
    "meeting_list",
    "meeting_terms",
    "meeting_years",
    "meetings_in_year",
    "next_acts",
    "outline",
    "public_bill_list",
    "public_documents",
    "public_events",
    "recent_meetings",
    "regulations_passed_years",
    "stage_counts",
    "staff_bills",
    "term_roster",
    "text_outline",
    "timeline",
    "upcoming_meetings",
    "version_alignment",
    "version_comparison",
    "version_text",
    "visible_bills",
    "visible_documents",
    "visible_versions",
    "with_public_timeline",
]
