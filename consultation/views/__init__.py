"""
Staff and clerk pages of the consultation side: parse, call, present.

Who may see and do what is :mod:`consultation.access`; what a page shows comes
from :mod:`consultation.selectors`; every change goes through
:mod:`consultation.services`, whose :class:`~npc.core.errors.DomainError` messages
the pages show as they are. A record outside what the user may see does not
exist for them (404); a page or act their role does not allow is 403.
"""

from .batches import (
    ImportCreateView,
    ImportDetailView,
    ImportProgressView,
    ImportTemplateView,
)
from .comments import CommentDetailView, CommentEditView, FeedbackCreateView
from .consultations import (
    ConsultationCreateView,
    ConsultationDetailView,
    ConsultationListView,
    ConsultationReopenView,
    ConsultationUpdateView,
    PointChangesView,
    PointOverviewView,
)
from .entry import CommentEntryView
from .groups import GroupDetailView, GroupListView
from .links import ArticleCommentLinksView
from .moderation import ModerationQueueView
from .triage import TriageExportView, TriageView

__all__ = [
    "ArticleCommentLinksView",
    "CommentDetailView",
    "CommentEditView",
    "CommentEntryView",
    "ConsultationCreateView",
    "ConsultationDetailView",
    "ConsultationListView",
    "ConsultationReopenView",
    "ConsultationUpdateView",
    "FeedbackCreateView",
    "GroupDetailView",
    "GroupListView",
    "ImportCreateView",
    "ImportDetailView",
    "ImportProgressView",
    "ImportTemplateView",
    "ModerationQueueView",
    "PointChangesView",
    "PointOverviewView",
    "TriageExportView",
    "TriageView",
]
