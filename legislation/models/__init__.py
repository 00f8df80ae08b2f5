"""
Bills and their lifecycle, meetings, votes, documents and draft texts.

The lifecycle is data: :class:`Stage` and the :data:`TRANSITIONS` table beside it
are the only description of which stage may follow which. ``services`` enforces
it; pages and the API read it to offer only the moves that are possible.

The modules hold one concept each: ``stages`` (the lifecycle table), ``bills``
(the bill), ``meetings`` (the Standing Committee's meetings, its members and attendance), ``timeline`` (a
bill's events), ``votes`` (the vote and its majority), ``versions`` (draft texts
and their structure), ``comparisons`` (comparison tables kept once computed),
``documents`` (documents attached to a bill), ``mail``
(subscriptions, notifications and the daily digest). Callers import from here.
"""

# The modules are imported in the order the single module declared the models,
# so that the app registry (content types, permissions) lists them as before.
# isort: off
from .stages import (
    BEFORE_VOTE,
    FINAL,
    MAIN_LINE,
    READINGS,
    TRANSITIONS,
    UNDER_DELIBERATION,
    Stage,
    next_stages,
    reading_number,
)
from .bills import BILL_EDITABLE_FIELDS, Bill, BillQuerySet
from .meetings import Attendance, CommitteeMember, Meeting, MeetingCorrection
from .timeline import INTERNAL_EVENT_KINDS, BillEvent, BillEventQuerySet, EventKind
from .votes import Vote, vote_carries, votes_needed
from .versions import (
    Article,
    ArticleLineage,
    Chapter,
    DraftVersion,
    DraftVersionQuerySet,
    Item,
    Paragraph,
    Part,
    Section,
)
from .comparisons import KeptComparison
from .regulations import (
    LawArticle,
    Regulation,
    RegulationChange,
    RegulationText,
    TextArticle,
)
from .documents import Document
from .mail import DailyDigest, Notification, Subscription
# isort: on

__all__ = [
    "BEFORE_VOTE",
    "BILL_EDITABLE_FIELDS",
    "FINAL",
    "INTERNAL_EVENT_KINDS",
    "MAIN_LINE",
    "READINGS",
    "TRANSITIONS",
    "UNDER_DELIBERATION",
    "Article",
    "Attendance",
    "ArticleLineage",
    "Bill",
    "BillEvent",
    "BillEventQuerySet",
    "BillQuerySet",
    "Chapter",
    "CommitteeMember",
    "DailyDigest",
    "Document",
    "DraftVersion",
    "DraftVersionQuerySet",
    "EventKind",
    "Item",
    "KeptComparison",
    "LawArticle",
    "Meeting",
    "MeetingCorrection",
    "Notification",
    "Paragraph",
    "Part",
    "Regulation",
    "RegulationChange",
    "RegulationText",
    "Section",
    "Stage",
    "Subscription",
    "TextArticle",
    "Vote",
    "next_stages",
    "reading_number",
    "vote_carries",
    "votes_needed",
]
