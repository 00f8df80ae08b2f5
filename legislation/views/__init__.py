"""
Staff pages of the legislation side: parse the request, call a service or a
selector, present the result.

Every act on a bill is one form page whose POST calls one service with the bill's
version as the page showed it. A service that refuses (``DomainError``) changes
nothing; the page shows its reason, and a conflict with someone else's change
says so and offers a reload.
"""

from .acts import (
    AdvanceView,
    ApprovalDecisionView,
    ApprovalRequestView,
    BillActView,
    CorrectionView,
    DeferVoteView,
    DocumentView,
    FilingView,
    InForceView,
    PlannedReadingsView,
    PromulgationView,
    ReadingView,
    TerminateView,
    UnifiedReviewView,
    VoteView,
    WithdrawView,
)
from .base import BillMixin, LegislativeStaffRequired
from .bills import (
    BillCreateView,
    BillEditView,
    BillListView,
    BillWorkspaceView,
    StaffHomeView,
)
from .meetings import (
    MeetingAttendanceView,
    MeetingCorrectView,
    MeetingCreateView,
    MeetingListView,
    MeetingUpdateView,
)
from .versions import (
    CompareView,
    DraftVersionCreateView,
    VersionAlignmentView,
    VersionDetailView,
    VersionPublishView,
)

__all__ = [
    "AdvanceView",
    "ApprovalDecisionView",
    "ApprovalRequestView",
    "BillActView",
    "BillCreateView",
    "BillEditView",
    "BillListView",
    "BillMixin",
    "BillWorkspaceView",
    "CompareView",
    "CorrectionView",
    "DeferVoteView",
    "DocumentView",
    "DraftVersionCreateView",
    "FilingView",
    "InForceView",
    "LegislativeStaffRequired",
    "MeetingAttendanceView",
    "MeetingCorrectView",
    "MeetingCreateView",
    "MeetingListView",
    "MeetingUpdateView",
    "PlannedReadingsView",
    "PromulgationView",
    "ReadingView",
    "StaffHomeView",
    "TerminateView",
    "UnifiedReviewView",
    "VersionAlignmentView",
    "VersionDetailView",
    "VersionPublishView",
    "VoteView",
    "WithdrawView",
]
