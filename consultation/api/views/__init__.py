"""
The consultation API: liaison points, consultations, comments and decisions,
imports, receipts, statistics and the open-data export.

Each view parses with an input serializer, calls a service or a selector and
renders with an output serializer; ``consultation.access`` and the services
decide who may do what. Reads are scoped by the selectors: the public sees what
is published, a clerk also their own points' records, staff everything.

The modules hold one concept each: ``points`` (liaison points),
``consultations``, ``comments`` (the list, one comment, the decisions on one or
many), ``feedback``, ``imports``, ``receipts``, ``stats`` and ``open_data``;
``_common`` holds what several share. Callers import from here.
"""

from ._common import IF_MATCH, REVISION_ETAG, STALE
from .comments import CommentViewSet, VisibleCommentFilter
from .consultations import ConsultationViewSet
from .document_jobs import DocumentJobViewSet
from .documents import BillViewSet
from .feedback import FeedbackViewSet
from .groups import CommentGroupViewSet
from .imports import ImportViewSet
from .open_data import OUTCOMES, CSVRenderer, OpenDataCSVView, OpenDataJSONView
from .open_data_files import OpenDataFilesView
from .points import LiaisonPointViewSet
from .public_comments import PublicCommentView
from .receipts import ReceiptView
from .stats import StatsView

__all__ = [
    "PublicCommentView",
    "BillViewSet",
    "IF_MATCH",
    "OUTCOMES",
    "OpenDataFilesView",
    "REVISION_ETAG",
    "STALE",
    "CSVRenderer",
    "CommentGroupViewSet",
    "CommentViewSet",
    "ConsultationViewSet",
    "DocumentJobViewSet",
    "FeedbackViewSet",
    "ImportViewSet",
    "LiaisonPointViewSet",
    "OpenDataCSVView",
    "OpenDataJSONView",
    "ReceiptView",
    "StatsView",
    "VisibleCommentFilter",
]
