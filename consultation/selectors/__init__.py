"""
Reads of the consultation side, each shaped for one page or endpoint.

Every selector runs a fixed number of queries whatever the number of comments:
lists join their related rows, statistics aggregate in the database. Public
reads never touch :class:`Contributor` rows other than to count them by kind.
"""

from ._common import (
    ADOPTED,
    User,
    adoption_rate,
    bill_public_versions,
    public_versions,
    public_versions_of_request,
    undecided_count,
    undecided_note,
    vote_undecided_reason,
)
from .clerks import ClerkOverview, clerk_overview
from .history import (
    comment_changes,
    comment_revisions,
    consultation_changes,
    point_changes,
)
from .links import (
    CommentChange,
    Place,
    RowComments,
    changes_from_comments,
    comment_places,
    row_comments,
)
from .lists import (
    api_comment_rows,
    api_comments,
    api_consultations,
    api_imports,
    comment_history,
    comment_list,
    comment_periods_from,
    comments_by_bill,
    consultation_list,
    moderation_counts,
    moderation_queue,
    open_among,
    open_comment_periods,
    point_consultations,
    public_comments,
    public_consultations,
    public_duplicates,
    triage_counts,
    without_folded_duplicates,
)
from .receipts import ReceiptView, receipt_extras, receipt_lookup
from .stats import (
    PointStats,
    comment_outcomes,
    comment_stats,
    headline_numbers,
    open_data_bills,
    point_stats,
    stats_years,
)

__all__ = [
    "ClerkOverview",
    "clerk_overview",
    "comment_changes",
    "comment_revisions",
    "consultation_changes",
    "point_changes",
    "CommentChange",
    "changes_from_comments",
    "receipt_extras",
    "Place",
    "RowComments",
    "comment_places",
    "row_comments",
    "ADOPTED",
    "PointStats",
    "ReceiptView",
    "User",
    "adoption_rate",
    "api_comment_rows",
    "api_comments",
    "api_consultations",
    "api_imports",
    "comment_history",
    "comment_list",
    "comment_outcomes",
    "comment_stats",
    "comments_by_bill",
    "consultation_list",
    "headline_numbers",
    "moderation_counts",
    "moderation_queue",
    "open_among",
    "comment_periods_from",
    "open_comment_periods",
    "open_data_bills",
    "point_consultations",
    "point_stats",
    "public_comments",
    "public_consultations",
    "public_duplicates",
    "bill_public_versions",
    "public_versions",
    "public_versions_of_request",
    "receipt_lookup",
    "stats_years",
    "triage_counts",
    "undecided_count",
    "undecided_note",
    "vote_undecided_reason",
    "without_folded_duplicates",
]
