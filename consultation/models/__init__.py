"""
Liaison points, consultations, comments and what became of them.

Who made a comment is personal data: it lives in :class:`Contributor`, apart from
the comment, and only the roles of DESIGN §2 may read it.
"""

from __future__ import annotations

# The grouping models live beside their services; importing them here makes
# them the app's models.
from ..grouping.models import CommentGroup, CommentSignature, GroupKey
from .authors import (
    AuthorMailing,
    AuthorNotice,
)
from .comments import (
    ADOPTING,
    NEEDS_REASON,
    PUBLICLY_VISIBLE,
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Comment,
    CommentCount,
    CommentQuerySet,
    CommentRevision,
    CommentTally,
    Contributor,
    Decision,
    Moderation,
    Reason,
    WithheldReason,
    format_receipt_code,
    new_receipt_code,
    normalise_receipt_code,
)
from .decisions import (
    AdoptionLink,
    DecisionRecord,
    Feedback,
)
from .documents import (
    DocumentJob,
)
from .imports import (
    ImportBatch,
)
from .points import (
    Channel,
    Consultation,
    ConsultationReopening,
    District,
    LiaisonPoint,
)

__all__ = [
    "AdoptionLink",
    "AuthorMailing",
    "AuthorNotice",
    "Channel",
    "Comment",
    "CommentCount",
    "CommentTally",
    "CommentGroup",
    "CommentQuerySet",
    "CommentRevision",
    "CommentSignature",
    "Consultation",
    "ConsultationReopening",
    "Contributor",
    "Decision",
    "DecisionRecord",
    "District",
    "DocumentJob",
    "Feedback",
    "GroupKey",
    "ImportBatch",
    "LiaisonPoint",
    "Moderation",
    "ADOPTING",
    "NEEDS_REASON",
    "PUBLICLY_VISIBLE",
    "RECEIPT_ALPHABET",
    "RECEIPT_LENGTH",
    "Reason",
    "WithheldReason",
    "format_receipt_code",
    "new_receipt_code",
    "normalise_receipt_code",
]
