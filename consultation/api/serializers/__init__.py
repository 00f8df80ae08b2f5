"""
Serializers of the consultation API.

Output serializers choose fields by the access rules of DESIGN §2: who made a
comment (``contributor``) and its receipt code, which belongs to the contributor,
are filled in only for those ``access.can_see_personal_data`` admits, and are null
for everyone else. Input serializers check shape; the services decide.

The modules hold one concept each: ``points`` (liaison points),
``consultations``, ``comments`` (a comment, a page of rows, entering and
correcting), ``decisions`` (on one comment or many), ``feedback``, ``imports``,
``receipts``, ``stats`` and ``open_data``. Callers import from here.
"""

from .comments import (
    ArticleRefSerializer,
    CommentDetailSerializer,
    CommentRevisionSerializer,
    CommentRowsSerializer,
    CommentSerializer,
    ContributorInputSerializer,
    ContributorSerializer,
    EditCommentSerializer,
    EnterCommentSerializer,
    MoveCommentSerializer,
    contributor_changes,
)
from .consultations import (
    ConsultationSerializer,
    RecordConsultationSerializer,
    ReopenConsultationSerializer,
    ReopeningSerializer,
    UpdateConsultationSerializer,
)
from .decisions import (
    BulkDecisionResultSerializer,
    BulkDecisionSerializer,
    DecideCommentSerializer,
)
from .feedback import FeedbackSerializer, RecordFeedbackSerializer
from .imports import (
    ImportBatchSerializer,
    ImportErrorSerializer,
    StartImportSerializer,
)
from .open_data import (
    OpenDataBillSerializer,
    OpenDataEventSerializer,
    OpenDataOutcomesSerializer,
    OpenDataSerializer,
    OpenDataVersionSerializer,
)
from .points import (
    LiaisonPointSerializer,
    PointRefSerializer,
    WriteLiaisonPointSerializer,
)
from .receipts import (
    PublicCommentReceiptSerializer,
    ReceiptSerializer,
    SubmitPublicCommentSerializer,
)
from .stats import (
    CommentStatsSerializer,
    GroupCountSerializer,
    HeadlineSerializer,
    PointStatsSerializer,
    StatsQuerySerializer,
    StatsSerializer,
)

__all__ = [
    "PublicCommentReceiptSerializer",
    "SubmitPublicCommentSerializer",
    "ArticleRefSerializer",
    "BulkDecisionResultSerializer",
    "BulkDecisionSerializer",
    "CommentRowsSerializer",
    "CommentRevisionSerializer",
    "CommentDetailSerializer",
    "CommentSerializer",
    "CommentStatsSerializer",
    "ConsultationSerializer",
    "ContributorInputSerializer",
    "ContributorSerializer",
    "DecideCommentSerializer",
    "EditCommentSerializer",
    "EnterCommentSerializer",
    "MoveCommentSerializer",
    "FeedbackSerializer",
    "GroupCountSerializer",
    "HeadlineSerializer",
    "ImportBatchSerializer",
    "ImportErrorSerializer",
    "LiaisonPointSerializer",
    "OpenDataBillSerializer",
    "OpenDataEventSerializer",
    "OpenDataOutcomesSerializer",
    "OpenDataSerializer",
    "OpenDataVersionSerializer",
    "PointRefSerializer",
    "PointStatsSerializer",
    "ReceiptSerializer",
    "RecordConsultationSerializer",
    "ReopenConsultationSerializer",
    "ReopeningSerializer",
    "RecordFeedbackSerializer",
    "StartImportSerializer",
    "StatsQuerySerializer",
    "StatsSerializer",
    "UpdateConsultationSerializer",
    "WriteLiaisonPointSerializer",
    "contributor_changes",
]
