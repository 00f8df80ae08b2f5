"""
Serializers of the legislation API.

Output serializers are named after the noun (``BillSerializer``), input ones after
the act (``AdvanceBillSerializer``). They check shape only: whether a move, a vote
or a text is acceptable is for ``legislation.services`` to say.

The modules hold one concept each: ``meetings``, ``bills`` (a bill's details),
``lifecycle`` (the timeline, the moves and the vote), ``versions`` (draft texts),
``comparison`` (the comparison table and the alignment of articles), ``acts``
(the acts that change no stage), ``documents``, ``search`` (the articles a
search found). Callers import from here.
"""

from ._common import BILL_VERSION_HELP
from .acts import (
    ACT_SERIALIZERS,
    ChangePlannedReadingsSerializer,
    CorrectEventSerializer,
    DeferVoteSerializer,
    RecordActSerializer,
    RecordFilingSerializer,
    RecordUnifiedReviewSerializer,
)
from .bills import (
    BillListSerializer,
    BillSerializer,
    CreateBillSerializer,
    UpdateBillSerializer,
)
from .comparison import (
    AlignArticleSerializer,
    ArticleAlignmentSerializer,
    ComparedArticleSerializer,
    CompareQuerySerializer,
    ComparisonRowSerializer,
    ComparisonSerializer,
    SegmentSerializer,
)
from .documents import AddDocumentSerializer, DocumentSerializer
from .lifecycle import (
    AdvanceBillSerializer,
    BillEventSerializer,
    RecordVoteSerializer,
    VoteSerializer,
)
from .meetings import (
    CorrectMeetingSerializer,
    MeetingDetailSerializer,
    MeetingInputSerializer,
    MeetingRefSerializer,
    MeetingSerializer,
    RecordAttendanceSerializer,
)
from .search import ArticleMatchSerializer
from .versions import (
    AddDraftVersionSerializer,
    ArticleSerializer,
    ChapterSerializer,
    DraftVersionDetailSerializer,
    DraftVersionSerializer,
    ItemSerializer,
    ParagraphSerializer,
    PublishVersionSerializer,
    SectionSerializer,
)

__all__ = [
    "ACT_SERIALIZERS",
    "BILL_VERSION_HELP",
    "AddDocumentSerializer",
    "AddDraftVersionSerializer",
    "AdvanceBillSerializer",
    "AlignArticleSerializer",
    "ArticleAlignmentSerializer",
    "ArticleMatchSerializer",
    "ArticleSerializer",
    "BillEventSerializer",
    "BillListSerializer",
    "BillSerializer",
    "ChangePlannedReadingsSerializer",
    "ChapterSerializer",
    "CompareQuerySerializer",
    "ComparedArticleSerializer",
    "ComparisonRowSerializer",
    "ComparisonSerializer",
    "CorrectMeetingSerializer",
    "CorrectEventSerializer",
    "CreateBillSerializer",
    "DeferVoteSerializer",
    "DocumentSerializer",
    "DraftVersionDetailSerializer",
    "DraftVersionSerializer",
    "ItemSerializer",
    "MeetingDetailSerializer",
    "MeetingInputSerializer",
    "MeetingRefSerializer",
    "MeetingSerializer",
    "ParagraphSerializer",
    "PublishVersionSerializer",
    "RecordActSerializer",
    "RecordAttendanceSerializer",
    "RecordFilingSerializer",
    "RecordUnifiedReviewSerializer",
    "RecordVoteSerializer",
    "SectionSerializer",
    "SegmentSerializer",
    "UpdateBillSerializer",
    "VoteSerializer",
]
